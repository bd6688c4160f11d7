"""What a drafted roadmap draws on (grow/roadmap_draft.py), read as the actor through the access policy: the
technology and its readable sub-technologies, the needs and seeds that name it or that the latest readable landscape
scan ties to it, the needs matched to those seeds in the latest stored run with a readable proposal for one of them,
the scan's facts, the technology's latest TRL assessment, the threats naming it, the goals against those threats and
the open barriers tied to it. A record the actor may not read is never read, so it contributes nothing."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table

from kizashi.grow.gates import SUBJECTS
from kizashi.ingest.taxonomy import parent_map
from kizashi.model import Barrier, Goal, LandscapeScan, MatchProposal, TrlAssessment
from kizashi.policy import Actor, Label
from kizashi.store.readable import select_readable
from kizashi.store.records import get_record, iter_records
from kizashi.store.workspace import Workspace
from kizashi.text.normalise import is_japanese, normalise

MOST_SEEDS_NAMED = 10  # seeds named in one item's source
MOST_BARRIERS = 8


def draft_id(technology: str) -> str:
    """The drafted roadmap's id; a barrier may name its items as `draft-<technology>/T1`."""
    return f"draft-{technology}"[:100]


@dataclass
class Evidence:
    """What the actor may read that the draft draws on, and the labels of all of it."""

    technology: dict[str, Any]
    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # cluster id → (ja, en)
    seeds: dict[str, dict[str, Any]] = field(default_factory=dict)  # seed id → record
    seed_cluster: dict[str, str] = field(default_factory=dict)
    needs: dict[str, dict[str, Any]] = field(default_factory=dict)
    need_sources: dict[str, list[str]] = field(default_factory=dict)
    need_seeds: dict[str, set[str]] = field(default_factory=dict)  # need → its matched seeds of the technology
    run: int | None = None
    scan: dict[str, Any] | None = None
    assessment: dict[str, Any] | None = None
    threats: list[dict[str, Any]] = field(default_factory=list)
    goals: list[dict[str, Any]] = field(default_factory=list)
    barriers: list[dict[str, Any]] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)

    def records(self) -> list[str]:
        """The ids the draft drew on, for the audit trail."""
        return [
            str(self.technology["id"]),
            *self.needs,
            *self.seeds,
            *(str(row["id"]) for row in [*self.threats, *self.goals, *self.barriers]),
        ]


def _phrases(entry: Mapping[str, Any]) -> list[str]:
    """A technology's names and synonyms, normalised, as the texts are compared."""
    found: list[str] = []
    for key in ("name_en", "name_ja", "synonyms_en", "synonyms_ja"):
        value = entry.get(key)
        for name in [value] if isinstance(value, str) else list(value or []):
            folded = normalise(str(name))
            if len(folded) >= 2 and folded not in found:
                found.append(folded)
    return found


@dataclass(frozen=True)
class _Matcher:
    """Finds a technology's phrases in a normalised text: Japanese ones anywhere (no spaces between words), Latin
    ones as whole words (so that "art" does not find "start")."""

    japanese: tuple[str, ...]
    latin: re.Pattern[str] | None

    @classmethod
    def of(cls, phrases: Iterable[str]) -> _Matcher:
        listed = sorted(set(phrases), key=lambda phrase: (-len(phrase), phrase))
        latin = [re.escape(phrase) for phrase in listed if not is_japanese(phrase)]
        pattern = re.compile(rf"(?<!\w)(?:{'|'.join(latin)})(?!\w)") if latin else None
        return cls(tuple(phrase for phrase in listed if is_japanese(phrase)), pattern)

    def finds(self, text: str) -> bool:
        if any(phrase in text for phrase in self.japanese):
            return True
        return self.latin is not None and self.latin.search(text) is not None


def _text_of(row: Mapping[str, Any]) -> str:
    keywords = " ; ".join(str(word) for word in row.get("keywords") or [])
    return normalise(" \n ".join([str(row.get("title") or ""), keywords, str(row.get("description") or "")]))


