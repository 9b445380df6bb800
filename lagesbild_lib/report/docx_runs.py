"""Inline HTML as formatted Word runs, for the Word version of the report (:mod:`.docx`).

A paragraph, list item, caption or table cell of the stitched page is flattened into text segments
that carry their formatting (bold for ``<strong>`` and the report's ``lb-num`` figures, italic,
code, superscript) and line breaks; runs of white space collapse to one space as a browser would
show them, and each segment becomes a python-docx run. Text that the page hides from the eye and
gives only to screen readers (class ``lb-sr``, e.g. "Vecka" over each week column of the weekly
grid and ", kritisk händelse: 1 skjutning" in its cells) is left out: printed in a Word cell it
would make each row a page tall. Also the small helpers for reading an element's plain text and
classes that the other Word modules share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Tags that flow inside a paragraph (everything else is a block of its own).
INLINE_TAGS = {"span", "a", "strong", "b", "em", "i", "code", "sup", "sub", "abbr", "time", "small", "mark", "kbd", "samp"}


@dataclass(frozen=True)
class Fmt:
    bold: bool = False
    italic: bool = False
    code: bool = False
    sup: bool = False


def plain_text(el) -> str:
    """``el``'s text with its white space collapsed ("" for None)."""
    return "" if el is None else re.sub(r"\s+", " ", el.text_content()).strip()


def class_set(el) -> set[str]:
    """The classes of ``el``."""
    return set((el.get("class") or "").split())


def visible_text(el) -> str:
    """The text of ``el`` as its runs show it (screen-reader-only text left out), white space collapsed."""
    segments: list[tuple[str, Fmt] | None] = []
    _collect(el, Fmt(), segments, (), top=True)
    return re.sub(r"\s+", " ", "".join(" " if seg is None else seg[0] for seg in segments)).strip()


def add_runs(paragraph, el, fmt: Fmt, skip=()) -> None:
    """Add ``el``'s text and inline children to ``paragraph`` as formatted runs."""
    segments: list[tuple[str, Fmt] | None] = []  # None: a line break
    _collect(el, fmt, segments, skip, top=True)
    text_so_far = ""
    for seg in segments:
        if seg is None:
            paragraph.add_run().add_break()
            text_so_far = ""
            continue
        text, f = seg
        text = re.sub(r"\s+", " ", text)
        if not text_so_far or text_so_far.endswith(" "):
            text = text.lstrip()
        if not text:
            continue
        run = paragraph.add_run(text)
        run.bold = f.bold or None
        run.italic = f.italic or None
        run.font.superscript = f.sup or None
        if f.code:
            run.font.name = "Consolas"
        text_so_far += text
    if paragraph.runs:
        last = paragraph.runs[-1]
        last.text = last.text.rstrip()


def _collect(el, fmt: Fmt, out: list, skip, top=False) -> None:
    if not top:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in skip or tag in ("details", "script", "style", "img") or "lb-sr" in class_set(el):
            if el.tail:
                out.append((el.tail, fmt))
            return
        if tag == "br":
            out.append(None)
            if el.tail:
                out.append((el.tail, fmt))
            return
        inner = fmt
        if tag in ("strong", "b") or "lb-num" in class_set(el):
            inner = Fmt(True, fmt.italic, fmt.code, fmt.sup)
        elif tag in ("em", "i"):
            inner = Fmt(fmt.bold, True, fmt.code, fmt.sup)
        elif tag in ("code", "kbd", "samp"):
            inner = Fmt(fmt.bold, fmt.italic, True, fmt.sup)
        elif tag == "sup":
            inner = Fmt(fmt.bold, fmt.italic, fmt.code, True)
        fmt_here, fmt_tail = inner, fmt
    else:
        fmt_here, fmt_tail = fmt, fmt
    if el.text:
        out.append((el.text, fmt_here))
    for child in el:
        if not isinstance(child.tag, str):
            if child.tail:
                out.append((child.tail, fmt_here))
            continue
        _collect(child, fmt_here, out, skip)
    if not top and el.tail:
        out.append((el.tail, fmt_tail))
