"""The content-addressed chapter cache.

A chapter's executed notebook is reused when nothing it depends on has changed: the chapter
notebook, the injected parameters, the params files, the images the chapter shows from params
``narrative_figures`` (their SHA-256: a new picture under the same file name counts), the library's
own source files (hashed, not only its version), Python and package versions, and the SHA-256 of
*exactly the data files the chapter read* (recorded by the kernel when it ran). So a change in one
table re-runs only the chapters that read it.

Layout under ``<cache>/chapters/``: ``index/<prekey>.json`` lists, for one chapter version with one
set of parameters, the data files each cached run read and the key of its result;
``<key>.ipynb`` is the executed notebook.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from lagesbild_lib import paths

PACKAGES = ("pandas", "numpy", "matplotlib", "seaborn", "statsmodels", "scipy", "shapely", "pyproj", "pyarrow", "nbconvert", "papermill", "esda", "libpysal")
MAX_ENTRIES = 8


def _sha(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=1)
def library_fingerprint() -> str:
    """A hash of every source and template file of the library (not just its version string)."""
    parts = []
    for path in sorted(paths.PACKAGE_DIR.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".j2", ".css", ".json", ".yml", ".yaml") and "__pycache__" not in path.parts:
            parts += [str(path.relative_to(paths.PACKAGE_DIR)), path.read_bytes()]
    return _sha(*parts)


@lru_cache(maxsize=1)
def environment_fingerprint() -> str:
    """Python and the versions of the packages that shape a chapter's output."""
    versions = [platform.python_version()]
    for name in PACKAGES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=-")
    return _sha(*versions)


def chapter_prekey(notebook: Path, parameters: dict, params_files: list[Path], figures: dict[str, str] | None = None) -> str:
    """Everything a chapter depends on except its data files; ``figures``: ``{name: sha256}`` of the
    images it shows (:func:`lagesbild_lib.pipeline.inputs.chapter_figures`)."""
    parts = ["chapter-v1", notebook.read_bytes(), json.dumps(parameters, sort_keys=True)]
    for path in params_files:
        parts += [path.name, path.read_bytes()]
    if figures:
        parts.append(json.dumps(figures, sort_keys=True))
    return _sha(*parts, library_fingerprint(), environment_fingerprint())


def current_reads(data_dir: Path, names: list[str], file_hash) -> dict[str, list[str] | None]:
    """The current state of the named data files: ``{name: [file name, sha256] or None}``.

    A name with a suffix (``areas.geojson``, ``DEMODATA.txt``) is that file; a bare table name is
    ``NAME.parquet`` or ``NAME.csv``.
    """
    state: dict[str, list[str] | None] = {}
    for name in names:
        candidates = [name] if "." in name else [f"{name}.parquet", f"{name}.csv"]
        found = [data_dir / c for c in candidates if (data_dir / c).is_file()]
        if not found:
            state[name] = None
        elif len(found) == 1:
            state[name] = [found[0].name, file_hash(found[0])]
        else:  # both CSV and Parquet: the loaders refuse that, so it never matches a cached run
            state[name] = ["+".join(f.name for f in found), "ambiguous"]
    return state


class ChapterCache:
    """Executed chapter notebooks, keyed by content."""

    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder) if folder else paths.cache_dir() / "chapters"

    def _index(self, prekey: str) -> Path:
        return self.folder / "index" / f"{prekey}.json"

    def lookup(self, prekey: str, data_dir: Path, file_hash) -> Path | None:
        """The cached executed notebook whose recorded data files are unchanged, or None."""
        try:
            entries = json.loads(self._index(prekey).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        for entry in entries:
            if current_reads(data_dir, list(entry["reads"]), file_hash) == entry["reads"]:
                result = self.folder / f"{entry['key']}.ipynb"
                if result.is_file():
                    return result
        return None

    def store(self, prekey: str, data_dir: Path, reads: dict, notebook: Path, file_hash) -> None:
        """Remember an executed chapter together with the data files it read.

        A chapter that reported no reads (it made no chapter context) is taken to depend on every
        data file, so it is never reused wrongly.
        """
        if not reads:
            from lagesbild_lib.data.files import contract_files

            reads = {f.name: f.name for f in contract_files(data_dir)}
        state = current_reads(data_dir, sorted(reads), file_hash)
        key = _sha(prekey, json.dumps(state, sort_keys=True))
        try:
            (self.folder / "index").mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f".{key}.{os.getpid()}.tmp"
            shutil.copyfile(notebook, tmp)
            os.replace(tmp, self.folder / f"{key}.ipynb")
            index = self._index(prekey)
            try:
                entries = json.loads(index.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                entries = []
            entries = [{"key": key, "reads": state}] + [e for e in entries if e.get("key") != key]
            tmp_index = index.with_suffix(f".{os.getpid()}.tmp")
            tmp_index.write_text(json.dumps(entries[:MAX_ENTRIES], sort_keys=True), encoding="utf-8")
            os.replace(tmp_index, index)
        except OSError as exc:
            import logging

            from lagesbild_lib.errors import os_reason

            where = f"{exc.filename}: " if exc.filename else ""
            logging.getLogger("lagesbild").warning("kapitelcachen skrevs inte (%s%s); rapporten påverkas inte", where, os_reason(exc))
