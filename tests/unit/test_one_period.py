"""One period (DESIGN §8): every count compared between years covers 1 jan–``period_end`` of each
year (weekly assessments: ISO week 1 to the week the period ends in), and a piece that covers
another span names it in its caption and sentence.

The main test builds the chapter pieces twice from the demo data with ``period_end: "06-30"``:
once as they are and once with many crimes, critical events and level-5 weeks added after the
period end of 2022 and 2023. Every compared number must be the same both times; only the pieces
that say they cover the whole year (the weekly grid and its first sentence) may differ.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
import pytest

from lagesbild_lib.analysis.crime import dated_in_period, period_cut_short, period_words, period_year_counts
from lagesbild_lib.analysis.weekly import last_assessed_week, period_last_week, weekly_grid, weeks_words
from lagesbild_lib.context import chapter_context
from lagesbild_lib.present.pieces import Chart, Table, Text
from lagesbild_lib.sections import brottslighet, forandringar, prioriterade, sammanfattning
from lagesbild_lib.sections.facts import event_counts, week_facts

AREA = "hasselby-vallingby"
SUB_AREA = "hasselby-gard"
PERIOD_END = "06-30"  # 30 Jun 2023 is in ISO week 26, as 30 Jun 2022
WEEKS = 26
INTIMATE = ["misshandel_kvinna_nara", "grov_kvinnofridskrankning"]


# ------------------------------------------------------------------------------ span helpers
def test_period_words_name_the_span_without_a_year():
    assert period_words(dt.date(2023, 10, 31)) == "1 jan–31 okt"
    assert period_words(dt.date(2024, 2, 29)) == "1 jan–29 feb"


def test_rows_dated_in_the_period_of_a_year():
    frame = pd.DataFrame({"event_date": pd.to_datetime(["2022-12-31", "2023-01-01", "2023-10-31", "2023-11-01", "2024-03-01"])})
    kept = dated_in_period(frame, "event_date", 2023, dt.date(2023, 10, 31))
    assert [d.isoformat() for d in kept["event_date"].dt.date] == ["2023-01-01", "2023-10-31"]
    # 29 February is 28 February in a common year
    leap = pd.DataFrame({"event_date": pd.to_datetime(["2023-02-28", "2023-03-01"])})
    assert len(dated_in_period(leap, "event_date", 2023, dt.date(2024, 2, 29))) == 1


def test_period_year_counts_cut_every_year_at_the_period_end():
    crimes = pd.DataFrame(
        {
            "reported_date": pd.to_datetime(["2021-03-01", "2021-12-01", "2022-06-30", "2022-07-01", "2023-01-15", "2023-01-16"]),
            "category": ["a", "a", "a", "a", "a", "b"],
        }
    )
    series = period_year_counts(crimes, ["a"], dt.date(2023, 6, 30), [2020, 2021, 2022, 2023])
    assert series.to_dict() == {2020: 0, 2021: 1, 2022: 1, 2023: 1}
    assert series.name == "Antal" and series.index.name == "År"


def test_a_period_cut_short_by_the_end_of_the_data():
    crimes = pd.DataFrame({"reported_date": pd.to_datetime(["2023-01-05", "2023-09-15"])})
    assert period_cut_short(crimes, 2023, dt.date(2023, 10, 31)).date().isoformat() == "2023-09-15"
    assert period_cut_short(crimes, 2023, dt.date(2023, 9, 15)) is None, "data up to the period end cover it"
    assert period_cut_short(crimes, 2022, dt.date(2022, 10, 31)) is None, "the data go on after that year"
    assert period_cut_short(None, 2023, dt.date(2023, 10, 31)) is None


@pytest.mark.parametrize(
    "year, end, week",
    [
        (2023, dt.date(2023, 10, 31), 44),  # a Tuesday
        (2021, dt.date(2021, 10, 31), 43),  # a Sunday: the last day of week 43
        (2023, dt.date(2023, 6, 30), 26),
        (2024, dt.date(2024, 12, 31), 52),  # in week 1 of 2025: every week of 2024
        (2020, dt.date(2020, 12, 31), 53),  # a long ISO year
        (2021, dt.date(2021, 1, 1), 0),  # still week 53 of 2020: no week of 2021
        (2023, dt.date(2024, 2, 29), 9),  # 29 Feb is 28 Feb (a Tuesday of week 9) in 2023
    ],
)
def test_the_last_week_of_a_period(year, end, week):
    assert period_last_week(year, end) == week


def test_weeks_in_words_and_grids_cut_at_a_week():
    assert weeks_words(44) == "vecka 1–44" and weeks_words(1) == "vecka 1" and weeks_words(0) == "ingen vecka"
    weekly = pd.DataFrame({"year": [2023] * 3, "week": [1, 26, 27], "area_id": ["a"] * 3, "level": [2, 4, 5]})
    grid = weekly_grid(weekly, ["a"], 2023, last_week=26)
    assert list(grid.columns) == list(range(1, 27)) and int(grid.max(axis=1).iloc[0]) == 4
    assert last_assessed_week(weekly_grid(weekly, ["a"], 2023)) == 27 and last_assessed_week(grid) == 26
    assert weekly_grid(weekly, ["a"], 2023, last_week=0).shape == (1, 0)


# ------------------------------------------------------------------------------ the chapters
def _after_the_period(demo_dir, folder):
    """A copy of the demo data with crimes, critical events and level-5 weeks added after 30 June
    of 2022 and 2023 in the report's area."""
    shutil.copytree(demo_dir, folder)
    crimes = pd.read_parquet(folder / "crimes.parquet")
    extra = []
    for year in (2022, 2023):
        for i, category in enumerate(INTIMATE + ["skadegorelse", "misshandel_utomhus", "bostadsinbrott"] * 3):
            for month, day in ((7, 1), (9, 15), (12, 31)):
                extra.append({"crime_id": f"AFTER-{year}-{i}-{month}", "reported_date": dt.date(year, month, day), "category": category,
                              "area_id": SUB_AREA, "lon": 17.84, "lat": 59.366, "outdoor": True, "victim_age": None})
    crimes = pd.concat([crimes, pd.DataFrame(extra).astype({"victim_age": "float64"})], ignore_index=True)
    crimes.to_parquet(folder / "crimes.parquet", index=False)
    events = pd.read_csv(folder / "critical_events.csv")
    more = [
        {"event_date": f"{year}-{md}", "area_id": SUB_AREA, "type": kind, "fatal": "true", "lon": 17.84, "lat": 59.366}
        for year in (2022, 2023) for md in ("07-01", "08-10", "11-30", "12-31") for kind in ("sprängning", "skjutning")
    ]
    pd.concat([events, pd.DataFrame(more)], ignore_index=True).to_csv(folder / "critical_events.csv", index=False)
    weekly = pd.read_csv(folder / "weekly_assessments.csv")
    weekly.loc[weekly["year"].isin([2022, 2023]) & (weekly["week"] > WEEKS), "level"] = 5
    weekly.to_csv(folder / "weekly_assessments.csv", index=False)


