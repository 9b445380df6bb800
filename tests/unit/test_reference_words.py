"""The words the report compares an area with come from the hierarchy (DESIGN §6): a stadsdelsområde
with "staden", a RegSO or another part of a kommun with "kommunen", a kommun's sub-areas with the
kommun itself ("hela Solna")."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from lagesbild_lib.analysis.forecast import Growth, forecast_sentence
from lagesbild_lib.analysis.indicators import indicator_comparison, indicator_sentences
from lagesbild_lib.data.areas import AreaRegistry
from lagesbild_lib.present.reference import city_word, genitive, reference_words

REGISTRY = AreaRegistry(pd.DataFrame({
    "area_id": ["riket", "lan", "stockholm", "bromma", "abrahamsberg", "orebro", "vivalla", "vivalla-1", "solna", "huvudsta"],
    "name": ["Riket", "Stockholms län", "Stockholm", "Bromma", "Abrahamsberg", "Örebro", "Vivalla", "Vivalla 1", "Solna", "Huvudsta"],
    "level": ["riket", "lan", "kommun", "stadsdelsomrade", "stadsdel", "kommun", "regso", "deso", "kommun", "delomrade"],
    "parent_id": [None, "riket", "lan", "stockholm", "bromma", "lan", "orebro", "vivalla", "lan", "solna"],
}))


def _ctx(area_id: str) -> SimpleNamespace:
    area = REGISTRY.get(area_id)
    city_id = REGISTRY.city_of(area_id)
    city = REGISTRY.get(city_id) if city_id and city_id != area_id else None
    return SimpleNamespace(area=area, areas=REGISTRY, city_to_compare=city)


@pytest.mark.parametrize(("area", "definite", "genitive_", "rest", "name"), [
    ("bromma", "staden", "stadens", "övriga staden", "Stockholm"),  # a stadsdelsområde: its city
    ("abrahamsberg", "staden", "stadens", "övriga staden", "Stockholm"),  # a stadsdel, inside a stadsdelsområde
    ("vivalla", "kommunen", "kommunens", "övriga kommunen", "Örebro"),  # a RegSO: its kommun
    ("vivalla-1", "kommunen", "kommunens", "övriga kommunen", "Örebro"),  # a DeSO
    ("solna", "hela Solna", "hela Solnas", "övriga Solna", "Solna"),  # a kommun: its sub-areas against itself
])
def test_reference_words_follow_the_hierarchy(area, definite, genitive_, rest, name):
    words = reference_words(_ctx(area))
    assert (words.definite, words.genitive, words.rest, words.name) == (definite, genitive_, rest, name)
    assert words.is_self == (area == "solna")
    assert words.whole == ("hela Solna" if area == "solna" else f"hela {definite}")


def test_city_word_and_genitive():
    assert city_word(REGISTRY, "bromma") == "staden" and city_word(REGISTRY, "huvudsta") == "kommunen"
    assert genitive("Solna") == "Solnas" and genitive("Västerås") == "Västerås" and genitive("Luleå") == "Luleås"


def test_sentences_name_the_kommun_for_a_regso():
    indicators = pd.DataFrame({
        "year": [2023] * 2, "area_id": ["vivalla", "orebro"], "indicator": ["bistand"] * 2,
        "value": [12.0, 4.0], "unit": ["procent"] * 2, "label": ["Andel med ekonomiskt bistånd"] * 2,
    })
    frame = indicator_comparison(indicators, "vivalla", "orebro", 2023)
    text = indicator_sentences(frame, "Vivalla", reference_words(_ctx("vivalla")).definite)
    assert text.startswith("Vivalla ligger högre än kommunen som helhet när det gäller") and "staden" not in text
    grow = Growth(2023, 100_000, 2027, 104_000)
    city = Growth(2023, 150_000, 2027, 160_000)
    sentence = forecast_sentence("Vivalla", grow, "Örebro", city, reference_words(_ctx("vivalla")).definite)
    assert "I kommunen som helhet (Örebro)" in sentence and "staden" not in sentence
