"""The joint weekly assessment (lägesbedömning): level legend and the year's grid of weeks × sub-areas.

The grid is an HTML table, not a picture: one row per sub-area, one cell per ISO week (1–52, or
1–53 in a long ISO year) holding the level as a number and as a colour, weeks with a critical
event marked with ✱ and a red ring, a row summary (mean level, weeks at level ≥ 3 and ≥ 4) and,
when there are several rows, a footer with the highest level of the whole area each week. Weeks
without an assessment are empty cells, never level 0. Nothing here reads files.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
from collections.abc import Mapping

import pandas as pd

from lagesbild_lib.present.fmt import MONTHS_SHORT, fmt_int, fmt_num
from lagesbild_lib.present.text import capitalise, count_sentence, join_sv, number_word, plural

#: The five levels: (name, description), DESIGN §2.
LEVELS = {
    1: ("Normalt läge", "Inga eller enstaka lindriga händelser"),
    2: ("Avvikande läge", "Flera lindriga eller enstaka oroande händelser"),
    3: ("Oroande läge", "Flera oroande eller enstaka allvarliga händelser"),
    4: ("Allvarligt läge", "Flera allvarliga händelser"),
    5: ("Kritiskt läge", "T.ex. skjutningar och sprängningar"),
}

EVENT_MARK = "✱"
"""Printed after the level in a week with a critical event (the cell also gets a red ring)."""

TOTAL_LABEL = "Högsta nivå i området"
"""Row header of the footer row: the highest level of any sub-area each week."""


def iso_weeks_in_year(year: int) -> int:
    """52 or 53: the number of ISO weeks in an ISO year (28 December is always in the last week)."""
    return dt.date(year, 12, 28).isocalendar().week


def week_month(year: int, week: int) -> int:
    """The month (1–12) an ISO week belongs to: the month of its Thursday."""
    return dt.date.fromisocalendar(year, week, 4).month


def week_dates(year: int, week: int) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of an ISO week."""
    return dt.date.fromisocalendar(year, week, 1), dt.date.fromisocalendar(year, week, 7)


def period_last_week(year: int, period_end: dt.date) -> int:
    """The last ISO week of ISO year ``year`` that the period 1 January–``period_end`` reaches.

    That is the week holding the period end's day in ``year`` (29 February → 28 February in other
    years); every week of the year when that day is already in week 1 of the next ISO year
    (e.g. 31 December 2024), and 0 when it is still in the last week of the previous one
    (1 January 2021 is in week 53 of 2020).
    """
    day = min(period_end.day, calendar.monthrange(year, period_end.month)[1])
    iso = dt.date(year, period_end.month, day).isocalendar()
    if iso.year > year:
        return iso_weeks_in_year(year)
    return iso.week if iso.year == year else 0


def weeks_words(last: int) -> str:
    """``"vecka 1–44"`` (``"vecka 1"`` for one week, ``"ingen vecka"`` for none): ISO weeks 1 to ``last`` in words."""
    return "ingen vecka" if last < 1 else "vecka 1" if last == 1 else f"vecka 1–{last}"


# --------------------------------------------------------------------------- legend


def level_legend_html() -> str:
    """Tabell "Förklaring lägesbedömning" as an HTML table with the level colours."""
    rows = "".join(
        f'<tr><td class="lb-level lb-level-{n}">{n}</td><th scope="row">{html.escape(name)}</th><td>{html.escape(text)}</td></tr>'
        for n, (name, text) in LEVELS.items()
    )
    return (
        '<table class="lb-table lb-legend"><thead><tr><th scope="col">Nivå</th><th scope="col">Läge</th>'
        f'<th scope="col">Beskrivning</th></tr></thead><tbody>{rows}</tbody></table>'
    )


def level_legend_data() -> pd.DataFrame:
    """The five levels as a frame (Nivå, Läge, Beskrivning), for Excel."""
    return pd.DataFrame([(n, name, text) for n, (name, text) in LEVELS.items()], columns=["Nivå", "Läge", "Beskrivning"])


# --------------------------------------------------------------------------- grid


