"""The threat-intelligence pages on both backends (issue 16): the collections a reader may see and their sharing
groups, a collection's objects with their TLP labels (filtered by type, paged), one object's properties, versions and
relationships (readable ones only), a bundle uploaded by those who may add; hidden answering exactly like missing."""

from __future__ import annotations

import html
import json
import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_browser import Browser, browser_pool, new_browser, server  # noqa: F401 (fixtures, shared with test_browser)
from test_layout import BADGES, DESKTOP, MEASURE, _at_width, _keep_screenshot

from conftest import as_user, page_csrf
from kizashi.protect.cti.groups import add_collection, add_group
from kizashi.protect.cti.store import add_objects
from kizashi.protect.cti.tlp import MARKING_OF
from kizashi.store import audit
from kizashi.store.workspace import Workspace

T0 = "2026-01-01T00:00:00.000Z"


def sid(kind: str) -> str:
    return f"{kind}--{uuid.uuid4()}"


def indicator(object_id: str, name: str, modified: str = T0, tlp: str | None = None, **extra: Any) -> dict[str, Any]:
    found = {
        "type": "indicator",
        "spec_version": "2.1",
        "id": object_id,
        "created": T0,
        "modified": modified,
        "name": name,
        "description": "a domain seen in phishing",
        "pattern": "[domain-name:value = 'evil.example']",
        "pattern_type": "stix",
        "valid_from": "2026-01-01T00:00:00Z",
        "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "initial-access"}],
        "external_references": [
            {"source_name": "partner-report", "url": "https://example.org/report/1", "external_id": "R-1"}
        ],
        **extra,
    }
    if tlp:
        found["object_marking_refs"] = [MARKING_OF[tlp]]
    return found


def malware(object_id: str, name: str, tlp: str | None = None, **extra: Any) -> dict[str, Any]:
    found = {"type": "malware", "spec_version": "2.1", "id": object_id, "created": T0, "modified": T0,
             "name": name, "is_family": True, **extra}  # fmt: skip
    if tlp:
        found["object_marking_refs"] = [MARKING_OF[tlp]]
    return found


def relationship(source: str, target: str, kind: str = "indicates") -> dict[str, Any]:
    return {"type": "relationship", "spec_version": "2.1", "id": sid("relationship"), "created": T0, "modified": T0,
            "relationship_type": kind, "source_ref": source, "target_ref": target}  # fmt: skip


SCRIPT = "<script>alert('tako')</script>"  # a partner's text is shown as text, never run
IND, MAL, HIDDEN_MAL, OTHER = sid("indicator"), sid("malware"), sid("malware"), sid("indicator")


@pytest.fixture
def intel(web_workspace: Workspace) -> dict[str, str]:
    """`partners` (boss, ana) share `shared` (GREEN by default); `inner` (boss only) holds `vault`. In `shared`: an
    indicator in two versions (GREEN, then RED), the malware it indicates, and a RED malware only boss receives,
    which the indicator also indicates (RED: only the adder, boss, receives it). `vault` holds an indicator nobody else may know of."""
    ws = web_workspace
    boss = as_user(ws, "boss")
    add_group(ws, boss, "partners", ["boss", "ana"])
    add_group(ws, boss, "inner", ["boss"])
    shared = add_collection(ws, boss, "shared", "partners", default_tlp="GREEN", title="Partners' intelligence")
    vault = add_collection(ws, boss, "vault", "inner", default_tlp="RED")
    boss = as_user(ws, "boss")  # now holding the groups' compartments
    add_objects(
        ws,
        boss,
        shared.id,
        [indicator(IND, "evil domain", tlp="GREEN"), malware(MAL, "TakoBot", "CLEAR", description=SCRIPT)],
    )
    add_objects(
        ws,
        boss,
        shared.id,
        [
            indicator(IND, "evil domain", modified="2026-02-01T00:00:00.000Z", tlp="RED"),
            malware(HIDDEN_MAL, "SecretBot", "RED"),
            relationship(IND, MAL),
            relationship(IND, HIDDEN_MAL),
        ],
    )
    add_objects(ws, boss, vault.id, [indicator(OTHER, "vault indicator")])
    return {"shared": shared.id, "vault": vault.id}


