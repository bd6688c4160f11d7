"""Matching the workspace's needs to its seeds as one reader may see them: the same code for the command line
(`kizashi match` without files), the workshop page and the API, so all three give the same proposals.

Both go through the reader's seed index (know/seed_index.py: built from the seeds they may read, shared by everyone
who reads the same set), each proposal labelled with the higher label of its need and seed, and audited naming every
record shown. The workshop page of a need shows the latest stored run that has proposals the reader may read
(know/match_runs.py), so that a workshop judges the list everyone was sent, unless asked for today's matcher.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kizashi.errors import InputError
from kizashi.know.judgements import latest
from kizashi.know.match import proposal_rows, propose_all, workspace_statements
from kizashi.know.match_runs import SavedRun, run_proposals, save_run
from kizashi.know.seed_index import SEED_INDEXES
from kizashi.messages import Message
from kizashi.policy import Actor, Label
from kizashi.retrieval import MatchSettings, Proposal, Statement, configured_settings
from kizashi.store.records import get_record
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

SOURCES = ("run", "live")


@dataclass(frozen=True)
class WorkspaceMatch:
    """Every readable need's proposals among the readable seeds, as rows (know.match.proposal_rows), and the run
    they were saved as (or None)."""

    needs: list[Statement]
    seeds: list[Statement]
    rows: list[dict[str, Any]]
    run: int | None


def match_steps(workspace: Workspace, actor: Actor, settings: MatchSettings | None = None) -> int:
    """How many progress steps `match_workspace` reports: the needs, and the seeds too where a dense model encodes
    them."""
    settings = settings or configured_settings()
    needs = len(workspace_statements(workspace, "needs", actor.clearance))
    dense = bool(settings.dense_model) and settings.weights.get("dense", 0.0) > 0
    return needs + (len(workspace_statements(workspace, "seeds", actor.clearance)) if dense else 0)


@service("match")
def match_workspace(
    workspace: Workspace,
    actor: Actor,
    *,
    top: int = 10,
    per_seed: int | None = None,
    cross_domain: bool = False,
    settings: MatchSettings | None = None,
    save: bool = False,
    delivery: Delivery = SHOWN,
    on_progress: Callable[[int], None] | None = None,
) -> WorkspaceMatch:
    """Propose, for every need `actor` may read, the best `top` seeds they may read (with `per_seed`, an exact
    workshop assignment); with `save`, store them as a match run. Audited (read or export, and the run)."""
    settings = settings or configured_settings()
    needs = workspace_statements(workspace, "needs", actor.clearance)
    seeds = workspace_statements(workspace, "seeds", actor.clearance)
    if not needs or not seeds:
        raise InputError(Message("the workspace has no needs or no seeds that you may read"))
    index = SEED_INDEXES.get(workspace, actor.clearance, settings, on_progress)
    assert index.matcher is not None
    results = propose_all(
        index.matcher, needs, top=top, per_seed=per_seed, cross_domain=cross_domain, on_progress=on_progress
    )
    rows = proposal_rows(needs, seeds, results)
    delivered(
        workspace,
        actor,
        delivery,
        records=sorted({row["need_id"] for row in rows} | {row["seed_id"] for row in rows}),
        detail={"service": "match", "needs": len(needs), "seeds": len(seeds), "proposals": len(rows)},
    )
    run = None
    if save:
        run = save_run(
            workspace,
            actor,
            needs,
            seeds,
            results,
            top=top,
            per_seed=per_seed,
            cross_domain=cross_domain,
            settings=settings,
        )
    return WorkspaceMatch(needs, seeds, rows, run)


@dataclass(frozen=True)
class NeedProposals:
    """One need's proposals as one reader may see them: from today's matcher (`source` "live") or from the latest
    stored run with proposals they may read ("run"); `run` is that run whichever is shown (None: there is none).
    Each proposal with its seed; the label of the whole (need and seeds shown); the latest judgements when asked."""

    need: dict[str, Any]
    source: str
    run: SavedRun | None
    proposals: list[tuple[Proposal, Statement]]
    label: Label
    judgements: dict[str, dict[str, Any]]


@service("match.need")
def need_proposals(
    workspace: Workspace,
    actor: Actor,
    need_id: str,
    *,
    top: int = 10,
    cross_domain: bool = False,
    source: str = "live",
    judgements: bool = False,
) -> NeedProposals:
    """The proposals for one need (NotFound alike for a missing need and one `actor` may not read), from `source`:
    "live" (today's matcher) or "run" (the latest stored run with proposals for it that `actor` may read, ranked
    from 1 over those; today's matcher when there is none). With `judgements`, the latest workshop decision on each
    pair. Audited as a read naming the need and the seeds shown."""
    if source not in SOURCES:
        raise InputError(
            Message("source '{source}' must be one of {choices}", source=source, choices=", ".join(SOURCES)),
            field="source",
        )
    record = get_record(workspace, "needs", need_id, actor.clearance)
    need = Statement.of(record)
    index = SEED_INDEXES.get(workspace, actor.clearance)
    run = run_proposals(workspace, actor, need_id=need_id)
    shown = "run" if run is not None and source == "run" else "live"
    if shown == "run":
        assert run is not None
        proposals = _stored(run, index.seeds, cross_domain=cross_domain)[:top]
    else:
        proposals = index.propose(need, top, cross_domain=cross_domain)
    delivered(
        workspace,
        actor,
        SHOWN,
        records=[need_id, *(p.seed_id for p in proposals)],
        detail={
            "service": "match",
            "need": need_id,
            "source": shown,
            "run": run.id if shown == "run" and run is not None else None,
            "top": top,
            "cross_domain": cross_domain,
        },
    )
    return NeedProposals(
        record,
        shown,
        run,
        [(p, index.seeds[p.seed_id]) for p in proposals],
        index.label(Label.of(record), proposals),
        latest(workspace, actor, need_id) if judgements else {},
    )


def _stored(run: SavedRun, seeds: dict[str, Statement], *, cross_domain: bool) -> list[Proposal]:
    """The run's proposals whose seed the reader may still read (a seed relabelled above them since the run stays
    hidden, though the proposal kept its old label), in the cross view those the run found cross-domain, ranked
    from 1 over what is shown."""
    kept = [p for p in run.proposals if p.seed_id in seeds and (not cross_domain or p.evidence.get("cross_domain"))]
    return [dataclasses.replace(p, rank=rank) for rank, p in enumerate(kept, 1)]
