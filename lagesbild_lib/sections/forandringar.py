"""Förändringar sedan föregående lägesbild (end of chapter 0): this year's key figures beside the
previous year's, the largest changes first, each with its significance in the fixed wording.

The figures are those the two years' own chapters show: the same library functions, the same
selection of rows and surveys (chapter 0's key figures, chapter 2's CompStat subtotals, chapter 3's
comparison within one survey), computed once for the report year and once for the year before.

- Population: a register count, stated but not tested.
- CompStat totals per group and critical events (1 jan–period end both years), weeks at level 4
  or 5 (ISO week 1 to the week the period ends in, both years): counts, tested with the exact
  Poisson test (:func:`~lagesbild_lib.analysis.stats.poisson_change_test`); weeks relative to the
  weeks assessed, events to how much of each period the data cover. The "Jämförelse" column
  names the span.
- Evening unsafety: the share of the latest survey year against the same survey's previous year,
  tested with the two-proportion test (:func:`~lagesbild_lib.analysis.stats.two_proportion_test`).

Small-count disclosure control (params ``suppress_below``, :mod:`lagesbild_lib.analysis.disclosure`): a
masked count is shown as ``<N``, what is derived from it (change, percent, test, caveat) as ``–``,
and its row goes last, since its place among the largest changes would tell its size.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

from lagesbild_lib.analysis import breaks as series_breaks, disclosure
from lagesbild_lib.context import ChapterContext
from lagesbild_lib.analysis.crime import compstat_table, period_cut_short, period_words, same_period
from lagesbild_lib.present.fmt import fmt_date, fmt_int, fmt_pct, fmt_share_ci, fmt_signed_int
from lagesbild_lib.analysis.population import population_total, population_year
from lagesbild_lib.present.pieces import Missing, Table, Text
from lagesbild_lib.analysis.stats import ChangeTest, is_small_sample, poisson_change_test, two_proportion_test, wilson_interval
from lagesbild_lib.analysis.survey import previous_year, survey_share, survey_years
from lagesbild_lib.present.text import NOT_SIGNIFICANT, SIGNIFICANT, change_wording, few_cases_item, few_cases_sentence, in_sentence, join_sv
from lagesbild_lib.analysis.weekly import weeks_words
from lagesbild_lib.sections.common import crimes_or_none

# Chapter 0's own selection of weekly rows, events and survey: reused so that the figures here are
# those its key figures show, by construction.
from lagesbild_lib.sections.facts import event_counts, key_figure_label, survey_facts, week_facts

ANSWER = "ja"
NOT_TESTED = "prövas inte (totalräkning)"
COLUMNS = ["Nyckeltal", "Jämförelse", "Föregående", "Nu", "Förändring", "Bedömning"]
DATA_COLUMNS = [
    "Nyckeltal", "Jämförelse", "Enhet", "Föregående", "Nu", "Förändring", "Förändring %", "p-värde", "Statistiskt säkerställd",
]


@dataclass(frozen=True)
class KeyChange:
    """One key figure in two years.

    ``before``/``after`` are counts, or shares on 0–1 when ``unit`` is "andel". ``relative`` is
    the change in percent of the earlier value (for counts with unequal coverage: of the rate),
    used to put the largest changes first; None when the earlier value is 0.
    """

    key: str
    label: str
    comparison: str
    unit: str  # "antal" | "veckor" | "andel"
    before: float
    after: float
    shown_before: str
    shown_after: str
    shown_change: str
    wording: str
    relative: float | None
    p_value: float | None = None
    significant: bool | None = None
    caveat: str = ""
    masked: bool = False  # a count below suppress_below: shown as <N, nothing derived from it shown
    series_break: str = ""  # the note of a series break the comparison spans ("Serieuppbrott 2023: …")
    few_cases: bool = False  # a count that rests on few cases: never called the largest change (DESIGN §8)

    @property
    def diff(self) -> float:
        return self.after - self.before

    @property
    def size(self) -> float:
        """How large the change is, for ordering (a change from 0 counts as the largest)."""
        if self.diff == 0:
            return 0.0
        return math.inf if self.relative is None else abs(self.relative)


@dataclass(frozen=True)
class Changes:
    """The key changes of a report, largest first, and what could not be compared."""

    year: int
    rows: tuple[KeyChange, ...]
    lacking: tuple[str, ...]
    notes: tuple[str, ...]


def previous_context(ctx: ChapterContext) -> ChapterContext:
    """The same report one year earlier (same area, data and params, ``year - 1``)."""
    params = ctx.params.model_copy(update={"year": ctx.year - 1})
    end = params.period_end_date()
    return dataclasses.replace(ctx, params=params, period_start=dt.date(params.year, 1, 1), period_end=end)


# --------------------------------------------------------------------------- the figures


def _counted(key: str, label: str, comparison: str, test: ChangeTest, unit: str = "antal", shown=None) -> KeyChange:
    """A count in two years with its Poisson test; ``shown(n, "before"|"after")`` formats a count.
    Counts of cases (not of weeks) name themselves for the paragraph's one few-cases caveat when it is due."""
    shown = shown or (lambda n, _when: fmt_int(n))
    # no change is no change: "oförändrad", not a verdict on a test of nothing
    wording = "oförändrad" if test.diff == 0 else change_wording(test.significant) + (" (få fall)" if test.few_cases else "")
    change = fmt_signed_int(test.diff) + (f" ({fmt_pct(test.pct, 0, signed=True)})" if test.pct is not None else "")
    return KeyChange(
        key, label, comparison, unit, test.before, test.after, shown(test.before, "before"), shown(test.after, "after"),
        change, wording, test.pct, test.p_value, test.significant,
        few_cases_item(label, test) if unit == "antal" else "", few_cases=test.few_cases,
    )


