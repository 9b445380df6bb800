"""Tables as the reader sees them: Swedish headings and formatted values.

Each function takes the analysis result (a DataFrame of numbers) and returns a DataFrame of
strings to show; the numbers themselves go to ``tabeller.xlsx`` through the ``*_data`` functions.
"""

from __future__ import annotations

import pandas as pd

from lagesbild_lib.analysis import disclosure
from lagesbild_lib.present.fmt import fmt_int, fmt_num, fmt_pct, fmt_signed_int
from lagesbild_lib.analysis.stats import ChangeTest, poisson_change_test
from lagesbild_lib.present.text import change_wording


RATE_COLUMN = "Per 1 000 inv."


def compstat_display(table: pd.DataFrame, year: int, population: int | None = None, suppress_below: int = 0) -> pd.DataFrame:
    """The CompStat table with a subtotal row per group and Swedish formatting.

    With the area's ``population`` the rate per 1 000 inhabitants of this year is shown too.
    With ``suppress_below`` N, counts 1..N−1 show as ``<N`` and the change, percent, wording
    (and the rate, for a masked count this year) of their row as ``–``
    (:mod:`lagesbild_lib.analysis.disclosure`).
    """
    rows, counts = [], []
    for group, part in table.groupby("group", sort=False):
        for r in part.itertuples(index=False):
            rows.append(_compstat_row(r.label, poisson_change_test(int(r.before), int(r.after)), population))
            counts.append((int(r.before), int(r.after)))
        total = poisson_change_test(int(part["before"].sum()), int(part["after"].sum()))
        rows.append(_compstat_row(f"Summa {group.lower()}", total, population))
        counts.append((total.before, total.after))
    columns = ["Brottskategori", f"Antal {year - 1}", f"Antal {year}", "Förändring antal", "Förändring %", "Bedömning"]
    shown = pd.DataFrame(rows, columns=columns + ([RATE_COLUMN] if population else []))
    if not disclosure.active(suppress_below):
        return shown
    numbers = pd.DataFrame(counts, columns=columns[1:3])
    shown = disclosure.mask_display(numbers, columns[1:3], suppress_below, derived=columns[3:6], formatted=shown)
    if population:
        shown.loc[numbers[columns[2]].map(lambda v: disclosure.is_masked(v, suppress_below)), RATE_COLUMN] = disclosure.SUPPRESSED
    return shown


def _compstat_row(label: str, test: ChangeTest, population: int | None) -> list[str]:
    wording = change_wording(test.significant)
    if test.few_cases:
        wording += " (få fall)"
    cells = [
        label,
        fmt_int(test.before),
        fmt_int(test.after),
        fmt_signed_int(test.diff),
        fmt_pct(test.pct, decimals=0, signed=True),
        wording,
    ]
    if population:
        cells.append(fmt_num(1000.0 * test.after / population, 1))
    return cells


def compstat_data(table: pd.DataFrame, year: int, suppress_below: int = 0) -> pd.DataFrame:
    """The CompStat numbers for Excel (raw values, Swedish headings); with ``suppress_below``,
    masked counts as ``<N`` and the figures derived from them empty."""
    data = pd.DataFrame(
        {
            "Grupp": table["group"],
            "Brottskategori": table["label"],
            f"Antal {year - 1}": table["before"],
            f"Antal {year}": table["after"],
            "Förändring antal": table["diff"],
            "Förändring %": [None if v is None or pd.isna(v) else round(float(v), 1) for v in table["pct"]],
            "p-värde": table["p_value"].round(4),
            "Statistiskt säkerställd": table["significant"].map({True: "ja", False: "nej"}),
            "Få fall": table["few_cases"].map({True: "ja", False: "nej"}),
            RATE_COLUMN: table["rate"].round(2) if "rate" in table.columns else float("nan"),
        }
    )
    if not disclosure.active(suppress_below):
        return data
    counts = [f"Antal {year - 1}", f"Antal {year}"]
    derived = ["Förändring antal", "Förändring %", "p-värde", "Statistiskt säkerställd", "Få fall"]
    masked = disclosure.mask_data(data, counts, suppress_below, derived=derived)
    masked[RATE_COLUMN] = masked[RATE_COLUMN].astype(object)
    masked.loc[data[counts[1]].map(lambda v: disclosure.is_masked(v, suppress_below)), RATE_COLUMN] = None
    return masked
