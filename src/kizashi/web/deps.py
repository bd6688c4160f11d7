"""The actor of a request, built once (a FastAPI dependency): from the session behind its cookie, or its bearer token
(a session's or a personal token). Pages and API take it alike, so both see the same user and the same policy; and
how every form and API write proves it came from the user (the CSRF check, audited by the session service)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from kizashi.errors import LoginRequired
from kizashi.messages import Message
from kizashi.policy import Actor
from kizashi.protect.people.sessions import ActiveSession, check_csrf, resume
from kizashi.web.context import CSRF_HEADER, origin, session_token, workspace


def current_session(request: Request) -> ActiveSession | None:
    """The request's login, resumed once per request (None: nobody is logged in)."""
    if not hasattr(request.state, "session"):
        request.state.session = resume(
            workspace(request),
            session_token(request),
            origin=origin(request),
            via=f"{request.method} {request.url.path}",
        )
    return request.state.session  # type: ignore[no-any-return]


def require_session(request: Request) -> ActiveSession:
    active = current_session(request)
    if active is None:
        raise LoginRequired(Message("log in first"))
    return active


def current_actor(request: Request) -> Actor:
    return require_session(request).actor


ActorDep = Annotated[Actor, Depends(current_actor)]


def bearer(request: Request) -> bool:
    return request.headers.get("authorization", "").lower().startswith("bearer ")


def check_write(request: Request, token: str | None = None) -> ActiveSession:
    """The login of a write, its CSRF token checked (form field `token`, else the header; bearer clients exempt)."""
    active = require_session(request)
    check_csrf(workspace(request), active, token or request.headers.get(CSRF_HEADER), bearer=bearer(request))
    return active


async def checked_form(request: Request) -> tuple[Actor, FormData]:
    """The actor and the form they posted, its CSRF token checked: how every form post begins."""
    active = require_session(request)
    form = await request.form()
    given = str(form.get("csrf_token", "")) or request.headers.get(CSRF_HEADER)
    check_csrf(workspace(request), active, given, bearer=bearer(request))
    return active.actor, form
