"""Uploads under the input limits: a body over KIZASHI_MAX_UPLOAD_BYTES is refused with 413 before it is read, a
hostile workbook with 413 or 400 and nothing screened, and a heavy upload is parsed and screened off the event loop:
the server answers another request meanwhile."""

from __future__ import annotations

import html
import http.cookiejar
import importlib.util
import re
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient
from live_server import LiveServer, server_env

from conftest import PASSWORD, page_csrf
from kizashi.protect.people import actor_for as as_user
from kizashi.protect.screening.store import load_list
from kizashi.store import audit
from kizashi.store.workspace import Workspace

FIXTURES = Path(__file__).parents[1] / "fixtures"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _maker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_hostile", FIXTURES / "hostile" / "make_hostile.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make = _maker()


def _screenings(workspace: Workspace) -> int:
    return sum(1 for event in audit.iter_events(workspace) if event["action"] == "screen")


def _form_error(page: str) -> str:
    found = re.search(r'id="form-error">([^<]*)<', page)
    assert found, page
    return html.unescape(found.group(1))


def test_an_upload_over_the_limit_is_refused_with_413(
    web_workspace: Workspace, browser: Callable[[str], TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIZASHI_MAX_UPLOAD_BYTES", str(64 * 1024))
    ana = browser("ana")
    token = page_csrf(ana.get("/screening").text)
    names = "id,name\n" + "".join(f"p{n},Name {n}\n" for n in range(20_000))
    page = ana.post("/screening/batch", data={"csrf_token": token}, files={"file": ("big.csv", names, "text/csv")})
    assert page.status_code == 413
    assert "big.csv" in _form_error(page.text) and "KIZASHI_MAX_UPLOAD_BYTES" in page.text
    assert _screenings(web_workspace) == 0


def test_a_body_over_the_limit_is_refused_before_it_is_read(
    web_workspace: Workspace, browser: Callable[[str], TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIZASHI_MAX_UPLOAD_BYTES", str(64 * 1024))
    ana = browser("ana")
    token = page_csrf(ana.get("/screening").text)
    body = b"x" * (3 * 1024 * 1024)  # over the upload limit plus the room for the form's other fields
    page = ana.post(
        "/screening/batch",
        content=body,
        headers={"Content-Type": "multipart/form-data; boundary=b", "X-CSRF-Token": token},
    )
    assert page.status_code == 413 and "KIZASHI_MAX_UPLOAD_BYTES" in page.text
    api = ana.post("/api/session", content=body, headers={"Content-Type": "application/json"})
    assert api.status_code == 413 and api.json()["error"]["code"] == "too_large"


@pytest.mark.parametrize(
    ("build", "status", "words"),
    [
        (make.shared_strings_bomb, 413, "KIZASHI_MAX_ARCHIVE_PART_BYTES"),
        (make.entity_workbook, 400, "DTD や実体宣言"),  # the page's language
    ],
    ids=["shared-strings", "entity"],
)
def test_a_hostile_workbook_is_refused(
    web_workspace: Workspace,
    browser: Callable[[str], TestClient],
    tmp_path: Path,
    build: Callable[[Path], Path],
    status: int,
    words: str,
) -> None:
    path = build(tmp_path)
    ana = browser("ana")
    token = page_csrf(ana.get("/screening").text)
    files = {"file": (path.name, path.read_bytes(), XLSX)}
    page = ana.post("/screening/batch", data={"csrf_token": token}, files=files)
    assert page.status_code == status
    message = _form_error(page.text)
    assert path.name in message and words in message and "kizashi-screening-" not in message
    assert _screenings(web_workspace) == 0


# --- a live server: the event loop keeps answering while a heavy upload is screened ------------------------------


def _multipart(fields: dict[str, str], name: str, content: bytes, kind: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        f"Content-Type: {kind}\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _logged_in(server: LiveServer, name: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(server.url("/login"), timeout=30) as response:
        login_token = re.search(r'name="login_token" value="([^"]+)"', response.read().decode())
    assert login_token
    form = urllib.parse.urlencode(
        {"name": name, "password": PASSWORD, "login_token": login_token.group(1), "next": "/"}
    ).encode()
    with opener.open(server.url("/login"), data=form, timeout=30) as response:
        assert response.status == 200
    return opener


@pytest.mark.slow
def test_a_heavy_upload_does_not_stall_other_requests(web_workspace: Workspace, tmp_path: Path) -> None:
    boss = as_user(web_workspace, "boss")
    load_list(web_workspace, boss, FIXTURES / "lists" / "meti_parsed_entities.json")
    load_list(web_workspace, boss, FIXTURES / "lists" / "ofac")
    workbook = make.upload_workbook(tmp_path, 4_900).read_bytes()
    with LiveServer(server_env()) as server:
        ana = _logged_in(server, "ana")
        with ana.open(server.url("/screening"), timeout=30) as response:
            csrf = page_csrf(response.read().decode())
        body, kind = _multipart({"csrf_token": csrf}, "names.xlsx", workbook, XLSX)
        upload: dict[str, Any] = {}

        def post() -> None:
            request = urllib.request.Request(server.url("/screening/batch"), data=body, headers={"Content-Type": kind})
            with ana.open(request, timeout=600) as response:
                upload["status"] = response.status
            upload["done"] = time.monotonic()

        worker = threading.Thread(target=post)
        worker.start()
        time.sleep(0.5)  # the upload is in the server's hands
        asked = time.monotonic()
        with ana.open(server.url("/login"), timeout=30) as response:
            assert response.status == 200
        answered = time.monotonic()
        worker.join()
    assert upload["status"] == 200
    assert answered < upload["done"], "the other request waited for the upload"
    assert answered - asked < 1.0, f"answered in {answered - asked:.2f} s while an upload was screened"
