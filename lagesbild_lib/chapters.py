"""The chapter notebooks: ``notebooks/NN_name.ipynb``, in report order."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .errors import ConfigError

NAME_RE = re.compile(r"^(\d{2})_([a-z0-9_]+)\.ipynb$")

#: Parameters every chapter declares in its ``parameters`` cell; the build injects exactly these.
CHAPTER_PARAMETERS = ("year", "area", "data_dir", "params_file")


@dataclass(frozen=True)
class Chapter:
    """One chapter notebook."""

    number: str
    name: str
    path: Path

    @property
    def stem(self) -> str:
        return f"{self.number}_{self.name}"


def list_chapters(folder: Path | None = None) -> list[Chapter]:
    """Every ``NN_name.ipynb`` in the notebooks folder, sorted by number."""
    folder = folder or paths.notebooks_dir()
    found = []
    for path in sorted(folder.glob("*.ipynb")):
        match = NAME_RE.match(path.name)
        if match:
            found.append(Chapter(match.group(1), match.group(2), path))
    if not found:
        raise ConfigError(f"{folder}: no chapter notebooks (NN_name.ipynb) found")
    return found


def select_chapters(names: list[str] | None, folder: Path | None = None) -> list[Chapter]:
    """The chapters named (with or without their number, e.g. ``brottslighet`` or ``02_brottslighet``).

    Raises
    ------
    ConfigError
        A name that matches no chapter; the message lists the chapters.
    """
    chapters = list_chapters(folder)
    if not names:
        return chapters
    chosen = []
    for name in names:
        key = name.removesuffix(".ipynb")
        hits = [c for c in chapters if key in (c.stem, c.name, c.number)]
        if not hits:
            raise ConfigError(
                f"unknown chapter '{name}'; chapters: {', '.join(c.stem for c in chapters)}"
            )
        chosen.extend(h for h in hits if h not in chosen)
    return sorted(chosen, key=lambda c: c.number)
