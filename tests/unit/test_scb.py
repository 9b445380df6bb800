"""SCB population (JSON-stat 2.0) → ``population``: the format, the age groups, and the traps
(``..`` stays missing, areas of a division that did not exist in a year, other division codes)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from lagesbild_lib.errors import DataError
from lagesbild_lib.importers import run_import
from lagesbild_lib.importers.apisource import small_area
from lagesbild_lib.importers.jsonstat import parse_jsonstat
from lagesbild_lib.importers.scb import age_band, parse_groups

API = Path(__file__).resolve().parents[1] / "fixtures" / "api"


def dataset(regions, years, values, *, ages=("-4", "5-19", "20-64", "65-"), sexes=("1", "2"), status=None, extra=None) -> dict:
    dims = {"Region": list(regions), "Alder": list(ages), "Kon": list(sexes), "Tid": list(years)}
    if extra:
        dims = {**dims, **extra}
    return {
        "version": "2.0", "class": "dataset", "label": "Folkmängd", "updated": "2025-02-21T07:00:00Z",
        "id": list(dims), "size": [len(v) for v in dims.values()], "role": {"time": ["Tid"], "geo": ["Region"]},
        "dimension": {d: {"label": d.lower(), "category": {"index": {c: i for i, c in enumerate(v)}, "label": {c: c for c in v}}}
                      for d, v in dims.items()},
        "value": values, "status": status or {},
    }


@pytest.fixture()
def registry(tmp_path) -> Path:
    folder = tmp_path / "registry"
    folder.mkdir()
    shutil.copy(API / "areas_orebro.csv", folder / "areas.csv")
    return folder


def write(tmp_path: Path, doc: dict, name: str = "scb.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def imported(tmp_path, registry, doc, **options) -> pd.DataFrame:
    run_import("scb-befolkning", write(tmp_path, doc), tmp_path / "out", registry, **options)
    return pd.read_csv(tmp_path / "out" / "population.csv", dtype={"age_group": str})


def test_values_are_read_in_row_major_order_and_dots_stay_missing():
    doc = dataset(["1880"], ["2023"], [1, 2, 3, 4, 5, 6, None, 8], status={"6": ".."})
    [ds], _ = parse_jsonstat(doc, "x")
    assert ds.cells[("1880", "-4", "1", "2023")] == 1.0
    assert ds.cells[("1880", "-4", "2", "2023")] == 2.0  # the last dimension before it varies fastest
    assert ds.cells[("1880", "65-", "1", "2023")] is None
    sparse = dataset(["1880"], ["2023"], None)
    sparse["value"] = {"3": 7}
    [ds], _ = parse_jsonstat(sparse, "x")
    assert ds.cells == {("1880", "5-19", "2", "2023"): 7.0}


def test_ages_are_summed_into_the_contract_groups(tmp_path, registry):
    doc = dataset(["1880"], ["2023"], [10, 11, 20, 21, 50, 51, 30, 31])
    table = imported(tmp_path, registry, doc)
    got = {(r.age_group, r.sex): r.count for r in table.itertuples()}
    assert got == {("0-19", "man"): 30, ("0-19", "kvinna"): 32, ("20-64", "man"): 50, ("20-64", "kvinna"): 51,
                   ("65+", "man"): 30, ("65+", "kvinna"): 31}
    fine = imported(tmp_path, registry, doc, age_groups="fina")
    assert sorted(set(fine["age_group"]), key=lambda g: int(g.split("-")[0].rstrip("+"))) == ["0-4", "5-19", "20-64", "65+"]


def test_a_group_with_a_missing_band_is_missing_not_the_sum_of_the_rest(tmp_path, registry):
    doc = dataset(["1880"], ["2023"], [10, 11, None, 21, 50, 51, 30, 31], status={"2": ".."})
    table = imported(tmp_path, registry, doc)
    assert ("0-19", "man") not in {(r.age_group, r.sex) for r in table.itertuples()}
    assert len(table) == 5


def test_old_division_areas_have_no_row_in_the_new_divisions_years(tmp_path, registry):
    doc = dataset(["1880R001"], ["2023", "2024"], [5] * 16)  # SCB gives numbers (often 0) in every year
    table = imported(tmp_path, registry, doc)
    assert set(table["year"]) == {2023}


def test_codes_of_another_division_than_the_registry_are_refused(tmp_path, registry):
    doc = dataset(["1880R001_RegSO2025"], ["2024"], [5] * 8)
    with pytest.raises(DataError, match=r"annan RegSO/DeSO-indelning än områdesregistrets \(RegSO 2020\).*kan inte översättas"):
        run_import("scb-befolkning", write(tmp_path, doc), tmp_path / "out", registry)
    assert not (tmp_path / "out" / "population.csv").exists()


def test_a_registry_of_the_2025_division_takes_the_2025_codes(tmp_path, registry):
    areas = (registry / "areas.csv").read_text(encoding="utf-8").replace("1880R001", "1880R001_RegSO2025")
    (registry / "areas.csv").write_text(areas, encoding="utf-8")
    doc = dataset(["1880R001", "1880R001_RegSO2025"], ["2023", "2024"], list(range(32)))
    table = imported(tmp_path, registry, doc)
    assert set(table["year"]) == {2024} and set(table["area_id"]) == {"vivalla"}


def test_bad_input_is_one_sentence(tmp_path, registry):
    def refused(doc, pattern):
        with pytest.raises(DataError, match=pattern):
            run_import("scb-befolkning", write(tmp_path, doc), tmp_path / "out", registry)

    refused({"id": ["Region"]}, "inte JSON-stat 2.0")
    no_sex = dataset(["1880"], ["2023"], [1, 2, 3, 4], sexes=("1",))
    no_sex["id"].remove("Kon")
    no_sex["size"] = [1, 4, 1]
    del no_sex["dimension"]["Kon"]
    refused(no_sex, r"ingen dimension för kön \(Kon\)")
    refused(dataset(["1880"], ["2023M01"], list(range(8))), "'2023M01' är inget år")
    refused(dataset(["1880"], ["2023"], list(range(16)), extra={"Civilstand": ["OG", "G"]}), "har 2 värden; förväntade ett")
    refused(dataset(["1880"], ["2023"], list(range(8)), ages=("-4", "5-24", "25-64", "65-")), "'5-24' passar inte")
    refused(dataset(["9999"], ["2023"], list(range(8))), "ingen folkmängd för ett område i områdesregistret")
    bad = dataset(["1880"], ["2023"], list(range(8)))
    bad["value"] = bad["value"][:-1]
    refused(bad, "'value' har 7 värden men dimensionerna ger 8 celler")


def test_age_bands_and_groups_read_as_scb_writes_them():
    assert age_band("-4") == (0, 4) and age_band("80-") == (80, None) and age_band("100+") == (100, None)
    assert age_band("17") == (17, 17) and age_band("tot", "totalt ålder") is None
    assert age_band("x", "20-24 år") == (20, 24)
    assert parse_groups(None) == ((0, 19), (20, 64), (65, None))
    assert parse_groups("0-15,16-64,65+") == ((0, 15), (16, 64), (65, None)) and parse_groups("fina") is None
    with pytest.raises(DataError, match="ingen åldersgrupp"):
        parse_groups("unga")


def test_small_area_codes_and_their_years():
    old, new = small_area("1880R001"), small_area("1880R001_RegSO2025")
    assert (old.kind, old.version, new.version) == ("RegSO", "2020", "2025")
    assert small_area("1880C1010").kind == "DeSO" and small_area("1880C1010").version == "2018"
    assert small_area("1880") is None and small_area("00") is None
    assert old.exists_in(2023) and not old.exists_in(2024) and new.exists_in(2024) and not new.exists_in(2023)
