"""A corpus of broken inputs, one per kind of failure. Each must exit with code 2, name the file (and row and field
where there is one), and leave the store and the corpus exactly as they were, on both backends."""

from __future__ import annotations

import csv
import gzip
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from kizashi.ingest.dispatch import ingest
from kizashi.protect.people import actor_for as as_user
from kizashi.store.workspace import Workspace

FIXTURES = Path(__file__).parents[1] / "fixtures"
BROKEN = FIXTURES / "broken"


@dataclass(frozen=True)
class Case:
    kind: str
    files: Callable[[Path], list[Path]]  # tmp_path → the files to pass
    expect: tuple[str, ...]  # fragments the message must contain (file, row, field, reason)


def broken(name: str) -> Callable[[Path], list[Path]]:
    return lambda _tmp: [BROKEN / name]


def written(name: str, text: str) -> Callable[[Path], list[Path]]:
    def make(tmp: Path) -> list[Path]:
        path = tmp / name
        path.write_text(text, encoding="utf-8")
        return [path]

    return make


def gzipped(name: str, content: bytes, damage: str) -> Callable[[Path], list[Path]]:
    """A gzip file that is damaged: `plain` (not compressed at all) or `truncate` (cut in the middle)."""

    def make(tmp: Path) -> list[Path]:
        data = gzip.compress(content)
        path = tmp / name
        path.write_bytes(content if damage == "plain" else data[: len(data) // 2])
        return [path]

    return make


def cordis_with(project_edit: dict[str, str] | None = None, organisation_edit: dict[str, str] | None = None):
    """The CORDIS fixture copied to tmp with one value changed in the 5th project or organisation row."""

    def make(tmp: Path) -> list[Path]:
        paths = []
        for name, edit in (("projects.csv", project_edit), ("organisations.csv", organisation_edit)):
            with (FIXTURES / "cordis" / name).open(encoding="utf-8", newline="") as handle:
                reader = csv.DictReader(handle)
                columns, rows = list(reader.fieldnames or []), list(reader)
            rows[4].update(edit or {})
            path = tmp / name
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, columns)
                writer.writeheader()
                writer.writerows(rows)
            paths.append(path)
        return paths

    return make


def written_bytes(name: str, data: bytes) -> Callable[[Path], list[Path]]:
    def make(tmp: Path) -> list[Path]:
        path = tmp / name
        path.write_bytes(data)
        return [path]

    return make


# Shift_JIS 日本 and 技術: a file in Excel's Japanese encoding, so that only the stray bytes make it wrong.
SJIS_HEAD = "id,title,description\nn0,日本,技術\n".encode("cp932")

CASES: dict[str, Case] = {
    "bad encoding": Case(
        "needs", broken("bad_encoding.csv"), ("bad_encoding.csv", "row 3", "not UTF-8 or Shift_JIS", "0x81")
    ),
    # Bytes Excel never writes in Shift_JIS: Python's cp932 would decode them to characters dropped later, silently.
    "bytes neither UTF-8 nor Shift_JIS": Case(
        "needs",
        written_bytes("stray.csv", SJIS_HEAD + b"n1,ok,\xff\xfe broken bytes\n"),
        ("stray.csv", "row 3", "not UTF-8 or Shift_JIS", "0xff"),
    ),
    "a lone 0x80 in Shift_JIS": Case(
        "needs", written_bytes("lone80.csv", SJIS_HEAD + b"n1,ok\x80,x\n"), ("lone80.csv", "row 3", "0x80")
    ),
    "Shift_JIS user-defined area": Case(
        "needs", written_bytes("gaiji.csv", SJIS_HEAD + b"n1,\xf0\x40,x\n"), ("gaiji.csv", "row 3", "0xf0")
    ),
    "missing required column": Case(
        "needs", broken("missing_title.csv"), ("missing_title.csv", "field 'title'", "missing required column")
    ),
    "trl not a number": Case("needs", broken("trl_not_a_number.csv"), ("trl_not_a_number.csv", "row 3", "field 'trl'")),
    "trl out of range": Case(
        "needs", broken("trl_out_of_range.csv"), ("trl_out_of_range.csv", "row 4", "field 'trl'", "9")
    ),
    "bad date": Case("needs", broken("bad_date.csv"), ("bad_date.csv", "row 3", "field 'deadline'", "2026-13-45")),
    "unknown label": Case(
        "needs", broken("unknown_label.csv"), ("unknown_label.csv", "row 3", "field 'label'", "TOP-SECRET-ISH")
    ),
    "broken JSON line": Case("needs", broken("broken_line.jsonl"), ("broken_line.jsonl", "row 2", "broken JSON")),
    "broken JSON document": Case(
        "needs", broken("broken_document.json"), ("broken_document.json", "row 4", "broken JSON")
    ),
    "broken YAML": Case("threats", broken("broken.yaml"), ("broken.yaml", "row 7", "broken YAML")),
    "broken XLSX": Case("needs", broken("not_a_workbook.xlsx"), ("not_a_workbook.xlsx", "not a readable XLSX")),
    "empty file": Case("needs", broken("empty.csv"), ("empty.csv", "empty")),
    "header only": Case("needs", broken("header_only.csv"), ("header_only.csv", "empty")),
    "duplicate ids": Case(
        "needs",
        broken("duplicate_ids.csv"),
        ("duplicate_ids.csv", "row 4", "field 'id'", "'B-1' appears twice", "row 2"),
    ),
    "duplicate column names": Case(
        "needs", broken("duplicate_columns.csv"), ("duplicate_columns.csv", "row 1", "field 'title'", "twice")
    ),
    "too many cells": Case("needs", broken("too_many_cells.csv"), ("too_many_cells.csv", "row 3", "4 cells")),
    "second file broken": Case(
        "needs",
        lambda _tmp: [FIXTURES / "japanese" / "needs_ja.csv", BROKEN / "trl_not_a_number.csv"],
        ("trl_not_a_number.csv", "row 3", "field 'trl'"),
    ),
    "second file missing": Case(
        "seeds",
        lambda tmp: [FIXTURES / "seeds" / "seeds.csv", tmp / "no-such-file.csv"],
        ("no-such-file.csv", "no such file"),
    ),
    "a folder": Case("needs", lambda tmp: [tmp], ("is a folder",)),
    "a folder with a table suffix": Case(
        "needs", lambda tmp: [(tmp / "d.csv").mkdir() or tmp / "d.csv"], ("d.csv", "is a folder")
    ),
    "missing file": Case("needs", lambda tmp: [tmp / "missing.xlsx"], ("missing.xlsx", "no such file")),
    "missing file, no suffix": Case("needs", lambda tmp: [tmp / "missing"], ("missing", "no such file")),
    "unsupported file type": Case("needs", written("needs.txt", "id,title\nA,B\n"), ("needs.txt", "unsupported")),
    "empty JSON lines": Case("needs", written("n.jsonl", "\n\n"), ("n.jsonl", "empty")),
    "blank title": Case("needs", written("n.csv", "id,title\nA,One\nB,   \n"), ("n.csv", "row 3", "field 'title'")),
    "country too long": Case(
        "seeds", written("s.csv", "id,title,country\nA,One,Japan and more\n"), ("s.csv", "row 2", "field 'country'")
    ),
    "id too long": Case(
        "needs", written("n.csv", "id,title\n" + "x" * 301 + ",One\n"), ("n.csv", "row 2", "field 'id'")
    ),
    "threat likelihood out of range": Case(
        "threats",
        written("t.yaml", "threats:\n  - {id: a, category: c, name_en: A, name_ja: エー, likelihood: 7}\n"),
        ("t.yaml", "row 1", "field 'likelihood'"),
    ),
    "threat horizon unknown": Case(
        "threats",
        written("t.csv", "id,category,name_en,name_ja,horizon\na,c,A,エー,someday\n"),
        ("t.csv", "row 2", "field 'horizon'", "someday"),
    ),
    "YAML without the list": Case(
        "technologies", written("t.yaml", "something: else\n"), ("t.yaml", "field 'technologies'")
    ),
    "YAML entry not a mapping": Case(
        "technologies",
        written("t.yaml", "technologies:\n  - {id: a, name_en: A, name_ja: エー}\n  - just text\n"),
        ("t.yaml", "row 2", "not a mapping"),
    ),
    "technology missing Japanese name": Case(
        "technologies", written("t.csv", "id,name_en,name_ja\na,A,\n"), ("t.csv", "row 2", "field 'name_ja'")
    ),
    "CORDIS project with a bad date": Case(
        "works",
        cordis_with({"startDate": "2015-02-30"}),
        # The 5th record is row 6 as a spreadsheet numbers it, although objectives span several lines before it.
        ("projects.csv", "row 6", "field 'startDate'", "2015-02-30"),
    ),
    "CORDIS organisation without a name": Case(
        "works",
        cordis_with(organisation_edit={"name": ""}),
        ("organisations.csv", "row 6", "field 'name'"),
    ),
    "only organisations": Case(
        "works", lambda _tmp: [FIXTURES / "cordis" / "organisations.csv"], ("organisations.csv", "project file")
    ),
    "not a works format": Case("works", written("w.csv", "a,b\n1,2\n"), ("w.csv", "not a known works format")),
    "same id in two files": Case(
        "needs",
        lambda tmp: [
            FIXTURES / "needs" / "needs.csv",
            *written("again.csv", "id,title\nN-9,New\nDS-02-2014,Again\n")(tmp),
        ],
        ("again.csv", "row 3", "field 'id'", "'DS-02-2014' appears twice", "needs.csv"),
    ),
    "not gzip": Case(
        "needs", gzipped("n.jsonl.gz", b'{"id": "A", "title": "x"}\n', damage="plain"), ("n.jsonl.gz", "cannot read")
    ),
    "truncated gzip": Case(
        "needs",
        gzipped("n.jsonl.gz", b'{"id": "A", "title": "x"}\n' * 2000, damage="truncate"),
        ("n.jsonl.gz", "cannot read"),
    ),
    "truncated gzip JSON": Case(
        "needs", gzipped("n.json.gz", b'[{"id": "A", "title": "x"}]', damage="truncate"), ("n.json.gz", "cannot read")
    ),
    "unknown kind": Case("widgets", broken("empty.csv"), ("unknown kind 'widgets'",)),
}


@pytest.fixture
def loaded(workspace: Workspace) -> Workspace:
    """A workspace that already holds records and a corpus part, so that 'unchanged' means something."""
    ingest(workspace, as_user(workspace, "tester"), "needs", [FIXTURES / "needs" / "needs.csv"])
    ingest(workspace, as_user(workspace, "tester"), "threats", [FIXTURES / "reference" / "threats.csv"])
    ingest(workspace, as_user(workspace, "tester"), "works", [FIXTURES / "cordis" / "official" / "project.csv"])
    return workspace


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_broken_input_exits_2_and_changes_nothing(
    loaded: Workspace,
    tmp_path: Path,
    cli,
    snapshot,
    case: Case,
) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    files = case.files(inputs)
    before = snapshot(loaded)
    assert before["needs"] and before["works"] and before["(corpus files)"]
    result = cli("ingest", case.kind, *files)
    assert result.code == 2, result.err
    message = " ".join(result.err.split())  # the message as one line, however the terminal wrapped it
    for fragment in case.expect:
        assert fragment in message, (fragment, message)
    assert "Traceback" not in result.err
    assert snapshot(loaded) == before


def test_the_broken_fixtures_are_what_they_claim() -> None:
    # Invalid in both encodings kizashi accepts.
    raw = (BROKEN / "bad_encoding.csv").read_bytes()
    for encoding in ("utf-8", "cp932"):
        with pytest.raises(UnicodeDecodeError):
            raw.decode(encoding)
    assert (BROKEN / "empty.csv").read_bytes() == b""
    assert not (BROKEN / "not_a_workbook.xlsx").read_bytes().startswith(b"PK")


def test_a_broken_works_import_leaves_no_temporary_part(loaded: Workspace, tmp_path: Path, cli) -> None:
    files = cordis_with({"startDate": "not a date"})(tmp_path)
    assert cli("ingest", "works", *files).code == 2
    folder = loaded.corpus_dir / "works"
    assert sorted(p.name for p in folder.iterdir()) == ["part-00000003.parquet"]


def test_usage_errors_exit_2(workspace: Workspace, cli) -> None:
    assert cli("ingest", "needs").code == 2  # no files
    assert cli("ingest").code == 2
    assert cli("ingest", "needs", FIXTURES / "needs" / "needs.csv", "--no-such-option").code == 2
    assert cli("no-such-command").code == 2


def test_ingest_needs_a_workspace(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KIZASHI_DATABASE_URL", raising=False)
    result = cli("ingest", "needs", FIXTURES / "needs" / "needs.csv", "--workspace", tmp_path / "nowhere")
    assert result.code == 2
    assert "kizashi init" in result.err
    assert not (tmp_path / "nowhere").exists()


def test_broken_fixture_copy_is_still_broken(tmp_path: Path, workspace: Workspace, cli) -> None:
    # The committed bad bytes survive a copy (no editor re-encoded them).
    shutil.copy(BROKEN / "bad_encoding.csv", tmp_path / "copy.csv")
    assert cli("ingest", "needs", tmp_path / "copy.csv").code == 2


def test_the_snapshot_sees_every_kind_of_change(loaded: Workspace, cli, snapshot, tmp_path: Path) -> None:
    # Guard for the tests above: a snapshot comparison does notice a change in records, imports and corpus.
    before = snapshot(loaded)
    path = tmp_path / "one.csv"
    path.write_text("id,title\nDS-02-2014,Changed title\n", encoding="utf-8")
    assert cli("ingest", "needs", path).code == 0
    after = snapshot(loaded)
    assert after["needs"] != before["needs"] and after["imports"] != before["imports"]
    assert after["(corpus files)"] == before["(corpus files)"]
    assert cli("ingest", "works", FIXTURES / "cordis" / "projects.csv").code == 0
    assert snapshot(loaded)["(corpus files)"] != after["(corpus files)"]
