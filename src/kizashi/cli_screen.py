"""`kizashi screen`: partners against end-user and sanctions lists, technologies against export-control lists."""

from __future__ import annotations

import typer

screen_app = typer.Typer(
    help="Research-security screening: partners against lists, technologies against export-control lists.",
    no_args_is_help=True,
)
