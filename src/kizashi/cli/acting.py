"""Who runs a command: the operating-system login, or the user whose credential is given; the actor built once.

The login comes from the process's real user id, not from an environment variable (LOGNAME and USER are anyone's to
set). Acting as another user needs their credential: KIZASHI_TOKEN (a personal token an admin created for them) or
their password on the first line of standard input (--auth-stdin); the name alone (--user, KIZASHI_USER) is refused.
"""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from kizashi.cli.common import warn
from kizashi.errors import InputError
from kizashi.messages import Message
from kizashi.policy import Actor
from kizashi.protect.people import command_line_actor
from kizashi.settings import get_settings
from kizashi.store.workspace import Workspace


@dataclass
class Identity:
    """The root options of this run: whom to act as, and whether their credential is on standard input."""

    user: str | None = None
    auth_stdin: bool = False
    command: str = ""


IDENTITY = Identity()


def os_login() -> str:
    """The operating system's name for the user running this process (its real user id)."""
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):  # no pwd (Windows), or a uid without a name (a container)
        return getpass.getuser()


def actor_of(workspace: Workspace) -> Actor:
    """The actor of this command in `workspace`, built once per command."""
    settings = get_settings()
    name = IDENTITY.user or settings.user
    password = None
    if IDENTITY.auth_stdin:
        line = sys.stdin.readline()
        if not line:
            raise InputError(Message("--auth-stdin: no password on standard input"), field="password")
        password = line.rstrip("\r\n")
    return command_line_actor(
        workspace,
        login=os_login(),
        name=name,
        token=settings.token,
        password=password,
        via=f"cli: kizashi {IDENTITY.command}".rstrip(),
    )


def open_workspace(workspace: Path | None) -> Workspace:
    """The workspace (the --workspace option, else the settings'), with a warning where others may read its files."""
    opened = Workspace.open(workspace)
    for path in opened.exposed():
        warn(
            Message(
                "{path} is readable by others than its owner (mode {mode:o}); it holds labelled records: "
                "chmod {private} {path}",
                path=path,
                mode=path.stat().st_mode & 0o777,
                private="700" if path.is_dir() else "600",
            )
        )
    return opened


def acting(workspace: Path | None) -> tuple[Workspace, Actor]:
    """Open the workspace and build this command's actor in it."""
    opened = open_workspace(workspace)
    return opened, actor_of(opened)
