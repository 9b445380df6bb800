"""Maps on the ground (issue 19, item 3): the base map under every map, labels that never overlap
(Bromma's 25 sub-areas), a scale bar and north arrow on every map, one class scheme for evening
unsafety on Kartbild 1 and the choropleth, ``lagesbild import basemap`` and its bad-input sentences."""

from __future__ import annotations

import json
import shutil
import sqlite3
import struct
from pathlib import Path

import pytest
import shapely
from matplotlib.legend import Legend
from matplotlib.patches import PathPatch
from shapely.geometry import LineString, Polygon, box

from lagesbild_lib.context import chapter_context
from lagesbild_lib.data.dataset import DataSet
from lagesbild_lib.errors import DataError
from lagesbild_lib.figures.basemap import (
    GROUND_GID,
    NORTH_GID,
    SCALE_GID,
    Ground,
    ground_note,
    length_text,
    scale_length,
)
from lagesbild_lib.figures.labels import (
    LABEL_GID,
    MapLabel,
    overlapping_pairs,
    renderer_of,
)
from lagesbild_lib.figures.maps import finish_map, map_figure
from lagesbild_lib.importers import run_import
from lagesbild_lib.present.pieces import Chart
from lagesbild_lib.sections import brottslighet, safety_map, sammanfattning
from tests.support import run_cli

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "basemap"
MAPS = {"Kartbild 1 (översikt)": sammanfattning.overview_map, "otrygghet kvällstid": safety_map.unsafety_map,
        "våldsbrottens koncentration": brottslighet.hotspot_map}


def drawn(fig):
    renderer = renderer_of(fig)
    fig.canvas.draw()
    return renderer


def label_boxes(fig) -> list:
    """The label boxes as drawn (the renderer's extents of each label's box patch)."""
    renderer = drawn(fig)
    texts = [t for ax in fig.axes for t in ax.texts if t.get_gid() == LABEL_GID]
    return [t.get_bbox_patch().get_window_extent(renderer) for t in texts], [t.get_text() for t in texts]


def gids(fig) -> set[str]:
    return {a.get_gid() for a in fig.axes[0].findobj() if a.get_gid()}


@pytest.fixture(scope="module")
def bromma(demo_dir):
    return chapter_context(2023, "bromma", data_dir=str(demo_dir))


@pytest.fixture(scope="module")
def charts(bromma):
    return {name: make(bromma) for name, make in MAPS.items()}


# ----------------------------------------------------------------------------- every map


@pytest.mark.parametrize("name", sorted(MAPS))
def test_every_map_has_the_ground_a_scale_bar_and_a_north_arrow(charts, name):
    chart = charts[name]
    assert isinstance(chart, Chart), chart
    found = gids(chart.figure)
    assert {GROUND_GID, SCALE_GID, NORTH_GID} <= found
    # the ground lies under the data: every base map artist below every other drawn patch or image
    ax = chart.figure.axes[0]
    ground = [a.get_zorder() for a in ax.get_children() if a.get_gid() == GROUND_GID]
    data = [a.get_zorder() for a in ax.get_children() if isinstance(a, PathPatch) and a.get_gid() is None] + [i.get_zorder() for i in ax.images]
    assert ground and data and max(ground) < min(data)
    assert "Bakgrundskartan (vatten, större vägar och spårtrafik) visar var området ligger" in chart.note


@pytest.mark.parametrize("name", sorted(MAPS))
def test_no_two_labels_overlap_on_bromma(bromma, charts, name):
    boxes, texts = label_boxes(charts[name].figure)
    assert len(bromma.sub_areas) >= 24
    named = {t.split("\n")[0] for t in texts}
    assert {a.name for a in bromma.sub_areas} <= named  # every one of Bromma's sub-areas is named
    assert any(t.startswith("Ulvsunda industriområde") for t in texts) and any(t.startswith("Stora Mossen") for t in texts)
    assert overlapping_pairs(boxes) == [], [(texts[i], texts[j]) for i, j in overlapping_pairs(boxes)]


def test_labels_keep_clear_of_the_scale_bar_and_the_north_arrow(charts):
    fig = charts["Kartbild 1 (översikt)"].figure
    renderer = drawn(fig)
    ax = fig.axes[0]
    boxes, _ = label_boxes(fig)
    fixed = [a.get_window_extent(renderer) for a in ax.get_children() if a.get_gid() in (SCALE_GID, NORTH_GID)]
    assert fixed and not any(b.overlaps(f) for b in boxes for f in fixed)


def test_crowded_labels_are_moved_apart_with_leader_lines():
    squares = {f"a{i}": box(i * 10, 0, i * 10 + 10, 10) for i in range(8)}  # eight tiny areas in a row on a large map
    fig, ax = map_figure({**squares, "far": box(2000, 1500, 2010, 1510)})
    labels = [MapLabel(f"Ett långt områdesnamn {i}", 5 + i * 10, 5, inside=g) for i, g in enumerate(squares.values())]
    placed = finish_map(ax, labels)
    boxes, _ = label_boxes(fig)
    assert len(placed) == 8 and overlapping_pairs(boxes) == []
    assert sum(1 for t in placed if t.arrow_patch is not None) >= 6  # moved off their anchor: a leader shows where each belongs


