"""Issue 16, chapter Prioriterade samverkansområden in the built demo report: one representation of
each thing (the places listed once, the intimate-partner series once, the programme ratings as a
chart with its numbers under it), each referred to where it is not repeated; and the subsection
on violent extremism with the analysts' text."""

from __future__ import annotations

import re

import pytest

from claims.report import read_report

pytestmark = pytest.mark.e2e

NAME = "lagesbild-hasselby-vallingby-2023.html"


@pytest.fixture(scope="module")
def page(built) -> str:
    return (built / NAME).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def report(built):
    return read_report(built / NAME)


def chapter(html: str) -> str:
    return html[html.index("Prioriterade samverkansområden</h1>"):html.index("Åtgärdsplan och uppföljning</h1>")]


def number_of(report, caption_start: str) -> str:
    """"Tabell 3" of the table or figure whose caption (after its number) starts so."""
    found = [t.caption.split(". ", 1)[0] for t in report.tables if t.caption.split(". ", 1)[1].startswith(caption_start)]
    assert len(found) == 1, (caption_start, found)
    return found[0]


def links(html: str) -> list[str]:
    return re.findall(r"<a class=lb-xref href=#lb-(\w+)-(\d+)>", html)


def test_the_places_are_listed_once_and_the_chapter_refers_to_that_list(page, report):
    places = [t for t in report.tables if {"Plats", "Typ", "Delområde"} <= set(t.header)]
    assert len(places) == 1 and "Nr på kartan" in places[0].header  # the table under the overview map
    table, overview = number_of(report, "Platser i Hässelby-Vällingby"), number_of(report, "Översikt över Hässelby-Vällingby")
    section = chapter(page)[chapter(page).index("Otrygga och brottsutsatta platser</h2>"):chapter(page).index("Systemhotande brottslighet</h2>")]
    text = re.sub(r"<[^>]+>", "", section)
    n = len(places[0].rows)
    assert re.search(rf"\b(?:{n}|[A-ZÅÄÖ][a-zåäö]+) platser i Hässelby-Vällingby följs särskilt inom samverkan\.", text)
    assert (table.split()[0].lower(), table.split()[1]) in links(section) and (overview.split()[0].lower(), overview.split()[1]) in links(section)
    assert "<table" not in section


def test_no_table_in_the_chapter_repeats_the_intimate_partner_chart(page, report):
    diagram = number_of(report, "Anmälda brott i nära relation per år i Hässelby-Vällingby")
    assert diagram.startswith("Diagram ")
    series = {(r["År"], r["Antal"]) for t in report.tables if t.caption.startswith(diagram + ".") for r in t.rows}
    assert len(series) == 5
    ours = [t for t in report.tables if t.section.startswith("7.")]
    for t in ours:
        assert not any({(r.get("År"), r.get("Antal"))} <= series for r in t.rows), t.caption
    section = chapter(page)[chapter(page).index("Särskilt utsatta och sårbara brottsoffer</h2>"):chapter(page).index("Kriminella miljöer och livsstilar</h2>")]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", section))
    this_year, last_year = dict(series)["2023"], dict(series)["2022"]
    assert re.search(rf"Anmälda brott i nära relation i Hässelby-Vällingby: {this_year} under perioden 1 jan–31 okt 2023 mot {last_year} "
                     rf"under samma period 2022, [^()]*statistiskt säkerställd[^()]* \(hela serien visas i {diagram} i kapitlet om brottsligheten\)\.", text)
    assert ("diagram", diagram.split()[1]) in links(section)


def test_the_ratings_are_a_chart_of_named_groups_with_their_numbers_under_it(page, report):
    charts = [t for t in report.tables if "Deltagarnas skattningar av GSRS per grupp" in t.caption]
    assert len(charts) == 1 and charts[0].caption.startswith("Diagram ")
    rows = charts[0].rows
    assert charts[0].header[:5] == ["Grupp", "Antal skattningar", "Medelvärde", "KI nedre", "KI övre"]
    assert rows[-1]["Grupp"] == "Alla grupper" and len(rows) >= 3
    assert not any(r["Grupp"].startswith("grupp-") for r in rows)  # names, not ids
    assert sum(int(r["Antal skattningar"]) for r in rows[:-1]) == int(rows[-1]["Antal skattningar"])
    alt = next(p.text for p in report.pieces if p.kind == "alt" and p.text.startswith("Punktdiagram över deltagarnas skattningar av GSRS"))
    for r in rows[:-1]:
        assert f"{r['Grupp']} {r['Medelvärde']} ({r['KI nedre']}–{r['KI övre']}; {r['Antal skattningar']} skattningar" in alt
    assert not [t.caption for t in report.tables if t.caption.startswith("Tabell") and "Medelvärde" in t.header]  # no table besides


def test_violent_extremism_is_a_subsection_of_systemhotande_brottslighet(page):
    section = chapter(page)[chapter(page).index("Systemhotande brottslighet</h2>"):chapter(page).index("Särskilt utsatta och sårbara brottsoffer</h2>")]
    assert re.search(r"<h3[^>]*>(?:<[^>]+>|[\d.\s])*Våldsbejakande extremism", section)
    assert "Center mot våldsbejakande extremism" in section and "Ej ifylld" not in section
