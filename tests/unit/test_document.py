"""The finished document: stitching (numbering, cross-references, numbered headings), sanitised
narrative, Excel, Word and the PDF printer's set-up, on small hand-made chapters."""

from __future__ import annotations

import base64
import hashlib
import io
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from support import Elements

from lagesbild_lib.report import stitch
from lagesbild_lib.errors import ConfigError, OutputError
from lagesbild_lib.report.excel import column_format, swedish_number, write_tables_xlsx
from lagesbild_lib.present.markdown import render_markdown
from lagesbild_lib.present.pieces import TABLE_MIME, caption_html, table_html, table_payload
from lagesbild_lib.report.xref import Targets, anchor_id, output_labels, resolve_refs

META = {
    "title": "Lokal lägesbild", "area_name": "Testområdet", "year": 2023, "period": "1 jan–31 okt 2023",
    "parties": ["Förvaltningen", "Polisen"], "diarienummer": "DNR 1/2023", "classification": "Begränsad spridning",
    "status": "Utkast", "signoff": [], "signoff_line": "", "demo": True, "version": "0.0.0",
    "build_time": "2023-11-01T12:00:00+01:00", "parameters": [("year", "2023")],
    "inputs": [("crimes.csv", "ab" * 32)], "software": [("lagesbild", "0.0.0")],
}


# ----------------------------------------------------------------------------- fixtures
def _png() -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3, 2), dpi=100)
    ax.bar([1, 2], [3, 4])
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def table_output(caption: str, frame: pd.DataFrame) -> dict:
    markup = f'<figure class="lb-figure">{table_html(frame)}{caption_html("Tabell", caption)}</figure>'
    return nbformat.v4.new_output("display_data", data={"text/html": markup, TABLE_MIME: table_payload("Tabell", caption, frame), "text/plain": caption})


def chart_output(caption: str, frame: pd.DataFrame, kind: str = "Diagram") -> dict:
    png = base64.b64encode(_png()).decode()
    markup = (
        f'<figure class="lb-figure"><img src="data:image/png;base64,{png}" alt="Stapeldiagram över testdata med två staplar.">'
        f'{caption_html(kind, caption)}<details class="lb-data"><summary>Siffror</summary>{table_html(frame)}</details></figure>'
    )
    return nbformat.v4.new_output("display_data", data={"text/html": markup, TABLE_MIME: table_payload(kind, caption, frame), "text/plain": caption})


def text_output(markdown: str) -> dict:
    return nbformat.v4.new_output("display_data", data={"text/html": f'<div class="lb-text">{render_markdown(markdown)}</div>', "text/plain": markdown})


def code(source: str, *outputs, tags=()) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = list(outputs)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


COUNTS = pd.DataFrame({"Område": ["Norr", "Söder"], "Antal 2022": [1200, 35], "Andel": [0.25, 0.125]})
RATES = pd.DataFrame({"År": [2021, 2022, 2023], "Per 1 000": [12.5, 6.7272727272727275, 0.1 + 0.2]})  # 17 digits each


@pytest.fixture
def chapters(tmp_path) -> list[Path]:
    """Two small executed chapters: tables, a chart, a map and text with cross-references."""
    one = nbformat.v4.new_notebook()
    one.cells = [
        nbformat.v4.new_markdown_cell("# Första kapitlet"),
        code("year = 2023", tags=["parameters"]),
        code("show(sec.compstat(ctx))", table_output("Brott per område", COUNTS)),
        nbformat.v4.new_markdown_cell("## Utveckling\n\nSe {ref:trend} och {ref:forsta.compstat}."),
        code("show(sec.trend(ctx), sec.trend_text(ctx))", chart_output("Brott per år", RATES), text_output("Ökningen syns i {ref:trend}.")),
        code("show(sec.places_table(ctx))", table_output("Platser", pd.DataFrame({"Plats": ["=1+1", "@x", "-a", "+46 8"], "Antal": [1, 2, 3, 4]}))),
    ]
    two = nbformat.v4.new_notebook()
    two.cells = [
        nbformat.v4.new_markdown_cell("# Andra kapitlet"),
        code("show(sec.overview_map(ctx))", chart_output("Karta", COUNTS, kind="Kartbild")),
        nbformat.v4.new_markdown_cell("## Platser"),
        code("show(sec.places_table(ctx))", table_output("Platser igen", RATES)),
        code("show(sec.rates(ctx))", table_output("Märkt", RATES), tags=["label:egen-etikett"]),
        code("show(sec.refs(ctx))", text_output("Se {ref:places_table}, {ref:egen-etikett}, {ref:saknas} och `{ref:trend}`.")),
    ]
    paths = []
    for name, nb in (("01_forsta", one), ("02_andra", two)):
        path = tmp_path / f"{name}.ipynb"
        nbformat.write(nb, path)
        paths.append(path)
    return paths


