"""Lokalpolisområdet i siffror (issue 16): which police area the report's area is in, its members'
crimes from ``crimes`` or from ``crime_counts`` over one span, population said missing (never 0),
the section's sentences and table, and the validation of ``police_areas``."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from lagesbild_lib.analysis.police_area import ALL, FROM_COUNTS, FROM_CRIMES, VIOLENT, police_area_figures, police_area_of
from lagesbild_lib.cli import main
from lagesbild_lib.context import chapter_context
from lagesbild_lib.data.areas import AreaRegistry
from lagesbild_lib.data.dataset import DataSet
from lagesbild_lib.errors import DataError
from lagesbild_lib.present.pieces import Missing, Table, Text
from lagesbild_lib.sections import lokalpolisomrade

NBSP, THIN = "\u00a0", "\u202f"


@pytest.fixture()
def registry() -> AreaRegistry:
    """A city with two stadsdelsområden (one with two stadsdelar) and, beside it, a kommun with two
    delområden that has only counts, and a third kommun."""
    return AreaRegistry(pd.DataFrame({
        "area_id": ["lan", "stad", "norr", "norr-a", "norr-b", "soder", "grann", "grann-1", "grann-2", "bort"],
        "name": ["Länet", "Staden", "Norr", "Norr A", "Norr B", "Söder", "Grannby", "Grannby 1", "Grannby 2", "Bortby"],
        "level": ["lan", "kommun", "stadsdelsomrade", "stadsdel", "stadsdel", "stadsdelsomrade", "kommun", "delomrade", "delomrade", "kommun"],
        "parent_id": [None, "lan", "stad", "norr", "norr", "stad", "lan", "grann", "grann", "lan"],
    }))


POLICE = pd.DataFrame({"police_area_id": ["v", "v", "v"], "name": ["Väst", "Väst", "Väst"], "area_id": ["norr", "soder", "grann"]})
CATEGORIES = pd.DataFrame({"category": ["rån", "inbrott"], "label": ["Personrån", "Bostadsinbrott"], "group": ["P", "H"],
                           "compstat": [True, True], "violent": [True, False]})


def _crimes() -> pd.DataFrame:
    rows = [("2023-01-05", "rån", "norr-a"), ("2023-03-15", "inbrott", "norr-b"), ("2023-10-20", "rån", "norr"),
            ("2023-11-02", "rån", "norr-a"),  # after the period
            ("2022-05-01", "inbrott", "norr-a"),  # last year
            ("2023-02-01", "inbrott", "soder"), ("2023-06-30", "inbrott", "soder")]
    frame = pd.DataFrame(rows, columns=["reported_date", "category", "area_id"])
    frame["reported_date"] = pd.to_datetime(frame["reported_date"])
    return frame


def _counts(month=(1, 9, 10, 11), preliminary=False) -> pd.DataFrame:
    """Monthly counts of Grannby's two delområden (no row of its own), 2023."""
    rows = []
    for m in month:
        for area in ("grann-1", "grann-2"):
            rows += [(2023, m, area, "rån", 2), (2023, m, area, "inbrott", 3)]
    frame = pd.DataFrame(rows, columns=["year", "month", "area_id", "category", "count"])
    frame["preliminary"] = preliminary
    frame["suppressed"] = False
    return frame


def _population(missing: str | None = None) -> pd.DataFrame:
    people = {"norr-a": 1000, "norr-b": 500, "soder": 2000, "grann": 4000, "bort": 700}
    rows = [(2023, a, "0-19", "alla", n) for a, n in people.items() if a != missing]
    return pd.DataFrame(rows, columns=["year", "area_id", "age_group", "sex", "count"])


def _figures(registry, period_end=dt.date(2023, 10, 31), counts=None, population=None):
    area = police_area_of(POLICE, registry, "norr")
    counts = _counts() if counts is None else counts
    return police_area_figures(area, registry, _crimes(), counts, CATEGORIES, _population() if population is None else population,
                               2023, period_end)


