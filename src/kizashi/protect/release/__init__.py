"""Release review of works and seeds (publication, presentation, transfer): who must approve, and the record of it.

routing.py: the routing table (funding, sensitivity → roles) and the control-list hook; machine.py: the state
machine as pure functions of a review's history; service.py: the same on the store, audited and through the policy.
"""

from kizashi.protect.release.eligible import Lack, Stuck, approver_pool, unfilled
from kizashi.protect.release.machine import ACTIONS, STATES, TERMINAL, Step
from kizashi.protect.release.routing import FUNDING, RULES, Route, Rule, Sensitivity, route
from kizashi.protect.release.service import (
    REVIEWABLE,
    History,
    Submitted,
    history,
    mine,
    move,
    queue,
    resolve,
    reviews_of,
    submit,
)

__all__ = [
    "ACTIONS",
    "FUNDING",
    "REVIEWABLE",
    "RULES",
    "STATES",
    "TERMINAL",
    "History",
    "Lack",
    "Route",
    "Rule",
    "Sensitivity",
    "Step",
    "Stuck",
    "Submitted",
    "approver_pool",
    "history",
    "mine",
    "move",
    "queue",
    "resolve",
    "reviews_of",
    "route",
    "submit",
    "unfilled",
]
