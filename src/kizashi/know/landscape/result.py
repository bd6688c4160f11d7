"""What a scan returns: its tables (tables.COLUMNS), the names it needs to show them, and where they came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from kizashi.know.landscape.tables import Row


@dataclass
class ScanResult:
    tables: dict[str, list[Row]]
    # technology id → (Japanese name, English name); threats likewise
    technologies: dict[str, tuple[str, str]]
    threats: dict[str, tuple[str, str]]
    scan_id: int
    created_at: datetime
    engine: str
    year_from: int | None
    year_to: int | None
    as_of: date | None
    public: bool
    label: str  # the highest level among the records the scan used (PUBLIC, INTERNAL, ...)
    works: int  # works the scan read
    fingerprint: str  # of its input: works, taxonomy and parameters
    # Notes the report prints, as message keys with their values (e.g. citations left out under --as-of).
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    vanished_fronts: list[str] = field(default_factory=list)
    previous_scan: int | None = None
