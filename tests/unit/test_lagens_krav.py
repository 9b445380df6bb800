""""Lagens krav": the rows met, partly met and missing, computed from what the merged chapters
rendered, and the placeholder of chapter 00 replaced by a numbered table (HTML and workbook alike)."""

from __future__ import annotations

import nbformat
import pytest

from lagesbild_lib.present.pieces import TABLE_MIME
from lagesbild_lib.report.merge import numbered_payloads
from lagesbild_lib.sections import lagens_krav as lk


def _md(chapter: str, text: str):
    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata["lagesbild_chapter"] = chapter
    return cell


def _code(chapter: str, *outputs):
    cell = nbformat.v4.new_code_cell("show(...)")
    cell.metadata["lagesbild_chapter"] = chapter
    cell.outputs = [nbformat.v4.new_output("display_data", data=d) for d in outputs]
    return cell


def numbered(kind: str = "Tabell"):
    return {"text/html": "<div>…</div>", "text/plain": kind, TABLE_MIME: {"kind": kind, "caption": "x", "columns": ["a"], "rows": [[1]]}}


def missing(message: str):
    return {"text/html": f'<p class="lb-missing">{message}</p>', "text/plain": message}


def text(message: str = "En mening."):
    return {"text/html": f'<div class="lb-text"><p>{message}</p></div>', "text/plain": message}


def placeholder():
    return lk.table()._repr_mimebundle_()


