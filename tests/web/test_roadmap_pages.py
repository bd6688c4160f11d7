"""The roadmap pages on both backends: the stored roadmaps one may read, one drawn with its items and revisions, its
items edited and saved as the next revision, an invalid edit showing each finding beside its items and storing
nothing, a file uploaded, the document downloaded as YAML and XLSX; a hidden roadmap answering like a missing one;
and the edit page in Japanese in a real Chromium."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from test_browser import Browser, browser_pool, new_browser, server  # noqa: F401 (fixtures, shared with test_browser)

from conftest import as_user, masked, page_csrf
from kizashi.grow import goals
from kizashi.grow.roadmap_model import Roadmap, read_roadmap
from kizashi.grow.roadmaps import get_roadmap, roadmap_revisions, save_roadmap
from kizashi.ingest.dispatch import ingest
from kizashi.store.workspace import Workspace
from kizashi.web.i18n import MESSAGES
from kizashi.web.i18n_roadmaps import ROADMAP_MESSAGES

ITEMS = [
    {"id": "T1", "lane": "technology", "title_ja": "水位予測", "title_en": "Level forecast", "start": "2027-04",
     "end": "2028-03", "trl": {"from": 3, "to": 5}, "mrl": {"from": 2, "to": 3}},
    {"id": "T2", "lane": "programme", "title_ja": "実証試験", "start": "2028-04", "end": "2029-03",
     "depends_on": ["T1"], "trl": {"from": 5, "to": 7}},
    {"id": "B1", "lane": "barrier", "title_ja": "調達規則", "start": "2028-01", "end": "2028-12",
     "owner": "内閣府", "kind": "procurement"},
]  # fmt: skip


@pytest.fixture
def stored(web_workspace: Workspace, tmp_path: Path) -> Workspace:
    """Goals g1 (PUBLIC) and g2 (CONFIDENTIAL, alpha); roadmap rm1 (PUBLIC) of g1, rm-secret of g2."""
    boss = as_user(web_workspace, "boss")
    threats = tmp_path / "threats.csv"
    threats.write_text(
        "id,category,name_en,name_ja,label,compartments\n"
        "open-threat,disaster,River floods,河川の氾濫,PUBLIC,\n"
        "secret-threat,cyber,Attack on grid control,電力制御系への攻撃,CONFIDENTIAL,alpha\n",
        encoding="utf-8",
    )
    ingest(web_workspace, boss, "threats", [threats])
    for goal_id, threat in (("g1", "open-threat"), ("g2", "secret-threat")):
        values = {"id": goal_id, "title_ja": "目標", "threats": [threat], "capability": "予測",
                  "target_date": "2030-03-31", "target": "警報", "label": "PUBLIC"}  # fmt: skip
        goals.add_goal(web_workspace, boss, values, [])
    rm1 = {"id": "rm1", "title_ja": "洪水予測", "title_en": "Flood forecast", "goal": "g1", "label": "PUBLIC"}
    save_roadmap(web_workspace, boss, Roadmap.model_validate({**rm1, "items": ITEMS}))
    secret = {"id": "rm-secret", "title_ja": "制御系", "goal": "g2", "items": ITEMS}
    save_roadmap(web_workspace, boss, Roadmap.model_validate(secret))
    return web_workspace


def _form(page: str) -> dict[str, str]:
    """The edit form's fields as the page gives them (inputs' values, selects' selected options)."""
    form = page[page.index('id="edit-form"') :]
    fields = {name: value for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form)}
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        fields[name] = chosen.group(1) if chosen else ""
    return fields


def test_the_list_and_a_roadmap_show_what_the_reader_may_read(
    stored: Workspace, browser: Callable[[str], TestClient]
) -> None:
    boss, low = browser("boss"), browser("low")
    listed = boss.get("/roadmaps?lang=en").text
    assert 'id="roadmap-rm1"' in listed and 'id="roadmap-rm-secret"' in listed and 'id="upload-roadmap"' in listed
    low_list = low.get("/roadmaps?lang=en").text
    assert 'id="roadmap-rm1"' in low_list and "rm-secret" not in low_list and 'id="no-write"' in low_list
    page = low.get("/roadmaps/rm1?lang=en")
    assert page.status_code == 200
    assert "<svg" in page.text and "Flood forecast" in page.text and 'data-item="B1"' in page.text
    assert '<tr data-revision="1">' in page.text and 'class="critical"' in page.text
    assert 'id="edit-roadmap"' not in page.text  # low may not edit
    hidden, missing = low.get("/roadmaps/rm-secret"), low.get("/roadmaps/no-such")
    assert hidden.status_code == missing.status_code == 404
    assert masked(hidden.text, "rm-secret") == masked(missing.text, "no-such")
    assert low.get("/roadmaps/rm-secret/edit").status_code == 404
    assert low.get("/roadmaps/rm-secret/download.yaml").status_code == 404
    assert browser("ana").get("/roadmaps/rm-secret").status_code == 200


