"""Chapter Åtgärdsplan och uppföljning (lag 2023:196 §5): the year's plan from the ``atgarder``
table linked to the orsaksanalys (``orsaker``) and to the cooperation areas, the follow-up of the
previous year's plan with the report's statistical wording, and the gaps of the plan."""

from __future__ import annotations

import pandas as pd

from lagesbild_lib.analysis import disclosure
from lagesbild_lib.analysis.crime import period_words
from lagesbild_lib.analysis.crime_counts import crimes_from_counts
from lagesbild_lib.analysis.followup import CRIME, SURVEY, FollowUp, Reading, follow_up_measure, plan_gaps
from lagesbild_lib.analysis.indicators import DECIMALS, fmt_diff
from lagesbild_lib.analysis.priority import COOPERATION_AREAS
from lagesbild_lib.analysis.risk import PROTECTIVE, default_factors, factor_roles
from lagesbild_lib.context import ChapterContext
from lagesbild_lib.data.known_values import QUESTION_UNSAFE_EVENING
from lagesbild_lib.data.plan_checks import known_references
from lagesbild_lib.present.fmt import MISSING, UNITS, fmt_date, fmt_num, fmt_pct, fmt_share, fmt_share_ci, fmt_signed_int, fmt_value, rounded
from lagesbild_lib.present.pieces import Missing, Table, Text
from lagesbild_lib.present.text import capitalise, change_wording, count_of, few_cases_item, join_sv
from lagesbild_lib.sections.common import crimes_or_none, empty_filter, missing_table

TYPES = {"situationell": "Situationell", "social": "Social"}
NOT_TESTED = "ej prövad (registeruppgift)"


# ----------------------------------------------------------------------------- inputs
def _plan(ctx: ChapterContext, plan_year: int) -> pd.DataFrame | None:
    """The ``atgarder`` rows of the area (and the areas below it) for ``plan_year``; None without the table."""
    table = ctx.data.table("atgarder")
    if table is None:
        return None
    rows = table[(table["plan_year"] == plan_year) & table["area_id"].isin(ctx.areas.descendants(ctx.area.area_id))]
    return rows.reset_index(drop=True)


def _causes(ctx: ChapterContext, year: int) -> pd.DataFrame | None:
    """The orsaksanalys of ``year`` for the area; None when there is none."""
    table = ctx.data.table("orsaker")
    if table is None:
        return None
    rows = table[(table["year"] == year) & table["area_id"].isin(ctx.areas.descendants(ctx.area.area_id))]
    return rows.reset_index(drop=True) if len(rows) else None


def _crimes(ctx: ChapterContext) -> pd.DataFrame | None:
    crimes = crimes_or_none(ctx)
    if crimes is None:
        years = [y for y in ctx.data.crime_years if y <= ctx.year]
        crimes, _, _ = crimes_from_counts(ctx.data.table("crime_counts"), ctx.areas, ctx.area.area_id, years, ctx.period_end, ctx.year)
    return crimes


def _follow_ups(ctx: ChapterContext, plan: pd.DataFrame) -> list[FollowUp]:
    crimes = _crimes(ctx) if (plan["indicator_kind"] == CRIME).any() else None
    survey = ctx.data.table("survey") if (plan["indicator_kind"] == SURVEY).any() else None
    indicators = ctx.data.table("indicators") if (plan["indicator_kind"] == "indikator").any() else None
    roles = factor_roles(default_factors(), ctx.params.risk_factors)
    return [
        follow_up_measure(row, ctx.year, ctx.period_end, ctx.areas, crimes=crimes, survey=survey, indicators=indicators,
                          higher_is_better=roles.get(str(row["indicator"])) == PROTECTIVE)
        for _, row in plan.iterrows()
    ]


