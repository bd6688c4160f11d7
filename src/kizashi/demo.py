"""`kizashi demo`: a workspace built from the bundled slice of real data, and its overview report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kizashi.ingest.dispatch import ingest
from kizashi.ingest.loader import ImportReport
from kizashi.protect.clearances import acting_clearance
from kizashi.report.overview import write_overview
from kizashi.settings import current_user
from kizashi.store.records import counts
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


@dataclass
class DemoResult:
    workspace: Workspace
    imports: list[ImportReport]
    counts: dict[str, int]
    report: Path


def run_demo(path: Path | None = None, on_progress: Callable[[int], None] | None = None) -> DemoResult:
    workspace = Workspace.create(path)
    imports = [ingest(workspace, kind, files, on_progress=on_progress) for kind, files in STEPS]
    clearance = acting_clearance(workspace, current_user())
    report = write_overview(workspace, workspace.path / "reports" / "overview.html", clearance)
    return DemoResult(workspace, imports, counts(workspace, clearance), report)