def report(*, occurred_at: bool = True, atgarder: bool = True, orsaker_chapter: bool = True):
    """A merged report: every section the law's rows point at, with switches for what is missing."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        _md("sammanfattning", "# Sammantagen bedömning"),
        _md("sammanfattning", "## Lägesbedömningar vecka för vecka"), _code("sammanfattning", numbered()),
        _md("sammanfattning", "## Lagens krav\n\nTabellen."), _code("sammanfattning", placeholder()),
        _md("omradet", "# Beskrivning av området\n\n## Befolkningsfakta"), _code("omradet", text(), numbered("Diagram")),
        _md("omradet", "## Socioekonomiska förhållanden"), _code("omradet", numbered()),
        _md("brottslighet", "# Beskrivning av brottsligheten"),
        _md("brottslighet", "## Anmälda brott i urval (CompStat)"), _code("brottslighet", numbered()),
        _md("brottslighet", "## Utvecklingen över flera år"), _code("brottslighet", numbered("Diagram"), numbered()),
        _md("trygghet", "## Otrygghet ute sent på kvällen"), _code("trygghet", numbered()),
        _md("trygghet", "## Platser där de svarande känner oro"), _code("trygghet", numbered("Diagram")),
        _md("monster", "## När brotten sker"),
        _code("monster", numbered("Diagram") if occurred_at else missing("Mönster i tid kan inte visas: kolumnen occurred_at saknas i crimes.")),
        _md("monster", "## Var brotten sker"), _code("monster", numbered("Kartbild")),
    ]
    if orsaker_chapter:
        nb.cells += [
            _md("orsaker", "## Området jämfört med andra områden"), _code("orsaker", text(), numbered("Diagram")),
            _md("orsaker", "## Risk- och skyddsfaktorer"), _code("orsaker", numbered()),
            _md("orsaker", "## Orsaksanalys"), _code("orsaker", numbered("Diagram")),
        ]
    nb.cells += [
        _md("atgardsplan", "## Åtgärdsplan"),
        _code("atgardsplan", numbered() if atgarder else missing("Åtgärdsplanen kan inte visas: tabellen atgarder saknas i datamappen.")),
        _md("atgardsplan", "## Uppföljning av föregående års åtgärder"),
        _code("atgardsplan", numbered() if atgarder else missing("Uppföljningen kan inte visas: tabellen atgarder saknas i datamappen.")),
    ]
    return nb


def rows(nb) -> dict[str, dict[str, str]]:
    frame = lk.requirement_rows(lk.rendered_sections(nb.cells))
    return {r["Krav i lagen"]: r for r in frame.to_dict("records")}


def test_every_row_is_met_when_every_section_rendered():
    found = rows(report())
    assert [r["Uppfyllt"] for r in found.values()] == ["Ja"] * 5
    assert all(r["Det som saknas"] == "–" for r in found.values())
    # the numbers the tables and figures get in the report, the placeholder (Tabell 2) counted
    assert found["Kartläggning av brottslighetens omfattning"]["Avsnitt i rapporten"] == (
        "Anmälda brott i urval (CompStat) (Tabell 4); Utvecklingen över flera år (Diagram 2, Tabell 5)"
    )
    assert "Lägesbedömningar vecka för vecka (Tabell 1)" in found["Annan information av betydelse"]["Avsnitt i rapporten"]


def test_without_occurred_at_the_analysis_is_partly_met_and_says_what_is_missing():
    row = rows(report(occurred_at=False))["Analys av kartläggningen, inklusive orsaker"]
    assert row["Uppfyllt"] == "Delvis"
    assert row["Det som saknas"] == "När brotten sker: Mönster i tid kan inte visas: kolumnen occurred_at saknas i crimes."
    assert "När brotten sker" not in row["Avsnitt i rapporten"] and "Var brotten sker (Kartbild 1)" in row["Avsnitt i rapporten"]


def test_without_atgarder_the_plan_row_is_not_met_and_quotes_the_chapter():
    row = rows(report(atgarder=False))["Åtgärdsplan utifrån lägesbilden"]
    assert (row["Uppfyllt"], row["Avsnitt i rapporten"]) == ("Nej", "–")
    assert "tabellen atgarder saknas i datamappen" in row["Det som saknas"]
    assert row["Det som saknas"].startswith("Åtgärdsplan: Åtgärdsplanen kan inte visas")


def test_a_chapter_left_out_of_the_report_is_named():
    row = rows(report(orsaker_chapter=False))["Analys av kartläggningen, inklusive orsaker"]
    assert row["Uppfyllt"] == "Delvis"
    assert "Avsnittet ”Orsaksanalys” finns inte i rapporten." in row["Det som saknas"]


@pytest.mark.parametrize("atgarder", [True, False])
def test_fill_puts_a_numbered_table_in_the_placeholders_place(atgarder):
    nb = report(atgarder=atgarder)
    assert lk.fill(nb) is True
    payloads = numbered_payloads(nb)
    mine = [p for p in payloads if p["caption"] == lk.CAPTION]
    assert len(mine) == 1 and mine[0]["number"] == "Tabell 2"
    frame = lk.requirement_rows(lk.rendered_sections(nb.cells))
    assert mine[0]["shown_rows"] == frame.astype(str).values.tolist()  # the workbook holds what the page shows
    html = nb.cells[4].outputs[0]["data"]["text/html"]
    assert '<a class="lb-xref" href="#lb-tabell-4">Tabell 4</a>' in html
    assert ("<td>Nej</td>" in html) is (not atgarder)
    assert lk.PENDING_MIME not in nb.cells[4].outputs[0]["data"]


def test_a_report_without_the_placeholder_is_left_alone():
    nb = report()
    nb.cells = [c for c in nb.cells if not any(lk.PENDING_MIME in o.get("data", {}) for o in c.get("outputs", []))]
    assert lk.fill(nb) is False


@pytest.mark.e2e
def test_the_demo_report_meets_every_row_and_says_what_is_missing_without_occurred_at_and_atgarder(tmp_path, demo_dir, built):
    """Done when (issue 18): the demo report's "Lagens krav" has every row met; with ``occurred_at``
    and ``atgarder`` gone the report still builds and the table says what is missing."""
    import shutil

    import pandas as pd
    from bs4 import BeautifulSoup

    from lagesbild_lib.cli import main

    def table_of(folder) -> dict[str, list[str]]:
        html = next(folder.glob("lagesbild-*.html")).read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        caption = next(c for c in soup.find_all("figcaption") if lk.CAPTION in c.get_text())
        rows = caption.find_parent("div", class_="lb-figure").find("table").find_all("tr")[1:]
        return {r.find("th").get_text(): [c.get_text() for c in r.find_all("td")] for r in rows}

    assert [cells[2] for cells in table_of(built).values()] == ["Ja"] * 5
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    crimes = pd.read_parquet(data / "crimes.parquet")
    crimes.drop(columns=["occurred_at"], errors="ignore").to_parquet(data / "crimes.parquet", index=False)
    (data / "atgarder.csv").unlink(missing_ok=True)
    assert main(["build", "--data", str(data), "--out", str(tmp_path / "out")]) == 0
    found = table_of(tmp_path / "out" / "2023" / "hasselby-vallingby")
    analysis, plan = found["Analys av kartläggningen, inklusive orsaker"], found["Åtgärdsplan utifrån lägesbilden"]
    assert analysis[2] == "Delvis" and "När brotten sker:" in analysis[3] and "occurred_at" in analysis[3]
    assert plan[2] == "Nej" and "atgarder" in plan[3]
