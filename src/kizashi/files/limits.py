"""Limits on what one input file may hold, checked while it streams, before the memory is spent.

Files come from outside (sanctions lists, partners' spreadsheets, OpenAlex dumps): a few kilobytes can unpack to
gigabytes (gzip, XLSX) or expand when parsed (YAML aliases, XML entities). Every reader opens its file through
`bounded` and checks rows, depth and archive parts here; a file over a limit is refused with exit 2 (HTTP 413) naming
the file, the limit and the setting that raises it (docs/settings.md, "Input limits").
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import IO, Any

from kizashi.errors import InputError
from kizashi.messages import Message
from kizashi.settings import get_settings

_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Limits:
    """One field per setting `KIZASHI_MAX_<FIELD>` (settings.py documents each)."""

    file_bytes: int
    document_bytes: int
    line_bytes: int
    field_chars: int
    rows: int
    depth: int
    items: int
    archive_entries: int
    archive_part_bytes: int
    upload_bytes: int
    object_bytes: int
    bundle_objects: int

    @classmethod
    def current(cls) -> Limits:
        settings = get_settings()
        return cls(**{f.name: getattr(settings, f"max_{f.name}") for f in fields(cls)})


class TooLarge(InputError):
    """An input over one of the limits: 413 on the web, exit 2 on the command line."""

    status = 413


def over(
    limits: Limits,
    limit: str,
    path: str | Path | None,
    what: str,
    *,
    row: int | None = None,
    field: str | None = None,
) -> TooLarge:
    """The refusal for `what` (a Message, to be said in the reader's language) exceeding the limit named `limit`
    (a Limits field), naming the setting."""
    value = getattr(limits, limit)
    amount = size(value) if limit.endswith("bytes") else f"{value:,}"
    message = Message(
        "{what} is over the limit of {amount} (the setting {setting} raises it)",
        what=what,
        amount=amount,
        setting=f"KIZASHI_MAX_{limit.upper()}",
    )
    return TooLarge(message, file=path, row=row, field=field)


def size(count: int) -> str:
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if count >= scale:
            return f"{count / scale:g} {unit}"
    return Message("{count} bytes", count=count)


class Bounded:
    """A binary input (gzip unpacked on the fly) that refuses to give more than the limits allow."""

    def __init__(self, handle: IO[bytes], path: Path, limits: Limits) -> None:
        self._handle = handle
        self.path = path
        self.limits = limits
        self.consumed = 0

    def _count(self, data: bytes) -> bytes:
        self.consumed += len(data)
        if self.consumed > self.limits.file_bytes:
            raise over(self.limits, "file_bytes", self.path, Message("the file, unpacked,"))
        return data

    def read(self, size: int = _CHUNK) -> bytes:
        try:
            return self._count(self._handle.read(size))
        except (OSError, EOFError) as exc:  # a truncated or damaged gzip stream
            raise InputError(Message("cannot read file: {problem}", problem=str(exc)), file=self.path) from None

    def chunks(self) -> Iterator[bytes]:
        while block := self.read(_CHUNK):
            yield block

    def document(self) -> bytes:
        """The whole file, for formats parsed whole (JSON documents, YAML, XML), up to the document limit."""
        parts: list[bytes] = []
        total = 0
        for block in self.chunks():
            total += len(block)
            if total > self.limits.document_bytes:
                raise over(self.limits, "document_bytes", self.path, Message("the file, parsed whole,"))
            parts.append(block)
        return b"".join(parts)

    def lines(self) -> Iterator[bytes]:
        """Lines with their endings; one longer than the line limit is refused before it is held whole."""
        limit = self.limits.line_bytes
        number = 0
        while True:
            number += 1
            try:
                line = self._handle.readline(limit + 1)
            except (OSError, EOFError) as exc:
                raise InputError(
                    Message("cannot read file: {problem}", problem=str(exc)), file=self.path, row=number
                ) from None
            if not line:
                return
            self._count(line)
            if len(line) > limit:
                raise over(self.limits, "line_bytes", self.path, Message("the line"), row=number)
            yield line


def open_binary(path: Path) -> IO[bytes]:
    """The bytes of `path`, .gz unpacked; unbounded, so only for a peek at its head (format detection)."""
    if not path.exists():
        raise InputError(Message("no such file"), file=path)
    if path.is_dir():
        raise InputError(Message("is a folder, expected a file"), file=path)
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


@contextmanager
def bounded(path: Path, limits: Limits | None = None) -> Iterator[Bounded]:
    """Open `path` (unpacking .gz) under `limits` (the settings' by default)."""
    with open_binary(path) as handle:
        yield Bounded(handle, path, limits or Limits.current())


def check_rows(count: int, path: str | Path, limits: Limits) -> None:
    if count > limits.rows:
        raise over(limits, "rows", path, Message("row {count:,}", count=count), row=count)


def check_structure(value: Any, path: str | Path, limits: Limits, *, row: int | None = None) -> None:
    """Refuse a parsed JSON or YAML value nested deeper than the depth limit (an object is 1, an object in a list 2)
    or holding a list or object of more items than the items limit; a hostile value costs no more than the limits
    allow to walk."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if level > limits.depth:
            raise over(limits, "depth", path, Message("the nesting depth"), row=row)
        if len(item) > limits.items:
            raise over(limits, "items", path, Message("a list of {count:,} items", count=len(item)), row=row)
        stack.extend((child, level + 1) for child in children if isinstance(child, dict | list))
