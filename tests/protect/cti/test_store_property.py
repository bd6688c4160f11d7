"""Property, on both backends: for random adders, markings, recipients and collections, a user reads an object iff
the policy says so (member of the collection's group, its read roles, the TLP rule with the adder's organisation and
the group's), and an object one may not read answers exactly like a missing one."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizashi.errors import AccessDenied, NotFound
from kizashi.protect import people
from kizashi.protect.cti.groups import add_collection, add_group
from kizashi.protect.cti.store import Filters, add_objects, get_object, get_objects
from kizashi.protect.cti.tlp import MARKING_OF
from kizashi.protect.people import actor_for as as_user
from kizashi.store.workspace import Workspace

# name: (organisation, role, groups)
USERS: dict[str, tuple[str | None, str, frozenset[str]]] = {
    "u0": ("lab-a", "analyst", frozenset({"g1"})),
    "u1": ("lab-b", "analyst", frozenset({"g1", "g2"})),
    "u2": (None, "analyst", frozenset({"g1"})),
    "u3": ("lab-a", "security_officer", frozenset({"g2"})),
    "u4": ("lab-b", "analyst", frozenset()),
    "u5": ("lab-c", "security_officer", frozenset({"g1", "g2"})),
}
# name: (group, default TLP, read roles)
COLLECTIONS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "c1": ("g1", "AMBER", ()),
    "c2": ("g2", "CLEAR", ()),
    "c3": ("g1", "AMBER+STRICT", ("security_officer",)),
}
MARKINGS = {
    None: None,
    **{tlp: ref for tlp, ref in MARKING_OF.items()},
    "WHITE": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
    "AMBER 1.0": "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
}
TLP_OF = {"WHITE": "CLEAR", "AMBER 1.0": "AMBER"}


@pytest.fixture
def population(workspace: Workspace) -> Workspace:
    people.add_user(workspace, as_user(workspace, "boss"), "boss", roles=["admin"])
    boss = as_user(workspace, "boss")
    for name, (organisation, role, _groups) in USERS.items():
        people.add_user(workspace, boss, name, roles=[role], organisation=organisation)
    for group in ("g1", "g2"):
        add_group(workspace, boss, group, [name for name, (_o, _r, groups) in USERS.items() if group in groups])
    for name, (group, default, roles) in COLLECTIONS.items():
        add_collection(workspace, boss, name, group, default_tlp=default, read_roles=roles)
    return workspace


def expected(reader: str, adder: str, collection: str, tlp: str, recipients: set[str]) -> bool:
    group, _default, roles = COLLECTIONS[collection]
    organisation, role, groups = USERS[reader]
    if group not in groups or (roles and role not in roles):
        return False
    adder_organisation = USERS[adder][0]
    if tlp in ("CLEAR", "GREEN"):
        return True
    if tlp == "AMBER":
        allowed = {adder_organisation} | {USERS[m][0] for m in USERS if group in USERS[m][2]}
        return organisation is not None and organisation in allowed
    if tlp == "AMBER+STRICT":
        return organisation is not None and organisation == adder_organisation
    return reader in {adder} | recipients


@st.composite
def additions(draw: st.DrawFn) -> tuple[str, str, str | None, set[str]]:
    collection = draw(st.sampled_from(sorted(COLLECTIONS)))
    group = COLLECTIONS[collection][0]
    adder = draw(st.sampled_from(sorted(name for name in USERS if group in USERS[name][2])))
    marking = draw(st.sampled_from(list(MARKINGS)))
    recipients = draw(st.sets(st.sampled_from(sorted(USERS)), max_size=3))
    return collection, adder, marking, recipients


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(addition=additions())
def test_a_reader_sees_an_object_iff_the_policy_says_so(
    population: Workspace, addition: tuple[str, str, str | None, set[str]]
) -> None:
    collection, adder, marking, recipients = addition
    ref = MARKINGS[marking]
    object_id = f"indicator--{uuid.uuid4()}"
    item = {
        "type": "indicator",
        "spec_version": "2.1",
        "id": object_id,
        "created": "2026-03-01T00:00:00.000Z",
        "modified": "2026-03-01T00:00:00.000Z",
        "pattern": "[ipv4-addr:value = '198.51.100.7']",
        "pattern_type": "stix",
        "valid_from": "2026-03-01T00:00:00Z",
        "x_kizashi_recipients": sorted(recipients),
        **({"object_marking_refs": [ref]} if ref else {}),
    }
    add_objects(population, as_user(population, adder), collection, [item])
    tlp = COLLECTIONS[collection][1] if marking is None else TLP_OF.get(marking, marking)
    missing = f"indicator--{uuid.uuid4()}"
    for reader in USERS:
        actor = as_user(population, reader)
        should = expected(reader, adder, collection, tlp, recipients)
        try:
            page = get_object(population, actor, collection, object_id)
        except (NotFound, AccessDenied) as refusal:
            assert not should, (reader, addition)
            try:
                get_object(population, actor, collection, missing)
            except (NotFound, AccessDenied) as absent:
                # Hidden answers exactly like missing: the same error, in the same words.
                assert type(absent) is type(refusal)
                assert str(absent).replace(missing, "X") == str(refusal).replace(object_id, "X")
            continue
        assert should, (reader, addition)
        assert [entry.stix_id for entry in page.entries] == [object_id]
        listed = get_objects(population, actor, collection, Filters(ids=(object_id,)))
        assert [entry.stix_id for entry in listed.entries] == [object_id]
