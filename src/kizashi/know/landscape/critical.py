"""Critical technologies and threats → technologies: the indicators gathered per technology, ranked (ranking.py).

Indicators, each "higher = more critical":
- threat_relevance: Σ likelihood × impact of the threats in the register that name the technology (or one of its
  descendants), plus for each need tagged with it the likelihood × impact of the need's threat (1 when it names none).
- momentum: the emergence score (emergence.py).
- japan_gap: the lead country's share minus Japan's share (fractional counts).
- japan_trend: in the CSV, the change of Japan's share between the five years before the last five and the last five
  (points of share, negative when Japan falls behind); the ranking weighs its fall, max(0, −change).
- dual_use: the control-list classifier's probability for the technology's description and its most cited works
  (protect.controls; 0 when not given).
- concentration: ASPI's monopoly risk as 1 (high), 0.5 (medium), 0 (low).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kizashi.ingest.taxonomy import ancestors, parent_map
from kizashi.know.landscape.engines import Engine
from kizashi.know.landscape.indicators import JAPAN
from kizashi.know.landscape.ranking import rank
from kizashi.know.landscape.tables import Row
from kizashi.know.landscape.tagging import PhraseTagger

RISK_VALUE = {"high": 1.0, "medium": 0.5, "low": 0.0}
TOP_TITLES = 5
EMERGING_TECHNOLOGY = "emerging_technology"  # the threat category whose technologies could become the threat
LISTED = 20  # needs and seeds named per threat and technology in threats.csv


@dataclass
class Links:
    """Which threats name each technology, and which needs and seeds are tagged with it."""

    threats: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    needs: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    seeds: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    need_weight: dict[str, float] = field(default_factory=dict)
    register: list[Row] = field(default_factory=list)

    @classmethod
    def of(
        cls,
        technologies: Sequence[Mapping[str, Any]],
        threats: Sequence[Row],
        needs: Sequence[Row],
        seeds: Sequence[Row],
    ) -> Links:
        links = cls(register=sorted(threats, key=lambda t: str(t["id"])))
        parents = parent_map(technologies)
        by_id = {str(t["id"]): t for t in threats}
        for threat in links.register:
            named: set[str] = set()
            for technology in threat.get("technologies") or []:
                if technology in parents:
                    named.add(technology)
                    named.update(ancestors(parents, technology))
            for technology in sorted(named):
                links.threats[technology].append(threat)
        tagger = PhraseTagger(technologies)
        for kind, rows in (("needs", needs), ("seeds", seeds)):
            target = links.needs if kind == "needs" else links.seeds
            for row in sorted(rows, key=lambda r: str(r["id"])):
                for tag in tagger.tag(row.get("title"), row.get("keywords"), row.get("description")):
                    target[tag.technology].append(str(row["id"]))
                if kind == "needs":
                    its_threat = by_id.get(str(row.get("threat") or ""))
                    links.need_weight[str(row["id"])] = _severity(its_threat) if its_threat else 1.0
        return links

    def relevance(self, technology: str) -> float:
        named = sum(_severity(threat) for threat in self.threats.get(technology, []))
        return float(named + sum(self.need_weight.get(need, 1.0) for need in self.needs.get(technology, [])))


def _severity(threat: Mapping[str, Any]) -> float:
    return float((threat.get("likelihood") or 1) * (threat.get("impact") or 1))


def japan_trends(engine: Engine, end_year: int) -> dict[str, float]:
    """Japan's share (fractional) of each technology in the last five years minus in the five before."""
    recent, before = end_year - 4, end_year - 9
    rows = engine.rows(
        f"""
        SELECT f.technology,
               SUM(CASE WHEN f.year >= {recent} THEN CAST(1 AS DOUBLE) / f.k ELSE 0 END) AS recent_all,
               SUM(CASE WHEN f.year >= {recent} AND f.country = '{JAPAN}' THEN CAST(1 AS DOUBLE) / f.k ELSE 0 END)
                   AS recent_jp,
               SUM(CASE WHEN f.year < {recent} AND f.year >= {before} THEN CAST(1 AS DOUBLE) / f.k ELSE 0 END)
                   AS before_all,
               SUM(CASE WHEN f.year < {recent} AND f.year >= {before} AND f.country = '{JAPAN}'
                        THEN CAST(1 AS DOUBLE) / f.k ELSE 0 END) AS before_jp
        FROM tfc f
        WHERE f.year <= {end_year}
        GROUP BY f.technology
        """
    )
    found: dict[str, float] = {}
    for row in rows:
        now = row["recent_jp"] / row["recent_all"] if row["recent_all"] else 0.0
        then = row["before_jp"] / row["before_all"] if row["before_all"] else now
        found[row["technology"]] = round(now - then, 10)
    return found


