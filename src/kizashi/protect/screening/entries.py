"""What a screening list is made of, as plain typed values a store can hold later: entries and the list version."""

from __future__ import annotations

from dataclasses import dataclass, field

from kizashi.messages import Message

__all__ = ["ENTRY_TYPES", "ListEntry", "ListVersion", "ScreeningList", "entry_type", "unknown_type"]

# person, organisation, vessel, aircraft; None when the list does not say.
ENTRY_TYPES = ("person", "organisation", "vessel", "aircraft")
_TYPE_WORDS = {
    "person": "person", "individual": "person", "organisation": "organisation", "organization": "organisation",
    "entity": "organisation", "company": "organisation", "vessel": "vessel", "aircraft": "aircraft",
    "airplane": "aircraft", "個人": "person", "法人": "organisation", "団体": "organisation", "": None,
}  # fmt: skip


def entry_type(value: str) -> str | None:
    """The entity type a list or a partner file writes, as one of ENTRY_TYPES (None when blank); ValueError for
    anything else, whose argument is `unknown_type(value)`."""
    key = value.strip().casefold()
    if key not in _TYPE_WORDS:
        raise ValueError(unknown_type(value))
    return _TYPE_WORDS[key]


def unknown_type(value: str) -> Message:
    """What a reader is told of a type `entry_type` refused, for the InputError that names its file and row."""
    return Message("unknown type '{value}'; use person, organisation, vessel or aircraft", value=value)


@dataclass(frozen=True, slots=True)
class ListVersion:
    """Which list, in which state: every screening result names the version it was screened against."""

    source: str  # the format read: un-xml, ofac-csv, ftm-jsonl, generic-csv, meti-json
    list: str  # the list's name as results show it
    date: str  # ISO date the list states (UN dateGenerated) or its loader gave (`screen load --date`), else ""
    sha256: str  # of the file, or of the files in name order for a folder (OFAC trio)
    path: str

    def as_dict(self) -> dict[str, str]:
        return {"source": self.source, "list": self.list, "date": self.date, "sha256": self.sha256}


@dataclass(frozen=True, slots=True)
class ListEntry:
    list: str
    entry_id: str
    name: str
    aliases: tuple[str, ...] = ()
    type: str | None = None
    countries: tuple[str, ...] = ()
    program: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(slots=True)
class ScreeningList:
    version: ListVersion
    entries: list[ListEntry] = field(default_factory=list)
