"""The analysts' prose slots (params ``narrative``): each chapter notebook shows a slot under its own
heading (a Markdown cell) with ``show(narrative.slot(ctx, <the slot's key>))``.

A written slot is its Markdown, sanitised like every text from params. An unwritten one shows a
visible "Ej ifylld" note in a draft; a ``fastställd`` build is refused before anything runs
(:mod:`lagesbild_lib.pipeline.readiness`), so a finished report never holds a placeholder.

No slot key is written here as a string: the public version re-runs a chapter whose code (or a
section module it imports) names a slot it leaves out (:func:`lagesbild_lib.report.public.must_rerun`);
the titles live in :mod:`lagesbild_lib.present.slots`.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

from lagesbild_lib import paths
from lagesbild_lib.context import ChapterContext
from lagesbild_lib.params import NARRATIVE_SLOTS
from lagesbild_lib.present.pieces import Missing, Text
from lagesbild_lib.present.slots import placeholder


def slot(ctx: ChapterContext, key: str) -> Text | Missing:
    """The analysts' text for slot ``key``, or the "Ej ifylld" note when it is not written.

    Raises
    ------
    KeyError
        ``key`` is no narrative slot (a notebook names one that params cannot hold).
    """
    if key not in NARRATIVE_SLOTS:
        raise KeyError(f"unknown narrative slot {key!r}; expected one of {', '.join(NARRATIVE_SLOTS)}")
    text = ctx.params.narrative.get(key, "").strip()
    return Text(text) if text else Missing(placeholder(key))


#: The image files a slot's figure may be, by suffix, with their MIME type.
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}


def figure_markup(ctx: ChapterContext, key: str) -> str | Missing | None:
    """The slot's image from params ``narrative_figures`` as an embedded ``<img>`` with its alt text
    and caption (HTML), a :class:`Missing` note when the file cannot be read, or None when the slot
    has no figure. The path is relative to the project folder."""
    figure = ctx.params.narrative_figures.get(key)
    if figure is None:
        return None
    path = Path(figure.file) if Path(figure.file).is_absolute() else paths.project_root() / figure.file
    kind = IMAGE_TYPES.get(path.suffix.lower())
    if kind is None:
        return Missing(f"Bilden till narrative.{key} ({figure.file}) kan inte visas: förväntade en PNG-, JPEG- eller SVG-fil.", warning=True)
    try:
        data = base64.b64encode(path.read_bytes()).decode("ascii")
    except OSError:
        return Missing(f"Bilden till narrative.{key} kan inte visas: filen {figure.file} finns inte eller kan inte läsas.", warning=True)
    # "Figur N." as in a hand-made lägesbild: the stitcher numbers pictures in reading order, apart
    # from the tables, charts and maps (a picture holds no numbers and has no sheet in tabeller.xlsx)
    text = f" {html.escape(figure.caption.strip())}" if figure.caption.strip() else ""
    caption = f'<p class="lb-note lb-figure-caption"><span class="lb-num" data-kind="Figur">Figur</span>{text}</p>'
    return f'<div class="lb-slot-figure"><img src="data:{kind};base64,{data}" alt="{html.escape(figure.alt, quote=True)}">{caption}</div>'


def show_figure(ctx: ChapterContext, key: str) -> None:
    """Display the slot's image (see :func:`figure_markup`); nothing when it has none."""
    from IPython.display import display

    from lagesbild_lib.present.pieces import show

    found = figure_markup(ctx, key)
    if isinstance(found, Missing):
        show(found)
    elif found:
        display({"text/html": found, "text/plain": ctx.params.narrative_figures[key].alt}, raw=True)
