"""Chapter "Mönster i tid och rum": when crimes happen (weekday × hour, time of day, the month
profile over the years) and where they concentrate (the busiest cells, Gi* hot spots and their
persistence; in :mod:`lagesbild_lib.sections.monster_place`, imported here so that the notebook
reaches every section as ``monster.<name>``).

A peak time is named only when a chi-square test against an even spread rejects chance and the
counts do not rest on few cases (:mod:`lagesbild_lib.analysis.patterns`); otherwise the sentence
says that no pattern was shown. Crimes are counted by when they happened (``occurred_at``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lagesbild_lib.analysis import disclosure
from lagesbild_lib.analysis.crime import flagged_categories, period_cut_short
from lagesbild_lib.analysis.patterns import BLOCKS, MONTHS, WEEKDAYS_PLURAL, WEEKDAYS_SHORT, TimeProfile, UniformityTest, time_profile
from lagesbild_lib.analysis.stats import FEW_CASES_EACH
from lagesbild_lib.context import ChapterContext
from lagesbild_lib.figures.patterns import plot_month_profile, plot_week_heatmap
from lagesbild_lib.present.fmt import MONTHS_SHORT, fmt_date, fmt_int, fmt_p, fmt_share
from lagesbild_lib.present.pieces import Chart, Missing, Table, Text
from lagesbild_lib.present.text import capitalise, in_sentence, join_sv, number_word
from lagesbild_lib.sections.common import crimes_or_none, per_context
from lagesbild_lib.sections.crime_facts import NO_CRIMES, small
from lagesbild_lib.sections.monster_place import concentration, hot_spots, persistence

__all__ = ["time_patterns", "month_profile", "concentration", "hot_spots", "persistence"]

VIOLENT = "Våldsbrott"
YEARS_SHOWN = 4  # the month profile: the report year and up to three years before
WHAT = {"weekday": "veckans dagar", "block": "dygnet", "month": "årets månader"}
METHOD = (
    "Brotten räknas efter när de skedde (kolumnen occurred_at), inte när de anmäldes, så antalen kan skilja sig något "
    "från kapitlet om brottsligheten. Ett mönster prövas med χ²-test mot en jämn fördelning (lika många brott per dag "
    "i perioden, per tretimmarsblock över dygnet); det kallas statistiskt säkerställt vid p < 0,05. "
    f"Få fall: färre än {FEW_CASES_EACH} brott per veckodag, tidsblock eller månad i genomsnitt; då prövas inget mönster."
)

TABLE_NOTE = (
    "Brotten räknas efter när de skedde. Mönster: χ²-test mot en jämn fördelning, statistiskt säkerställt vid p < 0,05. "
    f"Få fall: färre än {FEW_CASES_EACH} brott per veckodag, tidsblock eller månad i genomsnitt; då prövas inget mönster."
)

@dataclass(frozen=True)
class TimeFacts:
    profiles: tuple[TimeProfile, ...]  # the violent crimes first, then each CompStat group
    years: list[int]
    end: dt.date  # the last day counted in the report year


@per_context
def time_facts(ctx: ChapterContext) -> TimeFacts | Missing:
    """The chapter's time patterns, computed once per context (a Missing when they cannot be)."""
    crimes = crimes_or_none(ctx)
    if crimes is None:
        return Missing(f"Mönstren i tid {NO_CRIMES}.")
    if "occurred_at" not in crimes.columns or crimes["occurred_at"].isna().all():
        return Missing(
            "Mönstren i tid kan inte visas: tabellen crimes saknar kolumnen occurred_at (lokal tidpunkt då brottet skedde, "
            "ÅÅÅÅ-MM-DDTHH:MM)."
        )
    categories = ctx.data.table("crime_categories")
    groups: list[tuple[str, list[str]]] = []
    violent = flagged_categories(categories, "violent")
    if violent:
        groups.append((VIOLENT, violent))
    chosen = categories[categories["compstat"].fillna(False).astype(bool)]
    for group in dict.fromkeys(chosen["group"]):
        groups.append((str(group), list(chosen.loc[chosen["group"] == group, "category"])))
    if not groups:
        return Missing(
            "Mönstren i tid kan inte visas: ingen brottskategori är markerad som våldsbrott eller ingår i CompStat "
            "(kolumnerna violent och compstat i crime_categories)."
        )
    cut = period_cut_short(crimes, ctx.year, ctx.period_end)
    end = cut.date() if cut is not None else ctx.period_end
    years = [y for y in ctx.data.crime_years if y <= ctx.year][-YEARS_SHOWN:]
    profiles = tuple(
        time_profile(crimes[crimes["category"].isin(cats)], label, ctx.year, ctx.period_end, years, end) for label, cats in groups
    )
    return TimeFacts(profiles, years, end)


