"""TAXII's status resource is named by its id alone (`{api-root}/status/{id}/`), while the store's service reads
it within its collection (protect/cti/store.get_status): find the collection first. The status table is not
labelled; the service then checks that the actor may read the collection and made the add, and audits, so a status
that is not theirs answers exactly like one that does not exist."""

from __future__ import annotations

from sqlalchemy import select

from kizashi.model import AddStatus
from kizashi.policy import Actor
from kizashi.protect.cti.store import Status, get_status
from kizashi.store.workspace import Workspace


def status_of(workspace: Workspace, actor: Actor, status_id: str) -> Status:
    with workspace.session() as session:
        collection = session.scalar(select(AddStatus.collection_id).where(AddStatus.id == status_id[:36]))
    # An unknown status goes to the service too (no collection "" exists), so its refusal is audited alike.
    return get_status(workspace, actor, collection or "", status_id)