def _clusters(workspace: Workspace, actor: Actor, technology: Mapping[str, Any]) -> dict[str, _Matcher]:
    """Cluster id (the technology itself or one of its readable children) → the phrases that put a text in it; a
    grandchild's names count for its child."""
    entries = list(iter_records(workspace, "technologies", actor.clearance))
    known = {str(entry["id"]) for entry in entries}
    parents = parent_map([{**e, "parent": e["parent"] if e["parent"] in known else None} for e in entries])
    by_id = {str(entry["id"]): entry for entry in entries}
    root = str(technology["id"])
    clusters: dict[str, list[str]] = {root: _phrases(technology)}
    for tech in sorted(known - {root}):
        chain, node = [tech], parents.get(tech)
        while node is not None and node != root and node not in chain:
            chain.append(node)
            node = parents.get(node)
        if node == root:
            clusters.setdefault(chain[-1], []).extend(p for p in _phrases(by_id[tech]) if p not in clusters[root])
    return {cluster: _Matcher.of(phrases) for cluster, phrases in clusters.items()}


def _cluster_of(text: str, clusters: Mapping[str, _Matcher], root: str) -> str | None:
    """The most specific cluster a text names: a sub-technology before the technology itself."""
    for cluster, matcher in clusters.items():
        if cluster != root and matcher.finds(text):
            return cluster
    return root if clusters[root].finds(text) else None


def _latest_scan(workspace: Workspace, actor: Actor) -> dict[str, Any] | None:
    table: Table = LandscapeScan.__table__  # type: ignore[assignment]
    statement = select_readable(actor.clearance, workspace.backend, table).order_by(table.c.id.desc()).limit(1)
    with workspace.session() as session:
        row = session.execute(statement).mappings().first()
    return dict(row) if row is not None else None


def scan_rows(scan: Mapping[str, Any] | None, name: str, technology: str) -> list[dict[str, Any]]:
    if scan is None:
        return []
    return [dict(row) for row in (scan["tables"] or {}).get(name, []) if row.get("technology") == technology]


def _listed_ids(value: Any) -> list[str]:
    return [part for part in str(value or "").split(";") if part]


def read_evidence(workspace: Workspace, actor: Actor, technology_id: str) -> Evidence:
    technology = get_record(workspace, "technologies", technology_id, actor.clearance)  # NotFound when hidden
    root = str(technology["id"])
    found = Evidence(technology, labels=[Label.of(technology)])
    clusters = _clusters(workspace, actor, technology)
    scan = _latest_scan(workspace, actor)
    if scan is not None and any(scan_rows(scan, name, root) for name in ("critical", "emergence", "threats")):
        found.scan = scan  # drawn on only when it says something of the technology
        found.labels.append(Label.of(scan))
    listed: dict[str, set[str]] = {"needs": set(), "seeds": set()}  # the scan's own tagging, still read as the actor
    for row in scan_rows(found.scan, "threats", root):
        listed["needs"].update(_listed_ids(row.get("need_ids")))
        listed["seeds"].update(_listed_ids(row.get("seed_ids")))
    for seed in iter_records(workspace, "seeds", actor.clearance):
        cluster = _cluster_of(_text_of(seed), clusters, root)
        if cluster is None and seed["id"] in listed["seeds"]:
            cluster = root
        if cluster is not None:
            found.seeds[seed["id"]] = seed
            found.seed_cluster[seed["id"]] = cluster
            found.labels.append(Label.of(seed))
    readable_needs = {need["id"]: need for need in iter_records(workspace, "needs", actor.clearance)}
    _matched(workspace, actor, found, readable_needs)
    for need_id, need in readable_needs.items():
        if need_id not in found.need_sources and (
            need_id in listed["needs"] or _cluster_of(_text_of(need), clusters, root) is not None
        ):
            found.need_sources[need_id] = [f"need:{need_id}", f"technology:{root}"]
    for need_id in found.need_sources:
        found.needs[need_id] = readable_needs[need_id]
        found.labels.append(Label.of(readable_needs[need_id]))
    found.names = {
        cluster: technology_names(
            technology if cluster == root else get_record(workspace, "technologies", cluster, actor.clearance)
        )
        for cluster in set(found.seed_cluster.values()) | {root}
    }
    found.assessment = _assessment(workspace, actor, root)
    if found.assessment is not None:
        found.labels.append(Label.of(found.assessment))
    _programme(workspace, actor, found, set(clusters))
    return found


