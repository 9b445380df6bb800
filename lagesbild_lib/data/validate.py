"""Validation of one contract table against its :class:`~lagesbild_lib.data.schema.TableSpec`.

Every present table is validated whole (all rows, all years). Each problem is one sentence naming
the file, the row (counted as a spreadsheet does: the header is row 1), the column, the value and
what was expected. Problems are collected in :class:`Problems` (a bad column is reported once, at
its first bad row, with how many more rows are bad), so that ``lagesbild check`` lists them all;
they are raised together as :class:`DataErrors`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from lagesbild_lib.errors import DataError, plural
from lagesbild_lib.data.known_values import ANSWER_YES, CONSISTENT, KNOWN, Selections, fold, near_miss
from lagesbild_lib.data.schema import Column, TableSpec

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
TRUE_WORDS = {"true", "1", "ja", "sant"}
FALSE_WORDS = {"false", "0", "nej", "falskt"}
MIN_DATE = pd.Timestamp("1990-01-01")
MAX_DATE = pd.Timestamp("2100-12-31")
LIMIT = 50  # problems shown; the count line gives how many were found

EXPECTED = {
    "str": "en text som inte är tom",
    "slug": "ett områdes-id med små ASCII-bokstäver som 'hasselby-vallingby'",
    "area": "ett områdes-id ur områdesregistret",
    "int": "ett heltal",
    "float": "ett tal med punkt som decimaltecken",
    "bool": "true/false (eller 1/0, ja/nej)",
    "date": "ett datum ÅÅÅÅ-MM-DD",
    "datetime": "en lokal tidpunkt ÅÅÅÅ-MM-DDTHH:MM (t.ex. 2023-05-14T22:30)",
}


class DataErrors(DataError):
    """Every problem found in a data folder (or one table): ``messages`` (the first :data:`LIMIT`)
    and ``total``. Its text is the one sentence when there is one problem, else one line each and
    a count line."""

    def __init__(self, messages: list[str], total: int):
        self.messages = list(messages)
        self.total = total
        lines = self.messages if total == 1 else [*self.messages, count_line(total, len(self.messages))]
        super().__init__("\n".join(lines))


def count_line(total: int, shown: int) -> str:
    """``"5 fel i indata; ingenting kördes."`` (with how many are shown when not all)."""
    more = f" (de första {shown} visas)" if shown < total else ""
    return f"{total} fel i indata{more}; ingenting kördes."


class Problems:
    """The problems found, in the order found. The same problem (same file, column and check, or
    the same bad value) met again, e.g. in the next chunk of a large file, adds to its row count."""

    def __init__(self, limit: int = LIMIT):
        self.limit = limit
        self._entries: dict[object, list] = {}  # key -> [message, more rows, kind of rows]
        self._unseen = 0  # problems counted elsewhere whose message was left out there

    def add(self, error: DataError | str, key: object = None, more: int = 0, rows: str = "") -> None:
        if isinstance(error, DataErrors):
            for message in error.messages:
                self.add(message)
            self._unseen += error.total - len(error.messages)
            return
        key = key if key is not None else ("message", str(error), len(self._entries))
        if key in self._entries:
            self._entries[key][1] += 1 + more
        else:
            self._entries[key] = [str(error), more, rows]

    def __len__(self) -> int:
        return len(self._entries) + self._unseen

    @property
    def messages(self) -> list[str]:
        out = []
        for message, more, rows in list(self._entries.values())[: self.limit]:
            out.append(f"{message} (och {plural(more, 'rad', 'rader')} till{rows})" if more else message)
        return out

    def error(self) -> DataErrors:
        return DataErrors(self.messages, len(self))

    def raise_if_any(self) -> None:
        if len(self):
            raise self.error()


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
        parts.append(f"rad {where.row(position)}")
    if column is not None:
        parts.append(f"kolumn '{column}'")
    if value is None:
        return DataError(f"{', '.join(parts)}: cellen är tom; förväntade {expected}")
    return DataError(f"{', '.join(parts)}: värdet {_show(value)} är inte giltigt; förväntade {expected}")


def misspelt(where: Located, position: int, column: str, value, meant: str, note: str = "") -> DataError:
    """The error for a near miss of a known value: "… värdet 'Alla' är inte giltigt; menade du 'alla'?"."""
    return DataError(
        f"{where.path}, rad {where.row(position)}, kolumn '{column}': värdet {_show(value)} är inte giltigt; "
        f"menade du {meant!r}{note}?"
    )


def _show(value) -> str:
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _report(problems: Problems, where: Located, bad: pd.Series, column: str, check: object, error, rows: str = " i samma kolumn") -> None:
    """Report a column's bad rows once: the first, with how many more there are."""
    positions = np.flatnonzero(bad.fillna(False).astype(bool).to_numpy())
    if len(positions):
        pos = int(positions[0])
        problems.add(error(pos), key=(str(where.path), column, check), more=len(positions) - 1, rows=rows)


