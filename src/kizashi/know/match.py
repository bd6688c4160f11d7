"""Matching needs to seeds outside a workspace's policy: files in, proposals out (`kizashi match --needs --seeds`),
and the rows every output of proposals is written from. The matcher itself is kizashi.retrieval; matching the
workspace's records as a reader may see them is kizashi.know.matching.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kizashi.errors import InputError
from kizashi.messages import Message
from kizashi.policy import Clearance, Label
from kizashi.retrieval import Matcher, MatchSettings, Proposal, Statement
from kizashi.store.records import iter_records
from kizashi.store.workspace import Workspace


def read_statements(kind: str, paths: Sequence[Path]) -> list[Statement]:
    """Needs or seeds from files, validated as `kizashi ingest` validates them (so the errors name file, row and
    field), without a workspace."""
    from kizashi.ingest.formats import readers

    statements = []
    seen: dict[str, int] = {}
    for values, row in readers(kind, list(paths)):
        if values["id"] in seen:
            raise InputError(
                Message("id '{id}' repeats row {row}", id=values["id"], row=seen[values["id"]]),
                file=row.file,
                row=row.number,
                field="id",
            )
        seen[values["id"]] = row.number
        statements.append(Statement.of(values))
    if not statements:
        raise InputError(Message("no {kind} found", kind=kind), file=paths[0] if paths else None)
    return statements


def workspace_statements(workspace: Workspace, kind: str, clearance: Clearance) -> list[Statement]:
    """The needs or seeds of a workspace that `clearance` may read, with their labels."""
    return [Statement.of(record) for record in iter_records(workspace, kind, clearance)]


def run_match(
    needs: Sequence[Statement],
    seeds: Sequence[Statement],
    *,
    top: int = 10,
    per_seed: int | None = None,
    cross_domain: bool = False,
    on_progress: Callable[[int], None] | None = None,
    settings: MatchSettings | None = None,
) -> list[list[Proposal]]:
    """Index the seeds, match every need (with `cross_domain`, only seeds from other taxonomy areas than the
    need's), and with `per_seed` keep only an optimal workshop assignment (know/assign.py). `on_progress(n)` is told
    of every n needs matched and, with a dense channel, of every n seeds encoded first (`progress_steps`)."""
    matcher = Matcher(seeds, settings=settings, on_encoded=on_progress)
    return propose_all(matcher, needs, top=top, per_seed=per_seed, cross_domain=cross_domain, on_progress=on_progress)


def propose_all(
    matcher: Matcher,
    needs: Sequence[Statement],
    *,
    top: int = 10,
    per_seed: int | None = None,
    cross_domain: bool = False,
    on_progress: Callable[[int], None] | None = None,
) -> list[list[Proposal]]:
    """Every need's proposals from a built matcher (the dense vectors of the needs encoded in one batch), and with
    `per_seed` only an optimal workshop assignment of them."""
    vectors = matcher.need_vectors(needs)
    results = []
    for need in needs:
        results.append(matcher.propose(need, top, cross_domain=cross_domain, vector=vectors.get(need.id)))
        if on_progress is not None:
            on_progress(1)
    if per_seed is None:
        return results
    from kizashi.know.assign import assign

    chosen = {id(p) for p in assign({need.id: found for need, found in zip(needs, results, strict=True)}, per_seed)}
    return [[proposal for proposal in found if id(proposal) in chosen] for found in results]


def progress_steps(needs: Sequence[Statement], seeds: Sequence[Statement], settings: MatchSettings) -> int:
    """How many steps `run_match` reports: the needs, and the seeds too when the dense channel encodes them."""
    dense = bool(settings.dense_model) and settings.weights.get("dense", 0.0) > 0
    return len(needs) + (len(seeds) if dense else 0)


def proposal_rows(
    needs: Sequence[Statement], seeds: Sequence[Statement], results: Sequence[Sequence[Proposal]]
) -> list[dict[str, Any]]:
    """One row per proposal, with the titles beside the ids and the evidence also as short readable columns
    (for CSV and Excel, where a workshop reads it)."""
    by_id = {seed.id: seed for seed in seeds}
    rows = []
    for need, proposals in zip(needs, results, strict=True):
        for proposal in proposals:
            evidence = proposal.evidence
            rows.append(
                {
                    "need_id": proposal.need_id,
                    "need_title": need.title,
                    "rank": proposal.rank,
                    "seed_id": proposal.seed_id,
                    "seed_title": by_id[proposal.seed_id].title,
                    "score": proposal.score,
                    "strength": evidence.get("strength"),
                    "agreement": evidence.get("agreement"),
                    "terms": [
                        f"{t['need']}={t['seed']}" if t["need"] != t["seed"] else t["need"] for t in evidence["terms"]
                    ],
                    "translations": [f"{t['ja']}→{t['en']}" for t in evidence["translations"]],
                    "concepts": [f"{c['name_ja']} / {c['name_en']}" for c in evidence["concepts"]],
                    "channels": evidence["channels"],
                    "evidence": evidence,
                    "label": _label(need, by_id[proposal.seed_id]),
                }
            )
    return rows


def _label(need: Statement, seed: Statement) -> dict[str, Any] | None:
    if need.label is None or seed.label is None:
        return None
    return Label.highest([need.label, seed.label]).as_dict()


# JSON lines keep the stable interface of DESIGN.md §4 (need_id, seed_id, rank, score, evidence) plus the titles;
# CSV and Excel show the evidence in short columns.
JSONL_COLUMNS = ("need_id", "seed_id", "rank", "score", "evidence", "need_title", "seed_title", "label")
TABLE_COLUMNS = (
    "need_id",
    "need_title",
    "rank",
    "seed_id",
    "seed_title",
    "score",
    "strength",
    "agreement",
    "terms",
    "translations",
    "concepts",
    "label",
)
