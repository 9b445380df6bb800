"""The population forecast (optional table ``population_forecast``): its contract, the growth and
the sentence in words that follow the numbers, and chapter 1's sentence and table."""

from __future__ import annotations

from pathlib import Path

import pytest

from lagesbild_lib.analysis.forecast import Growth, forecast_sentence, forecast_total, growth_words
from lagesbild_lib.context import chapter_context
from lagesbild_lib.data.dataset import DataSet
from lagesbild_lib.errors import DataError
from lagesbild_lib.present.fmt import MINUS, NBSP, THIN
from lagesbild_lib.present.pieces import Table, Text
from lagesbild_lib.sections import omradet

AREAS = """area_id,name,level,parent_id
stad,Staden,kommun,
norr,Norr,stadsdelsomrade,stad
syd,Syd,stadsdelsomrade,stad
norr-a,Norr A,stadsdel,norr
norr-b,Norr B,stadsdel,norr
"""
CATEGORIES = """category,label,group,compstat,violent,intimate_partner
rån,Personrån,Brott mot person,true,true,false
"""
CRIMES = """crime_id,reported_date,category,area_id
c1,2023-01-05,rån,norr-a
"""
# 2023: norr 10 000 (6 000 + 4 000), syd 20 000; stad 30 000
POPULATION = """year,area_id,age_group,sex,count
2023,norr-a,0-19,alla,6000
2023,norr-b,0-19,alla,4000
2023,syd,0-19,alla,20000
"""
# norr grows 0,6 % to 2027 (sum of its stadsdelar), syd 3,0 %: the city 2,2 %
FORECAST = """year,area_id,population
2024,norr-a,6020
2024,norr-b,4010
2024,syd,20300
2027,norr-a,6040
2027,norr-b,4020
2027,syd,20600
2022,syd,19000
"""


