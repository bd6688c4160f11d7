"""The access policy: `can_read` is the rule; `readable` (its SQL twin), and `select_readable` built on it, must select
exactly the rows `can_read` allows, on both backends, whatever the compartment names contain (Japanese, spaces,
quotes, LIKE wildcards)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Table, delete, func, insert
from sqlalchemy.orm import aliased

from kizashi.model import Need
from kizashi.policy import LEVELS, TLP, Clearance, Label, can_read, tlp_constraints
from kizashi.policy.sql import readable
from kizashi.store.readable import select_readable, select_trusted
from kizashi.store.workspace import Workspace

NEEDS: Table = Need.__table__  # type: ignore[assignment]

# Names chosen to break string-built SQL or JSON: quotes, LIKE wildcards, backslashes, full/half width, case.
NASTY = [
    "a",
    "A",
    "b",
    "防衛",
    "防衛 装備",
    "ｶﾀｶﾅ",
    "カタカナ",
    "with space",
    " lead",
    "it's",
    "'",
    "''",
    '"',
    'say "hi"',
    "%",
    "_",
    "50%_off",
    "back\\slash",
    "[]",
    '["a"]',
    "null",
    ",",
    "",
]
names = st.one_of(
    st.sampled_from(NASTY),
    # Any text a JSON string can hold on both backends (PostgreSQL's jsonb refuses \u0000; UTF-8 refuses surrogates).
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=6),
)
levels = st.sampled_from(LEVELS)
ORGANISATIONS = ["NIDS", "防衛省", "it's"]
PEOPLE = ["user", "hanako", "'"]
tlp_markings = st.none() | st.sampled_from(TLP)


@st.composite
def labels(draw: st.DrawFn) -> Label:
    """Labels with and without TLP markings, their constraints built the way a stored record's are."""
    level, compartments, tlp = draw(levels), draw(st.frozensets(names, max_size=3)), draw(tlp_markings)
    owner = draw(st.none() | st.sampled_from(ORGANISATIONS))
    recipients = draw(st.frozensets(st.sampled_from(ORGANISATIONS + PEOPLE), max_size=3))
    organisations, people = tlp_constraints(tlp, owner, recipients)
    return Label(level, compartments, tlp, organisations, people)


labels = labels()  # type: ignore[assignment]
clearances = st.builds(
    Clearance,
    st.just("user"),
    levels,
    st.frozensets(names, max_size=4),
    st.none() | st.sampled_from(["NIDS", "防衛省"]),
    st.frozensets(st.sampled_from(["analyst", "admin"])),
)


def rank(level: str) -> int:
    return LEVELS.index(level)


# ── the rule ────────────────────────────────────────────────────────────────────────────────────────────────

CASES = [
    # clearance level, clearance compartments, label level, label compartments, readable
    ("PUBLIC", [], "PUBLIC", [], True),
    ("PUBLIC", [], "INTERNAL", [], False),
    ("PUBLIC", ["x"], "PUBLIC", ["x"], True),
    ("PUBLIC", [], "PUBLIC", ["x"], False),
    ("INTERNAL", [], "PUBLIC", [], True),
    ("INTERNAL", [], "CONFIDENTIAL", [], False),
    ("CONFIDENTIAL", ["x"], "CONFIDENTIAL", ["x"], True),
    ("CONFIDENTIAL", ["x"], "SECRET", ["x"], False),
    ("SECRET", [], "SECRET", [], True),
    ("SECRET", [], "PUBLIC", ["x"], False),  # level alone is not enough
    ("SECRET", ["x"], "PUBLIC", ["x", "y"], False),  # every compartment is needed
    ("SECRET", ["x", "y", "z"], "CONFIDENTIAL", ["x", "y"], True),
    ("SECRET", ["防衛"], "SECRET", ["防衛"], True),
    ("SECRET", ["ｶﾀｶﾅ"], "SECRET", ["カタカナ"], False),  # names compare exactly, no width folding here
    ("SECRET", ["x"], "SECRET", ["X"], False),  # nor case folding
    ("SECRET", ["%"], "SECRET", ["a"], False),  # wildcards are plain characters
    ("SECRET", ["_"], "SECRET", ["a"], False),
    ("SECRET", ["*"], "SECRET", ["a"], False),  # no name means "all"
    ("SECRET", [""], "SECRET", [""], True),
]


