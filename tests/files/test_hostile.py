"""Hostile files (tests/fixtures/hostile/, README.md there): each is refused with exit code 2, a message naming the
file and the setting that raises the limit, the store unchanged, and, for the bombs, the memory of the process that
read it bounded (a subprocess, its peak measured by the kernel)."""

from __future__ import annotations

import dataclasses
import gzip
import importlib.util
import os
import re
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kizashi.errors import InputError
from kizashi.files.limits import Limits, TooLarge, check_structure
from kizashi.files.tabular import iter_rows
from kizashi.store.workspace import Workspace

HOSTILE = Path(__file__).parents[1] / "fixtures" / "hostile"
NEEDS = Path(__file__).parents[1] / "fixtures" / "needs"
MIB = 1 << 20


def _maker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_hostile", HOSTILE / "make_hostile.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make = _maker()


# --- in the command line, on both stores: exit 2, the file and the setting named, nothing stored ---------------

REFUSED: list[tuple[tuple[str, ...], str, str]] = [
    (("ingest", "threats"), "aliases-threats.yaml", "YAML aliases"),
    (("ingest", "technologies"), "aliases-taxonomy.yaml", "YAML aliases"),
    (("screen", "load"), "entities-utf16.xml", "DTD or entity"),
    (("screen", "load"), "entity-9000.xml", "DTD or entity"),
    (("ingest", "needs"), "deep.jsonl", "KIZASHI_MAX_DEPTH"),
    (("ingest", "needs"), "deep.json", "KIZASHI_MAX_DEPTH"),
    (("ingest", "needs"), "not-text.csv", "not UTF-8 or Shift_JIS"),
]


@pytest.mark.parametrize(("command", "name", "words"), REFUSED, ids=[name for _, name, _ in REFUSED])
def test_committed_hostile_files_are_refused(
    workspace: Workspace, cli: Any, snapshot: Any, command: tuple[str, ...], name: str, words: str
) -> None:
    before = snapshot(workspace)
    result = cli(*command, HOSTILE / name)
    assert result.code == 2, result.err
    assert name in result.err and words in result.err
    assert "Traceback" not in result.err
    assert snapshot(workspace) == before


GENERATED: list[tuple[tuple[str, ...], Callable[[Path], Path], str]] = [
    (("ingest", "works"), lambda folder: make.one_line_bomb(folder, 40), "KIZASHI_MAX_LINE_BYTES"),
    (("ingest", "needs"), lambda folder: make.long_cell_csv(folder, 8), "KIZASHI_MAX_FIELD_CHARS"),
    (("ingest", "needs"), make.shared_strings_bomb, "KIZASHI_MAX_ARCHIVE_PART_BYTES"),
    (("ingest", "needs"), make.entity_workbook, "DTD or entity"),
]


@pytest.mark.parametrize(("command", "build", "words"), GENERATED, ids=["line", "cell", "shared-strings", "entity"])
def test_generated_hostile_files_are_refused(
    workspace: Workspace,
    cli: Any,
    snapshot: Any,
    tmp_path: Path,
    command: tuple[str, ...],
    build: Callable[[Path], Path],
    words: str,
) -> None:
    path = build(tmp_path)
    before = snapshot(workspace)
    result = cli(*command, path)
    assert result.code == 2, result.err
    assert path.name in result.err and words in result.err
    assert snapshot(workspace) == before