def _period(ctx: ChapterContext, f: TimeFacts) -> str:
    return f"1 jan–{f.end.day} {MONTHS_SHORT[f.end.month - 1]} {ctx.year}"


def _p(p: float) -> str:
    shown = fmt_p(p)
    return f"p {shown}" if shown.startswith("<") else f"p = {shown}"


def _peaks(test: UniformityTest) -> list[int]:
    top = max(test.counts)
    return [i for i, c in enumerate(test.counts) if c == top]


def _names(kind: str, positions: list[int]) -> str:
    if kind == "weekday":
        return join_sv(WEEKDAYS_PLURAL[i] for i in positions)
    if kind == "block":
        return join_sv(BLOCKS[i] for i in positions)
    return join_sv(MONTHS[i] for i in positions)


def _masked(test: UniformityTest, threshold: int) -> bool:
    return disclosure.any_masked(test.counts, threshold)


def pattern_sentence(kind: str, noun: str, test: UniformityTest, threshold: int = 0, span: str = "") -> str:
    """The sentence on one test: the peak named when the pattern is shown, else why not.

    ``kind`` is ``weekday``, ``block`` or ``month``; ``noun`` the crimes in the sentence
    ("våldsbrott"); ``span`` the years of a month profile ("2020–2023").
    """
    what = WHAT[kind]
    if _masked(test, threshold):
        return f"Fördelningen av {noun} över {what} visas inte av röjandeskyddsskäl (params: suppress_below)."
    if test.few_cases:
        return f"Fördelningen av {noun} över {what} prövas inte: den bygger på få fall ({fmt_int(test.total)} brott, färre än {test.min_cases})."
    if not test.significant:
        return f"Fördelningen av {noun} över {what} visar ingen statistiskt säkerställd skillnad mot en jämn fördelning (χ²-test, {_p(test.p_value)})."
    peaks = _peaks(test)
    k, n = test.counts[peaks[0]], test.total
    each = "vardera " if len(peaks) > 1 else ""
    where = {"weekday": "på", "block": "under timmarna", "month": "i"}[kind]
    over = f" under {span}" if span else ""
    basis = "χ²-test mot antalet dagar i varje månad" if kind == "month" else "χ²-test"
    return (
        f"Flest {noun} skedde {where} {_names(kind, peaks)} ({each}{fmt_int(k)} av {fmt_int(n)}{over}, {fmt_share(k / n)}); "
        f"fördelningen över {what} är inte jämn ({basis}, {_p(test.p_value)})."
    )


def _unknown_sentence(ctx: ChapterContext, f: TimeFacts, profile: TimeProfile) -> str:
    n = profile.unknown_time
    if n == 0:
        return ""
    count = disclosure.count_words(n, small(ctx)) if disclosure.is_masked(n, small(ctx)) else number_word(n, "ett")
    return f"{capitalise(count)} {in_sentence(profile.label)} som anmäldes {_period(ctx, f)} saknar tidpunkt för brottet och ingår inte."


def _group_table(ctx: ChapterContext, f: TimeFacts, kind: str, columns: list[str], caption: str) -> Table:
    """Tabell: one row per crime group, its counts per cell, total, p-value and the pattern shown."""
    threshold = small(ctx)
    rows, data = [], []
    for prof in f.profiles:
        test = getattr(prof, kind)
        counts = list(test.counts)
        hidden = _masked(test, threshold)
        if hidden:
            verdict = disclosure.SUPPRESSED
        elif test.few_cases:
            verdict = "Få fall"
        elif not test.significant:
            verdict = "Inget säkerställt mönster"
        else:
            verdict = "Flest " + _names(kind, _peaks(test))
        p_shown = disclosure.SUPPRESSED if hidden or test.few_cases else fmt_p(test.p_value)
        rows.append([prof.label, *(disclosure.mask_count(c, threshold) for c in counts), disclosure.mask_count(test.total, threshold), p_shown, verdict])
        data.append([prof.label, *(disclosure.mask_value(c, threshold) for c in counts), test.total,
                     None if hidden or test.few_cases else test.p_value, verdict])
    header = ["Brottsgrupp", *columns, "Totalt", "p-värde", "Mönster"]
    masked = any(_masked(getattr(p, kind), threshold) for p in f.profiles)
    return Table(
        caption=caption,
        table=pd.DataFrame(rows, columns=header),
        data=pd.DataFrame(data, columns=header),
        nowrap=("Mönster",),
        numeric=tuple(header[1:-1]),
        note=disclosure.with_note(TABLE_NOTE, threshold, masked),
    )


