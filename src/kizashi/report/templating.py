"""The Jinja2 environment of the reports: templates from this package, HTML-escaped (.html.j2 included)."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape


@cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("kizashi.report", "templates"), autoescape=select_autoescape(["html", "j2"])
    )
