"""Observations from our own networks and hosts (a proxy, DNS or EDR export), for correlation with indicators.

Two layouts, CSV (or TSV) or JSON lines, streamed under the input limits (kizashi.files):

* wide: a time column and one column per kind of value, e.g. `time,src_ip,query` or `{"ts": ..., "url": ...}`;
  every non-empty value of a row is one observable of that row (the column names and their aliases are in
  `KINDS` and docs/cti-correlation.md);
* long: the columns `type,value,time`, one observable per row (`type` is a kind name or a STIX type).

Times are ISO 8601 (a time without an offset is UTC) or a Unix epoch in seconds (milliseconds from 10^11 up). Each
value becomes a typed observable as STIX names it (object type, property path, value): IPs canonical
(ipaddress), domains and hashes lower-case (DNS names and hexadecimal digits are case-free), URLs and e-mail
addresses as written. A malformed value or time is an InputError naming the file, the row and the column.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from kizashi.errors import InputError
from kizashi.files.limits import Limits, over
from kizashi.files.tabular import iter_rows
from kizashi.messages import Message


class Observable(NamedTuple):
    """One typed value: STIX cyber-observable type, property path (('value',) or ('hashes', 'SHA-256')), value."""

    type: str
    path: tuple[str, ...]
    value: str

    @property
    def path_text(self) -> str:
        """The path as a STIX pattern writes it: value, hashes.'SHA-256'."""
        return ".".join(step if step.isidentifier() else f"'{step}'" for step in self.path)


@dataclass(frozen=True, slots=True)
class Observation:
    """One row: where it came from, when it was seen, and what was seen."""

    file: Path
    row: int
    time: datetime
    observables: tuple[Observable, ...]


# Kind → the column names (lower case) that hold it. `ip` takes IPv4 and IPv6; `hash` takes MD5, SHA-1 or SHA-256
# by its length.
KINDS: dict[str, tuple[str, ...]] = {
    "ip": (
        "ip",
        "ip_address",
        "src_ip",
        "dst_ip",
        "source_ip",
        "destination_ip",
        "client_ip",
        "server_ip",
        "ipv4",
        "ipv6",
    ),
    "domain": ("domain", "host", "hostname", "fqdn", "query", "qname", "dns_query"),
    "url": ("url", "uri", "request_url"),
    "email": ("email", "email_address", "mail", "sender", "recipient"),
    "md5": ("md5",),
    "sha1": ("sha1", "sha-1"),
    "sha256": ("sha256", "sha-256"),
    "hash": ("hash", "file_hash"),
}
TIME_COLUMNS = ("time", "timestamp", "ts", "datetime", "date", "@timestamp", "event_time", "seen")
# The long layout's `type` also takes the STIX names.
_TYPE_NAMES = {
    **{kind: kind for kind in KINDS},
    "ipv4-addr": "ip",
    "ipv6-addr": "ip",
    "domain-name": "domain",
    "email-addr": "email",
    "sha-1": "sha1",
    "sha-256": "sha256",
    "file": "hash",
}
_COLUMN_KIND = {column: kind for kind, columns in KINDS.items() for column in columns}
_HASHES = {"md5": (32, "MD5"), "sha1": (40, "SHA-1"), "sha256": (64, "SHA-256")}
_HASH_BY_LENGTH = {length: name for name, (length, _) in _HASHES.items()}
_HEX = re.compile(r"[0-9a-f]+")
# A domain as a DNS export writes it: labels of letters (any script), digits, hyphens and underscores.
_DOMAIN = re.compile(r"(?:[^\W_]|[-_])+(?:\.(?:[^\W_]|[-_])+)*")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+")
_EPOCH_MILLISECONDS = 10**11
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_CANONICAL_IPV4 = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")
_VALUE = ("value",)
_EPOCH = re.compile(r"\d+(?:\.\d+)?")


def read_observations(
    path: Path, *, since: datetime | None = None, share: tuple[int, int] = (0, 1)
) -> Iterator[Observation]:
    """The observations of `path` in file order (rows before `since` left out); rows whose value cells are all empty
    are skipped, like blank lines. `share` (k, n): only the rows whose number is k modulo n are made into
    observations (the others are still read, under the limits), for n processes to share one file."""
    limits = Limits.current()
    layout: _Layout | None = None
    part, parts = share
    for row in iter_rows(path):
        if layout is None:
            layout = _layout(list(row.values), path)
        if parts > 1 and row.number % parts != part:
            continue
        observation = _observation(row.values, row.number, path, layout, limits)
        if observation is None or (since is not None and observation.time < since):
            continue
        yield observation


@dataclass(frozen=True, slots=True)
class _Layout:
    time: str
    values: tuple[tuple[str, str], ...]  # (column, kind) of the wide layout; (value column, "") of the long one
    kind: str | None  # the long layout's type column (type,value,time)


def _layout(columns: list[str], path: Path) -> _Layout:
    lower = {column.strip().lower(): column for column in columns}
    time = next((lower[name] for name in TIME_COLUMNS if name in lower), None)
    if time is None:
        raise InputError(
            Message("no time column (one of {columns})", columns=", ".join(TIME_COLUMNS)), file=path, row=1
        )
    if "type" in lower and "value" in lower:
        return _Layout(time, ((lower["value"], ""),), kind=lower["type"])
    values = tuple((column, _COLUMN_KIND[name]) for name, column in lower.items() if name in _COLUMN_KIND)
    if not values:
        raise InputError(
            Message(
                "no column of observed values (for example {columns}, or the columns type,value,time)",
                columns="ip, domain, url, email, md5, sha1, sha256, hash",
            ),
            file=path,
            row=1,
        )
    return _Layout(time, values, kind=None)


def _observation(
    values: dict[str, Any], number: int, path: Path, layout: _Layout, limits: Limits
) -> Observation | None:
    if layout.kind is not None:
        kind_cell = _text(values.get(layout.kind), path, number, layout.kind, limits)
        value_column = layout.values[0][0]
        value = _text(values.get(value_column), path, number, value_column, limits)
        if not value and not kind_cell:
            return None
        kind = _TYPE_NAMES.get(kind_cell.lower())
        if kind is None:
            raise InputError(
                Message(
                    "unknown observable type '{type}' (use one of {types})",
                    type=kind_cell,
                    types=", ".join(sorted(_TYPE_NAMES)),
                ),
                file=path,
                row=number,
                field=layout.kind,
            )
        cells = [(value_column, kind, value)] if value else []
    else:
        cells = []
        for column, kind in layout.values:
            cell = values.get(column)
            # The common cell, plain text of a sane length, takes no further checks (a million rows add up).
            if type(cell) is str and len(cell) <= limits.field_chars:
                value = cell.strip()
            else:
                value = _text(cell, path, number, column, limits)
            if value:
                cells.append((column, kind, value))
    if not cells:
        return None
    time = parse_time(values.get(layout.time), path, number, layout.time)
    observables: list[Observable] = []
    for column, kind, value in cells:
        observable = typed(kind, value, path, number, column)
        if observable not in observables:
            observables.append(observable)
    return Observation(path, number, time, tuple(observables))


def _text(value: Any, path: Path, number: int, column: str, limits: Limits) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list | bool):
        raise InputError(
            Message("expected text, found {found}", found=type(value).__name__), file=path, row=number, field=column
        )
    text = str(value).strip()
    if len(text) > limits.field_chars:
        raise over(limits, "field_chars", path, Message("a cell"), row=number, field=column)
    return text


def typed(kind: str, value: str, path: Path, number: int, column: str) -> Observable:
    """The observable a value of `kind` is, normalised; InputError naming the place when it is not one."""

    if (kind == "ip" or kind == "domain") and _CANONICAL_IPV4.fullmatch(value):
        return Observable("ipv4-addr", _VALUE, value)  # what ipaddress would give, without its cost
    if kind == "ip" or (kind == "domain" and _looks_like_ip(value)):
        try:
            address = ipaddress.ip_address(value.strip("[]"))
        except ValueError:
            raise _refused(value, Message("an IP address"), path, number, column) from None
        return Observable("ipv4-addr" if address.version == 4 else "ipv6-addr", _VALUE, str(address))
    if kind == "domain":
        name = value.lower().rstrip(".")
        if not _DOMAIN.fullmatch(name):
            raise _refused(value, Message("a domain name"), path, number, column)
        return Observable("domain-name", _VALUE, name)
    if kind == "url":
        if not _URL.fullmatch(value):
            raise _refused(value, Message("a URL (scheme://...)"), path, number, column)
        return Observable("url", _VALUE, value)
    if kind == "email":
        if not _EMAIL.fullmatch(value):
            raise _refused(value, Message("an e-mail address"), path, number, column)
        return Observable("email-addr", _VALUE, value)
    digest = value.lower()
    if kind == "hash":
        kind = _HASH_BY_LENGTH.get(len(digest), "")
    length, name = _HASHES.get(kind, (0, ""))
    if not name or len(digest) != length or not _HEX.fullmatch(digest):
        raise _refused(value, Message("an MD5, SHA-1 or SHA-256 hash in hexadecimal"), path, number, column)
    return Observable("file", ("hashes", name), digest)


def _refused(value: str, what: str, path: Path, number: int, column: str) -> InputError:
    return InputError(
        Message("'{value}' is not {what}", value=value[:200], what=what), file=path, row=number, field=column
    )


def _looks_like_ip(value: str) -> bool:
    # A proxy's host column holds an address when the client asked for one.
    return ":" in value or value.replace(".", "").isdigit()


def parse_time(value: Any, path: Path, number: int, column: str) -> datetime:
    """An ISO 8601 time (UTC when it has no offset) or a Unix epoch (seconds, or milliseconds from 10^11 up)."""
    if isinstance(value, bool) or value is None or (isinstance(value, str) and not value.strip()):
        raise InputError(Message("the time is missing"), file=path, row=number, field=column)
    text = str(value).strip()
    try:
        if isinstance(value, int | float) or _EPOCH.fullmatch(text):
            seconds = float(text)
            if seconds >= _EPOCH_MILLISECONDS:
                seconds /= 1000
            return datetime.fromtimestamp(seconds, UTC)
        moment = datetime.fromisoformat(text)
    except (ValueError, OverflowError, OSError):
        raise InputError(
            Message("'{text}' is not a time (ISO 8601 or Unix epoch seconds)", text=text[:100]),
            file=path,
            row=number,
            field=column,
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
