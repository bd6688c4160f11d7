"""The portfolio optimum against brute force on small random instances: the same chosen set (value, then least
spend, then earliest projects in file order), the same spend and next-unit gains; infeasible instances detected and
explained by a conflict that is infeasible while dropping any one of its constraints makes it feasible."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizashi.grow.portfolio import Infeasible, optimize
from kizashi.grow.portfolio_model import Loaded, Portfolio

YEARS = (2027, 2028, 2029)
AREAS = ("cyber", "space", "bio")


@st.composite
def instances(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(1, 9))
    ids = [f"P{i + 1}" for i in range(n)]
    years = YEARS[: draw(st.integers(1, 3))]
    projects = []
    for pid in ids:
        project: dict[str, Any] = {
            "id": pid,
            "value": draw(st.integers(-3, 12)),  # small integers: ties are frequent, and so tested
            "area": draw(st.sampled_from(AREAS)),
            "cost": {y: draw(st.integers(0, 9)) for y in years if draw(st.booleans())},
        }
        others = [o for o in ids if o != pid]
        if others and draw(st.integers(0, 3)) == 0:
            project["requires"] = draw(st.lists(st.sampled_from(others), max_size=2, unique=True))
        if others and draw(st.integers(0, 3)) == 0:
            project["excludes"] = draw(st.lists(st.sampled_from(others), max_size=2, unique=True))
        if draw(st.booleans()):
            now = draw(st.integers(1, 9))
            project["trl"] = {"now": now, "target": draw(st.integers(now, 9))}
        projects.append(project)
    data: dict[str, Any] = {"budget": {y: draw(st.integers(0, 25)) for y in years}, "projects": projects}
    minimums = draw(st.dictionaries(st.sampled_from(AREAS), st.integers(0, 2), max_size=2))
    if minimums:
        data["min_per_area"] = minimums
    if draw(st.booleans()):
        data["max_trl_gap"] = draw(st.integers(0, 4))
    return data


def loaded(data: dict[str, Any]) -> Loaded:
    portfolio = Portfolio.model_validate(data)
    return Loaded(
        Path("random.yaml"), portfolio, [float(p["value"]) for p in data["projects"]], [None] * len(data["projects"])
    )


# ---------------------------------------------------------------- the brute force, written from the format alone


def holds(data: dict[str, Any], chosen: tuple[int, ...], name: str) -> bool:
    """Whether the constraint called `name` (docs/portfolio.md) holds for the 0/1 choice `chosen`."""
    projects = data["projects"]
    index = {p["id"]: i for i, p in enumerate(projects)}
    kind, _, what = name.partition(":")
    if kind == "budget":
        year = int(what)
        return sum(p["cost"].get(year, 0) * x for p, x in zip(projects, chosen, strict=True)) <= data["budget"][year]
    if kind == "min_per_area":
        return sum(x for p, x in zip(projects, chosen, strict=True) if p["area"] == what) >= data["min_per_area"][what]
    if kind == "requires":
        first, second = what.split("->")
        return chosen[index[first]] <= chosen[index[second]]
    if kind == "excludes":
        first, second = what.split("|")
        return chosen[index[first]] + chosen[index[second]] <= 1
    if kind == "trl_gap":
        return chosen[index[what]] == 0
    raise AssertionError(f"unknown constraint {name}")


def constraint_names(data: dict[str, Any]) -> list[str]:
    """Every constraint of the file by its documented name."""
    names = [f"budget:{y}" for y in data["budget"]]
    names += [f"min_per_area:{a}" for a in data.get("min_per_area", {})]
    for p in data["projects"]:
        names += [f"requires:{p['id']}->{q}" for q in p.get("requires", [])]
        names += ["excludes:" + "|".join(sorted((p["id"], q), key=lambda i: int(i[1:]))) for q in p.get("excludes", [])]
        gap = data.get("max_trl_gap")
        if gap is not None and "trl" in p and p["trl"]["target"] - p["trl"]["now"] > gap:
            names.append(f"trl_gap:{p['id']}")
    return sorted(set(names))


def feasible_choices(data: dict[str, Any], names: list[str]) -> list[tuple[int, ...]]:
    n = len(data["projects"])
    return [c for c in itertools.product((0, 1), repeat=n) if all(holds(data, c, name) for name in names)]


def brute_best(data: dict[str, Any]) -> tuple[int, ...] | None:
    """The documented tie-break: greatest value, then least total spend, then the larger bit string x1 x2 … xn."""
    choices = feasible_choices(data, constraint_names(data))
    if not choices:
        return None
    values = [p["value"] for p in data["projects"]]
    spend = [sum(p["cost"].values()) for p in data["projects"]]

    def key(c: tuple[int, ...]) -> tuple[int, int, tuple[int, ...]]:
        return (
            sum(v * x for v, x in zip(values, c, strict=True)),
            -sum(s * x for s, x in zip(spend, c, strict=True)),
            c,
        )

    return max(choices, key=key)


def value_of(data: dict[str, Any], chosen: tuple[int, ...]) -> int:
    return sum(p["value"] * x for p, x in zip(data["projects"], chosen, strict=True))


# ---------------------------------------------------------------- the tests


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_optimum_is_the_brute_force_optimum_with_its_tie_break(data: dict[str, Any]) -> None:
    best = brute_best(data)
    if best is None:
        with pytest.raises(Infeasible):
            optimize(loaded(data))
        return
    result = optimize(loaded(data))
    ids = [p["id"] for p in data["projects"]]
    assert result["chosen"] == [pid for pid, x in zip(ids, best, strict=True) if x]
    assert result["value"] == value_of(data, best)
    for year in data["budget"]:
        spent = sum(p["cost"].get(year, 0) * x for p, x in zip(data["projects"], best, strict=True))
        assert result["spent"][str(year)] == spent
        assert (f"budget:{year}" in result["binding"]) == (spent == data["budget"][year])
        more = {**data, "budget": {**data["budget"], year: data["budget"][year] + 1}}
        better = brute_best(more)
        assert better is not None
        assert result["next_unit"][str(year)] == value_of(more, better) - value_of(data, best)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_an_infeasible_instance_names_an_irreducible_conflict(data: dict[str, Any]) -> None:
    # Force infeasibility often: every area of the file wants more projects than it may have.
    data = {**data, "min_per_area": {a: 2 for a in AREAS[:2]}}
    if brute_best(data) is not None:
        return
    with pytest.raises(Infeasible) as raised:
        optimize(loaded(data))
    names = [c.name for c in raised.value.conflict]
    assert names and set(names) <= set(constraint_names(data))
    assert not feasible_choices(data, names), "the conflict must itself be infeasible"
    for dropped in names:
        # Dropping one is enough to check every proper subset: fewer constraints never make a choice infeasible.
        assert feasible_choices(data, [n for n in names if n != dropped]), f"{dropped} is not needed in the conflict"
    for name in names:
        assert name in str(raised.value)


def test_ties_go_to_the_cheaper_then_to_the_earlier_project() -> None:
    data: dict[str, Any] = {
        "budget": {2027: 10},
        "projects": [
            {"id": "A", "value": 5, "cost": {2027: 6}},
            {"id": "B", "value": 5, "cost": {2027: 4}},  # same value as A, cheaper: chosen
            {"id": "C", "value": 5, "cost": {2027: 4}},  # same as B, later in the file: not chosen
        ],
    }
    assert optimize(loaded(data))["chosen"] == ["B", "C"]  # 10 for 8 beats A+B's 10 for 10
    data["budget"] = {2027: 4}
    assert optimize(loaded(data))["chosen"] == ["B"]
    data["projects"][2]["cost"] = {2027: 4}
    data["projects"].reverse()  # now C comes first
    assert optimize(loaded(data))["chosen"] == ["C"]


def test_a_project_beyond_the_trl_gap_is_never_chosen() -> None:
    data: dict[str, Any] = {
        "budget": {2027: 10},
        "max_trl_gap": 2,
        "projects": [
            {"id": "far", "value": 50, "cost": {2027: 1}, "trl": {"now": 1, "target": 7}},
            {"id": "near", "value": 1, "cost": {2027: 1}, "trl": {"now": 5, "target": 7}},
        ],
    }
    result = optimize(loaded(data))
    assert result["chosen"] == ["near"]
    assert result["excluded_by_trl"] == ["far"]
    assert "trl_gap:far" in result["binding"]
