"""The programme portfolio, solved exactly: choose projects (x_i ∈ {0, 1}) to maximise Σ value_i·x_i under

- budget:Y        Σ cost_i,Y·x_i ≤ budget_Y           for each year Y of the budget
- min_per_area:A  Σ_{i in A} x_i ≥ minimum_A
- requires:P->Q   x_P ≤ x_Q
- excludes:P|Q    x_P + x_Q ≤ 1
- trl_gap:P       x_P = 0 when P's TRL target − now exceeds max_trl_gap

with scipy.optimize.milp (HiGHS, relative gap 0: the optimum is proven). Ties among optimal portfolios are broken
by further solves, never by a small weight added to the values (which shifts the optimum when values are large or
close): (1) the greatest value; (2) among those, the least total spend; (3) among those, the earliest projects in
file order (the chosen sets compared as bit strings x_1 x_2 … x_n, the larger first). A value or a spend within
`TIE` of the best (relative to the file's total) counts as equal. One solve first proves the optimum unique (the
usual case: done); only when it is not do steps 2 and 3 run, step 3 with one solve per project not yet chosen.

An infeasible file is explained by an irreducible set of the named constraints (a deletion filter): they conflict
together and dropping any one of them leaves a feasible programme.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

from kizashi.errors import InputError, KizashiError
from kizashi.grow.portfolio_model import Loaded
from kizashi.messages import Message

TIE = 1e-9  # relative to the total of |values| (or of costs): what counts as an equal value or spend
_SLACK = 1e-7  # a constraint with less slack than this (relative to its scale) is binding


@dataclass(frozen=True)
class Constraint:
    """One named linear constraint lower ≤ Σ coefficient·x ≤ upper over project indices."""

    name: str
    coefficients: dict[int, float]
    lower: float = -np.inf
    upper: float = np.inf
    described: Message | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Programme:
    """The mixed-integer programme of a portfolio file: values, costs per year, the named constraints."""

    ids: list[str]
    values: np.ndarray
    years: list[int]
    costs: np.ndarray  # projects × years
    budget: np.ndarray  # per year
    constraints: list[Constraint]
    trl_excluded: list[str]


class Infeasible(InputError):
    """No portfolio meets every constraint; `conflict` names an irreducible set of them."""

    def __init__(self, detail: str, *, file: Any, conflict: list[Constraint]) -> None:
        super().__init__(detail, file=file)
        self.conflict = conflict


class SolverFailed(KizashiError):
    exit_code = 1


def programme(loaded: Loaded) -> Programme:
    """The programme of a checked portfolio."""
    portfolio = loaded.portfolio
    projects = portfolio.projects
    index = {project.id: i for i, project in enumerate(projects)}
    years = sorted(portfolio.budget)
    costs = np.array([[float(project.cost.get(year, 0.0)) for year in years] for project in projects])
    budget = np.array([float(portfolio.budget[year]) for year in years])
    constraints: list[Constraint] = []
    for column, year in enumerate(years):
        spending = {i: costs[i, column] for i in range(len(projects)) if costs[i, column]}
        constraints.append(
            Constraint(
                f"budget:{year}",
                spending,
                upper=budget[column],
                described=Message("budget {year}: at most {amount}", year=year, amount=_number(budget[column])),
            )
        )
    for area, minimum in sorted(portfolio.min_per_area.items()):
        members = {i: 1.0 for i, project in enumerate(projects) if project.area == area}
        constraints.append(
            Constraint(
                f"min_per_area:{area}",
                members,
                lower=float(minimum),
                described=Message("area {area}: at least {minimum} project(s)", area=area, minimum=minimum),
            )
        )
    for i, project in enumerate(projects):
        for other in project.requires:
            j = index[other]
            constraints.append(
                Constraint(
                    f"requires:{project.id}->{other}",
                    {i: 1.0, j: -1.0} if i != j else {},
                    upper=0.0,
                    described=Message("{project} requires {other}", project=project.id, other=other),
                )
            )
    seen: set[tuple[int, int]] = set()
    for i, project in enumerate(projects):
        for other in project.excludes:
            pair = (min(i, index[other]), max(i, index[other]))
            if pair in seen:
                continue  # P excludes Q and Q excludes P are the same constraint
            seen.add(pair)
            first, second = projects[pair[0]].id, projects[pair[1]].id
            constraints.append(
                Constraint(
                    f"excludes:{first}|{second}",
                    {pair[0]: 1.0, pair[1]: 1.0},
                    upper=1.0,
                    described=Message("{project} and {other} exclude each other", project=first, other=second),
                )
            )
    excluded = []
    if portfolio.max_trl_gap is not None:
        for i, project in enumerate(projects):
            if project.trl is not None and project.trl.target - project.trl.now > portfolio.max_trl_gap:
                excluded.append(project.id)
                constraints.append(
                    Constraint(
                        f"trl_gap:{project.id}",
                        {i: 1.0},
                        upper=0.0,
                        described=Message(
                            "{project}: TRL {now} → {target} is a gap over the maximum {gap}",
                            project=project.id,
                            now=project.trl.now,
                            target=project.trl.target,
                            gap=portfolio.max_trl_gap,
                        ),
                    )
                )
    return Programme(
        [project.id for project in projects],
        np.array(loaded.values, dtype=float),
        years,
        costs,
        budget,
        constraints,
        excluded,
    )


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(float(value), 9)


# ---------------------------------------------------------------- solving


def _solve(
    n: int,
    objective: np.ndarray,
    constraints: Sequence[Constraint],
    fixed: dict[int, int] | None = None,
) -> np.ndarray | None:
    """A 0/1 vector minimising `objective` under `constraints` (None when infeasible), proven optimal."""
    fixed = fixed or {}
    lower, upper = np.zeros(n), np.ones(n)
    for i, value in fixed.items():
        lower[i] = upper[i] = value
    rows, cols, data, lo, hi = [], [], [], [], []
    for r, constraint in enumerate(constraints):
        for i, coefficient in constraint.coefficients.items():
            rows.append(r)
            cols.append(i)
            data.append(coefficient)
        lo.append(constraint.lower)
        hi.append(constraint.upper)
    kwargs: dict[str, Any] = {}
    if constraints:
        matrix = csr_matrix((data, (rows, cols)), shape=(len(constraints), n))
        kwargs["constraints"] = LinearConstraint(matrix, lo, hi)
    with _stdout_silenced():
        result = milp(
            objective,
            integrality=np.ones(n),
            bounds=Bounds(lower, upper),
            options={"mip_rel_gap": 0.0, "presolve": True},
            **kwargs,
        )
    if result.status == 2:
        return None
    if result.status != 0 or result.x is None:
        raise SolverFailed(Message("the solver stopped without a proven answer: {problem}", problem=result.message))
    chosen: np.ndarray = np.round(result.x).astype(int)
    return chosen


_SILENCE = threading.Lock()


@contextmanager
def _stdout_silenced() -> Iterator[None]:
    """HiGHS (built into scipy) prints a debugging line straight to file descriptor 1 on some models, where the
    command line's JSON goes: the descriptor points at the null device while it solves."""
    with _SILENCE:
        sys.stdout.flush()
        try:
            saved = os.dup(1)
        except OSError:  # no descriptor 1 (a detached process): nothing to keep clean
            yield
            return
        try:
            with open(os.devnull, "wb") as null:
                os.dup2(null.fileno(), 1)
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)


