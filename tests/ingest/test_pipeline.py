"""Reading in a second process gives exactly what reading in this one gives: records, errors and the store."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kizashi.errors import InputError
from kizashi.files.limits import TooLarge
from kizashi.ingest.dispatch import ingest
from kizashi.ingest.formats import readers
from kizashi.ingest.loader import content_hash
from kizashi.ingest.pipeline import AUTO_MIN_BYTES, ReaderProcess, worth_a_process
from kizashi.ingest.records import RowError
from kizashi.policy import Clearance
from kizashi.protect.people import actor_for as as_user
from kizashi.store.records import iter_records
from kizashi.store.workspace import Workspace

TRUSTED = Clearance.everything("tests")  # these tests read what they wrote; tests/protect check the policy

FIXTURES = Path(__file__).parents[1] / "fixtures"
INPUTS = {
    "works": [FIXTURES / "openalex" / "works_snapshot.jsonl.gz"],
    "needs": [FIXTURES / "japanese" / "needs_ja_cp932.csv"],
    "threats": [FIXTURES / "reference" / "threats.yaml"],
}


def _drain(iterator: object) -> list[object]:
    """Every item or error, in order, as the loader sees them."""
    out: list[object] = []
    while True:
        try:
            values, row = next(iterator)  # type: ignore[call-overload]
        except StopIteration:
            return out
        except RowError as error:
            out.append(("row error", str(error)))
        else:
            values = dict(values)
            values.pop("content_hash", None)
            out.append((values, row.file, row.number))


@pytest.mark.parametrize("kind", sorted(INPUTS))
def test_same_records_in_either_process(kind: str) -> None:
    here = _drain(readers(kind, INPUTS[kind]))
    there = _drain(ReaderProcess(kind, INPUTS[kind]))
    assert here and there == here


def test_the_reader_process_hashes_as_the_loader_would() -> None:
    for values, _row in ReaderProcess("works", INPUTS["works"]):
        given = values.pop("content_hash")
        assert given == content_hash(values)


def test_bad_rows_are_reported_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "needs.csv"
    path.write_text("id,title,trl\na,A,1\nb,B,12\nc,C,3\n", encoding="utf-8")
    here, there = _drain(readers("needs", [path])), _drain(ReaderProcess("needs", [path]))
    assert there == here
    assert [type(item) for item in there] == [tuple, tuple, tuple]
    assert there[1] == ("row error", f"{path}, row 3, field 'trl': Input should be less than or equal to 9")


def test_a_broken_file_ends_with_its_location(tmp_path: Path) -> None:
    path = tmp_path / "works.jsonl"
    path.write_text('{"id": "https://openalex.org/W1", "title": "T"}\n{"id": \n', encoding="utf-8")
    reader = ReaderProcess("works", [path])
    values, _row = next(reader)
    assert values["id"] == "openalex:W1"
    with pytest.raises(InputError, match=r"works\.jsonl, row 2: broken JSON"):
        next(reader)
    reader.close()


def test_the_store_is_the_same_either_way(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def content() -> list[dict[str, object]]:
        skip = {"import_id", "created_at", "updated_at"}
        return [{k: v for k, v in r.items() if k not in skip} for r in iter_records(workspace, "works", TRUSTED)]

    monkeypatch.setenv("KIZASHI_READER_PROCESS", "never")
    ingest(workspace, as_user(workspace, "tester"), "works", INPUTS["works"])
    here = content()
    monkeypatch.setenv("KIZASHI_READER_PROCESS", "always")
    report = ingest(workspace, as_user(workspace, "tester"), "works", INPUTS["works"])
    assert report.unchanged == len(here) and report.added == report.updated == 0
    assert content() == here


def test_when_a_process_is_worth_it(tmp_path: Path) -> None:
    small = tmp_path / "small.jsonl"
    small.write_bytes(b"{}\n")
    assert not worth_a_process([small], "never")
    assert worth_a_process([small], "always")
    assert not worth_a_process([small], "auto")
    large = tmp_path / "large.jsonl"
    with large.open("wb") as handle:
        handle.truncate(AUTO_MIN_BYTES)
    assert worth_a_process([large], "auto") == ((os.cpu_count() or 1) >= 2)


@pytest.mark.parametrize("where", ["never", "always"])
def test_a_file_over_a_limit_is_refused_the_same_in_either_process(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, where: str
) -> None:
    # The child sends its errors as data: a refusal over a limit comes back as that refusal (413 on the web, with
    # the limit's words), not as a generic bad input.
    monkeypatch.setenv("KIZASHI_MAX_ROWS", "1")
    monkeypatch.setenv("KIZASHI_READER_PROCESS", where)
    path = tmp_path / "works.jsonl"
    path.write_text('{"id": "W1"}\n{"id": "W2"}\n', encoding="utf-8")
    with pytest.raises(TooLarge) as refused:
        ingest(workspace, as_user(workspace, "tester"), "works", [path])
    assert refused.value.status == 413 and refused.value.exit_code == 2
    assert "KIZASHI_MAX_ROWS" in str(refused.value) and "設定 KIZASHI_MAX_ROWS" in refused.value.said("ja")


def test_a_bad_row_is_still_a_row_error_and_a_broken_file_an_input_error(tmp_path: Path) -> None:
    rows = tmp_path / "needs.csv"
    rows.write_text("id,title,trl\nb,B,12\n", encoding="utf-8")
    with pytest.raises(RowError):
        list(ReaderProcess("needs", [rows]))
    broken = tmp_path / "works.jsonl"
    broken.write_text('{"id": \n', encoding="utf-8")
    with pytest.raises(InputError) as refused:
        list(ReaderProcess("works", [broken]))
    assert type(refused.value) is InputError and refused.value.status == 400
