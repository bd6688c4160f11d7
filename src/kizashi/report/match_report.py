"""The matching workshop's handout: every need with its proposed seeds and their evidence, one self-contained HTML
file (bilingual, printable, with boxes to tick accept / reject / later)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from kizashi import __version__
from kizashi.report.templating import environment
from kizashi.retrieval import Statement
from kizashi.retrieval.strength import STRENGTH_WORDS


def render_match(
    needs: Sequence[Statement],
    rows: Sequence[dict[str, Any]],
    *,
    seed_count: int,
    top: int,
    per_seed: int | None = None,
) -> str:
    """`rows` as `know.match.proposal_rows` gives them; `per_seed` when they are an assignment."""
    by_need: dict[str, list[dict[str, Any]]] = {need.id: [] for need in needs}
    for row in rows:
        by_need[row["need_id"]].append(row)
    return (
        environment()
        .get_template("match.html.j2")
        .render(
            needs=[(need, by_need[need.id]) for need in needs],
            seed_count=seed_count,
            top=top,
            assigned=per_seed is not None,
            per_seed=per_seed,
            top_score=max((row["score"] for row in rows), default=1.0) or 1.0,
            STRENGTH_WORDS=STRENGTH_WORDS,
            version=__version__,
            generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        )
    )
