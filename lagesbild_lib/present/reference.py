"""How the report names what its area is compared with, from the area hierarchy (DESIGN §6).

- a stadsdelsområde (and anything below one) is compared with its city, the nearest kommun above
  it: "staden", "stadens", "övriga staden";
- any other area below a kommun (a RegSO, a DeSO, a delområde) with its kommun: "kommunen",
  "kommunens", "övriga kommunen";
- a kommun has no city above it: its sub-areas are compared with the kommun itself ("hela Solna"),
  and the kommun with its län, riket and kommungrupp (:mod:`lagesbild_lib.analysis.peers`).

Every heading, sentence, caption and column that names the comparison takes its words from
:func:`reference_words`, never a hard-coded "staden".
"""

from __future__ import annotations

from dataclasses import dataclass

#: The levels whose areas are parts of a city (their kommun reads "staden").
CITY_PART_LEVELS = ("stadsdelsomrade",)


@dataclass(frozen=True)
class ReferenceWords:
    """The words for the area the report's area (and its sub-areas) are compared with.

    ``definite`` reads after "mot", "än", "i", "med": "staden", "kommunen", "hela Solna";
    ``genitive``: "stadens", "kommunens", "hela Solnas"; ``rest`` the compared area without the
    report's area (the two-proportion test's other group): "övriga staden", "övriga kommunen",
    "övriga Solna"; ``name`` its own name ("Stockholm"); ``is_self`` when the report's area is the
    kommun itself (there is then no city to compare the area with, only its sub-areas).
    """

    definite: str
    genitive: str
    rest: str
    name: str
    is_self: bool = False

    @property
    def whole(self) -> str:
        """"hela staden", "hela kommunen", "hela Solna"."""
        return self.definite if self.definite.startswith("hela ") else f"hela {self.definite}"


def genitive(name: str) -> str:
    """A Swedish name in the genitive: "Solnas", "Västerås" (a name ending in s, x or z is unchanged)."""
    return name if name[-1:].lower() in ("s", "x", "z") else f"{name}s"


def city_word(registry, area_id: str) -> str:
    """"staden" when the area is a stadsdelsområde or lies in one, else "kommunen"."""
    city = registry.city_of(area_id)
    chain = [area_id, *registry.ancestors(area_id)]
    below_city = chain[: chain.index(city)] if city in chain else chain
    return "staden" if any(registry.get(a).level in CITY_PART_LEVELS for a in below_city) else "kommunen"


def reference_words(ctx) -> ReferenceWords:
    """The comparison words of a chapter's report (its context: ``area``, ``areas``, ``city_to_compare``)."""
    city = ctx.city_to_compare
    if city is None:
        name = ctx.area.name
        return ReferenceWords(f"hela {name}", f"hela {genitive(name)}", f"övriga {name}", name, is_self=True)
    word = city_word(ctx.areas, ctx.area.area_id)
    return ReferenceWords(word, f"{word}s", f"övriga {word}", city.name)


def kommun_references(registry, area_id: str) -> list[str]:
    """What a kommun is compared with besides its kommungrupp (DESIGN §6): its län (the nearest
    ancestor of level ``lan``) and riket (an ancestor of level ``riket``, else the one area of that
    level), in that order; those the area registry does not hold are left out."""
    chain = registry.ancestors(area_id)
    lan = next((a for a in chain if registry.get(a).level == "lan"), None)
    riket = next((a for a in chain if registry.get(a).level == "riket"), None)
    if riket is None:
        top = [a for a in registry.ids if registry.get(a).level == "riket"]
        riket = top[0] if len(top) == 1 else None
    return [a for a in (lan, riket) if a is not None]


def reference_name(registry, area_id: str) -> str:
    """The name of a reference area as it reads in running text: "riket" (not "Riket"), "Gävleborgs län"."""
    return "riket" if registry.get(area_id).level == "riket" else registry.name(area_id)
