"""Chapter 3 (Beskrivning av tryggheten): wordings, charts, the choropleth and the chapter's
sections on the demo data, including an area and year without survey answers."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure

from lagesbild_lib.figures.choropleth import class_labels, classify, choropleth_alt, plot_choropleth, share_classes
from lagesbild_lib.context import chapter_context
from lagesbild_lib.present.pieces import Chart, Missing, Table, show
from lagesbild_lib.sections import safety_analysis, safety_surveys, trygghet as sec
from lagesbild_lib.analysis.stats import two_proportion_test
from lagesbild_lib.figures.survey import (
    fmt_pp, fmt_pp_ci, gaps_alt, places_alt, plot_gaps, plot_places, plot_subarea_years, subarea_years_alt,
)

NBSP = "\u00a0"
SECTIONS = [
    "key_findings", "unsafety_table", "unsafety_chart", "unsafety_by_year_table", "change_table", "survey_comparison",
    "unsafety_map", "places_chart", "places_table", "gender_gap_table", "gender_gap_chart", "age_group_table",
]


def pieces(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [p for v in value for p in pieces(v)]
    return [value]


# ----------------------------------------------------------------- wordings


def test_city_wording_says_statistically_certain_only_below_005():
    higher = two_proportion_test(0.45, 1000, 0.30, 5000)
    assert higher.p_value < 0.05
    assert safety_analysis.city_wording(higher) == "högre än staden (statistiskt säkerställt)"
    assert safety_analysis.city_wording(two_proportion_test(0.20, 1000, 0.30, 5000)) == "lägre än staden (statistiskt säkerställt)"
    close = two_proportion_test(0.33, 50, 0.30, 5000)
    assert close.p_value >= 0.05
    assert safety_analysis.city_wording(close) == "ingen statistiskt säkerställd skillnad mot staden"
    assert safety_analysis.city_wording(None) == ""


def test_percentage_points():
    assert fmt_pp(0.12) == "+12 procentenheter"
    assert fmt_pp(-0.01) == "\u22121 procentenhet"
    assert fmt_pp(-0.034, signed=False) == "3 procentenheter"
    assert fmt_pp_ci(0.12, 0.08, 0.16) == "+12 procentenheter (8\u201316)"
    assert fmt_pp_ci(0.02, -0.03, 0.07) == "+2 procentenheter (\u22123 till 7)"
    assert fmt_pp_ci(0.02, -0.03, 0.07, unit=False) == "+2 (\u22123 till 7)"


def test_unknown_question_gets_a_plain_wording():
    assert safety_analysis.question_text("otrygg_kvallstid").map_title == "Otrygghet kvällstid"
    assert "frågan trivs" in safety_analysis.question_text("trivs").caption


# ----------------------------------------------------------------- choropleth


@pytest.mark.parametrize(
    "shares, bounds",
    [
        ([0.18, 0.52], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]),
        ([0.31, 0.33], [0.3, 0.35]),
        ([0.0, 1.0], [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        ([1.0], [0.95, 1.0]),
        ([0.12, float("nan"), 0.14], [0.1, 0.15]),
        ([], []),
    ],
)
def test_share_classes_are_round_and_cover_every_share(shares, bounds):
    found = share_classes(shares)
    assert found == pytest.approx(bounds)
    for s in shares:
        if s == s:
            i = classify(s, found)
            assert found[i] <= s and (s < found[i + 1] or s == found[-1] == 1.0)


def test_class_labels_in_swedish():
    assert class_labels([0.0, 0.2, 0.4]) == [f"under 20{NBSP}%", f"20\u201340{NBSP}%"]
    assert class_labels([0.6, 0.8, 1.0]) == [f"60\u201380{NBSP}%", f"80{NBSP}% och mer"]
    assert class_labels([0.3, 0.35]) == [f"30\u201335{NBSP}%"]
    assert classify(0.3, [0.2, 0.3, 0.4]) == 1  # on a bound: the higher class
    assert classify(float("nan"), [0.2, 0.3]) is None


def test_choropleth_hatches_small_samples_and_greys_missing():
    from shapely.geometry import box

    outlines = {"a": box(0, 0, 1, 1), "b": box(1, 0, 2, 1), "c": box(2, 0, 3, 1)}
    values = pd.DataFrame({"area_id": ["a", "b", "c"], "name": ["A", "B", "C"], "share": [0.15, 0.45, float("nan")],
                           "small": [False, True, False]})
    fig = plot_choropleth(outlines, values, "Otrygghet kvällstid", "Andel otrygga")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == 1
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "färre än 30 svarande (osäker)" in legend and "uppgift saknas" in legend
    alt = choropleth_alt(values, "andelen otrygga per delområde")
    assert "Högsta klassen" in alt and "B" in alt and "Färre än 30 svarande (streckade): B" in alt


# ----------------------------------------------------------------- charts on small frames


@pytest.fixture()
def by_year() -> pd.DataFrame:
    rows = []
    for year, a, b, area, city in ((2021, 0.2, 0.5, 0.3, 0.25), (2023, 0.25, 0.4, 0.3, 0.28)):
        rows += [(year, "x", "X", a, 100, a - 0.05, a + 0.05, False), (year, "y", "Y", b, 20, b - 0.2, b + 0.2, True),
                 (year, "omr", "Området", area, 120, area - 0.04, area + 0.04, False),
                 (year, "stad", "Staden", city, 9000, city - 0.01, city + 0.01, False)]
    return pd.DataFrame(rows, columns=["year", "area_id", "name", "share", "respondents", "lo", "hi", "small"])


def test_subarea_years_chart_and_alt(by_year):
    fig = plot_subarea_years(by_year, "omr", "stad", "Andel otrygga")
    assert isinstance(fig, Figure) and sum(ax.get_visible() for ax in fig.axes) == 2
    alt = subarea_years_alt(by_year, "omr", "stad", "Området", "andelen otrygga")
    assert f"I Området var andelen 30{NBSP}% år 2021 och 30{NBSP}% år 2023, ingen statistiskt säkerställd förändring" in alt
    assert "Y" not in alt  # Y rests on 20 respondents: never named as the highest
    more = pd.concat([by_year, by_year[by_year["area_id"] == "x"].assign(area_id="z", name="Z", share=0.1, lo=0.05, hi=0.15)],
                     ignore_index=True)
    alt = subarea_years_alt(more, "omr", "stad", "Området", "andelen otrygga")
    assert f"högst i X (25{NBSP}%) och lägst i Z (10{NBSP}%)" in alt


def test_places_and_gap_charts():
    area = pd.DataFrame({"answer": ["I centrum", "I parker"], "share": [0.4, 0.2], "respondents": [100, 100],
                         "lo": [0.3, 0.13], "hi": [0.5, 0.29], "small": [False, False]})
    city = area.assign(share=[0.3, 0.25], lo=[0.29, 0.24], hi=[0.31, 0.26], respondents=5000)
    assert isinstance(plot_places(area, city, "Området", "Staden", "Oroplatser"), Figure)
    table = area.assign(city_share=[0.3, 0.25], city_wording=["högre än staden (statistiskt säkerställt)", "ingen"])
    alt = places_alt(table, "Området", has_city=True)
    assert f"i centrum (40{NBSP}%)" in alt and "Statistiskt säkerställt oftare än i staden: i centrum" in alt
    gaps = pd.DataFrame({"area_id": ["a", "omr"], "name": ["A", "Området"], "diff": [0.1, -0.05], "lo": [0.02, -0.1],
                         "hi": [0.18, 0.0], "small": [False, True], "significant": [True, False]})
    assert isinstance(plot_gaps(gaps, "Skillnad", "procentenheter", reference_ids=("omr",)), Figure)
    alt = gaps_alt(gaps, "omr", "Området", "kvinnor", "män", "andelen otrygga")
    assert "statistiskt säkerställt högre bland kvinnor än bland män i ett av två områden" in alt
    assert "i det övriga området är skillnaden inte statistiskt säkerställd" in alt and "\u22125 procentenheter" in alt


# ----------------------------------------------------------------- the chapter on the demo data


@pytest.fixture(scope="module")
def contexts(demo_dir):
    return {key: chapter_context(key[1], key[0], str(demo_dir)) for key in
            [("hasselby-vallingby", 2023), ("hasselby-vallingby", 2022), ("solna", 2024), ("rinkeby-kista", 2021)]}


@pytest.mark.parametrize("key", [("hasselby-vallingby", 2023), ("hasselby-vallingby", 2022), ("solna", 2024), ("rinkeby-kista", 2021)],
                         ids=lambda k: f"{k[0]}-{k[1]}")
def test_every_section_renders_with_alt_text_stating_a_finding(contexts, key, capsys):
    ctx = contexts[key]
    shown = []
    for name in SECTIONS:
        result = pieces(getattr(sec, name)(ctx))
        shown += result
        show(*result)
    capsys.readouterr()
    charts = [p for p in shown if isinstance(p, Chart)]
    assert {c.kind for c in charts} >= {"Diagram", "Kartbild"}
    for chart in charts:
        assert isinstance(chart.figure, Figure)
        assert re.search(r"\d+(\s%| procentenhet)", chart.alt), chart.alt  # a finding with numbers, not just a title
    the_map = next(c for c in charts if c.kind == "Kartbild")
    assert "Otrygghet kvällstid" in the_map.caption
    schematic = key[0] == "solna"  # Solna's delområden are schematic cells, Stockholm's stadsdelar real outlines
    assert ("schematisk karta" in the_map.caption) == schematic
    assert ("Stadsdelsgränser: Stockholms stad, öppna data (CC0)." in the_map.note) != schematic
    for table in (p for p in shown if isinstance(p, Table)):
        assert not re.search(r"\b(Tabell|Diagram|Kartbild) \d", table.caption)  # the stitcher numbers them


def test_key_findings_agree_with_the_table(contexts):
    ctx = contexts[("hasselby-vallingby", 2023)]
    findings = sec.key_findings(ctx).markdown
    table = sec.unsafety_table(ctx).table.set_index("Område")
    own = table.loc["Hässelby-Vällingby"]
    assert f"**{own.iloc[0]}**" in findings
    assert own["Jämfört med staden"] in findings
    assert table.loc["Stockholm"].iloc[0] in findings
    assert re.search(r"\d+\s% \(\d+–\d+\s%\)", findings)
    for name, row in table.iterrows():
        if row["Jämfört med staden"].startswith("högre"):
            assert name in findings.split("högre än staden:")[1].split("\n")[0] or name == "Hässelby-Vällingby"


def test_two_level_kommun_compares_parts_with_itself(contexts):
    ctx = contexts[("solna", 2024)]
    a = safety_analysis.analyse(ctx)
    assert a.ok and a.city_id is None and a.survey_name == "Polisens trygghetsundersökning"
    assert (a.now.loc[a.now["area_id"] == "solna", "city_wording"] == "jämförelsenivå").all()
    assert isinstance(sec.survey_comparison(ctx), Missing)  # only the police survey covers Solna


def test_surveys_of_another_year_are_named(contexts):
    text = sec.key_findings(contexts[("hasselby-vallingby", 2022)]).markdown
    assert "Stockholms stads trygghetsmätning gjordes inte 2022; senaste mätningen (2021)" in text


def test_disagreeing_surveys_are_said_plainly(contexts, monkeypatch):
    ctx = contexts[("hasselby-vallingby", 2023)]
    a = safety_analysis.analyse(ctx)
    moved = pd.DataFrame({"survey": ["A", "B"], "base": [2021, 2021], "share_before": [0.3, 0.3], "share": [0.35, 0.25],
                          "diff": [0.05, -0.05], "significant": [True, True]})
    monkeypatch.setattr(safety_surveys, "_changes_for_comparison", lambda *args: moved)
    text = safety_surveys.disagreement_sentence(ctx, a)
    assert text.startswith("**Undersökningarna pekar åt olika håll:**")
    assert "enligt A har andelen ökat sedan 2021" in text and "enligt B har andelen minskat sedan 2021" in text
    assert "förändringarna är statistiskt säkerställda" in text
    # a change that is not significant is no evidence that the surveys disagree
    monkeypatch.setattr(safety_surveys, "_changes_for_comparison", lambda *args: moved.assign(significant=[True, False]))
    assert "pekar åt olika håll" not in safety_surveys.disagreement_sentence(ctx, a)


# ----------------------------------------------------------------- without survey answers


def _copy_without_survey(demo_dir: Path, target: Path, keep=None) -> Path:
    target.mkdir()
    for f in demo_dir.iterdir():
        if f.name.startswith("survey."):
            continue
        (target / f.name).symlink_to(f)
    if keep is not None:
        survey = pd.read_csv(demo_dir / "survey.csv")
        survey[keep(survey)].to_csv(target / "survey.csv", index=False)
    return target


def test_no_survey_table_says_so_plainly(demo_dir, tmp_path):
    ctx = chapter_context(2023, "hasselby-vallingby", str(_copy_without_survey(demo_dir, tmp_path / "d")))
    for name in SECTIONS:
        for piece in pieces(getattr(sec, name)(ctx)):
            assert isinstance(piece, Missing), name
            assert "tabellen survey" in piece.message


def test_area_and_year_without_survey_rows(demo_dir, tmp_path, capsys):
    from lagesbild_lib.data.areas import AreaRegistry

    areas = AreaRegistry(pd.read_csv(demo_dir / "areas.csv"))
    mine = set(areas.descendants("hasselby-vallingby"))
    data = _copy_without_survey(demo_dir, tmp_path / "d", keep=lambda s: ~(s["area_id"].isin(mine) & (s["year"] == 2023)))
    ctx = chapter_context(2023, "hasselby-vallingby", str(data))
    found = sec.key_findings(ctx)
    assert isinstance(found, Missing)
    assert "inga enkätsvar" in found.message and "Hässelby-Vällingby år 2023" in found.message
    assert "2019, 2020, 2021, 2022, 2024 och 2025" in found.message
    # the table has rows for other areas and years: the note names the filter and the build warns
    assert found.warning and "urvalet i enkätdata: fråga ”otrygg_kvallstid”, svar ”ja”, grupp ”alla”, år 2023" in found.message
    for name in SECTIONS:
        result = pieces(getattr(sec, name)(ctx))
        assert all(isinstance(p, Missing) for p in result), name
        show(*result)
    capsys.readouterr()


def test_chapter_notebook_runs_without_survey_rows(demo_dir, tmp_path):
    papermill = pytest.importorskip("papermill")
    root = Path(__file__).resolve().parents[2]
    data = _copy_without_survey(demo_dir, tmp_path / "d", keep=lambda s: s["area_id"] == "nowhere")
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(str(root / "notebooks" / "03_trygghet.ipynb"), str(out), cwd=str(root),
                               parameters={"year": 2023, "area": "hasselby-vallingby", "data_dir": str(data)},
                               progress_bar=False, log_output=False)
    text = out.read_text(encoding="utf-8")
    assert "inga enkätsvar" in text and "Traceback" not in text


def test_age_groups_are_shown_where_present(demo_dir, tmp_path):
    survey = pd.read_csv(demo_dir / "survey.csv")
    base = survey[(survey["year"] == 2023) & (survey["question"] == "otrygg_kvallstid") & (survey["group"] == "alla")
                  & survey["area_id"].isin(["vallingby", "racksta", "stockholm"])]
    young = base.assign(group="16-24", respondents=40, share=0.45)
    old = base.assign(group="65+", respondents=25, share=0.20)
    data = tmp_path / "d"
    _copy_without_survey(demo_dir, data)
    pd.concat([survey, young, old]).to_csv(data / "survey.csv", index=False)
    ctx = chapter_context(2023, "hasselby-vallingby", str(data))
    table, words = sec.age_group_table(ctx)
    assert table.table["Åldersgrupp"].tolist() == ["16-24", "65+"]
    assert table.data["Svarande"].tolist() == [80, 50]  # two stadsdelar: 2 × 40 and 2 × 25
    assert not table.table.iloc[1, 1].endswith("*")  # 25 per stadsdel, but 50 for the area: not flagged
    assert "Högst andel bland 16-24 år" in words.markdown and "procentenheter" in words.markdown
    assert sec.age_group_table(chapter_context(2023, "bromma", str(data))) is None
