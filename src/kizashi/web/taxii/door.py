"""How a request enters the TAXII server: HTTP Basic authentication as kizashi's users, the Accept check, and every
error answered as a TAXII error resource (never the web pages' HTML nor the JSON API's error shape)."""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.responses import Response

from kizashi.errors import KizashiError, TooManyAttempts
from kizashi.messages import Message
from kizashi.policy import Actor
from kizashi.protect.people.sessions import basic_session
from kizashi.web.context import config, error_code, origin, workspace
from kizashi.web.taxii.protocol import TaxiiError, check_accept, error_response

log = logging.getLogger("kizashi.web.taxii")


def taxii_actor(request: Request) -> Actor:
    """The actor of a TAXII request (a FastAPI dependency): the user of its Basic credentials, checked, throttled and
    audited as a login (kizashi.protect.people.sessions.basic_session); then the client must accept TAXII 2.1 JSON."""
    name, password = _credentials(request.headers.get("authorization", ""))
    active = basic_session(
        workspace(request),
        name,
        password,
        secret=config(request).secret,
        origin=origin(request),
        via=f"taxii: {request.method} {request.url.path}",
    )
    check_accept(request)
    return active.actor


def _credentials(header: str) -> tuple[str, str]:
    scheme, _, encoded = header.strip().partition(" ")
    if scheme.lower() == "basic" and encoded.strip():
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            decoded = ""
        name, colon, password = decoded.partition(":")
        if colon and name:
            return name, password
    raise TaxiiError(401, "login_required", Message("send a user name and password (HTTP Basic authentication)"))


def taxii_error(error: KizashiError) -> Response:
    """A kizashi error as a TAXII error resource, in English (TAXII clients are programs)."""
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, TooManyAttempts) else None
    return error_response(error.status, error_code(error), error.said("en"), headers)


class TaxiiRoute(APIRoute):
    """A route whose refusals and errors, its dependencies' included, are TAXII error resources."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except TaxiiError as error:
                return error_response(error.status, error.code, error.description, error.headers)
            except KizashiError as error:
                return taxii_error(error)
            except RequestValidationError as error:
                first = error.errors()[0] if error.errors() else {}
                where = ".".join(str(part) for part in first.get("loc", ()) if part not in ("query", "path", "body"))
                reason = Message("invalid request: {where} {problem}", where=where, problem=first.get("msg", ""))
                return error_response(400, "invalid_request", reason)

        return answer
