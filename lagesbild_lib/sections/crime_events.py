"""Chapter 2's critical events: explosions, shootings, arson attacks and the like in the report's
period (1 January–``period_end``, the span of the chapter's other counts; every piece names it).

The events come from the ``critical_events`` table, each counted in the sub-area it happened in (or
below). Three sections show them: a sentence with the count per type, a table by type and sub-area,
and a timeline by month and sub-area. Small counts are masked as everywhere in the report, and the
timeline is left out when it would give a masked count away. The chapter module
:mod:`lagesbild_lib.sections.brottslighet` imports these sections, so the notebook reaches them
there.
"""

from __future__ import annotations

import pandas as pd

from lagesbild_lib.analysis import disclosure
from lagesbild_lib.analysis.crime import dated_in_period
from lagesbild_lib.context import ChapterContext
from lagesbild_lib.figures.crime import plot_event_timeline
from lagesbild_lib.present.fmt import MONTHS_SHORT, fmt_int, fmt_period
from lagesbild_lib.present.pieces import Chart, Missing, Table, Text
from lagesbild_lib.present.text import capitalise, join_sv, plural
from lagesbild_lib.sections.crime_facts import small as _small


def _events(ctx: ChapterContext) -> pd.DataFrame | None:
    events = ctx.data.table("critical_events")
    if events is None:
        return None
    rows = [a.area_id for a in ctx.sub_areas] or [ctx.area.area_id]
    owner = ctx.areas.owner_map(rows)
    owner.setdefault(ctx.area.area_id, ctx.area.area_id)
    mine = dated_in_period(events[events["area_id"].isin(owner)], "event_date", ctx.year, ctx.period_end).copy()
    mine["owner"] = mine["area_id"].map(owner)
    return mine.sort_values("event_date")


def _period(ctx: ChapterContext) -> str:
    """The span of every piece here: ``"1 jan–31 okt 2023"``."""
    return fmt_period(ctx.period_start, ctx.period_end)


def events_text(ctx: ChapterContext) -> Text | Missing:
    """"Under perioden 1 jan–31 okt 2023 inträffade 5 sprängningar, 2 brandattentat och 1 skjutning …"."""
    events = _events(ctx)
    if events is None:
        return Missing("Kritiska händelser kan inte visas: tabellen critical_events saknas i datamappen.")
    if events.empty:
        return Text(f"Under perioden {_period(ctx)} registrerades inga kritiska händelser i {ctx.area.name}.")
    small = _small(ctx)
    counts = {str(k): int(v) for k, v in events["type"].value_counts().items()}
    sentence = f"Under perioden {_period(ctx)} inträffade {disclosure.count_sentence(counts, small)} i {ctx.area.name}"
    fatal = int(events["fatal"].fillna(False).astype(bool).sum()) if "fatal" in events else 0
    if fatal:
        sentence += f", varav {disclosure.count_phrase(fatal, 'händelse', small, words=True)} med dödlig utgång"
    return Text(sentence + ".")


def events_table(ctx: ChapterContext) -> Table | None:
    """Tabell: critical events of the period by type and sub-area."""
    events = _events(ctx)
    if events is None or events.empty:
        return None
    events = events.assign(name=events["owner"].map(ctx.areas.name), fatal=events.get("fatal", False))
    pivot = events.pivot_table(index="type", columns="name", values="event_date", aggfunc="count", fill_value=0)
    pivot["Totalt"] = pivot.sum(axis=1)
    pivot["varav dödlig utgång"] = events.groupby("type")["fatal"].apply(lambda s: int(s.fillna(False).astype(bool).sum()))
    pivot = pivot.sort_values(["Totalt"], ascending=False).reset_index().rename(columns={"type": "Typ av händelse"})
    small = _small(ctx)
    counts = list(pivot.columns[1:])
    shown = pivot.copy()
    # row labels begin with a capital, as in every other table of the report ("Skjutning")
    shown["Typ av händelse"] = shown["Typ av händelse"].map(capitalise)
    for col in counts:
        shown[col] = shown[col].map(lambda v: disclosure.mask_count(v, small))
    masked = disclosure.any_masked(pivot[counts].to_numpy().ravel(), small)
    return Table(
        caption=f"Kritiska händelser i {ctx.area.name} {_period(ctx)} per typ och delområde",
        table=shown,
        data=disclosure.mask_data(pivot, counts, small),
        note=disclosure.with_note("", small, masked),
    )


def events_timeline(ctx: ChapterContext) -> Chart | Missing | None:
    """Diagram: the period's critical events by month and sub-area, fatal ones ringed; the months
    after the period end are shaded."""
    events = _events(ctx)
    if events is None or events.empty:
        return None
    rows = [a.area_id for a in ctx.sub_areas] or [ctx.area.area_id]
    names = {a: ctx.areas.name(a) for a in rows}
    busiest = events["owner"].value_counts()
    # "flest i" names every sub-area with the most events: one of two with one event each is not "the most"
    most = sorted(names.get(a, a) for a in busiest.index[busiest == busiest.iloc[0]])
    alt = (
        f"Tidslinje över de kritiska händelserna i {ctx.area.name} {_period(ctx)} ({plural(len(events), 'händelse', words=True)}) per månad och delområde; "
        f"flest i {join_sv(most)} ({fmt_int(busiest.iloc[0])}{' vardera' if len(most) > 1 else ''})."
    )
    data = events.assign(Månad=events["event_date"].dt.month.map(lambda m: MONTHS_SHORT[m - 1]), Delområde=events["owner"].map(names))
    data = data.groupby(["Månad", "Delområde", "type"], sort=False).size().rename("Antal").reset_index().rename(columns={"type": "Typ"})
    small = _small(ctx)
    totals = list(events["type"].value_counts()) + list(busiest) + list(data["Antal"])
    if disclosure.any_masked(totals, small):
        # every event is a mark of its own on the timeline: counting them would give small counts away
        return Missing(disclosure.left_out(f"Tidslinjen över de kritiska händelserna i {ctx.area.name} {_period(ctx)}", small, any_small=True))
    return Chart(
        figure=plot_event_timeline(events, rows, names, f"Kritiska händelser {_period(ctx)}", period_end=ctx.period_end),
        caption=f"Kritiska händelser i {ctx.area.name} {_period(ctx)} per månad och delområde",
        alt=alt,
        data=data,
        note="" if (ctx.period_end.month, ctx.period_end.day) == (12, 31) else "Grått fält: tiden efter periodens slut, som inte ingår.",
    )
