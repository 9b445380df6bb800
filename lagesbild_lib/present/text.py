"""Swedish sentences of the report: fixed wordings (DESIGN §9), plurals and lists.

The wordings here are checked by tests and by readers who compare reports from year to year;
change them only together with DESIGN §9.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from lagesbild_lib.present.fmt import fmt_int

if TYPE_CHECKING:  # the wording takes a test's result; it runs no test itself
    from lagesbild_lib.analysis.stats import ChangeTest

SIGNIFICANT = "statistiskt säkerställd"
NOT_SIGNIFICANT = "inte statistiskt säkerställd"
NO_EVENTS = "inga händelser"

PLURALS: dict[str, str] = {
    "sprängning": "sprängningar",
    "skjutning": "skjutningar",
    "brandattentat": "brandattentat",
    "handgranat": "handgranater",
    "händelse": "händelser",
    "brott": "brott",
    "vecka": "veckor",
    "fall": "fall",
    "plats": "platser",
    "svarande": "svarande",
}
"""Singular → plural of the nouns the report counts. Unknown nouns are shown as given."""

_SINGULAR_OF = {plural_form: singular for singular, plural_form in PLURALS.items()}

# Swedish alphabetical order puts å, ä, ö after z, in that order; Python's code-point order
# would put ä before å.
_SV_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "Å": "{", "Ä": "|", "Ö": "}"})


def _sv_key(text: str) -> str:
    """Sort key that orders Swedish words alphabetically, case-insensitively."""
    return text.lower().translate(_SV_ORDER)


def _capitalise(text: str) -> str:
    """First letter upper-case, the rest as given (``"våld i nära relation"`` → ``"Våld i …"``)."""
    return text[:1].upper() + text[1:]


def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: ``"Våldtäkt, utomhus"`` → ``"våldtäkt, utomhus"``.

    Only the first letter is lowered, and only when the second letter is lower-case, so that
    abbreviations such as ``"ANDT-brott"`` keep their capitals.
    """
    if len(label) >= 2 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def change_wording(significant: bool, diff: float | None = None) -> str:
    """Say whether a change is statistically significant, in the fixed wording; with ``diff``,
    say its direction first. The one wording of a change for every chapter (DESIGN §9).

    Parameters
    ----------
    significant
        The test's verdict (``test.significant`` of :func:`lagesbild_lib.analysis.stats.poisson_change_test`
        or of a two-proportion test).
    diff
        The change itself (any unit); None to say only whether it is significant.

    Returns
    -------
    str
        ``"statistiskt säkerställd"`` / ``"inte statistiskt säkerställd"``; with ``diff``,
        ``"ökning, statistiskt säkerställd"``, ``"minskning, inte statistiskt säkerställd"``, or
        ``"oförändrad"`` when ``diff`` is 0.
    """
    verdict = SIGNIFICANT if significant else NOT_SIGNIFICANT
    if diff is None:
        return verdict
    if diff == 0:
        return "oförändrad"
    return f"{'ökning' if diff > 0 else 'minskning'}, {verdict}"


def few_cases_caveat(label: str, test: ChangeTest) -> str:
    """The caveat for a change that rests on few cases.

    Parameters
    ----------
    label
        The crime category as the reader knows it (``"Våldtäkt, utomhus"``); its first letter
        is lowered inside the sentence unless it is an abbreviation.
    test
        The result of :func:`lagesbild_lib.analysis.stats.poisson_change_test`.

    Returns
    -------
    str
        ``"Förändringen för våldtäkt, utomhus (från 7 till 2 fall) bygger på få fall; en stor
        procentuell förändring kan bero på slumpen."`` when ``test.few_cases`` and the count
        changed; ``""`` otherwise (no change needs no caveat).
    """
    if not test.few_cases or test.diff == 0:
        return ""
    return (
        f"Förändringen för {in_sentence(label)} "
        f"(från {fmt_int(test.before)} till {fmt_int(test.after)} fall) bygger på få fall; "
        "en stor procentuell förändring kan bero på slumpen."
    )


