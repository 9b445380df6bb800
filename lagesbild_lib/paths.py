"""Every path the project uses, built from one root. Nothing here depends on the current directory.

The project root is the folder that holds ``params/defaults.yml`` and ``notebooks/``: the checkout
the package is installed from in editable mode, or the folder named by ``LAGESBILD_PROJECT``.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path:
    """The project folder (``LAGESBILD_PROJECT`` if set, else the checkout holding this package)."""
    env = os.environ.get("LAGESBILD_PROJECT")
    return Path(env).resolve() if env else PACKAGE_DIR.parent


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


def params_dir() -> Path:
    return project_root() / "params"


def defaults_file() -> Path:
    return params_dir() / "defaults.yml"


def demo_data_dir() -> Path:
    return project_root() / "data" / "demo"


def outputs_dir() -> Path:
    return project_root() / "outputs"


def out_root(out_dir: str | Path | None) -> Path:
    """The folder reports are written below: ``--out`` when given, else ``<project>/outputs``."""
    return Path(out_dir).expanduser().resolve() if out_dir else outputs_dir()


def templates_dir() -> Path:
    return PACKAGE_DIR / "templates"


def shown(path: Path) -> str:
    """A path relative to the project when it lies inside it (reports and messages do not reveal
    home folders), else as given."""
    try:
        return str(Path(path).resolve().relative_to(project_root()))
    except ValueError:
        return str(path)


def report_dir(out: Path, year: int, area: str) -> Path:
    """``<out>/<year>/<area>/`` (DESIGN §5)."""
    return Path(out) / str(year) / area


def report_html_name(year: int, area: str) -> str:
    return f"lagesbild-{area}-{year}.html"


def cache_dir() -> Path:
    """Where validation results (and later executed chapters) are cached: ``LAGESBILD_CACHE`` or
    ``<project>/.cache``. Deleting it is always safe."""
    env = os.environ.get("LAGESBILD_CACHE")
    return Path(env).resolve() if env else project_root() / ".cache"