# ----------------------------------------------------------------------------- wording of readings
def _indicator_label(ctx: ChapterContext, kind: str | None, indicator: str | None, survey: object) -> str:
    """What follows a measure, as the reader knows it."""
    if kind is None or indicator is None:
        return MISSING
    if kind == CRIME:
        cats = ctx.data.table("crime_categories")
        label = dict(zip(cats["category"], cats["label"])).get(indicator, indicator)
        return f"{label} (anmälda brott {period_words(ctx.period_end)})"
    if kind == SURVEY:
        what = "andel otrygga ute ensamma sent på kvällen" if indicator == QUESTION_UNSAFE_EVENING else f"andel som svarat ja på {indicator}"
        return f"{what[0].upper()}{what[1:]}" + (f" ({survey})" if isinstance(survey, str) and survey else "")
    indicators = ctx.data.table("indicators")
    labels = indicators.loc[indicators["indicator"] == indicator, "label"].dropna() if indicators is not None and "label" in indicators else []
    return str(labels.iloc[0]) if len(labels) else indicator


def _value(reading: Reading, value: float | None = None, small: int = 0) -> str:
    value = reading.value if value is None else value
    if reading.unit == "antal":
        return disclosure.mask_count(int(value), small)
    if reading.unit == "andel":
        interval = reading.interval if value == reading.value else None
        return fmt_share_ci(value, *interval) if interval else fmt_share(value)
    if reading.unit in UNITS:
        return fmt_value(value, reading.unit)
    return f"{fmt_num(value, 1)} {reading.unit}"


def _at(reading: Reading | None, small: int = 0) -> str:
    return MISSING if reading is None else f"{_value(reading, small=small)} ({reading.year})"


def _masked(f: FollowUp, small: int) -> bool:
    return f.kind == CRIME and any(r is not None and disclosure.is_masked(r.value, small) for r in (f.then, f.now))


def _change(f: FollowUp, small: int) -> str:
    if f.diff is None or _masked(f, small):
        return MISSING
    if f.kind == CRIME:
        pct = f.test.pct
        return fmt_signed_int(int(f.diff)) + (f" ({fmt_pct(pct, 0, signed=True)})" if pct is not None else "")
    if f.kind == SURVEY:
        points = rounded(f.diff, 0, 100)
        return f"{fmt_signed_int(int(points))} procentenhet{'' if abs(points) == 1 else 'er'}"
    unit = f.now.unit
    return fmt_diff(f.diff, unit) if unit in DECIMALS else fmt_num(f.diff, 1)


def _verdict(f: FollowUp, small: int) -> str:
    if f.diff is None or _masked(f, small):
        return MISSING
    if f.test is None:
        return NOT_TESTED
    return change_wording(f.test.significant, f.diff, 0, 100 if f.kind == SURVEY else 1)


def _target(f: FollowUp, reading: Reading | None) -> str:
    """The target in the unit of the indicator (without a value in the data: by its kind)."""
    if f.target is None:
        return MISSING
    unit = reading.unit if reading is not None else {CRIME: "antal", SURVEY: "andel"}.get(f.kind)
    return _value(Reading(0, f.target, unit)) if unit else fmt_num(f.target, 1)


def _met(f: FollowUp, small: int) -> str:
    if f.met is None or _masked(f, small):
        return MISSING
    return "ja" if f.met else "nej"


