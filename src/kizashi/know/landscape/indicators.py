"""The landscape's indicators as SQL: trends, countries, collaboration and the inputs of emergence.

One query text for DuckDB and Spark (engines.py). The heavy part, over works, is SQL; what follows is arithmetic
over the aggregated rows (technologies × countries), shared by both engines, so the two give the same tables.

Definitions (docs: DESIGN §4, `kizashi scan --help`):
- A work is in the scan when the user may read it (its current version), it has a publication year within the
  window and, with `--as-of`, it was published by then (its date, or its year when it has no date).
- Citations are `cited_by_count`; with `--as-of`, the sum of OpenAlex's `counts_by_year` up to that year (a work
  without them has no citation count then, and is never counted as top-cited).
- Top 10 %: OpenAlex's flag (`is_in_top_10_percent`, or its percentile ≥ 0.9) where the work has one and the scan is
  not as of a past date; otherwise citations at or above the 90th percentile (`percentile_cont`) of the works of the
  same technology and year.
- Countries: a work counts once for each distinct country among its institutions and authorships (whole counting),
  and 1/k for each of its k countries (fractional counting). `share` is a country's fractional count over the sum
  of all countries' fractional counts of the technology (works with at least one country); `top10_share` likewise
  over the top-cited works.
- Rank: by top-10 % share (ASPI's measure), then share, then works, then country code. `lead_ratio`: the first
  country's top-10 % share over the second's (its share over the second's when no work is top-cited), the same on
  every row of the technology; empty when there is no second country.
- `top10_institutions`: how many of the technology's ten institutions with most top-10 % works (ties by works,
  then id) are in the country. `monopoly_risk` (ASPI): high when the lead is ≥ 3× the second and holds ≥ 8 of those
  ten institutions, medium at ≥ 2× and ≥ 5, else low; the technology's value on every row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kizashi.know.landscape.engines import Engine
from kizashi.know.landscape.tables import Row

JAPAN = "JP"
TOP_INSTITUTIONS = 10
MONOPOLY_RULES = (("high", 3.0, 8), ("medium", 2.0, 5))  # (risk, lead ≥ × second, ≥ institutions of the top ten)
DIGITS = 10  # rounding of shares, so that DuckDB and Spark (whose sums add in another order) agree
# The top-10 % definition (the module's docstring) in SQL, shared with facts.py, which flags every work of the corpus
# once for the scans that read all of it: OpenAlex's flag of a work `p`; the 90th percentile `p90` of the citations
# `cited` of each technology's works per year (`q`, from {source}); and the flag of a row `tw` (cited, oa_top10).
OPENALEX_TOP10 = (
    "CASE WHEN p.is_top10 IS NOT NULL THEN p.is_top10 "
    "WHEN p.citation_percentile IS NOT NULL THEN p.citation_percentile >= 0.9 END"
)
PERCENTILES_SQL = """
    SELECT tech, year, percentile_cont(0.9) WITHIN GROUP (ORDER BY cited) AS p90
    FROM {source} WHERE cited IS NOT NULL GROUP BY tech, year
