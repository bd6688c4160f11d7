"""What makes a roadmap contradict itself, each finding naming the items involved (docs/roadmap.md, "Validation").

Errors (the roadmap is not valid; `kizashi roadmap validate` exits 2): two items with one id, a dependency on an id
the file lacks, a dependency cycle (every item on it named), an item that starts after it ends, an item that starts
in or before the month a dependency ends (finish-to-start, end inclusive), a TRL that goes down (within an item, or
along a dependency: the dependent starts below the TRL its dependency reaches), a barrier without owner or kind.
Warnings (valid, but worth a look): a barrier kind on an item outside the barrier lane, an MRL that goes down within
an item, a key the format does not have (ignored).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from kizashi.grow.roadmap_model import BARRIER_WORDS, LANE_WORDS, Item, Roadmap, month_number
from kizashi.messages import Message

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str
    message: Message
    items: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        """For JSON: the message in English (programs read it), the items by id."""
        return {"severity": self.severity, "code": self.code, "message": str(self.message), "items": list(self.items)}


def validate(roadmap: Roadmap) -> list[Finding]:
    """Every finding, errors first, each kind in the order of the items in the file."""
    findings = [
        *_duplicates(roadmap.items),
        *_unknown(roadmap.items),
        *_cycles(roadmap.items),
        *_own_dates(roadmap.items),
        *_dates_along(roadmap.items),
        *_trl(roadmap.items),
        *_barriers(roadmap.items),
        *_warnings(roadmap.items),
        *_ignored(roadmap),
    ]
    return sorted(findings, key=lambda finding: finding.severity != "error")  # stable: file order within each


def errors_in(findings: Sequence[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.severity == "error"]


def _joined(ids: Sequence[str]) -> str:
    return ", ".join(ids)


def _duplicates(items: Sequence[Item]) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for item in items:
        seen[item.id] = seen.get(item.id, 0) + 1
    for name, count in seen.items():
        if count > 1:
            yield Finding(
                "error",
                "duplicate_id",
                Message("{count} items have the id {item}", count=count, item=name),
                (name,),
            )


def _unknown(items: Sequence[Item]) -> Iterator[Finding]:
    known = {item.id for item in items}
    for item in items:
        for dependency in item.depends_on:
            if dependency not in known:
                yield Finding(
                    "error",
                    "unknown_dependency",
                    Message(
                        "{item} depends on {dependency}, which is not an item of this roadmap",
                        item=item.id,
                        dependency=dependency,
                    ),
                    (item.id, dependency),
                )


def graph(items: Sequence[Item]) -> dict[str, list[str]]:
    """Each item's id → the ids it depends on that the file has (unknown ones are findings of their own), in the
    order the file gives them, each once."""
    known = {item.id for item in items}
    return {item.id: list(dict.fromkeys(d for d in item.depends_on if d in known)) for item in items}


def strongly_connected(order: Sequence[str], edges: dict[str, list[str]]) -> list[list[str]]:
    """The strongly connected components of the graph (Tarjan's algorithm, iterative so that a long chain cannot
    exhaust the stack), each in the order of `order`."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = 0
    for root in order:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            successors = edges.get(node, [])
            if position < len(successors):
                work.append((node, position + 1))
                successor = successors[position]
                if successor not in index:
                    work.append((successor, 0))
                elif successor in on_stack:
                    low[node] = min(low[node], index[successor])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                rank = {name: i for i, name in enumerate(order)}
                components.append(sorted(component, key=rank.__getitem__))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return components


def _cycle_through(start: str, members: set[str], edges: dict[str, list[str]]) -> list[str]:
    """One cycle from `start` back to it inside its component (breadth-first: a shortest one), as ids in the order
    of dependency: each depends on the next."""
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for successor in edges[node]:
                if successor not in members:
                    continue
                if successor == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [start, *reversed(path[:-1]), start]
                if successor not in previous:
                    previous[successor] = node
                    following.append(successor)
        frontier = following
    return [start, start]  # unreachable for a component with a cycle


def _cycles(items: Sequence[Item]) -> Iterator[Finding]:
    edges = graph(items)
    order = list(dict.fromkeys(item.id for item in items))
    for component in strongly_connected(order, edges):
        cyclic = len(component) > 1 or component[0] in edges[component[0]]
        if not cyclic:
            continue
        path = _cycle_through(component[0], set(component), edges)
        yield Finding(
            "error",
            "cycle",
            Message("dependency cycle through {items}: {path}", items=_joined(component), path=" → ".join(path)),
            tuple(component),
        )


