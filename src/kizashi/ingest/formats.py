"""Which reader reads a file: chosen by the record kind and the file's own shape (suffix, header)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from pathlib import Path

from kizashi.errors import InputError
from kizashi.files.tabular import csv_header, iter_rows, suffix_of
from kizashi.ingest import cordis, openalex
from kizashi.ingest.loader import Parsed
from kizashi.ingest.records import PerRow, StatementRecord, validate
from kizashi.ingest.reference import read_reference
from kizashi.messages import Message

KINDS = ("needs", "seeds", "works", "threats", "technologies")
STATEMENT_COLUMNS = ("id", "title")


def readers(kind: str, paths: list[Path]) -> Iterator[Parsed]:
    """The records of all files, chained; organisation files enrich the CORDIS projects they go with."""
    if kind not in KINDS:
        raise InputError(Message("unknown kind '{kind}'; use one of {choices}", kind=kind, choices=", ".join(KINDS)))
    if kind in ("threats", "technologies"):
        return chain.from_iterable(read_reference(kind, p) for p in paths)
    if kind == "works":
        return _works(paths)
    return chain.from_iterable(_statements(kind, p) for p in paths)


def _statements(kind: str, path: Path) -> Iterator[Parsed]:
    # Readers return iterators that go on after a bad row (records.PerRow), and `chain` keeps them going:
    # a generator here would end the whole import at the first invalid row under --skip-invalid.
    header = csv_header(path)
    if kind == "seeds" and cordis.is_project_file(header):
        return cordis.read_project_seeds(path)
    if kind == "needs" and cordis.is_topic_file(header):
        return cordis.read_topic_needs(path)
    return PerRow(iter_rows(path, STATEMENT_COLUMNS), lambda row: validate(StatementRecord, row))


def _works(paths: list[Path]) -> Iterator[Parsed]:
    headers = {path: csv_header(path) for path in paths}
    organisation_files = [p for p in paths if cordis.is_organisation_file(headers[p])]
    sources = [p for p in paths if p not in organisation_files]
    if not sources:
        raise InputError(Message("only CORDIS organisation files were given; add the project file"), file=paths[0])
    return chain.from_iterable(_works_of(path, headers[path], organisation_files) for path in sources)


def _works_of(path: Path, header: list[str], organisation_files: list[Path]) -> Iterator[Parsed]:
    if cordis.is_project_file(header):
        org_files = organisation_files or cordis.sibling_organisation_files(path)
        return cordis.read_project_works(path, cordis.read_organisations(org_files))
    if openalex.is_openalex_csv(header):
        return openalex.read_openalex_csv(path)
    if suffix_of(path) in (".json", ".jsonl", ".ndjson"):
        return openalex.read_openalex_json(path)
    raise InputError(
        Message("not a known works format (OpenAlex JSON/JSONL/CSV or CORDIS project CSV)"),
        file=path,
    )
