"""The dashboard, and the API reference rendered here from the OpenAPI document (no CDN)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kizashi.report.dashboard import EXPIRING_DAYS, dashboard
from kizashi.web.context import workspace
from kizashi.web.deps import ActorDep
from kizashi.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def dashboard_page(request: Request, actor: ActorDep) -> Response:
    # The counts once, as tiles (a bar chart of the same numbers said nothing more); then what awaits the reader.
    found = dashboard(workspace(request), actor)
    return render(
        request,
        "dashboard.html.j2",
        counts=found.counts,
        attention=found.attention,
        expiring_days=EXPIRING_DAYS,
        standing=found.standing,
        page_label=found.label,
    )


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    spec = request.app.openapi()
    operations = [
        {"method": method.upper(), "path": path, **operation}
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
    ]
    return render(request, "api_docs.html.j2", spec=spec, operations=operations)
