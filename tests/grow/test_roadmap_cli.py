"""`kizashi roadmap`: schema, validate (exit 0 with warnings, 2 with errors, the items named), critical-path,
render, and hostile or broken files refused with exit 2 naming the file, in English and Japanese."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

EXAMPLE = Path(__file__).parents[2] / "examples" / "roadmap.yaml"


def _file(tmp_path: Path, text: str, name: str = "roadmap.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _items(tmp_path: Path, *items: dict[str, Any]) -> Path:
    return _file(tmp_path, yaml.safe_dump({"id": "rm", "items": list(items)}, allow_unicode=True))


def _item(id: str, start: str, end: str, *depends: str, **more: Any) -> dict[str, Any]:
    return {
        "id": id,
        "lane": "technology",
        "title_ja": "題",
        "start": start,
        "end": end,
        "depends_on": list(depends),
        **more,
    }


CYCLE = (_item("A", "2027-01", "2027-02", "B"), _item("B", "2027-03", "2027-04", "A"))


def test_schema_prints_the_json_schema(cli) -> None:
    done = cli("roadmap", "schema")
    assert done.code == 0
    made = json.loads(done.out)
    assert made["title"] == "kizashi roadmap" and "items" in made["properties"]


def test_validate_the_example_exits_0(cli) -> None:
    done = cli("roadmap", "validate", EXAMPLE)
    assert done.code == 0 and "is valid (11 items, 0 warnings)" in done.out


def test_validate_a_cycle_exits_2_naming_every_item(cli, tmp_path: Path) -> None:
    path = _items(tmp_path, *CYCLE, _item("C", "2027-05", "2027-06", "Z"))
    done = cli("roadmap", "validate", path)
    assert done.code == 2
    assert "dependency cycle through A, B" in done.out and "(cycle)" in done.out
    assert "C depends on Z" in done.out and "is valid" not in done.out
    as_json = cli("roadmap", "validate", path, "--format", "json")
    report = json.loads(as_json.out)
    assert as_json.code == 2 and report["valid"] is False
    assert [(f["code"], f["items"]) for f in report["findings"]] == [
        ("unknown_dependency", ["C", "Z"]),
        ("cycle", ["A", "B"]),
        ("starts_before_dependency_ends", ["A", "B"]),  # A depends on B, which ends after A starts
    ]


def test_warnings_are_printed_and_the_exit_is_0(cli, tmp_path: Path) -> None:
    done = cli("roadmap", "validate", _items(tmp_path, _item("A", "2027-01", "2027-02", kind="talent")))
    assert done.code == 0 and "warning: " in done.out and "kind_outside_barrier_lane" in done.out


def test_critical_path_json_and_table(cli) -> None:
    done = cli("roadmap", "critical-path", EXAMPLE, "--format", "json")
    assert done.code == 0
    result = json.loads(done.out)
    assert result["critical_path"] == ["N1", "C1", "T1", "P1", "P2"] and result["length_months"] == 72
    assert set(result["slack"]) == {"N1", "C1", "T1", "T2", "T3", "P1", "P2", "R1", "R2", "B1", "B2"}
    table = cli("roadmap", "critical-path", EXAMPLE)
    assert table.code == 0 and "N1 → C1 → T1 → P1 → P2 (72 months)" in table.out


def test_critical_path_and_render_refuse_a_roadmap_with_errors(cli, tmp_path: Path) -> None:
    path = _items(tmp_path, *CYCLE)
    for args in (("critical-path", path, "--format", "json"), ("render", path, "--format", "svg")):
        done = cli("roadmap", *args)
        assert done.code == 2 and done.out == "" and "dependency cycle through A, B" in done.err


def test_render_writes_each_format(cli, tmp_path: Path) -> None:
    for suffix, start in ((".svg", b"<svg"), (".html", b"<!doctype html>"), (".pdf", b"%PDF"), (".png", b"\x89PNG")):
        out = tmp_path / f"roadmap{suffix}"
        done = cli("roadmap", "render", EXAMPLE, "-o", out)
        assert done.code == 0, done.err
        assert out.read_bytes().startswith(start) and str(out) in done.out
    printed = cli("roadmap", "render", EXAMPLE)
    assert printed.code == 0 and printed.out.startswith("<svg") and "河川水位の短時間予測" in printed.out
    assert cli("roadmap", "render", EXAMPLE, "--format", "png").code == 2  # binary needs --out
    assert cli("roadmap", "render", EXAMPLE, "--format", "gif").code == 2


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "YAML aliases"),
        ("id: rm\nitems:\n" + "  " + "[" * 200 + "]" * 200 + "\n", "KIZASHI_MAX_DEPTH"),
        ("id: rm\nitems: [\n", "broken YAML"),
        ("id: rm\nitems:\n  - {id: T1, lane: dream, title_ja: 題, start: 2027-01, end: 2027-02}\n", "item T1"),
    ],
)
def test_a_bad_file_exits_2_naming_the_file(cli, tmp_path: Path, text: str, words: str) -> None:
    path = _file(tmp_path, text)
    for command in ("validate", "critical-path", "render"):
        done = cli("roadmap", command, path)
        assert done.code == 2 and str(path) in done.err and words in done.err, done.err


def test_the_words_are_japanese_with_kizashi_lang(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIZASHI_LANG", "ja")
    monkeypatch.setenv("COLUMNS", "200")
    done = cli("roadmap", "validate", _items(tmp_path, *CYCLE))
    assert done.code == 2 and "エラー: 依存関係が循環しています（A, B）" in done.out
    valid = cli("roadmap", "critical-path", EXAMPLE)
    assert "クリティカルパス: N1 → C1 → T1 → P1 → P2（72 か月）" in valid.out and "余裕（月）" in valid.out
    missing = cli("roadmap", "validate", tmp_path / "none.yaml")
    assert missing.code == 2 and "none.yaml" in missing.err and "error" not in missing.err


def test_a_structural_error_in_japanese_names_file_item_and_field(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIZASHI_LANG", "ja")
    path = _items(tmp_path, _item("T1", "2027-01", "2027-13"))
    done = cli("roadmap", "validate", path)
    assert done.code == 2
    assert str(path) in done.err and "項目「end」" in done.err
    assert "ロードマップ項目 T1: 「2027-13」は年月ではありません" in done.err


def test_the_installed_command_exits_with_the_codes(tmp_path: Path) -> None:
    import subprocess
    import sys

    def run(path: Path) -> int:
        command = [sys.executable, "-m", "kizashi", "roadmap", "validate", str(path)]
        return subprocess.run(command, capture_output=True, check=False, timeout=120).returncode

    assert run(EXAMPLE) == 0
    assert run(_items(tmp_path, *CYCLE)) == 2
