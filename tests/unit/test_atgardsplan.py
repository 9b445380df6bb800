"""The åtgärdsplan and its follow-up (issue 18, item 4): a measure whose indicator moved
significantly and one that did not, targets met and not met, the gaps of a plan, and the
chapter's sections with and without the ``atgarder`` table."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from lagesbild_lib.analysis.followup import Reading, follow_up_measure, plan_gaps, target_met
from lagesbild_lib.present.pieces import Missing, Table, Text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PERIOD_END = dt.date(2023, 10, 31)


def crimes_of(counts: dict[int, int], category: str = "misshandel", area: str = "norr-a") -> pd.DataFrame:
    """``counts[year]`` crimes in March of each year, plus some in December (outside the period)."""
    rows = []
    for year, n in counts.items():
        rows += [(pd.Timestamp(year, 3, 1 + i % 28), category, area) for i in range(n)]
        rows += [(pd.Timestamp(year, 12, 5), category, area)] * 7  # after 31 okt: never counted
    return pd.DataFrame(rows, columns=["reported_date", "category", "area_id"])


def measure(**kw) -> pd.Series:
    row = {"measure_id": "A1", "area_id": "norr", "plan_year": 2022, "indicator_kind": "brott", "indicator": "misshandel",
           "survey": None, "baseline_year": 2021, "target": None}
    row.update(kw)
    return pd.Series(row)


def test_a_crime_indicator_that_fell_significantly_and_met_its_target(registry):
    f = follow_up_measure(measure(target=50.0), 2023, PERIOD_END, registry, crimes=crimes_of({2021: 60, 2022: 40, 2023: 20}))
    assert (f.then.year, f.then.value, f.now.year, f.now.value) == (2021, 60, 2023, 20)
    assert f.test.significant and f.test.p_value < 0.001 and f.diff == -40
    assert f.met is True


def test_a_crime_indicator_that_did_not_move_significantly_and_missed_its_target(registry):
    f = follow_up_measure(measure(target=6.0), 2023, PERIOD_END, registry, crimes=crimes_of({2021: 9, 2023: 7}))
    assert (f.then.value, f.now.value) == (9, 7)
    assert not f.test.significant and f.test.few_cases
    assert f.met is False


def test_a_survey_share_moved_significantly_with_the_two_proportion_test(registry):
    survey = pd.DataFrame(
        [(2021, "Enkäten", "norr", "otrygg_kvallstid", "ja", "alla", 800, 0.40),
         (2022, "Enkäten", "norr", "otrygg_kvallstid", "ja", "alla", 800, 0.33),
         (2021, "Enkäten", "soder", "otrygg_kvallstid", "ja", "alla", 800, 0.10)],
        columns=["year", "survey", "area_id", "question", "answer", "group", "respondents", "share"],
    )
    f = follow_up_measure(measure(indicator_kind="enkät", indicator="otrygg_kvallstid", survey="Enkäten", target=0.35), 2023, PERIOD_END, registry, survey=survey)
    assert (f.then.year, f.now.year) == (2021, 2022)  # no survey in 2023: the latest after the baseline
    assert f.test.significant and f.test.diff == pytest.approx(-0.07)
    assert f.met is True
    small = survey.assign(respondents=40)
    g = follow_up_measure(measure(indicator_kind="enkät", indicator="otrygg_kvallstid", survey="Enkäten", target=0.35), 2023, PERIOD_END, registry, survey=small)
    assert not g.test.significant and g.met is True  # the target is met even though the change is not significant


def test_an_indicator_has_its_change_but_no_test(registry):
    indicators = pd.DataFrame(
        [(2021, "norr", "forvarvsfrekvens", 70.0, "procent"), (2023, "norr", "forvarvsfrekvens", 70.04, "procent")],
        columns=["year", "area_id", "indicator", "value", "unit"],
    )
    row = measure(indicator_kind="indikator", indicator="forvarvsfrekvens", target=70.0)
    f = follow_up_measure(row, 2023, PERIOD_END, registry, indicators=indicators, higher_is_better=True)
    assert f.test is None and f.diff == pytest.approx(0.04)
    assert f.met is True  # keep the level of a protective factor: 70,0 % shown as 70,0 %
    assert follow_up_measure(row.copy().set_axis(row.index), 2023, PERIOD_END, registry, indicators=indicators.iloc[:1]).now is None


def test_a_measure_without_indicator_is_followed_by_nothing(registry):
    f = follow_up_measure(measure(indicator_kind=None, indicator=None), 2023, PERIOD_END, registry, crimes=crimes_of({2021: 5}))
    assert f.then is None and f.now is None and f.test is None and f.met is None


def test_target_met_as_the_reader_sees_the_numbers():
    then, now = Reading(2021, 0.40, "andel", 500), Reading(2023, 0.3549, "andel", 500)
    assert target_met(then, now, 0.35) is True  # 35 % shown, target 35 %
    assert target_met(then, Reading(2023, 0.356, "andel", 500), 0.35) is False  # 36 %
    up = Reading(2021, 60.0, "procent")
    assert target_met(up, Reading(2023, 61.0, "procent"), 61.0) is True and target_met(up, Reading(2023, 60.9, "procent"), 61.0) is False
    assert target_met(up, None, 61.0) is None and target_met(up, Reading(2023, 61.0, "procent"), None) is None


def test_gaps_no_indicator_unknown_cause_unknown_problem_and_unknown_indicator():
    plan = pd.DataFrame(
        [("A1", "P1", "O1", "brott", "misshandel"), ("A2", "P1", None, "brott", "misshandel"), ("A3", "P1", "O9", "brott", "moped"),
         ("A4", "P2", "O1", None, None)],
        columns=["measure_id", "problem_id", "cause_id", "indicator_kind", "indicator"],
    )
    causes = pd.DataFrame({"problem_id": ["P1"], "cause_id": ["O1"]})
    gaps = plan_gaps(plan, causes, {"brott": {"misshandel"}, "enkät": None, "indikator": None})
    assert [m for m, _ in gaps] == ["A2", "A3", "A3", "A4", "A4"]
    text = dict((m, w) for m, w in gaps if m != "A3")
    assert "ingen orsak angiven" in text["A2"] and "problemet 'P2' finns inte" in text["A4"]
    assert any("indikatorn 'moped' finns inte i data" in w for m, w in gaps if m == "A3")
    assert any("orsaken 'O9' finns inte i orsaksanalysen" in w for m, w in gaps if m == "A3")
    assert all("ingen orsaksanalys" in w for _, w in plan_gaps(plan.iloc[:1], None, {}))


# ----------------------------------------------------------------------------- the chapter's sections
ORSAKER = """year,area_id,problem_id,problem,cause_id,cause,branch,evidence
2023,norr,P1,Rån mot unga vid torget,O1,Unga som rånar jämnåriga,gärningsperson,Se {ref:compstat}.
2023,norr,P1,Rån mot unga vid torget,O2,Mörk gångtunnel,plats-situation,
"""
ATGARDER = """plan_year,area_id,measure_id,measure,problem_id,cause_id,type,place_or_group,responsible,start,end,indicator_kind,indicator,survey,baseline_year,target,cooperation_area
2022,norr,A1,Nattvandring,P1,O1,social,Unga,Stadsdelen,2022-01-01,2022-12-31,brott,misshandel,,2021,1,unga_i_riskzon
2023,norr,A1,Belysning i gångtunneln,P1,O2,situationell,Gångtunneln,Trafikkontoret,2023-03-01,,brott,ran,,2022,5,otrygga_platser
2023,norr,A2,Läxhjälp,P1,O7,social,Unga,Stadsdelen,2023-01-01,2023-06-30,,,,,,
"""


@pytest.fixture()
def data_dir(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "backtest_compstat", folder, ignore=shutil.ignore_patterns("expected_*"))
    (folder / "orsaker.csv").write_text(ORSAKER, encoding="utf-8")
    (folder / "atgarder.csv").write_text(ATGARDER, encoding="utf-8")
    return folder


def context(folder):
    from lagesbild_lib.context import chapter_context

    return chapter_context(2023, "norr", str(folder))


def test_plan_follow_up_and_gaps_on_a_small_data_folder(data_dir):
    from lagesbild_lib.sections import atgardsplan as sec

    ctx = context(data_dir)
    plan = sec.plan(ctx)
    assert isinstance(plan, Table) and plan.caption == "Åtgärdsplan för Norr 2023"
    first = plan.table.iloc[0]
    assert first["Åtgärd"] == "A1 Belysning i gångtunneln" and first["Orsak"] == "Mörk gångtunnel" and first["Typ"] == "Situationell"
    assert first["Period"] == "från 1 mar 2023" and first["Samverkansområde"] == "Otrygga och brottsutsatta platser"
    assert plan.table.iloc[1]["Orsak"] == "O7 (finns inte i orsaksanalysen)"
    table, text = sec.follow_up(ctx)
    assert table.caption.startswith("Uppföljning av åtgärdsplanen för Norr 2022")
    assert isinstance(text, Text) and "åtgärdsplanen för 2022" in text.markdown
    gaps = sec.gaps(ctx)
    assert list(gaps.table["Åtgärd"]) == ["A2", "A2"]


def test_without_the_atgarder_table_each_section_says_what_is_missing(data_dir):
    from lagesbild_lib.sections import atgardsplan as sec

    (data_dir / "atgarder.csv").unlink()
    ctx = context(data_dir)
    for piece in (sec.plan(ctx), sec.follow_up(ctx), sec.gaps(ctx)):
        assert isinstance(piece, Missing) and "tabellen atgarder" in piece.message and "saknas i datamappen" in piece.message


def test_no_plan_for_the_previous_year_is_said(data_dir):
    from lagesbild_lib.sections import atgardsplan as sec

    text = (data_dir / "atgarder.csv").read_text(encoding="utf-8").replace("2022,norr,A1", "2020,norr,A1")
    (data_dir / "atgarder.csv").write_text(text, encoding="utf-8")
    piece = sec.follow_up(context(data_dir))
    assert isinstance(piece, Missing) and piece.message == "Det finns ingen åtgärdsplan för Norr 2022 att följa upp i tabellen atgarder."


def _with_robberies(folder, before: int, after: int) -> None:
    """Add ``before`` robberies in norr-a in March 2022 and ``after`` in March 2023, and a 2022
    plan whose measure A1 follows them from 2022 (target 30)."""
    lines = [f"X{y}{i:03d},{y}-03-{1 + i % 28:02d},ran,norr-a" for y, n in ((2022, before), (2023, after)) for i in range(n)]
    with open(folder / "crimes.csv", "a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    text = (folder / "atgarder.csv").read_text(encoding="utf-8")
    text = text.replace("2022,norr,A1,Nattvandring,P1,O1,social,Unga,Stadsdelen,2022-01-01,2022-12-31,brott,misshandel,,2021,1,",
                        "2022,norr,A1,Nattvandring,P1,O1,social,Unga,Stadsdelen,2022-01-01,2022-12-31,brott,ran,,2022,30,")
    (folder / "atgarder.csv").write_text(text, encoding="utf-8")


def test_the_follow_up_says_which_indicator_moved_significantly(data_dir):
    from lagesbild_lib.sections import atgardsplan as sec

    _with_robberies(data_dir, 80, 20)
    table, text = sec.follow_up(context(data_dir))
    row = table.table.iloc[0]
    assert row["Bedömning"] == "minskning, statistiskt säkerställd" and row["Målet nått"] == "ja"
    assert text.markdown.startswith("En av en åtgärd med en indikator i åtgärdsplanen för 2022 nådde sitt mål.")
    assert "Indikatorn förändrades statistiskt säkerställt för A1 (minskning)." in text.markdown


def test_the_follow_up_of_an_indicator_that_did_not_move(data_dir):
    from lagesbild_lib.sections import atgardsplan as sec

    _with_robberies(data_dir, 40, 36)
    table, text = sec.follow_up(context(data_dir))
    assert table.table.iloc[0]["Bedömning"] == "minskning, inte statistiskt säkerställd" and table.table.iloc[0]["Målet nått"] == "nej"
    assert "För A1 är förändringen inte statistiskt säkerställd." in text.markdown and "förändrades statistiskt" not in text.markdown


def test_small_counts_are_masked_in_the_follow_up(data_dir, tmp_path):
    from lagesbild_lib.context import chapter_context
    from lagesbild_lib.sections import atgardsplan as sec

    _with_robberies(data_dir, 80, 20)
    params = tmp_path / "own.yml"
    params.write_text("suppress_below: 100\n", encoding="utf-8")
    table, _ = sec.follow_up(chapter_context(2023, "norr", str(data_dir), str(params)))
    row = table.table.iloc[0]
    assert row["Då"].startswith("<100") and row["Nu"].startswith("<100")
    assert (row["Förändring"], row["Bedömning"], row["Målet nått"]) == ("–", "–", "–")


def test_a_measure_whose_indicator_table_is_absent_is_a_gap_not_an_input_error():
    """The survey is optional: a plan that follows a survey question still builds without it, and
    the gaps say which measure cannot be followed up and why."""
    plan = pd.DataFrame([("A1", "P1", "O1", "enkät", "otrygg_kvallstid"), ("A2", "P1", "O1", "brott", "misshandel")],
                        columns=["measure_id", "problem_id", "cause_id", "indicator_kind", "indicator"])
    causes = pd.DataFrame({"problem_id": ["P1"], "cause_id": ["O1"]})
    gaps = plan_gaps(plan, causes, {"brott": {"misshandel"}, "enkät": None, "indikator": None})
    assert gaps == [("A1", "indikatorns tabell survey saknas i datamappen: åtgärden kan inte följas upp")]
