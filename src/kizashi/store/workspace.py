"""A workspace: a folder with the SQLite file (unless KIZASHI_DATABASE_URL points elsewhere) and the corpus folder."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from kizashi import __version__
from kizashi.errors import WorkspaceError
from kizashi.messages import Message
from kizashi.settings import get_settings
from kizashi.store import audit_key as keys
from kizashi.store.audit_key import AuditKey
from kizashi.store.engine import make_engine, sqlite_url
from kizashi.store.migrate import upgrade
from kizashi.store.readable import install_guard

MARKER = "workspace.json"
DATABASE_FILE = "kizashi.sqlite"
CORPUS_DIR = "corpus"
PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600


@dataclass
class Workspace:
    path: Path
    database_url: str
    _engines: list[Engine] = field(default_factory=list, repr=False)

    @classmethod
    def resolve(cls, path: Path | None = None, database_url: str | None = None) -> Workspace:
        settings = get_settings()
        folder = (path or settings.workspace).expanduser().resolve()
        url = database_url or settings.database_url or sqlite_url(folder / DATABASE_FILE)
        return cls(folder, url)

    @classmethod
    def create(cls, path: Path | None = None, database_url: str | None = None) -> Workspace:
        workspace = cls.resolve(path, database_url)
        if workspace.path.exists() and not workspace.path.is_dir():
            raise WorkspaceError(Message("{path} exists and is not a folder", path=str(workspace.path)))
        marker = workspace.path / MARKER
        new = not marker.exists()
        # The folder holds labelled records (the SQLite file, the corpus): its owner's alone, like ~/.ssh.
        workspace.path.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
        if new:
            workspace.path.chmod(PRIVATE_FOLDER)
        workspace.corpus_dir.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)
        database = workspace.database_file
        if database is not None and not database.exists():
            # Made before SQLite makes it (with the umask's 0644); its journal and WAL files copy its mode.
            database.touch(mode=PRIVATE_FILE)
            database.chmod(PRIVATE_FILE)
        upgrade(workspace.engine)
        # A new workspace, or one from before keys, gets its key file; a trail sealed with a key that is not here
        # gets no new one (its events could then never be checked): _check_audit_key refuses instead.
        if not keys.sealed(workspace.engine):
            keys.create(workspace.path)
        workspace._check_audit_key()
        if new:
            marker.write_text(
                json.dumps({"created": datetime.now(UTC).isoformat(), "kizashi": __version__}, indent=2) + "\n",
                encoding="utf-8",
            )
        return workspace

    @classmethod
    def open(cls, path: Path | None = None, database_url: str | None = None) -> Workspace:
        workspace = cls.resolve(path, database_url)
        if not (workspace.path / MARKER).exists():
            raise WorkspaceError(
                Message(
                    "no kizashi workspace at {path}; create one with `kizashi init --workspace {path}`",
                    path=str(workspace.path),
                )
            )
        upgrade(workspace.engine)
        workspace._check_audit_key()
        return workspace

    def _check_audit_key(self) -> None:
        """Load the audit key now (a weak one is refused before anything is done), and refuse to write a keyed
        trail without it."""
        if self.audit_key is None and keys.sealed(self.engine):
            raise keys.refuse_unkeyed_writer(self.path)

    @cached_property
    def audit_key(self) -> AuditKey | None:
        """The key that MACs the audit events this workspace writes (kizashi.store.audit_key), read once."""
        return keys.load(self.path)

    @property
    def database_file(self) -> Path | None:
        """The SQLite file, where the store is one (None for a server's database)."""
        prefix = "sqlite:///"
        return Path(self.database_url[len(prefix) :]) if self.database_url.startswith(prefix) else None

    def exposed(self) -> list[Path]:
        """The workspace folder, SQLite file and audit key file where others than their owner may read or enter
        them."""
        paths = [self.path, self.corpus_dir, *([self.database_file] if self.database_file else [])]
        if self.audit_key is not None and self.audit_key.file is not None:
            paths.append(self.audit_key.file)
        return [path for path in paths if path.exists() and path.stat().st_mode & 0o077]

    @property
    def corpus_dir(self) -> Path:
        return self.path / CORPUS_DIR

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @cached_property
    def engine(self) -> Engine:
        engine = make_engine(self.database_url)
        install_guard(engine)  # every select of a labelled table goes through the access policy
        self._engines.append(engine)
        return engine

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose work is one transaction: committed on success, rolled back on any error."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    def close(self) -> None:
        for engine in self._engines:
            engine.dispose()
        self._engines.clear()
        self.__dict__.pop("engine", None)
