"""Swedish formatting of numbers, shares and dates for everything the reader sees (DESIGN §9).

Conventions, fixed so that every table, caption and sentence of a report agrees:

- decimal comma (``25,5``);
- narrow no-break space :data:`THIN` (U+202F) as thousands separator (``76 396``);
- no-break space :data:`NBSP` (U+00A0) between a number and its unit or percent sign
  (``25,5 %``, ``312 400 kr``);
- the minus sign :data:`MINUS` (U+2212) for negative numbers, ``+`` only where asked for;
- an en dash :data:`MISSING` (``–``) for a missing value (None, NaN, infinity);
- short dates ``1 jan 2023``, periods ``1 jan–31 okt 2023``, long dates ``31 oktober 2023``.

Rounding is half away from zero on the decimal value as written (2,25 → 2,3; 0,125 → 0,13 with
two decimals), as in Excel, because analysts check the report against their spreadsheets; a
value that rounds to zero is shown without a sign.

Babel's Swedish locale data differs from these conventions (U+00A0 as group separator, "mars",
"juni", "jan." as month abbreviations), so the few rules are written out here rather than taken
from it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from numbers import Integral


THIN = "\u202f"
"""Thousands separator: NARROW NO-BREAK SPACE (U+202F)."""

NBSP = "\u00a0"
"""Space between a number and its unit or percent sign: NO-BREAK SPACE (U+00A0)."""

MINUS = "\u2212"
"""Minus sign (U+2212), used instead of the ASCII hyphen for negative numbers."""

EN_DASH = "\u2013"
"""En dash (U+2013), between the bounds of a range and for a missing value."""

MISSING = EN_DASH
"""What a missing value (None, NaN, infinity) is shown as."""

MONTHS_SHORT = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
"""Swedish month abbreviations, January first."""

MONTHS_LONG = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
"""Swedish month names, January first."""

UNITS = ("procent", "kr", "dagar", "antal", "per 100 000 inv")
"""The indicator units of the data contract (DESIGN §6) that :func:`fmt_value` knows; others are shown as given."""

_MONTH_DAY = re.compile(r"(\d{1,2})-(\d{1,2})")
_FULL_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def is_missing(value: object) -> bool:
    """Tell whether a value is shown as missing (``–``).

    Parameters
    ----------
    value
        A number, ``None``, NaN, infinity, or pandas' ``NA``/``NaT``.

    Returns
    -------
    bool
        True for ``None``, NaN, positive or negative infinity, ``pd.NA`` and ``pd.NaT``.

    Raises
    ------
    TypeError
        If ``value`` is a string or another non-numeric object.
    """
    if value is None:
        return True
    if isinstance(value, (str, bytes)):
        raise TypeError(f"Expected a number, got the text {value!r}.")
    try:
        return not math.isfinite(value)  # type: ignore[arg-type]
    except TypeError:
        # pandas' missing markers refuse float conversion; match them by type name so that this
        # module does not import pandas.
        if type(value).__name__ in {"NAType", "NaTType"}:
            return True
        raise TypeError(f"Expected a number, got {type(value).__name__} {value!r}.") from None


def _to_decimal(value: object) -> Decimal:
    """Exact decimal of a finite number: integers as they are, floats as their shortest repr."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Integral):
        return Decimal(int(value))
    # str() of a float is its shortest round-tripping repr, so 2.675 becomes Decimal("2.675")
    # and rounds the way a reader expects, not as the binary value 2.67499999...
    return Decimal(str(float(value)))  # type: ignore[arg-type]


def rounded(value: object, decimals: int = 0, scale: int = 1) -> Decimal:
    """The value as the report shows it: half away from zero on its exact decimal (the one
    rounding rule of every table and sentence; a direction word follows this, not the raw value).
    ``scale`` multiplies in decimal first (100 for a share shown in percent: 0.285 → 29, where the
    float 0.285 * 100 would give 28.499999…)."""
    return (_to_decimal(value) * scale).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _group(digits: str) -> str:
    """Insert :data:`THIN` between groups of three digits, from the right."""
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return THIN.join(groups)


