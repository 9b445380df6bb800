"""Unit tests of lagesbild_lib.present.text: the fixed Swedish wordings."""

from __future__ import annotations

import pytest

from lagesbild_lib.analysis.stats import poisson_change_test
from lagesbild_lib.present.text import (
    change_wording,
    count_sentence,
    few_cases_caveat,
    join_sv,
    plural,
    trend_sentence,
)


def test_change_wording():
    assert change_wording(poisson_change_test(100, 150).significant) == "statistiskt säkerställd"
    assert change_wording(poisson_change_test(7, 2).significant) == "inte statistiskt säkerställd"
    assert change_wording(poisson_change_test(0, 0).significant) == "inte statistiskt säkerställd"


def test_few_cases_caveat():
    expected = (
        "Förändringen för våldtäkt, utomhus (från 7 till 2 fall) bygger på få fall; "
        "en stor procentuell förändring kan bero på slumpen."
    )
    assert few_cases_caveat("våldtäkt, utomhus", poisson_change_test(7, 2)) == expected
    assert few_cases_caveat("Våldtäkt, utomhus", poisson_change_test(7, 2)) == expected


def test_few_cases_caveat_keeps_abbreviations():
    caveat = few_cases_caveat("ANDT-brott", poisson_change_test(3, 9))
    assert caveat.startswith("Förändringen för ANDT-brott (från 3 till 9 fall)")


def test_few_cases_caveat_zero_baseline():
    caveat = few_cases_caveat("rån", poisson_change_test(0, 4))
    assert caveat.startswith("Förändringen för rån (från 0 till 4 fall) bygger på få fall;")


def test_no_caveat_with_many_cases_or_no_change():
    assert few_cases_caveat("rån", poisson_change_test(100, 150)) == ""
    assert few_cases_caveat("rån", poisson_change_test(4, 4)) == ""
    assert few_cases_caveat("rån", poisson_change_test(0, 0)) == ""


def test_trend_sentence():
    falling = {2019: 50, 2020: 40, 2021: 35, 2022: 20, 2023: 12}
    rising = {2019: 1, 2020: 2, 2021: 3}
    expected = "Antalet anmälda rån har minskat varje år sedan 2019."
    assert trend_sentence("antalet anmälda rån", falling) == expected
    assert trend_sentence("Skadegörelse", rising) == "Skadegörelse har ökat varje år sedan 2019."
    assert trend_sentence("rån", {2019: 5, 2020: 7, 2021: 6}) == ""
    assert trend_sentence("rån", {2022: 5, 2023: 7}) == ""


@pytest.mark.parametrize(
    ("n", "noun", "expected"),
    [
        (1, "sprängning", "1 sprängning"),
        (5, "sprängning", "5 sprängningar"),
        (0, "sprängning", "0 sprängningar"),
        (2, "skjutning", "2 skjutningar"),
        (1, "brandattentat", "1 brandattentat"),
        (3, "brandattentat", "3 brandattentat"),
        (2, "handgranat", "2 handgranater"),
        (4, "händelse", "4 händelser"),
        (1, "händelse", "1 händelse"),
        (1200, "brott", "1\u202f200 brott"),
        (1, "vecka", "1 vecka"),
        (52, "vecka", "52 veckor"),
        (7, "fall", "7 fall"),
        (3, "plats", "3 platser"),
        (1, "plats", "1 plats"),
        (412, "svarande", "412 svarande"),
        (2, "sprängningar", "2 sprängningar"),
        (1, "sprängningar", "1 sprängning"),
        (3, "knivhot", "3 knivhot"),
        (1, "knivhot", "1 knivhot"),
    ],
)
def test_plural(n, noun, expected):
    assert plural(n, noun) == expected


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], ""),
        (["a"], "a"),
        (["a", "b"], "a och b"),
        (["a", "b", "c"], "a, b och c"),
        (iter(["a", "b", "c", "d"]), "a, b, c och d"),
    ],
)
def test_join_sv(items, expected):
    assert join_sv(items) == expected


def test_count_sentence():
    counts = {"skjutning": 1, "sprängning": 5, "brandattentat": 2}
    assert count_sentence(counts) == "5 sprängningar, 2 brandattentat och 1 skjutning"


def test_count_sentence_ties_alphabetical_and_zeros_left_out():
    counts = {"skjutning": 2, "brandattentat": 2, "handgranat": 0, "sprängning": 1}
    assert count_sentence(counts) == "2 brandattentat, 2 skjutningar och 1 sprängning"


def test_count_sentence_swedish_alphabet_for_ties():
    counts = {"öppen drogscen": 1, "ärende": 1, "åtgärd": 1, "zon": 1}
    assert count_sentence(counts) == "1 zon, 1 åtgärd, 1 ärende och 1 öppen drogscen"


def test_count_sentence_empty():
    assert count_sentence({}) == "inga händelser"
    assert count_sentence({"sprängning": 0}) == "inga händelser"


def test_count_sentence_one_type():
    assert count_sentence({"skjutning": 3}) == "3 skjutningar"


def test_count_sentence_refuses_negative_counts():
    with pytest.raises(ValueError):
        count_sentence({"skjutning": -1})


def test_change_wording_with_direction():
    assert change_wording(True, 0.05) == "ökning, statistiskt säkerställd"
    assert change_wording(False, -0.05) == "minskning, inte statistiskt säkerställd"
    assert change_wording(False, 0.0) == "oförändrad"
