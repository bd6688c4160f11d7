"""POST /api/screening: partner names against the workspace's lists, as the CLI and the page screen them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from kizashi.protect.people import actor_for as as_user
from kizashi.protect.screening.store import decide, load_list
from kizashi.store import audit
from kizashi.store.workspace import Workspace

METI = Path(__file__).parents[1] / "fixtures" / "lists" / "meti_parsed_entities.json"
TAKO = ("METI third_countries", "third_countries-1")


def test_names_are_screened_with_decisions_and_audited(
    web_workspace: Workspace, api: Callable[[str | None], TestClient]
) -> None:
    ana = api("ana")
    body = {"names": [{"id": "p1", "name": "有限会社タコ"}, {"id": "p2", "name": "Wageningen University"}]}
    empty = ana.post("/api/screening", json=body)
    assert empty.status_code == 200 and empty.json()["list_versions"] == []
    assert [r["status"] for r in empty.json()["results"]] == ["clear", "clear"]
    load_list(web_workspace, as_user(web_workspace, "boss"), METI)
    found = ana.post("/api/screening", json=body).json()
    assert found["alerts"] == 1 and found["list_versions"][0]["sha256"]
    tako, wageningen = found["results"]
    assert tako["status"] == "alert" and (tako["matches"][0]["list"], tako["matches"][0]["entry_id"]) == TAKO
    assert tako["matches"][0]["explanation"] and wageningen == {**wageningen, "status": "clear", "matches": []}
    decide(
        web_workspace,
        as_user(web_workspace, "boss"),
        "有限会社タコ",
        *TAKO,
        decision="false-positive",
        reason="a namesake",
    )
    again = ana.post("/api/screening", json=body).json()
    assert again["alerts"] == 0 and again["results"][0]["status"] == "false_positive"
    assert again["results"][0]["matches"][0]["decision"]["reason"] == "a namesake"
    screened = [e for e in audit.iter_events(web_workspace) if e["action"] == "screen"]
    assert len(screened) == 3 and screened[1]["actor"] == "ana" and screened[1]["detail"]["alerts"] == 1


def test_bad_requests_and_anonymous_callers_are_refused(
    web_workspace: Workspace, api: Callable[[str | None], TestClient]
) -> None:
    anonymous = api(None).post("/api/screening", json={"names": [{"id": "p1", "name": "Tako LLC"}]})
    assert anonymous.status_code == 401 and anonymous.json()["error"]["status"] == 401
    # Without a token nothing is validated first: a malformed body meets the same 401, not a 422 that describes it.
    malformed = api(None).post("/api/screening", json={"names": "not a list"})
    assert malformed.status_code == 401 and malformed.json() == anonymous.json()
    ana = api("ana")
    twice = ana.post("/api/screening", json={"names": [{"id": "p1", "name": "A"}, {"id": "p1", "name": "B"}]})
    assert twice.status_code == 400 and "unique" in twice.json()["error"]["message"]
    assert ana.post("/api/screening", json={"names": []}).status_code in (400, 422)
    assert ana.post("/api/screening", json={"names": [{"id": "p", "name": "x"}], "threshold": 2}).status_code in (
        400,
        422,
    )
