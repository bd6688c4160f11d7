"""Request bodies bounded before they are read: a body over the upload limit is refused with 413 as soon as its
Content-Length says so, or once that many bytes have arrived (chunked), instead of being spooled to disk first."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kizashi.files.limits import Limits, TooLarge, over, size

# Room for a form's other fields and the multipart framing around an upload of the largest allowed size.
FORM_ROOM = 1024 * 1024


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
    return over(limits, "upload_bytes", None, f"the request (beyond {size(FORM_ROOM)} for the form's other fields)")