def _format_number(value: object, decimals: int, *, signed: bool = False) -> str:
    """Format a number that is known not to be missing; see the module docstring."""
    if decimals < 0:
        raise ValueError(f"decimals must be 0 or more, got {decimals}.")
    quantum = Decimal(1).scaleb(-decimals)
    rounded = _to_decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{abs(rounded):.{decimals}f}"
    integer, _, fraction = text.partition(".")
    body = _group(integer) + ("," + fraction if fraction else "")
    if rounded == 0:
        return body
    if rounded < 0:
        return MINUS + body
    return "+" + body if signed else body


def fmt_int(n: object) -> str:
    """Format a whole number with thousands separators.

    Parameters
    ----------
    n
        A number; a non-integer is rounded half away from zero.

    Returns
    -------
    str
        ``76396`` → ``"76 396"`` (U+202F), ``-1234`` → ``"−1 234"`` (U+2212); ``"–"`` when
        missing.

    Raises
    ------
    TypeError
        If ``n`` is not a number.
    """
    if is_missing(n):
        return MISSING
    return _format_number(n, 0)


def fmt_num(x: object, decimals: int = 1) -> str:
    """Format a number with a decimal comma and thousands separators.

    Parameters
    ----------
    x
        A number.
    decimals
        Number of decimals shown (trailing zeros kept: ``2`` → ``"2,0"``).

    Returns
    -------
    str
        ``1234.5`` → ``"1 234,5"``; ``"–"`` when missing.

    Raises
    ------
    TypeError
        If ``x`` is not a number.
    ValueError
        If ``decimals`` is negative.
    """
    if is_missing(x):
        return MISSING
    return _format_number(x, decimals)


def fmt_signed_int(n: object) -> str:
    """Format a whole-number change with an explicit sign.

    Parameters
    ----------
    n
        A number; a non-integer is rounded half away from zero.

    Returns
    -------
    str
        ``222`` → ``"+222"``, ``-222`` → ``"−222"``, ``0`` → ``"0"``, ``1500`` → ``"+1 500"``;
        ``"–"`` when missing.

    Raises
    ------
    TypeError
        If ``n`` is not a number.
    """
    if is_missing(n):
        return MISSING
    return _format_number(n, 0, signed=True)


def fmt_pct(x: object, decimals: int = 1, signed: bool = False) -> str:
    """Format a value that is already in percent.

    Parameters
    ----------
    x
        The value in percent (``25.5`` for 25,5 %).
    decimals
        Number of decimals shown.
    signed
        Show ``+`` before a positive value (for changes; CompStat uses ``decimals=0``).

    Returns
    -------
    str
        ``25.5`` → ``"25,5 %"`` (U+00A0 before ``%``); with ``signed=True, decimals=0``,
        ``67`` → ``"+67 %"`` and ``-71`` → ``"−71 %"``; ``"–"`` when missing or infinite.

    Raises
    ------
    TypeError
        If ``x`` is not a number.
    ValueError
        If ``decimals`` is negative.
    """
    if is_missing(x):
        return MISSING
    return _format_number(x, decimals, signed=signed) + NBSP + "%"


def fmt_share(p: object, decimals: int = 0) -> str:
    """Format a share on 0–1 as a percent.

    Parameters
    ----------
    p
        The share (``0.47`` for 47 %).
    decimals
        Number of decimals of the percent.

    Returns
    -------
    str
        ``0.47`` → ``"47 %"``; ``"–"`` when missing.

    Raises
    ------
    TypeError
        If ``p`` is not a number.
    """
    if is_missing(p):
        return MISSING
    # Scale in decimal so that 0.285 is 28.5 exactly and rounds to 29, not 28.
    return fmt_pct(_to_decimal(p) * 100, decimals)


def fmt_share_ci(p: object, lo: object, hi: object, decimals: int = 0) -> str:
    """Format a share with its confidence interval.

    Parameters
    ----------
    p, lo, hi
        The share and the lower and upper bounds of its interval, all on 0–1.
    decimals
        Number of decimals of the percents.

    Returns
    -------
    str
        ``(0.47, 0.43, 0.51)`` → ``"47 % (43–51 %)"`` (en dash between the bounds);
        the share alone when a bound is missing; ``"–"`` when the share is missing.

    Raises
    ------
    TypeError
        If a value is not a number.
    """
    if is_missing(p):
        return MISSING
    share = fmt_share(p, decimals)
    if is_missing(lo) or is_missing(hi):
        return share
    low = _format_number(_to_decimal(lo) * 100, decimals)
    high = _format_number(_to_decimal(hi) * 100, decimals)
    return f"{share} ({low}{EN_DASH}{high}{NBSP}%)"