def _objects(page: str) -> list[tuple[str, str]]:
    """(stix id, TLP) of each row of the objects table."""
    return re.findall(r'<tr data-object="([^"]+)" data-type="[^"]+" data-tlp="([^"]*)">', page)


def _banner(page: str) -> tuple[str, str] | None:
    """The page label's level and TLP."""
    found = re.search(r'<div class="banner[^"]*" data-label="([^"]+)">.*?data-tlp="([^"]+)"', page)
    return (found.group(1), found.group(2)) if found else None


def test_the_index_lists_only_the_collections_of_the_readers_groups(
    intel: dict[str, str], browser: Callable[[str], TestClient]
) -> None:
    boss, ana, low = browser("boss"), browser("ana"), browser("low")
    assert 'id="nav-cti"' in low.get("/").text and "脅威情報" in low.get("/").text
    boss_page = boss.get("/cti").text
    assert re.findall(r'<tr data-collection="([^"]+)"', boss_page) == ["shared", "vault"]
    assert 'id="groups"' in boss_page and 'data-group="inner"' in boss_page  # an officer sees the sharing groups
    ana_page = ana.get("/cti?lang=en").text
    assert re.findall(r'<tr data-collection="([^"]+)"', ana_page) == ["shared"]
    assert "vault" not in ana_page and 'id="groups"' not in ana_page and "Threat intelligence" in ana_page
    assert 'data-read="true" data-write="true"' in ana_page
    assert 'id="no-collections"' in low.get("/cti").text


def test_a_collection_shows_its_objects_with_their_tlp_labels(
    intel: dict[str, str], browser: Callable[[str], TestClient]
) -> None:
    page = browser("boss").get(f"/cti/collections/{intel['shared']}")
    assert page.status_code == 200
    rows = dict(_objects(page.text))
    assert rows[IND] == "RED" and rows[MAL] == "CLEAR" and rows[HIDDEN_MAL] == "RED"
    assert '<span class="tlp tlp-label" data-tlp="RED">TLP:RED</span>' in page.text
    assert "インジケーター" in page.text and "マルウェア" in page.text  # types in the reader's language
    # ana, in the group, reads what TLP lets her: not the RED malware nor the indicator's RED second version (only
    # boss receives them), so the indicator shows its GREEN first version.
    ana = browser("ana").get("/cti/collections/shared?lang=en")
    things = {stix: tlp for stix, tlp in _objects(ana.text) if not stix.startswith("relationship--")}
    assert things == {IND: "GREEN", MAL: "CLEAR"}
    assert "SecretBot" not in ana.text and 'id="upload-bundle"' in ana.text
    # The page is labelled with the collection's group and the strictest TLP it shows.
    assert _banner(page.text) == ("PUBLIC", "RED") and _banner(ana.text) == ("PUBLIC", "GREEN")
    assert "group:partners" in page.text


