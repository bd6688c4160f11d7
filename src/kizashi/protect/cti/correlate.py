"""Which of our observations match which indicators: every STIX pattern evaluated against an observation stream,
with an index for the common patterns so that a million observations do not meet every indicator.

Each indicator's pattern goes one of two ways, decided once:

* indexed: a disjunction of equality tests on one observation (`[a:b = 'x' OR c:d IN ('y', 'z')]`, also
  `[...] OR [...]` and `ipv4-addr:value ISSUBSET 'n/len'`), no qualifier. Its (object type, path, value) keys go
  into a hash table, its CIDR ranges into a prefix table; an observation meets only the indicators its own values
  look up. Domains and hashes are compared lower-case on both sides (the observation reader lower-cases them too);
  everything else exactly, as the matcher does.
* matcher: anything else (AND, LIKE, MATCHES, order tests, NOT, qualifiers, FOLLOWEDBY...) is evaluated by the OASIS
  matcher (stix2-matcher) against observed-data built from the observations, with full semantics. It sees only the
  observations that can take part in a match: for each `[...]` an anchor is drawn from its comparison (an equality
  or IN key when one side of an AND or every side of an OR has one, else the object types it tests); observations
  meeting no anchor could satisfy no `[...]` and are left out, which changes no result.

  Patterns that bind one observation at a time (no AND or FOLLOWEDBY between `[...]`, no WITHIN or REPEATS) are
  evaluated in batches of observations, each observation a hit of its own. The others (`[a] AND [b]`, FOLLOWEDBY,
  WITHIN, REPEATS) are evaluated once over all their candidate observations after the stream has ended, so that a
  WITHIN or REPEATS sees the whole stream and never a batch's cut; their hits are the observations of the bindings
  the matcher finds (the first `BINDINGS` of them).

Simple patterns are recognised without the ANTLR parser (it costs about 0.7 ms a pattern, over a minute for
100 000 indicators) by a strict reader of that one form; anything it does not recognise whole is parsed with
stix2-patterns (through stix2-matcher's Pattern, parsed once and kept for matching). A property test holds the two
readers equal. An observation counts for an indicator only within the indicator's validity (valid_from ≤ time <
valid_until); `since` drops earlier observations. Hits come out sorted by row, then indicator id.
"""

from __future__ import annotations

import multiprocessing
import re
import socket
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from stix2matcher.matcher import MatcherException, MatchListener  # type: ignore[import-untyped]
from stix2matcher.matcher import Pattern as MatcherPattern
from stix2patterns.exceptions import ParseException  # type: ignore[import-untyped]

from kizashi.errors import InputError
from kizashi.ingest.observations import Observable, Observation, read_observations
from kizashi.messages import Message
from kizashi.protect.cti.patterns import AnchorTests, Key, Shape, parse_tree, pattern_shape, simple_keys

BINDINGS = 10_000  # bindings read from the matcher per multi-observation pattern
BATCH = 1_000  # observations per matcher call for the one-observation patterns


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    pattern: str
    valid_from: datetime
    valid_until: datetime | None = None
    pattern_type: str = "stix"


@dataclass(frozen=True, slots=True, order=True)
class Hit:
    """An observation that matched an indicator, and the value that did (for the matcher path: the row's first
    value of a type the pattern tests)."""

    row: int
    indicator: str
    time: datetime
    type: str
    value: str


@dataclass(slots=True)
class Correlation:
    hits: list[Hit]
    observations: int
    indexed: int  # indicators in the index
    matched: int  # indicators evaluated by stix2-matcher
    skipped: list[tuple[str, Message]]  # (indicator id, why it was not evaluated)


@dataclass(slots=True)
class _Complex:
    number: int  # the indicator's position
    pattern: MatcherPattern
    shape: Shape
    candidates: list[int] = field(default_factory=list)  # positions in Correlator.kept


