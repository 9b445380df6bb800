"""Chapter 3, Beskrivning av tryggheten: differences between groups of respondents.

Holds the gap between women and men (:func:`gender_gap_table`, :func:`gender_gap_chart`, and
:func:`area_gap` with :func:`gap_sentence` for the key findings) and the shares per age group
(:func:`age_group_table`), each with 95 % intervals and two-proportion tests.
"""

from __future__ import annotations

import pandas as pd

from lagesbild_lib.context import ChapterContext
from lagesbild_lib.present.reference import reference_words
from lagesbild_lib.present.fmt import fmt_share_ci
from lagesbild_lib.present.pieces import Chart, Missing, Table, Text
from lagesbild_lib.analysis.survey import GroupGap, age_groups, group_gap, group_shares, share_difference_interval, share_interval
from lagesbild_lib.figures.survey import fmt_pp_ci, gaps_alt, plot_gaps
from lagesbild_lib.present.text import NOT_SIGNIFICANT, SIGNIFICANT
from lagesbild_lib.sections.safety_analysis import (
    ANSWER, CI_NOTE, SMALL_NOTE, STAR_NOTE, SafetyAnalysis, analyse, drop_empty, no_rows, share_ci, share_ci_star,
)

GAP_COLUMN = "Skillnad kvinnor − män, procentenheter"


def _gaps(ctx: ChapterContext, a: SafetyAnalysis) -> list[GroupGap]:
    survey = ctx.data.table("survey")
    ids = list(a.now["area_id"])
    found = [group_gap(survey, ctx.areas, aid, ctx.year, a.question, ANSWER, survey_name=a.survey_name) for aid in ids]
    return [g for g in found if g is not None]


def area_gap(ctx: ChapterContext, a: SafetyAnalysis) -> GroupGap | None:
    if not a.ok:
        return None
    return group_gap(ctx.data.table("survey"), ctx.areas, ctx.area.area_id, ctx.year, a.question, ANSWER, survey_name=a.survey_name)


def gap_sentence(g: GroupGap, phrase: str) -> str:
    if g.diff == 0:
        lead = f"Lika stor andel kvinnor som män {phrase}"
    else:
        lead = f"Fler {'kvinnor än män' if g.diff > 0 else 'män än kvinnor'} {phrase}"
    return (
        f"{lead}: {fmt_share_ci(g.share1, *share_interval(g.share1, g.n1))} bland kvinnor mot "
        f"{fmt_share_ci(g.share2, *share_interval(g.share2, g.n2))} bland män. Skillnaden är {fmt_pp_ci(g.diff, g.lo, g.hi)} och "
        f"{SIGNIFICANT if g.significant else NOT_SIGNIFICANT}."
    )


def _gap_frame(gaps: list[GroupGap]) -> pd.DataFrame:
    return pd.DataFrame([g.__dict__ for g in gaps])


def gender_gap_table(ctx: ChapterContext) -> Table | Missing:
    """Tabell: women's and men's shares per sub-area, the area and the city, and the gap with its interval."""
    a = analyse(ctx)
    if not a.ok:
        return no_rows(ctx, a, "Jämförelsen mellan kvinnor och män")
    gaps = _gaps(ctx, a)
    if not gaps:
        return Missing(f"Jämförelsen mellan kvinnor och män kan inte visas: {a.survey_name} redovisar inte andelarna per kön för {ctx.area.name} {ctx.year}.")
    f = _gap_frame(gaps)
    shown = pd.DataFrame({
        "Område": f["name"],
        "Kvinnor (95 % KI)": [fmt_share_ci(g.share1, *share_interval(g.share1, g.n1)) for g in gaps],
        "Män (95 % KI)": [fmt_share_ci(g.share2, *share_interval(g.share2, g.n2)) for g in gaps],
        "Kvinnor − män, procentenheter (95 % KI)": [fmt_pp_ci(g.diff, g.lo, g.hi, unit=False) for g in gaps],
        "Bedömning": [SIGNIFICANT if g.significant else NOT_SIGNIFICANT for g in gaps],
        "Anmärkning": [SMALL_NOTE if g.small else "" for g in gaps],
    })
    data = f.rename(columns={
        "name": "Område", "share1": "Andel kvinnor", "n1": "Svarande kvinnor", "share2": "Andel män", "n2": "Svarande män",
        "diff": "Skillnad (andel)", "lo": "KI nedre", "hi": "KI övre", "p_value": "p-värde",
        "significant": "Statistiskt säkerställd", "small": "Färre än 30 svarande",
    }).drop(columns=["area_id"])
    return Table(
        caption=f"{a.text.caption}, kvinnor och män {ctx.year} ({a.survey_name})",
        table=drop_empty(shown), data=data,
        numeric=("Kvinnor (95 % KI)", "Män (95 % KI)", "Kvinnor − män, procentenheter (95 % KI)"),
        note=f"{CI_NOTE} Skillnaden i procentenheter med Newcombes intervall; tvåprovstest för andelar, statistiskt säkerställd betyder p < 0,05.",
    )


