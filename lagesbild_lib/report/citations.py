"""In-text citations: ``{cite:key}`` anywhere in the report's text becomes its source's label,
"Stockholms stad (2023b)", the way :mod:`lagesbild_lib.report.xref` resolves ``{ref:…}``.

The labels (and the lettering shared with Källor) come from
:func:`lagesbild_lib.analysis.citations.cite_labels`. A key that names no source reads
"[källa saknas: key]", is listed in the manifest (``unresolved_cites``) and logged as a warning;
a ``fastställd`` build with one is refused before it starts (:mod:`lagesbild_lib.pipeline.readiness`).
"""

from __future__ import annotations

import html as htmlmod
import re

from lagesbild_lib.analysis.citations import CITE_RE
from lagesbild_lib.report.xref import SKIP, _TOKEN_RE


def resolve_cites(page: str, labels: dict[str, str]) -> tuple[str, list[str]]:
    """Replace every ``{cite:key}`` in the text of ``page`` (never in a tag, a comment, code or
    CSS) by its label.

    Returns
    -------
    (the page, the keys that name no source, in order of appearance)
    """
    unresolved: list[str] = []
    parts = _TOKEN_RE.split(page)
    skipping: list[str] = []
    for i, part in enumerate(parts):
        if i % 2 == 1:  # a tag or a comment
            m = re.match(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)", part)
            if m and m.group(2).lower() in SKIP and not part.endswith("/>"):
                name = m.group(2).lower()
                if not m.group(1):
                    skipping.append(name)
                elif skipping and skipping[-1] == name:
                    skipping.pop()
            continue
        if skipping or "{cite:" not in part:
            continue

        def repl(match: re.Match) -> str:
            key = match.group(1)
            if key in labels:
                return htmlmod.escape(labels[key], quote=False)
            unresolved.append(key)
            return f"<span class=lb-cite-missing>[källa saknas: {htmlmod.escape(key)}]</span>"

        parts[i] = CITE_RE.sub(repl, part)
    return "".join(parts), unresolved
