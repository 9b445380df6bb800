"""Chapter 1, Beskrivning av området: population facts and socio-economic indicators vs the city."""

from __future__ import annotations

import pandas as pd

from lagesbild_lib.context import ChapterContext
from lagesbild_lib.present.fmt import fmt_int, fmt_pct, fmt_signed_int, fmt_value
from lagesbild_lib.analysis.indicators import fmt_diff, indicator_comparison, indicator_sentences, indicator_year
from lagesbild_lib.present.reference import kommun_references, reference_name, reference_words
from lagesbild_lib.analysis.rank import indicator_ranks
from lagesbild_lib.analysis.population import SEX_LABELS, age_label, population_by_age_sex, population_change, population_total, population_year, subarea_population, young_share
from lagesbild_lib.figures.population import plot_population_by_age_sex, population_by_age_sex_alt
from lagesbild_lib.present.pieces import Chart, Missing, Table, Text
from lagesbild_lib.present.text import join_sv, level_plural
from lagesbild_lib.sections.common import empty_filter, missing_table
from lagesbild_lib.sections.indicators_kommun import kommun_comparison, kommun_indicators_table, kommun_text
from lagesbild_lib.sections.forecast import forecast_table, forecast_text  # noqa: F401 — the notebook calls them as omradet.*


def _change_phrase(change, reference: str) -> str:
    """"ökade med 512 personer (+0,7 %) jämfört med 2022" and the like."""
    if change.diff == 0:
        return f"var oförändrad {reference}"
    verb = "ökade" if change.diff > 0 else "minskade"
    person = "person" if abs(change.diff) == 1 else "personer"
    return f"{verb} med {fmt_int(abs(change.diff))} {person} ({fmt_pct(change.pct, 1, signed=True)}) {reference}"


def population_text(ctx: ChapterContext) -> Text | Missing:
    """Sentences on population, its change since last year and five years back, and the share under 20 vs the city."""
    pop = ctx.data.table("population")
    if pop is None:
        return missing_table(ctx, "population", "Befolkningsuppgifterna")
    year = population_year(pop, ctx.year)
    if year is None:
        return Missing(f"Det finns inga befolkningsuppgifter för {ctx.year} eller tidigare år.")
    total = population_total(pop, ctx.areas, ctx.area.area_id, year)
    if total is None:
        return empty_filter(f"Det finns inga befolkningsuppgifter för {ctx.area.name} år {year} (urvalet: år {year}, {ctx.area.name} eller dess delområden).")
    sentences = [f"{ctx.area.name} hade {fmt_int(total)} invånare år {year}."]
    if year != ctx.year:
        sentences.append(f"Uppgifter för {ctx.year} saknas; siffrorna avser {year}, det senaste året med uppgifter.")
    changes = []
    last = population_change(pop, ctx.areas, ctx.area.area_id, year, 1)
    if last is not None and last.before:
        changes.append(_change_phrase(last, f"jämfört med {last.year_before}"))
    five = population_change(pop, ctx.areas, ctx.area.area_id, year, 5, fallback_to_first=True)
    if five is not None and five.before:
        since = f"sedan {five.year_before}" + (", det första året med uppgifter" if five.year_before != year - 5 else "")
        phrase = _change_phrase(five, since)
        if changes:
            # "… jämfört med 2022 och ökade med … sedan 2019": drop the repeated verb when the direction is the same.
            same_verb = phrase.split()[0] == changes[0].split()[0] and five.diff != 0
            phrase = phrase.split(" ", 1)[1] if same_verb else phrase
        changes.append(phrase)
    if changes:
        sentences.append(f"Folkmängden {' och '.join(changes)}.")
    young = young_share(pop, ctx.areas, ctx.area.area_id, year)
    city = ctx.city_to_compare
    city_young = young_share(pop, ctx.areas, city.area_id, year) if city is not None else None
    if young is not None:
        if city_young is not None:
            sentences.append(
                f"Andelen invånare under 20 år var {fmt_pct(young, 1)} jämfört med {fmt_pct(city_young, 1)} i {reference_words(ctx).definite} "
                f"som helhet ({city.name})."
            )
        else:
            sentences.append(f"Andelen invånare under 20 år var {fmt_pct(young, 1)}{_young_in_references(ctx, pop, year)}.")
    return Text(" ".join(sentences))


