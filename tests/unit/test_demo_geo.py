"""The demo on Stockholm's real stadsdel boundaries (lagesbild_lib.demo.boundaries and its use):
the bundled outlines, the areas, crimes, places, base map and the police's vulnerable areas on them,
and what the maps say about where their outlines come from."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, shape

from lagesbild_lib.data.areas import AreaRegistry
from lagesbild_lib.data.geo import GeoLayer
from lagesbild_lib.demo.basemap import RAILWAYS, water_shapes
from lagesbild_lib.demo.boundaries import ATTRIBUTION, RESOURCE, SIZE_LIMIT, outline_key, read_outlines
from lagesbild_lib.demo.generate import write_demo_data
from lagesbild_lib.demo.geography import HOTSPOTS, PLACES, SOLNA_DELOMRADEN, STADSDELAR
from lagesbild_lib.figures.maps import SCHEMATIC_NOTE, outline_origin

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo-geo")
    write_demo_data(out, seed=2023)
    return out


@pytest.fixture(scope="module")
def features(demo) -> dict[str, tuple[dict, object]]:
    doc = json.loads((demo / "areas.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["area_id"]: (f["properties"], shape(f["geometry"])) for f in doc["features"]}


@pytest.fixture(scope="module")
def registry(demo) -> pd.DataFrame:
    return pd.read_csv(demo / "areas.csv", dtype=str, keep_default_na=False)


def _ids(registry: pd.DataFrame, parent: str) -> list[str]:
    return registry.loc[registry["parent_id"] == parent, "area_id"].tolist()


def _stockholm_leaves(registry: pd.DataFrame) -> list[str]:
    return [leaf for district in _ids(registry, "stockholm") for leaf in _ids(registry, district)]


def _by_name(registry: pd.DataFrame, ids: list[str]) -> dict[str, str]:
    names = registry.set_index("area_id")["name"]
    return {names[a]: a for a in ids}


# ----------------------------------------------------------------------------- the bundled file


def test_bundled_outlines_are_small_licensed_and_package_data():
    assert RESOURCE.stat().st_size < SIZE_LIMIT == 500_000
    licence = (RESOURCE.parent / "LICENSE-CC0.txt").read_text(encoding="utf-8")
    assert "CC0 1.0 Universal" in licence
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    assert "resources/*" in package_data["lagesbild_lib.demo"]


def test_bundled_outlines_are_a_clean_coverage_rounded_to_five_decimals():
    doc = json.loads(RESOURCE.read_text(encoding="utf-8"))
    geoms = [shape(f["geometry"]) for f in doc["features"]]
    assert len(geoms) == 117
    assert all(g.is_valid and g.geom_type == "Polygon" for g in geoms)
    assert shapely.coverage_is_valid(geoms)  # neighbours share their edges: no overlaps, no slivers
    decimals = {len(m) for m in re.findall(r"\.(\d+)", json.dumps([f["geometry"] for f in doc["features"]]))}
    assert max(decimals) <= 5


def test_every_stadsdel_has_its_real_outline_and_every_outline_is_used():
    outlines = read_outlines()
    keys = [outline_key(s.name) for s in STADSDELAR]
    assert len(set(keys)) == len(keys) == 117
    assert set(keys) == set(outlines)
    for s in STADSDELAR:  # the hand-made centroids lie in the real outlines
        assert outlines[outline_key(s.name)].contains(Point(s.lon, s.lat)), s.name


# ----------------------------------------------------------------------------- areas.geojson


def test_areas_geojson_holds_the_real_outlines_and_says_so(features, registry):
    outlines = read_outlines()
    names = registry.set_index("area_id")["name"]
    stockholm = _stockholm_leaves(registry)
    assert len(stockholm) == 117
    for area in stockholm:
        props, geom = features[area]
        assert props["source"] == ATTRIBUTION == "Stadsdelsgränser: Stockholms stad, öppna data (CC0)"
        assert "schematic" not in props
        assert shapely.equals_exact(geom, shapely.orient_polygons(outlines[outline_key(names[area])]), 0.0), area
    assert shapely.coverage_is_valid([features[a][1] for a in stockholm])


def test_solnas_schematic_cells_do_not_overlap_stockholm(features, registry):
    stockholm = shapely.union_all([features[a][1] for a in _stockholm_leaves(registry)])
    solna = _ids(registry, "solna")
    assert len(solna) == len(SOLNA_DELOMRADEN)
    by_name = _by_name(registry, solna)
    for d in SOLNA_DELOMRADEN:
        props, geom = features[by_name[d.name]]
        assert props.get("schematic") is True and "source" not in props
        assert geom.is_valid and geom.contains(Point(d.lon, d.lat)), d.name
        assert geom.intersection(stockholm).area < 1e-12, d.name


# ----------------------------------------------------------------------------- crimes, places, events


def test_every_crime_and_event_lies_in_its_areas_outline_and_not_in_water(demo, features, registry):
    water = shapely.union_all(list(water_shapes().values()))
    leaves = set(_stockholm_leaves(registry)) | set(_ids(registry, "solna"))
    crimes = pd.read_parquet(demo / "crimes.parquet")
    events = pd.read_csv(demo / "critical_events.csv")
    for frame in (crimes, events):
        mine = frame[frame["area_id"].isin(leaves)].dropna(subset=["lon", "lat"])
        assert len(mine) > 100
        for area, group in mine.groupby("area_id"):
            lon, lat = group["lon"].to_numpy(float), group["lat"].to_numpy(float)
            assert shapely.contains_xy(features[area][1], lon, lat).all(), area
            assert not shapely.contains_xy(water, lon, lat).any(), area


def test_hotspots_lie_in_their_stadsdel_on_land():
    outlines = read_outlines()
    water = shapely.union_all(list(water_shapes().values()))
    for name, (lon, lat, _) in HOTSPOTS.items():
        if outline_key(name) in outlines:
            assert outlines[outline_key(name)].contains(Point(lon, lat)), name
        assert not water.contains(Point(lon, lat)), name


def test_places_lie_in_their_areas_outline_on_land(demo, features, registry):
    water = shapely.union_all(list(water_shapes().values()))
    places = pd.read_csv(demo / "places.csv")
    places = places[places["area_id"].isin(set(_stockholm_leaves(registry)) | set(_ids(registry, "solna")))]
    assert len(places) == len(PLACES)
    for row in places.itertuples():
        assert features[row.area_id][1].contains(Point(row.lon, row.lat)), row.name
        assert not water.contains(Point(row.lon, row.lat)), row.name


def test_hasselby_vallingby_has_the_places_of_its_lagesbild_2023(demo, registry):
    places = pd.read_csv(demo / "places.csv")
    names = registry.set_index("area_id")["name"]
    mine = {(r.name, r.type): names[r.area_id] for r in places.itertuples() if r.area_id in _ids(registry, "hasselby-vallingby")}
    assert mine == {
        ("Maltesholmstorget med omnejd", "öppen drogscen"): "Hässelby strand",
        ("Hässelby torg med omnejd samt Friherregatan", "öppen drogscen"): "Hässelby gård",
        ("Råcksta torg, Ådalen och tunnelbanestationen", "öppen drogscen"): "Råcksta",
        ("Vällingby centrum med omnejd", "öppen drogscen"): "Vällingby",
        ("Hässelby torg", "prioriterad plats"): "Hässelby gård",
        ("Maltesholmstorget", "prioriterad plats"): "Hässelby strand",
        ("Vinsta företagarområde", "olovlig bosättning"): "Vinsta",
        ("Johannelunds tunnelbanestation", "olovlig bosättning"): "Vinsta",
        ("Bräckefaret", "olovlig bosättning"): "Vällingby",
        ("Fornkullen", "olovlig bosättning"): "Vällingby",
        ("Åkermyntans centrum", "samlingsplats för unga"): "Hässelby villastad",
    }


# ----------------------------------------------------------------------------- the police's areas


@pytest.fixture(scope="module")
def vulnerable(demo) -> dict[str, tuple[str, object]]:
    doc = json.loads((demo / "vulnerable_areas.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["name"]: (f["properties"]["category"], shape(f["geometry"])) for f in doc["features"]}


def test_vulnerable_areas_follow_the_police_list_of_2023(vulnerable):
    """Stockholm's and Solna's areas of the police's list of 2023 (Östberga and Älvsjö/Solberga left it)."""
    categories = {name.split(" (")[0]: category for name, (category, _) in vulnerable.items()}
    assert categories == {
        "Rinkeby/Tensta": "Särskilt utsatt område", "Husby": "Särskilt utsatt område",
        "Hässelby/Vällingby": "Utsatt område", "Bredäng": "Utsatt område", "Vårberg": "Utsatt område",
        "Hagsätra/Rågsved": "Utsatt område", "Hagalund": "Utsatt område",
    }