# ----------------------------------------------------------------------------- one scheme per variable


def _class_legend(fig):
    legends = [c for ax in fig.axes for c in ax.get_children() if isinstance(c, Legend)] + list(fig.legends)
    for legend in legends:
        texts = [t.get_text() for t in legend.get_texts()]
        if any("%" in t for t in texts):
            pairs = [(t, tuple(round(c, 4) for c in h.get_facecolor())) for t, h in zip(texts, legend.legend_handles) if "%" in t]
            return pairs
    raise AssertionError("no class legend")


@pytest.mark.parametrize("area", ["bromma", "hasselby-vallingby"])
def test_kartbild_1_and_the_unsafety_map_share_classes_and_colours(demo_dir, area):
    ctx = chapter_context(2023, area, data_dir=str(demo_dir))
    overview, choropleth = sammanfattning.overview_map(ctx), safety_map.unsafety_map(ctx)
    assert _class_legend(overview.figure) == _class_legend(choropleth.figure)
    # and the same sub-area gets the same fill on both maps
    fills = []
    for chart in (overview, choropleth):
        ax = chart.figure.axes[0]
        fills.append(sorted({tuple(round(c, 4) for c in p.get_facecolor()) for p in ax.patches
                             if p.get_zorder() == 0.5 and p.get_gid() is None}))
    assert fills[0] == fills[1]


# ----------------------------------------------------------------------------- pieces


def test_scale_bar_lengths_and_swedish_text():
    assert scale_length(6000) == 1000 and scale_length(2000) == 250 and scale_length(150) == 50
    assert length_text(500) == "500\u00a0m" and length_text(2500) == "2,5\u00a0km" and length_text(1000) == "1\u00a0km"


def test_ground_note_names_what_is_drawn_and_its_source():
    ground = Ground((("vatten", box(0, 0, 1, 1)), ("väg", LineString([(0, 0), (1, 1)]))), ("© OpenStreetMap-bidragsgivare",))
    assert ground_note(ground) == ("Bakgrundskartan (vatten och större vägar) visar var området ligger; den är inte en del av "
                                   "uppgifterna. Bakgrundskarta: © OpenStreetMap-bidragsgivare.")
    assert ground_note(None) == ""


