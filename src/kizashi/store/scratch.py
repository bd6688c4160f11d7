"""A throwaway PostgreSQL schema, for tests and benchmarks that must never touch a server's existing data."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


@contextlib.contextmanager
def scratch_database(database_url: str | None, prefix: str = "kizashi_scratch") -> Iterator[str | None]:
    """For a PostgreSQL URL, a URL whose search_path is a fresh schema, dropped (with everything in it) afterwards.
    Any other URL, or None (a workspace's own SQLite file), is given back unchanged."""
    if database_url is None or make_url(database_url).get_backend_name() != "postgresql":
        yield database_url
        return
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(database_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in database_url else "?"
    try:
        # Tagged with the schema's name so that the teardown can find them: a connection left open in a transaction
        # (a failed test's session, held by its traceback) would otherwise make the DROP below wait forever.
        yield f"{database_url}{separator}options=-csearch_path%3D{schema}&application_name={schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = :schema AND pid <> pg_backend_pid()"
                ),
                {"schema": schema},
            )
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


SCHEMA_PLACEHOLDER = "kizashi_scratch_schema_name"


def fill_scratch(database_url: str, script: str) -> None:
    """Make the empty schema of `database_url` (a URL scratch_database gave) what `script` makes: SQL that creates a
    schema named SCHEMA_PLACEHOLDER and everything in it, qualified with that name (a pg_dump of a migrated schema,
    renamed). Tests copy one migrated store this way instead of running every migration for each."""
    schema = make_url(database_url).query["application_name"]  # scratch_database tags its URLs with the schema
    assert isinstance(schema, str) and SCHEMA_PLACEHOLDER not in schema
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}"'))  # empty: the script makes it again, with contents
            connection.exec_driver_sql(script.replace(SCHEMA_PLACEHOLDER, schema))
    finally:
        engine.dispose()
