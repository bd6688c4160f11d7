"""CISA KEV → STIX 2.1 vulnerabilities: the JSON and CSV forms give the same objects, with deterministic ids, the CVE
as name and reference, the catalogue's fields kept, and every object passing the validator and the STIX reader; a
bad entry is refused naming file, row and field."""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stix2validator import ValidationOptions, validate_instance

from kizashi.errors import InputError
from kizashi.ingest.kev import kev_id, kev_objects, vulnerability
from kizashi.ingest.stix import read_stix_bytes

CTI = Path(__file__).parents[1] / "fixtures" / "cti"
KEV_JSON = CTI / "kev-slice.json"
KEV_CSV = CTI / "kev-slice.csv"


def valid(item: dict[str, Any]) -> bool:
    return bool(validate_instance(item, ValidationOptions(version="2.1", silent=True)).is_valid)


def catalogue() -> dict[str, Any]:
    document: dict[str, Any] = orjson.loads(KEV_JSON.read_bytes())
    return document


def test_json_and_csv_give_the_same_valid_objects() -> None:
    from_json = kev_objects(KEV_JSON)
    assert from_json == kev_objects(KEV_CSV)
    assert [item["name"] for item in from_json] == [entry["cveID"] for entry in catalogue()["vulnerabilities"]]
    assert all(valid(item) for item in from_json)
    bundle = {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": from_json}
    assert read_stix_bytes(orjson.dumps(bundle), "kev") == from_json


def test_an_entry_maps_to_a_vulnerability_keeping_the_catalogues_fields() -> None:
    entry = catalogue()["vulnerabilities"][0]
    made = next(item for item in kev_objects(KEV_JSON) if item["name"] == entry["cveID"])
    assert (
        made["id"] == f"vulnerability--{uuid.uuid5(uuid.UUID('00abedb4-aa42-466c-9c01-fed23315a9b7'), entry['cveID'])}"
    )
    assert made["id"] == kev_id(entry["cveID"])
    assert made["type"] == "vulnerability" and made["spec_version"] == "2.1"
    assert made["created"] == made["modified"] == f"{entry['dateAdded']}T00:00:00.000Z"
    assert {"source_name": "cve", "external_id": entry["cveID"]} in made["external_references"]
    assert made["x_cisa_kev_vendor_project"] == entry["vendorProject"]
    assert made["x_cisa_kev_due_date"] == entry["dueDate"]
    assert made["x_cisa_kev_known_ransomware_campaign_use"] == entry["knownRansomwareCampaignUse"]
    assert made["x_cisa_kev_cwes"] == entry["cwes"]
    assert made["description"] == entry["shortDescription"]


def test_an_entry_without_cwes_leaves_the_property_out() -> None:
    entries = {entry["cveID"]: entry for entry in catalogue()["vulnerabilities"]}
    bare = [cve for cve, entry in entries.items() if not entry["cwes"]]
    assert bare, "the slice should hold an entry without CWEs"
    for item in kev_objects(KEV_CSV):
        assert ("x_cisa_kev_cwes" in item) == (item["name"] not in bare)


def test_ids_are_deterministic_across_loads() -> None:
    assert [item["id"] for item in kev_objects(KEV_JSON)] == [item["id"] for item in kev_objects(KEV_JSON)]
    assert len({item["id"] for item in kev_objects(KEV_JSON)}) == len(catalogue()["vulnerabilities"])


def rewritten_csv(tmp_path: Path, row: int, field: str, value: str) -> Path:
    rows = list(csv.DictReader(io.StringIO(KEV_CSV.read_text(encoding="utf-8"))))
    rows[row][field] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "kev.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("cveID", "CVE-21-1", "not a CVE id"),
        ("cveID", "", "required value is missing"),
        ("dateAdded", "2025-13-01", "is not a date"),
        ("dateAdded", "", "required value is missing"),
        ("dueDate", "soon", "is not a date"),
    ],
)
def test_a_bad_csv_entry_names_file_row_and_field(tmp_path: Path, field: str, value: str, reason: str) -> None:
    path = rewritten_csv(tmp_path, 2, field, value)
    with pytest.raises(InputError) as caught:
        kev_objects(path)
    error = caught.value
    assert error.location.file == path and error.location.row == 4 and error.location.field == field
    assert reason in str(error)


def test_a_bad_json_catalogue(tmp_path: Path) -> None:
    path = tmp_path / "kev.json"
    path.write_bytes(orjson.dumps({"title": "not KEV"}))
    with pytest.raises(InputError, match="no list of vulnerabilities"):
        kev_objects(path)
    document = catalogue()
    document["vulnerabilities"][1]["vendorProject"] = ["not", "text"]
    path.write_bytes(orjson.dumps(document))
    with pytest.raises(InputError) as caught:
        kev_objects(path)
    assert caught.value.location.row == 2 and caught.value.location.field == "vendorProject"
    path.write_bytes(KEV_JSON.read_bytes()[:300])
    with pytest.raises(InputError, match="broken JSON"):
        kev_objects(path)


def test_another_kind_of_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kev.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(InputError, match=r"'\.xlsx'"):
        kev_objects(path)


texts = st.text(st.characters(codec="utf-8"), max_size=40)


@settings(max_examples=150, deadline=None)
@given(
    st.fixed_dictionaries(
        {
            "cveID": st.one_of(st.from_regex(r"CVE-[0-9]{4}-[0-9]{4,19}", fullmatch=True), texts),
            "dateAdded": st.one_of(st.dates().map(lambda d: d.isoformat()), texts),
            "dueDate": st.one_of(st.dates().map(lambda d: d.isoformat()), texts, st.none()),
            "vendorProject": texts,
            "shortDescription": texts,
            "notes": texts,
            "cwes": st.one_of(st.lists(texts, max_size=3), texts),
        }
    )
)
def test_any_entry_maps_to_a_valid_object_or_is_refused(entry: dict[str, Any]) -> None:
    try:
        made = vulnerability(entry, "kev.json", 1)
    except InputError:
        return
    assert valid(made), made
