"""Report pieces: sanitised Markdown, numbered captions, the table of contents, Excel."""

from __future__ import annotations

import re


import pandas as pd
import pytest
from support import Elements

from lagesbild_lib.report.excel import write_tables_xlsx
from lagesbild_lib.present.markdown import render_markdown
from lagesbild_lib.present.pieces import caption_html, table_html, table_payload
from lagesbild_lib.report.stitch import add_toc, number_captions


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "[klicka](javascript:alert(1))",
        "![bild](https://example.org/spy.png)",
        '<a href="https://example.org" onclick="alert(1)">x</a>',
    ],
)
def test_narrative_markdown_is_neutralised(hostile):
    html = render_markdown(f"Text före. {hostile} Text efter.")
    elements = Elements()
    elements.feed(html)
    assert "script" not in elements.tags and "img" not in elements.tags
    for tag, attrs in elements.found:
        assert not any(name.startswith("on") for name, _ in attrs), (tag, attrs)
        assert not any(name in ("src", "href") and not (value or "").startswith("#") for name, value in attrs), (tag, attrs)
    assert "Text före." in html and "Text efter." in html




def test_markdown_keeps_formatting_and_shows_external_addresses_as_text():
    html = render_markdown("**Viktigt:** se [Brå](https://bra.se) och [avsnittet](#kallor).\n\n- en\n- två")
    assert "<strong>Viktigt:</strong>" in html and "<li>en</li>" in html
    assert "Brå</span> (https://bra.se)" in html and 'href="#kallor"' in html


def test_captions_are_numbered_per_kind_in_order():
    html = "".join(caption_html(k, f"c{i}") for i, k in enumerate(["Tabell", "Diagram", "Tabell", "Kartbild", "Diagram"]))
    out = number_captions(html)
    assert [s for s in ("Tabell 1.", "Diagram 1.", "Tabell 2.", "Kartbild 1.", "Diagram 2.") if s in out] == [
        "Tabell 1.", "Diagram 1.", "Tabell 2.", "Kartbild 1.", "Diagram 2."
    ]
    assert out.index("Tabell 1.") < out.index("Diagram 1.") < out.index("Tabell 2.")


def test_a_picture_is_figur_n_and_moves_no_chart_number():
    picture = '<p class="lb-note lb-figure-caption"><span class="lb-num" data-kind="Figur">Figur</span> Organisation</p>'
    out = number_captions(caption_html("Diagram", "a") + picture + caption_html("Diagram", "b") + picture)
    assert "Diagram 1." in out and "Diagram 2." in out and "Diagram 3." not in out
    assert re.findall(r'id="(lb-figur-\d)" data-kind="Figur">Figur \d\.</span> Organisation', out) == ["lb-figur-1", "lb-figur-2"]


def test_toc_gives_unique_ids_and_links():
    page = '<nav class="toc"><!-- lagesbild:toc --></nav><main><h1 id="a">Brott</h1><h2>Översikt</h2><h1>Trygghet</h1><h2>Översikt</h2><h3>Detalj</h3></main>'
    out = add_toc(page)
    assert '<h2 id="oversikt">' in out and '<h2 id="oversikt-2">' in out
    toc = out.split("</nav>")[0]
    assert toc.count("<li>") == 4 and 'href="#oversikt-2"' in toc and "Detalj" not in toc


def test_table_html_has_header_cells_and_escapes():
    html = table_html(pd.DataFrame({"Område": ["<b>Norr</b>"], "Antal": ["1 200"]}))
    assert '<th scope="col">Område</th>' in html and '<th scope="row">&lt;b&gt;Norr&lt;/b&gt;</th>' in html
    assert "<td class=\"num\">1 200</td>" in html


def test_excel_keeps_numbers_as_numbers_and_formula_text_as_text(tmp_path):
    from openpyxl import load_workbook

    data = pd.DataFrame({"Namn": ["=SUM(A1:A2)", "+46 8", "@x", "Norr"], "Antal": [1, 2, 3, 4], "Andel": [0.5, None, 0.25, 1.0]})
    payload = {**table_payload("Tabell", "Test", data), "number": "Tabell 1"}
    write_tables_xlsx([payload], tmp_path / "t.xlsx")
    ws = load_workbook(tmp_path / "t.xlsx")["Tabell 1"]
    assert ws["A1"].value == "Tabell 1. Test"
    assert [c.value for c in ws[3]] == ["=SUM(A1:A2)", 1, 0.5]
    assert ws["A3"].data_type == "s"
    assert [c.value for c in ws["B"][2:]] == [1, 2, 3, 4]
    assert ws["C4"].value is None


def test_numbers_behind_a_figure_are_shown_in_swedish():
    from lagesbild_lib.present.pieces import reader_frame

    raw = pd.DataFrame({
        "Område": ["Grimsta", "Vällingby"], "År": [2023, 2023], "Andel": [0.1251214771419671, 0.5],
        "Svarande": [16105, 53], "p-värde": [3.03e-05, 0.6940156554888657], "Skillnad": [-0.0730891, 0.02850],
        "Per 1 000": [27.849, 14.0], "Färre än 30 svarande": [True, False], "Saknas": [None, float("nan")],
    })
    shown = reader_frame(raw, {"Andel": "share", "p-värde": "pvalue", "Skillnad": "pp"})
    assert shown.to_dict("list") == {
        "Område": ["Grimsta", "Vällingby"], "År": ["2023", "2023"], "Andel": ["12,5\u00a0%", "50,0\u00a0%"],
        "Svarande": ["16\u202f105", "53"], "p-värde": ["<\u00a00,001", "0,69"], "Skillnad": ["\u22127,3", "2,9"],
        "Per 1 000": ["27,8", "14"], "Färre än 30 svarande": ["ja", "nej"], "Saknas": ["–", "–"],
    }
    assert raw["Andel"].iloc[0] == 0.1251214771419671  # the workbook keeps the raw numbers
    with pytest.raises(ValueError, match="unknown cell format"):
        reader_frame(raw, {"Andel": "procent"})
