"""Small helpers shared by the chapter sections."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from lagesbild_lib.context import ChapterContext
from lagesbild_lib.data.schema import TABLES
from lagesbild_lib.present.pieces import Missing, Text

R = TypeVar("R")


def per_context(compute: Callable[[ChapterContext], R]) -> Callable[[ChapterContext], R]:
    """Compute a chapter's numbers once per context: the notebook calls several sections with
    the same ``ctx``, and each asks for the same analysis. Only the latest context is kept (a
    kernel runs one chapter at a time), so nothing outlives the chapter that needed it."""
    latest: list[tuple[ChapterContext, R]] = []

    @functools.wraps(compute)
    def cached(ctx: ChapterContext) -> R:
        if latest and latest[0][0] is ctx:
            return latest[0][1]
        result = compute(ctx)
        latest[:] = [(ctx, result)]
        return result

    return cached


def missing_table(ctx: ChapterContext, table: str, what: str) -> Missing:
    """The sentence a chapter shows when an optional table is absent."""
    description = TABLES[table].description if table in TABLES else table
    return Missing(
        f"{what} kan inte visas: tabellen {table} ({description.lower()}) saknas i datamappen."
    )


def narrative(ctx: ChapterContext, key: str, fallback: str) -> Text:
    """The analysts' Markdown text for ``key`` from params, or a plain note that it is not written yet."""
    text = ctx.params.narrative.get(key, "").strip()
    return Text(text if text else f"*{fallback}*")


def empty_filter(message: str) -> Missing:
    """The visible note for a section whose table has rows, but none for the report's area and
    year (the filter that came up empty is named in ``message``); the build prints it as a warning."""
    return Missing(message, warning=True)


def missing_table_geo(what: str, file: str, description: str) -> Missing:
    """The sentence shown when a GeoJSON layer is absent."""
    return Missing(f"{what} kan inte visas: {description} ({file}) saknas i datamappen.")


def crimes_or_none(ctx: ChapterContext):
    """The area's crimes (row level) of every year up to the report's, or None when only
    aggregated counts exist. Only those rows are read (predicate pushdown for Parquet)."""
    years = ctx.data.crime_years
    if not years:
        return None
    return ctx.data.crimes_for(ctx.areas.descendants(ctx.area.area_id), years[0], ctx.year)
