"""Requests bounded before they are read: a body over the upload limit is refused with 413 as soon as its
Content-Length says so, or once that many bytes have arrived (chunked), instead of being spooled to disk first; a
query string over MAX_QUERY_CHARS is refused with 414 before any page or API route sees it.

The HTTP server must let such a query through to the app at all: uvicorn's h11 parser refuses a request head over
16 KiB that arrives in more than one piece with a bare "Invalid HTTP request received." (3,000 kanji are 27 KB once
percent-encoded), so `kizashi serve` raises that bound to MAX_REQUEST_HEAD_BYTES."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import unquote_to_bytes

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kizashi import messages
from kizashi.files.limits import Limits, TooLarge, over, size

# Room for a form's other fields and the multipart framing around an upload of the largest allowed size.
FORM_ROOM = 1024 * 1024
# Characters of a decoded query string (names, values and separators): above every route's own bound on a single
# parameter (2,000 for a technology described in words), well below what a person types into a search box.
MAX_QUERY_CHARS = 2_500
# A request line and headers the server reads whole: the longest query allowed, percent-encoded (up to 12 bytes a
# character), plus cookies and headers, with room; an over-long query then gets the app's own 414 page.
MAX_REQUEST_HEAD_BYTES = 64 * 1024


class BodyLimit:
    """`refuse` answers a declared body that is too large, as the app answers any error (HTML or JSON); a chunked
    body is cut off with the same error raised in the route that reads it."""

    def __init__(self, app: ASGIApp, refuse: Callable[[Request, TooLarge], Awaitable[Response]]) -> None:
        self.app = app
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limits = Limits.current()
        limit = limits.upload_bytes + FORM_ROOM
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            response = await self.refuse(Request(scope), _too_large(limits))
            await response(scope, receive, send)
            return
        received = 0

        async def bounded_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _too_large(limits)
            return message

        await self.app(scope, bounded_receive, send)


def _too_large(limits: Limits) -> TooLarge:
    what = messages.Message("the request (beyond {room} for the form's other fields)", room=size(FORM_ROOM))
    return over(limits, "upload_bytes", None, what)


class QueryLimit:
    """`refuse` answers a request whose query string decodes to more than MAX_QUERY_CHARS characters, as the app
    answers any error: the page's own error page in the user's language, or JSON on the API."""

    def __init__(self, app: ASGIApp, refuse: Callable[[Request, int], Awaitable[Response]]) -> None:
        self.app = app
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and query_chars(scope.get("query_string", b"")) > MAX_QUERY_CHARS:
            response = await self.refuse(Request(scope), MAX_QUERY_CHARS)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def query_chars(query: bytes | str) -> int:
    """The length of a query string as its writer typed it: percent-escapes and '+' decoded, UTF-8 read as text, so a
    kanji counts as one character whether it came as 9 bytes of escapes or as 3 raw bytes."""
    raw = query.encode("utf-8") if isinstance(query, str) else query
    return len(unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8", "replace"))