"""
TOP10_FLAG = """CASE WHEN tw.oa_top10 IS NOT NULL THEN tw.oa_top10
                    WHEN tw.cited IS NULL OR q.p90 IS NULL THEN FALSE
                    ELSE tw.cited >= q.p90 END"""


@dataclass(frozen=True)
class Window:
    year_from: int | None
    year_to: int | None
    as_of: date | None
    # Every row of the corpus is a current version the reader may read: no need to join the readable ids.
    everything: bool = False

    @property
    def bounded(self) -> bool:
        return self.year_from is not None or self.year_to is not None or self.as_of is not None

    @property
    def citation_year(self) -> int | None:
        return self.as_of.year if self.as_of else None


def prepare(engine: Engine, files: Mapping[str, Sequence[Path]], window: Window) -> None:
    """Register the corpus, the readable works and the derived facts, and define the works in the scan (`w`: the
    window; `w_all`: everything up to its end, for novelty), their technologies (`tw`, `tw_all`; `tf` with the
    top-10 % flag), and per technology their countries (`tfc`, with k, the work's number of countries), institutions
    (`tfi`; `ti` counted per institution and year) and country pairs (`tfp`)."""
    for name, paths in files.items():
        engine.register(name, paths)
    if window.as_of is not None:
        cited = "c.cited"
        top10 = "CAST(NULL AS BOOLEAN)"
        join = (
            "LEFT JOIN (SELECT key, import_id, SUM(count) AS cited FROM citations "
            f"WHERE year <= {int(window.as_of.year)} GROUP BY key, import_id) c "
            "ON c.key = p.key AND c.import_id = p.import_id"
        )
        known = (
            f"AND ((p.date IS NOT NULL AND p.date <= DATE '{window.as_of.isoformat()}') "
            f"OR (p.date IS NULL AND p.year <= {int(window.as_of.year)}))"
        )
    else:
        cited = "p.cited_by_count"
        top10 = OPENALEX_TOP10
        join = known = ""
    if window.everything and not window.bounded:
        # Every work is in the scan: the tags carry their works' columns, their top-10 % flag over the whole corpus
        # (facts.FLAGGED, computed with the same definitions as below) and come joined to the works' countries,
        # institutions and country pairs, so nothing is joined and no percentile computed.
        engine.view("w_all", f"SELECT p.key, p.import_id, p.year, {cited} AS cited, {top10} AS oa_top10 FROM works p")
        engine.view(
            "tw_all",
            "SELECT p.technology, p.tech, p.key, p.import_id, p.year, p.cited_by_count AS cited, p.top10 "
            "FROM tag_works p WHERE p.year IS NOT NULL",
        )
        engine.view("w", "SELECT * FROM w_all WHERE year IS NOT NULL")
        engine.view("tw", "SELECT * FROM tw_all")
        engine.view("tf", "SELECT technology, tech, key, import_id, year, cited, top10 FROM tw")
        engine.view("tfc", "SELECT technology, tech, year, country, k, top10 FROM tag_countries WHERE year IS NOT NULL")
        engine.view("tfi", "SELECT tech, year, inst, country, top10 FROM tag_institutions WHERE year IS NOT NULL")
        engine.view("tfp", "SELECT tech, country_a, country_b FROM tag_pairs")
        _by_institution(engine)
        return
    upper = f"AND p.year <= {int(window.year_to)}" if window.year_to is not None else ""
    readable = "" if window.everything else "JOIN readable r ON p.key = r.key AND p.import_id = r.import_id"
    engine.materialise(
        "w_all",
        f"""
        SELECT p.key, p.import_id, p.year, {cited} AS cited, {top10} AS oa_top10
        FROM works p {readable}
        {join}
        WHERE p.year IS NOT NULL {upper} {known}
        """,
    )
    engine.materialise(
        "tw_all",
        """
        SELECT t.technology, t.tech, w.key, w.import_id, w.year, w.cited, w.oa_top10
        FROM tags t JOIN w_all w ON t.key = w.key AND t.import_id = w.import_id
        """,
    )
    if window.year_from is not None:
        engine.materialise("w", f"SELECT * FROM w_all WHERE year >= {int(window.year_from)}")
        engine.materialise("tw", f"SELECT * FROM tw_all WHERE year >= {int(window.year_from)}")
    else:
        engine.view("w", "SELECT * FROM w_all")
        engine.view("tw", "SELECT * FROM tw_all")
    _percentiles(engine)
    engine.materialise("tf", _flag_sql("tw", "tw.technology, tw.tech, tw.key, tw.import_id, tw.year, tw.cited"))
    engine.view(
        "tfc",
        """
        SELECT f.technology, f.tech, f.year, c.country, c.k, f.top10
        FROM tf f JOIN countries c ON f.key = c.key AND f.import_id = c.import_id
        """,
    )
    engine.view(
        "tfi",
        """
        SELECT f.tech, f.year, i.inst, i.country, f.top10
        FROM tf f JOIN institutions i ON f.key = i.key AND f.import_id = i.import_id
        """,
    )
    engine.view(
        "tfp",
        """
        SELECT f.tech, p.country_a, p.country_b
        FROM tf f JOIN pairs p ON f.key = p.key AND f.import_id = p.import_id
        """,
    )
    _by_institution(engine)


def _percentiles(engine: Engine) -> None:
    engine.materialise("q", PERCENTILES_SQL.format(source="tw"))


def _flag_sql(source: str, columns: str) -> str:
    """`columns` of `source` (rows of a technology and year, with `cited` and `oa_top10`, named tw) and the top-10 %
    flag (`TOP10_FLAG` against the percentiles `q`)."""
    return f"""
        SELECT {columns}, {TOP10_FLAG} AS top10
        FROM {source} tw LEFT JOIN q ON q.tech = tw.tech AND q.year = tw.year
    """


def _by_institution(engine: Engine) -> None:
    # Each technology's works per institution and year: community (distinct institutions a year) and the top
    # institutions both come from it, with one join of the works' institutions.
    engine.materialise(
        "ti",
        """
        SELECT tech, year, inst, MAX(country) AS country, COUNT(*) AS works,
               CAST(SUM(CASE WHEN top10 THEN 1 ELSE 0 END) AS BIGINT) AS top10_works
        FROM tfi GROUP BY tech, year, inst
        """,
    )


def _by_name(sql: str, *columns: str) -> str:
    """`sql`'s rows, grouped by the technology's code (`tech`), with the technology's id in its place: the name is
    joined to the few result rows, not to every tag."""
    listed = ", ".join(f"g.{column}" for column in columns)
    return f"SELECT c.technology, {listed} FROM ({sql}) g JOIN technology_codes c ON c.tech = g.tech"


def summary(engine: Engine) -> dict[str, Any]:
    found = engine.rows(
        "SELECT COUNT(*) AS works, MIN(year) AS first, MAX(year) AS last, "
        "CAST(SUM(CASE WHEN cited IS NULL THEN 1 ELSE 0 END) AS BIGINT) AS uncited FROM w"
    )
    return found[0]


def year_totals(engine: Engine) -> dict[int, int]:
    return {row["year"]: row["n"] for row in engine.rows("SELECT year, COUNT(*) AS n FROM w GROUP BY year")}


def trends(engine: Engine) -> list[Row]:
    rows = engine.rows(
        _by_name(
            """
        SELECT f.tech, f.year, COUNT(*) AS works, CAST(COUNT(*) AS DOUBLE) / y.n AS share,
               CAST(SUM(CASE WHEN f.top10 THEN 1 ELSE 0 END) AS BIGINT) AS top10_works
        FROM tf f JOIN (SELECT year, COUNT(*) AS n FROM w GROUP BY year) y ON f.year = y.year
        GROUP BY f.tech, f.year, y.n
        """,
            "year",
            "works",
            "share",
            "top10_works",
        )
    )
    for row in rows:
        row["share"] = round(row["share"], DIGITS)
    return sorted(rows, key=lambda row: (row["technology"], row["year"]))


def contributors(engine: Engine) -> dict[tuple[str, int], int]:
    """Distinct institutions of each technology's works per year (Porter's community)."""
    rows = engine.rows(
        _by_name(
            """
        SELECT tech, year, COUNT(*) AS n FROM ti GROUP BY tech, year
        """,
            "year",
            "n",
        )
    )
    return {(row["technology"], row["year"]): row["n"] for row in rows}


def first_years(engine: Engine) -> dict[str, int]:
    """The earliest year each technology has a work, over everything up to the window's end (novelty)."""
    rows = engine.rows(
        _by_name(
            """
        SELECT tech, MIN(year) AS first FROM tw_all GROUP BY tech
        """,
            "first",
        )
    )
    return {row["technology"]: row["first"] for row in rows}