def _young_in_references(ctx: ChapterContext, pop: pd.DataFrame, year: int) -> str:
    """" jämfört med 21,0 % i Gävleborgs län och 21,5 % i riket": a kommun's län and riket where the
    population table has their own rows by age (DESIGN §6: a sum of the few kommuner the data hold
    below a län or riket would not be the län or riket); "" for any other area or without them."""
    if ctx.city_to_compare is not None or ctx.area.level != "kommun":
        return ""
    own = set(pop.loc[pop["year"] == year, "area_id"].astype(str))
    shares = [(reference_name(ctx.areas, r), young_share(pop, ctx.areas, r, year)) for r in kommun_references(ctx.areas, ctx.area.area_id) if r in own]
    known = [f"{fmt_pct(v, 1)} i {name}" for name, v in shares if v is not None]
    return f" jämfört med {join_sv(known)}" if known else ""


def population_chart(ctx: ChapterContext) -> Chart | None:
    """Diagram: population by age group and sex (None when there is no population for the area)."""
    pop = ctx.data.table("population")
    if pop is None or (year := population_year(pop, ctx.year)) is None:
        return None
    frame = population_by_age_sex(pop, ctx.areas, ctx.area.area_id, year)
    if frame.empty:
        return None
    city = ctx.city_to_compare
    city_frame = population_by_age_sex(pop, ctx.areas, city.area_id, year) if city is not None else pd.DataFrame()
    totals = frame.sum(axis=1)
    data = pd.DataFrame({"Åldersgrupp": [age_label(a) for a in frame.index]})
    for column in frame.columns:
        data[SEX_LABELS.get(column, column)] = [fmt_int(v) for v in frame[column]]
    if len(frame.columns) > 1:
        data["Totalt"] = [fmt_int(v) for v in totals]
    data["Andel av befolkningen"] = [fmt_pct(100.0 * v / totals.sum(), 1) for v in totals]
    if len(city_frame):
        city_totals = city_frame.sum(axis=1)
        data[f"Andel i {city.name}"] = [
            fmt_pct(100.0 * city_totals[a] / city_totals.sum(), 1) if a in city_totals.index else "–" for a in frame.index
        ]
    by_sex = " och kön" if "kvinna" in frame.columns else ""
    return Chart(
        figure=plot_population_by_age_sex(frame, f"Befolkning i {ctx.area.name} {year}"),
        caption=f"Befolkning i {ctx.area.name} efter ålder{by_sex} {year}",
        alt=population_by_age_sex_alt(frame, ctx.area.name, year),
        data=data,
    )


def subarea_population_table(ctx: ChapterContext) -> Table | Missing | None:
    """Tabell: population per sub-area this year and last year, with the share under 20 (None for an area without sub-areas)."""
    pop = ctx.data.table("population")
    if pop is None:
        return missing_table(ctx, "population", "Befolkningen per delområde")
    year = population_year(pop, ctx.year)
    if year is None:
        return None
    if not ctx.sub_areas:
        return None
    frame = subarea_population(pop, ctx.areas, ctx.area.area_id, year)
    if frame.empty or frame["after"].isna().all():
        return Missing(f"{ctx.area.name} har inga delområden med befolkningsuppgifter.")
    total_before = population_total(pop, ctx.areas, ctx.area.area_id, year - 1)
    total_after = population_total(pop, ctx.areas, ctx.area.area_id, year)
    total = {
        "area_id": ctx.area.area_id,
        "name": f"Hela {ctx.area.name}",
        "before": total_before,
        "after": total_after,
        "diff": None if total_before is None or total_after is None else total_after - total_before,
        "pct": None if not total_before or total_after is None else 100.0 * (total_after - total_before) / total_before,
        "young": young_share(pop, ctx.areas, ctx.area.area_id, year),
    }
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    shown = pd.DataFrame(
        {
            "Delområde": frame["name"],
            f"Folkmängd {year - 1}": frame["before"].map(fmt_int),
            f"Folkmängd {year}": frame["after"].map(fmt_int),
            "Förändring": frame["diff"].map(fmt_signed_int),
            "Förändring %": frame["pct"].map(lambda v: fmt_pct(v, 1, signed=True)),
            "Andel under 20 år": frame["young"].map(lambda v: fmt_pct(v, 1)),
        }
    )
    data = frame.drop(columns=["area_id"]).rename(
        columns={
            "name": "Delområde",
            "before": f"Folkmängd {year - 1}",
            "after": f"Folkmängd {year}",
            "diff": "Förändring",
            "pct": "Förändring %",
            "young": "Andel under 20 år (%)",
        }
    )
    return Table(caption=f"Folkmängd per delområde i {ctx.area.name} {year - 1}–{year}", table=shown, data=data)


