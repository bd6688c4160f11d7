"""Who is acting: the `Actor` of a command line, a web session or an API token, built once per command or request.

- A workspace records its **owner** at `kizashi init`: the operating-system login that created it. While it has no
  users it is unmanaged, and its owner operates it with every permission (they hold its files anyway); anyone else
  is refused.
- Once it has users, a command acts as the operating-system login by default: that login must be an active user.
  Acting as someone else needs that user's credential, a personal token (KIZASHI_TOKEN) or their password (on
  standard input), never a bare name in an environment variable.
- A web or API request acts as the user of its session or personal token (kizashi.protect.people.sessions).

Every refusal here is written to the audit trail as `denied`, naming who claimed to be whom.
"""

from __future__ import annotations

from typing import NoReturn

from sqlalchemy import func, select

from kizashi.errors import AccessDenied
from kizashi.messages import Message
from kizashi.model import User, WorkspaceFact
from kizashi.policy import Actor
from kizashi.protect.people.passwords import check_password
from kizashi.protect.people.standing import standing
from kizashi.protect.people.tokens import token_user
from kizashi.store import audit
from kizashi.store.workspace import Workspace

OWNER = "owner"


def owner(workspace: Workspace) -> str | None:
    """The login that created the workspace (None for one created before owners were recorded)."""
    with workspace.session() as session:
        fact = session.get(WorkspaceFact, OWNER)
        return fact.value if fact is not None else None


def record_owner(workspace: Workspace, login: str) -> str:
    """Record `login` as the owner unless one is recorded already; the owner."""
    with workspace.session() as session:
        fact = session.get(WorkspaceFact, OWNER)
        if fact is None:
            session.add(WorkspaceFact(key=OWNER, value=login))
            return login
        return fact.value


def managed(workspace: Workspace) -> bool:
    """Whether the workspace has users (and so an access policy to enforce)."""
    with workspace.session() as session:
        return bool(session.scalar(select(func.count()).select_from(User)))


def actor_for(
    workspace: Workspace, name: str, *, via: str = "", credential: str = "trusted", origin: str | None = None
) -> Actor:
    """The actor `name`, whose identity `credential` has already proved: their clearance today, roles and
    organisation; in an unmanaged workspace, its owner as operator. AccessDenied (audited) otherwise."""
    with workspace.session() as session:
        if not session.scalar(select(func.count()).select_from(User)):
            fact = session.get(WorkspaceFact, OWNER)
            if fact is not None and fact.value != name:
                refusal = Message(
                    "this workspace has no users yet and is operated by its owner '{owner}', not '{name}': "
                    "they add you with `kizashi user add {name}`",
                    owner=fact.value,
                    name=name,
                )
            else:
                return Actor.operator(name, via=via, origin=origin)
        else:
            user = session.get(User, name)
            if user is not None and user.active:
                clearance = standing(session, name).clearance
                return Actor(clearance, origin, via, True, credential, user.display_name)
            refusal = Message(
                "'{name}' is not an active user of this workspace; ask an admin (kizashi user add)", name=name
            )
    _refuse(workspace, name, via, origin, refusal)


def command_line_actor(
    workspace: Workspace,
    *,
    login: str,
    name: str | None = None,
    token: str | None = None,
    password: str | None = None,
    via: str,
) -> Actor:
    """The actor of a command run by the operating-system user `login`: themself, or the user `name` (or a token's
    user) when their credential is given."""
    wanted = name or login
    if token:
        holder = token_user(workspace, token)
        if holder is None:
            _refuse(workspace, wanted, via, None, Message("the personal token is unknown, expired or revoked"))
        if name is not None and holder != name:
            _refuse(workspace, wanted, via, None, Message("the personal token is not {name}'s", name=name))
        return actor_for(workspace, str(holder), via=via, credential="token")
    if password is not None:
        if not check_password(workspace, wanted, password):
            _refuse(workspace, wanted, via, None, Message("wrong password for '{name}'", name=wanted))
        return actor_for(workspace, wanted, via=via, credential="password")
    if wanted != login:
        _refuse(
            workspace,
            wanted,
            via,
            None,
            Message(
                "acting as '{name}' (you are '{login}') needs their credential: set KIZASHI_TOKEN to a personal token "
                "of theirs, or give their password on standard input with --auth-stdin",
                name=wanted,
                login=login,
            ),
        )
    return actor_for(workspace, login, via=via, credential="os-login")


def _refuse(workspace: Workspace, name: str, via: str, origin: str | None, why: Message) -> NoReturn:
    audit.record(
        workspace,
        name,
        "denied",
        detail={"service": "identity", "code": "access_denied", "via": via, "why": str(why)},  # the English, as before
        origin=origin,
    )
    raise AccessDenied(why)