@pytest.mark.parametrize(("user_level", "held", "level", "needed", "expected"), CASES)
def test_rule_cases(user_level: str, held: list[str], level: str, needed: list[str], expected: bool) -> None:
    assert can_read(Clearance("u", user_level, frozenset(held)), Label(level, frozenset(needed))) is expected


@given(clearances, labels)
def test_no_read_up(clearance: Clearance, label: Label) -> None:
    allowed = can_read(clearance, label)
    tlp_ok = (label.organisations is None or clearance.organisation in label.organisations) and (
        label.people is None or clearance.user in label.people
    )
    if allowed:
        assert rank(label.level) <= rank(clearance.level)
        assert label.compartments <= clearance.compartments
        assert tlp_ok
    else:
        assert (
            rank(label.level) > rank(clearance.level) or not label.compartments <= clearance.compartments or not tlp_ok
        )


@given(clearances, labels, st.integers(0, 3), st.frozensets(names, max_size=3))
def test_more_clearance_never_loses_access(clearance: Clearance, label: Label, up: int, more: frozenset[str]) -> None:
    higher = dataclasses.replace(
        clearance,
        level=LEVELS[min(rank(clearance.level) + up, len(LEVELS) - 1)],
        compartments=clearance.compartments | more,
    )
    if can_read(clearance, label):
        assert can_read(higher, label)
    # Whatever the higher clearance cannot read, the lower one cannot either.
    if not can_read(higher, label):
        assert not can_read(clearance, label)


@given(clearances, st.lists(labels, max_size=6))
def test_a_product_is_readable_exactly_when_all_its_inputs_are(clearance: Clearance, inputs: list[Label]) -> None:
    product = Label.highest(inputs)
    assert can_read(clearance, product) == all(can_read(clearance, label) for label in inputs)
    for label in inputs:
        assert rank(label.level) <= rank(product.level) and label.compartments <= product.compartments


def test_highest() -> None:
    assert Label.highest([]) == Label("PUBLIC", frozenset())
    mixed = [Label("INTERNAL", frozenset({"a"})), Label("SECRET", frozenset()), Label("PUBLIC", frozenset({"b"}))]
    assert Label.highest(mixed) == Label("SECRET", frozenset({"a", "b"}))
    assert Label.highest(iter(mixed)) == Label.highest(mixed)
    amber = Label("PUBLIC", tlp="AMBER", organisations=frozenset({"NISC", "JPCERT"}))
    strict = Label("PUBLIC", tlp="AMBER+STRICT", organisations=frozenset({"JPCERT"}))
    assert Label.highest([amber, Label("INTERNAL", tlp="GREEN"), strict]) == Label(
        "INTERNAL", tlp="AMBER+STRICT", organisations=frozenset({"JPCERT"})
    )


@given(labels)
def test_everything_reads_all_and_public_only_public(label: Label) -> None:
    assert can_read(Clearance.everything("job"), label)
    unconstrained = label.organisations is None and label.people is None  # CLEAR, GREEN or no marking
    assert can_read(Clearance.public("anon"), label) == (
        label.level == "PUBLIC" and not label.compartments and unconstrained
    )


def test_the_wildcard_cannot_be_made_from_input() -> None:
    everything = Clearance.everything("job")
    assert everything.every_compartment and everything.level == "SECRET"
    with pytest.raises(TypeError):
        Clearance("mallory", "SECRET", every_compartment=True)  # type: ignore[call-arg]
    # Copying with changes goes through the constructor and drops it.
    assert not dataclasses.replace(everything, user="mallory").every_compartment
    # A clearance built from the same fields as input would give is an ordinary one.
    fields: dict[str, Any] = {
        "user": "job",
        "level": "SECRET",
        "compartments": frozenset({"*"}),
        "roles": frozenset({"admin"}),
    }
    assert not Clearance(**fields).every_compartment
    assert not can_read(Clearance(**fields), Label("SECRET", frozenset({"a"})))


