"""The OpenAlex works reader: native records (JSON lines, JSON, API pages) and the flattened CSV.

The fixtures are real OpenAlex records (CC0) from the `biblium` sample; see tests/fixtures/openalex/SOURCE.md.
"""

from __future__ import annotations

import ast
import copy
import csv
import gzip
import json
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kizashi.errors import InputError
from kizashi.ingest.openalex import (
    is_openalex_csv,
    read_openalex_csv,
    read_openalex_json,
    rebuild_abstract,
)
from kizashi.ingest.records import RowError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "openalex"
FLAT = FIXTURES / "works_flat_40.csv"
SNAPSHOT = FIXTURES / "works_snapshot.jsonl.gz"
PAGE = FIXTURES / "works_api_page.json"
ABSTRACTS = FIXTURES / "works_abstracts.jsonl.gz"

DONTHU = "openalex:W3160856016"  # "How to conduct a bibliometric analysis", 5 authors, 7 affiliations


# ── helpers ──────────────────────────────────────────────────────────────────────────────────────────────


def works_by_id(items: Any) -> dict[str, dict[str, Any]]:
    return {work["id"]: work for work, _row in items}


def source_rows() -> list[tuple[int, dict[str, str]]]:
    """The fixture CSV read independently: (line number where the record ends, values)."""
    with FLAT.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return [(reader.line_num, row) for row in reader]


def split(cell: str) -> list[str]:
    return [item for item in cell.split("|") if item and item != "None"] if cell else []


