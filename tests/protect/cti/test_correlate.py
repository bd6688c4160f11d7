"""Correlation of observations with indicators (protect/cti/correlate.py): the index and the matcher path give what
stix2-matcher gives run naively on every (indicator, observation) pair; multi-observation patterns, validity,
`since`, the simple-form reader against stix2-patterns, and what is not evaluated."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stix2matcher.matcher import Pattern as MatcherPattern

from kizashi.errors import InputError
from kizashi.ingest.observations import Observable, Observation
from kizashi.protect.cti.correlate import (
    Correlator,
    Indicator,
    Key,
    bundle,
    correlate,
    correlate_file,
    matching,
    parse_tree,
    pattern_shape,
    simple_keys,
)

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
TIMES = [T0 + timedelta(seconds=s) for s in (0, 30, 90, 3600)]
VALUE = ("value",)
UNIVERSE: dict[tuple[str, tuple[str, ...]], list[str]] = {
    ("ipv4-addr", VALUE): ["198.51.100.1", "198.51.100.2", "203.0.113.7", "10.0.0.1"],
    ("ipv6-addr", VALUE): ["2001:db8::1"],
    ("domain-name", VALUE): ["a.example", "b.example", "c.test"],
    ("url", VALUE): [
        "http://a.example/x",
        "http://b.example/it's",
        "http://c.example/a\\b",
        "http://e\u0301.example/x",
    ],
    ("email-addr", VALUE): ["a@b.example", "Eve@c.test"],
    ("file", ("hashes", "MD5")): ["d41d8cd98f00b204e9800998ecf8427e", "0" * 32],
    ("file", ("hashes", "SHA-256")): ["ab" * 32, "cd" * 32],
}
OBJECTS = sorted(UNIVERSE)


def _path_text(path: tuple[str, ...]) -> str:
    return ".".join(step if step.isidentifier() else f"'{step}'" for step in path)


def _quoted(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


observables = st.sampled_from(OBJECTS).flatmap(
    lambda o: st.sampled_from(UNIVERSE[o]).map(lambda v: Observable(o[0], o[1], v))
)


@st.composite
def observation_lists(draw: st.DrawFn) -> list[Observation]:
    count = draw(st.integers(1, 6))
    return [
        Observation(
            Path("obs.csv"),
            row,
            draw(st.sampled_from(TIMES)),
            tuple(dict.fromkeys(draw(st.lists(observables, min_size=1, max_size=3)))),
        )
        for row in range(2, count + 2)
    ]


@st.composite
def comparisons(draw: st.DrawFn, spaced: bool = False) -> str:
    kind, path = draw(st.sampled_from(OBJECTS))
    values = [*UNIVERSE[(kind, path)], "z.invalid"]
    space = draw(st.sampled_from([" ", "  ", "\n"])) if spaced else " "
    left = f"{kind}:{_path_text(path)}"
    if draw(st.booleans()):
        return f"{left}{space}={space}{_quoted(draw(st.sampled_from(values)))}"
    chosen = draw(st.lists(st.sampled_from(values), min_size=1, max_size=3))
    return f"{left} IN ({', '.join(_quoted(v) for v in chosen)})"


@st.composite
def simple_patterns(draw: st.DrawFn) -> str:
    parts = draw(st.lists(comparisons(spaced=True), min_size=1, max_size=4))
    return "[" + " OR ".join(parts) + "]"


@st.composite
def parsed_simple_patterns(draw: st.DrawFn) -> str:
    """Disjunctions of equality the simple-form reader leaves to the parser (parentheses, [..] OR [..], ISSUBSET)."""
    parts = draw(st.lists(comparisons(), min_size=1, max_size=3))
    form = draw(st.sampled_from(["paren", "observations", "subset"]))
    if form == "paren":
        return "[(" + ") OR (".join(parts) + ")]"
    if form == "observations":
        return " OR ".join(f"[{part}]" for part in parts)
    cidr = draw(st.sampled_from(["198.51.100.0/24", "198.51.100.2/32", "10.0.0.0/8", "0.0.0.0/1"]))
    return "[" + " OR ".join([*parts, f"ipv4-addr:value ISSUBSET '{cidr}'"]) + "]"


@st.composite
def complex_patterns(draw: st.DrawFn) -> str:
    """Patterns of one observation that only stix2-matcher decides."""
    a, b = draw(comparisons()), draw(comparisons())
    return draw(
        st.sampled_from(
            [
                f"[{a} AND {b}]",
                f"[{a} AND ({b} OR url:value LIKE 'http://a%')]",
                "[url:value LIKE 'http://_.example/%']",
                "[url:value LIKE 'http://\u00e9%' OR url:value MATCHES 'c\\\\.example/a']",
                "[domain-name:value MATCHES '^[ab]\\\\.']",
                "[ipv4-addr:value != '10.0.0.1']",
                "[domain-name:value NOT IN ('a.example', 'c.test')]",
                f"[{a}] OR [email-addr:value LIKE '%@c.test']",
                f"[{a}] START t'2026-03-01T12:00:00Z' STOP t'2026-03-01T12:01:00Z'",
                "[file:hashes.MD5 > 'c']",
            ]
        )
    )


@st.composite
def indicator_lists(draw: st.DrawFn) -> list[Indicator]:
    patterns = draw(
        st.lists(st.one_of(simple_patterns(), parsed_simple_patterns(), complex_patterns()), min_size=1, max_size=6)
    )
    made = []
    for number, pattern in enumerate(patterns):
        start = draw(st.sampled_from([T0 - timedelta(days=1), *TIMES]))
        end = draw(st.sampled_from([None, *TIMES]))
        made.append(Indicator(f"indicator--{number:04d}", pattern, start, end))
    return made


def _naive(indicators: list[Indicator], observations: list[Observation]) -> set[tuple[int, str]]:
    """stix2-matcher on every (indicator, observation) pair."""
    found = set()
    for indicator in indicators:
        compiled = MatcherPattern(indicator.pattern, "2.1")
        for observation in observations:
            valid = indicator.valid_from <= observation.time and (
                indicator.valid_until is None or observation.time < indicator.valid_until
            )
            if valid and compiled.match([bundle([observation])]):
                found.add((observation.row, indicator.id))
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(indicator_lists(), observation_lists())
def test_the_index_and_the_matcher_path_equal_the_naive_matcher(
    indicators: list[Indicator], observations: list[Observation]
) -> None:
    result = correlate(indicators, observations)
    assert {(hit.row, hit.indicator) for hit in result.hits} == _naive(indicators, observations)
    assert result.hits == sorted(result.hits)
    assert not result.skipped
    assert result.indexed + result.matched == len(indicators)


@settings(max_examples=200, deadline=None)
@given(simple_patterns())
def test_the_simple_form_reader_equals_stix2_patterns(pattern: str) -> None:
    keys = simple_keys(pattern)
    assert keys is not None, pattern
    shape = pattern_shape(parse_tree(MatcherPattern(pattern, "2.1")))
    assert shape.exact and shape.single
    assert set(keys) == set(shape.anchor.keys)


def test_other_forms_are_left_to_the_parser() -> None:
    for pattern in (
        "[ipv4-addr:value = '1.2.3.4' AND domain-name:value = 'a']",
        "[ipv4-addr:value='1.2.3.4'OR domain-name:value = 'a']",
        "[process:name = 'x']",
        "[ipv4-addr:value = '1.2.3.4'] WITHIN 5 SECONDS",
        "[file:hashes.SHA256 = 'ab']",
        "[url:value = 'a' OR]",
    ):
        assert simple_keys(pattern) is None, pattern


def _observation(row: int, seconds: int, *found: tuple[str, str]) -> Observation:
    return Observation(
        Path("obs.csv"), row, T0 + timedelta(seconds=seconds), tuple(Observable(t, VALUE, v) for t, v in found)
    )


def test_multi_observation_patterns_see_the_whole_stream() -> None:
    # A qualifier binds to the [...] before it: the parentheses put the pair within the 60 seconds.
    followed = "([ipv4-addr:value = '198.51.100.1'] FOLLOWEDBY [domain-name:value = 'a.example']) WITHIN 60 SECONDS"
    indicators = [
        Indicator("followed", followed, T0),
        Indicator("repeats", "[domain-name:value = 'b.example'] REPEATS 2 TIMES", T0),
        Indicator("both", "[ipv4-addr:value = '203.0.113.7'] AND [url:value LIKE 'http://a%']", T0),
    ]
    observations = [
        _observation(2, 0, ("ipv4-addr", "198.51.100.1")),
        _observation(3, 30, ("domain-name", "a.example")),
        _observation(4, 40, ("domain-name", "b.example")),
        *(_observation(row, 100 + row, ("ipv4-addr", "10.0.0.1")) for row in range(5, 2000)),  # never candidates
        _observation(2000, 5000, ("domain-name", "b.example"), ("url", "http://a.example/x")),
        _observation(2001, 6000, ("ipv4-addr", "203.0.113.7")),
    ]
    correlator = Correlator(indicators)
    result = correlator.run(observations)
    assert {(hit.indicator, hit.row) for hit in result.hits} == {
        ("followed", 2),
        ("followed", 3),
        ("repeats", 4),
        ("repeats", 2000),
        ("both", 2000),
        ("both", 2001),
    }
    assert max(len(entry.candidates) for entry in correlator.complex) <= 2  # the anchors left the rest out
    # Too far apart for WITHIN, one short of REPEATS.
    late = [observations[0], _observation(3, 61, ("domain-name", "a.example")), observations[3]]
    assert not Correlator(indicators[:2]).run(late).hits


def test_validity_since_and_normalised_values() -> None:
    indicators = [
        Indicator(
            "upper", "[domain-name:value = 'A.Example' OR file:hashes.MD5 = 'D41D8CD98F00B204E9800998ECF8427E']", T0
        ),
        Indicator("until", "[domain-name:value = 'a.example']", T0, T0 + timedelta(seconds=30)),
        Indicator("later", "[domain-name:value = 'a.example']", T0 + timedelta(seconds=31)),
        Indicator("range", "[ipv4-addr:value ISSUBSET '198.51.0.0/16']", T0),
    ]
    observations = [
        _observation(2, 0, ("domain-name", "a.example"), ("ipv4-addr", "198.51.100.1")),
        _observation(3, 30, ("domain-name", "a.example"), ("ipv4-addr", "198.52.0.1")),
        Observation(
            Path("obs.csv"),
            4,
            T0 + timedelta(seconds=40),
            (Observable("file", ("hashes", "MD5"), "d41d8cd98f00b204e9800998ecf8427e"),),
        ),
    ]
    hits = correlate(indicators, observations).hits
    assert [(h.row, h.indicator, h.value) for h in hits] == [
        (2, "range", "198.51.100.1"),
        (2, "until", "a.example"),
        (2, "upper", "a.example"),
        (3, "upper", "a.example"),
        (4, "upper", "d41d8cd98f00b204e9800998ecf8427e"),
    ]
    assert [h.row for h in correlate(indicators, observations, since=T0 + timedelta(seconds=35)).hits] == [4]


def test_what_is_not_evaluated_is_said_with_its_reason() -> None:
    indicators = [
        Indicator("sigma", "title: x", T0, pattern_type="sigma"),
        Indicator("broken", "[ipv4-addr:value = ]", T0),
        Indicator("bad-range", "[ipv4-addr:value ISSUBSET '1.2.3.4/99' AND ipv4-addr:value = '1.2.3.4']", T0),
    ]
    result = correlate(indicators, [_observation(2, 0, ("ipv4-addr", "1.2.3.4"))])
    reasons = dict(result.skipped)
    assert set(reasons) == {"sigma", "broken", "bad-range"}
    assert "only stix" in reasons["sigma"] and "does not parse" in reasons["broken"]
    assert "stix2-matcher failed" in reasons["bad-range"]
    assert all(reason.said("ja") != reason for reason in reasons.values())
    assert not result.hits


def test_keys_are_typed_triples() -> None:
    key: Key = ("file", ("hashes", "SHA-256"), "ab" * 32)
    assert simple_keys("[file:hashes.'SHA-256' = '" + "AB" * 32 + "']") == [key]


def test_a_file_shared_by_two_processes_gives_what_one_gives(tmp_path: Path) -> None:
    lines = ["time,dst_ip,host,url"]
    for row in range(2, 402):
        host = ["a.example", "b.example", "c.test", "d.test"][row % 4]
        lines.append(f"2026-03-01T12:{row % 60:02d}:00Z,198.51.100.{row % 7},{host},http://{host}/{row}")
    path = tmp_path / "proxy.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    indicators = [
        Indicator("eq", "[domain-name:value = 'a.example' OR ipv4-addr:value = '198.51.100.3']", T0),
        Indicator("like", "[url:value LIKE 'http://c.test/1%']", T0),
        Indicator(
            "repeats", "[domain-name:value = 'b.example'] AND [ipv4-addr:value = '198.51.100.1'] REPEATS 3 TIMES", T0
        ),
    ]
    one = correlate_file(Correlator(indicators), path)
    two = correlate_file(Correlator(indicators), path, workers=2)
    assert one.hits and {hit.indicator for hit in one.hits} == {"eq", "like", "repeats"}
    assert two.hits == one.hits and two.observations == one.observations == 400
    # A bad row in either share is said with its place.
    path.write_text("\n".join([*lines[:300], "2026-03-01,999.1.1.1,x.example,http://x/", *lines[300:]]) + "\n")
    with pytest.raises(InputError) as caught:
        correlate_file(Correlator(indicators), path, workers=2)
    assert caught.value.location.row == 301 and caught.value.location.field == "dst_ip"


@st.composite
def multi_patterns(draw: st.DrawFn) -> str:
    a, b = f"[{draw(comparisons())}]", f"[{draw(comparisons())}]"
    return draw(
        st.sampled_from(
            [
                f"{a} AND {b}",
                f"{a} FOLLOWEDBY {b}",
                f"({a} FOLLOWEDBY {b}) WITHIN 60 SECONDS",
                f"{a} REPEATS 2 TIMES",
                f"({a} OR [url:value LIKE 'http://%']) REPEATS 2 TIMES WITHIN 100 SECONDS",
                f"{a} AND [domain-name:value != 'c.test']",
            ]
        )
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(multi_patterns(), observation_lists())
def test_a_multi_observation_pattern_matches_as_the_matcher_on_the_whole_stream(
    pattern: str, observations: list[Observation]
) -> None:
    # Leaving out the observations no anchor lets through changes nothing: the pattern hits iff the matcher, given
    # every observation, finds a binding; and the hits are observations of its bindings.
    result = correlate([Indicator("multi", pattern, T0)], observations)
    compiled = MatcherPattern(pattern, "2.1")
    assert bool(result.hits) == bool(compiled.match([bundle(observations)]))
    everything = {observations[i].row for i in matching(compiled, observations)}
    assert {hit.row for hit in result.hits} <= everything
