"""Expert finding (目利き): who has done the work a need or a technology asks for — organisations and people
ranked by their records (works, projects, seeds) that the matcher finds for it, with those records as evidence.

Only what the reader may read counts: the records come through the access policy, so an organisation known only
from a record above the reader's clearance does not appear, and the result carries the highest label of its inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kizashi.errors import InputError
from kizashi.know.seed_index import IndexCache
from kizashi.messages import Message
from kizashi.policy import Actor, Label
from kizashi.retrieval import Matcher, MatchSettings, Statement
from kizashi.store.records import get_record
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

EVIDENCE_RECORDS = 3


@dataclass
class Expert:
    name: str
    kind: str  # "organisation" or "person"
    score: float = 0.0
    records: list[dict[str, Any]] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)

    def as_row(self, rank: int) -> dict[str, Any]:
        return {
            "rank": rank,
            "name": self.name,
            "kind": self.kind,
            "score": round(self.score, 6),
            "records": self.records[:EVIDENCE_RECORDS],
            "record_count": len(self.records),
            # The highest label of all their records counted, not only of the few listed, with every constraint.
            "label": Label.highest(self.labels).as_dict(),
        }


def _contributors(kind: str, record: dict[str, Any]) -> list[tuple[str, str]]:
    """(name, kind) of the organisations and people behind a record."""
    found: list[tuple[str, str]] = []
    if kind == "seeds":
        if record.get("organization"):
            found.append((str(record["organization"]), "organisation"))
        return found
    for institution in record.get("institutions") or []:
        name = institution.get("name") if isinstance(institution, dict) else institution
        if name:
            found.append((str(name), "organisation"))
    for author in record.get("authors") or []:
        name = author.get("name") if isinstance(author, dict) else author
        if name:
            found.append((str(name), "person"))
    return found


# The kinds whose records name experts.
SOURCES = ("seeds", "works")


@dataclass(frozen=True)
class ExpertIndex:
    """The seeds and works one reader may read, indexed once (know/seed_index.py keeps it between requests)."""

    matcher: Matcher
    records: dict[str, tuple[str, dict[str, Any]]]  # "kind/id" → (kind, record)


def expert_index(
    rows: Mapping[str, Iterable[dict[str, Any]]],
    settings: MatchSettings | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ExpertIndex:
    """Index the records of `rows` (kind → records, read through the policy by the caller)."""
    records: dict[str, tuple[str, dict[str, Any]]] = {}
    statements: list[Statement] = []
    for kind in SOURCES:
        for record in rows.get(kind, ()):
            key = f"{kind}/{record['id']}"  # a CORDIS project can be both a seed and a work
            records[key] = (kind, record)
            statements.append(Statement.of(record, key=key))
    if not statements:
        raise InputError(Message("the workspace has no seeds or works that you may read"))
    return ExpertIndex(Matcher(statements, settings=settings, on_encoded=on_progress), records)


EXPERT_INDEXES: IndexCache[ExpertIndex] = IndexCache(SOURCES, expert_index)


def rank_experts(index: ExpertIndex, need: Statement, *, top: int = 10, depth: int = 100) -> list[dict[str, Any]]:
    """The `top` organisations and people for `need` among the records of `index`. Only records that match the need
    well count (a proposal whose strength is not weak: at least one channel puts it in its top ten). Each record
    at rank r weighs 1 / (r + 1), and an expert's score is 1 - Π(1 - weight) over their records: in [0, 1), higher
    with every relevant record, but led by how well they match rather than how many projects they have (fused
    scores are nearly flat down a ranking, and summing them would crown whoever has the most)."""
    experts: dict[tuple[str, str], Expert] = {}
    missing: dict[tuple[str, str], float] = {}  # Π(1 - weight) so far
    for proposal in index.matcher.match_one(need, top=depth):
        if proposal.evidence.get("strength") == "weak":
            continue
        kind, record = index.records[proposal.seed_id]
        for name, who in dict.fromkeys(_contributors(kind, record)):
            key = (who, name.casefold())
            expert = experts.setdefault(key, Expert(name, who))
            if any(seen["id"] == record["id"] for seen in expert.records):
                continue  # the same project as a seed and as a work counts once, at its better rank
            missing[key] = missing.get(key, 1.0) * (1 - 1 / (proposal.rank + 1))
            expert.score = 1 - missing[key]
            expert.labels.append(Label.of(record))
            expert.records.append({"kind": kind, "id": record["id"], "title": record["title"], "score": proposal.score})
    ranked = sorted(experts.values(), key=lambda e: (-e.score, e.kind, e.name))[:top]
    return [expert.as_row(rank) for rank, expert in enumerate(ranked, 1)]


@dataclass(frozen=True)
class Experts:
    """Experts as one reader may see them: the rows, the label of what they were derived from (with the need's),
    and the need (None for a text)."""

    rows: list[dict[str, Any]]
    label: Label
    need: Statement


@service("experts")
def find_experts(
    workspace: Workspace,
    actor: Actor,
    *,
    need_id: str | None = None,
    text: str | None = None,
    top: int = 10,
    delivery: Delivery = SHOWN,
) -> Experts:
    """Who has done the work a need (by id) or a technology in words asks for, from the seeds and works the actor
    may read; audited, naming every record shown."""
    if (need_id is None) == (text is None):
        raise InputError(Message("give a need id or a text, not both"), field="need")
    if text is not None and not text.strip():
        raise InputError(Message("the text is empty"), field="text")
    need = (
        Statement.of(get_record(workspace, "needs", need_id, actor.clearance))
        if need_id is not None
        else Statement("text", str(text).strip())
    )
    rows = rank_experts(EXPERT_INDEXES.get(workspace, actor.clearance), need, top=top)
    labels = [Label.from_dict(row["label"]) for row in rows]
    if need.label is not None:
        labels.append(need.label)
    shown = sorted({record["id"] for row in rows for record in row["records"]})
    delivered(
        workspace,
        actor,
        delivery,
        records=[need.id, *shown] if need_id is not None else shown,
        detail={"service": "experts", "need": need_id, "query": text, "experts": len(rows)},
    )
    return Experts(rows, Label.highest(labels), need)