def native_records() -> list[dict[str, Any]]:
    with gzip.open(SNAPSHOT, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def native(short_id: str) -> dict[str, Any]:
    return copy.deepcopy(next(r for r in native_records() if r["id"].endswith("/" + short_id)))


def write_jsonl(path: Path, records: list[Any]) -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def inverted(words: list[str]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for position, word in enumerate(words):
        index.setdefault(word, []).append(position)
    return index


# ── the flattened CSV ────────────────────────────────────────────────────────────────────────────────────


def test_flat_csv_gives_every_row_with_its_values() -> None:
    rows = source_rows()
    parsed = list(read_openalex_csv(FLAT))
    assert len(parsed) == len(rows) == 40
    for (work, row), (line, source) in zip(parsed, rows, strict=True):
        assert row.number == line
        assert work["id"] == "openalex:" + source["id"].rsplit("/", 1)[1]
        assert work["source"] == "openalex"
        assert work["level"] == "PUBLIC"
        assert work["title"] == source["title"].strip()
        expected_doi = source["doi"].removeprefix("https://doi.org/").lower() or None
        assert work["doi"] == expected_doi
        assert work["cited_by_count"] == int(source["cited_by_count"])
        assert work["year"] == int(source["publication_year"])
        assert work["date"].isoformat() == source["publication_date"]
        assert work["type"] == source["type"]
        assert work["abstract"] == source["abstract"].strip()
        assert work["citation_percentile"] == float(source["citation_normalized_percentile.value"])
        assert work["is_top10"] == (source["citation_normalized_percentile.is_in_top_10_percent"] == "True")
        assert work["referenced_works"] == [w.rsplit("/", 1)[1] for w in split(source["referenced_works"])]
        assert work["topics"] == split(source["topics.display_name"])
        assert work["keywords"] == split(source["keywords.display_name"])
        assert work["funders"] == list(dict.fromkeys(split(source["grants.funder_display_name"])))
        assert [a["name"] for a in work["authors"]] == split(source["authorships.author.display_name"])
        assert [a["position"] for a in work["authors"]] == split(source["authorships.author_position"])
        institutions = [ast.literal_eval(i) for i in split(source["authorships.institutions"])]
        countries = {i["country_code"] for i in institutions if i["country_code"]}
        countries |= set(split(source["authorships.countries"]))
        assert set(work["countries"]) == countries
        assert len(work["countries"]) == len(countries)  # unique
        assert {i["id"] for i in work["institutions"]} == {i["id"].rsplit("/", 1)[1] for i in institutions}


def test_flat_csv_exact_values_of_one_work() -> None:
    work = works_by_id(read_openalex_csv(FLAT))[DONTHU]
    assert work["title"] == "How to conduct a bibliometric analysis: An overview and guidelines"
    assert work["doi"] == "10.1016/j.jbusres.2021.04.070"
    assert work["cited_by_count"] == 8446
    assert work["year"] == 2021
    assert work["countries"] == ["US", "IN", "MY", "AU"]
    assert work["citation_percentile"] == 0.999725
    assert work["is_top10"] is True
    cited_by_year = work["extra"].pop("cited_by_year")
    assert work["extra"] == {
        "source_name": "Journal of Business Research",
        "fwci": 357.69,
        "openalex_updated": "2025-09-25T08:03:38.466546",
    }
    # OpenAlex's counts_by_year (its last years); they never add up to more than cited_by_count.
    assert max(int(year) for year in cited_by_year) == 2025
    assert sum(cited_by_year.values()) <= work["cited_by_count"]
    assert len(work["referenced_works"]) == 72
    assert work["referenced_works"][0] == "W1021000864"
    assert work["institutions"][0] == {
        "id": "I181565077",
        "name": "Georgia State University",
        "ror": "03qt6ba18",
        "country": "US",
        "type": "funder",
    }
    assert len(work["institutions"]) == 5  # 7 affiliations, 5 distinct institutions
    assert work["authors"][0] == {
        "id": "A5074473734",
        "name": "Naveen Donthu",
        "orcid": "0000-0002-8525-3159",
        "position": "first",
        # 7 institution entries for 5 authors: which author holds which is lost in the flattening.
        "institutions": [],
        "countries": [],
    }


def test_flat_csv_assigns_institutions_to_authors_where_they_line_up() -> None:
    work = works_by_id(read_openalex_csv(FLAT))["openalex:W2111628838"]  # 2 authors, 2 entries
    first, last = work["authors"]
    assert first["institutions"] == ["I204722609"] and first["countries"] == ["CA"]
    assert last["institutions"] == ["I165733156"] and last["countries"] == ["US"]
    assert work["institutions"][0]["name"] == "Queen's University"  # a quote inside the repr dict


def test_is_openalex_csv() -> None:
    header = FLAT.read_text(encoding="utf-8").split("\n", 1)[0].split(",")
    assert is_openalex_csv(header)
    assert is_openalex_csv(["id", "title", "authorships.author.display_name"])
    assert not is_openalex_csv(["id", "title", "description"])
    assert not is_openalex_csv(["id", "acronym", "title", "objective"])
    assert not is_openalex_csv([])


def test_flat_csv_institution_columns_and_a_bar_inside_a_name(tmp_path: Path) -> None:
    per_key = tmp_path / "per_key.csv"
    with per_key.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "id",
                "display_name",
                "authorships.author.display_name",
                "authorships.institutions.id",
                "authorships.institutions.display_name",
                "authorships.institutions.country_code",
                "authorships.countries",
            ]
        )
        writer.writerow(["https://openalex.org/W1", "T", "A|B", "https://openalex.org/I1|", "Uni One|", "JP|", "JP|"])
    (work, _row) = next(read_openalex_csv(per_key))
    assert work["title"] == "T"
    assert work["institutions"] == [{"id": "I1", "name": "Uni One", "ror": None, "country": "JP", "type": None}]
    assert [a["institutions"] for a in work["authors"]] == [["I1"], []]
    assert work["countries"] == ["JP"]

    barred = tmp_path / "barred.csv"
    with barred.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "authorships.author.display_name", "authorships.institutions"])
        writer.writerow(
            [
                "W2",
                "T",
                "A|B",
                "{'id': 'I7', 'display_name': 'Lab | North', 'country_code': 'fi'}|{'id': 'I8', 'display_name': 'X'}",
            ]
        )
    (work, _row) = next(read_openalex_csv(barred))
    assert [i["name"] for i in work["institutions"]] == ["Lab | North", "X"]
    assert work["countries"] == ["FI"]
    assert [a["institutions"] for a in work["authors"]] == [["I7"], ["I8"]]


def test_flat_csv_without_an_id_column_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "no_id.csv"
    path.write_text("title,authorships.author.display_name\nT,A\n", encoding="utf-8")
    with pytest.raises(InputError, match="id"):
        list(read_openalex_csv(path))


# ── native records ───────────────────────────────────────────────────────────────────────────────────────


def test_snapshot_reads_every_work() -> None:
    parsed = list(read_openalex_json(SNAPSHOT))
    assert len(parsed) == 40
    assert [row.number for _work, row in parsed] == list(range(1, 41))
    assert sum(1 for work, _row in parsed if work["abstract"]) == 25
    assert len({work["id"] for work, _row in parsed}) == 40


