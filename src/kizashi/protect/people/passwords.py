"""Web passwords: only argon2id hashes are kept; a weak password is refused before anything is written."""

from __future__ import annotations

import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError

from kizashi.errors import InputError
from kizashi.messages import Message
from kizashi.model import User
from kizashi.store.workspace import Workspace

MIN_PASSWORD = 12
_hasher = PasswordHasher()  # argon2id with the library's current parameters


def require_strong(password: str) -> None:
    if len(password) < MIN_PASSWORD or password.strip() != password or len(set(password)) < 4:
        raise InputError(
            Message(
                "password too weak: at least {count} characters, no surrounding spaces, not one repeated character",
                count=MIN_PASSWORD,
            ),
            field="password",
        )


def hash_password(password: str) -> str:
    """The argon2id hash of a password checked strong."""
    require_strong(password)
    return _hasher.hash(password)


def check_password(workspace: Workspace, name: str, password: str) -> bool:
    """Whether `password` is the active user's; unknown users cost a hash too, so timing does not tell them apart."""
    with workspace.session() as session:
        user = session.get(User, name)
        stored = user.password_hash if user is not None and user.active else None
    try:
        return _hasher.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerifyMismatchError, InvalidHashError):
        return False


@functools.cache
def _dummy_hash() -> str:
    # Made on first use, not at import: every command imports this module, few check passwords.
    return _hasher.hash("kizashi: no such user")
