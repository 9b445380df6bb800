"""The year-to-date period end of a report (``period_end``: MM-DD or a full date in the year)."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from lagesbild_lib.errors import ConfigError

_MONTH_DAY = re.compile(r"(\d{1,2})-(\d{1,2})")
_FULL_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _period_end_date(value: object, year: int) -> dt.date:
    """The date ``period_end`` names in ``year``; ValueError saying what is wrong with it."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        parsed = value
    elif isinstance(value, str) and (match := _MONTH_DAY.fullmatch(value.strip())):
        month, day = (int(g) for g in match.groups())
        if month == 2 and day == 29 and not calendar.isleap(year):
            day = 28  # 29 February: the last day of February in a common year
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"det är ingen dag år {year}; skriv det som MM-DD (t.ex. 10-31)") from None
    elif isinstance(value, str) and (match := _FULL_DATE.fullmatch(value.strip())):
        try:
            parsed = dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            raise ValueError("det är inget riktigt datum; skriv det som MM-DD (t.ex. 10-31) eller ÅÅÅÅ-MM-DD") from None
    else:
        raise ValueError("det är inget datum; skriv det som MM-DD (t.ex. 10-31) eller ÅÅÅÅ-MM-DD")
    if parsed.year != year:
        raise ValueError(f"det ligger inte i rapportåret {year}; ange ett datum under {year} eller MM-DD")
    return parsed


def parse_period_end(value: object, year: int) -> dt.date:
    """Read ``period_end`` (``"MM-DD"``, ``"YYYY-MM-DD"`` in ``year`` or a date) as the last day of
    the year-to-date comparison; ``"02-29"`` gives 28 February in a common year.

    Raises
    ------
    ConfigError
        Not a date in one of these forms, not a real day, or a full date in another year
        (:class:`ReportParams` refuses such a value when loaded, so ``period_end_date()`` never raises).
    """
    try:
        return _period_end_date(value, year)
    except ValueError as exc:
        raise ConfigError(f"period_end {value!r}: {exc}.") from None
