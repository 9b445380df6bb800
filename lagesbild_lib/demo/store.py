"""Making sure the demo data exists: generated on first use, marked as synthetic."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from lagesbild_lib import paths
from lagesbild_lib.data.dataset import DEMO_MARKER

DEFAULT_SEED = 2023


def write_demo(out_dir: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the demo data set into ``out_dir`` atomically (a temporary folder moved into place)."""
    from lagesbild_lib.demo.generate import write_demo_data

    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".demo-", dir=out_dir.parent))
    try:
        write_demo_data(tmp, seed=seed)
        if out_dir.exists():
            old = out_dir.with_name(out_dir.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(out_dir, old)
            os.replace(tmp, out_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return sorted(out_dir.iterdir())


def ensure_demo_data(out_dir: Path) -> Path:
    """The demo data folder, generated first when it is missing."""
    out_dir = Path(out_dir)
    if not (out_dir / DEMO_MARKER).is_file():
        write_demo(out_dir)
    return out_dir


def resolve_data_dir(data_dir: str | Path | None) -> Path:
    """The data folder to use: the given one, or the demo data (generated when missing)."""
    if data_dir:
        return Path(data_dir).expanduser().resolve()
    return ensure_demo_data(paths.demo_data_dir())
