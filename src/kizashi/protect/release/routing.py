"""Who must approve a release: the routing table, and the sensitivity it reads.

The rules are data (`RULES`): each names the funding and sensitivity it applies to and the roles it requires. A
release needs the union of the roles of every rule that applies. A rule may give its roles *notice* instead of a
veto-or-approve duty: their approval is then also met once the notice period has passed without their objection
(the programme manager of a government contract with a publication clause is told, and may stop it in time). A role
that any applying rule requires outright gets no notice period.

Sensitivity is an input: the record's label level, and whether its technology is on a control list. The control-list
decision is the latest one recorded in protect/controls (`kizashi screen classify`); until one is made, a submitter
may still declare the technology listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kizashi.errors import InputError
from kizashi.messages import Message
from kizashi.policy import LEVELS, Clearance
from kizashi.store.workspace import Workspace

FUNDING = ("government", "private", "mixed")


@dataclass(frozen=True)
class Sensitivity:
    """How sensitive a record is: its label level and its control-list status (None: nobody has decided yet)."""

    level: str
    listed: bool | None = None


@dataclass(frozen=True)
class Rule:
    """When it applies (None: whatever the value) and which roles it requires."""

    name: str
    roles: tuple[str, ...]
    why: str
    funding: frozenset[str] | None = None
    publication_clause: bool | None = None
    min_level: str | None = None
    listed: bool | None = None
    notice_days: int | None = None

    def applies(self, funding: str, publication_clause: bool, sensitivity: Sensitivity) -> bool:
        return (
            (self.funding is None or funding in self.funding)
            and (self.publication_clause is None or publication_clause == self.publication_clause)
            and (self.min_level is None or LEVELS.index(sensitivity.level) >= LEVELS.index(self.min_level))
            and (self.listed is None or sensitivity.listed == self.listed)
        )


RULES: tuple[Rule, ...] = (
    Rule(
        "investigator",
        ("principal_investigator",),
        "every release is approved by a principal investigator other than its submitter",
    ),
    Rule(
        "publication-clause",
        ("programme_manager",),
        "public funding with a publication clause: the programme manager is given notice and may object",
        funding=frozenset({"government", "mixed"}),
        publication_clause=True,
        notice_days=30,
    ),
    Rule(
        "confidential",
        ("security_officer",),
        "the record is CONFIDENTIAL or above: the security officer must approve",
        min_level="CONFIDENTIAL",
    ),
    Rule(
        "listed",
        ("security_officer",),
        "its technology is on a control list: the security officer must approve (licence or exemption)",
        listed=True,
    ),
)


@dataclass(frozen=True)
class Route:
    """The roles that must approve, the notice periods of those only given notice, and the rules behind them."""

    roles: frozenset[str]
    notice_days: dict[str, int] = field(default_factory=dict)
    rules: tuple[str, ...] = ()

    def union(self, other: Route) -> Route:
        """Both routes' requirements: a role required outright by either keeps no notice period."""
        roles = self.roles | other.roles
        notice: dict[str, int] = {}
        for role in roles:
            periods = [r.notice_days.get(role) for r in (self, other) if role in r.roles]
            if all(days is not None for days in periods):
                notice[role] = max(days for days in periods if days is not None)
        rules = self.rules + tuple(name for name in other.rules if name not in self.rules)
        return Route(roles, notice, rules)

    def as_json(self) -> dict[str, Any]:
        return {"roles": sorted(self.roles), "notice_days": dict(sorted(self.notice_days.items())), "rules": self.rules}

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Route:
        return cls(frozenset(value["roles"]), dict(value.get("notice_days") or {}), tuple(value.get("rules") or ()))


def route(funding: str, publication_clause: bool, sensitivity: Sensitivity, rules: tuple[Rule, ...] = RULES) -> Route:
    """The roles that must approve a release with this funding and sensitivity."""
    if funding not in FUNDING:
        raise InputError(
            Message("funding '{funding}' must be one of {choices}", funding=funding, choices=", ".join(FUNDING)),
            field="funding",
        )
    if sensitivity.level not in LEVELS:
        raise InputError(Message("unknown level '{level}'", level=sensitivity.level), field="level")
    result = Route(frozenset())
    for rule in rules:
        if rule.applies(funding, publication_clause, sensitivity):
            notice = dict.fromkeys(rule.roles, rule.notice_days) if rule.notice_days is not None else {}
            result = result.union(Route(frozenset(rule.roles), notice, (rule.name,)))
    return result


def control_decision(
    workspace: Workspace, kind: str, record_id: str, clearance: Clearance | None = None
) -> bool | None:
    """Whether the latest control-list decision on the record says "listed" (None while none is made). Unfiltered
    (no `clearance`) only to enforce a route when reviewers decide; a route that is stored or shown reads the
    decisions `clearance` may read, since a decision keeps the record's label of its day."""
    from kizashi.protect.controls.decisions import is_listed

    return is_listed(workspace, kind, record_id, clearance)
