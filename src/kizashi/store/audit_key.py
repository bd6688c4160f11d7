"""The audit trail's key: each event's hash is also MACed (HMAC-SHA-256) under a key kept outside the store, so
whoever can write the database but not read the key cannot rewrite the trail and recompute what `audit verify
--key` checks.

Where the key comes from, in this order:
1. `KIZASHI_AUDIT_KEY`, the key itself (an estimated 128 random bits or more, judged like the server's secret);
2. `KIZASHI_AUDIT_KEY_FILE`, a file holding it, kept where the database's writers cannot read it;
3. `audit.key` in the workspace folder, made by `kizashi init` (mode 0600). It sits next to a SQLite file, so whoever
   can write that file can usually read the key too: it then catches mistakes and tampering by people who reach
   the database only (a PostgreSQL role, a copy restored from a backup), not the folder's owner.
Setting both 1 and 2 is refused: which key seals the trail must never be a guess.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select

from kizashi.errors import ConfigError
from kizashi.messages import Message
from kizashi.model import AuditEvent
from kizashi.policy.secrets import require_strong_secret
from kizashi.settings import get_settings

KEY_FILE = "audit.key"
_PRIVATE_FILE = 0o600


@dataclass(frozen=True)
class AuditKey:
    """The key's bytes, and where they came from (for messages, and to warn when the file is readable by others)."""

    secret: bytes
    source: str
    file: Path | None = None


def mac(secret: bytes, event_hash: str) -> str:
    """An event's MAC: HMAC-SHA-256 of its hash (which chains its content to every event before it)."""
    return hmac.new(secret, f"audit:{event_hash}".encode("ascii"), hashlib.sha256).hexdigest()


def mac_ok(secret: bytes, event_hash: str, given: object) -> bool:
    return isinstance(given, str) and hmac.compare_digest(mac(secret, event_hash).encode(), given.encode())


def key_path(folder: Path) -> Path:
    """Where the key file is read from (and made at `kizashi init`)."""
    return get_settings().audit_key_file or folder / KEY_FILE


def load(folder: Path) -> AuditKey | None:
    """The audit key for the workspace in `folder`, or None when it has none. ConfigError for a weak key, both
    settings at once, or a configured key file that cannot be read."""
    settings = get_settings()
    if settings.audit_key and settings.audit_key_file is not None:
        raise ConfigError(Message("set KIZASHI_AUDIT_KEY or KIZASHI_AUDIT_KEY_FILE, not both: the trail has one key"))
    if settings.audit_key:
        require_strong_secret(settings.audit_key, name="KIZASHI_AUDIT_KEY", purpose=Message("for the audit trail"))
        return AuditKey(settings.audit_key.encode(), "KIZASHI_AUDIT_KEY")
    path = key_path(folder)
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        if settings.audit_key_file is not None:
            raise ConfigError(Message("KIZASHI_AUDIT_KEY_FILE: there is no file {path}", path=str(path))) from None
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            Message("cannot read the audit key file {path}: {problem}", path=str(path), problem=str(exc))
        ) from None
    require_strong_secret(
        text, name=Message("the audit key in {path}", path=str(path)), purpose=Message("for the audit trail")
    )
    return AuditKey(text.encode(), str(path), path)


def create(folder: Path) -> Path | None:
    """Make the key file with a new random key, its owner's alone (0600, whatever the umask), unless a key is set
    in the environment or the file exists; the file made, if any."""
    if get_settings().audit_key:
        return None
    path = key_path(folder)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _PRIVATE_FILE)
    except FileExistsError:
        return None
    except OSError as exc:
        raise ConfigError(
            Message("cannot make the audit key file {path}: {problem}", path=str(path), problem=str(exc))
        ) from None
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        os.fchmod(file.fileno(), _PRIVATE_FILE)
        file.write(secrets.token_urlsafe(32) + "\n")
    return path


def sealed(engine: Engine) -> bool:
    """Whether the trail's latest event carries a MAC: the trail is keyed, so a writer without the key would
    break it."""
    with engine.connect() as connection:
        head = connection.execute(select(AuditEvent.mac).order_by(AuditEvent.seq.desc()).limit(1)).first()
    return head is not None and head.mac is not None


def refuse_unkeyed_writer(folder: Path) -> ConfigError:
    """The refusal for a process that would write a keyed trail without its key."""
    return ConfigError(
        Message(
            "the audit trail is sealed with a key this process does not have, and events written without it could "
            "never be checked: set KIZASHI_AUDIT_KEY or KIZASHI_AUDIT_KEY_FILE, or put back {path}",
            path=str(key_path(folder)),
        )
    )
