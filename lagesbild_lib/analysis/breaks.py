"""Series breaks (params ``series_breaks``): a change in how a crime category is coded or counted,
or in a survey's question or method, from a given year on.

A break in year Y lies between the last year before Y and Y. A chart whose years span it marks
it; a comparison of a year before Y with Y or later says so ("Serieuppbrott 2021: ny brottskod");
a trend is fitted only on the years from Y on (:func:`unbroken_part`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from lagesbild_lib.params import SeriesBreak

#: Shown in a table cell whose comparison spans a break.
FLAG = "serieuppbrott"


def of_category(breaks: Iterable[SeriesBreak], category: str) -> list[SeriesBreak]:
    """The breaks in one crime category (by id)."""
    return [b for b in breaks if b.category == category]


def of_categories(breaks: Iterable[SeriesBreak], categories: Iterable[str]) -> list[SeriesBreak]:
    """The breaks in any of ``categories`` (e.g. the categories summed in a group), by year."""
    wanted = set(categories)
    return sorted((b for b in breaks if b.category in wanted), key=lambda b: (b.year, b.category))


def of_question(breaks: Iterable[SeriesBreak], question: str, survey: str | None) -> list[SeriesBreak]:
    """The breaks in a survey question's series: a break of the question (in any survey or in
    ``survey``) or of the whole survey."""
    return [
        b for b in breaks
        if b.category is None and b.question in (None, question) and b.survey in (None, survey)
    ]


def by_label(breaks: Iterable[SeriesBreak], categories) -> dict[str, list[SeriesBreak]]:
    """The breaks per category label (the columns of the per-category frames), from the
    ``crime_categories`` table."""
    labels = dict(zip(categories["category"], categories["label"]))
    out: dict[str, list[SeriesBreak]] = {}
    for b in breaks:
        if b.category in labels:
            out.setdefault(str(labels[b.category]), []).append(b)
    return out


def within(breaks: Iterable[SeriesBreak], years: Sequence[int]) -> list[SeriesBreak]:
    """The breaks that lie inside the span of ``years`` (after its first year, up to its last)."""
    years = sorted(int(y) for y in years)
    if not years:
        return []
    return sorted((b for b in breaks if years[0] < b.year <= years[-1]), key=lambda b: b.year)


def crossing(breaks: Iterable[SeriesBreak], before: int, after: int) -> list[SeriesBreak]:
    """The breaks a comparison of the year ``before`` with the year ``after`` spans."""
    return sorted((b for b in breaks if before < b.year <= after), key=lambda b: b.year)


def note(b: SeriesBreak, subject: str = "") -> str:
    """``"Serieuppbrott 2021: ny brottskod från 2021 (sexuellt ofredande)."``"""
    what = b.what.strip().rstrip(".")
    return f"Serieuppbrott {b.year}: {what}" + (f" ({subject})" if subject else "") + "."


def notes(items: Iterable[tuple[SeriesBreak, str]]) -> str:
    """:func:`note` of each (break, subject), one sentence each, duplicates once."""
    return " ".join(dict.fromkeys(note(b, s) for b, s in items))


def positions(years: Sequence[int], break_years: Iterable[int]) -> list[float]:
    """Where on an axis of ``years`` to draw each break: midway between the last year before it
    and the first year from it on (breaks outside the span are left out)."""
    years = sorted(int(y) for y in years)
    out = []
    for year in sorted(set(break_years)):
        before = [y for y in years if y < year]
        after = [y for y in years if y >= year]
        if before and after:
            out.append((before[-1] + after[0]) / 2)
    return out


def unbroken_part(series: Mapping[int, float], break_years: Iterable[int]) -> tuple[dict[int, float], int | None]:
    """The part of a yearly series since its last break, and the year it starts from (None when
    no break lies inside the series, which then comes back whole)."""
    years = sorted(series)
    inside = [y for y in break_years if years and years[0] < y <= years[-1]]
    if not inside:
        return dict(series), None
    since = max(inside)
    return {y: series[y] for y in years if y >= since}, since


def subject(b: SeriesBreak, label: str = "") -> str:
    """What a break concerns, for its note: ``label`` for a crime category, the survey for a
    survey break ("" for a break of the question in every survey)."""
    return label if b.category is not None else (b.survey or "")


def spans(found: Sequence[SeriesBreak], before: int, survey: str | None = None) -> str:
    """The note of each break a comparison with ``before`` spans, and that it does:
    ``"Serieuppbrott 2023: ny fråga (…). Jämförelsen med 2021 spänner över uppbrottet."``;
    ``survey`` names the survey compared (when the chapter shows several)."""
    if not found:
        return ""
    where = f" i {survey}" if survey else ""
    return f"{notes((b, subject(b) or survey or '') for b in found)} Jämförelsen med {before}{where} spänner över uppbrottet."
