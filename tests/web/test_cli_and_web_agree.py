"""The command line and the web reach the same answers through the same services: for random readers (levels and
compartments), `kizashi match` equals the API's proposals need by need, `kizashi experts` the API's experts, and
`kizashi screen parties` the API's screening (with the officers' decisions each may read)."""

from __future__ import annotations

import csv
import itertools
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizashi.ingest.dispatch import ingest
from kizashi.protect import people
from kizashi.protect.people import actor_for as as_user
from kizashi.protect.screening.store import decide, load_list
from kizashi.store.workspace import Workspace
from kizashi.web.app import create_app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SECRET_KEY = "test-secret-" + "k" * 20 + "0123456789abcdef"
PASSWORD = "correct horse battery staple"
DONE = datetime(2026, 1, 1, tzinfo=UTC)
# Labels given to the fixtures' records in turn: every reader below misses some of them.
LABELS = [("PUBLIC", ""), ("INTERNAL", ""), ("CONFIDENTIAL", "alpha"), ("SECRET", "beta"), ("INTERNAL", "beta")]
NAMES = [
    "東都精密工業株式会社",
    "Toto Precision Industry Co Ltd",
    "Severny Machine Building Plant",
    "Acme Research GmbH",
]
_numbers = itertools.count(1)


def _relabelled(source: Path, out: Path, rows: int) -> Path:
    with source.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))[:rows]
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, [*records[0].keys(), "compartments"])
        writer.writeheader()
        for record, (level, compartment) in zip(records, itertools.cycle(LABELS), strict=False):
            writer.writerow({**record, "label": level, "compartments": compartment})
    return out


@pytest.fixture
def shared(workspace: Workspace, tmp_path: Path) -> tuple[Workspace, TestClient, Path]:
    """needs and seeds under five labels, a screening list with an officer's decision; `root` (this test's login)
    admin; the app; a file of names to screen."""
    people.add_user(workspace, as_user(workspace, "root"), "root", roles=["admin"])
    root = as_user(workspace, "root")
    people.grant(workspace, root, "root", "SECRET", compartments=["alpha", "beta"])
    for course in ("security-basics", "secret-handling"):
        people.record_training(workspace, root, "root", course, DONE)
    root = as_user(workspace, "root")
    ingest(workspace, root, "needs", [_relabelled(FIXTURES / "needs" / "needs.csv", tmp_path / "needs.csv", 10)])
    ingest(workspace, root, "seeds", [_relabelled(FIXTURES / "seeds" / "seeds.csv", tmp_path / "seeds.csv", 40)])
    load_list(workspace, root, FIXTURES / "lists" / "generic.csv")
    decide(workspace, root, NAMES[1], "kizashi-test-list", "T-001", "true-match", reason="the same company")
    names = tmp_path / "names.csv"
    names.write_text("id,name\n" + "".join(f"p{i},{name}\n" for i, name in enumerate(NAMES, 1)), encoding="utf-8")
    return workspace, TestClient(create_app(workspace, secret=SECRET_KEY)), names


def _reader(workspace: Workspace, level: str, compartments: list[str], role: str) -> str:
    name = f"reader{next(_numbers)}"
    root = as_user(workspace, "root")
    people.add_user(workspace, root, name, roles=[role], password=PASSWORD)
    assert people.grant(workspace, root, name, level, compartments=compartments).done
    for course in ("security-basics", "secret-handling"):
        people.record_training(workspace, root, name, course, DONE)
    return name


def _api(client: TestClient, name: str) -> dict[str, str]:
    token = client.post("/api/session", json={"name": name, "password": PASSWORD}).json()["token"]
    return {"Authorization": f"Bearer {token}"}


@given(
    level=st.sampled_from(["PUBLIC", "INTERNAL", "CONFIDENTIAL", "SECRET"]),
    compartments=st.lists(st.sampled_from(["alpha", "beta"]), unique=True),
    role=st.sampled_from(["analyst", "security_officer"]),
)
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_cli_and_web_give_the_same_answers(
    shared: tuple[Workspace, TestClient, Path], cli, login_as, level: str, compartments: list[str], role: str
) -> None:  # type: ignore[no-untyped-def]
    workspace, client, names = shared
    name = _reader(workspace, level, compartments, role)
    login_as(name)
    headers = _api(client, name)

    matched = cli("match", "--top", "5", "-f", "jsonl")
    assert matched.code in (0, 2), matched.err
    by_need: dict[str, list[tuple[str, int, float]]] = {}
    for line in matched.out.splitlines():
        row = json.loads(line)
        by_need.setdefault(row["need_id"], []).append((row["seed_id"], row["rank"], row["score"]))
    readable_needs = [r["id"] for r in client.get("/api/records/needs?limit=500", headers=headers).json()["items"]]
    assert set(by_need) <= set(readable_needs)
    for need in readable_needs:
        api = client.get(f"/api/match/{need}?top=5", headers=headers).json()["proposals"]
        assert by_need.get(need, []) == [(p["seed_id"], p["rank"], p["score"]) for p in api]

    experts = cli("experts", "--text", "access control", "--top", "5", "-f", "json")
    if experts.code == 0:
        api_experts = client.get("/api/experts?q=access control&top=5", headers=headers).json()["experts"]
        assert [(e["name"], e["score"], e["record_count"]) for e in json.loads(experts.out)] == [
            (e["name"], e["score"], e["record_count"]) for e in api_experts
        ]
    else:  # nothing readable to find experts in: refused alike
        assert client.get("/api/experts?q=access control&top=5", headers=headers).status_code == 400

    screened = cli("screen", "parties", "--names", names, "-f", "jsonl")
    assert screened.code in (0, 1), screened.err
    cli_rows = [json.loads(line) for line in screened.out.splitlines()]
    body = {"names": [{"id": f"p{i}", "name": n} for i, n in enumerate(NAMES, 1)]}
    api_rows = client.post("/api/screening", json=body, headers=headers).json()["results"]
    assert [(r["id"], r["matches"]) for r in cli_rows] == [(r["id"], r["matches"]) for r in api_rows]
    decisions = [m["decision"] for r in api_rows for m in r["matches"] if m["decision"]]
    assert bool(decisions) == (level != "PUBLIC")  # the officer's decision is INTERNAL