def _own_dates(items: Sequence[Item]) -> Iterator[Finding]:
    for item in items:
        if month_number(item.start) > month_number(item.end):
            yield Finding(
                "error",
                "start_after_end",
                Message("{item} starts ({start}) after it ends ({end})", item=item.id, start=item.start, end=item.end),
                (item.id,),
            )


def _by_id(items: Sequence[Item]) -> dict[str, Item]:
    """The first item of each id (a repeated id is a finding of its own)."""
    found: dict[str, Item] = {}
    for item in items:
        found.setdefault(item.id, item)
    return found


def _dates_along(items: Sequence[Item]) -> Iterator[Finding]:
    by_id = _by_id(items)
    edges = graph([*by_id.values()])
    for item in by_id.values():
        for dependency in edges[item.id]:
            if dependency == item.id:
                continue  # a cycle of one, a finding of its own
            before = by_id[dependency]
            if month_number(item.start) <= month_number(before.end):
                yield Finding(
                    "error",
                    "starts_before_dependency_ends",
                    Message(
                        "{item} starts {start}, but {dependency}, which it depends on, ends {end}",
                        item=item.id,
                        start=item.start,
                        dependency=dependency,
                        end=before.end,
                    ),
                    (item.id, dependency),
                )


def _trl(items: Sequence[Item]) -> Iterator[Finding]:
    by_id = _by_id(items)
    edges = graph([*by_id.values()])
    for item in items:
        if item.trl is not None and item.trl.from_ > item.trl.to:
            yield Finding(
                "error",
                "trl_down_within_item",
                Message(
                    "the TRL of {item} goes down, from {start} to {end}",
                    item=item.id,
                    start=item.trl.from_,
                    end=item.trl.to,
                ),
                (item.id,),
            )
    for item in by_id.values():
        for dependency in edges[item.id]:
            reached = by_id[dependency].trl
            if dependency == item.id or item.trl is None or reached is None or item.trl.from_ >= reached.to:
                continue
            yield Finding(
                "error",
                "trl_down_along_dependency",
                Message(
                    "the TRL goes down along a dependency: {dependency} reaches TRL {reached}, "
                    "but {item}, which depends on it, starts at TRL {start}",
                    dependency=dependency,
                    reached=reached.to,
                    item=item.id,
                    start=item.trl.from_,
                ),
                (item.id, dependency),
            )


def _barriers(items: Sequence[Item]) -> Iterator[Finding]:
    for item in items:
        if item.lane != "barrier":
            continue
        if not item.owner:
            yield Finding(
                "error",
                "barrier_without_owner",
                Message("the barrier {item} has no owner (who removes it)", item=item.id),
                (item.id,),
            )
        if item.kind is None:
            yield Finding(
                "error",
                "barrier_without_kind",
                Message(
                    "the barrier {item} has no kind (one of {kinds})",
                    item=item.id,
                    kinds=", ".join(BARRIER_WORDS),
                ),
                (item.id,),
            )


def _ignored(roadmap: Roadmap) -> Iterator[Finding]:
    for where, key in roadmap.ignored:
        if where:
            message = Message(
                "{item} has '{key}', which is not a field of the roadmap format: ignored", item=where, key=key
            )
        else:
            message = Message("the roadmap has '{key}', which is not a field of the format: ignored", key=key)
        yield Finding("warning", "unknown_field", message, (where,) if where else ())


def _warnings(items: Sequence[Item]) -> Iterator[Finding]:
    for item in items:
        if item.kind is not None and item.lane != "barrier":
            yield Finding(
                "warning",
                "kind_outside_barrier_lane",
                Message(
                    "{item} is in the {lane} lane: its barrier kind {kind} is ignored",
                    item=item.id,
                    lane=LANE_WORDS[item.lane],
                    kind=BARRIER_WORDS[item.kind],
                ),
                (item.id,),
            )
        if item.mrl is not None and item.mrl.from_ > item.mrl.to:
            yield Finding(
                "warning",
                "mrl_down_within_item",
                Message(
                    "the MRL of {item} goes down, from {start} to {end}",
                    item=item.id,
                    start=item.mrl.from_,
                    end=item.mrl.to,
                ),
                (item.id,),
            )
