"""Admin pages: users, their clearance grants (grant, renew, revoke) and training records, and web passwords.

The pages only collect and show: every change goes through protect/clearances.py, which checks that the actor is
an admin and writes the decision to the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from kizashi.errors import InputError, KizashiError, NotFound
from kizashi.ingest.tabular import utc_day
from kizashi.model import Grant, Training, User
from kizashi.model.base import LEVELS
from kizashi.protect import audit, clearances
from kizashi.protect.login import end_sessions
from kizashi.web.context import checked_form, origin, require_session, session_token, workspace
from kizashi.web.render import render

router = APIRouter(prefix="/admin", include_in_schema=False)
ADMINS = {"admin"}


def _admin(request: Request) -> str:
    active = require_session(request)
    clearances.require_role(workspace(request), active.user, ADMINS)
    return active.user


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request) -> Response:
    actor = _admin(request)
    audit.record(workspace(request), actor, "read", detail={"page": "users"}, origin=origin(request))
    return _users(request)


def _users(request: Request, *, error: KizashiError | None = None, values: dict[str, Any] | None = None) -> Response:
    ws = workspace(request)
    with ws.session() as session:
        users = list(session.scalars(select(User).order_by(User.name)))
        held = clearances.standings(session, [user for user in users if user.active])
        session.expunge_all()
    standings: dict[str, clearances.Standing | None] = {
        user.name: held.get(user.name) for user in users
    }  # inactive: None
    return render(
        request,
        "admin_users.html.j2",
        status=error.status if error else 200,
        users=users,
        standings=standings,
        roles=clearances.ROLES,
        error=error,
        values=values or {},
    )


@router.post("/users")
async def add_user(request: Request) -> Response:
    actor = _admin(request)
    _, form = await checked_form(request)
    values = {key: str(form.get(key, "")).strip() for key in ("name", "display_name", "organisation")}
    roles = [str(role) for role in form.getlist("roles")] or ["analyst"]
    password = str(form.get("password", ""))
    ws = workspace(request)
    try:
        if not values["name"]:
            raise InputError("a user needs a name", field="name")
        if password:
            clearances.require_strong(password)  # before anything is written
        clearances.add_user(
            ws,
            actor,
            values["name"],
            roles=roles,
            organisation=values["organisation"] or None,
            display_name=values["display_name"] or None,
        )
        if password:
            clearances.set_password(ws, actor, values["name"], password)
    except KizashiError as error:
        return _users(request, error=error, values=values)
    return RedirectResponse(f"/admin/users/{values['name']}", status_code=303)


@router.get("/users/{name}", response_class=HTMLResponse)
def user_page(request: Request, name: str) -> Response:
    actor = _admin(request)
    audit.record(workspace(request), actor, "read", records=[f"user:{name}"], origin=origin(request))
    return _user(request, name)


def _user(request: Request, name: str, *, error: KizashiError | None = None, done: bool = False) -> Response:
    ws = workspace(request)
    with ws.session() as session:
        user = session.get(User, name)
        if user is None:
            raise NotFound(f"no user '{name}'")
        grants = list(session.scalars(select(Grant).where(Grant.user == name).order_by(Grant.id.desc())))
        trainings = list(session.scalars(select(Training).where(Training.user == name).order_by(Training.id.desc())))
        session.expunge_all()
    try:
        standing = clearances.standing_of(ws, name)
    except NotFound:
        standing = None
    return render(
        request,
        "admin_user.html.j2",
        status=error.status if error else 200,
        user=user,
        grants=grants,
        trainings=trainings,
        standing=standing,
        levels=LEVELS,
        error=error,
        done=done,
    )


async def _act(request: Request, name: str, action: Callable[[str, dict[str, str], list[str]], object]) -> Response:
    """Run one admin action from a posted form; show the user's page again with the outcome."""
    actor = _admin(request)
    _, form = await checked_form(request)
    # Passwords keep their spaces: require_strong refuses surrounding ones instead of silently changing them.
    fields = {
        key: value if key == "password" else value.strip()
        for key, value in form.items()
        if key != "csrf_token" and isinstance(value, str)
    }
    try:
        action(actor, fields, [str(c).strip() for c in form.getlist("compartments") if str(c).strip()])
    except KizashiError as error:
        return _user(request, name, error=error)
    return _user(request, name, done=True)


@router.post("/users/{name}/grant")
async def grant(request: Request, name: str) -> Response:
    def act(actor: str, fields: dict[str, str], compartments: list[str]) -> object:
        extra = [c.strip() for c in fields.get("compartments_text", "").replace("、", ",").split(",") if c.strip()]
        return clearances.grant(
            workspace(request),
            actor,
            name,
            fields.get("level", ""),
            compartments=[*compartments, *extra],
            expires_at=utc_day(fields.get("expires", ""), "expires"),
            reason=fields.get("reason", ""),
        )

    return await _act(request, name, act)


@router.post("/users/{name}/renew")
async def renew(request: Request, name: str) -> Response:
    def act(actor: str, fields: dict[str, str], _compartments: list[str]) -> object:
        grant_id = fields.get("grant", "")
        if not grant_id.isdigit():
            raise InputError("which grant?", field="grant")
        return clearances.renew(
            workspace(request),
            actor,
            name,
            int(grant_id),
            utc_day(fields.get("expires", ""), "expires"),
            reason=fields.get("reason", ""),
        )

    return await _act(request, name, act)


@router.post("/users/{name}/revoke")
async def revoke(request: Request, name: str) -> Response:
    def act(actor: str, fields: dict[str, str], _compartments: list[str]) -> object:
        grant_id = fields.get("grant", "")
        ids = clearances.revoke(
            workspace(request),
            actor,
            name,
            int(grant_id) if grant_id.isdigit() else None,
            reason=fields.get("reason", ""),
        )
        return ids

    return await _act(request, name, act)


@router.post("/users/{name}/training")
async def training(request: Request, name: str) -> Response:
    def act(actor: str, fields: dict[str, str], _compartments: list[str]) -> object:
        completed = utc_day(fields.get("completed", ""), "completed")
        if completed is None:
            raise InputError("when was it completed?", field="completed")
        if not fields.get("course"):
            raise InputError("which course?", field="course")
        clearances.record_training(
            workspace(request), actor, name, fields["course"], completed, utc_day(fields.get("expires", ""), "expires")
        )
        return None

    return await _act(request, name, act)


@router.post("/users/{name}/password")
async def password(request: Request, name: str) -> Response:
    def act(actor: str, fields: dict[str, str], _compartments: list[str]) -> object:
        clearances.set_password(workspace(request), actor, name, fields.get("password", ""))
        # Whoever held the old password is logged out; changing your own keeps only the session you did it from.
        return end_sessions(workspace(request), name, keep=session_token(request) if actor == name else None)

    return await _act(request, name, act)
