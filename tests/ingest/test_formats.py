"""Every input format, end to end with real files: what lands in the store is what the file says.

The fixtures are committed slices of real data (tests/fixtures/SOURCE.md). Expectations are read from the fixture
files here, with the csv module, independently of kizashi's readers.
"""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from kizashi.ingest.dispatch import ingest
from kizashi.policy import Clearance
from kizashi.protect.people import actor_for as as_user
from kizashi.store.records import counts, iter_records
from kizashi.store.workspace import Workspace

TRUSTED = Clearance.everything("tests")  # these tests read what they wrote; tests/protect check the policy

FIXTURES = Path(__file__).parents[1] / "fixtures"
CORDIS = FIXTURES / "cordis"
STATEMENT_COLUMNS = {
    "id",
    "title",
    "description",
    "lang",
    "keywords",
    "organization",
    "country",
    "trl",
    "threat",
    "deadline",
    "label",
}


def read_csv(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def records(workspace: Workspace, kind: str) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in iter_records(workspace, kind, TRUSTED)}


def expected_statement(row: dict[str, str]) -> dict[str, Any]:
    """What the README promises for a needs/seeds row of the generic form."""
    return {
        "id": row["id"],
        "title": row["title"].strip(),
        "description": row["description"].strip(),
        "lang": row["lang"] or None,
        "keywords": [k.strip() for k in row["keywords"].split(";") if k.strip()],
        "organization": row["organization"] or None,
        "country": row["country"].upper() or None,
        "trl": int(row["trl"]) if row["trl"] else None,
        "threat": row["threat"] or None,
        "deadline": date.fromisoformat(row["deadline"]) if row["deadline"] else None,
        "level": row["label"] or "INTERNAL",
        "extra": {k: v for k, v in row.items() if k not in STATEMENT_COLUMNS and v},
    }


# --- needs and seeds: CSV, XLSX, JSON lines ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["needs", "seeds"])
@pytest.mark.parametrize("suffix", ["csv", "xlsx", "jsonl"])
def test_statements_in_every_format(workspace: Workspace, kind: str, suffix: str) -> None:
    source = read_csv(FIXTURES / kind / f"{kind}.csv")  # the XLSX and JSONL fixtures were made from this slice
    report = ingest(workspace, as_user(workspace, "tester"), kind, [FIXTURES / kind / f"{kind}.{suffix}"])
    assert (report.added, report.updated, report.unchanged, report.rejected) == (len(source), 0, 0, [])
    stored = records(workspace, kind)
    assert len(stored) == len(source) == counts(workspace, TRUSTED)[kind]
    for row in source:
        record = stored[row["id"]]
        for key, value in expected_statement(row).items():
            assert record[key] == value, (row["id"], key)
        assert record["import_id"] == report.import_id
        assert record["compartments"] == []


def test_exact_values_of_a_few_statements(workspace: Workspace) -> None:
    ingest(workspace, as_user(workspace, "tester"), "needs", [FIXTURES / "needs" / "needs.xlsx"])
    ingest(workspace, as_user(workspace, "tester"), "seeds", [FIXTURES / "seeds" / "seeds.jsonl"])
    need = records(workspace, "needs")["DS-02-2014"]
    assert need["title"] == "Access Control"
    assert need["description"] == "Digital Security: Cybersecurity, Privacy and Trust"
    assert need["deadline"] == date(2019, 4, 30)
    assert need["extra"] == {"work_programme": "2014-15", "amount": "19483907.5"}
    seed = records(workspace, "seeds")["cordis:653355"]
    assert seed["title"] == "FOREnsic evidence gathering autonomous seNSOR"
    assert seed["organization"] and seed["country"] == "EL"  # the generic form keeps the code as written
    assert seed["keywords"] == ["FCT-05-2014"]
    assert seed["extra"]["acronym"] == "FORENSOR"
    assert "\n" in records(workspace, "seeds")["cordis:647850"]["description"]  # multi-line cells survive


