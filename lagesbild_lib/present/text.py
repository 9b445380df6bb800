"""Swedish sentences of the report: fixed wordings (DESIGN §9), plurals and lists.

The wordings here are checked by tests and by readers who compare reports from year to year;
change them only together with DESIGN §9.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from lagesbild_lib.data.known_values import EVENT_PLURALS
from lagesbild_lib.present.fmt import fmt_int, rounded

if TYPE_CHECKING:  # the wording takes a test's result; it runs no test itself
    from lagesbild_lib.analysis.stats import ChangeTest

SIGNIFICANT = "statistiskt säkerställd"
NOT_SIGNIFICANT = "inte statistiskt säkerställd"
NO_EVENTS = "inga händelser"

#: Critical event types that take "ett" (the rest take "en"); their plurals are declared once,
#: with the event types the data are validated against (:data:`~lagesbild_lib.data.known_values.EVENT_PLURALS`).
NEUTER_EVENTS = frozenset({"brandattentat"})

#: Singular → (plural, gender) of the nouns the report counts: "en skjutning", "ett brandattentat".
NOUNS: dict[str, tuple[str, str]] = {
    **{event: (forms, "ett" if event in NEUTER_EVENTS else "en") for event, forms in EVENT_PLURALS.items()},
    "händelse": ("händelser", "en"),
    "brott": ("brott", "ett"),
    "vecka": ("veckor", "en"),
    "fall": ("fall", "ett"),
    "plats": ("platser", "en"),
    "svarande": ("svarande", "en"),
    "ökning": ("ökningar", "en"),
    "minskning": ("minskningar", "en"),
    "brottskategori": ("brottskategorier", "en"),
    "område": ("områden", "ett"),
    "delområde": ("delområden", "ett"),
    "undersökning": ("undersökningar", "en"),
}

PLURALS: dict[str, str] = {singular: forms[0] for singular, forms in NOUNS.items()}
"""Singular → plural of the nouns the report counts. Unknown nouns are shown as given."""

#: The numbers one to twelve as running text writes them (DESIGN §9); 1 takes the noun's gender.
NUMBER_WORDS = ("noll", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv")


def number_word(n: int, gender: str = "en") -> str:
    """``n`` as running text writes it: in words from one to twelve ("ett" for a neuter noun),
    in digits (with thousands separators) from 13 up and for 0."""
    if 1 <= n <= 12:
        return "ett" if n == 1 and gender == "ett" else NUMBER_WORDS[n]
    return fmt_int(n)

_SINGULAR_OF = {plural_form: singular for singular, plural_form in PLURALS.items()}

# Swedish alphabetical order puts å, ä, ö after z, in that order; Python's code-point order
# would put ä before å.
_SV_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "Å": "{", "Ä": "|", "Ö": "}"})


def _sv_key(text: str) -> str:
    """Sort key that orders Swedish words alphabetically, case-insensitively."""
    return text.lower().translate(_SV_ORDER)


def capitalise(text: str) -> str:
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


def direction(value: float, decimals: int | None = None, scale: int = 1) -> int:
    """The sign of a change or difference as the reader sees it: of ``value × scale`` rounded to
    ``decimals`` (the one rounding rule, :func:`~lagesbild_lib.present.fmt.rounded`), or of the
    exact value when ``decimals`` is None. A direction word is used only when this is not 0."""
    if decimals is not None:
        value = float(rounded(value, decimals, scale))
    return (value > 0) - (value < 0)


def change_wording(significant: bool, diff: float | None = None, decimals: int | None = None, scale: int = 1) -> str:
    """Say whether a change is statistically significant, in the fixed wording; with ``diff``,
    say its direction first. The one wording of a change for every chapter (DESIGN §9).

    Parameters
    ----------
    significant
        The test's verdict (``test.significant`` of :func:`lagesbild_lib.analysis.stats.poisson_change_test`
        or of a two-proportion test).
    diff
        The change itself, in the unit the reader sees it in (e.g. percentage points); None to
        say only whether it is significant.
    decimals, scale
        ``diff × scale`` is shown with ``decimals`` decimals (scale 100: a change of shares shown
        in percentage points); a change that rounds to 0 is "oförändrad".

    Returns
    -------
    str
        ``"statistiskt säkerställd"`` / ``"inte statistiskt säkerställd"``; with ``diff``,
        ``"ökning, statistiskt säkerställd"``, ``"minskning, inte statistiskt säkerställd"``, or
        ``"oförändrad"`` when the shown change is 0.
    """
    verdict = SIGNIFICANT if significant else NOT_SIGNIFICANT
    if diff is None:
        return verdict
    sign = direction(diff, decimals, scale)
    if sign == 0:
        return "oförändrad"
    return f"{'ökning' if sign > 0 else 'minskning'}, {verdict}"


def difference_wording(
    diff: float, significant: bool, reference: str, decimals: int | None = None, scale: int = 1, *,
    higher: str = "högre", lower: str = "lägre",
) -> str:
    """A value against a reference: "högre än staden (statistiskt säkerställt)" only when the test
    says so and the shown difference is not 0; else "ingen statistiskt säkerställd skillnad mot staden".

    Parameters
    ----------
    diff
        Value minus reference, in the unit the reader sees (e.g. percentage points).
    reference
        What it is compared with, as it reads after "än" / "mot" ("staden", "män").
    decimals, scale
        ``diff × scale`` is shown with ``decimals`` decimals.
    """
    sign = direction(diff, decimals, scale)
    if not significant or sign == 0:
        return f"ingen statistiskt säkerställd skillnad mot {reference}"
    return f"{higher if sign > 0 else lower} än {reference} (statistiskt säkerställt)"


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


def few_cases_note(items) -> str:
    """The few-case caveat said once for a paragraph, naming every change it concerns:
    ``"Förändringarna för våldtäkt, utomhus (från 7 till 11 fall) och personrån (från 3 till 2 fall)
    bygger på få fall; en stor procentuell förändring kan bero på slumpen."``

    Parameters
    ----------
    items
        ``(label, test)`` pairs; only those whose test rests on few cases and whose count changed
        are named. ``""`` when none is.
    """
    return few_cases_sentence([few_cases_item(label, test) for label, test in items])


def few_cases_item(label: str, test: ChangeTest) -> str:
    """How :func:`few_cases_note` names one change ("våldtäkt, utomhus (från 7 till 11 fall)"); "" when
    the change does not rest on few cases or is 0."""
    if not test.few_cases or test.diff == 0:
        return ""
    return f"{in_sentence(label)} (från {fmt_int(test.before)} till {fmt_int(test.after)} fall)"


def few_cases_sentence(named: list[str]) -> str:
    """The one caveat sentence for the changes named by :func:`few_cases_item` ("" for none)."""
    named = [n for n in named if n]
    if not named:
        return ""
    head = "Förändringen för" if len(named) == 1 else "Förändringarna för"
    return f"{head} {join_sv(named)} bygger på få fall; en stor procentuell förändring kan bero på slumpen."


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
    return f"{capitalise(label)} har {direction} varje år sedan {first_year:d}."


def plural(n: int, noun: str, words: bool = False) -> str:
    """A count with its noun in the right number: ``"1 skjutning"``, ``"5 sprängningar"``.

    Parameters
    ----------
    n
        The count, formatted with :func:`lagesbild_lib.present.fmt.fmt_int` (or in words).
    noun
        A noun in the singular (or plural) from :data:`NOUNS`; other nouns are shown as
        given after the number.
    words
        Running text: one to twelve in words with the noun's gender (``"ett brandattentat"``,
        ``"två skjutningar"``, ``"sex veckor"``), none as ``"inga"`` (``"inga ökningar"``);
        tables keep digits.

    Returns
    -------
    str
        Number, space and noun: singular when ``n`` is 1 or −1, plural otherwise.
    """
    singular = _SINGULAR_OF.get(noun, noun)
    if singular not in NOUNS:
        return f"inga {noun}" if words and n == 0 else f"{number_word(n) if words else fmt_int(n)} {noun}"
    form, gender = (singular if abs(n) == 1 else NOUNS[singular][0]), NOUNS[singular][1]
    if words and n == 0:
        return f"inga {form}"
    return f"{number_word(n, gender) if words else fmt_int(n)} {form}"


def count_of(n: int, total: int, singular: str, plural_form: str) -> str:
    """"fem av 15 brottskategorier": a part of a whole in running text (numbers 1–12 in words;
    none is "ingen av 15 brottskategorier", "inget av" for a neuter noun)."""
    gender = NOUNS.get(singular, ("", "en"))[1]
    part = ("inget" if gender == "ett" else "ingen") if n == 0 else number_word(n, gender)
    return f"{part} av {number_word(total, gender)} {singular if total == 1 else plural_form}"


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


def count_sentence(counts: Mapping[str, int], words: bool = False) -> str:
    """Counts of events as a Swedish phrase: ``"5 sprängningar, 2 brandattentat och 1 skjutning"``.

    Parameters
    ----------
    counts
        Count per event type (singular nouns, e.g. ``critical_events.type``).
    words
        Running text: one to twelve in words ("två skjutningar och ett brandattentat").

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
    return join_sv(plural(n, noun, words) for noun, n in present)


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


