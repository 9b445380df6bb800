"""Where the tables of a data folder came from: ``sources.json``, written by ``lagesbild import``.

One entry per file of the folder that an importer wrote or copied::

    {"crime_counts.csv": {"importer": "bra", "source": "anmalda_brott.csv", "sha256": "…",
                          "origin": "Brås statistikdatabas (export anmalda_brott.csv, importerad med lagesbild import bra)",
                          "notes": ["…"]}}

Källor quotes ``origin`` beside each data file. The file is optional; a folder without it (or a
file the importer did not write) simply has no origin to show.
"""

from __future__ import annotations

import json
from pathlib import Path

from lagesbild_lib.errors import DataError

from lagesbild_lib.data.files import ORIGINS_FILE  # noqa: E402  (the name lives beside the other file names)


def read_origins(data_dir: Path) -> dict[str, dict]:
    """The entries of ``data_dir/sources.json`` (empty when there is none).

    Raises
    ------
    DataError
        The file is there but is not a JSON object of objects.
    """
    path = Path(data_dir) / ORIGINS_FILE
    if not path.is_file():
        return {}
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        from lagesbild_lib.errors import json_problem, os_reason

        if isinstance(exc, json.JSONDecodeError):
            why = f"ogiltig JSON på rad {exc.lineno}, position {exc.colno}: {json_problem(exc)}"
        else:
            why = "inte UTF-8" if isinstance(exc, UnicodeDecodeError) else os_reason(exc)
        raise DataError(f"{path}: ingen läsbar JSON-fil ({why}); rätta den eller ta bort den (den används bara till Källor)") from None
    if not isinstance(doc, dict) or not all(isinstance(v, dict) for v in doc.values()):
        raise DataError(f"{path}: förväntade ett JSON-objekt med ett objekt per datafil")
    return doc


def origin_texts(data) -> dict[str, str]:
    """``{file name: origin sentence}`` of a :class:`~lagesbild_lib.data.dataset.DataSet`, recording
    that ``sources.json`` was read (the chapter cache then depends on it)."""
    path = Path(data.data_dir) / ORIGINS_FILE
    data.accessed[ORIGINS_FILE] = ORIGINS_FILE if path.is_file() else None
    return {name: str(entry.get("origin", "")).strip() for name, entry in read_origins(data.data_dir).items() if entry.get("origin")}
