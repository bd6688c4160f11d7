"""The critical path of a valid roadmap (docs/roadmap.md, "Critical path").

A chain is a sequence of items each of which depends (finish-to-start) on the one before; its length is the sum of
its items' durations in whole months, start to end inclusive. The critical path is the longest chain; among chains
of equal length, the one whose items come first in the file (compared item by item, by their position in the file).
An item's slack is how many months its own longest chain (through it) is shorter than the critical path: 0 on the
critical path; the total float of the critical path method with durations alone.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kizashi.grow.roadmap_model import Roadmap


@dataclass(frozen=True)
class CriticalPath:
    path: list[str]
    length_months: int
    slack: dict[str, int]  # in the order of the file

    def as_dict(self) -> dict[str, Any]:
        return {"critical_path": self.path, "length_months": self.length_months, "slack": self.slack}


def critical_path(roadmap: Roadmap) -> CriticalPath:
    """The critical path of a roadmap with no errors (unique ids, known dependencies, no cycle: see
    roadmap_checks.validate, which the caller runs first)."""
    ids = [item.id for item in roadmap.items]
    durations = {item.id: item.months for item in roadmap.items}
    depends = {item.id: list(dict.fromkeys(item.depends_on)) for item in roadmap.items}
    return longest_chain(ids, durations, depends)


def longest_chain(
    ids: Sequence[str], durations: Mapping[str, int], depends: Mapping[str, Sequence[str]]
) -> CriticalPath:
    """The longest chain of an acyclic graph (each id → the ids it depends on), with the tie-break and slack above;
    apart from roadmaps so that it can be checked against brute force."""
    position = {name: i for i, name in enumerate(ids)}
    order = _topological(ids, depends)
    dependents: dict[str, list[str]] = {name: [] for name in ids}
    for name in ids:
        for before in depends[name]:
            dependents[before].append(name)
    # Best chain ending at each item, as positions in the file: longest, then first in the file. Appending the item
    # keeps that order between two candidates (neither is a prefix of the other: both end with their own last item).
    ending: dict[str, tuple[int, tuple[int, ...]]] = {}
    for name in order:
        own = durations[name]
        best: tuple[int, tuple[int, ...]] = (own, (position[name],))
        for before in depends[name]:
            length, chain = ending[before]
            candidate = (length + own, (*chain, position[name]))
            if _better(candidate, best):
                best = candidate
        ending[name] = best
    # Longest chain starting at each item (its own duration included), for the slack.
    starting: dict[str, int] = {}
    for name in reversed(order):
        starting[name] = durations[name] + max((starting[after] for after in dependents[name]), default=0)
    length, chain = ending[order[0]]
    for name in order[1:]:
        if _better(ending[name], (length, chain)):
            length, chain = ending[name]
    slack = {name: length - (ending[name][0] + starting[name] - durations[name]) for name in ids}
    return CriticalPath([ids[i] for i in chain], length, slack)


def _better(candidate: tuple[int, tuple[int, ...]], best: tuple[int, tuple[int, ...]]) -> bool:
    return candidate[0] > best[0] or (candidate[0] == best[0] and candidate[1] < best[1])


def _topological(ids: Sequence[str], depends: Mapping[str, Sequence[str]]) -> list[str]:
    """Ids with every dependency before its dependents (Kahn's algorithm, file order among the ready)."""
    waiting = {name: len(set(depends[name])) for name in ids}
    dependents: dict[str, list[str]] = {name: [] for name in ids}
    for name in ids:
        for before in set(depends[name]):
            dependents[before].append(name)
    position = {name: i for i, name in enumerate(ids)}
    ready = [(position[name], name) for name in ids if waiting[name] == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _, name = heapq.heappop(ready)
        order.append(name)
        for after in dependents[name]:
            waiting[after] -= 1
            if waiting[after] == 0:
                heapq.heappush(ready, (position[after], after))
    if len(order) != len(ids):
        raise ValueError("the dependencies have a cycle")  # callers validate first: a programming error
    return order