def weekly_grid(assessments: pd.DataFrame, area_ids: list[str], year: int, last_week: int | None = None) -> pd.DataFrame:
    """Levels of ``year`` as a grid: one row per area, one column per ISO week (missing weeks NA).

    Parameters
    ----------
    assessments
        The ``weekly_assessments`` table (year, week, area_id, level).
    area_ids
        The rows, in order.
    year
        The ISO year; its columns run 1–52 or 1–53 (:func:`iso_weeks_in_year`).
    last_week
        Only weeks 1 to ``last_week`` (e.g. :func:`period_last_week`, the weeks of the report's
        period); None: the whole year.

    Returns
    -------
    DataFrame
        Nullable integers (``Int64``), index ``area_ids``, columns the week numbers. A week
        without an assessment is ``<NA>``, never 0; two rows for the same week keep the higher level.
    """
    weeks = list(range(1, iso_weeks_in_year(year) + 1))
    if last_week is not None:
        weeks = weeks[: max(0, last_week)]
    part = assessments[(assessments["year"] == year) & assessments["area_id"].isin(area_ids)]
    grid = part.pivot_table(index="area_id", columns="week", values="level", aggfunc="max")
    grid = grid.reindex(index=area_ids, columns=weeks).astype("Int64")
    grid.columns.name = "week"
    return grid


def area_max_levels(grid: pd.DataFrame) -> pd.Series:
    """The highest level of any row each week (NA for a week no row has an assessment of)."""
    return grid.max(axis=0, skipna=True).astype("Int64").rename(TOTAL_LABEL)


def weeks_at_or_above(grid: pd.DataFrame, level: int) -> int:
    """Number of weeks in which at least one row was at ``level`` or higher."""
    return int((grid >= level).fillna(False).any(axis=0).sum())


def event_types_by_week(events: pd.DataFrame | None, registry, area_ids: list[str], year: int) -> dict[tuple[str, int], dict[str, int]]:
    """Critical events of ISO year ``year`` per (row area, ISO week): counts per event type.

    An event belongs to the row whose area it happened in, or below (DESIGN §6).

    Parameters
    ----------
    events
        The ``critical_events`` table (event_date, area_id, type), or None when it is absent.
    registry
        The :class:`~lagesbild_lib.data.areas.AreaRegistry`.
    area_ids
        The grid's rows.
    year
        The ISO year of the grid (an event on 31 December may belong to week 1 of the next year).

    Returns
    -------
    dict
        ``{(area_id, week): {type: count}}``; empty when there are no events.
    """
    if events is None or events.empty:
        return {}
    owner = registry.owner_map(area_ids)
    has_type = "type" in events.columns
    marks: dict[tuple[str, int], dict[str, int]] = {}
    for row in events.itertuples(index=False):
        if row.area_id not in owner or pd.isna(row.event_date):
            continue
        iso = row.event_date.isocalendar()
        if iso.year != year:
            continue
        kind = str(row.type) if has_type else "händelse"
        cell = marks.setdefault((owner[row.area_id], int(iso.week)), {})
        cell[kind] = cell.get(kind, 0) + 1
    return marks


def event_weeks(events: pd.DataFrame | None, registry, area_ids: list[str], year: int) -> set[tuple[str, int]]:
    """(area, ISO week) pairs of ``year`` in which a critical event happened in the area (or below it)."""
    return set(event_types_by_week(events, registry, area_ids, year))


def weekly_summary(grid: pd.DataFrame) -> pd.DataFrame:
    """Per row: mean level, weeks at level ≥ 3 and ≥ 4, weeks with an assessment (missing weeks left out)."""
    return pd.DataFrame(
        {
            "mean": grid.astype("float64").mean(axis=1).round(2),
            "weeks_3plus": (grid >= 3).fillna(False).sum(axis=1).astype(int),
            "weeks_4plus": (grid >= 4).fillna(False).sum(axis=1).astype(int),
            "weeks_reported": grid.notna().sum(axis=1).astype(int),
        }
    )


# --------------------------------------------------------------------------- HTML


def _event_phrase(types: Mapping[str, int] | None) -> str:
    """``"kritisk händelse: 1 skjutning"`` for a cell's events ("kritiska händelser" for several)."""
    if not types:
        return "kritisk händelse"
    head = "kritisk händelse" if sum(types.values()) == 1 else "kritiska händelser"
    return f"{head}: {count_sentence(types)}"


