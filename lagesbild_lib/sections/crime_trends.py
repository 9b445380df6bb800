"""Chapter 2's trends over the years: the CompStat groups per year, one small chart per category,
the average yearly change per category (Poisson regression) and the "har ökat/minskat varje år
sedan" statements. The chapter module :mod:`lagesbild_lib.sections.brottslighet` imports these
sections, so the notebook reaches them there.

A series break (params ``series_breaks``) inside the years shown is marked in the charts and named
in their notes; a trend is never fitted across it: it covers only the years from the break on, or
is "ej beräknad (serieuppbrott)" when fewer than three years remain.
"""

from __future__ import annotations


import pandas as pd

from lagesbild_lib.analysis import breaks as series_breaks, disclosure
from lagesbild_lib.analysis.crime import yearly_period_counts
from lagesbild_lib.analysis.findings import trend_findings
from lagesbild_lib.analysis.trend import Trend, bounded_pct, poisson_trend
from lagesbild_lib.context import ChapterContext
from lagesbild_lib.figures.common import plot_yearly_counts, yearly_counts_alt
from lagesbild_lib.figures.crime import plot_category_trends
from lagesbild_lib.params import SeriesBreak
from lagesbild_lib.present.fmt import fmt_int, fmt_pct
from lagesbild_lib.present.pieces import Chart, Missing, Table, Text
from lagesbild_lib.present.text import capitalise, change_wording, count_of, in_sentence, join_sv
from lagesbild_lib.sections.crime_facts import NO_CRIMES, breaks_by_label, breaks_in, breaks_note, facts, period, small

#: A trend that would span a series break and has too few years after it.
NOT_FITTED = "ej beräknad (serieuppbrott)"
REFIT_NOTE = "Där en serie har ett serieuppbrott skattas trenden bara på åren från uppbrottet (minst tre år); annars anges den som ej beräknad."


def fitted(series: dict, found: list[SeriesBreak]) -> tuple[Trend | None, int | None]:
    """The Poisson trend of ``series`` over the years since its last break in ``found`` (all its
    years when there is none), and the year the fit starts from when a break cut it."""
    part, since = series_breaks.unbroken_part(series, [b.year for b in found])
    return poisson_trend(part), since


def yearly_trend(ctx: ChapterContext) -> Chart | Missing:
    """Diagram: CompStat groups per year over all years, each cut at the same period end."""
    f = facts(ctx)
    if f is None:
        return Missing(f"Utvecklingen över åren {NO_CRIMES}.")
    frame = yearly_period_counts(f.crimes, f.categories, ctx.period_end, f.years)
    shown_period = period(ctx)
    threshold = small(ctx)
    what = f"anmälda brott i urval i {ctx.area.name}, {shown_period} varje år"
    if disclosure.mostly_masked(frame.to_numpy().ravel(), threshold):
        return Missing(disclosure.left_out(f"Diagrammet över {what}", threshold))
    masked = disclosure.any_masked(frame.to_numpy().ravel(), threshold)
    chosen = f.categories.loc[f.categories["compstat"].fillna(False).astype(bool), "category"]
    found = breaks_in(ctx, f, chosen, f.years)
    note = breaks_note(f, found)
    alt = _masked_yearly_alt(frame, what, threshold) if masked else yearly_counts_alt(frame, what)
    return Chart(
        figure=plot_yearly_counts(
            disclosure.hidden_in_chart(frame, threshold), f"Anmälda brott i urval, {shown_period}",
            breaks=series_breaks.positions(f.years, [b.year for b in found]),
        ),
        caption=f"Anmälda brott i urval per brottsgrupp i {ctx.area.name}, {shown_period} varje år {f.years[0]}–{f.years[-1]}",
        alt=f"{alt} {note}".strip(),
        data=disclosure.mask_wide(frame, threshold, display=False).reset_index(),
        note=disclosure.with_note(note + (" Streckad linje: serieuppbrott." if found else ""), threshold, masked, chart=True),
    )


def _masked_yearly_alt(frame: pd.DataFrame, what: str, threshold: int) -> str:
    """Alt text of a yearly line chart whose small counts are masked."""
    first, last = frame.index[0], frame.index[-1]
    parts = [
        f"{str(col).lower()} från {disclosure.count_words(frame.loc[first, col], threshold)} år {first} "
        f"till {disclosure.count_words(frame.loc[last, col], threshold)} år {last}"
        for col in frame.columns
    ]
    return f"Linjediagram över {what}: {join_sv(parts)}."