def countries(engine: Engine, technologies: Sequence[str]) -> list[Row]:
    counted = engine.rows(
        _by_name(
            """
        SELECT tech, country, COUNT(*) AS works,
               SUM(CAST(1 AS DOUBLE) / k) AS works_fractional,
               CAST(SUM(CASE WHEN top10 THEN 1 ELSE 0 END) AS BIGINT) AS top10_works,
               SUM(CASE WHEN top10 THEN CAST(1 AS DOUBLE) / k ELSE 0 END) AS top10_fractional
        FROM tfc GROUP BY tech, country
        """,
            "country",
            "works",
            "works_fractional",
            "top10_works",
            "top10_fractional",
        )
    )
    institutions = engine.rows(
        _by_name(
            """
        SELECT tech, inst AS institution, MAX(country) AS country,
               CAST(SUM(top10_works) AS BIGINT) AS top10_works, CAST(SUM(works) AS BIGINT) AS works
        FROM ti GROUP BY tech, inst
        """,
            "institution",
            "country",
            "top10_works",
            "works",
        )
    )
    return country_rows(counted, institutions, technologies)


def collaboration(engine: Engine) -> list[Row]:
    rows = engine.rows(
        _by_name(
            "SELECT tech, country_a, country_b, COUNT(*) AS works FROM tfp GROUP BY tech, country_a, country_b",
            "country_a",
            "country_b",
            "works",
        )
    )
    return sorted(rows, key=lambda row: (row["technology"], -row["works"], row["country_a"], row["country_b"]))


