"""Stored match runs: the proposals of one `kizashi match --save`, kept so that a workshop judges a fixed list.

Written once in one transaction and audited; never updated. Every proposal carries the higher label of its need and
seed (as a judgement does, know/judgements.py), so it is read through the access policy like any record, and a run
is visible to a reader only through the proposals they may read: its counts are theirs, and a run none of whose
proposals they may read is, to them, no run at all (the same NotFound as an unknown id).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, insert, select

from kizashi.errors import NotFound
from kizashi.know.judgements import readable_pair
from kizashi.know.match import MatchSettings, Proposal, Statement, configured_settings
from kizashi.model import MatchProposal, MatchRun
from kizashi.protect import audit
from kizashi.protect.clearances import acting_clearance
from kizashi.protect.policy import Label, label_columns
from kizashi.store.workspace import Workspace


@dataclass(frozen=True)
class SavedRun:
    """A run as one reader sees it: who ran it when, with which settings, and the proposals they may read."""

    id: int
    created_at: datetime
    user: str
    settings: dict[str, Any]
    proposals: list[Proposal]


def save_run(
    workspace: Workspace,
    actor: str,
    needs: Sequence[Statement],
    seeds: Sequence[Statement],
    results: Sequence[Sequence[Proposal]],
    *,
    top: int,
    per_seed: int | None = None,
    cross_domain: bool = False,
    settings: MatchSettings | None = None,
    origin: str | None = None,
) -> int:
    """Store the proposals `run_match` gave for `needs` over `seeds` (workspace statements, with their labels) and
    the settings that produced them; the run's id. `settings` defaults to the configured ones, as `run_match`'s."""
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
            user=actor,
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
        origin=origin,
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


def runs(workspace: Workspace, actor: str) -> list[dict[str, Any]]:
    """The runs with at least one proposal `actor` may read, newest first, with the proposals, needs and seeds of
    theirs that `actor` may read (never the author's counts, which would tell how much more there is)."""
    proposals = MatchProposal.__table__
    table = MatchRun.__table__
    visible = (
        select(
            proposals.c.run_id,
            func.count().label("proposals"),
            func.count(proposals.c.need_id.distinct()).label("needs"),
            func.count(proposals.c.seed_id.distinct()).label("seeds"),
        )
        .where(_readable(workspace, actor))
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
        return [dict(row) for row in session.execute(statement).mappings()]


def run_proposals(
    workspace: Workspace, actor: str, run_id: int | None = None, need_id: str | None = None
) -> SavedRun | None:
    """The proposals `actor` may read of run `run_id` (of the latest run they may see without it), for `need_id`
    only when given, by need and rank. Without `run_id`, None when no run has a readable proposal (for that need);
    with it, NotFound when the run is unknown or has no proposal `actor` may read."""
    proposals = MatchProposal.__table__
    allowed = _readable(workspace, actor)
    with workspace.session() as session:
        if run_id is None:
            latest = select(func.max(proposals.c.run_id)).where(allowed)
            if need_id is not None:
                latest = latest.where(proposals.c.need_id == need_id)
            found = session.execute(latest).scalar()
            if found is None:
                return None
            run_id = int(found)
        else:
            visible = select(proposals.c.id).where(proposals.c.run_id == run_id, allowed).limit(1)
            if session.execute(visible).first() is None:
                raise NotFound(f"no match run '{run_id}'")
        run = session.execute(select(MatchRun.__table__).where(MatchRun.__table__.c.id == run_id)).mappings().one()
        statement = select(proposals).where(proposals.c.run_id == run_id, allowed)
        if need_id is not None:
            statement = statement.where(proposals.c.need_id == need_id)
        rows = session.execute(statement.order_by(proposals.c.need_id, proposals.c.rank)).mappings().all()
    return SavedRun(
        id=run["id"],
        created_at=run["created_at"],
        user=run["user"],
        settings=dict(run["settings"]),
        proposals=[Proposal(r["need_id"], r["seed_id"], r["rank"], r["score"], dict(r["evidence"])) for r in rows],
    )


def _readable(workspace: Workspace, actor: str) -> ColumnElement[bool]:
    return readable_pair(MatchProposal.__table__, acting_clearance(workspace, actor), workspace.backend)
