"""Judging proposals in a matching workshop: accept, reject or later, with a comment; append-only and audited.

A judgement is kept with the higher label of its need and seed, so it is read through the same access policy.
The latest judgement of a pair counts; the earlier ones stay as the record of who changed their mind when.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from kizashi.errors import InputError
from kizashi.know.match import workspace_statements
from kizashi.messages import Message
from kizashi.model import MatchJudgement
from kizashi.policy import Actor, Label
from kizashi.retrieval import Matcher, Statement
from kizashi.store.decisions import append_decision
from kizashi.store.readable import select_readable
from kizashi.store.records import get_record
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

DECISIONS = ("accept", "reject", "later")


@service("judgements.judge")
def judge(
    workspace: Workspace,
    actor: Actor,
    need_id: str,
    seed_id: str,
    decision: str,
    *,
    comment: str = "",
    score: float | None = None,
) -> int:
    """Record `actor`'s decision on the pair; NotFound if they may not read the need or the seed."""
    if decision not in DECISIONS:
        raise InputError(
            Message("decision '{decision}' must be one of {choices}", decision=decision, choices=", ".join(DECISIONS)),
            field="decision",
        )
    if len(comment) > 10_000 or "\x00" in comment:
        raise InputError(Message("a comment is at most 10,000 characters of text"), field="comment")
    need = get_record(workspace, "needs", need_id, actor.clearance)
    seed = get_record(workspace, "seeds", seed_id, actor.clearance)
    label = Label.highest([Label.of(need), Label.of(seed)])
    row = MatchJudgement(
        need_id=need_id,
        seed_id=seed_id,
        decision=decision,
        comment=comment.strip(),
        score=score,
        user=actor.user,
        at=datetime.now(UTC),
    )
    return append_decision(
        workspace,
        actor,
        row,
        label=label,
        records=[need_id, seed_id],
        id_key="judgement",
        detail={"decision": decision, "comment": comment.strip()[:500]},
    )


def latest(workspace: Workspace, actor: Actor, need_id: str) -> dict[str, dict[str, Any]]:
    """seed id → the latest judgement of (need, seed) that `actor` may read, with its history count (for a service
    that has read the need, and audits what it shows)."""
    table = MatchJudgement.__table__
    statement = (
        select_readable(actor.clearance, workspace.backend, table)
        .where(table.c.need_id == need_id)
        .order_by(table.c.id)
    )
    found: dict[str, dict[str, Any]] = {}
    with workspace.session() as session:
        for row in session.execute(statement).mappings():
            history = found.get(row["seed_id"], {}).get("history", 0) + 1
            found[row["seed_id"]] = {**dict(row), "history": history}
    return found


def _latest_of_every_pair(workspace: Workspace, actor: Actor) -> list[dict[str, Any]]:
    table = MatchJudgement.__table__
    statement = select_readable(actor.clearance, workspace.backend, table).order_by(table.c.id)
    latest_by_pair: dict[tuple[str, str], dict[str, Any]] = {}
    with workspace.session() as session:
        for row in session.execute(statement).mappings():
            latest_by_pair[(row["need_id"], row["seed_id"])] = dict(row)
    return [latest_by_pair[pair] for pair in sorted(latest_by_pair)]


@service("judgements.list")
def readable_judgements(workspace: Workspace, actor: Actor, *, delivery: Delivery = SHOWN) -> list[dict[str, Any]]:
    """The latest judgement of every pair `actor` may read, in need and seed order; audited."""
    rows = _latest_of_every_pair(workspace, actor)
    delivered(
        workspace,
        actor,
        delivery,
        records=sorted({row["need_id"] for row in rows} | {row["seed_id"] for row in rows}),
        detail={"service": "judgements", "rows": len(rows)},
    )
    return rows


@dataclass
class _Labels:
    """The analysts' decisions as relevance labels, with the needs and the matcher over the readable seeds."""

    needs: list[Statement]
    accepted: dict[str, set[str]]
    rejected: dict[str, set[str]]
    judgements: int
    matcher: Matcher | None


def _labels(workspace: Workspace, actor: Actor) -> _Labels:
    clearance = actor.clearance
    judged = _latest_of_every_pair(workspace, actor)
    accepted: dict[str, set[str]] = {}
    rejected: dict[str, set[str]] = {}
    for row in judged:
        target = accepted if row["decision"] == "accept" else rejected if row["decision"] == "reject" else None
        if target is not None:
            target.setdefault(row["need_id"], set()).add(row["seed_id"])
    seeds = workspace_statements(workspace, "seeds", clearance)
    needs = []
    for need_id in sorted(accepted):
        needs.append(Statement.of(get_record(workspace, "needs", need_id, clearance)))
    matcher = Matcher(seeds) if accepted and seeds else None
    return _Labels(needs, accepted, rejected, len(judged), matcher)


