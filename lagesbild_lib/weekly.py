"""The joint weekly assessment (lägesbedömning): level legend and the year's grid of weeks × sub-areas."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd

#: The five levels: (name, description), DESIGN §2.
LEVELS = {
    1: ("Normalt läge", "Inga eller enstaka lindriga händelser"),
    2: ("Avvikande läge", "Flera lindriga eller enstaka oroande händelser"),
    3: ("Oroande läge", "Flera oroande eller enstaka allvarliga händelser"),
    4: ("Allvarligt läge", "Flera allvarliga händelser"),
    5: ("Kritiskt läge", "T.ex. skjutningar och sprängningar"),
}


def iso_weeks_in_year(year: int) -> int:
    """52 or 53: the number of ISO weeks in an ISO year."""
    return dt.date(year, 12, 28).isocalendar().week


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
    return pd.DataFrame([(n, name, text) for n, (name, text) in LEVELS.items()], columns=["Nivå", "Läge", "Beskrivning"])


def weekly_grid(assessments: pd.DataFrame, area_ids: list[str], year: int) -> pd.DataFrame:
    """Levels of ``year`` as a grid: one row per area, one column per ISO week (missing weeks NA).

    Parameters
    ----------
    assessments
        The ``weekly_assessments`` table.
    area_ids
        The rows, in order.
    year
        The ISO year.
    """
    weeks = list(range(1, iso_weeks_in_year(year) + 1))
    part = assessments[(assessments["year"] == year) & assessments["area_id"].isin(area_ids)]
    grid = part.pivot_table(index="area_id", columns="week", values="level", aggfunc="max")
    grid = grid.reindex(index=area_ids, columns=weeks).astype("Int64")
    grid.columns.name = "week"
    return grid


def event_weeks(events: pd.DataFrame | None, registry, area_ids: list[str], year: int) -> set[tuple[str, int]]:
    """(area, ISO week) pairs of ``year`` in which a critical event happened in the area (or below it)."""
    if events is None or events.empty:
        return set()
    owner = {}
    for area in area_ids:
        for below in registry.descendants(area):
            owner[below] = area
    marks = set()
    for row in events.itertuples(index=False):
        iso = row.event_date.isocalendar()
        if iso.year == year and row.area_id in owner:
            marks.add((owner[row.area_id], int(iso.week)))
    return marks


def weekly_summary(grid: pd.DataFrame) -> pd.DataFrame:
    """Per row: mean level, weeks at level ≥ 3 and ≥ 4 (missing weeks left out)."""
    return pd.DataFrame(
        {
            "mean": grid.astype("float64").mean(axis=1).round(2),
            "weeks_3plus": (grid >= 3).sum(axis=1).astype(int),
            "weeks_4plus": (grid >= 4).sum(axis=1).astype(int),
            "weeks_reported": grid.notna().sum(axis=1).astype(int),
        }
    )


def weekly_grid_html(grid: pd.DataFrame, names: dict[str, str], marks: set[tuple[str, int]]) -> str:
    """The grid as an accessible HTML table: level colour and number in each cell, events marked ✱."""
    from .fmt import fmt_num

    summary = weekly_summary(grid)
    head = '<th scope="col">Område</th>' + "".join(f'<th scope="col" class="num">{w}</th>' for w in grid.columns)
    head += '<th scope="col" class="num">Medel</th><th scope="col" class="num">v. ≥3</th><th scope="col" class="num">v. ≥4</th>'
    body = []
    for area, row in grid.iterrows():
        cells = [f'<th scope="row">{html.escape(names.get(area, area))}</th>']
        for week, level in row.items():
            if pd.isna(level):
                cells.append('<td class="lb-level lb-level-none" title="Ingen bedömning">–</td>')
                continue
            event = (area, int(week)) in marks
            cls = f"lb-level lb-level-{int(level)}" + (" lb-event" if event else "")
            label = f"{int(level)}✱" if event else f"{int(level)}"
            title = f"Vecka {week}: {LEVELS[int(level)][0]}" + (", kritisk händelse" if event else "")
            cells.append(f'<td class="{cls}" title="{title}">{label}</td>')
        s = summary.loc[area]
        cells.append(f'<td class="num">{fmt_num(s["mean"], 1)}</td><td class="num">{int(s["weeks_3plus"])}</td><td class="num">{int(s["weeks_4plus"])}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        '<div class="lb-scroll"><table class="lb-table lb-weekly"><thead><tr>'
        + head
        + "</tr></thead><tbody>"
        + "".join(body)
        + "</tbody></table></div>"
        + '<p class="lb-note">Siffran i varje ruta är veckans nivå (1–5). ✱ och röd ram: vecka med kritisk händelse i området. – : ingen bedömning.</p>'
    )


def weekly_data(grid: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The grid with area names, for Excel."""
    out = grid.copy()
    out.insert(0, "Område", [names.get(a, a) for a in grid.index])
    out.columns = ["Område"] + [f"v{w}" for w in grid.columns]
    return out.reset_index(drop=True)
