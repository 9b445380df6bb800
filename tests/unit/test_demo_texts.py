"""The demo's example texts agree with the demo data (issue: "every sentence is a claim"): every
level word and every direction word in the demo narrative is checked against the weekly
assessments and the CompStat comparison it describes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lagesbild_lib.analysis.crime import compstat_table
from lagesbild_lib.analysis.weekly import weekly_grid
from lagesbild_lib.context import chapter_context
from lagesbild_lib.sections.brottslighet import facts

ROOT = Path(__file__).resolve().parents[2]

#: How the narrative names the demo's crime categories (a phrase the test does not know fails it).
PHRASES = {
    "skadegörelsen": "skadegorelse",
    "stölderna ur och från motorfordon": "stold_ur_fordon",
    "olaga hot": "olaga_hot",
    "misshandel inomhus": "misshandel_inomhus",
    "misshandel utomhus": "misshandel_utomhus",
    "personrånen": "personran",
}
LEVELS = {"normalt": 1, "avvikande": 2, "oroande": 3, "allvarligt": 4, "kritiskt": 5}


@pytest.fixture(scope="module")
def ctx(demo_dir):
    return chapter_context(2023, "hasselby-vallingby", str(demo_dir), str(ROOT / "params" / "2023" / "hasselby-vallingby.yml"))


def _sentences(ctx) -> list[str]:
    text = re.sub(r"[*_]", "", ctx.params.narrative["sammantagen_bedomning"])
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if s.strip()]


def _subjects(clause: str) -> list[str]:
    found = [phrase for phrase in PHRASES if phrase in clause.lower()]
    assert found, f"the test does not know what {clause!r} is about: add the phrase to PHRASES"
    return [PHRASES[p] for p in found]


def test_direction_words_follow_the_compstat_test(ctx):
    f = facts(ctx)
    table = compstat_table(f.crimes, f.categories, ctx.year, ctx.period_end).set_index("category")
    claims = 0
    for sentence in _sentences(ctx):
        for clause in re.split(r",? medan |; ", sentence):
            for verb, sign in (("har ökat", 1), ("har minskat", -1)):
                if verb in clause:
                    for category in _subjects(clause.split(verb)[0]):
                        row = table.loc[category]
                        assert row["significant"] and (row["diff"] > 0) == (sign > 0), (clause, category, row.to_dict())
                        claims += 1
            if "samma nivå" in clause:
                for category in _subjects(clause.split("samma nivå")[0]):
                    assert not table.loc[category, "significant"], (clause, category)
                    claims += 1
    assert claims >= 5


def test_level_words_follow_the_weekly_assessments(ctx):
    weekly = ctx.data.table("weekly_assessments")
    names = {a.name.lower(): a.area_id for a in ctx.sub_areas}
    grid = weekly_grid(weekly, list(names.values()), ctx.year)
    typical = grid.median(axis=1).round()  # each sub-area's typical weekly level
    claims = 0
    for sentence in _sentences(ctx):
        # the level words in reading order: the first names the named area, the rest "övriga delområden"
        words = sorted((w for w in LEVELS if re.search(rf"\b{w}\b", sentence)), key=sentence.index)
        if not words:
            continue
        named = [a for n, a in names.items() if n in sentence.lower()]
        others = "övriga delområden" in sentence
        for area in named:
            level = typical[area]
            assert any(LEVELS[w] == level for w in words[:1]), (sentence, area, level)
            claims += 1
        if others:
            allowed = {LEVELS[w] for w in words[1:]}
            for area in set(names.values()) - set(named):
                assert typical[area] in allowed, (sentence, area, typical[area])
                claims += 1
    assert claims >= 2


def test_the_police_area_is_the_one_hasselby_vallingby_belongs_to(ctx):
    assert "Lokalpolisområde Vällingby" in ctx.params.parties  # Ekerö, Bromma and Hässelby-Vällingby
