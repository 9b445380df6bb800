"""``tabeller.xlsx``: every numbered table (and the data of every chart and map) of the report,
one sheet each, numbers as numbers and text as text (no formula injection)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

FIXED_TIME = dt.datetime(2000, 1, 1)


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
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)
    index = wb.create_sheet("Innehåll")
    index.append(["Blad", "Rubrik"])
    for cell in index[1]:
        cell.font = Font(bold=True)
    for payload in payloads:
        name = payload["number"]
        ws = wb.create_sheet(name[:31])
        index.append([name, payload["caption"]])
        ws.append([f"{name}. {payload['caption']}"])
        ws["A1"].font = Font(bold=True)
        ws.append(payload["columns"])
        for cell in ws[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True)
        for row in payload["rows"]:
            ws.append(list(row))
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # "=SUM(...)" typed into a label stays text, never a formula
        for column in ws.columns:
            width = max((len(str(c.value)) for c in column[1:] if c.value is not None), default=8)
            ws.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    index.column_dimensions["A"].width = 14
    index.column_dimensions["B"].width = 90
    wb.properties.creator = "lagesbild"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.save(path)
    _fix_zip_times(path)


def _fix_zip_times(path: Path) -> None:
    """Give the workbook and every member of the .xlsx (a zip file) one fixed time, so equal tables
    give equal bytes (openpyxl stamps the save time into docProps/core.xml)."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info)) for info in src.infolist()]
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    members = [
        (info, re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data) if info.filename == "docProps/core.xml" else data)
        for info, data in members
    ]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info, payload in members:
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, payload)

