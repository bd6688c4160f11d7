"""Search and filters over records: words are literal (no LIKE wildcards), every word must match, filters are checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizashi.errors import InputError
from kizashi.ingest.dispatch import ingest
from kizashi.policy import Clearance
from kizashi.protect.people import actor_for as as_user
from kizashi.store.records import facet, search
from kizashi.store.workspace import Workspace

TRUSTED = Clearance.everything("tests")
# ASCII letters (case folds the same on both backends), LIKE's special characters, and Japanese (no case).
ALPHABET = st.sampled_from(list("abcXYZ%_\\!防災機"))
TEXTS = st.text(ALPHABET, min_size=1, max_size=8)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(titles=st.lists(TEXTS, min_size=1, max_size=6), query=st.lists(TEXTS, min_size=1, max_size=2))
def test_search_matches_words_literally_and_all_of_them(
    workspace: Workspace, tmp_path_factory: pytest.TempPathFactory, titles: list[str], query: list[str]
) -> None:
    folder = tmp_path_factory.mktemp("search")
    # The workspace outlives one example: this example's records carry a source no other example's have.
    path = folder / "needs.jsonl"
    marker = folder.name.replace("_", "").upper()[-12:]
    number = "".join(char for char in folder.name if char.isdigit())  # ids are searched too: digits match no query
    path.write_text(
        "\n".join(
            json.dumps({"id": f"{number}-{i}", "title": title, "label": "PUBLIC", "source": marker})
            for i, title in enumerate(titles)
        ),
        encoding="utf-8",
    )
    ingest(workspace, as_user(workspace, "tests"), "needs", [path])
    words = [word for word in query if word.split() == [word]]
    rows, total = search(workspace, "needs", TRUSTED, query=" ".join(words), filters={"source": marker}, limit=100)
    expected = {f"{number}-{i}" for i, title in enumerate(titles) if all(w.lower() in title.lower() for w in words)}
    assert {row["id"] for row in rows} == expected
    assert total == len(expected)


def test_filters_paging_and_facets(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "needs.csv"
    path.write_text(
        "id,title,label,country\n"
        + "".join(
            f"n{i:02},need {i},{'PUBLIC' if i % 2 else 'INTERNAL'},{'JP' if i < 7 else 'US'}\n" for i in range(10)
        ),
        encoding="utf-8",
    )
    ingest(workspace, as_user(workspace, "tests"), "needs", [path])
    rows, total = search(workspace, "needs", TRUSTED, filters={"country": "JP", "level": "PUBLIC"}, limit=2, offset=1)
    assert total == 3 and [row["id"] for row in rows] == ["n03", "n05"]
    assert facet(workspace, "needs", "country", TRUSTED) == [("JP", 7), ("US", 3)]
    assert facet(workspace, "needs", "level", Clearance.public("p")) == [("PUBLIC", 5)]
    with pytest.raises(InputError, match="cannot filter needs on 'year'"):
        search(workspace, "needs", TRUSTED, filters={"year": "2020"})
    with pytest.raises(InputError, match="not a number"):
        search(workspace, "works", TRUSTED, filters={"year": "20x0"})