def test_vulnerable_areas_are_their_stadsdelars_outlines(vulnerable, features, registry):
    by_name = _by_name(registry, list(features))
    parts = {"Rinkeby/Tensta": ("Rinkeby", "Tensta"), "Husby": ("Husby",), "Bredäng": ("Bredäng",),
             "Vårberg": ("Vårberg",), "Hagsätra/Rågsved": ("Hagsätra", "Rågsved"), "Hagalund": ("Hagalund",)}
    for name, stadsdelar in parts.items():
        union = shapely.union_all([features[by_name[s]][1] for s in stadsdelar])
        assert vulnerable[name][1].symmetric_difference(union).area < 1e-9, name


def test_hasselby_vallingby_is_grimsta_hasselby_gard_hasselby_strand_and_smedshagen(vulnerable, features, registry):
    name = "Hässelby/Vällingby (Grimsta, Hässelby gård, Hässelby strand och Smedshagen)"
    category, area = vulnerable[name]
    assert category == "Utsatt område"
    by_name = _by_name(registry, list(features))
    three = shapely.union_all([features[by_name[s]][1] for s in ("Grimsta", "Hässelby gård", "Hässelby strand")])
    assert three.difference(area).area < 1e-9  # all of the three stadsdelar
    smedshagen = area.difference(three)
    villastad = features[by_name["Hässelby villastad"]][1]
    assert smedshagen.difference(villastad).area < 1e-9  # the rest lies in Hässelby villastad …
    assert 0.2 < smedshagen.area * 111.2**2 * 0.51 < 1.0  # … a small part of it (km²), near Smedshagen
    assert smedshagen.contains(Point(17.815, 59.366))
    for other in ("Vinsta", "Vällingby", "Råcksta", "Kälvesta", "Nälsta"):
        assert area.intersection(features[by_name[other]][1]).area < 1e-9, other