def top_titles(engine: Engine) -> dict[str, list[str]]:
    """The titles of each technology's most cited works in the scan (for the dual-use signal)."""
    rows = engine.rows(
        f"""
        SELECT r.technology, p.title FROM (
            SELECT technology, id, import_id FROM (
                SELECT f.technology, w.id, w.import_id,
                       row_number() OVER (PARTITION BY f.technology ORDER BY f.cited DESC NULLS LAST, w.id) AS n
                FROM tf f JOIN works w ON w.key = f.key AND w.import_id = f.import_id
            ) ranked WHERE n <= {TOP_TITLES}
        ) r JOIN parts p ON p.id = r.id AND p.import_id = r.import_id
        ORDER BY r.technology, p.title
        """
    )
    found: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row["title"]:
            found[row["technology"]].append(row["title"])
    return dict(found)


def critical_rows(
    technologies: Sequence[str],
    links: Links,
    emergence: Sequence[Row],
    countries: Sequence[Row],
    japan: Mapping[str, float],
    dual_use: Mapping[str, float],
    weights: Mapping[str, float],
) -> list[Row]:
    momentum = {row["technology"]: float(row["emergence_score"] or 0.0) for row in emergence}
    lead: dict[str, float] = {}
    japan_share: dict[str, float] = {}
    risk: dict[str, str] = {}
    for row in countries:
        technology = row["technology"]
        if row["rank"] == 1:
            lead[technology] = float(row["share"])
        if row["country"] == JAPAN:
            japan_share[technology] = float(row["share"])
        risk[technology] = row["monopoly_risk"]
    shown: dict[str, dict[str, float]] = {}
    ranked_on: dict[str, dict[str, float]] = {}
    for technology in technologies:
        values = {
            "threat_relevance": links.relevance(technology),
            "momentum": momentum.get(technology, 0.0),
            "japan_gap": round(lead.get(technology, 0.0) - japan_share.get(technology, 0.0), 10),
            "japan_trend": japan.get(technology, 0.0),
            "dual_use": float(dual_use.get(technology, 0.0)),
            "concentration": RISK_VALUE.get(risk.get(technology, "low"), 0.0),
        }
        shown[technology] = values
        ranked_on[technology] = {**values, "japan_trend": max(0.0, -values["japan_trend"])}
    rows: list[Row] = []
    for ranked in rank(ranked_on, weights):
        rows.append({**ranked.row(), **shown[ranked.technology]})
    return rows


def threat_rows(links: Links, emergence: Sequence[Row], countries: Sequence[Row]) -> list[Row]:
    by_technology = {row["technology"]: row for row in emergence}
    japan = {row["technology"]: row for row in countries if row["country"] == JAPAN}
    rows: list[Row] = []
    for threat in links.register:
        relation = "could_become" if threat.get("category") == EMERGING_TECHNOLOGY else "counters"
        for technology in threat.get("technologies") or []:
            if technology not in by_technology:
                continue  # not in the scan's taxonomy
            seen = by_technology[technology]
            jp = japan.get(technology, {})
            needs = links.needs.get(technology, [])
            seeds = links.seeds.get(technology, [])
            rows.append(
                {
                    "threat": threat["id"],
                    "threat_name_ja": threat.get("name_ja"),
                    "threat_name_en": threat.get("name_en"),
                    "technology": technology,
                    "relation": relation,
                    "momentum": seen.get("emergence_score"),
                    "emerging": seen.get("emerging"),
                    "japan_rank": jp.get("rank"),
                    "japan_share": jp.get("share"),
                    "needs": len(needs),
                    "seeds": len(seeds),
                    "need_ids": ";".join(needs[:LISTED]),
                    "seed_ids": ";".join(seeds[:LISTED]),
                }
            )
    return rows