@pytest.fixture
def stitched(chapters):
    return stitch.stitch_html(chapters, META)


# ----------------------------------------------------------------------------- numbering
def test_numbering_is_continuous_per_kind_over_all_chapters(stitched):
    html = stitched.html
    for kind in ("Tabell", "Diagram", "Kartbild"):
        numbers = [int(n) for n in re.findall(rf'data-kind="{kind}">{kind} (\d+)\.</span>', html)]
        assert numbers == list(range(1, len(numbers) + 1)), kind  # strictly increasing, no gaps
    assert [p["number"] for p in stitched.payloads] == ["Tabell 1", "Diagram 1", "Tabell 2", "Kartbild 1", "Tabell 3", "Tabell 4"]
    for p in stitched.payloads:
        assert f'id="{p["anchor"]}"' in html


def test_a_caption_without_its_data_stops_the_build(chapters):
    nb = nbformat.read(chapters[1], as_version=4)
    stray = caption_html("Tabell", "Handgjord")
    nb.cells.append(code("show(x)", nbformat.v4.new_output("display_data", data={"text/html": stray, "text/plain": "x"})))
    nbformat.write(nb, chapters[1])
    with pytest.raises(OutputError, match="bildtexter"):
        stitch.stitch_html(chapters, META)


def test_headings_are_numbered_and_listed_with_their_numbers(stitched):
    html = stitched.html
    assert '<h1 id="forsta-kapitlet"><span class="lb-secnum">1</span> Första kapitlet' in html
    assert '<span class="lb-secnum">2.1</span> Platser' in html
    toc = re.search(r'<nav[^>]*class="toc"[^>]*>(.*?)</nav>', html, re.S).group(1)
    assert [re.sub(r"<[^>]+>", "", x) for x in re.findall(r'<a href="#[^"]+">(.*?)</a>', toc)][:4] == [
        "1 Första kapitlet", "1.1 Utveckling", "2 Andra kapitlet", "2.1 Platser",
    ]
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


# ----------------------------------------------------------------------------- cross-references
def test_cross_references_resolve_by_label(stitched):
    html = stitched.html
    assert "Se <a class=lb-xref href=#lb-diagram-1>Diagram 1</a> och <a class=lb-xref href=#lb-tabell-1>Tabell 1</a>." in html
    assert "Ökningen syns i <a class=lb-xref href=#lb-diagram-1>Diagram 1</a>." in html
    assert "<a class=lb-xref href=#lb-tabell-4>Tabell 4</a>" in html  # the cell's label: tag
    # places_table is used in two chapters: the plain label is ambiguous, the qualified ones are not
    assert "[hänvisning tvetydig: places_table]" in html and "[hänvisning saknas: saknas]" in html
    assert "<code>{ref:trend}</code>" in html  # code is shown as written
    assert stitched.unresolved_refs == ["places_table", "saknas"]


def test_labels_come_from_tags_or_unambiguous_calls():
    numbered = {"data": {TABLE_MIME: {}}}
    other = {"data": {"text/html": "x"}}
    is_numbered = lambda o: TABLE_MIME in o["data"]  # noqa: E731
    assert output_labels({"source": "show(sec.compstat(ctx))"}, [numbered], is_numbered) == ["compstat"]
    assert output_labels({"source": "show(sec.a(ctx), sec.b(ctx))"}, [other, numbered], is_numbered) == ["b"]
    assert output_labels({"source": "show(sec.a(ctx), sec.b(ctx))"}, [numbered], is_numbered) == [None]
    cell = {"source": "show(sec.a(ctx))", "metadata": {"tags": ["label:x", "label:y"]}}
    assert output_labels(cell, [numbered, numbered], is_numbered) == ["x", "y"]