def country_rows(counted: list[Row], institutions: list[Row], technologies: Sequence[str]) -> list[Row]:
    """Shares, ranks, the lead's ratio and the monopoly rule from the per-country and per-institution counts."""
    by_technology: dict[str, list[Row]] = defaultdict(list)
    for row in counted:
        by_technology[row["technology"]].append(dict(row))
    top_institutions = _top_institutions(institutions)
    out: list[Row] = []
    for technology in sorted(set(technologies) | set(by_technology)):
        rows = by_technology.get(technology, [])
        if not any(row["country"] == JAPAN for row in rows):
            rows.append(
                {
                    "technology": technology,
                    "country": JAPAN,
                    "works": 0,
                    "works_fractional": 0.0,
                    "top10_works": 0,
                    "top10_fractional": 0.0,
                }
            )
        total = sum(row["works_fractional"] for row in rows)
        total_top = sum(row["top10_fractional"] for row in rows)
        for row in rows:
            row["works_fractional"] = round(row["works_fractional"], DIGITS)
            row["top10_fractional"] = round(row["top10_fractional"], DIGITS)
            row["share"] = round(row["works_fractional"] / total, DIGITS) if total else 0.0
            row["top10_share"] = round(row["top10_fractional"] / total_top, DIGITS) if total_top else 0.0
        rows.sort(key=lambda row: (-row["top10_share"], -row["share"], -row["works"], row["country"]))
        ranked = [row for row in rows if row["works"] > 0]
        for position, row in enumerate(rows, start=1):
            row["rank"] = position if row["works"] > 0 else None
        top = top_institutions.get(technology, [])
        for row in rows:
            row["top10_institutions"] = sum(1 for _, country in top if country == row["country"])
        ratio = _lead_ratio(ranked)
        risk = monopoly_risk(ratio, ranked[0]["top10_institutions"] if ranked else 0)
        for row in rows:
            row["lead_ratio"] = ratio
            row["monopoly_risk"] = risk
        out.extend(rows)
    return out


def monopoly_risk(lead_ratio: float | None, lead_institutions: int) -> str:
    """ASPI's technology monopoly risk from the lead's ratio to the second and its share of the top institutions."""
    for risk, ratio, institutions in MONOPOLY_RULES:
        # No second country at all is the strongest lead there is.
        if (lead_ratio is None or lead_ratio >= ratio) and lead_institutions >= institutions:
            return risk
    return "low"


def _lead_ratio(ranked: list[Row]) -> float | None:
    if len(ranked) < 2:
        return None
    first, second = ranked[0], ranked[1]
    key = "top10_share" if first["top10_share"] > 0 else "share"
    if second[key] <= 0:
        return None
    return round(float(first[key]) / float(second[key]), 6)


def _top_institutions(rows: list[Row]) -> dict[str, list[tuple[str, str | None]]]:
    by_technology: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        if row["top10_works"] > 0:
            by_technology[row["technology"]].append(row)
    return {
        technology: [
            (row["institution"], row["country"])
            for row in sorted(items, key=lambda r: (-r["top10_works"], -r["works"], r["institution"]))[
                :TOP_INSTITUTIONS
            ]
        ]
        for technology, items in by_technology.items()
    }
