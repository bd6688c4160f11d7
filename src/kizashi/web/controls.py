"""The export-control classification page of a record (該非判定, /controls/{kind}/{id}): the candidate control items
with their evidence, the latest decision and, for officers, the form that records one.

The record is read as the session's user (a hidden record is a 404 worded like a missing one); the candidates come
from the bundled lists' classifier, indexed once per process; a decision is protect/controls/decisions.py's
(officers only, append-only, audited), so a forged post by anyone else is refused there, not here.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kizashi.errors import NotFound
from kizashi.know.match import Statement
from kizashi.protect import audit
from kizashi.protect.clearances import OFFICERS
from kizashi.protect.controls.classify import bundled_classifier
from kizashi.protect.controls.decisions import DECISIONS, ITEM_KINDS, decide, latest_decisions
from kizashi.protect.controls.lists import BUNDLED
from kizashi.protect.policy import Label
from kizashi.store.records import get_record
from kizashi.web.context import checked_form, origin, require_session, workspace
from kizashi.web.render import render

router = APIRouter(include_in_schema=False)

CANDIDATES = 8


def _kind(kind: str) -> str:
    if kind not in ITEM_KINDS:
        raise NotFound("no such page")
    return kind


def technology_statement(kind: str, record: dict[str, Any]) -> Statement:
    """What a record is classified as: a seed's title and description, a work's title and abstract, a taxonomy
    entry's names, synonyms and descriptions in both languages (the lists are in Japanese and in English)."""
    if kind == "technologies":
        names = [record.get("name_ja") or "", record.get("name_en") or ""]
        words = [*(record.get("synonyms_ja") or []), *(record.get("synonyms_en") or [])]
        text = "\n".join(p for p in [record.get("description_ja"), record.get("description_en"), *words] if p)
        return Statement(record["id"], " / ".join(n for n in names if n), text, None)
    text = record.get("description") or record.get("abstract") or ""
    return Statement(record["id"], record.get("title") or "", text, record.get("lang") or record.get("language"))


@router.get("/controls/{kind}/{record_id:path}", response_class=HTMLResponse)
def controls_page(request: Request, kind: str, record_id: str) -> Response:
    active = require_session(request)
    ws = workspace(request)
    kind = _kind(kind)
    record = get_record(ws, kind, record_id, active.clearance)
    statement = technology_statement(kind, record)
    candidates = bundled_classifier().classify(statement, CANDIDATES)
    latest = next((row for row in latest_decisions(ws, active.user, record_id) if row["item_kind"] == kind), None)
    audit.record(
        ws,
        active.user,
        "read",
        records=[record_id],
        detail={"page": "control classification", "kind": kind, "candidates": len(candidates)},
        origin=origin(request),
    )
    return render(
        request,
        "controls.html.j2",
        kind=kind,
        record=record,
        title=statement.title or record_id,
        candidates=candidates,
        latest=latest,
        can_decide=bool(active.roles & OFFICERS),
        decisions=DECISIONS,
        lists=BUNDLED,
        page_label=Label.highest([Label.of(record), *([Label.of(latest)] if latest else [])]),
    )


@router.post("/controls/{kind}/{record_id:path}")
async def controls_decide(request: Request, kind: str, record_id: str) -> Response:
    active, form = await checked_form(request)
    decide(
        workspace(request),
        active.user,
        record_id,
        str(form.get("decision", "")),
        reason=str(form.get("reason", "")),
        control_list=str(form.get("list", "")) or None,
        code=str(form.get("code", "")) or None,
        kind=_kind(kind),
        origin=origin(request),
    )
    return RedirectResponse(f"/controls/{kind}/{quote(record_id)}", status_code=303)
