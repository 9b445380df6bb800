"""Risk and protective factors (chapter Orsaker): the area's indicators that are known as risk or
protective factors, against its reference area and over time, and the orsaksanalys per problem.

Which indicator is a risk and which a protective factor is data: a default for common indicators
ships with the package (``resources/risk_factors.csv``: ``indicator,factor,why``, factor ``risk``
or ``skydd``) and params ``risk_factors`` overrides or adds to it. Nothing here reads a data file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lagesbild_lib import paths
from lagesbild_lib.analysis.indicators import HIGHER, LOWER, SAME, comparison_wording, total_rows
from lagesbild_lib.data.areas import AreaRegistry
from lagesbild_lib.data.schema import ORSAK_BRANCHES

RISK, PROTECTIVE = "risk", "skydd"
DEFAULTS_FILE = Path(paths.PACKAGE_DIR) / "resources" / "risk_factors.csv"
KOLADA_FILE = Path(paths.PACKAGE_DIR) / "resources" / "kolada_kpis.csv"
#: Years back from the report year that the change over time is measured from.
SPAN_YEARS = 4
#: The branches of the orsaksanalys as headings (in Brå's order).
BRANCH_TITLES = {"gärningsperson": "Gärningsperson", "offer-mål": "Offer/mål", "plats-situation": "Plats/situation"}
assert tuple(BRANCH_TITLES) == ORSAK_BRANCHES


def default_factors() -> pd.DataFrame:
    """The shipped default: ``indicator``, ``factor`` (risk/skydd), ``why`` (Swedish): the common
    indicators of ``resources/risk_factors.csv`` and the Kolada KPIs that ``lagesbild fetch kolada``
    writes (``resources/kolada_kpis.csv``, its ``direction`` column), the first file winning."""
    own = pd.read_csv(DEFAULTS_FILE, dtype=str, encoding="utf-8")
    if not KOLADA_FILE.is_file():
        return own
    kolada = pd.read_csv(KOLADA_FILE, dtype=str, encoding="utf-8")
    if "direction" not in kolada:
        return own
    kolada = kolada[kolada["direction"].isin([RISK, PROTECTIVE]) & ~kolada["id"].isin(own["indicator"])]
    extra = pd.DataFrame({"indicator": kolada["id"], "factor": kolada["direction"], "why": "Kolada: " + kolada["label"]})
    return pd.concat([own, extra], ignore_index=True)


def factor_roles(defaults: pd.DataFrame, overrides: dict[str, str]) -> dict[str, str]:
    """indicator id → ``risk`` or ``skydd``: the defaults with the params' overrides on top."""
    roles = dict(zip(defaults["indicator"], defaults["factor"]))
    roles.update(overrides)
    return roles


def reference_area(indicators: pd.DataFrame, registry: AreaRegistry, area_id: str, year: int) -> str | None:
    """The nearest area above ``area_id`` that has indicator rows in ``year`` (the city for a
    stadsdelsområde, the län or riket for a kommun when the data have them); None when none has."""
    rows = total_rows(indicators)
    have = set(rows.loc[rows["year"] == year, "area_id"])
    return next((a for a in registry.ancestors(area_id) if a in have), None)


def reading(role: str, wording: str) -> str:
    """What a difference means for a factor: a risk factor higher than the reference is "större
    risk", a protective factor lower is "svagare skydd"; "" without a comparison."""
    if wording == SAME:
        return "samma nivå"
    if wording == HIGHER:
        return "större risk" if role == RISK else "starkare skydd"
    if wording == LOWER:
        return "mindre risk" if role == RISK else "svagare skydd"
    return ""


