"""Chapter 3, Beskrivning av tryggheten: survey shares with Wilson intervals and two-proportion tests.

Every function takes the chapter context and returns pieces to ``show`` (a Missing piece saying
plainly what is missing when the area and year have no survey answers). The numbers come from one
analysis per context (:func:`lagesbild_lib.sections.safety_analysis.analyse`), so the key findings
at the top and the tables under them always agree.

This module holds the key findings and the tables and chart of the share per sub-area, per year
and since the previous survey; the chapter's other sections live in sibling modules by subject
(:mod:`~lagesbild_lib.sections.safety_surveys`, :mod:`~lagesbild_lib.sections.safety_map`,
:mod:`~lagesbild_lib.sections.safety_places`, :mod:`~lagesbild_lib.sections.safety_groups`) and
are imported here, so the notebook reaches every section as ``trygghet.<name>``.
"""

from __future__ import annotations

import pandas as pd

from lagesbild_lib.analysis import breaks as series_breaks
from lagesbild_lib.context import ChapterContext
from lagesbild_lib.present.fmt import fmt_int, fmt_share_ci
from lagesbild_lib.present.pieces import Chart, Missing, Table, Text
from lagesbild_lib.present.reference import reference_words
from lagesbild_lib.figures.survey import fmt_pp, plot_subarea_years, subarea_years_alt
from lagesbild_lib.present.text import NOT_SIGNIFICANT, SIGNIFICANT, change_wording, join_sv
from lagesbild_lib.sections.safety_analysis import (
    CI_NOTE, SHARE_FORMATS, SMALL_NOTE, STAR_NOTE, analyse, city_sentence, drop_empty, no_rows, share_ci, share_ci_star,
    subareas_of,
)
from lagesbild_lib.sections.safety_groups import age_group_table, area_gap, gap_sentence, gender_gap_chart, gender_gap_table
from lagesbild_lib.sections.safety_map import unsafety_map
from lagesbild_lib.sections.safety_places import places_chart, places_table, worry_places
from lagesbild_lib.sections.safety_surveys import disagreement_sentence, survey_comparison

#: The sections the chapter notebook calls, in the order it shows them.
__all__ = [
    "key_findings", "unsafety_table", "unsafety_chart", "unsafety_by_year_table", "change_table", "survey_comparison",
    "unsafety_map", "places_chart", "places_table", "gender_gap_table", "gender_gap_chart", "age_group_table",
]


def _breaks(ctx: ChapterContext, a) -> list:
    """The series breaks (params ``series_breaks``) of the chapter's question in its survey."""
    return series_breaks.of_question(ctx.params.series_breaks, a.question, a.survey_name)


def _breaks_note(found: list) -> str:
    return series_breaks.notes((b, series_breaks.subject(b)) for b in found)


# --------------------------------------------------------------------------- key findings


