"""The access policy and who is acting, at the bottom of the layers beside the model: labels and clearances (the rule,
`can_read`), the `Actor` every service takes, and the table of named permissions.

The rule's SQL twin (`kizashi.policy.sql.readable`) is not exported here: only the one readable-select helper,
kizashi.store.readable, uses it.
"""

from kizashi.policy.actor import Actor
from kizashi.policy.labels import (
    DEFAULT_LEVEL,
    LEVELS,
    PUBLIC,
    RANK,
    SECRET,
    TLP,
    Clearance,
    Label,
    can_read,
    label_columns,
    tlp_constraints,
)
from kizashi.policy.permissions import ADMINS, OFFICERS, PERMISSIONS, ROLES, allowed, grants, require

__all__ = [
    "ADMINS",
    "DEFAULT_LEVEL",
    "LEVELS",
    "OFFICERS",
    "PERMISSIONS",
    "PUBLIC",
    "RANK",
    "ROLES",
    "SECRET",
    "TLP",
    "Actor",
    "Clearance",
    "Label",
    "allowed",
    "can_read",
    "grants",
    "label_columns",
    "require",
    "tlp_constraints",
]
