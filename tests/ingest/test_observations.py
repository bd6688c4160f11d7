"""The observation reader (ingest/observations.py): wide and long layouts, CSV and JSON lines, times, typed and
normalised observables, and errors naming file, row and column; the input limits apply."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kizashi.errors import InputError
from kizashi.files.limits import TooLarge
from kizashi.ingest.observations import Observable, parse_time, read_observations

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_proxy_export_gives_typed_normalised_observables(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "proxy.csv",
        "Time,src_ip,Host,url,sha256\n"
        "2026-03-01T12:00:00Z,198.51.100.3,EVIL.Example.,http://evil.example/a," + "AB" * 32 + "\n"
        "1772366400,2001:db8::0:1,,,\n"
        ",,,,\n",
    )
    rows = list(read_observations(path))
    assert [row.row for row in rows] == [2, 3]
    assert rows[0].time == T0
    assert rows[0].observables == (
        Observable("ipv4-addr", ("value",), "198.51.100.3"),
        Observable("domain-name", ("value",), "evil.example"),
        Observable("url", ("value",), "http://evil.example/a"),
        Observable("file", ("hashes", "SHA-256"), "ab" * 32),
    )
    assert rows[0].observables[3].path_text == "hashes.'SHA-256'"
    assert rows[1].time == datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    assert rows[1].observables == (Observable("ipv6-addr", ("value",), "2001:db8::1"),)


def test_the_long_layout_and_json_lines(tmp_path: Path) -> None:
    lines = [
        {"type": "ipv4-addr", "value": "203.0.113.9", "time": 1772366400000},
        {"type": "hash", "value": "d41d8cd98f00b204e9800998ecf8427e", "time": "2026-03-01T21:00:00+09:00"},
        {"type": "email", "value": "a@b.example", "time": "2026-03-01 12:00:00"},
        {"type": "domain", "value": "192.0.2.1", "time": "2026-03-01T12:00:00Z"},
    ]
    path = tmp_path / "edr.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps(line) for line in lines))
    rows = list(read_observations(path))
    assert all(row.time == T0 for row in rows)
    assert [row.observables[0] for row in rows] == [
        Observable("ipv4-addr", ("value",), "203.0.113.9"),
        Observable("file", ("hashes", "MD5"), "d41d8cd98f00b204e9800998ecf8427e"),
        Observable("email-addr", ("value",), "a@b.example"),
        Observable("ipv4-addr", ("value",), "192.0.2.1"),  # a host that is an address
    ]


def test_since_leaves_out_earlier_rows_and_gzip_is_read(tmp_path: Path) -> None:
    path = tmp_path / "dns.csv.gz"
    path.write_bytes(gzip.compress(b"ts,query\n2026-02-01T00:00:00Z,a.example\n2026-03-02T00:00:00Z,b.example\n"))
    rows = list(read_observations(path, since=T0))
    assert [row.observables[0].value for row in rows] == ["b.example"]


@pytest.mark.parametrize(
    ("text", "row", "field", "words"),
    [
        ("time,ip\n2026-03-01,300.1.2.3\n", 2, "ip", "is not an IP address"),
        ("time,domain\n2026-03-01,bad domain\n", 2, "domain", "is not a domain name"),
        ("time,url\n2026-03-01,evil.example/a\n", 2, "url", "is not a URL"),
        ("time,email\n2026-03-01,nobody\n", 2, "email", "is not an e-mail address"),
        ("time,md5\n2026-03-01,abc\n", 2, "md5", "is not an MD5"),
        ("time,hash\n2026-03-01,zz" + "0" * 30 + "\n", 2, "hash", "is not an MD5"),
        ("time,ip\n,198.51.100.3\n", 2, "time", "the time is missing"),
        ("time,ip\nyesterday,198.51.100.3\n", 2, "time", "is not a time"),
        ("type,value,time\nprocess,x,2026-03-01\n", 2, "type", "unknown observable type 'process'"),
        ("when,ip\n2026-03-01,198.51.100.3\n", 1, None, "no time column"),
        ("time,name\n2026-03-01,x\n", 1, None, "no column of observed values"),
    ],
)
def test_a_malformed_row_names_file_row_and_column(
    tmp_path: Path, text: str, row: int, field: str | None, words: str
) -> None:
    path = _write(tmp_path, "obs.csv", text)
    with pytest.raises(InputError) as caught:
        list(read_observations(path))
    assert caught.value.location.file == path
    assert caught.value.location.row == row
    assert caught.value.location.field == field
    assert words in str(caught.value)
    assert caught.value.said("ja") != str(caught.value)  # said in Japanese too


def test_the_input_limits_apply(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "many.csv", "time,ip\n" + "2026-03-01,198.51.100.3\n" * 5)
    monkeypatch.setenv("KIZASHI_MAX_ROWS", "3")
    with pytest.raises(TooLarge, match="KIZASHI_MAX_ROWS"):
        list(read_observations(path))
    monkeypatch.delenv("KIZASHI_MAX_ROWS")
    monkeypatch.setenv("KIZASHI_MAX_FIELD_CHARS", "64")
    long = tmp_path / "long.jsonl"
    long.write_bytes(orjson.dumps({"time": "2026-03-01", "url": "http://a.example/" + "x" * 80}))
    with pytest.raises(TooLarge, match="KIZASHI_MAX_FIELD_CHARS") as caught:
        list(read_observations(long))
    assert caught.value.location.field == "url"


@given(st.datetimes(min_value=datetime(1974, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)))
def test_times_read_back_in_every_form(moment: datetime) -> None:
    moment = moment.replace(microsecond=0)
    where = Path("x.csv")
    assert parse_time(moment.isoformat(), where, 2, "time") == moment
    assert parse_time(moment.replace(tzinfo=None).isoformat(), where, 2, "time") == moment
    assert parse_time(str(int(moment.timestamp())), where, 2, "time") == moment
    assert parse_time(int(moment.timestamp() * 1000), where, 2, "time") == moment
