"""`kizashi user`: users, clearance grants, training records, passwords and personal tokens, and the changes held for
a second admin (the two-person rule)."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import orjson
import typer
from rich.table import Table
from rich.text import Text

from kizashi.cli.acting import acting
from kizashi.cli.common import (
    FormatOption,
    OutOption,
    WideOption,
    WorkspaceOption,
    console,
    delivery,
    in_language,
    rows_writer,
    tell,
)
from kizashi.errors import InputError
from kizashi.files.tabular import utc_day
from kizashi.messages import Message, environment_language
from kizashi.policy.permissions import PERMISSIONS, ROLES
from kizashi.protect import people
from kizashi.protect.people import Outcome

user_app = typer.Typer(help="Users, clearance grants and training records (admins only).", no_args_is_help=True)
token_app = typer.Typer(help="Personal tokens: a user's credential for the command line and API scripts.")
user_app.add_typer(token_app, name="token")

CompartmentOption = Annotated[
    list[str] | None, typer.Option("--compartment", "-c", help="A need-to-know compartment (repeatable).")
]
ReasonOption = Annotated[str, typer.Option(help="Why (kept in the audit trail).")]


def _said(outcome: Outcome, done: str) -> None:
    """Print what a change to users came to."""
    if outcome.done:
        tell(done)
    else:
        tell(
            Message(
                "held for a second admin (the two-person rule): change {change}; another admin approves it "
                "with `kizashi user approve {change}`",
                change=outcome.change,
            )
        )


def _password_from_stdin() -> str:
    line = sys.stdin.readline()
    if not line:
        raise InputError(Message("no password on standard input"), field="password")
    return line.rstrip("\r\n")


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="Login name.", show_default=False)],
    role: Annotated[
        list[str] | None,
        typer.Option(
            "--role",
            help=f"Role (repeatable; default analyst): {', '.join(ROLES)}. `kizashi user roles` says what each may do.",
            show_default=False,
        ),
    ] = None,
    level: Annotated[str | None, typer.Option(help="Also grant this level now.")] = None,
    compartment: CompartmentOption = None,
    organisation: Annotated[str | None, typer.Option(help="The user's organisation.")] = None,
    expires: Annotated[str | None, typer.Option(help="Expiry of the grant (YYYY-MM-DD).")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read a web password from the first line of standard input.")
    ] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Add a user (the first user of a workspace is its owner, as an admin), optionally with a first clearance
    grant. A new admin is held for a second admin's approval."""
    ws, actor = acting(workspace)
    password = _password_from_stdin() if password_stdin else None
    added = people.add_user(ws, actor, name, roles=role or ["analyst"], organisation=organisation, password=password)
    _said(added, Message("user {name} added", name=name))
    if level is not None and added.done:
        granted = people.grant(
            ws, actor, name, level, compartments=compartment or [], expires_at=utc_day(expires, "expires")
        )
        _said(granted, Message("grant {grant} for {name}", grant=granted.detail.get("grant"), name=name))


# What `user roles` says of reading, which no role grants: one line in each language.
READING = {
    "en": "Reading is not a role's: a user reads a record when their clearance (level, compartments) covers its label.",
    "ja": "閲覧の可否は役割では決まりません。利用者のクリアランス（レベル・区画）が記録のラベルを満たすときに閲覧できます。",
}


# Release review is not in PERMISSIONS either: the routing rules name the roles each release needs.
RELEASE = {
    "en": "Release review: which roles approve a release is decided per release by the routing rules.",
    "ja": "公表審査：どの役割が承認するかは、公表ごとに振り分け規則で決まります。",
}
NOTHING_MORE = {"en": "no permission beyond reading", "ja": "閲覧以外の権限はありません"}


def role_rows() -> list[dict[str, Any]]:
    """Every role with its Japanese and English names (the web pages' own) and the permissions it grants."""
    from kizashi.web.i18n import translate

    return [
        {
            "role": role,
            "name_ja": translate(f"role_{role}", "ja"),
            "name_en": translate(f"role_{role}", "en"),
            "permissions": [
                {"action": action, "what_en": permission.what, "what_ja": permission.what_ja}
                for action, permission in PERMISSIONS.items()
                if role in permission.roles
            ],
        }
        for role in ROLES
    ]


