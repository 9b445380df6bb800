"""The public version of a report (``lagesbild build --offentlig``): what differs from the internal one.

A lägesbild marked "Begränsad spridning" often cannot be published as it is. Its public version
is the same report with

- the sections named in params ``internal_sections`` left out (a heading's text, its slug such as
  ``orsaksanalys``, or a chapter's name such as ``atgardsplan``: the heading and everything under it),
- the narrative slots named in ``internal_narrative`` left out (the chapter shows what it shows
  without an analyst's text),
- small-count disclosure control raised to ``public_suppress_below`` (never lowered below
  ``suppress_below``),
- the classification line set to ``public_classification``,
- a line on the title page saying what was left out.

This module holds the pure parts (params, which chapters must run again, the notebook and HTML
edits); :mod:`lagesbild_lib.pipeline.public` runs the chapters and writes the files.
"""

from __future__ import annotations

import ast
import html as htmlmod
import re
from dataclasses import dataclass
from pathlib import Path

from lagesbild_lib import paths
from lagesbild_lib.params import ReportParams

#: The public version's folder inside the report folder, and the suffix of its HTML file.
PUBLIC_DIR = "offentlig"
PUBLIC_SUFFIX = "-offentlig"
#: How the title page names a narrative slot that is left out (others: the slot id, readable).
SLOT_NAMES = {
    "sammantagen_bedomning": "Sammantagen bedömning",
    "brottslighet_nyckelfynd": "Nyckelfynd",
    "prioriterade_omraden": "Prioriterade samverkansområden",
}
_HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*\s*$")


def public_html_name(year: int, area: str) -> str:
    """``lagesbild-<area>-<year>-offentlig.html``."""
    return paths.report_html_name(year, area).removesuffix(".html") + PUBLIC_SUFFIX + ".html"


def public_params(params: ReportParams) -> ReportParams:
    """The params of the public version: disclosure control raised, classification changed,
    internal narrative slots removed."""
    narrative = {k: v for k, v in params.narrative.items() if k not in set(params.internal_narrative)}
    return params.model_copy(update={
        "suppress_below": max(params.suppress_below, params.public_suppress_below),
        "classification": params.public_classification,
        "narrative": narrative,
    })


def public_params_yaml(params: ReportParams) -> str:
    """The public params as one complete params file (every key; read over ``defaults.yml``)."""
    import yaml

    header = "# Offentlig version: härledd av lagesbild ur rapportens params; redigera inte.\n"
    return header + yaml.safe_dump(params.model_dump(mode="json"), allow_unicode=True, sort_keys=True)


def changed_settings(internal: ReportParams, public: ReportParams) -> tuple[bool, tuple[str, ...]]:
    """Whether disclosure control differs, and the narrative slots the public version lacks."""
    removed = tuple(sorted(set(internal.narrative) - set(public.narrative)))
    return internal.suppress_below != public.suppress_below, removed


# --------------------------------------------------------------------------- chapters to run again


def _section_imports(tree: ast.AST) -> set[str]:
    """The ``lagesbild_lib.sections`` modules a piece of code imports."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:  # inside a section module: its siblings
            found |= {f"lagesbild_lib.sections.{node.module}"} if node.module else {f"lagesbild_lib.sections.{a.name}" for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "lagesbild_lib.sections":
                found |= {f"lagesbild_lib.sections.{a.name}" for a in node.names}
            elif node.module.startswith("lagesbild_lib.sections."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("lagesbild_lib.sections.")}
    return found


def _module_source(module: str) -> str:
    path = paths.PACKAGE_DIR.joinpath(*module.split(".")[1:]).with_suffix(".py")
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def chapter_sources(notebook: Path) -> str:
    """The code of a chapter notebook and of every section module it uses (transitively): where
    a chapter reads its params (``ctx.params.suppress_below``, ``narrative.get("slot")``)."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    texts, todo, seen = [code], [], set()
    try:
        todo = sorted(_section_imports(ast.parse(code)))
    except SyntaxError:  # a cell with IPython magic: read it as text only (conservative below)
        return code + "\nsuppress_below"
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        source = _module_source(module)
        texts.append(source)
        todo += sorted(_section_imports(ast.parse(source)) - seen) if source else []
    return "\n".join(texts)