def test_references_never_rewrite_attributes_or_break_markup():
    targets = Targets.from_numbered([{"number": "Tabell 2", "label": "t", "chapter": "c"}])
    page = '<p title="{ref:t}">a {ref:t} b</p><style>p::after{content:"{ref:t}"}</style><p>{ref:c.t}</p>'
    out, missing = resolve_refs(page, targets)
    assert out.startswith('<p title="{ref:t}">a <a class=lb-xref href=#lb-tabell-2>Tabell 2</a> b</p><style>p::after{content:"{ref:t}"}</style>')
    assert out.endswith("<p><a class=lb-xref href=#lb-tabell-2>Tabell 2</a></p>") and missing == []
    assert anchor_id("Kartbild 12") == "lb-kartbild-12"


def test_text_that_reads_like_a_css_fetch_is_defused():
    page = '<p title="url(https://x)">Se url( https://example.org/a.png ) och @import "//x"; url(#lokal)</p>'
    out = stitch.defuse_css_text(page)
    assert "url(https" not in out and "url( https" not in out and "@import" not in out
    assert "url&#40; https://example.org/a.png )" in out and "&#64;import" in out and "url(#lokal)" in out


def test_classification_cannot_escape_the_print_header_rule():
    hostile = 'Intern"; } body { background: url(https://example.org/x) } </style><script>alert(1)</script>'
    quoted = stitch.css_string(hostile)
    assert quoted.startswith('"') and quoted.endswith('"') and quoted.count('"') == 2
    assert "<" not in quoted and "}" not in quoted and "(" not in quoted and "Intern" in quoted


# ----------------------------------------------------------------------------- sanitised narrative
HOSTILE = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "[klicka](javascript:alert(1))",
    "[klicka](JaVaScRiPt:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![bild](https://example.org/spy.png)",
    '<a href="https://example.org" onclick="alert(1)">x</a>',
    "<svg onload=alert(1)><circle/></svg>",
    "<iframe src=https://example.org></iframe>",
    '[titel](#x "{ref:a}\\" onmouseover=\\"alert(1)")',
    "<https://example.org/autolänk>",
]




def assert_inert(html: str) -> None:
    elements = Elements()
    elements.feed(html)
    tags = {t for t, _ in elements.found}
    assert not tags & {"script", "img", "svg", "iframe", "object", "embed", "style", "link", "meta"}, tags
    for tag, attrs in elements.found:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            if name in ("src", "href"):
                assert (value or "").startswith(("#", "mailto:")), (tag, name, value)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_markdown_is_neutralised_also_after_references_are_resolved(hostile):
    html = render_markdown(f"Före {{ref:a}}. {hostile} Efter.")
    resolved, _ = resolve_refs(html, Targets.from_numbered([{"number": "Tabell 1", "label": "a", "chapter": "c"}]))
    assert_inert(resolved)
    assert "Före" in resolved and "Efter." in resolved


