"""The analysis functions behind the chapters, on small hand-made frames."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from lagesbild_lib.analysis.crime import area_crimes, compstat_table, period_counts, same_period, yearly_period_counts
from lagesbild_lib.data.areas import AreaRegistry
from lagesbild_lib.errors import ConfigError
from lagesbild_lib.analysis.population import population_by_age, population_total, population_year, young_share
from lagesbild_lib.analysis.survey import pick_survey, subarea_shares, survey_share
from lagesbild_lib.analysis.tables import compstat_display
from lagesbild_lib.analysis.weekly import event_weeks, weekly_grid, weekly_grid_html, weekly_summary


@pytest.fixture()
def registry() -> AreaRegistry:
    return AreaRegistry(
        pd.DataFrame(
            {
                "area_id": ["stad", "norr", "norr-a", "norr-b", "soder", "soder-a"],
                "name": ["Staden", "Norr", "Norr A", "Norr B", "Söder", "Söder A"],
                "level": ["kommun", "stadsdelsomrade", "stadsdel", "stadsdel", "stadsdelsomrade", "stadsdel"],
                "parent_id": [None, "stad", "norr", "norr", "stad", "soder"],
            }
        )
    )


def test_registry_hierarchy(registry):
    assert registry.children("norr") == ["norr-a", "norr-b"]
    assert registry.descendants("stad") == ["stad", "norr", "norr-a", "norr-b", "soder", "soder-a"]
    assert registry.ancestors("norr-b") == ["norr", "stad"]
    assert registry.city_of("norr-a") == "stad" and registry.city_of("stad") == "stad"
    assert registry.leaves("norr") == ["norr-a", "norr-b"]
    assert registry.report_areas() == ["norr", "soder"]
    with pytest.raises(ConfigError, match="okänt område 'väst'; tillgängliga områden: norr, soder"):
        registry.get("väst")


def crimes(rows):
    return pd.DataFrame(rows, columns=["reported_date", "category", "area_id"]).assign(
        reported_date=lambda d: pd.to_datetime(d["reported_date"])
    )


CATEGORIES = pd.DataFrame(
    {
        "category": ["ran", "inbrott", "annat"],
        "label": ["Personrån", "Bostadsinbrott", "Annat"],
        "group": ["Brott mot person", "Brott mot hushåll", "Övrigt"],
        "compstat": [True, True, False],
    }
)


def test_a_crime_belongs_to_its_area_and_every_ancestor(registry):
    frame = crimes([("2023-01-01", "ran", "norr-a"), ("2023-01-01", "ran", "norr"), ("2023-01-01", "ran", "soder-a")])
    assert len(area_crimes(frame, registry, "norr")) == 2
    assert len(area_crimes(frame, registry, "stad")) == 3
    assert len(area_crimes(frame, registry, "norr-b")) == 0


def test_period_cut_off_excludes_1_november_and_handles_leap_years():
    frame = crimes([("2023-10-31", "ran", "x"), ("2023-11-01", "ran", "x"), ("2023-01-01", "ran", "x"), ("2022-12-31", "ran", "x")])
    assert period_counts(frame, 2023, dt.date(2023, 10, 31))["ran"] == 2
    leap = crimes([("2024-02-29", "ran", "x"), ("2023-02-28", "ran", "x"), ("2023-03-01", "ran", "x")])
    assert period_counts(leap, 2024, dt.date(2024, 2, 29))["ran"] == 1
    assert same_period(2023, dt.date(2024, 2, 29)) == (pd.Timestamp(2023, 1, 1), pd.Timestamp(2023, 2, 28))
    assert period_counts(leap, 2023, dt.date(2024, 2, 29))["ran"] == 1


def test_compstat_table_counts_changes_and_zero_baseline():
    rows = [("2022-05-01", "ran", "x")] * 7 + [("2023-05-01", "ran", "x")] * 2 + [("2023-05-01", "inbrott", "x")] * 3
    rows += [("2023-05-01", "annat", "x")] * 50
    table = compstat_table(crimes(rows), CATEGORIES, 2023, dt.date(2023, 10, 31))
    assert table["category"].tolist() == ["ran", "inbrott"]  # compstat categories only
    ran = table.set_index("category").loc["ran"]
    assert (ran["before"], ran["after"], ran["diff"]) == (7, 2, -5)
    assert ran["pct"] == pytest.approx(-71.43, abs=0.01) and bool(ran["few_cases"]) and not ran["significant"]
    inbrott = table.set_index("category").loc["inbrott"]
    assert inbrott["before"] == 0 and pd.isna(inbrott["pct"])
    shown = compstat_display(table, 2023)
    assert shown.columns.tolist() == ["Brottskategori", "Antal 2022", "Antal 2023", "Förändring antal", "Förändring %", "Bedömning"]
    assert shown.iloc[0].tolist() == ["Personrån", "7", "2", "\u22125", "\u221271\u00a0%", "inte statistiskt säkerställd (få fall)"]
    assert shown.iloc[1]["Brottskategori"] == "Summa brott mot person"
    assert shown.iloc[2]["Förändring %"] == "–"  # from zero: no percentage


def test_group_subtotals_add_up():
    rows = [("2022-02-01", "ran", "x")] * 30 + [("2023-02-01", "ran", "x")] * 60
    table = compstat_table(crimes(rows), CATEGORIES.assign(group="Alla"), 2023, dt.date(2023, 10, 31))
    shown = compstat_display(table, 2023)
    assert shown.iloc[-1].tolist()[:4] == ["Summa alla", "30", "60", "+30"]
    assert shown.iloc[-1]["Bedömning"] == "statistiskt säkerställd"


def test_yearly_counts_per_group():
    rows = [("2021-03-01", "ran", "x"), ("2022-03-01", "ran", "x"), ("2022-12-01", "ran", "x"), ("2022-03-01", "inbrott", "x")]
    frame = yearly_period_counts(crimes(rows), CATEGORIES, dt.date(2023, 10, 31), [2021, 2022])
    assert frame.loc[2022, "Brott mot person"] == 1 and frame.loc[2021, "Brott mot person"] == 1
    assert frame.loc[2021, "Brott mot hushåll"] == 0


def test_population_own_rows_else_children_and_alla_is_never_added(registry):
    pop = pd.DataFrame(
        [
            (2023, "norr-a", "0-19", "kvinna", 10), (2023, "norr-a", "0-19", "man", 12), (2023, "norr-a", "20-64", "kvinna", 30),
            (2023, "norr-b", "0-19", "alla", 5), (2023, "norr-b", "0-19", "kvinna", 2), (2023, "norr-b", "0-19", "man", 3),
            (2023, "norr-b", "65+", "alla", 8),
            (2021, "soder-a", "20-64", "man", 100),
            (2023, "stad", "0-19", "alla", 1000), (2023, "stad", "20-64", "alla", 3000),
        ],
        columns=["year", "area_id", "age_group", "sex", "count"],
    )
    assert population_by_age(pop, registry, "norr-b", 2023).to_dict() == {"0-19": 5, "65+": 8}
    assert population_total(pop, registry, "norr", 2023) == 22 + 30 + 5 + 8
    assert population_total(pop, registry, "stad", 2023) == 4000  # the city's own rows win
    assert young_share(pop, registry, "stad", 2023) == pytest.approx(25.0)
    assert population_year(pop, 2022) == 2021 and population_year(pop, 2020) is None
    assert population_total(pop, registry, "soder", 2022) is None


def test_survey_share_own_row_else_respondent_weighted_children(registry):
    survey = pd.DataFrame(
        [
            (2023, "S", "norr-a", "otrygg_kvallstid", "ja", "alla", 100, 0.20),
            (2023, "S", "norr-b", "otrygg_kvallstid", "ja", "alla", 300, 0.40),
            (2023, "S", "stad", "otrygg_kvallstid", "ja", "alla", 1000, 0.30),
            (2023, "T", "norr", "otrygg_kvallstid", "ja", "alla", 50, 0.90),
        ],
        columns=["year", "survey", "area_id", "question", "answer", "group", "respondents", "share"],
    )
    assert survey_share(survey, registry, "norr", 2023, "otrygg_kvallstid", "ja", survey_name="S") == (pytest.approx(0.35), 400)
    assert survey_share(survey, registry, "norr", 2023, "otrygg_kvallstid", "ja", survey_name="T") == (0.9, 50)
    assert pick_survey(survey, registry.descendants("norr"), "otrygg_kvallstid") == "S"
    table = subarea_shares(survey, registry, "norr", 2023, "otrygg_kvallstid", "ja", survey_name="S", include=("stad",))
    assert table["area_id"].tolist() == ["norr-a", "norr-b", "norr", "stad"]
    assert (table["lo"] < table["share"]).all() and (table["share"] < table["hi"]).all()
    assert not table["small"].any()


def test_weekly_grid_missing_weeks_are_empty_and_week_53(registry):
    weekly = pd.DataFrame(
        [(2020, 1, "norr-a", 2), (2020, 53, "norr-a", 5), (2020, 2, "norr-b", 1), (2021, 1, "norr-a", 4)],
        columns=["year", "week", "area_id", "level"],
    )
    grid = weekly_grid(weekly, ["norr-a", "norr-b"], 2020)
    assert grid.shape == (2, 53)
    assert grid.loc["norr-a", 53] == 5 and pd.isna(grid.loc["norr-a", 2]) and pd.isna(grid.loc["norr-b", 1])
    assert weekly_grid(weekly, ["norr-a"], 2021).shape == (1, 52)
    summary = weekly_summary(grid)
    assert summary.loc["norr-a", "mean"] == 3.5 and summary.loc["norr-a", "weeks_4plus"] == 1
    assert summary.loc["norr-a", "weeks_reported"] == 2


def test_weekly_grid_html_marks_critical_events(registry):
    weekly = pd.DataFrame([(2023, 1, "norr-a", 4), (2023, 2, "norr-a", 2)], columns=["year", "week", "area_id", "level"])
    events = pd.DataFrame({"event_date": pd.to_datetime(["2023-01-04", "2023-06-01"]), "area_id": ["norr-a", "soder-a"]})
    marks = event_weeks(events, registry, ["norr-a", "norr-b"], 2023)
    assert marks == {("norr-a", 1)}
    html = weekly_grid_html(weekly_grid(weekly, ["norr-a", "norr-b"], 2023), {"norr-a": "Norr A", "norr-b": "Norr B"}, marks)
    assert html.count("<tr>") == 3  # header + one row per area
    row_a = html.split("<tr>")[2]
    assert row_a.count("<td") == 52 + 3 and '<th scope="row">Norr A</th>' in row_a
    assert 'class="lb-level lb-level-4 lb-event"' in row_a and ">4✱<" in row_a
    assert 'class="lb-level lb-level-2"' in row_a
    assert "lb-level-none" in html.split("<tr>")[3]
