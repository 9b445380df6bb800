"""Chapter Orsaker (lag 2023:196 §4, the analysis of causes): the risk and protective factor
panel from ``indicators`` against the reference area and over time, and the analysts'
orsaksanalys per prioritised problem from ``orsaker`` as fishbone diagrams with their tables.
(The peers comparison of the same chapter is in :mod:`lagesbild_lib.sections.peers`.)"""

from __future__ import annotations

import pandas as pd

from lagesbild_lib.analysis.indicators import fmt_diff, indicator_year
from lagesbild_lib.analysis.risk import causes_of, youth_shares, default_factors, factor_roles, fishbone_frame, reference_area, risk_panel
from lagesbild_lib.context import ChapterContext
from lagesbild_lib.figures.fishbone import fishbone_alt, plot_fishbone
from lagesbild_lib.present.reference import reference_name, reference_words
from lagesbild_lib.present.fmt import MISSING, UNITS, fmt_int, fmt_num, fmt_share_ci, fmt_value
from lagesbild_lib.present.pieces import Chart, Missing, Table, Text
from lagesbild_lib.present.text import difference_wording, in_sentence, join_sv
from lagesbild_lib.sections.common import empty_filter, missing_table

ROLE_TITLES = {"risk": "Riskfaktor", "skydd": "Skyddsfaktor"}
#: The readings named in the sentence, in the order the sentence names them.
READINGS = ("större risk", "svagare skydd", "mindre risk", "starkare skydd")


def _value(value: float, unit: str) -> str:
    if pd.isna(value):
        return MISSING
    return fmt_value(value, unit) if unit in UNITS else f"{fmt_num(value, 1)} {unit}"


def _panel(ctx: ChapterContext):
    indicators = ctx.data.table("indicators")
    if indicators is None:
        return None, None, None
    year = indicator_year(indicators, ctx.area.area_id, ctx.year)
    if year is None:
        return indicators.iloc[0:0], None, None
    reference = reference_area(indicators, ctx.areas, ctx.area.area_id, year)
    roles = factor_roles(default_factors(), ctx.params.risk_factors)
    return risk_panel(indicators, roles, ctx.area.area_id, reference, year), reference, year


def risk_factors(ctx: ChapterContext) -> list | Missing:
    """Tabell and text: the area's risk and protective factors (which indicators they are is data:
    ``resources/risk_factors.csv`` and params ``risk_factors``) beside the reference area's value,
    what the difference means for the factor, and the change over the last years."""
    panel, reference, year = _panel(ctx)
    if panel is None:
        return missing_table(ctx, "indicators", "Risk- och skyddsfaktorerna")
    if panel.empty:
        return empty_filter(
            f"Det finns inga risk- eller skyddsfaktorer för {ctx.area.name} år {ctx.year} eller tidigare i tabellen indicators "
            "(urvalet: indikatorer som är angivna som risk- eller skyddsfaktorer i risk_factors)."
        )
    area = ctx.area.name
    ref_name = reference_name(ctx.areas, reference) if reference else None  # "riket" in running text
    shown = {
        "Faktor": panel["label"].tolist(),
        "Typ": [ROLE_TITLES[r] for r in panel["role"]],
        area: [_value(v, u) for v, u in zip(panel["value"], panel["unit"])],
    }
    data = {"Faktor": panel["label"].tolist(), "Indikator": panel["indicator"].tolist(), "Typ": panel["role"].tolist(),
            "Enhet": panel["unit"].tolist(), area: panel["value"].tolist()}
    if ref_name:
        heading = ctx.areas.name(reference)  # a column heading: "Riket"
        ref_col = heading if heading != area else f"{heading} (jämförelse)"
        shown[ref_col] = [_value(v, u) for v, u in zip(panel["ref_value"], panel["unit"])]
        shown[f"Jämfört med {ref_name}"] = [w or MISSING for w in panel["wording"]]
        shown["Innebär"] = [r or MISSING for r in panel["reading"]]
        data[ref_col] = panel["ref_value"].tolist()
        data[f"Jämfört med {ref_name}"] = panel["wording"].tolist()
    shown["Förändring"] = [
        MISSING if pd.isna(c) else (f"{fmt_diff(c, u)} sedan {int(y)}" if u in UNITS else f"{fmt_num(c, 1)} sedan {int(y)}")
        for c, u, y in zip(panel["change"], panel["unit"], panel["first_year"])
    ]
    data["Från år"] = panel["first_year"].tolist()
    data["Förändring"] = panel["change"].tolist()
    caption = f"Risk- och skyddsfaktorer i {area} {year}" + (f" jämfört med {ref_name}" if ref_name else "")
    pieces: list = [
        Table(
            caption=caption,
            table=pd.DataFrame(shown),
            data=pd.DataFrame(data),
            numeric=tuple(c for c in shown if c not in ("Faktor", "Typ", f"Jämfört med {ref_name}", "Innebär")),
            note="Riskfaktor: en högre nivå hänger samman med mer brottslighet och otrygghet; skyddsfaktor: en högre nivå skyddar. "
            "Vilka indikatorer som är risk- och skyddsfaktorer följer programmets standardlista, som analytikerna kan ändra i params (risk_factors). "
            "Registeruppgifter om hela befolkningen: skillnaderna prövas inte statistiskt.",
        )
    ]
    sentence = _reading_sentence(panel, area, ref_name)
    if sentence:
        pieces.append(Text(sentence if year == ctx.year else f"{sentence} Uppgifterna avser {year}, det senaste året med uppgifter."))
    return pieces


