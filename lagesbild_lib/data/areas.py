"""The area registry: the hierarchy of kommun → stadsdelsområde → stadsdel (or any other levels).

A crime belongs to its area and to every ancestor of it; a parent's figure is its own row where a
table has one, otherwise an aggregate of its children (DESIGN §6).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from lagesbild_lib.errors import ConfigError, DataError


@dataclass(frozen=True)
class Area:
    """One area of the registry."""

    area_id: str
    name: str
    level: str
    parent_id: str | None


class AreaRegistry:
    """The areas table as a tree.

    Parameters
    ----------
    frame
        The validated ``areas`` table.
    source
        The file it came from (for error messages).
    """

    def __init__(self, frame: pd.DataFrame, source: str = "areas"):
        self._areas: dict[str, Area] = {}
        for row in frame.itertuples(index=False):
            parent = row.parent_id if isinstance(row.parent_id, str) and row.parent_id else None
            self._areas[row.area_id] = Area(row.area_id, row.name, row.level, parent)
        self._children: dict[str, list[str]] = {a: [] for a in self._areas}
        for area in self._areas.values():
            if area.parent_id is None:
                continue
            if area.parent_id not in self._areas:
                raise DataError(
                    f"{source}: området '{area.area_id}' har parent_id '{area.parent_id}', "
                    "som inte är något area_id i tabellen; förväntade ett befintligt område eller ett tomt parent_id"
                )
            self._children[area.parent_id].append(area.area_id)
        for kids in self._children.values():
            kids.sort(key=lambda a: (self._areas[a].name, a))
        self._check_acyclic(source)

    def _check_acyclic(self, source: str) -> None:
        for start in self._areas:
            seen = {start}
            node = self._areas[start].parent_id
            while node is not None:
                if node in seen:
                    raise DataError(f"{source}: kedjan av parent_id från området '{start}' leder tillbaka till sig själv")
                seen.add(node)
                node = self._areas[node].parent_id

    def __contains__(self, area_id: object) -> bool:
        return area_id in self._areas

    def __len__(self) -> int:
        return len(self._areas)

    @property
    def ids(self) -> list[str]:
        return sorted(self._areas)

    def get(self, area_id: str) -> Area:
        """The area, or a :class:`ConfigError` listing what is available."""
        try:
            return self._areas[area_id]
        except KeyError:
            raise ConfigError(
                f"okänt område '{area_id}'; tillgängliga områden: {', '.join(self.report_areas())}"
            ) from None

    def name(self, area_id: str) -> str:
        return self.get(area_id).name

    def children(self, area_id: str) -> list[str]:
        """Direct sub-areas, sorted by name."""
        self.get(area_id)
        return list(self._children[area_id])

    def ancestors(self, area_id: str) -> list[str]:
        """Parent, grandparent, … up to the top."""
        out = []
        node = self.get(area_id).parent_id
        while node is not None:
            out.append(node)
            node = self._areas[node].parent_id
        return out

    def descendants(self, area_id: str, include_self: bool = True) -> list[str]:
        """Every area below ``area_id`` (and itself by default), depth first."""
        out = [area_id] if include_self else []
        for child in self.children(area_id):
            out.extend(self.descendants(child, include_self=True))
        return out

    def owner_map(self, rows: Iterable[str]) -> dict[str, str]:
        """Each of ``rows`` and every area below it, mapped to that row (a later row wins an overlap)."""
        return {below: row for row in rows for below in self.descendants(row)}

    def leaves(self, area_id: str) -> list[str]:
        """The lowest-level areas under ``area_id`` (itself when it has no children)."""
        return [a for a in self.descendants(area_id) if not self._children[a]]

    def city_of(self, area_id: str) -> str | None:
        """The nearest ancestor of level ``kommun`` (the area itself when it is a kommun)."""
        for node in [area_id, *self.ancestors(area_id)]:
            if self._areas[node].level == "kommun":
                return node
        return None

    @cached_property
    def _report_areas(self) -> list[str]:
        return sorted(
            a for a, kids in self._children.items() if kids and all(not self._children[k] for k in kids)
        )

    def report_areas(self) -> list[str]:
        """The usual report areas: those whose sub-areas are all of the lowest level.

        In Stockholm these are the stadsdelsområden; in a two-level kommun, the kommun itself.
        Any area of the registry can still be reported on by naming it.
        """
        return list(self._report_areas)
