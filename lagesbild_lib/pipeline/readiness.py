"""Is the report ready to be built at its status? Checked before any chapter runs (exit code 2),
by ``lagesbild build`` and ``lagesbild check`` alike.

Every build: no two sources share a citation key, every slot's image (``narrative_figures``) is a
readable file, and no party's sign-off date lies after today. ``granskad``: at least one of the two
parties (förvaltningen, polisen) has signed off, with name and date. ``fastställd``: both have, every
narrative slot the chapters show is written (a finished report never holds an "Ej ifylld" note),
and every ``{cite:key}`` in the texts from params and in the chapters' Markdown names a source.
A sign-off dated before the end of the report's period is only warned about.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

from lagesbild_lib.errors import ConfigError
from lagesbild_lib.params import ReportParams
from lagesbild_lib.pipeline.inputs import missing_figure_sentence, missing_figures
from lagesbild_lib.present.slots import slots_in_source, unwritten

log = logging.getLogger("lagesbild")


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


def signoff_gaps(params: ReportParams) -> list[str]:
    """What the status needs of the parties' sign-off and does not have (parts of a sentence):
    ``granskad`` at least one party with name and date, ``fastställd`` both."""
    parties = params.signoff.parties()
    if params.status == "granskad" and not any(s.signed() for _, _, s in parties):
        return ["ingen av parterna har granskat den (ange namn och datum under signoff.forvaltning eller signoff.polis: reviewed_by och reviewed_on)"]
    if params.status != "fastställd":
        return []
    gaps = []
    for key, name, s in parties:
        if s.signed():
            continue
        if s.reviewed_by.strip():
            gaps.append(f"{name}s granskning saknar datum (signoff.{key}.reviewed_on)")
        elif s.reviewed_on is not None:
            gaps.append(f"{name}s granskning saknar namn (signoff.{key}.reviewed_by)")
        else:
            gaps.append(f"{name}s granskning saknas (signoff.{key}.reviewed_by och signoff.{key}.reviewed_on)")
    return gaps


def status_gaps(params: ReportParams, notebooks: list[Path]) -> list[str]:
    """Everything the status needs and the report lacks (parts of a sentence), in order: the
    sign-off, the unwritten slots, the unknown citations."""
    gaps = signoff_gaps(params)
    if params.status != "fastställd":
        return gaps
    empty = unwritten(params.narrative, shown_slots(notebooks))
    unknown = unknown_citations(params, notebooks)
    if empty:
        gaps.append("texterna " + ", ".join(f"narrative.{k}" for k in empty) + " är inte ifyllda" if len(empty) > 1 else f"texten narrative.{empty[0]} är inte ifylld")
    if unknown:
        gaps.append(("hänvisningarna " if len(unknown) > 1 else "hänvisningen ") + ", ".join(f"{{cite:{k}}}" for k in unknown) + " saknar källa under sources")
    return gaps


def _cannot(params: ReportParams) -> str:
    return "params: rapporten kan inte fastställas" if params.status == "fastställd" else "params: rapporten kan inte ha status granskad"


def _problems(params: ReportParams, notebooks: list[Path], today: dt.date | None) -> tuple[list[str], list[str]]:
    """(sentences for the problems of any status, the status's gaps as parts of one sentence)."""
    from lagesbild_lib.analysis.citations import duplicate_keys  # not at import: an up-to-date build imports nothing heavy

    today = today or dt.date.today()
    problems = [f"params: källnyckeln {k!r} står på flera källor under sources; varje key ska vara unik" for k in duplicate_keys(params.sources)]
    problems += [missing_figure_sentence(slot, file) for slot, file in missing_figures(params)]
    for key, name, s in params.signoff.parties():
        if s.reviewed_on is not None and s.reviewed_on > today:
            problems.append(
                f"params: signoff.{key}.reviewed_on är {s.reviewed_on.isoformat()}, ett datum efter i dag ({today.isoformat()}); "
                f"ange dagen då {name} granskade rapporten"
            )
    return problems, status_gaps(params, notebooks)


def readiness_problems(params: ReportParams, notebooks: list[Path], today: dt.date | None = None) -> list[str]:
    """Every reason the report cannot be built at its status, one sentence each (``lagesbild check``
    lists them all)."""
    problems, gaps = _problems(params, notebooks, today)
    return problems + [f"{_cannot(params)}: {gap}" for gap in gaps]


def readiness_warnings(params: ReportParams) -> list[str]:
    """Suspicious but possible: a sign-off dated before the end of the period the report covers."""
    from lagesbild_lib.present.fmt import fmt_date_long

    end = params.period_end_date()
    return [
        f"Varning: signoff.{key}.reviewed_on är {s.reviewed_on.isoformat()}, före slutet av rapportens period ({fmt_date_long(end)}); "
        f"kontrollera att det är dagen då {name} granskade rapporten"
        for key, name, s in params.signoff.parties()
        if s.reviewed_on is not None and s.reviewed_on < end
    ]


def check_ready(params: ReportParams, notebooks: list[Path], today: dt.date | None = None) -> None:
    """Refuse a build its status does not allow (see the module's docstring); log the warnings.

    Raises
    ------
    ConfigError
        Every problem found, in one message: two sources with the same key, an unreadable image, a
        sign-off date after today; the sign-off the status needs (naming the party), and at
        ``fastställd`` the unwritten narrative slots and the unknown citation keys.
    """
    for warning in readiness_warnings(params):
        log.warning(warning)
    others, gaps = _problems(params, notebooks, today)
    if gaps:
        one_signed = any(s.signed() for _, _, s in params.signoff.parties())  # then granskad would be allowed
        fix = "Fyll i det som saknas eller sätt status till utkast" + (" eller granskad." if params.status == "fastställd" and one_signed else ".")
        others.append(f"{_cannot(params)}: " + "; ".join(gaps) + ". " + fix)
    if others:
        raise ConfigError(" ".join(p if p.endswith(".") else p + "." for p in others))