def _indicator_frame(ctx: ChapterContext):
    ind = ctx.data.table("indicators")
    if ind is None:
        return None, None
    year = indicator_year(ind, ctx.area.area_id, ctx.year)
    if year is None:
        return pd.DataFrame(), None
    city = ctx.city_to_compare
    return indicator_comparison(ind, ctx.area.area_id, city.area_id if city else None, year, groups=True), year


def indicators_text(ctx: ChapterContext) -> Text | None:
    """Sentences naming the indicators that are higher and lower than in the city."""
    frame, year = _indicator_frame(ctx)
    if frame is None or frame.empty:
        return None
    if ctx.city_to_compare is None:  # a kommun: its län and riket (DESIGN §6)
        return kommun_text(ctx, ctx.data.table("indicators"), year)
    ref = reference_words(ctx)
    intro = "" if ref.is_self else f"Tabellen visar områdets socioekonomiska förhållanden bredvid {ref.genitive}. "
    text = (intro + indicator_sentences(frame, ctx.area.name, ref.definite)).strip()
    if not text:
        return None
    if year != ctx.year:
        text += f" Uppgifterna avser {year}, det senaste året med uppgifter."
    return Text(text)


def indicators_table(ctx: ChapterContext) -> Table | Missing:
    """Tabell: every socio-economic indicator of the area beside the city's, with the difference and "högre"/"lägre"."""
    frame, year = _indicator_frame(ctx)
    if frame is None:
        return missing_table(ctx, "indicators", "Jämförelsen av socioekonomiska förhållanden")
    if frame.empty:
        return empty_filter(f"Det finns inga indikatorer för {ctx.area.name} år {ctx.year} eller tidigare (urvalet: {ctx.area.name}, år till och med {ctx.year}).")
    city = ctx.city_to_compare
    area_name = ctx.area.name
    note = "Skillnaden mellan andelar anges i procentenheter." if (frame["unit"] == "procent").any() else ""
    if ((frame["sex"] != "alla") | (frame["group"] != "")).any():
        note += (f" Rader för kvinnor, män eller en grupp jämförs med samma grupp i {reference_words(ctx).definite} och rangordnas "
                 "bland samma grupp i de andra områdena.")
        note = note.strip()
    if year != ctx.year:
        note = f"Uppgifterna avser {year}, det senaste året med uppgifter. {note}".strip()
    if city is None:  # a kommun: its län, riket and kommungrupp (DESIGN §6)
        indicators = ctx.data.table("indicators")
        return kommun_indicators_table(ctx, indicators, kommun_comparison(ctx, indicators, year))
    city_name = city.name
    # the area's place among its siblings (issue 16), beside the comparison with the city
    ranks = indicator_ranks(ctx.data.table("indicators"), ctx.areas, ctx.area.area_id, year)
    noun = level_plural(ctx.area.level)
    rank_col = f"Rang bland {noun}"
    # Column names must differ even when a sub-area is named like its city.
    city_col = city_name if city_name != area_name else f"{city_name} ({reference_words(ctx).definite})"
    keys = list(zip(frame["indicator"], frame["sex"], frame["group"]))
    shown = pd.DataFrame(
        {
            "Indikator": frame["row_label"],
            area_name: [fmt_value(v, u) for v, u in zip(frame["value"], frame["unit"])],
            city_col: [fmt_value(v, u) for v, u in zip(frame["city_value"], frame["unit"])],
            "Skillnad": [fmt_diff(d, u) for d, u in zip(frame["diff"], frame["unit"])],
            rank_col: [ranks[k].wording(noun, words=False) if k in ranks else "–" for k in keys],
            f"Jämfört med {city_name}": [w or "–" for w in frame["wording"]],
        }
    )
    data = pd.DataFrame(
        {
            "Indikator": frame["row_label"],
            "Enhet": frame["unit"],
            area_name: frame["value"],
            city_col: frame["city_value"],
            "Skillnad": frame["diff"],
            "Rang uppifrån": [ranks[k].from_top if k in ranks else None for k in keys],
            "Rang nedifrån": [ranks[k].from_bottom if k in ranks else None for k in keys],
            "Antal rangordnade områden": [ranks[k].peers if k in ranks else None for k in keys],
            f"Jämfört med {city_name}": frame["wording"],
        }
    )
    return Table(
        caption=f"Socioekonomiska förhållanden i {area_name} jämfört med {city_name} {year}",
        table=shown,
        numeric=(area_name, city_col, "Skillnad"),
        data=data,
        note=note,
    )
