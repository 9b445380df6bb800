"""``tabeller.xlsx``: every numbered table (and the data of every chart and map) of the report,
one sheet each, named from its number ("Tabell 3"), numbers as numbers and text as text.

- Each sheet holds the table as the report shows it, row for row: sums, intervals and wording
  columns included (the payload's ``shown_rows``; the raw numbers where a table has no text form).

- Numbers keep their exact value; only the display format is Swedish (thousands separated,
  decimal comma: Excel shows its locale's separators, so ``#,##0.0`` reads "1 234,5" in Swedish).
- A number that a chapter passed as Swedish text ("8 524", "22,8 %") is stored as the number.
- Text is always text: a cell starting with ``=``, ``+``, ``-`` or ``@`` is written as a string
  with Excel's quote prefix, never as a formula (no formula injection).
- The workbook is byte-stable: equal tables give equal bytes.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

FIXED_TIME = dt.datetime(2000, 1, 1)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SV_NUMBER_RE = re.compile(
    r"^(?P<sign>[−+-])?(?P<int>0|[1-9]\d{0,2}(?:[\u202f\u00a0]\d{3})+|[1-9]\d*)(?:,(?P<dec>\d+))?(?P<pct>[\u202f\u00a0 ]?%)?$"
)
INT_FORMAT = "#,##0"
#: Whole numbers that are labels (a year, a week): no thousands separator ("2023", not "2 023").
LABEL_COLUMNS = ("År", "Vecka", "Nr på kartan", "Enkätår")
PERCENT_FORMAT = "0.0%"
HEADER_FILL = "DCE6F0"


def swedish_number(text: str) -> float | int | None:
    """The number a Swedish-formatted text stands for ("8 524" → 8524, "22,8 %" → 0.228,
    "−3" → -3), or None when it is not just a number. ASCII "-5" stays text (it is not how
    the report writes numbers, and it starts like a formula)."""
    m = SV_NUMBER_RE.match(text.strip()) if isinstance(text, str) else None
    if not m or (m.group("sign") == "-"):
        return None
    digits = re.sub(r"[\u202f\u00a0]", "", m.group("int"))
    value: float | int = int(digits) if not m.group("dec") else float(f"{digits}.{m.group('dec')}")
    if m.group("sign") == "−":
        value = -value
    if m.group("pct"):
        return value / 100
    return value


def _decimals(values: list[float], cap: int = 3) -> int:
    """The fewest decimals (up to ``cap``) that show every value exactly, else ``cap``."""
    for d in range(cap + 1):
        if all(round(v, d) == v for v in values):
            return d
    return cap


def column_format(name: str, values: list, percent: bool = False) -> str | None:
    """The Swedish display format of a column of numbers (None for a text column); ``percent``:
    the numbers were written as percents ("+29 %", "22,8 %") and are stored as shares."""
    nums = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool) and not (isinstance(v, float) and math.isnan(v))]
    if not nums:
        return None
    if percent:
        return "0%" if all(round(v * 100, 6) == round(v * 100) for v in nums) else PERCENT_FORMAT
    if name in LABEL_COLUMNS and all(isinstance(v, int) for v in nums):
        return "0"
    if all(isinstance(v, int) for v in nums):
        return INT_FORMAT
    lower = name.lower()
    share = ("andel" in lower or lower.startswith("ki ")) and "%" not in lower and "procent" not in lower
    if share and all(abs(v) <= 1 for v in nums):
        return PERCENT_FORMAT
    if "p-värde" in lower:
        return "0.000"
    d = _decimals([float(v) for v in nums])
    return INT_FORMAT + ("." + "0" * d if d else "")


def _cell_value(value):
    if value == "–":
        return None  # the report's dash for a missing value: an empty cell, so number columns stay numbers
    if isinstance(value, str):
        number = swedish_number(value)
        return number if number is not None else value
    return value


def write_tables_xlsx(payloads: list[dict], path: Path) -> None:
    """Write numbered tables to an Excel workbook.

    Parameters
    ----------
    payloads
        Numbered table payloads, each with ``number`` ("Tabell 3"), ``caption``, ``columns`` and ``rows``.
    path
        The ``.xlsx`` file to write.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    header_border = Border(bottom=Side(style="medium", color="000000"))

    wb = Workbook()
    wb.remove(wb.active)
    index = wb.create_sheet("Innehåll")
    index.append(["Blad", "Rubrik"])
    for cell in index[1]:
        cell.font, cell.fill, cell.border = header_font, header_fill, header_border
    for payload in payloads:
        name = payload["number"]
        ws = wb.create_sheet(name[:31])
        index.append([name, payload["caption"]])
        link = index.cell(row=index.max_row, column=1)
        link.hyperlink = f"#'{ws.title}'!A1"
        link.font = Font(color="005A9C", underline="single")
        _text(index.cell(row=index.max_row, column=2))
        ws.append([f"{name}. {payload['caption']}"])
        ws["A1"].font = Font(bold=True, size=12)
        _text(ws["A1"])
        columns = payload.get("shown_columns") or payload["columns"]
        source = payload.get("shown_rows") if "shown_rows" in payload else payload["rows"]
        ws.append(columns)
        for cell in ws[2]:
            cell.font, cell.fill, cell.border = header_font, header_fill, header_border
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            _text(cell)
        rows = [[_cell_value(v) for v in row] for row in source]
        percent = [
            any(isinstance(r[i], str) and "%" in r[i] and swedish_number(r[i]) is not None for r in source if i < len(r))
            for i in range(len(columns))
        ]
        formats = [column_format(c, [r[i] for r in rows if i < len(r)], pct) for i, (c, pct) in enumerate(zip(columns, percent))]
        for row in rows:
            ws.append(row)
            for cell, fmt in zip(ws[ws.max_row], formats):
                if isinstance(cell.value, str):
                    _text(cell)
                elif fmt and isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    cell.number_format = fmt
        ws.freeze_panes = "A3"
        for column in ws.columns:
            width = max((len(str(c.value)) for c in column[1:] if c.value is not None), default=8)
            ws.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    index.column_dimensions["A"].width = 14
    index.column_dimensions["B"].width = 90
    index.freeze_panes = "A2"
    wb.properties.creator = "lagesbild"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.save(path)
    fix_zip_times(path, _exact_floats(wb))


