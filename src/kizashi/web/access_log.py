"""The server's access log: one line per request on the logger `kizashi.access`.

A line holds the time (UTC), the method, the path, the status, the duration in milliseconds and the user the request
acted as ('-' for nobody). Never the query string (a search may name a person or a company), never a header, cookie
or token: uvicorn's own access log prints query strings, so `kizashi serve` turns it off and logs this one instead.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

ACCESS_LOGGER = "kizashi.access"
log = logging.getLogger(ACCESS_LOGGER)

# Characters a path may show as they are; anything else (a space, a newline, a quote) is percent-encoded, so a
# crafted path can neither forge a second line nor break a field apart.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


class AccessLog:
    """Outermost of the app's middleware: it sees every request, including those refused before any route. A request
    whose handler raises is logged with 500, the answer the server error handler outside it then sends."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not log.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            _log_request(scope, status, (time.perf_counter() - started) * 1000)


def _log_request(scope: Scope, status: int, milliseconds: float) -> None:
    method = str(scope.get("method", "-"))
    path = quote(str(scope.get("path", "")), safe=_PATH_SAFE)
    user = _user(scope)
    log.info(
        "%s %s %d %.1fms %s",
        method,
        path,
        status,
        milliseconds,
        user,
        extra={"method": method, "path": path, "status": status, "duration_ms": milliseconds, "user": user},
    )


def _user(scope: Scope) -> str:
    """The user the request acted as: the login the app resumed for it (kizashi.web.deps keeps it in the request's
    state). A request that never looked (a static file, a page refused before its route) is logged as '-'."""
    session = scope.get("state", {}).get("session")
    name = getattr(session, "user", None)
    return quote(name, safe="@.-_") if name else "-"


class UtcFormatter(logging.Formatter):
    """`2026-12-07T12:34:56.789Z GET /needs 200 12.3ms ana`: ISO 8601 in UTC, whatever the server's time zone."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(message)s")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def configure_access_log(target: str) -> None:
    """`off`: no access log; `-`: standard error; anything else: a file, appended to. The file is created readable by
    its owner only (it names users and records) and reopened when log rotation moves it away."""
    for old in list(log.handlers):
        log.removeHandler(old)
        old.close()
    log.propagate = False
    if target == "off":
        log.setLevel(logging.CRITICAL + 1)
        return
    handler: logging.Handler
    if target == "-":
        handler = logging.StreamHandler(sys.stderr)
    else:
        path = Path(target).expanduser()
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        handler = logging.handlers.WatchedFileHandler(path, encoding="utf-8")
    handler.setFormatter(UtcFormatter())
    log.addHandler(handler)
    log.setLevel(logging.INFO)
