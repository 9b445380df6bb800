"""Remembering which file versions passed validation, so a large table is validated whole once
per version (DESIGN §6, issue 3) and not again by every chapter and every build.

An entry is keyed by the SHA-256 of the file and of everything its validity depends on (the
contract itself, the area registry, the crime categories, the survey questions the params name). File hashes are memoised by path,
size and modification time.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from lagesbild_lib import paths
from lagesbild_lib.data.schema import TABLES

CONTRACT_VERSION = "2"  # 2: every problem collected; near misses of known values refused


def contract_fingerprint() -> str:
    """A hash of the data contract as code: a changed rule invalidates every cached result."""
    from lagesbild_lib.data.known_values import fingerprint

    return hashlib.sha256((CONTRACT_VERSION + repr(sorted(TABLES.items())) + fingerprint()).encode()).hexdigest()[:16]


class ValidationCache:
    """A folder of small JSON files, one per validated file version."""

    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder) if folder else paths.cache_dir() / "validated"
        self._memo: dict[str, str] | None = None  # the file-hash memo, read once per instance

    def _hash_memo_path(self) -> Path:
        return self.folder / "file-hashes.json"

    def file_hash(self, path: Path) -> str:
        """SHA-256 of a file, memoised by (path, size, mtime)."""
        from lagesbild_lib.data.files import file_sha256

        stat = path.stat()
        key = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
        if self._memo is None:
            self._memo = self._read(self._hash_memo_path())
        if key in self._memo:
            return self._memo[key]
        digest = file_sha256(path)
        memo = self._read(self._hash_memo_path())  # other processes may have added to it meanwhile
        if len(memo) > 2000:
            memo = {}
        memo[key] = digest
        self._write(self._hash_memo_path(), memo)
        self._memo = memo
        return digest

    def key(self, path: Path, depends_on: list[Path], extra: str = "") -> str:
        """The key of a file version: its hash, those of the files its validity depends on, and
        ``extra`` (what else it was checked against, e.g. the survey questions the params name)."""
        parts = [contract_fingerprint(), path.name, self.file_hash(path)] + [self.file_hash(p) for p in depends_on]
        parts += [extra] if extra else []
        return hashlib.sha256("|".join(parts).encode()).hexdigest()

    def get(self, key: str) -> dict | None:
        entry = self.folder / f"{key}.json"
        return self._read(entry) or None

    def put(self, key: str, result: dict) -> None:
        self._write(self.folder / f"{key}.json", result)

    @staticmethod
    def _read(path: Path) -> dict:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # absent, or damaged: only a missed shortcut, validate again

    def _write(self, path: Path, data: dict) -> None:
        """Write atomically; a read-only or full cache folder only costs a later re-validation."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".tmp{os.getpid()}")
            tmp.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            import logging

            from lagesbild_lib.errors import os_reason

            logging.getLogger("lagesbild").debug("valideringscachen skrevs inte (%s)", os_reason(exc))
