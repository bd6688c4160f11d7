"""Expert finding (目利き): who has done the work a need or a technology asks for — organisations and people
ranked by their records (works, projects, seeds) that the matcher finds for it, with those records as evidence.

Only what the reader may read counts: the records come through the access policy, so an organisation known only
from a record above the reader's clearance does not appear, and the result carries the highest label of its inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kizashi.errors import InputError
from kizashi.know.match import Matcher, Statement
from kizashi.protect.policy import Clearance, Label
from kizashi.store.records import get_record, iter_records
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
        label = Label.highest(self.labels)
        return {
            "rank": rank,
            "name": self.name,
            "kind": self.kind,
            "score": round(self.score, 6),
            "records": self.records[:EVIDENCE_RECORDS],
            "record_count": len(self.records),
            "label": {"level": label.level, "compartments": sorted(label.compartments), "tlp": label.tlp},
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


# The kinds whose records name experts, and the field that describes each record beside its title.
SOURCES = (("seeds", "description"), ("works", "abstract"))


@dataclass(frozen=True)
class ExpertIndex:
    """The seeds and works one reader may read, indexed once (know/seed_index.py keeps it between requests)."""

    matcher: Matcher
    records: dict[str, tuple[str, dict[str, Any]]]  # "kind/id" → (kind, record)


def expert_index(rows: Mapping[str, Iterable[dict[str, Any]]]) -> ExpertIndex:
    """Index the records of `rows` (kind → records, read through the policy by the caller)."""
    records: dict[str, tuple[str, dict[str, Any]]] = {}
    statements: list[Statement] = []
    for kind, text_field in SOURCES:
        for record in rows.get(kind, ()):
            key = f"{kind}/{record['id']}"  # a CORDIS project can be both a seed and a work
            records[key] = (kind, record)
            statements.append(Statement(key, str(record["title"]), str(record.get(text_field) or ""), None))
    if not statements:
        raise InputError("the workspace has no seeds or works that you may read")
    return ExpertIndex(Matcher(statements), records)


def find_experts(
    workspace: Workspace,
    clearance: Clearance,
    need: Statement,
    *,
    top: int = 10,
    depth: int = 100,
    index: ExpertIndex | None = None,
) -> list[dict[str, Any]]:
    """The `top` organisations and people for `need`. Each of their readable records among the `depth` best counts
    1 / its rank: fused scores are nearly flat down a ranking, and summing them would crown whoever has the most
    projects rather than the most relevant ones. `index`, when given, must be one built from what `clearance` may
    read (as know/seed_index.py's cache hands out); without it the records are read and indexed here."""
    if index is None:
        index = expert_index({kind: iter_records(workspace, kind, clearance) for kind, _ in SOURCES})
    experts: dict[tuple[str, str], Expert] = {}
    for proposal in index.matcher.match_one(need, top=depth):
        kind, record = index.records[proposal.seed_id]
        for name, who in dict.fromkeys(_contributors(kind, record)):
            expert = experts.setdefault((who, name.casefold()), Expert(name, who))
            if any(seen["id"] == record["id"] for seen in expert.records):
                continue  # the same project as a seed and as a work counts once, at its better rank
            expert.score += 1 / proposal.rank
            expert.labels.append(Label.of(record))
            expert.records.append({"kind": kind, "id": record["id"], "title": record["title"], "score": proposal.score})
    ranked = sorted(experts.values(), key=lambda e: (-e.score, e.kind, e.name))[:top]
    return [expert.as_row(rank) for rank, expert in enumerate(ranked, 1)]


def need_statement(workspace: Workspace, clearance: Clearance, need_id: str | None, text: str | None) -> Statement:
    if (need_id is None) == (text is None):
        raise InputError("give a need id or --text, not both", field="need")
    if text is not None:
        return Statement("text", text)
    record = get_record(workspace, "needs", str(need_id), clearance)
    return Statement(record["id"], record["title"], record.get("description") or "", record.get("lang"))
