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

from kizashi.errors import InputError
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
            raise InputError("--auth-stdin: no password on standard input", field="password")
        password = line.rstrip("\r\n")
    return command_line_actor(
        workspace,
        login=os_login(),
        name=name,
        token=settings.token,
        password=password,
        via=f"cli: kizashi {IDENTITY.command}".rstrip(),
    )


def acting(workspace: Path | None) -> tuple[Workspace, Actor]:
    """Open the workspace (the --workspace option, else the settings') and build this command's actor in it."""
    opened = Workspace.open(workspace)
    return opened, actor_of(opened)