def _population(ctx: ChapterContext, prev: ChapterContext) -> KeyChange | str:
    pop = ctx.data.table("population")
    if pop is None:
        return "folkmängd (tabellen population saknas)"
    year_now, year_before = population_year(pop, ctx.year), population_year(pop, prev.year)
    now = population_total(pop, ctx.areas, ctx.area.area_id, year_now) if year_now else None
    before = population_total(pop, ctx.areas, ctx.area.area_id, year_before) if year_before else None
    if now is None or before is None or year_now == year_before:
        return "folkmängd"
    pct = None if before == 0 else 100.0 * (now - before) / before
    change = fmt_signed_int(now - before) + (f" ({fmt_pct(pct, 1, signed=True)})" if pct is not None else "")
    return KeyChange(
        "folkmangd", "Folkmängd", f"{year_before} → {year_now}", "antal", before, now, fmt_int(before), fmt_int(now),
        change, NOT_TESTED, pct,
    )


def _compstat_groups(ctx: ChapterContext, crimes: pd.DataFrame | None) -> list[KeyChange] | str:
    """Chapter 2's CompStat subtotals: each group, 1 jan–period end, this year and last."""
    if crimes is None:
        return "anmälda brott per grupp (kräver brott på radnivå, tabellen crimes)"
    if ctx.year - 1 not in ctx.data.crime_years:
        return f"anmälda brott per grupp (inga brott i data för {ctx.year - 1})"
    table = compstat_table(crimes, ctx.data.table("crime_categories"), ctx.year, ctx.period_end)
    period = period_words(ctx.period_end)
    out = []
    for group, part in table.groupby("group", sort=False):
        test = poisson_change_test(int(part["before"].sum()), int(part["after"].sum()))
        row = _counted(f"compstat:{group}", f"{group} (anmälda brott i urval)", f"{period}, {ctx.year - 1} → {ctx.year}", test)
        crossed = series_breaks.crossing(series_breaks.of_categories(ctx.params.series_breaks, part["category"]), ctx.year - 1, ctx.year)
        if crossed:
            labels = dict(zip(part["category"], part["label"]))
            note = series_breaks.notes((b, in_sentence(str(labels[b.category]))) for b in crossed)
            row = _with_break(row, f"{note} Jämförelsen med {ctx.year - 1} för {in_sentence(group)} spänner över uppbrottet.")
        out.append(row)
    return out


