"""The Trygghet chapter over many survey questions (issue 16): the overview table and the paragraph
per question with 1, 8 and 20 questions, a question without a previous measurement or without rows
for women and men, the params choosing questions, a missing ``survey_questions`` table, and the
demo's questions."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from lagesbild_lib.context import chapter_context
from lagesbild_lib.data.areas import AreaRegistry
from lagesbild_lib.present.pieces import Missing, Table, Text
from lagesbild_lib.sections import safety_questions as sq

SURVEYS = ("Enkät A", "Enkät B")
THEMES = ("Otrygghet", "Oro för brott", "Förtroende")


def _write(demo_dir: Path, target: Path, survey: pd.DataFrame | None, questions: pd.DataFrame | None) -> Path:
    target.mkdir()
    for f in demo_dir.iterdir():
        if f.name.startswith("survey"):
            continue
        (target / f.name).symlink_to(f)
    if survey is not None:
        survey.to_csv(target / "survey.csv", index=False)
    if questions is not None:
        questions.to_csv(target / "survey_questions.csv", index=False)
    return target


def synthetic(demo_dir: Path, n: int, since: int = 2021, by_sex: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` questions over two surveys and three themes for Stockholm's stadsdelsområden (own rows)
    and the city in 2021 and 2023; the shares rise with the area's place in the alphabet."""
    areas = AreaRegistry(pd.read_csv(demo_dir / "areas.csv"))
    units = areas.children("stockholm")
    questions = pd.DataFrame([
        {"survey": SURVEYS[i % 2], "question": f"fraga_{i:02d}", "label": f"Fråga nummer {i + 1}", "theme": THEMES[i % 3],
         "answer": "ja", "higher_is_worse": i % 3 != 2}
        for i in range(n)
    ])
    rows = []
    for q in questions.itertuples():
        for year in (2021, 2023):
            if year < since:
                continue
            total = yes = 0
            for k, unit in enumerate(units):
                share = 0.10 + 0.03 * k + 0.005 * q.Index + (0.02 if year == 2023 else 0.0)
                rows.append((year, q.survey, unit, q.question, "ja", "alla", 400, share))
                if by_sex:
                    rows.append((year, q.survey, unit, q.question, "ja", "kvinnor", 200, min(1.0, share * 1.3)))
                    rows.append((year, q.survey, unit, q.question, "ja", "män", 200, share * 0.7))
                total, yes = total + 400, yes + 400 * share
            rows.append((year, q.survey, "stockholm", q.question, "ja", "alla", total, yes / total))
    survey = pd.DataFrame(rows, columns=["year", "survey", "area_id", "question", "answer", "group", "respondents", "share"])
    return survey, questions


def _context(demo_dir, tmp_path, n, area="hasselby-vallingby", **kw):
    survey, questions = synthetic(demo_dir, n, **kw)
    return chapter_context(2023, area, str(_write(demo_dir, tmp_path / f"d{n}", survey, questions))), questions


@pytest.mark.parametrize("n", [1, 8, 20])
def test_every_question_has_a_row_and_a_paragraph_under_its_theme(demo_dir, tmp_path, n):
    ctx, questions = _context(demo_dir, tmp_path, n)
    overview = sq.questions_overview(ctx)
    table = overview[0]
    assert isinstance(table, Table) and len(overview) == 1
    assert len(table.table) == n == len(table.data)
    assert list(table.table["Tema"].unique()) == list(dict.fromkeys(questions["theme"]))  # grouped by theme, first seen first
    assert set(table.table["Fråga"]) == set(questions["label"])
    assert table.table["Andel (95 % KI)"].str.fullmatch(r"\d+\s%\s\(\d+–\d+\s%\)").all()
    assert table.table["Rang bland stadsdelsområden"].str.contains(" av 13 stadsdelsområden").all()
    assert table.table["Förändring sedan föregående mätning"].str.endswith("(sedan 2021)").all()
    detail = sq.questions_detail(ctx)
    headings = [p.markdown for p in detail if p.markdown.startswith("### ")]
    assert headings == [f"### {t}" for t in dict.fromkeys(questions["theme"])]
    paragraphs = [p.markdown for p in detail if not p.markdown.startswith("###")]
    assert len(paragraphs) == n
    for text in paragraphs:
        assert "svarande i Hässelby-Vällingby" in text
        assert "staden (" in text and "Förändring sedan 2021, då andelen var" in text
        assert "Hässelby-Vällingby har den " in text and "andelen av 13 stadsdelsområden" in text
        assert "Kvinnor " in text and ", män " in text


def test_rank_follows_the_shares(demo_dir, tmp_path):
    # shares rise with the area's place in the alphabet: the first is the lowest, the last the highest
    areas = AreaRegistry(pd.read_csv(demo_dir / "areas.csv"))
    units = areas.children("stockholm")
    survey, questions = synthetic(demo_dir, 1)
    data = _write(demo_dir, tmp_path / "d", survey, questions)
    first = sq.question_results(chapter_context(2023, units[0], str(data))).results[0]
    assert (first.rank.end, first.rank.place, first.rank.peers) == ("lägsta", 1, 13)
    last_ctx = chapter_context(2023, units[-1], str(data))
    assert f"{areas.name(units[-1])} har den högsta andelen av 13 stadsdelsområden." in sq.questions_detail(last_ctx)[1].markdown


