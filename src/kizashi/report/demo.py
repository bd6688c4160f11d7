"""`kizashi demo`: a workspace built from the bundled slice of real data, and its overview report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from kizashi.files.export import created, write_rows
from kizashi.ingest.dispatch import ingest
from kizashi.ingest.loader import ImportReport
from kizashi.know.landscape.service import ScanRequest
from kizashi.know.matching import match_workspace
from kizashi.know.records import record_counts
from kizashi.messages import Message
from kizashi.messages.words import RISK_LEVELS
from kizashi.policy import Actor
from kizashi.protect.people import actor_for, record_owner
from kizashi.protect.risk_card import risk_card
from kizashi.protect.screening.screen import Party
from kizashi.protect.screening.store import WORKSPACE_TABLE_COLUMNS, decision_table_rows, load_list, screen
from kizashi.report.demo_cti import threat_intelligence
from kizashi.report.demo_programme import programme
from kizashi.report.match_report import render_match
from kizashi.report.overview import write_overview
from kizashi.report.risk_card import render
from kizashi.report.scan import run_scan
from kizashi.store.records import iter_records
from kizashi.store.service import Delivery
from kizashi.store.workspace import Workspace

DATA = Path(str(resources.files("kizashi") / "data"))
DEMO = DATA / "demo"
REFERENCE = DATA / "reference"

# What the demo loads, in order: the taxonomy and threats first, as needs refer to them.
STEPS: list[tuple[str, list[Path]]] = [
    ("technologies", [REFERENCE / "taxonomy.yaml"]),
    ("threats", [REFERENCE / "threats.yaml"]),
    ("works", [DEMO / "cordis_projects.csv", DEMO / "cordis_organisations.csv"]),
    ("seeds", [DEMO / "cordis_projects.csv"]),
    ("needs", [DEMO / "cordis_topics.csv", DEMO / "needs_ja.csv"]),
]


SCREENING_LIST = DEMO / "meti_export_ban_lists.json"
SCREENING_LIST_DATE = "2025-09-12"  # the third-country notice's latest update (data/demo/SOURCE.md)


@dataclass
class DemoResult:
    workspace: Workspace
    imports: list[ImportReport]
    counts: dict[str, int]
    report: Path
    # What the demo then does with the data: the main jobs of know and protect, each leaving a file in reports/.
    done: list[tuple[str, Path]] = field(default_factory=list)


def run_demo(path: Path | None, login: str, on_progress: Callable[[int], None] | None = None) -> DemoResult:
    """Build the demo workspace as `login` (its owner, or a user of it) and do the main jobs on it."""
    workspace = Workspace.create(path)
    record_owner(workspace, login)
    actor = actor_for(workspace, login, via="cli: kizashi demo", credential="os-login")
    imports = [ingest(workspace, actor, kind, files, on_progress=on_progress) for kind, files in STEPS]
    reports = workspace.path / "reports"
    report = write_overview(workspace, actor, reports / "overview.html")
    result = DemoResult(workspace, imports, record_counts(workspace, actor).counts, report)
    result.done.append(_workshop(workspace, actor, reports / "match-workshop.html"))
    result.done.append(_screening(workspace, actor, reports / "partner-screening.xlsx"))
    result.done.append(_risk_card(workspace, actor, reports / "risk-card.html"))
    result.done.append(_landscape(workspace, actor, reports / "landscape"))
    result.done.append(programme(workspace, actor, reports / "programme"))
    told, listing, _ = threat_intelligence(workspace, actor, reports / "threat-intelligence.json")
    result.done.append((told, listing))
    return result


def _workshop(workspace: Workspace, actor: Actor, out: Path) -> tuple[str, Path]:
    """The Japanese needs matched to the projects: the handout of a matching workshop."""
    found = match_workspace(workspace, actor, top=5, delivery=Delivery(str(out), "html"))
    needs = [need for need in found.needs if need.lang == "ja"]
    rows = [row for row in found.rows if row["need_id"] in {need.id for need in needs}]
    created(out).write_text(render_match(needs, rows, seed_count=len(found.seeds), top=5), encoding="utf-8")
    return (
        Message(
            "{needs} Japanese needs matched to {seeds} projects (top 5 each, with evidence)",
            needs=len(needs),
            seeds=len(found.seeds),
        ),
        out,
    )


def _screening(workspace: Workspace, actor: Actor, out: Path) -> tuple[str, Path]:
    """Every organisation behind the projects screened against Japan's export-ban designations (third countries and
    Belarus; the notices' latest update, 2025-09-12, is the bundled file's date)."""
    load_list(workspace, actor, SCREENING_LIST, date=SCREENING_LIST_DATE)
    names = sorted(
        {
            str(o["name"])
            for work in iter_records(workspace, "works", actor.clearance)
            for o in work.get("institutions") or []
            if isinstance(o, dict) and o.get("name")
        }
    )
    parties = [Party(f"org-{number}", name) for number, name in enumerate(names, 1)]
    screening = screen(workspace, actor, parties, delivery=Delivery(str(out), "xlsx"))
    rows = sorted(decision_table_rows(screening.rows), key=lambda row: row["rank"] is None)  # alerts first
    write_rows(rows, list(WORKSPACE_TABLE_COLUMNS), "xlsx", out)
    alerts = sum(1 for row in screening.rows if row["matches"])
    return (
        Message(
            "{parties} partner organisations screened against Japan's export-ban designations (third countries, "
            "Belarus): {alerts} with an alert",
            parties=len(parties),
            alerts=alerts,
        ),
        out,
    )


def _risk_card(workspace: Workspace, actor: Actor, out: Path) -> tuple[str, Path]:
    """The risk card of the first project: what is known, what is missing."""
    first = next(iter_records(workspace, "seeds", actor.clearance))
    card = risk_card(workspace, actor, str(first["id"]), "seeds", delivery=Delivery(str(out), "html"))
    created(out).write_bytes(render(card, "html"))
    level = RISK_LEVELS.get(card.level, card.level)
    message = Message(
        "risk card of project {id}: {level}, {missing} step(s) missing",
        id=first["id"],
        level=level,
        missing=len(card.missing),
    )
    return message, out


def _landscape(workspace: Workspace, actor: Actor, out: Path) -> tuple[str, Path]:
    """The R&D landscape of the projects: trends, countries and Japan's position, fronts, critical technologies."""
    written = run_scan(workspace, actor, ScanRequest(), out)
    result = written.result
    emerging = sum(1 for row in result.tables["emergence"] if row["emerging"])
    return (
        Message(
            "landscape of {works} projects: {technologies} technologies ({emerging} emerging), {fronts} research "
            "fronts, critical technologies ranked",
            works=result.works,
            technologies=len(result.technologies),
            emerging=emerging,
            fronts=sum(1 for row in result.tables["fronts"] if row["works"]),
        ),
        out / "report.html",
    )