def _scores(labels: _Labels, matcher: Matcher, top: int) -> dict[str, Any]:
    reciprocal = recall = 0.0
    rejected_in_top = 0
    for need in labels.needs:
        good = labels.accepted[need.id]
        ranking = [p.seed_id for p in matcher.match_one(need, top)]
        first = next((rank for rank, seed in enumerate(ranking, 1) if seed in good), None)
        reciprocal += 1 / first if first else 0.0
        recall += len(good & set(ranking)) / len(good)
        rejected_in_top += len(labels.rejected.get(need.id, set()) & set(ranking))
    n = len(labels.needs)
    return {
        "needs": n,
        "mrr": round(reciprocal / n, 4),
        "recall": round(recall / n, 4),
        "rejected_in_top": rejected_in_top,
        "judgements": labels.judgements,
    }


@service("judgements.evaluate")
def evaluate(workspace: Workspace, actor: Actor, top: int = 10) -> dict[str, Any]:
    """The analysts' accepted pairs as relevance labels for today's matcher: for every need with an accepted seed,
    where does the matcher rank its accepted seeds now (MRR, recall@top), and how many rejected seeds does it still
    put in the top? Only judgements, needs and seeds `actor` may read take part."""
    labels = _labels(workspace, actor)
    if labels.matcher is None:
        result = {"needs": 0, "mrr": None, "recall": None, "rejected_in_top": None, "judgements": labels.judgements}
    else:
        result = _scores(labels, labels.matcher, top)
    delivered(workspace, actor, SHOWN, detail={"service": "judgements --evaluate", **result})
    return result


# Fusion weights tried by `tune` (lexical stays 1: only the ratios matter to reciprocal-rank fusion).
TUNING_GRID: dict[str, tuple[float, ...]] = {
    "translated": (0.5, 1.0, 1.5),
    "concepts": (0.0, 0.25, 0.5, 1.0),
    "bigram_weight": (0.25, 0.5, 1.0),
}
DENSE_GRID: tuple[float, ...] = (0.0, 0.3, 0.6, 1.0)
MIN_TUNING_NEEDS = 5  # fewer needs with an accepted seed and any weights would fit them


@service("judgements.tune")
def tune(workspace: Workspace, actor: Actor, top: int = 10) -> dict[str, Any]:
    """Fusion weights that rank the analysts' accepted seeds best (MRR, then fewer rejected seeds in the top, then
    the weights nearest today's), searched over TUNING_GRID on the judgements `actor` may read. Proposes; the
    weights take effect when set as KIZASHI_MATCH_WEIGHTS and KIZASHI_MATCH_BIGRAM_WEIGHT."""
    labels = _labels(workspace, actor)
    if labels.matcher is None or len(labels.needs) < MIN_TUNING_NEEDS:
        raise InputError(
            Message(
                "tuning needs accepted seeds for at least {minimum} needs you may read; "
                "there are {needs} ({judgements} judgements)",
                minimum=MIN_TUNING_NEEDS,
                needs=len(labels.needs),
                judgements=labels.judgements,
            )
        )
    matcher = labels.matcher
    today = matcher.settings
    current = {**_scores(labels, matcher, top), "weights": today.weights, "bigram_weight": today.bigram_weight}
    candidates = []
    # The dense channel's weight is searched only where it runs (a dense model is set).
    dense_grid = DENSE_GRID if matcher.embedder is not None else (today.weights.get("dense", 0.0),)
    for translated, concepts, bigram_weight, dense in itertools.product(*TUNING_GRID.values(), dense_grid):
        weights = {"lexical": 1.0, "translated": translated, "concepts": concepts, "dense": dense}
        matcher.settings = replace(today, weights=weights, bigram_weight=bigram_weight)  # query-time fields only
        result = _scores(labels, matcher, top)
        distance = sum(abs(weights[k] - today.weights.get(k, 0.0)) for k in weights)
        distance += abs(bigram_weight - today.bigram_weight)
        key = (-result["mrr"], result["rejected_in_top"], distance)
        candidates.append((key, {**result, "weights": weights, "bigram_weight": bigram_weight}))
    matcher.settings = today
    best = min(candidates, key=lambda item: item[0])[1]
    found = {"current": current, "best": best, "tried": len(candidates)}
    delivered(workspace, actor, SHOWN, detail={"service": "judgements --tune", **found})
    return found
