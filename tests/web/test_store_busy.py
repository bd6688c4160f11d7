"""SQLite has one writer: while an import holds the write lock, a page (which writes its read to the audit trail)
waits up to the busy timeout and is then answered 503 with Retry-After, never shown unaudited."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from kizashi.store import audit
from kizashi.store.workspace import Workspace


def test_a_page_during_an_import_is_answered_503_and_not_shown(
    web_workspace: Workspace, browser: Callable[[str], TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    if web_workspace.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL has no single write lock")
    monkeypatch.setattr("kizashi.store.engine.SQLITE_BUSY_MS", 300)
    web_workspace.engine.dispose()  # connections are made again, with the shorter timeout
    ana = browser("ana")
    assert ana.get("/needs").status_code == 200
    events = len(list(audit.iter_events(web_workspace)))
    database = make_url(web_workspace.database_url).database
    assert database is not None
    with closing(sqlite3.connect(database, isolation_level=None)) as importer:
        importer.execute("BEGIN IMMEDIATE")  # what an import holds for its whole transaction
        busy = ana.get("/needs")
        assert busy.status_code == 503 and busy.headers["Retry-After"] == "60"
        # The page says it in its reader's language (Japanese by default): busy with an import.
        assert "取り込み" in busy.text and 'id="results"' not in busy.text
        importer.execute("ROLLBACK")
    assert ana.get("/needs").status_code == 200
    assert len(list(audit.iter_events(web_workspace))) == events + 1  # the refused page left no read behind