def test_a_smaller_limit_is_honoured_and_named(
    workspace: Workspace, cli: Any, snapshot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIZASHI_MAX_ROWS", "2")
    before = snapshot(workspace)
    result = cli("ingest", "needs", NEEDS / "needs.csv")
    assert result.code == 2
    assert "row 3" in result.err and "KIZASHI_MAX_ROWS" in result.err and "over the limit of 2" in result.err
    assert snapshot(workspace) == before


# --- the bombs, each read by a process of its own: refused before the memory is spent ---------------------------


def _peak_mib(args: list[str], env: dict[str, str]) -> tuple[int, str, float]:
    """Exit code, standard error and peak resident memory (MiB) of `python -m kizashi ARGS`, run with its address
    space capped at 3 GiB so that a regression fails here instead of exhausting the machine."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

    process = subprocess.Popen(
        [sys.executable, "-m", "kizashi", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=cap,  # the test process starts no threads that could hold a lock across fork
    )
    assert process.stderr is not None
    error = process.stderr.read().decode("utf-8", errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, error, usage.ru_maxrss / 1024  # Linux reports KiB


@pytest.fixture(scope="module")
def sqlite_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("bombs") / "ws"
    Workspace.create(folder, f"sqlite:///{folder.parent / 'kizashi.sqlite'}").close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIZASHI_")}
    return {
        **env,
        "KIZASHI_WORKSPACE": str(folder),
        "KIZASHI_DATABASE_URL": f"sqlite:///{folder.parent}/kizashi.sqlite",
    }


@pytest.fixture(scope="module")
def baseline_mib(sqlite_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> float:
    """The peak of the same command on a small, good file: what the bombs are measured against."""
    code, error, peak = _peak_mib(["ingest", "needs", str(NEEDS / "needs.csv")], sqlite_env)
    assert code == 0, error
    return peak


BOMBS: list[tuple[tuple[str, ...], Callable[[Path], Path], dict[str, str], str]] = [
    # 1 GiB in one line of a 1 MB .jsonl.gz
    (("ingest", "works"), make.one_line_bomb, {}, "KIZASHI_MAX_LINE_BYTES"),
    # 1 GiB of UN list in a 1 MB .xml.gz (the document limit lowered, so that the test need not unpack 256 MiB)
    (("screen", "load"), make.xml_list_bomb, {"KIZASHI_MAX_DOCUMENT_BYTES": str(16 * MIB)}, "KIZASHI_MAX_DOCUMENT"),
    # 8 million shared strings (144 MB of XML) in a 350 KB workbook
    (("ingest", "needs"), make.shared_strings_bomb, {}, "KIZASHI_MAX_ARCHIVE_PART_BYTES"),
    # a cell of 64 MiB in short lines
    (("ingest", "needs"), make.long_cell_csv, {}, "KIZASHI_MAX_FIELD_CHARS"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("command", "build", "settings", "words"), BOMBS, ids=["line", "xml", "xlsx", "cell"])
def test_bombs_are_refused_in_bounded_memory(
    sqlite_env: dict[str, str],
    baseline_mib: float,
    tmp_path: Path,
    command: tuple[str, ...],
    build: Callable[[Path], Path],
    settings: dict[str, str],
    words: str,
) -> None:
    path = build(tmp_path)
    code, error, peak = _peak_mib([*command, str(path)], {**sqlite_env, **settings})
    assert code == 2, error
    assert path.name in error and words in error and "Traceback" not in error
    # The limits that stopped them (32 MiB line, 16 MiB document, 4 Mi characters) plus the copies a reader makes.
    assert peak < baseline_mib + 128, f"peak {peak:.0f} MiB against {baseline_mib:.0f} MiB for a good file"


# --- the readers themselves --------------------------------------------------------------------------------------


def test_a_line_is_refused_before_it_is_held_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIZASHI_MAX_LINE_BYTES", str(64 * 1024))
    path = tmp_path / "long.jsonl"
    path.write_bytes(b'{"id": "a"}\n' + b'{"id": "' + b"x" * 100_000 + b'"}\n')
    rows = iter_rows(path)
    assert next(rows).values == {"id": "a"}
    with pytest.raises(TooLarge, match="KIZASHI_MAX_LINE_BYTES") as refused:
        next(rows)
    assert refused.value.location.row == 2 and refused.value.status == 413


def test_file_bytes_count_what_a_gzip_unpacks_to(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIZASHI_MAX_FILE_BYTES", str(2 * MIB))
    lines = b"".join(b'{"id": "n%d", "title": "t"}\n' % number for number in range(200_000))
    path = tmp_path / "needs.jsonl.gz"
    path.write_bytes(gzip.compress(lines))
    assert path.stat().st_size < 2 * MIB < len(lines)
    with pytest.raises(TooLarge, match="KIZASHI_MAX_FILE_BYTES"):
        list(iter_rows(path))


def test_a_carriage_return_alone_still_ends_a_csv_row(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(b'id,title\rn1,"two\rlines"\rn2,plain\r')
    assert [row.values for row in iter_rows(path)] == [
        {"id": "n1", "title": "two\rlines"},
        {"id": "n2", "title": "plain"},
    ]


def test_ofac_files_in_windows_1252_read_strictly(tmp_path: Path) -> None:
    from kizashi.protect.screening.lists import read_list

    (tmp_path / "sdn.csv").write_bytes(b'1,"Caf\xe9 Trading","","SDGT"\r\n')
    assert read_list(tmp_path).entries[0].name == "Café Trading"
    (tmp_path / "sdn.csv").write_bytes(b'1,"Bad \x81 byte","","SDGT"\r\n')
    with pytest.raises(InputError, match="Windows-1252") as refused:
        read_list(tmp_path)
    assert refused.value.location.row == 1


# --- depth, exactly --------------------------------------------------------------------------------------------


def _nested(depth: int, leaf: Any = 1) -> Any:
    value = leaf
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


def _limits(depth: int, items: int = 1000) -> Limits:
    return dataclasses.replace(Limits.current(), depth=depth, items=items)


def _refused(value: Any, limits: Limits) -> str | None:
    """The setting that refuses `value`, or None."""
    try:
        check_structure(value, "f.json", limits)
    except TooLarge as refusal:
        return re.search(r"KIZASHI_MAX_[A-Z_]+", refusal.reason).group(0)  # type: ignore[union-attr]
    return None


@given(st.integers(min_value=0, max_value=200), st.integers(min_value=1, max_value=100))
def test_depth_is_refused_exactly_past_the_limit(depth: int, limit: int) -> None:
    assert _refused(_nested(depth), _limits(limit)) == ("KIZASHI_MAX_DEPTH" if depth > limit else None)


json_values = st.recursive(
    st.none() | st.integers() | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=2), inner, max_size=6),
    max_leaves=30,
)


def _recursive_depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_recursive_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_recursive_depth(v) for v in value), default=0)
    return 0


def _most_items(value: Any) -> int:
    if isinstance(value, dict | list):
        children = list(value.values()) if isinstance(value, dict) else value
        return max([len(value), *(_most_items(child) for child in children)])
    return 0


@given(json_values, st.integers(min_value=1, max_value=8), st.integers(min_value=0, max_value=7))
def test_structure_agrees_with_its_definition(value: Any, depth: int, items: int) -> None:
    refused = _refused(value, _limits(depth, items))
    deep, long = _recursive_depth(value) > depth, _most_items(value) > items
    assert (refused is not None) == (deep or long)
    if refused == "KIZASHI_MAX_DEPTH":
        assert deep
    if refused == "KIZASHI_MAX_ITEMS":
        assert long


def test_a_record_with_too_many_items_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIZASHI_MAX_ITEMS", "100")
    path = tmp_path / "needs.jsonl"
    path.write_text('{"id": "n1", "title": "t", "keywords": [' + ",".join(['"k"'] * 101) + "]}\n")
    with pytest.raises(TooLarge, match=r"a list of 101 items .*KIZASHI_MAX_ITEMS") as refused:
        list(iter_rows(path))
    assert refused.value.location.row == 1


def test_limits_come_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIZASHI_MAX_DEPTH", "7")
    assert Limits.current().depth == 7


def test_a_yaml_date_the_calendar_lacks_is_an_input_error_naming_file_and_line(tmp_path: Path) -> None:
    from kizashi.files.yaml_file import read_yaml

    path = tmp_path / "threats.yaml"
    path.write_text("threats:\n  - id: t1\n    since: 2031-02-30\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_yaml(path)
    assert raised.value.location.file == path and raised.value.location.row == 3
    assert "2031-02-30" in str(raised.value) and "暦にない日付" in raised.value.said("ja")
    path.write_text("since: 2031-02-28\n", encoding="utf-8")
    assert str(read_yaml(path)["since"]) == "2031-02-28"
