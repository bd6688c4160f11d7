"""Users through the API (admins): add users, grant clearances, set passwords, and approve the changes the
two-person rule holds. The same services as `kizashi user` and the admin pages."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, Field

from kizashi.protect import people
from kizashi.protect.people import Outcome
from kizashi.web.api.schemas import BEARER, errors
from kizashi.web.context import workspace
from kizashi.web.deps import ActorDep, check_write

router = APIRouter()
Name = Annotated[str, Path(max_length=200)]


class UserIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    roles: list[str] = Field(default_factory=lambda: ["analyst"], max_length=10)
    organisation: str | None = Field(default=None, max_length=500)
    display_name: str | None = Field(default=None, max_length=500)
    password: str | None = Field(default=None, max_length=1000)


class GrantIn(BaseModel):
    level: str = Field(max_length=16)
    compartments: list[str] = Field(default_factory=list, max_length=50)
    expires: date | None = None
    reason: str = Field(default="", max_length=10_000)


class PasswordIn(BaseModel):
    password: str = Field(min_length=1, max_length=1000)


class ReasonIn(BaseModel):
    reason: str = Field(default="", max_length=10_000)


class OutcomeOut(BaseModel):
    done: bool = Field(description="carried out now; false: held for a second admin (the two-person rule)")
    change: int | None = Field(description="the held change, for another admin to approve")
    detail: dict[str, Any]


def _outcome(outcome: Outcome) -> OutcomeOut:
    return OutcomeOut(done=outcome.done, change=outcome.change, detail=outcome.detail)


@router.post("/users", status_code=201, responses=errors(403), summary="Add a user", dependencies=BEARER)
def add_user(request: Request, body: UserIn) -> OutcomeOut:
    actor = check_write(request).actor
    outcome = people.add_user(
        workspace(request),
        actor,
        body.name,
        roles=body.roles,
        organisation=body.organisation,
        display_name=body.display_name,
        password=body.password,
    )
    return _outcome(outcome)


@router.get("/users/{name}", responses=errors(403, 404), summary="A user and their clearance", dependencies=BEARER)
def show_user(request: Request, actor: ActorDep, name: Name) -> dict[str, Any]:
    found = people.show_user(workspace(request), actor, name)
    standing = found.pop("standing")
    found["clearance"] = (
        None
        if standing is None
        else {
            "level": standing.clearance.level,
            "compartments": sorted(standing.clearance.compartments),
            "grants": standing.grants,
            "notes": standing.notes,
        }
    )
    return found


@router.post("/users/{name}/grants", status_code=201, responses=errors(403, 404), summary="Grant", dependencies=BEARER)
def grant(request: Request, name: Name, body: GrantIn) -> OutcomeOut:
    actor = check_write(request).actor
    expires = datetime.combine(body.expires, time(), UTC) if body.expires else None
    outcome = people.grant(
        workspace(request),
        actor,
        name,
        body.level,
        compartments=body.compartments,
        expires_at=expires,
        reason=body.reason,
    )
    return _outcome(outcome)


@router.put("/users/{name}/password", responses=errors(403, 404), summary="Set a password", dependencies=BEARER)
def set_password(request: Request, name: Name, body: PasswordIn) -> OutcomeOut:
    actor = check_write(request).actor
    return _outcome(people.set_password(workspace(request), actor, name, body.password))


@router.get("/changes", responses=errors(403), summary="Changes held for a second admin", dependencies=BEARER)
def changes(request: Request, actor: ActorDep) -> list[dict[str, Any]]:
    return people.pending_changes(workspace(request), actor)


@router.post("/changes/{number}/approve", responses=errors(403, 404), summary="Approve a change", dependencies=BEARER)
def approve(request: Request, number: int) -> dict[str, Any]:
    actor = check_write(request).actor
    return people.approve(workspace(request), actor, number)


@router.post("/changes/{number}/reject", status_code=204, responses=errors(403, 404), dependencies=BEARER)
def reject(request: Request, number: int, body: ReasonIn) -> None:
    """Reject a held change (another admin, or its proposer withdrawing it)."""
    actor = check_write(request).actor
    people.reject(workspace(request), actor, number, reason=body.reason)