def test_the_police_area_of_an_area_its_sub_areas_and_none_of_the_city(registry):
    area = police_area_of(POLICE, registry, "norr")
    assert area.members == ("norr", "soder", "grann") and area.via == "norr" and area.title == "Lokalpolisområde Väst"
    assert police_area_of(POLICE, registry, "norr-b").via == "norr"  # a stadsdel: through its stadsdelsområde
    assert police_area_of(POLICE, registry, "grann-2").via == "grann"
    assert police_area_of(POLICE, registry, "stad") is None  # the city's parts are members, the city is not
    assert police_area_of(POLICE, registry, "bort") is None
    assert police_area_of(None, registry, "norr") is None
    named = POLICE.assign(name="Lokalpolisområde Väst")
    assert police_area_of(named, registry, "soder").title == "Lokalpolisområde Väst"


def test_members_count_from_crimes_and_from_the_counts_of_a_kommun_outside_the_city(registry):
    f = _figures(registry)
    norr, soder, grann = f.members
    assert (norr.source, soder.source, grann.source) == (FROM_CRIMES, FROM_CRIMES, FROM_COUNTS)
    assert norr.counts == {ALL: 3, VIOLENT: 2}  # 1 jan–31 okt 2023: not November, not 2022
    assert soder.counts == {ALL: 2, VIOLENT: 0}
    # Grannby has no rows of its own: its delområden's months January–October, both categories
    assert grann.counts == {ALL: 3 * 2 * 5, VIOLENT: 3 * 2 * 2}
    assert (norr.population, soder.population, grann.population) == (1500, 2000, 4000)
    assert f.population == 7500 and f.total(ALL) == 35 and f.total(VIOLENT) == 14
    assert f.rate(ALL) == pytest.approx(35 / 7500 * 1000) and norr.rate(VIOLENT) == pytest.approx(2 / 1500 * 1000)
    assert (f.start, f.end, f.whole_months) == (dt.date(2023, 1, 1), dt.date(2023, 10, 31), False)
    assert not grann.preliminary and grann.suppressed == 0


def test_a_period_ending_inside_a_month_is_cut_at_the_whole_month_for_every_member(registry):
    f = _figures(registry, period_end=dt.date(2023, 10, 25))
    assert f.end == dt.date(2023, 9, 30) and f.whole_months and f.period_end == dt.date(2023, 10, 25)
    assert f.member("norr").counts[ALL] == 2  # the crime of 20 October is outside the whole months
    assert f.member("grann").counts[ALL] == 3 * 2 * 5 - 10
    # without a member on monthly counts the period is the report's
    only_crimes = police_area_figures(police_area_of(POLICE.iloc[:2], registry, "norr"), registry, _crimes(), None, CATEGORIES,
                                      _population(), 2023, dt.date(2023, 10, 25))
    assert only_crimes.end == dt.date(2023, 10, 25) and only_crimes.member("norr").counts[ALL] == 3


def test_yearly_counts_cannot_answer_part_of_a_year_and_the_sum_is_missing(registry):
    yearly = _counts(month=(1,)).assign(month=pd.NA)
    f = _figures(registry, counts=yearly)
    grann = f.member("grann")
    assert grann.counts is None and grann.missing == "yearly" and grann.rate(ALL) is None
    assert f.total(ALL) is None and f.rate(ALL) is None and f.member("norr").counts[ALL] == 3
    whole_year = _figures(registry, period_end=dt.date(2023, 12, 31), counts=yearly)
    assert whole_year.member("grann").counts == {ALL: 10, VIOLENT: 4}


def test_monthly_counts_cannot_answer_a_period_inside_january_or_a_year_they_lack(registry):
    f = _figures(registry, period_end=dt.date(2023, 1, 20))
    assert f.end == dt.date(2023, 1, 20) and f.member("grann").missing == "part-month" and f.member("norr").counts[ALL] == 1
    older = _figures(registry, counts=_counts().assign(year=2022))
    assert older.member("grann").source == FROM_COUNTS and older.member("grann").missing == "no-year" and older.total(ALL) is None


def test_missing_population_is_missing_not_zero(registry):
    f = _figures(registry, population=_population(missing="grann"))
    assert f.member("grann").population is None and f.member("grann").rate(ALL) is None
    assert f.population is None and f.rate(ALL) is None
    assert f.total(ALL) == 35  # the crimes are still counted


