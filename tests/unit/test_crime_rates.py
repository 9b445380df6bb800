"""Chapter 2's crimes per 1 000 inhabitants against the city, with the area's rank among its
siblings (issue 16): counts over the period, ties as shown, too few peers, no city, masked counts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lagesbild_lib.analysis.crime_rates import counts_in, rank_of, rate
from lagesbild_lib.context import chapter_context
from lagesbild_lib.data.areas import AreaRegistry
from lagesbild_lib.present.fmt import THIN
from lagesbild_lib.present.pieces import Table, Text
from lagesbild_lib.sections import brottslighet

AREAS = """area_id,name,level,parent_id
stad,Staden,kommun,
a,Alfa,stadsdelsomrade,stad
b,Beta,stadsdelsomrade,stad
c,Gamma,stadsdelsomrade,stad
d,Delta,stadsdelsomrade,stad
a1,Alfa norra,stadsdel,a
a2,Alfa södra,stadsdel,a
"""
CATEGORIES = """category,label,group,compstat,violent,intimate_partner
misshandel,Misshandel,Brott mot person,true,true,false
stold,Stöld,Brott mot egendom,true,false,false
"""
#: 1 000 inhabitants each: Alfa 1 000 (two stadsdelar of 500), Beta, Gamma, Delta; the city 4 000
POPULATION = "year,area_id,age_group,sex,count\n" + "".join(
    f"2023,{a},0-19,alla,{n}\n" for a, n in (("a1", 500), ("a2", 500), ("b", 1000), ("c", 1000), ("d", 1000)))


def crimes(counts: dict[str, tuple[int, int]], late: int = 0) -> str:
    """Crimes in 2023 (jan–okt): per area (violent, other); ``late`` more in Alfa in december (after the period)."""
    rows, n = ["crime_id,reported_date,category,area_id"], 0
    for area, (violent, other) in counts.items():
        for category, k in (("misshandel", violent), ("stold", other)):
            for _ in range(k):
                n += 1
                rows.append(f"c{n},2023-03-01,{category},{area}")
    rows += [f"x{i},2023-12-01,stold,a1" for i in range(late)]
    return "\n".join(rows) + "\n"


def folder(tmp_path: Path, crime_rows: str, suppress: int = 0) -> tuple[Path, Path]:
    for name, text in (("areas.csv", AREAS), ("crime_categories.csv", CATEGORIES), ("crimes.csv", crime_rows), ("population.csv", POPULATION)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    params = tmp_path / "params.yml"
    params.write_text(f"year: 2023\narea: a\nperiod_end: '10-31'\nsuppress_below: {suppress}\n", encoding="utf-8")
    return tmp_path, params


def test_counts_belong_to_the_area_and_every_ancestor():
    registry = AreaRegistry(pd.read_csv(pd.io.common.StringIO(AREAS)))
    frame = pd.DataFrame({"area_id": ["a1", "a2", "a2", "b"], "category": ["misshandel", "stold", "misshandel", "stold"]})
    assert counts_in(frame, registry, ["a", "b", "c", "stad"]) == {"a": 3, "b": 1, "c": 0, "stad": 4}
    assert counts_in(frame, registry, ["a", "stad"], ["misshandel"]) == {"a": 2, "stad": 2}
    assert pd.isna(rate(None, 1000)) and pd.isna(rate(5, 0)) and rate(5, 2000) == 2.5


def test_rank_of_ties_as_shown_and_leaves_out_areas_without_a_rate():
    r = rank_of({"a": 40.04, "b": 39.96, "c": 10.0, "d": float("nan")}, "a")  # 40,0 and 40,0 tie
    assert (r.place, r.end, r.tied, r.peers) == (1, "högsta", 1, 3)
    assert rank_of({"a": float("nan"), "b": 1.0}, "a") is None


def test_sentence_and_table_give_rate_city_and_rank(tmp_path):
    # per 1 000: Alfa 40 (10 violent), Beta 50 (20), Gamma 40 (12), Delta 20 (5); December is outside the period
    data, params = folder(tmp_path, crimes({"a1": (6, 14), "a2": (4, 16), "b": (20, 30), "c": (12, 28), "d": (5, 15)}, late=7))
    ctx = chapter_context(2023, "a", str(data), str(params))
    text, table = brottslighet.crime_rates(ctx)
    assert isinstance(text, Text) and isinstance(table, Table)
    assert text.markdown == (
        f"Under perioden 1 jan–31 okt 2023 anmäldes 40,0 brott per 1{THIN}000 invånare i Alfa, mot 37,5 i staden som helhet (Staden); "
        "det är den andra högsta nivån av fyra stadsdelsområden (delad med en annan). "
        f"För våldsbrott var antalet 10,0 per 1{THIN}000 invånare, mot 11,8 i staden som helhet (Staden); "
        "det är den andra lägsta nivån av fyra stadsdelsområden."
    )
    assert table.caption == "Anmälda brott per 1 000 invånare i Alfa och Staden, 1 jan–31 okt 2023"
    assert table.table["Antal i Alfa"].tolist() == ["40", "10"]
    assert table.table["Rang bland stadsdelsområden"].tolist() == [
        "den andra högsta av 4 stadsdelsområden (delad med en annan)", "den andra lägsta av 4 stadsdelsområden"]
    assert table.data["Antal rangordnade områden"].tolist() == [4, 4]


def test_few_peers_give_no_rank_and_a_masked_count_no_rate(tmp_path):
    # Gamma and Delta without population: only Alfa and Beta have rates; Alfa's 3 violent crimes are masked (suppress_below 5)
    data, params = folder(tmp_path, crimes({"a1": (3, 17), "b": (20, 30)}), suppress=5)
    (data / "population.csv").write_text("\n".join(line for line in POPULATION.splitlines() if not line.startswith(("2023,c,", "2023,d,"))) + "\n",
                                         encoding="utf-8")
    ctx = chapter_context(2023, "a", str(data), str(params))
    text, table = brottslighet.crime_rates(ctx)
    assert "det är" not in text.markdown and "våldsbrott" not in text.markdown.lower()
    assert table.table["Rang bland stadsdelsområden"].tolist()[0] == "ingen rangordning (bara 2 stadsdelsområden har värden)"
    assert table.table["Antal i Alfa"].tolist() == ["20", "<5"]
    assert table.table["Per 1 000 invånare, Alfa"].tolist() == ["20,0", "–"] and "<5 (röjandeskydd)" in table.note
    assert pd.isna(table.data["Antal i Alfa"].iloc[1])  # the workbook does not show the masked count either


def test_the_city_itself_has_nothing_to_compare(tmp_path):
    data, params = folder(tmp_path, crimes({"a1": (3, 17)}))
    assert brottslighet.crime_rates(chapter_context(2023, "stad", str(data))) is None


def test_the_peer_comparison_says_the_rank_among_the_peers(tmp_path):
    """Chapter Orsaker: the rate per 100 000 against the peers ends with the area's rank among them (ties shared)."""
    from lagesbild_lib.sections import peers

    data, params = folder(tmp_path, crimes({"a1": (6, 14), "a2": (4, 16), "b": (20, 30), "c": (12, 28), "d": (5, 15)}))
    ctx = chapter_context(2023, "a", str(data), str(params))
    text = peers.rate_comparison(ctx)[0].markdown
    assert text.startswith(f"År 2023 anmäldes 4{THIN}000 brott per 100 000 invånare i Alfa")
    assert text.endswith("Det är den andra högsta nivån av fyra stadsdelsområden i Staden (delad med en annan).")


def test_from_crime_counts_the_rates_cover_whole_months_and_say_so(tmp_path):
    """Without row-level crimes: monthly counts up to the last whole month of the period (15 okt: jan–sep)."""
    rows = ["year,month,area_id,category,count"]
    for area, (violent, other) in {"a1": (5, 15), "a2": (5, 15), "b": (20, 30), "c": (12, 28), "d": (5, 15)}.items():
        rows += [f"2023,3,{area},misshandel,{violent}", f"2023,3,{area},stold,{other}", f"2023,10,{area},stold,100"]
    data, params = folder(tmp_path, "")
    (data / "crimes.csv").unlink()
    (data / "crime_counts.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    params.write_text("year: 2023\narea: a\nperiod_end: '10-15'\n", encoding="utf-8")
    text, table = brottslighet.crime_rates(chapter_context(2023, "a", str(data), str(params)))
    assert text.markdown.startswith(f"Under perioden 1 jan–30 sep 2023 anmäldes 40,0 brott per 1{THIN}000 invånare i Alfa, mot 37,5")
    assert text.markdown.endswith("Antalen kommer från tabellen crime_counts och räknas i hela månader.")
    assert table.caption.endswith("1 jan–30 sep 2023")
