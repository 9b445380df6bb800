"""Chapter 2, Beskrivning av brottsligheten."""

from __future__ import annotations

from ..context import ChapterContext
from ..crime import compstat_table, yearly_period_counts
from ..figures import plot_yearly_counts, yearly_counts_alt
from ..fmt import MONTHS_SHORT, fmt_period
from ..present import Chart, Missing, Table
from ..tables import compstat_data, compstat_display
from .common import crimes_or_none


def compstat(ctx: ChapterContext) -> Table | Missing:
    """Tabell: CompStat, this year's period against the same period last year."""
    crimes = crimes_or_none(ctx)
    if crimes is None:
        return Missing("CompStat-tabellen kräver brott på radnivå (tabellen crimes), som saknas i datamappen.")
    table = compstat_table(crimes, ctx.data.table("crime_categories"), ctx.year, ctx.period_end)
    period = fmt_period(ctx.period_start, ctx.period_end)
    shown = compstat_display(table, ctx.year)
    return Table(
        caption=f"CompStat {ctx.area.name}. Anmälda brott i urval, {period} jämfört med samma period {ctx.year - 1}",
        table=shown,
        numeric=tuple(shown.columns[1:-1]),
        data=compstat_data(table, ctx.year),
        note="Statistiskt säkerställd: exakt Poissontest, p < 0,05. Få fall: färre än 20 brott sammanlagt de två perioderna.",
    )


def yearly_trend(ctx: ChapterContext) -> Chart | Missing:
    """Diagram: CompStat groups per year over all years, each cut at the same period end."""
    crimes = crimes_or_none(ctx)
    if crimes is None:
        return Missing("Utvecklingen över åren kräver tabellen crimes, som saknas i datamappen.")
    years = [y for y in ctx.data.crime_years if y <= ctx.year]
    frame = yearly_period_counts(crimes, ctx.data.table("crime_categories"), ctx.period_end, years)
    period = f"1 jan–{ctx.period_end.day} {MONTHS_SHORT[ctx.period_end.month - 1]}"
    what = f"anmälda brott i urval i {ctx.area.name}, {period} varje år"
    return Chart(
        figure=plot_yearly_counts(frame, f"Anmälda brott i urval, {period}"),
        caption=f"Anmälda brott i urval per år i {ctx.area.name}, {period} varje år {years[0]}–{years[-1]}",
        alt=yearly_counts_alt(frame, what),
        data=frame.reset_index(),
    )