def _with_break(row: KeyChange, note: str) -> KeyChange:
    """The row of a comparison that spans a series break: flagged in its wording, the note kept."""
    return dataclasses.replace(row, wording=f"{row.wording} ({series_breaks.FLAG})", series_break=note)


def _weeks(ctx: ChapterContext, prev: ChapterContext) -> tuple[KeyChange | str, str]:
    """Weeks at level 4 or 5 in each year's period weeks (ISO week 1 to the week its period ends in),
    tested relative to the weeks assessed."""
    weekly = ctx.data.table("weekly_assessments")
    if weekly is None:
        return "veckor med nivå 4 eller 5 (tabellen weekly_assessments saknas)", ""
    now, before = week_facts(ctx, weekly), week_facts(prev, weekly)
    if now is None or before is None:
        return "veckor med nivå 4 eller 5", ""
    test = poisson_change_test(before.high, now.high, now.reported / before.reported)
    reported = {"before": before.reported, "after": now.reported}
    note = "" if now.reported == before.reported else (
        f"Veckor med nivå 4 eller 5: förändringen i procent och prövningen avser andelen av de bedömda veckorna "
        f"({fmt_int(before.reported)} veckor {prev.year}, {fmt_int(now.reported)} veckor {ctx.year})."
    )
    if now.last_week == before.last_week:
        span = f"{weeks_words(now.last_week)}, {prev.year} → {ctx.year}"
    else:  # the period ends in another ISO week number that year
        span = f"{weeks_words(before.last_week)} {prev.year} → {weeks_words(now.last_week)} {ctx.year}"
    return _counted(
        "veckor_niva_4", "Veckor med nivå 4 eller 5", span, test, unit="veckor",
        shown=lambda n, when: f"{fmt_int(n)} av {fmt_int(reported[when])}",
    ), note


def _covered(crimes: pd.DataFrame | None, year: int, period_end: dt.date) -> tuple[float, dt.date | None]:
    """The share of the period 1 jan–``period_end`` of ``year`` the data cover, and the date they
    end when that is within the period: the whole period unless the crime data end inside it."""
    end = period_cut_short(crimes, year, period_end)
    if end is None:
        return 1.0, None
    start, stop = same_period(year, period_end)
    return ((end - start).days + 1) / ((stop - start).days + 1), end.date()


def _events(ctx: ChapterContext, prev: ChapterContext, crimes: pd.DataFrame | None) -> tuple[KeyChange | str, str]:
    """Critical events 1 jan–period end of each year (chapter 0's key figure of each year)."""
    now, before = event_counts(ctx), event_counts(prev)
    if now is None or before is None:
        return "kritiska händelser (tabellen critical_events saknas)", ""
    first = ctx.data.table("critical_events")["event_date"].min()
    if pd.isna(first) or first.year > prev.year:
        return f"kritiska händelser (tabellen critical_events börjar efter {prev.year})", ""
    (share_now, end_now), (share_before, _) = _covered(crimes, ctx.year, ctx.period_end), _covered(crimes, prev.year, prev.period_end)
    test = poisson_change_test(sum(before[0].values()), sum(now[0].values()), share_now / share_before)
    note = ""
    if end_now is not None:
        note = (
            f"Uppgifterna för {ctx.year} sträcker sig till {fmt_date(end_now)}; förändringen i procent och prövningen "
            "av kritiska händelser avser antal per dag."
        )
    span = f"{period_words(ctx.period_end)}, {prev.year} → {ctx.year}"
    return _counted("kritiska_handelser", "Kritiska händelser", span, test), note