@pytest.mark.parametrize("kind", ["needs", "seeds"])
def test_the_three_formats_hold_the_same_records(workspace: Workspace, kind: str) -> None:
    first = ingest(workspace, as_user(workspace, "tester"), kind, [FIXTURES / kind / f"{kind}.csv"])
    # Same content from another format: nothing to update (the content hashes are equal).
    for suffix in ("xlsx", "jsonl"):
        again = ingest(workspace, as_user(workspace, "tester"), kind, [FIXTURES / kind / f"{kind}.{suffix}"])
        assert (again.added, again.updated, again.unchanged) == (0, 0, first.added), suffix


# --- CORDIS projects, as works and as seeds; topics as needs -------------------------------------------------------

ACTIVITY = {"HES": "education", "REC": "facility", "PRC": "company", "PUB": "government", "OTH": "other"}
ISO = {"EL": "GR", "UK": "GB"}


def expected_institutions(organisations: list[dict[str, str]], id_column: str) -> dict[str, list[dict[str, Any]]]:
    by_project: dict[str, list[dict[str, Any]]] = {}
    for row in organisations:
        by_project.setdefault(row["projectID"], []).append(
            {
                "id": f"pic:{row[id_column]}",
                "name": row["name"],
                "ror": None,
                "country": ISO.get(row["country"], row["country"]) or None,
                "type": ACTIVITY.get(row["activityType"], row["activityType"] or None),
            }
        )
    return by_project


def check_cordis_works(workspace: Workspace, projects: list[dict[str, str]], institutions: dict[str, Any]) -> None:
    works = records(workspace, "works")
    assert len(works) == len(projects) == counts(workspace, TRUSTED)["works"]
    for row in projects:
        work = works[f"cordis:{row['id']}"]
        assert work["source"] == "cordis"
        assert work["title"] == row["title"]
        assert work["abstract"] == row["objective"].strip()
        assert work["date"] == date.fromisoformat(row["startDate"])
        assert work["year"] == int(row["startDate"][:4])
        assert work["type"] == "project"
        assert work["level"] == "PUBLIC"
        assert work["topics"] == [row["topics"]]
        assert work["institutions"] == institutions[row["id"]]
        assert work["countries"] == list(dict.fromkeys(i["country"] for i in institutions[row["id"]]))
        assert work["funders"] == ["European Commission", "H2020"]
        assert work["extra"]["acronym"] == row["acronym"]
        assert work["extra"]["status"] == row["status"]
        assert work["extra"]["end_date"] == row["endDate"]
        assert work["extra"]["total_cost"] == row["totalCost"]


def test_cordis_projects_with_organisations(workspace: Workspace) -> None:
    projects = read_csv(CORDIS / "projects.csv")
    organisations = read_csv(CORDIS / "organisations.csv")
    assert len(projects) == 30
    report = ingest(
        workspace, as_user(workspace, "tester"), "works", [CORDIS / "projects.csv", CORDIS / "organisations.csv"]
    )
    assert (report.added, report.rejected) == (30, [])
    check_cordis_works(workspace, projects, expected_institutions(organisations, "id"))
    works = records(workspace, "works")
    assert sum(len(w["institutions"]) for w in works.values()) == len(organisations) == 300
    # A project coordinated from Greece, with British partners: ISO codes, not CORDIS's EL and UK.
    forensor = works["cordis:653355"]
    assert "GR" in forensor["countries"] and "EL" not in forensor["countries"]
    assert forensor["extra"]["url"] == next(p["projectUrl"] for p in projects if p["id"] == "653355")
    assert all("UK" not in w["countries"] for w in works.values())