@user_app.command("roles")
def user_roles(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """The roles a user may hold, their names in Japanese and English, and what each lets its holder do; reading is
    decided by clearance and labels, not by roles. Needs no workspace."""
    if fmt not in ("table", "json"):
        raise InputError(Message("unknown format '{format}'; use table or json", format=fmt), field="format")
    rows = role_rows()
    if fmt == "json":
        sys.stdout.write(
            orjson.dumps(
                {"roles": rows, "reading": READING, "release_review": RELEASE}, option=orjson.OPT_INDENT_2
            ).decode()
            + "\n"
        )
        return
    lang = environment_language()
    for row in rows:
        console.print(Text(row["role"], style="bold") + Text(f"  {row['name_ja']} / {row['name_en']}"))
        grants = Table(box=None, show_header=False, padding=(0, 0, 0, 2))
        grants.add_column(overflow="fold")
        grants.add_column(overflow="fold")
        for granted in row["permissions"]:
            grants.add_row(granted["action"], granted["what_ja" if lang == "ja" else "what_en"])
        if not row["permissions"]:
            grants.add_row(NOTHING_MORE[lang], "")
        console.print(grants)
    console.print(READING[lang], highlight=False)
    console.print(RELEASE[lang], highlight=False)


@user_app.command("password")
def user_password(name: Annotated[str, typer.Argument(show_default=False)], workspace: WorkspaceOption = None) -> None:
    """Set a user's web password from the first line of standard input (admins, or the user themself)."""
    ws, actor = acting(workspace)
    _said(people.set_password(ws, actor, name, _password_from_stdin()), Message("password set for {name}", name=name))


@user_app.command("grant")
def user_grant(
    name: Annotated[str, typer.Argument(show_default=False)],
    level: Annotated[str, typer.Option(help="PUBLIC, INTERNAL, CONFIDENTIAL or SECRET.")],
    compartment: CompartmentOption = None,
    expires: Annotated[str | None, typer.Option(help="Expiry (YYYY-MM-DD).")] = None,
    reason: ReasonOption = "",
    workspace: WorkspaceOption = None,
) -> None:
    """Grant a clearance (a level and compartments), audited; to yourself, or above what you hold, it waits for a
    second admin."""
    ws, actor = acting(workspace)
    outcome = people.grant(
        ws, actor, name, level, compartments=compartment or [], expires_at=utc_day(expires, "expires"), reason=reason
    )
    _said(outcome, Message("grant {grant} for {name}", grant=outcome.detail.get("grant"), name=name))


@user_app.command("revoke")
def user_revoke(
    name: Annotated[str, typer.Argument(show_default=False)],
    grant_id: Annotated[int | None, typer.Option("--grant", help="One grant; default: every grant.")] = None,
    reason: ReasonOption = "",
    workspace: WorkspaceOption = None,
) -> None:
    """Revoke a grant (or all of a user's grants), audited."""
    ws, actor = acting(workspace)
    revoked = people.revoke(ws, actor, name, grant_id, reason=reason)
    tell(Message("revoked grant(s) {grants} of {name}", grants=", ".join(map(str, revoked)), name=name))


@user_app.command("renew")
def user_renew(
    name: Annotated[str, typer.Argument(show_default=False)],
    grant_id: Annotated[int, typer.Option("--grant", help="The grant to renew (see `user show`).")],
    expires: Annotated[str | None, typer.Option(help="New expiry (YYYY-MM-DD); none: no expiry.")] = None,
    reason: ReasonOption = "",
    workspace: WorkspaceOption = None,
) -> None:
    """Renew a grant: the same level and compartments with a new expiry (the old grant is closed), audited."""
    ws, actor = acting(workspace)
    outcome = people.renew(ws, actor, name, grant_id, utc_day(expires, "expires"), reason=reason)
    _said(
        outcome,
        Message(
            "grant {old} of {name} renewed as grant {grant}", old=grant_id, name=name, grant=outcome.detail.get("grant")
        ),
    )


@user_app.command("training")
def user_training(
    name: Annotated[str, typer.Argument(show_default=False)],
    course: Annotated[str, typer.Argument(help="e.g. security-basics, secret-handling.", show_default=False)],
    completed: Annotated[str, typer.Option(help="Completion date (YYYY-MM-DD).")],
    expires: Annotated[str | None, typer.Option(help="Expiry (YYYY-MM-DD).")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record a completed training course, a prerequisite of CONFIDENTIAL and SECRET."""
    done = utc_day(completed, "completed")
    if done is None:
        raise InputError(Message("when was it completed?"), field="completed")
    ws, actor = acting(workspace)
    outcome = people.record_training(ws, actor, name, course, done, utc_day(expires, "expires"))
    _said(outcome, Message("training '{course}' recorded for {name}", course=course, name=name))


@user_app.command("show")
def user_show(name: Annotated[str, typer.Argument(show_default=False)], workspace: WorkspaceOption = None) -> None:
    """The clearance a user holds today, and why (your own; anyone's for admins); audited."""
    ws, actor = acting(workspace)
    found = people.show_user(ws, actor, name)
    held = found["standing"]
    if held is None:
        tell(Message("{name}: inactive", name=name))
        return
    c = held.clearance
    tell(
        Message(
            "{name}: {level}, compartments: {compartments}, roles: {roles}, grants counted: {grants}",
            name=name,
            level=c.level,
            compartments=", ".join(sorted(c.compartments)) or "—",
            roles=", ".join(sorted(c.roles)) or "—",
            grants=held.grants or "—",
        )
    )
    for note in held.notes:
        tell(f"  {in_language(note)}")


@user_app.command("unlock")
def user_unlock(name: Annotated[str, typer.Argument(show_default=False)], workspace: WorkspaceOption = None) -> None:
    """Clear a user name's failed logins and counted refusals, so that it may log in again at once from any
    address (admins); audited."""
    ws, actor = acting(workspace)
    cleared = people.unlock(ws, actor, name)
    tell(
        Message(
            "{name} unlocked: {failures} failed login(s) and {refused} refused attempt(s) not yet in the audit trail "
            "cleared",
            name=name,
            failures=cleared["failures"],
            refused=cleared["refused_unreported"],
        )
    )


CHANGE_COLUMNS = ["id", "kind", "target", "payload", "proposed_by", "proposed_at", "state", "decided_by", "reason"]


@user_app.command("changes")
def user_changes(
    all_states: Annotated[bool, typer.Option("--all", help="Every change, not only the pending ones.")] = False,
    fmt: FormatOption = "table",
    out: OutOption = None,
    wide: WideOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """The changes to users held for a second admin (the two-person rule)."""
    write = rows_writer(fmt, out, CHANGE_COLUMNS, width=50, wide=wide)
    ws, actor = acting(workspace)
    write(people.pending_changes(ws, actor, state=None if all_states else "pending", delivery=delivery(fmt, out)))


@user_app.command("approve")
def user_approve(
    change: Annotated[int, typer.Argument(help="The change (see `user changes`).", show_default=False)],
    workspace: WorkspaceOption = None,
) -> None:
    """Carry out a change another admin proposed, as its second admin."""
    ws, actor = acting(workspace)
    people.approve(ws, actor, change)
    tell(Message("change {change} approved and carried out", change=change))


@user_app.command("reject")
def user_reject(
    change: Annotated[int, typer.Argument(help="The change (see `user changes`).", show_default=False)],
    reason: ReasonOption = "",
    workspace: WorkspaceOption = None,
) -> None:
    """Reject a held change (another admin, or its proposer withdrawing it)."""
    ws, actor = acting(workspace)
    people.reject(ws, actor, change, reason=reason)
    tell(Message("change {change} rejected", change=change))


@token_app.command("create")
def token_create(
    name: Annotated[str, typer.Argument(help="Whose token.", show_default=False)],
    label: Annotated[str, typer.Option(help="What it is for (shown in `user token list`).")] = "",
    expires: Annotated[str | None, typer.Option(help="Expiry (YYYY-MM-DD).")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Create a personal token for a user (admins; for another admin only that admin): printed once, on stdout."""
    ws, actor = acting(workspace)
    token_id, token = people.create_token(ws, actor, name, label=label, expires_at=utc_day(expires, "expires"))
    sys.stdout.write(token + "\n")
    tell(
        Message("token {token} for {name}: keep it like a password (KIZASHI_TOKEN)", token=token_id, name=name),
        stderr=True,
    )


@token_app.command("list")
def token_list(
    name: Annotated[str | None, typer.Argument(help="Whose tokens (default: yours).", show_default=False)] = None,
    fmt: FormatOption = "table",
    out: OutOption = None,
    wide: WideOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """A user's personal tokens (never the tokens themselves)."""
    columns = ["id", "user", "label", "created_by", "created_at", "expires_at", "revoked_at", "last_used_at"]
    write = rows_writer(fmt, out, columns, wide=wide)
    ws, actor = acting(workspace)
    write(people.list_tokens(ws, actor, name, delivery=delivery(fmt, out)))


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (see `user token list`).", show_default=False)],
    workspace: WorkspaceOption = None,
) -> None:
    """Revoke a personal token (admins any, users their own)."""
    ws, actor = acting(workspace)
    people.revoke_token(ws, actor, token_id)
    tell(Message("token {token} revoked", token=token_id))
