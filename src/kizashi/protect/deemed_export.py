"""The deemed-export questionnaire (みなし輸出): per person per project, does one of the 2022 specific categories
(特定類型) apply?

Since May 2022, providing controlled technology in Japan to a *resident* counts as an export when the resident is
(a) under an employment or other contract with a foreign government or entity that controls their conduct,
(b) receiving significant income from a foreign government (25 % or more of their annual income), or
(c) acting in Japan on a foreign government's instructions; a *non-resident* always counted. A person in any of these
needs a licence check before they receive listed technology.

Answers are append-only and audited, labelled with the project's label, and read through the access policy: a person
on a project one may not read is never shown. The latest answer of a person on a project counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from kizashi.errors import AccessDenied, InputError
from kizashi.messages import Message
from kizashi.model import DeemedExportAnswer
from kizashi.policy import Actor, Clearance, Label, allowed
from kizashi.protect.release.service import resolve
from kizashi.store.decisions import append_decision
from kizashi.store.readable import select_readable
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

CATEGORIES: dict[str, str] = {
    "non_resident": "non-resident (非居住者)",
    "foreign_contract": "resident under a contract with a foreign government or entity controlling their conduct (類型1)",
    "foreign_income": "resident receiving 25 % or more of annual income from a foreign government (類型2)",
    "foreign_instructions": "resident acting on a foreign government's instructions in Japan (類型3)",
}
MAX_NOTE = 10_000


def _person(value: str, field: str) -> str:
    value = value.strip()
    if not value or len(value) > 200 or "\x00" in value:
        raise InputError(Message("a person is named by 1 to 200 characters of text"), field=field)
    return value


@service("deemed_export.answer")
def answer(
    workspace: Workspace,
    actor: Actor,
    project_id: str,
    person: str,
    categories: Sequence[str],
    *,
    kind: str | None = None,
    answered_by: str | None = None,
    answered_on: date | None = None,
    evidence: str = "",
) -> int:
    """Record `person`'s answer on the project: the categories that apply (none: an empty list)."""
    person = _person(person, "person")
    answered_by = _person(answered_by or actor.user, "answered_by")
    unknown = sorted(set(categories) - set(CATEGORIES))
    if unknown:
        raise InputError(
            Message(
                "unknown categories {unknown}; use {categories}",
                unknown=", ".join(unknown),
                categories=", ".join(CATEGORIES),
            ),
            field="categories",
        )
    if len(evidence) > MAX_NOTE or "\x00" in evidence:
        raise InputError(
            Message("an evidence note is at most {most:,} characters of text", most=MAX_NOTE), field="note"
        )
    answered_on = answered_on or datetime.now(UTC).date()
    if answered_on > datetime.now(UTC).date():
        raise InputError(
            Message("the answer's date {date} is in the future", date=answered_on.isoformat()), field="date"
        )
    kind, project = resolve(workspace, actor.clearance, project_id, kind)
    if actor.user != person and not allowed(actor, "deemed_export.answer_for_others"):
        raise AccessDenied(
            Message("only {person}, or one who may record another person's answer, may record theirs", person=person)
        )
    label = Label.of(project)
    chosen = [name for name in CATEGORIES if name in set(categories)]
    row = DeemedExportAnswer(
        project_kind=kind,
        project_id=project["id"],
        person=person,
        categories=chosen,
        answered_by=answered_by,
        answered_on=answered_on,
        evidence=evidence.strip(),
        recorded_by=actor.user,
        at=datetime.now(UTC),
    )
    return append_decision(
        workspace,
        actor,
        row,
        label=label,
        action="deemed_export",
        records=[project["id"]],
        id_key="answer",
        detail={
            "person": person,
            "categories": chosen,
            "answered_by": answered_by,
            "answered_on": answered_on.isoformat(),
            "evidence": evidence.strip()[:500],
        },
    )


def _named_people(project: dict[str, Any]) -> list[str]:
    """The people a work names as its authors (a seed names none)."""
    names: list[str] = []
    for author in project.get("authors") or []:
        name = author.get("name") if isinstance(author, dict) else author
        if isinstance(name, str) and name.strip():
            names.append(name.strip())
    return names


@service("deemed_export.status")
def status(
    workspace: Workspace,
    actor: Actor,
    project_id: str,
    *,
    kind: str | None = None,
    people: Iterable[str] = (),
    delivery: Delivery = SHOWN,
) -> dict[str, Any]:
    """Who on the project has answered, who has not, and who falls in a category (needs a licence check); `may_answer_for_others`
    says whether `actor` may record anyone's answer. Audited.

    The people are those named in `people`, the work's authors and everyone who has answered."""
    kind, project = resolve(workspace, actor.clearance, project_id, kind)
    found = roster(workspace, actor.clearance, kind, project, people)
    delivered(
        workspace,
        actor,
        delivery,
        records=[project["id"]],
        detail={"service": "deemed export", "kind": kind, "people": len(found["people"])},
    )
    return {**found, "may_answer_for_others": allowed(actor, "deemed_export.answer_for_others")}


def roster(
    workspace: Workspace, clearance: Clearance, kind: str, project: dict[str, Any], people: Iterable[str] = ()
) -> dict[str, Any]:
    """`status` of a project already read as `clearance` (for a service, which audits)."""
    table = DeemedExportAnswer.__table__
    statement = (
        select_readable(clearance, workspace.backend, table)
        .where(table.c.project_kind == kind, table.c.project_id == project["id"])
        .order_by(table.c.id)
    )
    latest: dict[str, dict[str, Any]] = {}
    labels = [Label.of(project)]
    with workspace.session() as session:
        for row in session.execute(statement).mappings():
            latest[row["person"]] = dict(row)
            labels.append(Label.of(dict(row)))  # an answer keeps its project's label of the day, maybe above today's
    roster = sorted({*(_person(p, "person") for p in people), *_named_people(project), *latest})
    rows = []
    for person in roster:
        found = latest.get(person)
        categories = list(found["categories"]) if found else []
        rows.append(
            {
                "person": person,
                "answered": found is not None,
                "categories": categories,
                "licence_check": bool(categories),
                "answered_by": found["answered_by"] if found else None,
                "answered_on": found["answered_on"] if found else None,
                "evidence": found["evidence"] if found else "",
                "recorded_by": found["recorded_by"] if found else None,
            }
        )
    return {
        "project": project["id"],
        "kind": kind,
        "label": Label.highest(labels),
        "people": rows,
        "answered": [r["person"] for r in rows if r["answered"]],
        "unanswered": [r["person"] for r in rows if not r["answered"]],
        "licence_check": [r["person"] for r in rows if r["licence_check"]],
    }