# ----------------------------------------------------------------------------- base map


def test_tunnelbana_ends_in_its_terminal_stadsdel():
    outlines = read_outlines()
    ends = {"Gröna linjen mot Hässelby strand": "HÄSSELBY STRAND", "Blå linjen mot Akalla": "AKALLA",
            "Blå linjen mot Hjulsta": "TENSTA", "Röda linjen mot Fruängen": "FRUÄNGEN"}
    for line, stadsdel in ends.items():
        assert outlines[stadsdel].contains(Point(RAILWAYS[line][-1])), line


def test_no_stadsdel_centre_lies_in_the_base_maps_water():
    water = shapely.union_all(list(water_shapes().values()))
    for s in (*STADSDELAR, *SOLNA_DELOMRADEN):
        assert not water.contains(Point(s.lon, s.lat)), s.name
    islands = read_outlines()
    for island in ("LÅNGHOLMEN", "REIMERSHOLME", "LILLA ESSINGEN", "STORA ESSINGEN", "GAMLA STAN", "RIDDARHOLMEN", "SKEPPSHOLMEN"):
        assert islands[island].intersection(water).area < 0.25 * islands[island].area, island


# ----------------------------------------------------------------------------- what the maps say


def _layer(props: list[dict]) -> GeoLayer:
    return GeoLayer(Path("areas.geojson"), tuple((p, shapely.box(i, 0, i + 1, 1)) for i, p in enumerate(props)))


def _registry() -> AreaRegistry:
    rows = pd.DataFrame(
        [("k", "K", "kommun", ""), ("a", "A", "delomrade", "k"), ("b", "B", "delomrade", "k"), ("c", "C", "delomrade", "k")],
        columns=["area_id", "name", "level", "parent_id"],
    )
    return AreaRegistry(rows)


def test_outline_origin_follows_the_features_not_the_folder():
    layer = _layer([{"area_id": "a", "source": ATTRIBUTION}, {"area_id": "b", "source": ATTRIBUTION}, {"area_id": "c", "schematic": True}])
    registry = _registry()
    assert outline_origin(layer, registry, ["a", "b"]) == (False, f"{ATTRIBUTION}.")
    schematic, note = outline_origin(layer, registry, ["k"])  # the kommun: the union of its leaves
    assert schematic and note == f"{SCHEMATIC_NOTE} {ATTRIBUTION}."
    assert outline_origin(_layer([{"area_id": "a"}]), registry, ["a"]) == (False, "")
    assert outline_origin(None, registry, ["a"]) == (False, "")


def test_bedrageri_is_a_compstat_category(demo):
    cats = pd.read_csv(demo / "crime_categories.csv", dtype=str)
    row = cats.set_index("category").loc["bedrageri_urval"]
    assert (row["label"], row["compstat"], row["violent"]) == ("Bedrägeri (urval)", "true", "false")
    crimes = pd.read_parquet(demo / "crimes.parquet")
    per_year = (crimes["category"] == "bedrageri_urval").sum() / crimes["reported_date"].astype(str).str[:4].nunique()
    assert 1500 < per_year < 5000  # about 3 per 1 000 inhabitants of the two kommuner
