"""Reading STIX patterns for correlation (protect/cti/correlate.py): the keys of the simple equality patterns the
index holds, read by a strict reader of that one form (the ANTLR parser costs about 0.7 ms a pattern), and for the
others the anchors that pick which observations the OASIS matcher needs to see, and the pattern's shape."""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from stix2matcher.matcher import Pattern as MatcherPattern  # type: ignore[import-untyped]
from stix2matcher.matcher import _like_to_regex
from stix2patterns.v21.grammars.STIXPatternParser import STIXPatternParser as P  # type: ignore[import-untyped]

Key = tuple[str, tuple[str, ...], str]  # (object type, property path, normalised value)


def normalised(type_: str, path: tuple[str, ...], value: str) -> str:
    """The value as the index compares it: DNS names and hexadecimal hashes are case-free."""
    if (type_ == "domain-name" and path == ("value",)) or (type_ == "file" and path[:1] == ("hashes",)):
        return value.lower()
    return value


# --- The simple form, read without the parser ------------------------------------------------------------------

_S = r"[ \t\r\n]*"
_STRING = r"'(?:[^'\\]|\\['\\])*'"
_OBJECT = r"(?:ipv4-addr|ipv6-addr|domain-name|url|email-addr):value|file:hashes\.(?:MD5|'MD5'|'SHA-1'|'SHA-256')"
_COMPARISON = re.compile(
    rf"{_S}(?P<object>{_OBJECT}){_S}(?:={_S}(?P<one>{_STRING})|IN{_S}\({_S}(?P<set>{_STRING}(?:{_S},{_S}{_STRING})*){_S}\)){_S}"
)
_STRINGS = re.compile(_STRING)
_OR = re.compile(r"OR[ \t\r\n]")


def _unquoted(literal: str) -> str:
    # Exactly as stix2-matcher and stix2-patterns unescape a StringLiteral.
    return literal[1:-1].replace("\\'", "'").replace("\\\\", "\\")


def simple_keys(pattern: str) -> list[Key] | None:
    """The keys of `[a:b = 'x' OR c:d IN ('y', ...) ...]` on the values observations carry, or None when the
    pattern is not wholly of that form (the parser then decides)."""
    text = pattern.strip(" \t\r\n")
    if len(text) < 2 or text[0] != "[" or text[-1] != "]":
        return None
    inner, position = text[1:-1], 0
    keys: list[Key] = []
    while True:
        found = _COMPARISON.match(inner, position)
        if found is None:
            return None
        type_, _, path_text = found["object"].partition(":")
        path = tuple(_unquoted(step) if step.startswith("'") else step for step in path_text.split(".", 1))
        literals = [found["one"]] if found["one"] else _STRINGS.findall(found["set"])
        keys.extend((type_, path, normalised(type_, path, _unquoted(literal))) for literal in literals)
        position = found.end()
        if position == len(inner):
            return keys
        # OR must stand apart from its neighbours, as the lexer would read it.
        if not inner[position - 1].isspace() or not _OR.match(inner, position):
            return None
        position += 2


# --- Anchors from the parse tree -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Anchor:
    """What an observation must hold to satisfy a comparison: one of the keys, an IPv4 address in one of the
    ranges ((prefix length, network) pairs), or an object of one of the types. `exact`: holding one is also enough
    (the comparison is a disjunction of equality, IN and ISSUBSET tests)."""

    keys: frozenset[Key] = frozenset()
    ranges: frozenset[tuple[int, int]] = frozenset()
    types: frozenset[str] = frozenset()
    tests: frozenset[Test] = frozenset()  # LIKE and MATCHES, tested as stix2-matcher tests them
    exact: bool = True

    def __or__(self, other: Anchor) -> Anchor:
        return Anchor(
            self.keys | other.keys,
            self.ranges | other.ranges,
            self.types | other.types,
            self.tests | other.tests,
            self.exact and other.exact,
        )

    def narrower(self, other: Anchor) -> Anchor:
        """For an AND: either side is necessary; the one that lets fewer observations through, never exact."""
        best = min(
            (self, other),
            key=lambda a: (bool(a.types), bool(a.tests), len(a.keys) + len(a.ranges) + len(a.tests), len(a.types)),
        )
        return Anchor(best.keys, best.ranges, best.types, best.tests, exact=False)


