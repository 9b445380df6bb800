""""Lagens krav": the table at the end of Sammantagen bedömning that maps lag (2023:196) 4 § and
5 § to the sections of this report that meet them, and says plainly what is missing.

The table is computed from what the build actually rendered. Chapter 00 runs before the others,
so its cell shows a placeholder (:func:`table`, an output with :data:`PENDING_MIME`); when the
chapters are stitched, :func:`fill` reads the merged chapters — which sections showed numbered
tables, charts, maps or text, and which only a note on what is missing — and puts the numbered
table in the placeholder's place, with links to the tables and figures that meet each requirement.
The workbook gets the same table (its payload is filled in the same step).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import pandas as pd

from lagesbild_lib.present.pieces import (
    TABLE_MIME,
    caption_html,
    figure_block,
    table_html,
    table_payload,
)

PENDING_MIME = "application/vnd.lagesbild.lagens-krav+json"
CAPTION = "Lagens krav (lag 2023:196, 4 och 5 §§) och de avsnitt i rapporten som uppfyller dem"
NOTE = (
    "Ja: varje avsnitt som kravet hänvisar till visar tabeller, diagram eller text i den här rapporten; "
    "Delvis: några av dem; Nej: inget av dem. Det som saknas är avsnittens egna anteckningar om vad som fattas."
)
PENDING_TEXT = "Tabellen över lagens krav fylls i när kapitlen sätts samman till en rapport (lagesbild build)."
COLUMNS = ("Krav i lagen", "Paragraf", "Avsnitt i rapporten", "Uppfyllt", "Det som saknas")
_NUMBER_RE = re.compile(r"\b(Tabell|Diagram|Kartbild) (\d+)\b")


@dataclass(frozen=True)
class Requirement:
    """One requirement of the law and the sections (chapter name, start of the h2 heading) that meet it."""

    paragraph: str
    text: str
    sections: tuple[tuple[str, str], ...]


REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement("4 §", "Kartläggning av brottslighetens omfattning",
                (("brottslighet", "Anmälda brott i urval"), ("brottslighet", "Utvecklingen över flera år"))),
    Requirement("4 §", "Brottslighetens konsekvenser: tryggheten",
                (("trygghet", "Otrygghet ute sent på kvällen"), ("trygghet", "Platser där de svarande känner oro"))),
    Requirement("4 §", "Annan information av betydelse",
                (("omradet", "Befolkningsfakta"), ("omradet", "Socioekonomiska förhållanden"), ("sammanfattning", "Lägesbedömningar vecka för vecka"))),
    Requirement("4 §", "Analys av kartläggningen, inklusive orsaker",
                (("monster", "När brotten sker"), ("monster", "Var brotten sker"), ("orsaker", "Området jämfört med andra områden"),
                 ("orsaker", "Risk- och skyddsfaktorer"), ("orsaker", "Orsaksanalys"))),
    Requirement("5 §", "Åtgärdsplan utifrån lägesbilden",
                (("atgardsplan", "Åtgärdsplan"), ("atgardsplan", "Uppföljning"))),
)


class Pending:
    """The placeholder chapter 00 shows; the stitcher replaces it by the table (:func:`fill`)."""

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {
            "text/html": f'<p class="lb-missing">{html.escape(PENDING_TEXT)}</p>',
            "text/plain": PENDING_TEXT,
            PENDING_MIME: {"caption": CAPTION},
        }


def table(ctx=None) -> Pending:
    """The "Lagens krav" table's place in chapter 00 (filled in from the rendered report when stitched)."""
    return Pending()


@dataclass
class Section:
    """One h2 section of the rendered report: what it showed."""

    chapter: str
    heading: str
    numbers: list[str] = field(default_factory=list)  # "Tabell 6", in reading order
    content: bool = False  # a numbered output or text
    missing: list[str] = field(default_factory=list)  # the notes on what could not be shown


def _data(output) -> dict:
    return output.get("data", {}) if isinstance(output, dict) else {}


