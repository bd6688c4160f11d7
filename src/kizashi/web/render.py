"""Rendering a page: the template gets the language, the translator, the user and their CSRF token."""

from __future__ import annotations

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
    response = config(request).templates.TemplateResponse(request, template, values, status_code=status)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response
