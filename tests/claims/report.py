"""What a built report says, as the reader sees it: its sentences (paragraphs, list items, figure
captions, alt texts, key figures) and its tables, and how to read Swedish numbers back.

Text is normalised once: no-break spaces (U+00A0) become plain spaces, runs of white space one
space; the narrow no-break space (U+202F) stays inside numbers as their thousands separator and
the minus sign (U+2212) stays a minus sign.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from bs4 import BeautifulSoup

THIN, MINUS = "\u202f", "\u2212"

#: A number as the report writes it: "3 585", "27,8", "−46", "+146".
NUM = rf"[+{MINUS}]?\d{{1,3}}(?:{THIN}\d{{3}})*(?:,\d+)?"
#: Whole numbers one to twelve in words, as running text writes them (DESIGN §9).
WORDS = {"en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9,
         "tio": 10, "elva": 11, "tolv": 12, "inga": 0, "ingen": 0, "inget": 0}
COUNT = rf"(?:{NUM}|{'|'.join(sorted(WORDS, key=len, reverse=True))})"
#: A share with its interval: "30 % (28–33 %)".
SHARE_CI = r"(\d+) % \((\d+)–(\d+) %\)"
MONTHS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def number(text: str) -> Decimal:
    """A Swedish number back to a Decimal: "1 234,5" → 1234.5, "−46" → −46."""
    return Decimal(text.replace(THIN, "").replace(MINUS, "-").replace("+", "").replace(",", ".").strip())


def count(text: str) -> int:
    """A count in digits or in words ("två", "ett", "inga") → int."""
    word = text.strip().lower()
    return WORDS[word] if word in WORDS else int(number(text))


def half_up(value: float, decimals: int = 0, scale: int = 1) -> Decimal:
    """``value × scale`` rounded half away from zero on its decimal value: how a reader rounds."""
    exact = value if isinstance(value, Decimal) else Decimal(str(float(value)))
    return (exact * scale).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def whole(x: float) -> int:
    """``x`` rounded half up to a whole number, as the report shows counts and rates."""
    return int(half_up(x))


def pct_text(pct: float | None) -> str:
    """A percent change as the report writes it in a change ("+29 %", "−3 %", "0 %")."""
    if pct is None:
        return "–"
    shown = half_up(pct)
    sign = "+" if shown > 0 else MINUS if shown < 0 else ""
    return f"{sign}{abs(shown)} %"


def signed(n: int) -> str:
    return f"+{n:,}".replace(",", THIN) if n > 0 else f"{MINUS}{abs(n):,}".replace(",", THIN) if n < 0 else "0"


def digits(n: int) -> str:
    return f"{n:,}".replace(",", THIN)


def short_date(day: int, month: int) -> str:
    return f"{day} {MONTHS[month - 1]}"


@dataclass
class Piece:
    """A visible text: its kind (p, li, figcaption, alt, dt/dd, note), the section it is in, its text."""

    kind: str
    section: str
    text: str

    @property
    def running(self) -> bool:
        """Running text (sentences), where numbers one to twelve are words: not captions, not key figures."""
        return self.kind in ("p", "li", "alt")


@dataclass
class TableText:
    """A table with the caption of the figure it belongs to and its rows as {header: cell}."""

    caption: str
    section: str
    header: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Report:
    """One built report: its file, the visible pieces of text and the tables."""

    path: Path
    pieces: list[Piece]
    tables: list[TableText]

    def sentences(self):
        """(piece, sentence) for every sentence of every piece."""
        for piece in self.pieces:
            for sentence in split_sentences(piece.text):
                yield piece, sentence

    def table(self, caption_pattern: str) -> list[TableText]:
        return [t for t in self.tables if re.search(caption_pattern, t.caption)]


def clean(text: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", text.replace("\u00a0", " ")).strip()


_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9*”])")
#: Abbreviations and labels after which a full stop does not end the sentence.
_NOT_AN_END = re.compile(r"(?:\bt\.ex|\bt\.o\.m|\bbl\.a|\bca|\bnr|(?:Tabell|Diagram|Kartbild|Figur) \d+)\.$")


def split_sentences(text: str) -> list[str]:
    """Sentences of a piece of text; a full stop after an abbreviation or a figure label does not end one."""
    parts, out = _SPLIT.split(text), []
    for part in parts:
        if out and _NOT_AN_END.search(out[-1]):
            out[-1] += " " + part
        else:
            out.append(part)
    return [p for p in out if p]


def _section(tag) -> str:
    heading = tag.find_previous(["h1", "h2", "h3"])
    return clean(heading.get_text()) if heading else ""


def _caption(table) -> str:
    figure = table.find_parent("div", class_="lb-figure")
    caption = figure.find("figcaption") if figure else None
    return clean(caption.get_text()) if caption else ""


def _rows(table) -> tuple[list[str], list[dict[str, str]]]:
    header: list[str] = []
    rows = []
    for tr in table.find_all("tr"):
        cells = [clean(c.get_text()) for c in tr.find_all(["th", "td"])]
        if not header:
            header = cells
            continue
        rows.append(dict(zip(header, cells)))
    return header, rows


def read_report(path: Path) -> Report:
    """The visible text of a report's title page facts and its ``<main>`` (the provenance footer and
    the table of contents are not claims about the data): paragraphs, list items, captions, notes,
    alt texts, key figures, tables."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    main = soup.find("main")
    pieces: list[Piece] = []
    for facts in soup.select("header dl"):  # the title page: area, year, period, parties
        for item in facts.find_all("div", recursive=False):
            pieces.append(Piece("keyfigure", "title page", clean(item.dt.get_text()) + ": " + clean(item.dd.get_text())))
    for tag in main.find_all(["p", "li", "figcaption", "img", "dl"]):
        if tag.name == "img":
            pieces.append(Piece("alt", _section(tag), clean(tag.get("alt", ""))))
        elif tag.name == "dl":
            for item in tag.find_all("div", recursive=False):
                pieces.append(Piece("keyfigure", _section(tag), clean(item.dt.get_text()) + ": " + clean(item.dd.get_text())))
        elif tag.name == "li" and tag.find(["ul", "ol"]):
            continue
        elif not tag.find_parent("table") and not (tag.name == "p" and tag.find_parent("li")):
            classes = tag.get("class") or []
            # a picture's caption ("Figur 1. Samverkans organisation") is a caption, not a note
            kind = "figcaption" if "lb-figure-caption" in classes else "note" if tag.name == "p" and "lb-note" in classes else tag.name
            pieces.append(Piece(kind, _section(tag), clean(tag.get_text())))
    tables = []
    for table in main.find_all("table"):
        if "lb-weekly" in (table.get("class") or []):
            continue  # the weekly grid: checked as a whole (Truth.weeks), not row by row
        header, rows = _rows(table)
        tables.append(TableText(_caption(table), _section(table), header, rows))
    return Report(path, [p for p in pieces if p.text], tables)