def test_filter_by_type_and_paging(
    intel: dict[str, str], browser: Callable[[str], TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    boss = browser("boss")
    only = boss.get(f"/cti/collections/{intel['shared']}", params={"type": "malware"})
    assert {stix for stix, _ in _objects(only.text)} == {MAL, HIDDEN_MAL}
    monkeypatch.setattr("kizashi.web.pages.cti.PAGE_SIZE", 2)
    first = boss.get(f"/cti/collections/{intel['shared']}")
    found = re.search(r'href="([^"]+)" id="next"', first.text)
    assert found and len(_objects(first.text)) == 2
    seen = [stix for stix, _ in _objects(first.text)]
    while found:
        page = boss.get(html.unescape(found.group(1)))
        seen += [stix for stix, _ in _objects(page.text)]
        found = re.search(r'href="([^"]+)" id="next"', page.text)
    assert len(seen) == len(set(seen)) == 5


def test_an_object_with_its_properties_versions_and_readable_relationships(
    intel: dict[str, str], browser: Callable[[str], TestClient]
) -> None:
    page = browser("boss").get(f"/cti/objects/{IND}")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "evil domain" in text and "[domain-name:value = 'evil.example']" in text
    assert "initial-access" in text and 'href="https://example.org/report/1"' in text
    assert re.findall(r'<tr data-version="([^"]+)">', page.text) == [
        "2026-02-01T00:00:00.000Z",
        "2026-01-01T00:00:00.000Z",
    ]
    outgoing = re.search(r'id="outgoing">(.*?)</table>', page.text, re.S)
    assert outgoing and MAL in outgoing.group(1) and HIDDEN_MAL in outgoing.group(1)
    # ana sees the indicator's version she may read, and only the relationship to the malware she may read.
    ana = browser("ana").get(f"/cti/objects/{IND}?lang=en")
    assert re.findall(r'<tr data-version="([^"]+)">', ana.text) == ["2026-01-01T00:00:00.000Z"]
    assert MAL in ana.text and HIDDEN_MAL not in ana.text and "SecretBot" not in ana.text
    # From the malware's side, the indicator points to it.
    malware_page = browser("ana").get(f"/cti/objects/{MAL}").text
    assert SCRIPT not in malware_page and "&lt;script&gt;" in malware_page
    incoming = re.search(r'id="incoming">(.*?)</table>', malware_page, re.S)
    assert incoming and IND in incoming.group(1) and 'data-relation="indicates"' in incoming.group(1)


def test_hidden_answers_exactly_like_missing(intel: dict[str, str], browser: Callable[[str], TestClient]) -> None:
    ana = browser("ana")

    def answer(path: str) -> tuple[int, str]:
        page = ana.get(path)
        found = re.search(r"<main>(.*)</main>", page.text, re.S)
        assert found
        return page.status_code, found.group(1)

    missing_collection = answer(f"/cti/collections/{uuid.uuid4()}")
    assert missing_collection[0] == 404
    assert answer(f"/cti/collections/{intel['vault']}") == missing_collection
    assert answer("/cti/collections/vault") == missing_collection
    missing_object = answer(f"/cti/objects/{sid('indicator')}")
    assert missing_object[0] == 404 and missing_object == missing_collection
    assert answer(f"/cti/objects/{OTHER}") == missing_object  # in a collection she may not see
    assert answer(f"/cti/objects/{HIDDEN_MAL}") == missing_object  # RED, not for her
    assert answer(f"/cti/objects/{OTHER}?collection={intel['vault']}") == missing_object


def _bundle(*objects: dict[str, Any]) -> bytes:
    return json.dumps({"type": "bundle", "id": sid("bundle"), "objects": list(objects)}).encode()


def test_an_upload_adds_a_bundle_and_a_bad_one_is_explained(
    intel: dict[str, str], web_workspace: Workspace, browser: Callable[[str], TestClient]
) -> None:
    ana = browser("ana")
    path = f"/cti/collections/{intel['shared']}"
    token = page_csrf(ana.get(path).text)
    new = sid("indicator")
    files = {"file": ("intel.json", _bundle(indicator(new, "new domain")), "application/json")}
    done = ana.post(f"{path}/objects", data={"csrf_token": token}, files=files)
    assert done.status_code == 200, done.text
    assert 'id="added"' in done.text and "1 件を追加" in done.text
    assert dict(_objects(done.text))[new] == "GREEN"  # the collection's default marking
    assert [e for e in audit.iter_events(web_workspace) if e["action"] == "cti_add"][-1]["actor"] == "ana"
    # A bad object: nothing is added, the reason named in the reader's language, the id named.
    bad = indicator(sid("indicator"), "broken")
    del bad["pattern"]
    files = {"file": ("bad.json", _bundle(indicator(sid("indicator"), "fine"), bad), "application/json")}
    refused = ana.post(f"{path}/objects?lang=en", data={"csrf_token": token}, files=files)
    assert refused.status_code == 400
    error = re.search(r'id="form-error">([^<]*)<', refused.text)
    assert error and bad["id"] in html.unescape(error.group(1)) and "bad.json" in html.unescape(error.group(1))
    assert "fine" not in refused.text
    wrong = {"file": ("x.txt", b"{}", "text/plain")}
    japanese = ana.post(f"{path}/objects?lang=ja", data={"csrf_token": token}, files=wrong)
    assert japanese.status_code == 400 and ".json のファイルを指定してください" in html.unescape(japanese.text)
    # Without the CSRF token nothing is added.
    files = {"file": ("intel.json", _bundle(indicator(sid("indicator"), "sneaky")), "application/json")}
    assert ana.post(f"{path}/objects", data={}, files=files).status_code == 403
    assert "sneaky" not in ana.get(path).text


def test_only_writers_see_the_upload_form_and_may_add(
    intel: dict[str, str], web_workspace: Workspace, browser: Callable[[str], TestClient]
) -> None:
    boss = as_user(web_workspace, "boss")
    readonly = add_collection(web_workspace, boss, "reading", "partners", write_roles=["security_officer"])
    ana = browser("ana")
    page = ana.get(f"/cti/collections/{readonly.id}")
    assert page.status_code == 200 and 'id="upload-bundle"' not in page.text and 'id="no-write"' in page.text
    token = page_csrf(page.text)
    files = {"file": ("intel.json", _bundle(indicator(sid("indicator"), "nope")), "application/json")}
    refused = ana.post(f"/cti/collections/{readonly.id}/objects", data={"csrf_token": token}, files=files)
    assert refused.status_code == 403 and "nope" not in ana.get(f"/cti/collections/{readonly.id}").text


# The colours FIRST's TLP 2.0 gives each label, as Chromium computes them: text, then background.
TLP_COLOURS = {
    "CLEAR": ("rgba(255, 255, 255, 1)", "rgba(0, 0, 0, 1)"),
    "GREEN": ("rgba(51, 255, 0, 1)", "rgba(0, 0, 0, 1)"),
    "RED": ("rgba(255, 43, 43, 1)", "rgba(0, 0, 0, 1)"),
}


@pytest.mark.slow
def test_the_collection_page_in_japanese_with_its_tlp_labels_in_chromium(
    new_browser: Callable[[], Browser],  # noqa: F811 (the fixture imported above)
    intel: dict[str, str],
) -> None:
    boss = new_browser()
    boss.log_in("boss")
    boss.find("#nav-cti").click()
    boss.until(lambda: boss.path == "/cti", "the threat-intelligence page, from the menu")
    assert boss.text("h1") == "脅威情報"
    boss.find('#collections tr[data-collection="shared"] a').click()
    boss.until(lambda: boss.all("#objects"), "the collection's objects")
    assert boss.text("h1") == "Partners' intelligence" and "オブジェクト" in boss.text("main")
    labels = {label.get_attribute("data-tlp"): label for label in boss.all("#objects .tlp-label")}
    assert set(labels) == set(TLP_COLOURS)
    for tlp, (colour, background) in TLP_COLOURS.items():
        assert labels[tlp].text == f"TLP:{tlp}"
        assert (labels[tlp].value_of_css_property("color"), labels[tlp].value_of_css_property("background-color")) == (
            colour,
            background,
        ), tlp
    assert boss.find("#upload-bundle").is_displayed() and "STIX バンドルを追加" in boss.text("main")
    # Nothing cut or hidden on these pages with objects either (the measure of test_layout.py).
    _at_width(boss, DESKTOP)
    for path in (f"/cti/collections/{intel['shared']}", f"/cti/objects/{IND}"):
        boss.open(path)
        boss.until(lambda: boss.all("main h1"), f"the page {path}")
        found = boss.driver.execute_script(MEASURE, DESKTOP, BADGES)
        # The menu's one row is test_layout.py's to check (every page has it); here what these pages show.
        assert [problem for problem in found if "header's nav" not in problem] == [], path
        _keep_screenshot(boss, path, DESKTOP)
