"""The sharing groups' pages on both backends (issue 16): the groups with their members, a new group, a group's page
with members added and removed, a new collection, all with the CSRF token; the /cti index counting objects by type
and an object's page read in one audited read. Officers and admins administer; anyone else gets 403 for the forms
and 404 for a group they may not see, exactly like a missing one."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import test_cti_pages
from fastapi.testclient import TestClient
from test_browser import Browser, browser_pool, new_browser, server  # noqa: F401 (fixtures, shared with test_browser)
from test_cti_pages import IND, MAL
from test_layout import BADGES, DESKTOP, MEASURE, _at_width, _keep_screenshot

from conftest import masked, page_csrf
from kizashi.store import audit
from kizashi.store.workspace import Workspace

# The pages' fixture: `partners` (boss, ana) share `shared`, `inner` (boss) holds `vault`; objects of every TLP.
intel = test_cti_pages.intel


def _members(page: str) -> list[str]:
    return re.findall(r'<tr data-member="([^"]+)">', page)


def _counts(page: str, collection: str) -> dict[str, str]:
    """The objects by type the index shows for one collection."""
    row = re.search(rf'<tr data-collection="{collection}".*?</tr>', page, re.S)
    assert row, page
    return dict(re.findall(r'<span class="count" data-type="([^"]+)" data-count="(\d+)">', row.group(0)))


def _main(page: str) -> str:
    found = re.search(r"<main>(.*)</main>", page, re.S)
    assert found
    return found.group(1)


def test_the_groups_are_listed_with_their_members_to_members_and_officers(
    intel: dict[str, str], browser: Callable[[str], TestClient]
) -> None:
    boss = browser("boss").get("/cti/groups")
    assert boss.status_code == 200 and "共有グループ" in boss.text
    assert re.findall(r'<tr data-group="([^"]+)" data-members="([^"]*)"', boss.text) == [
        ("inner", "boss"),
        ("partners", "ana boss"),
    ]
    assert 'id="new-group"' in boss.text and 'id="new-collection"' in boss.text
    ana = browser("ana").get("/cti/groups?lang=en")
    assert re.findall(r'<tr data-group="([^"]+)"', ana.text) == ["partners"] and "inner" not in ana.text
    assert 'id="new-group"' not in ana.text and "Sharing groups" in ana.text
    assert 'id="no-groups"' in browser("low").get("/cti/groups").text
    # The index links to them and counts what the reader may read by type: ana does not count boss's RED objects.
    index = browser("ana").get("/cti").text
    assert 'href="/cti/groups"' in index
    assert _counts(index, "shared") == {"indicator": "1", "malware": "1", "relationship": "2"}
    boss_index = browser("boss").get("/cti").text
    assert _counts(boss_index, "shared") == {"indicator": "1", "malware": "2", "relationship": "2"}
    assert _counts(boss_index, "vault") == {"indicator": "1"}


def test_an_officer_creates_a_group_and_a_collection_and_others_may_not(
    intel: dict[str, str], web_workspace: Workspace, browser: Callable[[str], TestClient]
) -> None:
    boss = browser("boss")
    form = boss.get("/cti/groups/new")
    assert form.status_code == 200 and 'id="group-form"' in form.text
    token = page_csrf(form.text)
    made = boss.post(
        "/cti/groups/new",
        data={"csrf_token": token, "name": "friends", "title": "Friends", "members": "ana, low"},
        follow_redirects=False,
    )
    assert made.status_code == 303 and made.headers["location"] == "/cti/groups/friends"
    assert _members(boss.get("/cti/groups/friends").text) == ["ana", "low"]  # making a group joins no one to it
    bad = boss.post("/cti/groups/new?lang=en", data={"csrf_token": token, "name": "no way!", "members": ""})
    assert bad.status_code == 400 and 'id="form-error"' in bad.text and "no way!" in bad.text
    unknown = boss.post("/cti/groups/new?lang=ja", data={"csrf_token": token, "name": "more", "members": "nobody"})
    assert unknown.status_code == 404 and "nobody" in unknown.text and 'id="group-form"' in unknown.text
    assert boss.post("/cti/groups/new", data={"name": "sneaky", "members": ""}).status_code == 403  # no CSRF token
    taken = boss.post("/cti/groups/new?lang=en", data={"csrf_token": token, "name": "friends", "members": "boss"})
    assert taken.status_code == 400 and "exists already" in taken.text  # the form creates; it adds to none
    assert _members(boss.get("/cti/groups/friends").text) == ["ana", "low"]
    # A collection of the new group, read by security officers only.
    page = boss.get("/cti/collections/new?group=friends")
    assert page.status_code == 200 and '<option value="friends" selected>' in page.text
    created = boss.post(
        "/cti/collections/new",
        data={
            "csrf_token": token,
            "name": "friendly",
            "group": "friends",
            "default_tlp": "AMBER",
            "level": "PUBLIC",
            "read_roles": ["security_officer"],
        },
        follow_redirects=False,
    )
    assert created.status_code == 303 and created.headers["location"].startswith("/cti/collections/")
    listed = browser("ana").get("/cti").text
    assert re.search(r'<tr data-collection="friendly" data-read="false"', listed)
    refused = boss.post("/cti/collections/new", data={"csrf_token": token, "name": "x", "group": "nowhere"})
    assert refused.status_code == 404 and 'id="collection-form"' in refused.text
    # ana is no officer: the forms and their posts are refused, and nothing is made.
    ana = browser("ana")
    assert ana.get("/cti/groups/new").status_code == 403
    assert ana.get("/cti/collections/new").status_code == 403
    ana_token = page_csrf(ana.get("/cti").text)
    assert ana.post("/cti/groups/new", data={"csrf_token": ana_token, "name": "mine"}).status_code == 403
    done = ana.post("/cti/collections/new", data={"csrf_token": ana_token, "name": "mine", "group": "partners"})
    assert done.status_code == 403
    assert "mine" not in boss.get("/cti/groups").text and "mine" not in boss.get("/cti").text
    denied = [e for e in audit.iter_events(web_workspace) if e["action"] == "denied" and e["actor"] == "ana"]
    assert {e["detail"]["service"] for e in denied} >= {"cti.groups", "cti.group_add", "cti.collection_add"}


def test_members_are_added_and_removed_on_the_groups_page(
    intel: dict[str, str], browser: Callable[[str], TestClient]
) -> None:
    boss = browser("boss")
    page = boss.get("/cti/groups/partners")
    assert page.status_code == 200 and _members(page.text) == ["ana", "boss"]
    assert 'id="add-member"' in page.text and 'class="inline remove-member"' in page.text
    token = page_csrf(page.text)
    added = boss.post("/cti/groups/partners/members", data={"csrf_token": token, "user": "low"})
    assert added.status_code == 200 and _members(added.text) == ["ana", "boss", "low"] and 'id="done"' in added.text
    assert browser("low").get(f"/cti/collections/{intel['shared']}").status_code == 200  # low reads it now
    missing_user = boss.post("/cti/groups/partners/members?lang=en", data={"csrf_token": token, "user": "nobody"})
    assert missing_user.status_code == 404 and "no user &#39;nobody&#39;" in missing_user.text
    # The form never creates a group: one that does not exist is a 404.
    assert boss.post("/cti/groups/ghost/members", data={"csrf_token": token, "user": "low"}).status_code == 404
    assert "ghost" not in boss.get("/cti/groups").text
    ana = browser("ana")  # a member, no officer: reads the page without its forms
    mine = ana.get("/cti/groups/partners")
    assert mine.status_code == 200 and 'id="add-member"' not in mine.text and "remove-member" not in mine.text
    ana_token = page_csrf(mine.text)
    assert (
        ana.post("/cti/groups/partners/members/remove", data={"csrf_token": ana_token, "user": "low"}).status_code
        == 403
    )
    assert ana.post("/cti/groups/partners/members", data={"csrf_token": ana_token, "user": "low"}).status_code == 403
    removed = boss.post("/cti/groups/partners/members/remove", data={"csrf_token": token, "user": "ana"})
    assert removed.status_code == 200 and _members(removed.text) == ["boss", "low"]
    # ana's next request: the group's collection, its objects and the group itself answer like missing ones.
    assert ana.get(f"/cti/collections/{intel['shared']}").status_code == 404
    assert ana.get(f"/cti/objects/{IND}").status_code == 404
    assert ana.get("/cti/groups/partners").status_code == 404
    assert (
        boss.post("/cti/groups/partners/members/remove", data={"csrf_token": token, "user": "ana"}).status_code == 404
    )


def test_a_group_hidden_from_the_reader_answers_like_a_missing_one(
    intel: dict[str, str], browser: Callable[[str], TestClient]
) -> None:
    ana = browser("ana")
    hidden, missing = ana.get("/cti/groups/inner"), ana.get("/cti/groups/nowhere")
    assert hidden.status_code == missing.status_code == 404
    assert masked(_main(hidden.text), "inner") == masked(_main(missing.text), "nowhere")


def test_an_object_page_is_one_read(
    intel: dict[str, str], web_workspace: Workspace, browser: Callable[[str], TestClient]
) -> None:
    ana = browser("ana")
    before = len(list(audit.iter_events(web_workspace)))
    page = ana.get(f"/cti/objects/{MAL}")
    assert page.status_code == 200 and IND in page.text
    reads = [e for e in list(audit.iter_events(web_workspace))[before:] if e["action"] == "read"]
    assert [e["detail"]["service"] for e in reads] == ["cti.object_view"]
    before = len(list(audit.iter_events(web_workspace)))
    assert ana.get("/cti").status_code == 200
    reads = [e for e in list(audit.iter_events(web_workspace))[before:] if e["action"] == "read"]
    assert [e["detail"]["service"] for e in reads] == ["cti.counts"]


@pytest.mark.slow
def test_the_groups_page_in_japanese_in_chromium(
    new_browser: Callable[[], Browser],  # noqa: F811 (the fixture imported above)
    intel: dict[str, str],
) -> None:
    boss = new_browser()
    boss.log_in("boss")
    boss.open("/cti")
    boss.find("#to-groups").click()
    boss.until(lambda: boss.path == "/cti/groups", "the sharing groups, from the threat-intelligence page")
    assert boss.text("h1") == "共有グループ" and "メンバー" in boss.text("#groups")
    assert boss.find('#groups tr[data-group="partners"] .member[data-user="ana"]').is_displayed()
    _at_width(boss, DESKTOP)
    found = boss.driver.execute_script(MEASURE, DESKTOP, BADGES)
    assert [problem for problem in found if "header's nav" not in problem] == []
    _keep_screenshot(boss, "/cti/groups", DESKTOP)
    # Into a group, and a member taken out with its button.
    boss.find('#groups tr[data-group="partners"] a').click()
    boss.until(lambda: boss.all("#members"), "the group's members")
    boss.find('#members tr[data-member="ana"] button').click()
    boss.until(lambda: boss.all("#done"), "the member removed")
    assert [row.get_attribute("data-member") for row in boss.all("#members tr[data-member]")] == ["boss"]
    assert "メンバーを外しました" in boss.text("#done")
