"""The access policy: who may read which record. One rule, in two forms that must agree exactly:

- `can_read(clearance, label)`: the definition, a pure function;
- `readable(source, clearance, dialect_name)`: the same rule as a SQL WHERE clause, so that listings, counts and
  exports never fetch a row the user may not see (the service layer adds it to every read).

The rule: a user may read a record when their level is at least the record's level (PUBLIC < INTERNAL <
CONFIDENTIAL < SECRET) and they hold every compartment (need-to-know group) of the record. No read up.
A product derived from records (a result list, a count, a chart, a report, an export) carries
`Label.highest(...)` of its inputs: the highest level and all of their compartments together, so reading the
product requires being able to read every input.

Stored rows that are not a valid label (an unknown level; compartments that are not a JSON array of strings) are
never readable through `readable`, except by `Clearance.everything` (trusted internal jobs); `Label.of` rejects them.
Everything the SQL compares is a bound parameter: compartment names need no quoting or escaping.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    String,
    and_,
    exists,
    func,
    inspect,
    literal_column,
    or_,
    select,
    true,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm.util import AliasedClass

from kizashi.model.base import LEVELS, LabelledRecord

_RANK = {level: rank for rank, level in enumerate(LEVELS)}
PUBLIC = LEVELS[0]
SECRET = LEVELS[-1]


def _level(value: object, what: str) -> str:
    if not isinstance(value, str) or value not in _RANK:
        raise ValueError(f"{what}: unknown level {value!r}; use one of {', '.join(LEVELS)}")
    return value


def _names(value: object, what: str) -> frozenset[str]:
    """A set of names from any iterable of strings; a lone string is refused (it is not a set of its letters)."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValueError(f"{what}: expected a list of names, not {value!r}")
    names = frozenset(value)
    if not all(isinstance(name, str) for name in names):
        raise ValueError(f"{what}: every name must be a string, not {sorted(map(repr, names))}")
    return names


@dataclass(frozen=True, slots=True)
class Label:
    """The access label of a record or of a derived product."""

    level: str = PUBLIC
    compartments: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        _level(self.level, "label")
        object.__setattr__(self, "compartments", _names(self.compartments, "label compartments"))

    @classmethod
    def of(cls, record: Mapping[str, Any]) -> Label:
        """The label of a stored record (a row mapping with `level` and `compartments`; both are required, so a
        listing that left out `compartments` fails loudly instead of under-labelling)."""
        return cls(record["level"], record["compartments"])

    @classmethod
    def highest(cls, labels: Iterable[Label]) -> Label:
        """The label of a product derived from records with these labels: the highest level and the union of the
        compartments (mixing compartments needs all of them). PUBLIC without compartments for no inputs."""
        rank = 0
        compartments: set[str] = set()
        for label in labels:
            rank = max(rank, _RANK[label.level])
            compartments.update(label.compartments)
        return cls(LEVELS[rank], frozenset(compartments))


@dataclass(frozen=True, slots=True)
class Clearance:
    """What a user may read (level, compartments), where they belong and what they may do (roles).

    `every_compartment` is set only by `Clearance.everything`: it is not a constructor argument, `dataclasses.replace`
    resets it, and no compartment name means "all", so it cannot come from user input or stored data.
    """

    user: str
    level: str = PUBLIC
    compartments: frozenset[str] = frozenset()
    organisation: str | None = None
    roles: frozenset[str] = frozenset()
    every_compartment: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        _level(self.level, f"clearance of {self.user!r}")
        object.__setattr__(self, "compartments", _names(self.compartments, "clearance compartments"))
        object.__setattr__(self, "roles", _names(self.roles, "clearance roles"))

    @classmethod
    def everything(cls, user: str) -> Clearance:
        """For trusted internal jobs (migrations, re-indexing, backups): reads every record, malformed ones too."""
        clearance = cls(user, SECRET)
        object.__setattr__(clearance, "every_compartment", True)
        return clearance

    @classmethod
    def public(cls, user: str) -> Clearance:
        """Reads PUBLIC records without compartments only."""
        return cls(user, PUBLIC)


def can_read(clearance: Clearance, label: Label) -> bool:
    """The rule: level at least the label's, and every compartment of the label held. No read up."""
    if _RANK[label.level] > _RANK[clearance.level]:
        return False
    return clearance.every_compartment or label.compartments <= clearance.compartments


ColumnSource = FromClause | type[LabelledRecord] | AliasedClass[Any]


def readable(source: ColumnSource, clearance: Clearance, dialect_name: str) -> ColumnElement[bool]:
    """`can_read` as a WHERE clause over `source` (a table, an alias of one, a labelled model or an aliased model)
    for the dialect `dialect_name` ("sqlite" or "postgresql", e.g. `workspace.backend`)."""
    if dialect_name not in ("sqlite", "postgresql"):
        raise ValueError(f"no access filter for database '{dialect_name}'; use sqlite or postgresql")
    selectable = source if isinstance(source, FromClause) else inspect(source).selectable
    level, compartments = selectable.c["level"], selectable.c["compartments"]
    if clearance.every_compartment:
        return true()
    level_ok = level.in_(LEVELS[: _RANK[clearance.level] + 1])
    held = sorted(clearance.compartments)
    if dialect_name == "sqlite":
        # Most records have no compartments: a plain text comparison spares them the JSON parse. The others are
        # readable when no element of the array is outside the held set (or is not a string at all).
        each = func.json_each(compartments).table_valued("type", "value")
        elements: Select[tuple[Any]] = select(literal_column("1")).select_from(each)
        if held:
            elements = elements.where(or_(each.c.type != "text", each.c.value.not_in(held)))
        compartments_ok = or_(type_coerce(compartments, String()) == "[]", ~exists(elements))
    else:
        compartments_ok = type_coerce(compartments, JSONB).contained_by(held)
    return and_(level_ok, compartments_ok)
