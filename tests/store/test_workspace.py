"""The workspace: `kizashi init` makes it; every other command needs one; --workspace > $KIZASHI_WORKSPACE > default."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import inspect

from kizashi.errors import WorkspaceError
from kizashi.store.migrate import current_revision, head_revision
from kizashi.store.readable import select_trusted
from kizashi.store.workspace import CORPUS_DIR, DATABASE_FILE, MARKER, Workspace

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv("KIZASHI_WORKSPACE", raising=False)
    monkeypatch.delenv("KIZASHI_DATABASE_URL", raising=False)
    return monkeypatch


def test_init_creates_folder_sqlite_file_and_corpus(tmp_path: Path, clean_env: pytest.MonkeyPatch, cli) -> None:
    folder = tmp_path / "deep" / "ws"
    result = cli("init", "--workspace", folder)
    assert result.code == 0, result.err
    assert (folder / DATABASE_FILE).is_file()
    assert (folder / CORPUS_DIR).is_dir()
    marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    assert {"created", "kizashi"} <= set(marker)
    with closing(sqlite3.connect(folder / DATABASE_FILE)) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert {"needs", "seeds", "works", "threats", "technologies", "imports", "alembic_version"} <= tables
    assert "sqlite" in result.out


def test_init_with_postgresql_keeps_records_there(tmp_path: Path, database_url: str, clean_env, cli) -> None:
    clean_env.setenv("KIZASHI_DATABASE_URL", database_url)
    folder = tmp_path / "ws"
    assert cli("init", "--workspace", folder).code == 0
    assert (folder / CORPUS_DIR).is_dir() and (folder / MARKER).is_file()
    workspace = Workspace.open(folder)
    try:
        assert workspace.backend == database_url.split(":")[0].split("+")[0]
        if workspace.backend == "postgresql":
            assert not (folder / DATABASE_FILE).exists()
        assert current_revision(workspace.engine) == head_revision(workspace.engine)
        assert "needs" in inspect(workspace.engine).get_table_names()
    finally:
        workspace.close()


def test_init_twice_keeps_everything(workspace: Workspace, cli) -> None:
    marker = (workspace.path / MARKER).read_text(encoding="utf-8")
    assert cli("ingest", "needs", FIXTURES / "needs" / "needs.csv").code == 0
    assert cli("init", "--workspace", workspace.path).code == 0
    assert (workspace.path / MARKER).read_text(encoding="utf-8") == marker
    status = json.loads(cli("status", "--format", "json").out)
    assert {row["kind"]: row["count"] for row in status}["needs"] == 25


def test_init_on_a_file_exits_2(tmp_path: Path, clean_env, cli) -> None:
    path = tmp_path / "a-file"
    path.write_text("not a folder", encoding="utf-8")
    result = cli("init", "--workspace", path)
    assert result.code == 2
    assert "not a folder" in " ".join(result.err.split())


@pytest.mark.parametrize(
    "command",
    [
        ["status"],
        ["list", "needs"],
        ["ingest", "needs", str(FIXTURES / "needs" / "needs.csv")],
        ["corpus", "sync"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_commands_outside_a_workspace_say_how_to_make_one(tmp_path: Path, clean_env, cli, command: list[str]) -> None:
    folder = tmp_path / "not-a-workspace"
    folder.mkdir()
    (folder / "something.txt").write_text("x", encoding="utf-8")
    result = cli(*command, "--workspace", folder)
    assert result.code == 2
    message = " ".join(result.err.split())
    assert "no kizashi workspace" in message
    assert f"kizashi init --workspace {folder}" in message
    assert sorted(p.name for p in folder.iterdir()) == ["something.txt"]  # nothing was created


def test_open_of_a_missing_workspace_raises(tmp_path: Path, clean_env) -> None:
    with pytest.raises(WorkspaceError):
        Workspace.open(tmp_path / "missing")


def test_workspace_option_beats_environment_beats_default(tmp_path: Path, clean_env, cli) -> None:
    clean_env.chdir(tmp_path)
    option, environment = tmp_path / "from-option", tmp_path / "from-env"
    default = tmp_path / "kizashi-workspace"

    clean_env.setenv("KIZASHI_WORKSPACE", str(environment))
    assert cli("init", "--workspace", option).code == 0
    assert (option / MARKER).exists() and not environment.exists() and not default.exists()

    assert cli("init").code == 0
    assert (environment / MARKER).exists() and not default.exists()

    clean_env.delenv("KIZASHI_WORKSPACE")
    assert cli("init").code == 0
    assert (default / MARKER).exists()

    # The same order when reading: each workspace gets its own records.
    clean_env.setenv("KIZASHI_WORKSPACE", str(environment))
    assert cli("ingest", "needs", FIXTURES / "needs" / "needs.csv").code == 0
    assert cli("ingest", "seeds", FIXTURES / "seeds" / "seeds.csv", "--workspace", option).code == 0
    clean_env.delenv("KIZASHI_WORKSPACE")
    assert cli("ingest", "needs", FIXTURES / "japanese" / "needs_ja.csv").code == 0

    def status(*args: object) -> dict[str, int]:
        return {row["kind"]: row["count"] for row in json.loads(cli("status", "--format", "json", *args).out)}

    assert status("--workspace", option)["seeds"] == 20 and status("--workspace", option)["needs"] == 0
    assert status()["needs"] == 6
    clean_env.setenv("KIZASHI_WORKSPACE", str(environment))
    assert status()["needs"] == 25
    assert status("-w", default)["needs"] == 6


def test_workspace_resolve_expands_and_resolves(tmp_path: Path, clean_env) -> None:
    clean_env.chdir(tmp_path)
    workspace = Workspace.resolve(Path("relative"))
    assert workspace.path == tmp_path / "relative"
    assert workspace.database_url == f"sqlite:///{tmp_path / 'relative' / DATABASE_FILE}"
    clean_env.setenv("HOME", str(tmp_path / "home"))
    assert Workspace.resolve(Path("~/ws")).path == tmp_path / "home" / "ws"


def test_database_url_from_the_environment(tmp_path: Path, clean_env) -> None:
    clean_env.setenv("KIZASHI_DATABASE_URL", "sqlite:///" + str(tmp_path / "elsewhere.sqlite"))
    workspace = Workspace.create(tmp_path / "ws")
    try:
        assert (tmp_path / "elsewhere.sqlite").exists()
        assert not (tmp_path / "ws" / DATABASE_FILE).exists()
    finally:
        workspace.close()
    # An explicit URL beats the environment.
    explicit = Workspace.resolve(tmp_path / "ws", "sqlite:///" + str(tmp_path / "explicit.sqlite"))
    assert explicit.database_url.endswith("explicit.sqlite")


def test_a_session_rolls_back_on_error(workspace: Workspace) -> None:
    from kizashi.model import Need

    with pytest.raises(RuntimeError), workspace.session() as session:
        session.add(Need(id="X", title="t", content_hash="h"))
        session.flush()
        raise RuntimeError("boom")
    with workspace.session() as session:
        raw = select_trusted(Need, why="a test checks that no row was left behind").where(Need.id == "X")
        assert session.scalars(raw).one_or_none() is None