def risk_panel(indicators: pd.DataFrame, roles: dict[str, str], area_id: str, reference_id: str | None, year: int) -> pd.DataFrame:
    """The area's risk and protective factors in its latest year up to ``year``.

    Returns
    -------
    DataFrame with one row per factor the area has (risk factors first, then protective, each
    by label): indicator, label, unit, role, year, value, ref_value (NaN without a reference
    row), wording (area against reference: "högre"/"lägre"/"lika"/""), reading (what it means
    for the factor), first_year and first_value (the earliest year of the last
    :data:`SPAN_YEARS` years with a value), change (value − first_value, NaN when there is no
    earlier year).
    """
    columns = ["indicator", "label", "unit", "role", "year", "value", "ref_value", "wording", "reading", "first_year", "first_value", "change"]
    indicators = total_rows(indicators)  # the whole population's rows, not women's, men's or a group's
    mine = indicators[(indicators["area_id"] == area_id) & indicators["indicator"].isin(roles) & (indicators["year"] <= year)]
    if mine.empty:
        return pd.DataFrame(columns=columns)
    latest = int(mine["year"].max())
    rows = []
    for row in mine[mine["year"] == latest].itertuples(index=False):
        ref = indicators[(indicators["area_id"] == reference_id) & (indicators["indicator"] == row.indicator) & (indicators["year"] == latest)]
        ref_value = float(ref["value"].iloc[0]) if reference_id and len(ref) else float("nan")
        wording = comparison_wording(row.value, ref_value, row.unit)
        earlier = mine[(mine["indicator"] == row.indicator) & (mine["year"] >= latest - SPAN_YEARS) & (mine["year"] < latest)]
        first = earlier.sort_values("year").iloc[0] if len(earlier) else None
        label = row.label if isinstance(getattr(row, "label", None), str) and row.label else row.indicator
        rows.append({
            "indicator": row.indicator, "label": label, "unit": row.unit, "role": roles[row.indicator], "year": latest,
            "value": float(row.value), "ref_value": ref_value, "wording": wording, "reading": reading(roles[row.indicator], wording),
            "first_year": int(first["year"]) if first is not None else None,
            "first_value": float(first["value"]) if first is not None else float("nan"),
            "change": float(row.value) - float(first["value"]) if first is not None else float("nan"),
        })
    frame = pd.DataFrame(rows, columns=columns)
    order = frame["role"].map({RISK: 0, PROTECTIVE: 1})
    return frame.assign(_o=order, _l=frame["label"].str.lower()).sort_values(["_o", "_l"], kind="stable").drop(columns=["_o", "_l"]).reset_index(drop=True)


def causes_of(orsaker: pd.DataFrame, registry: AreaRegistry, area_id: str, year: int) -> pd.DataFrame:
    """The orsaksanalys of the area (its own rows and those of the areas below it) for ``year``,
    in the table's order."""
    rows = orsaker[(orsaker["year"] == year) & orsaker["area_id"].isin(registry.descendants(area_id))]
    return rows.reset_index(drop=True)


def fishbone_frame(causes: pd.DataFrame) -> pd.DataFrame:
    """One problem's causes as the reader's table: Gren, Orsak, Underlag (evidence, with its
    ``{ref:…}`` references as written), by branch in Brå's order."""
    order = causes["branch"].map({b: i for i, b in enumerate(ORSAK_BRANCHES)})
    ordered = causes.assign(_o=order).sort_values("_o", kind="stable")
    evidence = ordered["evidence"] if "evidence" in ordered else pd.Series("", index=ordered.index)
    return pd.DataFrame({
        "Gren": [BRANCH_TITLES[b] for b in ordered["branch"]],
        "Orsak": ordered["cause"].astype(str).tolist(),
        "Underlag": ["" if pd.isna(e) else str(e) for e in evidence],
    })


def youth_shares(survey: pd.DataFrame, registry: AreaRegistry, area_id: str, city_id: str | None, roles: dict[str, str], year: int) -> pd.DataFrame:
    """The youth survey's factors: per survey question named in ``roles`` (answer ``ja``, group
    ``alla``), the latest year up to ``year`` the area has it, its share with the Wilson interval,
    the city's share and the two-proportion test of the area against the rest of the city.

    Returns
    -------
    DataFrame with question, role, survey, year, share, n, lo, hi, city_share, city_n, city_lo,
    city_hi, diff (area minus the rest of the city), p_value, significant; empty when the area
    has none of the questions.
    """
    from lagesbild_lib.analysis.stats import wilson_interval
    from lagesbild_lib.analysis.survey import compare_with_city, pick_survey, survey_share

    columns = ["question", "role", "survey", "year", "share", "n", "lo", "hi", "city_share", "city_n", "city_lo", "city_hi", "diff", "p_value", "significant"]
    mine = registry.descendants(area_id)
    part = survey[survey["question"].isin(roles) & (survey["answer"] == "ja") & (survey["group"] == "alla") & survey["area_id"].isin(mine) & (survey["year"] <= year)]
    rows = []
    for question in sorted(part["question"].unique()):
        name = pick_survey(part, mine, question)
        last = int(part.loc[(part["question"] == question) & (part["survey"] == name), "year"].max())
        found = survey_share(survey, registry, area_id, last, question, "ja", survey_name=name)
        if found is None:
            continue
        share, n = found
        city = survey_share(survey, registry, city_id, last, question, "ja", survey_name=name) if city_id else None
        test = compare_with_city(share, n, *city) if city else None
        city_ci = wilson_interval(*city) if city else (float("nan"), float("nan"))
        rows.append([question, roles[question], name, last, share, n, *wilson_interval(share, n),
                     city[0] if city else float("nan"), city[1] if city else None, *city_ci,
                     test.diff if test else float("nan"), test.p_value if test else float("nan"), test.significant if test else None])
    return pd.DataFrame(rows, columns=columns)
