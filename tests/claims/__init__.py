"""Every claim of a built report against the data (issue 15): each sentence, caption, alt text,
key figure and table row that states a number or a direction is read back with a regex on the
Swedish text and recomputed from the data folder.

- :mod:`claims.report` reads the report's visible text and Swedish numbers;
- :mod:`claims.truth` recomputes the numbers from the data;
- :mod:`claims.crime`, :mod:`claims.area`, :mod:`claims.safety` hold the checks by subject and
  :mod:`claims.style` those of every text (spans, numbers in words, claims no check reads).

A check is a regex over a piece of text and a function that compares what the match says with
the data (:class:`Ledger` counts it per claim class and keeps every contradiction). A sentence
that states a number or a direction word and that no check read is a contradiction too
("unchecked"): a claim nobody verified is not known to be true.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from claims.report import Piece, Report, TableText, read_report, split_sentences
from claims.truth import Truth

SentenceCheck = tuple[re.Pattern, Callable]
TableCheck = tuple[re.Pattern, Callable]


@dataclass(frozen=True)
class Contradiction:
    report: str
    where: str
    text: str
    says: str
    data: str

    def __str__(self) -> str:
        return f"{self.report} [{self.where}] «{self.text}»\n    says: {self.says}\n    data: {self.data}"


@dataclass
class Ledger:
    """Claims checked, per class, and the contradictions found, for one report."""

    report: str
    counts: Counter = field(default_factory=Counter)
    found: list[Contradiction] = field(default_factory=list)

    def claim(self, cls: str, where: Piece | TableText | str, text: str, ok: bool, says: str = "", data: str = "") -> bool:
        """Count one claim of class ``cls``; keep it as a contradiction unless ``ok``."""
        self.counts[cls] += 1
        if not ok:
            self.found.append(Contradiction(self.report, _where(where), text, says, data))
        return ok

    def equal(self, cls: str, where, text: str, what: str, shown, true) -> bool:
        """A claim that ``what`` is ``shown``, where the data give ``true``."""
        return self.claim(cls, where, text, shown == true, f"{what} = {shown}", f"{what} = {true}")


def _where(where) -> str:
    if isinstance(where, Piece):
        return f"{where.kind} in {where.section!r}"
    if isinstance(where, TableText):
        return f"table {where.caption[:70]!r}"
    return str(where)


def check_report(report: Report, truth: Truth) -> Ledger:
    """Run every check on one report; sentences that state a number or direction and that no check
    read are contradictions of class ``unchecked``."""
    from claims import area, crime, kommun, narrative, patterns, peers, plan, police_area, priority, safety, sources, style, survey_many

    ledger = Ledger(report.path.name)
    sentence_checks: list[SentenceCheck] = [*crime.SENTENCES, *area.SENTENCES, *kommun.SENTENCES, *narrative.SENTENCES, *safety.SENTENCES, *plan.SENTENCES, *priority.SENTENCES, *peers.SENTENCES, *police_area.SENTENCES, *patterns.SENTENCES, *survey_many.SENTENCES, *sources.SENTENCES, *style.SENTENCES]
    table_checks: list[TableCheck] = [*crime.TABLES, *area.TABLES, *kommun.TABLES, *safety.TABLES, *plan.TABLES, *priority.TABLES, *peers.TABLES, *police_area.TABLES, *patterns.TABLES, *survey_many.TABLES]
    for piece in report.pieces:
        spans: list[tuple[int, int]] = []
        for pattern, check in sentence_checks:
            for match in pattern.finditer(piece.text):
                _run(ledger, check, piece, match.group(0), truth, piece, match)
                spans.append(match.span())
        style.check_unread(ledger, piece, _unread(piece.text, spans))
        if piece.running:
            style.numbers_in_words(ledger, piece)
        style.spans(ledger, truth, piece.text, piece)
    for table in report.tables:
        style.spans(ledger, truth, table.caption, table)
        read = [_run(ledger, check, table, table.caption, truth, table) for pattern, check in table_checks if pattern.search(table.caption)]
        if not any(r is not False for r in read):
            style.check_unread_table(ledger, table)
    for whole in (*crime.WHOLE, *safety.WHOLE, *plan.WHOLE, *peers.WHOLE):
        _run(ledger, whole, whole.__name__, whole.__doc__ or "", truth, report)
    return ledger


def _run(ledger: Ledger, check, where, text: str, *args):
    """Run one check; a check that cannot read what the report says (a number it cannot parse, a
    name the data do not know) is a contradiction too, with the error as what the data say."""
    try:
        return check(ledger, *args)
    except Exception as exc:  # noqa: BLE001 — every failure of a check is reported, none hides the others
        ledger.claim("unreadable", where, text, False, f"read by {check.__name__}", f"{type(exc).__name__}: {exc}")
        return None


def _unread(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """The sentences of ``text`` that no check's match touches."""
    out, start = [], 0
    for sentence in split_sentences(text):
        begin = text.find(sentence, start)
        end = begin + len(sentence)
        start = end
        if not any(a < end and b > begin for a, b in spans):
            out.append(sentence)
    return out


__all__ = ["Contradiction", "Ledger", "Report", "Truth", "check_report", "read_report"]
