"""End-to-end: the finished document on the demo data — the cooperation-areas chapter, Källor, continuous numbering,
cross-references, provenance, Excel, Word, PDF, and hostile params neutralised in a built report."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from support import Elements, report_contract_result

from lagesbild_lib.cli import main
from lagesbild_lib.data.files import file_sha256
from lagesbild_lib.report.pdf import find_chromium
from lagesbild_lib.present.pieces import TABLE_MIME

ROOT = Path(__file__).resolve().parents[2]
NAME = "lagesbild-hasselby-vallingby-2023"
FIVE = [
    "Unga i riskzon för destruktivt beteende",
    "Otrygga och brottsutsatta platser",
    "Systemhotande brottslighet",
    "Särskilt utsatta och sårbara brottsoffer",
    "Kriminella miljöer och livsstilar",
]
FORMULA_PLACES = ["=1+2", "@SUMMA(A1)", "-Torget", "+46 8 123"]

HOSTILE_PARAMS = r'''
diarienummer: "SDF 2023/17 <script>alert(1)</script>"
classification: 'Intern"; } body { background: url(https://example.org/x.png) } </style><script>alert(2)</script>'
narrative:
  sammantagen_bedomning: |
    Läget är oförändrat, se {ref:compstat} och {ref:finns_inte}.

    <script>alert(3)</script>
    <img src=x onerror="alert(4)">
    [klicka](javascript:alert(5)) och ![spion](https://example.org/spy.png)
    <a href="https://example.org" onclick="alert(6)">x</a> <svg onload=alert(7)></svg>
  prioriterade_omraden: "**Inledning.** <iframe src=https://example.org></iframe>"
priority_areas:
  otrygga_platser: {status: sarskilda_atgarder, comment: "Trygghetsvandringar varje månad. <script>alert(8)</script>"}
  kriminella_miljoer:
    status: linjeverksamhet
    description: "Egen beskrivning [x](javascript:alert(9))."
    comment: "Se {ref:prioriterade_omraden.programme_ratings}."
local_priority_areas:
  - {title: "Vällingby centrum <b onmouseover=alert(10)>", description: "Kvällstid.", comment: "Kommentar <script>alert(11)</script>"}
sources:
  - {title: "=HYPERLINK(\"https://example.org\") <script>", publisher: Polismyndigheten, year: 2023}
'''

pytestmark = pytest.mark.e2e


def html_of(folder: Path) -> str:
    return (folder / f"{NAME}.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, demo_dir) -> Path:
    """A report built from hostile params and places with formula-like names, with --docx (and
    --pdf when Chromium is installed)."""
    base = tmp_path_factory.mktemp("hostile")
    data = base / "data"
    shutil.copytree(demo_dir, data)
    places = data / "places.csv"
    rows = [f'formel-{i},"{name.replace(chr(34), chr(34) * 2)}",prioriterad plats,vallingby,17.87,59.36' for i, name in enumerate(FORMULA_PLACES)]
    places.write_text(places.read_text(encoding="utf-8").rstrip("\n") + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    params = base / "params.yml"
    params.write_text(HOSTILE_PARAMS, encoding="utf-8")
    args = ["build", "--data", str(data), "--params", str(params), "--out", str(base / "out"), "--docx"]
    if find_chromium():
        args.append("--pdf")
    assert main(args) == 0
    return base / "out" / "2023" / "hasselby-vallingby"


# ----------------------------------------------------------------------------- the chapter
def test_chapter_prioriterade_has_the_five_areas_in_order_and_kallor_is_the_last_chapter(built):
    html = html_of(built)
    chapter = html[html.index("Prioriterade samverkansområden</h1>"):html.index("Åtgärdsplan och uppföljning</h1>")]
    headings = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", chapter, re.S)]
    assert [h.split(" ", 1)[1] for h in headings] == FIVE + ["Lokala prioriterade områden"]
    assert [h.split(" ", 1)[0] for h in headings] == [f"7.{i}" for i in range(1, 7)]
    assert chapter.count("Pågår/finns behov av särskilda åtgärder inom området. Inkluderas i åtgärdsplan.") == 5
    assert chapter.count("Arbete sker i linjeverksamhet.") >= 5
    # Källor: a top-level section at the end, sorted and lettered, then the data files
    h1 = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h1[^>]*>(.*?)</h1>", html.split("<main>")[1], re.S)]
    assert h1[-1].split(" ", 1)[1] == "Källor"
    kallor = html[html.index("Källor</h1>"):html.index('<footer class="provenance"')]
    for text in ("Polisens anmälningsstatistik (RAR)", "crimes.parquet", "places.csv", "programme_ratings.csv", "areas.geojson", "ändrad"):
        assert text in kallor, text
    assert kallor.index("Stockholms stad (2023a).") < kallor.index("Stockholms stad (2023b).")
    assert "Hämtad 2023-11-24 från <code>https://" in kallor
    # {cite:…} in the narrative reads as the lettered label
    assert "stadens trygghetsmätning enligt Stockholms stad (2023b)" in html and "{cite:" not in html.split("<main>")[1]
    assert json.loads((built / "manifest.json").read_text(encoding="utf-8"))["unresolved_cites"] == []
    assert "Deltagarnas skattningar av GSRS per grupp" in chapter
    # the places and the intimate-partner series are shown once, in other chapters, and referred to here
    assert re.search(r"listas med typ och delområde i <a class=lb-xref href=#lb-tabell-(\d+)>Tabell \1</a>", chapter)
    assert re.search(r"hela serien visas i <a class=lb-xref href=#lb-diagram-(\d+)>Diagram \1</a> i kapitlet om brottsligheten", chapter)


# ----------------------------------------------------------------------------- numbering and references
def test_numbering_is_continuous_and_matches_excel_and_manifest(built):
    from openpyxl import load_workbook

    html = html_of(built)
    found = re.findall(r'<span class="lb-num" id="lb-([a-z]+)-(\d+)" data-kind="(Tabell|Diagram|Kartbild)">\3 (\d+)\.</span>', html)
    assert found
    for kind in ("Tabell", "Diagram", "Kartbild"):
        numbers = [int(n) for _, _, k, n in found if k == kind]
        assert numbers == list(range(1, len(numbers) + 1)), kind  # strictly increasing, no gaps
    assert all(a == k.lower() and b == n for a, b, k, n in found), "each caption's id is its number"
    shown = [f"{k} {n}" for _, _, k, n in found]
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert [x.split(".")[0] for x in manifest["numbered"]] == shown
    assert load_workbook(built / "tabeller.xlsx", read_only=True).sheetnames[1:] == shown
    assert manifest["unresolved_refs"] == []
    assert manifest["labels"]["Tabell 1"] == "sammanfattning.level_legend"


def test_every_cross_reference_points_at_a_caption(built):
    html = html_of(built)
    refs = re.findall(r"<a class=lb-xref href=#([a-z0-9-]+)>([^<]+)</a>", html)
    assert refs
    for anchor, text in refs:
        assert f'id="{anchor}"' in html and anchor == "lb-" + text.lower().replace(" ", "-")
    assert "{ref:" not in html.split("<main>")[1]


# ----------------------------------------------------------------------------- provenance
def test_provenance_hashes_match_the_input_files(built, demo_dir):
    from lagesbild_lib import paths

    footer = html_of(built).split('<footer class="provenance">')[1]
    table = footer.split('class="lb-table provenance-inputs"')[1].split("</table>")[0]
    rows = re.findall(r'<th scope="row">([^<]+)</th><td><code>([0-9a-f]{64})</code></td>', table)
    names = {name for name, _ in rows}
    expected = {p.name for p in demo_dir.iterdir() if p.suffix in (".csv", ".parquet", ".geojson")}
    assert expected <= names
    from lagesbild_lib.params import load_params

    figures = load_params(2023, "hasselby-vallingby")[0].narrative_figures  # "bild:<slot>:<file>": a slot's image
    for name, digest in rows:
        path = paths.params_dir() / name.removeprefix("params:") if name == "params:defaults.yml" else (
            paths.params_dir() / "2023" / name.removeprefix("params:") if name.startswith("params:") else
            paths.project_root() / figures[name.split(":")[1]].file if name.startswith("bild:") else demo_dir / name
        )
        assert file_sha256(path) == digest, name
    for part in ("lagesbild", "Python", "pandas", "nbconvert", "python-docx", "git commit"):
        assert f'<th scope="row">{part}</th>' in footer, part
    assert footer.count('class="build-time"') == 1 and html_of(built).count('class="build-time"') == 1
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["software"]["pandas"] and "from_cache" in manifest
    assert {c["cache"] for c in manifest["chapters"]} <= {"hit", "miss"}


def test_a_build_from_cached_chapters_gives_the_same_html(built, demo_dir, tmp_path):
    assert main(["build", "--data", str(demo_dir), "--out", str(tmp_path)]) == 0
    again = tmp_path / "2023" / "hasselby-vallingby"
    strip = lambda h: re.sub(r'<time class="build-time">[^<]*</time>', "", h)  # noqa: E731
    assert strip(html_of(again)) == strip(html_of(built))
    manifest = json.loads((again / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["from_cache"] == [c["chapter"] for c in manifest["chapters"] if c["cache"] == "hit"]


# ----------------------------------------------------------------------------- Excel
def _payloads(folder: Path) -> list[dict]:
    out = []
    for path in sorted((folder / "chapters").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                if TABLE_MIME in output.get("data", {}):
                    out.append(output["data"][TABLE_MIME])
    return out


def test_excel_round_trips_the_numbers_of_two_tables_exactly(built):
    """Each sheet is the table as the report shows it, and every number in it is stored as the
    exact number the report prints."""
    from openpyxl import load_workbook

    from lagesbild_lib.report.excel import swedish_number

    wb = load_workbook(built / "tabeller.xlsx")
    by_caption = {p["caption"]: p for p in _payloads(built)}
    titles = {name: str(wb[name]["A1"].value).split(". ", 1)[1] for name in wb.sheetnames[1:]}
    payloads = {name: by_caption[title] for name, title in titles.items() if title in by_caption}
    chosen = [name for name, p in payloads.items() if "CompStat" in p["caption"] or "skattningar av GSRS" in p["caption"]]
    assert len(chosen) == 2
    for name in chosen:
        ws = wb[name]
        payload = payloads[name]
        assert ws["A1"].value == f"{name}. {payload['caption']}"
        assert [c.value for c in ws[2]] == payload["shown_columns"] and all(c.font.bold for c in ws[2])
        rows = [list(r) for r in ws.iter_rows(min_row=3, values_only=True)]
        assert len(rows) == len(payload["shown_rows"])
        numbers = 0
        for got, shown in zip(rows, payload["shown_rows"]):
            for g, text in zip(got, shown):
                want = swedish_number(text)
                if want is not None:
                    assert g == want and isinstance(g, (int, float)), (name, g, text)  # exactly, and as a number
                    numbers += 1
        assert numbers >= 8


def test_formula_like_text_stays_text_in_excel(hostile):
    from openpyxl import load_workbook

    wb = load_workbook(hostile / "tabeller.xlsx")
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value in FORMULA_PLACES]
    assert {c.value for c in cells} == set(FORMULA_PLACES)
    for cell in cells:
        assert cell.data_type == "s" and cell.quotePrefix, (cell.parent.title, cell.coordinate)
    assert not [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]


# ----------------------------------------------------------------------------- hostile params


def test_hostile_params_are_neutralised_in_the_built_report(hostile):
    html = html_of(hostile)
    elements = Elements()
    elements.feed(html)
    tags = [t for t, _ in elements.found]
    assert not set(tags) & {"script", "iframe", "svg", "object", "embed", "link"}
    assert tags.count("style") == 1 and html.count("</style>") == 1, "nothing ends the stylesheet early"
    for tag, attrs in elements.found:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, value)
            if name == "href":
                assert value.startswith("#"), (tag, value)
            if name == "src":
                assert value.startswith("data:image/png;base64,"), (tag, value[:40])
    style = html.split("<style>")[1].split("</style>")[0]
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", style)
    assert "Intern" in html.split("<main>")[0]
    # the narrative is there, as text
    compstat = re.search(r'<span class="lb-num" id="lb-tabell-(\d+)" data-kind="Tabell">Tabell \1\.</span> CompStat', html)
    assert compstat, "the CompStat caption carries its number and id"
    n = compstat.group(1)
    assert f"Läget är oförändrat, se <a class=lb-xref href=#lb-tabell-{n}>Tabell {n}</a>" in html
    assert "[hänvisning saknas: finns_inte]" in html
    assert "Trygghetsvandringar varje månad." in html and "Kvällstid." in html and "<strong>Inledning.</strong>" in html
    manifest = json.loads((hostile / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["unresolved_refs"] == ["finns_inte"]
    chapter = html[html.index("Prioriterade samverkansområden</h1>"):]
    assert chapter.count("☒") >= 2 + 2  # two areas with a status, in the overview table and in their sections
    result = report_contract_result(hostile / f"{NAME}.html")
    if result is not None:
        assert result.returncode == 0, result.stdout + result.stderr


# ----------------------------------------------------------------------------- Word and PDF
def test_word_document_mirrors_the_report(hostile):
    from docx import Document

    path = hostile / f"{NAME}.docx"
    assert path.is_file()
    html = html_of(hostile)
    main_part = html.split("<main>")[1].split("</main>")[0]
    doc = Document(path)
    want = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", h)).strip() for h in re.findall(r"<h[12] [^>]*>(.*?)</h[12]>", main_part, re.S)]
    got = [p.text for p in doc.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    assert got[: len(want)] == want
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    shown = re.findall(r'data-kind="(?:Tabell|Diagram|Kartbild)">([^<]+)</span>', html)
    assert [c.split(". ")[0] + "." for c in captions] == shown
    assert len(doc.inline_shapes) == html.count("<img ")
    assert len(doc.tables) >= len([s for s in shown if s.startswith("Tabell")])
    assert any(s.orientation == 1 for s in doc.sections), "the weekly grid gets a landscape page"
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "<script>" not in text or "alert(3)" in text  # raw HTML from params shows as text, never runs
    manifest = json.loads((hostile / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["outputs"][path.name] == file_sha256(path)


def test_pdf_is_printed_with_chromium(hostile):
    path = hostile / f"{NAME}.pdf"
    if not find_chromium():
        pytest.skip("Chromium is not installed")
    import pikepdf

    assert path.read_bytes().startswith(b"%PDF")
    with pikepdf.open(path) as doc:
        boxes = [[float(x) for x in page.mediabox] for page in doc.pages]
        assert str(doc.Root.Lang) == "sv-SE" and "/StructTreeRoot" in doc.Root, "a tagged PDF in Swedish (issue 19)"
    assert len(boxes) >= 15
    sizes = {(round(box[2] - box[0]), round(box[3] - box[1])) for box in boxes}
    assert (595, 842) in sizes and (842, 595) in sizes, "A4 portrait pages and a landscape page for the weekly grid"


def test_docx_asked_for_after_a_plain_build(demo_dir, tmp_path):
    """The formats are part of what a report is built from: asking for Word re-stitches (the
    chapters come from the cache), and a later plain build keeps the Word version (issue 15): the
    report is up to date with it."""
    from lagesbild_lib.cli import main

    out = tmp_path / "out"
    assert main(["build", "--data", str(demo_dir), "--out", str(out)]) == 0
    report = out / "2023" / "hasselby-vallingby"
    before = html_of(report)
    assert main(["build", "--data", str(demo_dir), "--out", str(out), "--docx"]) == 0
    docx = report / f"{NAME}.docx"
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    assert docx.is_file() and manifest["outputs"][docx.name] == file_sha256(docx)
    assert {c["cache"] for c in manifest["chapters"]} == {"hit"}
    strip = lambda text: re.sub(r'<time class="build-time">[^<]*</time>', "", text)  # noqa: E731
    assert strip(html_of(report)) == strip(before)
    assert manifest["formats"] == ["docx"]
    assert main(["build", "--data", str(demo_dir), "--out", str(out)]) == 0
    assert docx.is_file() and json.loads((report / "manifest.json").read_text(encoding="utf-8")) == manifest

