"""Cross-references by label: ``{ref:compstat}`` in any text of the report becomes "Tabell 6".

Syntax (in narrative from params, comments, notebook Markdown cells and generated text)::

    Se {ref:compstat}.                      → Se Tabell 6.
    Se {ref:brottslighet.intimate_partner}. → Se Diagram 4.

A numbered table, chart or map gets its label from the chapter notebook that shows it, so
present.py needs no extra field:

1. a cell tag ``label:NAME`` (one per numbered output of the cell, in order), else
2. the name of the section function the cell calls, ``show(sec.compstat(ctx))`` → ``compstat``,
   when it is clear which call made which output (one call and one numbered output, or as many
   calls as outputs).

Every label is known as ``<chapter>.<label>`` (chapter without its number, e.g.
``brottslighet.compstat``) and, when no other chapter uses it, as plain ``<label>``. A reference
that names no label, or an ambiguous one, is shown as "[hänvisning saknas: …]" and listed in the
manifest, never silently dropped.
"""

from __future__ import annotations

import html as htmlmod
import re
from dataclasses import dataclass, field

REF_RE = re.compile(r"\{ref:([A-Za-z0-9_][A-Za-z0-9_.\-]*)\}")
CALL_RE = re.compile(r"\bsec\.([A-Za-z_]\w*)\s*\(")
TAG_PREFIX = "label:"
#: Elements whose text is never rewritten (code is shown as written; style is CSS).
SKIP = ("style", "code", "pre", "title")
_TOKEN_RE = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)


def chapter_name(stem: str) -> str:
    """``02_brottslighet`` → ``brottslighet``."""
    return re.sub(r"^\d+_", "", stem)


def anchor_id(number: str) -> str:
    """The id of a numbered caption: ``Tabell 3`` → ``lb-tabell-3``."""
    return "lb-" + number.lower().replace(" ", "-")


def output_labels(cell, outputs: list[dict], is_numbered) -> list[str | None]:
    """The label of each numbered output of a code cell (None where none can be told).

    Parameters
    ----------
    cell
        A notebook code cell (its ``source`` and ``metadata.tags`` are read).
    outputs
        The cell's display outputs, in order.
    is_numbered
        Tells a numbered output (a table, chart or map) from the others.
    """
    numbered = [o for o in outputs if is_numbered(o)]
    tags = [t[len(TAG_PREFIX):].strip() for t in cell.get("metadata", {}).get("tags", []) if t.startswith(TAG_PREFIX)]
    if tags:
        return (tags + [None] * len(numbered))[: len(numbered)]
    calls = CALL_RE.findall(cell.get("source", ""))
    if len(numbered) == 1 and len(calls) == 1:
        return [calls[0]]
    if numbered and len(calls) == len(outputs):
        return [name for name, o in zip(calls, outputs) if is_numbered(o)]
    return [None] * len(numbered)


@dataclass
class Targets:
    """What labels point at: ``{label: (number, anchor)}``, and the plain labels used in several chapters."""

    by_label: dict[str, tuple[str, str]] = field(default_factory=dict)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_numbered(cls, items: list[dict]) -> "Targets":
        """Build from numbered payloads with ``number``, ``label`` (or None) and ``chapter``."""
        targets = cls()
        plain: dict[str, list[tuple[str, str]]] = {}
        for item in items:
            label = item.get("label")
            if not label:
                continue
            where = (item["number"], anchor_id(item["number"]))
            targets.by_label.setdefault(f"{item['chapter']}.{label}", where)
            plain.setdefault(label, []).append(where)
        for label, wheres in plain.items():
            if len(wheres) == 1:
                targets.by_label.setdefault(label, wheres[0])
            else:
                targets.ambiguous[label] = [number for number, _ in wheres]
        return targets


def resolve_refs(html: str, targets: Targets) -> tuple[str, list[str]]:
    """Replace every ``{ref:label}`` in the text of the page by a link to the numbered caption.

    Only text between tags is rewritten (never an attribute, a comment, code or CSS), and the link
    has no quoted attribute, so nothing in a label or around it can break out of the markup.

    Returns
    -------
    (the page, the labels that could not be resolved, in order of appearance)
    """
    unresolved: list[str] = []
    parts = _TOKEN_RE.split(html)
    skipping: list[str] = []
    for i, part in enumerate(parts):
        if i % 2 == 1:  # a tag or comment
            m = re.match(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)", part)
            if m:
                name = m.group(2).lower()
                if name in SKIP and not part.endswith("/>"):
                    if m.group(1):
                        if skipping and skipping[-1] == name:
                            skipping.pop()
                    else:
                        skipping.append(name)
            continue
        if skipping or "{ref:" not in part:
            continue

        def repl(match: re.Match) -> str:
            label = match.group(1)
            hit = targets.by_label.get(label)
            if hit is None:
                unresolved.append(label)
                why = "tvetydig" if label in targets.ambiguous else "saknas"
                return f"<span class=lb-xref-missing>[hänvisning {why}: {htmlmod.escape(label)}]</span>"
            number, anchor = hit
            return f"<a class=lb-xref href=#{anchor}>{number}</a>"

        parts[i] = REF_RE.sub(repl, part)
    return "".join(parts), unresolved


def resolve_refs_plain(value, targets: Targets):
    """``{ref:label}`` in a text (or in the strings of a list, nested) as the reader sees it,
    without a link: "Se {ref:compstat}." → "Se Tabell 8."; an unknown label reads as in the page,
    "[hänvisning saknas: label]". For the workbook, whose cells must equal the report's."""
    if isinstance(value, str):
        if "{ref:" not in value:
            return value

        def repl(match: re.Match) -> str:
            label = match.group(1)
            hit = targets.by_label.get(label)
            if hit is None:
                why = "tvetydig" if label in targets.ambiguous else "saknas"
                return f"[hänvisning {why}: {label}]"
            return hit[0]

        return REF_RE.sub(repl, value)
    if isinstance(value, list):
        return [resolve_refs_plain(v, targets) for v in value]
    return value


def payloads_with_plain_refs(payloads: list[dict], targets: Targets) -> list[dict]:
    """Each numbered payload with its caption, note, columns and shown cells' references resolved."""
    keys = ("caption", "note", "shown_columns", "shown_rows", "columns", "rows")
    return [{**p, **{k: resolve_refs_plain(p[k], targets) for k in keys if k in p}} for p in payloads]