def test_native_and_flat_agree_on_the_same_works() -> None:
    """The native fixtures were rebuilt from the CSV rows; reading either must give the same works."""
    native_works = works_by_id(read_openalex_json(SNAPSHOT))
    flat_works = works_by_id(read_openalex_csv(FLAT))
    sources = {"openalex:" + row["id"].rsplit("/", 1)[1]: row for _line, row in source_rows()}
    common = sorted(native_works.keys() & flat_works.keys())
    assert len(common) >= 15
    for work_id in common:
        got, want = native_works[work_id], flat_works[work_id]
        for field in (
            "title",
            "doi",
            "year",
            "date",
            "type",
            "language",
            "cited_by_count",
            "citation_percentile",
            "is_top10",
            "referenced_works",
            "topics",
            "keywords",
            "funders",
            "extra",
            "level",
            "source",
        ):
            assert got[field] == want[field], (work_id, field)
        assert " ".join(got["abstract"].split()) == " ".join(want["abstract"].split())
        people = [(a["id"], a["name"], a["orcid"], a["position"]) for a in got["authors"]]
        assert people == [(a["id"], a["name"], a["orcid"], a["position"]) for a in want["authors"]]
        assert sorted(got["institutions"], key=str) == sorted(want["institutions"], key=str)
        assert set(got["countries"]) <= set(want["countries"])
        source = sources[work_id]
        if len(source["authorships.countries"].split("|")) == len(got["authors"]):
            assert set(got["countries"]) == set(want["countries"])


def test_abstract_rebuilt_from_the_inverted_index_equals_the_original() -> None:
    with gzip.open(ABSTRACTS, "rt", encoding="utf-8") as handle:
        originals = {"openalex:" + item["id"].rsplit("/", 1)[1]: item["abstract"] for item in map(json.loads, handle)}
    assert len(originals) == 25
    works = works_by_id(read_openalex_json(SNAPSHOT))
    for work_id, original in originals.items():
        assert works[work_id]["abstract"] == " ".join(original.split()), work_id
    assert all(work["abstract"] == "" for work_id, work in works.items() if work_id not in originals)


def test_native_work_exact_values() -> None:
    work = works_by_id(read_openalex_json(SNAPSHOT))[DONTHU]
    assert work["title"] == "How to conduct a bibliometric analysis: An overview and guidelines"
    assert work["doi"] == "10.1016/j.jbusres.2021.04.070"
    assert work["countries"] == ["US", "IN", "MY", "AU"]
    assert work["authors"][0] == {
        "id": "A5074473734",
        "name": "Naveen Donthu",
        "orcid": "0000-0002-8525-3159",
        "position": "first",
        "institutions": ["I181565077"],
        "countries": ["US"],
    }
    assert [i["id"] for i in work["institutions"]] == [
        "I181565077",
        "I83205935",
        "I96413208",
        "I110152177",
        "I57093077",
    ]


def test_gzip_and_plain_give_identical_records(tmp_path: Path) -> None:
    plain = tmp_path / "works.jsonl"
    plain.write_bytes(gzip.decompress(SNAPSHOT.read_bytes()))
    assert list(read_openalex_json(plain)) != []
    assert [w for w, _ in read_openalex_json(plain)] == [w for w, _ in read_openalex_json(SNAPSHOT)]

    zipped_page = tmp_path / "page.json.gz"
    zipped_page.write_bytes(gzip.compress(PAGE.read_bytes()))
    assert [w for w, _ in read_openalex_json(zipped_page)] == [w for w, _ in read_openalex_json(PAGE)]

    zipped_csv = tmp_path / "flat.csv.gz"
    zipped_csv.write_bytes(gzip.compress(FLAT.read_bytes()))
    assert [w for w, _ in read_openalex_csv(zipped_csv)] == [w for w, _ in read_openalex_csv(FLAT)]


def test_api_page_and_snapshot_give_identical_records(tmp_path: Path) -> None:
    page = list(read_openalex_json(PAGE))
    assert len(page) == 6
    assert [row.number for _work, row in page] == list(range(1, 7))
    snapshot = works_by_id(read_openalex_json(SNAPSHOT))
    for work, _row in page:
        assert work == snapshot[work["id"]]

    results = json.loads(PAGE.read_text(encoding="utf-8"))["results"]
    bare_array = tmp_path / "array.json"
    bare_array.write_text(json.dumps(results), encoding="utf-8")
    assert [w for w, _ in read_openalex_json(bare_array)] == [w for w, _ in page]
    single = tmp_path / "single.json"
    single.write_text(json.dumps(results[0]), encoding="utf-8")
    assert [w for w, _ in read_openalex_json(single)] == [page[0][0]]
    ndjson = write_jsonl(tmp_path / "page.ndjson", results)
    assert [w for w, _ in read_openalex_json(ndjson)] == [w for w, _ in page]


