"""Rendering a page: the template gets the language, the translator, the user and their CSRF token."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse

from kizashi.messages import said
from kizashi.model import RECORD_KINDS
from kizashi.policy import allowed
from kizashi.protect.screening.list_names import list_title
from kizashi.retrieval.strength import judged
from kizashi.web.context import LANG_COOKIE, config, language
from kizashi.web.deps import current_session
from kizashi.web.i18n import LANGUAGES, translate
from kizashi.web.labels import helpers

NAV = list(RECORD_KINDS)
# Everything is stored in UTC and the settings name no display zone: a moment is shown in UTC, and says so.
TIME_FORMAT = "%Y-%m-%d %H:%M UTC"


def when(value: object) -> str:
    """A moment as a reader wants it, the template filter `when`: to the minute, in UTC, named ("2026-12-07 14:01
    UTC"), not Python's "2026-12-07 14:01:02.123456+00:00". Takes a datetime (naive ones are UTC: SQLite hands them
    back so) or its ISO text (services hand some so); a date stays a date; anything else is shown as it is."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return value
        if len(value) <= len("2026-12-07"):  # a day, not a moment
            return value
        value = parsed
    if isinstance(value, datetime):
        moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return moment.strftime(TIME_FORMAT)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


FILTERS = {"when": when}


def render(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    lang = language(request)
    active = current_session(request)
    other = "en" if lang == "ja" else "ja"
    # The switch keeps the page's own query (a search, the login's `next`), only the language changes.
    query = urlencode([*((k, v) for k, v in request.query_params.multi_items() if k != "lang"), ("lang", other)])
    values = {
        "request": request,
        "lang": lang,
        "other_lang": other,
        "lang_url": f"?{query}",  # only the query: a path here could be turned into a link to another site
        "t": lambda key: translate(key, lang),
        "said": lambda value: said(value, lang),  # an error or a service's Message, in the reader's language
        **helpers(lang),
        "list_title": lambda name: list_title(name, lang),
        "judged": judged,
        "session": active.actor if active else None,
        "can_administer": active is not None and allowed(active.actor, "users.read"),
        "csrf_token": active.csrf_token if active else "",
        "nav": NAV,
        **context,
    }
    templates = config(request).templates
    # Every template may use them; registered before the first template is compiled (a filter is looked up then).
    templates.env.filters.update(FILTERS)
    response = templates.TemplateResponse(request, template, values, status_code=status)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response