def test_an_edit_is_saved_as_the_next_revision(stored: Workspace, browser: Callable[[str], TestClient]) -> None:
    boss = browser("boss")
    page = boss.get("/roadmaps/rm1/edit?lang=en").text
    form = _form(page)
    assert form["rows"] == "4" and form["item-1-id"] == "T2" and form["item-0-lane"] == "technology"
    assert form["item-1-depends_on"] == "T1" and form["level"] == "PUBLIC"
    form["item-1-title_en"] = "Field trial"
    form["item-3-id"], form["item-3-lane"], form["item-3-title_ja"] = "T3", "need", "社会実装"
    form["item-3-start"], form["item-3-end"], form["item-3-depends_on"] = "2029-04", "2030-03", "T2"
    form["note"] = "英語名と T3"
    done = boss.post("/roadmaps/rm1/edit", data=form, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/roadmaps/rm1?saved=2", done.text
    found = get_roadmap(stored, as_user(stored, "boss"), "rm1")
    assert found["revision"] == 2 and [i["id"] for i in found["body"]["items"]] == ["T1", "T2", "B1", "T3"]
    assert found["body"]["items"][1]["title_en"] == "Field trial"
    assert found["body"]["items"][0]["mrl"] == {"from": 2, "to": 3}  # kept though the table does not show it
    history = roadmap_revisions(stored, as_user(stored, "boss"), "rm1")
    assert history[-1]["note"] == "英語名と T3"
    assert 'id="saved"' in boss.get("/roadmaps/rm1?saved=2&lang=en").text
    # The same form again is stale: revision 1 was edited, the roadmap is at 2 now.
    stale = boss.post("/roadmaps/rm1/edit", data={**form, "item-0-title_ja": "別"}, follow_redirects=False)
    assert stale.status_code == 400 and "changed meanwhile" in stale.text


def test_an_invalid_edit_shows_the_findings_beside_their_items_and_stores_nothing(
    stored: Workspace, browser: Callable[[str], TestClient]
) -> None:
    boss = browser("boss")
    form = _form(boss.get("/roadmaps/rm1/edit").text)
    form["item-1-start"] = "2028-01"  # T2 now starts before T1, which it depends on, ends
    refused = boss.post("/roadmaps/rm1/edit?lang=ja", data=form, follow_redirects=False)
    assert refused.status_code == 400
    assert 'id="findings"' in refused.text and 'id="findings-1"' in refused.text  # beside T2, the second row
    beside = refused.text[refused.text.index('id="findings-1"') :].split("</tr>")[0]
    assert "T2 は 2028-01 に始まりますが、依存先の T1 が終わるのは 2028-03 です" in beside  # in the reader's language
    assert 'id="findings-0"' in refused.text and 'id="findings-2"' not in refused.text  # beside T1 too, not B1
    assert _form(refused.text)["item-1-start"] == "2028-01"  # what was typed is kept
    assert get_roadmap(stored, as_user(stored, "boss"), "rm1")["revision"] == 1
    # A value the format refuses names the row.
    form["item-1-start"], form["item-0-trl_to"] = "2028-04", "12"
    wrong = boss.post("/roadmaps/rm1/edit?lang=en", data=form, follow_redirects=False)
    assert wrong.status_code == 400 and 'id="form-error"' in wrong.text and "row 1" in wrong.text
    assert 'id="row-0" data-item="T1" class="invalid"' in wrong.text
    assert len(roadmap_revisions(stored, as_user(stored, "boss"), "rm1")) == 1


def test_add_row_stores_nothing_and_writes_need_the_permission_and_the_token(
    stored: Workspace, browser: Callable[[str], TestClient]
) -> None:
    boss = browser("boss")
    form = _form(boss.get("/roadmaps/rm1/edit").text)
    more = boss.post("/roadmaps/rm1/edit", data={**form, "add_row": "1"})
    assert more.status_code == 200 and _form(more.text)["rows"] == "5"
    assert get_roadmap(stored, as_user(stored, "boss"), "rm1")["revision"] == 1
    no_token = {key: value for key, value in form.items() if key != "csrf_token"}
    assert boss.post("/roadmaps/rm1/edit", data=no_token, follow_redirects=False).status_code == 403
    low = browser("low")
    low_form = {**form, "csrf_token": page_csrf(low.get("/roadmaps").text), "item-0-title_ja": "変更"}
    assert low.post("/roadmaps/rm1/edit", data=low_form, follow_redirects=False).status_code == 403
    assert get_roadmap(stored, as_user(stored, "boss"), "rm1")["revision"] == 1


def test_upload_and_download(stored: Workspace, browser: Callable[[str], TestClient], tmp_path: Path) -> None:
    boss = browser("boss")
    token = page_csrf(boss.get("/roadmaps").text)
    document: dict[str, Any] = {"id": "rm-new", "title_ja": "新しい地図", "goal": "g1", "items": ITEMS[:2]}
    text = yaml.safe_dump(document, allow_unicode=True).encode()
    done = boss.post(
        "/roadmaps",
        data={"csrf_token": token, "note": "初版"},
        files={"file": ("新しい.yaml", text, "application/yaml")},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/roadmaps/rm-new?saved=1", done.text
    broken = yaml.safe_dump({**document, "items": [{**ITEMS[1], "depends_on": ["T9"]}]}).encode()
    refused = boss.post(
        "/roadmaps", data={"csrf_token": token}, files={"file": ("rm.yaml", broken, "application/yaml")}
    )
    assert refused.status_code == 400 and 'id="upload-findings"' in refused.text and "T9" in refused.text
    wrong = boss.post("/roadmaps", data={"csrf_token": token}, files={"file": ("rm.txt", b"x", "text/plain")})
    assert wrong.status_code == 400 and 'id="form-error"' in wrong.text
    as_yaml = boss.get("/roadmaps/rm1/download.yaml")
    assert as_yaml.status_code == 200 and "attachment" in as_yaml.headers["content-disposition"]
    (tmp_path / "rm1.yaml").write_bytes(as_yaml.content)
    as_xlsx = boss.get("/roadmaps/rm1/download.xlsx")
    (tmp_path / "rm1.xlsx").write_bytes(as_xlsx.content)
    assert read_roadmap(tmp_path / "rm1.xlsx") == read_roadmap(tmp_path / "rm1.yaml")
    assert read_roadmap(tmp_path / "rm1.yaml").items[0].mrl is not None


def test_every_roadmap_message_has_both_languages() -> None:
    for key, (ja, en) in ROADMAP_MESSAGES.items():
        assert ja and en and MESSAGES[key] == (ja, en), key
        assert set(re.findall(r"\{(\w+)\}", ja)) == set(re.findall(r"\{(\w+)\}", en)), key


def test_the_edit_page_in_japanese_in_a_browser(
    new_browser: Callable[[], Browser],  # noqa: F811 (the fixture imported above)
    stored: Workspace,
) -> None:
    boss = new_browser()
    boss.open("/roadmaps/rm1/edit?lang=ja")
    boss.log_in("boss")
    boss.open("/roadmaps/rm1/edit")
    boss.until(lambda: boss.all("#edit-items"), "the edit page")
    assert boss.text("h1") == "洪水予測 の編集"
    headings = [cell.text for cell in boss.all("#edit-items th")]
    assert headings[:3] == ["ID", "レーン", "名称（日本語）"]
    lane = boss.find('select[name="item-0-lane"] option:checked')
    assert lane.text == "技術"
    start = boss.find('input[name="item-1-start"]')
    start.clear()
    start.send_keys("2028-01")
    boss.find("#save").click()
    boss.until(lambda: boss.all("#findings"), "the findings")
    assert "T2" in boss.text("#findings-1") and "保存していません" in boss.text("#findings")
    assert get_roadmap(stored, as_user(stored, "boss"), "rm1")["revision"] == 1