def test_minimal_and_newer_records(tmp_path: Path) -> None:
    records = [
        {"id": "https://openalex.org/W1", "display_name": " Only a display name "},
        {
            "id": "W2",
            "title": "Newer shape",
            "doi": "HTTPS://DOI.ORG/10.5555/ABC",
            "publication_date": "2024-02-29",
            "abstract_inverted_index": None,
            "concepts": [
                {"display_name": "Physics", "score": 0.0},
                {"display_name": "Quantum sensing", "score": 0.61},
            ],
            "funders": [{"id": "https://openalex.org/F1", "display_name": "JST"}],
            "awards": [{"funder_display_name": "JSPS"}, {"funder_display_name": "JST"}],
            "keywords": [{"keyword": "magnetometry", "score": 0.5}],
            "citation_normalized_percentile": None,
        },
    ]
    first, second = (w for w, _ in read_openalex_json(write_jsonl(tmp_path / "w.jsonl", records)))
    assert first["id"] == "openalex:W1"
    assert first["title"] == "Only a display name"
    assert (first["authors"], first["countries"], first["extra"], first["abstract"]) == ([], [], {}, "")
    assert second["doi"] == "10.5555/abc"
    assert second["year"] == 2024 and second["date"].isoformat() == "2024-02-29"
    assert second["topics"] == ["Quantum sensing"]  # no topics: concepts with a score
    assert second["funders"] == ["JST", "JSPS"]
    assert second["keywords"] == ["magnetometry"]
    assert second["citation_percentile"] is None and second["is_top10"] is None


# ── malformed records ────────────────────────────────────────────────────────────────────────────────────


def _set(record: dict[str, Any], path: str, value: Any) -> None:
    keys: list[Any] = [int(k) if k.isdigit() else k for k in path.replace("]", "").replace("[", ".").split(".")]
    target: Any = record
    for key in keys[:-1]:
        target = target[key]
    target[keys[-1]] = value


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        ("publication_year", "abc", "publication_year"),
        ("publication_date", "2021-13-45", "publication_date"),
        ("cited_by_count", "many", "cited_by_count"),
        ("authorships", "Naveen Donthu", "authorships"),
        ("authorships[2].institutions", "Swinburne", "authorships[2].institutions"),
        ("authorships[1].institutions[0].country_code", 5, "authorships[1].institutions[0].country_code"),
        ("authorships[3].author", ["A1"], "authorships[3].author"),
        ("authorships[4].countries", [None], "authorships[4].countries[0]"),
        ("referenced_works", ["https://openalex.org/W1", 7], "referenced_works[1]"),
        ("abstract_inverted_index", {"a": [0], "b": "1"}, 'abstract_inverted_index["b"]'),
        ("abstract_inverted_index", {"a": [0], "b": [-1]}, 'abstract_inverted_index["b"]'),
        ("abstract_inverted_index", ["a", "b"], "abstract_inverted_index"),
        ("citation_normalized_percentile", 0.5, "citation_normalized_percentile"),
        ("topics", [{"display_name": ["x"]}], "topics[0].display_name"),
        ("id", 3160856016, "id"),
        ("ids", "W3160856016", "ids"),  # consulted only when `id` is missing
    ],
)
def test_malformed_record_names_file_row_and_field(tmp_path: Path, path: str, value: Any, field: str) -> None:
    good = native("W3160856016")
    bad = copy.deepcopy(good)
    _set(bad, path, value)
    if path == "ids":
        bad["id"] = None
    file = tmp_path / "broken.jsonl"
    # A blank line before the bad record: rows are line numbers, so the bad one is row 3.
    file.write_text(json.dumps(good) + "\n\n" + json.dumps(bad) + "\n" + json.dumps(good) + "\n", encoding="utf-8")
    works = read_openalex_json(file)
    assert next(works)[1].number == 1
    with pytest.raises(RowError) as caught:
        next(works)
    error = caught.value
    assert (error.location.file, error.location.row, error.location.field) == (file, 3, field)
    message = str(error)
    assert str(file) in message and "row 3" in message and f"field '{field}'" in message
    # The reader goes on after a bad row (so an import can set it aside and continue).
    assert next(works)[1].number == 4


