"""Risk card benchmark: what building a project's card costs against calling the services it joins, same run.

Workspace: a temporary SQLite workspace with users (an admin, a security officer and 20 analysts), the 40 seeds of
tests/fixtures/seeds/seeds.csv (CORDIS projects, EU open data), a control decision, a release submission and two
deemed-export answers on each, and the generic test screening list (tests/fixtures/lists/generic.csv) loaded.

Contenders, for every seed, read as the security officer (one `Actor`, built once, as a command or a request does):

- services: get_record + control_status + release.reviews_of + deemed_export.roster + party_status over the same
  names: the sections' own reads (the unaudited ones the card calls; `release.history` and `deemed_export.status`
  are now services that audit a read of their own), no joining, no rules, no audit event of the card's;
- card: risk_card(..., suggest=False): the same reads, the "who may read" section, the rules and one audit event;
- card + suggestions: risk_card(...) for seeds with no control decision, proposing control-list items (the bundled
  lists are indexed once per process: the first card pays for it, reported apart).

Prints cards per second for each and the ratio card / services.

    python benchmarks/risk_card.py
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from kizashi.files.tabular import iter_rows
from kizashi.ingest.dispatch import ingest
from kizashi.policy import Actor
from kizashi.protect import deemed_export, people, release
from kizashi.protect.controls.classify import bundled_classifier
from kizashi.protect.controls.decisions import control_status, decide
from kizashi.protect.people import actor_for
from kizashi.protect.risk_card import project_parties, risk_card
from kizashi.protect.screening.store import load_list, party_status
from kizashi.store.records import get_record
from kizashi.store.workspace import Workspace

FIXTURES = Path(__file__).parent.parent / "tests" / "fixtures"


def _done(outcome: people.Outcome) -> None:
    # The only admin acts alone (no second admin to hold a change for): every change is carried out at once.
    assert outcome.done, outcome


def _workspace(folder: Path) -> tuple[Workspace, list[str], Actor]:
    ws = Workspace.create(folder / "ws", f"sqlite:///{folder / 'ws.sqlite'}")
    # The workspace has no users yet: its operator makes "boss" its first user, an admin.
    _done(people.add_user(ws, actor_for(ws, "boss"), "boss", roles=["admin"]))
    boss = actor_for(ws, "boss")
    _done(people.grant(ws, boss, "boss", "INTERNAL"))
    boss = actor_for(ws, "boss")  # with the clearance just granted
    _done(people.add_user(ws, boss, "so", roles=["security_officer"]))
    _done(people.grant(ws, boss, "so", "INTERNAL"))
    for number in range(20):
        _done(people.add_user(ws, boss, f"analyst{number}", roles=["analyst"]))
        _done(people.grant(ws, boss, f"analyst{number}", "INTERNAL"))
    so = actor_for(ws, "so")
    seeds = FIXTURES / "seeds" / "seeds.csv"
    ingest(ws, boss, "seeds", [seeds])
    ids = [row.values["id"] for row in iter_rows(seeds)]
    load_list(ws, so, FIXTURES / "lists" / "generic.csv")
    for index, seed in enumerate(ids):
        if index % 2 == 0:  # half decided, half left for suggestions
            decide(ws, so, seed, "not-listed", reason="benchmark")
        release.submit(ws, so, seed, funding="government", publication_clause=True)
        deemed_export.answer(ws, so, seed, "Chen Wei", [])
        deemed_export.answer(ws, so, seed, "Ana Silva", ["non_resident"])
    return ws, ids, so


def _services(ws: Workspace, so: Actor, seed: str) -> None:
    clearance = so.clearance
    record = get_record(ws, "seeds", seed, clearance)
    control_status(ws, clearance, [seed], "seeds")
    release.reviews_of(ws, clearance, "seeds", record)
    roster = deemed_export.roster(ws, clearance, "seeds", record)["people"]
    party_status(ws, so, [name for name, _ in project_parties("seeds", record, [p["person"] for p in roster])])


def _rate(label: str, run: Callable[[str], object], ids: list[str]) -> float:
    start = time.perf_counter()
    for seed in ids:
        run(seed)
    seconds = time.perf_counter() - start
    print(f"{label:<28} {len(ids) / seconds:8.1f} cards/s  ({seconds * 1000 / len(ids):.1f} ms each)")
    return seconds


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        ws, ids, so = _workspace(Path(folder))
        _services(ws, so, ids[0])  # warm the screening index and the caches alike
        risk_card(ws, so, ids[0], suggest=False)
        services = _rate("services (baseline)", lambda seed: _services(ws, so, seed), ids)
        card = _rate("card, no suggestions", lambda seed: risk_card(ws, so, seed, suggest=False), ids)
        start = time.perf_counter()
        bundled_classifier()
        print(f"{'indexing the control lists':<28} {time.perf_counter() - start:8.2f} s once per process")
        undecided = [seed for index, seed in enumerate(ids) if index % 2 == 1]
        _rate("card + suggestions", lambda seed: risk_card(ws, so, seed), undecided)
        print(f"card / services: {card / services:.2f}× the time of the reads it joins")
        ws.close()


if __name__ == "__main__":
    main()