def fmt_value(value: object, unit: str) -> str:
    """Format an indicator value in its unit (``indicators.unit``, DESIGN §6).

    Parameters
    ----------
    value
        The value; ``procent`` values are on 0–100.
    unit
        Free text (DESIGN §6); the units of :data:`UNITS` are formatted, any other is shown as given.

    Returns
    -------
    str
        ``procent`` → ``"48,5 %"``; ``kr`` → ``"312 400 kr"``; ``dagar`` → ``"12,3 dagar"``;
        ``antal`` → ``"1 234"``; ``per 100 000 inv`` → ``"1 588 per 100 000 inv"``; another unit
        with one decimal and the unit as given (``"3,2 kr/inv"``); ``"–"`` when the value is missing.

    Raises
    ------
    TypeError
        If ``value`` is not a number.
    """
    if is_missing(value):
        return MISSING
    if unit not in UNITS:
        return fmt_num(value, 1) + NBSP + str(unit)
    if unit == "per 100 000 inv":
        return fmt_int(value) + NBSP + unit
    if unit == "procent":
        return fmt_pct(value, 1)
    if unit == "kr":
        return fmt_int(value) + NBSP + "kr"
    if unit == "dagar":
        return fmt_num(value, 1) + NBSP + "dagar"
    return fmt_int(value)


def fmt_p(p: object) -> str:
    """Format a p-value: ``"< 0,001"`` below 0,001, three decimals below 0,01, else two.

    Returns
    -------
    str
        ``0.00003`` → ``"< 0,001"``; ``0.0076`` → ``"0,008"``; ``0.694`` → ``"0,69"``; ``"–"``
        when missing.
    """
    if is_missing(p):
        return MISSING
    if float(p) < 0.001:  # type: ignore[arg-type]
        return "<" + NBSP + "0,001"
    return _format_number(p, 3 if float(p) < 0.01 else 2)  # type: ignore[arg-type]


def fmt_bounds(lo: object, hi: object, decimals: int = 0, scale: int = 1) -> str:
    """An interval's bounds: ``"8–16"``; with a negative bound ``"−7 till 37"``. A bound that is
    not zero but rounds to zero gets more decimals, so its sign shows (``"−0,2 till 24"``).

    Parameters
    ----------
    lo, hi
        The bounds; ``scale`` multiplies them first (100 for a difference of shares in percentage points).
    """
    if is_missing(lo) or is_missing(hi):
        return MISSING

    def bound(x: object) -> str:
        exact = _to_decimal(x) * scale
        extra = 0
        while exact != 0 and rounded(exact, decimals + extra) == 0 and extra < 6:
            extra += 1
        text = _format_number(exact, decimals + extra)
        return MINUS + text if exact < 0 and not text.startswith(MINUS) else text

    low, high = bound(lo), bound(hi)
    negative = _to_decimal(lo) < 0 or _to_decimal(hi) < 0
    return f"{low} till {high}" if negative else f"{low}{EN_DASH}{high}"


def fmt_date(d: dt.date) -> str:
    """Format a date in short Swedish form.

    Parameters
    ----------
    d
        A date (a datetime or pandas Timestamp is accepted; the time is ignored).

    Returns
    -------
    str
        ``date(2023, 1, 1)`` → ``"1 jan 2023"``.
    """
    return f"{d.day} {MONTHS_SHORT[d.month - 1]} {d.year}"


def fmt_date_long(d: dt.date) -> str:
    """Format a date with the month written out.

    Parameters
    ----------
    d
        A date (a datetime or pandas Timestamp is accepted; the time is ignored).

    Returns
    -------
    str
        ``date(2023, 10, 31)`` → ``"31 oktober 2023"``.
    """
    return f"{d.day} {MONTHS_LONG[d.month - 1]} {d.year}"


def fmt_period(start: dt.date, end: dt.date) -> str:
    """Format a period of dates.

    Parameters
    ----------
    start, end
        First and last day of the period.

    Returns
    -------
    str
        ``"1 jan–31 okt 2023"`` when both days are in the same year, else
        ``"15 dec 2022–31 jan 2023"`` (en dash, no spaces around it).
    """
    if start.year == end.year:
        first = f"{start.day} {MONTHS_SHORT[start.month - 1]}"
    else:
        first = fmt_date(start)
    return f"{first}{EN_DASH}{fmt_date(end)}"
