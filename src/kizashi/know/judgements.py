"""Judging proposals in a matching workshop: accept, reject or later, with a comment; append-only and audited.

A judgement is kept with the higher label of its need and seed, so it is read through the same access policy.
The latest judgement of a pair counts; the earlier ones stay as the record of who changed their mind when.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from kizashi.errors import InputError
from kizashi.model import MatchJudgement
from kizashi.protect import audit
from kizashi.protect.clearances import acting_clearance
from kizashi.protect.policy import Label, readable, tlp_columns
from kizashi.store.records import get_record
from kizashi.store.workspace import Workspace

DECISIONS = ("accept", "reject", "later")


def judge(
    workspace: Workspace,
    actor: str,
    need_id: str,
    seed_id: str,
    decision: str,
    *,
    comment: str = "",
    score: float | None = None,
    origin: str | None = None,
) -> int:
    """Record `actor`'s decision on the pair; NotFound if they may not read the need or the seed."""
    if decision not in DECISIONS:
        raise InputError(f"decision '{decision}' must be one of {', '.join(DECISIONS)}", field="decision")
    if len(comment) > 10_000 or "\x00" in comment:
        raise InputError("a comment is at most 10,000 characters of text", field="comment")
    clearance = acting_clearance(workspace, actor)
    need = get_record(workspace, "needs", need_id, clearance)
    seed = get_record(workspace, "seeds", seed_id, clearance)
    label = Label.highest([Label.of(need), Label.of(seed)])
    tlp, recipients = tlp_columns(label)
    with workspace.session() as session:
        row = MatchJudgement(
            need_id=need_id,
            seed_id=seed_id,
            decision=decision,
            comment=comment.strip(),
            score=score,
            user=actor,
            at=datetime.now(UTC),
            level=label.level,
            compartments=sorted(label.compartments),
            tlp=tlp,
            tlp_owner=None,
            tlp_recipients=recipients,
        )
        session.add(row)
        session.flush()
        judgement_id = row.id
    audit.record(
        workspace,
        actor,
        "decision",
        records=[need_id, seed_id],
        detail={"judgement": judgement_id, "decision": decision, "comment": comment.strip()[:500]},
        origin=origin,
    )
    return judgement_id


def latest(workspace: Workspace, actor: str, need_id: str) -> dict[str, dict[str, Any]]:
    """seed id → the latest judgement of (need, seed) that `actor` may read, with its history count."""
    clearance = acting_clearance(workspace, actor)
    table = MatchJudgement.__table__
    statement = (
        select(table)
        .where(table.c.need_id == need_id, readable(table, clearance, workspace.backend))
        .order_by(table.c.id)
    )
    found: dict[str, dict[str, Any]] = {}
    with workspace.session() as session:
        for row in session.execute(statement).mappings():
            history = found.get(row["seed_id"], {}).get("history", 0) + 1
            found[row["seed_id"]] = {**dict(row), "history": history}
    return found


def readable_judgements(workspace: Workspace, actor: str) -> list[dict[str, Any]]:
    """The latest judgement of every pair `actor` may read, in need and seed order."""
    clearance = acting_clearance(workspace, actor)
    table = MatchJudgement.__table__
    statement = select(table).where(readable(table, clearance, workspace.backend)).order_by(table.c.id)
    latest_by_pair: dict[tuple[str, str], dict[str, Any]] = {}
    with workspace.session() as session:
        for row in session.execute(statement).mappings():
            latest_by_pair[(row["need_id"], row["seed_id"])] = dict(row)
    return [latest_by_pair[pair] for pair in sorted(latest_by_pair)]


def evaluate(workspace: Workspace, actor: str, top: int = 10) -> dict[str, Any]:
    """The analysts' accepted pairs as relevance labels for today's matcher: for every need with an accepted seed,
    where does the matcher rank its accepted seeds now (MRR, recall@top), and how many rejected seeds does it still
    put in the top? Only judgements, needs and seeds `actor` may read take part."""
    from kizashi.know.match import Matcher, Statement, workspace_statements

    clearance = acting_clearance(workspace, actor)
    judged = readable_judgements(workspace, actor)
    accepted: dict[str, set[str]] = {}
    rejected: dict[str, set[str]] = {}
    for row in judged:
        target = accepted if row["decision"] == "accept" else rejected if row["decision"] == "reject" else None
        if target is not None:
            target.setdefault(row["need_id"], set()).add(row["seed_id"])
    seeds = workspace_statements(workspace, "seeds", clearance)
    if not accepted or not seeds:
        return {"needs": 0, "mrr": None, "recall": None, "rejected_in_top": None, "judgements": len(judged)}
    matcher = Matcher(seeds)
    reciprocal = recall = 0.0
    rejected_in_top = 0
    for need_id, good in sorted(accepted.items()):
        need = get_record(workspace, "needs", need_id, clearance)
        ranking = [
            p.seed_id for p in matcher.match_one(Statement(need_id, need["title"], need.get("description") or ""), top)
        ]
        first = next((rank for rank, seed in enumerate(ranking, 1) if seed in good), None)
        reciprocal += 1 / first if first else 0.0
        recall += len(good & set(ranking)) / len(good)
        rejected_in_top += len(rejected.get(need_id, set()) & set(ranking))
    n = len(accepted)
    return {
        "needs": n,
        "mrr": round(reciprocal / n, 4),
        "recall": round(recall / n, 4),
        "rejected_in_top": rejected_in_top,
        "judgements": len(judged),
    }
