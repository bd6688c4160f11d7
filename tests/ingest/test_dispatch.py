"""Which reader reads a file: chosen by the kind and the file's own shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kizashi.errors import InputError
from kizashi.ingest.dispatch import KINDS, ingest
from kizashi.model import RECORD_KINDS
from kizashi.policy import Clearance
from kizashi.protect.people import actor_for as as_user
from kizashi.store.records import iter_records
from kizashi.store.workspace import Workspace

TRUSTED = Clearance.everything("tests")  # these tests read what they wrote; tests/protect check the policy

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_kinds_match_the_tables() -> None:
    assert set(KINDS) == set(RECORD_KINDS)


def test_no_files_and_unknown_kind(workspace: Workspace) -> None:
    with pytest.raises(InputError, match="no files"):
        ingest(workspace, as_user(workspace, "tester"), "needs", [])
    with pytest.raises(InputError, match="unknown kind"):
        ingest(workspace, as_user(workspace, "tester"), "lists", [FIXTURES / "needs" / "needs.csv"])


def test_a_cordis_project_file_given_as_needs_is_a_generic_table(workspace: Workspace) -> None:
    # Only seeds and works read the CORDIS project form; as needs it has id and title, the rest is extra.
    report = ingest(workspace, as_user(workspace, "tester"), "needs", [FIXTURES / "cordis" / "projects.csv"])
    assert report.added == 30
    need = next(iter_records(workspace, "needs", TRUSTED))
    assert need["id"].isdigit()
    assert "objective" in need["extra"]


def test_a_topic_file_given_as_seeds_is_a_generic_table_and_fails_without_ids(workspace: Workspace) -> None:
    with pytest.raises(InputError, match="id"):
        ingest(workspace, as_user(workspace, "tester"), "seeds", [FIXTURES / "cordis" / "topics.csv"])


def test_openalex_json_lines_go_to_the_openalex_reader(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "works.jsonl"
    path.write_text(
        json.dumps({"id": "https://openalex.org/W2741809807", "title": "A work", "publication_year": 2018}) + "\n",
        encoding="utf-8",
    )
    report = ingest(workspace, as_user(workspace, "tester"), "works", [path])
    assert report.added == 1
    [work] = iter_records(workspace, "works", TRUSTED)
    assert work["id"] == "openalex:W2741809807"
    assert work["source"] == "openalex"


def test_works_from_two_sources_in_one_import(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "works.jsonl"
    path.write_text(json.dumps({"id": "https://openalex.org/W1", "title": "One"}) + "\n", encoding="utf-8")
    report = ingest(
        workspace, as_user(workspace, "tester"), "works", [FIXTURES / "cordis" / "official" / "project.csv", path]
    )
    assert report.added == 31
    assert {w["source"] for w in iter_records(workspace, "works", TRUSTED)} == {"cordis", "openalex"}


def test_a_repeated_work_within_an_import_keeps_the_last(workspace: Workspace, tmp_path: Path) -> None:
    # OpenAlex snapshots repeat updated works; for works the last one wins instead of failing the import.
    path = tmp_path / "works.jsonl"
    path.write_text(
        json.dumps({"id": "https://openalex.org/W1", "title": "Old"})
        + "\n"
        + json.dumps({"id": "https://openalex.org/W1", "title": "New"})
        + "\n",
        encoding="utf-8",
    )
    report = ingest(workspace, as_user(workspace, "tester"), "works", [path])
    assert report.added == 1
    assert [w["title"] for w in iter_records(workspace, "works", TRUSTED)] == ["New"]


def test_an_import_may_not_write_above_the_importer(workspace: Workspace, tmp_path: Path, snapshot) -> None:
    from kizashi.protect.people import add_user, grant

    add_user(workspace, as_user(workspace, "boss"), "boss", roles=["admin"])
    add_user(workspace, as_user(workspace, "boss"), "low", roles=["analyst"], organisation="NISC")
    grant(workspace, as_user(workspace, "boss"), "low", "INTERNAL", compartments=["alpha"])
    path = tmp_path / "needs.csv"
    path.write_text(
        "id,title,label,compartments,tlp,tlp_owner\n"
        "n1,ok,INTERNAL,alpha,,\n"
        "n2,shared by us,PUBLIC,,AMBER+STRICT,NISC\n"
        "n3,too high,CONFIDENTIAL,,,\n"
        "n4,not my circle,PUBLIC,beta,,\n"
        "n5,not my organisation,PUBLIC,,AMBER+STRICT,JPCERT\n",
        encoding="utf-8",
    )
    before = snapshot(workspace)
    with pytest.raises(InputError, match="row 4, field 'label': labelled CONFIDENTIAL, above the clearance of 'low'"):
        ingest(workspace, as_user(workspace, "low"), "needs", [path])
    assert snapshot(workspace) == before
    report = ingest(workspace, as_user(workspace, "low"), "needs", [path], skip_invalid=True)
    assert report.counts()["added"] == 2
    assert [r.location for r in report.rejected] == [f"{path}, row {n}, field 'label'" for n in (4, 5, 6)]
    # An admin loads data sets for everyone (and could grant themself any clearance anyway).
    assert ingest(workspace, as_user(workspace, "boss"), "needs", [path]).counts()["added"] == 3


def test_ids_with_line_breaks_are_refused(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "needs.jsonl"
    path.write_text(json.dumps({"id": "a\nb", "title": "x"}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="control characters"):
        ingest(workspace, as_user(workspace, "tests"), "needs", [path])