def _cell(area: str, week: int, level, marks: Mapping[tuple[str, int], Mapping[str, int]] | set) -> str:
    event = (area, week) in marks
    types = marks.get((area, week)) if isinstance(marks, Mapping) else None
    if pd.isna(level):
        cls = "lb-level lb-level-none" + (" lb-event" if event else "")
        title = f"Vecka {week}: ingen bedömning" + (f"; {_event_phrase(types)}" if event else "")
        shown = EVENT_MARK if event else ""
        hidden = "ingen bedömning" + (f", {_event_phrase(types)}" if event else "")
        return f'<td class="{cls}" title="{html.escape(title)}">{shown}<span class="lb-sr">{html.escape(hidden)}</span></td>'
    n = int(level)
    cls = f"lb-level lb-level-{n}" + (" lb-event" if event else "")
    title = f"Vecka {week}: {n} {LEVELS[n][0]}" + (f"; {_event_phrase(types)}" if event else "")
    hidden = f", {_event_phrase(types)}" if event else ""
    label = f"{n}{EVENT_MARK}" if event else f"{n}"
    sr = f'<span class="lb-sr">{html.escape(hidden)}</span>' if hidden else ""
    return f'<td class="{cls}" title="{html.escape(title)}">{label}{sr}</td>'


def _month_spans(year: int, weeks: list[int]) -> list[tuple[int, int]]:
    """(month, number of weeks) in week order, each ISO week counted in its Thursday's month."""
    spans: list[tuple[int, int]] = []
    for week in weeks:
        month = week_month(year, week)
        if spans and spans[-1][0] == month:
            spans[-1] = (month, spans[-1][1] + 1)
        else:
            spans.append((month, 1))
    return spans


def _summary_cells(mean, weeks_3plus: int, weeks_4plus: int) -> str:
    return (
        f'<td class="num">{fmt_num(mean, 1)}</td><td class="num">{fmt_int(weeks_3plus)}</td>'
        f'<td class="num">{fmt_int(weeks_4plus)}</td>'
    )