def key_findings(ctx: ChapterContext) -> Text | Missing:
    """Text: the chapter's main findings as bullets, from the same numbers as the tables."""
    a = analyse(ctx)
    if not a.ok:
        return no_rows(ctx, a)
    area = ctx.area.area_id
    bullets = []
    own = a.now[a.now["area_id"] == area].iloc[0]
    line = f"**{share_ci(own)}** av de svarande i {ctx.area.name} {a.text.phrase} ({a.survey_name} {ctx.year})."
    if a.city_id:
        city = a.now[a.now["area_id"] == a.city_id]
        if len(city) and own["city_wording"]:
            line += " " + city_sentence(own["city_diff"], own["city_significant"], share_ci(city.iloc[0]), a.reference)
    bullets.append(line)
    if a.prev is None:
        bullets.append(f"Det finns ingen tidigare mätning i {a.survey_name} att jämföra med.")
    else:
        ch = a.changes[a.changes["area_id"] == area]
        if len(ch):
            c = ch.iloc[0]
            before = fmt_share_ci(c["share_before"], c["lo_before"], c["hi_before"])
            across = series_breaks.spans(series_breaks.crossing(_breaks(ctx, a), a.prev, ctx.year), a.prev)
            bullets.append(
                f"Jämfört med {a.prev}, då andelen var {before}, är förändringen {fmt_pp(c['diff'])}, "
                f"{SIGNIFICANT if c['significant'] else NOT_SIGNIFICANT}." + (f" {across}" if across else "")
            )
    subs = subareas_of(ctx, a.now, a)
    if len(subs) >= 2:
        sure = subs[~subs["small"]]
        if len(sure) >= 2:
            top, low = sure.loc[sure["share"].idxmax()], sure.loc[sure["share"].idxmin()]
            among = " (bland delområden med minst 30 svarande)" if len(sure) < len(subs) else ""
            bullets.append(f"Högst andel{among} har {top['name']} med {share_ci(top)}, lägst {low['name']} med {share_ci(low)}.")
        for word in ("högre", "lägre"):
            named = list(subs.loc[subs["city_wording"].str.startswith(word), "name"])
            if named:
                bullets.append(f"Statistiskt säkerställt {word} än {a.reference}: {join_sv(named)}.")
        if a.prev is not None and len(a.changes):
            moved = subareas_of(ctx, a.changes, a)
            moved = moved[moved["significant"]]
            crossed = series_breaks.crossing(_breaks(ctx, a), a.prev, ctx.year)
            over = f" Jämförelsen spänner över serieuppbrottet {join_sv(str(b.year) for b in crossed)}." if crossed else ""
            if len(moved):
                parts = [f"{r['name']} ({'ökning' if r['diff'] > 0 else 'minskning'} {fmt_pp(r['diff'], signed=False)})" for _, r in moved.iterrows()]
                bullets.append(f"Statistiskt säkerställd förändring sedan {a.prev}: {join_sv(parts)}.{over}")
            else:
                bullets.append(f"Inget delområdes förändring sedan {a.prev} är statistiskt säkerställd.{over}")
        small = list(subs.loc[subs["small"], "name"])
        if small:
            bullets.append(
                f"För {join_sv(small)} bygger andelen på färre än 30 svarande och är osäker."
            )
    disagreement = disagreement_sentence(ctx, a)
    if disagreement:
        bullets.append(disagreement)
    stale = a.directions[a.directions["year"] != ctx.year]
    for _, r in stale.iterrows():
        bullets.append(f"{r['survey']} gjordes inte {ctx.year}; senaste mätningen ({int(r['year'])}) gav {share_ci(r)} för {ctx.area.name}.")
    gap = area_gap(ctx, a)
    if gap is not None:
        bullets.append(gap_sentence(gap, a.text.phrase))
    places = worry_places(ctx)
    if places is not None and len(places["area"]):
        first = places["table"].iloc[0]
        line = f"Flest nämner ”{first['answer']}” som en plats där de känner oro: {share_ci(first)}"
        if pd.notna(first.get("city_share")):
            line += f" i {ctx.area.name} mot {fmt_share_ci(first['city_share'], first['city_lo'], first['city_hi'])} i {reference_words(ctx).definite}"
        bullets.append(line + ".")
    return Text("\n".join(f"- {b}" for b in bullets))


# --------------------------------------------------------------------------- this year, per sub-area


def unsafety_table(ctx: ChapterContext) -> Table | Missing:
    """Tabell: this year's share per sub-area, the area and the city, each against the city."""
    a = analyse(ctx)
    if not a.ok:
        return no_rows(ctx, a, "Tabellen")
    now = a.now
    compared = f"Jämfört med {a.reference}"  # the city; for a kommun, the kommun itself
    ref = reference_words(ctx)
    shown = pd.DataFrame({
        "Område": now["name"],
        f"{a.text.column} (95 % KI)": [share_ci(r) for _, r in now.iterrows()],
        "Svarande": now["respondents"].map(fmt_int),
        compared: now["city_wording"],
        "Anmärkning": now["small"].map({True: SMALL_NOTE, False: ""}),
    })
    data = now.rename(columns={
        "name": "Område", "share": "Andel", "respondents": "Svarande", "lo": "KI nedre", "hi": "KI övre",
        "small": "Färre än 30 svarande", "city_diff": f"Skillnad mot {ref.rest}", "city_p": "p-värde",
        "city_wording": compared,
    })[["Område", "Andel", "KI nedre", "KI övre", "Svarande", "Färre än 30 svarande", f"Skillnad mot {ref.rest}", "p-värde", compared]]
    return Table(
        caption=f"{a.text.caption}, per delområde {ctx.year} ({a.survey_name})",
        table=drop_empty(shown),
        data=data,
        numeric=(f"{a.text.column} (95 % KI)", "Svarande"),
        note=(
            f"{CI_NOTE} Området och {ref.definite} är viktade efter antal svarande. Jämförelsen med {ref.definite} är ett "
            f"tvåprovstest för andelar mot {ref.rest} (områdets svarande ingår i {ref.genitive}); statistiskt "
            "säkerställt betyder p < 0,05."
        ) if a.city_id else (
            f"{CI_NOTE} {ctx.area.name} är viktat efter antal svarande. Jämförelsen med {a.reference} är ett "
            f"tvåprovstest för andelar mot resten av {ctx.area.name} (delområdets svarande ingår i helheten); "
            "statistiskt säkerställt betyder p < 0,05."
        ),
    )