@pytest.fixture(scope="module")
def contexts(demo_dir, tmp_path_factory):
    """(the demo data, the same with events after the period), both with period_end 06-30."""
    root = tmp_path_factory.mktemp("one_period")
    params = root / "params.yml"
    params.write_text(f'period_end: "{PERIOD_END}"\n', encoding="utf-8")
    _after_the_period(demo_dir, root / "after")
    return tuple(chapter_context(2023, AREA, str(folder), str(params)) for folder in (demo_dir, root / "after"))


def _shown(piece):
    """What a piece shows the reader, as comparable values."""
    if piece is None:
        return None
    if isinstance(piece, list):
        return [_shown(p) for p in piece]
    if isinstance(piece, Text):
        return piece.markdown
    if isinstance(piece, Table):
        return (piece.caption, piece.note, None if piece.table is None else piece.table.to_dict("split"),
                None if piece.data is None else piece.data.to_dict("split"))
    if isinstance(piece, Chart):
        return piece.caption, piece.alt, piece.note, piece.data.to_dict("split")
    return repr(piece)


COMPARED = {
    "nyckeltal": lambda ctx: sammanfattning.key_figures(ctx).items,
    "sammanfattning": sammanfattning.summary_text,
    "förändringar": forandringar.changes,
    "nyckelfynd": brottslighet.key_findings,
    "compstat": brottslighet.compstat,
    "utveckling": brottslighet.yearly_trend,
    "kategorier": brottslighet.category_trends,
    "trender": brottslighet.trend_table,
    "våld per delområde": brottslighet.hotspot_table,
    "nära relation, diagram": brottslighet.intimate_partner,
    "nära relation, mening": prioriterade.intimate_partner_series,
    "händelser, text": brottslighet.events_text,
    "händelser, tabell": brottslighet.events_table,
    "händelser, tidslinje": brottslighet.events_timeline,
}


