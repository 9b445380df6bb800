"""Reading the period labels exports use: years, months and ISO weeks, Swedish style."""

from __future__ import annotations

import datetime as dt
import re

from lagesbild_lib.importers.names import name_key

MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december")
_PREL = re.compile(r"\(?\s*prel(?:iminär[a]?|iminar[a]?)?\.?\s*\)?|\*", re.I)


def month_number(text: object) -> int | None:
    """``"april"``, ``"Apr"``, ``"4"``, ``"04"`` → 4; anything else → None."""
    key = name_key(text)
    if re.fullmatch(r"\d{1,2}", key) and 1 <= int(key) <= 12:
        return int(key)
    if len(key) >= 3:
        for i, name in enumerate(MONTHS, start=1):
            if name.startswith(key) or (key.startswith(name[:3]) and name.startswith(key.rstrip("."))):
                return i
    return None


def strip_preliminary(text: str) -> tuple[str, bool]:
    """``"2023 prel."`` → ``("2023", True)``; a trailing ``*`` also marks a preliminary figure."""
    cleaned, n = _PREL.subn(" ", text)
    return " ".join(cleaned.split()), n > 0


def parse_period(text: object) -> tuple[int, int | None, bool] | None:
    """A period label → (year, month or None, preliminary); None when it is not a period.

    Accepts ``2023``, ``2023 prel.``, ``2023M04``, ``2023-04``, ``2023 april``, ``april 2023``,
    ``apr 2023``, ``2023*``.
    """
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        text = str(int(text)) if float(text).is_integer() else str(text)
    raw, prel = strip_preliminary(str(text).strip())
    if not raw:
        return None
    match = re.fullmatch(r"((?:19|20|21)\d\d)", raw)
    if match:
        return int(match.group(1)), None, prel
    match = re.fullmatch(r"((?:19|20|21)\d\d)\s*(?:M|-|/)\s*(\d{1,2})", raw, re.I)
    if match and 1 <= int(match.group(2)) <= 12:
        return int(match.group(1)), int(match.group(2)), prel
    match = re.fullmatch(r"((?:19|20|21)\d\d)\s+([A-Za-zÅÄÖåäö.]+)|([A-Za-zÅÄÖåäö.]+)\s+((?:19|20|21)\d\d)", raw)
    if match:
        year = match.group(1) or match.group(4)
        month = month_number(match.group(2) or match.group(3))
        if month:
            return int(year), month, prel
    return None


def parse_week(value: object, default_year: int | None) -> tuple[int, int] | None:
    """A week label → (ISO year, ISO week); None when it is not one.

    Accepts ``v. 12``, ``v12``, ``V 12``, ``vecka 12``, ``12``, ``2023-W12``, ``2023W12``,
    ``W12``, ``v. 12 2023``, ``2023 v. 12`` and dates (the ISO week the date falls in). A week
    without a year takes ``default_year``; without one it is not readable (None).
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        iso = value.isocalendar()
        return iso.year, iso.week
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if match:
        try:
            iso = dt.date(*map(int, match.groups())).isocalendar()
        except ValueError:
            return None
        return iso.year, iso.week
    match = re.fullmatch(r"(\d{4})\s*-?\s*W\s*(\d{1,2})(?:-\d)?", text, re.I)
    if match:
        return int(match.group(1)), int(match.group(2))
    week_pattern = r"(?:v(?:ecka)?|w(?:eek)?)?\s*\.?\s*(\d{1,2})"
    match = re.fullmatch(rf"(?:(\d{{4}})\s*[,:/-]?\s*)?{week_pattern}(?:\s*[,:/-]?\s*(\d{{4}}))?", text, re.I)
    if match:
        year = match.group(1) or match.group(3)
        year = int(year) if year else default_year
        if year is None:
            return None
        return year, int(match.group(2))
    return None


def weeks_in(year: int) -> int:
    """52 or 53: the number of ISO weeks in ISO year ``year``."""
    return dt.date(year, 12, 28).isocalendar().week


def week_monday(year: int, week: int) -> dt.date:
    return dt.date.fromisocalendar(year, week, 1)
