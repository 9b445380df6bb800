"""Chapter "Mönster i tid och rum": the weekday × hour and month counts, the uniformity test and its
few-case rule, Gi* on a planted cluster and on uniform noise, persistence classes, the
concentration in the busiest cells, the ``occurred_at`` column and the sections' missing notes."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from lagesbild_lib.analysis import hotspots as hs
from lagesbild_lib.analysis.patterns import (
    block_counts, month_counts, month_days, time_profile, uniformity_test, weekday_hour_counts, weekdays_in,
)
from lagesbild_lib.data.schema import TABLES
from lagesbild_lib.data.validate import DataErrors, Located, validate_frame
from lagesbild_lib.present.pieces import Chart, Missing, Table, Text
from lagesbild_lib.sections import monster
from lagesbild_lib.sections.monster import pattern_sentence

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "backtest_compstat"


# ----------------------------------------------------------------------------- counts
def test_weekday_hour_and_month_counts_count_when_the_crime_happened():
    times = pd.Series(pd.to_datetime([
        "2023-05-13T22:30", "2023-05-13T22:59", "2023-05-14T00:10",  # Saturday 22 (two), Sunday 00
        "2023-05-15T09:00", "2023-07-01T13:45", None,  # Monday 09, Saturday 13, unknown
    ]))
    week = weekday_hour_counts(times)
    assert week.shape == (7, 24) and week.to_numpy().sum() == 5
    assert week.loc["Lördag", "22"] == 2 and week.loc["Söndag", "00"] == 1
    assert week.loc["Måndag", "09"] == 1 and week.loc["Lördag", "13"] == 1
    assert list(block_counts(week.sum(axis=0))) == [1, 0, 0, 1, 1, 0, 0, 2]
    months = month_counts(times, [2022, 2023])
    assert months.loc[5, 2023] == 4 and months.loc[7, 2023] == 1 and months[2022].sum() == 0


def test_calendar_weights_of_a_period():
    assert list(weekdays_in(dt.date(2023, 1, 1), dt.date(2023, 1, 8))) == [1, 1, 1, 1, 1, 1, 2]  # 1 and 8 jan are Sundays
    days = month_days([2023, 2024], dt.date(2024, 2, 10))
    assert days[0] == 62 and days[1] == 28 + 10 and days[2] == 31 and days[11] == 31


# ----------------------------------------------------------------------------- uniformity test
def test_an_uneven_week_is_a_pattern_and_an_even_one_is_not():
    uneven = uniformity_test([60, 60, 60, 60, 90, 140, 130])
    assert uneven.significant and not uneven.few_cases and uneven.shows_pattern and uneven.peak == 5
    even = uniformity_test([80, 82, 79, 81, 80, 78, 83])
    assert not even.significant and even.p_value > 0.9 and not even.shows_pattern


def test_the_few_case_rule_stops_a_pattern_however_small_the_p_value():
    few = uniformity_test([0, 0, 0, 0, 0, 0, 30])  # 30 crimes on a Sunday: p tiny, but fewer than 70 in all
    assert few.significant and few.few_cases and not few.shows_pattern and few.min_cases == 70
    sentence = pattern_sentence("weekday", "våldsbrott", few)
    assert "prövas inte" in sentence and "få fall" in sentence and "söndagar" not in sentence
    enough = uniformity_test([10, 10, 10, 10, 10, 10, 70])
    assert enough.shows_pattern and "Flest våldsbrott skedde på söndagar (70 av 130, 54\u00a0%)" in pattern_sentence("weekday", "våldsbrott", enough)


def test_even_follows_the_calendar():
    # counts proportional to the days of each month: no pattern, although July has more than June
    days = month_days([2022])
    test = uniformity_test(days * 3, days)
    assert test.p_value == pytest.approx(1.0) and not test.significant
    with pytest.raises(ValueError):
        uniformity_test([1, 2], [1, 0])  # a cell outside the period cannot hold cases


def test_no_pattern_is_said_without_a_direction_word():
    sentence = pattern_sentence("block", "våldsbrott", uniformity_test([100, 98, 101, 99, 102, 100, 97, 103]))
    assert "ingen statistiskt säkerställd skillnad" in sentence and "Flest" not in sentence


def test_time_profile_counts_the_period_and_the_crimes_without_a_time():
    crimes = pd.DataFrame({
        "reported_date": pd.to_datetime(["2023-03-04", "2023-03-05", "2023-11-20", "2022-06-01", "2023-04-01"]),
        "occurred_at": pd.to_datetime(["2023-03-04T23:00", "2023-03-04T23:30", "2023-11-19T12:00", "2022-06-01T08:00", None]),
    })
    prof = time_profile(crimes, "Våldsbrott", 2023, dt.date(2023, 10, 31), [2022, 2023])
    assert prof.week.to_numpy().sum() == 2  # November is after the period end
    assert prof.unknown_time == 1
    assert prof.months.loc[6, 2022] == 1 and prof.months.loc[11, 2023] == 0
    assert prof.month.expected[10] > 0 and prof.month.counts[10] == 0  # Nov 2022 expects crimes, Nov 2023 not


# ----------------------------------------------------------------------------- Gi*
def _square_grid(side_cells: int = 20) -> hs.Grid:
    return hs.make_grid(box(0, 0, side_cells * hs.CELL_M, side_cells * hs.CELL_M))


def test_gi_star_finds_a_planted_cluster():
    grid = _square_grid()
    rng = np.random.default_rng(7)
    points = rng.uniform(0, 5000, size=(300, 2))
    cluster = rng.normal([2600, 2600], 120, size=(60, 2))
    counts, outside = hs.cell_counts(grid, np.vstack([points, cluster]))
    assert outside == 0 and counts.sum() == 360
    found = hs.gi_star(counts, grid)
    assert found.count >= 4
    centres = grid.centres()[found.hot]
    assert np.all(np.hypot(*(centres - 2600).T) < 800)  # every hot spot is at the cluster
    assert (found.z[found.hot] > 0).all()
    centre = int(np.flatnonzero((grid.ix == 10) & (grid.iy == 10))[0])
    assert found.hot[centre]


@pytest.mark.parametrize("n", [40, 400, 3000])
def test_gi_star_finds_no_hot_spot_in_uniform_noise(n):
    grid = _square_grid()
    for seed in range(5):
        points = np.random.default_rng(seed).uniform(0, 5000, size=(n, 2))
        counts, _ = hs.cell_counts(grid, points)
        assert hs.gi_star(counts, grid).count == 0, f"a false hot spot with {n} crimes, seed {seed}"


def test_gi_star_uses_the_esda_statistic_on_the_cell_and_its_neighbours():
    from esda.getisord import G_Local

    grid = _square_grid(6)
    counts = np.arange(len(grid)) % 5
    w = hs.queen_weights(grid)
    g = G_Local(counts.astype(float), w, transform="B", star=True, permutations=0)
    window = hs._window_matrix(w) @ counts
    assert np.allclose(g.Gs * counts.sum(), window)  # Gi* with binary weights: the neighbourhood's share
    corner = int(np.flatnonzero((grid.ix == 0) & (grid.iy == 0))[0])
    assert w.cardinalities[corner] == 3 and w.cardinalities[int(np.flatnonzero((grid.ix == 2) & (grid.iy == 2))[0])] == 8


def test_a_cell_cut_by_the_boundary_expects_fewer_crimes():
    grid = hs.make_grid(box(0, 0, 500, 375))  # a half cell along the top
    assert len(grid) == 4 and sorted(grid.inside.round(2)) == [0.5, 0.5, 1.0, 1.0]
    assert hs.gi_star(np.zeros(4), grid).count == 0


def test_each_cell_belongs_to_the_sub_area_that_covers_most_of_it():
    grid = hs.make_grid(box(0, 0, 500, 500))
    owner = hs.cell_owner(grid, {"väst": box(0, 0, 300, 500), "öst": box(300, 0, 500, 500)})
    assert [o for o, i in sorted(zip(owner, grid.ix), key=lambda p: p[1])] == ["väst", "väst", "öst", "öst"]


def test_persistence_classes():
    first = np.array([1, 0, 1, 0, 1, 0, 1, 0], dtype=bool)
    second = np.array([1, 0, 0, 1, 1, 1, 0, 0], dtype=bool)
    last = np.array([1, 1, 1, 1, 0, 0, 0, 0], dtype=bool)
    got = list(hs.persistence_classes([first, second, last]))
    assert got == [hs.PERSISTENT, hs.NEW, hs.INTERMITTENT, hs.INTERMITTENT, hs.GONE, hs.GONE, hs.GONE, ""]
    with pytest.raises(ValueError):
        hs.persistence_classes([first, last])


def test_concentration_in_the_top_five_percent_of_cells():
    counts = np.array([50, 30] + [1] * 38)  # 40 cells: the top 5 % is two cells
    share, n_top, cells, total = hs.concentration(counts)
    assert (n_top, cells, total) == (2, 40, 118) and share == pytest.approx(80 / 118)
    assert hs.concentration(np.array([0, 0, 3]))[1] == 1  # at least one cell


# ----------------------------------------------------------------------------- data and sections
def test_occurred_at_is_validated_with_row_column_and_value():
    raw = pd.DataFrame({
        "crime_id": ["a", "b"], "reported_date": ["2023-01-01", "2023-01-02"], "category": ["x", "x"],
        "area_id": ["norr", "norr"], "occurred_at": ["2023-01-01T22:30", "2023-01-02 25:00"],
    })
    with pytest.raises(DataErrors) as info:
        validate_frame(raw, TABLES["crimes"], Located(Path("crimes.csv"), 1), None)
    message = str(info.value)
    assert "crimes.csv, rad 3, kolumn 'occurred_at'" in message and "'2023-01-02 25:00'" in message and "ÅÅÅÅ-MM-DDTHH:MM" in message
    raw.loc[1, "occurred_at"] = "2023-01-03T01:00"  # after the crime was reported
    with pytest.raises(DataErrors) as info:
        validate_frame(raw, TABLES["crimes"], Located(Path("crimes.csv"), 1), None)
    assert "rad 3, kolumn 'occurred_at'" in str(info.value) and "senast anmälningsdagen 2023-01-02" in str(info.value)
    raw.loc[1, "occurred_at"] = ""
    typed = validate_frame(raw, TABLES["crimes"], Located(Path("crimes.csv"), 1), None)
    assert typed["occurred_at"].iloc[0] == pd.Timestamp("2023-01-01 22:30") and pd.isna(typed["occurred_at"].iloc[1])


def test_without_occurred_at_the_time_sections_say_what_is_missing(tmp_path):
    from tests.unit.test_crime_chapter import context

    folder = tmp_path / "data"
    shutil.copytree(FIXTURE, folder)
    ctx = context(folder)
    for section in (monster.time_patterns, monster.month_profile):
        piece = section(ctx)
        assert isinstance(piece, Missing) and "occurred_at" in piece.message
    for section in (monster.concentration, monster.hot_spots, monster.persistence):
        piece = section(ctx)
        assert isinstance(piece, Missing) and "areas.geojson" in piece.message


def test_the_demo_chapter_names_peaks_only_where_its_table_shows_a_pattern(demo_dir):
    from lagesbild_lib.context import chapter_context

    ctx = chapter_context(2023, "hasselby-vallingby", str(demo_dir))
    text, chart, weekday, block = monster.time_patterns(ctx)
    assert isinstance(text, Text) and isinstance(chart, Chart) and isinstance(weekday, Table)
    row = weekday.table.iloc[0]
    assert row["Brottsgrupp"] == "Våldsbrott"
    assert int(row["Totalt"].replace("\u202f", "")) == int(chart.data.drop(columns="Veckodag").to_numpy().sum())
    peak = row["Mönster"].removeprefix("Flest ")
    assert f"Flest våldsbrott skedde på {peak}" in text.markdown
    place = monster.hot_spots(ctx)
    assert isinstance(place[1], Chart) and place[1].kind == "Kartbild" and "Getis-Ord Gi*" in place[0].markdown
    persistence = monster.persistence(ctx)
    assert isinstance(persistence[2], Table) and list(persistence[2].table["Klass"]) == ["Ihållande", "Ny", "Periodvis", "Försvunnen"]


def test_a_parquet_timestamp_with_a_time_zone_becomes_swedish_local_time():
    from lagesbild_lib.data.validate import parse_column

    utc = pd.Series(pd.to_datetime(["2023-06-01T20:30Z", "2023-01-15T23:10Z"]))
    local = parse_column(utc, TABLES["crimes"].column("occurred_at"), Located(Path("crimes.parquet"), 0))
    assert list(local) == [pd.Timestamp("2023-06-01 22:30"), pd.Timestamp("2023-01-16 00:10")]  # summer and winter time
