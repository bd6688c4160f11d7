"""Partner screening through the API: the same service as `kizashi screen parties` and the screening page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from kizashi.errors import InputError
from kizashi.messages import Message
from kizashi.protect.screening.screen import Party
from kizashi.protect.screening.store import screen, status_of
from kizashi.web.api.schemas import BEARER, errors
from kizashi.web.context import workspace
from kizashi.web.deps import check_write

router = APIRouter()


class PartyIn(BaseModel):
    id: str = Field(min_length=1, max_length=300)
    name: str = Field(min_length=1, max_length=1000)
    country: str | None = Field(default=None, max_length=100, description="ISO code or name, when known")
    type: str | None = Field(default=None, max_length=40, description="person, organisation, vessel …")


class ScreeningIn(BaseModel):
    names: list[PartyIn] = Field(min_length=1, max_length=5000)
    threshold: float | None = Field(default=None, ge=0, le=1, description="default: the documented 0.60")
    top: int = Field(default=5, ge=1, le=50)


class ScreenedOut(BaseModel):
    id: str
    name: str
    status: str = Field(description="clear, alert, true_match, false_positive or escalated (the most serious match)")
    matches: list[dict[str, Any]] = Field(
        description="list, entry_id, entry_name, matched_name, score, explanation, list_version and the latest "
        "officer decision on this name and entry (or null)"
    )


class ScreeningOut(BaseModel):
    list_versions: list[dict[str, Any]] = Field(description="the lists' newest versions screened against")
    alerts: int = Field(description="names with a match not decided a false positive")
    results: list[ScreenedOut]


@router.post("/screening", responses=errors(400, 403), summary="Screen partner names", dependencies=BEARER)
def screen_parties(request: Request, body: ScreeningIn) -> ScreeningOut:
    """Against the newest version of every list loaded in the workspace (`kizashi screen load`); audited. Decisions
    on matches are shown to those who may read them."""
    active = check_write(request)
    if len({party.id for party in body.names}) != len(body.names):
        raise InputError(Message("ids must be unique within one request"), field="id")
    parties = [Party(p.id, p.name, p.country, p.type) for p in body.names]
    found = screen(workspace(request), active.actor, parties, threshold=body.threshold, top=body.top)
    return ScreeningOut(
        list_versions=found.versions,
        alerts=found.alerts,
        results=[
            ScreenedOut(id=row["id"], name=row["name"], status=status_of(row["matches"]), matches=row["matches"])
            for row in found.rows
        ],
    )