@pytest.mark.parametrize(
    ("cell", "name"),
    [
        (
            '"""NATIONAL CENTER FOR SCIENTIFIC RESEARCH """"DEMOKRITOS"""""""',
            'NATIONAL CENTER FOR SCIENTIFIC RESEARCH "DEMOKRITOS"',
        ),
        ('"""ACME"" Ltd"', '"ACME" Ltd'),  # quoted once: the quotes are part of the name
        ('"MINISTERO DELL\'INTERNO"', "MINISTERO DELL'INTERNO"),
    ],
)
def test_a_cordis_name_quoted_twice_is_read_once(workspace: Workspace, tmp_path: Path, cell: str, name: str) -> None:
    # As the demo's organisations file (a slice of CORDIS's) has it for NCSR "Demokritos".
    projects = read_csv(CORDIS / "projects.csv")
    project = projects[0]["id"]
    (tmp_path / "projects.csv").write_text((CORDIS / "projects.csv").read_text(encoding="utf-8"), encoding="utf-8")
    header = (CORDIS / "organisations.csv").read_text(encoding="utf-8").splitlines()[0]
    columns = header.split(",")
    values = {"projectID": project, "id": "999978239", "name": "@NAME@", "activityType": "REC", "country": "EL"}
    row = ",".join(values.get(column, "") for column in columns).replace("@NAME@", cell)
    (tmp_path / "organisations.csv").write_text(f"{header}\n{row}\n", encoding="utf-8")
    ingest(
        workspace, as_user(workspace, "tester"), "works", [tmp_path / "projects.csv", tmp_path / "organisations.csv"]
    )
    institutions = records(workspace, "works")[f"cordis:{project}"]["institutions"]
    assert [i["name"] for i in institutions] == [name]


def test_cordis_organisations_are_found_beside_the_project_file(workspace: Workspace) -> None:
    ingest(workspace, as_user(workspace, "tester"), "works", [CORDIS / "projects.csv"])
    works = records(workspace, "works")
    assert sum(len(w["institutions"]) for w in works.values()) == 300


def test_cordis_official_semicolon_form(workspace: Workspace) -> None:
    official = CORDIS / "official"
    raw = (official / "project.csv").read_bytes()
    assert raw.startswith(b'"id";"acronym";"status";"title"') and b"\r\n" in raw
    projects = read_csv(official / "project.csv", delimiter=";")
    organisations = read_csv(official / "organization.csv", delimiter=";")
    report = ingest(
        workspace, as_user(workspace, "tester"), "works", [official / "project.csv", official / "organization.csv"]
    )
    assert (report.added, report.rejected) == (30, [])
    check_cordis_works(workspace, projects, expected_institutions(organisations, "organisationID"))
    work = records(workspace, "works")["cordis:653355"]
    row = next(p for p in projects if p["id"] == "653355")
    assert work["extra"]["programme"] == row["legalBasis"]
    assert work["extra"]["call"] == row["masterCall"]
    assert work["extra"]["ec_max_contribution"] == row["ecMaxContribution"]


def test_both_cordis_forms_give_the_same_works(workspace: Workspace) -> None:
    ingest(workspace, as_user(workspace, "tester"), "works", [CORDIS / "projects.csv", CORDIS / "organisations.csv"])
    first = records(workspace, "works")
    second = ingest(
        workspace,
        as_user(workspace, "tester"),
        "works",
        [CORDIS / "official" / "project.csv", CORDIS / "official" / "organization.csv"],
    )
    assert second.added == 0
    again = records(workspace, "works")
    for work_id, work in first.items():
        for column in ("title", "abstract", "date", "institutions", "countries", "topics", "funders"):
            assert again[work_id][column] == work[column], (work_id, column)


def test_cordis_projects_as_seeds(workspace: Workspace) -> None:
    projects = {row["id"]: row for row in read_csv(CORDIS / "projects.csv")}
    report = ingest(workspace, as_user(workspace, "tester"), "seeds", [CORDIS / "projects.csv"])
    assert report.added == 30
    seeds = records(workspace, "seeds")
    for project_id, row in projects.items():
        seed = seeds[f"cordis:{project_id}"]
        assert seed["title"] == row["title"]
        assert seed["description"] == row["objective"].strip()
        assert seed["organization"] == row["coordinator"]
        assert seed["country"] == ISO.get(row["coordinatorCountry"], row["coordinatorCountry"])
        assert seed["keywords"] == [row["topics"]]
        assert seed["source"] == "cordis"
        assert seed["level"] == "PUBLIC"
        assert seed["extra"]["acronym"] == row["acronym"]