def weekly_grid_html(
    grid: pd.DataFrame,
    names: Mapping[str, str],
    marks: Mapping[tuple[str, int], Mapping[str, int]] | set[tuple[str, int]],
    *,
    year: int | None = None,
    total_row: bool = True,
) -> str:
    """The grid as an accessible HTML table with its legend.

    Each cell holds the level as a number (1–5) and a colour; weeks with a critical event show
    ``✱`` and a red ring, with the event types in text for screen readers and in the tooltip.
    Weeks without an assessment are empty cells ("ingen bedömning" for screen readers). Column
    headers are the ISO week numbers under a row of month names; each row ends with its mean
    level and its weeks at level 3 or higher and at level 4 or higher.

    Parameters
    ----------
    grid
        From :func:`weekly_grid`.
    names
        Display name per row area id.
    marks
        From :func:`event_types_by_week` (or a set of (area, week) pairs from :func:`event_weeks`).
    year
        The ISO year, for the month row; inferred from the number of weeks when omitted (the
        month row is then left out).
    total_row
        Add a footer row with the highest level of any row each week (when there are two rows or more).

    Returns
    -------
    str
        A ``<div>`` holding the table and a legend paragraph.
    """
    weeks = [int(w) for w in grid.columns]
    summary = weekly_summary(grid)
    colgroups = ['<colgroup><col class="lb-weekly-name"></colgroup>']
    month_row = ""
    if year is not None:
        spans = _month_spans(year, weeks)
        colgroups += [f'<colgroup span="{n}"></colgroup>' for _, n in spans]
        month_row = (
            '<tr class="lb-months"><td></td>'
            + "".join(f'<th scope="colgroup" colspan="{n}">{MONTHS_SHORT[m - 1]}</th>' for m, n in spans)
            + '<td colspan="3"></td></tr>'
        )
    else:
        colgroups.append(f'<colgroup span="{len(weeks)}"></colgroup>')
    colgroups.append('<colgroup class="lb-weekly-summary">' + '<col class="lb-weekly-sum">' * 3 + "</colgroup>")
    head = '<th scope="col">Område</th>' + "".join(
        f'<th scope="col" class="lb-wk"><span class="lb-sr">Vecka </span>{w}</th>' for w in weeks
    )
    head += (
        '<th scope="col" class="num"><abbr title="Genomsnittlig nivå under veckor med bedömning">Medel</abbr></th>'
        '<th scope="col" class="num"><abbr title="Antal veckor med nivå 3 eller högre">≥3</abbr></th>'
        '<th scope="col" class="num"><abbr title="Antal veckor med nivå 4 eller högre">≥4</abbr></th>'
    )
    body = []
    for area, row in grid.iterrows():
        cells = [f'<th scope="row">{html.escape(names.get(area, area))}</th>']
        cells += [_cell(area, int(week), level, marks) for week, level in row.items()]
        s = summary.loc[area]
        cells.append(_summary_cells(s["mean"], int(s["weeks_3plus"]), int(s["weeks_4plus"])))
        body.append("<tr>" + "".join(cells) + "</tr>")
    foot = ""
    if total_row and len(grid) > 1:
        top = area_max_levels(grid)
        any_event = {("__all__", w) for (_, w) in marks}
        cells = [f'<th scope="row">{TOTAL_LABEL}</th>']
        cells += [_cell("__all__", int(w), lvl, any_event) for w, lvl in top.items()]
        mean = top.astype("float64").mean()
        cells.append(_summary_cells(round(mean, 2) if pd.notna(mean) else None, weeks_at_or_above(grid, 3), weeks_at_or_above(grid, 4)))
        foot = '<tfoot><tr class="lb-total">' + "".join(cells) + "</tr></tfoot>"
    table = (
        '<table class="lb-table lb-weekly">'
        + "".join(colgroups)
        + "<thead>"
        + month_row
        + "<tr>"
        + head
        + "</tr></thead><tbody>"
        + "".join(body)
        + "</tbody>"
        + foot
        + "</table>"
    )
    return f'<div class="lb-scroll lb-weekly-wrap">{table}</div>{weekly_legend_html()}'


def weekly_legend_html() -> str:
    """The legend printed under the grid: level colours, the event mark and empty weeks."""
    chips = " ".join(
        f'<span class="lb-chip lb-level lb-level-{n}">{n}</span> {html.escape(name.split()[0].lower())}' for n, (name, _) in LEVELS.items()
    )
    return (
        '<p class="lb-note lb-weekly-legend">'
        f"Nivå: {chips}. "
        f'<span class="lb-chip lb-level lb-level-3 lb-event">3{EVENT_MARK}</span> '
        f"{EVENT_MARK} och röd ram: vecka med minst en kritisk händelse (t.ex. skjutning eller sprängning) i delområdet. "
        '<span class="lb-chip lb-level lb-level-none" aria-hidden="true">&nbsp;</span> '
        "Tom ruta: ingen bedömning den veckan. "
        "Medel: genomsnittlig nivå under veckor med bedömning; ≥3 och ≥4: antal veckor med nivå 3 respektive 4 eller högre."
        "</p>"
    )


def weekly_data(grid: pd.DataFrame, names: Mapping[str, str], marks: Mapping | set | None = None, *, total_row: bool = True) -> pd.DataFrame:
    """The grid with area names, row summary and event weeks, as plain numbers (for tabeller.xlsx).

    Returns
    -------
    DataFrame
        Columns Område, v1 … v52/v53 (level or empty), Medelnivå, Veckor nivå ≥3, Veckor nivå ≥4,
        Veckor med bedömning, Veckor med kritisk händelse; a last row for the whole area's highest
        level when ``total_row`` and there are several rows.
    """
    marks = marks or {}
    summary = weekly_summary(grid)
    out = grid.copy()
    out.columns = [f"v{w}" for w in grid.columns]
    out.insert(0, "Område", [names.get(a, a) for a in grid.index])
    out["Medelnivå"] = summary["mean"]
    out["Veckor nivå ≥3"] = summary["weeks_3plus"]
    out["Veckor nivå ≥4"] = summary["weeks_4plus"]
    out["Veckor med bedömning"] = summary["weeks_reported"]
    out["Veckor med kritisk händelse"] = [sum(1 for (a, _) in marks if a == area) for area in grid.index]
    if total_row and len(grid) > 1:
        top = area_max_levels(grid)
        mean = top.astype("float64").mean()
        total = {"Område": TOTAL_LABEL, **{f"v{w}": top[w] for w in grid.columns}}
        total.update(
            {
                "Medelnivå": round(float(mean), 2) if pd.notna(mean) else None,
                "Veckor nivå ≥3": weeks_at_or_above(grid, 3),
                "Veckor nivå ≥4": weeks_at_or_above(grid, 4),
                "Veckor med bedömning": int(top.notna().sum()),
                "Veckor med kritisk händelse": len({w for (_, w) in marks}),
            }
        )
        out = pd.concat([out, pd.DataFrame([total], index=["__all__"])])
    return out.reset_index(drop=True)


