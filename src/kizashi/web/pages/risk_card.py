"""The risk card page of a project (/risk/{kind}/{id}), and its downloads (?format=pdf|xlsx|html|json); the index
of the projects the reader may read with their cards' status (/risk).

The card is built by protect/risk_card.py as the request's actor: a project they may not read is a 404 like a missing
one, and every section shows only what they may read. The page is a `read`, a download an `export` (with the format),
both written by the card's service.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from kizashi.errors import InputError, NotFound
from kizashi.messages import Message
from kizashi.policy import Label
from kizashi.protect import release
from kizashi.protect.risk_card import INDEX_PAGE, SECTIONS, risk_card, risk_cards
from kizashi.protect.risk_rules import FINDINGS
from kizashi.report.risk_card import FINDING_NAMES, FORMATS, MEDIA_TYPES, NAMES, render, text
from kizashi.store.service import Delivery
from kizashi.web.context import language, workspace
from kizashi.web.deps import ActorDep
from kizashi.web.labels import term, terms
from kizashi.web.pages.review import stuck_lines
from kizashi.web.render import render as render_page

router = APIRouter(include_in_schema=False)


@router.get("/risk", response_class=HTMLResponse)
def risk_index(
    request: Request,
    actor: ActorDep,
    kind: Annotated[str, Query()] = "seeds",
    q: Annotated[str, Query(max_length=500)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """The projects the reader may read, a page at a time, each with its card's status (protect/risk_card.py)."""
    if kind not in release.REVIEWABLE:
        raise NotFound(Message("no such page"))
    rows, total = risk_cards(workspace(request), actor, kind, query=q, offset=(page - 1) * INDEX_PAGE)
    label = Label.highest(row["label"] for row in rows) if rows else None
    return render_page(
        request,
        "risk_index.html.j2",
        rows=rows,
        total=total,
        kind=kind,
        kinds=release.REVIEWABLE,
        q=q,
        page=page,
        pages=max(1, -(-total // INDEX_PAGE)),
        sections=SECTIONS,
        page_label=label,
    )


@router.get("/risk/{kind}/{record_id:path}", response_class=HTMLResponse)
def risk_card_page(
    request: Request,
    actor: ActorDep,
    kind: str,
    record_id: str,
    fmt: Annotated[str | None, Query(alias="format")] = None,
) -> Response:
    if kind not in release.REVIEWABLE:
        raise NotFound(Message("no such page"))
    if fmt is not None and fmt not in FORMATS:
        raise InputError(
            Message("unknown format '{format}'; use one of {choices}", format=fmt, choices=", ".join(FORMATS)),
            field="format",
        )
    # A download leaves as a file: an export (named by format, as the browser names the file).
    delivery = Delivery() if fmt is None else Delivery(f"risk-card.{fmt}", fmt)
    card = risk_card(workspace(request), actor, record_id, kind, delivery=delivery)
    if fmt is not None:
        filename = f"risk-card-{card.project_id}.{fmt}".replace("/", "_")
        return Response(
            render(card, fmt),
            media_type=MEDIA_TYPES[fmt],
            headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename, safe='')}"},
        )
    index = 0 if language(request) == "ja" else 1

    def name_of(key: str) -> str:
        return NAMES.get(key, (key, key))[index]

    def finding_of(key: str) -> str:
        return FINDING_NAMES[key] if index == 0 else FINDINGS[key]

    lang = language(request)
    context: dict[str, Any] = {
        "card": card,
        "name_of": name_of,
        "finding_of": finding_of,
        "text": lambda value, key="": cell(key, value, lang),
        "stuck_lines": lambda items: stuck_lines(items, lang),
    }
    return render_page(request, "risk_card.html.j2", page_label=card.label, **context)


# A fact or column whose values are identifiers (protect/risk_card.py) → the prefix of their words in the message table.
_TERMS = {
    "state": "state",
    "from": "state",
    "to": "state",
    "funding": "funding",
    "action": "review",
    "role": "role",
    "required": "role",
    "waiting": "role",
    "roles": "role",
    "rules": "rule",
    "level": "level",
    "clearance": "level",
    "tlp": "tlp",
    "type": "screening_type",
    "status": "screening_status",
    "categories": "deemed_category",
}
# Facts and columns that map a role to a value: the notice periods and the readers by role.
_BY_ROLE = ("notice_ends", "notice_days", "readers_by_role")


def cell(key: str, value: Any, lang: str) -> str:
    """A fact or cell of the card in the page language: identifiers in words, everything else as the report has it."""
    if value is None or value == "":
        return text(value)
    if key == "decision" and isinstance(value, str):
        return term("controls_decision", value.replace("-", "_"), lang)
    prefix = _TERMS.get(key)
    if prefix is not None and isinstance(value, str):
        return term(prefix, value, lang)
    if prefix is not None and isinstance(value, list | tuple):
        return terms(prefix, value, lang) or text(None)
    if key in _BY_ROLE and isinstance(value, dict):
        return text({term("role", role, lang): days for role, days in value.items()})
    return text(value)
