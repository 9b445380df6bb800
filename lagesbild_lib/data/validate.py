"""Validation of one contract table against its :class:`~lagesbild_lib.data.schema.TableSpec`.

Every present table is validated whole (all rows, all years). The first problem found becomes one
sentence naming the file, the row (counted as a spreadsheet does: the header is row 1), the column,
the value and what was expected, raised as :class:`~lagesbild_lib.errors.DataError`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from lagesbild_lib.errors import DataError
from lagesbild_lib.data.schema import Column, TableSpec

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
TRUE_WORDS = {"true", "1", "ja", "sant"}
FALSE_WORDS = {"false", "0", "nej", "falskt"}
MIN_DATE = pd.Timestamp("1990-01-01")
MAX_DATE = pd.Timestamp("2100-12-31")

EXPECTED = {
    "str": "a non-empty text",
    "slug": "a lowercase ASCII area id such as 'hasselby-vallingby'",
    "area": "an area id of the area registry",
    "int": "a whole number",
    "float": "a number with a dot as decimal separator",
    "bool": "true/false (or 1/0, ja/nej)",
    "date": "a date YYYY-MM-DD",
}


class Located:
    """Where a table came from, to phrase errors: the file and how rows are counted."""

    def __init__(self, path: Path, header_rows: int, offset: int = 0):
        self.path = path
        self.header_rows = header_rows
        self.offset = offset  # rows before this chunk, when a large file is validated in chunks

    def row(self, position: int) -> int:
        return position + 1 + self.header_rows + self.offset


def fail(where: Located, position: int | None, column: str | None, value, expected: str) -> DataError:
    """Build the one-sentence error for a bad value."""
    parts = [str(where.path)]
    if position is not None:
        parts.append(f"row {where.row(position)}")
    if column is not None:
        parts.append(f"column '{column}'")
    if value is None:
        return DataError(f"{', '.join(parts)}: the cell is empty; expected {expected}")
    return DataError(f"{', '.join(parts)}: value {_show(value)} is not valid; expected {expected}")


def _show(value) -> str:
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _is_missing(series: pd.Series) -> pd.Series:
    missing = series.isna()
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        missing |= series.astype("string").str.strip().fillna("") == ""
    return missing


def parse_column(series: pd.Series, col: Column, where: Located) -> pd.Series:
    """Parse one column to its typed form, raising on the first bad value."""
    missing = _is_missing(series)
    if missing.any() and not col.nullable:
        pos = int(np.flatnonzero(missing.to_numpy())[0])
        raise fail(where, pos, col.name, None, f"a value (the column '{col.name}' may not be empty)")
    present = ~missing
    parser = _PARSERS[col.kind]
    parsed, bad = parser(series.where(present), present)
    bad = bad & present
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise fail(where, pos, col.name, series.iloc[pos], _expectation(col, series.iloc[pos]))
    _check_range(parsed, present, col, series, where)
    return parsed


def _expectation(col: Column, value) -> str:
    expected = EXPECTED[col.kind]
    text = str(value)
    if col.kind in ("float", "int") and "," in text:
        expected += " (decimal comma found: write 48.5, not 48,5)"
    return expected


def _check_range(parsed: pd.Series, present: pd.Series, col: Column, raw: pd.Series, where: Located) -> None:
    if col.allowed is not None:
        bad = present & ~parsed.isin(col.allowed)
        if bad.any():
            pos = int(np.flatnonzero(bad.to_numpy())[0])
            raise fail(where, pos, col.name, raw.iloc[pos], "one of " + ", ".join(col.allowed))
    if col.kind in ("int", "float") and (col.min is not None or col.max is not None):
        values = parsed.astype("float64")
        bad = pd.Series(False, index=parsed.index)
        if col.min is not None:
            bad |= values < col.min
        if col.max is not None:
            bad |= values > col.max
        bad &= present
        if bad.any():
            pos = int(np.flatnonzero(bad.to_numpy())[0])
            lo = "" if col.min is None else f"{col.min:g}"
            hi = "" if col.max is None else f"{col.max:g}"
            rng = f"between {lo} and {hi}" if lo and hi else (f"at least {lo}" if lo else f"at most {hi}")
            kind = "a number" if col.kind == "float" else EXPECTED[col.kind]
            hint = " (a share: write 0.25 for 25 %)" if col.name == "share" else ""
            raise fail(where, pos, col.name, raw.iloc[pos], f"{kind} {rng}{hint}")
    if col.kind == "date":
        bad = present & ((parsed < MIN_DATE) | (parsed > MAX_DATE))
        if bad.any():
            pos = int(np.flatnonzero(bad.to_numpy())[0])
            raise fail(where, pos, col.name, raw.iloc[pos], "a date between 1990-01-01 and 2100-12-31")


def _as_text(series: pd.Series) -> pd.Series:
    return series.astype("string").str.strip()


def _parse_str(series, present):
    return _as_text(series), pd.Series(False, index=series.index)


def _parse_slug(series, present):
    text = _as_text(series)
    return text, ~text.str.fullmatch(SLUG_PATTERN).fillna(False).astype(bool)


def _parse_int(series, present):
    if pd.api.types.is_integer_dtype(series.dtype):
        return series.astype("Int64"), pd.Series(False, index=series.index)
    if pd.api.types.is_float_dtype(series.dtype):
        values = series.astype("float64")
        bad = values.notna() & (values != np.round(values))
        return values.round().astype("Int64").where(~bad), bad
    text = _as_text(series)
    ok = text.str.fullmatch(r"[+-]?\d+").fillna(False).astype(bool)
    values = pd.to_numeric(text.where(ok), errors="coerce").astype("Int64")
    return values, ~ok


def _parse_float(series, present):
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        values = series.astype("float64")
        return values, ~np.isfinite(values.fillna(0.0))
    text = _as_text(series)
    ok = text.str.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?").fillna(False).astype(bool)
    values = pd.to_numeric(text.where(ok), errors="coerce").astype("float64")
    return values, ~ok


def _parse_bool(series, present):
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.astype("boolean"), pd.Series(False, index=series.index)
    text = _as_text(series).str.lower()
    is_true = text.isin(TRUE_WORDS).fillna(False).astype(bool)
    is_false = text.isin(FALSE_WORDS).fillna(False).astype(bool)
    values = pd.Series(pd.NA, index=series.index, dtype="boolean")
    values[is_true] = True
    values[is_false] = False
    return values, ~(is_true | is_false)


def _parse_date(series, present):
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        values = pd.to_datetime(series).dt.tz_localize(None) if getattr(series.dt, "tz", None) else series
        return values.astype("datetime64[ns]"), pd.Series(False, index=series.index)
    if series.dtype == object and len(series) and isinstance(series.dropna().iloc[0] if series.notna().any() else None, dt.date):
        values = pd.to_datetime(series, errors="coerce")
        return values.astype("datetime64[ns]"), values.isna()
    text = _as_text(series)
    shape_ok = text.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False).astype(bool)
    values = pd.to_datetime(text.where(shape_ok), format="%Y-%m-%d", errors="coerce")
    return values.astype("datetime64[ns]"), ~shape_ok | values.isna()


_PARSERS = {
    "str": _parse_str,
    "slug": _parse_slug,
    "area": _parse_slug,
    "int": _parse_int,
    "float": _parse_float,
    "bool": _parse_bool,
    "date": _parse_date,
}


def validate_frame(
    raw: pd.DataFrame, spec: TableSpec, where: Located, known_areas: set[str] | None, check_unique: bool = True
) -> pd.DataFrame:
    """Validate and type a whole table.

    Parameters
    ----------
    raw
        The table as read (CSV: every cell a string; Parquet: typed columns).
    spec
        The contract of the table.
    where
        The file, for the error messages.
    known_areas
        Area ids of the registry; ``None`` skips the check (used for the registry itself).
    check_unique
        Check the table's unique key (off for chunks of a large file, checked whole separately).

    Returns
    -------
    DataFrame with the contract columns parsed (extra columns are kept as they are).

    Raises
    ------
    DataError
        On the first row that breaks the contract.
    """
    raw = raw.reset_index(drop=True)
    missing = [c for c in spec.required_columns if c not in raw.columns]
    if missing:
        found = ", ".join(map(str, raw.columns)) or "no columns"
        raise DataError(
            f"{where.path}: required column '{missing[0]}' is missing "
            f"(the table {spec.name} needs {', '.join(spec.required_columns)}; found {found})"
        )
    out = raw.copy()
    for col in spec.columns:
        if col.name not in raw.columns:
            continue
        out[col.name] = parse_column(raw[col.name], col, where)
        if col.kind == "area" and known_areas is not None:
            values = out[col.name]
            bad = values.notna() & ~values.isin(known_areas)
            if bad.any():
                pos = int(np.flatnonzero(bad.to_numpy())[0])
                raise fail(where, pos, col.name, values.iloc[pos], "an area_id listed in the areas table")
    if spec.name == "weekly_assessments":
        _check_iso_weeks(out, where)
    if spec.unique and check_unique:
        dup = out.duplicated(list(spec.unique), keep="first")
        if dup.any():
            pos = int(np.flatnonzero(dup.to_numpy())[0])
            key = ", ".join(f"{k}={out[k].iloc[pos]}" for k in spec.unique)
            raise DataError(
                f"{where.path}, row {where.row(pos)}: duplicate {key}; "
                f"expected each ({', '.join(spec.unique)}) only once"
            )
    return out


def _check_iso_weeks(frame: pd.DataFrame, where: Located) -> None:
    """Week 53 exists only in ISO years that have 53 weeks."""
    weeks_in_year = {y: dt.date(int(y), 12, 28).isocalendar().week for y in frame["year"].dropna().unique()}
    limit = frame["year"].map(weeks_in_year)
    bad = frame["week"] > limit
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        year = int(frame["year"].iloc[pos])
        raise fail(
            where, pos, "week", frame["week"].iloc[pos], f"an ISO week 1–{weeks_in_year[year]} (ISO year {year} has {weeks_in_year[year]} weeks)"
        )
