"""An import killed mid-way (SIGKILL) leaves no partial records, a sound database and a corpus `sync` can heal."""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from kizashi.ingest.dispatch import ingest
from kizashi.policy import Clearance
from kizashi.protect.people import actor_for as as_user
from kizashi.store.corpus import CorpusPart, part_path, works_dir
from kizashi.store.records import counts, iter_records
from kizashi.store.workspace import Workspace

TRUSTED = Clearance.everything("tests")  # these tests read what they wrote; tests/protect check the policy

FIXTURES = Path(__file__).parents[1] / "fixtures"
CORDIS = FIXTURES / "cordis"
BIG = 40_000  # generated works; the import is killed after the first few thousand
ROWS_PER_GROUP = 1_000  # the subprocess's corpus row group: its temporary part file appears after the first batch
# The CLI's own entry point, run in a process of its own, with a smaller corpus row group so that the temporary part
# exists early (with the default of 50,000 rows the test would wait for 50,000 works). Otherwise `python -m kizashi`.
KIZASHI = (
    "import sys, kizashi.store.corpus as corpus; "
    f"corpus.ROWS_PER_GROUP = {ROWS_PER_GROUP}; "
    "from kizashi.cli import main; sys.argv[0] = 'kizashi'; main()"
)


def write_big_projects(path: Path, rows: int) -> None:
    """A CORDIS-shaped project file (generated, ids that no fixture uses)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "acronym", "title", "objective", "startDate", "topics"])
        for number in range(rows):
            writer.writerow(
                [
                    str(900_000_000 + number),
                    f"GEN{number}",
                    f"Generated project {number} on sensing, resilience and 検知",
                    "An objective long enough to make the rows realistic. " * 2,
                    f"20{10 + number % 15}-0{1 + number % 9}-01",
                    f"GEN-{number % 97:02d}-2020",
                ]
            )


def effective_corpus(workspace: Workspace) -> dict[str, int]:
    latest: dict[str, int] = {}
    for path in sorted(works_dir(workspace).glob("part-*.parquet")):
        table = pq.read_table(path, columns=["id", "import_id"])
        for work_id, import_id in zip(
            table.column("id").to_pylist(), table.column("import_id").to_pylist(), strict=True
        ):
            latest[work_id] = max(import_id, latest.get(work_id, 0))
    return latest


def store_versions(workspace: Workspace) -> dict[str, int]:
    return {row["id"]: row["import_id"] for row in iter_records(workspace, "works", TRUSTED)}


def sqlite_file(workspace: Workspace) -> Path | None:
    prefix = "sqlite:///"
    return Path(workspace.database_url[len(prefix) :]) if workspace.database_url.startswith(prefix) else None


def wait_until_mid_import(
    process: subprocess.Popen[bytes], workspace: Workspace, application: str, timeout: float = 120
) -> None:
    """Until the import is under way in the database, and its corpus part has its temporary file; or fail if the
    import ended (or took too long) first.

    SQLite: uncommitted pages have spilled into the write-ahead log (emptied before the import started).
    PostgreSQL: the import's session holds a transaction id, which it gets with its first write.
    """
    folder = works_dir(workspace)
    database = sqlite_file(workspace)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the import ended (code {process.returncode}) before it could be killed")
        if list(folder.glob(".tmp-*.parquet")) and in_transaction(workspace, database, application):
            return
        time.sleep(0.02)
    pytest.fail("the import did not get under way in time")


def in_transaction(workspace: Workspace, database: Path | None, application: str) -> bool:
    if database is not None:
        wal = database.with_name(database.name + "-wal")
        return wal.exists() and wal.stat().st_size > 0
    with workspace.engine.connect() as connection:
        return bool(
            connection.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = :name AND backend_xid IS NOT NULL"
                ),
                {"name": application},
            ).scalar()
        )


@pytest.mark.slow
@pytest.mark.parametrize("reader_process", ["never", "always"])
def test_killed_import_leaves_no_partial_records(
    workspace: Workspace, tmp_path: Path, cli, reader_process: str
) -> None:
    committed = ingest(
        workspace, as_user(workspace, "tester"), "works", [CORDIS / "projects.csv", CORDIS / "organisations.csv"]
    )
    assert committed.added == 30
    big = tmp_path / "generated" / "projects.csv"  # a folder of its own: no organisation files beside it
    write_big_projects(big, BIG)

    application = f"kizashi-crash-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ)  # KIZASHI_WORKSPACE and KIZASHI_DATABASE_URL point at this test's workspace
    env["KIZASHI_READER_PROCESS"] = reader_process
    database = sqlite_file(workspace)
    if database is None:
        # The import's own name, in place of the scratch schema's (see kizashi.store.scratch): the one to watch.
        url = make_url(workspace.database_url).update_query_dict({"application_name": application})
        env["KIZASHI_DATABASE_URL"] = url.render_as_string(hide_password=False)
    else:
        with closing(sqlite3.connect(database)) as connection:  # an empty log: whatever appears in it is the import's
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert database.with_name(database.name + "-wal").stat().st_size == 0
    process = subprocess.Popen(
        [sys.executable, "-c", KIZASHI, "ingest", "works", str(big)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_until_mid_import(process, workspace, application)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    # stderr reaches end of file only when every process holding it has exited: the reader process too.
    assert process.stderr is not None
    assert process.stderr.read() == b""
    assert process.returncode == -signal.SIGKILL
    assert list(works_dir(workspace).glob(".tmp-*.parquet"))  # the kill left its temporary part behind

    # Reopen, as the next command would.
    workspace.close()
    reopened = Workspace.open(workspace.path, workspace.database_url)
    try:
        assert counts(reopened, TRUSTED)["works"] == 30  # all of the committed import, nothing of the killed one
        assert set(store_versions(reopened)) == {f"cordis:{row['id']}" for row in read_ids(CORDIS / "projects.csv")}
        if database is not None:
            with closing(sqlite3.connect(database)) as connection:
                assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]

        result = cli("corpus", "sync")
        assert result.code == 0, result.err
        assert not list(works_dir(reopened).glob(".tmp-*"))
        assert effective_corpus(reopened) == store_versions(reopened)

        # The next import works, and the corpus still matches the store.
        result = cli("ingest", "works", CORDIS / "official" / "project.csv", CORDIS / "official" / "organization.csv")
        assert result.code == 0, result.err
        assert counts(reopened, TRUSTED)["works"] == 30
        assert effective_corpus(reopened) == store_versions(reopened)
        assert not list(works_dir(reopened).glob(".tmp-*"))
    finally:
        reopened.close()


def read_ids(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_crash_between_commit_and_publish(workspace: Workspace, monkeypatch: pytest.MonkeyPatch, cli) -> None:
    """The records committed but the process died before the part took its final name: sync rebuilds it."""
    with monkeypatch.context() as patch:
        patch.setattr(CorpusPart, "publish", lambda self, import_id: None)
        report = ingest(workspace, as_user(workspace, "tester"), "works", [CORDIS / "projects.csv"])
    assert not part_path(workspace, report.import_id).exists()
    (temp,) = works_dir(workspace).glob(".tmp-*.parquet")
    # Name it as a process that no longer exists would have (above any pid the kernel hands out).
    temp.rename(temp.with_name(".tmp-999999999-crashed.parquet"))
    result = cli("corpus", "sync")
    assert result.code == 0
    assert "rebuilt 1 part" in result.out
    assert not list(works_dir(workspace).glob(".tmp-*"))
    assert effective_corpus(workspace) == store_versions(workspace)
    assert len(store_versions(workspace)) == 30


def test_an_exception_mid_import_rolls_everything_back(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, snapshot, tmp_path: Path
) -> None:
    """Interrupted in-process (as Ctrl-C does) after several batches were written: nothing lands."""
    ingest(workspace, as_user(workspace, "tester"), "needs", [FIXTURES / "needs" / "needs.csv"])
    before = snapshot(workspace)
    monkeypatch.setenv("KIZASHI_BATCH_SIZE", "10")
    path = tmp_path / "many.csv"
    path.write_text("id,title\n" + "".join(f"M-{n},Title {n}\n" for n in range(100)), encoding="utf-8")
    seen = []

    def interrupt(count: int) -> None:
        seen.append(count)
        if len(seen) == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest(workspace, as_user(workspace, "tester"), "needs", [path], on_progress=interrupt)
    assert snapshot(workspace) == before
