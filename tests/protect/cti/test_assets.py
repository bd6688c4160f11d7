"""Research assets tied to threats (protect/cti/assets.py) on both backends: link, list and unlink; a hidden asset or
object answers like a missing one; a link is shown only while its object and asset are readable; assets reached
through a threat of the register; and a property over random clearances and labels."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from kizashi.errors import InputError, NotFound
from kizashi.messages import Words
from kizashi.model import Goal, ProgrammeProject, Seed, Technology, Threat
from kizashi.policy import Actor, Clearance, Label, can_read
from kizashi.protect.cti.assets import assets_of, link_asset, list_links, unlink_asset
from kizashi.protect.cti.groups import add_collection, add_group
from kizashi.protect.cti.store import Filters, add_objects, delete_object, get_objects
from kizashi.protect.cti.tlp import MARKING_OF
from kizashi.store import audit
from kizashi.store.workspace import Workspace

BOSS = Actor.operator("boss")
GROUP = "group:partners"
STAMP = "2026-01-01T00:00:00.000Z"
MALWARE = "malware--0c5e1a52-6f3c-4d1c-9a51-2b7f0d0a1c01"
ACTOR = "threat-actor--0c5e1a52-6f3c-4d1c-9a51-2b7f0d0a1c02"
SECRET_MALWARE = "malware--0c5e1a52-6f3c-4d1c-9a51-2b7f0d0a1c03"  # in the CONFIDENTIAL collection
INDICATOR = "indicator--0c5e1a52-6f3c-4d1c-9a51-2b7f0d0a1c04"


def reader(
    name: str = "ana",
    level: str = "PUBLIC",
    compartments: tuple[str, ...] = (GROUP,),
    organisation: str | None = "lab-a",
) -> Actor:
    """A managed actor of this clearance (services take it as given); a member of 'partners' by default."""
    clearance = Clearance(name, level, frozenset(compartments), organisation, frozenset({"analyst"}))
    return Actor(clearance, via="test")


def stix(kind: str, ident: str, **fields: Any) -> dict[str, Any]:
    return {"type": kind, "spec_version": "2.1", "id": ident, "created": STAMP, "modified": STAMP, **fields}


def labelled(level: str = "PUBLIC", compartments: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"level": level, "compartments": list(compartments), "content_hash": uuid.uuid4().hex}


def add_rows(workspace: Workspace, *rows: Any) -> None:
    with workspace.session() as session:
        session.add_all(rows)


@pytest.fixture
def assets(workspace: Workspace) -> Workspace:
    """Collections 'intel' (PUBLIC) and 'secret-intel' (CONFIDENTIAL) of 'partners'; seeds, technologies, threats,
    a goal answering the grid threat with two projects, one CONFIDENTIAL; a CONFIDENTIAL seed in compartment alpha."""
    add_group(workspace, BOSS, "partners")
    add_collection(workspace, BOSS, "intel", "partners", default_tlp="GREEN")
    add_collection(workspace, BOSS, "secret-intel", "partners", default_tlp="GREEN", level="CONFIDENTIAL")
    add_objects(
        workspace,
        BOSS,
        "intel",
        [
            stix("malware", MALWARE, name="GridWiper", is_family=True),
            stix("threat-actor", ACTOR, name="Volt Example"),
            stix(
                "indicator",
                INDICATOR,
                pattern="[domain-name:value = 'evil.example']",
                pattern_type="stix",
                valid_from="2026-01-01T00:00:00Z",
            ),
        ],
    )
    add_objects(workspace, BOSS, "secret-intel", [stix("malware", SECRET_MALWARE, name="Quiet", is_family=True)])
    add_rows(
        workspace,
        Seed(id="S1", title="Grid anomaly detection", **labelled()),
        Seed(id="S-secret", title="Reactor control", **labelled("CONFIDENTIAL", ("alpha",))),
        Technology(id="tech-grid", name_en="Grid control", name_ja="電力制御", **labelled()),
        Technology(id="tech-hidden", name_en="Hidden", name_ja="秘匿", **labelled("SECRET")),
        Threat(
            id="T-grid",
            category="cyber",
            name_en="Attack on grid control",
            name_ja="電力制御系への攻撃",
            technologies=["tech-grid", "tech-hidden", "tech-missing"],
            **labelled(),
        ),
        Goal(
            id="G1",
            title_ja="電力網の防護",
            threats=["T-grid"],
            capability="detect",
            target_date=date(2030, 3, 31),
            target="all substations",
            created_by="boss",
            **labelled(),
        ),
        ProgrammeProject(
            id="P1",
            goal_id="G1",
            title="Substation monitor",
            manager="boss",
            status="active",
            created_by="boss",
            **labelled(),
        ),
        ProgrammeProject(
            id="P-conf",
            goal_id="G1",
            title="Classified monitor",
            manager="boss",
            status="active",
            created_by="boss",
            **labelled("CONFIDENTIAL"),
        ),
    )
    return workspace


def test_link_list_and_unlink(assets: Workspace) -> None:
    ana = reader()
    made = link_asset(assets, ana, MALWARE, "seeds", "S1", reason="  targets our detector  ")
    assert made.created
    assert (made.link.stix_id, made.link.asset_id, made.link.reason) == (MALWARE, "S1", "targets our detector")
    assert made.link.object_type == "malware" and made.link.object_name == "GridWiper"
    again = link_asset(assets, ana, MALWARE, "seeds", "S1")
    assert not again.created and again.link.id == made.link.id  # not stored twice
    link_asset(assets, ana, ACTOR, "technologies", "tech-grid")

    links = list_links(assets, ana)
    assert [(link.stix_id, link.asset_kind, link.asset_id) for link in links] == [
        (MALWARE, "seeds", "S1"),
        (ACTOR, "technologies", "tech-grid"),
    ]
    assert [link.asset_id for link in list_links(assets, ana, MALWARE)] == ["S1"]
    assert [link.stix_id for link in list_links(assets, ana, asset=("technologies", "tech-grid"))] == [ACTOR]
    technology = list_links(assets, ana, ACTOR)[0].asset_title
    assert isinstance(technology, Words) and (technology.ja, str(technology)) == ("電力制御", "Grid control")

    assert unlink_asset(assets, ana, MALWARE, "seeds", "S1") == [made.link.id]
    assert list_links(assets, ana, MALWARE) == []
    with pytest.raises(NotFound):
        unlink_asset(assets, ana, MALWARE, "seeds", "S1")

    events = {event["action"]: event for event in audit.iter_events(assets)}
    assert events["cti_link"]["detail"]["asset"] == "tech-grid"
    assert events["cti_unlink"]["detail"]["links"] == [made.link.id]
    assert events["cti_unlink"]["detail"]["reasons"] == ["targets our detector"]
    assert events["denied"]["detail"]["service"] == "cti.unlink"


def test_refuses_unknown_kinds_and_types(assets: Workspace) -> None:
    with pytest.raises(InputError) as kind:
        link_asset(assets, reader(), MALWARE, "works", "S1")
    assert "works" in str(kind.value) and "seeds" in str(kind.value)
    with pytest.raises(InputError) as wrong:
        link_asset(assets, reader(), INDICATOR, "seeds", "S1")
    assert "is not a threat" in str(wrong.value)
    assert "脅威ではありません" in wrong.value.reason.said("ja")


def _same_refusal(call_hidden: Any, call_missing: Any, hidden: str, missing: str) -> None:
    with pytest.raises(NotFound) as refused:
        call_hidden()
    with pytest.raises(NotFound) as absent:
        call_missing()
    assert str(refused.value).replace(hidden, "X") == str(absent.value).replace(missing, "X")


def test_a_hidden_asset_or_object_answers_like_a_missing_one(assets: Workspace) -> None:
    ana = reader()  # PUBLIC: neither the CONFIDENTIAL seed nor the CONFIDENTIAL collection's malware
    _same_refusal(
        lambda: link_asset(assets, ana, MALWARE, "seeds", "S-secret"),
        lambda: link_asset(assets, ana, MALWARE, "seeds", "S-none"),
        "S-secret",
        "S-none",
    )
    gone = "malware--0c5e1a52-6f3c-4d1c-9a51-2b7f0d0a1cff"
    _same_refusal(
        lambda: link_asset(assets, ana, SECRET_MALWARE, "seeds", "S1"),
        lambda: link_asset(assets, ana, gone, "seeds", "S1"),
        SECRET_MALWARE,
        gone,
    )
    outsider = reader("dan", "SECRET", ("alpha",))  # no sharing group: no object at all
    with pytest.raises(NotFound):
        link_asset(assets, outsider, MALWARE, "seeds", "S-secret")
    assert list_links(assets, ana) == []
    denied = [e for e in audit.iter_events(assets) if e["action"] == "denied"]
    assert {e["detail"]["service"] for e in denied} == {"cti.link"} and len(denied) == 5


def test_a_link_is_shown_only_with_its_object_and_asset(assets: Workspace) -> None:
    officer = reader("ola", "CONFIDENTIAL", (GROUP, "alpha"))
    made = link_asset(assets, officer, SECRET_MALWARE, "seeds", "S1").link
    link_asset(assets, officer, MALWARE, "seeds", "S-secret")
    assert made.label.startswith("CONFIDENTIAL")  # the higher of the two: the collection's level
    assert len(list_links(assets, officer)) == 2
    assert list_links(assets, reader()) == []  # PUBLIC: neither object nor seed of those links
    assert assets_of(assets, reader().clearance, [MALWARE, SECRET_MALWARE]) == {MALWARE: [], SECRET_MALWARE: []}
    no_alpha = reader("cai", "CONFIDENTIAL")
    assert [link.stix_id for link in list_links(assets, no_alpha)] == [SECRET_MALWARE]

    link_asset(assets, reader(), MALWARE, "seeds", "S1")
    assert len(list_links(assets, reader())) == 1
    with assets.session() as session:  # relabelled since: the link goes with its asset
        session.execute(update(Seed).where(Seed.id == "S1").values(level="INTERNAL"))
    assert list_links(assets, reader()) == []
    assert assets_of(assets, reader().clearance, [MALWARE]) == {MALWARE: []}
    assert [link.asset_id for link in list_links(assets, reader("ivy", "INTERNAL"), MALWARE)] == ["S1"]


def test_a_deleted_or_unreadable_object_takes_its_links_with_it(assets: Workspace) -> None:
    link_asset(assets, reader(), ACTOR, "technologies", "tech-grid")
    assert [a.id for a in assets_of(assets, reader().clearance, [ACTOR])[ACTOR]] == ["tech-grid"]
    delete_object(assets, BOSS, "intel", ACTOR)
    assert assets_of(assets, reader().clearance, [ACTOR]) == {ACTOR: []}
    assert list_links(assets, reader()) == []


def test_assets_through_a_threat_of_the_register(assets: Workspace) -> None:
    ana = reader()
    link_asset(assets, ana, MALWARE, "threats", "T-grid", reason="wipes grid control")
    found = assets_of(assets, ana.clearance, [MALWARE, ACTOR])
    assert found[ACTOR] == []
    shown = [(a.kind, a.id, a.via, a.reason) for a in found[MALWARE]]
    assert shown == [
        ("threats", "T-grid", "link", "wipes grid control"),
        ("programme_projects", "P1", "threat:T-grid", "wipes grid control"),
        ("technologies", "tech-grid", "threat:T-grid", "wipes grid control"),
    ]
    threat = found[MALWARE][0].title
    assert isinstance(threat, Words) and threat.ja == "電力制御系への攻撃"
    assert found[MALWARE][0].as_json()["title_ja"] == "電力制御系への攻撃"

    cleared = reader("sam", "SECRET")  # reads the CONFIDENTIAL project and the SECRET technology
    ids = {(a.kind, a.id) for a in assets_of(assets, cleared.clearance, [MALWARE])[MALWARE]}
    assert {("programme_projects", "P-conf"), ("technologies", "tech-hidden")} < ids
    with assets.session() as session:  # a goal above the reader hides the projects under it
        session.execute(update(Goal).where(Goal.id == "G1").values(level="SECRET"))
        found_in_session = assets_of(session, ana.clearance, [MALWARE])
    assert [a.id for a in found_in_session[MALWARE]] == ["T-grid", "tech-grid"]


# ── property: random clearances × labels of object and asset ─────────────────────────────────────────────────────

LEVELS = ("PUBLIC", "INTERNAL", "CONFIDENTIAL")
COLLECTIONS = {"c-public": "PUBLIC", "c-internal": "INTERNAL"}
ORGANISATIONS = ("lab-a", "lab-b", None)
PEOPLE = ("ana", "ben", "cai")


@pytest.fixture
def shelves(workspace: Workspace) -> Workspace:
    add_group(workspace, BOSS, "partners")
    for name, level in COLLECTIONS.items():
        add_collection(workspace, BOSS, name, "partners", default_tlp="CLEAR", level=level)
    return workspace


clearances = st.builds(
    lambda name, level, alpha, member, organisation: reader(
        name, level, (*((GROUP,) if member else ()), *(("alpha",) if alpha else ())), organisation
    ),
    st.sampled_from(PEOPLE),
    st.sampled_from(LEVELS),
    st.booleans(),
    st.booleans(),
    st.sampled_from(ORGANISATIONS),
)


def _reads(workspace: Workspace, actor: Actor, collection: str, object_id: str) -> bool:
    """Whether the store itself lets `actor` read the object (its own services, not the code under test)."""
    try:
        return bool(get_objects(workspace, actor, collection, Filters(ids=(object_id,))).entries)
    except NotFound:
        return False


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    collection=st.sampled_from(sorted(COLLECTIONS)),
    tlp=st.sampled_from(("CLEAR", "GREEN", "AMBER", "RED")),
    adder=st.sampled_from(ORGANISATIONS[:2]),
    recipients=st.sets(st.sampled_from(PEOPLE), max_size=2),
    kind=st.sampled_from(("seeds", "technologies")),
    asset_level=st.sampled_from(LEVELS),
    asset_alpha=st.booleans(),
    readers=st.lists(clearances, min_size=1, max_size=4),
)
def test_a_shown_asset_is_readable_and_a_readable_pair_is_shown(
    shelves: Workspace,
    collection: str,
    tlp: str,
    adder: str,
    recipients: set[str],
    kind: str,
    asset_level: str,
    asset_alpha: bool,
    readers: list[Actor],
) -> None:
    object_id = f"threat-actor--{uuid.uuid4()}"
    item = stix(
        "threat-actor",
        object_id,
        name="random",
        object_marking_refs=[MARKING_OF[tlp]],
        x_kizashi_recipients=sorted(recipients),
    )
    add_objects(shelves, reader("boss", "SECRET", (GROUP, "alpha"), adder), collection, [item])
    asset_id = f"A-{uuid.uuid4().hex[:12]}"
    label = labelled(asset_level, ("alpha",) if asset_alpha else ())
    if kind == "seeds":
        add_rows(shelves, Seed(id=asset_id, title="a seed", **label))
    else:
        add_rows(shelves, Technology(id=asset_id, name_en="a technology", name_ja="技術", **label))
    link_asset(shelves, BOSS, object_id, kind, asset_id, reason="random")
    asset_label = Label(asset_level, frozenset(label["compartments"]))
    for actor in readers:
        reads_object = _reads(shelves, actor, collection, object_id)
        reads_asset = can_read(actor.clearance, asset_label)
        expected = reads_object and reads_asset
        shown = assets_of(shelves, actor.clearance, [object_id])[object_id]
        assert [(a.kind, a.id) for a in shown] == ([(kind, asset_id)] if expected else []), (actor, tlp, recipients)
        links = list_links(shelves, actor, object_id)
        assert [link.asset_id for link in links] == ([asset_id] if expected else [])
