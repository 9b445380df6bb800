"""Small-count disclosure control (DESIGN §8, params ``suppress_below``).

With ``suppress_below: N`` (N ≥ 2) every count from 1 to N−1 is shown as ``<N`` in tables, chart
data, map data, key figures and Excel, and written as "färre än N" in sentences. Zero is shown:
it reveals no one. A figure derived from a masked count (a difference, a percent change, a rate
per 1 000 inhabitants, a p-value or a significance wording, a mean over fewer than N ratings) is
shown as ``–`` (:data:`SUPPRESSED`), and ``None`` in Excel, since it would give the count away.
``suppress_below`` 0 or 1 turns the rule off.

Only counts that are themselves small are masked (primary suppression). A total that is N or
more is shown even when one of its parts is masked.

Pure functions of numbers and DataFrames; nothing here reads files or draws.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from lagesbild_lib.present.fmt import MISSING, fmt_int
from lagesbild_lib.present.text import PLURALS, _SINGULAR_OF, _sv_key, join_sv, plural

SUPPRESSED = MISSING
"""What a derived figure that would reveal a masked count is shown as (``–``)."""

MOST = 0.5
"""A chart is left out, with a note, when more than this share of its non-zero values is masked."""


def active(threshold: int) -> bool:
    """True when ``threshold`` (``suppress_below``) masks anything (it is 2 or more)."""
    return int(threshold or 0) >= 2


def is_masked(count: object, threshold: int) -> bool:
    """Tell whether a count is masked: ``1 <= count < threshold`` (missing values are not).

    Parameters
    ----------
    count
        A count (int, float, numpy number), or None/NaN.
    threshold
        ``suppress_below`` from params; 0 or 1 masks nothing.
    """
    if not active(threshold) or count is None or count is pd.NA or isinstance(count, str):
        return False
    try:
        value = float(count)
    except (TypeError, ValueError):
        return False
    return not math.isnan(value) and 0 < value < threshold


def mask_label(threshold: int) -> str:
    """``<N``: how a masked count is shown in tables."""
    return f"<{int(threshold)}"


def mask_count(count: object, threshold: int) -> str:
    """A count as the reader sees it in a table: Swedish formatted, or ``<N`` when masked."""
    return mask_label(threshold) if is_masked(count, threshold) else fmt_int(count)


def mask_value(count: object, threshold: int):
    """A count for Excel and chart data: the number itself, or the text ``<N`` when masked."""
    if not is_masked(count, threshold):
        return count
    return mask_label(threshold)


def count_words(count: object, threshold: int) -> str:
    """A count inside a sentence: ``"76 396"``, or ``"färre än 5"`` when masked."""
    return f"färre än {int(threshold)}" if is_masked(count, threshold) else fmt_int(count)


def count_phrase(count: int, noun: str, threshold: int, words: bool = False) -> str:
    """A count with its noun: ``"5 sprängningar"``, ``"1 skjutning"``, masked ``"färre än 5 skjutningar"``;
    ``words``: running text, one to twelve in words ("en skjutning")."""
    if not is_masked(count, threshold):
        return plural(count, noun, words)
    singular = _SINGULAR_OF.get(noun, noun)
    return f"färre än {int(threshold)} {PLURALS.get(singular, noun)}"


def count_sentence(counts: Mapping[str, int], threshold: int) -> str:
    """Counts of events in running text, with masked counts: ``"fem sprängningar och färre än 5 skjutningar"``
    (one to twelve in words, DESIGN §9).

    Shown counts come first, largest first; masked ones follow in alphabetical order (their
    order by size would tell something about them). ``"inga händelser"`` when all are 0.
    """
    from lagesbild_lib.present.text import count_sentence as plain

    if not active(threshold):
        return plain(counts, words=True)
    shown = {k: v for k, v in counts.items() if v > 0 and not is_masked(v, threshold)}
    masked = sorted((k for k, v in counts.items() if is_masked(v, threshold)), key=_sv_key)
    parts = [plain({k: v}, words=True) for k, v in sorted(shown.items(), key=lambda kv: (-kv[1], _sv_key(kv[0])))]
    parts += [count_phrase(1, k, threshold) for k in masked]
    return join_sv(parts) if parts else plain({})


def any_masked(values: Iterable[object], threshold: int) -> bool:
    """True when any of ``values`` is a masked count."""
    return any(is_masked(v, threshold) for v in values)


def masked_share(values: Iterable[object], threshold: int) -> float:
    """The share of the non-zero counts among ``values`` that are masked (0 when there are none)."""
    nonzero = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v)) and float(v) != 0]
    if not nonzero:
        return 0.0
    return sum(is_masked(v, threshold) for v in nonzero) / len(nonzero)


def mostly_masked(values: Iterable[object], threshold: int) -> bool:
    """True when more than :data:`MOST` of the non-zero counts are masked (the chart is left out)."""
    return active(threshold) and masked_share(values, threshold) > MOST


def masked_rows(frame: pd.DataFrame, count_columns: Sequence[str], threshold: int) -> pd.Series:
    """Rows of ``frame`` in which any of ``count_columns`` holds a masked count."""
    rows = pd.Series(False, index=frame.index)
    for col in count_columns:
        rows |= frame[col].map(lambda v: is_masked(v, threshold)).astype(bool)
    return rows


def mask_display(
    frame: pd.DataFrame, count_columns: Sequence[str], threshold: int, derived: Sequence[str] = (),
    formatted: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The table as the reader sees it, with masked counts and the figures derived from them.

    Parameters
    ----------
    frame
        The numbers (counts in ``count_columns``).
    count_columns
        Columns holding counts: masked ones become ``<N``, the others are formatted with
        :func:`~lagesbild_lib.present.fmt.fmt_int` (unless ``formatted`` gives their text).
    threshold
        ``suppress_below``.
    derived
        Columns computed from the counts of the same row (difference, percent, rate, p-value,
        wording): ``–`` in every row where a count is masked.
    formatted
        The table already formatted for the reader (same index and columns); its cells are
        kept where nothing is masked.

    Returns
    -------
    DataFrame of text.
    """
    out = (formatted if formatted is not None else frame).copy()
    hide = masked_rows(frame, count_columns, threshold)
    for col in count_columns:
        if formatted is None:
            out[col] = [mask_count(v, threshold) for v in frame[col]]
        else:
            out[col] = [mask_label(threshold) if is_masked(v, threshold) else shown for v, shown in zip(frame[col], out[col])]
    for col in derived:
        out[col] = out[col].astype(object)
        out.loc[hide, col] = SUPPRESSED
    return out


