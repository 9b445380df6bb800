"""Checks of the åtgärdsplan (the ``atgarder`` table) beyond its single cells: within a row (an end
before the start, an indicator without its kind) and against the other tables (a crime category,
survey question or indicator id that the data do not have).

Each problem is one Swedish sentence naming the file, the row (the header is row 1), the column,
the value and what was expected, reported once per column with how many more rows share it, as
every check of :mod:`lagesbild_lib.data.validate` does. The callers pass their ``where`` (file and
row numbering) and ``problems`` (the collector), so this module imports neither of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from lagesbild_lib.data.known_values import near_miss

#: Where the id of each kind of indicator is found, for the messages.
KIND_TABLES = {"brott": ("crime_categories", "category"), "enkät": ("survey", "question"), "indikator": ("indicators", "indicator")}


def _show(value) -> str:
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _add(problems, where, bad: pd.Series, column: str, check: object, message) -> None:
    positions = np.flatnonzero(bad.fillna(False).astype(bool).to_numpy())
    if len(positions):
        pos = int(positions[0])
        problems.add(message(pos), key=(str(where.path), column, check), more=len(positions) - 1, rows=" i samma kolumn")


def _at(where, pos: int, column: str) -> str:
    return f"{where.path}, rad {where.row(pos)}, kolumn '{column}'"


def check_measures(frame: pd.DataFrame, where, problems, clean: set[str]) -> None:
    """Row checks of ``atgarder``: ``end`` not before ``start``; ``indicator`` and
    ``indicator_kind`` given together; a ``baseline_year`` or ``target`` only with an indicator;
    a ``survey`` only for a survey question."""
    if {"start", "end"} <= clean:
        early = frame["end"].notna() & (frame["end"] < frame["start"])
        _add(problems, where, early, "end", "before-start", lambda pos: (
            f"{_at(where, pos, 'end')}: värdet {_show(frame['end'].iloc[pos].date())} är inte giltigt; "
            f"förväntade ett slutdatum som inte ligger före startdatumet {frame['start'].iloc[pos].date()}"
        ))
    has_kind = frame["indicator_kind"].notna() if "indicator_kind" in clean else None
    has_id = frame["indicator"].notna() if "indicator" in clean else None
    if has_kind is not None and has_id is not None:
        _add(problems, where, has_kind & ~has_id, "indicator", "without-id", lambda pos: (
            f"{_at(where, pos, 'indicator')}: cellen är tom; förväntade id:t på det som följer åtgärden "
            f"(indicator_kind är {_show(frame['indicator_kind'].iloc[pos])})"
        ))
        _add(problems, where, has_id & ~has_kind, "indicator_kind", "without-kind", lambda pos: (
            f"{_at(where, pos, 'indicator_kind')}: cellen är tom; förväntade brott, enkät eller indikator "
            f"(vad indikatorn {_show(frame['indicator'].iloc[pos])} är)"
        ))
    if has_id is not None:
        for column in ("baseline_year", "target"):
            if column in clean:
                _add(problems, where, frame[column].notna() & ~has_id, column, "without-indicator", lambda pos, column=column: (
                    f"{_at(where, pos, column)}: värdet {_show(frame[column].iloc[pos])} är inte giltigt; "
                    "förväntade en tom cell när åtgärden inte har någon indikator (kolumnen indicator är tom)"
                ))
    if has_kind is not None and "survey" in clean:
        _add(problems, where, frame["survey"].notna() & (frame["indicator_kind"] != "enkät"), "survey", "not-survey", lambda pos: (
            f"{_at(where, pos, 'survey')}: värdet {_show(frame['survey'].iloc[pos])} är inte giltigt; "
            "förväntade en tom cell när indikatorn inte är en enkätfråga (indicator_kind enkät)"
        ))


def check_plan_references(frame: pd.DataFrame, where, problems, known: Mapping[str, Iterable[str] | None]) -> None:
    """Every indicator of the plan names something the data have: a category of
    ``crime_categories`` (kind ``brott``), a question of ``survey`` (``enkät``) or an indicator of
    ``indicators`` (``indikator``); a near miss gets "menade du". ``known[kind]`` is None when the
    table is absent: every table but the required ones is optional (DESIGN §6), so the plan is
    not refused for it; the follow-up says that the measure cannot be followed up."""
    if "indicator_kind" not in frame or "indicator" not in frame:
        return
    for kind, (table, column) in KIND_TABLES.items():
        rows = frame["indicator_kind"].eq(kind).fillna(False).astype(bool) & frame["indicator"].notna()
        if not rows.any():
            continue
        ids = known.get(kind)
        if ids is None:
            continue
        values = frame["indicator"]
        for value in values[rows].unique():
            if value in set(ids):
                continue
            same = rows & values.eq(value).fillna(False).astype(bool)
            expected = _expected_reference(str(value), sorted(ids), table, column)
            _add(problems, where, same, "indicator", ("reference", kind, value),
                 lambda pos, value=value, expected=expected: f"{_at(where, pos, 'indicator')}: värdet {_show(value)} är inte giltigt; {expected}")


def _expected_reference(value: str, ids: list[str], table: str, column: str) -> str:
    """What an unknown indicator id should have been: "menade du …?" for a near miss."""
    meant = near_miss(value, ids)
    if meant is not None:
        return f"menade du {meant!r}?"
    return f"förväntade ett värde i kolumnen {column} i tabellen {table}"


def known_references(data) -> dict[str, set[str] | None] | None:
    """The ids the plan's indicators may name, per kind, from a
    :class:`~lagesbild_lib.data.dataset.DataSet` (None for a kind whose table is absent); None
    when one of those tables is broken (its own problems are reported where it is validated)."""
    from lagesbild_lib.errors import DataError

    known: dict[str, set[str] | None] = {}
    try:
        for kind, (table, column) in KIND_TABLES.items():
            frame = data.table(table)
            known[kind] = None if frame is None else {str(v) for v in frame[column].dropna().unique()}
    except DataError:
        return None
    return known
