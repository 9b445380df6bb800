"""The checks of ``police_areas`` beyond its columns: which areas form each lokalpolisområde.

A police area is a set of areas (stadsdelsområden of a kommun, whole kommuner …). Its figures are
the sum of its members', so an area may belong to one police area only, a police area has one name,
and no member may lie inside another member (its crimes and inhabitants would be counted twice).
Each problem is one sentence naming the file, row, column and value (:func:`~lagesbild_lib.data.validate.fail`).
"""

from __future__ import annotations

import pandas as pd

from lagesbild_lib.data.areas import AreaRegistry
from lagesbild_lib.data.validate import Located, Problems, fail


def check_police_areas(frame: pd.DataFrame, where: Located, problems: Problems, registry: AreaRegistry | None) -> None:
    """Report the problems of a validated ``police_areas`` table to ``problems``.

    Parameters
    ----------
    frame
        The table, its columns parsed (:func:`~lagesbild_lib.data.validate.validate_frame`).
    where
        The file, for the messages.
    problems
        Where the problems go.
    registry
        The area registry, for members that lie inside other members; None when the registry is
        broken (its own problems are reported where it is validated).
    """
    first_row_of: dict[str, int] = {}  # area_id -> position of its first row
    name_of: dict[str, tuple[str, int]] = {}  # police_area_id -> (name, position of its first row)
    for pos, (police_area, name, area) in enumerate(zip(frame["police_area_id"], frame["name"], frame["area_id"])):
        if pd.isna(police_area) or pd.isna(area):
            continue  # a bad cell, reported by the column checks
        if area in first_row_of:
            other = first_row_of[area]
            if frame["police_area_id"].iloc[other] != police_area:
                problems.add(fail(where, pos, "area_id", area,
                                  f"ett område som inte redan hör till ett annat lokalpolisområde ('{area}' hör till "
                                  f"'{frame['police_area_id'].iloc[other]}' på rad {where.row(other)}; ett område kan bara "
                                  "höra till ett lokalpolisområde)"))
        else:
            first_row_of[area] = pos
        if pd.isna(name):
            continue
        if police_area not in name_of:
            name_of[police_area] = (name, pos)
        elif name_of[police_area][0] != name:
            known, at = name_of[police_area]
            problems.add(fail(where, pos, "name", name, f"samma namn som på rad {where.row(at)} för lokalpolisområdet "
                                                        f"'{police_area}' ({known!r})"))
    if registry is not None:
        _check_nesting(frame, first_row_of, where, problems, registry)


def _check_nesting(frame: pd.DataFrame, first_row_of: dict[str, int], where: Located, problems: Problems, registry: AreaRegistry) -> None:
    """A member that lies inside another member (of the same police area or another one)."""
    members = set(first_row_of)
    for area, pos in first_row_of.items():
        if area not in registry:
            continue  # an unknown area id, reported by the column check
        outer = next((a for a in registry.ancestors(area) if a in members), None)
        if outer is not None:
            problems.add(fail(where, pos, "area_id", area,
                              f"ett område som inte ligger inom ett annat område i tabellen ('{area}' ligger inom '{outer}' "
                              f"på rad {where.row(first_row_of[outer])}, och dess brott och invånare skulle räknas två gånger)"))
