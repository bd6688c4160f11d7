"""`kizashi scan`'s files: the landscape service's tables as CSV (DESIGN §4), `scan.json` (the scan, its label and
parameters) and its report as HTML, XLSX and PDF.

The service (kizashi.know.landscape.service) reads through the access policy and writes the audit event naming the
folder; this module supplies the dual-use signal from the export-control classifier (protect may not be imported by
know) and writes what the service returned. A CSV cell that a spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from kizashi.files.export import EXPORT_MODE, created, write_rows
from kizashi.know.landscape.result import ScanResult
from kizashi.know.landscape.service import Progress, ScanRequest, scan
from kizashi.know.landscape.tables import COLUMNS, Row
from kizashi.policy import Actor
from kizashi.protect.controls.classify import dual_use_signal
from kizashi.store.service import Delivery, service
from kizashi.store.workspace import Workspace

REPORT_FORMATS = ("html", "xlsx", "pdf")


@dataclass(frozen=True)
class Written:
    result: ScanResult
    files: list[Path]


@service("landscape.scan_files")
def run_scan(
    workspace: Workspace,
    actor: Actor,
    request: ScanRequest,
    out: Path,
    *,
    lang: str = "ja",
    formats: Sequence[str] = REPORT_FORMATS,
    raw_csv: bool = False,
    mode: int = EXPORT_MODE,
    on_progress: Progress | None = None,
) -> Written:
    from kizashi.report.landscape import write_reports

    out.mkdir(parents=True, exist_ok=True)
    result = scan(
        workspace,
        actor,
        request,
        delivery=Delivery(str(out), "scan"),
        dual_use=dual_use_signal,
        on_progress=on_progress,
    )
    files = write_tables(result, out, raw_csv=raw_csv, mode=mode)
    if on_progress is not None:
        on_progress("report", 0, None)
    files.extend(write_reports(result, out, lang=lang, formats=tuple(formats)))
    return Written(result, files)


def write_tables(result: ScanResult, out: Path, *, raw_csv: bool = False, mode: int = EXPORT_MODE) -> list[Path]:
    manifest = created(out / "scan.json", mode)
    manifest.write_bytes(orjson.dumps(_manifest(result), option=orjson.OPT_INDENT_2) + b"\n")
    written = [manifest]
    for name, columns in COLUMNS.items():
        path = out / f"{name}.csv"
        write_rows((_csv_row(row) for row in result.tables[name]), columns, "csv", path, raw_csv=raw_csv, mode=mode)
        written.append(path)
    return written


def _manifest(result: ScanResult) -> dict[str, Any]:
    """What the folder is: its scan, the label it carries (the highest of what it used) and how it was made."""
    return {
        "scan": result.scan_id,
        "label": result.label,
        "created_at": result.created_at.isoformat(),
        "engine": result.engine,
        "from": result.year_from,
        "to": result.year_to,
        "as_of": result.as_of.isoformat() if result.as_of else None,
        "public": result.public,
        "works": result.works,
        "technologies": len(result.technologies),
        "fingerprint": result.fingerprint,
        "previous_scan": result.previous_scan,
        "vanished_fronts": result.vanished_fronts,
        "notes": [{"note": key, **values} for key, values in result.notes],
    }


def _csv_row(row: Row) -> dict[str, Any]:
    # true/false as the interface documents them (Python would write True/False).
    return {key: ("true" if value else "false") if isinstance(value, bool) else value for key, value in row.items()}
