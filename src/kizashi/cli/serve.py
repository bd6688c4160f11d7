"""`kizashi serve`: the web app and the JSON API."""

from __future__ import annotations

from typing import Annotated

import typer

from kizashi.cli.acting import open_workspace
from kizashi.cli.common import WorkspaceOption, tell
from kizashi.messages import Message
from kizashi.settings import get_settings


def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on; beyond loopback means server mode.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    server: Annotated[
        bool,
        typer.Option("--server", help="Server mode on any address: a strong KIZASHI_SECRET_KEY and Secure cookies."),
    ] = False,
    forwarded_allow_ips: Annotated[
        str,
        typer.Option(
            help="Proxies whose X-Forwarded-For names the client (comma list, or *): login limits count per client, "
            "not per proxy."
        ),
    ] = "127.0.0.1",
    access_log: Annotated[
        str,
        typer.Option(
            metavar="FILE|-|off",
            help="Where the access log goes: one line per request (time, method, path without its query, status, "
            "milliseconds, user); '-' is standard error, 'off' none.",
        ),
    ] = "-",
    workspace: WorkspaceOption = None,
) -> None:
    """Start the web app and the JSON API (log in with a password set by `user add --password-stdin`)."""
    import uvicorn

    from kizashi.web.access_log import configure_access_log
    from kizashi.web.app import create_app
    from kizashi.web.body_limit import MAX_REQUEST_HEAD_BYTES
    from kizashi.web.security import is_loopback, server_secret

    server_mode = server or not is_loopback(host)
    secret = server_secret(get_settings().secret_key, server_mode=server_mode)
    ws = open_workspace(workspace)
    app_ = create_app(ws, secret=secret, secure_cookies=server_mode)
    configure_access_log(access_log)
    if server_mode:
        tell(Message("kizashi on http://{host}:{port}/ (server mode; Ctrl+C stops)", host=host, port=port))
    else:
        tell(Message("kizashi on http://{host}:{port}/ (local mode; Ctrl+C stops)", host=host, port=port))
    uvicorn.run(
        app_,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,  # it prints query strings, which may name people: kizashi.access logs requests instead
        # A long query must reach the app, which answers it with its own page (kizashi.web.body_limit).
        h11_max_incomplete_event_size=MAX_REQUEST_HEAD_BYTES,
        server_header=False,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
    )
