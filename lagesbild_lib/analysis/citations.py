"""Källor in the real lägesbild's style, and the labels that ``{cite:key}`` in a text becomes.

A source's label is its author (``author``, else ``publisher``) and year: "Stockholms stad (2023)".
When one author has several sources of the same year they are lettered in title order, "(2023a)",
"(2023b)", as in the hand-made report; a source without a year reads "(u.å.)". Källor lists the
sources sorted by author, year and letter:

    Stockholms stad (2023b). Trygghetsundersökning 2023. Hämtad 2023-11-24 från https://…
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from lagesbild_lib.params import Source
from lagesbild_lib.analysis.priority import md_escape

#: A citation in any text of the report: ``{cite:stockholm_trygghet_2023}``.
CITE_RE = re.compile(r"\{cite:([A-Za-z0-9_][A-Za-z0-9_.\-]*)\}")


@dataclass(frozen=True)
class Cited:
    """One source with its label parts: author, "2023b" and the whole label."""

    source: Source
    author: str
    year_text: str

    @property
    def label(self) -> str:
        return f"{self.author} ({self.year_text})" if self.author else f"{self.source.title} ({self.year_text})"


def _author(source: Source) -> str:
    return (source.author or source.publisher).strip()


def lettered(sources: list[Source] | tuple[Source, ...]) -> list[Cited]:
    """The sources with their labels, sorted as Källor lists them (author, year, letter)."""
    groups: dict[tuple[str, int | None], list[Source]] = defaultdict(list)
    for s in sources:
        groups[(_author(s), s.year)].append(s)
    cited = []
    for (author, year), members in groups.items():
        members = sorted(members, key=lambda s: s.title.casefold())
        base = str(year) if year is not None else "u.å."
        for i, s in enumerate(members):
            letter = "abcdefghijklmnopqrstuvwxyz"[i % 26] if len(members) > 1 else ""
            cited.append(Cited(s, author, base + letter))
    return sorted(cited, key=lambda c: (c.author.casefold() or c.source.title.casefold(), c.source.year or 0, c.year_text))


def cite_labels(sources) -> dict[str, str]:
    """``{key: "Stockholms stad (2023b)"}`` for every source with a ``key``."""
    return {c.source.key: c.label for c in lettered(sources) if c.source.key}


def duplicate_keys(sources) -> list[str]:
    """Citation keys given to more than one source (each once, in order)."""
    seen: set[str] = set()
    dupes: list[str] = []
    for s in sources:
        if s.key and s.key in seen and s.key not in dupes:
            dupes.append(s.key)
        seen.add(s.key or "")
    return dupes


def cited_keys(text: str) -> list[str]:
    """The ``{cite:key}`` keys in a text, in order."""
    return CITE_RE.findall(text or "")


def replace_cites(text: str, labels: dict[str, str], unresolved: list[str] | None = None) -> str:
    """``{cite:key}`` replaced by its label; an unknown key reads "[källa saknas: key]" and is
    appended to ``unresolved``."""

    def repl(match: re.Match) -> str:
        key = match.group(1)
        if key in labels:
            return labels[key]
        if unresolved is not None:
            unresolved.append(key)
        return f"[källa saknas: {key}]"

    return CITE_RE.sub(repl, text)


def entry_markdown(cited: Cited) -> str:
    """One line of Källor: "Författare (2023b). Titel. Not. Hämtad ÅÅÅÅ-MM-DD från URL"."""
    s = cited.source
    parts = [md_escape(cited.label), md_escape(s.title.strip().rstrip("."))]
    if s.note.strip():
        note = s.note.strip().rstrip(".")
        parts.append(md_escape(note[:1].upper() + note[1:]))  # a sentence of its own after the title
    if s.url.strip():
        when = f"Hämtad {s.retrieved.isoformat()} från" if s.retrieved else "Tillgänglig på"
        parts.append(f"{when} `{s.url.strip()}`")
    elif s.retrieved:
        parts.append(f"Hämtad {s.retrieved.isoformat()}")
    text = ". ".join(parts)
    return text if text.endswith("`") else text + "."  # the hand-made report ends an address without a full stop


def kallor_markdown(sources) -> str:
    """The cited sources as a Markdown list, sorted and lettered; "" when there are none."""
    return "\n".join(f"- {entry_markdown(c)}" for c in lettered(sources))