class Correlator:
    """Indicators compiled once; `run` correlates an observation stream with them."""

    def __init__(self, indicators: Iterable[Indicator]) -> None:
        self.indicators: list[Indicator] = []
        self.skipped: list[tuple[str, Message]] = []
        # Key or range → indicators of the index (their positions, ≥ 0) and matcher-path patterns anchored there
        # (-1 - their position in self.complex): one look-up a value serves both.
        self.keys: dict[Key, list[int]] = defaultdict(list)
        self.ranges: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        self.complex: list[_Complex] = []
        self.anchor_types: dict[str, list[int]] = defaultdict(list)
        self.anchor_tests: dict[tuple[str, tuple[str, ...]], AnchorTests] = defaultdict(AnchorTests)
        indexed = 0
        for indicator in indicators:
            if indicator.pattern_type != "stix":
                self.skipped.append(
                    (
                        indicator.id,
                        Message("pattern type '{type}' is not evaluated (only stix)", type=indicator.pattern_type),
                    )
                )
                continue
            number = len(self.indicators)
            keys = simple_keys(indicator.pattern)
            if keys is not None:
                self.indicators.append(indicator)
                for key in dict.fromkeys(keys):
                    self.keys[key].append(number)
                indexed += 1
                continue
            try:
                compiled = MatcherPattern(indicator.pattern, "2.1")
            except ParseException as exc:
                self.skipped.append(
                    (indicator.id, Message("the indicator's pattern does not parse: {problem}", problem=str(exc)))
                )
                continue
            self.indicators.append(indicator)
            shape = pattern_shape(parse_tree(compiled))
            if shape.exact:
                for key in shape.anchor.keys:
                    self.keys[key].append(number)
                for prefix, network in shape.anchor.ranges:
                    self.ranges[prefix][network].append(number)
                indexed += 1
                continue
            position = len(self.complex)
            self.complex.append(_Complex(number, compiled, shape))
            for key in shape.anchor.keys:
                self.keys[key].append(-1 - position)
            for prefix, network in shape.anchor.ranges:
                self.ranges[prefix][network].append(-1 - position)
            for kind in shape.anchor.types:
                self.anchor_types[kind].append(position)
            for test in shape.anchor.tests:
                self.anchor_tests[(test.type, test.path)].add(position, test)
        self.indexed = indexed
        self.kept: list[Observation] = []

    def _valid(self, number: int, time: datetime) -> bool:
        indicator = self.indicators[number]
        return indicator.valid_from <= time and (indicator.valid_until is None or time < indicator.valid_until)

    def run(self, observations: Iterable[Observation], *, since: datetime | None = None) -> Correlation:
        hits, count = self._stream(observations, since)
        return self._finish(hits, count, single=True, multi=True)

    def _stream(self, observations: Iterable[Observation], since: datetime | None) -> tuple[list[Hit], int]:
        hits: list[Hit] = []
        count = 0
        self.kept = []
        for entry in self.complex:
            entry.candidates = []
        for observation in observations:
            if since is not None and observation.time < since:
                continue
            count += 1
            self._observe(observation, hits)
        return hits, count

    def _finish(self, hits: list[Hit], count: int, *, single: bool, multi: bool) -> Correlation:
        """Add the matcher path's hits (of the one-observation patterns, of the others, or both) and sort."""
        skipped = list(self.skipped)
        for entry in self.complex:
            if not (single if entry.shape.single else multi):
                continue
            try:
                hits.extend(self._matched(entry))
            except (MatcherException, re.error) as exc:
                skipped.append(
                    (
                        self.indicators[entry.number].id,
                        Message("stix2-matcher failed on the indicator's pattern: {problem}", problem=str(exc)),
                    )
                )
        hits.sort()
        return Correlation(hits, count, self.indexed, len(self.complex), skipped)

    def _observe(self, observation: Observation, hits: list[Hit]) -> None:
        """The index's hits of one observation, and the observation kept for each matcher-path pattern it could
        take part in. The hot loop of a run: one look-up per value (an Observable is its own key)."""
        found: dict[int, Observable] = {}
        positions: set[int] = set()
        keys, ranges, types, tests = self.keys, self.ranges, self.anchor_types, self.anchor_tests
        for observable in observation.observables:
            for number in keys.get(observable, ()):
                if number >= 0:
                    found.setdefault(number, observable)
                else:
                    positions.add(-1 - number)
            if ranges and observable.type == "ipv4-addr":
                for number in self._in_ranges(observable.value):
                    if number >= 0:
                        found.setdefault(number, observable)
                    else:
                        positions.add(-1 - number)
            if types and observable.type in types:
                positions.update(types[observable.type])
            if tests:
                table = tests.get((observable.type, observable.path))
                if table is not None:
                    positions.update(table.passing(observable.value))
        time = observation.time
        for number, observable in found.items():
            if self._valid(number, time):
                hits.append(Hit(observation.row, self.indicators[number].id, time, observable.type, observable.value))
        if positions:
            valid = [p for p in positions if self._valid(self.complex[p].number, time)]
            if valid:
                self.kept.append(observation)
                for position in valid:
                    self.complex[position].candidates.append(len(self.kept) - 1)

    def _in_ranges(self, value: str) -> Iterator[int]:
        try:
            address = int.from_bytes(socket.inet_aton(value), "big")
        except OSError:
            return  # not an address stix2-matcher could place in a range either
        for prefix, networks in self.ranges.items():
            yield from networks.get(address & ((1 << prefix) - 1) << (32 - prefix), ())

    def _matched(self, entry: _Complex) -> Iterator[Hit]:
        observations = [self.kept[i] for i in entry.candidates]
        if not observations:
            return
        batches = (
            [observations[i : i + BATCH] for i in range(0, len(observations), BATCH)]
            if entry.shape.single
            else [observations]
        )
        types = entry.shape.tested
        indicator = self.indicators[entry.number].id
        for batch in batches:
            for position in matching(entry.pattern, batch, None if entry.shape.single else BINDINGS):
                observation = batch[position]
                shown = next((o for o in observation.observables if o.type in types), observation.observables[0])
                yield Hit(observation.row, indicator, observation.time, shown.type, shown.value)


