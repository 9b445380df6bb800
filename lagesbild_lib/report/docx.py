"""The report as a Word document (``lagesbild build --docx``), made from the stitched HTML.

Working from the finished page means the Word file has exactly the report's headings (with their
section numbers), caption numbers and resolved cross-references. Numbered tables become Word
tables (header row repeated on each page, level colours kept), figures become pictures with their
alt text and captions; the weekly grid and other wide tables get a landscape page. Headings use
Word's own Heading 1–3 styles and the table of contents is a Word TOC field over them; the header
of every page holds the classification, the diarienummer and "Sida X av Y".

This module sets up the document and walks the page block by block; :mod:`.docx_runs` turns inline
HTML into formatted runs, :mod:`.docx_tables` turns tables into Word tables and :mod:`.docx_fields`
writes Word's fields and settings. python-docx writes the file; nothing is downloaded. The file is
byte-stable: equal reports give equal bytes.
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

from lagesbild_lib.report.docx_fields import (
    TOC_INSTRUCTION,
    field_begin,
    field_end,
    page_header,
    simple_field,
    toc_styles,
    word_settings,
)
from lagesbild_lib.report.docx_runs import (
    INLINE_TAGS,
    Fmt,
    add_runs,
    class_set,
    plain_text,
)
from lagesbild_lib.report.docx_tables import (
    add_table,
    needs_landscape,
    table_grid,
    table_rows,
)
from lagesbild_lib.report.excel import FIXED_TIME, fix_zip_times

PORTRAIT_TEXT_CM = 17.0  # A4 less 2 cm margins
LANDSCAPE_TEXT_CM = 27.3  # A4 landscape less 1.2 cm margins
BLOCK_CONTAINERS = {"div", "section", "article", "main", "header", "footer", "nav", "figure", "blockquote", "aside", "body"}


def write_docx(html: str, path: Path) -> None:
    """Write the stitched report ``html`` as a Word document to ``path``.

    Raises
    ------
    ValueError
        The page is not a stitched lagesbild report (no ``<main>``).
    """
    import lxml.html
    from docx import Document

    root = lxml.html.document_fromstring(html)
    main = root.find(".//main")
    if main is None:
        raise ValueError("ingen rapport från lagesbild: elementet <main> saknas")
    doc = Document()
    _setup(doc, root)
    writer = _Writer(doc)
    title_page = root.find(".//header")
    if title_page is not None:
        writer.title_page(title_page)
    toc = root.find(".//nav")
    if toc is not None:
        writer.toc(toc)
    writer.blocks(main)
    footer = root.find(".//footer")
    if footer is not None:
        writer.page_break()
        writer.blocks(footer)
    doc.save(path)
    fix_zip_times(path)


# --------------------------------------------------------------------------- document set-up
def _setup(doc, root) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    # Swedish as the document language (spelling, hyphenation, screen readers).
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")) if defaults is not None else None
    if rpr is not None:
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), "sv-SE")

    classification = plain_text(root.find(".//*[@class='classification']"))
    page_header(section, classification, _fact(root, "Diarienummer"))
    signed = root.find(".//header[@data-signoff]")  # "Fastställd av förvaltningen … och polisen …", as the PDF's footer
    if signed is not None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        line = section.header.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        line.add_run(signed.get("data-signoff")).font.size = Pt(8)
    word_settings(doc)
    toc_styles(doc)

    title = plain_text(root.find(".//title"))
    props = doc.core_properties
    props.title = title
    props.subject = "Lokal lägesbild"
    props.author = "lagesbild"
    props.last_modified_by = "lagesbild"
    props.comments = ""
    props.language = "sv-SE"
    props.keywords = classification
    props.revision = 1
    props.created = props.modified = props.last_printed = FIXED_TIME


def _fact(root, label: str) -> str:
    """The value of the title page's fact ``label`` (e.g. "Diarienummer"), or ""."""
    for dt_el in root.iterfind(".//header//dt"):
        if plain_text(dt_el) == label:
            dd = dt_el.getnext()
            return plain_text(dd) if dd is not None and dd.tag == "dd" else ""
    return ""


