"""Reading an export as a grid of cells, whatever it was saved as: CSV (UTF-8 with or without a
byte order mark, or Windows-1252 as older Excel writes it; ``;``, ``,`` or tab separated) or an
Excel workbook (merged cells filled in, so a merged header reads as it looks).

The source file is only ever opened for reading.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from lagesbild_lib.data.read import read_bytes
from lagesbild_lib.errors import DataError, json_problem
from lagesbild_lib.importers.names import name_key

EXCEL_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class Sheet:
    """The cells of one sheet or CSV file, row by row (``None`` or ``""`` for an empty cell)."""

    path: Path
    rows: list[list[object]]
    sheet: str | None = None  # the Excel sheet's name; None for CSV
    notes: list[str] = field(default_factory=list)

    def where(self, row: int, column: str | None = None) -> str:
        """``"FIL, blad 'Blad1', rad 7, kolumn 'Nivå'"`` for the 0-based ``row`` of :attr:`rows`."""
        parts = [str(self.path)]
        if self.sheet is not None:
            parts.append(f"blad '{self.sheet}'")
        parts.append(f"rad {row + 1}")
        if column is not None:
            parts.append(f"kolumn '{column}'")
        return ", ".join(parts)

    def bad(self, row: int, column: str | None, value: object, expected: str) -> DataError:
        """The one-sentence error for a bad cell."""
        return DataError(f"{self.where(row, column)}: värdet {show(value)} är inte giltigt; förväntade {expected}")


def show(value: object) -> str:
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, float) and value != value)


def cell_text(value: object) -> str:
    """A cell as text (numbers without a trailing ``.0``; dates as YYYY-MM-DD)."""
    if is_empty(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def compact(value: object) -> str:
    """A cell as text with all whitespace removed (no-break and thin spaces too), for number cells."""
    return "".join(cell_text(value).split())


def read_sheet(path: Path, sheet: str | None = None) -> Sheet:
    """Read a CSV file or one sheet of an Excel workbook.

    Parameters
    ----------
    path
        ``.csv``/``.txt`` or ``.xlsx``/``.xlsm``.
    sheet
        Excel only: the sheet's name (default the first sheet).

    Raises
    ------
    DataError
        A missing or unreadable file, an unknown sheet, an empty file.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: filen finns inte; förväntade exportfilen som ska importeras")
    if path.suffix.lower() in EXCEL_SUFFIXES:
        result = _read_excel(path, sheet)
    elif path.suffix.lower() == ".xls":
        raise DataError(f"{path}: det gamla Excelformatet .xls går inte att läsa; spara filen som .xlsx (eller CSV) och importera den")
    else:
        result = _read_csv(path)
    if not any(not is_empty(c) for r in result.rows for c in r):
        raise DataError(f"{path}: filen är tom; förväntade en rubrikrad och datarader")
    return result


def read_json(path: Path, expected: str, raw: bytes | None = None) -> object:
    """A JSON file (its bytes, when already read, in ``raw``) decoded like any text file and parsed.

    Raises
    ------
    DataError
        Not JSON: one sentence with the file, row and position, and ``expected`` ("förväntade …").
    """
    text, _ = decode_text(path, read_bytes(path) if raw is None else raw)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}, rad {exc.lineno}, position {exc.colno}: ogiltig JSON ({json_problem(exc)}); förväntade {expected}") from None