_TOKENS = {
    "@NUM@": NUM,
    "@COUNT@": rf"(?i:{COUNT})",
    "@CI@": SHARE_CI,
    "@PERIOD@": r"1 jan–\d{1,2} [a-z]{3}",
    "@YEAR@": r"\d{4}",
}


def rx(pattern: str) -> re.Pattern:
    """A regex with the report's tokens: @NUM@ a number, @COUNT@ a count in digits or words, @CI@ a
    share with its interval (three groups), @PERIOD@ "1 jan–31 okt", @YEAR@ a year."""
    for token, value in _TOKENS.items():
        pattern = pattern.replace(token, value)
    return re.compile(pattern)


def registry(sentences: list, tables: list):
    """The decorators that register a module's checks: ``@sentence(regex)`` for a check of the
    pieces of text a regex matches (the compiled regex is kept as ``check.pattern``),
    ``@table(regex)`` for a check of the tables whose caption it matches."""

    def sentence(pattern: str):
        def register(check):
            check.pattern = rx(pattern)
            sentences.append((check.pattern, check))
            return check
        return register

    def table(pattern: str):
        def register(check):
            check.pattern = rx(pattern)
            tables.append((check.pattern, check))
            return check
        return register

    return sentence, table


def items(text: str) -> list[str]:
    """A Swedish list back to its items: "a, b och c" → [a, b, c]."""
    head, _, last = text.rpartition(" och ")
    return [*(p for p in head.split(", ") if p), last] if head else [last]
