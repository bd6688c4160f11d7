"""Technical parameters in Japanese and English: table-driven cases, and numbers that survive unit normalisation."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kizashi.protect.controls.parameters import UNITS, Parameter, extract, in_unit, within

CASES = [
    # text, [(quantity, value in base unit, bound)]
    ("exceeding 1 GHz", [("frequency", 1e9, ">")]),
    ("10ギガヘルツを超える周波数", [("frequency", 1e10, ">")]),
    ("94GHz帯の増幅器", [("frequency", 94e9, None)]),
    ("0.3 THz imaging", [("frequency", 3e11, None)]),
    ("256-bit AES key", [("bits", 256, None)]),
    ("256ビット鍵の暗号装置", [("bits", 256, None)]),
    ("a key length in excess of 56 bits", [("bits", 56, ">")]),
    ("a resolution of 8 bit or more", [("bits", 8, ">=")]),
    ("波長1064 nmのレーザー", [("length", 1.064e-6, None)]),
    ("a wavelength exceeding 1,000 nm", [("length", 1e-6, ">")]),
    ("波長10 μm以上", [("length", 1e-5, ">=")]),
    ("出力1kW超のファイバーレーザー", [("power", 1e3, ">")]),
    ("an output power exceeding 100 mW (20 dBm)", [("power", 0.1, ">")]),
    ("出力5メガワット", [("power", 5e6, None)]),
    ("2 MW pulsed", [("power", 2e6, None)]),  # MW is megawatt, mW milliwatt: case matters
    ("10 Gbit/s links", [("bit rate", 1e10, None)]),
    ("伝送速度100 Gbps以下", [("bit rate", 1e11, "<=")]),
    ("a transfer rate of 2.5 Mbyte/s", [("bit rate", 2e7, None)]),
    ("operate below 218 K", [("temperature", 218, "<")]),
    ("equal to or less (better) than 4.5 K", [("temperature", 4.5, "<=")]),
    ("-40℃以上で動作", [("temperature", 233.15, ">=")]),
    ("−55 °C", [("temperature", 218.15, None)]),
    ("送信するパルス幅が一〇〇ナノ秒以下のレーダー", [("duration", 1e-7, "<=")]),
    ("an access time of less than 80 ns", [("duration", 8e-8, "<")]),
    ("フレーム10 ms以内", [("duration", 0.01, "<=")]),
    ("a frequency stability better than 1 ppm", [("ratio", 1, None)]),
    ("パルスエネルギー2 J", [("energy", 2, None)]),
    ("チャネルの数が一、〇〇〇を超える", []),  # a count has no unit
    ("4K video and 3s delays and 5 steps", []),  # one-letter units only when set apart from the number
    ("ECCN 3A001.b.2 and 5A002", []),
    ("from 2 GHz up to and including 15 GHz", [("frequency", 2e9, None), ("frequency", 1.5e10, "<=")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_parameters_are_read_with_units_and_bounds(text: str, expected: list[tuple[str, float, str | None]]) -> None:
    found = extract(text)
    assert [(p.quantity, p.bound) for p in found] == [(q, b) for q, _, b in expected], found
    for parameter, (_, value, _) in zip(found, expected, strict=True):
        assert math.isclose(parameter.value, value, rel_tol=1e-9), parameter
        assert parameter.text in text or parameter.text.replace("°C", "℃") in text


def test_full_width_text_is_read_as_half_width() -> None:
    (parameter,) = extract("出力１０ｋＷ")
    assert (parameter.quantity, parameter.value) == ("power", 10_000)


UNIT_NAMES = sorted(UNITS)


@given(
    whole=st.integers(min_value=0, max_value=99_999),
    decimals=st.integers(min_value=0, max_value=999),
    unit=st.sampled_from(UNIT_NAMES),
)
def test_numbers_round_trip_through_unit_normalisation(whole: int, decimals: int, unit: str) -> None:
    written = f"{whole}.{decimals:03d}"
    found = extract(f"rated at {written} {unit} nominal")
    assert len(found) == 1, (written, unit, found)
    quantity, _, base = UNITS[unit]
    assert (found[0].quantity, found[0].unit) == (quantity, base)
    assert math.isclose(in_unit(found[0], unit), float(written), rel_tol=1e-9, abs_tol=1e-9)


@given(celsius=st.integers(min_value=-273, max_value=3000))
def test_celsius_round_trips_through_kelvin(celsius: int) -> None:
    (parameter,) = extract(f"at {celsius} °C")
    assert math.isclose(parameter.value, celsius + 273.15)
    assert math.isclose(in_unit(parameter, "°C"), celsius, abs_tol=1e-9)


BOUNDS = {"exceeding": ">", "at least": ">=", "less than": "<", "not exceeding": "<="}


@given(
    limit=st.integers(min_value=1, max_value=10_000),
    value=st.integers(min_value=1, max_value=10_000),
    phrase=st.sampled_from(sorted(BOUNDS)),
)
def test_within_compares_as_the_bound_says(limit: int, value: int, phrase: str) -> None:
    (threshold,) = extract(f"{phrase} {limit} MHz")
    (stated,) = extract(f"{value} MHz")
    assert threshold.bound == BOUNDS[phrase]
    expected = {">": value > limit, ">=": value >= limit, "<": value < limit, "<=": value <= limit}[BOUNDS[phrase]]
    assert within(stated, threshold) is expected


def test_within_knows_nothing_of_other_quantities_or_plain_values() -> None:
    frequency = Parameter("frequency", 1e9, "Hz", ">", "exceeding 1 GHz")
    assert within(Parameter("power", 5.0, "W", None, "5 W"), frequency) is None
    assert (
        within(Parameter("frequency", 2e9, "Hz", None, "2 GHz"), Parameter("frequency", 1e9, "Hz", None, "1 GHz"))
        is None
    )
    with pytest.raises(ValueError):
        in_unit(frequency, "W")
