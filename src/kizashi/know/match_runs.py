"""Stored match runs: the proposals of one `kizashi match --save`, kept so that a workshop judges a fixed list.

Written once in one transaction and audited; never updated. Every proposal carries the higher label of its need and
seed (as a judgement does, know/judgements.py), so it is read through the access policy like any record, and a run
is visible to a reader only through the proposals they may read: its counts are theirs, and a run none of whose
proposals they may read is, to them, no run at all (the same NotFound as an unknown id).

A run was ranked over every seed its author could read. Shown to a reader who may read fewer, its ranks would have
gaps, and its scores and channel ranks (which count the seeds ranked above) would tell of seeds they may not read.
So a reader is shown a run's proposals ranked from 1 over what they may read, with the evidence that is about the
texts themselves (shared terms, translations, concepts, areas) and without the run's scores and channel ranks, for
every reader alike: whether those would reveal a gap must not itself show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select

from kizashi.errors import NotFound
from kizashi.messages import Message
from kizashi.model import MatchProposal, MatchRun
from kizashi.policy import Actor, Label, label_columns
from kizashi.retrieval import MatchSettings, Proposal, Statement, configured_settings
from kizashi.store import audit
from kizashi.store.readable import select_readable
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

# The parts of a stored proposal's evidence that count seeds the reader may not read.
RANK_EVIDENCE = ("channels", "strength", "agreement")  # strength: whether a channel's top ten holds the seed


@dataclass(frozen=True)
class SavedRun:
    """A run as one reader sees it: who ran it when, with which settings, and the proposals they may read (ranked
    from 1 per need over those, scores left out: see the module's note)."""

    id: int
    created_at: datetime
    user: str
    settings: dict[str, Any]
    proposals: list[Proposal]


def save_run(
    workspace: Workspace,
    actor: Actor,
    needs: Sequence[Statement],
    seeds: Sequence[Statement],
    results: Sequence[Sequence[Proposal]],
    *,
    top: int,
    per_seed: int | None = None,
    cross_domain: bool = False,
    settings: MatchSettings | None = None,
) -> int:
    """Store the proposals matching gave for `needs` over `seeds` (workspace statements, with their labels) and the
    settings that produced them; the run's id. (Called by the matching service, which has read them as `actor`.)"""
    used = settings or configured_settings()
    by_id = {statement.id: statement for statement in [*needs, *seeds]}
    rows = [
        _proposal_row(proposal, by_id[proposal.need_id], by_id[proposal.seed_id])
        for found in results
        for proposal in found
    ]
    with workspace.session() as session:
        run = MatchRun(
            created_at=datetime.now(UTC),
            user=actor.user,
            settings={
                "weights": dict(used.weights),
                "bigram_weight": used.bigram_weight,
                "dense_model": used.dense_model,
                "top": top,
                "per_seed": per_seed,
                "cross_domain": cross_domain,
            },
            needs=len(needs),
            seeds=len(seeds),
        )
        session.add(run)
        session.flush()
        run_id = run.id
        if rows:
            session.execute(insert(MatchProposal), [{**row, "run_id": run_id} for row in rows])
    audit.record(
        workspace,
        actor,
        "create",
        detail={"match_run": run_id, "needs": len(needs), "seeds": len(seeds), "proposals": len(rows)},
    )
    return run_id


def _proposal_row(proposal: Proposal, need: Statement, seed: Statement) -> dict[str, Any]:
    if need.label is None or seed.label is None:
        # Unlabelled statements come from files: storing them would make them readable by everyone.
        raise ValueError("only the workspace's needs and seeds (with their labels) can be stored as a run")
    label = Label.highest([need.label, seed.label])
    return {
        "need_id": proposal.need_id,
        "seed_id": proposal.seed_id,
        "rank": proposal.rank,
        "score": proposal.score,
        "evidence": proposal.evidence,
        **label_columns(label),
    }


@service("match_runs.list")
def runs(workspace: Workspace, actor: Actor, *, delivery: Delivery = SHOWN) -> list[dict[str, Any]]:
    """The runs with at least one proposal `actor` may read, newest first, with the proposals, needs and seeds of
    theirs that `actor` may read (never the author's counts, which would tell how much more there is); audited."""
    proposals = MatchProposal.__table__
    table = MatchRun.__table__
    columns = [
        proposals.c.run_id,
        func.count().label("proposals"),
        func.count(proposals.c.need_id.distinct()).label("needs"),
        func.count(proposals.c.seed_id.distinct()).label("seeds"),
    ]
    visible = (
        select_readable(actor.clearance, workspace.backend, proposals, columns=columns)
        .group_by(proposals.c.run_id)
        .subquery()
    )
    statement = (
        select(
            table.c.id,
            table.c.created_at,
            table.c.user,
            table.c.settings,
            visible.c.needs,
            visible.c.seeds,
            visible.c.proposals,
        )
        .join(visible, visible.c.run_id == table.c.id)
        .order_by(table.c.id.desc())
    )
    with workspace.session() as session:
        found = [dict(row) for row in session.execute(statement).mappings()]
    delivered(workspace, actor, delivery, detail={"service": "match runs", "runs": [row["id"] for row in found]})
    return found


def run_proposals(
    workspace: Workspace, actor: Actor, run_id: int | None = None, need_id: str | None = None
) -> SavedRun | None:
    """The proposals `actor` may read of run `run_id` (of the latest run they may see without it), for `need_id`
    only when given, by need and rank, ranked from 1 per need over what `actor` may read and without the run's
    scores and channel ranks. Without `run_id`, None when no run has a readable proposal (for that need); with it,
    NotFound when the run is unknown or has no proposal `actor` may read. (For a service, which audits what it
    shows.)"""
    proposals = MatchProposal.__table__
    readable = select_readable(actor.clearance, workspace.backend, proposals)
    with workspace.session() as session:
        if run_id is None:
            latest = select_readable(
                actor.clearance, workspace.backend, proposals, columns=[func.max(proposals.c.run_id)]
            )
            if need_id is not None:
                latest = latest.where(proposals.c.need_id == need_id)
            found = session.execute(latest).scalar()
            if found is None:
                return None
            run_id = int(found)
        else:
            visible = readable.with_only_columns(proposals.c.id).where(proposals.c.run_id == run_id).limit(1)
            if session.execute(visible).first() is None:
                raise NotFound(Message("no match run '{run}'", run=run_id))
        run = session.execute(select(MatchRun.__table__).where(MatchRun.__table__.c.id == run_id)).mappings().one()
        statement = readable.where(proposals.c.run_id == run_id)
        if need_id is not None:
            statement = statement.where(proposals.c.need_id == need_id)
        rows = session.execute(statement.order_by(proposals.c.need_id, proposals.c.rank)).mappings().all()
    return SavedRun(
        id=run["id"],
        created_at=run["created_at"],
        user=run["user"],
        settings=dict(run["settings"]),
        proposals=_as_read(
            [Proposal(r["need_id"], r["seed_id"], r["rank"], r["score"], dict(r["evidence"])) for r in rows]
        ),
    )


def _as_read(stored: Sequence[Proposal]) -> list[Proposal]:
    """Stored proposals (in need and rank order) as a reader sees them: ranked from 1 per need over the ones given,
    without the score (None) and the channel ranks."""
    shown: list[Proposal] = []
    rank, need = 0, None
    for proposal in stored:
        rank = rank + 1 if proposal.need_id == need else 1
        need = proposal.need_id
        evidence = {key: value for key, value in proposal.evidence.items() if key not in RANK_EVIDENCE}
        shown.append(replace(proposal, rank=rank, score=None, evidence=evidence))
    return shown
