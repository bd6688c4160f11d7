"""Admin pages: users, their clearance grants (grant, renew, revoke) and training records, web passwords, and the
changes held for a second admin (the two-person rule).

The pages only collect and show: every read and change goes through kizashi.protect.people as the request's actor,
which checks the permission, holds what the two-person rule holds, and writes the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kizashi.errors import InputError, KizashiError
from kizashi.files.tabular import utc_day
from kizashi.messages import Message
from kizashi.policy import LEVELS, ROLES, Actor
from kizashi.protect import people
from kizashi.protect.people import Outcome
from kizashi.protect.people.sessions import token_hash
from kizashi.web.context import session_token, workspace
from kizashi.web.deps import ActorDep, checked_form
from kizashi.web.render import render

router = APIRouter(prefix="/admin", include_in_schema=False)


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request, actor: ActorDep) -> Response:
    return _users(request, actor)


def _users(
    request: Request,
    actor: Actor,
    *,
    error: KizashiError | None = None,
    values: dict[str, Any] | None = None,
    held: int | None = None,
) -> Response:
    users = people.list_users(workspace(request), actor)
    return render(
        request,
        "admin_users.html.j2",
        status=error.status if error else 200,
        users=users,
        standings={user["name"]: user["standing"] for user in users},
        roles=ROLES,
        error=error,
        values=values or {},
        held=held,
    )


@router.post("/users")
async def add_user(request: Request) -> Response:
    actor, form = await checked_form(request)
    values = {key: str(form.get(key, "")).strip() for key in ("name", "display_name", "organisation")}
    roles = [str(role) for role in form.getlist("roles")] or ["analyst"]
    password = str(form.get("password", ""))
    try:
        if not values["name"]:
            raise InputError(Message("a user needs a name"), field="name")
        outcome = people.add_user(
            workspace(request),
            actor,
            values["name"],
            roles=roles,
            organisation=values["organisation"] or None,
            display_name=values["display_name"] or None,
            password=password or None,
        )
    except KizashiError as error:
        if error.status == 403:
            raise
        return _users(request, actor, error=error, values=values)
    if not outcome.done:
        return _users(request, actor, held=outcome.change)
    return RedirectResponse(f"/admin/users/{values['name']}", status_code=303)


@router.get("/users/{name}", response_class=HTMLResponse)
def user_page(request: Request, actor: ActorDep, name: str) -> Response:
    return _user(request, actor, name)


def _user(
    request: Request,
    actor: Actor,
    name: str,
    *,
    error: KizashiError | None = None,
    done: bool = False,
    held: int | None = None,
) -> Response:
    found = people.show_user(workspace(request), actor, name)
    return render(
        request,
        "admin_user.html.j2",
        status=error.status if error else 200,
        user=found,
        grants=found["grants"],
        trainings=found["trainings"],
        standing=found["standing"],
        levels=LEVELS,
        error=error,
        done=done,
        held=held,
    )


async def _act(request: Request, name: str, action: Callable[[Actor, dict[str, str], list[str]], object]) -> Response:
    """Run one admin action from a posted form; show the user's page again with the outcome."""
    actor, form = await checked_form(request)
    # Passwords keep their spaces: the service refuses surrounding ones instead of silently changing them.
    fields = {
        key: value if key == "password" else value.strip()
        for key, value in form.items()
        if key != "csrf_token" and isinstance(value, str)
    }
    try:
        result = action(actor, fields, [str(c).strip() for c in form.getlist("compartments") if str(c).strip()])
    except KizashiError as error:
        if error.status == 403:
            raise
        return _user(request, actor, name, error=error)
    if isinstance(result, Outcome) and not result.done:
        return _user(request, actor, name, held=result.change)
    return _user(request, actor, name, done=True)


@router.post("/users/{name}/grant")
async def grant(request: Request, name: str) -> Response:
    def act(actor: Actor, fields: dict[str, str], compartments: list[str]) -> object:
        extra = [c.strip() for c in fields.get("compartments_text", "").replace("、", ",").split(",") if c.strip()]
        return people.grant(
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
    def act(actor: Actor, fields: dict[str, str], _compartments: list[str]) -> object:
        grant_id = fields.get("grant", "")
        if not grant_id.isdigit():
            raise InputError(Message("which grant?"), field="grant")
        return people.renew(
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
    # A revocation cannot be undone: the first post shows what it would revoke, only the confirmed one acts. (A
    # form, not a script's dialog: it works without JavaScript and carries the CSRF token like every form.)
    actor, form = await checked_form(request)
    grant_id = str(form.get("grant", "")).strip()
    if form.get("confirmed") != "yes":
        found = people.show_user(workspace(request), actor, name)
        active = [g for g in found["grants"] if g["revoked_at"] is None and grant_id in ("", str(g["id"]))]
        if active:
            return render(
                request,
                "admin_revoke.html.j2",
                user=found,
                grants=active,
                grant_id=grant_id,
                reason=str(form.get("reason", "")).strip(),
            )
        # Nothing active to revoke: the service says so, as for any other stale form.

    def act(actor: Actor, fields: dict[str, str], _compartments: list[str]) -> object:
        grant_id = fields.get("grant", "")
        return people.revoke(
            workspace(request),
            actor,
            name,
            int(grant_id) if grant_id.isdigit() else None,
            reason=fields.get("reason", ""),
        )

    return await _act(request, name, act)


@router.post("/users/{name}/training")
async def training(request: Request, name: str) -> Response:
    def act(actor: Actor, fields: dict[str, str], _compartments: list[str]) -> object:
        completed = utc_day(fields.get("completed", ""), "completed")
        if completed is None:
            raise InputError(Message("when was it completed?"), field="completed")
        return people.record_training(
            workspace(request),
            actor,
            name,
            fields.get("course", ""),
            completed,
            utc_day(fields.get("expires", ""), "expires"),
        )

    return await _act(request, name, act)


@router.post("/users/{name}/password")
async def password(request: Request, name: str) -> Response:
    def act(actor: Actor, fields: dict[str, str], _compartments: list[str]) -> object:
        # Whoever held the old password is logged out; changing your own keeps only the session you did it from.
        token = session_token(request)
        return people.set_password(
            workspace(request),
            actor,
            name,
            fields.get("password", ""),
            keep_session=token_hash(token) if token else None,
        )

    return await _act(request, name, act)


@router.get("/changes", response_class=HTMLResponse)
def changes_page(request: Request, actor: ActorDep) -> Response:
    return _changes(request, actor)


def _changes(request: Request, actor: Actor, *, error: KizashiError | None = None, done: bool = False) -> Response:
    rows = people.pending_changes(workspace(request), actor)
    return render(
        request, "admin_changes.html.j2", status=error.status if error else 200, changes=rows, error=error, done=done
    )


@router.post("/changes/{number}")
async def decide_change(request: Request, number: int) -> Response:
    actor, form = await checked_form(request)
    try:
        if form.get("decision") == "approve":
            people.approve(workspace(request), actor, number)
        else:
            people.reject(workspace(request), actor, number, reason=str(form.get("reason", "")))
    except KizashiError as error:
        if error.status in (401, 403):
            raise
        return _changes(request, actor, error=error)
    return _changes(request, actor, done=True)
