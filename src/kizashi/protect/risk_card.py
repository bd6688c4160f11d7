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

import shlex
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy import func, select

from kizashi.model import DeemedExportAnswer, User
from kizashi.policy import Actor, Clearance, Label, allowed, can_read
from kizashi.protect import deemed_export, release
from kizashi.protect.controls.decisions import control_status
from kizashi.protect.people.standing import standings
from kizashi.protect.risk_rules import FINDINGS, RiskRule, assess
from kizashi.protect.screening.list_names import list_title
from kizashi.protect.screening.store import DECISION_LABEL, STATUSES, party_status
from kizashi.retrieval import Statement
from kizashi.store.readable import select_readable
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

SECTIONS = ("technology", "partners", "release", "deemed_export", "access")
SUGGESTIONS = 3  # candidate control items shown while no decision is made


@dataclass(frozen=True)
class Section:
    """One part of the card: a summary (`facts`), a table (`columns`, `rows`) and what it found."""

    name: str
    state: str  # complete: data and decisions present; incomplete: some missing; missing: none at all
    facts: dict[str, Any]
    columns: tuple[str, ...] = ()
    rows: list[dict[str, Any]] = field(default_factory=list)
    findings: tuple[str, ...] = ()


@dataclass(frozen=True)
class NextStep:
    """What fills a gap: in words (ja, en), the command and the web page that do it."""

    section: str
    finding: str
    ja: str
    en: str
    command: str
    page: str | None = None


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
    clearance = actor.clearance
    kind, project = release.resolve(workspace, clearance, project_id, kind)
    project_id = project["id"]
    technology, technology_labels = _technology(workspace, clearance, kind, project, suggest)
    deemed, deemed_labels = _deemed_export(workspace, clearance, kind, project)
    reviews, review_labels = _release(workspace, clearance, kind, project, technology.facts.get("decision"))
    partners, partner_labels = _partners(workspace, actor, kind, project, [row["person"] for row in deemed.rows])
    sections = {
        "technology": technology,
        "partners": partners,
        "release": reviews,
        "deemed_export": deemed,
        "access": _access(workspace, actor, project),
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
    delivered(
        workspace,
        actor,
        delivery,
        records=[project_id],
        # What left and under which label; not the findings: the trail's readers need not be cleared for the project.
        detail={"service": "risk card", "risk_card": kind, "label": card.label.as_dict()},
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
    workspace: Workspace, clearance: Clearance, kind: str, project: dict[str, Any], decision: str | None
) -> tuple[Section, list[Label]]:
    reviews = release.reviews_of(workspace, clearance, kind, project)
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


def _access(workspace: Workspace, actor: Actor, project: dict[str, Any]) -> Section:
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
    if not allowed(actor, "directory.read"):
        facts["names_shown"] = False
        return Section("access", "complete", facts, columns, [])
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
    return Section("access", "complete", facts, columns, rows)


# ── what is missing ─────────────────────────────────────────────────────────────────────────────────────────────

# finding → (section, Japanese, English, command, page); {id} and {kind} are filled in, the command's id shell-quoted.
STEPS: dict[str, tuple[str, str, str, str, str | None]] = {
    "technology_undecided": (
        "technology",
        "該非判定を行い、結果を記録する（候補の規制項目を参考に）",
        "Decide whether the technology is on a control list, and record it (the candidates may help)",
        "kizashi screen classify {id} --kind {kind} --decision not-listed|listed|exempt-published|"
        "exempt-basic-research --reason REASON [--list LIST --code CODE]",
        "/controls/{kind}/{id}",
    ),
    "partners_unknown": (
        "partners",
        "共同研究先・参加者（組織と人物）を記録する",
        "Record the partners (organisations and people) of the project",
        "kizashi ingest {kind} FILE  (with the organization / institutions and authors)",
        "/{kind}/{id}",
    ),
    "partners_not_screened": (
        "partners",
        "懸念リスト（外国ユーザーリスト・制裁リスト）をワークスペースに読み込む（カードが取引先を照合します）",
        "Load the end-user and sanctions lists into the workspace (the card screens the partners against them)",
        "kizashi screen load LIST",
        "/screening",
    ),
    # One step per alert awaiting an officer: {name}, {list} and {entry} come from the partners section.
    "partner_alert": (
        "partners",
        "照合アラート「{name}」× {list} {entry} を確認し、判断を記録する",
        "Decide the screening alert '{name}' × {list} {entry}",
        "kizashi screen decide {name_arg} {list_arg} {entry_arg} --decision true-match|false-positive|escalate "
        "--reason REASON",
        "/screening?name={name_query}",
    ),
    "release_unsubmitted": (
        "release",
        "成果公表審査に申請し、資金区分を記録する",
        "Submit the project for release review with its funding category",
        "kizashi review submit {id} --kind {kind} --funding government|private|mixed [--publication-clause]",
        "/review/{kind}/{id}",
    ),
    "release_pending": (
        "release",
        "承認待ちの役割が成果公表審査を判断する",
        "The awaited roles decide the release review",
        "kizashi review move {id} --kind {kind} approved|approved_with_changes|withheld",
        "/review/{kind}/{id}",
    ),
    "deemed_nobody": (
        "deemed_export",
        "参加者ごとにみなし輸出の確認（特定類型の該当性）を記録する",
        "Record each participant's deemed-export answer (the specific categories)",
        "kizashi review deemed-export {id} PERSON --kind {kind} --none|--non-resident|--foreign-contract|"
        "--foreign-income|--foreign-instructions",
        "/deemed-export/{kind}/{id}",
    ),
    "deemed_unanswered": (
        "deemed_export",
        "未回答の参加者のみなし輸出の確認を記録する",
        "Record the deemed-export answers still missing",
        "kizashi review deemed-export {id} PERSON --kind {kind} --none|--non-resident|--foreign-contract|"
        "--foreign-income|--foreign-instructions",
        "/deemed-export/{kind}/{id}",
    ),
    "deemed_licence_check": (
        "deemed_export",
        "特定類型に該当する者への技術提供の前に、許可の要否を確認する",
        "Check whether a licence is needed before a person in a specific category receives the technology",
        "kizashi review deemed-export-status {id} --kind {kind} --check",
        "/deemed-export/{kind}/{id}",
    ),
    "access_unmanaged": (
        "access",
        "利用者と資格を登録し、閲覧を管理する",
        "Add users and clearances so that reading is controlled",
        "kizashi user add NAME --role admin",
        None,
    ),
}


def next_steps(kind: str, project_id: str, sections: dict[str, Section]) -> list[NextStep]:
    """The concrete steps that fill the card's gaps, in section order."""
    steps = []
    for section in sections.values():
        for finding in section.findings:
            if finding in ("partner_alert", "partner_escalated"):
                continue  # one step per pending alert, below
            if finding in STEPS:  # the others are results, not gaps (a listed technology, a withheld release)
                steps.append(_step(finding, id=shlex.quote(project_id), kind=kind, page_id=quote(project_id, safe=":")))
        for name, entry_list, entry in section.facts.get("pending", []) if section.name == "partners" else []:
            values = {"name": name, "list": entry_list, "entry": entry}
            quoted = {f"{key}_arg": shlex.quote(value) for key, value in values.items()}
            steps.append(_step("partner_alert", **values, **quoted, name_query=quote(name)))
    return steps


def _step(finding: str, **values: str) -> NextStep:
    section, ja, en, command, page = STEPS[finding]
    # A page takes the id URL-quoted, a command shell-quoted.
    page = page.format(**{**values, "id": values.get("page_id", "")}) if page else None
    return NextStep(section, finding, ja.format(**values), en.format(**values), command.format(**values), page)
