"""Every generated statement agrees with its own test and its own rounded numbers (DESIGN §8–9),
checked over random counts and shares (hypothesis)."""

from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild_lib.analysis.findings import compstat_findings
from lagesbild_lib.analysis.stats import is_few_cases, poisson_change_test, series_rests_on_few_cases, two_proportion_test
from lagesbild_lib.figures.survey import fmt_pp_ci, gaps_alt, subarea_years_alt
from lagesbild_lib.present.fmt import fmt_bounds, fmt_int, rounded
from lagesbild_lib.present.text import change_wording, count_of, count_sentence, difference_wording, plural

MINUS = "\u2212"
counts = st.integers(min_value=0, max_value=3000)
shares = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
respondents = st.integers(min_value=1, max_value=5000)


@given(significant=st.booleans(), diff=st.floats(min_value=-50, max_value=50, allow_nan=False), decimals=st.integers(0, 2))
def test_change_wording_follows_the_rounded_change_and_the_test(significant, diff, decimals):
    text = change_wording(significant, diff, decimals)
    shown = rounded(diff, decimals)
    assert ("ökning" in text) == (shown > 0)
    assert ("minskning" in text) == (shown < 0)
    assert (text == "oförändrad") == (shown == 0)
    if shown != 0:
        assert text.endswith("inte statistiskt säkerställd") == (not significant)


@given(significant=st.booleans(), diff=st.floats(min_value=-50, max_value=50, allow_nan=False))
def test_difference_wording_claims_a_direction_only_when_tested_and_visible(significant, diff):
    text = difference_wording(diff, significant, "staden", decimals=0)
    shown = rounded(diff, 0)
    if significant and shown != 0:
        assert text.startswith("högre" if shown > 0 else "lägre") and "(statistiskt säkerställt)" in text
    else:
        assert text == "ingen statistiskt säkerställd skillnad mot staden"


@given(before=counts, after=counts)
def test_compstat_finding_states_its_numbers_and_verdict(before, after):
    test = poisson_change_test(before, after)
    table = pd.DataFrame([{
        "group": "g", "category": "c", "label": "Misshandel, utomhus", "before": before, "after": after,
        "diff": test.diff, "pct": test.pct, "p_value": test.p_value, "significant": test.significant, "few_cases": test.few_cases,
    }])
    findings = compstat_findings(table, 2023)
    if before == after:
        assert findings == []
        return
    (first,) = findings
    if test.significant:
        word = "ökningen" if after > before else "minskningen"
        assert first.startswith(f"Den största statistiskt säkerställda {word} mot 2022 gäller misshandel, utomhus: ")
        assert f"från {fmt_int(before)} till {fmt_int(after)} anmälda brott" in first
        assert ("bygger på få fall" in first) == is_few_cases(before, after)
    else:  # a change that is not significant is never promoted
        assert first == f"Ingen brottskategori har {'ökat' if after > before else 'minskat'} statistiskt säkerställt mot 2022."


@settings(max_examples=60)
@given(rows=st.lists(st.tuples(counts, counts), min_size=2, max_size=12))
def test_findings_rank_by_evidence_never_by_percent_on_few_cases(rows):
    records = []
    for i, (before, after) in enumerate(rows):
        t = poisson_change_test(before, after)
        records.append({"group": "g", "category": f"c{i}", "label": f"Kategori {i}", "before": before, "after": after, "diff": t.diff,
                        "pct": t.pct, "p_value": t.p_value, "significant": t.significant, "few_cases": t.few_cases})
    table = pd.DataFrame(records)
    for sentence in compstat_findings(table, 2023):
        assert "i procent" not in sentence
        match = re.search(r"största statistiskt säkerställda (ökningen|minskningen) mot 2022 gäller kategori (\d+)", sentence)
        if match:
            row = table.iloc[int(match.group(2))]
            assert row["significant"]
            same_way = table[(table["diff"] > 0) == (match.group(1) == "ökningen")]
            same_way = same_way[same_way["significant"] & (same_way["diff"] != 0)]
            assert abs(row["diff"]) >= same_way.loc[same_way["few_cases"] == row["few_cases"], "diff"].abs().max()
        if sentence.startswith("Ingen ökning"):
            assert not (table["significant"] & (table["diff"] > 0)).any()


