"""The scan's emergence table: each technology's yearly series from the trends, scored by emergence.py."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kizashi.know.landscape import emergence
from kizashi.know.landscape.tables import Row


def series_of(
    trend_rows: Sequence[Row],
    totals: Mapping[int, int],
    contributors: Mapping[tuple[str, int], int],
    first_years: Mapping[str, int],
    *,
    first_year: int,
    end_year: int,
    technologies: Sequence[str],
) -> list[emergence.Series]:
    """Dense series over the window's years (zeros where a technology has no works), in technology order."""
    years = tuple(range(first_year, end_year + 1))
    counts: dict[tuple[str, int], int] = {(row["technology"], row["year"]): row["works"] for row in trend_rows}
    return [
        emergence.Series(
            technology=technology,
            years=years,
            works=tuple(counts.get((technology, year), 0) for year in years),
            totals=tuple(totals.get(year, 0) for year in years),
            contributors=tuple(contributors.get((technology, year), 0) for year in years),
            first_year=first_years.get(technology),
        )
        for technology in sorted(technologies)
    ]


def emergence_rows(
    trend_rows: Sequence[Row],
    totals: Mapping[int, int],
    contributors: Mapping[tuple[str, int], int],
    first_years: Mapping[str, int],
    *,
    first_year: int,
    end_year: int,
    technologies: Sequence[str],
) -> list[Row]:
    series = series_of(
        trend_rows,
        totals,
        contributors,
        first_years,
        first_year=first_year,
        end_year=end_year,
        technologies=technologies,
    )
    rows = [found.row() for found in emergence.score_all(series, end_year)]
    for row in rows:
        if not row["works"]:
            # Novelty would rate a technology with no works at all as the newest there is: there is nothing to rate.
            row["emergence_score"] = None
    return rows
