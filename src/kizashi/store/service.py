"""What every service shares: the refusal it writes to the audit trail, and how what it reads leaves.

A service is one use case, called alike by a command, a page and the API: it takes the workspace and the `Actor`
first, checks the permission (`kizashi.policy.require`), reads through the access policy (kizashi.store.readable),
writes the audit events and returns data. Decorated with `@service("name")`, a refusal inside it (AccessDenied, or
NotFound: a hidden record answers like a missing one, and both are written alike) is written as a `denied` event
naming the service, the actor and how they came, then raised on. A service called by another writes nothing of its
own refusal: the outermost one does, once.

`Delivery` says where a service's result goes: shown (a page, the terminal, an API response: a `read` event) or a
file (an `export` event naming it and its format).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from kizashi.errors import AccessDenied, NotFound
from kizashi.policy.actor import Actor
from kizashi.store import audit
from kizashi.store.workspace import Workspace

P = ParamSpec("P")
R = TypeVar("R")
_INSIDE: ContextVar[bool] = ContextVar("kizashi_inside_service", default=False)
MAX_MESSAGE = 300


def service(name: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Mark a function taking (workspace, actor, ...) as the service `name`, whose refusals are audited."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            if _INSIDE.get():
                return function(*args, **kwargs)
            token = _INSIDE.set(True)
            try:
                return function(*args, **kwargs)
            except (AccessDenied, NotFound) as refusal:
                _INSIDE.reset(token)
                _denied(name, args, kwargs, refusal)
                raise
            finally:
                if _INSIDE.get():
                    _INSIDE.reset(token)

        run.__kizashi_service__ = name  # type: ignore[attr-defined]
        return run

    return decorate


def _denied(name: str, args: tuple[Any, ...], kwargs: dict[str, Any], refusal: Exception) -> None:
    workspace = args[0] if args and isinstance(args[0], Workspace) else kwargs.get("workspace")
    actor = args[1] if len(args) > 1 and isinstance(args[1], Actor) else kwargs.get("actor")
    if not isinstance(workspace, Workspace) or not isinstance(actor, Actor):
        raise TypeError(f"service '{name}' must be called with (workspace, actor, ...)")
    denied(workspace, actor, name, refusal)


def denied(workspace: Workspace, actor: Actor, name: str, refusal: Exception) -> None:
    """Write a refusal: what was refused (the service), why (not found or not allowed) and how the actor came."""
    code = "not_found" if isinstance(refusal, NotFound) else "access_denied"
    message = getattr(refusal, "detail", str(refusal))[:MAX_MESSAGE]
    audit.record(workspace, actor, "denied", detail={"service": name, "code": code, "why": message})


@dataclass(frozen=True)
class Delivery:
    """Where a service's result goes: shown (no file) or written to `file` in `format`."""

    file: str | None = None
    format: str | None = None

    @property
    def action(self) -> str:
        return "export" if self.file is not None else "read"

    def detail(self) -> dict[str, Any]:
        """What the audit event says of it."""
        found: dict[str, Any] = {}
        if self.format is not None:
            found["format"] = self.format
        if self.file is not None:
            found["file"] = self.file
        return found


SHOWN = Delivery()


def delivered(
    workspace: Workspace,
    actor: Actor,
    delivery: Delivery,
    *,
    records: Any = (),
    detail: dict[str, Any] | None = None,
) -> None:
    """The audit event of a read that reached its reader: `read`, or `export` with the file."""
    audit.record(workspace, actor, delivery.action, records=records, detail={**(detail or {}), **delivery.detail()})
