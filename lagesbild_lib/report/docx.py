"""The report as a Word document (``lagesbild build --docx``), made from the stitched HTML.

Working from the finished page means the Word file has exactly the report's headings (with their
section numbers), caption numbers and resolved cross-references. Numbered tables become Word
tables (header row repeated on each page, level colours kept), figures become pictures with their
alt text and captions; the weekly grid and other wide tables get a landscape page. The
classification is in the header of every page and the page number in the footer.

This module sets up the document and walks the page block by block; :mod:`.docx_runs` turns inline
HTML into formatted runs and :mod:`.docx_tables` turns tables into Word tables. python-docx writes
the file; nothing is downloaded. The file is byte-stable: equal reports give equal bytes.
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

from lagesbild_lib.report.docx_runs import INLINE_TAGS, Fmt, add_runs, class_set, plain_text
from lagesbild_lib.report.docx_tables import add_table, is_wide, table_grid, table_rows
from lagesbild_lib.report.excel import FIXED_TIME, fix_zip_times

PORTRAIT_TEXT_CM = 17.0
LANDSCAPE_TEXT_CM = 26.0
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
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

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
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if classification:
        run = header.add_run(classification.upper())
        run.bold = True
        run.font.size = Pt(8)
        run.font.color.rgb = RGBColor(0x8A, 0x1C, 0x1C)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("Sida ").font.size = Pt(8)
    _field(footer, "PAGE")
    footer.add_run(" av ").font.size = Pt(8)
    _field(footer, "NUMPAGES")

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


def _field(paragraph, instruction: str) -> None:
    """A simple Word field (PAGE, NUMPAGES) that Word fills in."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


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
        from docx.shared import Cm

        heading = nav.find(".//h2")
        self.doc.add_paragraph(plain_text(heading) or "Innehåll", style="TOC Heading")
        top = nav.find("ol")
        if top is not None:
            for li in top.findall("li"):
                self._toc_item(li, 0, Cm)
        self.page_break()

    def _toc_item(self, li, depth: int, Cm) -> None:
        link = li.find("a")
        paragraph = self.doc.add_paragraph(plain_text(link if link is not None else li))
        paragraph.paragraph_format.left_indent = Cm(0.8 * depth)
        paragraph.paragraph_format.space_after = 0
        for sub in li.findall("ol"):
            for child in sub.findall("li"):
                self._toc_item(child, depth + 1, Cm)

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
        paragraph = self.doc.add_paragraph(style="Caption")
        add_runs(paragraph, el, Fmt())

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
        wide = is_wide(grid)
        if wide:
            self._orientation(landscape=True)
        add_table(self.doc, rows, grid, wide)
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
        match = re.match(r"data:image/(png|jpeg|gif);base64,(.*)$", src, re.S)
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
