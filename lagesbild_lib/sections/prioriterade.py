"""Chapter 4, Prioriterade samverkansområden."""

from __future__ import annotations

from ..context import ChapterContext
from ..present import Table, Text
from ..priority import cooperation_markdown, cooperation_status_table, sources_table


def status_table(ctx: ChapterContext) -> Table:
    """Tabell: the five cooperation areas and their status from params."""
    return Table(caption=f"Status för de prioriterade samverkansområdena, {ctx.area.name} {ctx.year}", table=cooperation_status_table(ctx.params))


def cooperation_texts(ctx: ChapterContext) -> Text:
    """Each cooperation area: description, status and the analysts' comment."""
    return Text(cooperation_markdown(ctx.params))


def local_priorities(ctx: ChapterContext) -> Text:
    """The local priority areas from params."""
    items = ctx.params.local_priority_areas
    if not items:
        return Text("*Inga lokala prioriterade områden angivna i params (local_priority_areas).*")
    return Text("\n\n".join(f"### {i.title}\n\n{i.description}\n\n{i.comment}" for i in items))


def sources(ctx: ChapterContext) -> Table:
    """Tabell: Källor, from params and the data files used."""
    return Table(caption="Källor", table=sources_table(ctx.params, ctx.data))
