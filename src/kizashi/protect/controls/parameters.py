"""Technical parameters in control-list and technology texts: a number, a unit and a bound, in base units.

"exceeding 1 GHz", "10ギガヘルツを超える", "256-bit", "256ビット", "一〇〇ナノ秒以下", "218 K (−55 °C)": each becomes a
`Parameter` (frequency 1e9 Hz, bound ">"). Control items set thresholds this way and technology descriptions state
values; comparing the two is what an officer does first, so the evidence shows it. Only units whose quantity is
clear are read (a bare "m" or "%" is not): a parameter found is worth more than many guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

# unit as written → (quantity, factor to the base unit, base unit)
UNITS: dict[str, tuple[str, float, str]] = {}


def _add(quantity: str, base: str, spellings: dict[str, float]) -> None:
    for spelling, factor in spellings.items():
        UNITS[spelling] = (quantity, factor, base)


_add(
    "frequency",
    "Hz",
    {
        "Hz": 1,
        "kHz": 1e3,
        "MHz": 1e6,
        "GHz": 1e9,
        "THz": 1e12,
        "ヘルツ": 1,
        "キロヘルツ": 1e3,
        "メガヘルツ": 1e6,
        "ギガヘルツ": 1e9,
        "テラヘルツ": 1e12,
    },
)
_add(
    "length",  # wavelengths, line widths, apertures
    "m",
    {
        "nm": 1e-9,
        "μm": 1e-6,
        "um": 1e-6,
        "micron": 1e-6,
        "microns": 1e-6,
        "mm": 1e-3,
        "ナノメートル": 1e-9,
        "マイクロメートル": 1e-6,
        "ミリメートル": 1e-3,
    },
)
_add(
    "power",
    "W",
    {
        "mW": 1e-3,
        "W": 1,
        "kW": 1e3,
        "MW": 1e6,
        "GW": 1e9,
        "TW": 1e12,
        "ミリワット": 1e-3,
        "ワット": 1,
        "キロワット": 1e3,
        "メガワット": 1e6,
        "ギガワット": 1e9,
    },
)
_add("bits", "bit", {"bit": 1, "bits": 1, "ビット": 1})  # key lengths, word widths, resolutions
_add(
    "bit rate",
    "bit/s",
    {
        "bit/s": 1,
        "bps": 1,
        "kbit/s": 1e3,
        "kbps": 1e3,
        "Mbit/s": 1e6,
        "Mbps": 1e6,
        "Mb/s": 1e6,
        "Gbit/s": 1e9,
        "Gbps": 1e9,
        "Gb/s": 1e9,
        "Tbit/s": 1e12,
        "Tbps": 1e12,
        "Tb/s": 1e12,
        "Mbyte/s": 8e6,
        "MB/s": 8e6,
        "Gbyte/s": 8e9,
        "GB/s": 8e9,
        "ビット毎秒": 1,
        "キロビット毎秒": 1e3,
        "メガビット毎秒": 1e6,
        "ギガビット毎秒": 1e9,
    },
)
_add("temperature", "K", {"K": 1, "kelvin": 1, "ケルビン": 1})  # °C is an offset, handled apart
_add(
    "duration",  # pulse widths, access and settling times
    "s",
    {
        "s": 1,
        "ms": 1e-3,
        "μs": 1e-6,
        "us": 1e-6,
        "ns": 1e-9,
        "ps": 1e-12,
        "fs": 1e-15,
        "秒": 1,
        "ミリ秒": 1e-3,
        "マイクロ秒": 1e-6,
        "ナノ秒": 1e-9,
        "ピコ秒": 1e-12,
        "フェムト秒": 1e-15,
    },
)
_add("energy", "J", {"J": 1, "mJ": 1e-3, "kJ": 1e3, "MJ": 1e6, "ジュール": 1, "キロジュール": 1e3})
_add("ratio", "ppm", {"ppm": 1, "ppb": 1e-3})  # accuracies and stabilities
CELSIUS = ("°C", "度C", "セルシウス度")
_CELSIUS_OFFSET = 273.15

_KANJI_DIGITS = str.maketrans("〇一二三四五六七八九", "0123456789")
_NUMBER = r"(?P<sign>[-−])?(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[〇一二三四五六七八九][〇一二三四五六七八九、・]*)"
_UNIT = "|".join(re.escape(unit) for unit in sorted([*UNITS, *CELSIUS], key=len, reverse=True))
_PATTERN = re.compile(
    rf"(?<![A-Za-z0-9.,_]){_NUMBER}\s?-?\s?(?P<unit>{_UNIT})(?![A-Za-z0-9/])",
)
# Bounds in English come before the number, in Japanese after the unit.
# "less (better) than 4.5 K": the CCL's asides say which way is better, not the bound.
_THAN = r"(?: \((?:better|worse)\))? than"
_BEFORE = [
    (re.compile(rf"(?:equal to or (?:more|greater|higher){_THAN}|not less{_THAN}|at least|≥|>=)\s*$"), ">="),
    (
        re.compile(
            rf"(?:equal to or (?:less|lower){_THAN}|not (?:more{_THAN}|exceeding)|up to and including|at most|≤|<=)\s*$"
        ),
        "<=",
    ),
    (re.compile(rf"(?:exceeding|in excess of|(?:more|greater|higher){_THAN}|above|over|>)\s*$"), ">"),
    (re.compile(rf"(?:(?:less|lower){_THAN}|below|under|<)\s*$"), "<"),
]
_AFTER = [
    (re.compile(r"^\s*(?:を超える|を超え|超|より大きい|より高い)"), ">"),
    (re.compile(r"^\s*(?:以上|or (?:more|greater|higher)|and above)"), ">="),
    (re.compile(r"^\s*(?:未満|より小さい|より低い)"), "<"),
    (re.compile(r"^\s*(?:以下|以内|or (?:less|lower|below))"), "<="),
]
_WINDOW = 40
# One-letter units read only when set apart from the number, as standards write them ("1 K", "10 s"): "4K video"
# is a resolution and "3s" a count.
_SPACED = frozenset({"K", "s"})


@dataclass(frozen=True)
class Parameter:
    """A stated value or a threshold. `value` is in `unit`, the base unit of `quantity`; `bound` is ">", ">=",
    "<", "<=" for a threshold ("exceeding 1 GHz", 「1 GHz以上」) and None for a plain value."""

    quantity: str
    value: float
    unit: str
    bound: str | None
    text: str  # as written (after NFKC), e.g. "exceeding 1 GHz"

    def describe(self) -> str:
        return self.text


def _number(raw: str) -> float:
    if raw[0] in "〇一二三四五六七八九":
        # The Order writes numbers digit by digit: 一、〇〇〇 = 1,000; 〇・五 = 0.5.
        raw = raw.translate(_KANJI_DIGITS).replace("、", "").replace("・", ".")
    return float(raw.replace(",", ""))


def in_unit(parameter: Parameter, unit: str) -> float:
    """The value in another unit of its quantity (°C for temperatures too)."""
    if unit in CELSIUS:
        return parameter.value - _CELSIUS_OFFSET
    quantity, factor, _ = UNITS[unit]
    if quantity != parameter.quantity:
        raise ValueError(f"{unit} is not a unit of {parameter.quantity}")
    return parameter.value / factor


def extract(text: str) -> list[Parameter]:
    """Every parameter in `text`, in order of appearance."""
    return list(_extract(unicodedata.normalize("NFKC", text)))


def _extract(text: str) -> Iterator[Parameter]:
    for match in _PATTERN.finditer(text):
        raw = match.group("number").rstrip("、・")
        try:
            value = _number(raw)
        except ValueError:
            continue
        if match.group("sign"):
            value = -value
        unit = match.group("unit")
        if unit in CELSIUS:
            quantity, base, value = "temperature", "K", value + _CELSIUS_OFFSET
        else:
            quantity, factor, base = UNITS[unit]
            value *= factor
        if unit in _SPACED and " " not in text[match.start("number") : match.start("unit")]:
            continue
        before = text[max(0, match.start() - _WINDOW) : match.start()].lower()
        after = text[match.end() : match.end() + _WINDOW]
        bound = next((b for pattern, b in _BEFORE if pattern.search(before)), None)
        start, end = match.start(), match.end()
        for pattern, b in _AFTER:
            found = pattern.match(after)
            if found:
                bound = bound or b
                end = match.end() + found.end()
                break
        if bound is not None and start == match.start():
            phrase = next((p.search(before) for p, b in _BEFORE if b == bound and p.search(before)), None)
            if phrase is not None:  # show the bound's words too ("exceeding 1 GHz"), as the text has them
                start = max(0, match.start() - (len(before) - phrase.start()))
        yield Parameter(quantity, _round(value), base, bound, text[start:end].strip())


def _round(value: float) -> float:
    # Unit factors leave float noise (0.1 × 1e9); 12 significant digits keep every value a text can state.
    return float(f"{value:.12g}")


def within(technology: Parameter, threshold: Parameter) -> bool | None:
    """Whether the technology's value meets the item's threshold; None when they measure different things or the
    item states a value rather than a threshold."""
    if technology.quantity != threshold.quantity or threshold.bound is None:
        return None
    value, limit = technology.value, threshold.value
    if threshold.bound == ">":
        return value > limit
    if threshold.bound == ">=":
        return value >= limit
    if threshold.bound == "<":
        return value < limit
    return value <= limit
