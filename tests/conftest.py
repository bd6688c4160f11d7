"""Shared fixtures. Every test that touches the store runs against SQLite and PostgreSQL.

PostgreSQL tests need KIZASHI_TEST_POSTGRES_URL (set by .ci/run); without it they are skipped, unless
KIZASHI_REQUIRE_POSTGRES=1, which turns the skip into a failure so CI cannot pass without PostgreSQL.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import MetaData, Table, inspect
from sqlalchemy.engine import make_url

from kizashi.cli import run
from kizashi.model import Base
from kizashi.store.readable import select_trusted
from kizashi.store.scratch import SCHEMA_PLACEHOLDER, fill_scratch, scratch_database
from kizashi.store.workspace import PRIVATE_FILE, Workspace

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


class StoreTemplates:
    """A migrated store on each backend, made once per test process (each xdist worker), that `workspace` copies
    into its fresh empty database: running every migration for each of its ~1,500 uses cost a third of the suite.

    The migrations themselves still run from empty on both backends wherever a test creates a workspace on the bare
    `database_url` (tests/store/test_workspace.py test_init_with_postgresql_keeps_records_there, test_file_modes.py),
    and here, once per process, to make the templates.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @functools.cached_property
    def sqlite_file(self) -> Path:
        database = self.folder / "template.sqlite"
        Workspace.create(self.folder / "ws", f"sqlite:///{database}").close()  # closing checkpoints the WAL
        return database

    @functools.cached_property
    def postgres_script(self) -> str | None:
        """A dump of a migrated schema, renamed to SCHEMA_PLACEHOLDER; None where no pg_dump can make it (each
        workspace then runs the migrations, slower but the same)."""
        base = os.environ["KIZASHI_TEST_POSTGRES_URL"]
        with scratch_database(base, prefix="t_template") as url:
            assert url is not None
            Workspace.create(self.folder / "pg", url).close()
            schema = make_url(url).query["application_name"]
            assert isinstance(schema, str)
            dump = _pg_dump(base, schema)
        if dump is None:
            return None
        # pg_dump 15.14+ brackets its output with psql-only \restrict lines; the rest is plain SQL.
        lines = [line for line in dump.splitlines() if not line.startswith("\\")]
        return "\n".join(lines).replace(schema, SCHEMA_PLACEHOLDER)

    def fill(self, database_url: str) -> None:
        """Make the empty database of `database_url` (from the database_url fixture) a migrated store."""
        prefix = "sqlite:///"
        if database_url.startswith(prefix):
            database = Path(database_url[len(prefix) :])
            shutil.copyfile(self.sqlite_file, database)
            database.chmod(PRIVATE_FILE)  # as Workspace.create makes it
        elif (script := self.postgres_script) is not None:
            fill_scratch(database_url, script)


def _pg_dump(base_url: str, schema: str) -> str | None:
    """The schema and rows of `schema`, as SQL, by the newest pg_dump here (a server's own bin folder first)."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"), key=lambda path: int(path.parts[-3]))
    binary = str(candidates[-1]) if candidates else shutil.which("pg_dump")
    if binary is None:
        return None
    url = make_url(base_url).set(drivername="postgresql", password=None)
    environment = {**os.environ, **({"PGPASSWORD": make_url(base_url).password} if make_url(base_url).password else {})}
    arguments = ["--no-owner", "--no-privileges", "--inserts", "--schema", schema, "--dbname", url.render_as_string()]
    done = subprocess.run([binary, *arguments], capture_output=True, text=True, env=environment, check=False)
    return done.stdout if done.returncode == 0 else None


@pytest.fixture(scope="session")
def store_templates(tmp_path_factory: pytest.TempPathFactory) -> StoreTemplates:
    return StoreTemplates(tmp_path_factory.mktemp("store-templates"))


@pytest.fixture
def workspace(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch, store_templates: StoreTemplates
) -> Iterator[Workspace]:
    """An initialised workspace, its store a copy of a migrated one; the environment points the CLI at it too."""
    folder = tmp_path / "ws"
    monkeypatch.setenv("KIZASHI_WORKSPACE", str(folder))
    monkeypatch.setenv("KIZASHI_DATABASE_URL", database_url)
    store_templates.fill(database_url)
    ws = Workspace.create(folder, database_url)  # the folders, the key file, and the check that all is at head
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
