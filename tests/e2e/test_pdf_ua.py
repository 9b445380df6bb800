"""Issue 19, item 1: the PDF of the demo report is accessible (PDF/UA-1).

The PDF printed from the default demo report is checked with ``pdfua`` (the machine-checkable
subset of PDF/UA-1, on pikepdf) and read back: its structure tree (headings in the order of the
report, every figure with the alt text of its picture, tables with header cells), its bookmarks
(every chapter and section, in the report's hierarchy), its table of contents (the page numbers
it prints are the pages the headings are on), and nothing drawn that is neither tagged nor an
artifact (the classification and "Sida X av Y" in the margins are artifacts).

Needs Chromium (and ``pdftotext`` from poppler-utils for the printed text); without them the tests
skip locally and fail in CI (``LAGESBILD_BROWSER_TESTS=required``, set by ``.ci/run``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
from support import need

from lagesbild_lib.report.pdf import find_chromium, html_to_pdf
from lagesbild_lib.report.pdf_tags import struct_kids, walk_structure
from lagesbild_lib.report.pdf_toc import PLACEHOLDER, toc_targets, with_page_numbers

pikepdf = pytest.importorskip("pikepdf")
pytestmark = pytest.mark.e2e
NAME = "lagesbild-hasselby-vallingby-2023"
HEADING_RE = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.DOTALL)


@pytest.fixture(scope="module")
def printed(built, tmp_path_factory) -> tuple[Path, str]:
    """The demo report printed as ``lagesbild build --pdf`` prints it, and its HTML."""
    need(find_chromium() is not None, "Chromium is not installed")
    html = built / f"{NAME}.html"
    pdf = html_to_pdf(html, tmp_path_factory.mktemp("pdf") / f"{NAME}.pdf")
    return pdf, html.read_text(encoding="utf-8")


def printed_headings(html: str) -> list[tuple[int, str]]:
    """The report's headings that are printed (those in a closed ``<details>`` are not), in order."""
    html = re.sub(r"<details\b.*?</details>", "", html, flags=re.DOTALL)
    return [(int(level), re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", inner)).strip()) for level, inner in HEADING_RE.findall(html)]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def outline(doc) -> list[tuple[int, str, int]]:
    """The bookmarks as (depth, title, page), depth 1 at the top."""
    page_of = {p.objgen: i + 1 for i, p in enumerate(doc.pages)}
    found: list[tuple[int, str, int]] = []
    with doc.open_outline() as tree:
        def walk(items, depth):
            for item in items:
                found.append((depth, item.title, page_of[item.destination[0].objgen]))
                walk(item.children, depth + 1)
        walk(tree.root, 1)
    return found


# --------------------------------------------------------------------------- the checker
def test_the_pdf_ua_checker_finds_no_errors_and_no_warnings(printed):
    import pdfua

    report = pdfua.validate(str(printed[0]))
    problems = [f"{f.rule_id} {f.severity.name} {f.location.describe()}: {f.message}" for f in report.findings]
    assert problems == []
    ran = {o.rule_id for o in report.outcomes if not o.skipped}
    # UA-14-001 (headings not empty) raises inside pdfua 0.1.3 with pikepdf 10; the headings are
    # checked below instead (test_headings_bookmarks_and_their_order).
    assert {"UA-01-003", "UA-06-001", "UA-13-004", "UA-15-003", "UA-18-005", "UA-28-004"} <= ran


def test_document_title_language_and_pdf_ua_identification(printed):
    pdf, html = printed
    title = re.search(r"<title>(.*?)</title>", html, re.DOTALL).group(1)
    with pikepdf.open(pdf) as doc:
        assert str(doc.Root.Lang) == "sv-SE"
        assert doc.Root.MarkInfo.Marked is True
        assert doc.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(doc.docinfo.Title) == title == "Lokal lägesbild – Hässelby-Vällingby 2023"
        meta = doc.open_metadata()
        assert meta["dc:title"] == title and meta["pdfuaid:part"] == "1"


# --------------------------------------------------------------------------- structure tree
def test_headings_bookmarks_and_their_order(printed):
    pdf, html = printed
    want = printed_headings(html)
    with pikepdf.open(pdf) as doc:
        tags = [str(e.S) for e in walk_structure(doc) if re.fullmatch(r"/H[1-6]", str(e.S))]
        assert tags == [f"/H{level}" for level, _ in want], "every heading tagged, at its level, in reading order"
        for element in walk_structure(doc):
            if re.fullmatch(r"/H[1-6]", str(element.S)):
                assert struct_kids(element), "no empty heading"
        marks = outline(doc)
    assert [squeeze(t) for _, t, _ in marks] == [squeeze(t) for _, t in want], "a bookmark for every heading"
    top = [t for depth, t, _ in marks if depth == 1]
    chapters = [t for level, t in want if level == 1 and re.match(r"\d+ ", t)]
    assert len(chapters) >= 6 and all(c in top for c in chapters), "every chapter at the top level"
    assert top[0].startswith("Lokal lägesbild") and "Innehåll" in top and top[-1] == "Om rapporten"
    for depth, title, _ in marks:
        if re.match(r"\d+\.\d+ ", title):
            assert depth == 2, f"{title}: a section sits under its chapter"
    pages = [page for _, _, page in marks]
    assert pages == sorted(pages), "bookmarks lead forward through the document"


def test_every_figure_has_the_alt_text_of_its_picture(printed):
    pdf, html = printed
    printed_html = re.sub(r"<details\b.*?</details>", "", html, flags=re.DOTALL)
    alts = [unescape(a) for a in re.findall(r'<img\b[^>]*\balt="([^"]*)"', printed_html)]
    assert len(alts) >= 8 and all(alts)
    with pikepdf.open(pdf) as doc:
        figures = [e for e in walk_structure(doc) if e.S == pikepdf.Name.Figure]
        got = [str(e.get("/Alt", "")) for e in figures]
    assert got == alts


def test_numbered_tables_are_tables_with_header_cells(printed):
    pdf, html = printed
    printed_html = re.sub(r"<details\b.*?</details>", "", html, flags=re.DOTALL)
    numbered = re.findall(r'data-kind="Tabell">(Tabell \d+)', printed_html)
    assert len(numbered) >= 10
    with pikepdf.open(pdf) as doc:
        tables = [e for e in walk_structure(doc) if e.S == pikepdf.Name.Table]
        # The numbered tables and the data panels under the charts and maps, which the PDF prints
        # open (DESIGN §9: a figure's numbers as text, for print too).
        assert html.count('<details class="lb-data"') >= 10
        assert len(tables) == html.count("<table")
        for table in tables:
            cells = [e for e in _descendants(table) if e.S in (pikepdf.Name.TH, pikepdf.Name.TD)]
            heads = [e for e in cells if e.S == pikepdf.Name.TH]
            assert heads, "every table has header cells"
            for th in heads:
                attrs = th.get("/A")
                attrs = list(attrs) if isinstance(attrs, pikepdf.Array) else [attrs]
                assert any(a is not None and "/Scope" in a for a in attrs), "a header cell says what it heads"


def _descendants(element):
    for kid in struct_kids(element):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _descendants(kid)


def test_nothing_is_drawn_untagged_and_links_are_described(printed):
    with pikepdf.open(printed[0]) as doc:
        for number, page in enumerate(doc.pages, 1):
            depth, loose = 0, []
            for instruction in pikepdf.parse_content_stream(page):
                op = str(instruction.operator)
                if op in ("BDC", "BMC"):
                    depth += 1
                elif op == "EMC":
                    depth -= 1
                elif depth == 0 and op in ("Tj", "TJ", "'", '"', "Do", "sh", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*"):
                    loose.append(op)
            assert loose == [], f"page {number}: drawn outside any tag or artifact"
            for annot in page.get("/Annots") or []:
                if annot.Subtype == pikepdf.Name.Link:
                    assert str(annot.get("/Contents", "")).startswith(("Gå till ", "Länk")), f"page {number}: link without description"


# --------------------------------------------------------------------------- printed text
def test_table_of_contents_shows_the_pages_the_headings_are_on(printed):
    need(shutil.which("pdftotext") is not None, "pdftotext (Debian poppler-utils) is not installed")
    pdf, _ = printed
    with pikepdf.open(pdf) as doc:
        marks = outline(doc)
    page_of = {t.split(" ", 1)[0]: page for _, t, page in marks if re.match(r"\d+(\.\d+)? ", t)}
    toc_page = next(page for _, t, page in marks if t == "Innehåll")
    first_chapter = min(page_of.values())
    text = subprocess.run(
        ["pdftotext", "-layout", "-f", str(toc_page), "-l", str(first_chapter - 1), str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout
    entries = dict(re.findall(r"^\s*(\d+(?:\.\d+)?)\s+\S.*?\s(\d+)\s*$", text, re.MULTILINE))
    assert len(entries) == len(page_of) >= 20, "every chapter and section has its page in the table of contents"
    assert {k: int(v) for k, v in entries.items()} == page_of
    last = subprocess.run(["pdftotext", "-f", "5", "-l", "5", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert f"Sida 5 av {page_count(pdf)}" in last and "BEGRÄNSAD SPRIDNING" in last


def page_count(pdf: Path) -> int:
    with pikepdf.open(pdf) as doc:
        return len(doc.pages)


def test_page_numbers_go_only_into_the_printed_table_of_contents():
    html = (
        '<nav aria-labelledby="innehall-rubrik" class="toc"><h2 id="innehall-rubrik">Innehåll</h2><ol><li>'
        '<a href="#a"><span class="lb-secnum">1</span> A</a><ol><li><a href="#b">B</a></li></ol></li></ol></nav>'
        '<main><h1 id="a">A</h1><p><a href="#b">se B</a></p></main>'
    )
    assert toc_targets(html) == ["a", "b"], "links outside the table of contents are not entries"
    placeholders = with_page_numbers(html, None)
    assert placeholders.count(f'<span class="lb-toc-page">{PLACEHOLDER}</span>') == 2
    numbered = with_page_numbers(html, {"a": 3, "b": 12})
    assert '1</span> A</a><span class="lb-toc-page">3</span>' in numbered and 'B</a><span class="lb-toc-page">12</span>' in numbered
    assert numbered.endswith('<main><h1 id="a">A</h1><p><a href="#b">se B</a></p></main>')
    assert with_page_numbers(html, {"a": 3}).count("lb-toc-page") == 1, "a heading on no page gets no number"


def test_untagged_drawing_becomes_an_artifact_and_tagged_content_stays_as_it_is():
    from lagesbild_lib.report.pdf_tags import mark_artifacts, regroup_figures

    doc = pikepdf.new()
    doc.add_blank_page()
    page = doc.pages[0]
    page.obj.Contents = doc.make_stream(
        b"BT /F1 8 Tf (HEADER) Tj ET 0 0 5 5 re f 0 0 9 9 re W n "
        b"/P <</MCID 0>> BDC BT (body) Tj ET EMC "
        b"BT /P <</MCID 1>> BDC (tagged) Tj EMC (loose) Tj ET"
    )
    assert mark_artifacts(doc, page) == 3
    ops = [(str(i.operator), [str(o) for o in i.operands]) for i in pikepdf.parse_content_stream(page)]
    names = [op for op, _ in ops]
    assert names[:10] == ["BMC", "BT", "Tf", "Tj", "ET", "EMC", "BMC", "re", "f", "EMC"]
    assert ops[0][1] == ["/Artifact"] and ops[6][1] == ["/Artifact"]
    assert names[10:13] == ["re", "W", "n"], "a clipping path paints nothing: left alone"
    assert names[13:18] == ["BDC", "BT", "Tj", "ET", "EMC"], "tagged content untouched"
    tail = names[18:]
    assert tail == ["BT", "BDC", "Tj", "EMC", "BMC", "Tj", "EMC", "ET"], "an untagged show inside a mixed text object is wrapped alone"
    assert mark_artifacts(doc, page) == 0, "nothing left to mark"

    figure = pikepdf.Dictionary(S=pikepdf.Name.Figure, K=pikepdf.Array([pikepdf.Dictionary(S=pikepdf.Name.Table)]))
    picture = pikepdf.Dictionary(S=pikepdf.Name.Figure, Alt=pikepdf.String("Karta"), K=0)
    doc.Root.StructTreeRoot = pikepdf.Dictionary(K=pikepdf.Array([figure, picture]))
    assert regroup_figures(doc) == 1
    assert [str(e.S) for e in walk_structure(doc)] == ["/Div", "/Table", "/Figure"]