# ------------------------------------------------------------------------------- sections
def time_patterns(ctx: ChapterContext) -> list | Missing:
    """Text, Diagram (weekday × hour heatmap of the violent crimes) and two tables (weekday and
    time of day per crime group)."""
    f = time_facts(ctx)
    if isinstance(f, Missing):
        return f
    threshold = small(ctx)
    period = _period(ctx, f)
    out: list = []
    lead = f.profiles[0]
    noun = in_sentence(lead.label)
    sentences = [pattern_sentence("weekday", noun, lead.weekday, threshold), pattern_sentence("block", noun, lead.block, threshold)]
    sentences.append(_unknown_sentence(ctx, f, lead))
    out.append(Text(" ".join(s for s in sentences if s)))
    cells = lead.week.to_numpy().ravel()
    caption = f"{lead.label} efter veckodag och timme då brottet skedde i {ctx.area.name}, {period}"
    if disclosure.mostly_masked(cells, threshold):
        out.append(Missing(disclosure.left_out(f"Värmekartan över {noun} efter veckodag och timme", threshold)))
    else:
        masked = np.vectorize(lambda v: disclosure.is_masked(v, threshold))(lead.week.to_numpy())
        data = disclosure.mask_wide(lead.week, threshold, display=False).reset_index()
        alt = f"Värmekarta över {noun} i {ctx.area.name} {period} efter veckodag (rader) och timme (kolumner). " + " ".join(sentences[:2])
        out.append(Chart(
            figure=plot_week_heatmap(lead.week, f"{lead.label} {period}", masked if masked.any() else None),
            caption=caption,
            alt=alt,
            data=data,
            note=disclosure.with_note(METHOD, threshold, bool(masked.any()), chart=True),
        ))
    out.append(_group_table(ctx, f, "weekday", [d.capitalize() for d in WEEKDAYS_SHORT],
                            f"Brott efter veckodag då brottet skedde och brottsgrupp i {ctx.area.name}, {period}"))
    out.append(_group_table(ctx, f, "block", list(BLOCKS),
                            f"Brott efter tid på dygnet då brottet skedde och brottsgrupp i {ctx.area.name}, {period}"))
    return out


def _years_text(years: list[int]) -> str:
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


def month_profile(ctx: ChapterContext) -> list | Missing:
    """Text, Diagram (violent crimes per month, one line per year: the årshjul) and a table of
    every crime group per month over the years."""
    f = time_facts(ctx)
    if isinstance(f, Missing):
        return f
    threshold = small(ctx)
    lead = f.profiles[0]
    noun = in_sentence(lead.label)
    span = _years_text(f.years)
    cut = f"; {ctx.year} t.o.m. {fmt_date(f.end)}" if (f.end.month, f.end.day) != (12, 31) else ""
    out: list = [Text(pattern_sentence("month", noun, lead.month, threshold, span))]
    months = lead.months.astype(float)
    after = [m for m in range(1, 13) if dt.date(ctx.year, m, 1) > f.end]
    months.loc[after, ctx.year] = np.nan
    if disclosure.mostly_masked(months.to_numpy().ravel(), threshold):
        out.append(Missing(disclosure.left_out(f"Diagrammet över {noun} per månad", threshold)))
    else:
        drawn = disclosure.hidden_in_chart(months, threshold)
        data = disclosure.mask_wide(lead.months.astype(object).where(months.notna(), None), threshold, display=False)
        data.index = list(MONTHS_SHORT)
        data.index.name = "Månad"
        masked = disclosure.any_masked(months.to_numpy().ravel(), threshold)
        out.append(Chart(
            figure=plot_month_profile(drawn, f"{lead.label} per månad {span}"),
            caption=f"{lead.label} per månad då brottet skedde i {ctx.area.name}, {span}{cut}",
            alt=f"Linjediagram över {noun} per månad i {ctx.area.name}, en linje per år {span}. " + out[0].markdown,
            data=data.reset_index(),
            note=disclosure.with_note(METHOD, threshold, masked, chart=True),
        ))
    out.append(_group_table(ctx, f, "month", [m.capitalize() for m in MONTHS_SHORT],
                            f"Brott efter månad då brottet skedde och brottsgrupp i {ctx.area.name}, {span}{cut}"))
    return out
