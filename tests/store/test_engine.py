"""Engines for the two backends; anything else is refused with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from kizashi.errors import ConfigError
from kizashi.store.engine import make_engine, sqlite_url
from kizashi.store.migrate import current_revision, head_revision, upgrade
from kizashi.store.readable import select_trusted
from kizashi.store.workspace import Workspace


@pytest.mark.parametrize(
    ("url", "message"),
    [("mysql://user@host/db", "unsupported database 'mysql'"), ("::not a url", "not a database URL")],
)
def test_unsupported_or_malformed_urls(url: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        make_engine(url)


def test_the_cli_refuses_an_unsupported_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli) -> None:
    monkeypatch.setenv("KIZASHI_DATABASE_URL", "mysql://user@host/db")
    result = cli("init", "--workspace", tmp_path / "ws")
    assert result.code == 2
    assert "unsupported database" in result.err


def test_sqlite_pragmas(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "x.sqlite"))
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 30000
    finally:
        engine.dispose()


def test_migrations_reach_head_and_are_idempotent(workspace: Workspace) -> None:
    assert current_revision(workspace.engine) == head_revision(workspace.engine) is not None
    upgrade(workspace.engine)  # nothing to do, no error
    assert current_revision(workspace.engine) == head_revision(workspace.engine)


def test_json_columns_round_trip(workspace: Workspace) -> None:
    from kizashi.model import Work

    nested = [{"id": "I1", "name": "東京大学", "ror": None, "country": "JP", "type": "education"}]
    with workspace.session() as session:
        session.add(
            Work(
                id="w:1",
                source="test",
                title="t",
                content_hash="h",
                institutions=nested,
                countries=["JP"],
                extra={"emoji": "🎉", "nested": {"a": [1, 2]}},
            )
        )
    with workspace.session() as session:
        raw = select_trusted(Work, why="a test checks the stored JSON columns as written").where(Work.id == "w:1")
        work = session.scalars(raw).one_or_none()
        assert work is not None
        assert work.institutions == nested
        assert work.extra == {"emoji": "🎉", "nested": {"a": [1, 2]}}
        assert work.level == "INTERNAL"
        assert work.created_at is not None
