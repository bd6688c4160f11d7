"""`kizashi roadmap add | list | show` and `--id` for validate, critical-path and render, `kizashi portfolio optimize
--save | runs | run`: stored roadmaps and kept portfolio runs through the command line, on both backends; and the
export of a stored roadmap (YAML, XLSX) read back to the same roadmap, for random roadmaps."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kizashi.grow.roadmap_export import to_xlsx, to_yaml
from kizashi.grow.roadmap_model import LANES, Roadmap, read_roadmap
from kizashi.grow.roadmaps import document, roadmap_of
from kizashi.policy import Label
from kizashi.store.workspace import Workspace

EXAMPLES = Path(__file__).parents[2] / "examples"


def _roadmap(tmp_path: Path, name: str = "rm.yaml", **more: Any) -> Path:
    values = {
        "id": "rm-cli",
        "title_ja": "試験のロードマップ",
        "items": [
            {"id": "T1", "lane": "technology", "title_ja": "基礎", "start": "2027-01", "end": "2027-12",
             "trl": {"from": 2, "to": 4}},
            {"id": "T2", "lane": "programme", "title_ja": "実証", "start": "2028-01", "end": "2028-06",
             "depends_on": ["T1"], "trl": {"from": 4, "to": 6}},
        ],
        **more,
    }  # fmt: skip
    path = tmp_path / name
    path.write_text(yaml.safe_dump(values, allow_unicode=True), encoding="utf-8")
    return path


def test_add_stores_revisions_and_show_exports_the_document_again(
    cli: Any, workspace: Workspace, tmp_path: Path
) -> None:
    path = _roadmap(tmp_path)
    done = cli("roadmap", "add", path, "--note", "最初")
    assert done.code == 0 and "roadmap rm-cli stored as revision 1" in done.out, done.err
    assert "unchanged (revision 1)" in cli("roadmap", "add", path).out
    changed = _roadmap(tmp_path, title_en="A test roadmap")
    assert "revision 2" in cli("roadmap", "add", changed, "--note", "English").out
    listed = cli("roadmap", "list", "--format", "json")
    (row,) = json.loads(listed.out)
    assert (row["id"], row["revision"], row["items"], row["label"]) == ("rm-cli", 2, 2, "INTERNAL")
    shown = cli("roadmap", "show", "rm-cli")
    assert shown.code == 0
    exported = tmp_path / "exported.yaml"
    exported.write_text(shown.out, encoding="utf-8")
    assert read_roadmap(exported) == read_roadmap(changed).model_copy(update={"label": "INTERNAL"})
    assert cli("roadmap", "validate", exported).code == 0
    assert json.loads(cli("roadmap", "show", "rm-cli", "--format", "json").out)["title_en"] == "A test roadmap"
    book = tmp_path / "rm.xlsx"
    assert cli("roadmap", "show", "rm-cli", "--format", "xlsx", "--out", book).code == 0
    assert read_roadmap(book) == read_roadmap(exported)
    history = yaml.safe_load(cli("roadmap", "show", "rm-cli", "--revisions").out)["revisions"]
    assert [(r["revision"], r["note"]) for r in history] == [(1, "最初"), (2, "English")]


def test_a_roadmap_with_errors_is_not_stored(cli: Any, workspace: Workspace, tmp_path: Path) -> None:
    items = [
        {"id": "A", "lane": "technology", "title_ja": "a", "start": "2027-01", "end": "2027-06", "depends_on": ["B"]},
        {"id": "B", "lane": "technology", "title_ja": "b", "start": "2027-07", "end": "2027-12", "depends_on": ["A"]},
    ]
    done = cli("roadmap", "add", _roadmap(tmp_path, items=items))
    assert done.code == 2 and "dependency cycle through A, B" in done.err and "not saved" in done.err
    assert json.loads(cli("roadmap", "list", "--format", "json").out) == []


def test_validate_critical_path_and_render_take_a_stored_id(cli: Any, workspace: Workspace, tmp_path: Path) -> None:
    cli("roadmap", "add", _roadmap(tmp_path))
    assert "roadmap rm-cli is valid (2 items" in cli("roadmap", "validate", "--id", "rm-cli").out
    path = json.loads(cli("roadmap", "critical-path", "--id", "rm-cli", "--format", "json").out)
    assert path["critical_path"] == ["T1", "T2"] and path["length_months"] == 18
    drawn = cli("roadmap", "render", "--id", "rm-cli", "--format", "svg")
    assert drawn.code == 0 and drawn.out.lstrip().startswith("<") and "実証" in drawn.out
    missing = cli("roadmap", "critical-path", "--id", "no-such")
    assert missing.code == 2 and "no roadmap 'no-such'" in missing.err
    assert cli("roadmap", "validate").code == 2
    both = cli("roadmap", "validate", _roadmap(tmp_path), "--id", "rm-cli")
    assert both.code == 2 and "not both" in both.err


def test_the_store_commands_speak_japanese(
    cli: Any, workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIZASHI_LANG", "ja")
    assert "第 1 版として保存しました" in cli("roadmap", "add", _roadmap(tmp_path)).out
    assert "版" in cli("roadmap", "list").out
    assert "ロードマップ「no-such」はありません" in cli("roadmap", "show", "no-such").err


def test_portfolio_runs_are_kept_listed_and_shown(cli: Any, workspace: Workspace) -> None:
    done = cli("portfolio", "optimize", EXAMPLES / "portfolio.yaml", "--save", "--title", "案 A")
    assert done.code == 0, done.err
    result = json.loads(done.out)
    (run,) = json.loads(cli("portfolio", "runs", "--format", "json").out)
    assert run["title"] == "案 A" and run["chosen"] == result["chosen"] and run["label"] == "INTERNAL"
    assert run["id"] in done.err
    kept = json.loads(cli("portfolio", "run", run["id"]).out)
    assert kept["result"] == result and kept["problem"]["projects"][0]["id"]
    assert cli("portfolio", "run", "no-such").code == 2
    # Without --save nothing is kept.
    assert cli("portfolio", "optimize", EXAMPLES / "portfolio.yaml").code == 0
    assert len(json.loads(cli("portfolio", "runs", "--format", "json").out)) == 1


# ── the export reads back to the same roadmap (no workspace: the document as stored) ────────────────────────────

_TITLES = st.text(alphabet="洪水予測の実証 abcYN:#-'\"=@1", min_size=1, max_size=12).map(str.strip).filter(bool)
_SPECIAL = st.sampled_from(["yes", "no", "null", "1", "2027-04", "=SUM(A1)", "- x", "on"])


@st.composite
def roadmaps(draw: st.DrawFn) -> Roadmap:
    """Valid roadmaps: items one after another (so every dependency on an earlier item holds), TRL rising."""
    count = draw(st.integers(1, 6))
    items: list[dict[str, Any]] = []
    month, trl = 2027 * 12 + draw(st.integers(0, 11)), 1
    for index in range(count):
        length = draw(st.integers(1, 14))
        start, end = month, month + length - 1
        month = end + 1 + draw(st.integers(0, 3))
        to = draw(st.integers(trl, 9))
        lane = draw(st.sampled_from(LANES))
        item: dict[str, Any] = {
            "id": draw(st.sampled_from(["T", "P", "7", "N"])) + str(index),
            "lane": lane,
            "start": f"{start // 12:04d}-{start % 12 + 1:02d}",
            "end": f"{end // 12:04d}-{end % 12 + 1:02d}",
            "depends_on": draw(st.lists(st.sampled_from([i["id"] for i in items]), unique=True)) if items else [],
        }
        item[draw(st.sampled_from(["title_ja", "title_en"]))] = draw(st.one_of(_TITLES, _SPECIAL))
        if draw(st.booleans()):
            item["trl"] = {"from": trl, "to": to}
            trl = to
        if lane == "barrier":
            item["owner"] = draw(_TITLES)
            item["kind"] = draw(st.sampled_from(["procurement", "regulation", "talent"]))
        items.append(item)
    values: dict[str, Any] = {"id": draw(st.sampled_from(["rm", "1", "rm-x.2"])), "items": items}
    if draw(st.booleans()):
        values["title_ja"] = draw(st.one_of(_TITLES, _SPECIAL))
    return Roadmap.model_validate(values)


@settings(max_examples=60, deadline=None)
@given(roadmaps(), st.sampled_from([Label("INTERNAL"), Label("SECRET", frozenset({"alpha", "beta"}))]))
def test_a_stored_roadmap_exported_reads_back_the_same(roadmap: Roadmap, label: Label) -> None:
    import tempfile

    body = document(roadmap, label)
    expected = roadmap_of(body)
    assert expected == roadmap.model_copy(update={"label": label.shown()})
    with tempfile.TemporaryDirectory() as folder:
        as_yaml, as_xlsx = Path(folder) / "rm.yaml", Path(folder) / "rm.xlsx"
        as_yaml.write_text(to_yaml(body), encoding="utf-8")
        as_xlsx.write_bytes(to_xlsx(body))
        assert read_roadmap(as_yaml) == expected
        assert read_roadmap(as_xlsx) == expected
