"""Assignment for matching workshops: each seed to at most N needs, each need at least one seed, total score maximal.

A mixed-integer programme over the proposals (scipy.optimize.milp, HiGHS): x[p] ∈ {0, 1} for every proposal p;
Σ x over a seed's proposals ≤ N; Σ x over a need's proposals ≥ 1; maximise Σ score·x. A greedy loop can give a
seed to the need that wants it most and leave another need with nothing; the programme cannot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from kizashi.errors import InputError
from kizashi.messages import Message
from kizashi.retrieval import Proposal


def assign(results: Mapping[str, Sequence[Proposal]], per_seed: int = 1, per_need: int | None = None) -> list[Proposal]:
    """The proposals chosen (need id → its proposals in, chosen ones out, in the input's order). `per_need` caps
    how many seeds one need gets (default: all its proposals may be chosen). InputError when no assignment exists."""
    if per_seed < 1:
        raise InputError(Message("each seed must be allowed at least one need (--per-seed ≥ 1)"), field="per-seed")
    proposals = [p for need_proposals in results.values() for p in need_proposals]
    empty = [need for need, need_proposals in results.items() if not need_proposals]
    if empty:
        raise InputError(
            Message("no seed was proposed for {needs}: they cannot be assigned", needs=", ".join(empty[:5])),
            field="needs",
        )
    if not proposals:
        return []
    seeds = sorted({p.seed_id for p in proposals})
    needs = list(results)
    seed_row = {seed: row for row, seed in enumerate(seeds)}
    need_row = {need: row for row, need in enumerate(needs)}
    rows, columns = [], []
    for column, proposal in enumerate(proposals):
        rows += [seed_row[proposal.seed_id], len(seeds) + need_row[proposal.need_id]]
        columns += [column, column]
    matrix = csr_array((np.ones(len(rows)), (rows, columns)), shape=(len(seeds) + len(needs), len(proposals)))
    lower = np.concatenate([np.full(len(seeds), -np.inf), np.ones(len(needs))])
    upper = np.concatenate([np.full(len(seeds), per_seed), np.full(len(needs), per_need or np.inf)])
    result = milp(
        c=-np.array([p.score or 0.0 for p in proposals]),  # milp minimises
        constraints=LinearConstraint(matrix, lower, upper),
        integrality=np.ones(len(proposals)),
        bounds=Bounds(0, 1),
    )
    if result.status != 0 or result.x is None:
        raise InputError(
            Message(
                "no assignment gives every need a seed with at most {per_seed} need(s) per seed; "
                "raise --per-seed or --top",
                per_seed=per_seed,
            ),
            field="per-seed",
        )
    return [proposal for proposal, chosen in zip(proposals, result.x, strict=True) if chosen > 0.5]
