"""`kizashi scan backtest`: the emergence flags and scores of a scan as of a past date against the growth that
followed, next to naive growth (the `growth` column) as the baseline to beat (backtest.py has the measures)."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Any

from kizashi.errors import InputError
from kizashi.know.landscape.backtest import backtest_metrics, counts_by_year, realised_growth
from kizashi.know.landscape.emergence import Emergence
from kizashi.know.landscape.service import ScanRequest, compute, end_year
from kizashi.messages import Message
from kizashi.policy import Actor
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

BACKTEST_COLUMNS = (
    "as_of",
    "horizon",
    "technologies",
    "counted",
    "flagged",
    "grew",
    "precision",
    "recall",
    "spearman_score",
    "spearman_naive",
    "grew_threshold",
    "spearman_score_all",
    "spearman_naive_all",
)
_EMERGENCE_FIELDS = tuple(f.name for f in fields(Emergence))


@service("landscape.backtest")
def run_backtest(
    workspace: Workspace,
    actor: Actor,
    as_of: date,
    horizon: int,
    *,
    engine: str = "duckdb",
    taxonomy_file: Path | None = None,
    delivery: Delivery = SHOWN,
) -> dict[str, Any]:
    if horizon < 1:
        raise InputError(Message("--horizon must be at least 1 year"), field="--horizon")
    then = ScanRequest(as_of=as_of, engine=engine, taxonomy_file=taxonomy_file, fronts=False)
    predicted, _ = compute(workspace, actor, then)
    start = end_year(then, as_of.year)
    after = ScanRequest(year_to=start + horizon, engine=engine, taxonomy_file=taxonomy_file, fronts=False)
    realised_scan, _ = compute(workspace, actor, after)
    last = max((row["year"] for row in realised_scan.tables["trends"]), default=start)
    if last < start + horizon:
        raise InputError(
            Message(
                "the works end in {last}: a horizon of {horizon} years from {start} needs works of {needed}",
                last=last,
                horizon=horizon,
                start=start,
                needed=start + horizon,
            ),
            field="--horizon",
        )
    realised = realised_growth(counts_by_year(realised_scan.tables["trends"]), start, horizon)
    emergence = [Emergence(**{name: row[name] for name in _EMERGENCE_FIELDS}) for row in predicted.tables["emergence"]]
    found = {"as_of": as_of.isoformat(), "horizon": horizon, **backtest_metrics(emergence, realised).row()}
    delivered(workspace, actor, delivery, detail={"backtest": found})
    return found
