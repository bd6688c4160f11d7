"""The partner screening page: one name (with country and type), or a batch file of names, against the newest
version of each list loaded in the workspace; the versions in use; each match with its explanation and, for
officers, a decision form; the results as Excel (or CSV) to download. The lists page: every version of every list,
and for officers (`screening.load`) a form to load a list file as `kizashi screen load` takes it.

Any logged-in user may screen (the lists are public); decisions are shown to those who may read them (INTERNAL),
and only those with `screening.decide` may make them. Everything goes through protect/screening/store.py, so the
page, the CLI, the API and the risk card screen alike and each run is audited there.
"""

from __future__ import annotations

import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from kizashi.errors import InputError
from kizashi.files.export import human_rows, write_rows
from kizashi.files.limits import Limits, over
from kizashi.files.tabular import suffix_of
from kizashi.messages import Message
from kizashi.policy import Actor, allowed
from kizashi.protect.screening.entries import ENTRY_TYPES, entry_type, unknown_type
from kizashi.protect.screening.score import explanation_text
from kizashi.protect.screening.screen import Party, read_parties
from kizashi.protect.screening.store import (
    DECISION_LABEL,
    DECISIONS,
    WORKSPACE_TABLE_COLUMNS,
    decide,
    decision_table_rows,
    list_versions,
    load_list,
    screen,
    status_of,
)
from kizashi.store.service import Delivery
from kizashi.web.context import language, workspace
from kizashi.web.deps import ActorDep, checked_form
from kizashi.web.render import render

router = APIRouter(include_in_schema=False)
UPLOAD_SUFFIXES = (".csv", ".xlsx", ".jsonl")
MAX_NAMES = 5_000
# What `kizashi screen load` reads from one file; OFAC's legacy list is three CSV files (sdn/alt/add or
# cons_prim/alt/add), uploaded together and read as the folder `kizashi screen load` takes.
LIST_SUFFIXES = (".xml", ".json", ".jsonl", ".ndjson", ".ftm", ".csv")
MAX_LIST_FILES = 3
DOWNLOAD_FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


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
    except ValueError:
        return _page(request, actor, form=form, error=InputError(unknown_type(form["type"]), field="type"))
    return _page(request, actor, form=form, parties=[party])


@router.post("/screening/batch", response_class=HTMLResponse)
async def screening_batch(request: Request) -> Response:
    active, form = await checked_form(request)
    upload = form.get("file")
    empty = {"name": "", "country": "", "type": ""}
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InputError(Message("choose a file of names (CSV, XLSX or JSON lines with id, name)"), field="file")
        shown = Path(str(upload.filename)).name
        content = await _upload_content(upload, shown)
    except InputError as error:
        return _page(request, active, form=empty, error=error)
    # Parsing a workbook and screening thousands of names is CPU work: in a worker thread, under the same input
    # limits, the event loop goes on answering every other request meanwhile.
    return await run_in_threadpool(_batch_page, request, active, shown, content)


async def _upload_content(upload: UploadFile, shown: str, suffixes: tuple[str, ...] = UPLOAD_SUFFIXES) -> bytes:
    if suffix_of(Path(shown)) not in suffixes:
        raise InputError(Message("give a {suffixes} file", suffixes=", ".join(suffixes)), file=shown, field="file")
    limits = Limits.current()
    content = await upload.read(limits.upload_bytes + 1)
    if len(content) > limits.upload_bytes:
        raise over(limits, "upload_bytes", shown, Message("the file"), field="file")
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


@router.post("/screening/download")
async def screening_download(request: Request) -> Response:
    """The names of a result page screened again and written as a file: an export, audited by the service with the
    file's name and format (as `kizashi screen parties -f xlsx -o F` is)."""
    active, form = await checked_form(request)
    fmt = str(form.get("format", "xlsx"))
    empty = {"name": "", "country": "", "type": ""}
    try:
        if fmt not in DOWNLOAD_FORMATS:
            raise InputError(Message("unknown format '{format}'; use xlsx or csv", format=fmt), field="format")
        parties = _posted_parties(str(form.get("parties", "")))
    except InputError as error:
        return _page(request, active, form=empty, error=error)
    return await run_in_threadpool(_download, request, active, parties, fmt)


def _posted_parties(text: str) -> list[Party]:
    """The names the result page carried (JSON: id, name, country, type), checked as an upload's would be."""
    try:
        given = orjson.loads(text) if text else None
    except orjson.JSONDecodeError:
        given = None
    if not isinstance(given, list) or not given or not all(isinstance(item, dict) for item in given):
        raise InputError(Message("screen names first, then download their results"), field="parties")
    if len(given) > MAX_NAMES:
        raise InputError(Message("at most {most:,} names at a time", most=MAX_NAMES), field="parties")
    parties: list[Party] = []
    for number, item in enumerate(given, start=1):
        name, country = str(item.get("name") or "").strip(), str(item.get("country") or "").strip()
        if not name or len(name) > 1000 or len(country) > 100:
            raise InputError(Message("give each name (at most 1,000 characters)"), row=number, field="name")
        try:
            kind = entry_type(str(item.get("type") or ""))
        except ValueError as error:  # its argument is a Message: said in the reader's language
            raise InputError(error.args[0], row=number, field="type") from None
        parties.append(Party(str(item.get("id") or number)[:300], name, country or None, kind))
    return parties


