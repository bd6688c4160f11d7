"""The dashboard of the web app: how many records of each kind the reader may read, the label of those counts, the
clearance they hold today with why, and what awaits them that the counts do not say (issue 15):

- needs without a good seed: no proposal for the need in the latest saved run (as the reader may read it) is good
  (`GOOD`, or agreed on by every channel that read the need), or there is no proposal at all; an analyst's
  judgement of a pair outranks the channels (accepted: good, rejected: not), as on the workshop page. The run's
  strength words are not shown (as on the workshop page: they count seeds the reader may not read), only the need
  and whether it has a proposal at all;
- screening alerts awaiting a decision, for those who decide them: names a screening met on a list entry, with no
  decision yet on that name and entry, or one escalated;
- release reviews waiting on the reader (the review queue);
- clearance grants and trainings (a level's prerequisite) expiring within `EXPIRING_DAYS`, for those who may read
  users.

Each item is computed only for a reader whose permissions allow it (`allowed`); one they may not take is left out,
not shown empty. Every labelled row is read through the policy; the page's label is the highest of what it shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from kizashi.know.match_index import latest_readable_runs
from kizashi.model import Grant, MatchJudgement, MatchProposal, Training, User
from kizashi.model.screening import ScreeningDecision
from kizashi.policy import Actor, Label, allowed
from kizashi.protect.audit_trail import screened_alerts
from kizashi.protect.people.standing import Standing, standing
from kizashi.protect.release import queue
from kizashi.protect.screening.store import DECISION_LABEL, party_key
from kizashi.retrieval.strength import STRENGTHS, judged
from kizashi.store.readable import LABEL_COLUMNS, select_readable
from kizashi.store.records import counts, readable_label, table_of
from kizashi.store.service import SHOWN, delivered, service
from kizashi.store.workspace import Workspace

GOOD = "strong"  # a need has a good seed when its best proposal is at least this strong
EXPIRING_DAYS = 30
TOP = 5  # items of each kind named on the dashboard; the rest are counted and a link leads to them


@dataclass(frozen=True)
class NeedItem:
    """A need without a good seed: `run` the latest run with a proposal for it the reader may read (None: none)."""

    id: str
    title: str
    label: Label
    run: int | None


@dataclass(frozen=True)
class AlertItem:
    """A name a screening met on a list entry, awaiting a decision (`escalated`: one was made, to escalate)."""

    name: str
    entries: list[str]  # "list:entry id", as the screening's audit event names them
    escalated: bool


@dataclass(frozen=True)
class ExpiringItem:
    """A grant (`what` its level) or a training (`what` its course) of `user` that ends within EXPIRING_DAYS."""

    user: str
    kind: str  # "grant" | "training"
    what: str
    expires_at: datetime


@dataclass(frozen=True)
class Attention:
    """What awaits the reader, each a total and its first TOP items; None where the reader may not take it."""

    needs: list[NeedItem]
    needs_total: int
    any_run: bool  # whether the reader may see any saved run at all (without one, every need lacks a proposal)
    alerts: list[AlertItem] | None = None
    alerts_total: int = 0
    reviews: list[dict[str, Any]] | None = None
    reviews_total: int = 0
    expiring: list[ExpiringItem] | None = None
    expiring_total: int = 0
    labels: list[Label] = field(default_factory=list)  # of everything shown


@dataclass(frozen=True)
class Dashboard:
    counts: dict[str, int]
    label: Label
    standing: Standing | None  # None for the operator of a workspace without users
    attention: Attention


@service("dashboard")
def dashboard(workspace: Workspace, actor: Actor, *, now: datetime | None = None) -> Dashboard:
    by_kind = counts(workspace, actor.clearance)
    held = None
    if actor.managed:
        with workspace.session() as session:
            held = standing(session, actor.user)
    attention = _attention(workspace, actor, now or datetime.now(UTC))
    delivered(
        workspace,
        actor,
        SHOWN,
        records=[need.id for need in attention.needs],
        detail={
            "service": "dashboard",
            "counts": by_kind,
            "needs_without_good_seed": attention.needs_total,
            "alerts": attention.alerts_total if attention.alerts is not None else None,
            "reviews": attention.reviews_total if attention.reviews is not None else None,
            "expiring": attention.expiring_total if attention.expiring is not None else None,
        },
    )
    label = Label.highest([readable_label(workspace, actor.clearance), *attention.labels])
    return Dashboard(by_kind, label, held, attention)


def _attention(workspace: Workspace, actor: Actor, now: datetime) -> Attention:
    needs, any_run = _needs_without_good_seed(workspace, actor)
    labels = [need.label for need in needs[:TOP]]
    alerts = reviews = expiring = None
    if allowed(actor, "screening.decide"):
        alerts = _alerts_awaiting(workspace, actor)
        if alerts:
            labels.append(DECISION_LABEL)  # the decisions read to tell which are decided
    if actor.managed:  # without users nobody routes a review to anyone
        reviews = queue(workspace, actor, now=now)
        labels.extend(review["label"] for review in reviews[:TOP])
    if allowed(actor, "users.read"):
        expiring = _expiring(workspace, now)
    return Attention(
        needs=needs[:TOP],
        needs_total=len(needs),
        any_run=any_run,
        alerts=alerts[:TOP] if alerts is not None else None,
        alerts_total=len(alerts or []),
        reviews=reviews[:TOP] if reviews is not None else None,
        reviews_total=len(reviews or []),
        expiring=expiring[:TOP] if expiring is not None else None,
        expiring_total=len(expiring or []),
        labels=labels,
    )


# ── needs without a good seed ──────────────────────────────────────────────────────────────────────────────────


def _needs_without_good_seed(workspace: Workspace, actor: Actor) -> tuple[list[NeedItem], bool]:
    """The readable needs, in id order, whose latest run (with a proposal the reader may read for them) proposes no
    good seed (see `_good`), or that no run proposes anything for; and whether any run is visible at all."""
    needs = table_of("needs")
    columns = [needs.c.id, needs.c.title, *(needs.c[name] for name in LABEL_COLUMNS)]
    statement = select_readable(actor.clearance, workspace.backend, needs, columns=columns).order_by(needs.c.id)
    with workspace.session() as session:
        rows = [dict(row) for row in session.execute(statement).mappings()]
    best = _best_proposals(workspace, actor)
    found = []
    for row in rows:
        run, good = best.get(row["id"], (None, False))
        if not good:
            found.append(NeedItem(row["id"], row["title"] or "", Label.of(row), run))
    return found, bool(best)


def _good(word: str | None, agreement: Any, decision: str | None) -> bool:
    """A good seed: accepted by an analyst, or not rejected and `GOOD` by the channels, or agreed on by every
    channel that read the need (two thirds, the strong rule's share: where only one channel could read it, its top
    ten is as good as the matcher can say)."""
    if decision in ("accept", "reject"):
        return decision == "accept"
    agreed = isinstance(agreement, int | float) and agreement >= 2 / 3 and word != "weak"
    return word == GOOD or agreed


def _best_proposals(workspace: Workspace, actor: Actor) -> dict[str, tuple[int, bool]]:
    """need id → (the latest run with a proposal for it the reader may read, whether one of those is good with the
    latest judgement of each pair applied)."""
    proposals = MatchProposal.__table__
    latest = latest_readable_runs(workspace, actor)
    statement = select_readable(
        actor.clearance,
        workspace.backend,
        proposals,
        columns=[proposals.c.need_id, proposals.c.seed_id, proposals.c.run_id, proposals.c.evidence],
    ).join(latest, (latest.c.need_id == proposals.c.need_id) & (latest.c.run_id == proposals.c.run_id))
    decisions = _latest_judgements(workspace, actor)
    best: dict[str, tuple[int, bool]] = {}
    with workspace.session() as session:
        for row in session.execute(statement):
            evidence = row.evidence or {}
            decision = decisions.get((row.need_id, row.seed_id))
            good = _good(_strength(evidence.get("strength"), decision), evidence.get("agreement"), decision)
            best[row.need_id] = (int(row.run_id), best.get(row.need_id, (0, False))[1] or good)
    return best


def _strength(stored: Any, decision: str | None) -> str | None:
    """A stored proposal's strength with the pair's latest judgement applied (None: neither says one)."""
    word = stored if stored in STRENGTHS else None
    if word is None and decision not in ("accept", "reject"):
        return None
    return judged(word or "weak", decision)[0]


def _latest_judgements(workspace: Workspace, actor: Actor) -> dict[tuple[str, str], str]:
    """(need, seed) → the latest decision on the pair that the reader may read."""
    table = MatchJudgement.__table__
    statement = select_readable(
        actor.clearance, workspace.backend, table, columns=[table.c.need_id, table.c.seed_id, table.c.decision]
    ).order_by(table.c.id)
    with workspace.session() as session:
        return {(row.need_id, row.seed_id): row.decision for row in session.execute(statement)}


# ── screening alerts awaiting a decision ───────────────────────────────────────────────────────────────────────


def _alerts_awaiting(workspace: Workspace, actor: Actor) -> list[AlertItem]:
    """The names recent screenings met on list entries without a decision on that name and entry (or with one to
    escalate), most recently screened first, one item per name."""
    alerted = screened_alerts(workspace)
    latest = _latest_screening_decisions(workspace, actor, {party_key(name) for name, _ in alerted})
    found: dict[str, AlertItem] = {}
    for name, entries in alerted:
        key = party_key(name)
        open_entries = [entry for entry in entries if latest.get((key, entry), "escalate") == "escalate"]
        if not open_entries:
            continue
        escalated = all((key, entry) in latest for entry in open_entries)
        before = found.get(key)
        if before is None:
            found[key] = AlertItem(name, open_entries, escalated)
        else:
            merged = [*before.entries, *(e for e in open_entries if e not in before.entries)]
            found[key] = AlertItem(before.name, merged, before.escalated and escalated)
    return list(found.values())


def _latest_screening_decisions(workspace: Workspace, actor: Actor, keys: Iterable[str]) -> dict[tuple[str, str], str]:
    """(party key, "list:entry id") → the latest decision the reader may read on it."""
    wanted = sorted(set(keys))
    table = ScreeningDecision.__table__
    found: dict[tuple[str, str], str] = {}
    with workspace.session() as session:
        for start in range(0, len(wanted), 500):
            statement = (
                select_readable(
                    actor.clearance,
                    workspace.backend,
                    table,
                    columns=[table.c.party_key, table.c.entry_list, table.c.entry_id, table.c.decision],
                )
                .where(table.c.party_key.in_(wanted[start : start + 500]))
                .order_by(table.c.id)
            )
            for row in session.execute(statement):
                found[(row.party_key, f"{row.entry_list}:{row.entry_id}")] = row.decision
    return found


# ── grants and trainings expiring ──────────────────────────────────────────────────────────────────────────────


def _expiring(workspace: Workspace, now: datetime) -> list[ExpiringItem]:
    """Active users' grants (not revoked) and trainings that end within EXPIRING_DAYS from `now`, soonest first.
    (Users are not labelled: reading them is the permission `users.read`, checked by the caller.)"""
    until = now + timedelta(days=EXPIRING_DAYS)
    found: list[ExpiringItem] = []
    with workspace.session() as session:
        active = {name for name in session.scalars(select(User.name).where(User.active.is_(True)))}
        # Compared here rather than in SQL: SQLite hands back naive datetimes, and there are few grants per user.
        for grant in session.scalars(select(Grant).where(Grant.revoked_at.is_(None), Grant.expires_at.is_not(None))):
            if grant.user in active and now < _utc(grant.expires_at) <= until:
                found.append(ExpiringItem(grant.user, "grant", grant.level, _utc(grant.expires_at)))
        newest: dict[tuple[str, str], Training] = {}
        for training in session.scalars(select(Training).order_by(Training.completed_at, Training.id)):
            newest[(training.user, training.course)] = training  # a course taken again: only the newest counts
        for training in newest.values():
            ends = _utc(training.expires_at) if training.expires_at else None
            if training.user in active and ends is not None and now < ends <= until:
                found.append(ExpiringItem(training.user, "training", training.course, ends))
    return sorted(found, key=lambda item: (item.expires_at, item.user, item.kind))


def _utc(moment: datetime | None) -> datetime:
    assert moment is not None  # selected for having one
    # SQLite hands back naive datetimes; everything here is stored in UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
