"""Chapter 1 for a kommun (issue 17): the kommun beside its län and riket (socio-economic indicators,
the share under 20, the population forecast) and its rank among the kommuner of its kommungrupp;
a reference without data gets no column and the note says so, a rank is never invented."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from lagesbild_lib.analysis.indicators import reference_comparison, references_with_values
from lagesbild_lib.analysis.rank import indicator_ranks
from lagesbild_lib.context import chapter_context
from lagesbild_lib.data.areas import AreaRegistry
from lagesbild_lib.present.fmt import MINUS, NBSP, THIN
from lagesbild_lib.present.pieces import Table, Text
from lagesbild_lib.present.reference import kommun_references, reference_name
from lagesbild_lib.sections import omradet

AREAS = """area_id,name,level,parent_id
riket,Riket,riket,
lan,Norrlands län,lan,riket
astad,Åstad,kommun,lan
bstad,Bstad,kommun,lan
cstad,Cstad,kommun,riket
dstad,Dstad,kommun,riket
estad,Estad,kommun,riket
astad-n,Åstad norra,delomrade,astad
astad-s,Åstad södra,delomrade,astad
"""
CATEGORIES = """category,label,group,compstat,violent,intimate_partner
rån,Personrån,Brott mot person,true,true,false
"""
CRIMES = """crime_id,reported_date,category,area_id
c1,2023-01-05,rån,astad-n
"""
KOMMUNGRUPP = """year,area_id,kommungrupp
2023,astad,Större stad
2023,cstad,Större stad
2023,dstad,Större stad
2023,estad,Större stad
2023,bstad,Landsbygdskommun
"""
# Åstad 2 000 of 10 000 under 20 (20,0 %); the län 30 000 of 120 000 (25,0 %); riket 22 000 of 100 000 (22,0 %)
POPULATION = """year,area_id,age_group,sex,count
2023,astad-n,0-19,alla,1000
2023,astad-n,20-64,alla,4000
2023,astad-s,0-19,alla,1000
2023,astad-s,20-64,alla,4000
2023,lan,0-19,alla,30000
2023,lan,20-64,alla,90000
2023,riket,0-19,alla,22000
2023,riket,20-64,alla,78000
"""
ROWS = [
    # Åstad, its län, riket; the kommungrupp Större stad: Cstad, Dstad, Estad (Bstad is in another group)
    ("astad", "bistand", 3.0), ("lan", "bistand", 3.5), ("riket", "bistand", 2.94),
    ("cstad", "bistand", 4.0), ("dstad", "bistand", 3.04), ("estad", "bistand", 2.0), ("bstad", "bistand", 1.0),
    ("astad", "inkomst", 300000), ("lan", "inkomst", 290000), ("riket", "inkomst", 300200),
    ("cstad", "inkomst", 310000),
]
LABELS = {"bistand": ("procent", "Andel invånare med ekonomiskt bistånd"), "inkomst": ("kr", "Medianinkomst 20–64 år")}


def indicators(rows=ROWS) -> str:
    lines = ["year,area_id,indicator,value,unit,label"] + [f"2023,{a},{i},{v},{LABELS[i][0]},{LABELS[i][1]}" for a, i, v in rows]
    return "\n".join(lines) + "\n"


def folder(tmp_path: Path, **files: str | None) -> Path:
    base = {"areas.csv": AREAS, "crime_categories.csv": CATEGORIES, "crimes.csv": CRIMES, "population.csv": POPULATION,
            "kommungrupp.csv": KOMMUNGRUPP, "indicators.csv": indicators()}
    base.update({k.replace("__", "."): v for k, v in files.items()})
    for name, text in base.items():
        if text is not None:
            (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def context(tmp_path, **files):
    return chapter_context(2023, "astad", str(folder(tmp_path, **files)))


# ----------------------------------------------------------------------------- the references from the hierarchy
def test_a_kommun_is_compared_with_its_lan_and_riket():
    registry = AreaRegistry(pd.read_csv(io.StringIO(AREAS)))
    assert kommun_references(registry, "astad") == ["lan", "riket"]
    assert kommun_references(registry, "cstad") == ["riket"]  # directly under riket: no län
    assert [reference_name(registry, r) for r in kommun_references(registry, "astad")] == ["Norrlands län", "riket"]


def test_reference_comparison_puts_each_reference_beside_the_kommun():
    table = pd.read_csv(io.StringIO(indicators()))
    assert references_with_values(table, ["lan", "riket", "nowhere"], 2023) == (["lan", "riket"], ["nowhere"])
    frame = reference_comparison(table, "astad", ["lan", "riket"], 2023).set_index("indicator")
    assert frame.loc["bistand", "value_lan"] == 3.5 and frame.loc["bistand", "diff_lan"] == pytest.approx(-0.5)
    assert frame.loc["bistand", "wording_lan"] == "lägre"
    assert frame.loc["bistand", "wording_riket"] == "högre"  # 3,0 % against 2,9 % as shown
    assert frame.loc["inkomst", "wording_riket"] == "lägre"


# ----------------------------------------------------------------------------- the table and its sentences
def test_the_kommun_table_has_lan_and_riket_columns_differences_and_the_rank_in_its_kommungrupp(tmp_path):
    table = omradet.indicators_table(context(tmp_path))
    assert isinstance(table, Table)
    assert table.caption == "Socioekonomiska förhållanden i Åstad jämfört med Norrlands län och riket 2023"
    rank = "Rang bland kommuner i kommungruppen Större stad"
    assert list(table.table.columns) == ["Indikator", "Åstad", "Norrlands län", "Riket", "Skillnad mot Norrlands län", "Skillnad mot riket", rank]
    row = table.table.set_index("Indikator").loc["Andel invånare med ekonomiskt bistånd"]
    assert (row["Åstad"], row["Norrlands län"], row["Riket"]) == (f"3,0{NBSP}%", f"3,5{NBSP}%", f"2,9{NBSP}%")
    assert row["Skillnad mot Norrlands län"] == f"{MINUS}0,5{NBSP}procentenheter" and row["Skillnad mot riket"] == f"+0,1{NBSP}procentenheter"
    # Åstad 3,0 % among Cstad 4,0, Dstad 3,0 (shown as Åstad's), Estad 2,0: Bstad is in another group
    assert row[rank] == "den andra högsta av 4 kommuner (delad med en annan)"  # ties go to the top
    income = table.table.set_index("Indikator").loc["Medianinkomst 20–64 år"]
    assert income["Skillnad mot Norrlands län"] == f"+10{THIN}000{NBSP}kr"
    assert income[rank] == "ingen rangordning (bara 2 kommuner har värden)"  # only Cstad of the peers has a value
    assert "procentenheter" in table.note and "Underlaget saknar" not in table.note and "rangordnas bland samma grupp" not in table.note
    assert table.data["Antal rangordnade kommuner"].tolist() == [4, 2]


def test_the_sentences_compare_with_the_lan_and_then_riket(tmp_path):
    text = omradet.indicators_text(context(tmp_path))
    assert isinstance(text, Text)
    md = text.markdown
    assert md.startswith("Tabellen visar Åstads socioekonomiska förhållanden bredvid Norrlands läns och rikets.")
    assert f"Åstad ligger högre än Norrlands län som helhet när det gäller medianinkomst 20–64 år (300{THIN}000{NBSP}kr mot 290{THIN}000{NBSP}kr)" in md
    # with two references each sentence names its own: never "Området ligger lägre" after the län's sentence
    assert f"Åstad ligger lägre än Norrlands län som helhet när det gäller andel invånare med ekonomiskt bistånd (3,0{NBSP}% mot 3,5{NBSP}%)" in md
    assert "Området" not in md
    assert f"Åstad ligger högre än riket som helhet när det gäller andel invånare med ekonomiskt bistånd (3,0{NBSP}% mot 2,9{NBSP}%)" in md
    assert "staden" not in md


def test_a_kommun_without_lan_values_has_no_lan_column_and_the_note_says_so(tmp_path):
    rows = [r for r in ROWS if r[0] != "lan"]
    ctx = context(tmp_path, indicators__csv=indicators(rows))
    table = omradet.indicators_table(ctx)
    assert "Norrlands län" not in table.table.columns and "Skillnad mot Norrlands län" not in table.table.columns
    assert "Riket" in table.table.columns and table.caption.endswith("jämfört med riket 2023")
    assert "Underlaget saknar uppgifter för Norrlands län år 2023, så Åstad jämförs inte med det." in table.note
    assert "Norrlands län" not in omradet.indicators_text(ctx).markdown


def test_without_any_reference_values_only_the_kommun_is_shown_and_nothing_is_said(tmp_path):
    rows = [r for r in ROWS if r[0] not in ("lan", "riket")]
    ctx = context(tmp_path, indicators__csv=indicators(rows))
    table = omradet.indicators_table(ctx)
    assert table.caption == "Socioekonomiska förhållanden i Åstad 2023"
    assert "Underlaget saknar uppgifter för Norrlands län och riket år 2023, så Åstad jämförs inte med dem." in table.note
    assert omradet.indicators_text(ctx) is None


def test_peers_without_values_get_no_rank_column_but_one_honest_note(tmp_path):
    rows = [r for r in ROWS if r[0] not in ("cstad", "dstad", "estad")]
    table = omradet.indicators_table(context(tmp_path, indicators__csv=indicators(rows)))
    assert not any(c.startswith("Rang") for c in table.table.columns)
    assert "Ingen av de övriga kommunerna i kommungruppen Större stad har uppgifter i underlaget för 2023, så ingen rangordning anges." in table.note


def test_a_kommun_at_the_top_has_nothing_to_compare_with(tmp_path):
    areas = "area_id,name,level,parent_id\nastad,Åstad,kommun,\nastad-n,Åstad norra,delomrade,astad\nastad-s,Åstad södra,delomrade,astad\n"
    rows = [r for r in ROWS if r[0] == "astad"]
    table = omradet.indicators_table(context(tmp_path, areas__csv=areas, indicators__csv=indicators(rows), kommungrupp__csv=None))
    assert list(table.table.columns) == ["Indikator", "Åstad"]
    assert table.note == "Åstad är en hel kommun, och underlaget har inget län eller riket att jämföra med."


def test_indicator_ranks_among_given_peers_instead_of_siblings():
    table = pd.read_csv(io.StringIO(indicators()))
    registry = AreaRegistry(pd.read_csv(io.StringIO(AREAS)))
    siblings = indicator_ranks(table, registry, "astad", 2023)  # Åstad and Bstad under the län
    assert siblings[("bistand", "alla", "")].peers == 2
    peers = indicator_ranks(table, registry, "astad", 2023, peers=["cstad", "dstad", "estad"])
    rank = peers[("bistand", "alla", "")]
    assert (rank.from_top, rank.from_bottom, rank.tied, rank.peers) == (2, 2, 1, 4)


# ----------------------------------------------------------------------------- population and forecast
def test_the_share_under_20_is_compared_with_the_lan_and_riket(tmp_path):
    text = omradet.population_text(context(tmp_path)).markdown
    assert f"Andelen invånare under 20 år var 20,0{NBSP}% jämfört med 25,0{NBSP}% i Norrlands län och 22,0{NBSP}% i riket." in text


def test_without_riket_by_age_the_share_is_compared_with_the_lan_only(tmp_path):
    population = "\n".join(line for line in POPULATION.splitlines() if ",riket," not in line) + "\n"
    text = omradet.population_text(context(tmp_path, population__csv=population)).markdown
    assert f"var 20,0{NBSP}% jämfört med 25,0{NBSP}% i Norrlands län." in text


FORECAST = """year,area_id,population
2027,astad-n,5100
2027,astad-s,5200
2027,lan,118800
"""


def test_the_forecast_of_a_kommun_is_compared_with_its_lan(tmp_path):
    ctx = context(tmp_path, population_forecast__csv=FORECAST)
    text = omradet.forecast_text(ctx).markdown
    assert text.endswith(f"I Norrlands län väntas folkmängden minska med 1,0{NBSP}% under samma tid.")
    assert text.startswith(f"Enligt befolkningsprognosen väntas folkmängden i Åstad öka med 3,0{NBSP}% fram till 2027: "
                           f"från 10{THIN}000 invånare 2023 till 10{THIN}300.")
    table = omradet.forecast_table(ctx)
    assert "Norrlands län" in table.table.columns and table.table["Norrlands län"].tolist() == [f"120{THIN}000", f"118{THIN}800"]


def test_without_a_lan_forecast_the_kommun_forecast_stands_alone(tmp_path):
    ctx = context(tmp_path, population_forecast__csv="\n".join(FORECAST.splitlines()[:3]) + "\n")
    assert "län" not in omradet.forecast_text(ctx).markdown
    assert list(omradet.forecast_table(ctx).table.columns) == ["År", "Åstad", "Förändring sedan 2023, Åstad"]
