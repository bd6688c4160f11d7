"""Terminal tables fit the terminal (COLUMNS) and never cut an id or a date; --wide shows every cell in full; files
hold every field; reading a needs or seeds file without descriptions warns; roles are listed from the policy."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from kizashi.cli.common import fit_widths, short, token_columns
from kizashi.know.match import read_statements
from kizashi.policy.permissions import PERMISSIONS, ROLES
from kizashi.store.workspace import Workspace
from kizashi.web.i18n import translate

LONG_TITLE = (
    "Early detection of small unmanned aircraft near critical infrastructure by combining radar with radio monitoring "
    "and acoustic arrays"
)
NEEDS = (
    "id,title,description,lang,organization,country,trl,threat,deadline,label\n"
    f"JA-SEC-2026-0042,{LONG_TITLE},Radar and radio monitoring to find drones early.,en,"
    "Acquisition Technology and Logistics Agency,JP,4,nh.heavy-rain-flood,2026-03-31,CONFIDENTIAL\n"
    "JA-SEC-2026-0043,Flood forecasting for river basins,Rainfall and river gauges.,en,"
    "Ministry of Land Infrastructure Transport and Tourism,JP,5,nh.heavy-rain-flood,2027-01-15,PUBLIC\n"
)
SEEDS = (
    "id,title,description,organization,label\n"
    "s1,Drone detection radar,A compact radar that finds small drones near airports.,Radar Lab,PUBLIC\n"
    "s2,River gauge network,Cheap river level sensors that forecast floods.,Hydro Lab,PUBLIC\n"
)


@pytest.fixture
def needs_file(tmp_path: Path) -> Path:
    path = tmp_path / "needs.csv"
    path.write_text(NEEDS, encoding="utf-8")
    return path


@pytest.fixture
def loaded(workspace: Workspace, cli, needs_file: Path, tmp_path: Path) -> Workspace:
    (tmp_path / "seeds.csv").write_text(SEEDS, encoding="utf-8")
    for args in (["ingest", "needs", needs_file], ["ingest", "seeds", tmp_path / "seeds.csv"]):
        done = cli(*args)
        assert done.code == 0, done.err
    return workspace


def _widest(text: str) -> int:
    return max(cell_len(line) for line in text.splitlines())


# ── tables that fit ──────────────────────────────────────────────────────────────────────────────────────────────


def test_a_table_fits_80_columns_with_ids_and_dates_whole(loaded: Workspace, cli, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    shown = cli("list", "needs")
    assert shown.code == 0, shown.err
    assert _widest(shown.out) <= 80
    for whole in ("JA-SEC-2026-0042", "JA-SEC-2026-0043", "2026-03-31", "2027-01-15", "deadline"):
        assert whole in shown.out, whole  # on one line: neither cut ("2026…") nor folded
    assert "…" in shown.out  # the long title is what gives way, shortened to a few lines


def test_a_timestamp_stays_whole_at_80_columns(loaded: Workspace, cli, monkeypatch) -> None:
    assert cli("match", "--top", "1", "--save").code == 0
    created = json.loads(cli("match-runs", "--format", "json").out)[0]["created_at"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d.*", created)
    monkeypatch.setenv("COLUMNS", "80")
    shown = cli("match-runs")
    assert shown.code == 0, shown.err
    assert _widest(shown.out) <= 80
    assert created[:19] in shown.out


def test_wide_shows_every_cell_in_full(loaded: Workspace, cli, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    fitted = cli("list", "needs")
    assert LONG_TITLE not in fitted.out
    wide = cli("list", "needs", "--wide")
    assert wide.code == 0, wide.err
    assert LONG_TITLE in wide.out  # on one line
    assert "Acquisition Technology and Logistics Agency" in wide.out
    assert _widest(wide.out) > 80


def test_a_narrow_terminal_folds_ids_but_never_cuts_them(loaded: Workspace, cli, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "50")
    shown = cli("list", "needs")
    assert shown.code == 0
    assert _widest(shown.out) <= 50
    assert "JA-SEC-2026-004…" not in shown.out and "2026-…" not in shown.out
    # Folded, the id's pieces are still all there, one under another.
    assert "".join(re.findall(r"^(\S+)", shown.out, re.MULTILINE)).find("JA-SEC-2026-0042") >= 0


@given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=200))
def test_short_never_cuts_a_token(token: str) -> None:
    assert short(token, 10) == token


@given(st.lists(st.text(alphabet="abc ", min_size=1, max_size=100), min_size=1, max_size=5))
def test_short_cuts_text_to_its_width(words: list[str]) -> None:
    text = " ".join(words) + " x"
    assert len(short(text, 20)) <= 20


COLUMN = st.lists(st.one_of(st.from_regex(r"[A-Z]{2}-\d{1,25}", fullmatch=True), st.just("")), min_size=1, max_size=4)
TEXT_COLUMN = st.lists(st.text(alphabet="ab ", min_size=0, max_size=80), min_size=1, max_size=4)


@given(
    st.lists(st.one_of(COLUMN, TEXT_COLUMN), min_size=1, max_size=9),
    st.integers(min_value=9, max_value=200),
)
def test_fit_widths_fits_and_keeps_the_id_whole_longest(columns: list[list[str]], space: int) -> None:
    rows = min(len(c) for c in columns)
    columns = [c[:rows] for c in columns]
    headings = [f"c{i}" for i in range(len(columns))]
    natural = [max([2, *(cell_len(cell) for cell in c)]) for c in columns]
    widths = fit_widths(headings, columns, space)
    assert all(w >= 1 for w in widths)
    if sum(natural) <= space:
        assert widths == natural
    else:
        assert sum(widths) <= max(space, len(columns))
    tokens = token_columns(columns)
    if tokens[0] and natural[0] <= 20:
        # The record's id (the first column, when a token) stays whole while every other column can still give way:
        # text down to 4 cells, other ids and codes down to 3.
        others = sum(min(n, 3) if t else min(n, 4) for n, t in zip(natural[1:], tokens[1:], strict=True))
        if natural[0] + others <= space:
            assert widths[0] == natural[0]


def test_fit_widths_folds_codes_and_text_before_the_id_and_dates() -> None:
    headings = ["id", "title", "threat", "deadline", "level"]
    columns = [["JA-SEC-2026-0042"], [LONG_TITLE], ["nh.heavy-rain-flood"], ["2026-03-31"], ["CONFIDENTIAL"]]
    widths = fit_widths(headings, columns, 50)
    assert sum(widths) <= 50
    assert widths[0] == 16 and widths[3] == 10  # whole
    assert widths[1] < len(LONG_TITLE) and widths[2] < 19 and widths[4] < 12


# ── files hold every field ───────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl", "json"])
def test_an_export_keeps_the_descriptions_for_matching(loaded: Workspace, cli, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"seeds.{fmt}"
    done = cli("list", "seeds", "--format", fmt, "--out", out)
    assert done.code == 0, done.err
    if fmt in ("csv", "xlsx", "jsonl"):  # the formats a needs or seeds file may have
        statements = {s.id: s for s in read_statements("seeds", [out])}
        assert statements["s1"].description == "A compact radar that finds small drones near airports."
    else:
        assert json.loads(out.read_text(encoding="utf-8"))[0]["description"]
    if fmt == "csv":
        # Matching the exported files says nothing of titles only: the descriptions are there.
        needs = tmp_path / "needs.csv"
        assert cli("list", "needs", "--format", "csv", "--out", needs).code == 0
        matched = cli("match", "--needs", needs, "--seeds", out, "--top", "1")
        assert matched.code == 0, matched.err
        assert "titles only" not in matched.err


def test_the_terminal_table_shows_the_main_columns_only(loaded: Workspace, cli, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    assert "description" not in cli("list", "seeds").out
    assert "description" in cli("list", "seeds", "--all-columns").out


# ── matching a file without descriptions warns ───────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("header", ["id,title,organization", "id,title,description,organization"])
def test_matching_files_without_descriptions_warns(tmp_path: Path, needs_file: Path, cli, header: str) -> None:
    seeds = tmp_path / "bare-seeds.csv"
    empty = "," if "description" in header else ""
    seeds.write_text(
        f"{header}\ns1,Drone detection radar{empty},Radar Lab\ns2,River gauge network{empty},Hydro Lab\n",
        encoding="utf-8",
    )
    done = cli("match", "--needs", needs_file, "--seeds", seeds, "--top", "1")
    assert done.code == 0, done.err
    assert "matching will use titles only" in done.err
    assert "no seeds" in done.err and str(seeds) in done.err.replace("\n", "")
    assert "no needs" not in done.err  # the needs have their descriptions


def test_one_description_is_enough_not_to_warn(tmp_path: Path, needs_file: Path, cli) -> None:
    seeds = tmp_path / "seeds.csv"
    seeds.write_text("id,title,description\ns1,Drone radar,Finds drones.\ns2,River gauges,\n", encoding="utf-8")
    done = cli("match", "--needs", needs_file, "--seeds", seeds, "--top", "1")
    assert done.code == 0, done.err
    assert "titles only" not in done.err


def test_classifying_technologies_without_descriptions_warns(tmp_path: Path, cli) -> None:
    items = tmp_path / "items.csv"
    items.write_text("id,title\nt1,Radar for small drone detection\n", encoding="utf-8")
    done = cli("screen", "technology", "--items", items, "--controls", "jp-etco-1", "--top", "1")
    assert done.code == 0, done.err
    assert "titles only" in done.err


# ── roles ────────────────────────────────────────────────────────────────────────────────────────────────────────


def test_user_add_help_names_every_role(cli, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    shown = cli("user", "add", "--help")
    assert shown.code == 0
    for role in ROLES:
        assert role in shown.out, role
    assert "user roles" in shown.out


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_user_roles_lists_names_and_permissions(cli, monkeypatch, lang: str) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("KIZASHI_LANG", lang)
    shown = cli("user", "roles")
    assert shown.code == 0, shown.err
    blocks = re.split(r"^(?=\S)", shown.out, flags=re.MULTILINE)
    for role in ROLES:
        block = next(b for b in blocks if b.startswith(role + " "))
        assert translate(f"role_{role}", "ja") in block and translate(f"role_{role}", "en") in block
        for action, permission in PERMISSIONS.items():
            described = permission.what_ja if lang == "ja" else permission.what
            assert ((action in block) and (described in block)) == (role in permission.roles), (role, action)
    assert ("クリアランス" if lang == "ja" else "clearance") in shown.out


def test_user_roles_json(cli) -> None:
    shown = cli("user", "roles", "--format", "json")
    assert shown.code == 0, shown.err
    found = json.loads(shown.out)
    assert [row["role"] for row in found["roles"]] == list(ROLES)
    for row in found["roles"]:
        assert row["name_ja"] == translate(f"role_{row['role']}", "ja") != row["role"]
        assert row["name_en"] == translate(f"role_{row['role']}", "en") != row["role"]
        assert {p["action"] for p in row["permissions"]} == {
            action for action, permission in PERMISSIONS.items() if row["role"] in permission.roles
        }
    assert set(found["reading"]) == {"ja", "en"}


def test_every_permission_is_described_in_both_languages() -> None:
    for action, permission in PERMISSIONS.items():
        assert permission.what and permission.what_ja, action
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", permission.what_ja), action


def test_user_roles_refuses_other_formats(cli) -> None:
    assert cli("user", "roles", "--format", "csv").code == 2


def test_exported_csv_reads_back_with_descriptions(loaded: Workspace, cli, tmp_path: Path) -> None:
    out = tmp_path / "needs.csv"
    assert cli("list", "needs", "--format", "csv", "--out", out).code == 0
    with out.open(encoding="utf-8", newline="") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}
    assert rows["JA-SEC-2026-0042"]["description"] == "Radar and radio monitoring to find drones early."
