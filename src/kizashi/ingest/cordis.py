"""CORDIS (EU research projects): the project CSV and its organisations file, in the forms CORDIS publishes.

A project becomes a work (a funded project is research output the think tank tracks) or a seed (a capability
offered); a call topic becomes a need. Column names follow both the CORDIS open-data CSV and the older export used by
Open Security Data Europe, so either download works.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kizashi.errors import InputError
from kizashi.files.tabular import Row, as_date, iter_rows
from kizashi.ingest.loader import Parsed
from kizashi.ingest.records import PerRow, RowError, StatementRecord, validate
from kizashi.ingest.works import Institution, new_work, unique, year_of
from kizashi.messages import Message

PROJECT_COLUMNS = ("id", "title", "objective")
ORGANISATION_COLUMNS = ("projectID", "name", "country")
TOPIC_COLUMNS = ("code", "name")

_ACTIVITY = {"HES": "education", "REC": "facility", "PRC": "company", "PUB": "government", "OTH": "other"}


def is_project_file(header: list[str]) -> bool:
    return all(c in header for c in PROJECT_COLUMNS) and ("acronym" in header or "rcn" in header)


def is_organisation_file(header: list[str]) -> bool:
    return all(c in header for c in ORGANISATION_COLUMNS)


def is_topic_file(header: list[str]) -> bool:
    return all(c in header for c in TOPIC_COLUMNS) and "callName" in header


def sibling_organisation_files(project_file: Path) -> list[Path]:
    """CORDIS ships `project.csv` beside `organization.csv`; find the organisations next to a project file."""
    patterns = ("*organi?ation*.csv", "*organi?ations*.csv")
    found = {p for pattern in patterns for p in project_file.parent.glob(pattern)}
    return sorted(found)


def read_organisations(paths: list[Path]) -> dict[str, list[Institution]]:
    """Participations by project id. Organisations are not records of their own, so a bad organisation row fails
    the import (InputError) even under `--skip-invalid`."""
    by_project: dict[str, list[Institution]] = defaultdict(list)
    for path in paths:
        for row in iter_rows(path, ORGANISATION_COLUMNS):
            values = row.values
            try:
                project = _required(row, "projectID")
                name = _required(row, "name")
            except RowError as error:
                raise InputError(error.reason, file=row.file, row=row.number, field=error.location.field) from None
            org_id = _get(values, "id", "organisationID")
            activity = _get(values, "activityType")
            by_project[project].append(
                Institution(
                    id=f"pic:{org_id}" if org_id else None,
                    name=name,
                    ror=None,
                    country=_country(_get(values, "country")),
                    type=_ACTIVITY.get(activity or "", activity),
                )
            )
    return by_project


def read_project_works(path: Path, organisations: dict[str, list[Institution]]) -> Iterator[Parsed]:
    return PerRow(iter_rows(path, PROJECT_COLUMNS), lambda row: _project_work(row, organisations))


def _project_work(row: Row, organisations: dict[str, list[Institution]]) -> dict[str, Any]:
    values = row.values
    project = _required(row, "id")
    start = _date(row, "startDate")
    institutions = organisations.get(project, [])
    countries = unique([i["country"] or "" for i in institutions]) or unique(
        [_country(c) or "" for c in _split(_get(values, "coordinatorCountry"))]
        + [_country(c) or "" for c in _split(_get(values, "participantCountries"))]
    )
    programme = _get(values, "frameworkProgramme") or ""
    extra = {
        key: _get(values, *names)
        for key, names in {
            "acronym": ("acronym",),
            "status": ("status",),
            "programme": ("programme", "legalBasis"),
            "call": ("call", "masterCall"),
            "funding_scheme": ("fundingScheme",),
            "total_cost": ("totalCost",),
            "ec_max_contribution": ("ecMaxContribution",),
            "end_date": ("endDate",),
            "url": ("projectUrl",),
            "coordinator": ("coordinator",),
        }.items()
    }
    return new_work(
        f"cordis:{project}",
        "cordis",
        _required(row, "title"),
        abstract=_get(values, "objective") or "",
        date=start,
        year=year_of(start),
        type="project",
        language="en",
        institutions=institutions,
        countries=countries,
        topics=_split(_get(values, "topics")),
        keywords=_split(_get(values, "subjects", "keywords")),
        funders=unique(["European Commission", f"{programme}".strip()]),
        extra={k: v for k, v in extra.items() if v},
    )


def read_project_seeds(path: Path) -> Iterator[Parsed]:
    return PerRow(iter_rows(path, PROJECT_COLUMNS), _project_seed)


def _project_seed(row: Row) -> dict[str, Any]:
    values = row.values
    fields: dict[str, Any] = {
        "id": f"cordis:{_required(row, 'id')}",
        "title": values.get("title"),
        "description": values.get("objective"),
        "lang": "en",
        "keywords": _split(_get(values, "topics")),
        "organization": _get(values, "coordinator"),
        "country": _country(_get(values, "coordinatorCountry")),
        "source": "cordis",
        "label": "PUBLIC",
        "acronym": _get(values, "acronym"),
        "start_date": _get(values, "startDate"),
        "end_date": _get(values, "endDate"),
        "participants": _get(values, "participants"),
    }
    return validate(StatementRecord, Row(row.file, row.number, fields))


def read_topic_needs(path: Path) -> Iterator[Parsed]:
    return PerRow(iter_rows(path, TOPIC_COLUMNS), _topic_need)


def _topic_need(row: Row) -> dict[str, Any]:
    values = row.values
    name = (values.get("name") or "").strip()
    code = (values.get("code") or "").strip()
    # Defence-programme topics carry no code; a hash of the title keeps their id stable across re-imports.
    topic_id = code or hashlib.sha1(name.encode()).hexdigest()[:12]
    fields: dict[str, Any] = {
        "id": f"topic:{topic_id}",
        "title": name,
        "description": _get(values, "callName") or "",
        "lang": "en",
        "organization": "European Commission",
        "source": "cordis-topics",
        "label": "PUBLIC",
        "call": _get(values, "callName"),
        "work_programme": _get(values, "workProgram"),
        "theme": _get(values, "theme"),
    }
    return validate(StatementRecord, Row(row.file, row.number, fields))


def _get(values: dict[str, Any], *names: str) -> str | None:
    for name in names:
        value = values.get(name)
        if value not in (None, ""):
            return _quoted_once(str(value).strip())
    return None


def _quoted_once(value: str) -> str:
    """A cell that CORDIS quoted twice, without its second layer of quotes: after the CSV reader's unquoting, the
    name of NCSR Demokritos still stands in quotes with its own quotes doubled, and is read here as the name with
    single quotes. A value whose inner quotes are not all doubled was quoted once and is kept as it is."""
    if len(value) >= 2 and value[0] == value[-1] == '"':
        inner = value[1:-1]
        if '"' not in inner.replace('""', ""):
            return inner.replace('""', '"').strip()
    return value


def _required(row: Row, name: str) -> str:
    value = _get(row.values, name)
    if value is None:
        raise RowError(Message("required value is missing"), file=row.file, row=row.number, field=name)
    return value


def _date(row: Row, name: str) -> Any:
    try:
        return as_date(row.values.get(name))
    except ValueError:
        raise RowError(
            Message("'{value}' is not a date (YYYY-MM-DD)", value=row.values.get(name)),
            file=row.file,
            row=row.number,
            field=name,
        ) from None


def _split(value: str | None) -> list[str]:
    return unique([part.strip() for part in (value or "").split(";")])


def _country(code: str | None) -> str | None:
    # CORDIS writes EL for Greece and UK for the United Kingdom; the rest of kizashi speaks ISO 3166.
    if not code:
        return None
    code = code.strip().upper()
    return {"EL": "GR", "UK": "GB"}.get(code, code)
