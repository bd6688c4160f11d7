"""The project risk card: one page per project (a seed or a work) joining what a research-security office must know
before it starts: technology sensitivity, partner screening, the release route, the deemed-export answers and who may
read the files, with an overall risk level (protect/risk_rules.py) and what is still missing.

Everything is read as `actor`, through the services that own it (controls/decisions, screening/store, release,
deemed_export), so each applies the access policy: the project itself first (hidden ≡ missing, the same NotFound as
for an id that does not exist), then each section's rows. A section whose rows the reader may not see looks exactly like
one without data (missing), so the card never tells that something hidden is there. The card carries the highest label
of what it shows.

Who may read the files: the project's label, and the workspace's users whose clearance today may read it. Names and
roles are shown only to those who may already see the user directory (admins and security officers, as for the audit
trail); anyone else gets how many users may read it, in all and by role, which tells them nothing about a person.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from kizashi.model import DeemedExportAnswer, User
from kizashi.policy import Actor, Clearance, Label, allowed, can_read
from kizashi.protect import deemed_export, release
from kizashi.protect.controls.decisions import control_status
from kizashi.protect.people.standing import standings
from kizashi.protect.risk_rules import FINDINGS, RiskRule, assess
from kizashi.protect.risk_steps import NextStep, Section, next_steps
from kizashi.protect.screening.list_names import list_title
from kizashi.protect.screening.store import DECISION_LABEL, STATUSES, party_status
from kizashi.retrieval import Statement
from kizashi.store.readable import select_readable
from kizashi.store.records import search
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

SECTIONS = ("technology", "partners", "release", "deemed_export", "access")
SUGGESTIONS = 3  # candidate control items shown while no decision is made


@dataclass(frozen=True)
class RiskCard:
    project_id: str
    kind: str
    title: str
    label: Label
    sections: dict[str, Section]
    level: str
    reasons: tuple[RiskRule, ...]
    missing: list[NextStep]
    generated_at: datetime
    generated_by: str

    @property
    def findings(self) -> list[str]:
        return [finding for section in self.sections.values() for finding in section.findings]

    def as_json(self) -> dict[str, Any]:
        return {
            "project": {"id": self.project_id, "kind": self.kind, "title": self.title},
            "level": self.level,
            "reasons": [{"rule": r.name, "level": r.level, "why": r.why, "why_ja": r.why_ja} for r in self.reasons],
            "findings": [{"finding": f, "means": FINDINGS[f]} for f in self.findings],
            "missing": [step.__dict__ for step in self.missing],
            "label": self.label.as_dict(),
            "sections": {
                name: {"state": s.state, "facts": s.facts, "columns": list(s.columns), "rows": s.rows}
                for name, s in self.sections.items()
            },
            "generated_at": self.generated_at.isoformat(),
            "generated_by": self.generated_by,
        }


@service("risk_card")
def risk_card(
    workspace: Workspace,
    actor: Actor,
    project_id: str,
    kind: str | None = None,
    *,
    suggest: bool = True,
    delivery: Delivery = SHOWN,
) -> RiskCard:
    """The card of the work or seed `project_id` as `actor` may see it; NotFound alike for a missing and a hidden
    project. Writes one audit event (a read, or an export when the card leaves as a file).
    `suggest`: while no control-list decision is made, propose the closest items of the bundled lists."""
    card = _build(workspace, actor, project_id, kind, suggest)
    delivered(
        workspace,
        actor,
        delivery,
        records=[card.project_id],
        # What left and under which label; not the findings: the trail's readers need not be cleared for the project.
        detail={"service": "risk card", "risk_card": card.kind, "label": card.label.as_dict()},
    )
    return card


INDEX_PAGE = 10  # cards per page of the index: each is computed in full (a screening of its partners), as the card is


@service("risk_cards")
def risk_cards(
    workspace: Workspace,
    actor: Actor,
    kind: str,
    *,
    query: str = "",
    limit: int = INDEX_PAGE,
    offset: int = 0,
    delivery: Delivery = SHOWN,
) -> tuple[list[dict[str, Any]], int]:
    """A page of the projects of `kind` (seeds or works: release.resolve refuses any other) that `actor` may read, in id order (matching `query` as a
    list's search does), each with its card's status: the overall level, each section's state and how many steps
    are missing; and how many such projects there are. Computed as the card is (without candidate suggestions), so
    the index and the card never disagree; one audit event for the page."""
    found, total = search(workspace, kind, actor.clearance, query=query, limit=max(1, min(limit, 100)), offset=offset)
    rows = []
    for project in found:
        card = _build(workspace, actor, project["id"], kind, suggest=False)
        rows.append(
            {
                "kind": kind,
                "id": card.project_id,
                "title": card.title,
                "level": card.level,
                "label": card.label,
                "states": {name: section.state for name, section in card.sections.items()},
                "missing": len(card.missing),
                "findings": card.findings,
            }
        )
    delivered(
        workspace,
        actor,
        delivery,
        records=[row["id"] for row in rows],
        detail={"service": "risk card index", "risk_card": kind, "rows": len(rows), "total": total},
    )
    return rows, total


def _build(workspace: Workspace, actor: Actor, project_id: str, kind: str | None, suggest: bool) -> RiskCard:
    """The card as `actor` may see it, unaudited (the services above write what left)."""
    clearance = actor.clearance
    kind, project = release.resolve(workspace, clearance, project_id, kind)
    project_id = project["id"]
    technology, technology_labels = _technology(workspace, clearance, kind, project, suggest)
    deemed, deemed_labels = _deemed_export(workspace, clearance, kind, project)
    reviews, review_labels = _release(workspace, actor, kind, project, technology.facts.get("decision"))
    partners, partner_labels = _partners(workspace, actor, kind, project, [row["person"] for row in deemed.rows])
    sections = {
        "technology": technology,
        "partners": partners,
        "release": reviews,
        "deemed_export": deemed,
        "access": _access(workspace, actor, project, reviews.facts.get("stuck") or []),
    }
    findings = [finding for section in sections.values() for finding in section.findings]
    assessment = assess(findings)
    label = Label.highest([Label.of(project), *technology_labels, *partner_labels, *review_labels, *deemed_labels])
    card = RiskCard(
        project_id,
        kind,
        project.get("title") or "",
        label,
        sections,
        assessment.level,
        assessment.reasons,
        next_steps(kind, project_id, sections),
        datetime.now(UTC),
        actor.user,
    )
    return card


# ── technology sensitivity ───────────────────────────────────────────────────────────────────────────────────────


def _technology(
    workspace: Workspace, clearance: Clearance, kind: str, project: dict[str, Any], suggest: bool
) -> tuple[Section, list[Label]]:
    columns: tuple[str, ...] = ("list", "code", "title", "score", "evidence")
    status = control_status(workspace, clearance, [project["id"]], kind)
    decision = status.decisions.get(project["id"])
    if decision is not None:
        facts = {
            "decision": decision["decision"],
            "list": decision["control_list"],
            "code": decision["code"],
            "reason": decision["reason"],
            "decided_by": decision["user"],
            "decided_at": decision["at"],
            "earlier_decisions": decision["history"] - 1,
        }
        findings = ("technology_listed",) if decision["decision"] == "listed" else ()
        return Section("technology", "complete", facts, columns, [], findings), [Label.of(decision)]
    rows = _candidates(project) if suggest else []
    facts = {"decision": None, "suggested": bool(rows)}
    return Section("technology", "missing", facts, columns, rows, ("technology_undecided",)), []


def _candidates(project: dict[str, Any]) -> list[dict[str, Any]]:
    """The candidate control items with specific evidence (a technical phrase or rare term of the item, or a
    parameter that meets its threshold); those without any say nothing a reader could check and are left out. The
    evidence column says the candidate's level and what made it, in Japanese and English."""
    statement = Statement.of(project)
    rows = []
    # Imported here: indexing loads the matcher's language resources, which a card without suggestions never needs.
    from kizashi.protect.controls.classify import bundled_classifier
    from kizashi.protect.controls.explain import why_both

    for candidate in bundled_classifier().classify(statement, SUGGESTIONS):
        if not candidate.evidence["basis"]:
            continue
        rows.append(
            {
                "list": candidate.item.list,
                "code": candidate.item.code,
                "title": candidate.item.title,
                "score": round(candidate.score, 3),
                "evidence": why_both(candidate.evidence, candidate.score),
            }
        )
    return rows


# ── partner screening ───────────────────────────────────────────────────────────────────────────────────────────


def project_parties(kind: str, project: dict[str, Any], people: Sequence[str] = ()) -> list[tuple[str, str]]:
    """The names to screen, as (name, type): the organisations a project names (a seed's organisation, a work's
    institutions) and its people (a work's authors, and whoever is on its deemed-export roster)."""
    found: dict[str, str] = {}
    organisations: list[str] = []
    if kind == "seeds":
        organisations = [part for part in (project.get("organization") or "").replace("；", ";").split(";")]
    for institution in project.get("institutions") or []:
        name = institution.get("name") if isinstance(institution, dict) else institution
        organisations.append(name if isinstance(name, str) else "")
    for name in organisations:
        if name.strip():
            found.setdefault(name.strip(), "organisation")
    for author in project.get("authors") or []:
        name = author.get("name") if isinstance(author, dict) else author
        if isinstance(name, str) and name.strip():
            found.setdefault(name.strip(), "person")
    for name in people:
        if name.strip():
            found.setdefault(name.strip(), "person")
    return list(found.items())


def _matches(matches: Sequence[dict[str, Any]]) -> str:
    return "; ".join(
        f"{m['entry_name']} ({m['list']} {m['entry_id']}) {m['score']:.2f}"
        + (f" → {m['decision']['decision']}" if m.get("decision") else "")
        for m in matches
    )


def _titled(name: str) -> str:
    """A list's title in Japanese and English (once, when kizashi does not know the list and both are its name)."""
    return " / ".join(dict.fromkeys((list_title(name, "ja"), list_title(name, "en"))))


def _partners(
    workspace: Workspace, actor: Actor, kind: str, project: dict[str, Any], people: Sequence[str]
) -> tuple[Section, list[Label]]:
    columns = ("name", "type", "status", "matches")
    parties = project_parties(kind, project, people)
    if not parties:
        return Section("partners", "missing", {"parties": 0}, columns, [], ("partners_unknown",)), []
    statuses = party_status(workspace, actor, [name for name, _ in parties])
    rows: list[dict[str, Any]] = []
    # The alerts still awaiting an officer: undecided or escalated, each a next step of its own.
    pending: list[tuple[str, str, str]] = []
    for (name, party_type), found in zip(parties, statuses, strict=True):
        rows.append(
            {
                "name": name,
                "type": party_type,
                "status": found.status,
                "matches": _matches(found.matches),
            }
        )
        for match in found.matches:
            decision = (match.get("decision") or {}).get("decision")
            if decision in (None, "escalate"):
                pending.append((name, match["list"], match["entry_id"]))
    versions = statuses[0].list_versions if statuses else []
    states = Counter(row["status"] for row in rows)
    findings = tuple(
        finding
        for state, finding in (
            ("true_match", "partner_true_match"),
            ("alert", "partner_alert"),
            ("escalated", "partner_escalated"),
            ("not_screened", "partners_not_screened"),
        )
        if states[state]
    )
    facts = {
        "parties": len(rows),
        **{state: states[state] for state in STATUSES},
        "lists": [
            f"{_titled(v['list'])} ({v['source']}, {v['date'] or 'no date stated'}, sha256 {v['sha256'][:12]})"
            for v in versions
        ],
        "pending": pending,
    }
    state = (
        "missing"
        if states["not_screened"] == len(rows)
        else "incomplete"
        if states["not_screened"] or pending
        else "complete"
    )
    # The officers' decisions shown carry the label the screening store gives them.
    decided = any(match.get("decision") for found in statuses for match in found.matches)
    return Section("partners", state, facts, columns, rows, findings), [DECISION_LABEL] if decided else []


# ── release route ───────────────────────────────────────────────────────────────────────────────────────────────


def _release(
    workspace: Workspace, actor: Actor, kind: str, project: dict[str, Any], decision: str | None
) -> tuple[Section, list[Label]]:
    names = allowed(actor, "directory.read")  # who lacks a clearance is named to those who may see the directory
    reviews = release.reviews_of(workspace, actor.clearance, kind, project, names=names)
    if not reviews:
        # The route it would take, by funding, with the sensitivity the reader can see.
        listed = None if decision is None else decision == "listed"
        sensitivity = release.Sensitivity(project["level"], listed)
        rows = []
        for funding in release.FUNDING:
            for clause in (False, True) if funding != "private" else (False,):
                route = release.route(funding, clause, sensitivity)
                rows.append(
                    {
                        "funding": funding,
                        "publication_clause": clause,
                        "required": sorted(route.roles),
                        "notice_days": route.notice_days,
                        "rules": list(route.rules),
                    }
                )
        facts: dict[str, Any] = {"state": None, "reviews": 0}
        columns: tuple[str, ...] = ("funding", "publication_clause", "required", "notice_days", "rules")
        return Section("release", "missing", facts, columns, rows, ("release_unsubmitted",)), []
    latest = reviews[-1]
    state = latest["state"]
    findings: tuple[str, ...] = ()
    if state == "withheld":
        findings = ("release_withheld",)
    elif state not in ("approved", "approved_with_changes"):
        findings = ("release_pending",)
    facts = {
        "state": state,
        "reviews": len(reviews),
        "funding": latest["funding"],
        "publication_clause": latest["publication_clause"],
        "required": latest["required"],
        "waiting": latest["waiting"],
        "rules": latest["rules"],
        "notice_ends": latest["notice_ends"],
        "submitted_by": latest["submitted_by"],
        "submitted_at": latest["submitted_at"],
        # The awaited roles nobody can approve today, with what would unblock each (protect/release/eligible.py).
        "stuck": latest["stuck"],
    }
    columns = ("seq", "at", "user", "role", "action", "from", "to", "comment")
    section_state = "incomplete" if "release_pending" in findings else "complete"
    return Section("release", section_state, facts, columns, list(latest["steps"]), findings), [
        review["label"] for review in reviews
    ]


# ── deemed export ───────────────────────────────────────────────────────────────────────────────────────────────


def _deemed_export(
    workspace: Workspace, clearance: Clearance, kind: str, project: dict[str, Any]
) -> tuple[Section, list[Label]]:
    project_id = project["id"]
    result = deemed_export.roster(workspace, clearance, kind, project)
    columns = ("person", "answered", "categories", "licence_check", "answered_by", "answered_on", "evidence")
    rows = [{column: row[column] for column in columns} for row in result["people"]]
    findings = tuple(
        finding
        for present, finding in (
            (result["licence_check"], "deemed_licence_check"),
            (result["unanswered"], "deemed_unanswered"),
            (not rows, "deemed_nobody"),
        )
        if present
    )
    facts = {
        "people": len(rows),
        "answered": len(result["answered"]),
        "unanswered": result["unanswered"],
        "licence_check": result["licence_check"],
    }
    state = "missing" if not result["answered"] else "incomplete" if result["unanswered"] else "complete"
    return Section("deemed_export", state, facts, columns, rows, findings), _answer_labels(
        workspace, clearance, kind, project_id
    )


def _answer_labels(workspace: Workspace, clearance: Clearance, kind: str, project_id: str) -> list[Label]:
    """The distinct labels of the answers the reader sees: an answer keeps its project's label of the day."""
    table = DeemedExportAnswer.__table__
    columns = [table.c[name] for name in ("level", "compartments", "tlp", "tlp_owner", "tlp_recipients")]
    statement = (
        select_readable(clearance, workspace.backend, table, columns=columns)
        .where(table.c.project_kind == kind, table.c.project_id == project_id)
        .distinct()
    )
    with workspace.session() as session:
        return [Label.of(dict(row)) for row in session.execute(statement).mappings()]


# ── who may read ────────────────────────────────────────────────────────────────────────────────────────────────


def _access(workspace: Workspace, actor: Actor, project: dict[str, Any], stuck: Sequence[dict[str, Any]]) -> Section:
    """Who may read the project; incomplete while its open release review has a role nobody who may read it can
    fill (`stuck`): the readers are not yet the right ones."""
    label = Label.of(project)
    facts: dict[str, Any] = {
        "level": label.level,
        "compartments": sorted(label.compartments),
        "tlp": project.get("tlp"),
        "tlp_owner": project.get("tlp_owner"),
        "tlp_recipients": list(project.get("tlp_recipients") or []),
    }
    columns = ("user", "display_name", "organisation", "roles", "clearance", "compartments")
    with workspace.session() as session:
        if not session.scalar(select(func.count()).select_from(User)):
            facts.update(managed=False, readers=None, names_shown=False)
            return Section("access", "incomplete", facts, columns, [], ("access_unmanaged",))
        users = list(session.scalars(select(User).where(User.active.is_(True)).order_by(User.name)))
        held_by = standings(session, users)
        readers = [(user, held_by[user.name].clearance) for user in users]
        readers = [(user, held) for user, held in readers if can_read(held, label)]
    facts.update(managed=True, readers=len(readers))
    facts["readers_by_role"] = dict(sorted(Counter(role for _, held in readers for role in held.roles).items()))
    findings: tuple[str, ...] = ("release_unapprovable",) if stuck else ()
    state = "incomplete" if stuck else "complete"
    if not allowed(actor, "directory.read"):
        facts["names_shown"] = False
        return Section("access", state, facts, columns, [], findings)
    rows = [
        {
            "user": user.name,
            "display_name": user.display_name,
            "organisation": user.organisation,
            "roles": sorted(held.roles),
            "clearance": held.level,
            "compartments": sorted(held.compartments),
        }
        for user, held in readers
    ]
    facts["names_shown"] = True
    return Section("access", state, facts, columns, rows, findings)