@dataclass(frozen=True, slots=True)
class Test:
    """A LIKE or MATCHES on one property, the way stix2-matcher decides it (NFC on both sides; LIKE anchored at
    both ends, MATCHES searched); `needle`, a literal part a LIKE's value must contain, is checked first."""

    type: str
    path: tuple[str, ...]
    regex: re.Pattern[str]
    like: bool
    needle: str
    prefix: str  # what a LIKE's value must begin with (its text before the first wildcard); "" for MATCHES

    def __call__(self, value: str) -> bool:
        if not value.isascii():
            value = unicodedata.normalize("NFC", value)
        if self.needle not in value:
            return False
        return bool(self.regex.match(value) if self.like else self.regex.search(value))


def _test(kind: str, path: tuple[str, ...], operand: str, like: bool) -> Test | None:
    operand = unicodedata.normalize("NFC", operand)
    try:
        regex = re.compile(_like_to_regex(operand) if like else operand)
    except re.error:
        return None  # the matcher will say why
    needle = max(re.split("[%_]", operand), key=len) if like else ""
    prefix = re.split("[%_]", operand, maxsplit=1)[0] if like else ""
    return Test(kind, path, regex, like, needle, prefix)


@dataclass(slots=True)
class AnchorTests:
    """The LIKE and MATCHES anchors on one property: those with a literal prefix found by it (one table per prefix
    length: a value is sliced once per length, not tested against every pattern), the others tried one by one."""

    by_prefix: dict[int, dict[str, list[tuple[int, Test]]]] = field(default_factory=dict)
    others: list[tuple[int, Test]] = field(default_factory=list)

    def add(self, position: int, test: Test) -> None:
        if len(test.prefix) >= _PREFIX:
            self.by_prefix.setdefault(len(test.prefix), {}).setdefault(test.prefix, []).append((position, test))
        else:
            self.others.append((position, test))

    def passing(self, value: str) -> Iterator[int]:
        text = value if value.isascii() else unicodedata.normalize("NFC", value)
        for length, table in self.by_prefix.items():
            for position, test in table.get(text[:length], ()):
                if test(text):
                    yield position
        for position, test in self.others:
            if test(text):
                yield position


_PREFIX = 4  # shorter prefixes ("http") sort nothing out


def _string(node: Any) -> str:
    return _unquoted(node.getText())


def _string_literal(literal: Any) -> str | None:
    """The text of a literal that is a string, else None (a number, a boolean, a timestamp...)."""
    while literal.getChildCount() == 1 and not hasattr(literal, "symbol"):
        literal = literal.getChild(0)
    if getattr(literal, "symbol", None) is None or literal.symbol.type != P.StringLiteral:
        return None
    return _string(literal)


def _object_path(ctx: Any) -> tuple[str, tuple[str, ...] | None]:
    """(object type, property path), the path None when it steps into a list or follows a reference (no anchor)."""
    kind = ctx.objectType().getText()
    first = ctx.firstPathComponent()
    path = [
        first.IdentifierWithoutHyphen().getText() if first.IdentifierWithoutHyphen() else _string(first.StringLiteral())
    ]
    steps: list[Any] = [ctx.objectPathComponent()] if ctx.objectPathComponent() is not None else []
    while steps:
        step = steps.pop(0)
        if isinstance(step, P.PathStepContext):
            steps[:0] = step.objectPathComponent()
        elif isinstance(step, P.KeyPathStepContext):
            name = step.IdentifierWithoutHyphen()
            path.append(name.getText() if name else _string(step.StringLiteral()))
        else:
            return kind, None
    if any(step.endswith(("_ref", "_refs")) for step in path):
        return kind, None
    return kind, tuple(path)


def _ipv4_range(cidr: str) -> tuple[int, int] | None:
    """(prefix length, network) as stix2-matcher reads an ISSUBSET range (prefix 1 to 32), None when it would not."""
    address, slash, length = cidr.partition("/")
    if not slash or not length.isdigit() or not 1 <= int(length) <= 32:
        return None
    try:
        network = int(ipaddress.IPv4Address(address))
    except ValueError:
        return None
    prefix = int(length)
    return prefix, network & ((1 << prefix) - 1) << (32 - prefix)


