"""A listing ingested again is the same record (issue #15): `kizashi list needs -f csv -o F` then `kizashi ingest
needs F` keeps the source's own columns as `extra` keys, leaves the store's bookkeeping out of `extra`, restores the
label, and undoes the listing's guard against formulas, so that the second import finds nothing to change."""

from __future__ import annotations

import json
import string
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kizashi.files.export import write_rows
from kizashi.files.tabular import Row, iter_rows
from kizashi.ingest.records import StatementRecord, ThreatRecord, validate
from kizashi.store.workspace import Workspace

SOURCE = (
    "id,title,description,keywords,trl,deadline,label,tlp,tlp_owner,funder_ref,budget\n"
    'n1,Flood sensing,-5 °C at the river mouth,"rivers; sensing",4,2027-03-31,CONFIDENTIAL,AMBER,MLIT,=F-12,300\n'
    "n2,大雨の予測,線状降水帯,,,,PUBLIC,,,,\n"
)


def _listed(cli: Any) -> dict[str, dict[str, Any]]:
    result = cli("list", "needs", "--format", "jsonl")
    assert result.code == 0, result.err
    return {row["id"]: row for row in map(json.loads, result.out.splitlines())}


def _record(row: dict[str, Any]) -> dict[str, Any]:
    """What the record holds, without what the store keeps of its own (which import wrote it, when)."""
    return {k: v for k, v in row.items() if k not in ("import_id", "created_at", "updated_at")}


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl"])
def test_a_listing_ingested_again_is_the_same_record(workspace: Workspace, cli: Any, tmp_path: Path, fmt: str) -> None:
    source = tmp_path / "needs.csv"
    source.write_text(SOURCE, encoding="utf-8")
    assert cli("ingest", "needs", source).code == 0
    before = _listed(cli)
    assert before["n1"]["extra"] == {"funder_ref": "=F-12", "budget": "300"}
    listing = tmp_path / f"listed.{fmt}"
    assert cli("list", "needs", "--format", fmt, "--out", listing).code == 0
    if fmt == "csv":  # the listing guards the cell a spreadsheet would run; the guard is not part of the text
        assert "'-5 °C" in listing.read_text(encoding="utf-8")
    again = cli("ingest", "needs", listing)
    assert again.code == 0, again.err
    assert "0 added, 0 updated, 2 unchanged" in again.out  # the same content: nothing to write
    after = _listed(cli)
    assert {k: _record(v) for k, v in after.items()} == {k: _record(v) for k, v in before.items()}
    assert after["n1"]["level"] == "CONFIDENTIAL" and after["n1"]["description"] == "-5 °C at the river mouth"
    assert after["n2"]["extra"] == {}


def test_a_source_column_called_extra_that_is_no_mapping_stays_data(tmp_path: Path) -> None:
    row = Row(tmp_path / "needs.csv", 2, {"id": "n1", "title": "t", "extra": "see annex 2", "created_at": "2020"})
    # Not a listing (no import_id): a source's own created_at is its data, kept like any other column.
    assert validate(StatementRecord, row)["extra"] == {"extra": "see annex 2", "created_at": "2020"}
    listing = Row(tmp_path / "needs.csv", 2, {"id": "n1", "title": "t", "extra": "", "import_id": "3",
                                             "created_at": "2026-12-07T14:01:02", "updated_at": ""})  # fmt: skip
    assert validate(StatementRecord, listing)["extra"] == {}
    # A listed threat (no extra column): the bookkeeping goes, nothing else changes.
    threat = {"id": "t1", "category": "natural", "name_en": "Flood", "name_ja": "洪水", "import_id": "1"}
    assert "import_id" not in validate(ThreatRecord, Row(tmp_path / "threats.csv", 2, threat))
    # An apostrophe is undone only where the listing put it: before what a spreadsheet would run.
    kept = Row(tmp_path / "needs.csv", 2, {"id": "n1", "title": "'quoted'", "description": "'=1", "import_id": "1"})
    assert validate(StatementRecord, kept)["title"] == "'quoted'"
    assert validate(StatementRecord, kept)["description"] == "=1"
    assert validate(StatementRecord, Row(tmp_path / "n.jsonl", 1, {**kept.values}))["description"] == "'=1"


_KEYS = st.text(string.ascii_lowercase + "_", min_size=1, max_size=12).filter(
    lambda key: key not in StatementRecord.model_fields and key not in ("label", "extra", "import_id")
)
# A text that itself starts with an apostrophe before a formula character ("'=x") reads back without it: the one
# text a CSV listing cannot tell from its own guard (left out here; XLSX and JSON lines keep it).
_VALUES = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(
    lambda text: text.strip() == text and text.strip() and not text.startswith("'")
)


@settings(max_examples=60, deadline=None)
@given(extra=st.dictionaries(_KEYS, _VALUES, max_size=5), title=_VALUES)
def test_extra_comes_back_through_a_csv_listing(tmp_path_factory: pytest.TempPathFactory, extra: dict[str, str],
                                                title: str) -> None:  # fmt: skip
    extra = {k: unicodedata.normalize("NFC", v) for k, v in extra.items()}
    title = unicodedata.normalize("NFC", title)
    listed = {"id": "n1", "title": title, "level": "INTERNAL", "extra": extra, "import_id": 7,
              "created_at": "2026-12-07T14:01:02", "updated_at": "2026-12-07T14:01:02"}  # fmt: skip
    out = tmp_path_factory.mktemp("listing") / "needs.csv"
    write_rows([listed], list(listed), "csv", out)
    (row,) = iter_rows(out)
    columns = validate(StatementRecord, row)
    assert columns["extra"] == extra and columns["title"] == title and columns["level"] == "INTERNAL"
