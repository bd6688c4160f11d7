"""The roadmap pages (issue 17): the stored roadmaps the reader may read; one roadmap drawn (grow/roadmap_render.py)
with its items and revisions; its items edited as a table and saved as the next revision; a YAML or XLSX file
uploaded (parsed in a worker thread, off the event loop); the document downloaded as YAML or XLSX.

Everything goes through grow/roadmaps.py as the request's actor: a hidden roadmap is the same 404 as a missing one,
a save with errors stores nothing and the page shows each finding, in the reader's language, beside the items it
names. Forms carry the CSRF token like every other form.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from kizashi.errors import InputError
from kizashi.grow.critical_path import critical_path
from kizashi.grow.roadmap_checks import Finding
from kizashi.grow.roadmap_export import to_xlsx, to_yaml
from kizashi.grow.roadmap_model import BARRIER_KINDS, BARRIER_WORDS, LANE_WORDS, LANES, read_roadmap
from kizashi.grow.roadmap_model import Roadmap as RoadmapDocument
from kizashi.grow.roadmap_render import column_headings, svg, table_rows
from kizashi.grow.roadmaps import (
    RoadmapInvalid,
    get_roadmap,
    list_roadmaps,
    roadmap_of,
    roadmap_revisions,
    save_roadmap,
)
from kizashi.messages import said
from kizashi.policy import LEVELS, Actor, Label, allowed
from kizashi.store.service import Delivery
from kizashi.web.context import language, workspace
from kizashi.web.deps import ActorDep, checked_form
from kizashi.web.render import render
from kizashi.web.uploads import uploaded_file

router = APIRouter(include_in_schema=False)
UPLOAD_SUFFIXES = (".yaml", ".yml", ".xlsx")
# The columns of the editable table, in order; `trl_from`/`trl_to` are the item's `trl`, `depends_on` "T1, T2".
EDIT_COLUMNS = (
    "id",
    "lane",
    "title_ja",
    "title_en",
    "start",
    "end",
    "trl_from",
    "trl_to",
    "depends_on",
    "owner",
    "kind",
)
MAX_ROWS = 500
VIEW_COLUMNS = ("id", "lane", "title_ja", "title_en", "start", "end", "months", "trl", "depends_on", "owner", "kind")


def _page_label(rows: Sequence[Mapping[str, Any]]) -> Label | None:
    labels = [Label(row["level"], frozenset(row["compartments"] or ())) for row in rows]
    return Label.highest(labels) if labels else None


def _title(row: Mapping[str, Any], lang: str) -> str:
    first, second = (row.get("title_en"), row.get("title_ja")) if lang == "en" else (row["title_ja"], row["title_en"])
    return str(first or second or row["id"])


@router.get("/roadmaps", response_class=HTMLResponse)
def roadmaps_page(request: Request, actor: ActorDep) -> Response:
    return _list_page(request, actor)


def _list_page(
    request: Request,
    actor: Actor,
    *,
    error: InputError | None = None,
    findings: Sequence[Finding] = (),
    status: int = 200,
) -> Response:
    rows = list_roadmaps(workspace(request), actor)
    lang = language(request)
    return render(
        request,
        "roadmap_index.html.j2",
        status=status,
        rows=[{**row, "shown_title": _title(row, lang)} for row in rows],
        can_write=allowed(actor, "programme.manage"),
        suffixes=UPLOAD_SUFFIXES,
        error=error,
        findings=[said(f.message, lang) for f in findings],
        page_label=_page_label(rows),
    )


@router.get("/roadmaps/{roadmap_id}", response_class=HTMLResponse)
def roadmap_page(request: Request, actor: ActorDep, roadmap_id: str, saved: int | None = None) -> Response:
    ws = workspace(request)
    found = get_roadmap(ws, actor, roadmap_id)
    revisions = roadmap_revisions(ws, actor, roadmap_id)
    roadmap = roadmap_of(found["body"])
    lang = language(request)
    path = critical_path(roadmap)
    headings = column_headings(lang)
    return render(
        request,
        "roadmap_view.html.j2",
        r=found,
        title=_title(found, lang),
        drawing=svg(roadmap, path, lang),
        columns=[(key, headings[key]) for key in VIEW_COLUMNS],
        items=table_rows(roadmap, path, lang),
        critical=set(path.path),
        revisions=list(reversed(revisions)),
        saved=saved,
        can_write=allowed(actor, "programme.manage"),
        page_label=_page_label([found, *revisions]),
    )


# ── editing ─────────────────────────────────────────────────────────────────────────────────────────────────────


def _rows_of(body: Mapping[str, Any]) -> list[dict[str, str]]:
    """The document's items as the form's rows (text cells; `was` keeps the id the row had, for its other fields)."""
    rows = []
    for item in body.get("items", []):
        trl = item.get("trl") or {}
        rows.append(
            {
                "was": str(item["id"]),
                "id": str(item["id"]),
                "lane": str(item.get("lane", "")),
                "title_ja": str(item.get("title_ja") or ""),
                "title_en": str(item.get("title_en") or ""),
                "start": str(item.get("start", "")),
                "end": str(item.get("end", "")),
                "trl_from": str(trl.get("from", "")),
                "trl_to": str(trl.get("to", "")),
                "depends_on": ", ".join(item.get("depends_on") or []),
                "owner": str(item.get("owner") or ""),
                "kind": str(item.get("kind") or ""),
            }
        )
    return rows


def _blank() -> dict[str, str]:
    return {"was": "", **{column: "" for column in EDIT_COLUMNS}}


def _form_rows(form: FormData) -> list[dict[str, str]]:
    """The rows as posted (`item-N-column`), in order."""
    try:
        count = min(int(str(form.get("rows", "0"))), MAX_ROWS)
    except ValueError:
        count = 0
    rows = []
    for n in range(count):
        rows.append({key: str(form.get(f"item-{n}-{key}", "")).strip() for key in ("was", *EDIT_COLUMNS)})
    return rows


def _fields(form: FormData) -> dict[str, str]:
    return {key: str(form.get(key, "")).strip() for key in ("title_ja", "title_en", "goal", "level", "compartments")}


def _document(
    roadmap_id: str, fields: Mapping[str, str], rows: Sequence[Mapping[str, str]], stored: Mapping[str, Any]
) -> dict[str, Any]:
    """The document the form describes; fields the table does not show (MRL, where an item came from) kept from the
    stored item the row was; empty rows left out."""
    before = {str(item["id"]): item for item in stored.get("items", [])}
    items = []
    for row in rows:
        if not any(row[column] for column in EDIT_COLUMNS):
            continue
        item: dict[str, Any] = {
            key: value for key, value in before.get(row["was"], {}).items() if key in ("mrl", "source")
        }
        for key in ("id", "lane", "title_ja", "title_en", "start", "end", "owner", "kind"):
            if row[key]:
                item[key] = row[key]
        if row["trl_from"] or row["trl_to"]:
            item["trl"] = {"from": row["trl_from"] or None, "to": row["trl_to"] or None}
        if row["depends_on"]:
            item["depends_on"] = row["depends_on"]
        items.append(item)
    body: dict[str, Any] = {"id": roadmap_id, "items": items}
    for key in ("title_ja", "title_en", "goal"):
        if fields[key]:
            body[key] = fields[key]
    if fields["level"]:
        compartments = ", ".join(c.strip() for c in fields["compartments"].split(",") if c.strip())
        body["label"] = f"{fields['level']} [{compartments}]" if compartments else fields["level"]
    return body


def _edit_page(
    request: Request,
    actor: Actor,
    found: Mapping[str, Any],
    fields: Mapping[str, str],
    rows: Sequence[Mapping[str, str]],
    *,
    error: InputError | None = None,
    error_row: int | None = None,
    findings: Sequence[Finding] = (),
    status: int = 200,
) -> Response:
    lang = language(request)
    by_item: dict[str, list[str]] = {}
    for finding in findings:
        for item in finding.items:
            by_item.setdefault(item, []).append(said(finding.message, lang))
    return render(
        request,
        "roadmap_edit.html.j2",
        status=status,
        r=found,
        title=_title(found, lang),
        fields=fields,
        rows=rows,
        columns=EDIT_COLUMNS,
        lanes=[(lane, LANE_WORDS[lane].said(lang)) for lane in LANES],
        kinds=[(kind, BARRIER_WORDS[kind].said(lang)) for kind in BARRIER_KINDS],
        levels=LEVELS,
        error=error,
        error_row=error_row,
        findings=[(f.severity, said(f.message, lang), f.items) for f in findings],
        by_item=by_item,
        page_label=_page_label([found]),
    )


def _stored_fields(found: Mapping[str, Any]) -> dict[str, str]:
    body = found["body"]
    label = Label(found["level"], frozenset(found["compartments"] or ()))
    return {
        "title_ja": str(body.get("title_ja") or ""),
        "title_en": str(body.get("title_en") or ""),
        "goal": str(body.get("goal") or ""),
        "level": label.level,
        "compartments": ", ".join(sorted(label.compartments)),
    }


@router.get("/roadmaps/{roadmap_id}/edit", response_class=HTMLResponse)
def roadmap_edit(request: Request, actor: ActorDep, roadmap_id: str) -> Response:
    found = get_roadmap(workspace(request), actor, roadmap_id)
    return _edit_page(request, actor, found, _stored_fields(found), [*_rows_of(found["body"]), _blank()])


@router.post("/roadmaps/{roadmap_id}/edit", response_class=HTMLResponse)
async def roadmap_save(request: Request, roadmap_id: str) -> Response:
    active, form = await checked_form(request)
    return await run_in_threadpool(_save, request, active, roadmap_id, form)


def _save(request: Request, active: Actor, roadmap_id: str, form: FormData) -> Response:
    ws = workspace(request)
    found = get_roadmap(ws, active, roadmap_id)  # a hidden roadmap is a 404 before anything is read of the form
    fields, rows = _fields(form), _form_rows(form)
    if form.get("add_row"):
        return _edit_page(request, active, found, fields, [*rows, _blank()])
    try:
        base = int(str(form.get("revision", "")))
    except ValueError:
        base = None
    body = _document(roadmap_id, fields, rows, found["body"])
    try:
        roadmap = _validated(body, rows)
        saved = save_roadmap(ws, active, roadmap, str(form.get("note", "")), base_revision=base)
    except RoadmapInvalid as refusal:
        return _edit_page(request, active, found, fields, rows, findings=refusal.findings, status=400)
    except InputError as error:
        return _edit_page(request, active, found, fields, rows, error=error, error_row=error.location.row, status=400)
    return RedirectResponse(f"/roadmaps/{quote(roadmap_id)}?saved={saved.revision}", status_code=303)


def _validated(body: dict[str, Any], rows: Sequence[Mapping[str, str]]) -> RoadmapDocument:
    """The form's document checked by the format (roadmap_model.py), an error naming the table's row (1-based)."""
    from kizashi.grow.roadmap_model import _validated as checked

    kept = [n for n, row in enumerate(rows) if any(row[column] for column in EDIT_COLUMNS)]
    return checked(Path("roadmap"), body, lambda index: kept[index] + 1 if index < len(kept) else None)


# ── files in and out ───────────────────────────────────────────────────────────────────────────────────────────


@router.post("/roadmaps", response_class=HTMLResponse)
async def roadmap_upload(request: Request) -> Response:
    """Store an uploaded roadmap file as a new roadmap or the next revision of the stored one with its id."""
    active, form = await checked_form(request)
    try:
        shown, content = await uploaded_file(form, UPLOAD_SUFFIXES)
    except InputError as error:
        return await run_in_threadpool(_list_page, request, active, error=error, status=400)
    # Reading a workbook and checking the roadmap is CPU work: in a worker thread, the event loop answers others.
    return await run_in_threadpool(_store_upload, request, active, shown, content, str(form.get("note", "")))


def _store_upload(request: Request, active: Actor, shown: str, content: bytes, note: str) -> Response:
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / shown
            path.write_bytes(content)
            try:
                roadmap = read_roadmap(path)
            except InputError as error:  # named by the name the reader gave, not the temporary folder's
                raise InputError(error.reason, file=shown, row=error.location.row, field=error.location.field) from None
        saved = save_roadmap(workspace(request), active, roadmap, note)
    except RoadmapInvalid as refusal:
        return _list_page(request, active, error=refusal, findings=refusal.findings, status=400)
    except InputError as error:
        return _list_page(request, active, error=error, status=400)
    return RedirectResponse(f"/roadmaps/{quote(saved.id)}?saved={saved.revision}", status_code=303)


@router.get("/roadmaps/{roadmap_id}/download.yaml", response_class=Response)
def roadmap_yaml(request: Request, actor: ActorDep, roadmap_id: str) -> Response:
    name = f"{roadmap_id}.yaml"
    found = get_roadmap(workspace(request), actor, roadmap_id, delivery=Delivery(name, "yaml"))
    return Response(to_yaml(found["body"]).encode("utf-8"), media_type="application/yaml", headers=_attachment(name))


@router.get("/roadmaps/{roadmap_id}/download.xlsx", response_class=Response)
def roadmap_xlsx(request: Request, actor: ActorDep, roadmap_id: str) -> Response:
    name = f"{roadmap_id}.xlsx"
    found = get_roadmap(workspace(request), actor, roadmap_id, delivery=Delivery(name, "xlsx"))
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(to_xlsx(found["body"]), media_type=media, headers=_attachment(name))


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
