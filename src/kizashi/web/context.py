"""What a request carries: the app's configuration, its cookies and bearer token, its language, and the errors that
end it. Pages and API share these; the actor of a request is kizashi.web.deps'."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from fastapi.templating import Jinja2Templates

from kizashi.protect.people.sessions import log_out
from kizashi.store.workspace import Workspace
from kizashi.web.i18n import DEFAULT_LANGUAGE, LANGUAGES

SESSION_COOKIE = "kizashi_session"
LOGIN_NONCE_COOKIE = "kizashi_login"
LANG_COOKIE = "kizashi_lang"
CSRF_HEADER = "X-CSRF-Token"
TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


@dataclass(frozen=True)
class WebConfig:
    workspace: Workspace
    secret: str
    secure_cookies: bool
    templates: Jinja2Templates

    @property
    def session_cookie(self) -> str:
        # The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only and for path /.
        return f"__Host-{SESSION_COOKIE}" if self.secure_cookies else SESSION_COOKIE


def config(request: Request) -> WebConfig:
    return request.app.state.kizashi  # type: ignore[no-any-return]


def workspace(request: Request) -> Workspace:
    return config(request).workspace


def secure_request(request: Request) -> bool:
    """Cookies are Secure in server mode, and whenever the request came over HTTPS (uvicorn takes the scheme from a
    trusted proxy's X-Forwarded-Proto), so a local proxy in front of a loopback server does not lose the flag."""
    return config(request).secure_cookies or request.url.scheme == "https"


def start_session_cookie(request: Request, response: Response, token: str) -> None:
    """Set the session cookie, first ending the session an old cookie of this browser still names."""
    old = request.cookies.get(config(request).session_cookie)
    if old:
        log_out(workspace(request), old, origin=origin(request))
    response.set_cookie(
        config(request).session_cookie, token, httponly=True, samesite="lax", secure=secure_request(request), path="/"
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    # Browsers ignore a deletion of a Secure (or __Host-) cookie unless the deletion carries the same flags.
    response.delete_cookie(
        config(request).session_cookie, path="/", secure=secure_request(request), httponly=True, samesite="lax"
    )


def origin(request: Request) -> str | None:
    return request.client.host if request.client else None


def session_token(request: Request) -> str | None:
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip() or None
    return request.cookies.get(config(request).session_cookie)


def language(request: Request) -> str:
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return asked if asked in LANGUAGES else DEFAULT_LANGUAGE


def error_code(error: Exception) -> str:
    """`NotFound` → `not_found`: the error's class, as the API's machine-readable code."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(error).__name__).lower()


def safe_next(target: str | None) -> str:
    """Where to go after login: only a path on this site (no `//host`, no scheme), else the dashboard."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def error_body(status: int, code: str, message: str) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message}}
