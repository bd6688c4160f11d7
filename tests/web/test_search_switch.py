"""The lists' search across Japanese and English on the pages and the API: what the query was widened to is shown,
and the literal switch (a checkbox; `literal=true` in the API) searches the words as typed."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kizashi.ingest.dispatch import ingest
from kizashi.protect.people import actor_for as as_user
from kizashi.store.workspace import Workspace
from kizashi.web.i18n import MESSAGES

SEEDS = """id,title,description,label,lang
s-en,Drone swarms for disaster response,Small drones map flooded districts,PUBLIC,en
s-qkd,Quantum key distribution networks,Secure links from entangled photons,PUBLIC,en
s-ja,ドローンによるインフラ点検,橋梁の点検を無人で行う,PUBLIC,ja
s-secret,Drone jamming,ドローン 妨害,SECRET,en
"""


@pytest.fixture
def with_seeds(web_workspace: Workspace, tmp_path: Path) -> Workspace:
    path = tmp_path / "seeds.csv"
    # Sixty more English drone seeds, so that a widened search has a second page.
    extra = "".join(f"s-more{i:02},Drone survey {i},aerial photographs,PUBLIC,en\n" for i in range(60))
    path.write_text(SEEDS + extra, encoding="utf-8")
    ingest(web_workspace, as_user(web_workspace, "boss"), "seeds", [path])
    return web_workspace


def _ids(html: str) -> set[str]:
    return set(re.findall(r'href="/seeds/([^"/]+)"', html)) - {"new"}


def test_a_japanese_query_finds_english_seeds_and_says_so(
    with_seeds: Workspace, browser: Callable[[str], TestClient]
) -> None:
    client = browser("low")  # PUBLIC: never the SECRET seed
    page = client.get("/seeds?q=ドローン")  # Japanese by default (`lang` here would also filter the seeds' language)
    assert page.status_code == 200
    assert {"s-en", "s-ja"} <= _ids(page.text) and "s-secret" not in page.text
    assert '<p class="count" id="total">62 件</p>' in page.text  # s-en, s-ja and the sixty: counted, not the secret
    assert MESSAGES["search_widened"][0] in page.text
    assert "「ドローン」→ drone" in page.text
    assert re.search(r'<input type="checkbox" name="literal" id="literal" value="1" >', page.text)
    assert MESSAGES["search_literal"][0] in page.text
    assert "literal=1" not in page.text  # the pager keeps the widened search
    client.get("/?lang=en")  # the cookie remembers English
    assert MESSAGES["search_literal"][1] in client.get("/seeds?q=ドローン").text
    assert _ids(client.get("/seeds?q=量子").text) == {"s-qkd"}


def test_the_literal_switch_searches_the_words_as_typed(
    with_seeds: Workspace, browser: Callable[[str], TestClient]
) -> None:
    client = browser("low")
    page = client.get("/seeds?q=ドローン&literal=1")
    assert _ids(page.text) == {"s-ja"}
    assert 'id="literal" value="1" checked' in page.text
    assert 'id="widened"' not in page.text
    assert client.get("/seeds?q=量子&literal=1").text.count('href="/seeds/s-') == 0
    partial = client.get("/seeds?q=drone&literal=1", headers={"HX-Request": "true"}).text
    assert "<html" not in partial and "s-ja" not in _ids(partial) and "page=2" in partial
    assert 'href="/seeds?q=drone&amp;literal=1&page=2"' in partial  # the pager keeps the switch
    widened = client.get("/seeds?q=drone", headers={"HX-Request": "true"}).text
    assert (
        'id="widened"' in widened
        and "「drone」→" in widened
        and "s-ja" in _ids(widened) | _ids(client.get("/seeds?q=drone&page=2").text)
    )
    assert client.get("/seeds?q=drone&literal=maybe").status_code == 422


def test_the_api_widens_unless_told_literal(with_seeds: Workspace, api: Callable[[str | None], TestClient]) -> None:
    client = api("ana")
    body = client.get("/api/records/seeds", params={"q": "ドローン", "limit": 500}).json()
    ids = {item["id"] for item in body["items"]}
    assert {"s-en", "s-ja"} <= ids and "s-secret" not in ids and body["total"] == len(ids)
    assert body["literal"] is False and "drone" in body["widened"]["ドローン"]
    literal = client.get("/api/records/seeds", params={"q": "ドローン", "literal": "true"}).json()
    assert [item["id"] for item in literal["items"]] == ["s-ja"]
    assert literal["literal"] is True and literal["widened"] == {}
    assert client.get("/api/records/seeds", params={"q": "a" * 501}).status_code == 422