@pytest.mark.parametrize("name", list(COMPARED))
def test_nothing_after_the_period_end_is_counted(contexts, name):
    before, after = contexts
    assert _shown(COMPARED[name](after)) == _shown(COMPARED[name](before)), name


def test_the_added_rows_are_counted_where_a_piece_says_it_shows_the_whole_year(contexts):
    before, after = contexts
    grid_before, grid_after = sammanfattning.weekly_table(before), sammanfattning.weekly_table(after)
    assert "(vecka 1–52)" in grid_after.caption
    assert "Nyckeltalen avser vecka 1–26, till och med veckan då perioden 1 jan–30 jun 2023 slutar." in grid_after.note
    assert grid_after.data.to_dict() != grid_before.data.to_dict()
    text_before, text_after = sammanfattning.weekly_text(before).markdown, sammanfattning.weekly_text(after).markdown
    assert text_after.startswith("Under 2023 (vecka 1–52) bedömdes") and text_after != text_before
    # ... while its sentence on the period's weeks is the same in both
    period = "Under vecka 1–26, till och med veckan då perioden 1 jan–30 jun slutar,"
    assert text_after[text_after.index(period):] == text_before[text_before.index(period):]


def test_the_compared_numbers_are_those_of_the_period(contexts):
    ctx = contexts[1]
    data = ctx.data
    mine = data.areas.descendants(AREA)
    events = data.table("critical_events")
    events = events[events["area_id"].isin(mine)]
    truth = {y: int(((events["event_date"] >= f"{y}-01-01") & (events["event_date"] <= f"{y}-06-30")).sum()) for y in (2022, 2023)}
    assert sum(event_counts(ctx)[0].values()) == truth[2023]
    figures = dict(sammanfattning.key_figures(ctx).items)
    assert figures["Kritiska händelser 1 jan–30 jun 2023"] == str(truth[2023])
    weekly = data.table("weekly_assessments")
    rows = [a.area_id for a in ctx.sub_areas]
    part = weekly[(weekly["year"] == 2023) & (weekly["week"] <= WEEKS) & weekly["area_id"].isin(rows)]
    top = part.groupby("week")["level"].max()
    assert figures[f"Veckor med nivå 4 eller 5, vecka 1–{WEEKS}"] == f"{(top >= 4).sum()} av {len(top)}"
    facts = week_facts(ctx, weekly)
    assert (facts.high, facts.reported, facts.last_week) == ((top >= 4).sum(), len(top), WEEKS)
    rows = {r.key: r for r in forandringar.key_changes(ctx).rows}
    assert (rows["kritiska_handelser"].before, rows["kritiska_handelser"].after) == (truth[2022], truth[2023])
    assert rows["kritiska_handelser"].comparison == "1 jan–30 jun, 2022 → 2023"
    assert rows["veckor_niva_4"].comparison == f"vecka 1–{WEEKS}, 2022 → 2023"
    assert all(r.comparison.startswith("1 jan–30 jun, ") for k, r in rows.items() if k.startswith("compstat:"))
    text = brottslighet.events_text(ctx).markdown
    assert text.startswith("Under perioden 1 jan–30 jun 2023 inträffade ")
    assert brottslighet.events_table(ctx).data["Totalt"].sum() == truth[2023]
    assert "Under perioden 1 jan–30 jun 2023 registrerades" in sammanfattning.summary_text(ctx).markdown
    crimes = data.crimes_for(mine, 2019, 2023)
    crimes = crimes[crimes["category"].isin(INTIMATE)]
    chart = brottslighet.intimate_partner(ctx)
    assert "1 jan–30 jun varje år" in chart.caption and "1 jan–30 jun varje år" in chart.alt
    for year, count in chart.data.set_index("År")["Antal"].items():
        dates = crimes["reported_date"]
        assert count == ((dates >= f"{year}-01-01") & (dates <= f"{year}-06-30")).sum(), year
    shown = chart.data.set_index("År")["Antal"]  # the cooperation chapter's sentence: the chart's two last years
    said = prioriterade.intimate_partner_series(ctx).markdown
    assert f": {shown[2023]} under perioden 1 jan–30 jun 2023 mot {shown[2022]} under samma period 2022, " in said
