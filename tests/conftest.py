"""Shared fixtures. Every test that touches the store runs against SQLite and PostgreSQL.

PostgreSQL tests need KIZASHI_TEST_POSTGRES_URL (set by .ci/run); without it they are skipped, unless
KIZASHI_REQUIRE_POSTGRES=1, which turns the skip into a failure so CI cannot pass without PostgreSQL.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import MetaData, Table, inspect

from kizashi.cli import run
from kizashi.model import Base
from kizashi.store.readable import select_trusted
from kizashi.store.scratch import scratch_database
from kizashi.store.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures"
BACKENDS = ["sqlite", "postgresql"]


def _postgres_schema_url() -> Iterator[str]:
    base = os.environ.get("KIZASHI_TEST_POSTGRES_URL")
    if not base:
        if os.environ.get("KIZASHI_REQUIRE_POSTGRES") == "1":
            pytest.fail("KIZASHI_REQUIRE_POSTGRES=1 but KIZASHI_TEST_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL not configured (set KIZASHI_TEST_POSTGRES_URL)")
    with scratch_database(base, prefix="t") as url:
        assert url is not None
        yield url


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database on each backend: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kizashi.sqlite'}"
    else:
        yield from _postgres_schema_url()


@pytest.fixture
def workspace(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    """An initialised workspace; the environment points the CLI at it too."""
    folder = tmp_path / "ws"
    monkeypatch.setenv("KIZASHI_WORKSPACE", str(folder))
    monkeypatch.setenv("KIZASHI_DATABASE_URL", database_url)
    ws = Workspace.create(folder, database_url)
    yield ws
    ws.close()


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> object:
    """Run the kizashi CLI in-process: `cli("ingest", "needs", path)` → CliResult."""

    def invoke(*args: object) -> CliResult:
        capsys.readouterr()
        code = run([str(a) for a in args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return invoke


Snapshot = dict[str, list[tuple[object, ...]]]


def store_snapshot(workspace: Workspace) -> Snapshot:
    """Every row of every table in the store (alembic_version too), in key order, and the corpus folder's files.

    Comparing two snapshots tells whether anything at all changed, on either backend.
    """
    snapshot: Snapshot = {}
    with workspace.engine.connect() as connection:
        names = sorted(inspect(connection).get_table_names())
        assert {"needs", "seeds", "works", "threats", "technologies", "imports", "alembic_version"} <= set(names)
        for name in names:
            # The model's tables as declared; any other table (alembic_version, ...) as the database describes it.
            table = Base.metadata.tables.get(name)
            if table is None:
                table = Table(name, MetaData(), autoload_with=connection)
            key = list(table.primary_key.columns) or list(table.columns)
            everything = select_trusted(table, why="a test compares whole stores").order_by(*key)
            snapshot[name] = [tuple(row) for row in connection.execute(everything)]
    corpus = workspace.corpus_dir
    snapshot["(corpus files)"] = sorted(
        (str(path.relative_to(corpus)), path.stat().st_size) for path in corpus.rglob("*") if path.is_file()
    )
    return snapshot


@pytest.fixture
def snapshot() -> object:
    """`snapshot(workspace)` → the full contents of the store and the corpus folder (see store_snapshot)."""
    return store_snapshot


@pytest.fixture
def login_as(monkeypatch: pytest.MonkeyPatch) -> object:
    """`login_as("ana")`: the in-process CLI runs as the operating-system user ana (the identity a terminal proves)."""

    def switch(name: str) -> None:
        monkeypatch.setattr("kizashi.cli.acting.os_login", lambda: name)

    return switch
