"""HTML tables as Word tables, for the Word version of the report (:mod:`.docx`).

The rows of an HTML table are laid on a column grid that honours ``colspan`` and ``rowspan``, and
each cell becomes a (merged) Word cell with its text as formatted runs: header rows repeat on every
page and are shaded, numeric cells are right-aligned, and the level cells of the weekly grid keep
their colours from report.css. Whether a table is wide enough for a landscape page is decided here
too; turning the page is left to the document writer.
"""

from __future__ import annotations

from lagesbild_lib.report.docx_runs import Fmt, add_runs, class_set

#: Level colours of the weekly grid and its legend (as in report.css).
LEVEL_FILL = {"1": "E3F4D7", "2": "B5DD8F", "3": "EEB030", "4": "D9622B", "5": "8B0000"}
HEADER_FILL = "F4F6F8"
WIDE_TABLE = 16  # columns from which a table gets a landscape page


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
    """Whether a table with this grid gets a landscape page."""
    return max(len(r) for r in grid) >= WIDE_TABLE


def add_table(doc, rows, grid: list[list], wide: bool) -> None:
    """Add the HTML table ``rows`` (laid out as ``grid``) to ``doc`` as a Word table."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    n_rows, n_cols = len(rows), max(len(r) for r in grid)
    table = doc.add_table(rows=n_rows, cols=n_cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    size = Pt(6) if wide else Pt(8.5)
    done: set[int] = set()
    for r, tr in enumerate(rows):
        in_head = tr.getparent().tag == "thead"
        if in_head:
            _repeat_header(table.rows[r])
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
            elif "lb-level" in classes:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            level = next((k[len("lb-level-"):] for k in classes if k.startswith("lb-level-")), None)
            if level in LEVEL_FILL:
                _shade(cell, LEVEL_FILL[level])
                if level == "5":
                    for run in paragraph.runs:
                        run.font.color.rgb = _white()
            elif in_head:
                _shade(cell, HEADER_FILL)


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
