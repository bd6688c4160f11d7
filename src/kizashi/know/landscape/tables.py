"""The scan's output tables and their columns: a stable interface (DESIGN §4). Columns may be added, never renamed.

Every table is a list of rows (dicts keyed by these columns); the CSV files, the XLSX sheets, the report and the web
pages all render these rows, so a number on a page is the number in the file.
"""

from __future__ import annotations

from typing import Any

Row = dict[str, Any]

COLUMNS: dict[str, tuple[str, ...]] = {
    "trends": ("technology", "year", "works", "share", "top10_works"),
    "emergence": (
        "technology",
        "works",
        "growth",
        "emergence_score",
        "emerging",
        "burst_years",
        "novelty",
        "persistence",
        "community",
        "recent_works",
    ),
    "countries": (
        "technology",
        "country",
        "works",
        "works_fractional",
        "share",
        "top10_works",
        "top10_share",
        "rank",
        "lead_ratio",
        "top10_institutions",
        "monopoly_risk",
        "top10_fractional",
    ),
    "collaboration": ("technology", "country_a", "country_b", "works"),
    "fronts": ("front", "label_en", "label_ja", "works", "growth", "status", "previous", "technologies"),
    "front_works": ("front", "work_id"),
    "critical": (
        "technology",
        "rank",
        "score",
        "rank_low",
        "rank_high",
        "weighted_score",
        "weighted_rank",
        "threat_relevance",
        "momentum",
        "japan_gap",
        "japan_trend",
        "dual_use",
        "concentration",
    ),
    "threats": (
        "threat",
        "threat_name_ja",
        "threat_name_en",
        "technology",
        "relation",
        "momentum",
        "emerging",
        "japan_rank",
        "japan_share",
        "needs",
        "seeds",
        "need_ids",
        "seed_ids",
    ),
}
