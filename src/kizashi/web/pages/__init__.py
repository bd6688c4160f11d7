"""The web pages (Jinja2 + htmx), one module per area; `ROUTERS` in the order the app includes them (the records'
catch-all `/{kind}` routes last)."""

from __future__ import annotations

from fastapi import APIRouter

from kizashi.web.pages import (
    admin,
    audit,
    auth,
    controls,
    cti,
    cti_runs,
    dashboard,
    deemed_export,
    experts,
    landscape,
    programme,
    records,
    review,
    risk_card,
    roadmaps,
    screening,
    workshop,
)

ROUTERS: tuple[APIRouter, ...] = (
    auth.router,
    dashboard.router,
    admin.router,
    audit.router,
    workshop.router,
    review.router,
    risk_card.router,
    experts.router,
    landscape.router,
    screening.router,
    controls.router,
    deemed_export.router,
    cti.router,
    cti_runs.router,
    programme.router,
    roadmaps.router,
    records.router,  # last: it holds the catch-all /{kind} routes
)
