"""Small helpers shared by the chapter sections."""

from __future__ import annotations

from ..context import ChapterContext
from ..data.schema import TABLES
from ..present import Missing, Text


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


def area_label(ctx: ChapterContext) -> str:
    return ctx.area.name


def crimes_or_none(ctx: ChapterContext):
    """The area's crimes (row level), or None when only aggregated counts exist."""
    from ..crime import area_crimes

    crimes = ctx.data.table("crimes")
    return None if crimes is None else area_crimes(crimes, ctx.areas, ctx.area.area_id)