def rendered_sections(cells) -> list[Section]:
    """The h2 sections of merged chapters (notebook cells with ``metadata.lagesbild_chapter``), each
    with the numbers its tables and figures get in the report, whether it showed anything, and its
    notes on what is missing. The placeholder counts as a table (it becomes one)."""
    sections: list[Section] = []
    current: Section | None = None
    counters: dict[str, int] = {}
    for cell in cells:
        chapter = cell.get("metadata", {}).get("lagesbild_chapter", "")
        if cell.get("cell_type") == "markdown":
            for line in str(cell.get("source", "")).splitlines():
                level = len(line) - len(line.lstrip("#"))
                if level in (1, 2) and line[level:level + 1] == " ":
                    current = Section(chapter, line[level:].strip()) if level == 2 else None
                    if current is not None:
                        sections.append(current)
            continue
        for output in cell.get("outputs", []):
            data = _data(output)
            if TABLE_MIME in data or PENDING_MIME in data:
                kind = data[TABLE_MIME]["kind"] if TABLE_MIME in data else "Tabell"
                counters[kind] = counters.get(kind, 0) + 1
                if current is not None and PENDING_MIME not in data:
                    current.numbers.append(f"{kind} {counters[kind]}")
                    current.content = True
            elif current is None:
                continue
            elif 'class="lb-missing"' in str(data.get("text/html", "")):
                current.missing.append(_plain(data))
            elif data.get("text/html"):
                current.content = True
    return sections


def _plain(data: dict) -> str:
    text = data.get("text/plain", "")
    return "".join(text) if isinstance(text, list) else str(text)


def _find(sections: list[Section], chapter: str, start: str) -> list[Section]:
    return [s for s in sections if s.chapter == chapter and s.heading.casefold().startswith(start.casefold())]


def requirement_rows(sections: list[Section]) -> pd.DataFrame:
    """The table: per requirement the sections that meet it (with their tables and figures),
    whether it is met (Ja / Delvis / Nej) and what is missing."""
    rows = []
    for req in REQUIREMENTS:
        met, lacking = [], []
        for chapter, start in req.sections:
            found = _find(sections, chapter, start)
            shown = [s for s in found if s.content]
            if shown:
                met += [s.heading + (f" ({', '.join(s.numbers)})" if s.numbers else "") for s in shown]
            elif found:
                notes = [n.strip() for s in found for n in s.missing if n.strip()]
                lacking.append(f"{found[0].heading}: {' '.join(notes) if notes else 'avsnittet visar inget.'}")
            else:
                lacking.append(f"Avsnittet ”{start}” finns inte i rapporten.")
        status = "Nej" if not met else "Ja" if not lacking else "Delvis"
        rows.append((req.text, req.paragraph, "; ".join(met) or "–", status, " ".join(lacking) or "–"))
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _linked(markup: str) -> str:
    """Every "Tabell 6" in the table's cells as a link to its caption (the ids the stitcher gives)."""
    return _NUMBER_RE.sub(lambda m: f'<a class="lb-xref" href="#lb-{m.group(1).lower()}-{m.group(2)}">{m.group(0)}</a>', markup)


def table_bundle(frame: pd.DataFrame) -> dict:
    """The numbered table's display bundle, as :func:`~lagesbild_lib.present.pieces.show_table` makes it."""
    markup = _linked(table_html(frame, numeric=()))
    note = f'<p class="lb-note">{html.escape(NOTE)}</p>'
    return {
        "text/html": figure_block("lb-tablefig", markup + caption_html("Tabell", CAPTION), note),
        TABLE_MIME: table_payload("Tabell", CAPTION, frame, frame),
        "text/plain": f"Tabell. {CAPTION}",
    }


def fill(merged) -> bool:
    """Replace the placeholder in the merged chapters by the table of what the report meets.

    Parameters
    ----------
    merged
        The merged notebook (:func:`lagesbild_lib.report.merge.merge_chapters`), changed in place.

    Returns
    -------
    bool
        Whether a placeholder was found (a report without chapter 00 has none).
    """
    sections = rendered_sections(merged.cells)
    for cell in merged.cells:
        for output in cell.get("outputs", []):
            if PENDING_MIME in _data(output):
                from nbformat import from_dict

                output["data"] = from_dict(table_bundle(requirement_rows(sections)))
                return True
    return False
