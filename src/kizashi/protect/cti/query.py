"""Reading the threat-intelligence store the TAXII 2.1 way: timestamps, the query parameters (`Filters`), one page
of readable objects (`page_of`) with its opaque `next` (the last row's date_added and id) and the date_added bounds
for the X-TAXII-Date-Added-First/Last headers. No service here: protect/cti/store.py reads through these."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Select, Subquery, and_, exists, func, literal, or_, select
from sqlalchemy.orm import Session

from kizashi.errors import InputError
from kizashi.messages import Message
from kizashi.model import StixObject
from kizashi.policy import Clearance
from kizashi.store.readable import select_readable

MEDIA_TYPE = "application/stix+json;version=2.1"
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
_TIMESTAMP = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?Z")
VERSION_WORDS = ("first", "last", "all")


def parse_timestamp(value: object, what: str) -> datetime:
    """A STIX/TAXII timestamp (UTC, `Z`, any fraction of a second: kept to the microsecond)."""
    found = _TIMESTAMP.fullmatch(value) if isinstance(value, str) else None
    if found is None:
        raise InputError(
            Message("{what}: not a timestamp like 2026-01-31T12:00:00.000Z: '{value}'", what=what, value=value)
        )
    year, month, day, hour, minute, second, fraction = found.groups()
    try:
        return datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second),
            int(((fraction or "") + "000000")[:6]), tzinfo=UTC,
        )  # fmt: skip
    except ValueError:
        raise InputError(
            Message("{what}: not a timestamp like 2026-01-31T12:00:00.000Z: '{value}'", what=what, value=value)
        ) from None


def timestamp(moment: datetime) -> str:
    """A stored time as TAXII writes it: milliseconds, or microseconds where it has them."""
    moment = utc(moment)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S.%f")
    return (text[:-3] if text.endswith("000") else text) + "Z"


def utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything here is stored in UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class Filters:
    """The TAXII 2.1 query parameters of objects, manifest and versions."""

    added_after: datetime | None = None
    ids: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    versions: tuple[str, ...] = ("last",)  # first, last, all or timestamps
    spec_versions: tuple[str, ...] = ()
    limit: int | None = None
    next: str | None = None

    @classmethod
    def parse(
        cls,
        *,
        added_after: str | None = None,
        ids: Sequence[str] = (),
        types: Sequence[str] = (),
        versions: Sequence[str] = (),
        spec_versions: Sequence[str] = (),
        limit: int | str | None = None,
        next: str | None = None,
    ) -> Filters:
        """Filters from query-string values (each match[...] may hold comma-separated values)."""

        def split(values: Sequence[str]) -> tuple[str, ...]:
            return tuple(part.strip() for value in values for part in value.split(",") if part.strip())

        chosen = split(versions) or ("last",)
        for value in chosen:
            if value not in VERSION_WORDS:
                parse_timestamp(value, "match[version]")
        number: int | None = None
        if limit is not None:
            try:
                number = int(limit)
            except ValueError:
                number = 0
            if number < 1:
                raise InputError(Message("limit must be a whole number of 1 or more"), field="limit")
        return cls(
            parse_timestamp(added_after, "added_after") if added_after else None,
            split(ids),
            split(types),
            chosen,
            split(spec_versions),
            number,
            next or None,
        )


NO_FILTERS = Filters()  # the default: every object's last version, the first page


@dataclass(frozen=True)
class Entry:
    """One object version as stored: its STIX JSON and what TAXII says of it."""

    stix_id: str
    type: str
    version: str
    date_added: str
    spec_version: str
    tlp: str | None
    body: str

    def stix(self) -> dict[str, Any]:
        parsed: dict[str, Any] = orjson.loads(self.body)
        return parsed

    def manifest(self) -> dict[str, Any]:
        return {"id": self.stix_id, "date_added": self.date_added, "version": self.version, "media_type": MEDIA_TYPE}


@dataclass(frozen=True)
class Page:
    """One page of results: `more` and `next` for the envelope, the first and last date_added for the headers."""

    collection: str
    entries: list[Entry]
    more: bool
    next: str | None
    date_added_first: str | None
    date_added_last: str | None

    def envelope(self) -> dict[str, Any]:
        """The TAXII envelope of the objects."""
        found: dict[str, Any] = {"more": self.more}
        if self.next is not None:
            found["next"] = self.next
        if self.entries:
            found["objects"] = [entry.stix() for entry in self.entries]
        return found


def _cursor(token: str) -> tuple[datetime, int]:
    try:
        moment, row = orjson.loads(base64.urlsafe_b64decode(token.encode("ascii") + b"=" * (-len(token) % 4)))
        return parse_timestamp(moment, "next"), int(row)
    except (ValueError, TypeError, binascii.Error, InputError, UnicodeEncodeError, orjson.JSONDecodeError):
        raise InputError(Message("next: not a value this server gave"), field="next") from None


def _token(moment: datetime, row: int) -> str:
    raw = orjson.dumps([timestamp(moment) if utc(moment).microsecond % 1000 == 0 else _micro(moment), row])
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _micro(moment: datetime) -> str:
    return utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def ranked(clearance: Clearance, backend: str, collection_id: str, columns: list[Any]) -> Select[Any]:
    """The readable rows of the collection with `columns` and each row's rank among the readable versions of its
    object, newest and oldest first (for match[version]=last/first: the reader's last is the last they may read)."""
    table = StixObject.__table__
    newest = func.row_number().over(partition_by=table.c.stix_id, order_by=(table.c.version.desc(), table.c.id.desc()))
    oldest = func.row_number().over(partition_by=table.c.stix_id, order_by=(table.c.version.asc(), table.c.id.asc()))
    return select_readable(
        clearance,
        backend,
        table,
        columns=[*columns, newest.label("newest"), oldest.label("oldest")],
    ).where(table.c.collection_id == collection_id)


def versions_where(statement: Select[Any], ranked: Subquery, versions: Sequence[str]) -> Select[Any]:
    """`statement` kept to the versions match[version] names (first, last, all, timestamps)."""
    if "all" in versions:
        return statement
    wanted: list[ColumnElement[bool]] = []
    if "last" in versions:
        wanted.append(ranked.c.newest == 1)
    if "first" in versions:
        wanted.append(ranked.c.oldest == 1)
    moments = [parse_timestamp(v, "match[version]") for v in versions if v not in VERSION_WORDS]
    if moments:
        wanted.append(ranked.c.version.in_(moments))
    return statement.where(or_(*wanted))


def page_of(session: Session, clearance: Clearance, backend: str, collection_id: str, filters: Filters) -> Page:
    """One page of the collection's objects that `clearance` may read, as `filters` choose. The page is read in
    (date_added, id) order along its index and stops at the limit: whether a row is its object's first or last
    readable version is a lookup of a newer or older one (NOT EXISTS), not a ranking of the whole collection."""
    table = StixObject.__table__
    inner = _filtered(select_readable(clearance, backend, table), collection_id, filters)
    rows_ranked = inner.subquery()
    statement = select(rows_ranked)
    if "all" not in filters.versions:
        wanted: list[ColumnElement[bool]] = []
        if "last" in filters.versions:
            wanted.append(~_other_version(clearance, backend, collection_id, filters, rows_ranked, newer=True))
        if "first" in filters.versions:
            wanted.append(~_other_version(clearance, backend, collection_id, filters, rows_ranked, newer=False))
        moments = [parse_timestamp(v, "match[version]") for v in filters.versions if v not in VERSION_WORDS]
        if moments:
            wanted.append(rows_ranked.c.version.in_(moments))
        statement = statement.where(or_(*wanted))
    if filters.added_after is not None:
        statement = statement.where(rows_ranked.c.date_added > filters.added_after)
    if filters.next is not None:
        moment, row = _cursor(filters.next)
        statement = statement.where(
            or_(rows_ranked.c.date_added > moment, and_(rows_ranked.c.date_added == moment, rows_ranked.c.id > row))
        )
    limit = min(filters.limit or DEFAULT_LIMIT, MAX_LIMIT)
    statement = statement.order_by(rows_ranked.c.date_added, rows_ranked.c.id).limit(limit + 1)
    rows = list(session.execute(statement).mappings())
    more = len(rows) > limit
    rows = rows[:limit]
    entries = [
        Entry(
            stix_id=row["stix_id"],
            type=row["type"],
            version=timestamp(row["version"]),
            date_added=timestamp(row["date_added"]),
            spec_version=row["spec_version"],
            tlp=row["tlp"],
            body=row["body"],
        )
        for row in rows
    ]
    return Page(
        collection=collection_id,
        entries=entries,
        more=more,
        next=_token(rows[-1]["date_added"], rows[-1]["id"]) if more else None,
        date_added_first=entries[0].date_added if entries else None,
        date_added_last=entries[-1].date_added if entries else None,
    )


def _filtered(statement: Select[Any], collection_id: str, filters: Filters) -> Select[Any]:
    """`statement` (of cti_objects) kept to the collection and to the ids, types and spec versions asked for."""
    table = StixObject.__table__
    statement = statement.where(table.c.collection_id == collection_id)
    if filters.ids:
        statement = statement.where(table.c.stix_id.in_(filters.ids))
    if filters.types:
        statement = statement.where(table.c.type.in_(filters.types))
    if filters.spec_versions:
        statement = statement.where(table.c.spec_version.in_(filters.spec_versions))
    return statement


def _other_version(
    clearance: Clearance, backend: str, collection_id: str, filters: Filters, row: Subquery, *, newer: bool
) -> ColumnElement[bool]:
    """Whether the reader may read a newer (else an older) version of `row`'s object, among those the filters keep:
    the same order as `ranked` (version, then row id)."""
    table = StixObject.__table__
    if newer:
        beyond = or_(table.c.version > row.c.version, and_(table.c.version == row.c.version, table.c.id > row.c.id))
    else:
        beyond = or_(table.c.version < row.c.version, and_(table.c.version == row.c.version, table.c.id < row.c.id))
    found = _filtered(select_readable(clearance, backend, table, columns=[literal(1)]), collection_id, filters)
    return exists(found.where(table.c.stix_id == row.c.stix_id, beyond).correlate_except(table))
