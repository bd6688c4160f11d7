"""The partner screening page: one name (with country and type), or a batch file of names, against the newest
version of each list loaded in the workspace; the versions in use; each match with its explanation and, for
officers, a decision form.

Any logged-in user may screen (the lists are public); decisions are shown to those who may read them (INTERNAL),
and only those with `screening.decide` may make them. Everything goes through protect/screening/store.py, so the
page, the CLI, the API and the risk card screen alike and each run is audited there.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from kizashi.errors import InputError
from kizashi.files.limits import Limits, over
from kizashi.files.tabular import suffix_of
from kizashi.policy import Actor, allowed
from kizashi.protect.screening.entries import ENTRY_TYPES, entry_type
from kizashi.protect.screening.score import explanation_text
from kizashi.protect.screening.screen import Party, read_parties
from kizashi.protect.screening.store import DECISION_LABEL, DECISIONS, decide, list_versions, screen, status_of
from kizashi.web.context import workspace
from kizashi.web.deps import ActorDep, checked_form
from kizashi.web.render import render

router = APIRouter(include_in_schema=False)
UPLOAD_SUFFIXES = (".csv", ".xlsx", ".jsonl")
MAX_NAMES = 5_000


@router.get("/screening", response_class=HTMLResponse)
def screening_page(
    request: Request,
    actor: ActorDep,
    name: Annotated[str, Query(max_length=500)] = "",
    country: Annotated[str, Query(max_length=100)] = "",
    kind: Annotated[str, Query(alias="type", max_length=50)] = "",
) -> Response:

    form = {"name": name.strip(), "country": country.strip(), "type": kind.strip()}
    if not form["name"]:
        return _page(request, actor, form=form)
    try:
        party = Party("1", form["name"], form["country"] or None, entry_type(form["type"]))
    except ValueError as error:
        return _page(request, actor, form=form, error=InputError(str(error), field="type"))
    return _page(request, actor, form=form, parties=[party])


@router.post("/screening/batch", response_class=HTMLResponse)
async def screening_batch(request: Request) -> Response:
    active, form = await checked_form(request)
    upload = form.get("file")
    empty = {"name": "", "country": "", "type": ""}
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InputError("choose a file of names (CSV, XLSX or JSON lines with id, name)", field="file")
        shown = Path(str(upload.filename)).name
        content = await _upload_content(upload, shown)
    except InputError as error:
        return _page(request, active, form=empty, error=error)
    # Parsing a workbook and screening thousands of names is CPU work: in a worker thread, under the same input
    # limits, the event loop goes on answering every other request meanwhile.
    return await run_in_threadpool(_batch_page, request, active, shown, content)


async def _upload_content(upload: UploadFile, shown: str) -> bytes:
    if suffix_of(Path(shown)) not in UPLOAD_SUFFIXES:
        raise InputError(f"give a {', '.join(UPLOAD_SUFFIXES)} file", file=shown, field="file")
    limits = Limits.current()
    content = await upload.read(limits.upload_bytes + 1)
    if len(content) > limits.upload_bytes:
        raise over(limits, "upload_bytes", shown, "the file", field="file")
    return content


def _batch_page(request: Request, active: Actor, shown: str, content: bytes) -> Response:
    empty = {"name": "", "country": "", "type": ""}
    try:
        parties = _read_upload(shown, content)
    except InputError as error:
        return _page(request, active, form=empty, error=error)
    return _page(request, active, form=empty, parties=parties, batch=shown)


def _read_upload(shown: str, content: bytes) -> list[Party]:
    suffix = suffix_of(Path(shown))
    with tempfile.TemporaryDirectory(prefix="kizashi-screening-") as folder:
        path = Path(folder) / f"names{suffix}"  # never the sender's name: it is not a path to trust
        path.write_bytes(content)
        try:
            parties = read_parties(path, most=MAX_NAMES)
        except InputError as error:  # name the file as the user knows it, not the temporary copy
            location = error.location
            raise type(error)(error.reason, file=shown, row=location.row, field=location.field) from None
    return parties


@router.post("/screening/decide")
async def screening_decide(request: Request) -> Response:
    active, form = await checked_form(request)
    name = str(form.get("name", ""))
    decide(
        workspace(request),
        active,
        name,
        str(form.get("entry_list", "")),
        str(form.get("entry_id", "")),
        str(form.get("decision", "")),
        reason=str(form.get("reason", "")),
    )
    # Back to the name, screened again: the page now shows the decision just made.
    query = {"name": name, "country": str(form.get("country", "")), "type": str(form.get("type", ""))}
    return RedirectResponse("/screening?" + urlencode({k: v for k, v in query.items() if v}), status_code=303)


def _page(
    request: Request,
    active: Actor,
    *,
    form: dict[str, str],
    parties: list[Party] | None = None,
    batch: str | None = None,
    error: InputError | None = None,
) -> Response:
    ws = workspace(request)
    results: list[dict[str, Any]] = []
    versions = list_versions(ws, active, latest_only=True)
    if parties:
        screening = screen(ws, active, parties)
        versions = screening.versions
        for party, row in zip(parties, screening.rows, strict=True):
            matches = [{**match, "why": explanation_text(match["explanation"])} for match in row["matches"]]
            results.append(
                {
                    "id": row["id"],
                    "name": row["name"],
                    "country": party.country or "",
                    "type": party.type or "",
                    "status": status_of(matches) if versions else "not_screened",
                    "matches": matches,
                }
            )
    shows_decisions = any(match["decision"] for row in results for match in row["matches"])
    return render(
        request,
        "screening.html.j2",
        status=error.status if error else 200,
        form=form,
        types=ENTRY_TYPES,
        results=results,
        screened=parties is not None,
        batch=batch,
        versions=versions,
        error=error,
        officer=allowed(active, "screening.decide"),
        decisions=DECISIONS,
        page_label=DECISION_LABEL if shows_decisions else None,
    )
