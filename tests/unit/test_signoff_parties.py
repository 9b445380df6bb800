"""A lokal lägesbild is signed off by both parties, the förvaltning and the police: params
``signoff`` (each party's name, role and date), what each status needs of it (checked before any
chapter runs), the title page's and the printed page's wording, and the comparison with the
sign-off a fastställd report was built with."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from lagesbild_lib.errors import ConfigError
from lagesbild_lib.params import ReportParams, load_params
from lagesbild_lib.pipeline.readiness import check_ready, readiness_problems, readiness_warnings
from lagesbild_lib.report.signoff import _same_reviewer, reviewers_text
from lagesbild_lib.report.stitch import signoff_facts, signoff_line

TODAY = dt.date(2024, 3, 1)
ANNA = {"reviewed_by": "Anna Berg", "role": "stadsdelsdirektör", "reviewed_on": "2024-02-01"}
PER = {"reviewed_by": "Per Ek", "role": "lokalpolisområdeschef", "reviewed_on": "2024-02-05"}


def params(status: str = "utkast", **signoff) -> ReportParams:
    return ReportParams.model_validate({"year": 2023, "area": "norr", "status": status, "signoff": signoff})


def refusal(p: ReportParams) -> str:
    with pytest.raises(ConfigError) as err:
        check_ready(p, [], today=TODAY)
    return str(err.value)


# --------------------------------------------------------------------------- params


def test_each_party_has_name_role_and_date_and_the_defaults_are_unsigned():
    p = params(forvaltning=ANNA, polis=PER)
    assert p.signoff.polis.reviewed_on == dt.date(2024, 2, 5) and p.signoff.polis.role == "lokalpolisområdeschef"
    assert [(k, name) for k, name, _ in p.signoff.parties()] == [("forvaltning", "förvaltningen"), ("polis", "polisen")]
    defaults, _ = load_params(2023, "hasselby-vallingby")
    assert not any(s.signed() for _, _, s in defaults.signoff.parties())
    assert not params(forvaltning={"reviewed_by": "Anna Berg"}).signoff.forvaltning.signed(), "a name without a date"


def test_the_older_reviewed_by_and_reviewed_on_are_the_förvaltnings(tmp_path):
    own = tmp_path / "own.yml"
    own.write_text("status: granskad\nreviewed_by: Anna Berg\nreviewed_on: 2024-02-01\n", encoding="utf-8")
    p, _ = load_params(params_file=own)
    assert p.signoff.forvaltning.reviewed_by == "Anna Berg" and p.signoff.forvaltning.reviewed_on == dt.date(2024, 2, 1)
    assert not p.signoff.polis.signed()
    assert "reviewed_by" not in p.model_dump(), "one place for the sign-off in the manifest"


def test_both_forms_at_once_are_refused_naming_the_file(tmp_path):
    own = tmp_path / "own.yml"
    own.write_text("reviewed_by: Anna Berg\nsignoff:\n  forvaltning:\n    reviewed_by: Eva Lund\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_params(params_file=own)
    message = str(err.value)
    assert str(own) in message and "reviewed_by/reviewed_on" in message and "signoff.forvaltning" in message
    assert "{" not in message, "one sentence, not the whole file dumped"


def test_a_bad_date_or_an_unknown_party_is_named_with_its_key(tmp_path):
    own = tmp_path / "own.yml"
    own.write_text("signoff:\n  polis:\n    reviewed_on: igår\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"nyckeln 'signoff\.polis\.reviewed_on' har värdet 'igår'.*ÅÅÅÅ-MM-DD"):
        load_params(params_file=own)
    own.write_text("signoff:\n  kommunen:\n    reviewed_by: X\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"okänd nyckel 'signoff\.kommunen' \(kända nycklar där: forvaltning, polis\)"):
        load_params(params_file=own)
    own.write_text("signoff:\n  polis:\n    reviewd_by: Per Ek\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"'signoff\.polis\.reviewd_by' \(menade du 'reviewed_by'\? kända nycklar där: reviewed_by, role, reviewed_on\)"):
        load_params(params_file=own)


# --------------------------------------------------------------------------- what each status needs


def test_fastställd_needs_both_parties_and_names_the_missing_one():
    check_ready(params("fastställd", forvaltning=ANNA, polis=PER), [], today=TODAY)  # both: fine
    message = refusal(params("fastställd", forvaltning=ANNA))
    assert message.startswith("params: rapporten kan inte fastställas: polisens granskning saknas")
    assert "signoff.polis.reviewed_by och signoff.polis.reviewed_on" in message and "förvaltningen" not in message
    only_police = refusal(params("fastställd", polis=PER))
    assert "förvaltningens granskning saknas" in only_police and "polisens" not in only_police
    assert only_police.endswith("sätt status till utkast eller granskad."), "one party signed: granskad would do"
    assert refusal(params("fastställd")).endswith("sätt status till utkast."), "nobody signed: not even granskad"


def test_fastställd_names_a_missing_date_or_name_of_a_party():
    assert "polisens granskning saknar datum (signoff.polis.reviewed_on)" in refusal(
        params("fastställd", forvaltning=ANNA, polis={"reviewed_by": "Per Ek"}))
    assert "förvaltningens granskning saknar namn (signoff.forvaltning.reviewed_by)" in refusal(
        params("fastställd", forvaltning={"reviewed_on": "2024-02-01"}, polis=PER))


def test_granskad_needs_one_party_and_a_draft_none():
    message = refusal(params("granskad"))
    assert message.startswith("params: rapporten kan inte ha status granskad: ingen av parterna har granskat den")
    assert message.endswith("sätt status till utkast.")
    check_ready(params("granskad", polis=PER), [], today=TODAY)
    check_ready(params("granskad", forvaltning=ANNA), [], today=TODAY)
    check_ready(params("utkast"), [], today=TODAY)


def test_a_sign_off_date_after_today_is_refused_whatever_the_status():
    later = {**PER, "reviewed_on": "2024-03-02"}
    for status in ("utkast", "granskad", "fastställd"):
        message = refusal(params(status, forvaltning=ANNA, polis=later))
        assert "signoff.polis.reviewed_on är 2024-03-02, ett datum efter i dag (2024-03-01)" in message
    check_ready(params("fastställd", forvaltning=ANNA, polis={**PER, "reviewed_on": "2024-03-01"}), [], today=TODAY)


def test_a_sign_off_before_the_period_ends_is_warned_about(caplog):
    early = params("fastställd", forvaltning={**ANNA, "reviewed_on": "2023-10-30"}, polis=PER)
    assert len(readiness_warnings(early)) == 1
    with caplog.at_level(logging.WARNING, logger="lagesbild"):
        check_ready(early, [], today=TODAY)
    assert "signoff.forvaltning.reviewed_on är 2023-10-30, före slutet av rapportens period (31 oktober 2023)" in caplog.text
    assert readiness_warnings(params("fastställd", forvaltning={**ANNA, "reviewed_on": "2023-10-31"}, polis=PER)) == []


def test_every_problem_is_listed_one_sentence_each():
    p = ReportParams.model_validate({
        "year": 2023, "area": "norr", "status": "fastställd",
        "signoff": {"polis": {**PER, "reviewed_on": "2030-01-01"}},
        "narrative": {"syfte": "Se {cite:saknas}."},
        "narrative_figures": {"samverkan_organisation": {"file": "finns/inte.png", "alt": "Skiss"}},
    })
    problems = readiness_problems(p, [], today=TODAY)
    assert len(problems) == 4, problems
    assert "narrative.samverkan_organisation" in problems[0] and "finns/inte.png" in problems[0]
    assert "2030-01-01" in problems[1]
    assert problems[2] == "params: rapporten kan inte fastställas: förvaltningens granskning saknas (signoff.forvaltning.reviewed_by och signoff.forvaltning.reviewed_on)"
    assert problems[3] == "params: rapporten kan inte fastställas: hänvisningen {cite:saknas} saknar källa under sources"
    built = refusal(p)  # a build says all of it at once
    assert all(part in built for part in ("finns/inte.png", "2030-01-01", "förvaltningens granskning saknas", "{cite:saknas}"))


# --------------------------------------------------------------------------- what the report says


def test_the_title_page_names_each_party_that_signed_off():
    both = params("fastställd", forvaltning=ANNA, polis=PER)
    assert signoff_facts(both) == [
        {"label": "Fastställd av förvaltningen", "text": "Anna Berg, stadsdelsdirektör, 1 februari 2024"},
        {"label": "Fastställd av polisen", "text": "Per Ek, lokalpolisområdeschef, 5 februari 2024"},
    ]
    assert signoff_line(both) == "Fastställd av förvaltningen 1 februari 2024 och polisen 5 februari 2024"
    one = params("granskad", polis={"reviewed_by": "Per Ek", "reviewed_on": "2024-02-05"}, forvaltning={"reviewed_by": "Anna Berg"})
    assert signoff_facts(one) == [{"label": "Granskad av polisen", "text": "Per Ek, 5 februari 2024"}]
    assert signoff_line(one) == "Granskad av polisen 5 februari 2024"
    assert signoff_line(params("utkast", forvaltning=ANNA)) == "", "a draft's pages carry the watermark instead"


def test_a_new_sign_off_of_either_party_is_a_new_sign_off():
    both = params("fastställd", forvaltning=ANNA, polis=PER).model_dump(mode="json")
    manifest = {"parameters": both}
    assert _same_reviewer(manifest, both)
    again = params("fastställd", forvaltning=ANNA, polis={**PER, "reviewed_on": "2024-03-01"}).model_dump(mode="json")
    assert not _same_reviewer(manifest, again)
    assert reviewers_text(both) == "Anna Berg 2024-02-01 (förvaltningen), Per Ek 2024-02-05 (polisen)"
    older = {"parameters": {"status": "fastställd", "reviewed_by": "Anna Berg", "reviewed_on": "2024-02-01"}}  # a manifest from before signoff
    assert _same_reviewer(older, params("fastställd", forvaltning=ANNA).model_dump(mode="json"))
    assert not _same_reviewer(older, both), "the police's sign-off added: signed off again"


def test_the_word_version_carries_the_sign_off_in_its_page_header_and_on_its_title_page(tmp_path):
    from docx import Document

    from lagesbild_lib.report.docx import write_docx

    line = "Fastställd av förvaltningen 1 februari 2024 och polisen 5 februari 2024"
    html = (
        f'<html lang="sv"><head><title>Lokal lägesbild</title></head><body><header class="title-page" data-signoff="{line}">'
        '<p class="classification">Begränsad spridning</p><dl class="title-facts">'
        "<div><dt>Fastställd av polisen</dt><dd>Per Ek, lokalpolisområdeschef, 5 februari 2024</dd></div></dl></header>"
        "<main><h1>Kapitel</h1><p>Läget är lugnt.</p></main></body></html>"
    )
    write_docx(html, tmp_path / "r.docx")
    doc = Document(tmp_path / "r.docx")
    header = [p.text for p in doc.sections[0].header.paragraphs]
    assert header[0].startswith("BEGRÄNSAD SPRIDNING  ·  Sida") and header[1] == line
    assert "Fastställd av polisen: Per Ek, lokalpolisområdeschef, 5 februari 2024" in [p.text for p in doc.paragraphs]
    write_docx(html.replace(f' data-signoff="{line}"', ""), tmp_path / "draft.docx")
    assert len(Document(tmp_path / "draft.docx").sections[0].header.paragraphs) == 1, "no sign-off: no second line"
