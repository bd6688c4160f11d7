"""What TAXII 2.1 says about messages, apart from what they hold: media types, the Accept and Content-Type checks,
and the error resource (OASIS TAXII 2.1, sections 1.6.8, 3.6.1 and 3.1.1)."""

from __future__ import annotations

import uuid
from typing import Any

import orjson
from fastapi import Request
from starlette.responses import Response

from kizashi.messages import Message

TAXII_MEDIA_TYPE = "application/taxii+json;version=2.1"
STIX_MEDIA_TYPE = "application/stix+json;version=2.1"
TAXII_PREFIX = "/taxii2"
REALM = 'Basic realm="kizashi TAXII"'

# Titles of the error resource by status (TAXII's `title` is a human-readable summary; `description` says more).
TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    413: "Request entity too large",
    414: "URI too long",
    415: "Unsupported media type",
    422: "Unprocessable entity",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}


class TaxiiError(Exception):
    """An answer of the TAXII server that is an error resource: the status, a machine-readable code and the
    description, said in English (TAXII clients are programs, as on the JSON API)."""

    def __init__(self, status: int, code: str, description: Message, headers: dict[str, str] | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.code = code
        self.description = description
        self.headers = headers or {}


class TaxiiResponse(Response):
    media_type = TAXII_MEDIA_TYPE

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def is_taxii(request: Request) -> bool:
    path = request.url.path
    return path == TAXII_PREFIX or path.startswith(TAXII_PREFIX + "/")


def error_response(status: int, code: str, description: str, headers: dict[str, str] | None = None) -> Response:
    """The TAXII error resource (section 3.6.1); 401 names the Basic realm."""
    body = {
        "title": TITLES.get(status, "Error"),
        "description": description,
        "error_id": str(uuid.uuid4()),
        "error_code": code,
        "http_status": str(status),
    }
    extra = {"WWW-Authenticate": REALM} if status == 401 else {}
    return TaxiiResponse(body, status_code=status, headers={**extra, **(headers or {})})


def _media_ranges(header: str) -> list[tuple[str, dict[str, str]]]:
    """`type/subtype` and its parameters (lower-case, spaces removed) for each media range of a header."""
    ranges = []
    for part in header.split(","):
        pieces = [piece.strip() for piece in part.split(";")]
        params = {}
        for piece in pieces[1:]:
            key, _, value = piece.partition("=")
            params[key.strip().lower()] = value.strip().strip('"').lower()
        if pieces[0]:
            ranges.append((pieces[0].lower(), params))
    return ranges


def acceptable(accept: str | None) -> bool:
    """Whether a client that sent this Accept header takes TAXII 2.1 JSON: `application/taxii+json` with version 2.1
    or none (the latest, 2.1), or a wildcard; no header at all means anything (HTTP)."""
    if accept is None or not accept.strip():
        return True
    for media, params in _media_ranges(accept):
        if params.get("q") in ("0", "0.0", "0.00", "0.000"):
            continue
        if media in ("*/*", "application/*"):
            return True
        if media == "application/taxii+json" and params.get("version", "2.1") == "2.1":
            return True
    return False


def check_accept(request: Request) -> None:
    if not acceptable(request.headers.get("accept")):
        raise TaxiiError(
            406, "not_acceptable", Message("this server answers {media_type} only", media_type=TAXII_MEDIA_TYPE)
        )


def check_content_type(request: Request) -> None:
    """A POST's body is a TAXII envelope: `application/taxii+json` with version 2.1 or none (section 1.6.8.2)."""
    ranges = _media_ranges(request.headers.get("content-type", ""))
    if len(ranges) != 1 or ranges[0][0] != "application/taxii+json" or ranges[0][1].get("version", "2.1") != "2.1":
        raise TaxiiError(
            415, "unsupported_media_type", Message("the body must be {media_type}", media_type=TAXII_MEDIA_TYPE)
        )