def test_question_without_previous_measurement_says_so(demo_dir, tmp_path):
    ctx, _ = _context(demo_dir, tmp_path, 2, since=2023)
    table = sq.questions_overview(ctx)[0]
    assert set(table.table["Förändring sedan föregående mätning"]) == {"ingen tidigare mätning"}
    texts = [p.markdown for p in sq.questions_detail(ctx)]
    assert "Ingen tidigare mätning att jämföra med i Enkät A." in texts[1]


def test_survey_without_women_and_men_rows_says_so(demo_dir, tmp_path):
    ctx, _ = _context(demo_dir, tmp_path, 3, by_sex=False)
    paragraphs = [p.markdown for p in sq.questions_detail(ctx) if not p.markdown.startswith("###")]
    assert all("Svaren redovisas inte för kvinnor och män." in text for text in paragraphs)
    assert all("Kvinnor " not in text for text in paragraphs)


def test_params_choose_and_order_questions_and_unknown_ids_are_named(demo_dir, tmp_path):
    ctx, _ = _context(demo_dir, tmp_path, 8)
    chosen = dataclasses.replace(ctx, params=ctx.params.model_copy(update={"survey_questions": ["fraga_04", "fraga_01", "fraga_99"]}))
    pieces = sq.questions_overview(chosen)
    # in the params' order (fraga_04 and fraga_01 share a theme, so the order is not the table's)
    assert list(pieces[0].table["Fråga"]) == ["Fråga nummer 5", "Fråga nummer 2"]
    unknown = [p for p in pieces if isinstance(p, Missing)]
    assert len(unknown) == 1 and "fraga_99" in unknown[0].message and unknown[0].warning


def test_question_without_answers_for_the_area_is_named(demo_dir, tmp_path):
    survey, questions = synthetic(demo_dir, 2)
    questions = pd.concat([questions, pd.DataFrame([{"survey": "Enkät C", "question": "saknas", "label": "Fråga utan svar",
                                                     "theme": "Otrygghet", "answer": "ja", "higher_is_worse": True}])])
    ctx = chapter_context(2023, "hasselby-vallingby", str(_write(demo_dir, tmp_path / "d", survey, questions)))
    pieces = sq.questions_overview(ctx)
    assert len(pieces[0].table) == 2
    assert "Fråga utan svar (Enkät C)" in pieces[1].message


def test_without_survey_questions_table_the_chapter_says_what_is_missing(demo_dir, tmp_path):
    survey, _ = synthetic(demo_dir, 2)
    ctx = chapter_context(2023, "hasselby-vallingby", str(_write(demo_dir, tmp_path / "d", survey, None)))
    for pieces in (sq.questions_overview(ctx), sq.questions_detail(ctx)):
        assert isinstance(pieces[0], Missing)
        assert "tabellen survey_questions" in pieces[0].message


def test_demo_shows_eight_questions_from_two_surveys_with_comparisons_and_rank(demo_dir):
    ctx = chapter_context(2023, "hasselby-vallingby", str(demo_dir))
    qs = sq.question_results(ctx)
    assert len({r.question for r in qs.results}) >= 8
    assert len({r.survey for r in qs.results}) >= 2
    assert all(r.rank is not None and r.rank.peers == 13 and r.city_test is not None for r in qs.results)
    # the demo holds a question first asked in 2023 and questions without women/men rows
    assert any(r.change is None for r in qs.results) and any(r.gap is None for r in qs.results)
    texts = [p.markdown for p in sq.questions_detail(ctx) if isinstance(p, Text)]
    assert any(t.startswith("Frågan ”") and "ställs i" in t for t in texts)  # a question asked by both surveys


def test_kommun_has_no_city_column_and_few_peers_give_no_rank(demo_dir):
    ctx = chapter_context(2024, "solna", str(demo_dir))
    table = sq.questions_overview(ctx)[0]
    assert "Jämfört med staden" not in table.table
    assert table.table["Rang bland kommuner"].str.startswith("ingen rangordning").all()


def test_free_text_answers_are_listed_most_named_first(demo_dir):
    ctx = chapter_context(2023, "hasselby-vallingby", str(demo_dir))
    pieces = sq.places_avoided(ctx)
    assert len(pieces) == 1 and isinstance(pieces[0], Table)
    table = pieces[0]
    assert table.caption.startswith("Fritextsvar – Platser som de svarande undviker")
    assert table.caption.endswith("Hässelby-Vällingby 2023 (Stockholms stads trygghetsmätning)")
    shares = list(table.data["Andel"])
    assert shares == sorted(shares, reverse=True) and len(shares) == 6
    assert "Tunnelbanestationen" in set(table.table["Svar"])
    # the free-text question is not one of the overview's questions
    assert "Platser som de svarande undviker på grund av otrygghet" not in set(sq.questions_overview(ctx)[0].table["Fråga"])


def test_without_free_text_question_says_so(demo_dir, tmp_path):
    ctx, _ = _context(demo_dir, tmp_path, 2)
    pieces = sq.places_avoided(ctx)
    assert isinstance(pieces[0], Missing) and "ingen fritextfråga" in pieces[0].message


def test_another_kommuns_survey_is_no_question_without_answers(demo_dir):
    """Gävle in the demo data set, which also holds Stockholm's own survey: the questions of
    Stockholms stads trygghetsmätning are not listed as without answers for Gävle, and Gävle's
    questions come from the survey asked there."""
    ctx = chapter_context(2023, "gavle", str(demo_dir))
    qs = sq.question_results(ctx)
    assert qs.results and not qs.without_answers
    assert {r.survey for r in qs.results} == {"Polisens trygghetsundersökning"}
