"""Chapter Orsaker (issue 18, item 2): the risk and protective factor panel (which indicator is
which is data, params override the shipped default), the orsaksanalys as a fishbone diagram with
the same content as a table, and the sections without their tables."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from lagesbild_lib.analysis.risk import default_factors, factor_roles, fishbone_frame, reference_area, risk_panel
from lagesbild_lib.figures.fishbone import fishbone_alt, plot_fishbone
from lagesbild_lib.present.pieces import Chart, Missing, Table, Text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

INDICATORS = pd.DataFrame(
    [
        (2019, "norr", "ekonomiskt_bistand", 6.0, "procent", "Andel med ekonomiskt bistånd"),
        (2023, "norr", "ekonomiskt_bistand", 5.1, "procent", "Andel med ekonomiskt bistånd"),
        (2023, "stad", "ekonomiskt_bistand", 3.2, "procent", "Andel med ekonomiskt bistånd"),
        (2023, "norr", "forvarvsfrekvens", 70.0, "procent", "Förvärvsfrekvens"),
        (2023, "stad", "forvarvsfrekvens", 78.4, "procent", "Förvärvsfrekvens"),
        (2023, "norr", "medianinkomst", 300000.0, "kr", "Medianinkomst"),
        (2023, "stad", "medianinkomst", 300000.0, "kr", "Medianinkomst"),
        (2023, "norr", "antal_bibliotek", 2.0, "antal", "Bibliotek"),
    ],
    columns=["year", "area_id", "indicator", "value", "unit", "label"],
)


def test_the_shipped_default_names_risk_and_protective_factors_and_params_override_it():
    defaults = default_factors()
    assert set(defaults["factor"]) == {"risk", "skydd"} and defaults["indicator"].is_unique
    roles = factor_roles(defaults, {"forvarvsfrekvens": "risk", "antal_bibliotek": "skydd"})
    assert roles["ekonomiskt_bistand"] == "risk" and roles["forvarvsfrekvens"] == "risk" and roles["antal_bibliotek"] == "skydd"


def test_the_panel_reads_each_difference_by_the_factor_it_is(registry):
    roles = factor_roles(default_factors(), {})
    assert reference_area(INDICATORS, registry, "norr", 2023) == "stad"
    panel = risk_panel(INDICATORS, roles, "norr", "stad", 2023).set_index("indicator")
    assert list(panel.index) == ["ekonomiskt_bistand", "forvarvsfrekvens", "medianinkomst"]  # risk first; no role: left out
    assert panel.loc["ekonomiskt_bistand", ["wording", "reading"]].tolist() == ["högre", "större risk"]
    assert panel.loc["forvarvsfrekvens", ["wording", "reading"]].tolist() == ["lägre", "svagare skydd"]
    assert panel.loc["medianinkomst", "reading"] == "samma nivå"
    assert panel.loc["ekonomiskt_bistand", "first_year"] == 2019 and panel.loc["ekonomiskt_bistand", "change"] == pytest.approx(-0.9)
    assert pd.isna(panel.loc["forvarvsfrekvens", "change"])


def test_the_fishbone_has_the_same_content_as_its_table():
    causes = pd.DataFrame({
        "branch": ["plats-situation", "gärningsperson", "gärningsperson"],
        "cause": ["Mörk gångtunnel", "Unga som rånar jämnåriga", "Grupp som samlas kvällstid"],
        "evidence": ["Se {ref:hotspot_map}.", None, ""],
    })
    frame = fishbone_frame(causes)
    assert frame.to_dict("records") == [
        {"Gren": "Gärningsperson", "Orsak": "Unga som rånar jämnåriga", "Underlag": ""},
        {"Gren": "Gärningsperson", "Orsak": "Grupp som samlas kvällstid", "Underlag": ""},
        {"Gren": "Plats/situation", "Orsak": "Mörk gångtunnel", "Underlag": "Se {ref:hotspot_map}."},
    ]
    fig = plot_fishbone("Rån mot unga", frame)
    drawn = [t.get_text() for t in fig.axes[0].texts]
    assert "Rån mot unga" in drawn and {"Gärningsperson", "Offer/mål", "Plats/situation"} <= set(drawn)
    assert any("Mörk gångtunnel" in t for t in drawn) and any("inga angivna" in t for t in drawn)
    alt = fishbone_alt("Rån mot unga", frame)
    assert alt == ("Fiskbensdiagram över orsakerna till problemet Rån mot unga: på gärningspersonssidan två orsaker "
                   "(Unga som rånar jämnåriga; Grupp som samlas kvällstid), på offer- och målsidan ingen orsak och "
                   "på plats- och situationssidan en orsak (Mörk gångtunnel).")


ORSAKER = """year,area_id,problem_id,problem,cause_id,cause,branch,evidence
2023,norr,P1,Rån mot unga vid torget,O1,Unga som rånar jämnåriga,gärningsperson,Se {ref:compstat}.
2023,norr-a,P2,Otrygghet i parken,O2,Mörk park,plats-situation,
2022,norr,P1,Rån mot unga vid torget,O1,Gammal orsak,gärningsperson,
"""


@pytest.fixture()
def data_dir(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "backtest_compstat", folder, ignore=shutil.ignore_patterns("expected_*"))
    (folder / "orsaker.csv").write_text(ORSAKER, encoding="utf-8")
    INDICATORS.to_csv(folder / "indicators.csv", index=False)
    return folder


def context(folder):
    from lagesbild_lib.context import chapter_context

    return chapter_context(2023, "norr", str(folder))


def test_the_sections_on_a_small_data_folder(data_dir):
    from lagesbild_lib.sections import orsaker as sec

    ctx = context(data_dir)
    table, text = sec.risk_factors(ctx)
    assert isinstance(table, Table) and table.caption == "Risk- och skyddsfaktorer i Norr 2023 jämfört med Staden"
    assert table.table["Innebär"].tolist() == ["större risk", "svagare skydd", "samma nivå"]
    assert table.table["Förändring"].iloc[0] == "\u22120,9\u00a0procentenheter sedan 2019"
    assert text.markdown == ("Jämfört med Staden har Norr större risk när det gäller andel med ekonomiskt bistånd; "
                             "svagare skydd när det gäller förvärvsfrekvens.")
    intro, *charts = sec.cause_analysis(ctx)
    assert isinstance(intro, Text) and [c.caption for c in charts] == [
        "Orsaksanalys 2023, problem P1: Rån mot unga vid torget", "Orsaksanalys 2023, problem P2: Otrygghet i parken"]
    assert all(isinstance(c, Chart) for c in charts) and charts[0].data["Orsak"].tolist() == ["Unga som rånar jämnåriga"]


def test_without_their_tables_the_sections_say_what_is_missing(data_dir):
    from lagesbild_lib.sections import orsaker as sec

    (data_dir / "orsaker.csv").unlink()
    (data_dir / "indicators.csv").unlink()
    ctx = context(data_dir)
    for piece, table in ((sec.risk_factors(ctx), "indicators"), (sec.cause_analysis(ctx), "orsaker")):
        assert isinstance(piece, Missing) and f"tabellen {table}" in piece.message and "saknas i datamappen" in piece.message


def test_no_orsaksanalys_for_the_year_is_a_visible_warning(data_dir):
    from lagesbild_lib.sections import orsaker as sec

    (data_dir / "orsaker.csv").write_text(ORSAKER.replace("2023,", "2021,"), encoding="utf-8")
    piece = sec.cause_analysis(context(data_dir))
    assert isinstance(piece, Missing) and piece.warning and "ingen orsaksanalys för Norr 2023" in piece.message


def test_youth_survey_factors_against_the_city(registry):
    from lagesbild_lib.analysis.risk import youth_shares

    survey = pd.DataFrame(
        [(2022, "Ungdomsenkäten", "norr", "provat_narkotika", "ja", "alla", 400, 0.30),
         (2022, "Ungdomsenkäten", "stad", "provat_narkotika", "ja", "alla", 2000, 0.20),
         (2020, "Ungdomsenkäten", "norr", "trivs_i_skolan", "ja", "alla", 50, 0.70),
         (2020, "Ungdomsenkäten", "stad", "trivs_i_skolan", "ja", "alla", 1000, 0.72),
         (2024, "Ungdomsenkäten", "norr", "trivs_i_skolan", "ja", "alla", 50, 0.10),  # after the report year
         (2022, "Ungdomsenkäten", "norr", "otrygg_kvallstid", "ja", "alla", 400, 0.25)],  # no factor
        columns=["year", "survey", "area_id", "question", "answer", "group", "respondents", "share"],
    )
    found = youth_shares(survey, registry, "norr", "stad", factor_roles(default_factors(), {}), 2023).set_index("question")
    assert list(found.index) == ["provat_narkotika", "trivs_i_skolan"]
    drugs, school = found.loc["provat_narkotika"], found.loc["trivs_i_skolan"]
    assert (drugs["role"], drugs["year"], drugs["n"]) == ("risk", 2022, 400) and drugs["significant"]
    assert drugs["diff"] == pytest.approx(0.30 - (0.20 * 2000 - 0.30 * 400) / 1600)  # against the rest of the city
    assert (school["role"], school["year"]) == ("skydd", 2020) and not school["significant"]
    assert drugs["lo"] < 0.30 < drugs["hi"]


def test_youth_survey_section_without_youth_questions_says_so(data_dir):
    from lagesbild_lib.sections import orsaker as sec

    piece = sec.youth_survey(context(data_dir))
    assert isinstance(piece, Missing) and "tabellen survey" in piece.message and "saknas i datamappen" in piece.message
    (data_dir / "survey.csv").write_text(
        "year,survey,area_id,question,answer,group,respondents,share\n2023,Enkäten,norr-a,otrygg_kvallstid,ja,alla,120,0.25\n", encoding="utf-8")
    piece = sec.youth_survey(context(data_dir))
    assert isinstance(piece, Missing) and piece.message.startswith("Resultat från en ungdomsenkät visas inte")
    (data_dir / "survey.csv").write_text(
        "year,survey,area_id,question,answer,group,respondents,share\n2023,Enkäten,norr-a,provat_narkotika,ja,alla,120,0.25\n"
        "2023,Enkäten,stad,provat_narkotika,ja,alla,900,0.10\n", encoding="utf-8")
    table = sec.youth_survey(context(data_dir))
    assert isinstance(table, Table) and table.table["Jämfört med Staden"].tolist() == ["högre än staden (statistiskt säkerställt)"]


def test_the_kolada_kpis_fetched_have_their_direction_as_default():
    from lagesbild_lib.analysis.risk import KOLADA_FILE

    kolada = pd.read_csv(KOLADA_FILE, dtype=str)
    roles = factor_roles(default_factors(), {})
    assert all(roles[k] == d for k, d in zip(kolada["id"], kolada["direction"]) if d in ("risk", "skydd"))