@given(diff=st.floats(-1, 1, allow_nan=False), lo=st.floats(-1, 1, allow_nan=False), hi=st.floats(-1, 1, allow_nan=False))
def test_interval_bounds_keep_their_sign(diff, lo, hi):
    lo, hi = min(lo, hi), max(lo, hi)
    text = fmt_bounds(lo, hi, 0, scale=100)
    low, _, high = text.partition(" till ") if " till " in text else text.partition("\u2013")
    assert low.startswith(MINUS) == (lo < 0)
    assert high.startswith(MINUS) == (hi < 0)
    if lo < 0 or hi < 0:
        assert " till " in text
    assert fmt_pp_ci(diff, lo, hi, unit=False).endswith(f"({text})")


@given(p0=shares, n0=respondents, p1=shares, n1=respondents)
def test_alt_text_of_a_share_over_the_years_follows_its_test(p0, n0, p1, n1):
    frame = pd.DataFrame([
        {"area_id": "x", "name": "X", "year": 2019, "share": p0, "respondents": n0, "small": n0 < 30},
        {"area_id": "x", "name": "X", "year": 2023, "share": p1, "respondents": n1, "small": n1 < 30},
    ])
    text = subarea_years_alt(frame, "x", None, "X", "andel otrygga")
    test = two_proportion_test(p1, n1, p0, n0)
    moved = ("ökade" in text) or ("minskade" in text)
    assert moved == (test.significant and rounded(p1, 0, scale=100) != rounded(p0, 0, scale=100))
    if not moved:
        assert "ingen statistiskt säkerställd förändring" in text


@given(st.lists(st.tuples(st.floats(-0.5, 0.5, allow_nan=False), st.booleans()), min_size=1, max_size=15))
def test_gap_alt_text_counts_only_significant_differences(gaps):
    frame = pd.DataFrame([
        {"area_id": f"a{i}", "name": f"A{i}", "diff": d, "lo": d - 0.1, "hi": d + 0.1, "significant": s, "small": False}
        for i, (d, s) in enumerate(gaps)
    ])
    text = gaps_alt(frame, "a0", "A0", "kvinnor", "män", "andel otrygga")
    higher = sum(1 for d, s in gaps if s and rounded(d, 0, scale=100) > 0)
    lower = sum(1 for d, s in gaps if s and rounded(d, 0, scale=100) < 0)
    if higher:  # numbers one to twelve in words (DESIGN §9)
        assert f"högre bland kvinnor än bland män i {count_of(higher, len(gaps), 'område', 'områden')}" in text
    else:
        assert "högre bland kvinnor" not in text
    if lower:
        assert f"lägre bland kvinnor än bland män i {count_of(lower, len(gaps), 'område', 'områden')}" in text
    if not higher and not lower:
        assert "I inget av" in text


def test_counts_in_running_text_are_words_with_gender():
    assert count_sentence({"sprängning": 5, "brandattentat": 2, "skjutning": 1}, words=True) == (
        "fem sprängningar, två brandattentat och en skjutning"
    )
    assert plural(1, "brandattentat", words=True) == "ett brandattentat"
    assert plural(6, "vecka", words=True) == "sex veckor"
    assert plural(13, "vecka", words=True) == "13 veckor"
    assert plural(1, "skjutning") == "1 skjutning"  # tables keep digits
    # none is a word too: "0 ökningar" and "0 av 15 kategorier" read as digits in a sentence
    assert plural(0, "ökning", words=True) == "inga ökningar" and plural(0, "ökning") == "0 ökningar"
    assert count_of(0, 15, "brottskategori", "brottskategorier") == "ingen av 15 brottskategorier"
    assert count_of(0, 11, "område", "områden") == "inget av elva områden"


def test_indicators_compare_the_values_as_shown_and_means_keep_decimals():
    from lagesbild_lib.analysis.indicators import comparison_wording
    from lagesbild_lib.analysis.priority import exact_mean

    assert comparison_wording(2.25, 2.3, "procent") == "lika"  # both shown as 2,3 % (half up, never half to even)
    assert exact_mean([5.7, 3.1]) == 4.4 and exact_mean([6.5, 5.2]) == 5.85  # decimal scores are not cut to whole ones


def test_one_few_case_rule_for_changes_and_series():
    assert is_few_cases(7, 11) and series_rests_on_few_cases([7, 11])
    assert not is_few_cases(9, 11) and not series_rests_on_few_cases([9, 11])
    assert series_rests_on_few_cases([3, 5, 6, 7, 11]) and not series_rests_on_few_cases([30, 5, 6, 7, 11])


def test_rounding_is_half_up_on_the_exact_value():
    assert rounded(0.285, 0, scale=100) == Decimal("29") and rounded(2.675, 2) == Decimal("2.68") and rounded(-2.5, 0) == Decimal("-3")