# ----------------------------------------------------------------------------- sections
def plan(ctx: ChapterContext) -> Table | Missing | list:
    """Tabell: the year's åtgärdsplan, each measure with the problem and cause of the orsaksanalys
    it targets, its type, place or target group, responsible party, period, the indicator that
    follows it with its baseline from the data, the target and the cooperation area."""
    rows = _plan(ctx, ctx.year)
    if rows is None:
        return missing_table(ctx, "atgarder", "Åtgärdsplanen")
    if rows.empty:
        return empty_filter(f"Det finns ingen åtgärdsplan för {ctx.area.name} {ctx.year} i tabellen atgarder (urvalet: plan_year {ctx.year}, {ctx.area.name} och områdena under).")
    causes = _causes(ctx, ctx.year)
    problems = {} if causes is None else dict(zip(causes["problem_id"], causes["problem"]))
    cause_text = {} if causes is None else dict(zip(causes["cause_id"], causes["cause"]))
    small = ctx.params.suppress_below
    follow = _follow_ups(ctx, rows)
    shown, data = [], []
    for (_, row), f in zip(rows.iterrows(), follow):
        cause = row.get("cause_id")
        cause_cell = MISSING if pd.isna(cause) else cause_text.get(cause, f"{cause} (finns inte i orsaksanalysen)")
        key = row.get("cooperation_area")
        coop = MISSING if pd.isna(key) else COOPERATION_AREAS[key].title
        end = row.get("end")
        period = f"{fmt_date(row['start'])}–{fmt_date(end)}" if not pd.isna(end) else f"från {fmt_date(row['start'])}"
        shown.append({
            "Åtgärd": f"{row['measure_id']} {row['measure']}",
            "Problem": problems.get(row["problem_id"], f"{row['problem_id']} (finns inte i orsaksanalysen)"),
            "Orsak": cause_cell,
            "Typ": TYPES[row["type"]],
            "Plats eller målgrupp": MISSING if pd.isna(row.get("place_or_group")) else str(row["place_or_group"]),
            "Ansvarig": str(row["responsible"]),
            "Period": period,
            "Följs med": _indicator_label(ctx, f.kind, f.indicator, row.get("survey")),
            "Utgångsläge": _at(f.then, small),
            "Mål": _target(f, f.then or f.now),
            "Samverkansområde": coop,
        })
        data.append({"Åtgärd": row["measure_id"], "Åtgärdstext": row["measure"], "Problem": row["problem_id"], "Orsak": cause if not pd.isna(cause) else None,
                     "Typ": row["type"], "Indikator": f.indicator, "Basår": f.then.year if f.then else None,
                     "Utgångsläge": disclosure.mask_value(f.then.value, small) if f.then else None, "Mål": f.target,
                     "Samverkansområde": None if pd.isna(key) else key})
    return Table(
        caption=f"Åtgärdsplan för {ctx.area.name} {ctx.year}",
        table=pd.DataFrame(shown),
        data=pd.DataFrame(data),
        numeric=("Utgångsläge", "Mål"),
        note=f"Utgångsläge: indikatorns värde under basåret enligt rapportens data; anmälda brott räknas {period_words(ctx.period_end)}, "
        "andelar med 95 % konfidensintervall (Wilson). Problem och orsak hämtas ur orsaksanalysen för samma år.",
    )