def mask_data(frame: pd.DataFrame, count_columns: Sequence[str], threshold: int, derived: Sequence[str] = ()) -> pd.DataFrame:
    """The numbers for Excel and chart data tables: masked counts as the text ``<N``, figures
    derived from them as None (an empty cell); everything else as the number it is."""
    if not active(threshold):
        return frame
    out = frame.copy()
    hide = masked_rows(frame, count_columns, threshold)
    for col in count_columns:
        out[col] = [mask_value(v, threshold) for v in frame[col]]
        out[col] = out[col].astype(object)
    for col in derived:
        out[col] = out[col].astype(object)
        out.loc[hide, col] = None
    return out


def mask_wide(frame: pd.DataFrame, threshold: int, display: bool) -> pd.DataFrame:
    """A table whose every cell is a count (e.g. years × categories): each masked on its own.

    ``display`` True gives Swedish text (``<N`` or formatted); False the numbers for Excel.
    """
    if display:
        return frame.apply(lambda col: col.map(lambda v: mask_count(v, threshold)))
    if not active(threshold):
        return frame
    return frame.astype(object).apply(lambda col: col.map(lambda v: mask_value(v, threshold)))


def hidden_in_chart(frame: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Counts for drawing: masked values become NaN (no point, bar or number is drawn for them)."""
    if not active(threshold):
        return frame
    return frame.astype(float).apply(lambda col: col.map(lambda v: math.nan if is_masked(v, threshold) else v))


def note(threshold: int) -> str:
    """The sentence under a table or chart with masked counts."""
    n = int(threshold)
    return (
        f"Antal under {n} (utom noll) visas som <{n} (röjandeskydd); förändringar, takter och "
        "bedömningar som skulle avslöja dem visas som –."
    )


def chart_note(threshold: int) -> str:
    """The sentence under a chart whose masked values are not drawn."""
    n = int(threshold)
    return f"Antal under {n} (utom noll) ritas inte ut med sitt värde (röjandeskydd); de visas som <{n} i tabellen med siffrorna."


def left_out(what: str, threshold: int, *, any_small: bool = False) -> str:
    """The sentence shown instead of a chart whose values are mostly masked (or, with
    ``any_small``, a chart whose marks could be counted and one count is small)."""
    why = "några antal är" if any_small else "de flesta antalen är"
    return f"{what} visas inte: {why} färre än {int(threshold)} och visas inte av röjandeskyddsskäl (params: suppress_below)."


def with_note(existing: str, threshold: int, masked: bool, chart: bool = False) -> str:
    """``existing`` note with the disclosure sentence appended when anything was masked."""
    if not masked:
        return existing
    extra = chart_note(threshold) if chart else note(threshold)
    return f"{existing} {extra}".strip()
