"""Text values the chapters select on (DESIGN §6, issue 15): declared once in
``lagesbild_lib.data.known_values``; a near miss of one is refused with "did you mean", any other
new value is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from lagesbild_lib.data import known_values as kv
from lagesbild_lib.data.dataset import DataSet
from lagesbild_lib.errors import DataError

from test_data_contract import make


@pytest.mark.parametrize(
    "value, known, meant",
    [
        ("Alla", kv.SURVEY_GROUPS, "alla"),
        ("ALLA", kv.SURVEY_GROUPS, "alla"),
        ("all", kv.SURVEY_GROUPS, "alla"),
        ("Kvinnor", kv.SURVEY_GROUPS, "kvinnor"),
        ("kvinna", kv.SURVEY_GROUPS, "kvinnor"),  # the population table's word
        ("man", kv.SURVEY_GROUPS, "män"),  # diacritics
        ("Män", kv.SURVEY_GROUPS, "män"),
        ("Ja", ("ja",), "ja"),
        ("otrygg_kvällstid", kv.STANDARD_QUESTIONS, "otrygg_kvallstid"),
        ("otrygg_kvalstid", kv.STANDARD_QUESTIONS, "otrygg_kvallstid"),
        ("Oroplatser", kv.STANDARD_QUESTIONS, "oroplatser"),
        ("Öppen drogscen", kv.PLACE_TYPES, "öppen drogscen"),
        ("oppen drogscen", kv.PLACE_TYPES, "öppen drogscen"),
        ("prioriterad_plats", kv.PLACE_TYPES, "prioriterad plats"),
        ("skjutningar", kv.EVENT_TYPES, "skjutning"),
        ("Sprängning", kv.EVENT_TYPES, "sprängning"),
        ("brandatentat", kv.EVENT_TYPES, "brandattentat"),
    ],
)
def test_near_misses_are_found(value, known, meant):
    assert kv.near_miss(value, known) == meant


@pytest.mark.parametrize(
    "value, known",
    [
        ("alla", kv.SURVEY_GROUPS),  # exact
        ("16-24 år", kv.SURVEY_GROUPS),  # an age band
        ("65+", kv.SURVEY_GROUPS),
        ("kön", kv.SURVEY_GROUPS),  # three letters: only case and diacritics count
        ("nej", ("ja",)),
        ("ej", ("ja",)),
        ("trygg_dag", kv.STANDARD_QUESTIONS),
        ("oroplatser_2", kv.STANDARD_QUESTIONS),  # numbers differ: a new question, not a slip
        ("centrumanläggning", kv.PLACE_TYPES),
        ("prioriterade platser", kv.PLACE_TYPES),
        ("knivattack", kv.EVENT_TYPES),
    ],
)
def test_new_values_are_allowed(value, known):
    assert kv.near_miss(value, known) is None


SURVEY_ROWS = """year,survey,area_id,question,answer,group,respondents,share
2023,Mätning,norr-a,otrygg_kvallstid,ja,alla,120,0.25
2023,Mätning,norr-a,otrygg_kvallstid,nej,alla,120,0.75
2023,Mätning,norr-a,otrygg_kvallstid,ja,16-24 år,40,0.3
2023,Mätning,norr-a,oroplatser,I centrum,alla,120,0.4
2023,Mätning,norr-a,trygg_kvallstid,Ja,alla,120,0.6
"""


def _problems(tmp_path: Path, **files) -> list[str]:
    tmp_path.mkdir(exist_ok=True)
    try:
        DataSet(make(tmp_path, **files)).validate_all()
    except DataError as exc:
        return list(getattr(exc, "messages", [str(exc)]))
    return []


def test_the_survey_columns_the_chapters_select_on(tmp_path):
    assert _problems(tmp_path / "ok", survey__csv=SURVEY_ROWS.replace("trygg_kvallstid,Ja", "trygg_dag,ja")) == []
    found = _problems(tmp_path / "bad", survey__csv=SURVEY_ROWS.replace(",ja,alla,120,0.25", ",Ja,alla,120,0.25")
                      .replace("16-24 år", "Kvinnor").replace("oroplatser,", "oro_platser,"))
    assert [m.split("survey.csv, ", 1)[1] for m in found] == [
        "rad 5, kolumn 'question': värdet 'oro_platser' är inte giltigt; menade du 'oroplatser'?",
        "rad 6, kolumn 'question': värdet 'trygg_kvallstid' är inte giltigt; menade du 'otrygg_kvallstid'?",
        "rad 2, kolumn 'answer': värdet 'Ja' är inte giltigt; menade du 'ja'?",
        "rad 4, kolumn 'group': värdet 'Kvinnor' är inte giltigt; menade du 'kvinnor'?",
    ]


def test_a_question_the_params_name_is_known(tmp_path):
    folder = make(tmp_path, survey__csv=SURVEY_ROWS.replace(",Ja,", ",ja,"))
    with pytest.raises(DataError, match="'trygg_kvallstid' är inte giltigt; menade du 'otrygg_kvallstid'"):
        DataSet(folder).validate_all()
    named = kv.Selections.for_report("trygg_kvallstid", kv.QUESTION_PLACES)
    DataSet(folder, named).validate_all()
    # ... and then its answers are checked too; a file that passed for one report is checked
    # again for another that names other questions (the cache key holds them)
    folder = make(tmp_path, survey__csv=SURVEY_ROWS)
    with pytest.raises(DataError, match="rad 6, kolumn 'answer': värdet 'Ja' är inte giltigt; menade du 'ja'"):
        DataSet(folder, named).validate_all()
    # a params value one slip away from the data's: the message says where the other spelling is
    folder = make(tmp_path, survey__csv=SURVEY_ROWS.replace(",Ja,", ",ja,"))
    misspelt = kv.Selections.for_report("trygg_kvalstid", kv.QUESTION_PLACES)
    with pytest.raises(DataError, match=r"'trygg_kvallstid' är inte giltigt; menade du 'trygg_kvalstid' \(som params anger\)\?"):
        DataSet(folder, misspelt).validate_all()


def test_places_events_and_programmes(tmp_path):
    places = "place_id,name,type,area_id\np1,Torget,prioriterad plats,norr-a\np2,Parken,centrumanläggning,norr-a\np3,Gången,Prioriterad plats,norr-b\n"
    events = "event_date,area_id,type\n2023-01-02,norr-a,skjutning\n2023-01-03,norr-a,knivattack\n2023-01-04,norr-a,sprängningar\n"
    ratings = "year,area_id,programme,group_id,score\n2023,norr-a,GSRS,g1,7\n2023,norr-a,GSRS,g2,8\n2023,norr-a,Gsrs,g3,6\n2023,norr-a,ORS,g3,6\n"
    found = _problems(tmp_path, places__csv=places, critical_events__csv=events, programme_ratings__csv=ratings)
    assert [m.split("/")[-1] for m in found] == [
        "critical_events.csv, rad 4, kolumn 'type': värdet 'sprängningar' är inte giltigt; menade du 'sprängning'?",
        "places.csv, rad 4, kolumn 'type': värdet 'Prioriterad plats' är inte giltigt; menade du 'prioriterad plats'?",
        "programme_ratings.csv, rad 4, kolumn 'programme': värdet 'Gsrs' är inte giltigt; menade du 'GSRS'?",
    ]


def test_two_spellings_of_one_category_are_refused(tmp_path):
    from test_data_contract import CATEGORIES

    categories = CATEGORIES + "Rån,Rån igen,Brott mot person,true,true,false\n"
    found = _problems(tmp_path, crime_categories__csv=categories)
    assert len(found) == 1 and "rad 4, kolumn 'category': värdet 'Rån' är inte giltigt; menade du 'rån'?" in found[0]


def test_the_chapters_use_the_declared_values():
    """The constants the chapters select and word with are (or agree with) the declared ones."""
    from lagesbild_lib.analysis import survey
    from lagesbild_lib.figures import crime, overview
    from lagesbild_lib.params import ReportParams
    from lagesbild_lib.present.text import plural
    from lagesbild_lib.sections import forandringar, safety_analysis

    assert (survey.GROUP_ALL, survey.WOMEN, survey.MEN) == kv.SURVEY_GROUPS
    assert safety_analysis.ANSWER == forandringar.ANSWER == kv.ANSWER_YES
    assert set(safety_analysis.QUESTIONS) <= set(kv.STANDARD_QUESTIONS)
    fields = ReportParams.model_fields
    assert (fields["survey_question"].default, fields["places_question"].default) == kv.STANDARD_QUESTIONS
    assert overview.PLACE_PLURALS is kv.PLACE_PLURALS and set(overview.PLACE_STYLES) == set(kv.PLACE_TYPES)
    assert set(crime.EVENT_MARKERS) <= set(kv.EVENT_TYPES)
    for noun, plural_form in kv.EVENT_PLURALS.items():
        assert plural(2, noun) == f"2 {plural_form}", noun
