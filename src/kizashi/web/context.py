"""What a request carries: the app's configuration, the session behind its cookie or bearer token, its language,
and the errors that end it. Pages and API share these, so both see the same user and the same policy."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from kizashi.errors import CsrfFailed, LoginRequired
from kizashi.protect import audit
from kizashi.protect.login import ActiveSession, log_out, resume, same_token
from kizashi.protect.policy import Clearance
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


def current_session(request: Request) -> ActiveSession | None:
    if not hasattr(request.state, "session"):
        request.state.session = resume(workspace(request), session_token(request))
    return request.state.session  # type: ignore[no-any-return]


def require_session(request: Request) -> ActiveSession:
    active = current_session(request)
    if active is None:
        raise LoginRequired("log in first")
    return active


def require_clearance(request: Request) -> Clearance:
    return require_session(request).clearance


def check_csrf(request: Request, active: ActiveSession, token: str | None) -> None:
    """Unsafe requests carry the session's CSRF token (form field or header); a bearer-token client is exempt,
    since browsers never send that header on their own."""
    if request.headers.get("authorization", "").lower().startswith("bearer "):
        return
    if not same_token(token or request.headers.get(CSRF_HEADER), active.csrf_token):
        raise CsrfFailed("missing or wrong CSRF token; reload the page")


async def checked_form(request: Request) -> tuple[ActiveSession, FormData]:
    """The logged-in session and the form it posted, its CSRF token checked: how every form post begins."""
    active = require_session(request)
    form = await request.form()
    check_csrf(request, active, str(form.get("csrf_token", "")))
    return active, form


def audit_denial(request: Request, code: str) -> None:
    """A refused or fruitless request by a logged-in user is a decision worth keeping: probing for records one may
    not read leaves a trace. A missing and a hidden record are written alike, so the trail does not tell them apart
    to anyone timing the answer either."""
    active = current_session(request)
    if active is not None:
        audit.record(
            workspace(request),
            active.user,
            "denied",
            detail={"method": request.method, "path": request.url.path, "code": code},
            origin=origin(request),
        )


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
