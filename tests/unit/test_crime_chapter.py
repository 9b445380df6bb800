"""The crime chapter: a CompStat backtest against a hand-made ground truth, trends, hotspots,
intimate-partner crimes, critical events and the key findings drafted from them."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lagesbild_lib.context import ChapterContext
from lagesbild_lib.analysis.crime import area_crimes, compstat_table
from lagesbild_lib.data.dataset import DataSet
from lagesbild_lib.analysis.findings import compstat_findings, trend_findings
from lagesbild_lib.figures.hotspot import kernel_density, peak_location
from lagesbild_lib.params import ReportParams
from lagesbild_lib.present.pieces import Chart, Missing, Table, Text
from lagesbild_lib.sections import brottslighet as sec
from lagesbild_lib.analysis.trend import poisson_trend

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "backtest_compstat"


def context(data_dir: Path, area: str = "norr", year: int = 2023, **params) -> ChapterContext:
    data = DataSet(data_dir)
    registry = data.areas
    p = ReportParams(year=year, area=area, **params)
    return ChapterContext(
        params=p, data=data, area=registry.get(area), city=registry.get(registry.city_of(area)),
        sub_areas=tuple(registry.get(a) for a in registry.children(area)),
        period_start=dt.date(year, 1, 1), period_end=p.period_end_date(),
    )


def test_compstat_backtest_against_hand_made_ground_truth():
    data = DataSet(FIXTURE)
    crimes = area_crimes(data.table("crimes"), data.areas, "norr")
    got = compstat_table(crimes, data.table("crime_categories"), 2023, dt.date(2023, 10, 31)).drop(columns=["rate"])
    expected = pd.read_csv(FIXTURE / "expected_compstat.csv")
    got["p_value"] = got["p_value"].round(6)
    got["pct"] = got["pct"].astype("float64").round(4)
    got = got.astype({"before": "int64", "after": "int64", "diff": "int64", "significant": bool, "few_cases": bool})
    for col in ("group", "category", "label"):
        got[col] = got[col].astype(object)
        expected[col] = expected[col].astype(object)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected, check_dtype=False)


def test_compstat_section_shows_rate_subtotals_and_caveat(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(FIXTURE, folder)
    (folder / "population.csv").write_text(
        "year,area_id,age_group,sex,count\n2023,norr-a,0-19,alla,1000\n2023,norr-b,0-19,alla,1000\n", encoding="utf-8"
    )
    ctx = context(folder)
    table = sec.compstat(ctx)
    assert isinstance(table, Table)
    shown = table.table.set_index("Brottskategori")
    assert shown.loc["Personrån", "Förändring %"] == "\u221271\u00a0%"
    assert shown.loc["Bostadsinbrott", "Förändring %"] == "–"
    assert shown.loc["Summa brott mot person", "Antal 2023"] == "32"
    assert shown.loc["Misshandel, utomhus", "Per 1 000 inv."] == "15,0"
    assert shown.loc["Misshandel, utomhus", "Bedömning"] == "statistiskt säkerställd"
    assert shown.loc["Personrån", "Bedömning"] == "inte statistiskt säkerställd (få fall)"
    assert [shown.index[i] for i in table.strong_rows] == ["Summa brott mot hushåll", "Summa brott mot person"]
    caveat = sec.compstat_caveats(ctx).markdown
    assert "personrån (från 7 till 2 fall) bygger på få fall" in caveat


def test_key_findings_match_the_compstat_table():
    ctx = context(FIXTURE)
    text = sec.key_findings(ctx).markdown
    assert "Den största statistiskt säkerställda ökningen mot 2022 gäller misshandel, utomhus: från 10 till 30 anmälda brott (+20, +200\u00a0%)." in text
    # personrån 7 → 2 is not significant (and rests on few cases): no finding promotes it
    assert "Ingen brottskategori har minskat statistiskt säkerställt mot 2022." in text and "personrån" not in text
    assert "Flest våldsbrott 1 jan–31 okt 2023 anmäldes i Norr A (32)" in text


def test_analysts_can_override_the_key_findings():
    ctx = context(FIXTURE, narrative={"brottslighet_nyckelfynd": "Egen text."})
    assert sec.key_findings(ctx).markdown == "Egen text."


def test_findings_every_year_statement_true_and_false():
    frame = pd.DataFrame({"Rån": [90, 70, 50, 20], "Stöld": [5, 6, 4, 7], "Hot": [1, 2, 3, 3]}, index=[2019, 2020, 2021, 2022])
    assert trend_findings(frame) == ["Rån har minskat varje år sedan 2019."]
    assert trend_findings(frame[["Stöld", "Hot"]]) == []
    # falling every year but on few cases and without a significant trend: no statement of change
    assert trend_findings(pd.DataFrame({"Rån": [9, 8, 7, 6]}, index=[2019, 2020, 2021, 2022])) == []
    few = trend_findings(pd.DataFrame({"Rån": [18, 9, 5, 2]}, index=[2019, 2020, 2021, 2022]))
    assert few == ["Rån har minskat varje år sedan 2019. Trenden bygger på få fall."]


def test_compstat_findings_rank_by_evidence_not_by_percent():
    table = pd.DataFrame(
        {"category": ["a", "b", "c", "d"], "label": ["Alfa", "Beta", "Gamma", "Delta"], "before": [100, 50, 4, 400],
         "after": [150, 20, 9, 430], "diff": [50, -30, 5, 30], "pct": [50.0, -60.0, 125.0, 7.5]}
    )
    lines = compstat_findings(table, 2023)
    assert lines[0].startswith("Den största statistiskt säkerställda ökningen mot 2022 gäller alfa")
    assert lines[1].startswith("Den största statistiskt säkerställda minskningen mot 2022 gäller beta")
    assert lines[2] == "Två av fyra brottskategorier har förändrats statistiskt säkerställt mot 2022: en ökning och en minskning."
    assert not any("gamma" in line or "delta" in line for line in lines)  # +125 % on 4 → 9 and a non-significant +30 are no findings


def test_poisson_trend_matches_statsmodels_and_handles_edges():
    import statsmodels.api as sm

    series = {2019: 120, 2020: 104, 2021: 97, 2022: 85, 2023: 80}
    trend = poisson_trend(series)
    x = sm.add_constant(np.arange(5.0))
    fit = sm.GLM(np.array(list(series.values()), float), x, family=sm.families.Poisson()).fit()
    assert trend.yearly_pct == pytest.approx(100 * np.expm1(fit.params[1]))
    assert trend.lo_pct < trend.yearly_pct < trend.hi_pct < 0 and trend.significant
    assert poisson_trend({2022: 3, 2023: 4}) is None and poisson_trend({2021: 0, 2022: 0, 2023: 0}) is None
    assert not poisson_trend({2019: 5, 2020: 9, 2021: 4, 2022: 8}).significant


def test_kernel_density_peaks_where_the_points_are():
    from shapely.geometry import box

    left, right = box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)
    rng = np.random.default_rng(1)
    points = np.vstack([rng.normal([1500, 500], 80, size=(200, 2)), rng.normal([300, 300], 80, size=(20, 2))])
    density = kernel_density(points, box(0, 0, 2000, 1000))
    assert density.points == 220
    assert np.isnan(density.values).sum() > 0  # outside the outline
    assert peak_location(density, {"left": left, "right": right}) == "right"
    assert np.nanmax(density.values) > 0


def test_hotspot_map_without_coordinates_says_so(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(FIXTURE, folder)
    (folder / "areas.geojson").write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"area_id":"norr-a"},'
        '"geometry":{"type":"Polygon","coordinates":[[[17.9,59.3],[17.95,59.3],[17.95,59.35],[17.9,59.35],[17.9,59.3]]]}}]}',
        encoding="utf-8",
    )
    piece = sec.hotspot_map(context(folder))
    assert isinstance(piece, Missing) and "saknar koordinater" in piece.message


def test_intimate_partner_counts_the_period_of_each_year_and_marks_a_partial_one(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(FIXTURE, folder)
    cats = (folder / "crime_categories.csv").read_text(encoding="utf-8")
    (folder / "crime_categories.csv").write_text(cats.replace("misshandel,\"Misshandel, utomhus\",Brott mot person,true,true,false", "misshandel,\"Misshandel, utomhus\",Brott mot person,true,true,true"), encoding="utf-8")
    crimes = pd.read_csv(folder / "crimes.csv", parse_dates=["reported_date"])
    mine = crimes[(crimes["category"] == "misshandel") & crimes["area_id"].str.startswith("norr")]
    # the default period, 1 jan–31 okt: every year cut there, none partial (the data end on 1 Nov 2023)
    chart = sec.intimate_partner(context(folder))
    assert isinstance(chart, Chart)
    assert "1 jan–31 okt varje år" in chart.caption and "t.o.m." not in chart.caption
    assert "1 jan–31 okt varje år" in chart.alt
    counted = chart.data.set_index("År")
    for year in (2022, 2023):
        dates = mine["reported_date"]
        assert counted.loc[year, "Antal"] == ((dates >= f"{year}-01-01") & (dates <= f"{year}-10-31")).sum()
        assert counted.loc[year, "Period"] == "1 jan–31 okt"
    # the whole year as the period: the data end on 1 Nov 2023, so 2023 is partial and marked
    chart = sec.intimate_partner(context(folder, period_end="12-31"))
    assert "1 jan–31 dec varje år" in chart.caption and "2023 t.o.m. 1 nov" in chart.caption
    assert chart.data.set_index("År").loc[2023, "Period"] == "1 jan–1 nov"
    assert chart.data.set_index("År").loc[2022, "Antal"] == 15


def test_critical_events_sentence_table_and_timeline(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(FIXTURE, folder)
    (folder / "critical_events.csv").write_text(
        "event_date,area_id,type,fatal\n"
        "2023-02-01,norr-a,sprängning,false\n2023-03-01,norr-a,sprängning,false\n2023-05-01,norr-b,skjutning,true\n"
        "2023-06-01,norr-b,brandattentat,false\n2022-06-01,norr-b,skjutning,false\n2023-06-01,soder-a,skjutning,false\n"
        "2023-11-20,norr-a,sprängning,true\n",  # after the period end (31 okt): in no count
        encoding="utf-8",
    )
    ctx = context(folder)
    assert sec.events_text(ctx).markdown == (
        "Under perioden 1 jan–31 okt 2023 inträffade två sprängningar, ett brandattentat och en skjutning i Norr, "
        "varav en händelse med dödlig utgång."
    )
    table = sec.events_table(ctx)
    assert "1 jan–31 okt 2023" in table.caption
    data = table.data.set_index("Typ av händelse")
    assert data.loc["sprängning", "Totalt"] == 2 and data.loc["skjutning", "varav dödlig utgång"] == 1
    timeline = sec.events_timeline(ctx)
    assert isinstance(timeline, Chart) and "1 jan–31 okt 2023" in timeline.caption and "(fyra händelser)" in timeline.alt
    assert timeline.data["Antal"].sum() == 4 and "nov" not in set(timeline.data["Månad"])
    (folder / "critical_events.csv").unlink()
    assert isinstance(sec.events_text(context(folder)), Missing)


def test_chapter_without_row_level_crimes_says_so(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(FIXTURE, folder)
    (folder / "crimes.csv").unlink()
    (folder / "crime_counts.csv").write_text("year,area_id,category,count\n2023,norr-a,ran,4\n", encoding="utf-8")
    ctx = context(folder)
    for piece in (sec.compstat(ctx), sec.key_findings(ctx), sec.hotspot_map(ctx)):
        assert isinstance(piece, Missing) and "crimes" in piece.message
    assert isinstance(sec.events_text(ctx), Missing)
    assert not isinstance(sec.key_findings(ctx), Text)


def test_a_degenerate_trend_bound_is_said_to_be_open_not_a_crash():
    """A series of almost all zeros gives a Poisson fit with an astronomically wide interval (found
    on a national run: 1e300 %); the trend table says "obestämd" instead of failing the chapter."""
    from lagesbild_lib.analysis.trend import bounded_pct
    from lagesbild_lib.sections.crime_trends import _pct_text

    assert bounded_pct(float("inf")) is None and bounded_pct(1e300) is None and bounded_pct(-1e300) is None
    assert bounded_pct(-12.5) == -12.5
    assert _pct_text(bounded_pct(1e300)) == "obestämd"
    assert _pct_text(bounded_pct(-12.34)) == "\u221212,3\u00a0%"