def technology_names(entry: Mapping[str, Any]) -> tuple[str, str]:
    return str(entry.get("name_ja") or ""), str(entry.get("name_en") or "")


def _matched(workspace: Workspace, actor: Actor, found: Evidence, needs: Mapping[str, dict[str, Any]]) -> None:
    """The needs matched to the technology's seeds in the latest run with a readable proposal for one of them."""
    if not found.seeds:
        return
    table: Table = MatchProposal.__table__  # type: ignore[assignment]
    seeds = sorted(found.seeds)
    with workspace.session() as session:
        latest: tuple[int, list[dict[str, Any]]] | None = None
        for start in range(0, len(seeds), 500):  # bounded IN lists on both backends
            chunk = seeds[start : start + 500]
            statement = select_readable(actor.clearance, workspace.backend, table).where(table.c.seed_id.in_(chunk))
            for row in session.execute(statement).mappings():
                if row["need_id"] not in needs:
                    continue  # relabelled above the reader since, or deleted
                if latest is None or row["run_id"] > latest[0]:
                    latest = (row["run_id"], [])
                if row["run_id"] == latest[0]:
                    latest[1].append(dict(row))
    if latest is None:
        return
    found.run = int(latest[0])
    for proposal in sorted(latest[1], key=lambda r: (r["need_id"], r["rank"])):
        found.need_seeds.setdefault(proposal["need_id"], set()).add(proposal["seed_id"])
        found.labels.append(Label.of(proposal))
    for need_id, matched in found.need_seeds.items():
        found.need_sources[need_id] = [
            f"need:{need_id}",
            f"match-run:{found.run}",
            *(f"seed:{seed}" for seed in sorted(matched)[:MOST_SEEDS_NAMED]),
        ]


def _assessment(workspace: Workspace, actor: Actor, technology: str) -> dict[str, Any] | None:
    table: Table = TrlAssessment.__table__  # type: ignore[assignment]
    statement = (
        select_readable(actor.clearance, workspace.backend, table)
        .where(table.c.subject_kind == SUBJECTS["technology"], table.c.subject_id == technology)
        .order_by(table.c.id.desc())
        .limit(1)
    )
    with workspace.session() as session:
        row = session.execute(statement).mappings().first()
    return dict(row) if row is not None else None


def _programme(workspace: Workspace, actor: Actor, found: Evidence, technologies: set[str]) -> None:
    """The threats naming the technology (or a sub-technology), the goals against them, the open barriers tied to it."""
    root = str(found.technology["id"])
    found.threats = [
        threat
        for threat in iter_records(workspace, "threats", actor.clearance)
        if technologies & set(threat.get("technologies") or [])
    ]
    names = {str(threat["id"]) for threat in found.threats}
    goals: Table = Goal.__table__  # type: ignore[assignment]
    barriers: Table = Barrier.__table__  # type: ignore[assignment]
    with workspace.session() as session:
        rows = session.execute(select_readable(actor.clearance, workspace.backend, goals).order_by(goals.c.id))
        found.goals = [dict(row) for row in rows.mappings() if names & set(row["threats"] or [])]
        statement = select_readable(actor.clearance, workspace.backend, barriers).where(barriers.c.status == "open")
        register = [dict(row) for row in session.execute(statement.order_by(barriers.c.id)).mappings()]
    matcher = _Matcher.of(_phrases(found.technology))
    draft = draft_id(root)
    found.barriers = [
        barrier
        for barrier in register
        if any(_blocks_it(item, root, draft) for item in barrier["blocks"] or [])
        or matcher.finds(normalise(str(barrier["title"])))
    ][:MOST_BARRIERS]
    found.labels.extend(Label.of(row) for row in [*found.threats, *found.goals, *found.barriers])


def _blocks_it(item: str, technology: str, draft: str) -> bool:
    """A barrier's `blocks` entry that names the technology, or an item of its drafted roadmap."""
    where, _, bare = str(item).rpartition("/")
    return bare == technology or where in (technology, draft)
