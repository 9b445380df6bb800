"""Socio-economic indicators of an area compared with its city (the ``indicators`` table).

Each indicator row of the area is put beside the city's value of the same year, with the
difference in the indicator's unit and a plain Swedish wording ("högre", "lägre", "lika").
Differences of ``procent`` indicators are in *procentenheter*. Nothing here reads files.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from lagesbild_lib.present.fmt import MINUS, MISSING, NBSP, fmt_num, fmt_signed_int, fmt_value, is_missing, rounded
from lagesbild_lib.present.text import in_sentence, join_sv

#: Decimals shown per unit (as :func:`lagesbild_lib.present.fmt.fmt_value` shows them).
DECIMALS = {"procent": 1, "kr": 0, "dagar": 1, "antal": 0, "per 100 000 inv": 0}

HIGHER, LOWER, SAME = "högre", "lägre", "lika"


def fmt_diff(value: object, unit: str) -> str:
    """Format a difference between two indicator values in their unit, with its sign.

    Parameters
    ----------
    value
        The difference (area minus city).
    unit
        ``procent``, ``kr``, ``dagar``, ``antal``, ``per 100 000 inv``, or any other unit (free text).

    Returns
    -------
    str
        ``procent`` → ``"+4,3 procentenheter"``; ``kr`` → ``"−12 300 kr"``; ``dagar`` →
        ``"+2,1 dagar"``; ``antal`` → ``"+12"``; another unit with one decimal and the unit as given
        (``"+1,5 kr/inv"``); ``"–"`` when missing.
    """
    if is_missing(value):
        return MISSING
    decimals = DECIMALS.get(unit, 1)
    number = fmt_signed_int(value) if decimals == 0 else _signed_num(value, decimals)
    suffix = {"procent": "procentenheter", "antal": ""}.get(unit, str(unit))
    return f"{number}{NBSP}{suffix}" if suffix else number


def _signed_num(value: object, decimals: int) -> str:
    """A decimal number with ``+`` before a positive value (none for a value that rounds to zero)."""
    text = fmt_num(value, decimals)
    if text.startswith(MINUS) or _rounds_to_zero(value, decimals):
        return text
    return "+" + text


def _rounds_to_zero(value: object, decimals: int) -> bool:
    return rounded(value, decimals) == 0


def _rounded(value: float, unit: str) -> Decimal:
    """The value as shown: half away from zero, as :func:`~lagesbild_lib.present.fmt.fmt_value` shows it
    (Python's ``round`` on a Decimal rounds half to even: 2,25 would be compared as 2,2 but shown as 2,3)."""
    return rounded(value, DECIMALS.get(unit, 1))


def comparison_wording(value: object, other: object, unit: str) -> str:
    """"högre", "lägre" or "lika" for the area's value against the city's, as the reader sees them.

    Values are compared after rounding to the decimals shown, so that "48,5 %" is never called
    higher than "48,5 %". Returns ``""`` when either value is missing.
    """
    if is_missing(value) or is_missing(other):
        return ""
    a, b = _rounded(value, unit), _rounded(other, unit)
    return HIGHER if a > b else LOWER if a < b else SAME


#: The order of the known indicators in the comparison table, as a real lägesbild describes an area
#: (ekonomiskt bistånd, ohälsotal, utrikes födda, utbildningsnivå, gymnasiebehörighet, inkomst,
#: förvärvsarbete, boendetäthet); other indicators follow by label.
ORDER = (
    "ekonomiskt_bistand", "ohalsotal", "utrikes_fodda", "forgymnasial_utbildning", "gymnasial_utbildning",
    "eftergymnasial_utbildning", "behorighet_gymnasiet", "medelinkomst", "medianinkomst", "forvarvsfrekvens", "trangboddhet",
)
#: How a row for women or men is named after the indicator's label.
SEX_SUFFIX = {"kvinna": "kvinnor", "man": "män"}


def _sex(indicators: pd.DataFrame) -> pd.Series:
    """``sex`` with a missing value read as ``alla`` (the column is optional)."""
    if "sex" not in indicators:
        return pd.Series("alla", index=indicators.index)
    return indicators["sex"].fillna("alla").astype(str).str.strip().replace("", "alla")


def _group(indicators: pd.DataFrame) -> pd.Series:
    """``group`` with a missing value read as ``""`` (the whole population)."""
    if "group" not in indicators:
        return pd.Series("", index=indicators.index)
    return indicators["group"].fillna("").astype(str).str.strip()


def total_rows(indicators: pd.DataFrame) -> pd.DataFrame:
    """The rows for the whole population: ``sex`` empty or ``alla`` and ``group`` empty (both columns
    are optional, DESIGN §6); the rows for women, men or a group are left out."""
    return indicators[(_sex(indicators) == "alla") & (_group(indicators) == "")]


def row_label(label: str, sex: str, group: str) -> str:
    """The label of a row as the reader sees it: ``"Förvärvsfrekvens 20–64 år, kvinnor"``,
    ``"Andel behöriga till gymnasiet i årskurs 9, utländsk bakgrund"``; the label itself for the whole population."""
    parts = [label] + ([SEX_SUFFIX.get(sex, sex)] if sex != "alla" else []) + ([group] if group else [])
    return ", ".join(parts)


def indicator_year(indicators: pd.DataFrame, area_id: str, year: int) -> int | None:
    """The latest year up to ``year`` with indicator rows for the area."""
    years = sorted(int(y) for y in indicators.loc[indicators["area_id"] == area_id, "year"].unique() if y <= year)
    return years[-1] if years else None


COLUMNS = ["indicator", "sex", "group", "label", "row_label", "unit", "value", "city_value", "diff", "wording"]


def indicator_comparison(
    indicators: pd.DataFrame, area_id: str, city_id: str | None, year: int, groups: bool = False,
) -> pd.DataFrame:
    """Every indicator of the area in ``year`` beside the city's value of the same year.

    Parameters
    ----------
    indicators
        The ``indicators`` table.
    area_id
        The area.
    city_id
        The city to compare with (None, or the area itself, for no comparison).
    year
        The year (use :func:`indicator_year` to find the latest one available).
    groups
        Also the rows for women and men (``sex``) and for a group (``group``, e.g. background),
        each right after its indicator's total and compared with the same row of the city.

    Returns
    -------
    DataFrame
        Columns indicator, sex (``alla`` for the total), group (``""`` for the whole population),
        label, row_label (:func:`row_label`), unit, value, city_value (NaN when the city has no
        row), diff (area minus city) and wording ("högre"/"lägre"/"lika", "" without a city value);
        the known indicators in :data:`ORDER`, the others by label.
    """
    table = indicators.assign(k_sex=_sex(indicators), k_group=_group(indicators))
    if not groups:
        table = table[(table["k_sex"] == "alla") & (table["k_group"] == "")]
    mine = table[(table["area_id"] == area_id) & (table["year"] == year)]
    compare = city_id is not None and city_id != area_id
    city = table[(table["area_id"] == city_id) & (table["year"] == year)] if compare else table.iloc[0:0]
    city_values = city.groupby(["indicator", "k_sex", "k_group"])["value"].first()
    rows = []
    for row in mine.itertuples(index=False):
        label = row.label if isinstance(getattr(row, "label", None), str) and row.label else row.indicator
        other = city_values.get((row.indicator, row.k_sex, row.k_group), float("nan"))
        rows.append(
            {
                "indicator": row.indicator,
                "sex": row.k_sex,
                "group": row.k_group,
                "label": label,
                "row_label": row_label(label, row.k_sex, row.k_group),
                "unit": row.unit,
                "value": float(row.value),
                "city_value": float(other),
                "diff": float(row.value) - float(other),
                "wording": comparison_wording(row.value, other, row.unit),
            }
        )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if frame.empty:
        return frame
    # the known indicators first, in ORDER; within one indicator the total, then women and men, then the groups
    known = frame["indicator"].map({k: i for i, k in enumerate(ORDER)}).fillna(len(ORDER))
    totals = frame[(frame["sex"] == "alla") & (frame["group"] == "")].groupby("indicator")["label"].first()
    by_label = frame["indicator"].map(totals).fillna(frame["label"]).str.lower()
    within = (frame["sex"] != "alla").astype(int) + 2 * (frame["group"] != "").astype(int)
    sex_order = frame["sex"].map({"alla": 0, "kvinna": 1, "man": 2}).fillna(3)
    keys = frame.assign(_k=known, _l=by_label, _w=within, _s=sex_order)
    return keys.sort_values(["_k", "_l", "_w", "_s"], kind="stable").drop(columns=["_k", "_l", "_w", "_s"]).reset_index(drop=True)


def indicator_sentences(frame: pd.DataFrame, area_name: str, reference: str = "staden", *, name_again: bool = False) -> str:
    """Swedish sentences naming the indicators that are higher and lower than in the city.

    Parameters
    ----------
    frame
        From :func:`indicator_comparison`.
    area_name
        The area's name.
    reference
        What the area is compared with, as it reads after "än" and "i": "staden" or "kommunen"
        (:func:`lagesbild_lib.present.reference.reference_words`).
    name_again
        Say the lower values with the area's name and the reference ("Gävle ligger lägre än riket
        som helhet …") rather than "Området ligger lägre …": for a text with several references.

    Returns
    -------
    str
        E.g. "Rinkeby-Kista ligger högre än staden som helhet när det gäller andel invånare med
        ekonomiskt bistånd (5,1 % mot 3,2 %) och ohälsotal (31,0 dagar mot 24,6 dagar). Området
        ligger lägre när det gäller …";
        ``""`` when there is nothing to compare.
    """
    compared = frame[frame["wording"] != ""]
    if "sex" in compared and "group" in compared:  # the whole population's rows only
        compared = compared[(compared["sex"] == "alla") & (compared["group"] == "")]
    if compared.empty:
        return ""

    def item(row) -> str:
        return f"{in_sentence(row.label)} ({fmt_value(row.value, row.unit)} mot {fmt_value(row.city_value, row.unit)})"

    higher = [item(r) for r in compared.itertuples() if r.wording == HIGHER]
    lower = [item(r) for r in compared.itertuples() if r.wording == LOWER]
    same = [in_sentence(r.label) for r in compared.itertuples() if r.wording == SAME]
    sentences = []
    if higher:
        sentences.append(f"{area_name} ligger högre än {reference} som helhet när det gäller {join_sv(higher)}.")
    if lower:
        lead = "Området ligger lägre" if higher and not name_again else f"{area_name} ligger lägre än {reference} som helhet"
        sentences.append(f"{lead} när det gäller {join_sv(lower)}.")
    if same:
        sentences.append(f"Samma nivå som i {reference} har {join_sv(same)}.")
    return " ".join(sentences)


def references_with_values(indicators: pd.DataFrame, references: list[str], year: int) -> tuple[list[str], list[str]]:
    """The reference areas (a kommun's län and riket) that have indicator rows in ``year``, and those
    that have none: a reference without values gets no column (and the table's note says so)."""
    present = set(indicators.loc[indicators["year"] == year, "area_id"].astype(str))
    return [r for r in references if r in present], [r for r in references if r not in present]


def reference_comparison(indicators: pd.DataFrame, area_id: str, references: list[str], year: int, groups: bool = False) -> pd.DataFrame:
    """Every indicator of the area beside each reference area's value of the same year (a kommun
    beside its län and riket, DESIGN §6).

    Parameters
    ----------
    indicators
        The ``indicators`` table.
    area_id
        The area (a kommun).
    references
        The areas to compare with, in the order of the table's columns.
    year, groups
        As in :func:`indicator_comparison`.

    Returns
    -------
    DataFrame
        The columns of :func:`indicator_comparison` without a city (``city_value`` NaN), and for
        each reference ``r``: ``value_r``, ``diff_r`` (area minus reference) and ``wording_r``
        ("högre"/"lägre"/"lika", "" where the reference has no value of the row).
    """
    frame = indicator_comparison(indicators, area_id, None, year, groups)
    for ref in references:
        other = indicator_comparison(indicators, area_id, ref, year, groups)
        # the same rows of the area in the same order: only the reference's values differ
        assert list(other["row_label"]) == list(frame["row_label"])
        frame[f"value_{ref}"] = other["city_value"].to_numpy()
        frame[f"diff_{ref}"] = other["diff"].to_numpy()
        frame[f"wording_{ref}"] = other["wording"].to_numpy()
    return frame


def as_city_comparison(frame: pd.DataFrame, reference: str) -> pd.DataFrame:
    """A :func:`reference_comparison` frame read against one of its references, in the columns of
    :func:`indicator_comparison` (``city_value``, ``diff``, ``wording``), for :func:`indicator_sentences`."""
    return frame.assign(city_value=frame[f"value_{reference}"], diff=frame[f"diff_{reference}"], wording=frame[f"wording_{reference}"])