def comparison_anchor(ctx: Any) -> Anchor:
    """The anchor of a comparison expression (inside one `[...]`)."""
    if isinstance(ctx, P.ComparisonExpressionContext):
        if ctx.OR():
            return comparison_anchor(ctx.comparisonExpression(0)) | comparison_anchor(ctx.comparisonExpression(1))
        return comparison_anchor(ctx.comparisonExpressionAnd())
    if isinstance(ctx, P.ComparisonExpressionAndContext):
        if ctx.AND():
            left = comparison_anchor(ctx.comparisonExpressionAnd(0))
            return left.narrower(comparison_anchor(ctx.comparisonExpressionAnd(1)))
        return comparison_anchor(ctx.propTest())
    if isinstance(ctx, P.PropTestParenContext):
        return comparison_anchor(ctx.comparisonExpression())
    kind, path = _object_path(ctx.objectPath())
    loose = Anchor(types=frozenset({kind}), exact=False)
    if path is None or ctx.NOT():
        return loose
    if isinstance(ctx, P.PropTestEqualContext) and ctx.EQ():
        value = _string_literal(ctx.primitiveLiteral())
        if value is not None:
            return Anchor(keys=frozenset({(kind, path, normalised(kind, path, value))}))
    if isinstance(ctx, P.PropTestSetContext):
        values = [_string_literal(item) for item in ctx.setLiteral().primitiveLiteral()]
        if values and all(value is not None for value in values):
            return Anchor(
                keys=frozenset((kind, path, normalised(kind, path, value)) for value in values if value is not None)
            )
    if isinstance(ctx, P.PropTestLikeContext | P.PropTestRegexContext):
        test = _test(kind, path, _string(ctx.StringLiteral()), isinstance(ctx, P.PropTestLikeContext))
        if test is not None:
            return Anchor(tests=frozenset({test}), exact=False)
    if isinstance(ctx, P.PropTestIsSubsetContext) and (kind, path) == ("ipv4-addr", ("value",)):
        found = _ipv4_range(_string(ctx.StringLiteral()))
        if found is not None:
            return Anchor(ranges=frozenset({found}))
    return loose


@dataclass(frozen=True, slots=True)
class Shape:
    """What the matcher path needs to know of a parsed pattern: the union of its `[...]` anchors, whether it binds
    one observation at a time, and whether the index alone decides it."""

    anchor: Anchor
    single: bool
    exact: bool
    tested: frozenset[str] = frozenset()  # every object type the pattern tests


def pattern_shape(tree: Any) -> Shape:
    anchors: list[Anchor] = []
    single = True
    stack: list[Any] = [tree.observationExpressions()]
    while stack:
        ctx = stack.pop()
        if isinstance(ctx, P.ObservationExpressionsContext):
            single = single and ctx.FOLLOWEDBY() is None
            stack.extend(ctx.observationExpressions() or [ctx.observationExpressionOr()])
        elif isinstance(ctx, P.ObservationExpressionOrContext):
            stack.extend(ctx.observationExpressionOr() or [ctx.observationExpressionAnd()])
        elif isinstance(ctx, P.ObservationExpressionAndContext):
            single = single and ctx.AND() is None
            stack.extend(ctx.observationExpressionAnd() or [ctx.observationExpression()])
        elif isinstance(ctx, P.ObservationExpressionSimpleContext):
            anchors.append(comparison_anchor(ctx.comparisonExpression()))
        elif isinstance(ctx, P.ObservationExpressionCompoundContext):
            stack.append(ctx.observationExpressions())
        else:  # START/STOP binds one observation; WITHIN and REPEATS bind several
            single = single and isinstance(ctx, P.ObservationExpressionStartStopContext)
            qualified = ctx.observationExpression()
            stack.append(qualified)
            anchors.append(Anchor(exact=False))  # a qualifier is never the index's to decide
    union = Anchor()
    for anchor in anchors:
        union = union | anchor
    return Shape(union, single, single and union.exact, _object_types(tree))


def _object_types(tree: Any) -> frozenset[str]:
    found: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, P.ObjectTypeContext):
            found.add(node.getText())
        elif node.getChildCount():
            stack.extend(node.getChildren())
    return frozenset(found)


def parse_tree(pattern: MatcherPattern) -> Any:
    # stix2-matcher's Pattern keeps stix2-patterns' Pattern, which keeps the ANTLR tree; there is no public accessor.
    inner = pattern._Pattern__pattern
    return inner._Pattern__parse_tree


# --- The engine ------------------------------------------------------------------------------------------------
