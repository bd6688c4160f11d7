"""Alembic, driven from code: the workspace upgrades its schema to head when it is created or opened."""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    return _head_of(str(MIGRATIONS))


@functools.cache
def _head_of(script_location: str) -> str | None:
    # Reading the scripts costs a quarter of a second, paid by every open of a workspace; they do not change while a
    # process runs.
    config = Config()
    config.set_main_option("script_location", script_location)
    return ScriptDirectory.from_config(config).get_current_head()


def upgrade(engine: Engine) -> None:
    if current_revision(engine) != head_revision(engine):
        command.upgrade(alembic_config(engine), "head")
