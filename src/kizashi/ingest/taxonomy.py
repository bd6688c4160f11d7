"""A technology taxonomy must be a forest: every parent a technology of the taxonomy, no technology its own ancestor.

Checked when technologies are loaded (over the whole stored taxonomy, so that a file may add children to parents
loaded before) and when a scan reads a taxonomy from a file; a broken one is refused with exit 2, nothing stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from kizashi.errors import InputError
from kizashi.messages import Message


def check_taxonomy(parents: Mapping[str, str | None], *, file: str | Path | None = None) -> None:
    """Refuse a missing parent or a cycle, naming the technologies concerned. `parents`: id → parent id or None."""
    missing = sorted(f"{child} → {parent}" for child, parent in parents.items() if parent and parent not in parents)
    if missing:
        listed = ", ".join(missing[:10])
        raise InputError(
            Message(
                "technology parent not in the taxonomy: {listed} (and {more} more)",
                listed=listed,
                more=len(missing) - 10,
            )
            if len(missing) > 10
            else Message("technology parent not in the taxonomy: {listed}", listed=listed),
            file=file,
            field="parent",
        )
    cycle = find_cycle(parents)
    if cycle:
        raise InputError(
            Message("the taxonomy has a cycle: {cycle}", cycle=" → ".join([*cycle, cycle[0]])),
            file=file,
            field="parent",
        )


def find_cycle(parents: Mapping[str, str | None]) -> list[str]:
    """The technologies on one cycle of parent links, in order, or [] when there is none."""
    done: set[str] = set()
    for start in sorted(parents):
        path: list[str] = []
        on_path: dict[str, int] = {}
        node: str | None = start
        while node is not None and node not in done:
            if node in on_path:
                return path[on_path[node] :]
            on_path[node] = len(path)
            path.append(node)
            node = parents.get(node)
        done.update(path)
    return []


def ancestors(parents: Mapping[str, str | None], technology: str) -> list[str]:
    """The parent, grandparent, ... of a technology (a checked taxonomy has no cycle)."""
    found: list[str] = []
    node = parents.get(technology)
    while node is not None and node not in found:
        found.append(node)
        node = parents.get(node)
    return found


def parent_map(entries: Iterable[Mapping[str, object]]) -> dict[str, str | None]:
    return {str(entry["id"]): (str(entry["parent"]) if entry.get("parent") else None) for entry in entries}