def test_labels_and_clearances_validate() -> None:
    assert Label("SECRET", ["b", "a", "a"]).compartments == frozenset({"a", "b"})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown level"):
        Label("TOP SECRET")
    with pytest.raises(ValueError, match="unknown level"):
        Label("secret")
    with pytest.raises(ValueError, match="list of names"):
        Label("SECRET", "ab")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="must be a string"):
        Label("SECRET", [None])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown level"):
        Clearance("u", "RESTRICTED")
    with pytest.raises(ValueError, match="list of names"):
        Clearance("u", "SECRET", "abc")  # type: ignore[arg-type]
    assert Clearance("u", "SECRET", ["a"], roles=["admin"]).roles == frozenset({"admin"})  # type: ignore[arg-type]


def test_label_of_a_record() -> None:
    assert Label.of({"id": "n1", "level": "CONFIDENTIAL", "compartments": ["a", "防衛"]}) == Label(
        "CONFIDENTIAL", frozenset({"a", "防衛"})
    )
    with pytest.raises(KeyError):
        Label.of({"id": "n1", "level": "SECRET"})  # a row without its compartments is not labelled PUBLIC
    with pytest.raises(ValueError):
        Label.of({"level": "SECRET", "compartments": None})
    with pytest.raises(ValueError):
        Label.of({"level": "UNKNOWN", "compartments": []})


def test_unknown_dialect_is_refused() -> None:
    with pytest.raises(ValueError, match="no access filter"):
        readable(NEEDS, Clearance("u"), "mysql")
    with pytest.raises(ValueError, match="no access filter"):
        readable(NEEDS, Clearance.everything("job"), "mysql")


# ── the rule in SQL, on both backends ───────────────────────────────────────────────────────────────────────


TLP_CASES = [
    # marking, owner, recipients, reader's organisation, reader, readable
    ("CLEAR", None, [], None, "u", True),
    ("GREEN", None, [], None, "u", True),
    ("AMBER", "NISC", [], "NISC", "u", True),
    ("AMBER", "NISC", ["JPCERT"], "JPCERT", "u", True),
    ("AMBER", "NISC", ["JPCERT"], "NIDS", "u", False),
    ("AMBER", "NISC", [], None, "u", False),
    ("AMBER+STRICT", "NISC", ["JPCERT"], "JPCERT", "u", False),  # strict: the owner's organisation only
    ("AMBER+STRICT", "NISC", [], "NISC", "u", True),
    ("RED", "NISC", ["hanako"], "NISC", "u", False),  # RED: named people, not organisations
    ("RED", "NISC", ["hanako"], None, "hanako", True),
    ("RED", "NISC", ["NISC"], "NISC", "u", False),
]


@pytest.mark.parametrize(("tlp", "owner", "recipients", "organisation", "user", "expected"), TLP_CASES)
def test_tlp_cases_in_python_and_sql(
    workspace: Workspace,
    tlp: str,
    owner: str | None,
    recipients: list[str],
    organisation: str | None,
    user: str,
    expected: bool,
) -> None:
    record = {"level": "PUBLIC", "compartments": [], "tlp": tlp, "tlp_owner": owner, "tlp_recipients": recipients}
    clearance = Clearance(user, "SECRET", frozenset(), organisation)
    assert can_read(clearance, Label.of(record)) is expected
    store_tlp(workspace, [(tlp, owner, recipients)])
    assert selected(workspace, clearance)[1] == int(expected)
    assert selected(workspace, Clearance.everything("job"))[1] == 1


