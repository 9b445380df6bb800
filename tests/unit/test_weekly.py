"""The weekly assessment grid (lagesbild_lib.analysis.weekly): building, event marking and the HTML table."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from lagesbild_lib.analysis.weekly import (
    EVENT_MARK,
    LEVELS,
    area_max_levels,
    event_types_by_week,
    event_weeks,
    iso_weeks_in_year,
    level_legend_data,
    level_legend_html,
    week_month,
    weekly_data,
    weekly_grid,
    weekly_grid_html,
    weekly_sentence,
    weekly_summary,
    weeks_at_or_above,
)


def assessments(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["year", "week", "area_id", "level"])


def events(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["event_date", "area_id", "type"])
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    return frame


NAMES = {"norr-a": "Norr A", "norr-b": "Norr B"}


# --------------------------------------------------------------------------- ISO weeks


@pytest.mark.parametrize("year, weeks", [(2015, 53), (2019, 52), (2020, 53), (2021, 52), (2023, 52), (2026, 53)])
def test_iso_weeks_in_year(year, weeks):
    assert iso_weeks_in_year(year) == weeks


def test_a_week_belongs_to_the_month_of_its_thursday():
    assert week_month(2020, 1) == 1  # 30 Dec 2019 – 5 Jan 2020, Thursday 2 Jan
    assert week_month(2020, 53) == 12  # Thursday 31 Dec 2020
    assert week_month(2023, 5) == 2  # Thursday 2 Feb 2023


# --------------------------------------------------------------------------- grid


def test_missing_weeks_are_empty_never_zero():
    grid = weekly_grid(assessments([(2023, 1, "norr-a", 2), (2023, 3, "norr-a", 4)]), ["norr-a", "norr-b"], 2023)
    assert grid.shape == (2, 52)
    assert str(grid.dtypes.iloc[0]) == "Int64"
    assert pd.isna(grid.loc["norr-a", 2]) and grid.loc["norr-b"].isna().all()
    assert not (grid == 0).fillna(False).any().any()
    summary = weekly_summary(grid)
    assert summary.loc["norr-a", "mean"] == 3.0  # (2 + 4) / 2: empty weeks are not counted as 0
    assert summary.loc["norr-a", "weeks_reported"] == 2
    assert summary.loc["norr-b"].tolist()[1:] == [0, 0, 0] and pd.isna(summary.loc["norr-b", "mean"])


def test_week_53_only_in_long_iso_years():
    rows = [(2020, 53, "norr-a", 5), (2020, 1, "norr-a", 1), (2021, 52, "norr-a", 3)]
    grid = weekly_grid(assessments(rows), ["norr-a"], 2020)
    assert list(grid.columns) == list(range(1, 54))
    assert grid.loc["norr-a", 53] == 5
    assert list(weekly_grid(assessments(rows), ["norr-a"], 2021).columns) == list(range(1, 53))


def test_rows_keep_the_given_order_and_duplicates_keep_the_highest_level():
    rows = [(2023, 7, "norr-b", 2), (2023, 7, "norr-b", 4), (2023, 7, "norr-a", 1), (2022, 7, "norr-a", 5)]
    grid = weekly_grid(assessments(rows), ["norr-b", "norr-a"], 2023)
    assert list(grid.index) == ["norr-b", "norr-a"]
    assert grid.loc["norr-b", 7] == 4 and grid.loc["norr-a", 7] == 1  # 2022 ignored


def test_area_maximum_and_weeks_at_or_above():
    rows = [(2023, 1, "norr-a", 2), (2023, 1, "norr-b", 4), (2023, 2, "norr-a", 5), (2023, 3, "norr-b", 3)]
    grid = weekly_grid(assessments(rows), ["norr-a", "norr-b"], 2023)
    top = area_max_levels(grid)
    assert top[1] == 4 and top[2] == 5 and top[3] == 3 and pd.isna(top[4])
    assert weeks_at_or_above(grid, 4) == 2 and weeks_at_or_above(grid, 3) == 3 and weeks_at_or_above(grid, 5) == 1


# --------------------------------------------------------------------------- critical events


def test_events_are_marked_in_the_row_of_the_area_they_happened_in_or_below(registry):
    frame = events(
        [
            ("2023-01-04", "norr-a", "skjutning"),
            ("2023-01-05", "norr-a", "sprängning"),
            ("2023-01-06", "norr-a", "sprängning"),
            ("2023-03-01", "norr-b1", "brandattentat"),  # below norr-b
            ("2023-06-01", "soder", "skjutning"),  # another area
            ("2022-01-05", "norr-a", "skjutning"),  # another year
        ]
    )
    marks = event_types_by_week(frame, registry, ["norr-a", "norr-b"], 2023)
    assert marks == {("norr-a", 1): {"skjutning": 1, "sprängning": 2}, ("norr-b", 9): {"brandattentat": 1}}
    assert event_weeks(frame, registry, ["norr-a", "norr-b"], 2023) == {("norr-a", 1), ("norr-b", 9)}


def test_events_follow_the_iso_year_not_the_calendar_year(registry):
    frame = events([("2021-01-01", "norr-a", "skjutning"), ("2019-12-30", "norr-a", "sprängning")])
    # 1 Jan 2021 is in ISO week 53 of 2020; 30 Dec 2019 is in ISO week 1 of 2020.
    assert event_types_by_week(frame, registry, ["norr-a"], 2020) == {("norr-a", 53): {"skjutning": 1}, ("norr-a", 1): {"sprängning": 1}}
    assert event_types_by_week(frame, registry, ["norr-a"], 2021) == {}


def test_no_events_table_means_no_marks(registry):
    assert event_types_by_week(None, registry, ["norr-a"], 2023) == {}
    assert event_weeks(events([]), registry, ["norr-a"], 2023) == set()


# --------------------------------------------------------------------------- HTML


def grid_soup(registry, year=2023, rows=None, event_rows=None):
    rows = rows or [(year, 1, "norr-a", 4), (year, 2, "norr-a", 2), (year, 3, "norr-b", 5), (year, 1, "norr-b", 1)]
    grid = weekly_grid(assessments(rows), ["norr-a", "norr-b"], year)
    marks = event_types_by_week(events(event_rows or [(f"{year}-01-04", "norr-a", "skjutning")]), registry, ["norr-a", "norr-b"], year)
    markup = weekly_grid_html(grid, NAMES, marks, year=year)
    return BeautifulSoup(markup, "html.parser"), markup


def test_weekly_table_is_a_real_table_with_a_row_per_area_and_a_cell_per_week(registry):
    soup, _ = grid_soup(registry)
    table = soup.find("table")
    body_rows = table.find("tbody").find_all("tr")
    assert [r.find("th", scope="row").get_text() for r in body_rows] == ["Norr A", "Norr B"]
    for row in body_rows:
        assert len(row.find_all("td", class_="lb-level")) == 52
        assert len(row.find_all("td", class_="num")) == 3
    header = table.find("thead").find_all("tr")[-1]
    weeks = [th.get_text() for th in header.find_all("th")[1:53]]
    assert weeks == [f"Vecka {w}" for w in range(1, 53)]  # week number with screen-reader text
    assert all(th.get("scope") == "col" for th in header.find_all("th"))
    months = [th.get_text() for th in table.find("tr", class_="lb-months").find_all("th")]
    assert months == ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def visible(cell) -> str:
    """Text of a cell as seen on screen (screen-reader-only spans removed)."""
    cell = BeautifulSoup(str(cell), "html.parser")
    for span in cell.find_all(class_="lb-sr"):
        span.decompose()
    return cell.get_text()


def test_level_number_and_colour_in_each_cell_and_missing_weeks_empty(registry):
    soup, _ = grid_soup(registry)
    row_a, row_b = soup.find("tbody").find_all("tr")
    cells_a = row_a.find_all("td", class_="lb-level")
    assert visible(cells_a[1]) == "2" and "lb-level-2" in cells_a[1]["class"]
    assert "Avvikande läge" in cells_a[1]["title"]
    empty = cells_a[2]
    assert "lb-level-none" in empty["class"] and visible(empty) == ""  # not "0"
    assert empty.find(class_="lb-sr").get_text() == "ingen bedömning"
    cells_b = row_b.find_all("td", class_="lb-level")
    assert visible(cells_b[2]) == "5" and "lb-level-5" in cells_b[2]["class"]
    assert not any(visible(c) == "0" for c in cells_a + cells_b)


def test_critical_event_cells_are_marked_with_symbol_ring_and_text(registry):
    soup, markup = grid_soup(registry, event_rows=[("2023-01-04", "norr-a", "skjutning"), ("2023-01-05", "norr-a", "sprängning")])
    cell = soup.find("tbody").find_all("tr")[0].find_all("td", class_="lb-level")[0]
    assert "lb-event" in cell["class"] and "lb-level-4" in cell["class"]
    assert visible(cell) == f"4{EVENT_MARK}"
    assert cell.find(class_="lb-sr").get_text() == ", kritiska händelser: 1 skjutning och 1 sprängning"
    # the only event cells are week 1 of Norr A and week 1 of the footer row
    marked = [c for c in soup.find_all("td") if "lb-event" in c.get("class", [])]
    assert len(marked) == 2
    legend = soup.find("p", class_="lb-weekly-legend").get_text()
    assert f"{EVENT_MARK} och röd ram: vecka med minst en kritisk händelse" in legend
    assert "Tom ruta: ingen bedömning" in legend


def test_row_summary_and_area_footer(registry):
    soup, _ = grid_soup(registry)
    row_a = soup.find("tbody").find_all("tr")[0]
    assert [td.get_text() for td in row_a.find_all("td", class_="num")] == ["3,0", "1", "1"]
    foot = soup.find("tfoot").find("tr")
    assert foot.find("th").get_text() == "Högsta nivå i området"
    top = foot.find_all("td", class_="lb-level")
    assert [visible(c) for c in top[:4]] == [f"4{EVENT_MARK}", "2", "5", ""]
    assert [td.get_text() for td in foot.find_all("td", class_="num")] == ["3,7", "2", "2"]


def test_week_53_column_in_html(registry):
    soup, _ = grid_soup(registry, year=2020, rows=[(2020, 53, "norr-a", 3)], event_rows=[("2021-01-01", "norr-a", "skjutning")])
    row_a = soup.find("tbody").find_all("tr")[0]
    cells = row_a.find_all("td", class_="lb-level")
    assert len(cells) == 53 and visible(cells[52]) == f"3{EVENT_MARK}"
    assert soup.find("thead").find_all("tr")[-1].find_all("th")[53].get_text() == "Vecka 53"


def test_single_row_grid_has_no_footer(registry):
    grid = weekly_grid(assessments([(2023, 1, "norr-a", 2)]), ["norr-a"], 2023)
    soup = BeautifulSoup(weekly_grid_html(grid, NAMES, {}, year=2023), "html.parser")
    assert soup.find("tfoot") is None and len(soup.find("tbody").find_all("tr")) == 1


def test_weekly_data_for_excel_keeps_missing_weeks_empty(registry):
    rows = [(2020, 1, "norr-a", 4), (2020, 53, "norr-b", 2)]
    grid = weekly_grid(assessments(rows), ["norr-a", "norr-b"], 2020)
    data = weekly_data(grid, NAMES, {("norr-a", 1): {"skjutning": 1}})
    assert list(data.columns[:2]) == ["Område", "v1"] and "v53" in data.columns
    assert data["Område"].tolist() == ["Norr A", "Norr B", "Högsta nivå i området"]
    assert pd.isna(data.loc[0, "v2"]) and data.loc[1, "v53"] == 2 and data.loc[2, "v1"] == 4
    assert data["Veckor med kritisk händelse"].tolist() == [1, 0, 1]
    assert data["Veckor nivå ≥4"].tolist() == [1, 0, 1]


def test_level_legend_has_the_five_levels_with_colours():
    soup = BeautifulSoup(level_legend_html(), "html.parser")
    rows = soup.find("tbody").find_all("tr")
    assert [r.find("th").get_text() for r in rows] == [name for name, _ in LEVELS.values()]
    assert [r.find("td")["class"] for r in rows] == [["lb-level", f"lb-level-{n}"] for n in range(1, 6)]
    assert rows[4].find_all("td")[1].get_text() == "T.ex. skjutningar och sprängningar"
    assert level_legend_data()["Läge"].tolist()[0] == "Normalt läge"


def test_weekly_sentence():
    rows = [(2023, 1, "norr-a", 4), (2023, 2, "norr-a", 5), (2023, 1, "norr-b", 4), (2023, 3, "norr-b", 1)]
    grid = weekly_grid(assessments(rows), ["norr-a", "norr-b"], 2023)
    text = weekly_sentence(grid, NAMES, {("norr-a", 2): {"skjutning": 1}}, "Norr", 2023)
    assert text == (
        "Under 2023 (vecka 1–3) bedömdes läget i Norr som allvarligt eller kritiskt (nivå 4 eller 5) i något delområde "
        "under två av tre veckor med bedömning. Flest sådana veckor hade Norr A (2). "
        f"En vecka hade minst en kritisk händelse, markerad med {EVENT_MARK}."
    )
    # a grid that goes on after the period also gives the period's weeks, in words
    text = weekly_sentence(grid, NAMES, {}, "Norr", 2023, dt.date(2023, 1, 8))  # a Sunday: the end of week 1
    assert text.endswith(
        "Under vecka 1, till och med veckan då perioden 1 jan–8 jan slutar, var läget allvarligt eller kritiskt "
        "i något delområde under en av en vecka med bedömning."
    )
    assert "Under vecka 1" not in weekly_sentence(grid, NAMES, {}, "Norr", 2023, dt.date(2023, 10, 31))
    calm = weekly_grid(assessments([(2023, 1, "norr-a", 1)]), ["norr-a"], 2023)
    assert "aldrig som allvarligt" in weekly_sentence(calm, NAMES, {}, "Norr A", 2023)
    assert weekly_sentence(weekly_grid(assessments([]), ["norr-a"], 2023), NAMES, {}, "Norr A", 2023) == ""


def test_summary_counts_every_reported_week():
    grid = weekly_grid(assessments([(2023, w, "norr-a", 3) for w in range(1, 53)]), ["norr-a"], 2023)
    soup = BeautifulSoup(weekly_grid_html(grid, NAMES, {}, year=2023), "html.parser")
    assert [td.get_text() for td in soup.find_all("td", class_="num")] == ["3,0", "52", "0"]


def test_iso_calendar_matches_datetime():
    for year in (2019, 2020, 2021):
        assert iso_weeks_in_year(year) == max(dt.date(year, 12, d).isocalendar().week for d in range(22, 29))
