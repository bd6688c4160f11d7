"""The server's edges, tested against `kizashi serve` itself over HTTP: a query too long answers with the page's own
error in the user's language (not uvicorn's bare "Invalid HTTP request received."), a favicon is served, and the
access log has one line per request without query values, cookies or tokens."""

from __future__ import annotations

import http.client
import io
import json
import logging
import re
import socket
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from live_server import LiveServer, server_env
from PIL import Image

from conftest import PASSWORD
from kizashi.store.workspace import Workspace
from kizashi.web.access_log import ACCESS_LOGGER, configure_access_log
from kizashi.web.body_limit import MAX_QUERY_CHARS, query_chars

KANJI_3000 = "兆" * 3000  # 27,000 bytes percent-encoded: over h11's default 16 KiB for a request head
ACCESS_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (\S+) (\S+) (\d{3}) (\d+\.\d)ms (\S+)$", re.M)


def _raw_get(server: LiveServer, target: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    """GET sent in small pieces, as a long request crosses a network: the server must put the head together itself
    (a head sent whole in one write slips past h11's size check, and would hide the bug)."""
    lines = [f"GET {target} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    data = ("\r\n".join(lines) + "\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            for start in range(0, len(data), 4096):
                sock.sendall(data[start : start + 4096])
                time.sleep(0.005)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered before the end (uvicorn's bare 400): read what it said
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    found = dict(line.split(": ", 1) for line in header_lines)
    return int(status_line.split()[1]), {k.lower(): v for k, v in found.items()}, body.decode("utf-8", "replace")


def _session_cookie(server: LiveServer, name: str) -> str:
    """Log in through the form; the `Cookie` header value of the session."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("GET", "/login")
    page = connection.getresponse()
    nonce = (page.getheader("set-cookie") or "").split(";")[0]
    token = re.search(r'name="login_token" value="([^"]+)"', page.read().decode())
    assert token
    form = urllib.parse.urlencode({"name": name, "password": PASSWORD, "login_token": token.group(1), "next": "/"})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": nonce}
    connection.request("POST", "/login", body=form, headers=headers)
    answer = connection.getresponse()
    answer.read()
    assert answer.status == 303
    cookies = [value.split(";")[0] for key, value in answer.getheaders() if key.lower() == "set-cookie"]
    session = [cookie for cookie in cookies if cookie.startswith("kizashi_session=")]
    assert session, cookies
    return session[0]


def _api_token(server: LiveServer, name: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    body = json.dumps({"name": name, "password": PASSWORD})
    connection.request("POST", "/api/session", body=body, headers={"Content-Type": "application/json"})
    answer = connection.getresponse()
    assert answer.status == 200
    return str(json.loads(answer.read())["token"])


def _error_message(page: str) -> str:
    found = re.search(r'id="error-message">([^<]*)<', page)
    assert found, page[:2000]
    return found.group(1)


def _access_lines(log: str) -> list[tuple[str, str, int, str]]:
    """(method, path, status, user) of each access-log line."""
    return [(m[0], m[1], int(m[2]), m[4]) for m in ACCESS_LINE.findall(log)]


def _wait_for_line(server: LiveServer, wanted: tuple[str, str, int, str]) -> None:
    # The line is written after the response's last byte: the client may read the answer a moment before.
    deadline = time.monotonic() + 10
    while wanted not in _access_lines(server.log()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert wanted in _access_lines(server.log()), server.log()


def test_a_long_query_answers_with_the_pages_own_error(web_workspace: Workspace) -> None:
    with LiveServer(server_env()) as server:
        cookie = {"Cookie": _session_cookie(server, "ana")}
        long_search = "/needs?q=" + urllib.parse.quote(KANJI_3000)

        status, _, page = _raw_get(server, long_search, cookie)
        assert status == 414
        assert (
            _error_message(page)
            == f"検索条件が長すぎます（{MAX_QUERY_CHARS:,}文字まで）。短くしてからもう一度お試しください。"
        )
        assert "<header" in page  # the app's page, its menu around it

        status, _, page = _raw_get(server, long_search + "&lang=en", cookie)
        assert (status, _error_message(page)) == (
            414,
            f"The query is too long (at most {MAX_QUERY_CHARS:,} characters). Please shorten it and try again.",
        )

        # Any page, even one that reads no query, and for a visitor not logged in: the error, not a login redirect.
        for target in ("/review?x=" + "a" * 3000, "/experts?q=" + urllib.parse.quote(KANJI_3000)):
            assert _raw_get(server, target, cookie)[0] == 414
        assert _raw_get(server, long_search)[0] == 414

        # Under the whole query's bound but over the search box's own: the same words, with that box's limit.
        status, _, page = _raw_get(server, "/needs?q=" + "a" * 600, cookie)
        assert (status, _error_message(page)) == (
            422,
            "検索条件が長すぎます（500文字まで）。短くしてからもう一度お試しください。",
        )

        # The API answers in JSON, with a code programs can test.
        bearer = {"Authorization": f"Bearer {_api_token(server, 'ana')}"}
        status, headers, body = _raw_get(server, "/api/records/needs?q=" + urllib.parse.quote(KANJI_3000), bearer)
        assert status == 414 and headers["content-type"].startswith("application/json")
        assert json.loads(body)["error"]["code"] == "query_too_long"
        output = server.log()
    assert "Invalid HTTP request" not in output


def test_a_query_too_long_to_carry_through_the_login_is_left_out(web_workspace: Workspace) -> None:
    with LiveServer(server_env()) as server:
        # 400 kanji are a fine search, but as the login page's `next` they would be 3,600 characters and more.
        status, headers, _ = _raw_get(server, "/needs?q=" + urllib.parse.quote("兆" * 400))
        assert (status, headers["location"]) == (303, "/login?next=/needs")
        assert _raw_get(server, headers["location"])[0] == 200
        status, headers, _ = _raw_get(server, "/needs?q=" + urllib.parse.quote("兆" * 20))
        assert status == 303
        assert urllib.parse.parse_qs(urllib.parse.urlsplit(headers["location"]).query)["next"] == [
            "/needs?q=" + urllib.parse.quote("兆" * 20)
        ]


def test_the_favicon_is_ours_and_no_404(web_workspace: Workspace) -> None:
    with LiveServer(server_env()) as server:
        status, headers, _ = _raw_get(server, "/favicon.ico")
        assert status == 200 and headers["content-type"] == "image/x-icon"
        assert "no-store" not in headers["cache-control"]
        with urllib.request.urlopen(server.url("/favicon.ico"), timeout=30) as answer:
            icon = Image.open(io.BytesIO(answer.read()))
        assert icon.format == "ICO" and {(16, 16), (32, 32), (48, 48)} <= set(icon.info["sizes"])

        _, _, login = _raw_get(server, "/login")
        link = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', login)
        assert link, "the pages name their icon"
        with urllib.request.urlopen(server.url(link.group(1)), timeout=30) as answer:
            assert answer.headers["Content-Type"] == "image/svg+xml"
            assert ET.fromstring(answer.read()).tag == "{http://www.w3.org/2000/svg}svg"
        _wait_for_line(server, ("GET", "/favicon.ico", 200, "-"))
        output = server.log()
    assert not [line for line in _access_lines(output) if line[2] == 404], output


def test_the_access_log_names_path_status_and_user_never_query_or_secrets(web_workspace: Workspace) -> None:
    with LiveServer(server_env()) as server:
        cookie = _session_cookie(server, "ana")
        token = _api_token(server, "boss")
        assert _raw_get(server, "/needs?q=secretname&literal=true", {"Cookie": cookie})[0] == 200
        bearer = {"Authorization": f"Bearer {token}"}
        assert _raw_get(server, "/api/records/needs?q=othersecret", bearer)[0] == 200
        assert _raw_get(server, "/needs?q=anonymoussecret")[0] == 303
        # A crafted path cannot forge a line of its own.
        assert (
            _raw_get(
                server, "/needs%0A2026-01-01T00:00:00.000Z%20GET%20/forged%20200%201.0ms%20boss", {"Cookie": cookie}
            )[0]
            == 404
        )
        _wait_for_line(server, ("GET", "/needs", 303, "-"))
        output = server.log()
    lines = _access_lines(output)
    assert ("GET", "/needs", 200, "ana") in lines
    assert ("GET", "/api/records/needs", 200, "boss") in lines
    assert ("GET", "/needs", 303, "-") in lines
    assert ("POST", "/login", 303, "-") in lines
    assert not [line for line in lines if line[1] == "/forged"], output
    for secret in ("secretname", "othersecret", "anonymoussecret", "literal", token, cookie.split("=", 1)[1], PASSWORD):
        assert secret not in output
    assert 'HTTP/1.1" 200' not in output, "uvicorn's own access log is off"


def test_the_access_log_goes_to_a_file_or_nowhere(web_workspace: Workspace, tmp_path: Path) -> None:
    log_file = tmp_path / "access.log"
    with LiveServer(server_env(), ["--access-log", str(log_file)]) as server:
        assert _raw_get(server, "/login?next=/needs%3Fq%3Dsecretname")[0] == 200
        output = server.log()
    written = log_file.read_text(encoding="utf-8")
    assert ("GET", "/login", 200, "-") in _access_lines(written)
    assert "secretname" not in written
    assert not _access_lines(output), "the lines go to the file only"
    assert log_file.stat().st_mode & 0o077 == 0, "the log names users and records: its owner's only"

    with LiveServer(server_env(), ["--access-log", "off"]) as server:
        assert _raw_get(server, "/login")[0] == 200
        output = server.log()
    assert not _access_lines(output)


@pytest.fixture
def access_logger() -> Iterator[logging.Logger]:
    """The access logger, put back as it was: configure_access_log changes a logger of the whole process."""
    logger = logging.getLogger(ACCESS_LOGGER)
    saved = (list(logger.handlers), logger.propagate, logger.level)
    yield logger
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    for handler in saved[0]:
        logger.addHandler(handler)
    logger.propagate, logger.level = saved[1], saved[2]


def test_a_request_that_fails_is_logged_as_500(app: FastAPI, access_logger: logging.Logger, tmp_path: Path) -> None:
    configure_access_log(str(tmp_path / "access.log"))

    @app.get("/boom-for-test")
    def boom() -> None:
        raise RuntimeError("boom")

    app.router.routes.insert(0, app.router.routes.pop())  # before `/{kind}`
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/boom-for-test?q=x").status_code == 500
    assert ("GET", "/boom-for-test", 500, "-") in _access_lines((tmp_path / "access.log").read_text(encoding="utf-8"))


@given(st.text(max_size=300), st.text(max_size=50))
def test_a_query_is_measured_in_the_characters_typed(words: str, other: str) -> None:
    assert query_chars(urllib.parse.urlencode({"q": words, "x": other})) == len("q=&x=") + len(words) + len(other)
    typed = words.replace("%", "").replace("+", "")  # sent as raw UTF-8, without escapes
    assert query_chars(("q=" + typed).encode()) == len("q=") + len(typed)