def _exact_floats(wb) -> dict[str, dict[str, str]]:
    """``{sheet member: {cell: repr}}`` for every float that openpyxl would shorten: it writes
    ``%.16g``, and a table's numbers must come back from Excel exactly (a double needs 17 digits)."""
    fixes: dict[str, dict[str, str]] = {}
    for n, ws in enumerate(wb.worksheets, start=1):
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if isinstance(v, float) and math.isfinite(v) and float("%.16g" % v) != v:
                    fixes.setdefault(f"xl/worksheets/sheet{n}.xml", {})[cell.coordinate] = repr(v)
    return fixes


def _text(cell) -> None:
    """Keep a text cell text: never a formula, and Excel keeps it text when it is edited."""
    if isinstance(cell.value, str):
        cell.data_type = "s"  # "=SUM(...)" typed into a label stays text, never a formula
        if cell.value.startswith(FORMULA_START):
            cell.quotePrefix = True


def fix_zip_times(path: Path, exact: dict[str, dict[str, str]] | None = None) -> None:
    """Give an Office file (a zip) and every member of it one fixed time, so equal content gives
    equal bytes (openpyxl and python-docx stamp the save time into docProps/core.xml); ``exact``
    puts back full-precision numbers (``{member: {cell: value}}``)."""
    import zipfile

    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info)) for info in src.infolist()]
    for i, (info, data) in enumerate(members):
        cells = (exact or {}).get(info.filename)
        if cells:
            def repl(m: re.Match, cells=cells) -> bytes:
                value = cells.get(m.group(2).decode())
                return m.group(1) + value.encode() + m.group(3) if value else m.group(0)

            members[i] = (info, re.sub(rb'(<c r="([A-Z]+\d+)"[^>]*><v>)[^<]*(</v>)', repl, data))
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    members = [
        (info, re.sub(rb"(<dcterms:(?:modified|created)[^>]*>)[^<]*", rb"\g<1>" + stamp, data) if info.filename == "docProps/core.xml" else data)
        for info, data in members
    ]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info, payload in members:
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, payload)
