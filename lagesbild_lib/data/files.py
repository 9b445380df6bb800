"""The contract files of a data folder, found without reading them (no pandas: the build's
up-to-date check must stay fast)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from lagesbild_lib.data.schema import GEO_LAYERS, TABLES

DEMO_MARKER = "DEMODATA.txt"
ORIGINS_FILE = "sources.json"  # where imported tables came from (lagesbild import; data/origins.py)


def contract_files(data_dir: Path) -> list[Path]:
    """Every contract table, GeoJSON layer, the demo marker and sources.json present in ``data_dir``, in a fixed order."""
    data_dir = Path(data_dir)
    names = [f"{t}{suffix}" for t in TABLES for suffix in (".parquet", ".csv")]
    names += [f"{layer}.geojson" for layer in GEO_LAYERS] + [DEMO_MARKER, ORIGINS_FILE]
    return [data_dir / n for n in names if (data_dir / n).is_file()]


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