def _download(request: Request, active: Actor, parties: list[Party], fmt: str) -> Response:
    filename = f"screening-{datetime.now(UTC):%Y%m%d-%H%M}.{fmt}"
    result = screen(workspace(request), active, parties, delivery=Delivery(filename, fmt))
    rows = decision_table_rows(result.rows)
    with tempfile.TemporaryDirectory(prefix="kizashi-screening-") as folder:
        out = Path(folder) / filename
        # The one writer of every export: every column, CSV cells a spreadsheet would run neutralised.
        write_rows(human_rows(rows, fmt, language(request)), WORKSPACE_TABLE_COLUMNS, fmt, out)
        content = out.read_bytes()
    return Response(
        content,
        media_type=DOWNLOAD_FORMATS[fmt],
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename, safe='')}"},
    )


@router.get("/screening/lists", response_class=HTMLResponse)
def screening_lists(request: Request, actor: ActorDep) -> Response:
    return _lists_page(request, actor)


@router.post("/screening/lists", response_class=HTMLResponse)
async def screening_load(request: Request) -> Response:
    """Load a list file into the workspace as the newest version of its list, as `kizashi screen load` does (the
    same service: officers only, audited)."""
    active, form = await checked_form(request)
    uploads = [u for u in form.getlist("file") if isinstance(u, UploadFile) and u.filename]
    name = str(form.get("name", "")).strip() or None
    date = str(form.get("date", "")).strip() or None
    try:
        if not uploads:
            raise InputError(Message("choose a list file"), field="file")
        if len(uploads) > MAX_LIST_FILES:
            raise InputError(
                Message("give one list file, or the {count} files of an OFAC list together", count=MAX_LIST_FILES),
                field="file",
            )
        files = {}
        for upload in uploads:
            shown = Path(str(upload.filename)).name
            files[shown] = await _upload_content(upload, shown, LIST_SUFFIXES)
    except InputError as error:
        return _lists_page(request, active, error=error)
    # Reading a list (tens of thousands of entries) and storing it is CPU and database work: in a worker thread.
    return await run_in_threadpool(_load, request, active, files, name, date)


def _load(request: Request, active: Actor, files: dict[str, bytes], name: str | None, date: str | None) -> Response:
    # Each file keeps its name (the version records it, and a format is known by it), made safe as a file name;
    # several files (OFAC's three) are a folder of their own, read as `kizashi screen load FOLDER` reads it.
    on_disk = {_safe_name(shown): shown for shown in files}
    with tempfile.TemporaryDirectory(prefix="kizashi-screening-") as folder:
        inside = Path(folder) / "+".join(on_disk)[:120] if len(files) > 1 else Path(folder)
        inside.mkdir(exist_ok=True)
        for safe, shown in on_disk.items():
            (inside / safe).write_bytes(files[shown])
        path = inside if len(files) > 1 else inside / next(iter(on_disk))
        try:
            result = load_list(workspace(request), active, path, name=name, date=date)
        except InputError as error:  # name the file as the user knows it, not the temporary copy
            problem = type(error)(error.reason, file=_as_sent(error.location.file, on_disk), row=error.location.row,
                                  field=error.location.field or "file")  # fmt: skip
            return _lists_page(request, active, error=problem, form={"name": name or "", "date": date or ""})
    query = {"loaded": str(result.version["id"]), **({"unchanged": "1"} if result.unchanged else {})}
    return RedirectResponse("/screening/lists?" + urlencode(query), status_code=303)


def _as_sent(file: str | Path | None, on_disk: dict[str, str]) -> str | None:
    """The file an error names, as the user sent it (`on_disk`: safe name → sent name): one of theirs by its name,
    the folder of several as all of them."""
    if file is None:
        return None
    return on_disk.get(Path(file).name) or ", ".join(on_disk.values())


def _safe_name(shown: str) -> str:
    """`shown` as one plain file name: no folder, no leading dot, only word characters, dots and dashes."""
    name = re.sub(r"[^\w.-]", "_", shown).lstrip(".") or "list"
    return name[-120:]


def _lists_page(
    request: Request, active: Actor, *, error: InputError | None = None, form: dict[str, str] | None = None
) -> Response:
    versions = list_versions(workspace(request), active)
    loaded = request.query_params.get("loaded", "")
    return render(
        request,
        "screening_lists.html.j2",
        status=error.status if error else 200,
        versions=versions,
        all_versions=True,
        loaded=next((v for v in versions if str(v["id"]) == loaded), None) if error is None else None,
        unchanged=request.query_params.get("unchanged") == "1",
        may_load=allowed(active, "screening.load"),
        suffixes=LIST_SUFFIXES,
        form=form or {"name": "", "date": ""},
        error=error,
    )


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
        parties=[{"id": p.id, "name": p.name, "country": p.country or "", "type": p.type or ""} for p in parties or []],
    )
