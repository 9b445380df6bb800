"""A rank among peers as the report says it ("den femte högsta nivån av 13 stadsdelsområden (delad
med en annan)"), read back and recomputed from the values: the place counted from the nearer end
(ties go to the top), the number of areas with a value, and how many others share the shown value.
Used by the checks of indicators (chapter 1), crime rates (chapter 2) and the peer comparison."""

from __future__ import annotations

import math
import re

from claims.report import COUNT, count, half_up

_ORDINALS = ("andra", "tredje", "fjärde", "femte", "sjätte", "sjunde", "åttonde", "nionde", "tionde", "elfte", "tolfte")
ORDINAL = {word: place for place, word in enumerate(_ORDINALS, start=2)}
#: The rank as text; the groups are prefixed ``rk_`` so that it can sit inside other patterns.
RANK = (rf"den (?:(?P<rk_ord>{'|'.join(_ORDINALS)}|\d+:e) )?(?P<rk_end>högsta|lägsta)(?: (?:nivån|andelen))? av "
        rf"(?P<rk_n>(?i:{COUNT})) (?P<rk_noun>[^.;()]+?)(?: \(delad med (?P<rk_tied>en annan|\S+ andra)\))?")
NO_RANK = r"ingen rangordning \((?:inga andra områden har värden|bara (?P<nr_n>\S+) [^)]+ har värden)\)"


def said(m: re.Match) -> tuple[int, str, int, int]:
    """(place, end, areas ranked, others tied) of a match of :data:`RANK`."""
    word = m["rk_ord"]
    place = 1 if not word else ORDINAL[word] if word in ORDINAL else int(word.removesuffix(":e"))
    tied = m["rk_tied"]
    others = 0 if not tied else 1 if tied == "en annan" else count(tied.removesuffix(" andra"))
    return place, m["rk_end"], count(m["rk_n"]), others


def true_rank(value: float, others, decimals: int) -> tuple[int, str, int, int]:
    """(place, end, areas ranked, others tied) of ``value`` among ``others`` (NaN and None left out),
    all rounded half up to ``decimals`` as the reader sees them."""
    mine = half_up(value, decimals)
    rest = [half_up(x, decimals) for x in others if x is not None and not (isinstance(x, float) and math.isnan(x))]
    higher, lower = sum(x > mine for x in rest), sum(x < mine for x in rest)
    top, bottom = 1 + higher, 1 + lower
    end = "högsta" if top <= bottom else "lägsta"
    return min(top, bottom), end, len(rest) + 1, len(rest) - higher - lower


def check_rank(led, where, text: str, shown: str, value: float, others, decimals: int) -> None:
    """One claim of class ``rank``: ``shown`` (a rank, or "ingen rangordning …" for fewer than three
    areas) is the value's rank among the others."""
    true = true_rank(value, others, decimals)
    m = re.fullmatch(RANK, shown)
    if m is None:
        none = re.fullmatch(NO_RANK, shown)
        led.claim("rank", where, text, none is not None and true[2] < 3, shown, f"rank {true}")
        return
    led.equal("rank", where, text, "place, end, areas, tied", said(m), true)