def _unsafety(ctx: ChapterContext) -> KeyChange | str:
    """The share of chapter 0's key figure against the same survey's previous measurement."""
    label = key_figure_label(ctx.params.survey_question)
    survey = ctx.data.table("survey")
    if survey is None:
        return f"{in_sentence(label)} (tabellen survey saknas)"
    now = survey_facts(ctx)
    if now is None:
        return in_sentence(label)
    question = ctx.params.survey_question
    years = survey_years(survey, ctx.areas, ctx.area.area_id, question, ANSWER, survey_name=now.survey, up_to=now.year)
    year_before = previous_year(years, now.year)
    found = survey_share(survey, ctx.areas, ctx.area.area_id, year_before, question, ANSWER, survey_name=now.survey) if year_before else None
    if found is None or found[1] <= 0:
        return in_sentence(label)
    share, n = found
    lo, hi = wilson_interval(share, n)
    test = two_proportion_test(now.share, now.respondents, share, n)
    small = is_small_sample(now.respondents) or is_small_sample(n)
    wording = (SIGNIFICANT if test.significant else NOT_SIGNIFICANT) + (" (färre än 30 svarande)" if small else "")
    points = 100 * test.diff
    row = KeyChange(
        "otrygghet", label, f"{now.survey} {year_before} → {now.year}", "andel", share, now.share,
        fmt_share_ci(share, lo, hi), fmt_share_ci(now.share, now.lo, now.hi),
        f"{fmt_signed_int(points)} procentenheter", wording, None if share == 0 else 100.0 * test.diff / share,
        test.p_value, test.significant,
    )
    crossed = series_breaks.crossing(series_breaks.of_question(ctx.params.series_breaks, question, now.survey), year_before, now.year)
    return _with_break(row, series_breaks.spans(crossed, year_before, now.survey)) if crossed else row


def key_changes(ctx: ChapterContext) -> Changes:
    """Every key figure of this year beside the previous year's, the largest changes first.

    Returns
    -------
    Changes
        ``rows`` sorted by the size of the relative change (a change from 0 first, no change
        last, report order among equals); ``lacking`` names the figures that could not be
        compared (missing table or no value for one of the years).
    """
    prev = previous_context(ctx)
    crimes = crimes_or_none(ctx)
    found: list[KeyChange | str] = [_population(ctx, prev)]
    groups = _compstat_groups(ctx, crimes)
    found.extend(groups if isinstance(groups, list) else [groups])
    weeks, weeks_note = _weeks(ctx, prev)
    events, events_note = _events(ctx, prev, crimes)
    found += [weeks, events, _unsafety(ctx)]
    threshold = ctx.params.suppress_below
    rows = [_masked(f, threshold) for f in found if isinstance(f, KeyChange)]
    # stable: report order among equal sizes; masked rows last, alphabetically
    rows.sort(key=lambda r: (r.masked, r.label if r.masked else "", -r.size if not r.masked else 0))
    notes = tuple(n for n in (weeks_note, events_note) if n)
    notes += tuple(dict.fromkeys(r.series_break for r in rows if r.series_break and not r.masked))
    if any(r.masked for r in rows):
        notes += (disclosure.note(threshold),)
    return Changes(ctx.year, tuple(rows), tuple(f for f in found if isinstance(f, str)), notes)


def _masked(row: KeyChange, threshold: int) -> KeyChange:
    """The row with disclosure control applied: counts of cases (not weeks, not shares) below
    ``threshold`` shown as ``<N`` and every figure derived from them as ``–``."""
    if row.unit != "antal" or not disclosure.any_masked((row.before, row.after), threshold):
        return row
    return dataclasses.replace(
        row,
        shown_before=disclosure.mask_count(row.before, threshold), shown_after=disclosure.mask_count(row.after, threshold),
        shown_change=disclosure.SUPPRESSED, wording=disclosure.SUPPRESSED, relative=None, p_value=None, significant=None,
        caveat="", masked=True,
    )


# --------------------------------------------------------------------------- pieces to show


