"""Is the report ready to be built at its status? Checked before any chapter runs (exit code 2).

Every build: no two sources share a citation key. A ``fastställd`` build, in addition: every
narrative slot the chapters show is written (a finished report never holds an "Ej ifylld" note),
and every ``{cite:key}`` in the texts from params and in the chapters' Markdown names a source.
"""

from __future__ import annotations

import json
from pathlib import Path

from lagesbild_lib.errors import ConfigError
from lagesbild_lib.params import ReportParams
from lagesbild_lib.present.slots import slots_in_source, unwritten


def _cells(path: Path) -> list[dict]:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return []  # an unreadable notebook is reported by the build itself


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def shown_slots(notebooks: list[Path]) -> list[str]:
    """The narrative slots the chapter notebooks show, in report order."""
    return [k for path in notebooks for c in _cells(path) if c.get("cell_type") == "code" for k in slots_in_source(_source(c))]


def param_texts(params: ReportParams) -> list[str]:
    """Every Markdown text from params that the report shows (where ``{cite:…}`` may stand)."""
    texts = list(params.narrative.values())
    texts += [t for a in params.priority_areas.values() for t in (a.comment, a.description or "")]
    texts += [t for a in params.local_priority_areas for t in (a.title, a.description, a.comment)]
    return texts


def unknown_citations(params: ReportParams, notebooks: list[Path]) -> list[str]:
    """The ``{cite:key}`` keys (each once, in order) that name no source in params."""
    from lagesbild_lib.analysis.citations import cite_labels, cited_keys  # pandas: only when asked

    known = cite_labels(params.sources)
    texts = param_texts(params) + [_source(c) for path in notebooks for c in _cells(path) if c.get("cell_type") == "markdown"]
    return list(dict.fromkeys(k for t in texts for k in cited_keys(t) if k not in known))


def check_ready(params: ReportParams, notebooks: list[Path]) -> None:
    """Refuse a build its status does not allow.

    Raises
    ------
    ConfigError
        Two sources with the same key; or, when ``status`` is ``fastställd``, the unwritten
        narrative slots and the unknown citation keys, named.
    """
    from lagesbild_lib.analysis.citations import duplicate_keys  # not at import: an up-to-date build imports nothing heavy

    dupes = duplicate_keys(params.sources)
    if dupes:
        raise ConfigError(f"params: källnyckeln {dupes[0]!r} står på flera källor under sources; varje key ska vara unik")
    if params.status != "fastställd":
        return
    empty = unwritten(params.narrative, shown_slots(notebooks))
    unknown = unknown_citations(params, notebooks)
    problems = []
    if empty:
        problems.append("texterna " + ", ".join(f"narrative.{k}" for k in empty) + " är inte ifyllda" if len(empty) > 1 else f"texten narrative.{empty[0]} är inte ifylld")
    if unknown:
        problems.append(("hänvisningarna " if len(unknown) > 1 else "hänvisningen ") + ", ".join(f"{{cite:{k}}}" for k in unknown) + " saknar källa under sources")
    if problems:
        raise ConfigError(
            "params: rapporten kan inte fastställas: " + "; ".join(problems)
            + ". Fyll i dem eller sätt status till utkast eller granskad."
        )
