"""CISA's Known Exploited Vulnerabilities catalogue (JSON or CSV, ../shared/data/cisa-kev) as STIX 2.1 `vulnerability`
objects, so that KEV entries sit in the same store, collections and TLP rules as every other STIX object.

Each entry becomes one object with a deterministic id (uuid5 over the CVE id, so that loading the catalogue again, or
another release of it, names the same vulnerability), the CVE as its name and external reference, the catalogue's
fields kept as `x_cisa_kev_*` custom properties, and `created`/`modified` from the day CISA added it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from kizashi.errors import InputError
from kizashi.files.limits import Limits, bounded, check_rows, check_structure
from kizashi.files.tabular import iter_rows, suffix_of
from kizashi.messages import Message

# The namespace STIX 2.1 gives for deterministic ids (section 2.9): anyone deriving a KEV entry's id the same way
# gets the same id.
STIX_NAMESPACE = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")
KEV_URL = "https://www.cisa.gov/known-exploited-vulnerabilities-catalog"
# KEV's schema allows 4 to 19 digits; STIX (and CVE) allow a leading zero only in a 4-digit number.
_CVE = re.compile(r"CVE-[0-9]{4}-(0[0-9]{3}|[1-9][0-9]{3,18})")
# Catalogue field → custom property; cwes is a list in the JSON, "CWE-59, CWE-436" in the CSV.
_FIELDS = {
    "vendorProject": "x_cisa_kev_vendor_project",
    "product": "x_cisa_kev_product",
    "vulnerabilityName": "x_cisa_kev_vulnerability_name",
    "dateAdded": "x_cisa_kev_date_added",
    "shortDescription": "x_cisa_kev_short_description",
    "requiredAction": "x_cisa_kev_required_action",
    "dueDate": "x_cisa_kev_due_date",
    "knownRansomwareCampaignUse": "x_cisa_kev_known_ransomware_campaign_use",
    "notes": "x_cisa_kev_notes",
    "cwes": "x_cisa_kev_cwes",
}
_DATES = ("dateAdded", "dueDate")


def kev_objects(path: Path, limits: Limits | None = None) -> list[dict[str, Any]]:
    """One STIX 2.1 `vulnerability` per catalogue entry of a KEV JSON or CSV file (.gz allowed), in file order."""
    limits = limits or Limits.current()
    suffix = suffix_of(path)
    if suffix == ".json":
        entries = _json_entries(path, limits)
    elif suffix == ".csv":
        entries = ((row.number, row.values) for row in iter_rows(path, required=("cveID", "dateAdded")))
    else:
        raise InputError(
            Message("a KEV catalogue is a .json or .csv file, not '{suffix}'", suffix=suffix or path.name), file=path
        )
    return [vulnerability(entry, path, number) for number, entry in entries]


def kev_id(cve: str) -> str:
    return f"vulnerability--{uuid.uuid5(STIX_NAMESPACE, cve)}"


def vulnerability(entry: dict[str, Any], path: Path | str, number: int) -> dict[str, Any]:
    """The STIX object of one catalogue entry (the `number`th of `path`, for errors)."""
    cve = _text(entry.get("cveID"), "cveID", path, number)
    if not _CVE.fullmatch(cve):
        raise InputError(Message("not a CVE id: {value}", value=cve[:60]), file=path, row=number, field="cveID")
    added = _day(entry.get("dateAdded"), "dateAdded", path, number)
    if added is None:
        raise InputError(Message("required value is missing"), file=path, row=number, field="dateAdded")
    stamp = f"{added.isoformat()}T00:00:00.000Z"  # STIX wants milliseconds
    made: dict[str, Any] = {
        "type": "vulnerability",
        "spec_version": "2.1",
        "id": kev_id(cve),
        "created": stamp,
        "modified": stamp,
        "name": cve,
        "external_references": [
            {"source_name": "cve", "external_id": cve},
            # The validator reserves a CVE-shaped external_id for source "cve": the catalogue is named by its URL.
            {"source_name": "cisa-kev", "url": KEV_URL},
        ],
    }
    description = entry.get("shortDescription")
    if isinstance(description, str) and description.strip():
        made["description"] = description.strip()
    for field, name in _FIELDS.items():
        value = _kept(entry.get(field), field, path, number)
        if value:  # STIX forbids empty strings' cousins, empty lists; an empty field is left out
            made[name] = value
    return made


def _json_entries(path: Path, limits: Limits) -> Iterator[tuple[int, dict[str, Any]]]:
    with bounded(path, limits) as stream:
        raw = stream.document()
    try:
        document = orjson.loads(raw.removeprefix(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError as exc:
        raise InputError(Message("broken JSON: {problem}", problem=str(exc)), file=path) from None
    entries = document.get("vulnerabilities") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise InputError(Message("not a KEV catalogue: no list of vulnerabilities"), file=path)
    for number, entry in enumerate(entries, start=1):
        check_rows(number, path, limits)
        if not isinstance(entry, dict):
            raise InputError(
                Message("expected a JSON object, found {found}", found=type(entry).__name__), file=path, row=number
            )
        check_structure(entry, path, limits, row=number)
        yield number, entry


def _text(value: Any, field: str, path: Path | str, number: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(Message("required value is missing"), file=path, row=number, field=field)
    return value.strip()


def _day(value: Any, field: str, path: Path | str, number: int) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(
            Message("'{value}' is not a date (YYYY-MM-DD)", value=str(value)[:60]), file=path, row=number, field=field
        ) from None


def _kept(value: Any, field: str, path: Path | str, number: int) -> Any:
    """A catalogue field as the custom property keeps it: dates checked, cwes a list, text stripped."""
    if field in _DATES:
        day = _day(value, field, path, number)
        return day.isoformat() if day else None
    if field == "cwes":
        cwes = value.split(",") if isinstance(value, str) else value if isinstance(value, list) else []
        return [str(cwe).strip() for cwe in cwes if str(cwe).strip()]
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(
            Message("expected text, found {found}", found=type(value).__name__), file=path, row=number, field=field
        )
    return value.strip()