# ----------------------------------------------------------------------------- Excel
def test_excel_round_trips_numbers_exactly_and_keeps_formula_text_as_text(tmp_path, stitched):
    from openpyxl import load_workbook

    path = tmp_path / "tabeller.xlsx"
    write_tables_xlsx(stitched.payloads, path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Innehåll", "Tabell 1", "Diagram 1", "Tabell 2", "Kartbild 1", "Tabell 3", "Tabell 4"]
    for sheet, frame in (("Tabell 1", COUNTS), ("Diagram 1", RATES)):
        ws = wb[sheet]
        assert [c.value for c in ws[2]] == list(frame.columns)
        assert ws["A2"].font.bold and ws["A2"].fill.fgColor.rgb.endswith("DCE6F0")
        values = [list(r) for r in ws.iter_rows(min_row=3, values_only=True)]
        assert values == frame.astype(object).values.tolist()  # exact: same floats, ints stay ints
    ws = wb["Tabell 1"]
    assert ws["B3"].number_format == "#,##0" and ws["C3"].number_format == "0.0%"
    assert wb["Diagram 1"]["B3"].number_format == "#,##0.000"
    texts = wb["Tabell 2"]
    for cell in texts["A"][2:]:
        assert cell.data_type == "s" and isinstance(cell.value, str)
    assert [c.value for c in texts["A"][2:]] == ["=1+1", "@x", "-a", "+46 8"]
    assert all(c.quotePrefix for c in texts["A"][2:])
    first = hashlib.sha256(path.read_bytes()).hexdigest()
    write_tables_xlsx(stitched.payloads, path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == first, "byte-stable"


def test_swedish_number_text_becomes_a_number_and_nothing_else_does():
    assert swedish_number("8\u202f524") == 8524
    assert swedish_number("22,8\u00a0%") == pytest.approx(0.228)
    assert swedish_number("−3,5") == -3.5 and swedish_number("0") == 0
    for text in ("-5", "08 123 456", "21 % (14–30 %)", "=1+1", "1 200", "abc", "1.5"):
        assert swedish_number(text) is None, text
    assert column_format("Andel (%)", [48.5, 12.0]) == "#,##0.0"
    assert column_format("Andel", [0.5, 0.25]) == "0.0%"
    assert column_format("Namn", ["a"]) is None


# ----------------------------------------------------------------------------- Word
def test_word_document_has_the_headings_tables_and_figures(tmp_path, stitched):
    from docx import Document

    from lagesbild_lib.report.docx import write_docx

    path = tmp_path / "r.docx"
    write_docx(stitched.html, path)
    doc = Document(path)
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:4] == ["1 Första kapitlet", "1.1 Utveckling", "2 Andra kapitlet", "2.1 Platser"]
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert [c.split(".")[0] for c in captions] == [p["number"] for p in stitched.payloads]
    assert len(doc.inline_shapes) == 2
    assert doc.inline_shapes[0]._inline.docPr.get("descr").startswith("Stapeldiagram")
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Område", "Antal 2022", "Andel"]
    assert table.rows[1].cells[1].text == "1200"
    assert "Se Diagram 1 och Tabell 1." in [p.text for p in doc.paragraphs]
    # classification, diarienummer and "Sida X av Y" (PAGE and NUMPAGES fields) in the page header
    assert doc.sections[0].header.paragraphs[0].text == "BEGRÄNSAD SPRIDNING  ·  Dnr DNR 1/2023  ·  Sida 1 av 1"
    fields = doc.sections[0].header.paragraphs[0]._p.xpath(".//w:instrText/text()")
    assert [f.strip() for f in fields] == ["PAGE", "NUMPAGES"]
    first = path.read_bytes()
    write_docx(stitched.html, path)
    assert path.read_bytes() == first, "byte-stable"


# ----------------------------------------------------------------------------- PDF
def test_missing_chromium_is_one_sentence_with_how_to_install(monkeypatch):
    from lagesbild_lib.report import pdf

    monkeypatch.setenv("LAGESBILD_CHROMIUM", "/nonexistent/chromium")
    assert pdf.find_chromium() is None
    with pytest.raises(ConfigError, match="apt-get install chromium") as err:
        pdf.require_chromium()
    assert err.value.exit_code == 2


def test_pdf_without_chromium_exits_2_before_building(monkeypatch, tmp_path, capsys):
    from lagesbild_lib.cli import main

    monkeypatch.setenv("LAGESBILD_CHROMIUM", "/nonexistent/chromium")
    assert main(["build", "--pdf", "--out", str(tmp_path / "out")]) == 2
    assert "behöver Chromium" in capsys.readouterr().err
    assert not (tmp_path / "out").exists(), "nothing built, nothing written"


def test_chromium_prints_offline_without_its_own_header(tmp_path):
    from lagesbild_lib.report.pdf import chromium_command

    cmd = chromium_command("chromium", tmp_path / "r.html", tmp_path / "r.pdf", tmp_path / "profile")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-pdf-header-footer"):
        assert flag in cmd
    assert f"--user-data-dir={tmp_path / 'profile'}" in cmd and cmd[-1].startswith("file://")


def test_section_warnings_are_read_from_the_executed_chapters():
    import nbformat

    from lagesbild_lib.present.pieces import WARNING_MIME
    from lagesbild_lib.report.merge import section_warnings

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("show(...)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/plain": "x", WARNING_MIME: {"message": "Inga svar (urvalet: år 2023)."}})]
    cell.metadata["lagesbild_chapter"] = "trygghet"
    nb.cells.append(cell)
    assert section_warnings(nb) == [("trygghet", "Inga svar (urvalet: år 2023).")]
