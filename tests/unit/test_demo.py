"""Tests of the synthetic demo data set (lagesbild_lib.demo)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

from lagesbild_lib.data.schema import GEO_LAYERS, TABLES, VULNERABLE_CATEGORIES
from lagesbild_lib.demo.crimes import crimes_table
from lagesbild_lib.demo.generate import write_demo_data
from lagesbild_lib.demo.national import kommuner
from lagesbild_lib.demo.gavle import PEERS as GAVLE_PEERS
from lagesbild_lib.demo.world import PEER_KOMMUNER, build_world, slugify

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: The demo's report kommuner (with sub-areas, geometry and row-level data) and its peer rows.
KOMMUNER = ("stockholm", "solna")
PEERS = tuple(k.area_id for k in PEER_KOMMUNER)
ABOVE = ("riket", "stockholms-lan")
#: The second demo kommun outside Stockholms län (lagesbild_lib.demo.gavle): its län and its kommungrupp peers.
GAVLE_ABOVE_AND_PEERS = ("gavleborgs-lan", *(p.area_id for p in GAVLE_PEERS))


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> dict:
    """The demo data set written once for the module, with its file list (its speed is the
    benchmark's business, never a test's)."""
    out = tmp_path_factory.mktemp("demo")
    files = write_demo_data(out, seed=2023)
    return {"dir": out, "files": files}


@pytest.fixture(scope="module")
def tables(demo) -> dict[str, pd.DataFrame]:
    """Every contract table as written (CSV read as text, so the written form is tested)."""
    out: dict[str, pd.DataFrame] = {}
    for name in TABLES:
        csv = demo["dir"] / f"{name}.csv"
        if csv.is_file():
            out[name] = pd.read_csv(csv, dtype=str, keep_default_na=False)
        else:
            out[name] = pd.read_parquet(demo["dir"] / f"{name}.parquet")
    return out


@pytest.fixture(scope="module")
def areas(tables) -> pd.DataFrame:
    return tables["areas"].set_index("area_id")


@pytest.fixture(scope="module")
def cells(demo) -> dict[str, object]:
    doc = json.loads((demo["dir"] / "areas.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["area_id"]: shape(f["geometry"]) for f in doc["features"]}


def _children(areas: pd.DataFrame, parent: str) -> list[str]:
    return areas.index[areas["parent_id"] == parent].tolist()


def _below(areas: pd.DataFrame, parent: str) -> list[str]:
    """Every area under ``parent`` (not itself), depth first."""
    return [a for c in _children(areas, parent) for a in (c, *_below(areas, c))]


def _report_leaves(areas: pd.DataFrame, kommuner: tuple[str, ...] = (*KOMMUNER, "gavle")) -> list[str]:
    """The lowest-level areas of the report kommuner (Stockholm's stadsdelar, Solna's delområden and,
    unless ``kommuner`` says otherwise, Gävle's): the areas with geometry, crimes and weekly
    assessments (the peer kommuner have none)."""
    return [a for k in kommuner for a in _below(areas, k) if not _children(areas, a)]


def _num(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series)


# ----------------------------------------------------------------- files and contract


def test_same_seed_gives_byte_identical_files(demo, tmp_path):
    again = write_demo_data(tmp_path / "again", seed=2023)
    assert [p.name for p in again] == [p.name for p in demo["files"]]
    for first, second in zip(demo["files"], again):
        assert first.read_bytes() == second.read_bytes(), first.name


def test_different_seed_gives_different_crimes(tables):
    other = crimes_table(build_world(7))
    mine = tables["crimes"]
    assert len(other) != len(mine) or not other["lon"].equals(mine["lon"])


def test_every_contract_table_and_layer_is_written(demo):
    names = {p.name for p in demo["files"]}
    assert "crimes.parquet" in names
    for name in TABLES:
        assert f"{name}.csv" in names or f"{name}.parquet" in names, name
    for layer in GEO_LAYERS:
        assert f"{layer}.geojson" in names
    assert "DEMODATA.txt" in names
    assert all(p.parent == demo["dir"] and p.is_file() for p in demo["files"])


@pytest.mark.parametrize("name", sorted(TABLES))
def test_table_has_every_contract_column(tables, name):
    spec = TABLES[name]
    assert set(spec.required_columns) <= set(tables[name].columns)
    assert [c.name for c in spec.columns] == list(tables[name].columns)
    assert len(tables[name]) > 0


@pytest.mark.parametrize("name", sorted(n for n in TABLES if TABLES[n].unique))
def test_unique_keys(tables, name):
    key = list(TABLES[name].unique)
    assert not tables[name].duplicated(key).any()


def test_whole_data_set_passes_contract_validation(demo):
    from lagesbild_lib.data.dataset import DataSet

    data = DataSet(demo["dir"])
    counts = data.validate_all()
    assert counts["crimes.parquet"] > 200_000
    assert data.is_demo


def test_csv_booleans_dates_and_decimals(demo):
    counts = (demo["dir"] / "crime_counts.csv").read_text(encoding="utf-8").splitlines()
    assert counts[0] == "year,month,area_id,category,count,preliminary,suppressed"
    assert {line.rsplit(",", 2)[1] for line in counts[1:]} == {"true", "false"}
    events = pd.read_csv(demo["dir"] / "critical_events.csv", dtype=str)
    assert events["event_date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert events["lat"].str.fullmatch(r"\d+\.\d{5}").all()
    assert set(events["fatal"]) <= {"true", "false"}


def test_geojson_layers(demo, areas):
    doc = json.loads((demo["dir"] / "areas.geojson").read_text(encoding="utf-8"))
    assert doc["crs"]["properties"]["name"].endswith("CRS84")
    ids = [f["properties"]["area_id"] for f in doc["features"]]
    # the report kommuner's leaves, and the peer kommuner that are members of a lokalpolisområde (their real outline)
    assert sorted(ids) == sorted([*_report_leaves(areas), "ekero", "sundbyberg"])
    assert not set(ids) & ({*PEERS, *ABOVE, *GAVLE_ABOVE_AND_PEERS} - {"ekero", "sundbyberg"})  # other peer rows: no geometry
    for feature in doc["features"]:
        geom = shape(feature["geometry"])
        assert geom.geom_type in ("Polygon", "MultiPolygon") and geom.is_valid
        x, y = geom.centroid.x, geom.centroid.y
        assert (17.6 < x < 18.3 and 59.2 < y < 59.5) or (16.7 < x < 17.4 and 60.2 < y < 61.1)  # Stockholm, Solna and Ekerö, or Gävle
    vulnerable = json.loads((demo["dir"] / "vulnerable_areas.geojson").read_text(encoding="utf-8"))
    assert len(vulnerable["features"]) >= 5
    assert {f["properties"]["category"] for f in vulnerable["features"]} <= set(VULNERABLE_CATEGORIES)


# ----------------------------------------------------------------- areas


def test_area_hierarchy(areas):
    assert all(SLUG.fullmatch(a) for a in areas.index)
    tops = areas.index[areas["parent_id"] == ""].tolist()
    assert tops == ["riket"] and areas.loc["riket", "level"] == "riket"
    assert sorted(_children(areas, "riket")) == sorted(["stockholms-lan", *GAVLE_ABOVE_AND_PEERS])
    assert areas.loc["stockholms-lan", "level"] == "lan" and _children(areas, "gavleborgs-lan") == ["gavle"]
    kommuner_in_lan = _children(areas, "stockholms-lan")
    assert sorted(kommuner_in_lan) == sorted([*KOMMUNER, *PEERS])
    assert (areas.loc[kommuner_in_lan, "level"] == "kommun").all()
    assert areas.loc[areas["parent_id"] != "", "parent_id"].isin(areas.index).all()
    districts = _children(areas, "stockholm")
    assert len(districts) == 13 and "hasselby-vallingby" in districts
    assert (areas.loc[districts, "level"] == "stadsdelsomrade").all()
    stadsdelar = [s for d in districts for s in _children(areas, d)]
    assert len(stadsdelar) == 117
    assert (areas.loc[stadsdelar, "level"] == "stadsdel").all()


def test_solna_has_only_two_levels(areas):
    parts = _children(areas, "solna")
    assert 6 <= len(parts) <= 8
    assert (areas.loc[parts, "level"] == "delomrade").all()
    assert not any(_children(areas, p) for p in parts)


def test_slugs_and_collision_rule(areas):
    assert slugify("Hässelby gård") == "hasselby-gard"
    assert slugify("Enskede-Årsta-Vantör") == "enskede-arsta-vantor"
    assert areas.loc["hasselby-gard", "name"] == "Hässelby gård"
    assert areas.loc["vallingby", "parent_id"] == "hasselby-vallingby"
    assert areas.loc["skarholmen", "level"] == "stadsdelsomrade"
    assert areas.loc["skarholmen-stadsdel", "parent_id"] == "skarholmen"
    assert areas.loc["farsta-stadsdel", "name"] == "Farsta"


@pytest.mark.parametrize("name", [n for n in sorted(TABLES) if any(c.kind == "area" for c in TABLES[n].columns)])
def test_area_ids_exist(tables, areas, name):
    assert tables[name]["area_id"].isin(areas.index).all()


# ----------------------------------------------------------------- crimes


def test_crime_categories(tables):
    cats = tables["crime_categories"]
    assert 14 <= len(cats) <= 18
    assert cats["category"].str.fullmatch(r"[a-z_]+").all()
    assert {"Brott mot hushåll", "Brott mot person"} <= set(cats["group"])
    assert (cats["intimate_partner"] == "true").sum() >= 2
    assert set(tables["crimes"]["category"]) == set(cats["category"])


def test_crimes_shape(tables, areas):
    crimes = tables["crimes"]
    assert crimes["crime_id"].is_unique
    years = pd.to_datetime(crimes["reported_date"]).dt.year
    assert sorted(years.unique()) == list(range(2019, 2026))
    assert crimes["area_id"].isin(_report_leaves(areas)).all()
    assert set(crimes["area_id"]) == set(_report_leaves(areas))
    cats = tables["crime_categories"].set_index("category")
    household = cats.index[cats["group"] == "Brott mot hushåll"]
    assert crimes.loc[crimes["category"].isin(household), "victim_age"].isna().all()
    assert crimes.loc[crimes["category"] == "personran", "victim_age"].notna().all()


def test_crime_volume_per_inhabitant(tables, areas):
    crimes, pop = tables["crimes"], tables["population"]
    per_year = len(crimes) / 7
    inhabitants = _num(pop.loc[(pop["year"] == "2023") & pop["area_id"].isin(_report_leaves(areas)), "count"]).sum()
    assert 30 <= per_year / inhabitants * 1000 <= 60


def test_crimes_lie_in_their_cells(tables, cells):
    crimes = tables["crimes"]
    for area, group in crimes.groupby("area_id"):
        inside = shapely.contains_xy(cells[area].buffer(1e-4), group["lon"].to_numpy(), group["lat"].to_numpy())
        assert inside.all(), area


def test_vallingby_has_most_violent_crimes_in_hasselby_vallingby(tables, areas):
    cats = tables["crime_categories"]
    violent = cats.loc[cats["violent"] == "true", "category"]
    crimes = tables["crimes"]
    mine = crimes[crimes["category"].isin(violent) & crimes["area_id"].isin(_children(areas, "hasselby-vallingby"))]
    assert mine["area_id"].value_counts().idxmax() == "vallingby"


def test_vallingby_centrum_is_a_hotspot(tables):
    crimes = tables["crimes"]
    near = (abs(crimes["lon"] - 17.8716) < 0.003) & (abs(crimes["lat"] - 59.3633) < 0.0015)
    assert near[crimes["category"] == "misshandel_utomhus"].sum() > 300


def test_crime_counts_match_crimes(tables, areas):
    """The report kommuner's counts are their crimes counted; the rest are the peer rows."""
    crimes, counts = tables["crimes"], tables["crime_counts"]
    mine = counts["area_id"].isin(_report_leaves(areas))
    assert set(counts.loc[~mine, "area_id"]) == {*PEERS, *ABOVE, *GAVLE_ABOVE_AND_PEERS}
    counts = counts[mine]
    dates = pd.to_datetime(crimes["reported_date"])
    keys = [dates.dt.year.rename("year"), dates.dt.month.rename("month"), "area_id", "category"]
    expected = crimes.groupby(keys).size()
    got = counts.assign(year=_num(counts["year"]), month=_num(counts["month"])).set_index(
        ["year", "month", "area_id", "category"]
    )["count"]
    assert got.astype(int).sort_index().tolist() == expected.sort_index().tolist()
    assert set(counts.loc[counts["year"] == "2025", "preliminary"]) == {"true"}
    assert set(counts.loc[counts["year"] != "2025", "preliminary"]) == {"false"}


def test_small_counts_for_outdoor_rape(tables, areas):
    crimes = tables["crimes"]
    rapes = crimes[crimes["category"] == "valdtakt_utomhus"]
    district = rapes["area_id"].map(areas["parent_id"])
    per = rapes.groupby([district, pd.to_datetime(rapes["reported_date"]).dt.year]).size()
    assert per.median() < 10


# ----------------------------------------------------------------- peer rows (riket, län, kommungrupp)


def test_peer_kommuner_are_real_kommuner_of_stockholms_lan(areas):
    real = {k.code: k for k in kommuner()}
    assert len(PEER_KOMMUNER) >= 10 and len(set(PEERS)) == len(PEERS)
    for peer in PEER_KOMMUNER:
        assert real[peer.code].name == peer.name and real[peer.code].lan == "Stockholms län", peer
        assert real[peer.code].area_id == peer.area_id and areas.loc[peer.area_id, "name"] == peer.name
    assert {real["0180"].area_id, real["0184"].area_id} == set(KOMMUNER)
    assert areas.loc["stockholms-lan", "name"] == "Stockholms län" and areas.loc["riket", "name"] == "Riket"


def test_kommungrupp_places_solna_among_its_peers(tables):
    groups = tables["kommungrupp"].set_index("area_id")["kommungrupp"]
    assert groups["stockholm"] == "Storstäder"
    assert groups["solna"] == "Pendlingskommun nära storstad"
    assert sorted(groups.index[groups == groups["solna"]]) == sorted(["solna", *PEERS])
    assert set(tables["kommungrupp"]["year"]) == {"2023"}


def test_peer_areas_are_peer_rows_only(tables, areas):
    """No sub-areas, geometry (test_geojson_layers), crimes, assessments, events, survey, places,
    ratings, indicators (but Gävle's references'), forecasts (but Gävleborgs län's) or plans: only population, crime_counts,
    kommungrupp and police_areas rows."""
    assert not any(_children(areas, p) for p in [*PEERS, *GAVLE_ABOVE_AND_PEERS[1:]])
    peer_like = {*PEERS, *ABOVE, *GAVLE_ABOVE_AND_PEERS}
    for name, table in tables.items():
        if name in ("areas", "population", "crime_counts", "kommungrupp", "police_areas") or "area_id" not in table.columns:
            continue
        # Gävle's indicators compare with its län and riket and rank it among its kommungrupp
        allowed = {"riket", *GAVLE_ABOVE_AND_PEERS} if name == "indicators" else {"gavleborgs-lan"} if name == "population_forecast" else set()
        assert not set(table["area_id"]) & (peer_like - allowed), name
    assert set(tables["population"]["area_id"]) == {*_report_leaves(areas), *peer_like}


def test_peer_rows_cover_every_month_of_every_year(tables):
    counts = tables["crime_counts"]
    peer = counts[counts["area_id"].isin([*PEERS, *ABOVE])].astype({"year": int, "month": int, "count": int})
    months = peer.groupby("area_id").apply(lambda f: len(set(zip(f["year"], f["month"]))), include_groups=False)
    assert len(months) == len(PEERS) + 2 and (months == 7 * 12).all()
    assert (peer["count"] > 0).all()
    assert set(peer["category"]) == set(tables["crime_categories"]["category"])
    assert set(peer.loc[peer["year"] == 2025, "preliminary"]) == {"true"}
    assert set(peer.loc[peer["year"] != 2025, "preliminary"]) == {"false"}
    pop = tables["population"].astype({"year": int})
    for area in [*PEERS, *ABOVE]:
        assert sorted(pop.loc[pop["area_id"] == area, "year"].unique()) == list(range(2019, 2026)), area


def test_lan_and_riket_hold_their_members(tables, areas):
    """Riket ≥ the län ≥ the demo's kommuner in it, in every (year, month, category) and in population."""
    counts = tables["crime_counts"].astype({"year": int, "month": int, "count": int})
    keys = ["year", "month", "category"]
    members = counts[counts["area_id"].isin([*_report_leaves(areas, KOMMUNER), *PEERS])].groupby(keys)["count"].sum()
    lan = counts[counts["area_id"] == "stockholms-lan"].set_index(keys)["count"]
    riket = counts[counts["area_id"] == "riket"].set_index(keys)["count"]
    assert set(members.index) <= set(lan.index) and set(lan.index) <= set(riket.index)
    assert (lan.reindex(members.index) >= members).all() and lan.sum() > members.sum()
    assert (riket.reindex(lan.index) >= lan).all() and riket.sum() > 3 * lan.sum()
    pop = tables["population"].astype({"year": int, "count": int})
    totals = pop.groupby(["area_id", "year"])["count"].sum()
    in_lan = pop[pop["area_id"].isin([*_report_leaves(areas, KOMMUNER), *PEERS])].groupby("year")["count"].sum()
    assert (totals["stockholms-lan"] > in_lan).all() and (totals["riket"] > totals["stockholms-lan"]).all()
    assert 2_300_000 < totals[("stockholms-lan", 2023)] < 2_600_000 and 10_000_000 < totals[("riket", 2023)] < 11_000_000


def test_solna_compares_with_riket_lan_and_its_kommungrupp(demo, tables, areas):
    """The peer rows answer the kommun comparison of chapter Orsaker: every area has counts and
    population, Solna's counts from crime_counts equal its crimes, and the funnel plot is drawn."""
    from lagesbild_lib.analysis import peers as an
    from lagesbild_lib.data.dataset import DataSet

    data = DataSet(demo["dir"])
    group = an.peer_group(data.areas, "solna", data.table("kommungrupp"), 2024)
    assert [r.label for r in group.references] == ["Riket", "Stockholms län", "Kommungruppen Pendlingskommun nära storstad"]
    assert sorted(group.peers) == sorted(PEERS)
    ids = ["solna", *group.peers, *ABOVE]
    assert an.areas_without_counts(data.table("crime_counts"), data.areas, ids) == []
    counts = an.period_counts(data.table("crime_counts"), None, data.areas, ids, [2023, 2024], 10)
    pops = an.populations(data.table("population"), data.areas, ids, [2023, 2024])
    assert counts.notna().all().all() and pops.notna().all().all()
    crimes = tables["crimes"]
    dates = pd.to_datetime(crimes["reported_date"])
    in_solna = crimes["area_id"].isin(_below(areas, "solna")) & (dates.dt.year == 2024) & (dates.dt.month <= 10)
    assert counts.loc["solna", 2024] == in_solna.sum()
    rates = an.rates(counts, pops)
    assert rates.loc["riket", 2024] < rates.loc["stockholms-lan", 2024]
    peers = ["solna", *group.peers]
    funnel = an.funnel(counts.loc[peers, 2024], pops.loc[peers, 2024], "solna", 2024)
    assert funnel is not None and sorted(funnel.table["area_id"]) == sorted(peers)


# ----------------------------------------------------------------- weekly assessments and events


def test_weekly_assessments_cover_every_iso_week(tables, areas):
    weekly = tables["weekly_assessments"].astype({"year": int, "week": int, "level": int})
    assert weekly["level"].between(1, 5).all()
    assert weekly.loc[weekly["year"] == 2020, "week"].max() == 53
    assert weekly.loc[weekly["year"] == 2021, "week"].max() == 52
    leaves = _report_leaves(areas)
    weeks = sum(dt.date(y, 12, 28).isocalendar().week for y in range(2019, 2026))
    assert len(weekly) == weeks * len(leaves)
    assert set(weekly["area_id"]) == set(leaves)


def test_hasselby_gard_has_the_highest_weekly_level(tables, areas):
    weekly = tables["weekly_assessments"].astype({"level": int})
    hv = weekly[weekly["area_id"].isin(_children(areas, "hasselby-vallingby"))]
    means = hv.groupby("area_id")["level"].mean()
    assert means.idxmax() == "hasselby-gard"
    assert means.drop("hasselby-gard").max() < 2.5


def test_event_weeks_tend_to_be_high(tables):
    weekly = tables["weekly_assessments"].astype({"year": int, "week": int, "level": int})
    events = tables["critical_events"]
    iso = [dt.date.fromisoformat(d).isocalendar() for d in events["event_date"]]
    keys = pd.DataFrame({"year": [i.year for i in iso], "week": [i.week for i in iso], "area_id": events["area_id"]})
    levels = keys.merge(weekly, on=["year", "week", "area_id"])["level"]
    assert (levels >= 4).mean() > 0.6


def test_critical_events(tables, areas):
    events = tables["critical_events"]
    assert {"sprängning", "skjutning", "brandattentat"} <= set(events["type"])
    district = events["area_id"].map(areas["parent_id"])
    per_year = events[district == "hasselby-vallingby"].groupby(events["event_date"].str[:4]).size()
    assert per_year.between(4, 10).all() and len(per_year) == 7
    assert 0 < (events["fatal"] == "true").mean() < 0.15


# ----------------------------------------------------------------- population, indicators, survey


def test_population_sizes_and_growth(tables, areas):
    pop = tables["population"].astype({"year": int, "count": int})
    assert set(pop["sex"]) == {"kvinna", "man"}
    assert set(pop["age_group"]) == {"0-19", "20-64", "65+"}
    pop = pop[pop["area_id"].isin(_report_leaves(areas, KOMMUNER))]
    district = pop["area_id"].map(areas["parent_id"])
    kommun = district.map(lambda d: "solna" if d == "solna" else "stockholm")
    totals = pop.groupby([kommun, "year"])["count"].sum()
    assert 930_000 < totals[("stockholm", 2023)] < 1_020_000
    assert 75_000 < totals[("solna", 2023)] < 95_000
    assert 70_000 < pop[(district == "hasselby-vallingby") & (pop["year"] == 2023)]["count"].sum() < 85_000
    assert totals["stockholm"].is_monotonic_increasing


def test_indicators(tables):
    ind = tables["indicators"].assign(value=lambda f: _num(f["value"]))
    assert {"stockholm", "solna", "hasselby-vallingby"} <= set(ind["area_id"])
    assert ind.loc[ind["unit"] == "procent", "value"].between(0, 100).all()
    assert (ind["label"] != "").all()


def test_survey_shares(tables, areas):
    survey = tables["survey"].assign(share=lambda f: _num(f["share"]), respondents=lambda f: _num(f["respondents"]))
    assert survey["share"].between(0, 1).all() and (survey["respondents"] >= 1).all()
    unsafe = survey[(survey["question"] == "otrygg_kvallstid") & (survey["answer"] == "ja")]
    city = unsafe[(unsafe["area_id"] == "stockholm") & (unsafe["survey"] == "Stockholms stads trygghetsmätning")]
    assert sorted(city["year"].unique()) == ["2019", "2021", "2023", "2025"]
    by_group = city.pivot_table(index="year", columns="group", values="share")
    assert (by_group["kvinnor"] > by_group["män"]).all()
    police = unsafe[unsafe["survey"] == "Polisens trygghetsundersökning"]
    assert set(_children(areas, "stockholm")) <= set(police["area_id"])
    worry = survey[survey["question"] == "oroplatser"]
    assert {"I centrum", "I parker"} <= set(worry["answer"]) and set(worry["group"]) == {"alla"}


def test_hasselby_gard_is_most_unsafe(tables, areas):
    survey = tables["survey"].assign(share=lambda f: _num(f["share"]))
    mine = survey[
        (survey["survey"] == "Stockholms stads trygghetsmätning")
        & (survey["question"] == "otrygg_kvallstid")
        & (survey["group"] == "alla")
        & survey["area_id"].isin(_children(areas, "hasselby-vallingby"))
    ]
    assert mine.groupby("area_id")["share"].mean().idxmax() == "hasselby-gard"


# ----------------------------------------------------------------- places and programmes


def test_places_lie_in_their_areas(tables, cells):
    places = tables["places"]
    assert {"öppen drogscen", "prioriterad plats", "olovlig bosättning"} <= set(places["type"])
    assert "Vällingby centrum med omnejd" in set(places["name"])
    for row in places.itertuples():
        assert cells[row.area_id].contains(shapely.Point(float(row.lon), float(row.lat))), row.name


def test_programme_ratings(tables, areas):
    ratings = tables["programme_ratings"].assign(score=lambda f: _num(f["score"]))
    assert ratings["score"].between(1, 10).all()
    assert set(_children(areas, "stockholm")) <= set(ratings["area_id"])
    assert ratings["group_id"].str.fullmatch(r"grupp-\d+").all()