def unsafety_chart(ctx: ChapterContext) -> Chart | Missing:
    """Diagram: share per sub-area and survey year with intervals; the area and the city as reference lines."""
    a = analyse(ctx)
    if not a.ok:
        return no_rows(ctx, a, "Diagrammet")
    frame = a.by_year
    first, last = a.years[0], a.years[-1]
    span = f"{first}–{last}" if first != last else str(last)
    what = a.text.caption[0].lower() + a.text.caption[1:]
    found = series_breaks.within(_breaks(ctx, a), a.years)
    shown_breaks = f" {_breaks_note(found)} Streckad linje: serieuppbrott." if found else ""
    return Chart(
        figure=plot_subarea_years(
            frame, ctx.area.area_id, a.city_id, f"{a.text.column}, {span}", ylabel=a.text.column,
            breaks=series_breaks.positions(a.years, [b.year for b in found]), reference=a.reference,
        ),
        caption=f"{a.text.caption} per delområde och år {span}, med 95 % konfidensintervall. "
                f"Streckad linje: hela {ctx.area.name}" + (f"; prickad linje: {a.reference}" if a.city_id else "") + f" ({a.survey_name})",
        alt=subarea_years_alt(frame, ctx.area.area_id, a.city_id, ctx.area.name, what, a.reference) + shown_breaks.replace(" Streckad linje: serieuppbrott.", ""),
        data=_year_data(frame),
        formats=SHARE_FORMATS,
        note="Ofylld punkt: färre än 30 svarande, andelen är osäker. " + CI_NOTE + shown_breaks,
    )


def _year_data(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.rename(columns={
        "year": "År", "name": "Område", "share": "Andel", "lo": "KI nedre", "hi": "KI övre", "respondents": "Svarande",
        "small": "Färre än 30 svarande",
    })[["Område", "År", "Andel", "KI nedre", "KI övre", "Svarande", "Färre än 30 svarande"]]


def unsafety_by_year_table(ctx: ChapterContext) -> Table | Missing:
    """Tabell: share with interval per sub-area (rows) and survey year (columns)."""
    a = analyse(ctx)
    if not a.ok:
        return no_rows(ctx, a, "Tabellen")
    frame = a.by_year
    order = list(dict.fromkeys(frame["area_id"]))
    names = dict(zip(frame["area_id"], frame["name"]))
    cells = {(r["area_id"], int(r["year"])): share_ci_star(r) for _, r in frame.iterrows()}
    shown = pd.DataFrame(
        [[names[aid], *[cells.get((aid, y), "–") for y in a.years]] for aid in order],
        columns=["Område", *[str(y) for y in a.years]],
    )
    span = f"{a.years[0]}–{a.years[-1]}" if len(a.years) > 1 else str(a.years[0])
    found = series_breaks.within(_breaks(ctx, a), a.years)
    return Table(
        caption=f"{a.text.caption}, per delområde och år {span} ({a.survey_name})",
        table=shown,
        data=_year_data(frame),
        note=f"{CI_NOTE} {STAR_NOTE} – ingen mätning det året." + (f" {_breaks_note(found)}" if found else ""),
    )


def change_table(ctx: ChapterContext) -> Table | Missing:
    """Tabell: this year against the previous survey year per sub-area, the area and the city, tested."""
    a = analyse(ctx)
    if not a.ok:
        return no_rows(ctx, a, "Förändringen")
    if a.prev is None:
        return Missing(f"Förändringen kan inte visas: {a.survey_name} har ingen mätning före {ctx.year} för {ctx.area.name}.")
    ch = a.changes
    if ch.empty:
        return Missing(f"Förändringen kan inte visas: inga områden har mätts både {a.prev} och {ctx.year}.")
    shown = pd.DataFrame({
        "Område": ch["name"],
        str(a.prev): [fmt_share_ci(r["share_before"], r["lo_before"], r["hi_before"]) for _, r in ch.iterrows()],
        str(ctx.year): [share_ci(r) for _, r in ch.iterrows()],
        "Förändring, procentenheter": ch["diff"].map(lambda d: fmt_pp(d).split(" ")[0]),
        "Bedömning": [change_wording(s, d, decimals=0, scale=100) for d, s in zip(ch["diff"], ch["significant"])],
        "Anmärkning": ch["small"].map({True: SMALL_NOTE, False: ""}),
    })
    across = series_breaks.spans(series_breaks.crossing(_breaks(ctx, a), a.prev, ctx.year), a.prev)
    if across:  # every row compares the same two years of the same series
        shown["Bedömning"] = shown["Bedömning"] + f" ({series_breaks.FLAG})"
    data = ch.rename(columns={
        "name": "Område", "share_before": f"Andel {a.prev}", "respondents_before": f"Svarande {a.prev}",
        "share": f"Andel {ctx.year}", "respondents": f"Svarande {ctx.year}", "diff": "Förändring (andel)",
        "p_value": "p-värde", "significant": "Statistiskt säkerställd", "small": "Färre än 30 svarande",
    }).drop(columns=["area_id", "lo_before", "hi_before", "lo", "hi"])
    return Table(
        caption=f"{a.text.caption}, {ctx.year} jämfört med föregående mätning {a.prev} ({a.survey_name})",
        table=drop_empty(shown),
        data=data,
        numeric=(str(a.prev), str(ctx.year), "Förändring, procentenheter"),
        note=f"{CI_NOTE} Förändringen i procentenheter; tvåprovstest för andelar, statistiskt säkerställd betyder p < 0,05."
        + (f" {across}" if across else ""),
    )