def test_a_member_without_any_crime_data_and_preliminary_counts(registry):
    members = pd.concat([POLICE, pd.DataFrame({"police_area_id": ["v"], "name": ["Väst"], "area_id": ["bort"]})])
    area = police_area_of(members, registry, "soder")
    f = police_area_figures(area, registry, _crimes(), _counts(preliminary=True), CATEGORIES, _population(), 2023, dt.date(2023, 10, 31))
    assert f.member("bort").source == "" and f.member("bort").counts is None and f.member("bort").missing == "no-data"
    assert f.total(ALL) is None and f.member("norr").missing == ""
    assert f.member("grann").preliminary and not f.member("norr").preliminary


# --------------------------------------------------------------------------- the section on a data folder
AREAS = """area_id,name,level,parent_id
lan,Länet,lan,
stad,Staden,kommun,lan
norr,Norr,stadsdelsomrade,stad
norr-a,Norr A,stadsdel,norr
norr-b,Norr B,stadsdel,norr
soder,Söder,stadsdelsomrade,stad
soder-a,Söder A,stadsdel,soder
grann,Grannby,kommun,lan
"""
CATEGORIES_CSV = """category,label,group,compstat,violent
rån,Personrån,Brott mot person,true,true
inbrott,Bostadsinbrott,Brott mot hushåll,true,false
"""
CRIMES_CSV = """crime_id,reported_date,category,area_id
c1,2023-01-05,rån,norr-a
c2,2023-03-15,inbrott,norr-b
c3,2023-04-01,inbrott,soder-a
c4,2022-04-01,inbrott,soder-a
"""
COUNTS_CSV = """year,month,area_id,category,count,preliminary
2023,1,grann,rån,2,true
2023,2,grann,inbrott,1500,true
2023,11,grann,inbrott,9,true
"""
POPULATION_CSV = """year,area_id,age_group,sex,count
2023,norr-a,0-19,alla,1000
2023,norr-b,0-19,alla,1000
2023,soder-a,0-19,alla,3000
2023,grann,0-19,alla,5000
"""
POLICE_CSV = """police_area_id,name,area_id
v,Väst,norr
v,Väst,grann
"""