def changes_frame(changes: Changes) -> pd.DataFrame:
    """The numbers of :func:`key_changes` for ``tabeller.xlsx`` (shares in percent, changes of
    shares in percentage points)."""
    rows = []
    for r in changes.rows:
        scale = 100.0 if r.unit == "andel" else 1.0
        if r.masked:  # as the reader sees them: <N, nothing derived
            before, after, diff = r.shown_before, r.shown_after, None
            before = int(r.before) if before == fmt_int(r.before) else before
            after = int(r.after) if after == fmt_int(r.after) else after
        elif r.unit == "andel":
            before, after, diff = round(r.before * scale, 1), round(r.after * scale, 1), round(r.diff * scale, 1)
        else:
            before, after, diff = int(r.before), int(r.after), int(r.diff)
        rows.append([
            r.label, r.comparison, "procent" if r.unit == "andel" else r.unit, before, after, diff,
            None if r.relative is None else round(r.relative, 1),
            None if r.p_value is None else round(r.p_value, 4),
            None if r.significant is None else ("ja" if r.significant else "nej"),
        ])
    return pd.DataFrame(rows, columns=DATA_COLUMNS, dtype=object)  # object: counts stay whole numbers


def _summary(ctx: ChapterContext, changes: Changes) -> str:
    tested = [r for r in changes.rows if r.significant is not None]
    significant = [r for r in tested if r.significant]
    moved = [r for r in changes.rows if not r.masked and r.diff != 0]
    sure = [r for r in moved if not r.few_cases]
    sentences = [
        f"Tabellen ställer nyckeltalen för {ctx.area.name} {ctx.year} mot föregående år, med de största förändringarna först.",
        "Antal jämförs under samma del av båda åren, den som kolumnen Jämförelse anger.",
    ]
    if sure:  # ranked by evidence (DESIGN §8): a change that rests on few cases is never called the largest
        lead = "Störst är förändringen för" if sure[0] is moved[0] else "Störst bland förändringarna som inte bygger på få fall är den för"
        sentences.append(f"{lead} {in_sentence(sure[0].label)}: {sure[0].shown_change}, {sure[0].wording}.")
    if significant:
        sentences.append(f"Statistiskt säkerställda förändringar: {join_sv(in_sentence(r.label) for r in significant)}.")
    elif tested:
        sentences.append("Ingen av förändringarna är statistiskt säkerställd.")
    caveat = few_cases_sentence([r.caveat for r in changes.rows])  # said once, naming every row it concerns
    if caveat:
        sentences.append(caveat)
    sentences += dict.fromkeys(r.series_break for r in changes.rows if r.series_break and not r.masked)
    return " ".join(sentences)


def changes(ctx: ChapterContext) -> list[Text | Table] | Missing:
    """Text and Tabell: Förändringar sedan föregående lägesbild."""
    found = key_changes(ctx)
    if not found.rows:
        what = f" ({join_sv(found.lacking)})" if found.lacking else ""
        return Missing(
            f"Förändringarna sedan föregående lägesbild kan inte visas: inga nyckeltal kan jämföras mellan {ctx.year - 1} och {ctx.year}{what}."
        )
    shown = pd.DataFrame(
        [[r.label, r.comparison, r.shown_before, r.shown_after, r.shown_change, r.wording] for r in found.rows], columns=COLUMNS
    )
    notes = [
        "Statistiskt säkerställd: antal prövas med exakt Poissontest och andelar med test av två andelar, p < 0,05. "
        "Få fall: färre än 20 de två åren sammanlagt. Andelar med 95 % konfidensintervall (Wilson); otryggheten jämförs "
        "inom samma undersökning med dess föregående mätning.",
        *found.notes,
    ]
    if found.lacking:
        notes.append(f"Kan inte jämföras: {join_sv(found.lacking)}.")
    table = Table(
        caption=f"Förändringar sedan föregående lägesbild: nyckeltal för {ctx.area.name} {ctx.year} jämfört med {ctx.year - 1}, största förändringen först",
        table=shown,
        data=changes_frame(found),
        numeric=("Föregående", "Nu", "Förändring"),
        nowrap=("Förändring",),
        note=" ".join(notes),
    )
    return [Text(_summary(ctx, found)), table]


__all__ = ["Changes", "KeyChange", "changes", "changes_frame", "key_changes", "previous_context"]