def matching(pattern: MatcherPattern, observations: list[Observation], bindings: int | None = None) -> list[int]:
    """Positions of the observations in the bindings stix2-matcher finds for `pattern` (the first `bindings` of
    them when given)."""
    listener = MatchListener([bundle(observations)], stix_version="2.1")
    pattern.walk(listener)
    found: set[int] = set()
    for read, binding in enumerate(listener.matched()):
        if bindings is not None and read >= bindings:
            break
        found.update(position for position in binding if position is not None)
    return sorted(found)


def bundle(observations: list[Observation]) -> dict[str, Any]:
    """A STIX 2.1 bundle of one observed-data per observation (in order) with its cyber-observable objects."""
    objects: list[dict[str, Any]] = []
    for number, observation in enumerate(observations):
        objects.append(observed_data(observation, number, objects))
    return {"type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000000", "objects": objects}


def observed_data(observation: Observation, number: int, objects: list[dict[str, Any]]) -> dict[str, Any]:
    """The observed-data of one observation; its objects (file hashes of a row in one file) appended to `objects`."""
    stamp = observation.time.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    references: list[str] = []
    files: list[dict[str, str]] = []  # a row's hashes in one file, unless an algorithm comes twice
    for position, observable in enumerate(observation.observables):
        if observable.type == "file":
            algorithm = observable.path[1]
            if not files or algorithm in files[-1]:
                files.append({})
            files[-1][algorithm] = observable.value
            continue
        identifier = f"{observable.type}--{number}-{position}"
        references.append(identifier)
        objects.append({"type": observable.type, "id": identifier, "spec_version": "2.1", "value": observable.value})
    for position, hashes in enumerate(files):
        identifier = f"file--{number}-{position}"
        references.append(identifier)
        objects.append({"type": "file", "id": identifier, "spec_version": "2.1", "hashes": hashes})
    return {
        "type": "observed-data",
        "id": f"observed-data--{number}",
        "spec_version": "2.1",
        "first_observed": stamp,
        "last_observed": stamp,
        "number_observed": 1,
        "object_refs": references,
    }


def correlate(
    indicators: Iterable[Indicator], observations: Iterable[Observation], *, since: datetime | None = None
) -> Correlation:
    """Every hit of `observations` on `indicators` (see the module's docstring)."""
    return Correlator(indicators).run(observations, since=since)


# --- A file shared by processes ----------------------------------------------------------------------------------

_SHARED: Correlator | None = None  # the compiled indicators, inherited by forked workers (never pickled)


def correlate_file(
    correlator: Correlator, path: Path, *, since: datetime | None = None, workers: int = 1
) -> Correlation:
    """Every hit of the observations in `path`. With `workers` > 1, that many forked processes read and correlate
    every n-th row each (reading costs as much as correlating); the one-observation matcher patterns are evaluated
    in the workers, the multi-observation ones here, over the candidates of all workers, in row order."""
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return correlator.run(read_observations(path, since=since))
    global _SHARED
    _SHARED = correlator
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_share, [(path, since, part, workers) for part in range(workers)])
    finally:
        _SHARED = None
    failures = [part for part in parts if isinstance(part, _Failure)]
    if failures:
        first = min(failures, key=lambda failure: failure.row or 0)
        raise first.kind(first.reason, file=first.file, row=first.row, field=first.field)
    hits: list[Hit] = []
    skipped: dict[str, Message] = {}
    carried: dict[int, list[Observation]] = defaultdict(list)
    count = 0
    for part in parts:
        assert not isinstance(part, _Failure)
        hits.extend(part.hits)
        skipped.update(part.skipped)
        count += part.observations
        for position, observations in part.carried:
            carried[position].extend(observations)
    correlator.kept = []
    for entry in correlator.complex:
        entry.candidates = []
    for position, observations in carried.items():
        for observation in sorted(observations, key=lambda o: o.row):
            correlator.kept.append(observation)
            correlator.complex[position].candidates.append(len(correlator.kept) - 1)
    result = correlator._finish(hits, count, single=False, multi=True)
    result.skipped = sorted({**skipped, **dict(result.skipped)}.items())
    correlator.kept = []
    return result


@dataclass(frozen=True, slots=True)
class _Failure:
    kind: type[InputError]  # InputError or TooLarge
    reason: str
    file: str | None
    row: int | None
    field: str | None


@dataclass(frozen=True, slots=True)
class _Part:
    hits: list[Hit]
    observations: int
    skipped: list[tuple[str, Message]]
    carried: list[tuple[int, list[Observation]]]  # multi-observation pattern → its candidates in this share


def _share(task: tuple[Path, datetime | None, int, int]) -> _Part | _Failure:
    path, since, part, parts = task
    correlator = _SHARED
    assert correlator is not None
    try:
        hits, count = correlator._stream(read_observations(path, since=since, share=(part, parts)), None)
        result = correlator._finish(hits, count, single=True, multi=False)
    except InputError as exc:  # said again in the parent, with its place (an exception's pickle would lose it)
        where = exc.location
        return _Failure(type(exc), exc.reason, None if where.file is None else str(where.file), where.row, where.field)
    carried = [
        (position, [correlator.kept[i] for i in entry.candidates])
        for position, entry in enumerate(correlator.complex)
        if not entry.shape.single and entry.candidates
    ]
    return _Part(result.hits, count, result.skipped, carried)
