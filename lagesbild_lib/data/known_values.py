"""The text values the chapters select on (DESIGN §6), declared once, and the rule that refuses a
near miss of one of them.

The chapters import their constants from here (``GROUP_ALL``, ``ANSWER_YES``, the event and place
plurals …) and validation checks the data against the same values: a value that differs from a
known one only in case, in diacritics or by a small spelling slip is refused with "did you mean";
any other new value is allowed (these columns are free text, shown as given).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# ----------------------------------------------------------------------------- survey
#: The standard question ids (DESIGN §6): share who feel unsafe out alone in the evening
#: (answer ``ja``), and places of worry (multi-choice: ``answer`` is the place).
QUESTION_UNSAFE_EVENING = "otrygg_kvallstid"
QUESTION_PLACES = "oroplatser"
STANDARD_QUESTIONS = (QUESTION_UNSAFE_EVENING, QUESTION_PLACES)
#: The answer whose share the yes/no questions report.
ANSWER_YES = "ja"
#: Respondent groups; any other group is an age band ("16-24 år").
GROUP_ALL = "alla"
GROUP_WOMEN = "kvinnor"
GROUP_MEN = "män"
SURVEY_GROUPS = (GROUP_ALL, GROUP_WOMEN, GROUP_MEN)

# ----------------------------------------------------------------------------- events and places
#: Critical event types the report counts with a Swedish plural (singular → plural).
EVENT_PLURALS = {
    "sprängning": "sprängningar",
    "skjutning": "skjutningar",
    "brandattentat": "brandattentat",
    "mordbrand": "mordbränder",
    "handgranat": "handgranater",
}
#: Every known critical event type: those above and the importers' generic type.
EVENT_TYPES = (*EVENT_PLURALS, "kritisk händelse")
#: Place types the overview map and its sentences know (singular → plural).
PLACE_PLURALS = {
    "öppen drogscen": "öppna drogscener",
    "prioriterad plats": "prioriterade platser",
    "olovlig bosättning": "olovliga bosättningar",
    "samlingsplats för unga": "samlingsplatser för unga",
}
PLACE_TYPES = tuple(PLACE_PLURALS)

#: Known values per (table, column); a near miss of one is refused.
KNOWN: dict[tuple[str, str], tuple[str, ...]] = {
    ("survey", "group"): SURVEY_GROUPS,
    ("places", "type"): PLACE_TYPES,
    ("critical_events", "type"): EVENT_TYPES,
}
#: Free-text columns the chapters group or select on: two values in one column that differ only
#: in case or diacritics are one value misspelt (the less used one is refused).
CONSISTENT: dict[str, tuple[str, ...]] = {
    "survey": ("survey", "question", "answer", "group"),
    "places": ("type",),
    "critical_events": ("type",),
    "programme_ratings": ("programme",),
    "crime_categories": ("category", "group"),
}


@dataclass(frozen=True)
class Selections:
    """What one report selects in the survey: the standard question ids and those its params name.

    ``questions`` are the known question ids; ``yes_no`` those whose rows must use the answer
    ``ja`` (the standard evening question and the params' ``survey_question``).
    """

    questions: tuple[str, ...] = STANDARD_QUESTIONS
    yes_no: tuple[str, ...] = (QUESTION_UNSAFE_EVENING,)
    named: tuple[str, ...] = ()  # question ids named by the params (for the message)

    @classmethod
    def for_report(cls, survey_question: str, places_question: str) -> Selections:
        named = tuple(q for q in (survey_question, places_question) if q not in STANDARD_QUESTIONS)
        yes_no = tuple(dict.fromkeys((QUESTION_UNSAFE_EVENING, survey_question)))
        named = tuple(dict.fromkeys(named))  # first: a near miss of both is taken for the named one
        return cls(named + STANDARD_QUESTIONS, yes_no, named)

    def key(self) -> str:
        """The part of a validation cache key that depends on the params (empty for the standard)."""
        return "" if self == Selections() else repr((self.questions, self.yes_no))


def fingerprint() -> str:
    """The known values as text, part of the data contract's fingerprint (validation cache)."""
    return repr((sorted(KNOWN.items()), sorted(CONSISTENT.items()), STANDARD_QUESTIONS, ANSWER_YES))


# ----------------------------------------------------------------------------- near misses
def fold(text: str) -> str:
    """Case and diacritics folded, spaces collapsed: ``" Öppen  Drogscen"`` → ``"oppen drogscen"``."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _edits_allowed(known: str) -> int:
    """Spelling slips tolerated before a value counts as new: none in words of three letters or
    fewer (``ja``, ``män``: only case and diacritics), one up to five letters, two beyond."""
    return 0 if len(known) <= 3 else (1 if len(known) <= 5 else 2)


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` as soon as it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def near_miss(value: str, known: Iterable[str]) -> str | None:
    """The known value that ``value`` is a misspelling of, or None (exact, or a new value).

    A value is a near miss when it equals a known value up to case and diacritics, or is a small
    spelling slip away from it (:func:`_edits_allowed`); values whose numbers differ
    (``oroplatser_2``, ``16-24 år``) are never slips.
    """
    known = tuple(known)
    if value in known:
        return None
    folded = fold(value)
    digits = re.findall(r"\d+", folded)
    best: tuple[int, str] | None = None
    for candidate in known:
        other = fold(candidate)
        if other == folded:
            return candidate
        allowed = _edits_allowed(other)
        if not allowed or re.findall(r"\d+", other) != digits:
            continue
        distance = _distance(folded, other, allowed)
        if distance <= allowed and (best is None or distance < best[0]):
            best = (distance, candidate)
    return best[1] if best else None
