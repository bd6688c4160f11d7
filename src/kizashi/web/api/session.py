"""Logging in and out of the API, and who the caller is."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from kizashi.protect.people.sessions import log_in, log_out
from kizashi.web.api.schemas import BEARER, ClearanceOut, LoginIn, MeOut, SessionOut, errors
from kizashi.web.context import clear_session_cookie, config, origin, session_token, start_session_cookie, workspace
from kizashi.web.deps import ActorDep, check_write

router = APIRouter()


@router.post("/session", responses=errors(429), summary="Log in")
def open_session(request: Request, response: Response, body: LoginIn) -> SessionOut:
    token, csrf = log_in(
        config(request).workspace,
        body.name,
        body.password,
        origin=origin(request),
        user_agent=request.headers.get("user-agent"),
    )
    start_session_cookie(request, response, token)
    return SessionOut(user=body.name, token=token, csrf_token=csrf)


@router.delete("/session", status_code=204, responses=errors(403), summary="Log out", dependencies=BEARER)
def close_session(request: Request) -> Response:
    check_write(request)
    token = session_token(request)
    if token:
        log_out(workspace(request), token, origin=origin(request))
    response = Response(status_code=204)
    clear_session_cookie(request, response)
    return response


@router.get("/me", summary="Who I am and what I may read", dependencies=BEARER)
def me(actor: ActorDep) -> MeOut:
    clearance = actor.clearance
    return MeOut(
        user=actor.user,
        display_name=actor.display_name,
        organisation=clearance.organisation,
        roles=sorted(actor.roles),
        clearance=ClearanceOut(level=clearance.level, compartments=sorted(clearance.compartments)),
    )
