"""The experts page shows each organisation's screening status against the workspace's lists, so that an expert from
a listed organisation is known before anyone asks them; nothing is shown while no list is loaded."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from kizashi.ingest.dispatch import ingest
from kizashi.protect.people import actor_for as as_user
from kizashi.protect.screening.store import load_list
from kizashi.store import audit
from kizashi.store.workspace import Workspace

LISTS = Path(__file__).parents[1] / "fixtures" / "lists"
SEEDS = (
    "id,title,description,organization\n"
    "s1,Drone detection radar,Radar that detects small drones near airports,Toto Seimitsu Kogyo K.K.\n"
    "s2,Drone tracking,Tracking small drones with passive radar near airports,Radar Lab\n"
)


def test_an_expert_organisation_on_a_list_shows_its_status(
    web_workspace: Workspace,
    browser: Callable[[str], TestClient],
    api: Callable[[str | None], TestClient],
    tmp_path: Path,
    cli: Any,
    login_as: Any,
) -> None:
    seeds = tmp_path / "seeds.csv"
    seeds.write_text(SEEDS, encoding="utf-8")
    ingest(web_workspace, as_user(web_workspace, "boss"), "seeds", [seeds])
    ana = browser("ana")
    before = ana.get("/experts", params={"q": "small drone radar near airports"})
    assert before.status_code == 200 and "data-screening" not in before.text  # no list loaded: nothing to say
    assert not [event for event in audit.iter_events(web_workspace) if event["action"] == "screen"]
    load_list(web_workspace, as_user(web_workspace, "boss"), LISTS / "generic.csv")
    page = ana.get("/experts", params={"q": "small drone radar near airports"})
    assert page.status_code == 200
    assert 'data-screening="alert"' in page.text  # Toto Seimitsu Kogyo K.K. is on the test list
    assert page.text.count("data-screening=") == 2  # both organisations screened, one clear
    assert "要確認" in page.text
    # The API and the command line say the same.
    rows = api("ana").get("/api/experts", params={"q": "small drone radar near airports"}).json()["experts"]
    by_name = {row["name"]: row.get("screening") for row in rows}
    assert by_name["Toto Seimitsu Kogyo K.K."] == "alert" and by_name["Radar Lab"] == "clear"
    login_as("ana")
    listed = cli("experts", "--text", "small drone radar near airports", "-f", "json")
    assert listed.code == 0, listed.err
    assert {row["name"]: row["screening"] for row in json.loads(listed.out) if row["kind"] == "organisation"} == {
        "Toto Seimitsu Kogyo K.K.": "alert",
        "Radar Lab": "clear",
    }