def must_rerun(notebook: Path, suppression_changed: bool, removed_slots: tuple[str, ...]) -> bool:
    """True when the chapter's output can depend on what the public version changes: it (or a
    section module it uses) reads ``suppress_below`` while that differs, or names a narrative
    slot that is left out. Other chapters are taken from the internal build as they are."""
    source = chapter_sources(notebook)
    if suppression_changed and "suppress_below" in source:
        return True
    return any(re.search(rf"[\"']{re.escape(slot)}[\"']", source) for slot in removed_slots)


# --------------------------------------------------------------------------- sections left out


def _slug(text: str) -> str:
    from lagesbild_lib.report.stitch import _slug as slug

    return slug(text)


def _heading(cell) -> tuple[int, str] | None:
    if cell.get("cell_type") != "markdown":
        return None
    first = cell.get("source", "").lstrip().split("\n", 1)[0]
    match = _HEADING.match(first)
    return (len(match.group(1)), match.group(2)) if match else None


def section_matches(name: str, heading: str, chapter_stem: str, level: int) -> bool:
    """Whether params ``internal_sections`` entry ``name`` names this heading: its text (any
    case), its slug, or — for a chapter's own heading — the chapter's name or stem."""
    key = name.strip()
    if key.casefold() == heading.casefold() or _slug(key) == _slug(heading):
        return True
    return level == 1 and key in (chapter_stem, chapter_stem[3:], chapter_stem[:2])


@dataclass(frozen=True)
class LeftOut:
    """What the public version leaves out."""

    sections: tuple[str, ...] = ()  # the headings dropped, in report order
    narrative: tuple[str, ...] = ()  # the narrative slots dropped
    unmatched: tuple[str, ...] = ()  # internal_sections entries that named no heading


def drop_internal_sections(chapter_paths: list[Path], names: list[str]) -> tuple[list[str], list[str]]:
    """Remove from the executed chapter notebooks every section named in ``names`` (its heading
    cell and every cell up to the next heading of the same or a higher level); rewrite them.

    Returns the headings removed (in order) and the names that matched no heading.
    """
    import nbformat

    dropped: list[str] = []
    used: set[str] = set()
    for path in chapter_paths:
        nb = nbformat.read(path, as_version=4)
        kept, cutting = [], 0  # cutting: the level of the section being dropped (0: none)
        for cell in nb.cells:
            heading = _heading(cell)
            if heading and cutting and heading[0] <= cutting:
                cutting = 0
            if heading and not cutting:
                hit = next((n for n in names if section_matches(n, heading[1], path.stem, heading[0])), None)
                if hit is not None:
                    used.add(hit)
                    dropped.append(heading[1])
                    cutting = heading[0]
            if not cutting:
                kept.append(cell)
        if len(kept) != len(nb.cells):
            nb.cells = kept
            nbformat.write(nb, path)
    return dropped, [n for n in names if n not in used]


def public_note(left_out: LeftOut, threshold: int) -> str:
    """The title page's line on what the public version leaves out (HTML, escaped)."""
    from lagesbild_lib.analysis import disclosure
    from lagesbild_lib.present.text import join_sv

    parts = []
    if left_out.sections:
        word = "avsnittet" if len(left_out.sections) == 1 else "avsnitten"
        parts.append(f"{word} {join_sv([f'”{htmlmod.escape(s)}”' for s in left_out.sections])}")
    if left_out.narrative:
        word = "analytikernas text till" if len(left_out.narrative) == 1 else "analytikernas texter till"
        names = [htmlmod.escape(SLOT_NAMES.get(n, n.replace("_", " ").capitalize())) for n in left_out.narrative]
        parts.append(f"{word} {join_sv(f'”{n}”' for n in names)}")
    sentence = "<strong>Offentlig version.</strong> "
    if parts:
        sentence += f"Delar av den interna rapporten är utelämnade: {' samt '.join(parts)}. "
    else:
        sentence += "Inga avsnitt är utelämnade. "
    if disclosure.active(threshold):
        sentence += htmlmod.escape(disclosure.note(threshold), quote=False)
    return sentence.rstrip()


def add_public_note(page: str, note: str) -> str:
    """The stitched page with ``note`` as a note on the title page, after the classification."""
    block = f'<p class="lb-public-note" role="note">{note}</p>'
    marker = '<header class="title-page" id="titelsida">'
    if marker not in page:
        return page.replace("<main>", block + "<main>", 1)
    head, _, rest = page.partition(marker)
    classification = re.match(r"\s*<p class=\"classification\">.*?</p>", rest, re.S)
    at = classification.end() if classification else 0
    return head + marker + rest[:at] + "\n" + block + rest[at:]
