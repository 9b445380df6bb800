"""Reading a contract table file (CSV or Parquet) into a raw DataFrame, with clear errors.

CSV files are read with every cell as text so that validation can name the exact bad value;
Parquet files keep their types. Nothing here draws or interprets the data.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Iterable

import pandas as pd

from lagesbild_lib.errors import DataError, os_reason, plural

SUFFIXES = (".parquet", ".csv")


def find_table_file(data_dir: Path, name: str) -> Path | None:
    """The file of table ``name`` in ``data_dir`` (``NAME.csv`` or ``NAME.parquet``), or None.

    Raises
    ------
    DataError
        When both a CSV and a Parquet file exist (it would be unclear which one is meant).
    """
    for suffix in SUFFIXES:
        check_is_file(data_dir / f"{name}{suffix}")
    found = [data_dir / f"{name}{suffix}" for suffix in SUFFIXES if (data_dir / f"{name}{suffix}").is_file()]
    if len(found) > 1:
        raise DataError(
            f"{data_dir}: både {found[0].name} och {found[1].name} finns; behåll bara en fil för tabellen {name}"
        )
    return found[0] if found else None


def check_is_file(path: Path) -> None:
    """Refuse a contract file name that is there but cannot be read as a file (a folder, a link
    to nothing), rather than treating the table as absent.

    Raises
    ------
    DataError
    """
    if path.is_file() or not (path.is_symlink() or path.exists()):
        return
    what = "en mapp" if path.is_dir() else ("en länk till en fil som inte finns" if not path.exists() else "ingen vanlig fil")
    kind = {".csv": "CSV-filen", ".parquet": "Parquet-filen", ".geojson": "GeoJSON-filen"}.get(path.suffix, "datafilen")
    raise DataError(f"{path}: kan inte läsas ({what}); lägg själva {kind} där, eller ta bort namnet")


def read_table_file(
    path: Path, columns: Iterable[str] | None = None, filters=None, dictionary: Iterable[str] = ()
) -> tuple[pd.DataFrame, int]:
    """Read a CSV or Parquet table.

    Parameters
    ----------
    path
        The file.
    columns
        Parquet only: read just these columns (those present in the file).
    filters
        Parquet only: pyarrow row filters (predicate pushdown).
    dictionary
        Parquet only: text columns with few distinct values (area ids, categories), read
        dictionary-encoded, which makes filtering them much faster, then given back as plain text.

    Returns
    -------
    (frame, header_rows): header_rows is 1 for CSV (rows counted as in a spreadsheet), 0 for Parquet.
    """
    if path.suffix == ".parquet":
        return _read_parquet(path, columns, filters, tuple(dictionary)), 0
    return _read_csv(path), 1


def _read_parquet(path: Path, columns, filters, dictionary: tuple[str, ...] = ()) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
        cols = None if columns is None else [c for c in columns if c in schema.names]
        text = [c for c in dictionary if c in schema.names and pa.types.is_string(schema.field(c).type)]
        table = pq.read_table(path, columns=cols, filters=filters, read_dictionary=text or None)
        if text:
            plain = [pa.field(f.name, f.type.value_type) if f.name in text else f for f in table.schema]
            table = table.cast(pa.schema(plain, metadata=table.schema.metadata))
    except PermissionError:
        raise DataError(f"{path}: kan inte läsas (åtkomst nekad); gör filen läsbar") from None
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: ingen läsbar Parquet-fil ({exc})") from None
    return table.to_pandas(date_as_object=False)


def read_bytes(path: Path) -> bytes:
    """A file's bytes.

    Raises
    ------
    DataError
        The file cannot be read (permission denied or another OS error).
    """
    try:
        return path.read_bytes()
    except PermissionError:
        raise DataError(f"{path}: kan inte läsas (åtkomst nekad); gör filen läsbar") from None
    except OSError as exc:
        raise DataError(f"{path}: kan inte läsas ({os_reason(exc)})") from None


def _read_csv(path: Path) -> pd.DataFrame:
    raw = read_bytes(path)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte order mark, as Excel writes it: harmless
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            f"{path}, rad {line}: byten 0x{raw[exc.start]:02x} är inte UTF-8; "
            "förväntade en UTF-8-fil (spara den som 'CSV UTF-8', inte Latin-1/Windows-1252)"
        ) from None
    if not text.strip():
        raise DataError(f"{path}: filen är tom; förväntade en rubrikrad och datarader")
    header = text.splitlines()[0]
    if header.count(";") > header.count(",") and header.count(";") >= 1:
        raise DataError(
            f"{path}, rad 1: rubrikraden {header[:80]!r} är avgränsad med semikolon; "
            "förväntade kommaavgränsade värden (exportera som 'CSV UTF-8 (kommaavgränsad)')"
        )
    import io

    try:
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False, skipinitialspace=False
        )
    except pd.errors.ParserError as exc:
        fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if fields:
            want, line, saw = fields.groups()
            raise DataError(
                f"{path}, rad {line}: {plural(int(saw), 'värde', 'värden')} där rubrikraden har {plural(int(want), 'kolumn', 'kolumner')}; "
                "förväntade ett värde per kolumn (sätt citattecken runt ett värde som innehåller kommatecken)"
            ) from None
        raise DataError(f"{path}: ingen korrekt CSV-fil ({_first_line(exc)})") from None
    except csv.Error as exc:
        raise DataError(f"{path}: ingen korrekt CSV-fil ({exc})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__

