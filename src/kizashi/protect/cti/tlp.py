"""An object's TLP from its `object_marking_refs`, and the label columns it gets in a collection (docs/cti.md).

The marking-definition ids are fixed by their publishers: TLP 2.0's five by OASIS (cti-stix-common-objects,
extension-definition-specifications/tlp-2.0), TLP 1.0's four by the STIX 2.1 specification (section 7.2.1.4; the stix2
package's TLP_WHITE, TLP_GREEN, TLP_AMBER, TLP_RED), WHITE read as CLEAR. Several TLP markings on one object: the
strictest holds.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kizashi.messages import Message
from kizashi.policy.labels import TLP

TLP_MARKINGS: dict[str, str] = {
    # TLP 2.0 (OASIS)
    "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487": "CLEAR",
    "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb": "GREEN",
    "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421": "AMBER",
    "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003": "AMBER+STRICT",
    "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1": "RED",
    # TLP 1.0 (STIX 2.1 section 7.2.1.4)
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": "CLEAR",  # TLP:WHITE
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": "GREEN",
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": "AMBER",
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": "RED",
}
# The TLP 2.0 id of each marking, for objects kizashi writes itself.
MARKING_OF: dict[str, str] = {tlp: ref for ref, tlp in list(TLP_MARKINGS.items())[:5]}
RECIPIENTS_PROPERTY = "x_kizashi_recipients"  # RED: the users (by name) it may go to, besides the one who adds it


class MarkingError(ValueError):
    """An object's markings cannot be honoured; `reason` says why, as a Message."""

    def __init__(self, reason: Message) -> None:
        super().__init__(reason)
        self.reason = reason


def strictest(markings: Iterable[str]) -> str | None:
    found = [marking for marking in markings]
    return max(found, key=TLP.index) if found else None


def object_tlp(stix: Mapping[str, Any], known_markings: Collection[str]) -> str | None:
    """The TLP marking of `stix` (None: it names none). A reference that is neither a TLP marking nor one of
    `known_markings` (marking-definitions in the same add or already stored) is refused: a marking nobody can look up
    cannot be honoured."""
    refs = stix.get("object_marking_refs") or []
    if not isinstance(refs, list) or not all(isinstance(ref, str) for ref in refs):
        raise MarkingError(Message("object_marking_refs must be a list of marking-definition ids"))
    unknown = sorted(ref for ref in refs if ref not in TLP_MARKINGS and ref not in known_markings)
    if unknown:
        raise MarkingError(Message("unknown marking definition {refs}", refs=", ".join(unknown)))
    return strictest(TLP_MARKINGS[ref] for ref in refs if ref in TLP_MARKINGS)


@dataclass(frozen=True)
class Sharing:
    """Who an object in a collection is shared with: the adder, their organisation, the group's members' organisations."""

    adder: str
    organisation: str | None
    member_organisations: frozenset[str]


def label_columns_for(
    stix: Mapping[str, Any], tlp: str, level: str, compartments: list[str], sharing: Sharing
) -> dict[str, Any]:
    """The label columns of one object: the collection's level and compartments, and the TLP's constraints (see
    kizashi.policy.labels.tlp_constraints)."""
    recipients: list[str] = []
    if tlp == "AMBER":
        recipients = sorted(sharing.member_organisations - {sharing.organisation} - {""})
    elif tlp == "RED":
        named = stix.get(RECIPIENTS_PROPERTY) or []
        if not isinstance(named, list) or not all(isinstance(name, str) and name for name in named):
            raise MarkingError(Message("{property} must be a list of user names", property=RECIPIENTS_PROPERTY))
        recipients = sorted({sharing.adder, *named})
    return {
        "level": level,
        "compartments": list(compartments),
        "tlp": tlp,
        "tlp_owner": sharing.organisation if tlp in ("AMBER", "AMBER+STRICT") else None,
        "tlp_recipients": recipients,
    }
