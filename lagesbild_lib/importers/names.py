"""Matching the names an export uses for its areas to the area ids of the registry.

Exports spell areas their own way: ``HÄSSELBY GÅRD``, ``Hässelby-Vällingby stadsdelsområde``,
``0180 Stockholm``, ``ULVSUNDA INDUSTRIOMR``. A name matches an area when the two agree after
case, diacritics, punctuation and a few administrative words are ignored; an analyst's own name
list (``--names FILE``: columns ``name`` and ``area_id``) is consulted first. Names that match no
area are collected, in the order first seen, so the importer can list them.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from lagesbild_lib.data.areas import AreaRegistry

#: Words that name the kind of area rather than the area (dropped when the name alone does not match).
ADMIN_WORDS = (
    "stadsdelsomrade", "stadsdelsomradet", "stadsdelsforvaltning", "stadsdelsforvaltningen", "sdo", "sdf",
    "stadsdel", "stadsdelen", "kommun", "kommunen", "stad", "staden", "lokalpolisomrade", "lpo", "delomrade",
)
#: Columns of the areas table that may hold an official numeric code (kommunkod, regionkod …).
CODE_COLUMNS = ("code", "kod", "kommunkod", "regionkod", "region_code", "area_code", "scb_kod")


def name_key(text: object) -> str:
    """A name reduced for comparison: lower case, no diacritics, words separated by single spaces.

    >>> name_key("HÄSSELBY GÅRD") == name_key("Hässelby gård") == name_key("hasselby-gard")
    True
    """
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(re.split(r"[^0-9a-z]+", plain)).strip()


def split_code(text: object) -> tuple[str | None, str]:
    """``"0180 Stockholm"`` → ``("0180", "Stockholm")``; ``"1480"`` → ``("1480", "")``; no code → ``(None, text)``."""
    value = str(text).strip()
    match = re.fullmatch(r"(\d{2,8})\s*[-–:,]?\s*(.*)", value)
    if match:
        return match.group(1), match.group(2).strip()
    return None, value


class AreaMatcher:
    """Name → area id through the registry.

    Parameters
    ----------
    registry
        The area registry of the data folder given with ``--data``.
    prefer
        When one name fits several areas (``Kungsholmen`` is a stadsdelsområde and a stadsdel),
        the area whose level comes first here wins; ``"leaf"`` stands for the lowest level.
    own_names
        The analyst's own ``{name: area_id}`` list; it wins over everything else.
    codes
        ``{code: area_id}`` from a code column of the areas table, for exports that name regions by number.
    """

    def __init__(
        self,
        registry: AreaRegistry,
        prefer: tuple[str, ...] = ("leaf",),
        own_names: dict[str, str] | None = None,
        codes: dict[str, str] | None = None,
    ):
        self.registry = registry
        self.prefer = prefer
        self.own = {name_key(k): v for k, v in (own_names or {}).items()}
        self.codes = {str(k).strip().lstrip("0"): v for k, v in (codes or {}).items()}
        self.by_key: dict[str, list[str]] = {}
        for area_id in registry.ids:
            for key in {name_key(registry.name(area_id)), name_key(area_id)}:
                self.by_key.setdefault(key, []).append(area_id)
        self.unmatched: list[str] = []
        self.matched: dict[str, str] = {}

    def _rank(self, area_id: str) -> tuple[int, str]:
        area = self.registry.get(area_id)
        is_leaf = not self.registry.children(area_id)
        for i, level in enumerate(self.prefer):
            if level == area.level or (level == "leaf" and is_leaf):
                return i, area_id
        return len(self.prefer), area_id

    def _pick(self, candidates: list[str]) -> str | None:
        unique = sorted(set(candidates))
        if not unique:
            return None
        if len(unique) == 1:
            return unique[0]
        ranked = sorted(unique, key=self._rank)
        return ranked[0] if self._rank(ranked[0])[0] < self._rank(ranked[1])[0] else None

    def lookup(self, name: object) -> str | None:
        """The area id for ``name``, or None (without recording it as unmatched)."""
        text = "" if name is None else str(name).strip()
        if not text:
            return None
        code, rest = split_code(text)
        for candidate in (text, rest):
            key = name_key(candidate)
            if key in self.own:
                return self.own[key]
        if rest:
            found = self._by_name(rest)
            if found:
                return found
        if code is not None:
            return self.own.get(name_key(code)) or self.codes.get(code.lstrip("0"))
        return None

    def _by_name(self, text: str) -> str | None:
        key = name_key(text)
        if key in self.by_key:
            return self._pick(self.by_key[key])
        words = key.split()
        # "Hässelby-Vällingby stadsdelsområde", "Stockholms stad": drop the administrative words
        trimmed = [w for w in words if w not in ADMIN_WORDS]
        if trimmed and trimmed != words:
            for variant in (" ".join(trimmed), " ".join(trimmed)[:-1] if trimmed[-1].endswith("s") else None):
                if variant and variant in self.by_key:
                    return self._pick(self.by_key[variant])
        # "ULVSUNDA INDUSTRIOMR": an abbreviated last word
        if words and len(words[-1]) >= 3:
            hits = [
                a for k, ids in self.by_key.items() for a in ids
                if len(k.split()) == len(words) and k.split()[:-1] == words[:-1] and k.split()[-1].startswith(words[-1])
            ]
            return self._pick(hits)
        return None

    def match(self, name: object) -> str | None:
        """The area id for ``name``; a name that matches nothing is remembered in :attr:`unmatched`."""
        found = self.lookup(name)
        text = "" if name is None else str(name).strip()
        if found is None and text and text not in self.unmatched:
            self.unmatched.append(text)
        elif found is not None:
            self.matched[text] = found
        return found


def codes_of(areas: pd.DataFrame) -> dict[str, str]:
    """``{code: area_id}`` from a code column of the areas table, when it has one."""
    for column in areas.columns:
        if str(column).lower() in CODE_COLUMNS:
            part = areas[[column, "area_id"]].dropna()
            return {str(c).strip(): a for c, a in zip(part[column], part["area_id"]) if str(c).strip()}
    return {}