def test_maps_without_a_base_map_still_have_scale_bar_and_arrow(demo_dir, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    (data / "basemap.geojson").unlink()
    chart = safety_map.unsafety_map(chapter_context(2023, "hasselby-vallingby", data_dir=str(data)))
    found = gids(chart.figure)
    assert GROUND_GID not in found and {SCALE_GID, NORTH_GID} <= found
    assert "Bakgrundskartan" not in chart.note


# ----------------------------------------------------------------------------- the layer in a data folder


def _broken_layer(demo_dir, tmp_path, feature) -> Path:
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    (data / "basemap.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    return data


def test_an_unknown_base_map_kind_is_one_swedish_sentence(demo_dir, tmp_path):
    data = _broken_layer(demo_dir, tmp_path, {"type": "Feature", "properties": {"layer": "skog"},
                                              "geometry": {"type": "Polygon", "coordinates": [[[17.9, 59.3], [17.91, 59.3], [17.91, 59.31], [17.9, 59.3]]]}})
    code, _, err = run_cli("check", "--data", str(data), "--year", "2023", "--area", "hasselby-vallingby")
    assert code == 2
    assert f"{data / 'basemap.geojson'}, objekt 1: egenskapen 'layer' har värdet 'skog'; förväntade en av vatten, väg, järnväg, bebyggelse" in err


def test_a_road_drawn_as_a_point_is_refused(demo_dir, tmp_path):
    data = _broken_layer(demo_dir, tmp_path, {"type": "Feature", "properties": {"layer": "väg"}, "geometry": {"type": "Point", "coordinates": [17.9, 59.3]}})
    with pytest.raises(DataError, match=r"objekt 1: geometrin är en Point; förväntade LineString eller MultiLineString"):
        DataSet(data).geo("basemap")


# ----------------------------------------------------------------------------- lagesbild import basemap


def test_import_an_osm_extract_in_sweref(demo_dir, tmp_path):
    out = tmp_path / "out"
    result = run_import("basemap", FIX / "osm-extract-sweref.geojson", out, demo_dir, attribution="© OpenStreetMap-bidragsgivare, ODbL")
    layer = DataSet(out).geo("basemap")
    kinds = sorted(p["layer"] for p, _ in layer.features)
    assert kinds == ["bebyggelse", "järnväg", "vatten", "väg"]
    assert {p["source"] for p, _ in layer.features} == {"© OpenStreetMap-bidragsgivare, ODbL"}
    # reprojected to WGS84 and clipped to the areas: the lake near Linköping is gone
    minx, miny, maxx, maxy = shapely.union_all([g for _, g in layer.features]).bounds
    assert 17.7 < minx < maxx < 18.3 and 59.2 < miny < maxy < 59.5
    assert "highway=residential (1)" in " ".join(result.notes)  # a minor street is left out, and said so


def _gpkg_blob(geom, srs_id: int) -> bytes:
    return b"GP" + bytes([0, 0b00000001]) + struct.pack("<i", srs_id) + shapely.to_wkb(geom, byte_order=1)


def write_gpkg(path: Path) -> None:
    """A minimal GeoPackage in SWEREF 99 TM with Lantmäteriet-like classes (objekttyp)."""
    con = sqlite3.connect(path)
    con.executescript("""
        CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY, organization TEXT,
            organization_coordsys_id INTEGER, definition TEXT, description TEXT);
        CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT, identifier TEXT, srs_id INTEGER);
        CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, geometry_type_name TEXT, srs_id INTEGER, z INTEGER, m INTEGER);
        INSERT INTO gpkg_spatial_ref_sys VALUES ('SWEREF99 TM', 3006, 'EPSG', 3006, 'undefined', NULL);
        INSERT INTO gpkg_contents VALUES ('vagar', 'features', 'vagar', 3006), ('mark', 'features', 'mark', 3006);
        INSERT INTO gpkg_geometry_columns VALUES ('vagar', 'geom', 'LINESTRING', 3006, 0, 0), ('mark', 'geom', 'POLYGON', 3006, 0, 0);
        CREATE TABLE vagar (fid INTEGER PRIMARY KEY, geom BLOB, objekttyp TEXT);
        CREATE TABLE mark (fid INTEGER PRIMARY KEY, geom BLOB, objekttyp TEXT);
    """)
    road = LineString([(664000, 6583000), (666000, 6584500)])
    lake = Polygon([(661000, 6580000), (663000, 6580000), (663000, 6581000), (661000, 6581000)])
    forest = Polygon([(664000, 6585000), (665000, 6585000), (665000, 6586000)])
    con.execute("INSERT INTO vagar VALUES (1, ?, 'Motorväg')", (_gpkg_blob(road, 3006),))
    con.execute("INSERT INTO mark VALUES (1, ?, 'Sjö'), (2, ?, 'Skog')", (_gpkg_blob(lake, 3006), _gpkg_blob(forest, 3006)))
    con.commit()
    con.close()


def test_import_a_geopackage_from_the_command_line(demo_dir, tmp_path):
    source = tmp_path / "topografi.gpkg"
    write_gpkg(source)
    out = tmp_path / "out"
    code, stdout, err = run_cli("import", "basemap", str(source), "--out", str(out), "--data", str(demo_dir))
    assert code == 0, err
    assert "skog (1)" in stdout.lower()  # forest is no part of the base map
    layer = DataSet(out).geo("basemap")
    assert sorted(p["layer"] for p, _ in layer.features) == ["vatten", "väg"]
    assert {p["source"] for p, _ in layer.features} == {"topografi.gpkg"}


def test_simplify_zero_keeps_every_vertex(demo_dir, tmp_path):
    coarse = run_import("basemap", FIX / "osm-extract-sweref.geojson", tmp_path / "a", demo_dir, simplify=400.0)
    exact = run_import("basemap", FIX / "osm-extract-sweref.geojson", tmp_path / "b", demo_dir, simplify=0.0)
    assert coarse.written["basemap.geojson"] == exact.written["basemap.geojson"] == 4

    def vertices(folder):
        return sum(len(shapely.get_coordinates(g)) for _, g in DataSet(folder).geo("basemap").features)

    assert vertices(tmp_path / "b") > vertices(tmp_path / "a")


def test_a_mapping_file_names_the_classes(demo_dir, tmp_path):
    mapping = tmp_path / "klasser.csv"
    mapping.write_text("value,layer\namenity=bench,väg\n", encoding="utf-8")
    run_import("basemap", FIX / "no-known-classes.geojson", tmp_path / "out", demo_dir, mapping=mapping)
    assert [p["layer"] for p, _ in DataSet(tmp_path / "out").geo("basemap").features] == ["väg"]


@pytest.mark.parametrize(("name", "expected"), [
    ("broken-coordinates.geojson", "broken-coordinates.geojson, objekt 1: geometrin går inte att läsa (ogiltiga koordinater"),
    ("no-known-classes.geojson", "blev vatten, väg, järnväg eller bebyggelse (klasser i filen: amenity=bench (1)); ange klassernas lager med --mapping FIL"),
])
def test_a_broken_basemap_file_is_one_sentence_and_exit_2(demo_dir, tmp_path, name, expected):
    out = tmp_path / "out"
    code, _, err = run_cli("import", "basemap", str(FIX / name), "--out", str(out), "--data", str(demo_dir))
    assert code == 2 and expected in err and "Traceback" not in err
    assert not out.exists()  # nothing written


def test_a_file_that_is_not_a_geopackage(demo_dir, tmp_path):
    source = tmp_path / "trasig.gpkg"
    source.write_bytes(b"inte en databas" * 100)
    with pytest.raises(DataError, match=r"trasig.gpkg: ingen läsbar GeoPackage"):
        run_import("basemap", source, tmp_path / "out", demo_dir)
