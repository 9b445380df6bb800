"""The chapter notebooks: ``notebooks/NN_name.ipynb``, in report order."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from lagesbild_lib import paths
from lagesbild_lib.errors import ConfigError

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
        raise ConfigError(f"{folder}: inga kapitelnotebooks (NN_namn.ipynb) hittades")
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
                f"okänt kapitel '{name}'; kapitlen är {', '.join(c.stem for c in chapters)}"
            )
        chosen.extend(h for h in hits if h not in chosen)
    return sorted(chosen, key=lambda c: c.number)


_IMPORT_RE = re.compile(r"^\s*from\s+(lagesbild_lib(?:\.\w+)*)\s+import\s+(.+)$|^\s*import\s+(lagesbild_lib(?:\.\w+)*)", re.M)


def chapter_imports(chapters: list[Chapter] | None = None) -> tuple[str, ...]:
    """What the chapter notebooks import from ``lagesbild_lib``, in reading order, as ``module``
    or ``module:name`` (``lagesbild_lib.sections:trygghet``): the warm kernels import exactly
    these before the first chapter runs, so adding a chapter needs no change here.

    A notebook that cannot be read is skipped: its chapter reports the problem when it runs.
    """
    found: list[str] = []
    for chapter in chapters if chapters is not None else list_chapters():
        try:
            cells = json.loads(chapter.path.read_text(encoding="utf-8"))["cells"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        for cell in cells:
            if not isinstance(cell, dict) or cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            for match in _IMPORT_RE.finditer(source):
                if match.group(3):
                    specs = [match.group(3)]
                else:
                    names = [n.split(" as ")[0].strip(" ()") for n in match.group(2).split("#")[0].split(",")]
                    specs = [f"{match.group(1)}:{n}" for n in names if n.isidentifier()]
                found.extend(spec for spec in specs if spec not in found)
    return tuple(found)
