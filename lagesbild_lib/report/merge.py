"""The executed chapters read as one notebook (outputs and Markdown only, never code), and the
numbered tables and figures found in it, in reading order ("Tabell 3")."""

from __future__ import annotations

from pathlib import Path

from lagesbild_lib.present.pieces import TABLE_MIME, WARNING_MIME
from lagesbild_lib.report.xref import anchor_id, chapter_name, output_labels


def merge_chapters(chapter_paths: list[Path]):
    """One notebook of all chapters' markdown cells and display outputs, in order.

    Each cell remembers its chapter (``metadata.lagesbild_chapter``) for cross-reference labels.
    """
    import nbformat

    merged = nbformat.v4.new_notebook()
    for path in chapter_paths:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            tags = cell.metadata.get("tags", [])
            if "parameters" in tags or "injected-parameters" in tags:
                continue
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.outputs if o.output_type in ("display_data", "execute_result")]
                if not cell.outputs:
                    continue
            elif cell.cell_type != "markdown":
                continue
            cell["id"] = f"{path.stem[:2]}-{len(merged.cells)}"
            cell.metadata["lagesbild_chapter"] = chapter_name(path.stem)
            merged.cells.append(cell)
    return merged


def _is_numbered(output) -> bool:
    return TABLE_MIME in output.get("data", {})


def numbered_payloads(merged) -> list[dict]:
    """The table payloads of every numbered output, numbered per kind in reading order.

    Each gets ``number`` ("Tabell 3"), ``anchor`` (the caption's id), ``chapter`` and ``label``
    (for cross-references, see :mod:`lagesbild_lib.report.xref`; None when the cell does not tell).
    """
    counters: dict[str, int] = {}
    payloads = []
    for cell in merged.cells:
        outputs = cell.get("outputs", [])
        labels = iter(output_labels(cell, outputs, _is_numbered)) if cell.get("cell_type") == "code" else iter(())
        for output in outputs:
            if not _is_numbered(output):
                continue
            payload = output["data"][TABLE_MIME]
            kind = payload["kind"]
            counters[kind] = counters.get(kind, 0) + 1
            number = f"{kind} {counters[kind]}"
            payloads.append({
                **payload, "number": number, "anchor": anchor_id(number),
                "chapter": cell.metadata.get("lagesbild_chapter", ""), "label": next(labels, None),
            })
    return payloads


def section_warnings(merged) -> list[tuple[str, str]]:
    """``(chapter, message)`` of every note a section marked as a warning (a filter that came up
    empty for the report's area and year), in reading order; also from chapters taken from the cache."""
    found = []
    for cell in merged.cells:
        for output in cell.get("outputs", []):
            warning = output.get("data", {}).get(WARNING_MIME)
            if warning:
                found.append((cell.metadata.get("lagesbild_chapter", ""), str(warning.get("message", ""))))
    return found
