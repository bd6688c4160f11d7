"""The workspace overview report: what is in the store, at a glance, in Japanese and English."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kizashi import __version__
from kizashi.files.export import created
from kizashi.ingest.reference import threat_categories
from kizashi.policy import Actor, Clearance, Label
from kizashi.report.charts import bar_chart, column_chart
from kizashi.report.templating import environment
from kizashi.store.records import counts, iter_records
from kizashi.store.service import Delivery, delivered, service
from kizashi.store.workspace import Workspace

KIND_NAMES = {
    "needs": ("ニーズ", "Needs"),
    "seeds": ("シーズ", "Seeds"),
    "works": ("研究成果・プロジェクト", "Works and projects"),
    "threats": ("脅威", "Threats"),
    "technologies": ("技術分類", "Technologies"),
}


@dataclass
class Overview:
    workspace: str
    backend: str
    generated: str
    counts: dict[str, int]
    level: str
    compartments: list[str]
    charts: dict[str, Any] = field(default_factory=dict)
    threats: list[dict[str, Any]] = field(default_factory=list)
    areas: list[dict[str, Any]] = field(default_factory=list)
    needs: list[dict[str, Any]] = field(default_factory=list)


def build_overview(workspace: Workspace, clearance: Clearance) -> Overview:
    labels: list[Label] = []
    years: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    for work in iter_records(workspace, "works", clearance):
        labels.append(Label.of(work))
        if work["year"]:
            years[str(work["year"])] += 1
        countries.update(work["countries"])
    threats = []
    for threat in iter_records(workspace, "threats", clearance):
        labels.append(Label.of(threat))
        threat["risk"] = (threat["likelihood"] or 0) * (threat["impact"] or 0)
        threats.append(threat)
    threats.sort(key=lambda t: (-t["risk"], t["id"]))
    technologies = list(iter_records(workspace, "technologies", clearance))
    labels.extend(Label.of(t) for t in technologies)
    children = Counter(t["parent"] for t in technologies if t["parent"])
    areas = [dict(t, children=children[t["id"]]) for t in technologies if not t["parent"]]
    needs = list(iter_records(workspace, "needs", clearance))
    labels.extend(Label.of(n) for n in needs)
    seed_orgs: Counter[str] = Counter()
    for seed in iter_records(workspace, "seeds", clearance):
        labels.append(Label.of(seed))
        if seed["country"]:
            seed_orgs[seed["country"]] += 1
    label = Label.highest(labels)
    overview = Overview(
        workspace=str(workspace.path),
        backend=workspace.backend,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        counts=counts(workspace, clearance),
        # A derived product carries the highest label of what went into it.
        level=label.level,
        compartments=sorted(label.compartments),
        threats=threats,
        areas=areas,
        needs=[n for n in needs if n["lang"] == "ja"],
    )
    category_names = threat_category_names()
    for threat in threats:
        threat["category_name"] = category_names.get(threat["category"], threat["category"])
        threat["horizon_name"] = HORIZON_NAMES.get(threat["horizon"] or "", threat["horizon"] or "")
    overview.charts = {
        "years": column_chart(sorted(years.items()), title="開始年別プロジェクト数 / Projects by start year"),
        "countries": bar_chart(countries.most_common(15), title="参加国（上位15）/ Participating countries (top 15)"),
        "seed_countries": bar_chart(
            seed_orgs.most_common(10), title="シーズ保有機関の国（上位10）/ Seeds by coordinator country"
        ),
        "threat_categories": bar_chart(
            [(category_names.get(c, c), n) for c, n in Counter(t["category"] for t in threats).most_common()],
            title="分類別の脅威 / Threats by category",
        ),
    }
    return overview


# A threat's horizon in words (the catalogue's years: data/reference/threats.yaml), bilingual like the whole report.
HORIZON_NAMES = {
    "near": "短期（5年未満）/ near, under 5 years",
    "mid": "中期（5〜15年）/ mid, 5–15 years",
    "long": "長期（15年超）/ long, over 15 years",
}


def threat_category_names() -> dict[str, str]:
    """Bilingual display names of the threat categories, from the bundled catalogue."""
    return {key: f"{ja} / {en}" for key, (ja, en) in threat_categories().items()}


def render_overview(overview: Overview) -> str:
    template = environment().get_template("overview.html.j2")
    return template.render(o=overview, kind_names=KIND_NAMES, version=__version__)


@service("report.overview")
def write_overview(workspace: Workspace, actor: Actor, out: Path) -> Path:
    """The overview of what `actor` may read, written to `out`; audited as an export under its label."""
    overview = build_overview(workspace, actor.clearance)
    out.parent.mkdir(parents=True, exist_ok=True)
    created(out).write_text(render_overview(overview), encoding="utf-8")
    label = {"level": overview.level, "compartments": overview.compartments}
    delivered(workspace, actor, Delivery(str(out), "html"), detail={"service": "overview", "label": label})
    return out
