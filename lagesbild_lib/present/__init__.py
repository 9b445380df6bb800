"""How the reader sees results: Swedish formatting (``fmt``), fixed Swedish sentences (``text``),
Markdown from params (``markdown``) and the numbered pieces a chapter shows (``pieces``).

``from lagesbild_lib.present import show`` is what a chapter notebook writes; the names of
``pieces`` are loaded on first use, so that ``fmt`` stays importable without pandas.
"""

from __future__ import annotations

_PIECES = ("show", "Table", "Chart", "Text", "Missing", "KeyFigures")


def __getattr__(name: str):
    if name in _PIECES:
        from lagesbild_lib.present import pieces

        return getattr(pieces, name)
    raise AttributeError(f"module 'lagesbild_lib.present' has no attribute {name!r}")