def trend_sentence(label: str, series: Mapping[int, float]) -> str:
    """A sentence for a series that has fallen or risen every year.

    Parameters
    ----------
    label
        What the series counts (``"Antalet anmälda rån"``); its first letter is capitalised.
    series
        Value per year (see :func:`lagesbild_lib.analysis.stats.monotone_since`).

    Returns
    -------
    str
        ``"<Label> har minskat varje år sedan 2019."`` or ``"<Label> har ökat varje år sedan
        2019."`` where 2019 is the first year of the series; ``""`` when the series is not
        monotone over all its years.
    """
    found = monotone_since(series)
    if found is None:
        return ""
    direction, first_year = found
    # A year is written without thousands separator: "2019", never "2 019".
    return f"{_capitalise(label)} har {direction} varje år sedan {first_year:d}."


def plural(n: int, noun: str) -> str:
    """A count with its noun in the right number: ``"1 skjutning"``, ``"5 sprängningar"``.

    Parameters
    ----------
    n
        The count, formatted with :func:`lagesbild_lib.present.fmt.fmt_int`.
    noun
        A noun in the singular (or plural) from :data:`PLURALS`; other nouns are shown as
        given after the number.

    Returns
    -------
    str
        Number, space and noun: singular when ``n`` is 1 or −1, plural otherwise.
    """
    singular = _SINGULAR_OF.get(noun, noun)
    if singular not in PLURALS:
        return f"{fmt_int(n)} {noun}"
    form = singular if abs(n) == 1 else PLURALS[singular]
    return f"{fmt_int(n)} {form}"


def join_sv(items: Iterable[str]) -> str:
    """Join words as a Swedish list: ``"a, b och c"``.

    Parameters
    ----------
    items
        The words, in the order they are to be read.

    Returns
    -------
    str
        ``""`` for none, the word for one, ``"a och b"`` for two, ``"a, b och c"`` for more
        (no comma before "och").
    """
    words = list(items)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " och " + words[-1]


def count_sentence(counts: Mapping[str, int]) -> str:
    """Counts of events as a Swedish phrase: ``"5 sprängningar, 2 brandattentat och 1 skjutning"``.

    Parameters
    ----------
    counts
        Count per event type (singular nouns, e.g. ``critical_events.type``).

    Returns
    -------
    str
        The non-zero counts, largest first and alphabetically among equals, each with its
        plural (:func:`plural`); ``"inga händelser"`` when there is none.

    Raises
    ------
    ValueError
        If a count is negative.
    """
    negative = {noun: n for noun, n in counts.items() if n < 0}
    if negative:
        raise ValueError(f"Counts of events cannot be negative: {negative}.")
    present = [(noun, n) for noun, n in counts.items() if n > 0]
    if not present:
        return NO_EVENTS
    present.sort(key=lambda item: (-item[1], _sv_key(item[0])))
    return join_sv(plural(n, noun) for noun, n in present)


def monotone_since(series: Mapping[int, float]) -> tuple[str, int] | None:
    """Find a series that has fallen or risen every single year.

    Parameters
    ----------
    series
        Value per year, in any order.

    Returns
    -------
    tuple of (str, int) or None
        ``("minskat", first_year)`` when the value strictly decreases from every year to the
        next over the whole series, ``("ökat", first_year)`` when it strictly increases; None
        when the series has fewer than 3 years, a gap between years, a missing value, or is
        not monotone.
    """
    if len(series) < 3:
        return None
    years = sorted(series)
    if any(b - a != 1 for a, b in zip(years, years[1:])):
        return None
    values = [series[year] for year in years]
    if any(value is None or math.isnan(value) for value in values):
        return None
    steps = list(zip(values, values[1:]))
    if all(b < a for a, b in steps):
        return "minskat", years[0]
    if all(b > a for a, b in steps):
        return "ökat", years[0]
    return None
