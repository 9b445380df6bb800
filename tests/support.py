"""Helpers shared by several test modules (tests/ is on sys.path through its conftest.py)."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
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


# ------------------------------------------------------------------------------ the command line in this process
def run_cli(*argv: str) -> tuple[int, str, str]:
    """``lagesbild ARGV`` in this process: (exit code, stdout, stderr)."""
    from lagesbild_lib.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse refuses an option before main() can return
            code = exc.code
    return code, out.getvalue(), err.getvalue()


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder below ``folder`` (hidden ones too) with its bytes."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))}


def forbid_kernels(monkeypatch, why: str) -> None:
    """Make any attempt to start a kernel fail the test with ``why``."""
    import lagesbild_lib.pipeline.executor as executor

    class NoRunner:
        def __init__(self, *a, **k):
            raise AssertionError(why)

    monkeypatch.setattr(executor, "ChapterRunner", NoRunner)


def add_cell(project: Path, source: str, cell_id: str = "fault") -> None:
    """Append a code cell to the tiny project's chapter 02_befolkning."""
    import nbformat

    path = project / "notebooks" / "02_befolkning.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = nbformat.v4.new_code_cell(source)
    cell["id"] = cell_id
    nb.cells.append(cell)
    nbformat.write(nb, path)


def browser_tests_required() -> bool:
    """True in CI (``LAGESBILD_BROWSER_TESTS=required``): a missing tool fails instead of skipping."""
    return os.environ.get("LAGESBILD_BROWSER_TESTS", "").strip().lower() == "required"


def need(ok: bool, reason: str) -> None:
    """Skip (locally) or fail (in CI) with ``reason`` unless ``ok``: the rule for every test that
    needs a system tool (Chromium, Java, LibreOffice, pdftotext)."""
    import pytest

    if ok:
        return
    if browser_tests_required():
        pytest.fail(f"{reason} (LAGESBILD_BROWSER_TESTS=required, as in CI: .ci/run installs it)", pytrace=False)
    pytest.skip(reason)


#: The shared checks other tools read the project through (outside the repository).
CHECKS = Path(__file__).resolve().parents[2] / "shared" / "checks"


def report_contract_result(html: Path) -> subprocess.CompletedProcess | None:
    """``report_contract.py`` (DESIGN §5) run on a built report; None when the shared checks are absent."""
    checker = CHECKS / "report_contract.py"
    if not checker.is_file():
        return None
    return subprocess.run([sys.executable, str(checker), str(html)], capture_output=True, text=True)
