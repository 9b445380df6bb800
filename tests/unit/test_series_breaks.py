"""Series breaks (params ``series_breaks``): validated like the rest of the params, refused at check
time when the data lack the category, question or survey, marked in the multi-year charts, named
in every comparison across them, and never spanned by a trend."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from pydantic import ValidationError

from lagesbild_lib.analysis.findings import compstat_findings, trend_findings
from lagesbild_lib.analysis.trend import poisson_trend
from lagesbild_lib.context import chapter_context, input_problems, report_target
from lagesbild_lib.errors import ConfigError
from lagesbild_lib.figures.common import BREAK_GID
from lagesbild_lib.params import ReportParams, SeriesBreak, load_params
from lagesbild_lib.present.fmt import fmt_pct
from lagesbild_lib.sections import brottslighet, crime_trends, forandringar, trygghet

AREA = "hasselby-vallingby"
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "backtest_compstat"
NEW_CODE = {"year": 2021, "category": "sexuellt_ofredande", "what": "ny brottskod från 2021"}
NEW_QUESTION = {"year": 2023, "question": "otrygg_kvallstid", "what": "frågan ställdes på ett nytt sätt"}


def params_file(folder: Path, *entries: dict) -> Path:
    path = folder / "params.yml"
    path.write_text(yaml.safe_dump({"series_breaks": list(entries)}, allow_unicode=True), encoding="utf-8")
    return path


def with_breaks(ctx, *entries: dict):
    """``ctx`` with exactly these series breaks (a new context: nothing cached from the old one)."""
    params = ctx.params.model_copy(update={"series_breaks": [SeriesBreak(**e) for e in entries]})
    return dataclasses.replace(ctx, params=params)


def break_lines(ax) -> list:
    return [a for a in ax.get_lines() if a.get_gid() == BREAK_GID]


@pytest.fixture(scope="module")
def demo(demo_dir):
    return chapter_context(2023, AREA, str(demo_dir))


# ----------------------------------------------------------------- params


def test_a_series_break_is_read_frozen_and_optional():
    p = ReportParams(year=2023, area="norr", series_breaks=[NEW_CODE, {**NEW_QUESTION, "survey": "Trygghetsenkäten"}])
    first, second = p.series_breaks
    assert (first.year, first.category, first.question, first.survey) == (2021, "sexuellt_ofredande", None, None)
    assert (second.question, second.survey, second.what) == ("otrygg_kvallstid", "Trygghetsenkäten", "frågan ställdes på ett nytt sätt")
    with pytest.raises(ValidationError):
        first.year = 2020
    assert ReportParams(year=2023, area="norr").series_breaks == []
    assert load_params()[0].series_breaks is not None  # defaults.yml documents the key without an entry


@pytest.mark.parametrize("entry, says", [
    ({"year": 2021, "category": "ran", "question": "otrygg_kvallstid", "what": "x"}, "inte båda"),
    ({"year": 2021, "category": "ran", "survey": "Enkäten", "what": "x"}, "inte båda"),
    ({"year": 2021, "what": "x"}, "ange vilken serie som bryts"),
    ({"year": 2021, "category": "ran", "what": " "}, "what ska säga vad som ändrades"),
    ({"year": 2021, "question": "otrygg_kvällstid", "what": "x"}, "'otrygg_kvallstid'"),
    ({"year": "2021", "category": "ran", "what": "x"}, "series_breaks.0.year"),
    ({"year": 2021.5, "category": "ran", "what": "x"}, "series_breaks.0.year"),
    ({"year": 2021, "category": "ran"}, "series_breaks.0.what"),
    ({"year": 2021, "category": "ran", "what": "x", "vad": "y"}, "series_breaks.0.vad"),
])
def test_a_malformed_series_break_is_refused_naming_the_file_and_key(tmp_path, entry, says):
    path = params_file(tmp_path, entry)
    with pytest.raises(ConfigError) as err:
        load_params(params_file=path)
    message = str(err.value)
    assert str(path) in message and "series_breaks" in message and says in message


# ----------------------------------------------------------------- check time


@pytest.fixture()
def data_with_survey(tmp_path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(FIXTURE, folder)
    (folder / "survey.csv").write_text(
        "year,survey,area_id,question,answer,group,respondents,share\n"
        "2023,Trygghetsenkäten,norr-a,trygghet_i_parken,ja,alla,100,0.3\n",
        encoding="utf-8",
    )
    return folder


def test_a_series_break_of_known_series_passes_the_check(tmp_path, data_with_survey):
    path = params_file(tmp_path, {"year": 2023, "category": "ran", "what": "ny brottskod"},
                       {"year": 2023, "question": "trygghet_i_parken", "survey": "Trygghetsenkäten", "what": "ny fråga"})
    target, problems, _ = input_problems(2023, "norr", str(path), str(data_with_survey))
    assert problems == [] and len(target.params.series_breaks) == 2


@pytest.mark.parametrize("entry, says", [
    ({"year": 2023, "category": "misshandl", "what": "x"}, "'series_breaks.0.category' har värdet 'misshandl'"),
    ({"year": 2023, "category": "misshandl", "what": "x"}, "menade du 'misshandel'?"),
    ({"year": 2023, "category": "brand", "what": "x"}, "kända: inbrott, cykel, ran, misshandel, klotter"),
    ({"year": 2023, "question": "trygghet_i_parkn", "what": "x"}, "menade du 'trygghet_i_parken'?"),
    ({"year": 2023, "survey": "Trygghetsenkät", "what": "x"}, "menade du 'Trygghetsenkäten'?"),
])
def test_a_series_break_the_data_do_not_have_is_refused_with_did_you_mean(tmp_path, data_with_survey, entry, says):
    path = params_file(tmp_path, entry)
    target, problems, count = input_problems(2023, "norr", str(path), str(data_with_survey))
    assert target is None and count == 1
    assert str(path) in problems[0] and says in problems[0]
    with pytest.raises(ConfigError, match="series_breaks.0"):  # the build stops the same way (exit 2)
        report_target(2023, "norr", str(path), str(data_with_survey))


# ----------------------------------------------------------------- trends


def test_a_trend_is_fitted_only_on_the_years_after_a_break():
    series = {2017: 50, 2018: 52, 2019: 49, 2020: 51, 2021: 98, 2022: 101, 2023: 99}  # a level shift in 2021
    whole = poisson_trend(series)
    assert whole.significant and whole.yearly_pct > 0
    trend, since = crime_trends.fitted(series, [SeriesBreak(**{**NEW_CODE, "category": "x"})])
    assert since == 2021 and (trend.first_year, trend.last_year) == (2021, 2023) and not trend.significant
    assert crime_trends.fitted(series, [SeriesBreak(year=2023, category="x", what="y")]) == (None, 2023)
    assert crime_trends.fitted(series, [SeriesBreak(year=2017, category="x", what="y")]) == (whole, None)


def test_the_trend_table_refits_after_the_break_and_says_so(demo):
    row = lambda table: table.table.set_index("Brottskategori").loc["Sexuellt ofredande"]  # noqa: E731
    plain = crime_trends.trend_table(with_breaks(demo))
    counts = brottslighet.facts(demo).category_years["Sexuellt ofredande"]
    whole = poisson_trend({y: counts[y] for y in counts.index})
    expected = "statistiskt säkerställd" if whole.significant else "inte statistiskt säkerställd"
    assert row(plain)["Trend"] == expected and "Serieuppbrott" not in plain.note
    assert "Trend från år" not in plain.data.columns
    broken = crime_trends.trend_table(with_breaks(demo, NEW_CODE))
    expected = poisson_trend({y: counts[y] for y in (2021, 2022, 2023)})
    verdict = "statistiskt säkerställd" if expected.significant else "inte statistiskt säkerställd"
    assert row(broken)["Trend"] == f"{verdict} (från 2021, efter serieuppbrott)"
    assert row(broken)["Förändring per år"] == fmt_pct(expected.yearly_pct, 1, signed=True)
    assert broken.data.set_index("Brottskategori").loc["Sexuellt ofredande", "Trend från år"] == 2021
    assert "Serieuppbrott 2021: ny brottskod från 2021 (sexuellt ofredande)." in broken.note
    late = crime_trends.trend_table(with_breaks(demo, {**NEW_CODE, "year": 2023}))
    assert row(late)["Trend"] == "ej beräknad (serieuppbrott)" and row(late)["Förändring per år"] == "–"
    # the other categories keep their whole series
    assert row(plain).name == row(broken).name and plain.table.iloc[0].tolist() == broken.table.iloc[0].tolist()


def test_every_year_statements_hold_only_within_the_unbroken_part():
    frame = pd.DataFrame({"Ofredande": [50, 30, 60, 90, 140, 200]}, index=range(2018, 2024))
    assert trend_findings(frame) == []
    cut = {"Ofredande": [SeriesBreak(year=2020, category="o", what="ny brottskod")]}
    assert trend_findings(frame, cut) == ["Ofredande har ökat varje år sedan 2020. Serieuppbrott 2020: ny brottskod."]
    falling = pd.DataFrame({"Rån": [90, 70, 50, 20]}, index=range(2019, 2023))
    assert trend_findings(falling) == ["Rån har minskat varje år sedan 2019."]
    # two years after the break are no "every year" and no trend
    assert trend_findings(falling, {"Rån": [SeriesBreak(year=2021, category="r", what="ny brottskod")]}) == []


# ----------------------------------------------------------------- charts


def test_the_small_multiples_mark_the_break_in_its_category_only(demo):
    chart = brottslighet.category_trends(with_breaks(demo, NEW_CODE))
    panels = {ax.get_title(): ax for ax in chart.figure.axes if ax.get_visible()}
    (line,) = break_lines(panels["Sexuellt ofredande"])
    assert list(line.get_xdata()) == [2020.5, 2020.5] and line.get_linestyle() == "--"
    assert any(t.get_gid() == BREAK_GID and "Serieuppbrott" in t.get_text() for t in panels["Sexuellt ofredande"].texts)
    assert all(not break_lines(ax) for title, ax in panels.items() if title != "Sexuellt ofredande")
    assert "Serieuppbrott 2021: ny brottskod från 2021 (sexuellt ofredande)." in chart.note
    plain = brottslighet.category_trends(with_breaks(demo))
    assert not any(break_lines(ax) for ax in plain.figure.axes) and "Serieuppbrott" not in plain.note


def test_the_yearly_trend_and_intimate_partner_charts_mark_the_break(demo):
    trend = brottslighet.yearly_trend(with_breaks(demo, NEW_CODE))
    (line,) = break_lines(trend.figure.axes[0])
    assert list(line.get_xdata()) == [2020.5, 2020.5]
    assert "Serieuppbrott 2021: ny brottskod från 2021 (sexuellt ofredande)." in trend.note
    bars = brottslighet.intimate_partner(with_breaks(demo, {"year": 2022, "category": "misshandel_kvinna_nara", "what": "ny rutin"}))
    (line,) = break_lines(bars.figure.axes[0])
    assert list(line.get_xdata()) == [2.5, 2.5]  # before the fourth bar, 2022
    assert "Serieuppbrott 2022: ny rutin (misshandel mot kvinna i nära relation)." in bars.note
    # a break in a category the chart does not count is not drawn there
    assert not break_lines(brottslighet.intimate_partner(with_breaks(demo, NEW_CODE)).figure.axes[0])


def test_the_survey_chart_marks_a_break_of_its_question(demo):
    ctx = with_breaks(demo, NEW_QUESTION)
    chart = trygghet.unsafety_chart(ctx)
    panels = [ax for ax in chart.figure.axes if ax.get_visible()]
    assert panels and all(len(break_lines(ax)) == 1 for ax in panels)
    assert list(break_lines(panels[0])[0].get_xdata()) == [2022.0, 2022.0]  # between the measurements 2021 and 2023
    assert "Serieuppbrott 2023: frågan ställdes på ett nytt sätt." in chart.note
    # a break of another survey is not this chart's
    other = trygghet.unsafety_chart(with_breaks(demo, {**NEW_QUESTION, "survey": "Polisens trygghetsundersökning"}))
    assert not any(break_lines(ax) for ax in other.figure.axes) and "Serieuppbrott" not in other.note


# ----------------------------------------------------------------- comparisons across a break


def test_compstat_across_a_break_this_year_says_so(demo):
    ctx = with_breaks(demo, {**NEW_CODE, "year": 2023, "what": "ny brottskod"})
    table = brottslighet.compstat(ctx)
    shown = table.table.set_index("Brottskategori")["Bedömning"]
    assert shown["Sexuellt ofredande"].endswith("(serieuppbrott)") and shown["Summa brott mot person"].endswith("(serieuppbrott)")
    assert not shown["Olaga hot"].endswith("(serieuppbrott)") and not shown["Summa brott mot hushåll"].endswith("(serieuppbrott)")
    said = "Serieuppbrott 2023: ny brottskod (sexuellt ofredande). Jämförelsen med 2022 spänner över uppbrottet"
    assert said in table.note and said in brottslighet.compstat_caveats(ctx).markdown
    # the demo's break of 2021 lies before the two years compared
    assert "(serieuppbrott)" not in " ".join(brottslighet.compstat(with_breaks(demo, NEW_CODE)).table["Bedömning"])


def test_a_key_finding_across_a_break_carries_its_note(demo):
    table = pd.DataFrame({"category": ["a"], "label": ["Alfa"], "before": [100], "after": [150]})
    (line,) = compstat_findings(table, 2023, breaks=[SeriesBreak(year=2023, category="a", what="ny brottskod")])
    assert line.startswith("Den största statistiskt säkerställda ökningen mot 2022 gäller alfa") and line.endswith("Serieuppbrott 2023: ny brottskod.")
    assert compstat_findings(table, 2023, breaks=[SeriesBreak(year=2022, category="a", what="ny brottskod")])[0].endswith("%).")
    # the demo's largest significant increase, read without a break, carries the note once one is declared
    plain = brottslighet.key_findings(with_breaks(demo)).markdown
    label, numbers = re.search(r"ökningen mot 2022 gäller ([^:]+): (från \d+ till \d+ anmälda brott \([^)]*\))\.", plain).groups()
    categories = demo.data.table("crime_categories")
    (category,) = categories.loc[categories["label"].str.lower() == label, "category"]
    text = brottslighet.key_findings(with_breaks(demo, {"year": 2023, "category": category, "what": "ny registrering"})).markdown
    assert f"gäller {label}: {numbers}. Serieuppbrott 2023: ny registrering." in text


def test_the_changes_since_last_year_name_a_break(demo):
    ctx = with_breaks(demo, {"year": 2023, "category": "skadegorelse", "what": "ny registrering"}, NEW_QUESTION)
    summary, table = forandringar.changes(ctx)
    rows = table.table.set_index("Nyckeltal")["Bedömning"]
    assert rows["Övriga brott (anmälda brott i urval)"].endswith("(serieuppbrott)")
    assert not rows["Brott mot hushåll (anmälda brott i urval)"].endswith("(serieuppbrott)")
    said = "Serieuppbrott 2023: ny registrering (skadegörelse). Jämförelsen med 2022 för övriga brott spänner över uppbrottet."
    assert said in summary.markdown and said in table.note
    unsafety = [v for k, v in rows.items() if k.startswith("Otrygga")]
    assert len(unsafety) == 1 and unsafety[0].endswith("(serieuppbrott)")
    assert "Serieuppbrott 2023: frågan ställdes på ett nytt sätt (Stockholms stads trygghetsmätning). Jämförelsen med 2021" in table.note


def test_the_survey_change_across_a_break_says_so(demo):
    ctx = with_breaks(demo, NEW_QUESTION)
    table = trygghet.change_table(ctx)
    assert all(v.endswith("(serieuppbrott)") for v in table.table["Bedömning"])
    said = "Serieuppbrott 2023: frågan ställdes på ett nytt sätt. Jämförelsen med 2021 spänner över uppbrottet."
    assert said in table.note and said in trygghet.key_findings(ctx).markdown
    words, comparison = trygghet.survey_comparison(with_breaks(demo, {**NEW_QUESTION, "survey": "Polisens trygghetsundersökning"}))
    assert "Jämförelsen med 2022 i Polisens trygghetsundersökning spänner över uppbrottet." in words.markdown
    flagged = comparison.table.set_index("Undersökning")["Förändring"]
    assert flagged["Polisens trygghetsundersökning"].endswith("(serieuppbrott)")
    assert not flagged["Stockholms stads trygghetsmätning"].endswith("(serieuppbrott)")
    plain = trygghet.change_table(with_breaks(demo))
    assert "serieuppbrott" not in " ".join(plain.table["Bedömning"]) and "Serieuppbrott" not in plain.note
