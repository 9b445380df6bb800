"""Förändringar sedan föregående lägesbild: the figures are those the two years' own chapters show,
largest changes first, each with the library's significance wording."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lagesbild_lib.context import chapter_context
from lagesbild_lib.present.fmt import fmt_int
from lagesbild_lib.present.pieces import Missing, Table, Text
from lagesbild_lib.sections import brottslighet, forandringar, safety_analysis, sammanfattning
from lagesbild_lib.analysis.stats import poisson_change_test
from lagesbild_lib.present.text import NOT_SIGNIFICANT, SIGNIFICANT

AREA = "hasselby-vallingby"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="module")
def contexts(demo_dir):
    return {year: chapter_context(year, AREA, str(demo_dir)) for year in (2021, 2022, 2023)}


@pytest.fixture(scope="module")
def rows(contexts):
    return {r.key: r for r in forandringar.key_changes(contexts[2023]).rows}


def key_figure(ctx, prefix: str) -> str:
    """The value chapter 0 shows for the key figure whose label starts with ``prefix``."""
    found = [v for k, v in sammanfattning.key_figures(ctx).items if k.startswith(prefix)]
    assert len(found) == 1, prefix
    return found[0]


def test_every_key_figure_is_compared(rows):
    assert set(rows) == {
        "folkmangd", "compstat:Brott mot hushåll", "compstat:Brott mot person", "compstat:Övriga brott",
        "veckor_niva_4", "kritiska_handelser", "otrygghet",
    }


def test_population_weeks_and_events_equal_each_years_key_figures(rows, contexts):
    this, last = contexts[2023], contexts[2022]
    assert rows["folkmangd"].shown_after == key_figure(this, "Folkmängd 2023")
    assert rows["folkmangd"].shown_before == key_figure(last, "Folkmängd 2022")
    assert rows["veckor_niva_4"].shown_after == key_figure(this, "Veckor med nivå 4")
    assert rows["veckor_niva_4"].shown_before == key_figure(last, "Veckor med nivå 4")
    assert rows["kritiska_handelser"].shown_after == key_figure(this, "Kritiska händelser 1 jan–31 okt 2023")
    assert rows["kritiska_handelser"].shown_before == key_figure(last, "Kritiska händelser 1 jan–31 okt 2022")
    # both years cover the same span, and the comparison says which
    assert rows["kritiska_handelser"].comparison == "1 jan–31 okt, 2022 → 2023"
    assert rows["veckor_niva_4"].comparison == "vecka 1–44, 2022 → 2023"
    assert rows["veckor_niva_4"].shown_after.endswith("av 44") and rows["veckor_niva_4"].shown_before.endswith("av 44")


def test_compstat_groups_equal_the_subtotals_of_each_years_crime_chapter(rows, contexts):
    for year, side in ((2023, "after"), (2022, "before")):
        compstat = brottslighet.facts(contexts[year]).compstat
        totals = compstat.groupby("group", sort=False)["after"].sum()
        for group, total in totals.items():
            assert getattr(rows[f"compstat:{group}"], side) == total, (year, group)
    # ... and the subtotal rows of this year's CompStat table, as the reader sees them
    shown = brottslighet.compstat(contexts[2023]).table.set_index("Brottskategori")
    for group in ("Brott mot person", "Brott mot hushåll", "Övriga brott"):
        row = rows[f"compstat:{group}"]
        subtotal = shown.loc[f"Summa {group.lower()}"]
        assert (subtotal["Antal 2022"], subtotal["Antal 2023"]) == (fmt_int(row.before), fmt_int(row.after))
        assert subtotal["Bedömning"] == row.wording


def test_unsafety_compares_within_one_survey_as_the_safety_chapter_does(rows, contexts):
    row = rows["otrygghet"]
    assert row.shown_after == key_figure(contexts[2023], "Otrygga ute ensamma kvällstid 2023")
    analysis = safety_analysis.analyse(contexts[2023])
    own = analysis.changes.set_index("area_id").loc[AREA]
    assert analysis.prev == 2021 and row.comparison == f"{analysis.survey_name} 2021 → 2023"
    assert (row.before, row.after) == pytest.approx((own["share_before"], own["share"]))
    assert row.significant == bool(own["significant"])
    # the 2021 report showed the same survey's share as its key figure
    assert row.shown_before == key_figure(contexts[2021], "Otrygga ute ensamma kvällstid 2021")


def test_largest_changes_first_with_the_library_wording(rows, contexts):
    ordered = forandringar.key_changes(contexts[2023]).rows
    sizes = [r.size for r in ordered]
    assert sizes == sorted(sizes, reverse=True)
    for r in ordered:
        if r.key == "folkmangd":
            assert r.wording == forandringar.NOT_TESTED and r.significant is None
            continue
        if r.diff == 0:
            assert r.wording == "oförändrad"  # no verdict on a change of nothing
            continue
        assert r.wording.startswith(SIGNIFICANT if r.significant else NOT_SIGNIFICANT)
    person = rows["compstat:Brott mot person"]
    test = poisson_change_test(int(person.before), int(person.after))
    assert (person.p_value, person.significant) == (test.p_value, test.significant)
    assert rows["otrygghet"].unit == "andel" and rows["otrygghet"].wording.split(" (")[0] in (SIGNIFICANT, NOT_SIGNIFICANT)


def test_changes_piece_is_a_numbered_table_with_numbers_for_excel(contexts):
    text, table = forandringar.changes(contexts[2023])
    assert isinstance(text, Text) and isinstance(table, Table)
    assert "Förändringar sedan föregående lägesbild" in table.caption and "2023" in table.caption
    assert list(table.table.columns) == forandringar.COLUMNS
    data = table.data
    assert list(data.columns) == forandringar.DATA_COLUMNS
    assert all(isinstance(v, int) for v in data.loc[data["Enhet"] != "procent", "Nu"])
    assert "största förändringarna först" in text.markdown


def test_weeks_are_tested_relative_to_the_weeks_assessed(contexts, tmp_path, demo_dir):
    """A year with fewer assessed weeks is compared by its share of weeks at level 4 or 5."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    weekly = pd.read_csv(data / "weekly_assessments.csv")
    weekly = weekly[~((weekly["year"] == 2023) & (weekly["week"] > 26))]
    weekly.to_csv(data / "weekly_assessments.csv", index=False)
    ctx = chapter_context(2023, AREA, str(data))
    found = {r.key: r for r in forandringar.key_changes(ctx).rows}["veckor_niva_4"]
    assert found.shown_after.endswith("av 26") and found.shown_after == key_figure(ctx, "Veckor med nivå 4")
    assert found.shown_before.endswith("av 44"), "2022 counts its weeks of the period too (vecka 1–44)"
    expected = poisson_change_test(int(found.before), int(found.after), 26 / 44)
    assert found.relative == pytest.approx(expected.pct) and found.p_value == pytest.approx(expected.p_value)
    assert any("bedömda veckorna" in note for note in forandringar.key_changes(ctx).notes)


