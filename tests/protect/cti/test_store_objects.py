"""The threat-intelligence store on both backends: every version kept, the TAXII filters and paging, an add all or
nothing, the TLP decision of each marking, sharing groups as compartments, hidden answering like missing."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from kizashi.errors import AccessDenied, InputError, NotFound
from kizashi.model import Base, StixObject
from kizashi.protect import people
from kizashi.protect.cti.groups import add_collection, add_group, get_collection, list_collections
from kizashi.protect.cti.store import (
    Filters,
    add_objects,
    delete_object,
    get_manifest,
    get_object,
    get_objects,
    get_status,
    get_versions,
)
from kizashi.protect.cti.tlp import MARKING_OF, TLP_MARKINGS
from kizashi.protect.people import actor_for as as_user
from kizashi.store import audit
from kizashi.store.readable import select_trusted
from kizashi.store.workspace import Workspace

TLP1_WHITE = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"
# name: (organisation, roles, member of "partners")
PEOPLE: dict[str, tuple[str | None, list[str], bool]] = {
    "ana": ("lab-a", ["analyst"], True),
    "ben": ("lab-b", ["analyst"], True),
    "cai": ("lab-a", ["analyst"], True),
    "fay": (None, ["analyst"], True),
    "eve": ("lab-c", ["security_officer"], True),
    "dan": ("lab-a", ["analyst"], False),
}


def stix_id(kind: str = "indicator") -> str:
    return f"{kind}--{uuid.uuid4()}"


def indicator(object_id: str | None = None, modified: str = "2026-01-01T00:00:00.000Z", **extra: Any) -> dict[str, Any]:
    return {
        "type": "indicator",
        "spec_version": "2.1",
        "id": object_id or stix_id(),
        "created": "2026-01-01T00:00:00.000Z",
        "modified": modified,
        "name": "bad domain",
        "pattern": "[domain-name:value = 'evil.example']",
        "pattern_type": "stix",
        "valid_from": "2026-01-01T00:00:00Z",
        **extra,
    }


@pytest.fixture
def shared(workspace: Workspace) -> Workspace:
    boss = as_user(workspace, "boss")
    people.add_user(workspace, boss, "boss", roles=["admin"], organisation="kizashi")
    boss = as_user(workspace, "boss")
    for name, (organisation, roles, _member) in PEOPLE.items():
        people.add_user(workspace, boss, name, roles=roles, organisation=organisation)
    add_group(workspace, boss, "partners", [name for name, (_o, _r, member) in PEOPLE.items() if member])
    add_collection(workspace, boss, "intel", "partners")
    add_collection(workspace, boss, "officers", "partners", read_roles=["security_officer"], default_tlp="GREEN")
    return workspace


def who_sees(workspace: Workspace, object_id: str, collection: str = "intel") -> set[str]:
    seen = set()
    for name in PEOPLE:
        try:
            page = get_object(workspace, as_user(workspace, name), collection, object_id)
        except NotFound:
            continue
        assert [entry.stix_id for entry in page.entries] == [object_id]
        seen.add(name)
    return seen


def test_every_version_is_kept_and_an_identical_one_is_no_new_row(shared: Workspace) -> None:
    ana = as_user(shared, "ana")
    object_id = stix_id()
    first = add_objects(shared, ana, "intel", [indicator(object_id, "2026-01-01T00:00:00.000Z")])
    assert first.success_count == 1 and first.successes[0]["version"] == "2026-01-01T00:00:00.000Z"
    add_objects(shared, ana, "intel", [indicator(object_id, "2026-02-01T00:00:00.5Z", name="renamed")])
    again = add_objects(shared, ana, "intel", [indicator(object_id, "2026-01-01T00:00:00.000Z")])
    assert again.successes == [{"id": object_id, "version": "2026-01-01T00:00:00.000Z", "message": "already stored"}]
    with shared.session() as session:
        rows = session.scalars(select_trusted(StixObject, why="a test counts versions")).all()
    assert len(rows) == 2
    last = get_object(shared, ana, "intel", object_id)
    assert [e.stix()["name"] for e in last.entries] == ["renamed"]
    assert last.entries[0].version == "2026-02-01T00:00:00.500Z"
    first_only = get_object(shared, ana, "intel", object_id, Filters.parse(versions=["first"]))
    assert [e.version for e in first_only.entries] == ["2026-01-01T00:00:00.000Z"]
    by_time = get_objects(shared, ana, "intel", Filters.parse(versions=["2026-02-01T00:00:00.500Z"]))
    assert [e.stix()["name"] for e in by_time.entries] == ["renamed"]
    versions = get_versions(shared, ana, "intel", object_id)
    assert [e.version for e in versions.entries] == ["2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.500Z"]
    both = get_objects(shared, ana, "intel", Filters.parse(versions=["first,last"]))
    assert len(both.entries) == 2
    # A different object under a stored id and version is refused, naming the id.
    with pytest.raises(InputError, match=object_id):
        add_objects(shared, ana, "intel", [indicator(object_id, "2026-01-01T00:00:00.000Z", name="forged")])
    status = get_status(shared, ana, "intel", first.id)
    assert status.as_taxii()["success_count"] == 1 and status.status == "complete"
    with pytest.raises(NotFound):
        get_status(shared, as_user(shared, "ben"), "intel", first.id)  # another's add: like none


def test_filters_and_paging_are_stable_and_give_the_date_added_bounds(shared: Workspace) -> None:
    ana = as_user(shared, "ana")
    added: list[str] = []
    for batch in range(3):
        objects = [indicator() for _ in range(7)] + [
            {"type": "ipv4-addr", "spec_version": "2.1", "id": stix_id("ipv4-addr"), "value": f"10.0.{batch}.{n}"}
            for n in range(2)
        ]
        add_objects(shared, ana, "intel", objects)
        added += [item["id"] for item in objects]
    pages, token = [], None
    while True:
        page = get_objects(shared, ana, "intel", Filters.parse(limit=4, next=token))
        pages.append(page)
        assert page.date_added_first == page.entries[0].date_added
        assert page.date_added_last == page.entries[-1].date_added
        if not page.more:
            assert page.next is None
            break
        token = page.next
    assert [e.stix_id for page in pages for e in page.entries] == added and len(pages) == 7
    middle = get_objects(shared, ana, "intel", Filters.parse(limit=100))
    cut = middle.entries[8].date_added  # the last of the first add
    after = get_objects(shared, ana, "intel", Filters.parse(added_after=cut))
    assert [e.stix_id for e in after.entries] == added[9:]
    addresses = get_objects(shared, ana, "intel", Filters.parse(types=["ipv4-addr"]))
    assert {e.type for e in addresses.entries} == {"ipv4-addr"} and len(addresses.entries) == 6
    chosen = get_objects(shared, ana, "intel", Filters.parse(ids=[f"{added[0]},{added[5]}"]))
    assert [e.stix_id for e in chosen.entries] == [added[0], added[5]]
    assert not get_objects(shared, ana, "intel", Filters.parse(spec_versions=["2.0"])).entries
    manifest = get_manifest(shared, ana, "intel", Filters.parse(limit=2))
    assert manifest.entries[0].manifest()["media_type"] == "application/stix+json;version=2.1"
    with pytest.raises(InputError, match="next"):
        get_objects(shared, ana, "intel", Filters.parse(next="bm9wZQ"))
    with pytest.raises(InputError, match="added_after"):
        Filters.parse(added_after="yesterday")


def test_an_add_is_all_or_nothing_naming_the_bad_object(
    shared: Workspace, snapshot: Callable[[Workspace], object]
) -> None:
    ana = as_user(shared, "ana")
    before = snapshot(shared)
    bad = indicator(object_marking_refs=["marking-definition--00000000-0000-4000-8000-000000000000"])
    with pytest.raises(InputError, match=bad["id"]) as refused:
        add_objects(shared, ana, "intel", [indicator(), indicator(), bad])
    assert "unknown marking definition" in str(refused.value)
    with pytest.raises(InputError, match="spec_version"):
        add_objects(shared, ana, "intel", [indicator(), {**indicator(), "spec_version": "2.0"}])
    with pytest.raises(InputError, match="type does not match"):
        add_objects(shared, ana, "intel", [{**indicator(), "type": "malware"}])
    with pytest.raises(InputError, match="modified"):
        add_objects(shared, ana, "intel", [indicator(modified="2026-13-01T00:00:00Z")])
    assert snapshot(shared) == before


@pytest.mark.parametrize(
    ("marking", "extra", "readers"),
    [
        ("CLEAR", {}, {"ana", "ben", "cai", "fay", "eve"}),
        ("GREEN", {}, {"ana", "ben", "cai", "fay", "eve"}),
        ("WHITE", {}, {"ana", "ben", "cai", "fay", "eve"}),
        ("AMBER", {}, {"ana", "ben", "cai", "eve"}),  # the organisations of the members; fay has none
        ("AMBER+STRICT", {}, {"ana", "cai"}),  # the adder's organisation only
        ("RED", {"x_kizashi_recipients": ["ben"]}, {"ana", "ben"}),  # the adder and those named
        ("RED", {}, {"ana"}),
        (None, {}, {"ana", "ben", "cai", "eve"}),  # the collection's default: AMBER
    ],
)
def test_each_marking_decides_who_reads(
    shared: Workspace, marking: str | None, extra: dict[str, Any], readers: set[str]
) -> None:
    refs = [] if marking is None else [TLP1_WHITE if marking == "WHITE" else MARKING_OF[marking]]
    item = indicator(**({"object_marking_refs": refs} if refs else {}), **extra)
    add_objects(shared, as_user(shared, "ana"), "intel", [item])
    assert who_sees(shared, item["id"]) == readers  # dan, outside the group, never


def test_markings_take_the_strictest_and_may_name_a_statement_in_the_same_add(shared: Workspace) -> None:
    ana = as_user(shared, "ana")
    statement = {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": "marking-definition--" + str(uuid.uuid4()),
        "created": "2026-01-01T00:00:00.000Z",
        "definition_type": "statement",
        "definition": {"statement": "Copyright partners"},
        "object_marking_refs": [MARKING_OF["CLEAR"]],
    }
    both = indicator(object_marking_refs=[MARKING_OF["GREEN"], MARKING_OF["AMBER+STRICT"], statement["id"]])
    add_objects(shared, ana, "intel", [statement, both])
    assert who_sees(shared, both["id"]) == {"ana", "cai"}
    later = indicator(object_marking_refs=[statement["id"]])  # a stored marking the adder may read
    add_objects(shared, as_user(shared, "ben"), "intel", [later])
    assert who_sees(shared, later["id"]) == {"ana", "ben", "cai", "eve"}
    assert set(TLP_MARKINGS.values()) == {"CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"}


def test_hidden_collections_and_objects_answer_like_missing_ones(shared: Workspace) -> None:
    dan, ana, ben = as_user(shared, "dan"), as_user(shared, "ana"), as_user(shared, "ben")
    assert list_collections(shared, dan) == []
    assert [c.name for c in list_collections(shared, ana)] == ["intel", "officers"]
    officers = {c.name: c for c in list_collections(shared, ana)}["officers"]
    assert not officers.can_read and officers.can_write  # write roles empty: every member adds
    with pytest.raises(NotFound) as hidden:
        get_collection(shared, dan, "intel")
    with pytest.raises(NotFound) as missing:
        get_collection(shared, dan, "nowhere")
    assert str(hidden.value).replace("intel", "X") == str(missing.value).replace("nowhere", "X")
    with pytest.raises(NotFound):
        get_objects(shared, dan, "intel")
    with pytest.raises(AccessDenied):
        get_objects(shared, ana, "officers")  # a member without the collection's role
    secret = indicator(object_marking_refs=[MARKING_OF["RED"]])
    add_objects(shared, ana, "intel", [secret])
    with pytest.raises(NotFound) as hidden_object:
        get_object(shared, ben, "intel", secret["id"])
    absent = stix_id()
    with pytest.raises(NotFound) as missing_object:
        get_object(shared, ben, "intel", absent)
    assert str(hidden_object.value).replace(secret["id"], "X") == str(missing_object.value).replace(absent, "X")
    with pytest.raises(NotFound):
        delete_object(shared, ben, "intel", secret["id"])  # may not delete what one may not read
    denied = [e for e in audit.iter_events(shared) if e["action"] == "denied"]
    assert {e["detail"]["service"] for e in denied} >= {"cti.collection", "cti.objects", "cti.object", "cti.delete"}  # type: ignore[index]


def test_delete_removes_all_or_the_named_versions(shared: Workspace) -> None:
    ana = as_user(shared, "ana")
    object_id = stix_id()
    times = [
        (datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=d)).strftime("%Y-%m-%dT%H:%M:%S.000Z") for d in range(3)
    ]
    add_objects(shared, ana, "intel", [indicator(object_id, moment) for moment in times])
    assert delete_object(shared, ana, "intel", object_id, ["first"]) == 1
    assert [e.version for e in get_versions(shared, ana, "intel", object_id).entries] == times[1:]
    assert delete_object(shared, ana, "intel", object_id) == 2
    with pytest.raises(NotFound):
        get_versions(shared, ana, "intel", object_id)
    events = [e for e in audit.iter_events(shared) if e["action"] == "cti_delete"]
    assert [e["detail"]["versions"] for e in events] == [times[:1], times[1:]]  # type: ignore[index]


def test_groups_and_collections_need_the_administer_permission(shared: Workspace) -> None:
    ana = as_user(shared, "ana")
    with pytest.raises(AccessDenied):
        add_group(shared, ana, "mine", ["ana"])
    with pytest.raises(AccessDenied):
        add_collection(shared, ana, "mine", "partners")
    boss = as_user(shared, "boss")
    with pytest.raises(NotFound):
        add_collection(shared, boss, "orphan", "no-such-group")
    with pytest.raises(InputError, match="exists already"):
        add_collection(shared, boss, "intel", "partners")
    with pytest.raises(InputError, match="TLP"):
        add_collection(shared, boss, "other", "partners", default_tlp="PURPLE")
    # Adding dan makes him read the group's collections: membership is the compartment.
    assert add_group(shared, boss, "partners", ["dan"]) == sorted(PEOPLE)
    assert [c.name for c in list_collections(shared, as_user(shared, "dan"))] == ["intel", "officers"]


def test_the_migration_matches_the_model(workspace: Workspace) -> None:
    ours = {"cti_groups", "cti_group_members", "cti_collections", "cti_objects", "cti_statuses"}
    with workspace.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diffs = compare_metadata(context, Base.metadata)

    def names(diff: object) -> set[object]:
        parts = diff if isinstance(diff, tuple | list) else (diff,)
        found: set[object] = set()
        for part in parts:
            if isinstance(part, tuple | list):
                found |= names(part)
            found.add(getattr(part, "name", None))
            found.add(getattr(getattr(part, "table", None), "name", None))
        return found

    assert [diff for diff in diffs if ours & names(diff)] == []
