"""The correlation runs' pages (issue 16, docs/cti.md "Correlation runs"): the reader's runs (everyone's for those who
read the audit trail); one run's hits, each with what its indicator indicates and the research assets those threats
are tied to, linked to their pages; and an upload form that correlates an observation file and shows its run.

Everything goes through protect/cti's services (runs.py, sightings.py), so the pages show what `kizashi cti run`
shows to the same user, and every read is audited there; someone else's run is the same 404 as a missing one.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kizashi.errors import InputError
from kizashi.files.tabular import suffix_of
from kizashi.messages import Message
from kizashi.policy import Actor
from kizashi.policy.labels import Label
from kizashi.protect.cti.assets import Asset
from kizashi.protect.cti.runs import RunView, asset_kind_said, get_run, list_runs, via_said
from kizashi.protect.cti.sightings import correlate_observations
from kizashi.web.context import workspace
from kizashi.web.deps import ActorDep, checked_form
from kizashi.web.render import render
from kizashi.web.uploads import uploaded_file

router = APIRouter(include_in_schema=False)
UPLOAD_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson")  # gzipped too (.csv.gz)
# The page of each kind of research asset.
RECORD_PAGES = {
    "seeds": "/seeds/",
    "technologies": "/technologies/",
    "threats": "/threats/",
    "programme_projects": "/programmes/projects/",
}


def asset_page(asset: Asset, goals: dict[str, str]) -> str | None:
    """The page of a research asset, where it has one."""
    if asset.kind == "programme_projects" and asset.id not in goals:
        return None  # its goal is not readable: neither is its page
    return RECORD_PAGES[asset.kind] + quote(asset.id, safe="") if asset.kind in RECORD_PAGES else None


@router.get("/cti/runs", response_class=HTMLResponse)
def cti_runs(request: Request, actor: ActorDep) -> Response:
    return render(request, "cti_runs.html.j2", runs=list_runs(workspace(request), actor))


@router.get("/cti/runs/{run_id}", response_class=HTMLResponse)
def cti_run(request: Request, actor: ActorDep, run_id: str) -> Response:
    run: RunView = get_run(workspace(request), actor, run_id)
    return render(
        request,
        "cti_run.html.j2",
        run=run,
        asset_page=lambda asset: asset_page(asset, run.goals),
        asset_kind=asset_kind_said,
        via=via_said,
        page_label=Label.highest(hit.label for hit in run.hits) if run.hits else None,
    )


@router.get("/cti/correlate", response_class=HTMLResponse)
def cti_correlate_form(request: Request, actor: ActorDep) -> Response:
    return _form(request, actor)


def _form(request: Request, actor: Actor, error: InputError | None = None) -> Response:
    return render(
        request,
        "cti_run_correlate.html.j2",
        status=error.status if error else 200,
        suffixes=UPLOAD_SUFFIXES,
        error=error,
    )


def _since(text: str) -> datetime | None:
    """The form's date (midnight UTC), or nothing."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            Message("--since: '{value}' is not a date or time (ISO 8601, like 2026-03-01)", value=text),
            field="since",
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@router.post("/cti/correlate", response_class=HTMLResponse)
async def cti_correlate(request: Request) -> Response:
    """Correlate an uploaded observation file as `kizashi cti correlate` does (the same service: the reader's
    indicators, sightings recorded where they may add, the run kept and audited), then show the run."""
    active, form = await checked_form(request)
    try:
        shown, content = await uploaded_file(form, UPLOAD_SUFFIXES, gzip=True)
        since = _since(str(form.get("since", "")).strip())
    except InputError as error:
        return _form(request, active, error)
    # Reading and correlating a large file is CPU work: in a worker thread, the event loop answers others.
    return await run_in_threadpool(_correlate, request, active, shown, content, since)


def _correlate(request: Request, active: Actor, shown: str, content: bytes, since: datetime | None) -> Response:
    gz = ".gz" if shown.lower().endswith(".gz") else ""
    with tempfile.TemporaryDirectory(prefix="kizashi-observations-") as folder:
        path = Path(folder) / f"observations{suffix_of(Path(shown))}{gz}"  # never the sender's name as a path
        path.write_bytes(content)
        try:
            report = correlate_observations(workspace(request), active, path, since=since, name=shown)
        except InputError as error:  # name the file as the reader knows it, not the temporary copy
            location = error.location
            named = type(error)(error.reason, file=shown, row=location.row, field=location.field)
            return _form(request, active, named)
    return RedirectResponse(f"/cti/runs/{quote(report.run or '', safe='')}", status_code=303)
