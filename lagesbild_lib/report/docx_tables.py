"""HTML tables as Word tables, for the Word version of the report (:mod:`.docx`).

The rows of an HTML table are laid on a column grid that honours ``colspan`` and ``rowspan``, and
each cell becomes a (merged) Word cell with its text as formatted runs: header rows repeat on every
page and are shaded, numeric cells are right-aligned, and the level cells of the weekly grid keep
their colours from report.css. Whether a table is wide enough for a landscape page is decided here
too; turning the page is left to the document writer.

Columns get fixed widths that fit the text width of the page, so a word processor never has to
break a word inside a cell: each column is as wide as its longest cell when the page allows it,
never narrower than its longest word, and a wide table takes the largest font size (7,5 pt down to
5 pt) at which that holds. The weekly grid's 52–53 week columns, its area names and its summary
columns so fit one landscape A4 page.
"""

from __future__ import annotations

from lagesbild_lib.report.docx_runs import Fmt, add_runs, class_set, visible_text

#: Level colours of the weekly grid and its legend (as in report.css).
LEVEL_FILL = {"1": "E3F4D7", "2": "B5DD8F", "3": "EEB030", "4": "D9622B", "5": "8B0000"}
HEADER_FILL = "F4F6F8"
WIDE_TABLE = 16  # columns from which a table gets a landscape page
WIDE_SIZES = (7.5, 7.0, 6.5, 6.0, 5.5, 5.0)  # font sizes (pt) tried for a table of many columns, largest first
NORMAL_SIZES = (8.5, 7.5, 6.5, 6.0, 5.5)  # and for other tables (below 6,5 pt only on a landscape page)
PORTRAIT_MIN_SIZE = 6.5
MONO_EM_PER_CHAR = 0.62  # a character of Consolas or the monospaced font that stands in for it
SAFETY = 1.1  # word processors round and kern differently: leave a tenth to spare
WIDE_PAD_PT = 2.0  # left + right cell margin of a wide table
NORMAL_PAD_PT = 10.8  # Word's default cell margins (0.19 cm each side)


def table_rows(el) -> list:
    """The ``<tr>`` elements of the table ``el``, head, body and foot in order."""
    return el.xpath("./thead/tr|./tbody/tr|./tfoot/tr|./tr")


def table_grid(rows) -> list[list]:
    """Each row's cells placed on a column grid, honouring colspan and rowspan (None: covered)."""
    grid: list[list] = [[] for _ in rows]
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                continue
            while c < len(grid[r]) and grid[r][c] is not None:
                c += 1
            span_c = max(1, int(cell.get("colspan", "1") or 1))
            span_r = max(1, int(cell.get("rowspan", "1") or 1))
            for dr in range(span_r):
                if r + dr >= len(rows):
                    break
                row = grid[r + dr]
                while len(row) < c + span_c:
                    row.append(None)
                for dc in range(span_c):
                    row[c + dc] = cell if (dr, dc) == (0, 0) else _COVERED
            c += span_c
    return [[None if x is _COVERED else x for x in row] for row in grid]


_COVERED = object()


def is_wide(grid: list[list]) -> bool:
    """Whether a table has so many columns that it is set compactly (small cell margins) on a
    landscape page."""
    return max(len(r) for r in grid) >= WIDE_TABLE


def needs_landscape(grid: list[list], portrait_cm: float) -> bool:
    """Whether a table gets a landscape page: many columns, or words too long to fit the portrait
    text width at :data:`PORTRAIT_MIN_SIZE` (e.g. a plan of eleven columns of text)."""
    return is_wide(grid) or column_widths(grid, portrait_cm / 2.54 * 72, PORTRAIT_MIN_SIZE, NORMAL_PAD_PT) is None


def text_width(text: str, size: float, bold: bool = False, mono: bool = False) -> float:
    """An estimate of the width of ``text`` set in ``size`` pt, in pt (``mono``: code, in a
    monospaced font, whose characters are wider than the average letter)."""
    if mono:
        return len(text) * size * MONO_EM_PER_CHAR * SAFETY
    return sum(_char_em(ch) for ch in text) * size * (1.06 if bold else 1.0) * SAFETY


def _char_em(ch: str) -> float:
    """The advance of ``ch`` in Calibri/Carlito, roughly, in em."""
    if ch in "MWmw":
        return 0.86
    if ch in "iljtfrI.,:;'|!":
        return 0.3
    if ch.isspace():
        return 0.23
    if ch.isdigit():
        return 0.51
    if ch.isupper():
        return 0.62
    if ch.islower():
        return 0.5
    return 0.7  # signs and symbols (✱, ≥, –)


