"""The demo's socio-economic indicators (issue 16): the indicators of a real Stockholm lägesbild,
consistent across levels and groups, and the first six unchanged by the ones added."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lagesbild_lib.demo.indicators import _INDICATORS, BACKGROUNDS, indicators_table
from lagesbild_lib.demo.world import YEARS, build_world, report_units


@pytest.fixture(scope="module")
def world():
    return build_world(2023)


@pytest.fixture(scope="module")
def table(world) -> pd.DataFrame:
    return indicators_table(world)


def test_the_real_lagesbild_indicators_are_there_with_swedish_labels(table):
    keys = set(table["indicator"])
    assert {"utrikes_fodda", "forgymnasial_utbildning", "gymnasial_utbildning", "eftergymnasial_utbildning",
            "behorighet_gymnasiet", "medelinkomst", "forvarvsfrekvens", "ekonomiskt_bistand", "ohalsotal", "trangboddhet"} <= keys
    labels = table.drop_duplicates("indicator").set_index("indicator")["label"]
    assert labels["utrikes_fodda"] == "Andel utrikes födda" and labels["medelinkomst"] == "Medelinkomst 20–64 år"
    assert set(table.loc[table["indicator"] == "behorighet_gymnasiet", "group"]) == {"", *BACKGROUNDS}
    assert set(table.loc[table["indicator"] == "forvarvsfrekvens", "sex"]) == {"alla", "kvinna", "man"}
    assert table.loc[table["unit"] == "procent", "value"].between(0, 100).all()
    assert not table.duplicated(["year", "area_id", "indicator", "sex", "group"]).any()


def test_the_first_six_keep_their_own_random_stream(world, table):
    """The added indicators draw from another stream: the first six are the table's first rows, as before."""
    first = table[(table["sex"] == "alla") & (table["group"] == "") & table["indicator"].isin(_INDICATORS)]
    units = report_units(world, two_level_parts=True)
    kommuner = len({u.kommun_id for u in units})
    assert len(first) == len(YEARS) * len(_INDICATORS) * (len(units) + kommuner)
    assert first.index.tolist() == list(range(len(first)))


def test_the_three_education_levels_make_the_whole(table):
    levels = table[table["indicator"].str.endswith("_utbildning")].pivot_table(index=["year", "area_id"], columns="indicator", values="value")
    assert levels.shape[1] == 3
    assert np.allclose(levels.sum(axis=1), 100.0, atol=0.15)  # the kommun rows are rounded means of rounded parts
    assert (levels["forgymnasial_utbildning"] > 0).all() and (levels["gymnasial_utbildning"] > 0).all()


def test_groups_and_sexes_agree_with_their_total(table):
    year = table[table["year"] == 2023]
    work = year[year["indicator"] == "forvarvsfrekvens"].pivot_table(index="area_id", columns="sex", values="value")
    assert (work["kvinna"] < work["alla"]).all() and (work["alla"] < work["man"]).all()
    assert np.allclose((work["kvinna"] + work["man"]) / 2, work["alla"], atol=0.11)
    school = year[year["indicator"] == "behorighet_gymnasiet"].pivot_table(index="area_id", columns="group", values="value")
    lo, hi = school[list(BACKGROUNDS)].min(axis=1), school[list(BACKGROUNDS)].max(axis=1)
    assert ((school[""] >= lo - 0.05) & (school[""] <= hi + 0.05)).all()  # the total lies between the backgrounds
    assert (school["svensk bakgrund"] > school["utländsk bakgrund"]).mean() > 0.8


def test_the_kommun_is_the_population_weighted_mean_of_its_parts(world, table):
    units = report_units(world, two_level_parts=True)
    weights = pd.Series({u.area_id: u.population for u in units})
    rows = table[(table["year"] == 2023) & (table["sex"] == "alla") & (table["group"] == "")]
    for key, tolerance in (("utrikes_fodda", 0.051), ("medelinkomst", 50.1), ("gymnasial_utbildning", 0.051)):
        values = rows[rows["indicator"] == key].set_index("area_id")["value"]
        parts = [u.area_id for u in units if u.kommun_id == "stockholm"]
        assert values["stockholm"] == pytest.approx(np.average(values[parts], weights=weights[parts]), abs=tolerance)


def test_indicators_follow_vulnerability(world, table):
    """Rinkeby-Kista (vulnerable) against Östermalm (well off), in the direction a reader expects."""
    year = table[(table["year"] == 2023) & (table["sex"] == "alla") & (table["group"] == "")].pivot_table(
        index="indicator", columns="area_id", values="value")
    more = ["utrikes_fodda", "forgymnasial_utbildning", "ekonomiskt_bistand"]
    less = ["eftergymnasial_utbildning", "behorighet_gymnasiet", "medelinkomst"]
    assert (year.loc[more, "rinkeby-kista"] > year.loc[more, "ostermalm"]).all()
    assert (year.loc[less, "rinkeby-kista"] < year.loc[less, "ostermalm"]).all()
    assert (year.loc["medelinkomst"] > year.loc["medianinkomst"]).all()
