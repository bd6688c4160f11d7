"""Roadmaps (issue 17): the file format (YAML and XLSX), its JSON Schema, structural errors naming file, item and
field, the validation findings with every item named, and the critical path against brute force on random DAGs."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from kizashi.errors import InputError
from kizashi.files.yaml_file import read_yaml
from kizashi.grow.critical_path import critical_path, longest_chain
from kizashi.grow.roadmap_checks import errors_in, validate
from kizashi.grow.roadmap_model import LANES, Roadmap, read_roadmap, schema

EXAMPLE = Path(__file__).parents[2] / "examples" / "roadmap.yaml"


def item(id: str, start: str, end: str, *depends: str, lane: str = "technology", **more: Any) -> dict[str, Any]:
    made: dict[str, Any] = {"id": id, "lane": lane, "title_ja": f"項目{id}", "start": start, "end": end, **more}
    if depends:
        made["depends_on"] = list(depends)
    return made


def roadmap(*items: dict[str, Any]) -> Roadmap:
    return Roadmap.model_validate({"id": "rm-test", "items": list(items)})


def written(tmp_path: Path, document: Any, name: str = "roadmap.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def codes(found: Any) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(f.severity, f.code, f.items) for f in found]


# --- the format --------------------------------------------------------------------------------------------------


def test_the_example_is_valid_complete_and_japanese() -> None:
    example = read_roadmap(EXAMPLE)
    assert validate(example) == []
    assert {i.lane for i in example.items} == set(LANES)
    assert all(i.title_ja and i.title_en for i in example.items)
    barriers = [i for i in example.items if i.lane == "barrier"]
    assert barriers and all(b.owner and b.kind for b in barriers)


def test_the_schema_describes_the_format_and_accepts_the_example() -> None:
    made = schema()
    json.dumps(made)  # JSON as it is
    document = read_yaml(EXAMPLE)
    jsonschema.validate(document, made)
    item_schema = made["$defs"]["Item"]
    assert item_schema["properties"]["lane"]["enum"] == list(LANES)
    assert set(item_schema["required"]) == {"id", "lane", "start", "end"}
    assert "from" in made["$defs"]["Readiness"]["properties"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**document, "items": [{**document["items"][0], "lane": "dream"}]}, made)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"lane": "dream"}, "lane", "not one of"),
        ({"start": "2027-4"}, "start", "not a month"),
        ({"end": "2027-13"}, "end", "not a month"),
        ({"trl": {"from": 3, "to": 10}}, "trl.to", "outside the readiness scale"),
        ({"trl": {"from": "three", "to": 4}}, "trl.from", "whole number"),
        ({"trl": {"from": 3, "to": 4, "fromm": 2}}, "trl.fromm", "not a field"),
        ({"kind": "weather"}, "kind", "not one of"),
        ({"title_ja": None}, None, "title_ja or title_en"),
    ],
)
def test_a_structural_error_names_the_file_the_item_and_the_field(
    tmp_path: Path, change: dict[str, Any], field: str | None, words: str
) -> None:
    bad = {**item("T2", "2027-04", "2027-09"), **change}
    path = written(tmp_path, {"id": "rm", "items": [item("T1", "2027-01", "2027-02"), bad]})
    with pytest.raises(InputError) as raised:
        read_roadmap(path)
    assert raised.value.location.file == path
    assert raised.value.location.field == field
    assert "item T2" in str(raised.value) and words in str(raised.value)
    assert "ロードマップ項目 T2" in raised.value.said("ja")


def test_a_key_outside_the_format_is_a_warning_naming_it_and_is_ignored(tmp_path: Path) -> None:
    typo = {**item("T2", "2027-04", "2027-09"), "depends_om": ["T1"], "notes": "x"}
    path = written(tmp_path, {"id": "rm", "owner": "me", "items": [item("T1", "2027-01", "2027-02"), typo]})
    roadmap = read_roadmap(path)
    assert roadmap.items[1].depends_on == []
    found = [(f.severity, f.code, f.items) for f in validate(roadmap)]
    assert found == [
        ("warning", "unknown_field", ()),
        ("warning", "unknown_field", ("T2",)),
        ("warning", "unknown_field", ("T2",)),
    ]
    said = [str(f.message) for f in validate(roadmap)]
    assert "'owner'" in said[0] and "'depends_om'" in said[1]


def test_a_missing_start_and_a_file_that_is_no_roadmap_are_refused(tmp_path: Path) -> None:
    path = written(tmp_path, {"id": "rm", "items": [{"id": "T1", "lane": "need", "title_en": "x", "end": "2027-01"}]})
    with pytest.raises(InputError, match="requires this value") as raised:
        read_roadmap(path)
    assert raised.value.location.field == "start"
    with pytest.raises(InputError, match="mapping with id and items"):
        read_roadmap(written(tmp_path, ["a", "list"], "list.yaml"))
    with pytest.raises(InputError, match=r"not '\.txt'"):
        read_roadmap(written(tmp_path, {}, "roadmap.txt"))


def test_numbers_as_ids_and_a_dependency_as_text_are_read() -> None:
    read = Roadmap.model_validate(
        {"id": 7, "items": [item("1", "2027-01", "2027-02"), {**item("2", "2027-03", "2027-04"), "depends_on": 1}]}
    )
    assert read.id == "7" and read.items[1].depends_on == ["1"]


def _workbook(path: Path, document: dict[str, Any], rows: list[list[Any]] | None = None) -> Path:
    book = Workbook()
    head = book.active
    assert head is not None
    head.title = "roadmap"
    head.append(["key", "value"])
    for key in ("id", "title_ja", "title_en", "goal", "label"):
        if document.get(key):
            head.append([key, document[key]])
    sheet = book.create_sheet("items")
    columns = ["id", "lane", "title_ja", "title_en", "start", "end", "trl_from", "trl_to", "mrl_from", "mrl_to"]
    columns += ["depends_on", "owner", "kind"]
    sheet.append(columns)
    for one in document["items"]:
        trl, mrl = one.get("trl") or {}, one.get("mrl") or {}
        sheet.append(
            [
                *(one["id"], one["lane"], one.get("title_ja"), one.get("title_en"), one["start"], one["end"]),
                *(trl.get("from"), trl.get("to"), mrl.get("from"), mrl.get("to")),
                *(", ".join(one.get("depends_on", [])), one.get("owner"), one.get("kind")),
            ]
        )
    for row in rows or []:
        sheet.append(row)
    book.save(path)
    return path


def test_a_workbook_of_one_sheet_per_table_reads_as_the_yaml_does(tmp_path: Path) -> None:
    document = read_yaml(EXAMPLE)
    path = _workbook(tmp_path / "roadmap.xlsx", document)
    assert read_roadmap(path) == read_roadmap(EXAMPLE)


def test_a_bad_cell_of_a_workbook_names_its_row_and_field(tmp_path: Path) -> None:
    document = {"id": "rm", "items": [item("T1", "2027-01", "2027-02")]}
    path = _workbook(tmp_path / "bad.xlsx", document, [["T2", "technology", "題", None, "2027-03", "2027-04", 9, 12]])
    with pytest.raises(InputError) as raised:
        read_roadmap(path)
    assert (raised.value.location.row, raised.value.location.field) == (3, "trl.to")
    assert "item T2" in str(raised.value)


def test_a_workbook_without_the_items_sheet_is_refused(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "roadmap"
    sheet.append(["key", "value"])
    sheet.append(["id", "rm"])
    book.save(tmp_path / "half.xlsx")
    with pytest.raises(InputError, match="no sheet named 'items'"):
        read_roadmap(tmp_path / "half.xlsx")


# --- validation --------------------------------------------------------------------------------------------------


def test_a_cycle_names_every_item_on_it_and_nothing_else() -> None:
    found = validate(
        roadmap(
            item("A", "2027-01", "2027-02", "C"),
            item("B", "2027-03", "2027-04", "A"),
            item("X", "2026-01", "2026-02"),
            item("C", "2027-05", "2027-06", "B", "X"),
            item("D", "2027-07", "2027-08", "C"),
        )
    )
    cycles = [f for f in found if f.code == "cycle"]
    assert len(cycles) == 1 and cycles[0].items == ("A", "B", "C")
    assert "A → C → B → A" in cycles[0].message
    assert all(name in cycles[0].message.said("ja") for name in "ABC")


def test_two_cycles_and_a_cycle_of_one_are_each_found() -> None:
    found = validate(
        roadmap(
            item("A", "2027-01", "2027-02", "B"),
            item("B", "2027-01", "2027-02", "A"),
            item("S", "2027-01", "2027-02", "S"),
            item("P", "2027-01", "2027-02", "Q"),
            item("Q", "2027-01", "2027-02", "R"),
            item("R", "2027-01", "2027-02", "P"),
        )
    )
    assert [f.items for f in found if f.code == "cycle"] == [("A", "B"), ("S",), ("P", "Q", "R")]


def test_starting_in_the_month_a_dependency_ends_contradicts_it_and_the_month_after_does_not() -> None:
    same = validate(roadmap(item("A", "2027-01", "2027-06"), item("B", "2027-06", "2027-09", "A")))
    assert codes(same) == [("error", "starts_before_dependency_ends", ("B", "A"))]
    assert validate(roadmap(item("A", "2027-01", "2027-06"), item("B", "2027-07", "2027-09", "A"))) == []


def test_an_item_that_starts_after_it_ends() -> None:
    assert codes(validate(roadmap(item("A", "2027-05", "2027-04")))) == [("error", "start_after_end", ("A",))]


def test_trl_going_down_along_a_dependency_or_within_an_item() -> None:
    down = validate(
        roadmap(
            item("A", "2027-01", "2027-06", trl={"from": 3, "to": 6}),
            item("B", "2027-07", "2027-09", "A", trl={"from": 5, "to": 7}),
        )
    )
    assert codes(down) == [("error", "trl_down_along_dependency", ("B", "A"))]
    assert "TRL 6" in down[0].message and "TRL 5" in down[0].message
    level = roadmap(
        item("A", "2027-01", "2027-06", trl={"from": 3, "to": 6}),
        item("B", "2027-07", "2027-09", "A", trl={"from": 6, "to": 7}),
        item("C", "2027-10", "2027-12", "B", lane="programme"),  # no TRL: nothing to compare
    )
    assert validate(level) == []
    within = validate(roadmap(item("A", "2027-01", "2027-06", trl={"from": 5, "to": 4})))
    assert codes(within) == [("error", "trl_down_within_item", ("A",))]


def test_an_unknown_dependency_names_both() -> None:
    found = validate(roadmap(item("A", "2027-01", "2027-06", "Z9")))
    assert codes(found) == [("error", "unknown_dependency", ("A", "Z9"))]


def test_a_barrier_needs_an_owner_and_a_kind() -> None:
    found = validate(
        roadmap(
            item("B1", "2027-01", "2027-06", lane="barrier", kind="standards"),
            item("B2", "2027-01", "2027-06", lane="barrier", owner="経済産業省"),
            item("B3", "2027-01", "2027-06", lane="barrier", owner="経済産業省", kind="talent"),
        )
    )
    assert codes(found) == [
        ("error", "barrier_without_owner", ("B1",)),
        ("error", "barrier_without_kind", ("B2",)),
    ]


def test_a_repeated_id_is_an_error_and_warnings_leave_a_roadmap_valid() -> None:
    repeated = validate(roadmap(item("A", "2027-01", "2027-02"), item("A", "2027-03", "2027-04")))
    assert codes(repeated) == [("error", "duplicate_id", ("A",))]
    warned = validate(roadmap(item("A", "2027-01", "2027-02", kind="talent", mrl={"from": 5, "to": 3})))
    assert [(f.severity, f.code) for f in warned] == [
        ("warning", "kind_outside_barrier_lane"),
        ("warning", "mrl_down_within_item"),
    ]
    assert errors_in(warned) == []


# --- critical path -----------------------------------------------------------------------------------------------


def test_the_critical_path_of_the_example() -> None:
    path = critical_path(read_roadmap(EXAMPLE))
    assert path.path == ["N1", "C1", "T1", "P1", "P2"]
    assert path.length_months == 6 + 6 + 24 + 12 + 24
    assert path.slack["T1"] == 0 and path.slack["B2"] == 72 - (12 + 24)
    assert list(path.slack) == [i.id for i in read_roadmap(EXAMPLE).items]


def test_a_month_long_item_lasts_one_month_and_ties_go_to_the_file_order() -> None:
    path = critical_path(
        roadmap(item("A", "2027-01", "2027-01"), item("B", "2027-01", "2027-01"), item("C", "2027-02", "2027-02", "B"))
    )
    assert (path.path, path.length_months) == (["B", "C"], 2)
    tie = critical_path(roadmap(item("B", "2027-01", "2027-02"), item("A", "2027-01", "2027-02")))
    assert (tie.path, tie.slack) == (["B"], {"B": 0, "A": 0})


@st.composite
def dags(draw: st.DrawFn) -> tuple[list[str], dict[str, int], dict[str, list[str]]]:
    """A random DAG in a random file order: edges only from later to earlier in a hidden topological order."""
    count = draw(st.integers(1, 8))
    hidden = [f"n{i}" for i in range(count)]
    durations = {name: draw(st.integers(1, 5)) for name in hidden}
    depends = {
        name: draw(st.lists(st.sampled_from(hidden[:i]), unique=True)) if i else [] for i, name in enumerate(hidden)
    }
    ids = draw(st.permutations(hidden))
    return ids, durations, depends


def _chains(ids: list[str], depends: dict[str, list[str]]) -> list[list[str]]:
    """Every chain, brute force: every sequence of distinct ids each depending on the one before."""
    found = []
    for size in range(1, len(ids) + 1):
        for chain in itertools.permutations(ids, size):
            if all(chain[k] in depends[chain[k + 1]] for k in range(size - 1)):
                found.append(list(chain))
    return found


@settings(max_examples=150, deadline=None)
@given(dags())
def test_the_critical_path_is_the_longest_chain_found_by_brute_force(
    dag: tuple[list[str], dict[str, int], dict[str, list[str]]],
) -> None:
    ids, durations, depends = dag
    chains = _chains(ids, depends)
    length = max(sum(durations[n] for n in chain) for chain in chains)
    position = {name: i for i, name in enumerate(ids)}
    longest = min(
        (chain for chain in chains if sum(durations[n] for n in chain) == length),
        key=lambda chain: [position[n] for n in chain],
    )
    result = longest_chain(ids, durations, depends)
    assert (result.path, result.length_months) == (longest, length)
    for name in ids:
        through = max(sum(durations[n] for n in chain) for chain in chains if name in chain)
        assert result.slack[name] == length - through >= 0


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 7).flatmap(lambda n: st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)))))
def test_cycles_name_exactly_the_items_on_a_cycle(edges: list[tuple[int, int]]) -> None:
    count = max((max(edge) for edge in edges), default=0) + 1
    names = [f"n{i}" for i in range(count)]
    depends = {name: sorted({names[b] for a, b in edges if names[a] == name}) for name in names}
    found = [
        f for f in validate(roadmap(*(item(n, "2027-01", "2027-01", *depends[n]) for n in names))) if f.code == "cycle"
    ]

    def reaches(start: str) -> set[str]:
        seen, frontier = set(), list(depends[start])
        while frontier:
            node = frontier.pop()
            if node not in seen:
                seen.add(node)
                frontier.extend(depends[node])
        return seen

    on_cycles = {name for name in names if name in reaches(name)}
    named = [name for finding in found for name in finding.items]
    assert sorted(named) == sorted(on_cycles)  # every item on a cycle, each once
    for finding in found:
        path = finding.message.params["path"].split(" → ")
        assert path[0] == path[-1] and set(path) <= set(finding.items)
        assert all(path[k + 1] in depends[path[k]] for k in range(len(path) - 1))