def gender_gap_chart(ctx: ChapterContext) -> Chart | None:
    """Diagram: the women − men gap per area with its interval (None when the table already says what is missing)."""
    a = analyse(ctx)
    if not a.ok:
        return None
    gaps = _gaps(ctx, a)
    if not gaps:
        return None
    f = _gap_frame(gaps)
    what = a.text.caption[0].lower() + a.text.caption[1:]
    return Chart(
        figure=plot_gaps(f, f"Skillnad mellan kvinnor och män {ctx.year}", "Kvinnor − män, procentenheter (95 % KI)",
                         reference_ids=(ctx.area.area_id, a.city_id or "")),
        caption=f"Skillnad mellan kvinnor och män i {what}, per delområde {ctx.year}, i procentenheter med 95 % konfidensintervall ({a.survey_name})",
        alt=gaps_alt(f, ctx.area.area_id, ctx.area.name, "kvinnor", "män", what),
        data=f.rename(columns={"name": "Område", "diff": GAP_COLUMN, "lo": "KI nedre", "hi": "KI övre",
                               "small": "Färre än 30 svarande"})[["Område", GAP_COLUMN, "KI nedre", "KI övre", "Färre än 30 svarande"]],
        formats={GAP_COLUMN: "pp", "KI nedre": "pp", "KI övre": "pp"},
        note="Till höger om nollstrecket: högre andel bland kvinnor. Ofylld punkt: färre än 30 svarande i någon av grupperna.",
    )


def age_group_table(ctx: ChapterContext) -> tuple[Table, Text] | None:
    """Tabell and Text: shares per age group in the area (and the city) with the widest gap; None without age groups."""
    a = analyse(ctx)
    if not a.ok:
        return None
    survey = ctx.data.table("survey")
    this_year = survey[(survey["year"] == ctx.year) & survey["area_id"].isin(ctx.areas.descendants(ctx.area.area_id))]
    groups = age_groups(this_year, a.question, a.survey_name)
    if not groups:
        return None
    mine = group_shares(survey, ctx.areas, ctx.area.area_id, ctx.year, a.question, ANSWER, groups, a.survey_name)
    if mine.empty:
        return None
    shown = pd.DataFrame({"Åldersgrupp": mine["group"], ctx.area.name + " (95 % KI)": [share_ci_star(r) for _, r in mine.iterrows()]})
    data = mine.rename(columns={"group": "Åldersgrupp", "share": "Andel", "lo": "KI nedre", "hi": "KI övre",
                                "respondents": "Svarande", "small": "Färre än 30 svarande"})
    if a.city_id:
        city = group_shares(survey, ctx.areas, a.city_id, ctx.year, a.question, ANSWER, groups, a.survey_name).set_index("group")
        ref = reference_words(ctx).definite
        shown[f"{ref[0].upper()}{ref[1:]} (95 % KI)"] = [share_ci(city.loc[g]) if g in city.index else "–" for g in mine["group"]]
        data[f"Andel {ref}"] = [city.at[g, "share"] if g in city.index else None for g in mine["group"]]
    top, low = mine.loc[mine["share"].idxmax()], mine.loc[mine["share"].idxmin()]
    lo, hi = share_difference_interval(top["share"], top["respondents"], low["share"], low["respondents"])
    words = (
        f"Högst andel bland {top['group']} år, {share_ci(top)}, och lägst bland {low['group']} år, {share_ci(low)}; "
        f"skillnaden är {fmt_pp_ci(top['share'] - low['share'], lo, hi)}."
    ).replace("år år", "år")
    table = Table(
        caption=f"{a.text.caption}, per åldersgrupp {ctx.year} ({a.survey_name})",
        table=shown, data=data, note=f"{CI_NOTE} {STAR_NOTE}",
    )
    return table, Text(words)
