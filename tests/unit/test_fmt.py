"""Unit tests of lagesbild_lib.present.fmt: exact strings, including the spaces and dashes."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from lagesbild_lib.errors import ConfigError
from lagesbild_lib.present.fmt import MINUS, NBSP, THIN, fmt_date, fmt_date_long, fmt_int, fmt_num, fmt_pct, fmt_period, fmt_share, fmt_share_ci, fmt_signed_int, fmt_value, is_missing
from lagesbild_lib.params import parse_period_end

MISSING_VALUES = [None, math.nan, np.nan, math.inf, -math.inf, pd.NA, pd.NaT, np.float32("nan")]


def test_constants_are_the_agreed_characters():
    assert THIN == "\u202f"
    assert NBSP == "\u00a0"
    assert MINUS == "\u2212"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (76396, "76\u202f396"),
        (-1234, "\u22121\u202f234"),
        (0, "0"),
        (7, "7"),
        (999, "999"),
        (1000, "1\u202f000"),
        (1234567, "1\u202f234\u202f567"),
        (-999, "\u2212999"),
        (np.int64(76396), "76\u202f396"),
        (76396.0, "76\u202f396"),
        (2.5, "3"),
        (-2.5, "\u22123"),
        (-0.4, "0"),
    ],
)
def test_fmt_int(value, expected):
    assert fmt_int(value) == expected


@pytest.mark.parametrize("value", MISSING_VALUES)
def test_missing_values_are_an_en_dash(value):
    assert fmt_int(value) == "\u2013"
    assert fmt_num(value) == "\u2013"
    assert fmt_pct(value) == "\u2013"
    assert fmt_pct(value, 0, signed=True) == "\u2013"
    assert fmt_share(value) == "\u2013"
    assert fmt_signed_int(value) == "\u2013"
    assert fmt_value(value, "kr") == "\u2013"


def test_text_is_not_a_number():
    with pytest.raises(TypeError):
        fmt_int("12")
    with pytest.raises(TypeError):
        is_missing(object())


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234.5, 1, "1\u202f234,5"),
        (1234.5, 0, "1\u202f235"),
        (2, 1, "2,0"),
        (0.125, 2, "0,13"),
        (2.675, 2, "2,68"),
        (2.25, 1, "2,3"),
        (-1234.56, 1, "\u22121\u202f234,6"),
        (-0.04, 1, "0,0"),
        (1234567.891, 2, "1\u202f234\u202f567,89"),
        (Decimal("10.05"), 1, "10,1"),
    ],
)
def test_fmt_num(value, decimals, expected):
    assert fmt_num(value, decimals) == expected


def test_fmt_num_default_is_one_decimal():
    assert fmt_num(3.14159) == "3,1"


def test_fmt_num_refuses_negative_decimals():
    with pytest.raises(ValueError):
        fmt_num(1.0, -1)


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (25.5, {}, "25,5\u00a0%"),
        (48, {}, "48,0\u00a0%"),
        (100, {"decimals": 0}, "100\u00a0%"),
        (1234.5, {}, "1\u202f234,5\u00a0%"),
        (66.67, {"decimals": 0, "signed": True}, "+67\u00a0%"),
        (-71.43, {"decimals": 0, "signed": True}, "\u221271\u00a0%"),
        (0.0, {"decimals": 0, "signed": True}, "0\u00a0%"),
        (0.2, {"decimals": 0, "signed": True}, "0\u00a0%"),
        (-5.25, {}, "\u22125,3\u00a0%"),
        (12.5, {"signed": True}, "+12,5\u00a0%"),
    ],
)
def test_fmt_pct(value, kwargs, expected):
    assert fmt_pct(value, **kwargs) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0.47, 0, "47\u00a0%"),
        (0.0, 0, "0\u00a0%"),
        (1.0, 0, "100\u00a0%"),
        (0.285, 0, "29\u00a0%"),
        (0.4712, 1, "47,1\u00a0%"),
    ],
)
def test_fmt_share(value, decimals, expected):
    assert fmt_share(value, decimals) == expected


def test_fmt_share_ci():
    assert fmt_share_ci(0.47, 0.43, 0.51) == "47\u00a0% (43\u201351\u00a0%)"
    assert fmt_share_ci(0.471, 0.4349, 0.5051, 1) == "47,1\u00a0% (43,5\u201350,5\u00a0%)"
    assert fmt_share_ci(0.0, 0.0, 0.43) == "0\u00a0% (0\u201343\u00a0%)"


def test_fmt_share_ci_missing_parts():
    assert fmt_share_ci(None, 0.43, 0.51) == "\u2013"
    assert fmt_share_ci(0.47, math.nan, 0.51) == "47\u00a0%"
    assert fmt_share_ci(0.47, 0.43, None) == "47\u00a0%"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (222, "+222"),
        (-222, "\u2212222"),
        (0, "0"),
        (1500, "+1\u202f500"),
        (-12345, "\u221212\u202f345"),
    ],
)
def test_fmt_signed_int(value, expected):
    assert fmt_signed_int(value) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (48.5, "procent", "48,5\u00a0%"),
        (7, "procent", "7,0\u00a0%"),
        (312400, "kr", "312\u202f400\u00a0kr"),
        (312399.6, "kr", "312\u202f400\u00a0kr"),
        (12.34, "dagar", "12,3\u00a0dagar"),
        (1234, "antal", "1\u202f234"),
        (None, "procent", "\u2013"),
        (math.nan, "dagar", "\u2013"),
    ],
)
def test_fmt_value(value, unit, expected):
    assert fmt_value(value, unit) == expected


def test_fmt_value_unknown_unit_is_shown_as_given():
    assert fmt_value(3, "meter") == "3,0\u00a0meter"
    assert fmt_value(1588.0, "per 100 000 inv") == "1\u202f588\u00a0per 100 000 inv"


def test_fmt_date():
    assert fmt_date(dt.date(2023, 1, 1)) == "1 jan 2023"
    assert fmt_date(dt.date(2023, 10, 31)) == "31 okt 2023"
    assert fmt_date(dt.datetime(2022, 3, 5, 14, 30)) == "5 mar 2022"
    assert fmt_date(pd.Timestamp("2024-06-09")) == "9 jun 2024"


def test_all_month_abbreviations():
    months = [fmt_date(dt.date(2023, m, 1)).split()[1] for m in range(1, 13)]
    assert months == "jan feb mar apr maj jun jul aug sep okt nov dec".split()


def test_fmt_date_long():
    assert fmt_date_long(dt.date(2023, 10, 31)) == "31 oktober 2023"
    assert fmt_date_long(dt.date(2024, 3, 1)) == "1 mars 2024"


def test_fmt_period_same_year():
    assert fmt_period(dt.date(2023, 1, 1), dt.date(2023, 10, 31)) == "1 jan\u201331 okt 2023"


def test_fmt_period_across_years():
    assert fmt_period(dt.date(2022, 12, 15), dt.date(2023, 1, 31)) == "15 dec 2022\u201331 jan 2023"


@pytest.mark.parametrize(
    ("value", "year", "expected"),
    [
        ("10-31", 2023, dt.date(2023, 10, 31)),
        ("2023-10-31", 2023, dt.date(2023, 10, 31)),
        (" 06-30 ", 2022, dt.date(2022, 6, 30)),
        ("9-30", 2022, dt.date(2022, 9, 30)),
        ("02-29", 2023, dt.date(2023, 2, 28)),
        ("02-29", 2024, dt.date(2024, 2, 29)),
        ("02-29", 2100, dt.date(2100, 2, 28)),
        ("02-29", 2000, dt.date(2000, 2, 29)),
        (dt.date(2023, 10, 31), 2023, dt.date(2023, 10, 31)),
        (dt.datetime(2023, 10, 31, 12, 0), 2023, dt.date(2023, 10, 31)),
    ],
)
def test_parse_period_end(value, year, expected):
    assert parse_period_end(value, year) == expected


@pytest.mark.parametrize(
    "value",
    [
        "13-01",
        "02-30",
        "04-31",
        "00-10",
        "okt-31",
        "31/10",
        "",
        "2023-02-29",
        "2023-13-01",
        1031,
        None,
    ],
)
def test_parse_period_end_invalid(value):
    with pytest.raises(ConfigError, match="period_end"):
        parse_period_end(value, 2023)


def test_parse_period_end_full_date_in_other_year():
    with pytest.raises(ConfigError, match="rapportåret 2023"):
        parse_period_end("2022-10-31", 2023)
