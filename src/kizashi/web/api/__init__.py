"""The JSON API under /api: the same login, the same services and the same audit as the pages, and one error
shape, `{"error": {"status", "code", "message"}}`, for every failure.

Clients log in with POST /api/session and send the token back as `Authorization: Bearer …` (or keep the cookie and
send `X-CSRF-Token` on writes, as the pages' scripts would); scripts may send a personal token instead
(`kizashi user token create`). One module per area.
"""

from __future__ import annotations

from fastapi import APIRouter

from kizashi.web.api import match, records, screening, session, users
from kizashi.web.api.schemas import errors

router = APIRouter(prefix="/api", tags=["api"], responses=errors(400, 401, 422, 500))
for area in (session, records, match, screening, users):
    router.include_router(area.router)
