"""Making sure the demo data exists: generated on first use, marked as synthetic, and generated
again when the program's demo generator has changed since the folder was written (a demo folder
from an older version would lack the areas and tables the chapters now show)."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from pathlib import Path

from lagesbild_lib import paths
from lagesbild_lib.data.dataset import DEMO_MARKER

DEFAULT_SEED = 2023
#: Beside the demo tables: the fingerprint of the generator that wrote them (not a contract file).
GENERATOR_FILE = ".demodata-generator"

log = logging.getLogger("lagesbild")


def generator_fingerprint(seed: int = DEFAULT_SEED) -> str:
    """sha256 of the demo generator's code and bundled files (``lagesbild_lib/demo``) and the seed."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"seed {seed}\n".encode())
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix != ".pyc" and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def write_demo(out_dir: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the demo data set into ``out_dir`` atomically (a temporary folder moved into place)."""
    from lagesbild_lib.demo.generate import write_demo_data

    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".demo-", dir=out_dir.parent))
    try:
        write_demo_data(tmp, seed=seed)
        (tmp / GENERATOR_FILE).write_text(f"{seed} {generator_fingerprint(seed)}\n", encoding="utf-8")
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
    """The demo data folder, generated first when it is missing or was written by another version of
    the demo generator (said on the log: the folder is generated, never edited by hand)."""
    out_dir = Path(out_dir)
    if not (out_dir / DEMO_MARKER).is_file():
        write_demo(out_dir)
    else:
        seed, written_by = _written_by(out_dir)
        if written_by != generator_fingerprint(seed):
            log.warning("Demodata i %s skrevs av en annan version av programmet och skrivs om (seed %s).", out_dir, seed)
            write_demo(out_dir, seed)
    return out_dir


def _written_by(out_dir: Path) -> tuple[int, str]:
    """(seed, generator fingerprint) the folder was written with; the default seed and "" when unknown."""
    try:
        seed, fingerprint = (out_dir / GENERATOR_FILE).read_text(encoding="utf-8").split()
        return int(seed), fingerprint
    except (OSError, ValueError):
        return DEFAULT_SEED, ""


def resolve_data_dir(data_dir: str | Path | None) -> Path:
    """The data folder to use: the given one, or the demo data (generated when missing)."""
    if data_dir:
        return Path(data_dir).expanduser().resolve()
    return ensure_demo_data(paths.demo_data_dir())
