"""Numeral parsing: every form the reports use, as a float."""

from __future__ import annotations

import pytest

from qidu_nlp.text.numerals import parse_number, parse_range, split_magnitude


@pytest.mark.parametrize(
    "text, value",
    [
        ("34", 34.0),
        ("80.71", 80.71),
        ("1,234.5", 1234.5),
        ("28,656", 28656.0),
        ("二十", 20.0),
        ("一百零五", 105.0),
        ("两千", 2000.0),
        ("三千五百", 3500.0),
        ("十", 10.0),
        ("九", 9.0),
    ],
)
def test_plain_numerals(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text, value",
    [
        ("1.43亿", 143000000.0),
        ("1.2万", 12000.0),
        ("3.6万", 36000.0),
        ("2.18万亿", 2180000000000.0),
        ("4.56亿", 456000000.0),
        ("两万亿", 2000000000000.0),
        ("三万", 30000.0),
    ],
)
def test_magnitudes_are_multiplied_out_exactly(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text, value",
    [("千亿", 1e11), ("百亿", 1e10), ("亿", 1e8), ("万", 1e4), ("千万", 1e7), ("百", 100.0)],
)
def test_bare_magnitudes(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text, value",
    [("3000多万", 30000000.0), ("三万余", 30000.0), ("百余", 100.0), ("2万余", 20000.0), ("200余", 200.0)],
)
def test_approximators_inside_do_not_change_the_value(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text, value", [("三成", 30.0), ("7成", 70.0), ("百分之三十", 30.0), ("百分之5", 5.0)])
def test_tenths_and_percent_words(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text, value", [("翻番", 2.0), ("翻一番", 2.0), ("翻两番", 4.0)])
def test_doublings(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text, value", [("20至50万", 200000.0), ("3-5", 3.0), ("三至五", 3.0), ("1.2万至1.5万", 12000.0)])
def test_ranges_take_the_lower_bound_with_the_shared_magnitude(text, value):
    assert parse_range(text) == value


def test_split_magnitude():
    assert split_magnitude("1.2万") == ("1.2", 10000.0)
    assert split_magnitude("3万亿") == ("3", 1e12)


@pytest.mark.parametrize("text", ["", "abc", "增长", "三农", "百强"])
def test_non_numerals_raise(text):
    with pytest.raises(ValueError):
        parse_number(text)
