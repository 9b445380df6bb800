"""Small-count disclosure control (DESIGN §8, params ``suppress_below``): the rule and its use in
the tables, findings and charts that show counts."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lagesbild_lib.analysis import disclosure as dc
from lagesbild_lib.analysis.findings import compstat_findings, concentration_finding
from lagesbild_lib.analysis.tables import compstat_data, compstat_display

THIN = "\u202f"


@pytest.mark.parametrize(
    "count, threshold, masked",
    [
        (0, 5, False), (1, 5, True), (4, 5, True), (4.0, 5, True), (5, 5, False), (1234, 5, False),
        (1, 0, False), (1, 1, False), (1, 2, True), (2, 2, False), (None, 5, False), (float("nan"), 5, False),
        (pd.NA, 5, False), ("3", 5, False),
    ],
)
def test_is_masked_only_counts_from_1_to_n_minus_1(count, threshold, masked):
    assert dc.is_masked(count, threshold) is masked


def test_mask_count_value_and_words():
    assert dc.mask_count(3, 5) == "<5" and dc.mask_count(0, 5) == "0" and dc.mask_count(12345, 5) == f"12{THIN}345"
    assert dc.mask_count(3, 0) == "3"
    assert dc.mask_value(3, 5) == "<5" and dc.mask_value(7, 5) == 7 and dc.mask_value(0, 5) == 0
    assert dc.count_words(2, 10) == "färre än 10" and dc.count_words(12, 10) == "12"


def test_count_phrase_and_sentence():
    assert dc.count_phrase(1, "skjutning", 5) == "färre än 5 skjutningar"
    assert dc.count_phrase(1, "skjutning", 0) == "1 skjutning"
    assert dc.count_phrase(6, "sprängning", 5) == "6 sprängningar"
    assert dc.count_phrase(2, "handgranat", 5) == "färre än 5 handgranater"
    sentence = dc.count_sentence({"skjutning": 1, "sprängning": 7, "brandattentat": 3, "handgranat": 0}, 5)
    assert sentence == "sju sprängningar, färre än 5 brandattentat och färre än 5 skjutningar"
    assert dc.count_sentence({"skjutning": 1, "sprängning": 7}, 0) == "sju sprängningar och en skjutning"
    assert dc.count_sentence({"skjutning": 0}, 5) == "inga händelser"


def test_mask_display_hides_counts_and_what_is_derived_from_them():
    numbers = pd.DataFrame({"Typ": ["a", "b", "c"], "Före": [3, 40, 0], "Nu": [12, 44, 0], "Förändring %": [300.0, 10.0, None]})
    shown = dc.mask_display(numbers, ["Före", "Nu"], 5, derived=["Förändring %"])
    assert shown["Före"].tolist() == ["<5", "40", "0"]
    assert shown["Nu"].tolist() == ["12", "44", "0"]
    assert shown["Förändring %"].tolist()[0] == "–" and shown["Förändring %"].tolist()[1] == 10.0
    data = dc.mask_data(numbers, ["Före", "Nu"], 5, derived=["Förändring %"])
    assert data["Före"].tolist() == ["<5", 40, 0] and data["Förändring %"].tolist()[0] is None
    assert data["Förändring %"].tolist()[1] == 10.0
    assert dc.mask_data(numbers, ["Före"], 0) is numbers, "off: the numbers as they are"


def test_mask_wide_and_charts():
    frame = pd.DataFrame({"A": [1, 10], "B": [0, 3]}, index=pd.Index([2022, 2023], name="År"))
    assert dc.mask_wide(frame, 5, display=True).to_numpy().tolist() == [["<5", "0"], ["10", "<5"]]
    assert dc.mask_wide(frame, 5, display=False).to_numpy().tolist() == [["<5", 0], [10, "<5"]]
    drawn = dc.hidden_in_chart(frame, 5)
    assert math.isnan(drawn.loc[2022, "A"]) and drawn.loc[2023, "A"] == 10 and drawn.loc[2022, "B"] == 0
    assert dc.masked_share([0, 1, 2, 10], 5) == pytest.approx(2 / 3)
    assert dc.mostly_masked([0, 1, 2, 10], 5) and not dc.mostly_masked([1, 10, 20], 5)
    assert not dc.mostly_masked([1, 2, 3], 0)


def test_notes_say_what_was_done():
    assert "<5" in dc.note(5) and "röjandeskydd" in dc.note(5)
    assert dc.with_note("Källa: x.", 5, masked=False) == "Källa: x."
    assert dc.with_note("Källa: x.", 5, masked=True).startswith("Källa: x. Antal under 5")
    assert "suppress_below" in dc.left_out("Diagrammet", 5)


def compstat_frame() -> pd.DataFrame:
    from lagesbild_lib.analysis.stats import poisson_change_test

    rows = []
    for group, cat, before, after in [("Brott mot person", "ran", 3, 9), ("Brott mot person", "hot", 60, 80), ("Övriga", "klotter", 0, 0)]:
        t = poisson_change_test(before, after)
        rows.append({"group": group, "category": cat, "label": cat.capitalize(), "before": before, "after": after, "diff": t.diff,
                     "pct": t.pct, "p_value": t.p_value, "significant": t.significant, "few_cases": t.few_cases, "rate": after / 10})
    return pd.DataFrame(rows)


def test_compstat_display_masks_small_counts_and_their_changes():
    shown = compstat_display(compstat_frame(), 2023, population=10_000, suppress_below=5)
    ran = shown.iloc[0]
    assert (ran["Antal 2022"], ran["Antal 2023"]) == ("<5", "9")
    assert (ran["Förändring antal"], ran["Förändring %"], ran["Bedömning"]) == ("–", "–", "–")
    assert ran["Per 1 000 inv."] != "–", "this year's count is shown, so its rate is too"
    hot = shown.iloc[1]
    assert (hot["Antal 2022"], hot["Antal 2023"], hot["Förändring %"]) == ("60", "80", "+33\u00a0%")
    total = shown.iloc[2]
    assert total["Brottskategori"] == "Summa brott mot person" and total["Antal 2022"] == "63"
    zero = shown.iloc[3]
    assert (zero["Antal 2022"], zero["Antal 2023"]) == ("0", "0")
    unmasked = compstat_display(compstat_frame(), 2023, population=10_000)
    assert unmasked.iloc[0]["Antal 2022"] == "3"


def test_compstat_data_for_excel_masks_too():
    data = compstat_data(compstat_frame(), 2023, suppress_below=5)
    ran = data.iloc[0]
    assert ran["Antal 2022"] == "<5" and ran["Antal 2023"] == 9
    for col in ("Förändring antal", "Förändring %", "p-värde", "Statistiskt säkerställd", "Få fall"):
        assert ran[col] is None, col
    assert data.iloc[1]["Antal 2022"] == 60 and data.iloc[1]["p-värde"] is not None
    small_after = compstat_frame().assign(after=[2, 80, 0])
    assert compstat_data(small_after, 2023, suppress_below=5).iloc[0]["Per 1 000 inv."] is None


def test_findings_leave_out_masked_categories():
    table = compstat_frame()
    lines = compstat_findings(table, 2023, suppress_below=5)
    assert all("Ran" not in line and "ran" not in line.split(":")[0] for line in lines)
    assert lines and not any("från 3 till 9" in line for line in lines)
    unmasked = compstat_findings(table.assign(before=[3, 60, 400], after=[30, 80, 300]), 2023)
    assert any("från 3 till 30" in line for line in unmasked)  # without the threshold it is a finding
    sub = pd.DataFrame({"name": ["Norr"], "count": [3], "rate": [1.5]})
    assert concentration_finding(sub, "våldsbrott", "2023", suppress_below=5) == "Flest våldsbrott 2023 anmäldes i Norr (färre än 5)."


def test_masked_bars_are_drawn_without_their_number():
    from lagesbild_lib.figures.crime import plot_yearly_bars

    counts = pd.Series([12, 5, 5], index=[2021, 2022, 2023])
    fig = plot_yearly_bars(counts, None, "", "Titel", masked={2022, 2023}, masked_label="<5")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["12", "<5", "<5"]
    bars = fig.axes[0].patches
    assert bars[1].get_hatch() == ".." and not bars[0].get_hatch()
