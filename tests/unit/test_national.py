"""The national demo data (all 290 kommuner) and the kommun list shipped with the package."""

from __future__ import annotations

import csv

import pandas as pd
import pyarrow.parquet as pq
import pytest

from lagesbild_lib.cli import main
from lagesbild_lib.data.dataset import DataSet
from lagesbild_lib.demo.national import KOMMUNER_CSV, kommuner, national_tables, report_kommuner, write_national_data


def test_the_shipped_kommun_list_has_every_kommun_once_with_its_lan():
    with open(KOMMUNER_CSV, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["kommun_kod", "kommun", "lan_kod", "lan"]
    assert len(rows) == 290 and len({r["kommun_kod"] for r in rows}) == 290
    assert len({r["kommun"] for r in rows}) == 290
    assert len({r["lan_kod"] for r in rows}) == 21 and len({r["lan"] for r in rows}) == 21
    assert all(len(r["kommun_kod"]) == 4 and r["kommun_kod"].isdigit() and r["kommun_kod"][:2] == r["lan_kod"] for r in rows)
    by_code = {r["kommun_kod"]: (r["kommun"], r["lan"]) for r in rows}
    assert by_code["0180"] == ("Stockholm", "Stockholms län")
    assert by_code["1480"] == ("Göteborg", "Västra Götalands län")
    assert by_code["2584"] == ("Kiruna", "Norrbottens län")
    assert by_code["0980"] == ("Gotland", "Gotlands län")


def test_area_ids_are_unique_slugs_even_for_names_that_differ_only_in_diacritics():
    found = kommuner()
    ids = [k.area_id for k in found]
    assert len(set(ids)) == 290
    assert {k.code: k.area_id for k in found if k.name in ("Håbo", "Habo")} == {"0305": "habo-0305", "0643": "habo-0643"}
    assert next(k.area_id for k in found if k.code == "1280") == "malmo"


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    out = tmp_path_factory.mktemp("national")
    write_national_data(out, 2023)
    return out


def test_national_tables_pass_check_for_a_few_kommuner(national, capsys):
    areas = report_kommuner(3)
    assert len(set(areas)) == 3
    for area in areas:
        assert main(["check", "--data", str(national), "--year", "2023", "--area", area]) == 0, capsys.readouterr()


def test_every_kommun_is_a_report_area_with_crime_counts_population_and_indicators(national):
    data = DataSet(national)
    registry = data.areas
    ids = {k.area_id for k in kommuner()}
    assert set(registry.report_areas()) == ids
    assert {registry.get(a).level for a in ids} == {"kommun"}
    counts = pq.read_table(national / "crime_counts.parquet").to_pandas()
    owner = registry.owner_map(sorted(ids))
    assert set(counts["area_id"].map(owner)) == ids
    assert sorted(counts["year"].unique()) == [2019, 2020, 2021, 2022, 2023]
    assert counts.loc[counts["year"] == 2023, "preliminary"].all() and not counts.loc[counts["year"] < 2023, "preliminary"].any()
    population = pd.read_csv(national / "population.csv")
    assert set(population["area_id"].map(owner)) == ids
    indicators = pd.read_csv(national / "indicators.csv")
    assert ids | {"riket"} <= set(indicators["area_id"])


def test_the_same_seed_gives_the_same_tables():
    first, second = national_tables(2022, seed=7), national_tables(2022, seed=7)
    assert first["crime_counts"].equals(second["crime_counts"])
    pd.testing.assert_frame_equal(first["population"], second["population"])
    assert not first["crime_counts"].equals(national_tables(2022, seed=8)["crime_counts"])
