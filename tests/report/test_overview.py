"""The overview report: counts, charts and the label of the highest input, rendered from what is in the store."""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser
from pathlib import Path

from kizashi.ingest.dispatch import ingest
from kizashi.protect.people import actor_for as as_user
from kizashi.report.charts import bar_chart, column_chart
from kizashi.report.overview import build_overview, write_overview
from kizashi.store.workspace import Workspace


def _needs_file(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "needs.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "title", "description", "label", "organization"])
        writer.writeheader()
        writer.writerows(rows)
    return path


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_report_carries_the_highest_label_and_lists_japanese_needs(workspace: Workspace, tmp_path: Path) -> None:
    needs = _needs_file(
        tmp_path,
        [
            {
                "id": "n1",
                "title": "津波の早期検知",
                "description": "沿岸の観測",
                "label": "PUBLIC",
                "organization": "気象庁",
            },
            {
                "id": "n2",
                "title": "Bridge inspection",
                "description": "drones",
                "label": "CONFIDENTIAL",
                "organization": "",
            },
        ],
    )
    # The workspace has no users: its operator reads everything (these tests read what they wrote; tests/protect
    # check the policy).
    tester = as_user(workspace, "tester")
    ingest(workspace, tester, "needs", [needs])
    overview = build_overview(workspace, tester.clearance)
    assert overview.level == "CONFIDENTIAL"
    assert overview.counts["needs"] == 2
    assert [n["id"] for n in overview.needs] == ["n1"]

    out = write_overview(workspace, tester, tmp_path / "out" / "overview.html")
    parser = _Text()
    parser.feed(out.read_text(encoding="utf-8"))
    text = " ".join(parser.text)
    assert "CONFIDENTIAL" in text
    assert "津波の早期検知" in text
    assert "気象庁" in text


def test_report_of_an_empty_workspace_is_public_and_renders(workspace: Workspace, tmp_path: Path) -> None:
    tester = as_user(workspace, "tester")  # the operator of a workspace without users reads everything
    overview = build_overview(workspace, tester.clearance)
    assert overview.level == "PUBLIC"
    assert set(overview.counts.values()) == {0}
    assert write_overview(workspace, tester, tmp_path / "empty.html").stat().st_size > 0


def test_charts_escape_labels_and_scale_to_the_largest_value() -> None:
    svg = str(bar_chart([("<script>", 10), ("b", 5)], title="t & u"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "t &amp; u" in svg
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths[0] == 2 * widths[1]
    assert "—" in str(column_chart([], title="none"))
