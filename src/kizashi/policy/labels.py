"""Labels and clearances: who may read which record. The rule is defined here once, as `can_read`; its SQL twin is
`kizashi.policy.sql.readable`, and the two must agree exactly (tests/policy/test_policy.py checks them against each
other on random labels and clearances).

The rule: a user may read a record when their level is at least the record's level (PUBLIC < INTERNAL <
CONFIDENTIAL < SECRET) and they hold every compartment (need-to-know group) of the record. No read up.
A product derived from records (a result list, a count, a chart, a report, an export) carries
`Label.highest(...)` of its inputs: the highest level and all of their compartments together, so reading the
product requires being able to read every input.

Threat intelligence (and anything shared under it) may also carry a TLP 2.0 marking, a limit on who it may be passed
to, checked on top of level and compartments: CLEAR and GREEN (this workspace's users are the community) add nothing;
AMBER needs the reader's organisation to be the one that shared it (`tlp_owner`) or one it was shared with
(`tlp_recipients`); AMBER+STRICT needs the owner's organisation itself; RED needs the reader by name among the
recipients. A label keeps these as constraints (organisations allowed, people allowed), so a derived product
intersects them and stays readable exactly by those who may read all of its inputs.

Stored rows that are not a valid label (an unknown level; compartments that are not a JSON array of strings) are
never readable through `readable`, except by `Clearance.everything` (trusted internal jobs); `Label.of` rejects them.
Everything the SQL compares is a bound parameter: compartment names need no quoting or escaping.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# The levels, lowest first, and the one a record gets when its source names none.
LEVELS = ("PUBLIC", "INTERNAL", "CONFIDENTIAL", "SECRET")
DEFAULT_LEVEL = "INTERNAL"

RANK = {level: rank for rank, level in enumerate(LEVELS)}
PUBLIC = LEVELS[0]
SECRET = LEVELS[-1]
TLP = ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED")
_TLP_RANK = {marking: rank for rank, marking in enumerate(TLP)}


def tlp_constraints(
    tlp: str | None, owner: str | None, recipients: Iterable[str]
) -> tuple[frozenset[str] | None, frozenset[str] | None]:
    """A record's TLP marking as (organisations allowed, people allowed); None: no constraint of that kind."""
    if tlp is None or tlp in ("CLEAR", "GREEN"):
        return None, None
    if tlp == "AMBER":
        return frozenset({owner} if owner else set()) | frozenset(recipients), None
    if tlp == "AMBER+STRICT":
        return frozenset({owner} if owner else set()), None
    if tlp == "RED":
        return None, frozenset(recipients)
    raise ValueError(f"unknown TLP marking {tlp!r}; use one of {', '.join(TLP)}")


def label_columns(label: Label) -> dict[str, Any]:
    """The label columns of a stored product of several records (a decision, a stored proposal): level,
    compartments, and the inverse of `tlp_constraints` with the owner left empty — organisations allowed → AMBER with
    them as recipients; people allowed → RED with them. Both at once fit no single marking: RED to nobody, so only
    trusted jobs read it (fail closed)."""
    tlp: str | None
    if label.organisations is not None and label.people is not None:
        tlp, recipients = "RED", []
    elif label.people is not None:
        tlp, recipients = "RED", sorted(label.people)
    elif label.organisations is not None:
        tlp, recipients = "AMBER", sorted(label.organisations)
    else:
        tlp, recipients = label.tlp, []
    return {
        "level": label.level,
        "compartments": sorted(label.compartments),
        "tlp": tlp,
        "tlp_owner": None,
        "tlp_recipients": recipients,
    }


def _level(value: object, what: str) -> str:
    if not isinstance(value, str) or value not in RANK:
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
    tlp: str | None = None  # the marking shown (the strictest of the inputs for a product)
    organisations: frozenset[str] | None = None  # TLP AMBER: the reader's organisation must be one of these
    people: frozenset[str] | None = None  # TLP RED: the reader must be one of these

    def __post_init__(self) -> None:
        _level(self.level, "label")
        object.__setattr__(self, "compartments", _names(self.compartments, "label compartments"))
        if self.tlp is not None and self.tlp not in _TLP_RANK:
            raise ValueError(f"label: unknown TLP marking {self.tlp!r}; use one of {', '.join(TLP)}")
        if self.organisations is not None:
            object.__setattr__(self, "organisations", _names(self.organisations, "TLP organisations"))
        if self.people is not None:
            object.__setattr__(self, "people", _names(self.people, "TLP recipients"))

    @classmethod
    def of(cls, record: Mapping[str, Any]) -> Label:
        """The label of a stored record (a row mapping with `level` and `compartments`; both are required, so a
        listing that left out `compartments` fails loudly instead of under-labelling; the TLP columns too once
        `tlp` is there)."""
        tlp = record.get("tlp")
        if tlp is None:
            return cls(record["level"], record["compartments"])
        recipients = _names(record["tlp_recipients"], "TLP recipients")
        organisations, people = tlp_constraints(tlp, record["tlp_owner"], recipients)
        return cls(record["level"], record["compartments"], tlp, organisations, people)

    def shown(self) -> str:
        """The label as a refusal names it, in codes either language reads: `SECRET [nuclear] TLP:AMBER`."""
        compartments = f" [{', '.join(sorted(self.compartments))}]" if self.compartments else ""
        return f"{self.level}{compartments}" + (f" TLP:{self.tlp}" if self.tlp else "")

    def as_dict(self) -> dict[str, Any]:
        """Every part of the label as JSON-ready values; `from_dict` gives the same label back."""
        return {
            "level": self.level,
            "compartments": sorted(self.compartments),
            "tlp": self.tlp,
            "organisations": None if self.organisations is None else sorted(self.organisations),
            "people": None if self.people is None else sorted(self.people),
        }

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> Label:
        """The label `as_dict` wrote (constraints it leaves out are none)."""
        organisations, people = value.get("organisations"), value.get("people")
        return cls(
            value["level"],
            frozenset(value.get("compartments") or ()),
            value.get("tlp"),
            None if organisations is None else frozenset(organisations),
            None if people is None else frozenset(people),
        )

    @classmethod
    def highest(cls, labels: Iterable[Label]) -> Label:
        """The label of a product derived from records with these labels: the highest level, the union of the
        compartments (mixing compartments needs all of them), the strictest TLP marking and the intersection of
        its constraints. PUBLIC without compartments for no inputs."""
        rank = 0
        compartments: set[str] = set()
        tlp: str | None = None
        organisations: frozenset[str] | None = None
        people: frozenset[str] | None = None
        for label in labels:
            rank = max(rank, RANK[label.level])
            compartments.update(label.compartments)
            if label.tlp is not None and (tlp is None or _TLP_RANK[label.tlp] > _TLP_RANK[tlp]):
                tlp = label.tlp
            if label.organisations is not None:
                organisations = label.organisations if organisations is None else organisations & label.organisations
            if label.people is not None:
                people = label.people if people is None else people & label.people
        return cls(LEVELS[rank], frozenset(compartments), tlp, organisations, people)


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
    """The rule: level at least the label's, every compartment of the label held, and the TLP marking's
    organisation or person constraint met. No read up."""
    if RANK[label.level] > RANK[clearance.level]:
        return False
    if clearance.every_compartment:
        return True
    if not label.compartments <= clearance.compartments:
        return False
    if label.organisations is not None and clearance.organisation not in label.organisations:
        return False
    return label.people is None or clearance.user in label.people
