"""Engine construction for the two supported backends: a SQLite file (default) and PostgreSQL."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from kizashi.errors import ConfigError
from kizashi.messages import Message

SUPPORTED = ("sqlite", "postgresql")


def sqlite_url(path: Any) -> str:
    return f"sqlite:///{path}"


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise ConfigError(Message("KIZASHI_DATABASE_URL is not a database URL: {problem}", problem=str(exc))) from None
    if parsed.get_backend_name() not in SUPPORTED:
        raise ConfigError(
            Message(
                "unsupported database '{backend}'; use a SQLite file or postgresql+psycopg://",
                backend=parsed.get_backend_name(),
            )
        )
    json_options: dict[str, Any] = {"json_serializer": _dumps, "json_deserializer": orjson.loads}
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, **json_options)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **json_options)


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


# How long a writer waits for SQLite's one write lock (an import holds it for its whole transaction) before giving up;
# the web app then answers 503 (docs/web.md).
SQLITE_BUSY_MS = 30_000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL keeps readers going during an import and survives a killed writer; NORMAL sync is durable under WAL
    # against process crashes, which is what an interrupted import is.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.close()
