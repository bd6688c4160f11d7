"""The dashboard, and the API reference rendered here from the OpenAPI document (no CDN)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kizashi.report.charts import bar_chart
from kizashi.report.dashboard import dashboard
from kizashi.web.context import language, workspace
from kizashi.web.deps import ActorDep
from kizashi.web.i18n import translate
from kizashi.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def dashboard_page(request: Request, actor: ActorDep) -> Response:
    found = dashboard(workspace(request), actor)
    lang = language(request)
    chart = bar_chart(
        [(translate(kind, lang), n) for kind, n in found.counts.items()], title=translate("records_you_may_read", lang)
    )
    return render(
        request,
        "dashboard.html.j2",
        counts=found.counts,
        chart=chart,
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
