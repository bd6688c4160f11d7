"""The app factory: one FastAPI app serving the pages, the JSON API and the static files, all behind one login."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from kizashi import __version__
from kizashi.errors import KizashiError, LoginRequired, StoreBusy, TooManyAttempts
from kizashi.messages import Message
from kizashi.policy import allowed
from kizashi.store.workspace import Workspace
from kizashi.web import api, taxii
from kizashi.web.access_log import AccessLog
from kizashi.web.body_limit import MAX_QUERY_CHARS, BodyLimit, QueryLimit, query_chars
from kizashi.web.context import STATIC, TEMPLATES, WebConfig, error_body, error_code, language, session_token
from kizashi.web.i18n import translate
from kizashi.web.pages import ROUTERS
from kizashi.web.render import render
from kizashi.web.security import HEADERS
from kizashi.web.taxii.door import taxii_error
from kizashi.web.taxii.protocol import error_response as taxii_error_response
from kizashi.web.taxii.protocol import is_taxii

log = logging.getLogger("kizashi.web")


def create_app(workspace: Workspace, *, secret: str, secure_cookies: bool = False) -> FastAPI:
    app = FastAPI(
        title="kizashi API",
        version=__version__,
        description="Records of a think tank on science, technology and innovation for safety and security. "
        "Log in with POST /api/session; every read goes through the access policy, and a record you may not "
        "read answers exactly like one that does not exist.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # Swagger UI and ReDoc load from a CDN; /api/docs is rendered here instead
        redoc_url=None,
    )
    # Starlette's default autoescapes .html only; the templates are .html.j2, so without this nothing is escaped.
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    environment.globals["allowed"] = allowed  # the menu shows a task only to those who may take it
    app.state.kizashi = WebConfig(workspace, secret, secure_cookies, Jinja2Templates(env=environment))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        # Before the page routers: `/{kind}` would answer it 404. Browsers ask for it on every page that names none
        # (the JSON API, a PDF); the pages name /static/favicon.svg.
        return FileResponse(STATIC / "favicon.ico", media_type="image/x-icon", headers=STATIC_CACHE)

    app.include_router(api.router)
    app.include_router(taxii.router)  # before the pages: `/{kind}` would take /taxii2
    for router in ROUTERS:
        app.include_router(router)

    # Added first, so innermost: the error it raises in a route that reads a chunked body reaches the handlers.
    app.add_middleware(BodyLimit, refuse=_kizashi_error)
    app.add_middleware(QueryLimit, refuse=_query_too_long)

    @app.middleware("http")
    async def anonymous_api_calls(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        # Without any token, an API call is answered 401 before its input is validated: a stranger learns nothing
        # about the operation's parameters from a 422. (A token that turns out invalid is refused by the route.)
        if _is_api(request) and not _open_to_anyone(request) and session_token(request) is None:
            return await _kizashi_error(request, LoginRequired(Message("log in first")))
        return await call_next(request)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in HEADERS.items():
            if name == "Cache-Control" and request.url.path.startswith("/static/"):
                continue
            response.headers.setdefault(name, value)
        return response

    app.add_exception_handler(KizashiError, _kizashi_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected_error)
    # Added last, so outermost: every request is logged, the ones refused by the middleware above too.
    app.add_middleware(AccessLog)
    return app


STATIC_CACHE = {"Cache-Control": "public, max-age=86400"}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def _open_to_anyone(request: Request) -> bool:
    """The API's doors: logging in, and its description."""
    path = request.url.path
    return (path == "/api/session" and request.method == "POST") or path in ("/api/openapi.json", "/api/docs")


def _error(request: Request, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    response: Response
    if is_taxii(request):  # the TAXII server answers every error as a TAXII error resource (web/taxii)
        response = taxii_error_response(status, code, message, headers)
    elif _is_api(request):
        headers = {**({"WWW-Authenticate": "Bearer"} if status == 401 else {}), **(headers or {})}
        response = JSONResponse(error_body(status, code, message), status_code=status, headers=headers)
    else:
        response = render(request, "error.html.j2", status=status, code=code, message=message)
        response.headers.update(headers or {})
    # A 500 is answered outside the middleware stack: the headers are set here too.
    response.headers.update(HEADERS)
    return response


async def _kizashi_error(request: Request, error: KizashiError) -> Response:
    if is_taxii(request):  # a body over the upload limit, refused before the route (web/taxii answers the rest)
        return taxii_error(error)
    if isinstance(error, LoginRequired) and not _is_api(request):
        return RedirectResponse(_login_url(request), status_code=303)
    # Refusals are in the audit trail already: the service that refused wrote them.
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, TooManyAttempts | StoreBusy) else None
    # The API's clients read English (its codes are what programs test); a page says it in the reader's language.
    message = error.detail if _is_api(request) else error.said(language(request))
    return _error(request, error.status, error_code(error), message, headers)


def _login_url(request: Request) -> str:
    """The login page, to come back here after: with this page's query, unless carrying it (percent-encoded once
    more) would make the login page's own query too long; then the page opens without it after the login."""
    path = request.url.path
    if request.url.query:
        login = f"/login?next={quote(f'{path}?{request.url.query}')}"
        if query_chars(login.partition("?")[2]) <= MAX_QUERY_CHARS:
            return login
    return f"/login?next={quote(path)}"


async def _query_too_long(request: Request, limit: int) -> Response:
    return _error(request, 414, "query_too_long", _too_long_message(request, limit))


def _too_long_message(request: Request, limit: int) -> str:
    """In the user's language on a page; the API's clients read English (its codes are what programs test)."""
    english = _is_api(request) or is_taxii(request)
    return translate("query_too_long", "en" if english else language(request)).format(limit=f"{limit:,}")


async def _http_error(request: Request, error: StarletteHTTPException) -> Response:
    code = {400: "invalid_request", 404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
    return _error(request, error.status_code, code, str(error.detail))


async def _validation_error(request: Request, error: RequestValidationError) -> Response:
    first = error.errors()[0] if error.errors() else {}
    limit = first.get("ctx", {}).get("max_length")
    if first.get("type") == "string_too_long" and first.get("loc", ())[:1] == ("query",) and not _is_api(request):
        # A page's search box: the same words as for a whole query that is too long, with this parameter's limit.
        return _error(request, 422, "query_too_long", _too_long_message(request, int(limit)))
    where = ".".join(str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path"))
    message = f"{where}: {first.get('msg', 'invalid request')}" if where else first.get("msg", "invalid request")
    return _error(request, 422, "invalid_request", message)


async def _unexpected_error(request: Request, error: Exception) -> Response:
    if isinstance(error, OperationalError) and "database is locked" in str(error):
        # SQLite's one writer is an import, and this request's write waited out the busy timeout for it.
        return await _kizashi_error(
            request, StoreBusy(Message("the store is busy with an import; try again in a minute"))
        )
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    unexpected = Message("something went wrong on our side; it has been logged")
    return _error(
        request, 500, "internal_error", unexpected if _is_api(request) else unexpected.said(language(request))
    )