def folder(tmp_path: Path, **files: str | None) -> Path:
    base = {"areas.csv": AREAS, "crime_categories.csv": CATEGORIES, "crimes.csv": CRIMES, "population.csv": POPULATION,
            "population_forecast.csv": FORECAST}
    base.update({k.replace("__", "."): v for k, v in files.items()})
    for name, text in base.items():
        if text is not None:
            (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


# ----------------------------------------------------------------------------- the contract
def test_a_good_forecast_passes_the_contract(tmp_path):
    data = DataSet(folder(tmp_path))
    assert data.validate_all()["population_forecast.csv"] == 7
    assert data.table("population_forecast")["population"].dtype.kind == "i"


@pytest.mark.parametrize("bad, where, what", [
    (FORECAST.replace("2024,norr-b", "tjugo,norr-b"), "population_forecast.csv, rad 3, kolumn 'year'", "heltal"),
    (FORECAST.replace("2024,norr-b", "2250,norr-b"), "population_forecast.csv, rad 3, kolumn 'year'", "2100"),
    (FORECAST.replace("2027,syd", "2027,soder"), "population_forecast.csv, rad 7, kolumn 'area_id'", "'soder'"),
    (FORECAST.replace("2024,syd,20300", "2024,syd,-5"), "kolumn 'population'", "minst 0"),
    (FORECAST.replace("2022,syd", "2024,syd"), "population_forecast.csv, rad 8", "year=2024, area_id=syd finns redan"),
    (FORECAST.replace("population\n", "folkmängd\n"), "population_forecast.csv", "den obligatoriska kolumnen 'population' saknas"),
], ids=["year as text", "year out of range", "unknown area", "negative population", "duplicate year", "missing column"])
def test_a_bad_forecast_is_refused_in_one_sentence(tmp_path, bad, where, what):
    with pytest.raises(DataError) as err:
        DataSet(folder(tmp_path, population_forecast__csv=bad)).validate_all()
    message = str(err.value)
    assert where in message and what in message, message
    assert "\n" not in message


def test_an_area_without_rows_is_the_sum_of_all_its_parts_or_nothing(tmp_path):
    data = DataSet(folder(tmp_path))
    table, registry = data.table("population_forecast"), data.areas
    assert forecast_total(table, registry, "norr", 2027) == 10_060
    assert forecast_total(table, registry, "stad", 2027) == 30_660
    assert forecast_total(table, registry, "stad", 2022) is None  # norr has no 2022 forecast: no partial sum
    assert forecast_total(table, registry, "norr-a", 2030) is None


# ----------------------------------------------------------------------------- the words follow the numbers
def test_growth_words_follow_the_shown_growth():
    assert growth_words(Growth(2023, 10_000, 2027, 10_060)) == "väntas en tillväxt under en procent"
    # 0,99 % shows as 1,0 %: "under en procent" beside "1,0 %" would contradict the number
    assert growth_words(Growth(2023, 10_000, 2027, 10_099)) == f"väntas folkmängden öka med 1,0{NBSP}%"
    assert growth_words(Growth(2023, 10_000, 2027, 10_104)) == f"väntas folkmängden öka med 1,0{NBSP}%"
    assert growth_words(Growth(2023, 10_000, 2027, 10_004)) == "väntas folkmängden vara i stort sett oförändrad"
    assert growth_words(Growth(2023, 10_000, 2027, 9_880)) == f"väntas folkmängden minska med 1,2{NBSP}%"
    assert growth_words(Growth(2023, 10_000, 2027, 9_970)) == f"väntas folkmängden minska med 0,3{NBSP}%"


def test_growth_under_one_percent_against_the_city():
    text = forecast_sentence("Norr", Growth(2023, 10_000, 2027, 10_060), "Staden", Growth(2023, 30_000, 2027, 30_660))
    assert text == (
        f"Enligt befolkningsprognosen väntas en tillväxt under en procent i Norr fram till 2027: från 10{THIN}000 invånare 2023 "
        f"till 10{THIN}060 (+0,6{NBSP}%). I staden som helhet (Staden) väntas folkmängden öka med 2,2{NBSP}% under samma tid."
    )


def test_negative_growth_says_minska_once():
    text = forecast_sentence("Syd", Growth(2023, 20_000, 2030, 19_500), "Staden", Growth(2023, 30_000, 2030, 30_100))
    assert text == (
        f"Enligt befolkningsprognosen väntas folkmängden i Syd minska med 2,5{NBSP}% fram till 2030: från 20{THIN}000 invånare "
        f"2023 till 19{THIN}500. I staden som helhet (Staden) väntas en tillväxt under en procent under samma tid (+0,3{NBSP}%)."
    )
    assert "öka" not in text and MINUS not in text


def test_without_the_city_forecast_the_sentence_names_only_the_area():
    mine = Growth(2023, 10_000, 2027, 10_060)
    assert forecast_sentence("Norr", mine, "Staden", None).endswith(f"(+0,6{NBSP}%).")
    assert "staden" not in forecast_sentence("Norr", mine, "Staden", None)
    # a city forecast over other years is not compared
    assert "staden" not in forecast_sentence("Norr", mine, "Staden", Growth(2023, 30_000, 2030, 31_000))


# ----------------------------------------------------------------------------- chapter 1
def test_chapter_shows_the_forecast_to_the_last_year_after_the_report_year(tmp_path):
    ctx = chapter_context(2023, "norr", str(folder(tmp_path)))
    text = omradet.forecast_text(ctx)
    assert isinstance(text, Text)
    assert "tillväxt under en procent i Norr fram till 2027" in text.markdown
    assert f"I staden som helhet (Staden) väntas folkmängden öka med 2,2{NBSP}%" in text.markdown
    table = omradet.forecast_table(ctx)
    assert isinstance(table, Table) and table.caption == "Befolkningsprognos för Norr 2024–2027"
    assert table.table["År"].tolist() == ["2023 (utfall)", "2024", "2027"]  # 2022 is before the report year
    assert table.table["Norr"].tolist() == [f"10{THIN}000", f"10{THIN}030", f"10{THIN}060"]
    assert table.table["Förändring sedan 2023, Staden"].tolist() == ["–", f"+1,1{NBSP}%", f"+2,2{NBSP}%"]
    assert table.data["Förändring sedan 2023 (%), Norr"].iloc[-1] == pytest.approx(0.6)


def test_without_a_city_forecast_the_chapter_still_shows_the_area(tmp_path):
    only_norr = "\n".join(line for line in FORECAST.splitlines() if ",syd," not in line) + "\n"
    ctx = chapter_context(2023, "norr", str(folder(tmp_path, population_forecast__csv=only_norr)))
    text = omradet.forecast_text(ctx)
    assert isinstance(text, Text) and "fram till 2027" in text.markdown and "staden som helhet" not in text.markdown
    table = omradet.forecast_table(ctx)
    assert table.table["Staden"].tolist() == [f"30{THIN}000", "–", "–"]


def test_no_forecast_table_or_no_later_years_shows_nothing(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    ctx = chapter_context(2023, "norr", str(folder(tmp_path / "a", population_forecast__csv=None)))
    assert omradet.forecast_text(ctx) is None and omradet.forecast_table(ctx) is None
    crimes = CRIMES + "c2,2027-01-05,rån,norr-a\n"
    later = chapter_context(2027, "norr", str(folder(tmp_path / "b", crimes__csv=crimes)))  # no forecast year after 2027
    assert omradet.forecast_text(later) is None and omradet.forecast_table(later) is None


def test_demo_forecast_covers_every_leaf_and_grows_plausibly(demo_dir):
    data = DataSet(demo_dir)
    forecast, registry = data.table("population_forecast"), data.areas
    leaves = [a for a in registry.ids if registry.get(a).level in ("stadsdel", "delomrade", "regso")]
    assert set(forecast["area_id"]) == {*leaves, "gavleborgs-lan"}  # Gävle's län: its own rows to compare with
    assert sorted(forecast["year"].unique()) == list(range(2024, 2031))
    pop = data.table("population")
    from lagesbild_lib.analysis.population import population_total

    for area in ("hasselby-vallingby", "stockholm", "solna", "gavle", "gavleborgs-lan"):
        base = population_total(pop, registry, area, 2023)
        yearly = (forecast_total(forecast, registry, area, 2030) / base) ** (1 / 7) - 1
        assert -0.01 < yearly < 0.04, (area, yearly)
