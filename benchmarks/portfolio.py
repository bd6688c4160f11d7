"""Portfolio benchmark: the proven optimum of 500 generated candidate projects over 5 years against the greedy
value-per-cost baseline, in the same run.

The generator (seeded) gives each project a start year, a duration of 1–3 years and a cost of 5–40 units in each
of its years; a value growing with its total cost (cost^0.7 × a log-normal factor: bigger projects are worth more,
but not in proportion); one of five areas; a TRL now and target (max_trl_gap 4 excludes some); about 30 % of the
projects require one earlier project, and 40 pairs exclude each other. Each year's budget is a quarter of what all
candidates ask for that year, and each area must get at least three projects.

Timed: the solve to the proven optimum (HiGHS, relative gap 0), and the whole `optimize` (the tie-break's solves,
the next unit of each year's budget, the binding constraints). The baseline, greedy by value per cost, takes the
best projects of each area with a minimum first, then every project in order of value ÷ total cost with whatever it
requires (transitively) when all of it fits and nothing it brings is excluded by a chosen project. Printed: both
values, the greedy's shortfall (1 − greedy ÷ optimum) and the times; the goal is the optimum in under 10 s (GOAL).

    python benchmarks/portfolio.py                 # 500 projects, 5 years, seed 17
    python benchmarks/portfolio.py --n 1000 --seed 3
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from kizashi.grow.portfolio import best_value, optimize, programme
from kizashi.grow.portfolio_model import Loaded, load

GOAL = 10.0
AREAS = ("cyber", "space", "quantum", "bio", "energy")


def generate(n: int, years: int, seed: int) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    first = 2027
    projects: list[dict[str, Any]] = []
    for i in range(n):
        start = int(rng.integers(0, years))
        duration = int(rng.integers(1, 4))
        cost = {first + y: int(rng.integers(5, 41)) for y in range(start, min(years, start + duration))}
        now = int(rng.integers(1, 8))
        project: dict[str, Any] = {
            "id": f"P{i + 1:03d}",
            "value": round(float(sum(cost.values()) ** 0.7 * rng.lognormal(1.0, 0.5)), 1),
            "area": AREAS[int(rng.integers(0, len(AREAS)))],
            "cost": cost,
            "trl": {"now": now, "target": int(rng.integers(now, 10))},
        }
        if i and rng.random() < 0.3:
            project["requires"] = [f"P{int(rng.integers(0, i)) + 1:03d}"]
        projects.append(project)
    for _ in range(40):
        a, b = (int(k) for k in rng.choice(n, 2, replace=False))
        if projects[b]["id"] not in projects[a].get("excludes", []):
            projects[a].setdefault("excludes", []).append(projects[b]["id"])
    demand = {first + y: sum(p["cost"].get(first + y, 0) for p in projects) for y in range(years)}
    return {
        "id": "bench",
        "budget": {year: round(total / 4) for year, total in demand.items()},
        "min_per_area": dict.fromkeys(AREAS, 3),
        "max_trl_gap": 4,
        "projects": projects,
    }


def greedy(loaded: Loaded) -> tuple[float, bool]:
    """(value, whether every area minimum was met) of the greedy value-per-cost portfolio (the module's docstring)."""
    portfolio = loaded.portfolio
    projects = portfolio.projects
    index = {p.id: i for i, p in enumerate(projects)}
    gap = portfolio.max_trl_gap
    eligible = [gap is None or p.trl is None or p.trl.target - p.trl.now <= gap for p in projects]
    left = dict(portfolio.budget)
    chosen: set[int] = set()

    def bundle(i: int) -> set[int]:
        found, todo = set(), [i]
        while todo:
            j = todo.pop()
            if j not in found and j not in chosen:
                found.add(j)
                todo += [index[r] for r in projects[j].requires]
        return found

    def take(i: int) -> bool:
        group = bundle(i)
        if not all(eligible[j] for j in group):
            return False
        everyone = chosen | group
        if any(index[e] in everyone for j in everyone for e in projects[j].excludes):
            return False
        need: dict[int, float] = {}
        for j in group:
            for year, amount in projects[j].cost.items():
                need[year] = need.get(year, 0.0) + amount
        if any(need[year] > left[year] + 1e-9 for year in need):
            return False
        for year, amount in need.items():
            left[year] -= amount
        chosen.update(group)
        return True

    def ratio(i: int) -> float:
        return loaded.values[i] / max(sum(projects[i].cost.values()), 1e-9)

    order = sorted(range(len(projects)), key=lambda i: (-ratio(i), i))
    met = True
    for area, minimum in portfolio.min_per_area.items():
        count = sum(1 for j in chosen if projects[j].area == area)
        for i in order:
            if count >= minimum:
                break
            if projects[i].area == area and i not in chosen and take(i):
                count = sum(1 for j in chosen if projects[j].area == area)
        met = met and count >= minimum
    for i in order:
        if i not in chosen:
            take(i)
    return sum(loaded.values[i] for i in chosen), met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "portfolio.yaml"
        path.write_text(yaml.safe_dump(generate(args.n, args.years, args.seed), allow_unicode=True), encoding="utf-8")
        started = time.perf_counter()
        loaded = load(path)
        read = time.perf_counter() - started
    made = programme(loaded)
    started, cpu = time.perf_counter(), time.process_time()
    x = best_value(made, made.constraints)
    proven, proven_cpu = time.perf_counter() - started, time.process_time() - cpu
    assert x is not None, "the generated portfolio is infeasible"
    started, cpu = time.perf_counter(), time.process_time()
    result = optimize(loaded)
    whole, whole_cpu = time.perf_counter() - started, time.process_time() - cpu
    started = time.perf_counter()
    baseline, met = greedy(loaded)
    greedy_time = time.perf_counter() - started
    best = float(result["value"])
    assert abs(best - float(made.values @ x)) <= 1e-6 * max(1.0, best)
    print(f"{args.n} projects, {args.years} years, seed {args.seed}: {len(made.constraints)} constraints")
    print(f"  read and checked      {read:8.2f} s")
    print(f"  proven optimum        {proven:8.2f} s (CPU {proven_cpu:.2f} s)   value {best:,.1f}", end="")
    print(f"   ({len(result['chosen'])} projects)")
    print(
        f"  whole optimize        {whole:8.2f} s (CPU {whole_cpu:.2f} s): tie-break, next unit × {args.years}, binding"
    )
    print(f"  greedy value per cost {greedy_time:8.2f} s   value {baseline:,.1f}", end="")
    print("" if met else "  (misses an area minimum)")
    print(f"  greedy shortfall      {1 - baseline / best:8.2%}")
    print(f"  goal: proven optimum under {GOAL:.0f} s: {'met' if proven < GOAL else 'NOT met'}")


if __name__ == "__main__":
    main()