def test_untitled_work_is_kept_and_missing_id_is_a_row_error(tmp_path: Path) -> None:
    untitled = native("W3160856016")
    untitled["title"] = None
    del untitled["display_name"]
    anonymous = native("W3160856016")
    del anonymous["id"], anonymous["ids"]
    file = tmp_path / "missing.json"
    file.write_text(json.dumps([native("W3160856016"), untitled, anonymous]), encoding="utf-8")
    works = read_openalex_json(file)
    next(works)
    # Real OpenAlex works without a title exist (older Springer articles); they are kept with an empty title.
    work, row = next(works)
    assert (work["title"], work["id"], row.number) == ("", "openalex:W3160856016", 2)
    with pytest.raises(RowError, match=r"missing\.json, row 3, field 'id': required value is missing"):
        next(works)
    with pytest.raises(StopIteration):
        next(works)


def test_malformed_flat_rows_name_file_line_and_column(tmp_path: Path) -> None:
    header, *rows = list(csv.reader(FLAT.open(newline="", encoding="utf-8")))
    year = header.index("publication_year")
    institutions = header.index("authorships.institutions")
    rows[1][year] = "abc"
    rows[2][institutions] = "{'id': 'https://openalex.org/I1', 'display_name': "
    path = tmp_path / "broken.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows[:3]])
    lines = [line for line, _row in source_rows()]
    works = read_openalex_csv(path)
    next(works)
    with pytest.raises(RowError) as caught:
        next(works)
    assert (caught.value.location.row, caught.value.location.field) == (lines[1], "publication_year")
    assert str(path) in str(caught.value)
    with pytest.raises(RowError) as caught:
        next(works)
    assert caught.value.location.field == "authorships.institutions[0]"
    assert caught.value.location.row == lines[2]


# ── the inverted index ───────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("index", "text"),
    [
        (None, ""),
        ({}, ""),
        ({"alone": [0]}, "alone"),
        ({"the": [0, 3], "cat": [1], "saw": [2], "dog": [4]}, "the cat saw the dog"),
        ({"b": [1], "a": [0, 2]}, "a b a"),  # key order does not matter
        ({"a": [2, 0], "b": [1]}, "a b a"),  # nor the order of positions
        ({"start": [0], "gap": [7], "end": [12]}, "start gap end"),  # gaps are skipped
        ({"x": [0], "y": [2]}, "x y"),
        ({"x": [], "y": [0]}, "y"),
        ({"Ünïcode": [1], "日本語": [0]}, "日本語 Ünïcode"),
    ],
)
def test_rebuild_abstract_cases(index: Any, text: str) -> None:
    assert rebuild_abstract(index) == text


@pytest.mark.parametrize(
    "index",
    [{"a": "0"}, {"a": [-1]}, {"a": [1.5]}, {"a": ["1"]}, {"a": [0], "b": [None]}, [["a", 0]], "text", 42],
)
def test_rebuild_abstract_rejects_broken_indexes(index: Any) -> None:
    with pytest.raises(ValueError, match="abstract_inverted_index"):
        rebuild_abstract(index)


def test_rebuild_abstract_is_linear() -> None:
    words = [f"w{i % 5000}" for i in range(200_000)]  # 5,000 distinct words, each 40 times
    index = inverted(words)
    started = time.perf_counter()
    text = rebuild_abstract(index)
    elapsed = time.perf_counter() - started
    assert text == " ".join(words)
    assert elapsed < 2.0  # linear: ~0.05 s; a quadratic rebuild would take minutes


_WORD = st.text(alphabet=st.characters(blacklist_categories=("Zs", "Zl", "Zp", "Cc", "Cs")), min_size=1, max_size=12)


@given(
    st.lists(st.one_of(_WORD, st.sampled_from(["the", "of", "a", "and"])), max_size=300),
    st.randoms(use_true_random=False),
)
def test_inverted_index_round_trip(words: list[str], random: Any) -> None:
    index = inverted(words)
    items = list(index.items())
    random.shuffle(items)  # OpenAlex's key order is not the text's order
    shuffled = {word: random.sample(positions, len(positions)) for word, positions in items}
    assert rebuild_abstract(shuffled) == " ".join(words)
