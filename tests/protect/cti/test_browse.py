"""Browsing the threat-intelligence store and administering its groups, on both backends: an object found across
collections (its latest readable version), what points at it, counts by type, the groups with their members,
removing a member (taking effect on their next request), AMBER shared with the group's organisations as they are now;
hidden answering like missing, and one audit event per read."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from kizashi.errors import AccessDenied, NotFound
from kizashi.model import StixObject, Threat
from kizashi.protect import people
from kizashi.protect.cti.assets import assets_of, link_asset
from kizashi.protect.cti.browse import counts_by_type, find_object, object_view, objects_pointing_at
from kizashi.protect.cti.groups import add_collection, add_group, get_group, list_groups, remove_member
from kizashi.protect.cti.store import add_objects, get_objects
from kizashi.protect.cti.tlp import MARKING_OF
from kizashi.protect.people import actor_for as as_user
from kizashi.store import audit
from kizashi.store.readable import select_trusted
from kizashi.store.workspace import Workspace

T0, T1, T2 = "2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z", "2026-03-01T00:00:00.000Z"
# name: (organisation, roles)
PEOPLE = {
    "ana": ("lab-a", ["analyst"]),
    "ben": ("lab-b", ["analyst"]),
    "eve": ("lab-c", ["security_officer"]),
    "dan": ("lab-a", ["analyst"]),  # in lab-a like ana, but in no group
    "gus": ("lab-g", ["analyst"]),  # joins later
}


def sid(kind: str) -> str:
    return f"{kind}--{uuid.uuid4()}"


def sdo(kind: str, object_id: str, modified: str = T0, tlp: str | None = None, **extra: Any) -> dict[str, Any]:
    found: dict[str, Any] = {"type": kind, "spec_version": "2.1", "id": object_id, "created": T0, "modified": modified}
    if kind == "indicator":
        found |= {"pattern": "[domain-name:value = 'evil.example']", "pattern_type": "stix", "valid_from": T0}
    if kind == "malware":
        found |= {"is_family": True}
    if tlp:
        found["object_marking_refs"] = [MARKING_OF[tlp]]
    return found | extra


def relationship(source: str, target: str, modified: str = T0, tlp: str | None = None, **extra: Any) -> dict[str, Any]:
    return sdo(
        "relationship", extra.pop("id", sid("relationship")), modified, tlp, relationship_type="indicates",
        source_ref=source, target_ref=target, **extra,
    )  # fmt: skip


@pytest.fixture
def intel(workspace: Workspace) -> Workspace:
    """`partners` (boss, ana, ben, eve) shares `intel` (GREEN by default) and `officers` (read by security officers
    only); `inner` (boss) holds `vault`."""
    people.add_user(workspace, as_user(workspace, "boss"), "boss", roles=["admin"], organisation="kizashi")
    boss = as_user(workspace, "boss")
    for name, (organisation, roles) in PEOPLE.items():
        people.add_user(workspace, boss, name, roles=roles, organisation=organisation)
    add_group(workspace, boss, "partners", ["boss", "ana", "ben", "eve"], title="Partners")
    add_group(workspace, boss, "inner", ["boss"])
    add_collection(workspace, boss, "intel", "partners", default_tlp="GREEN")
    add_collection(workspace, boss, "officers", "partners", default_tlp="GREEN", read_roles=["security_officer"])
    add_collection(workspace, boss, "vault", "inner", default_tlp="GREEN")
    return workspace


def events(workspace: Workspace) -> list[dict[str, Any]]:
    return list(audit.iter_events(workspace))


def counted(workspace: Workspace, call: Callable[[], object]) -> tuple[object, list[dict[str, Any]]]:
    """What `call` returns, and the audit events it wrote."""
    before = len(events(workspace))
    result = call()
    return result, events(workspace)[before:]


def refusal(call: Callable[[], object]) -> str:
    with pytest.raises(NotFound) as caught:
        call()
    return str(caught.value)


def test_an_object_is_found_in_any_readable_collection_at_its_latest_readable_version(intel: Workspace) -> None:
    boss, ana = as_user(intel, "boss"), as_user(intel, "ana")
    ind = sid("indicator")
    add_objects(intel, ana, "intel", [sdo("indicator", ind, T0, name="first")])
    add_objects(intel, boss, "intel", [sdo("indicator", ind, T1, "RED", name="second, boss only")])
    add_objects(intel, boss, "vault", [sdo("indicator", ind, T2, name="third, in the vault")])
    found, written = counted(intel, lambda: find_object(intel, ana, ind))
    assert found.entry.stix()["name"] == "first" and found.collection.name == "intel"  # type: ignore[attr-defined]
    assert [entry.version for entry in found.versions] == [T0]  # type: ignore[attr-defined]
    assert [(e["action"], e["detail"]["service"], e["records"]) for e in written] == [
        ("read", "cti.find_object", [ind])
    ]
    mine = find_object(intel, boss, ind)
    assert mine.entry.stix()["name"] == "third, in the vault" and mine.collection.name == "vault"
    assert len(mine.collections) == 2
    there = find_object(intel, boss, ind, collection="intel")
    assert [entry.version for entry in there.versions] == [T0, T1] and there.entry.version == T1


def test_hidden_answers_exactly_like_missing_with_one_denied_event(intel: Workspace) -> None:
    boss, ana = as_user(intel, "boss"), as_user(intel, "ana")
    red, vaulted, restricted = sid("malware"), sid("malware"), sid("malware")
    add_objects(intel, boss, "intel", [sdo("malware", red, tlp="RED", name="x")])
    add_objects(intel, boss, "vault", [sdo("malware", vaulted, name="x")])
    add_objects(intel, boss, "officers", [sdo("malware", restricted, name="x")])
    missing = refusal(lambda: find_object(intel, ana, sid("malware")))
    for hidden in (red, vaulted, restricted):
        assert refusal(lambda hidden=hidden: find_object(intel, ana, hidden)) == missing
    assert refusal(lambda: find_object(intel, ana, vaulted, collection="vault")) == missing
    _, written = counted(intel, lambda: refusal(lambda: find_object(intel, ana, red)))
    assert [(e["action"], e["detail"]["service"], e["detail"]["code"]) for e in written] == [
        ("denied", "cti.find_object", "not_found")
    ]
    # eve, a security officer, reads the officers' collection; ana lists it but may not read it, so it is not counted
    assert find_object(intel, as_user(intel, "eve"), restricted).collection.name == "officers"


def test_what_points_at_an_object_readable_and_current_only(intel: Workspace) -> None:
    boss, ana = as_user(intel, "boss"), as_user(intel, "ana")
    mal, ind, other = sid("malware"), sid("indicator"), sid("indicator")
    rel, red_rel, moved = sid("relationship"), sid("relationship"), sid("relationship")
    sighting, report, note = sid("sighting"), sid("report"), sid("note")
    add_objects(
        intel,
        ana,
        "intel",
        [
            sdo("malware", mal, name="TakoBot"),
            sdo("indicator", ind, name="evil"),
            sdo("indicator", other, name="other"),
            relationship(ind, mal, id=rel),
            relationship(ind, mal, id=moved),
            sdo("sighting", sighting, sighting_of_ref=mal),
            sdo("report", report, name="r", published=T0, object_refs=[other, mal]),
            sdo("note", note, content="names it where no reference is", labels=[mal], object_refs=[other]),
        ],
    )
    add_objects(intel, boss, "intel", [relationship(other, mal, id=red_rel, tlp="RED")])
    add_objects(intel, ana, "intel", [relationship(ind, other, T1, id=moved)])  # its latest no longer names mal
    links, written = counted(intel, lambda: objects_pointing_at(intel, ana, mal))
    found = {(link.entry.stix_id, link.relation) for link in links}  # type: ignore[attr-defined]
    assert found == {(rel, "target_ref"), (sighting, "sighting_of_ref"), (report, "object_refs")}
    assert len(written) == 1 and written[0]["detail"]["objects"] == 3
    assert (red_rel, "target_ref") in {
        (link.entry.stix_id, link.relation) for link in objects_pointing_at(intel, boss, mal)
    }
    # The object's page in one read: the indicator indicates the malware; the malware is pointed at by it.
    seen, written = counted(intel, lambda: object_view(intel, ana, mal))
    incoming = {(link.relation, link.entry.stix_id) for link in seen.incoming}  # type: ignore[attr-defined]
    assert incoming == {("indicates", ind), ("sighting_of_ref", sighting), ("object_refs", report)}
    assert [(e["action"], e["detail"]["service"]) for e in written] == [("read", "cti.object_view")]
    assert mal in written[0]["records"] and ind in written[0]["records"]
    outgoing = object_view(intel, ana, ind).outgoing
    assert {(link.relation, link.entry.stix_id) for link in outgoing} == {("indicates", mal), ("indicates", other)}


def test_counts_by_type_count_objects_once_and_only_readable_ones(intel: Workspace) -> None:
    boss, ana = as_user(intel, "boss"), as_user(intel, "ana")
    ind = sid("indicator")
    add_objects(intel, ana, "intel", [sdo("indicator", ind), sdo("malware", sid("malware"), name="m")])
    add_objects(intel, ana, "intel", [sdo("indicator", ind, T1)])  # a second version: still one object
    add_objects(intel, boss, "intel", [sdo("malware", sid("malware"), tlp="RED", name="boss only")])
    add_objects(intel, boss, "officers", [sdo("malware", sid("malware"), name="officers")])
    found, written = counted(intel, lambda: counts_by_type(intel, ana))
    by_name = {item.collection.name: item.counts for item in found}  # type: ignore[attr-defined]
    assert by_name == {"intel": {"indicator": 1, "malware": 1}, "officers": {}}  # no vault; officers not hers
    assert len(written) == 1 and written[0]["detail"]["service"] == "cti.counts"
    # The read roles hold for admins too: boss adds to `officers` but reads it no more than ana; eve does.
    totals = {item.collection.name: item.total for item in counts_by_type(intel, boss)}
    assert totals == {"intel": 3, "officers": 0, "vault": 0}
    assert [item.counts for item in counts_by_type(intel, as_user(intel, "eve"), "officers")] == [{"malware": 1}]
    assert [item.counts for item in counts_by_type(intel, boss, "intel")] == [{"indicator": 1, "malware": 2}]
    missing = refusal(lambda: counts_by_type(intel, ana, "nowhere")).replace("nowhere", "X")
    assert refusal(lambda: counts_by_type(intel, ana, "vault")).replace("vault", "X") == missing
    with pytest.raises(AccessDenied):
        counts_by_type(intel, ana, "officers")


def test_groups_are_listed_to_their_members_and_to_who_administers(intel: Workspace) -> None:
    boss, ana, dan = as_user(intel, "boss"), as_user(intel, "ana"), as_user(intel, "dan")
    assert [group.name for group in list_groups(intel, boss)] == ["inner", "partners"]
    mine = list_groups(intel, ana)
    assert [group.name for group in mine] == ["partners"] and mine[0].title == "Partners"
    assert [(m.user, m.organisation) for m in mine[0].members] == [
        ("ana", "lab-a"),
        ("ben", "lab-b"),
        ("boss", "kizashi"),
        ("eve", "lab-c"),
    ]
    assert mine[0].collections == ("intel", "officers")
    # A collection above the reader's level is not named to them, member or not; nor to who administers only.
    add_collection(intel, boss, "above", "partners", level="SECRET")
    assert list_groups(intel, ana)[0].collections == ("intel", "officers")
    assert get_group(intel, boss, "partners").collections == ("intel", "officers")
    assert list_groups(intel, dan) == []
    with pytest.raises(AccessDenied):
        list_groups(intel, ana, administering=True)
    missing = refusal(lambda: get_group(intel, ana, "nowhere")).replace("nowhere", "X")
    assert refusal(lambda: get_group(intel, ana, "inner")).replace("inner", "X") == missing
    assert get_group(intel, boss, "inner").members[0].user == "boss"


def test_a_removed_member_stops_reading_at_once(intel: Workspace) -> None:
    ana = as_user(intel, "ana")
    add_objects(intel, ana, "intel", [sdo("indicator", sid("indicator"))])
    ben = as_user(intel, "ben")
    assert len(get_objects(intel, ben, "intel").entries) == 1
    with pytest.raises(AccessDenied):
        remove_member(intel, ana, "partners", "ben")  # not an officer
    assert remove_member(intel, as_user(intel, "boss"), "partners", "ben") == ["ana", "boss", "eve"]
    change = events(intel)[-1]
    assert change["action"] == "cti_group" and change["detail"]["members_removed"] == ["ben"]
    with pytest.raises(NotFound, match="no collection 'intel'"):
        get_objects(intel, as_user(intel, "ben"), "intel")  # his next request: the group's compartment is gone
    with pytest.raises(NotFound, match="not a member"):
        remove_member(intel, as_user(intel, "boss"), "partners", "ben")
    with pytest.raises(NotFound, match="no sharing group"):
        remove_member(intel, as_user(intel, "boss"), "nowhere", "ben")


def _recipients(workspace: Workspace, object_id: str) -> list[str]:
    with workspace.session() as session:
        statement = select_trusted(StixObject.tlp_recipients, why="a test reads a label").where(
            StixObject.stix_id == object_id
        )
        return sorted(session.scalar(statement) or [])


def test_amber_is_shared_with_the_organisations_of_the_members_as_they_are_now(intel: Workspace) -> None:
    boss, ana = as_user(intel, "boss"), as_user(intel, "ana")
    amber, strict = sid("indicator"), sid("indicator")
    add_objects(
        intel, ana, "intel", [sdo("indicator", amber, tlp="AMBER"), sdo("indicator", strict, tlp="AMBER+STRICT")]
    )
    assert _recipients(intel, amber) == ["kizashi", "lab-b", "lab-c"]
    with pytest.raises(NotFound):
        find_object(intel, as_user(intel, "gus"), amber)
    add_group(intel, boss, "partners", ["gus"])  # lab-g joins after the object was added
    gus = as_user(intel, "gus")
    assert find_object(intel, gus, amber).entry.stix_id == amber
    with pytest.raises(NotFound):
        find_object(intel, gus, strict)  # AMBER+STRICT stays with the adder's organisation
    assert _recipients(intel, amber) == ["kizashi", "lab-b", "lab-c", "lab-g"]
    remove_member(intel, boss, "partners", "ben")  # lab-b's only member leaves: lab-b receives no more
    assert _recipients(intel, amber) == ["kizashi", "lab-c", "lab-g"]
    with pytest.raises(NotFound):
        find_object(intel, as_user(intel, "ben"), amber)


def test_links_to_assets_follow_the_members_as_the_objects_do(intel: Workspace) -> None:
    """A link copies its object's AMBER label: a member who joins later reads the link as they read the object, and
    one whose organisation leaves stops reading it."""
    boss, ana = as_user(intel, "boss"), as_user(intel, "ana")
    malware = sid("malware")
    add_objects(intel, ana, "intel", [sdo("malware", malware, tlp="AMBER")])
    with intel.session() as session:
        session.add(Threat(id="T-open", category="cyber", name_en="x", name_ja="x", level="PUBLIC", content_hash="x"))
    link_asset(intel, ana, malware, "threats", "T-open")

    def seen(name: str) -> list[str]:
        return [asset.id for asset in assets_of(intel, as_user(intel, name).clearance, [malware])[malware]]

    assert seen("ana") == ["T-open"]
    assert seen("gus") == []
    add_group(intel, boss, "partners", ["gus"])
    assert seen("gus") == ["T-open"]
    remove_member(intel, boss, "partners", "ben")
    assert seen("ben") == []