def test_without_optional_tables_only_compstat_is_compared_and_the_rest_is_named():
    ctx = chapter_context(2023, "norr", str(FIXTURES / "backtest_compstat"))
    found = forandringar.key_changes(ctx)
    assert {r.key.split(":")[0] for r in found.rows} == {"compstat"}
    assert any("population" in lack for lack in found.lacking)
    assert any("critical_events" in lack for lack in found.lacking)
    text, table = forandringar.changes(ctx)
    assert "Kan inte jämföras" in table.note


def test_the_first_year_of_the_data_has_nothing_to_compare_with(demo_dir):
    ctx = chapter_context(2019, AREA, str(demo_dir))
    piece = forandringar.changes(ctx)
    assert isinstance(piece, Missing) and "2018" in piece.message


def test_events_of_a_period_the_data_do_not_cover_whole_are_compared_per_day():
    import datetime as dt

    crimes = pd.DataFrame({"reported_date": pd.to_datetime(["2023-01-05", "2024-06-30"])})
    assert forandringar._covered(crimes, 2023, dt.date(2023, 10, 31)) == (1.0, None)
    share, end = forandringar._covered(crimes, 2024, dt.date(2024, 10, 31))
    assert end.isoformat() == "2024-06-30" and share == pytest.approx(182 / 305)  # of 1 jan–31 okt 2024
    share, end = forandringar._covered(crimes, 2024, dt.date(2024, 12, 31))
    assert end.isoformat() == "2024-06-30" and share == pytest.approx(182 / 366)
    assert forandringar._covered(crimes, 2024, dt.date(2024, 6, 30)) == (1.0, None), "data to the period end cover it"
    full = pd.DataFrame({"reported_date": pd.to_datetime(["2024-12-31"])})
    assert forandringar._covered(full, 2024, dt.date(2024, 12, 31)) == (1.0, None)


def test_small_counts_are_masked_and_their_row_goes_last(demo_dir, tmp_path):
    """With suppress_below, a masked count shows as <N and nothing derived from it is shown; its
    row goes last, as its place among the largest changes would tell its size."""
    params = tmp_path / "params.yml"
    params.write_text("suppress_below: 5\n", encoding="utf-8")
    ctx = chapter_context(2023, "bromma", str(demo_dir), str(params))
    found = forandringar.key_changes(ctx)
    events = found.rows[-1]
    assert events.key == "kritiska_handelser" and events.masked
    # Bromma's critical events 1 jan–31 okt each year, from the data: fewer than five in one of the years
    table = pd.read_csv(demo_dir / "critical_events.csv", parse_dates=["event_date"])
    table = table[table["area_id"].isin(ctx.data.areas.descendants("bromma")) & (table["event_date"].dt.strftime("%m-%d") <= "10-31")]
    before, after = ((table["event_date"].dt.year == y).sum() for y in (2022, 2023))
    shown = lambda n: "<5" if 0 < n < 5 else str(n)  # noqa: E731
    assert 0 < before < 5 or 0 < after < 5
    assert (events.shown_before, events.shown_after, events.shown_change, events.wording) == (shown(before), shown(after), "–", "–")
    assert events.significant is None and events.caveat == ""
    assert not any(r.masked for r in found.rows[:-1])
    assert any("röjandeskydd" in n for n in found.notes)
    text, table = forandringar.changes(ctx)
    row = table.data.set_index("Nyckeltal").loc["Kritiska händelser"]
    cell = lambda n: "<5" if 0 < n < 5 else n  # noqa: E731
    assert (row["Föregående"], row["Nu"]) == (cell(before), cell(after)) and row[["Förändring", "Förändring %", "p-värde"]].isna().all()
    assert "kritiska händelser" not in text.markdown