def last_assessed_week(grid: pd.DataFrame) -> int:
    """The last week of the grid that any row has an assessment for (0 when none has)."""
    assessed = grid.notna().any(axis=0)
    return max((int(w) for w, found in assessed.items() if found), default=0)


def weekly_sentence(
    grid: pd.DataFrame, names: Mapping[str, str], marks: Mapping | set, area_name: str, year: int, period_end: dt.date | None = None
) -> str:
    """Swedish sentences summing up the grid (weeks at ≥ 4, worst sub-area, weeks with events),
    each naming its span: the grid's weeks up to the last one assessed, and, when the grid goes on
    after the report's period (``period_end``), the period's weeks (:func:`period_last_week`) too.

    Returns
    -------
    str
        E.g. "Under 2023 (vecka 1–52) bedömdes läget i Hässelby-Vällingby som allvarligt eller
        kritiskt (nivå 4 eller 5) i något delområde under 12 av 52 veckor med bedömning. Flest
        sådana veckor hade Vällingby (8). … Under vecka 1–44, till och med veckan då perioden
        1 jan–31 okt slutar, var läget allvarligt eller kritiskt i något delområde under 9 av 44
        veckor med bedömning."
    """
    reported = int(grid.notna().any(axis=0).sum())
    if reported == 0:
        return ""
    last = last_assessed_week(grid)
    span = weeks_words(last)
    high = weeks_at_or_above(grid, 4)
    where = "i något delområde " if len(grid) > 1 else ""
    text = (
        f"Under {year} ({span}) bedömdes läget i {area_name} som allvarligt eller kritiskt (nivå 4 eller 5) "
        f"{where}under {number_word(high)} av {plural(reported, 'vecka', words=True)} med bedömning."
    )
    if high == 0:
        text = (
            f"Under {year} ({span}) bedömdes läget i {area_name} aldrig som allvarligt eller kritiskt (nivå 4 eller 5) "
            f"under de {number_word(reported)} veckorna med bedömning."
        )
    summary = weekly_summary(grid)
    if len(grid) > 1 and summary["weeks_4plus"].max() > 0:
        best = summary["weeks_4plus"].max()
        worst = [names.get(a, a) for a in summary.index[summary["weeks_4plus"] == best]]
        text += f" Flest sådana veckor hade {join_sv(worst)} ({fmt_int(best)})."
    n_event_weeks = len({w for (_, w) in marks if w <= last})
    if n_event_weeks:
        text += f" {capitalise(plural(n_event_weeks, 'vecka', words=True))} hade minst en kritisk händelse, markerad med {EVENT_MARK}."
    in_period = period_last_week(year, period_end) if period_end is not None else last
    part = grid[[w for w in grid.columns if int(w) <= in_period]]
    period_reported = int(part.notna().any(axis=0).sum())
    if high and 0 < in_period < last and period_reported:
        text += (
            f" Under {weeks_words(in_period)}, till och med veckan då perioden 1 jan–{period_end.day} "
            f"{MONTHS_SHORT[period_end.month - 1]} slutar, var läget allvarligt eller kritiskt {where}under "
            f"{number_word(weeks_at_or_above(part, 4))} av {plural(period_reported, 'vecka', words=True)} med bedömning."
        )
    return text
