"""The matching index: every need a reader may read, with how many proposals the latest stored run they may see has
for it and how many of its proposals have a workshop decision, for the page that leads to each need's workshop.

Counts are the reader's own (select_readable on the proposals and judgements, which also hides a row whose need or
seed was relabelled above them since): the same proposals the workshop page of the need shows from that run. The
runs themselves are listed by know/match_runs.py's `runs` service.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Subquery, func

from kizashi.model import MatchJudgement, MatchProposal
from kizashi.policy import Actor, Label
from kizashi.store.readable import LABEL_COLUMNS, select_readable
from kizashi.store.records import table_of
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace


@dataclass(frozen=True)
class NeedEntry:
    """One need on the index: `proposals` None when no stored run has a proposal for it that the reader may read
    (its workshop then shows today's matcher), else the count in the latest such run, and that run's id."""

    id: str
    title: str
    label: Label
    proposals: int | None
    run: int | None
    judged: int


@dataclass(frozen=True)
class MatchIndex:
    needs: list[NeedEntry]
    # The highest label of what is counted: the needs, and the stored proposals and decisions (their label is the
    # higher of their need's and seed's), so the page of counts is labelled like the workshop pages it counts.
    label: Label


def latest_readable_runs(workspace: Workspace, actor: Actor) -> Subquery:
    """(need_id, run_id): for each need, the latest saved run with a proposal the reader may read."""
    proposals = MatchProposal.__table__
    return (
        select_readable(
            actor.clearance,
            workspace.backend,
            proposals,
            columns=[proposals.c.need_id, func.max(proposals.c.run_id).label("run_id")],
        )
        .group_by(proposals.c.need_id)
        .subquery()
    )


def _latest_run_counts(workspace: Workspace, actor: Actor) -> dict[str, tuple[int, int]]:
    """need id → (latest run with a readable proposal for it, how many readable proposals it has there)."""
    proposals = MatchProposal.__table__
    latest = latest_readable_runs(workspace, actor)
    counted = (
        select_readable(
            actor.clearance,
            workspace.backend,
            proposals,
            columns=[proposals.c.need_id, proposals.c.run_id, func.count().label("proposals")],
        )
        .join(latest, (latest.c.need_id == proposals.c.need_id) & (latest.c.run_id == proposals.c.run_id))
        .group_by(proposals.c.need_id, proposals.c.run_id)
    )
    with workspace.session() as session:
        return {row.need_id: (int(row.run_id), int(row.proposals)) for row in session.execute(counted)}


def _judged_counts(workspace: Workspace, actor: Actor) -> dict[str, int]:
    """need id → how many of its (need, seed) pairs the reader may read have a decision."""
    table = MatchJudgement.__table__
    statement = select_readable(
        actor.clearance,
        workspace.backend,
        table,
        columns=[table.c.need_id, func.count(table.c.seed_id.distinct()).label("judged")],
    ).group_by(table.c.need_id)
    with workspace.session() as session:
        return {row.need_id: int(row.judged) for row in session.execute(statement)}


def _derived_labels(workspace: Workspace, actor: Actor) -> list[Label]:
    """The distinct labels of the stored proposals and decisions the reader may read."""
    found: list[Label] = []
    with workspace.session() as session:
        for table in (MatchProposal.__table__, MatchJudgement.__table__):
            columns = [table.c[name] for name in LABEL_COLUMNS]
            statement = select_readable(actor.clearance, workspace.backend, table, columns=columns).distinct()
            found.extend(Label.of(dict(row)) for row in session.execute(statement).mappings())
    return found


@service("match.index")
def match_index(workspace: Workspace, actor: Actor, *, delivery: Delivery = SHOWN) -> MatchIndex:
    """The needs `actor` may read, in id order, each with its stored proposals and decisions as they may see them;
    audited as a read naming the needs shown."""
    needs = table_of("needs")
    columns = [needs.c.id, needs.c.title, *(needs.c[name] for name in LABEL_COLUMNS)]
    statement = select_readable(actor.clearance, workspace.backend, needs, columns=columns).order_by(needs.c.id)
    with workspace.session() as session:
        rows = [dict(row) for row in session.execute(statement).mappings()]
    runs = _latest_run_counts(workspace, actor)
    judged = _judged_counts(workspace, actor)
    entries = [
        NeedEntry(
            id=row["id"],
            title=row["title"],
            label=Label.of(row),
            proposals=runs[row["id"]][1] if row["id"] in runs else None,
            run=runs[row["id"]][0] if row["id"] in runs else None,
            judged=judged.get(row["id"], 0),
        )
        for row in rows
    ]
    delivered(
        workspace,
        actor,
        delivery,
        records=[entry.id for entry in entries],
        detail={"service": "match index", "needs": len(entries)},
    )
    return MatchIndex(entries, Label.highest([*(entry.label for entry in entries), *_derived_labels(workspace, actor)]))
