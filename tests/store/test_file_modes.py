"""Files that hold labelled records are their owner's alone: the workspace folder 0700, its SQLite file 0600, exports
0600 unless --mode says otherwise; an existing workspace others may read is warned about on every command."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kizashi.store.workspace import Workspace


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def _open_umask() -> object:
    # The usual umask (022) would make 0755 folders and 0644 files: the modes below must not depend on it.
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_workspace_is_its_owners_alone(tmp_path: Path, database_url: str) -> None:
    workspace = Workspace.create(tmp_path / "new", database_url)
    try:
        assert mode(workspace.path) == 0o700
        assert mode(workspace.corpus_dir) == 0o700
        if workspace.database_file is not None:
            assert mode(workspace.database_file) == 0o600
        assert workspace.exposed() == []
    finally:
        workspace.close()


def test_a_workspace_others_may_read_is_warned_about(workspace: Workspace, cli, tmp_path: Path) -> None:
    assert "warning" not in cli("list", "needs").err
    workspace.path.chmod(0o755)
    result = cli("list", "needs")
    assert result.code == 0
    assert f"warning: {workspace.path} is readable by others" in result.err
    assert f"chmod 700 {workspace.path}" in result.err
    if workspace.database_file is not None:
        workspace.database_file.chmod(0o644)
        assert f"chmod 600 {workspace.database_file}" in cli("list", "needs").err


def test_exports_are_made_for_their_owner_unless_mode_says_otherwise(workspace: Workspace, cli, tmp_path: Path) -> None:
    out = tmp_path / "needs.csv"
    out.write_text("an older file others could read\n", encoding="utf-8")
    out.chmod(0o644)
    assert cli("list", "needs", "--format", "csv", "--out", out).code == 0
    assert mode(out) == 0o600 and out.read_text(encoding="utf-8").startswith("id,")
    shared = tmp_path / "shared.xlsx"
    assert cli("--mode", "640", "list", "needs", "--format", "xlsx", "--out", shared).code == 0
    assert mode(shared) == 0o640


@pytest.mark.parametrize("given", ["rw", "777", "0400", "1600", ""])
def test_a_mode_that_is_no_file_mode_for_its_owner_is_refused(workspace: Workspace, cli, given: str, tmp_path) -> None:
    out = tmp_path / "x.csv"
    result = cli("--mode", given, "list", "needs", "--format", "csv", "--out", out)
    assert result.code == 2 and "--mode" in result.err
    assert not out.exists()
