"""`kizashi demo`: a workspace built from the bundled slice of real data, and its overview report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from kizashi.export import write_rows
from kizashi.ingest.dispatch import ingest
from kizashi.ingest.loader import ImportReport
from kizashi.know.match import proposal_rows, run_match, workspace_statements
from kizashi.protect.clearances import acting_clearance
from kizashi.protect.policy import Clearance
from kizashi.protect.risk_card import risk_card
from kizashi.protect.screening.screen import Party
from kizashi.protect.screening.store import WORKSPACE_TABLE_COLUMNS, decision_table_rows, load_list, screen
from kizashi.report.match_report import render_match
from kizashi.report.overview import write_overview
from kizashi.report.risk_card import render
from kizashi.settings import current_user
from kizashi.store.records import counts, iter_records
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


SCREENING_LIST = DEMO / "meti_end_user_lists.json"


@dataclass
class DemoResult:
    workspace: Workspace
    imports: list[ImportReport]
    counts: dict[str, int]
    report: Path
    # What the demo then does with the data: the main jobs of know and protect, each leaving a file in reports/.
    done: list[tuple[str, Path]] = field(default_factory=list)


def run_demo(path: Path | None = None, on_progress: Callable[[int], None] | None = None) -> DemoResult:
    workspace = Workspace.create(path)
    imports = [ingest(workspace, kind, files, on_progress=on_progress) for kind, files in STEPS]
    actor = current_user()
    clearance = acting_clearance(workspace, actor)
    reports = workspace.path / "reports"
    report = write_overview(workspace, reports / "overview.html", clearance)
    result = DemoResult(workspace, imports, counts(workspace, clearance), report)
    result.done.append(_workshop(workspace, clearance, reports / "match-workshop.html"))
    result.done.append(_screening(workspace, actor, reports / "partner-screening.xlsx"))
    result.done.append(_risk_card(workspace, actor, reports / "risk-card.html"))
    return result


def _workshop(workspace: Workspace, clearance: Clearance, out: Path) -> tuple[str, Path]:
    """The Japanese needs matched to the projects: the handout of a matching workshop."""
    needs = [need for need in workspace_statements(workspace, "needs", clearance) if need.lang == "ja"]
    seeds = workspace_statements(workspace, "seeds", clearance)
    rows = proposal_rows(needs, seeds, run_match(needs, seeds, top=5))
    out.write_text(render_match(needs, rows, seed_count=len(seeds), top=5), encoding="utf-8")
    return f"{len(needs)} Japanese needs matched to {len(seeds)} projects (top 5 each, with evidence)", out


def _screening(workspace: Workspace, actor: str, out: Path) -> tuple[str, Path]:
    """Every organisation behind the projects screened against Japan's METI end-user lists."""
    load_list(workspace, actor, SCREENING_LIST)
    names = sorted(
        {
            str(o["name"])
            for work in iter_records(workspace, "works", acting_clearance(workspace, actor))
            for o in work.get("institutions") or []
            if isinstance(o, dict) and o.get("name")
        }
    )
    parties = [Party(f"org-{number}", name) for number, name in enumerate(names, 1)]
    screening = screen(workspace, actor, parties)
    rows = sorted(decision_table_rows(screening.rows), key=lambda row: row["rank"] is None)  # alerts first
    write_rows(rows, list(WORKSPACE_TABLE_COLUMNS), "xlsx", out)
    alerts = sum(1 for row in screening.rows if row["matches"])
    return f"{len(parties)} partner organisations screened against the METI lists: {alerts} with an alert", out


def _risk_card(workspace: Workspace, actor: str, out: Path) -> tuple[str, Path]:
    """The risk card of the first project: what is known, what is missing."""
    first = next(iter_records(workspace, "seeds", acting_clearance(workspace, actor)))
    card = risk_card(workspace, actor, str(first["id"]), "seeds", action="export", detail={"file": str(out)})
    out.write_bytes(render(card, "html"))
    return f"risk card of project {first['id']}: {card.level}, {len(card.missing)} step(s) missing", out
