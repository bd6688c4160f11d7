"""Logging in and out of the pages."""

from __future__ import annotations

import re
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kizashi.errors import LoginFailed, TooManyAttempts
from kizashi.protect.people.sessions import log_in, log_out
from kizashi.web.context import (
    LOGIN_NONCE_COOKIE,
    clear_session_cookie,
    config,
    origin,
    safe_next,
    secure_request,
    session_token,
    start_session_cookie,
    workspace,
)
from kizashi.web.deps import check_write, current_session
from kizashi.web.render import render
from kizashi.web.security import login_form_token, login_form_token_ok

router = APIRouter(include_in_schema=False)
NONCE = re.compile(r"[A-Za-z0-9_-]{22}")  # secrets.token_urlsafe(16)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> Response:
    return _login_form(request, safe_next(next))


def _login_form(
    request: Request,
    target: str,
    *,
    status: int = 200,
    error: str | None = None,
    name: str = "",
    retry_after: int | None = None,
) -> Response:
    # The browser's nonce is kept while its cookie lives, so two tabs' login forms do not void each other. That is
    # safe: the nonce only binds the form's token to this browser, and the token needs the server's secret.
    kept = request.cookies.get(LOGIN_NONCE_COOKIE) or ""
    nonce = kept if NONCE.fullmatch(kept) else secrets.token_urlsafe(16)
    response = render(
        request,
        "login.html.j2",
        status=status,
        next=target,
        error=error,
        name=name,
        retry_after=retry_after,
        login_token=login_form_token(config(request).secret, nonce),
    )
    response.set_cookie(
        LOGIN_NONCE_COOKIE, nonce, httponly=True, samesite="strict", secure=secure_request(request), max_age=3600
    )
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


@router.post("/login")
def login_submit(
    request: Request,
    name: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    login_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    target = safe_next(next)
    if not login_form_token_ok(config(request).secret, request.cookies.get(LOGIN_NONCE_COOKIE), login_token):
        return _login_form(request, target, status=403, error="csrf_failed", name=name)
    try:
        token, _csrf = log_in(
            workspace(request),
            name.strip(),
            password,
            origin=origin(request),
            user_agent=request.headers.get("user-agent"),
        )
    except TooManyAttempts as refused:
        return _login_form(request, target, status=429, error="too_many", name=name, retry_after=refused.retry_after)
    except LoginFailed:
        return _login_form(request, target, status=401, error="login_failed", name=name)
    response = RedirectResponse(target, status_code=303)
    start_session_cookie(request, response, token)
    response.delete_cookie(LOGIN_NONCE_COOKIE, httponly=True, samesite="strict", secure=secure_request(request))
    return response


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    response = RedirectResponse("/login", status_code=303)
    if current_session(request) is not None:
        check_write(request, csrf_token)
        token = session_token(request)
        if token:
            log_out(workspace(request), token, origin=origin(request))
    # Already over (expired, or ended elsewhere): nothing to end, and no reason to come back here after login.
    clear_session_cookie(request, response)
    return response
