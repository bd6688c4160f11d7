"""The screening page on both backends: one name, a batch upload, the list versions in use, decisions posted back
(CSRF, officers only) and shown on the next screening to those who may read them, and the audit trail."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func

from conftest import as_user, page_csrf
from kizashi.model.screening import ScreeningDecision
from kizashi.protect.screening.store import load_list
from kizashi.store import audit
from kizashi.store.readable import select_trusted
from kizashi.store.workspace import Workspace

LISTS = Path(__file__).parents[1] / "fixtures" / "lists"
TAKO = {"entry_list": "METI third_countries", "entry_id": "third_countries-1"}
NAMES_CSV = "id,name,country\np1,タコ有限会社,\np2,University of Greenwich,GB\np3,HANIYYA Ismaeel,\n"


@pytest.fixture
def lists(web_workspace: Workspace) -> Workspace:
    load_list(web_workspace, as_user(web_workspace, "boss"), LISTS / "meti_parsed_entities.json")
    load_list(web_workspace, as_user(web_workspace, "boss"), LISTS / "ofac")
    return web_workspace


def _events(workspace: Workspace, action: str) -> list[dict[str, Any]]:
    return [event for event in audit.iter_events(workspace) if event["action"] == action]


def _decisions(workspace: Workspace) -> int:
    with workspace.session() as session:
        every = select_trusted(func.count(), why="a test counts every decision").select_from(ScreeningDecision)
        return int(session.scalar(every) or 0)


def _rows(page: str) -> list[tuple[str, str]]:
    """(party id, status) of every result row, in order."""
    return re.findall(r'<tr class="party[^"]*" data-party="([^"]+)" data-status="([^"]+)"', page)


def test_the_page_without_lists_says_so_and_the_nav_links_it(
    web_workspace: Workspace, browser: Callable[[str], TestClient]
) -> None:
    low = browser("low")
    assert 'id="nav-screening"' in low.get("/").text
    page = low.get("/screening")
    assert page.status_code == 200 and 'id="no-lists"' in page.text and "取引先スクリーニング" in page.text
    assert "Partner screening" in low.get("/screening?lang=en").text
    screened = low.get("/screening", params={"name": "タコ有限会社"})
    assert _rows(screened.text) == [("1", "not_screened")]


def test_one_name_with_its_explanation_and_the_versions_in_use(
    lists: Workspace, browser: Callable[[str], TestClient]
) -> None:
    page = browser("low").get("/screening", params={"name": "タコ有限会社", "type": "organisation"})
    assert page.status_code == 200
    assert _rows(page.text)[0] == ("1", "alert")
    text = html.unescape(page.text)
    assert 'data-entry="third_countries-1"' in text and "Tako LLC" in text
    assert "タコ→tako = tako（翻字）" in text  # the explanation in the page's language
    assert re.findall(r'<tr data-version="(\d+)">', page.text) == ["1", "2"]
    assert "/screening/decide" not in page.text  # an analyst screens but does not decide
    (event,) = _events(lists, "screen")
    assert event["actor"] == "low" and event["detail"]["names"] == 1 and event["detail"]["list_versions"] == [1, 2]
    assert event["origin"] is not None
    english = html.unescape(browser("low").get("/screening", params={"name": "タコ有限会社", "lang": "en"}).text)
    assert "タコ→tako = tako (transliterated)" in english
    wrong = browser("low").get("/screening", params={"name": "x", "type": "spaceship"})
    assert wrong.status_code == 400 and 'id="form-error"' in wrong.text


def test_batch_upload_of_a_small_csv(lists: Workspace, browser: Callable[[str], TestClient]) -> None:
    ana = browser("ana")
    token = page_csrf(ana.get("/screening").text)
    files = {"file": ("partners.csv", NAMES_CSV.encode("utf-8"), "text/csv")}
    page = ana.post("/screening/batch", data={"csrf_token": token}, files=files)
    assert page.status_code == 200, page.text
    statuses = dict(_rows(page.text))
    assert statuses == {"p1": "alert", "p2": "clear", "p3": "alert"}
    assert "partners.csv" in page.text
    assert _events(lists, "screen")[-1]["detail"]["names"] == 3
    # Without the CSRF token nothing is screened.
    refused = ana.post("/screening/batch", data={}, files=files)
    assert refused.status_code == 403 and len(_events(lists, "screen")) == 1


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("partners.txt", b"id,name\n1,a\n", "partners.txt"),
        ("partners.csv", b"id,title\n1,a\n", "partners.csv"),
        ("partners.csv", b"id,name\n1,\n", "row 2"),
    ],
)
def test_a_bad_upload_is_explained(
    lists: Workspace, browser: Callable[[str], TestClient], filename: str, content: bytes, message: str
) -> None:
    ana = browser("ana")
    token = page_csrf(ana.get("/screening?lang=en").text)  # the messages below are the English ones
    page = ana.post("/screening/batch", data={"csrf_token": token}, files={"file": (filename, content, "text/csv")})
    assert page.status_code == 400
    error = re.search(r'id="form-error">([^<]*)<', page.text)
    assert error and message in html.unescape(error.group(1))
    assert "kizashi-screening-" not in page.text  # the temporary copy's path is never shown
    assert _events(lists, "screen") == []


def test_an_officer_decides_and_the_next_screening_shows_it(
    lists: Workspace, browser: Callable[[str], TestClient]
) -> None:
    boss = browser("boss")
    page = boss.get("/screening", params={"name": "タコ有限会社"})
    assert 'action="/screening/decide"' in page.text
    posted = boss.post(
        "/screening/decide",
        data={"csrf_token": page_csrf(page.text), "name": "タコ有限会社", **TAKO, "decision": "false-positive",
              "reason": "a namesake in another prefecture"},
        follow_redirects=False,
    )  # fmt: skip
    assert posted.status_code == 303 and posted.headers["location"].startswith("/screening?name=")
    again = boss.get(posted.headers["location"])
    assert 'data-decision="false-positive"' in again.text and "a namesake in another prefecture" in again.text
    assert 'data-label="INTERNAL"' in again.text  # the page shows an INTERNAL decision
    # An analyst cleared for INTERNAL sees the decision but gets no form; a PUBLIC one sees neither.
    ana = browser("ana").get("/screening", params={"name": "ﾀｺ有限会社"})
    assert 'data-decision="false-positive"' in ana.text and "/screening/decide" not in ana.text
    low = browser("low").get("/screening", params={"name": "タコ有限会社"})
    assert "data-decision" not in low.text and "a namesake" not in low.text
    assert _rows(low.text)[0] == ("1", "alert") and 'data-label="INTERNAL"' not in low.text
    (event,) = _events(lists, "decision")
    assert event["actor"] == "boss" and event["detail"]["decision"] == "false-positive"


def test_a_non_officer_cannot_decide_and_csrf_is_required(
    lists: Workspace, browser: Callable[[str], TestClient]
) -> None:
    ana = browser("ana")
    data = {"name": "タコ有限会社", **TAKO, "decision": "true-match", "reason": "looks like it"}
    token = page_csrf(ana.get("/screening").text)
    refused = ana.post("/screening/decide", data={**data, "csrf_token": token}, follow_redirects=False)
    assert refused.status_code == 403
    boss = browser("boss")
    assert boss.post("/screening/decide", data=data, follow_redirects=False).status_code == 403
    assert _decisions(lists) == 0
    # Both refusals are audited, each by what refused it: the service (not allowed) and the CSRF check.
    assert [
        (e["actor"], e["detail"]["service"], e["detail"]["code"], e["detail"]["via"]) for e in _events(lists, "denied")
    ] == [
        ("ana", "screening.decide", "access_denied", "POST /screening/decide"),
        ("boss", "csrf", "csrf_failed", "POST /screening/decide"),
    ]


# ── the lists page: every version, loading a list (officers) ───────────────────────────────────────────────────


def _load(client: TestClient, filename: str, content: bytes, **fields: str) -> Any:
    token = page_csrf(client.get("/screening").text)
    files = {"file": (filename, content, "application/octet-stream")}
    return client.post("/screening/lists", data={"csrf_token": token, **fields}, files=files, follow_redirects=False)


def test_an_officer_loads_a_list_in_the_web_and_sees_its_versions(
    web_workspace: Workspace, browser: Callable[[str], TestClient]
) -> None:
    boss = browser("boss")
    start = boss.get("/screening")
    assert 'href="/screening/lists"' in start.text  # the way in from the screening page
    assert 'id="load-list"' in boss.get("/screening/lists").text
    generic = (LISTS / "generic.csv").read_bytes()
    posted = _load(boss, "東都 generic.csv", generic, name="test list")
    assert posted.status_code == 303, posted.text
    assert posted.headers["location"] == "/screening/lists?loaded=1"
    page = boss.get(posted.headers["location"])
    assert 'id="loaded" data-version="1"' in page.text and "リストを登録しました" in page.text
    # The file keeps its name (made safe as one), and the time reads as people read it.
    assert "東都_generic.csv" in page.text
    loaded_at = re.search(r'<tr data-version="1" data-latest="true">.*?</tr>', page.text, re.S)
    assert loaded_at and re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC · boss", loaded_at.group(0))
    assert "+00:00" not in page.text
    # The same file again stores nothing and says so; a changed file is a new version, the first one older.
    again = _load(boss, "generic.csv", generic, name="test list")
    assert again.headers["location"] == "/screening/lists?loaded=1&unchanged=1"
    assert 'id="loaded"' in boss.get(again.headers["location"] + "&lang=en").text
    changed = _load(boss, "generic.csv", generic + b"T-900,Kaizoku Trading,,organisation,JP,x,fictitious\n",
                    name="test list")  # fmt: skip
    assert changed.headers["location"] == "/screening/lists?loaded=2"
    listed = boss.get("/screening/lists").text
    assert re.findall(r'<tr data-version="(\d)" data-latest="(\w+)">', listed) == [("1", "false"), ("2", "true")]
    imports = _events(web_workspace, "import")
    assert [(e["actor"], e["detail"]["list"], e["detail"]["unchanged"]) for e in imports] == [
        ("boss", "test list", False), ("boss", "test list", True), ("boss", "test list", False)
    ]  # fmt: skip
    # Screening uses the newest version at once.
    assert _rows(boss.get("/screening", params={"name": "Kaizoku Trading"}).text) == [("1", "alert")]


def test_only_officers_load_lists_and_a_bad_file_is_explained(
    web_workspace: Workspace, browser: Callable[[str], TestClient]
) -> None:
    ana = browser("ana")
    page = ana.get("/screening/lists")
    assert page.status_code == 200 and 'id="load-list"' not in page.text and 'id="load-officers"' in page.text
    refused = _load(ana, "generic.csv", (LISTS / "generic.csv").read_bytes())
    assert refused.status_code == 403
    (denied,) = _events(web_workspace, "denied")
    assert denied["actor"] == "ana" and denied["detail"]["service"] == "screening.load"
    boss = browser("boss")
    no_csrf = boss.post("/screening/lists", files={"file": ("generic.csv", b"id,name\n", "text/csv")})
    assert no_csrf.status_code == 403
    for filename, content, said in [
        ("list.txt", b"x", "list.txt"),
        ("broken.json", b"[{", "broken.json"),
        ("empty.csv", b"id,name,aliases,type,country,list,program\n", "empty.csv"),
    ]:
        bad = _load(boss, filename, content)
        assert bad.status_code == 400, (filename, bad.text)
        error = re.search(r'id="form-error">([^<]*)<', bad.text)
        assert error and said in html.unescape(error.group(1)), (filename, error)
        assert "kizashi-screening-" not in bad.text
    assert _events(web_workspace, "import") == [] and 'id="no-lists"' in boss.get("/screening/lists").text


def test_an_ofac_list_is_loaded_from_its_three_files_in_one_upload(
    web_workspace: Workspace, browser: Callable[[str], TestClient]
) -> None:
    # OFAC's legacy list is three files; `kizashi screen load FOLDER` reads them together, and so does one upload.
    boss = browser("boss")
    token = page_csrf(boss.get("/screening/lists").text)
    trio = [("file", (p.name, p.read_bytes(), "text/csv")) for p in sorted((LISTS / "ofac").glob("*.csv"))]
    posted = boss.post("/screening/lists", data={"csrf_token": token}, files=trio, follow_redirects=False)
    assert posted.status_code == 303, posted.text
    page = boss.get(posted.headers["location"]).text
    assert 'id="loaded"' in page and "OFAC" in page
    version = _events(web_workspace, "import")[-1]["detail"]
    assert version["list"] == "OFAC Consolidated (non-SDN)"
    # The same list as `kizashi screen load` makes of the folder: aliases (alt) and countries (add) included.
    assert _rows(boss.get("/screening", params={"name": "HANIYA Ismail Abdul Salah"}).text)[0][1] == "alert"
    with_cli = load_list(web_workspace, as_user(web_workspace, "boss"), LISTS / "ofac")
    assert with_cli.unchanged and with_cli.version["entries"] == 33


def test_several_files_that_are_not_an_ofac_list_are_explained(
    web_workspace: Workspace, browser: Callable[[str], TestClient]
) -> None:
    boss = browser("boss")
    token = page_csrf(boss.get("/screening/lists").text)
    generic = (LISTS / "generic.csv").read_bytes()
    two = [("file", ("a.csv", generic, "text/csv")), ("file", ("b.csv", generic, "text/csv"))]
    bad = boss.post("/screening/lists", data={"csrf_token": token}, files=two, follow_redirects=False)
    assert bad.status_code == 400
    error = html.unescape(re.search(r'id="form-error">([^<]*)<', bad.text).group(1))  # type: ignore[union-attr]
    assert "a.csv, b.csv" in error and "OFAC" in error and "kizashi-screening-" not in bad.text
    four = [("file", (f"{n}.csv", generic, "text/csv")) for n in "abcd"]
    many = boss.post("/screening/lists", data={"csrf_token": token}, files=four, follow_redirects=False)
    assert many.status_code == 400 and "OFAC のリストの 3 ファイル" in many.text
    assert _events(web_workspace, "import") == []


# ── results as a file ──────────────────────────────────────────────────────────────────────────────────────────


def _download_form(page: str) -> dict[str, str]:
    form = re.search(r'<form method="post" action="/screening/download".*?</form>', page, re.S)
    assert form, "no download form"
    parties = re.search(r"name=\"parties\" value='([^']*)'", form.group(0))
    assert parties
    return {"csrf_token": page_csrf(form.group(0)), "parties": html.unescape(parties.group(1))}


def test_batch_results_download_as_excel_with_every_column_and_an_audited_export(
    lists: Workspace, browser: Callable[[str], TestClient], tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    from kizashi.protect.screening.store import WORKSPACE_TABLE_COLUMNS

    ana = browser("ana")
    files = {"file": ("partners.csv", NAMES_CSV.encode("utf-8"), "text/csv")}
    page = ana.post("/screening/batch", data={"csrf_token": page_csrf(ana.get("/screening").text)}, files=files)
    form = _download_form(page.text)
    got = ana.post("/screening/download", data={**form, "format": "xlsx"})
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert re.match(r"attachment; filename\*=UTF-8''screening-\d{8}-\d{4}\.xlsx", got.headers["content-disposition"])
    (tmp_path / "r.xlsx").write_bytes(got.content)
    sheet = load_workbook(tmp_path / "r.xlsx").worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert tuple(rows[0]) == WORKSPACE_TABLE_COLUMNS
    by_id = {row[0] for row in rows[1:]}
    assert by_id == {"p1", "p2", "p3"}
    tako = next(row for row in rows[1:] if row[0] == "p1")
    assert tako[WORKSPACE_TABLE_COLUMNS.index("entry_id")] == "third_countries-1"
    # The explanation in the page's language (Japanese here), the column names in English for programs.
    assert "（翻字）" in tako[WORKSPACE_TABLE_COLUMNS.index("why")]
    # The service wrote it to the audit trail as a file, like `kizashi screen parties -f xlsx -o F`.
    last = _events(lists, "screen")[-1]
    assert last["actor"] == "ana" and last["detail"]["format"] == "xlsx" and last["detail"]["names"] == 3
    assert last["detail"]["file"].endswith(".xlsx")
    # Without the CSRF token, nothing is screened or written.
    before = len(_events(lists, "screen"))
    assert ana.post("/screening/download", data={"parties": form["parties"], "format": "xlsx"}).status_code == 403
    assert len(_events(lists, "screen")) == before


def test_one_name_downloads_as_csv_with_formulas_neutralised(
    lists: Workspace, browser: Callable[[str], TestClient]
) -> None:
    low = browser("low")
    page = low.get("/screening", params={"name": "=HYPERLINK(1) タコ有限会社"})
    got = low.post("/screening/download", data={**_download_form(page.text), "format": "csv"})
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    text = got.content.decode("utf-8")
    assert "'=HYPERLINK(1) タコ有限会社" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    assert _events(lists, "screen")[-1]["detail"]["format"] == "csv"
    token = page_csrf(page.text)
    for data in (
        {"parties": "[]", "format": "xlsx"},
        {"parties": "not json", "format": "xlsx"},
        {"parties": '[{"id": "1", "name": "x", "type": "spaceship"}]', "format": "xlsx"},
        {"parties": '[{"id": "1", "name": "x"}]', "format": "pdf"},
    ):
        refused = low.post("/screening/download", data={**data, "csrf_token": token})
        assert refused.status_code == 400 and 'id="form-error"' in refused.text, data