def _reading_sentence(panel: pd.DataFrame, area: str, ref_name: str | None) -> str:
    """"Jämfört med Stockholm har Hässelby-Vällingby större risk när det gäller …, och svagare skydd när det gäller …"."""
    if not ref_name:
        return ""
    parts = []
    for what in READINGS:
        labels = [in_sentence(x) for x, r in zip(panel["label"], panel["reading"]) if r == what]
        if labels:
            parts.append(f"{what} när det gäller {join_sv(labels)}")
    if not parts:
        return ""
    return f"Jämfört med {ref_name} har {area} {'; '.join(parts)}."


def youth_survey(ctx: ChapterContext) -> Table | Missing:
    """Tabell: the youth survey's risk and protective factors (survey questions named in
    ``risk_factors``, answer ``ja``, all respondents), the latest measurement of each up to the
    report year, with its Wilson interval and the two-proportion test against the city."""
    survey = ctx.data.table("survey")
    if survey is None:
        return missing_table(ctx, "survey", "Resultaten från ungdomsenkäten")
    roles = factor_roles(default_factors(), ctx.params.risk_factors)
    found = youth_shares(survey, ctx.areas, ctx.area.area_id, ctx.city_to_compare.area_id if ctx.city_to_compare else None, roles, ctx.year)
    if found.empty:
        return Missing(
            f"Resultat från en ungdomsenkät visas inte: tabellen survey har inga svar för {ctx.area.name} till och med {ctx.year} "
            "på de enkätfrågor som är angivna som risk- eller skyddsfaktorer (risk_factors)."
        )
    city = ctx.city_to_compare.name if ctx.city_to_compare else None
    shown = pd.DataFrame({
        "Fråga": found["question"], "Typ": [ROLE_TITLES[r] for r in found["role"]], "Undersökning": found["survey"], "År": found["year"],
        ctx.area.name: [f"{fmt_share_ci(p, lo, hi)}, {fmt_int(n)} svarande" for p, lo, hi, n in zip(found["share"], found["lo"], found["hi"], found["n"])],
    })
    if city:
        shown[city] = [MISSING if pd.isna(p) else fmt_share_ci(p, lo, hi) for p, lo, hi in zip(found["city_share"], found["city_lo"], found["city_hi"])]
        shown[f"Jämfört med {city}"] = [
            MISSING if pd.isna(d) else difference_wording(d, bool(sig), reference_words(ctx).definite, 0, 100)
            for d, sig in zip(found["diff"], found["significant"])
        ]
    return Table(
        caption=f"Ungdomsenkätens risk- och skyddsfaktorer i {ctx.area.name}, senaste mätningen till och med {ctx.year}",
        table=shown,
        data=found.drop(columns=["lo", "hi", "city_lo", "city_hi"]),
        numeric=(ctx.area.name, *((city,) if city else ())),
        note="Andelar med 95 % konfidensintervall (Wilson)."
             + (f" Jämförelsen med {reference_words(ctx).definite} är ett tvåprovstest mot {reference_words(ctx).rest}." if city else ""),
    )


def cause_analysis(ctx: ChapterContext) -> list | Missing:
    """Per prioritised problem of the year's orsaksanalys (``orsaker``): a fishbone diagram of its
    causes on the offender, victim/target and place/situation branches, with the same content as
    a table under it (evidence as references to the report's tables and figures)."""
    table = ctx.data.table("orsaker")
    if table is None:
        return missing_table(ctx, "orsaker", "Orsaksanalysen")
    causes = causes_of(table, ctx.areas, ctx.area.area_id, ctx.year)
    if causes.empty:
        return empty_filter(f"Det finns ingen orsaksanalys för {ctx.area.name} {ctx.year} i tabellen orsaker (urvalet: year {ctx.year}, {ctx.area.name} och områdena under).")
    pieces: list = [Text(
        "Orsaksanalysen följer Brås modell: för varje prioriterat problem anger analytikerna orsaker hos gärningspersonen, "
        "hos offret eller målet och i platsen eller situationen, och vilket underlag i rapporten som visar det. "
        "Åtgärderna i åtgärdsplanen riktar sig mot orsakerna."
    )]
    for problem_id, part in causes.groupby("problem_id", sort=False):
        problem = str(part["problem"].iloc[0])
        frame = fishbone_frame(part)
        pieces.append(Chart(
            figure=plot_fishbone(problem, frame),
            caption=f"Orsaksanalys {ctx.year}, problem {problem_id}: {problem}",
            alt=fishbone_alt(problem, frame, problem_id),
            data=frame,
            formats={"Gren": "text", "Orsak": "text", "Underlag": "text"},
        ))
    return pieces