def column_widths(grid: list[list], avail_pt: float, size: float, pad: float) -> list[float] | None:
    """Widths (pt) of the grid's columns within ``avail_pt``: each column as wide as its longest
    cell when they all fit, else shrunk towards (never below) its longest word; None when even the
    longest words do not fit."""
    n = max(len(r) for r in grid)
    need, least = [pad] * n, [pad] * n
    for row in grid:
        for c, cell in enumerate(row):
            if cell is None or int(cell.get("colspan", "1") or 1) > 1 or (c and row[c - 1] is cell):
                continue
            text, bold, mono = visible_text(cell), cell.tag == "th", cell.find(".//code") is not None
            need[c] = max(need[c], text_width(text, size, bold, mono) + pad)
            longest = max(text.split(), key=len, default="")
            least[c] = max(least[c], text_width(longest, size, bold, mono) + pad)
    if sum(least) > avail_pt:
        return None
    if sum(need) <= avail_pt:
        # Room to spare: the narrowest columns grow first, to one floor (equal week columns).
        low, high = 0.0, avail_pt
        for _ in range(40):
            floor = (low + high) / 2
            low, high = (floor, high) if sum(max(w, floor) for w in need) <= avail_pt else (low, floor)
        return [max(w, low) for w in need]
    low, high = 0.0, max(need)  # the cap above which columns are shrunk: the largest that fits
    for _ in range(40):
        cap = (low + high) / 2
        if sum(max(lo, min(w, cap)) for lo, w in zip(least, need)) <= avail_pt:
            low = cap
        else:
            high = cap
    return [max(lo, min(w, low)) for lo, w in zip(least, need)]


def add_table(doc, rows, grid: list[list], landscape: bool, avail_cm: float) -> None:
    """Add the HTML table ``rows`` (laid out as ``grid``) to ``doc`` as a Word table with fixed
    column widths that fit ``avail_cm`` (the text width of its page, landscape or not)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    n_rows, n_cols = len(rows), max(len(r) for r in grid)
    avail = avail_cm / 2.54 * 72
    wide = is_wide(grid)
    pad = WIDE_PAD_PT if wide else NORMAL_PAD_PT
    sizes = WIDE_SIZES if wide else NORMAL_SIZES if landscape else tuple(x for x in NORMAL_SIZES if x >= PORTRAIT_MIN_SIZE)
    widths, size_pt = None, sizes[-1]
    for size_pt in sizes:
        widths = column_widths(grid, avail, size_pt, pad)
        if widths is not None:
            break
    table = doc.add_table(rows=n_rows, cols=n_cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    if widths is not None:
        _fixed_layout(table, widths, pad if wide else None)
    size = Pt(size_pt)
    done: set[int] = set()
    for r, tr in enumerate(rows):
        in_head = tr.getparent().tag == "thead"
        if in_head:
            _repeat_header(table.rows[r])
        _keep_row_whole(table.rows[r])
        for c, cell_el in enumerate(grid[r]):
            if cell_el is None or id(cell_el) in done:
                continue
            done.add(id(cell_el))
            span_c = int(cell_el.get("colspan", "1") or 1)
            span_r = int(cell_el.get("rowspan", "1") or 1)
            cell = table.cell(r, c)
            if span_c > 1 or span_r > 1:
                cell = cell.merge(table.cell(min(r + span_r, n_rows) - 1, min(c + span_c, n_cols) - 1))
            paragraph = cell.paragraphs[0]
            add_runs(paragraph, cell_el, Fmt(bold=cell_el.tag == "th"))
            for run in paragraph.runs:
                run.font.size = size
            classes = class_set(cell_el)
            if "num" in classes:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            elif "lb-level" in classes or (wide and c > 0):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            level = next((k[len("lb-level-"):] for k in classes if k.startswith("lb-level-")), None)
            if level in LEVEL_FILL:
                _shade(cell, LEVEL_FILL[level])
                if level == "5":
                    for run in paragraph.runs:
                        run.font.color.rgb = _white()
            elif in_head:
                _shade(cell, HEADER_FILL)


def _fixed_layout(table, widths: list[float], pad: float | None) -> None:
    """Give ``table`` fixed column widths (pt) and, when ``pad`` is given, cell margins of ``pad`` in all."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    table.autofit = False
    tbl_pr = table._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is not None:
        width.set(qn("w:type"), "dxa")
        width.set(qn("w:w"), str(round(sum(widths) * 20)))
    look = tbl_pr.find(qn("w:tblLook"))  # the schema puts tblLayout and tblCellMar before tblLook
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    added = [layout]
    if pad is not None:
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:w"), str(round(pad / 2 * 20)))
            el.set(qn("w:type"), "dxa")
            margins.append(el)
        added.append(margins)
    for el in added:
        if look is not None:
            look.addprevious(el)
        else:
            tbl_pr.append(el)
    for column, width in zip(table.columns, widths):
        column.width = Pt(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Pt(width)


def _keep_row_whole(row) -> None:
    """A row is never split over two pages."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _shade(cell, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _white():
    from docx.shared import RGBColor

    return RGBColor(0xFF, 0xFF, 0xFF)