def category_trends(ctx: ChapterContext) -> Chart | Missing | None:
    """Diagram: one small chart per CompStat category over all years."""
    f = facts(ctx)
    if f is None or len(f.years) < 2:
        return None
    frame = f.category_years
    threshold = small(ctx)
    if disclosure.mostly_masked(frame.to_numpy().ravel(), threshold):
        return Missing(disclosure.left_out(f"Diagrammen över anmälda brott per kategori, {period(ctx)} varje år,", threshold))
    masked = disclosure.any_masked(frame.to_numpy().ravel(), threshold)
    by_label = breaks_by_label(ctx, f)
    inside = {c: series_breaks.within(by_label.get(c, []), f.years) for c in frame.columns}
    trends = {c: fitted(frame[c].to_dict(), inside[c])[0] for c in frame.columns}
    rising = [c for c, t in trends.items() if t is not None and t.significant and t.yearly_pct > 0]
    falling = [c for c, t in trends.items() if t is not None and t.significant and t.yearly_pct < 0]
    n = len(frame.columns)
    named = lambda cats: "; ".join(in_sentence(c) for c in cats)  # noqa: E731 — labels hold commas
    parts = [f"{count_of(len(rising), n, 'kategori', 'kategorier')} har en statistiskt säkerställd ökande trend"
             + (f" ({named(rising)})" if rising else "")]
    parts.append(f"{count_of(len(falling), n, 'kategori', 'kategorier')} en statistiskt säkerställd minskande trend"
                 + (f" ({named(falling)})" if falling else ""))
    found = [b for c in frame.columns for b in inside[c]]
    breaks_text = breaks_note(f, found) + (f" Streckad linje: serieuppbrott. {REFIT_NOTE}" if found else "")
    alt = (
        f"Små diagram, ett per brottskategori, {f.years[0]}–{f.years[-1]}, {period(ctx)} varje år. "
        f"{capitalise(parts[0])} och {parts[1]}; för övriga är trenden inte statistiskt säkerställd."
    )
    note = ("Grått fält: där ligger de antal som inte ritas ut. " if masked else "") + breaks_text
    return Chart(
        figure=plot_category_trends(
            disclosure.hidden_in_chart(frame, threshold), f"Anmälda brott per kategori, {period(ctx)}",
            masked_below=threshold if masked else 0,
            breaks={c: series_breaks.positions(f.years, [b.year for b in bs]) for c, bs in inside.items() if bs},
        ),
        caption=f"Anmälda brott per kategori i {ctx.area.name}, {period(ctx)} varje år {f.years[0]}–{f.years[-1]}",
        alt=f"{alt} {breaks_note(f, found)}".strip(),
        data=disclosure.mask_wide(frame, threshold, display=False).reset_index(),
        note=disclosure.with_note(note.strip(), threshold, masked, chart=True),
    )


def trend_table(ctx: ChapterContext) -> Table | None:
    """Tabell: average yearly change per category (Poisson regression) with its 95 % interval;
    after a series break, over the years since it ("från 2021, efter serieuppbrott")."""
    f = facts(ctx)
    if f is None or len(f.years) < 3:
        return None
    rows, data, found, starts = [], [], [], []
    threshold, masked, few = small(ctx), False, False
    by_label = breaks_by_label(ctx, f)
    for label in f.category_years.columns:
        series = f.category_years[label].to_dict()
        inside = series_breaks.within(by_label.get(label, []), f.years)
        trend, since = fitted(series, inside)
        if trend is None and since is None:
            continue
        found += [b for b in inside if b.year == since]
        first, last = series[f.years[0]], series[f.years[-1]]
        if disclosure.any_masked(series.values(), threshold):
            # a trend fitted to a series with a masked year would help to work that year out
            masked = True
            rows.append([label, disclosure.mask_count(first, threshold), disclosure.mask_count(last, threshold)] + [disclosure.SUPPRESSED] * 3)
            data.append([label, disclosure.mask_value(first, threshold), disclosure.mask_value(last, threshold), None, None, None, None])
            starts.append(since)
            continue
        if trend is None:  # too few years since the break for a trend
            rows.append([label, fmt_int(first), fmt_int(last), "–", "–", NOT_FITTED])
            data.append([label, first, last, None, None, None, None])
            starts.append(since)
            continue
        # the one few-case rule (CompStat's): fewer than ten cases a year on average
        qualifiers = (["få fall"] if trend.few_cases else []) + ([f"från {since}, efter serieuppbrott"] if since else [])
        wording = change_wording(trend.significant) + (f" ({'; '.join(qualifiers)})" if qualifiers else "")
        few = few or trend.few_cases
        pct, lo, hi = (bounded_pct(x) for x in (trend.yearly_pct, trend.lo_pct, trend.hi_pct))
        rows.append([
            label, fmt_int(first), fmt_int(last),
            _pct_text(pct), f"{_pct_text(lo)} till {_pct_text(hi)}", wording,
        ])
        data.append([label, first, last, *(None if x is None else round(x, 2) for x in (pct, lo, hi)), round(trend.p_value, 4)])
        starts.append(since)
    first, last = f.years[0], f.years[-1]
    columns = ["Brottskategori", f"Antal {first}", f"Antal {last}", "Förändring per år", "95 % konfidensintervall", "Trend"]
    frame = pd.DataFrame(data, columns=["Brottskategori", f"Antal {first}", f"Antal {last}", "Förändring per år %", "KI nedre %", "KI övre %", "p-värde"])
    if found:  # the column says something only where a break cut a series
        frame["Trend från år"] = pd.Series(starts, dtype=object)
    return Table(
        caption=f"Genomsnittlig förändring per år {first}–{last}, {period(ctx)} varje år, {ctx.area.name}",
        table=pd.DataFrame(rows, columns=columns),
        data=frame,
        numeric=tuple(columns[1:5]),
        note=disclosure.with_note(
            "Poissonregression av antal på år (log-länk), med standardfel justerade för överspridning."
            + (" Få fall: färre än 10 brott per år i genomsnitt; en trend som bygger på få fall är osäker även när den är statistiskt säkerställd."
               if few else "")
            + (f" {breaks_note(f, found)} {REFIT_NOTE}" if found else ""),
            threshold, masked,
        ),
    )


def trend_statements(ctx: ChapterContext) -> Text | None:
    """"<Kategori> har minskat varje år sedan <år>." where it is true and the trend is significant
    (within the years since a series break, where there is one)."""
    f = facts(ctx)
    if f is None:
        return None
    lines = trend_findings(f.category_years, breaks_by_label(ctx, f))
    return Text(" ".join(lines)) if lines else Text(
        f"Ingen kategori har ökat eller minskat varje år sedan {f.years[0]} med en statistiskt säkerställd trend."
    )


def _pct_text(value: float | None) -> str:
    return "obestämd" if value is None else fmt_pct(value, 1, signed=True)
