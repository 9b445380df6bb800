"""Chapter 1 (Beskrivning av området): population facts and indicators vs the city, with Swedish formatting."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from lagesbild_lib.context import chapter_context
from lagesbild_lib.data.areas import AreaRegistry
from lagesbild_lib.present.fmt import MINUS, NBSP, THIN, fmt_value
from lagesbild_lib.analysis.indicators import comparison_wording, fmt_diff, indicator_comparison, indicator_sentences, indicator_year
from lagesbild_lib.analysis.population import age_label, population_by_age_sex, population_change, subarea_population
from lagesbild_lib.figures.population import plot_population_by_age_sex, population_by_age_sex_alt
from lagesbild_lib.present.pieces import Chart, Missing, Table, Text
from lagesbild_lib.sections import omradet


@pytest.fixture()
def registry() -> AreaRegistry:
    return AreaRegistry(
        pd.DataFrame(
            {
                "area_id": ["stad", "norr", "norr-a", "norr-b"],
                "name": ["Staden", "Norr", "Norr A", "Norr B"],
                "level": ["kommun", "stadsdelsomrade", "stadsdel", "stadsdel"],
                "parent_id": [None, "stad", "norr", "norr"],
            }
        )
    )


def population(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["year", "area_id", "age_group", "sex", "count"])


# --------------------------------------------------------------------------- formatting of every unit


@pytest.mark.parametrize(
    "value, unit, expected",
    [
        (48.5, "procent", f"48,5{NBSP}%"),
        (25.45, "procent", f"25,5{NBSP}%"),
        (312400, "kr", f"312{THIN}400{NBSP}kr"),
        (1234567.4, "kr", f"1{THIN}234{THIN}567{NBSP}kr"),
        (12.25, "dagar", f"12,3{NBSP}dagar"),
        (7, "dagar", f"7,0{NBSP}dagar"),
        (1234, "antal", f"1{THIN}234"),
        (None, "kr", "–"),
    ],
)
def test_indicator_values_in_swedish_format(value, unit, expected):
    assert fmt_value(value, unit) == expected


@pytest.mark.parametrize(
    "value, unit, expected",
    [
        (4.26, "procent", f"+4,3{NBSP}procentenheter"),
        (-18.7, "procent", f"{MINUS}18,7{NBSP}procentenheter"),
        (0.04, "procent", f"0,0{NBSP}procentenheter"),
        (-20100, "kr", f"{MINUS}20{THIN}100{NBSP}kr"),
        (1500, "kr", f"+1{THIN}500{NBSP}kr"),
        (2.05, "dagar", f"+2,1{NBSP}dagar"),
        (-0.04, "dagar", f"0,0{NBSP}dagar"),
        (12, "antal", "+12"),
        (-1234, "antal", f"{MINUS}1{THIN}234"),
        (float("nan"), "procent", "–"),
    ],
)
def test_differences_in_swedish_format_with_sign_and_unit(value, unit, expected):
    assert fmt_diff(value, unit) == expected


def test_an_unknown_unit_is_shown_as_given():
    assert fmt_diff(1.0, "euro") == "+1,0\u00a0euro"
    assert fmt_diff(-12.0, "per 100 000 inv") == "\u221212\u00a0per 100 000 inv"


def test_higher_and_lower_are_judged_on_the_shown_values():
    assert comparison_wording(48.54, 48.5, "procent") == "lika"  # both shown as 48,5 %
    assert comparison_wording(48.56, 48.5, "procent") == "högre"
    assert comparison_wording(300000, 300400, "kr") == "lägre"
    assert comparison_wording(5, None, "antal") == ""


# --------------------------------------------------------------------------- indicators vs city


INDICATORS = pd.DataFrame(
    [
        (2022, "norr", "bistand", 5.1, "procent", "Andel invånare med ekonomiskt bistånd"),
        (2022, "norr", "inkomst", 280000, "kr", "Medianinkomst 20–64 år"),
        (2022, "norr", "ohalsa", 31.0, "dagar", "Ohälsotal"),
        (2022, "norr", "bilar", 120, "antal", "Antal bilar"),
        (2022, "stad", "bistand", 3.2, "procent", "Andel invånare med ekonomiskt bistånd"),
        (2022, "stad", "inkomst", 350000, "kr", "Medianinkomst 20–64 år"),
        (2022, "stad", "ohalsa", 24.6, "dagar", "Ohälsotal"),
        (2023, "stad", "ohalsa", 20.0, "dagar", "Ohälsotal"),
    ],
    columns=["year", "area_id", "indicator", "value", "unit", "label"],
)


def test_indicator_comparison_puts_every_row_beside_the_city_of_the_same_year():
    assert indicator_year(INDICATORS, "norr", 2023) == 2022 and indicator_year(INDICATORS, "norr", 2021) is None
    frame = indicator_comparison(INDICATORS, "norr", "stad", 2022)
    assert frame["label"].tolist() == ["Andel invånare med ekonomiskt bistånd", "Antal bilar", "Medianinkomst 20–64 år", "Ohälsotal"]
    row = frame.set_index("indicator")
    assert row.loc["bistand", "city_value"] == 3.2 and row.loc["bistand", "diff"] == pytest.approx(1.9)
    assert row.loc["ohalsa", "city_value"] == 24.6  # not the city's 2023 value
    assert pd.isna(row.loc["bilar", "city_value"]) and row.loc["bilar", "wording"] == ""
    assert row[["wording"]].to_dict()["wording"] == {"bistand": "högre", "bilar": "", "inkomst": "lägre", "ohalsa": "högre"}


def test_indicator_sentences_read_naturally():
    frame = indicator_comparison(INDICATORS, "norr", "stad", 2022)
    assert indicator_sentences(frame, "Norr") == (
        f"Norr ligger högre än staden som helhet när det gäller andel invånare med ekonomiskt bistånd (5,1{NBSP}% mot 3,2{NBSP}%) "
        f"och ohälsotal (31,0{NBSP}dagar mot 24,6{NBSP}dagar). Området ligger lägre när det gäller medianinkomst 20–64 år "
        f"(280{THIN}000{NBSP}kr mot 350{THIN}000{NBSP}kr)."
    )
    assert indicator_sentences(indicator_comparison(INDICATORS, "norr", None, 2022), "Norr") == ""


# --------------------------------------------------------------------------- population


def test_population_change_since_last_year_and_five_years_back(registry):
    rows = [(y, "norr-a", "0-19", "alla", 100 + 10 * (y - 2019)) for y in range(2019, 2025)]
    rows += [(y, "norr-b", "0-19", "alla", 50) for y in range(2019, 2025)]
    pop = population(rows)
    last = population_change(pop, registry, "norr", 2024, 1)
    assert (last.year_before, last.before, last.after, last.diff) == (2023, 190, 200, 10)
    assert last.pct == pytest.approx(100 * 10 / 190)
    five = population_change(pop, registry, "norr", 2024, 5)
    assert (five.year_before, five.before, five.diff) == (2019, 150, 50)
    assert population_change(pop, registry, "norr", 2023, 5) is None  # 2018 missing
    first = population_change(pop, registry, "norr", 2023, 5, fallback_to_first=True)
    assert first.year_before == 2019 and first.after == 190
    assert population_change(pop, registry, "norr", 2020, 5, fallback_to_first=True) is None  # 2019 is only one year back


def test_population_by_age_and_sex_sums_children_and_never_adds_alla(registry):
    pop = population(
        [
            (2023, "norr-a", "65+", "kvinna", 4),
            (2023, "norr-a", "65+", "man", 3),
            (2023, "norr-a", "0-19", "kvinna", 10),
            (2023, "norr-a", "0-19", "man", 11),
            (2023, "norr-a", "0-19", "alla", 21),
            (2023, "norr-b", "20-64", "kvinna", 30),
            (2023, "norr-b", "20-64", "man", 31),
        ]
    )
    frame = population_by_age_sex(pop, registry, "norr", 2023)
    assert list(frame.index) == ["0-19", "20-64", "65+"]
    assert frame.to_dict("index") == {"0-19": {"kvinna": 10, "man": 11}, "20-64": {"kvinna": 30, "man": 31}, "65+": {"kvinna": 4, "man": 3}}
    only_totals = population([(2023, "norr-a", "0-19", "alla", 21)])
    assert population_by_age_sex(only_totals, registry, "norr-a", 2023).to_dict() == {"alla": {"0-19": 21}}
    assert population_by_age_sex(pop, registry, "norr", 2022).empty


def test_age_labels_and_chart_alt_text(registry):
    assert age_label("0-19") == "0–19 år" and age_label("65+") == "65 år och äldre"
    frame = pd.DataFrame({"kvinna": [8524, 23415], "man": [8979, 23983]}, index=["0-19", "20-64"])
    alt = population_by_age_sex_alt(frame, "Norr", 2023)
    assert alt == (
        f"Stapeldiagram över befolkningen i Norr 2023 efter ålder och kön: den största åldersgruppen är 20–64 år "
        f"med 47{THIN}398 invånare (23{THIN}415 kvinnor och 23{THIN}983 män); övriga grupper: 0–19 år 17{THIN}503."
    )
    fig = plot_population_by_age_sex(frame, "Befolkning")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0–19 år", "20–64 år"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Kvinnor", "Män"]


def test_subarea_population_has_the_share_under_20(registry):
    pop = population(
        [(2023, "norr-a", "0-19", "alla", 25), (2023, "norr-a", "20-64", "alla", 75), (2022, "norr-a", "0-19", "alla", 20), (2022, "norr-a", "20-64", "alla", 70)]
    )
    frame = subarea_population(pop, registry, "norr", 2023).set_index("area_id")
    assert frame.loc["norr-a", "young"] == 25.0 and frame.loc["norr-a", "diff"] == 10
    assert pd.isna(frame.loc["norr-b", "after"])


# --------------------------------------------------------------------------- the chapter on demo data


@pytest.mark.parametrize("year, area", [(2023, "hasselby-vallingby"), (2024, "solna"), (2020, "skarholmen"), (2023, "vallingby")])
def test_chapter_on_demo_data(demo_dir, year, area):
    ctx = chapter_context(year, area, str(demo_dir))
    text = omradet.population_text(ctx)
    assert isinstance(text, Text) and f"invånare år {year}" in text.markdown
    if ctx.city.area_id != area:
        assert "jämfört med" in text.markdown and f"i staden som helhet ({ctx.city.name})" in text.markdown
    chart = omradet.population_chart(ctx)
    assert isinstance(chart, Chart) and chart.alt.startswith("Stapeldiagram över befolkningen") and len(chart.data) == 3
    sub = omradet.subarea_population_table(ctx)
    assert (sub is None) == (not ctx.sub_areas)
    if sub is not None:
        assert len(sub.table) == len(ctx.sub_areas) + 1 and sub.table["Delområde"].iloc[-1] == f"Hela {ctx.area.name}"
    table = omradet.indicators_table(ctx)
    if area == "vallingby":  # the demo has indicators for stadsdelsområden and Solna's delområden only
        assert isinstance(table, Missing)
    else:
        assert isinstance(table, Table)
        # 11 indicators; gymnasiebehörighet by background and förvärvsfrekvens by sex add four rows
        assert len(table.table) == 15
        labels = table.table["Indikator"].tolist()
        levels = [next(i for i, s in enumerate(labels) if f"med {level} utbildning" in s) for level in ("förgymnasial", "gymnasial", "eftergymnasial")]
        assert levels == sorted(levels) and levels[2] - levels[0] == 2  # the three levels together, in order
        first = next(i for i, s in enumerate(labels) if s.startswith("Andel behöriga till gymnasiet"))
        assert [s.split(", ")[-1] for s in labels[first + 1:first + 3]] == ["svensk bakgrund", "utländsk bakgrund"]
        assert labels[labels.index("Förvärvsfrekvens 20–64 år") + 1:][:2] == ["Förvärvsfrekvens 20–64 år, kvinnor", "Förvärvsfrekvens 20–64 år, män"]
        units = " ".join(table.table[ctx.area.name])
        assert f"{NBSP}%" in units and f"{NBSP}kr" in units and f"{NBSP}dagar" in units
        if area != "solna":
            assert set(table.table[f"Jämfört med {ctx.city.name}"]) <= {"högre", "lägre", "lika"}
            assert table.table["Skillnad"].str.contains("procentenheter").any()


def test_chapter_says_plainly_what_is_missing(demo_dir, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    for name in ("population.csv", "indicators.csv"):
        (data / name).unlink()
    ctx = chapter_context(2023, "hasselby-vallingby", str(data))
    assert isinstance(omradet.population_text(ctx), Missing) and "population" in omradet.population_text(ctx).message
    assert omradet.population_chart(ctx) is None
    assert isinstance(omradet.subarea_population_table(ctx), Missing)
    assert "indicators" in omradet.indicators_table(ctx).message
    assert omradet.indicators_text(ctx) is None
