"""A memo of loaded, validated data kept by one process between chapters (issue 20).

Every chapter makes its own :class:`~lagesbild_lib.data.dataset.DataSet`, so without a memo each
of the eight chapters of a report, and every report of a batch, reads and validates the same
tables again. A warm kernel (:mod:`lagesbild_lib.pipeline.kernels`) turns this memo on: a table,
the area registry, a GeoJSON layer, the years of the crimes file and the crime rows of an area,
once loaded and validated, are kept for the next chapter (and the next report of the same data
folder) that asks for the same thing.

An entry is keyed by every file it was made from — resolved path, inode, size, and modification
and change times in nanoseconds, taken *before* the file is read — and by what else it was
checked against (the area ids, the survey questions the params name). So a file that is changed,
replaced or touched is read again, and two data folders never share an entry (their paths
differ). Only results that passed validation are kept: a broken table is read and reported anew
by every chapter. The data set still records each table a chapter asks for (``DataSet.accessed``)
before it looks in the memo, so the chapter cache keys every chapter on the files it read, whether
they came from the memo or from disk.

Off unless turned on (:func:`enable`), so a plain Python session or JupyterLab reads as before;
``LAGESBILD_TABLE_MEMO=1`` turns it on in any process, ``=0`` keeps a kernel from turning it on.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

ENV = "LAGESBILD_TABLE_MEMO"
MAX_ENTRIES = 64
MAX_BYTES = 768 * 1024 * 1024  # frames beyond this (summed) are dropped, oldest first

T = TypeVar("T")


def file_key(path: Path) -> tuple:
    """What identifies one version of a file without reading it.

    Raises
    ------
    OSError
        The file cannot be looked at (the caller then reads it without the memo, which says why).
    """
    st = os.stat(path)
    return (os.path.realpath(path), st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def ids_key(ids: Iterable[str] | None) -> str | None:
    """A short, exact stand-in for a set of ids (the known area ids a table was checked against)."""
    if ids is None:
        return None
    return hashlib.sha256("\0".join(sorted(ids)).encode()).hexdigest()


def approx_bytes(value: object) -> int:
    """The memory a kept frame holds (its columns' buffers; other values count as small)."""
    usage = getattr(value, "memory_usage", None)
    if usage is None:
        return 0
    try:
        return int(usage(index=True, deep=False).sum())
    except (TypeError, ValueError):
        return 0


class TableMemo:
    """Recently used loaded data, least recently used dropped first."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple, tuple[object, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        #: Lookups answered from the memo, and those that had to read the files.
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: tuple) -> object | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found[0]

    def put(self, key: tuple, value: object) -> None:
        size = approx_bytes(value)
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._entries[key] = (value, size)
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def remember(self, kind: str, files: list[Path], extra: tuple, compute: Callable[[], T], share: Callable[[T], T] = lambda v: v) -> T:
        """``compute()``, or what it gave before for the same files (unchanged) and ``extra``.

        ``share`` makes what is handed out from what is kept (a shallow copy of a frame, so a
        chapter that adds a column changes only its own). Nothing is kept when ``compute`` raises
        or returns None.
        """
        try:
            key = (kind, *(file_key(f) for f in files), *extra)  # before reading: a later change is a new key
        except OSError:
            return compute()
        found = self.get(key)
        if found is not None:
            return share(found)
        value = compute()
        if value is not None:
            self.put(key, share(value))
        return value


_MEMO: TableMemo | None = TableMemo() if os.environ.get(ENV) == "1" else None


def active() -> TableMemo | None:
    """The process's memo, or None when it is off."""
    return _MEMO


def enable() -> TableMemo | None:
    """Turn the memo on in this process (a warm kernel does, before its first chapter), unless
    ``LAGESBILD_TABLE_MEMO=0``. Returns it (None when it stays off)."""
    global _MEMO
    if os.environ.get(ENV) == "0":
        return None
    if _MEMO is None:
        _MEMO = TableMemo()
    return _MEMO


def disable() -> None:
    """Turn the memo off and drop what it holds."""
    global _MEMO
    _MEMO = None


def share_frame(frame):
    """A frame of its own for the caller over the same data (copy-on-write: nothing is copied
    until one side changes)."""
    return frame.copy(deep=False)
