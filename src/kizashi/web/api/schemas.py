"""The JSON API's shapes: one error body for every failure, and the models the routes read and return."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from fastapi import Depends
from fastapi.security import HTTPBearer
from pydantic import BaseModel, Field

from kizashi.policy import Label


class ErrorDetail(BaseModel):
    status: int
    code: str = Field(description="machine-readable: not_found, login_required, input_error, …")
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorBody} for status in statuses}


# Documents the bearer token in the OpenAPI document; the session itself is read by kizashi.web.deps.
BEARER = [Depends(HTTPBearer(auto_error=False, description="the token from POST /api/session, or a personal token"))]


class RecordKind(StrEnum):
    needs = "needs"
    seeds = "seeds"
    works = "works"
    threats = "threats"
    technologies = "technologies"


class IntakeKind(StrEnum):
    needs = "needs"
    seeds = "seeds"


class LabelOut(BaseModel):
    level: str
    compartments: list[str]
    tlp: str | None = Field(default=None, description="TLP 2.0 marking: CLEAR, GREEN, AMBER, AMBER+STRICT or RED")


def label_out(label: Label) -> LabelOut:
    return LabelOut(level=label.level, compartments=sorted(label.compartments), tlp=label.tlp)


class LoginIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1000)


class SessionOut(BaseModel):
    user: str
    token: str = Field(description="send as `Authorization: Bearer <token>`")
    csrf_token: str = Field(description="send as X-CSRF-Token on writes when using the cookie instead")


class ClearanceOut(BaseModel):
    level: str
    compartments: list[str]


class MeOut(BaseModel):
    user: str
    display_name: str | None
    organisation: str | None
    roles: list[str]
    clearance: ClearanceOut


class CountsOut(BaseModel):
    counts: dict[str, int] = Field(description="records of each kind the caller may read")
    label: LabelOut = Field(description="the highest label among the records counted")


class PageOut(BaseModel):
    kind: str
    total: int = Field(description="matching records the caller may read")
    limit: int
    offset: int
    label: LabelOut = Field(description="the highest label among the items: this page's own label")
    items: list[dict[str, Any]]


class RecordOut(BaseModel):
    kind: str
    label: LabelOut
    record: dict[str, Any]


class StatementIn(BaseModel):
    """A need or a seed as a person enters it; the id is assigned by kizashi."""

    title: str = Field(min_length=1, max_length=2000)
    description: str = Field(default="", max_length=100_000)
    lang: str | None = Field(default=None, max_length=8)
    organization: str | None = Field(default=None, max_length=500)
    country: str | None = Field(default=None, max_length=8)
    trl: int | None = Field(default=None, ge=1, le=9)
    threat: str | None = Field(default=None, max_length=200)
    deadline: date | None = None
    keywords: list[str] = Field(default_factory=list, max_length=100)
    level: str | None = Field(
        default=None,
        max_length=16,
        description="PUBLIC, INTERNAL, CONFIDENTIAL or SECRET, at most yours; default INTERNAL, or yours if lower",
    )
    compartments: list[str] = Field(default_factory=list, max_length=50)
    tlp: str | None = Field(
        default=None,
        max_length=20,
        description="TLP 2.0 marking; AMBER and AMBER+STRICT are owned by your organisation",
    )
    tlp_recipients: list[str] = Field(
        default_factory=list, max_length=100, description="AMBER: further organisations; RED: the people it goes to"
    )


class CreatedOut(BaseModel):
    id: str