def _is_missing(series: pd.Series) -> pd.Series:
    missing = series.isna()
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        missing |= series.astype("string").str.strip().fillna("") == ""
    return missing


def parse_column(series: pd.Series, col: Column, where: Located, problems: Problems | None = None) -> pd.Series:
    """Parse one column to its typed form; bad values become missing and are reported to
    ``problems`` (raised at once without it)."""
    own = Problems() if problems is None else problems
    missing = _is_missing(series)
    if not col.nullable:
        expected = f"ett värde (kolumnen '{col.name}' får inte vara tom)"
        _report(own, where, missing, col.name, "empty", lambda pos: fail(where, pos, col.name, None, expected))
    present = ~missing
    parser = _PARSERS[col.kind]
    parsed, bad = parser(series.where(present), present)
    bad = bad & present
    _report(own, where, bad, col.name, "parse",
            lambda pos: fail(where, pos, col.name, series.iloc[pos], _expectation(col, series.iloc[pos])))
    if bad.any():
        parsed = parsed.where(~bad)
    _check_range(parsed, present & ~bad, col, series, where, own)
    if problems is None:
        own.raise_if_any()
    return parsed


def _expectation(col: Column, value) -> str:
    expected = EXPECTED[col.kind]
    text = str(value)
    if col.kind in ("float", "int") and "," in text:
        expected += " (decimalkomma hittades: skriv 48.5, inte 48,5)"
    return expected


def _check_range(parsed: pd.Series, present: pd.Series, col: Column, raw: pd.Series, where: Located, problems: Problems) -> None:
    def report(bad: pd.Series, check: str, expected: str) -> None:
        _report(problems, where, bad, col.name, check, lambda pos: fail(where, pos, col.name, raw.iloc[pos], expected))

    if col.allowed is not None:
        report(present & ~parsed.isin(col.allowed), "allowed", "ett av " + ", ".join(col.allowed))
    if col.kind in ("int", "float") and (col.min is not None or col.max is not None):
        values = parsed.astype("float64")
        bad = pd.Series(False, index=parsed.index)
        if col.min is not None:
            bad |= values < col.min
        if col.max is not None:
            bad |= values > col.max
        lo = "" if col.min is None else f"{col.min:g}"
        hi = "" if col.max is None else f"{col.max:g}"
        rng = f"mellan {lo} och {hi}" if lo and hi else (f"minst {lo}" if lo else f"högst {hi}")
        kind = "ett tal" if col.kind == "float" else EXPECTED[col.kind]
        hint = " (en andel: skriv 0.25 för 25 %)" if col.name == "share" else ""
        report((bad & present).fillna(False).astype(bool), "range", f"{kind} {rng}{hint}")
    if col.kind in ("date", "datetime"):
        bad = present & ((parsed < MIN_DATE) | (parsed > MAX_DATE)).fillna(False).astype(bool)
        report(bad, "range", "ett datum mellan 1990-01-01 och 2100-12-31")
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


