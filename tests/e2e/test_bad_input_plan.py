"""Bad input in the orsaksanalys (``orsaker``) and the åtgärdsplan (``atgarder``), issue 18: each
broken table is refused by ``lagesbild check`` and ``lagesbild build`` with exit code 2 and one
Swedish sentence naming the file, row, column, value and what was expected, nothing run and the
last report untouched; good tables pass. The cases run on the bad-input catalogue's tiny project
(its fixture and helpers), with the two tables added to its good data folder."""

from __future__ import annotations

import pytest

from support import run_cli, snapshot
from test_bad_input import Case, assert_one_sentence, edit, no_kernels, prepare, project, remove, write  # noqa: F401  (fixtures)

pytestmark = pytest.mark.e2e

ORSAKER = """year,area_id,problem_id,problem,cause_id,cause,branch,evidence
2023,norr,P1,Rån mot unga vid torget,O1,Unga som rånar jämnåriga,gärningsperson,Se {ref:compstat}.
2023,norr,P1,Rån mot unga vid torget,O2,Mörk gångtunnel,plats-situation,
"""
ATGARDER = """plan_year,area_id,measure_id,measure,problem_id,cause_id,type,place_or_group,responsible,start,end,indicator_kind,indicator,survey,baseline_year,target,cooperation_area
2023,norr,A1,Belysning i gångtunneln,P1,O2,situationell,Gångtunneln,Trafikkontoret,2023-03-01,2023-12-31,brott,ran,,2022,5,otrygga_platser
2023,norr,A2,Nattvandring,P1,O1,social,Unga,Stadsdelen,2023-01-01,,enkät,otrygg_kvallstid,Trygghetsmätningen,2022,0.2,unga_i_riskzon
2023,norr,A3,Läxhjälp,P1,O1,social,Unga,Stadsdelen,2023-01-01,2023-06-30,,,,,,
"""


def with_plan(*breaks):
    """The good data folder with both tables, then broken by ``breaks``."""

    def apply(folder):
        (folder / "orsaker.csv").write_text(ORSAKER, encoding="utf-8")
        (folder / "atgarder.csv").write_text(ATGARDER, encoding="utf-8")
        for b in breaks:
            b(folder)

    return apply


CASES = [
    Case("orsaker-branch-not-one-of-three", with_plan(edit("orsaker.csv", "O2,Mörk gångtunnel,plats-situation", "O2,Mörk gångtunnel,plats/situation")),
         says=("orsaker.csv, rad 3, kolumn 'branch'", "'plats/situation'", "ett av gärningsperson, offer-mål, plats-situation")),
    Case("orsaker-missing-cause-column", with_plan(edit("orsaker.csv", "cause_id,cause,branch", "cause_id,orsak,branch")),
         says=("orsaker.csv", "den obligatoriska kolumnen 'cause' saknas")),
    Case("atgarder-type-misspelt", with_plan(edit("atgarder.csv", "P1,O2,situationell", "P1,O2,situationel")),
         says=("atgarder.csv, rad 2, kolumn 'type'", "'situationel'", "ett av situationell, social")),
    Case("atgarder-end-before-start", with_plan(edit("atgarder.csv", "2023-03-01,2023-12-31", "2023-03-01,2023-02-01")),
         says=("atgarder.csv, rad 2, kolumn 'end'", "'2023-02-01'", "inte ligger före startdatumet 2023-03-01")),
    Case("atgarder-unknown-crime-category", with_plan(edit("atgarder.csv", "brott,ran,", "brott,moped,")),
         says=("atgarder.csv, rad 2, kolumn 'indicator'", "'moped'", "kolumnen category i tabellen crime_categories")),
    Case("atgarder-crime-category-in-capitals", with_plan(edit("atgarder.csv", "brott,ran,", "brott,Ran,")),
         says=("atgarder.csv, rad 2, kolumn 'indicator'", "'Ran'", "menade du 'ran'?")),
    Case("atgarder-indicator-without-kind", with_plan(edit("atgarder.csv", ",brott,ran,", ",,ran,")),
         says=("atgarder.csv, rad 2, kolumn 'indicator_kind'", "cellen är tom", "brott, enkät eller indikator")),
    Case("atgarder-unknown-cooperation-area", with_plan(edit("atgarder.csv", "0.2,unga_i_riskzon", "0.2,unga")),
         says=("atgarder.csv, rad 3, kolumn 'cooperation_area'", "'unga'", "ett av unga_i_riskzon")),
    Case("atgarder-target-without-indicator", with_plan(edit("atgarder.csv", "2023-06-30,,,,,,", "2023-06-30,,,,,12,")),
         says=("atgarder.csv, rad 4, kolumn 'target'", "'12.0'", "en tom cell när åtgärden inte har någon indikator")),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_check_refuses_a_broken_plan_in_one_sentence(case, project, tmp_path, no_kernels):  # noqa: F811
    code, out, err = run_cli("check", *prepare(case, project, tmp_path))
    assert code == 2, err or out
    assert_one_sentence(err, case)


@pytest.mark.parametrize("case", CASES[:3] + CASES[4:5], ids=[c.id for c in CASES[:3] + CASES[4:5]])
def test_build_refuses_a_broken_plan_and_leaves_the_last_report(case, project, tmp_path, no_kernels):  # noqa: F811
    options = prepare(case, project, tmp_path)
    before = snapshot(project["out"])
    code, out, err = run_cli("build", *options, "--out", str(project["out"]), "--workers", "1")
    assert code == 2, err or out
    assert_one_sentence(err, case)
    assert snapshot(project["out"]) == before, "the previous report was changed"


def test_a_good_orsaksanalys_and_plan_pass_the_check(project, tmp_path, no_kernels):  # noqa: F811
    code, out, err = run_cli("check", *prepare(Case("good", with_plan()), project, tmp_path))
    assert code == 0, err
    assert "orsaker.csv" in out and "atgarder.csv" in out and err == ""