#: Ordinals for a rank in running text ("den tredje högsta"); from 13 up "den 13:e högsta".
ORDINALS = ("", "", "andra", "tredje", "fjärde", "femte", "sjätte", "sjunde", "åttonde", "nionde", "tionde", "elfte", "tolfte")
#: An area level (``areas.level``) → its plural as a rank counts it ("av 13 stadsdelsområden").
LEVEL_PLURALS = {
    "kommun": "kommuner", "stadsdelsomrade": "stadsdelsområden", "stadsdel": "stadsdelar", "delomrade": "delområden",
    "lan": "län", "regso": "RegSO-områden", "deso": "DeSO-områden", "riket": "länder",
}


def level_plural(level: str) -> str:
    """The plural a rank counts areas of ``level`` in ("stadsdelsområden"); "områden" for other levels."""
    return LEVEL_PLURALS.get(level, "områden")


def rank_wording(place: int, end: str, peers: int, noun: str, tied: int = 0, what: str = "", words: bool = True) -> str:
    """A rank among peers in Swedish (issue 16): "den tredje högsta av 13 stadsdelsområden".

    Parameters
    ----------
    place
        1-based place counted from ``end`` (1: the highest or lowest).
    end
        ``"högsta"`` or ``"lägsta"``.
    peers
        The number of areas ranked, the area itself included.
    noun
        Their plural (:func:`level_plural`).
    tied
        How many other areas share the value: said after the rank ("delad med två andra").
    what
        What is ranked, after the rank word ("den högsta andelen av …"); "" for nothing.
    words
        Running text: counts one to twelve in words; tables keep digits.

    Returns
    -------
    str
        ``"den högsta andelen av fem kommuner"``, ``"den tredje lägsta av 13 stadsdelsområden (delad
        med en annan)"``; with fewer than three areas no rank: ``"ingen rangordning (bara två kommuner
        har värden)"``.
    """
    count = number_word(peers) if words else fmt_int(peers)
    if peers < 3:
        return "ingen rangordning (inga andra områden har värden)" if peers <= 1 else f"ingen rangordning (bara {count} {noun} har värden)"
    ordinal = "" if place == 1 else (ORDINALS[place] if place < len(ORDINALS) else f"{place}:e") + " "
    shared = ""
    if tied:
        shared = f" (delad med {'en annan' if tied == 1 else (number_word(tied) if words else fmt_int(tied)) + ' andra'})"
    return f"den {ordinal}{end}{' ' + what if what else ''} av {count} {noun}{shared}"