def store_tlp(workspace: Workspace, rows: Sequence[tuple[str | None, str | None, list[str]]]) -> list[str]:
    """Replace the needs by PUBLIC ones carrying these TLP markings."""
    ids = store(workspace, [("PUBLIC", [])] * len(rows))
    with workspace.engine.begin() as connection:
        for id_, (tlp, owner, recipients) in zip(ids, rows, strict=True):
            connection.execute(
                NEEDS.update().where(NEEDS.c.id == id_).values(tlp=tlp, tlp_owner=owner, tlp_recipients=recipients)
            )
    return ids


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(
            tlp_markings,
            st.none() | st.sampled_from(ORGANISATIONS),
            st.lists(st.sampled_from(ORGANISATIONS + PEOPLE), max_size=3),
        ),
        max_size=12,
    ),
    readers=st.lists(
        st.tuples(st.sampled_from(PEOPLE), st.none() | st.sampled_from(ORGANISATIONS)), min_size=1, max_size=3
    ),
)
def test_tlp_sql_filter_selects_exactly_what_can_read_allows(
    workspace: Workspace,
    rows: list[tuple[str | None, str | None, list[str]]],
    readers: list[tuple[str, str | None]],
) -> None:
    ids = store_tlp(workspace, rows)
    for user, organisation in readers:
        clearance = Clearance(user, "PUBLIC", frozenset(), organisation)
        expected = {
            id_
            for id_, (tlp, owner, recipients) in zip(ids, rows, strict=True)
            if can_read(
                clearance,
                Label.of(
                    {
                        "level": "PUBLIC",
                        "compartments": [],
                        "tlp": tlp,
                        "tlp_owner": owner,
                        "tlp_recipients": recipients,
                    }
                ),
            )
        }
        assert selected(workspace, clearance) == (expected, len(expected))


def store(workspace: Workspace, rows: Sequence[tuple[str, Any]]) -> list[str]:
    """Replace the needs by one per (level, compartments) row; their ids in order."""
    ids = [f"n{number:03d}" for number in range(len(rows))]
    with workspace.engine.begin() as connection:
        connection.execute(delete(NEEDS))
        if rows:
            connection.execute(
                insert(NEEDS),
                [
                    {
                        "id": id_,
                        "title": f"need {id_}",
                        "description": "",
                        "keywords": [],
                        "extra": {},
                        "level": level,
                        "compartments": compartments,
                        "content_hash": "0" * 32,
                    }
                    for id_, (level, compartments) in zip(ids, rows, strict=True)
                ],
            )
    return ids


def selected(workspace: Workspace, clearance: Clearance) -> tuple[set[str], int]:
    """The ids and the count of the needs `clearance` reads, selected the one way a reader's select is built."""
    backend = workspace.backend
    with workspace.engine.connect() as connection:
        ids = set(connection.execute(select_readable(clearance, backend, NEEDS, columns=[NEEDS.c.id])).scalars())
        count = connection.execute(select_readable(clearance, backend, NEEDS, columns=[func.count()])).scalar_one()
    return ids, count


@st.composite
def scenarios(draw: st.DrawFn, max_users: int = 4) -> tuple[list[tuple[str, list[str]]], list[Clearance]]:
    """Records and users whose compartments come from one small pool of names, so that they overlap often: a user
    holding some, all or none of what a record needs."""
    pool = draw(st.lists(names, min_size=1, max_size=6, unique=True))
    some = st.lists(st.sampled_from(pool), max_size=3)
    rows = draw(st.lists(st.tuples(levels, some), max_size=25))
    users = draw(
        st.lists(
            st.builds(Clearance, st.just("user"), levels, st.frozensets(st.sampled_from(pool), max_size=len(pool))),
            min_size=1,
            max_size=max_users,
        )
    )
    return rows, users


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scenario=scenarios())
def test_sql_filter_selects_exactly_what_can_read_allows(
    workspace: Workspace, scenario: tuple[list[tuple[str, list[str]]], list[Clearance]]
) -> None:
    rows, users = scenario
    ids = store(workspace, rows)
    for clearance in [*users, Clearance.public("anon"), Clearance.everything("job")]:
        expected = {
            id_
            for id_, (level, needed) in zip(ids, rows, strict=True)
            if can_read(clearance, Label(level, frozenset(needed)))
        }
        got, count = selected(workspace, clearance)
        assert got == expected, clearance
        assert count == len(expected)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scenario=scenarios(max_users=1))