def test_cordis_topics_as_needs(workspace: Workspace) -> None:
    topics = read_csv(CORDIS / "topics.csv")
    report = ingest(workspace, as_user(workspace, "tester"), "needs", [CORDIS / "topics.csv"])
    assert report.added == len(topics) == 30
    needs = records(workspace, "needs")
    coded = [row for row in topics if row["code"]]
    assert len(coded) == 24
    for row in topics:
        topic_id = row["code"] or hashlib.sha1(row["name"].encode()).hexdigest()[:12]
        need = needs[f"topic:{topic_id}"]
        assert need["title"] == row["name"]
        assert need["description"] == row["callName"]
        assert need["source"] == "cordis-topics"
        assert need["organization"] == "European Commission"
        assert need["level"] == "PUBLIC"
    # Ids are stable: the same file again changes nothing.
    again = ingest(workspace, as_user(workspace, "tester"), "needs", [CORDIS / "topics.csv"])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 30)


# --- threats and technologies: YAML and CSV -----------------------------------------------------------------------

REFERENCE = FIXTURES / "reference"


def split(value: Any) -> list[str]:
    if isinstance(value, list):
        return value
    return [part.strip() for part in (value or "").split(";") if part.strip()]


LEVELS = {"公開": "PUBLIC", "": "INTERNAL", None: "INTERNAL"}


def test_threats_from_yaml(workspace: Workspace) -> None:
    document = yaml.safe_load((REFERENCE / "threats.yaml").read_text(encoding="utf-8"))
    report = ingest(workspace, as_user(workspace, "tester"), "threats", [REFERENCE / "threats.yaml"])
    assert report.added == len(document["threats"]) == 4
    stored = records(workspace, "threats")
    for item in document["threats"]:
        threat = stored[item["id"]]
        for key in ("category", "name_en", "name_ja", "likelihood", "impact", "horizon"):
            assert threat[key] == item.get(key), key
        assert threat["description_ja"] == item.get("description_ja", "")
        assert threat["technologies"] == split(item.get("technologies"))
        assert threat["sources"] == split(item.get("sources"))
        assert threat["level"] == LEVELS.get(item.get("label"), item.get("label"))
    assert stored["disinformation"]["technologies"] == ["nlp", "fact-checking"]
    assert stored["disinformation"]["level"] == "PUBLIC"


def test_threats_csv_holds_the_same_as_yaml(workspace: Workspace) -> None:
    rows = read_csv(REFERENCE / "threats.csv")
    first = ingest(workspace, as_user(workspace, "tester"), "threats", [REFERENCE / "threats.csv"])
    assert first.added == len(rows)
    stored = records(workspace, "threats")
    for row in rows:
        assert stored[row["id"]]["likelihood"] == int(row["likelihood"])
        assert stored[row["id"]]["technologies"] == split(row["technologies"])
    again = ingest(workspace, as_user(workspace, "tester"), "threats", [REFERENCE / "threats.yaml"])
    assert (again.added, again.updated, again.unchanged) == (0, 0, len(rows))


def test_technologies_from_yaml_and_csv(workspace: Workspace) -> None:
    document = yaml.safe_load((REFERENCE / "technologies.yaml").read_text(encoding="utf-8"))
    report = ingest(workspace, as_user(workspace, "tester"), "technologies", [REFERENCE / "technologies.yaml"])
    assert report.added == len(document["technologies"]) == 4
    stored = records(workspace, "technologies")
    for item in document["technologies"]:
        technology = stored[item["id"]]
        assert technology["parent"] == item.get("parent")
        assert technology["name_ja"] == item["name_ja"]
        assert technology["synonyms_en"] == item.get("synonyms_en", [])
        assert technology["synonyms_ja"] == item.get("synonyms_ja", [])
        assert technology["description_ja"] == item.get("description_ja", "")
    again = ingest(workspace, as_user(workspace, "tester"), "technologies", [REFERENCE / "technologies.csv"])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)


def test_a_bare_yaml_list_is_read_too(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "tech.yml"
    path.write_text("- id: a\n  name_en: A\n  name_ja: エー\n", encoding="utf-8")
    assert ingest(workspace, as_user(workspace, "tester"), "technologies", [path]).added == 1
