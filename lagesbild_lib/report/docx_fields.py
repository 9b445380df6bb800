"""Word's own machinery in the Word version of the report (:mod:`.docx`): fields and settings.

The table of contents is a Word TOC field over the Heading 1–3 styles (so Word's navigation pane
and its "Uppdatera innehållsförteckning" work); until Word updates it, it shows the report's own
list of chapters and sections. The page header of every page holds the classification, the
diarienummer and "Sida X av Y" (PAGE and NUMPAGES fields). The settings ask Word to update the
fields when the file is opened, so the table of contents gets its page numbers, and give the
document Swedish number conventions.
"""

from __future__ import annotations

#: The TOC field: headings 1–3, entries as links, no tab leader in web view, outline levels too.
TOC_INSTRUCTION = 'TOC \\o "1-3" \\h \\z \\u'
#: Elements of w:settings that come after w:updateFields (the schema fixes the order).
_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
    "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
)


def _run_with(paragraph, child):
    from docx.oxml import OxmlElement

    run = OxmlElement("w:r")
    run.append(child)
    paragraph._p.append(run)
    return run


def field_begin(paragraph, instruction: str, dirty: bool = False) -> None:
    """Open a complex field with ``instruction`` in ``paragraph``; what follows is its shown result
    until :func:`field_end` (which may be in a later paragraph)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    if dirty:
        begin.set(qn("w:dirty"), "true")
    _run_with(paragraph, begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    _run_with(paragraph, instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    _run_with(paragraph, separate)


def field_end(paragraph) -> None:
    """Close the field opened by :func:`field_begin`."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    _run_with(paragraph, end)


def simple_field(paragraph, instruction: str, shown: str, size=None, bold: bool = False) -> None:
    """A field that Word fills in (PAGE, NUMPAGES, SEQ), showing ``shown`` until it does."""
    field_begin(paragraph, instruction)
    run = paragraph.add_run(shown)
    if size is not None:
        run.font.size = size
    if bold:
        run.bold = True
    field_end(paragraph)


def page_header(section, classification: str, diarienummer: str) -> None:
    """The header of every page: classification · Dnr … · Sida X av Y, centred (so it suits portrait
    and landscape pages alike)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    size = Pt(8)
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if classification:
        run = paragraph.add_run(classification.upper())
        run.bold = True
        run.font.size = size
        run.font.color.rgb = RGBColor(0x8A, 0x1C, 0x1C)
        paragraph.add_run("  ·  ").font.size = size
    if diarienummer:
        paragraph.add_run(f"Dnr {diarienummer}").font.size = size
        paragraph.add_run("  ·  ").font.size = size
    paragraph.add_run("Sida ").font.size = size
    simple_field(paragraph, "PAGE", "1", size)
    paragraph.add_run(" av ").font.size = size
    simple_field(paragraph, "NUMPAGES", "1", size)


def toc_styles(doc, levels: int = 3) -> list[str]:
    """Word's built-in paragraph styles of the table of contents ("toc 1"…), added when the
    template lacks them; returns their names."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Cm, Pt

    names = []
    present = {s.name for s in doc.styles}
    for level in range(1, levels + 1):
        name = f"toc {level}"
        if name not in present:
            style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.style_id = f"TOC{level}"
            style.base_style = doc.styles["Normal"]
            style.paragraph_format.left_indent = Cm(0.8 * (level - 1))
            style.paragraph_format.space_before = Pt(3 if level == 1 else 0)
            style.paragraph_format.space_after = Pt(0)
            style.font.bold = level == 1
        names.append(name)
    return names


def word_settings(doc) -> None:
    """Ask Word to update the fields on opening (the table of contents gets its page numbers) and
    use Swedish number conventions (decimal comma)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    later = next((el for el in settings if el.tag in {qn(f"w:{n}") for n in _AFTER_UPDATE_FIELDS}), None)
    if later is not None:
        later.addprevious(update)
    else:
        settings.append(update)
    for tag, value in (("decimalSymbol", ","), ("listSeparator", ";")):
        el = settings.find(qn(f"w:{tag}"))
        if el is not None:
            el.set(qn("w:val"), value)
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:val"), "sv-SE")