def test_sql_filter_through_the_orm_and_aliases(
    workspace: Workspace, scenario: tuple[list[tuple[str, list[str]]], list[Clearance]]
) -> None:
    rows, [clearance] = scenario
    ids = store(workspace, rows)
    expected = {
        id_
        for id_, (level, needed) in zip(ids, rows, strict=True)
        if can_read(clearance, Label(level, frozenset(needed)))
    }
    with workspace.session() as session:
        needs = session.scalars(select_readable(clearance, workspace.backend, NEEDS, columns=[Need])).all()
        assert {need.id for need in needs} == expected
        assert all(
            can_read(clearance, Label.of({"level": need.level, "compartments": need.compartments})) for need in needs
        )
        # The SQL rule itself, on the model and on aliases (the helper only takes the tables): the guard lets these
        # run as trusted selects, and `readable` alone does the filtering.
        why = "a test checks the SQL rule on its own"
        on_model = session.scalars(select_trusted(Need.id, why=why).where(readable(Need, clearance, workspace.backend)))
        assert set(on_model) == expected
        alias = aliased(Need)
        through_alias = session.scalars(
            select_trusted(alias.id, why=why).where(readable(alias, clearance, workspace.backend))
        )
        assert set(through_alias) == expected
        table_alias = NEEDS.alias("n")
        through_table_alias = session.scalars(
            select_trusted(table_alias.c.id, why=why).where(readable(table_alias, clearance, workspace.backend))
        )
        assert set(through_table_alias) == expected


def test_sql_filter_on_fixed_cases(workspace: Workspace) -> None:
    rows = [(level, needed) for _, _, level, needed, _ in CASES]
    ids = store(workspace, rows)
    for user_level, held, _, _, _ in CASES:
        clearance = Clearance("u", user_level, frozenset(held))
        expected = {
            id_
            for id_, (level, needed) in zip(ids, rows, strict=True)
            if can_read(clearance, Label(level, frozenset(needed)))
        }
        assert selected(workspace, clearance) == (expected, len(expected))


def test_malformed_labels_are_readable_only_by_everything(workspace: Workspace) -> None:
    rows = [
        ("TOP SECRET", []),  # unknown level
        ("secret", []),  # levels are exact
        ("PUBLIC", [None]),  # a compartment that is not a name
        ("PUBLIC", [1]),
        ("PUBLIC", [["a"]]),
        ("PUBLIC", [{"a": "b"}]),
        ("PUBLIC", None),  # JSON null
    ]
    ids = store(workspace, rows)
    rich = Clearance("u", "SECRET", frozenset({"a", "1", "None", "null", '["a"]', "b"}))
    for clearance in (Clearance.public("anon"), rich):
        assert selected(workspace, clearance) == (set(), 0)
    assert selected(workspace, Clearance.everything("job")) == (set(ids), len(ids))


def test_spaces_in_the_stored_json_do_not_matter(workspace: Workspace) -> None:
    """Rows written by another tool may hold `[ ]` or `[ "a" ]` rather than our compact JSON."""
    store(workspace, [])
    with workspace.engine.begin() as connection:
        for id_, raw in [("empty", "[ ]"), ("a", '[ "a" ]'), ("ab", '[ "a" , "b" ]')]:
            connection.exec_driver_sql(
                "INSERT INTO needs (id, title, description, keywords, extra, level, compartments, content_hash) "
                f"VALUES ('{id_}', 't', '', '[]', '{{}}', 'PUBLIC', '{raw}', 'h')"
            )
    assert selected(workspace, Clearance("u", "PUBLIC"))[0] == {"empty"}
    assert selected(workspace, Clearance("u", "PUBLIC", frozenset({"a"})))[0] == {"empty", "a"}
    assert selected(workspace, Clearance("u", "PUBLIC", frozenset({"a", "b"})))[0] == {"empty", "a", "ab"}