# --------------------------------------------------------------------------- the walker
class _Writer:
    """Turns the report's HTML elements into Word paragraphs, tables and pictures."""

    def __init__(self, doc):
        self.doc = doc
        self.landscape = False
        self.pending_portrait = False
        self.first_chapter = True

    # ----------------------------------------------------------------- structure
    def page_break(self) -> None:
        from docx.enum.text import WD_BREAK

        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def title_page(self, header) -> None:
        from docx.shared import Pt, RGBColor

        for el in header:
            classes = class_set(el)
            if "classification" in classes:
                run = self.doc.add_paragraph().add_run(plain_text(el).upper())
                run.bold = True
                run.font.color.rgb = RGBColor(0x8A, 0x1C, 0x1C)
            elif el.tag == "h1":
                sub = el.find(".//*[@class='subtitle']")
                subtitle = plain_text(sub)
                if sub is not None:
                    sub.drop_tree()
                self.doc.add_heading(plain_text(el), level=0)
                if subtitle:
                    self.doc.add_paragraph(subtitle, style="Subtitle")
            elif el.tag == "dl":
                self.definition_list(el, size=Pt(11))
            else:
                self.block(el)
        self.page_break()

    def toc(self, nav) -> None:
        """The table of contents: a Word TOC field whose shown result, until Word updates it, is the
        report's own list of chapters and sections."""
        heading = nav.find(".//h2")
        self.doc.add_paragraph(plain_text(heading) or "Innehåll", style="TOC Heading")
        entries: list[tuple[str, int]] = []
        top = nav.find("ol")
        if top is not None:
            for li in top.findall("li"):
                self._toc_item(li, 1, entries)
        entries += [(plain_text(a), 1) for a in nav.xpath("./p//a")]  # "Om rapporten"
        paragraph = None
        for i, (text, level) in enumerate(entries or [("", 1)]):
            paragraph = self.doc.add_paragraph(style=f"toc {min(level, 3)}")
            if i == 0:
                field_begin(paragraph, TOC_INSTRUCTION, dirty=True)
            paragraph.add_run(text)
        field_end(paragraph)
        self.page_break()

    def _toc_item(self, li, level: int, entries: list) -> None:
        link = li.find("a")
        entries.append((plain_text(link if link is not None else li), level))
        for sub in li.findall("ol"):
            for child in sub.findall("li"):
                self._toc_item(child, level + 1, entries)

    def blocks(self, parent) -> None:
        if parent.text and parent.text.strip():
            self.doc.add_paragraph(re.sub(r"\s+", " ", parent.text).strip())
        for el in parent:
            if not isinstance(el.tag, str):
                continue  # comments
            self.block(el)
            if el.tail and el.tail.strip():
                self.doc.add_paragraph(re.sub(r"\s+", " ", el.tail).strip())

    def block(self, el) -> None:
        tag = el.tag
        classes = class_set(el)
        if tag in ("script", "style", "details", "hr", "br"):
            return
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading(el, int(tag[1]))
        elif tag == "p":
            self.paragraph(el, note="lb-note" in classes, missing="lb-missing" in classes)
        elif tag in ("ul", "ol"):
            self.list(el, tag == "ol", 1)
        elif tag == "table":
            self.table(el)
        elif tag == "img":
            self.picture(el)
        elif tag == "figcaption":
            self.caption(el)
        elif tag == "dl":
            self.definition_list(el)
        elif tag == "pre":
            self.paragraph(el, code=True)
        elif tag in BLOCK_CONTAINERS or tag not in INLINE_TAGS:
            if tag == "blockquote":
                for p in el.findall(".//p") or [el]:
                    self.paragraph(p, style="Quote")
            else:
                self.blocks(el)
                if tag == "figure":
                    self.back_to_portrait()
        else:
            self.paragraph(el)

    # ----------------------------------------------------------------- text
    def heading(self, el, level: int) -> None:
        text = plain_text(el)
        if not text:
            return
        in_main = any(a.tag == "main" for a in el.iterancestors())
        if not in_main:  # "Om rapporten" (h2) is a top-level part of the document beside the chapters
            level = max(1, level - 1)
        paragraph = self.doc.add_heading(text, level=min(level, 4))
        if level == 1 and in_main:
            if not self.first_chapter:
                paragraph.paragraph_format.page_break_before = True
            self.first_chapter = False

    def paragraph(self, el, *, note=False, missing=False, code=False, style=None):
        from docx.shared import Pt

        paragraph = self.doc.add_paragraph(style=style)
        add_runs(paragraph, el, Fmt(italic=missing, code=code))
        if note:
            for run in paragraph.runs:
                run.font.size = Pt(8)
        if not paragraph.text.strip() and not paragraph.runs:
            paragraph._p.getparent().remove(paragraph._p)
        return paragraph

    def caption(self, el) -> None:
        """A caption; its number ("Tabell 2.") is a SEQ field, so Word's list of tables and figures
        finds it."""
        import copy

        paragraph = self.doc.add_paragraph(style="Caption")
        number = next((s for s in el if s.get("data-kind")), None)
        match = re.fullmatch(r"(\w+) (\d+)\.", plain_text(number)) if number is not None else None
        if match is None or (el.text or "").strip() or number.getprevious() is not None:
            add_runs(paragraph, el, Fmt())
            return
        kind, shown = match.groups()
        paragraph.add_run(f"{kind} ").bold = True
        simple_field(paragraph, f"SEQ {kind} \\* ARABIC", shown, bold=True)
        paragraph.add_run(". ").bold = True
        rest = copy.deepcopy(el)
        rest[el.index(number)].drop_tree()  # its tail, the caption's text, stays
        add_runs(paragraph, rest, Fmt())

    def list(self, el, ordered: bool, depth: int) -> None:
        base = "List Number" if ordered else "List Bullet"
        style = base if depth == 1 else f"{base} {min(depth, 3)}"
        for li in el.findall("li"):
            paragraph = self.doc.add_paragraph(style=style)
            add_runs(paragraph, li, Fmt(), skip=("ul", "ol"))
            for sub in li:
                if sub.tag in ("ul", "ol"):
                    self.list(sub, sub.tag == "ol", depth + 1)

    def definition_list(self, el, size=None) -> None:
        for dt_el in el.iter("dt"):
            dd = dt_el.getnext()
            paragraph = self.doc.add_paragraph()
            paragraph.paragraph_format.space_after = 0
            label = paragraph.add_run(plain_text(dt_el) + ": ")
            value = paragraph.add_run(plain_text(dd) if dd is not None and dd.tag == "dd" else "")
            value.bold = True
            if size is not None:
                label.font.size = value.font.size = size

    # ----------------------------------------------------------------- tables and pictures
    def table(self, el) -> None:
        rows = table_rows(el)
        if not rows:
            return
        grid = table_grid(rows)
        wide = needs_landscape(grid, PORTRAIT_TEXT_CM)
        if wide:
            self._orientation(landscape=True)
        add_table(self.doc, rows, grid, wide, LANDSCAPE_TEXT_CM if wide else PORTRAIT_TEXT_CM)
        if wide:
            self.pending_portrait = True
            if not any(a.tag == "figure" for a in el.iterancestors()):
                self.back_to_portrait()  # a figure's caption stays with its table first

    def back_to_portrait(self) -> None:
        """End the landscape page of a wide table (after its caption)."""
        if self.pending_portrait:
            self.pending_portrait = False
            self._orientation(landscape=False)

    def picture(self, el) -> None:
        from docx.image.image import Image
        from docx.shared import Cm, Emu

        src = el.get("src") or ""
        match = re.match(r"data:image/(png|jpeg|gif);base64,(.*)$", src, re.DOTALL)
        if not match:
            return  # the report never loads images from elsewhere
        blob = base64.b64decode(match.group(2))
        image = Image.from_blob(blob)
        native = Emu(int(image.px_width / (image.horz_dpi or 96) * 914400))
        width = min(native, Cm(LANDSCAPE_TEXT_CM if self.landscape else PORTRAIT_TEXT_CM))
        paragraph = self.doc.add_paragraph()
        shape = paragraph.add_run().add_picture(io.BytesIO(blob), width=width)
        shape._inline.docPr.set("descr", el.get("alt") or "")

    def _orientation(self, landscape: bool) -> None:
        from docx.enum.section import WD_ORIENT, WD_SECTION
        from docx.shared import Cm

        if self.landscape == landscape:
            return
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        long, short = Cm(29.7), Cm(21.0)
        section.page_width, section.page_height = (long, short) if landscape else (short, long)
        margin = Cm(1.2) if landscape else Cm(2.0)
        section.left_margin = section.right_margin = margin
        self.landscape = landscape