def _folder(tmp_path: Path, **files: str | None) -> Path:
    data = {"areas.csv": AREAS, "crime_categories.csv": CATEGORIES_CSV, "crimes.csv": CRIMES_CSV, "crime_counts.csv": COUNTS_CSV,
            "population.csv": POPULATION_CSV, "police_areas.csv": POLICE_CSV}
    data.update({k.replace("__", "."): v for k, v in files.items()})
    folder = tmp_path / "data"
    folder.mkdir(parents=True)
    for name, text in data.items():
        if text is not None:
            (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_the_section_words_the_members_and_says_where_figures_come_from(tmp_path):
    ctx = chapter_context(2023, "norr", str(_folder(tmp_path)))
    heading, text, table, _map = lokalpolisomrade.section(ctx)  # no areas.geojson here: the map says it is missing
    assert heading == Text("### Lokalpolisområdet i siffror")
    words = text.markdown.replace(NBSP, " ").replace(THIN, " ")
    assert words.startswith("Lokalpolisområde Väst omfattar stadsdelsområdet Norr samt Grannby kommun, med sammanlagt 7 000 invånare 2023.")
    assert "Under 1 jan–31 okt 2023 anmäldes 1 504 brott i lokalpolisområdet; två av dem (0 %) anmäldes i Norr, där 29 % av invånarna bor." in words
    assert isinstance(table, Table) and table.caption == "Folkmängd och anmälda brott i lokalpolisområde Väst, 1 jan–31 okt 2023"
    shown = table.table.set_index("Område")
    assert list(shown.index) == ["Norr", "Grannby", "Hela lokalpolisområde Väst"]
    assert list(shown["Typ"]) == ["stadsdelsområde", "kommun", "lokalpolisområde"]
    assert shown.loc["Grannby", "Anmälda brott"] == f"1{THIN}502" and shown.loc["Grannby", "Våldsbrott"] == "2"
    assert shown.loc["Norr", "Anmälda brott per 1 000 inv."] == "1,0" and shown.loc["Hela lokalpolisområde Väst", "Folkmängd 2023"] == f"7{THIN}000"
    assert table.strong_rows == (2,) and table.data["Anmälda brott"].tolist() == [2, 1502, 1504]
    assert "Antalen för Norr kommer från tabellen crimes (enskilda anmälningar), för Grannby från tabellen crime_counts" in table.note
    assert "Antalen för Grannby 2023 är preliminära." in table.note and "Våldsbrott: personrån." in table.note


def test_the_section_says_a_missing_population_and_shows_no_zero(tmp_path):
    population = "\n".join(line for line in POPULATION_CSV.splitlines() if ",grann," not in line) + "\n"
    ctx = chapter_context(2023, "norr-a", str(_folder(tmp_path, population__csv=population)))
    text, table = lokalpolisomrade.text(ctx), lokalpolisomrade.table(ctx)
    assert "sammanlagt" not in text.markdown and text.markdown.startswith("Lokalpolisområde Väst omfattar stadsdelsområdet Norr samt Grannby kommun.")
    assert "där" not in text.markdown  # no share of the inhabitants without the police area's population
    shown = table.table.set_index("Område")
    assert shown.loc["Grannby", "Folkmängd 2023"] == "–" and shown.loc["Grannby", "Anmälda brott per 1 000 inv."] == "–"
    assert shown.loc["Hela lokalpolisområde Väst", "Folkmängd 2023"] == "–" and shown.loc["Hela lokalpolisområde Väst", "Anmälda brott"] == f"1{THIN}504"
    assert "Folkmängd 2023 saknas för Grannby" in table.note


def test_a_member_with_yearly_counts_only_is_said_and_shown_as_missing(tmp_path):
    ctx = chapter_context(2023, "norr", str(_folder(tmp_path, crime_counts__csv="year,month,area_id,category,count\n2023,,grann,rån,20\n")))
    table = lokalpolisomrade.table(ctx)
    shown = table.table.set_index("Område")
    assert shown.loc["Grannby", "Anmälda brott"] == "–" and shown.loc["Hela lokalpolisområde Väst", "Anmälda brott"] == "–"
    assert shown.loc["Norr", "Anmälda brott"] == "2" and table.data["Anmälda brott"].isna().tolist() == [False, True, True]
    assert "Grannby har bara årsantal i tabellen crime_counts, som inte kan delas upp på en del av året" in table.note
    assert "anmäldes" not in lokalpolisomrade.text(ctx).markdown  # no sum of the police area's crimes


def test_a_police_area_of_one_area_gives_no_share_of_itself(tmp_path):
    ctx = chapter_context(2023, "norr", str(_folder(tmp_path, police_areas__csv="police_area_id,name,area_id\nn,Norr,norr\n")))
    words = lokalpolisomrade.text(ctx).markdown.replace(NBSP, " ").replace(THIN, " ")
    assert words == ("Lokalpolisområde Norr omfattar stadsdelsområdet Norr, med 2 000 invånare 2023. "
                     "Under 1 jan–31 okt 2023 anmäldes två brott i lokalpolisområdet.")  # one to twelve in words


def test_an_area_in_no_police_area_gets_nothing_and_a_missing_table_is_said(tmp_path):
    folder = _folder(tmp_path)
    assert lokalpolisomrade.section(chapter_context(2023, "soder", str(folder))) is None
    (folder / "police_areas.csv").unlink()
    missing = lokalpolisomrade.section(chapter_context(2023, "norr", str(folder)))
    assert isinstance(missing, Missing) and "tabellen police_areas" in missing.message
    assert lokalpolisomrade.text(chapter_context(2023, "norr", str(folder))) is None


def test_small_counts_are_masked_with_their_rates(tmp_path):
    folder = _folder(tmp_path)
    params = tmp_path / "p.yml"
    params.write_text("suppress_below: 5\n", encoding="utf-8")
    ctx = chapter_context(2023, "norr", str(folder), str(params))
    shown = lokalpolisomrade.table(ctx).table.set_index("Område")
    assert shown.loc["Norr", "Anmälda brott"] == "<5" and shown.loc["Norr", "Anmälda brott per 1 000 inv."] == "–"
    assert "två av dem" not in lokalpolisomrade.text(ctx).markdown and "av dem" not in lokalpolisomrade.text(ctx).markdown


def test_the_demo_police_area_adds_up(demo_dir):
    ctx = chapter_context(2023, "hasselby-vallingby", str(demo_dir))
    f = lokalpolisomrade.figures(ctx)
    assert f.area.members == ("hasselby-vallingby", "bromma", "ekero")
    assert [m.source for m in f.members] == [FROM_CRIMES, FROM_CRIMES, FROM_COUNTS]
    assert f.population == sum(m.population for m in f.members) and f.total(ALL) == sum(m.counts[ALL] for m in f.members)
    assert 170_000 < f.population < 200_000 and f.member("ekero").population > 25_000
    crimes = ctx.data.crimes_for(ctx.areas.descendants("hasselby-vallingby"), 2023, 2023)
    assert f.member("hasselby-vallingby").counts[ALL] == int((crimes["reported_date"] <= "2023-10-31").sum())


# --------------------------------------------------------------------------- validation
def _validate(tmp_path: Path, police: str) -> str:
    with pytest.raises(DataError) as err:
        DataSet(_folder(tmp_path, police_areas__csv=police)).validate_all()
    return str(err.value)


def test_an_unknown_area_is_refused_with_file_row_column_and_value(tmp_path):
    message = _validate(tmp_path, POLICE_CSV + "v,Väst,ostby\n")
    assert "police_areas.csv, rad 4, kolumn 'area_id': värdet 'ostby' är inte giltigt; förväntade ett area_id som finns i tabellen areas" in message


def test_an_area_in_two_police_areas_is_refused(tmp_path):
    message = _validate(tmp_path, POLICE_CSV + "o,Öst,grann\n")
    assert "police_areas.csv, rad 4, kolumn 'area_id': värdet 'grann' är inte giltigt" in message
    assert "'grann' hör till 'v' på rad 3" in message


def test_two_names_of_one_police_area_a_member_inside_another_and_a_repeated_row_are_refused(tmp_path):
    assert "rad 3, kolumn 'name': värdet 'Västra' är inte giltigt; förväntade samma namn som på rad 2" in _validate(
        tmp_path / "a", "police_area_id,name,area_id\nv,Väst,norr\nv,Västra,grann\n")
    assert "rad 3, kolumn 'area_id': värdet 'norr-a' är inte giltigt; förväntade ett område som inte ligger inom ett annat område" in _validate(
        tmp_path / "b", "police_area_id,name,area_id\nv,Väst,norr\no,Öst,norr-a\n")
    assert "finns redan" in _validate(tmp_path / "c", POLICE_CSV + "v,Väst,norr\n")


def test_check_exits_2_on_a_bad_police_areas_table(tmp_path, capsys):
    folder = _folder(tmp_path, police_areas__csv=POLICE_CSV + "o,Öst,grann\n")
    assert main(["check", "--data", str(folder), "--area", "norr", "--year", "2023"]) == 2
    assert "police_areas.csv" in capsys.readouterr().err


def test_the_demo_police_areas_pass(demo_dir, tmp_path):
    data = tmp_path / "demo"
    shutil.copytree(demo_dir, data)
    assert DataSet(data).validate_all()["police_areas.csv"] == 5


def test_ekero_draws_from_its_own_stream_and_moves_no_other_peer(monkeypatch):
    """Ekerö joined the demo's peer kommuner for lokalpolisområde Vällingby: the other peers' counts
    are the same as without it (only the län and riket, which it belongs to, change)."""
    from lagesbild_lib.demo import peers
    from lagesbild_lib.demo.world import PEER_KOMMUNER, build_world

    world = build_world(2023)
    counts = pd.DataFrame({"year": [2023], "month": [1], "area_id": ["vallingby"], "category": ["bostadsinbrott"], "count": [1],
                           "preliminary": [False], "suppressed": [False]})
    population = pd.DataFrame({"year": list(range(2019, 2026)), "area_id": "vallingby", "age_group": "0-19", "sex": "alla", "count": 1000})
    with_ekero = peers.with_peer_counts(world, counts, population)
    monkeypatch.setattr(peers, "PEER_KOMMUNER", tuple(k for k in PEER_KOMMUNER if k.area_id != "ekero"))
    without = peers.with_peer_counts(world, counts, population)
    others = [k.area_id for k in PEER_KOMMUNER if k.area_id != "ekero"]
    pick = lambda frame: frame[frame["area_id"].isin(others)].reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(pick(with_ekero), pick(without))
    assert (with_ekero["area_id"] == "ekero").sum() > 12 * 7 and not (without["area_id"] == "ekero").any()
