"""The population forecast (the optional ``population_forecast`` table, issue 16): the population an
area is expected to have in the years after the report year, against the population of the report
year, and the sentence that says so ("en tillväxt under en procent fram till 2027").

An area's forecast is its own rows where the table has them, otherwise the sum of its children's
(as the population itself, DESIGN §6). The growth is stated in words that follow the numbers as
shown (rounded to one decimal): "i stort sett oförändrad" for 0,0 %, "en tillväxt under en procent"
for 0,1–0,9 %, "öka med" / "minska med" otherwise. Nothing here reads files.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lagesbild_lib.data.areas import AreaRegistry
from lagesbild_lib.present.fmt import fmt_int, fmt_pct, rounded

#: Decimals of a forecast growth as the report shows it.
DECIMALS = 1


def forecast_total(forecast: pd.DataFrame, registry: AreaRegistry, area_id: str, year: int) -> int | None:
    """The forecast population of an area in ``year``: its own row, else the sum of its children's
    (recursively); None when the area has no row and some child has no forecast for the year (a sum
    of only some parts would understate the area), or it has no children."""
    own = forecast.loc[(forecast["area_id"] == area_id) & (forecast["year"] == year), "population"]
    if len(own):
        return int(own.iloc[0])
    children = registry.children(area_id)
    parts = [forecast_total(forecast, registry, child, year) for child in children]
    return int(sum(parts)) if children and all(p is not None for p in parts) else None


def forecast_years(forecast: pd.DataFrame, registry: AreaRegistry, area_id: str, after: int) -> list[int]:
    """The years after ``after`` that the area (itself or the areas below it) has a forecast for."""
    mine = forecast[forecast["area_id"].isin(registry.descendants(area_id)) & (forecast["year"] > after)]
    return sorted(int(y) for y in mine["year"].unique())


@dataclass(frozen=True)
class Growth:
    """Population growth from a base year to a forecast year."""

    base_year: int
    base: int
    year: int
    expected: int

    @property
    def pct(self) -> float:
        """The growth in percent of the base population."""
        return 100.0 * (self.expected - self.base) / self.base

    @property
    def shown(self) -> float:
        """The growth as the report shows it (one decimal, half away from zero)."""
        return float(rounded(self.pct, DECIMALS))


def growth(forecast: pd.DataFrame, registry: AreaRegistry, area_id: str, base_year: int, base: int | None, year: int) -> Growth | None:
    """The area's growth from ``base`` (its population in ``base_year``) to its forecast for
    ``year``; None without a base population or a forecast for the year."""
    expected = forecast_total(forecast, registry, area_id, year)
    if not base or expected is None:
        return None
    return Growth(base_year, int(base), int(year), expected)


def growth_words(g: Growth) -> str:
    """What the forecast says about the population, following the shown growth:
    "väntas folkmängden vara i stort sett oförändrad", "väntas en tillväxt under en procent",
    "väntas folkmängden öka med 3,3 %", "väntas folkmängden minska med 1,2 %"."""
    if g.shown == 0:
        return "väntas folkmängden vara i stort sett oförändrad"
    if 0 < g.shown < 1:
        return "väntas en tillväxt under en procent"
    verb = "öka" if g.shown > 0 else "minska"
    return f"väntas folkmängden {verb} med {fmt_pct(abs(g.pct), DECIMALS)}"


def forecast_sentence(area_name: str, mine: Growth, city_name: str | None = None, city: Growth | None = None,
                      reference: str | None = "staden") -> str:
    """The forecast in one or two sentences.

    Parameters
    ----------
    area_name
        The area's name.
    mine
        The area's growth (:func:`growth`).
    city_name, city
        The city's name and growth over the same years; the city's clause is left out when either is None.
    reference
        What the city is called in the sentence: "staden" or "kommunen" (:mod:`lagesbild_lib.present.reference`);
        None names the compared area by its name alone ("I Gävleborgs län väntas …", a kommun's län).

    Returns
    -------
    str
        E.g. "Enligt befolkningsprognosen väntas en tillväxt under en procent i Hässelby-Vällingby fram
        till 2027: från 76 701 invånare 2023 till 77 300 (+0,8 %). I staden som helhet (Stockholm)
        väntas folkmängden öka med 4,2 % under samma tid." The percentage is said once: in the words
        ("öka med 4,2 %") or, for a growth under one percent, in brackets.
    """
    words = growth_words(mine)
    where = f"{words} i {area_name}" if words.endswith("under en procent") else words.replace("folkmängden", f"folkmängden i {area_name}", 1)
    text = (
        f"Enligt befolkningsprognosen {where} fram till {mine.year}: från {fmt_int(mine.base)} invånare {mine.base_year} "
        f"till {fmt_int(mine.expected)}{_pct_after(mine)}."
    )
    if city_name and city is not None and (city.base_year, city.year) == (mine.base_year, mine.year):
        where = f"{reference} som helhet ({city_name})" if reference else city_name
        text += f" I {where} {growth_words(city)} under samma tid{_pct_after(city)}."
    return text


def _pct_after(g: Growth) -> str:
    """" (+0,6 %)" after words that do not say the percentage ("under en procent", "oförändrad")."""
    return "" if g.shown < 0 or g.shown >= 1 else f" ({fmt_pct(g.pct, DECIMALS, signed=True)})"