def decode_text(path: Path, raw: bytes) -> tuple[str, list[str]]:
    """UTF-8 (a byte order mark is dropped), else Windows-1252 with a note."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), [f"{path.name} är inte UTF-8 och lästes som Windows-1252"]


def _read_csv(path: Path) -> Sheet:
    text, notes = decode_text(path, read_bytes(path))
    lines = [line for line in text.splitlines() if line.strip()][:30]
    counts = {sep: sum(line.count(sep) for line in lines) for sep in (";", "\t", ",")}
    separator = max(counts, key=lambda s: (counts[s], s == ";"))
    if counts[separator] == 0:
        separator = ","
    try:
        rows = [list(r) for r in csv.reader(io.StringIO(text), delimiter=separator)]
    except csv.Error as exc:
        raise DataError(f"{path}: ingen korrekt CSV-fil ({exc})") from None
    return Sheet(path, rows, None, notes)


def _read_excel(path: Path, sheet: str | None) -> Sheet:
    from zipfile import BadZipFile

    import openpyxl

    raw = read_bytes(path)  # read once: openpyxl never gets a handle on the source file
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError) as exc:
        raise DataError(f"{path}: ingen läsbar Excelarbetsbok ({type(exc).__name__}); spara den som .xlsx och försök igen") from None
    if sheet is None:
        ws = book.worksheets[0]
    elif sheet in book.sheetnames:
        ws = book[sheet]
    else:
        raise DataError(f"{path}: det finns inget blad som heter {sheet!r}; arbetsboken har {', '.join(book.sheetnames)}")
    merged = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    for top, left, bottom, right in merged:  # a merged cell's value belongs to every cell it covers
        value = rows[top - 1][left - 1] if top - 1 < len(rows) and left - 1 < len(rows[top - 1]) else None
        for r in range(top - 1, min(bottom, len(rows))):
            for c in range(left - 1, min(right, len(rows[r]))):
                rows[r][c] = value
    return Sheet(path, rows, ws.title, [])


def read_columns(path: Path, columns: tuple[str, ...]) -> tuple[Sheet, list[int | None]]:
    """A small table whose first row names its columns (a mapping file, CSV or Excel).

    Returns
    -------
    (the sheet, the index of each of ``columns`` in the header row, or None where it is missing);
    header cells and names are compared by :func:`~lagesbild_lib.importers.names.name_key`.
    """
    sheet = read_sheet(path)
    header = [name_key(cell_text(c)) for c in sheet.rows[0]]
    return sheet, [header.index(name_key(c)) if name_key(c) in header else None for c in columns]


def find_header(sheet: Sheet, wanted: dict[str, tuple[str, ...]], needed: tuple[str, ...], limit: int = 30) -> tuple[int, dict[str, int]]:
    """The first row (among the first ``limit``) that names every column in ``needed``.

    Parameters
    ----------
    wanted
        ``{role: names}``: a header cell whose :func:`~lagesbild_lib.importers.names.name_key`
        equals one of the names (or starts with it, for names ending in ``*``) takes the role.
    needed
        The roles that must be present.

    Returns
    -------
    (row index, {role: column index}) for the roles found in that row.
    """
    for i, row in enumerate(sheet.rows[:limit]):
        roles = header_roles(row, wanted)
        if all(r in roles for r in needed):
            return i, roles
    names = " och ".join(f"'{wanted[r][0].rstrip('*').capitalize()}'" for r in needed)
    raise DataError(f"{sheet.path}: ingen rubrikrad med kolumnerna {names} bland de första {limit} raderna; förväntade en rubrikrad som {';'.join(wanted[r][0].rstrip('*').capitalize() for r in needed)};2023")


def header_roles(row: list[object], wanted: dict[str, tuple[str, ...]]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for j, cell in enumerate(row):
        key = name_key(cell_text(cell))
        if not key:
            continue
        for role, names in wanted.items():
            if role in roles:
                continue
            if any(key == n or (n.endswith("*") and key.startswith(n[:-1])) for n in names):
                roles[role] = j
                break
    return roles


def title_text(sheet: Sheet, header_row: int) -> str:
    """The text of the rows above the header (titles, often merged across the sheet)."""
    seen: list[str] = []
    for row in sheet.rows[:header_row]:
        for cell in row:
            text = cell_text(cell)
            if text and text not in seen:
                seen.append(text)
    return " ".join(seen)


def year_in(text: str) -> int | None:
    """A four-digit year 1990–2100 in a title, or None (or when several different ones appear)."""
    years = {int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", text)}
    years = {y for y in years if 1990 <= y <= 2100}
    return years.pop() if len(years) == 1 else None


def read_mapping(path: Path, columns: tuple[str, str]) -> dict[str, str]:
    """A two-column mapping CSV (``,`` or ``;``), e.g. ``name,area_id``, as ``{first: second}``.

    Raises
    ------
    DataError
        The file cannot be read or lacks the two columns.
    """
    sheet, (i, j) = read_columns(path, columns)
    if i is None or j is None:
        found = ", ".join(cell_text(c) for c in sheet.rows[0])
        raise DataError(f"{path}, rad 1: förväntade kolumnerna {' och '.join(columns)}; hittade {found}")
    out = {}
    for row in sheet.rows[1:]:
        row = list(row) + [None] * (len(sheet.rows[0]) - len(row))
        if cell_text(row[i]):
            out[cell_text(row[i])] = cell_text(row[j])
    return out


def read_name_list(path: Path) -> dict[str, str]:
    """The analyst's own name list (``--names``): a CSV with columns ``name`` and ``area_id``.

    Raises
    ------
    DataError
        The file cannot be read, lacks the two columns, or a name has no area id.
    """
    names = read_mapping(path, ("name", "area_id"))
    empty = [n for n, a in names.items() if not a]
    if empty:
        raise DataError(f"{path}: namnet {empty[0]!r} saknar area_id; förväntade ett områdes-id för varje namn i namnlistan")
    return names
