"""The JSON API under /api: the same login, the same services and the same audit as the pages, and one error
shape, `{"error": {"status", "code", "message"}}`, for every failure.

Clients log in with POST /api/session and send the token back as `Authorization: Bearer …` (or keep the cookie and
send `X-CSRF-Token` on writes, as the pages' scripts would); scripts may send a personal token instead
(`kizashi user token create`). One module per area.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Depends, Request

from kizashi.errors import InputError
from kizashi.messages import Message
from kizashi.web.api import landscape, match, programme, records, screening, session, users
from kizashi.web.api.schemas import errors


def _query_names(dependant: Any) -> Iterator[str]:
    yield from (param.alias for param in dependant.query_params)
    for sub in dependant.dependencies:
        yield from _query_names(sub)


def known_query(request: Request) -> None:
    """A query parameter the operation does not take is a 400, not ignored: a misspelt filter (`?levl=SECRET`)
    would otherwise answer as if the caller had asked for everything."""
    taken = set(_query_names(request.scope["route"].dependant))
    unknown = sorted(set(request.query_params) - taken)
    if unknown:
        offered = ", ".join(sorted(taken)) or "none"
        raise InputError(
            Message(
                "unknown query parameter(s) {unknown}; this operation takes: {offered}",
                unknown=", ".join(unknown),
                offered=offered,
            )
        )


router = APIRouter(
    prefix="/api", tags=["api"], responses=errors(400, 401, 414, 422, 500), dependencies=[Depends(known_query)]
)
for area in (session, records, match, screening, users, landscape, programme):
    router.include_router(area.router)
