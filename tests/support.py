"""Helpers shared by several test modules (tests/ is on sys.path through its conftest.py)."""

from __future__ import annotations

import os
import signal
from html.parser import HTMLParser
from pathlib import Path


class Elements(HTMLParser):
    """Every start tag and its attributes: what a browser would act on."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    @property
    def tags(self) -> set[str]:
        return {t for t, _ in self.found}


def elements(html: str) -> Elements:
    parsed = Elements()
    parsed.feed(html)
    return parsed


# ------------------------------------------------------------------------------ processes (Linux /proc)
def child_processes() -> list[str]:
    """The command lines of this process's living children."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended meanwhile
        state, ppid = fields[0], int(fields[1])
        if ppid == os.getpid() and state != "Z":
            children.append((stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
    return children


def kernels_in(folder: Path) -> list[int]:
    """Process ids of living kernels whose working folder is ``folder``."""
    pids = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if b"ipykernel_launcher" in (proc / "cmdline").read_bytes() and Path(os.readlink(proc / "cwd")) == folder:
                pids.append(int(proc.name))
        except OSError:
            continue  # ended meanwhile, or not ours to read
    return pids


def kill_kernels_in(folder: Path) -> None:
    """Kill the kernels working in ``folder`` (after a failed test, so none lingers)."""
    for pid in kernels_in(folder):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            continue  # ended meanwhile
