"""People: users, their clearances (grants and training records), credentials (passwords, personal tokens, web
sessions), the two-person rule on changes to them, and who is acting (the `Actor` of a command or a request)."""

from kizashi.protect.people.changes import Outcome, approve, pending_changes, reject
from kizashi.protect.people.identity import actor_for, command_line_actor, managed, owner, record_owner
from kizashi.protect.people.passwords import check_password, require_strong
from kizashi.protect.people.standing import PREREQUISITES, Standing, standing, standings, supported_level
from kizashi.protect.people.throttle import unlock
from kizashi.protect.people.tokens import create_token, list_tokens, revoke_token
from kizashi.protect.people.users import (
    add_user,
    grant,
    list_users,
    record_training,
    renew,
    revoke,
    set_password,
    show_user,
)

__all__ = [
    "PREREQUISITES",
    "Outcome",
    "Standing",
    "actor_for",
    "add_user",
    "approve",
    "check_password",
    "command_line_actor",
    "create_token",
    "grant",
    "list_tokens",
    "list_users",
    "managed",
    "owner",
    "pending_changes",
    "record_owner",
    "record_training",
    "reject",
    "renew",
    "require_strong",
    "revoke",
    "revoke_token",
    "set_password",
    "show_user",
    "standing",
    "standings",
    "supported_level",
    "unlock",
]
