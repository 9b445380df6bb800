"""SKR:s kommungruppsindelning, shipped with the package: every kommun's group, for the comparison
of a kommun with its kommungrupp (DESIGN §6, table ``kommungrupp``).

``resources/kommungrupper.csv`` holds SKR:s kommungruppsindelning 2023 for all 290 kommuner, one
row each: ``kommun_kod, kommun, year, gruppkod, kommungrupp, huvudgrupp`` (group codes ``A1``…``C9``,
the nine groups in three main groups; ``year`` the year the grouping applies from). The assignments
are those of the list of all kommuner in SKR's report *Kommungruppsindelning 2023* (Sveriges
Kommuner och Regioner, November 2022; see ``resources/README.md``). SKR revises the grouping now
and then: a newer list replaces the file, with its year.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lagesbild_lib import paths
from lagesbild_lib.errors import DataError, os_reason

GROUPS_FILE = Path(paths.PACKAGE_DIR) / "resources" / "kommungrupper.csv"
COLUMNS = ("kommun_kod", "kommun", "year", "gruppkod", "kommungrupp", "huvudgrupp")
#: How Källor and ``sources.json`` name the list.
SOURCE = "SKR:s kommungruppsindelning {year} (Sveriges Kommuner och Regioner)"


@dataclass(frozen=True)
class KommunGroup:
    """One kommun's place in SKR's grouping."""

    code: str
    name: str
    year: int
    group_code: str  # A1 … C9
    group: str  # "Större stad"
    main_group: str  # "Större städer och kommuner nära större stad"


@lru_cache(maxsize=4)
def kommungrupper(path: Path = GROUPS_FILE) -> dict[str, KommunGroup]:
    """``{kommun code: KommunGroup}`` from the shipped list (or another file of the same columns).

    Raises
    ------
    DataError
        The file cannot be read, lacks a column, or has a row without a code, a group or a year.
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise DataError(f"{path}, rad 1: kolumnen {missing[0]!r} saknas; förväntade kolumnerna {', '.join(COLUMNS)}")
            out: dict[str, KommunGroup] = {}
            for n, row in enumerate(reader, start=2):
                values = {c: (row.get(c) or "").strip() for c in COLUMNS}
                empty = next((c for c in COLUMNS if not values[c]), None)
                if empty:
                    raise DataError(f"{path}, rad {n}, kolumn {empty}: värdet saknas; förväntade ett värde på varje rad")
                if not values["year"].isdigit():
                    raise DataError(f"{path}, rad {n}, kolumn year: {values['year']!r} är inget årtal; förväntade t.ex. 2023")
                out[values["kommun_kod"]] = KommunGroup(values["kommun_kod"], values["kommun"], int(values["year"]),
                                                         values["gruppkod"], values["kommungrupp"], values["huvudgrupp"])
            return out
    except OSError as exc:
        raise DataError(f"{path}: kommungruppslistan kan inte läsas ({os_reason(exc)})") from None


def group_of(code: str, path: Path = GROUPS_FILE) -> KommunGroup | None:
    """The kommun's group, or None when the list lacks the kommun (a kommun newer than the list)."""
    return kommungrupper(path).get(code)


def members(group: KommunGroup, path: Path = GROUPS_FILE) -> list[KommunGroup]:
    """Every kommun of ``group`` (the kommun itself among them), in code order."""
    return sorted((g for g in kommungrupper(path).values() if g.group_code == group.group_code and g.year == group.year),
                  key=lambda g: g.code)