def _parse_datetime(series, present):
    """Local time ``YYYY-MM-DDTHH:MM`` (seconds allowed, no time zone); Parquet timestamps as they are
    (with a time zone: converted to Swedish local time)."""
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        if getattr(series.dt, "tz", None) is not None:
            series = series.dt.tz_convert("Europe/Stockholm").dt.tz_localize(None)
        return _parse_date(series, present)
    text = _as_text(series)
    shape_ok = text.str.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?").fillna(False).astype(bool)
    values = pd.to_datetime(text.where(shape_ok), format="ISO8601", errors="coerce")
    return values.astype("datetime64[ns]"), ~shape_ok | values.isna()


_PARSERS = {
    "str": _parse_str,
    "slug": _parse_slug,
    "area": _parse_slug,
    "int": _parse_int,
    "float": _parse_float,
    "bool": _parse_bool,
    "date": _parse_date,
    "datetime": _parse_datetime,
}


def validate_frame(
    raw: pd.DataFrame, spec: TableSpec, where: Located, known_areas: set[str] | None, check_unique: bool = True,
    problems: Problems | None = None, selections: Selections | None = None,
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
    problems
        Where to report problems; without it, they are raised at the end.
    selections
        The survey question ids the report selects on (default: the standard ones).

    Returns
    -------
    DataFrame with the contract columns parsed (extra columns are kept as they are; a bad value
    is missing in it).

    Raises
    ------
    DataErrors
        Without ``problems``: every problem of the table.
    """
    own = Problems() if problems is None else problems
    raw = raw.reset_index(drop=True)
    missing = [c for c in spec.required_columns if c not in raw.columns]
    if missing:
        found = ", ".join(map(str, raw.columns)) or "inga kolumner"
        which = f"den obligatoriska kolumnen '{missing[0]}'" if len(missing) == 1 else "de obligatoriska kolumnerna " + ", ".join(f"'{c}'" for c in missing)
        own.add(f"{where.path}: {which} saknas (tabellen {spec.name} behöver {', '.join(spec.required_columns)}; hittade {found})")
    out = raw.copy()
    clean: set[str] = set()
    for col in spec.columns:
        if col.name not in raw.columns:
            continue
        count = len(own)
        out[col.name] = parse_column(raw[col.name], col, where, own)
        if col.kind == "area" and known_areas is not None:
            values = out[col.name]
            bad = values.notna() & ~values.isin(known_areas)
            _report(own, where, bad, col.name, "area",
                    lambda pos: fail(where, pos, col.name, values.iloc[pos], "ett area_id som finns i tabellen areas"))
        if len(own) == count:
            clean.add(col.name)
    if spec.name == "weekly_assessments" and {"year", "week"} <= clean:
        _check_iso_weeks(out, where, own)
    if spec.name == "crimes" and {"occurred_at", "reported_date"} <= clean:  # a crime happens before it is reported
        late = (out["occurred_at"].dt.normalize() > out["reported_date"]).fillna(False)
        _report(own, where, late, "occurred_at", "after-report", lambda pos: fail(
            where, pos, "occurred_at", raw["occurred_at"].iloc[pos],
            f"en tidpunkt senast anmälningsdagen {out['reported_date'].iloc[pos]:%Y-%m-%d} (reported_date)"))
    if spec.name == "programme_ratings" and "group_name" in clean:  # one name per group
        from lagesbild_lib.data.rating_checks import check_group_names

        check_group_names(out, where, own)
    if spec.name == "atgarder":
        from lagesbild_lib.data.plan_checks import check_measures

        check_measures(out, where, own, clean)
    check_known(out, spec.name, where, own, selections or Selections(), clean)
    # The key is made of the key columns the table has: an optional key column that is absent
    # (e.g. indicators without ``sex``) takes no part, one that is present must be clean.
    unique = [k for k in spec.unique if k in out.columns]
    if unique and check_unique and set(unique) <= clean:
        dup = out.duplicated(unique, keep="first")
        if dup.any():
            pos = int(np.flatnonzero(dup.to_numpy())[0])
            key = ", ".join(f"{k}={out[k].iloc[pos]}" for k in unique)
            own.add(
                f"{where.path}, rad {where.row(pos)}: {key} finns redan; förväntade varje ({', '.join(unique)}) bara en gång",
                key=(str(where.path), "unique"), more=int(dup.sum()) - 1, rows=" med dubblerad nyckel",
            )
    if problems is None:
        own.raise_if_any()
    return out


def _check_iso_weeks(frame: pd.DataFrame, where: Located, problems: Problems) -> None:
    """Week 53 exists only in ISO years that have 53 weeks."""
    weeks_in_year = {y: dt.date(int(y), 12, 28).isocalendar().week for y in frame["year"].dropna().unique()}
    limit = frame["year"].map(weeks_in_year)
    bad = (frame["week"] > limit).fillna(False).astype(bool)

    def error(pos: int) -> DataError:
        year = int(frame["year"].iloc[pos])
        return fail(where, pos, "week", frame["week"].iloc[pos],
                    f"en ISO-vecka 1–{weeks_in_year[year]} (ISO-året {year} har {weeks_in_year[year]} veckor)")

    _report(problems, where, bad, "week", "iso-week", error)


def check_known(frame: pd.DataFrame, table: str, where: Located, problems: Problems, selections: Selections, clean: set[str]) -> None:
    """Refuse near misses of the values the chapters select on (DESIGN §6), with "did you mean".

    A value that differs from a known one (:mod:`~lagesbild_lib.data.known_values`) only in case,
    diacritics or a small spelling slip is refused; so is one of two values of the same column
    that differ only in case or diacritics (the less used one). Each bad value is reported once.
    """
    known = {column: values for (name, column), values in KNOWN.items() if name == table}
    if table == "survey":
        known["question"] = selections.questions
        known["answer"] = (ANSWER_YES,)
    for column in CONSISTENT.get(table, ()):
        if column not in clean:
            continue
        values = frame[column]
        refused: set = set()
        if table == "survey" and column == "answer":
            if "question" in clean:  # the answer counted is "ja" only for the yes/no questions
                yes_no = values.where(frame["question"].isin(selections.yes_no))
                refused = _refuse_near_misses(column, yes_no, known[column], where, problems)
        elif column in known:
            named = selections.named if (table, column) == ("survey", "question") else ()
            refused = _refuse_near_misses(column, values, known[column], where, problems, named)
        _refuse_variants(column, values, known.get(column, ()), where, problems, refused)


def _refuse_near_misses(column, values: pd.Series, known, where: Located, problems: Problems, named=()) -> set:
    """Report each value that is a near miss of a known one; return those values."""
    refused = set()
    for value in values.dropna().unique():
        meant = near_miss(str(value), known)
        if meant is not None:
            refused.add(value)
            note = " (som params anger)" if meant in named else ""
            _report(problems, where, values == value, column, ("value", value),
                    lambda pos, value=value, meant=meant, note=note: misspelt(where, pos, column, value, meant, note),
                    rows=" med samma värde")
    return refused


def _refuse_variants(column, values: pd.Series, known, where: Located, problems: Problems, refused: set) -> None:
    """Two spellings of one value in a column (``'Gsrs'`` beside ``'GSRS'``): the less used is refused."""
    counts = values.dropna().value_counts(sort=False)
    if len(counts) < 2:
        return
    groups: dict[str, list] = {}
    for value, n in counts.items():
        groups.setdefault(fold(value), []).append((value, int(n)))
    for spellings in groups.values():
        if len(spellings) < 2:
            continue
        first = {v: int(np.flatnonzero((values == v).fillna(False).to_numpy(dtype=bool))[0]) for v, _ in spellings}
        main = max(spellings, key=lambda s: (s[0] in known, s[1], -first[s[0]]))[0]
        for value, _ in spellings:
            if value != main and value not in refused:
                _report(problems, where, values == value, column, ("value", value),
                        lambda pos, value=value, main=main: misspelt(where, pos, column, value, main), rows=" med samma värde")