def feasible(programme: Programme, constraints: Sequence[Constraint]) -> bool:
    return _solve(len(programme.ids), np.zeros(len(programme.ids)), constraints) is not None


def best_value(programme: Programme, constraints: Sequence[Constraint]) -> np.ndarray | None:
    """A portfolio of the greatest value, proven (before any tie-break); None when infeasible."""
    return _solve(len(programme.ids), -programme.values, constraints)


def conflict(programme: Programme) -> list[Constraint]:
    """An irreducible infeasible subset of the named constraints: a deletion filter (drop a constraint when the rest
    stay infeasible), tried first on blocks of constraints, halving the block each pass down to single ones, so a
    small conflict among hundreds of constraints costs tens of solves rather than one per constraint. The last pass,
    one constraint at a time, is the plain filter: each constraint kept was needed when it was tried, and dropping
    others afterwards cannot make it unneeded (fewer constraints only make the rest more feasible). The constraints
    that force a choice (min_per_area) come last: every conflict holds at least one of them."""
    kept = sorted(programme.constraints, key=lambda c: c.name.startswith("min_per_area:"))
    block = max(1, len(kept) // 2)
    while True:
        start = 0
        while start < len(kept):
            rest = kept[:start] + kept[start + block :]
            if feasible(programme, rest):
                start += block
            else:
                kept = rest
        if block == 1:
            return kept
        block = max(1, block // 2)


def _tie(total: float) -> float:
    return TIE * max(1.0, total)


def optimum(programme: Programme, constraints: Sequence[Constraint] | None = None) -> np.ndarray | None:
    """The chosen 0/1 vector after the tie-break of the module's docstring (None when infeasible). The usual case,
    one optimum, costs two solves: the optimum, and the proof that no other portfolio reaches its value."""
    constraints = list(programme.constraints if constraints is None else constraints)
    n = len(programme.ids)
    first = best_value(programme, constraints)
    if first is None:
        return None
    values, spend = programme.values, programme.costs.sum(axis=1)
    best = float(values @ first)
    at_best = Constraint("value", dict(enumerate(values)), lower=best - _tie(float(np.abs(values).sum())))
    if _solve(n, np.zeros(n), [*constraints, at_best, _another(first)]) is None:
        return first
    second = _solve(n, spend, [*constraints, at_best])
    if second is None:  # the first answer itself meets it; a solver's tolerance said otherwise
        second = first
    least = float(spend @ second)
    at_least = Constraint("spend", dict(enumerate(spend)), upper=least + _tie(float(spend.sum())))
    tied = [*constraints, at_best, at_least]
    chosen = second
    if _solve(n, np.zeros(n), [*tied, _another(chosen)]) is None:
        return chosen
    # Several portfolios share the best value and the least spend: the bit string x1 x2 … xn made as large as it
    # can be, project by project (a project the incumbent holds is known to be possible: no solve).
    fixed: dict[int, int] = {}
    for i in range(n):
        if chosen[i]:
            fixed[i] = 1
            continue
        found = _solve(n, np.zeros(n), tied, {**fixed, i: 1})
        if found is None:
            fixed[i] = 0
        else:
            chosen, fixed[i] = found, 1
    return chosen


def _another(x: np.ndarray) -> Constraint:
    """Any portfolio but `x`: at least one choice differs (Σ_{i∉x} x_i + Σ_{i∈x} (1 − x_i) ≥ 1)."""
    return Constraint("other", {i: (-1.0 if x[i] else 1.0) for i in range(len(x))}, lower=1.0 - float(x.sum()))


def _binding(programme: Programme, x: np.ndarray) -> list[str]:
    """The constraints with no slack at the chosen portfolio that do some work: a budget spent to the full, an area
    at its minimum, a requirement of a chosen project, an exclusion with one side chosen, a TRL gap that keeps a
    project out."""
    names = []
    for constraint in programme.constraints:
        level = sum(coefficient * x[i] for i, coefficient in constraint.coefficients.items())
        scale = max(1.0, abs(constraint.upper) if np.isfinite(constraint.upper) else abs(constraint.lower))
        tight_upper = np.isfinite(constraint.upper) and constraint.upper - level <= _SLACK * scale
        tight_lower = np.isfinite(constraint.lower) and level - constraint.lower <= _SLACK * scale
        if constraint.name.startswith("requires:"):
            working = tight_upper and any(x[i] for i, c in constraint.coefficients.items() if c > 0)
        elif constraint.name.startswith("excludes:"):
            working = tight_upper
        elif constraint.name.startswith("min_per_area:"):
            working = tight_lower and constraint.lower > 0
        else:
            working = tight_upper or tight_lower
        if working:
            names.append(constraint.name)
    return names


def optimize(loaded: Loaded) -> dict[str, Any]:
    """The optimal portfolio of a checked file: chosen ids (file order), value, spend per year, binding constraints,
    and what one more unit of each year's budget would add to the optimum; Infeasible naming a conflict."""
    made = programme(loaded)
    x = optimum(made)
    if x is None:
        found = conflict(made)
        raise Infeasible(
            Message(
                "no portfolio meets every constraint; these {count} conflict (dropping any one of them resolves it): "
                "{constraints}",
                count=len(found),
                constraints=_listed(found),
            ),
            file=loaded.file,
            conflict=found,
        )
    value = float(made.values @ x)
    return {
        "chosen": [made.ids[i] for i in range(len(made.ids)) if x[i]],
        "value": _number(value),
        "spent": {str(year): _number(made.costs[:, j] @ x) for j, year in enumerate(made.years)},
        "binding": _binding(made, x),
        "next_unit": {str(year): _number(_gain(made, j, value)) for j, year in enumerate(made.years)},
        "excluded_by_trl": made.trl_excluded,
    }


def _gain(made: Programme, column: int, value: float) -> float:
    """The optimum's rise with one more unit of the budget of the year in `column` (never below zero)."""
    constraints = list(made.constraints)
    budget = constraints[column]  # the budgets come first, in the order of the years (see `programme`)
    constraints[column] = Constraint(budget.name, budget.coefficients, budget.lower, budget.upper + 1.0)
    x = best_value(made, constraints)
    if x is None:
        return 0.0
    return max(0.0, float(made.values @ x) - value)


def _listed(constraints: Sequence[Constraint]) -> _Conflict:
    """The conflicting constraints as one parameter that says itself in each language: name (description); …"""
    return _Conflict(constraints)


class _Conflict(str):
    """A Message parameter: the constraints by name with their description in the reader's language."""

    constraints: list[Constraint]

    def __new__(cls, constraints: Sequence[Constraint]) -> _Conflict:
        made = super().__new__(cls, _Conflict._text(constraints, "en"))
        made.constraints = list(constraints)
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return (_Conflict, (self.constraints,))

    @staticmethod
    def _text(constraints: Sequence[Constraint], lang: str) -> str:
        return "; ".join(f"{c.name} ({c.described.said(lang)})" if c.described else c.name for c in constraints)

    def said(self, lang: str) -> str:
        return _Conflict._text(self.constraints, lang)