def follow_up(ctx: ChapterContext) -> Table | Missing | list:
    """Tabell and text: the previous year's measures, each indicator then and now with the report's
    statistical wording (exact Poisson test for crimes, two-proportion test for survey shares, the
    change only for indicators) and whether the target was met."""
    last = ctx.year - 1
    rows = _plan(ctx, last)
    if rows is None:
        return missing_table(ctx, "atgarder", "Uppföljningen av föregående års åtgärdsplan")
    if rows.empty:
        return Missing(f"Det finns ingen åtgärdsplan för {ctx.area.name} {last} att följa upp i tabellen atgarder.")
    small = ctx.params.suppress_below
    follow = _follow_ups(ctx, rows)
    shown, data = [], []
    for (_, row), f in zip(rows.iterrows(), follow):
        shown.append({
            "Åtgärd": f"{row['measure_id']} {row['measure']}",
            "Följs med": _indicator_label(ctx, f.kind, f.indicator, row.get("survey")),
            "Då": _at(f.then, small), "Nu": _at(f.now, small), "Förändring": _change(f, small),
            "Bedömning": _verdict(f, small), "Mål": _target(f, f.then or f.now), "Målet nått": _met(f, small),
        })
        masked = _masked(f, small)
        data.append({
            "Åtgärd": row["measure_id"], "Indikator": f.indicator,
            "År då": f.then.year if f.then else None, "Då": None if f.then is None else disclosure.mask_value(f.then.value, small),
            "År nu": f.now.year if f.now else None, "Nu": None if f.now is None else disclosure.mask_value(f.now.value, small),
            "p-värde": None if f.test is None or masked else f.test.p_value,
            "Mål": f.target, "Målet nått": None if f.met is None or masked else f.met,
        })
    followed = [f for f in follow if f.indicator is not None]
    met = [f for f in followed if f.met and not _masked(f, small)]
    sentences = [f"{capitalise(count_of(len(met), len(followed), 'åtgärd', 'åtgärder'))} med en indikator i åtgärdsplanen för {last} nådde sitt mål."]
    tested = [(f, row) for f, (_, row) in zip(follow, rows.iterrows()) if f.test is not None and not _masked(f, small)]
    moved = [f"{f.measure_id} ({change_wording(True, f.diff, 0, 100 if f.kind == SURVEY else 1).split(',')[0]})" for f, _ in tested if f.test.significant]
    if moved:
        sentences.append(f"Indikatorn förändrades statistiskt säkerställt för {join_sv(moved)}.")
    if len(moved) < len(tested):
        rest = [f.measure_id for f, _ in tested if not f.test.significant]
        sentences.append(f"För {join_sv(rest)} är förändringen inte statistiskt säkerställd.")
    few = [few_cases_item(f.measure_id, f.test) for f, _ in tested if f.kind == CRIME]
    if any(few):
        # not "Förändringen för …": that sentence names CompStat's categories elsewhere in the report
        sentences.append(f"Förändringen i indikatorn för {join_sv(x for x in few if x)} bygger på få fall; en stor procentuell förändring kan bero på slumpen.")
    return [
        Table(
            caption=f"Uppföljning av åtgärdsplanen för {ctx.area.name} {last}: indikatorerna då och nu",
            table=pd.DataFrame(shown),
            data=pd.DataFrame(data),
            numeric=("Då", "Nu", "Förändring", "Mål"),
            note=f"Anmälda brott räknas {period_words(ctx.period_end)} varje år; förändringen prövas med exakt Poissontest. "
            "Andelar med 95 % konfidensintervall (Wilson); förändringen prövas med tvåprovstest. Indikatorer ur registren: "
            "förändringen anges utan test. Målet är nått när värdet nu har nått målet, med värdena avrundade som de visas.",
        ),
        Text(" ".join(sentences)),
    ]


def gaps(ctx: ChapterContext) -> Table | Missing | Text:
    """Tabell: the gaps of the year's plan: a measure without an indicator, one pointing at a
    problem or cause not in the orsaksanalys or at an indicator the data do not have, and a
    cooperation area with status särskilda åtgärder (params ``priority_areas``) without a measure."""
    rows = _plan(ctx, ctx.year)
    if rows is None:
        return missing_table(ctx, "atgarder", "Luckorna i åtgärdsplanen")
    if rows.empty:
        return empty_filter(f"Det finns ingen åtgärdsplan för {ctx.area.name} {ctx.year} i tabellen atgarder att granska.")
    found = plan_gaps(rows, _causes(ctx, ctx.year), known_references(ctx.data) or {})
    linked = set(rows["cooperation_area"].dropna()) if "cooperation_area" in rows else set()
    for key, entry in ctx.params.priority_areas.items():
        if entry.status == "sarskilda_atgarder" and key not in linked:
            found.append((MISSING, f"samverkansområdet {COOPERATION_AREAS[key].title} har status särskilda åtgärder men ingen åtgärd i planen"))
    if not found:
        return Text("Planen har inga luckor: varje åtgärd följs av en indikator och riktar sig mot en orsak i orsaksanalysen, "
                    "och varje samverkansområde med särskilda åtgärder har en åtgärd.")
    table = pd.DataFrame(found, columns=["Åtgärd", "Lucka"])
    return Table(
        caption=f"Luckor i åtgärdsplanen för {ctx.area.name} {ctx.year}",
        table=table,
        numeric=(),
        note="En åtgärd utan indikator kan inte följas upp; en åtgärd som inte riktar sig mot en orsak i orsaksanalysen saknar "
        "den koppling mellan problem och åtgärd som lagen om kommuners brottsförebyggande arbete kräver.",
    )
