"""Faults while building (issue 8, item 5): an output folder that cannot be written, a disk that
fills up while the report is written, a failed move into place, a chapter that raises, Ctrl-C.

Each must end with a clear sentence and the right exit code, leave the last good report byte for
byte as it was, and leave no temporary build folder (``.<area>.building-*``) behind. A chapter
that raises and a killed batch worker are tested in test_pipeline.py and test_batch.py; here the
same failure is checked for leftovers. Runs on the tiny fixture project (two small chapters).
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from support import add_cell, forbid_kernels, kernels_in, kill_kernels_in, run_cli, snapshot

pytestmark = pytest.mark.e2e


def build(tmp: Path, out: Path, *extra: str) -> tuple[int, str]:
    code, _, err = run_cli("build", "--data", str(tmp / "data"), "--out", str(out), "--workers", "1", *extra)
    return code, err


def leftovers(folder: Path) -> list[Path]:
    """Temporary folders of a build (or of the move into place) left anywhere below ``folder``."""
    return [p for p in folder.rglob(".*") if ".building-" in p.name or ".old-" in p.name or ".probe-" in p.name]


def one_sentence(err: str) -> str:
    """The error sentence (after any progress lines of the chapters that ran)."""
    lines = [line for line in err.strip().splitlines() if line.startswith("lagesbild")]
    assert len(lines) == 1 and "Traceback" not in err, err
    assert err.strip().endswith(lines[0]), err
    return lines[0]


@pytest.fixture()
def good_report(project):
    """A report built from good inputs, and its bytes."""
    out = project / "out"
    code, err = build(project, out)
    assert code == 0, err
    return out, snapshot(out)


def no_kernel(monkeypatch):
    forbid_kernels(monkeypatch, "a kernel was started although the output cannot be written")


def test_out_that_is_a_file_is_refused_before_any_kernel(project, monkeypatch):
    no_kernel(monkeypatch)
    out = project / "not-a-folder"
    out.write_text("en fil", encoding="utf-8")
    code, err = build(project, out)
    message = one_sentence(err)
    assert code == 2
    assert str(out) in message and "rapporten kan inte skrivas där" in message and "välj en annan mapp med --out" in message
    assert out.read_text(encoding="utf-8") == "en fil"
    assert not leftovers(project)


def test_out_under_proc_is_refused(project, monkeypatch):
    no_kernel(monkeypatch)
    code, err = build(project, Path("/proc/lagesbild-test-output"))
    message = one_sentence(err)
    assert code == 2 and "/proc/lagesbild-test-output" in message and "välj en annan mapp med --out" in message
    assert not Path("/proc/lagesbild-test-output").exists()


def test_disk_full_while_writing_leaves_the_last_report(project, good_report, monkeypatch):
    out, before = good_report
    import lagesbild_lib.report.excel as excel

    def full(payloads, path):
        Path(path).write_bytes(b"PK\x03\x04half")  # a half-written file, as a full disk leaves it
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(excel, "write_tables_xlsx", full)
    code, err = build(project, out, "--no-cache")
    message = one_sentence(err)
    assert code == 2
    assert "tabeller.xlsx" in message and "disken är full" in message and "frigör diskutrymme" in message
    assert snapshot(out) == before, "the last good report was changed"
    assert not leftovers(project)


def test_failed_move_into_place_puts_the_last_report_back(project, good_report, monkeypatch):
    out, before = good_report
    import lagesbild_lib.pipeline.build as build_module

    real_replace = build_module.os.replace

    def replace(src, dst):
        if ".building-" in str(src):
            raise OSError(errno.EROFS, "Read-only file system", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(build_module.os, "replace", replace)
    code, err = build(project, out, "--no-cache")
    message = one_sentence(err)
    assert code == 2 and "filsystemet är skrivskyddat" in message
    monkeypatch.setattr(build_module.os, "replace", real_replace)
    assert snapshot(out) == before, "the last good report was not put back"
    assert not leftovers(project)


def test_chapter_that_raises_leaves_no_build_folder(project, good_report):
    out, before = good_report
    nb = project / "notebooks" / "01_brott.ipynb"
    nb.write_text(nb.read_text(encoding="utf-8").replace("leak_from_first_chapter = 42", "1 / 0"), encoding="utf-8")
    code, err = build(project, out)
    assert code == 1 and "kapitlet 01_brott misslyckades" in one_sentence(err)
    after = snapshot(out)
    kept = {k: v for k, v in after.items() if not k.startswith("2023/norr.failed")}
    assert kept == before, "the last good report was changed"
    assert "2023/norr.failed/chapters/01_brott.ipynb" in after
    assert not leftovers(project)


def test_interrupt_while_stitching_leaves_nothing_half_written(project, good_report, monkeypatch):
    out, before = good_report
    import lagesbild_lib.report.stitch as stitch

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(stitch, "write_report", interrupted)
    code, err = build(project, out, "--no-cache")
    assert code == 130 and "inget ersattes" in one_sentence(err)
    assert snapshot(out) == before
    assert not leftovers(project)


def test_bad_input_leaves_no_build_folder(project, good_report):
    out, before = good_report
    crimes = project / "data" / "crimes.csv"
    crimes.write_text(crimes.read_text(encoding="utf-8").replace("T0004,2022-05-01", "T0004,2022-02-30"), encoding="utf-8")
    code, err = build(project, out)
    assert code == 2 and "rad 5, kolumn 'reported_date'" in one_sentence(err)
    assert snapshot(out) == before
    assert not leftovers(project)


@pytest.mark.skipif(not Path("/proc/self/cwd").exists(), reason="needs Linux /proc")
def test_ctrl_c_during_a_chapter_interrupts_it_and_replaces_nothing(project, good_report):
    """A real SIGINT while a chapter runs: the chapter is interrupted (not waited for), the last
    good report stays byte for byte, no build folder and no ``.failed`` folder is left (the user
    stopped it; nothing failed), no kernel lives on, exit code 130 with one sentence."""
    import os
    import signal
    import subprocess
    import sys
    import time

    out, before = good_report
    add_cell(project, "from pathlib import Path\nimport time\nPath('sleeping').touch()\ntime.sleep(120)", cell_id="sleep")
    sleeping = project / "notebooks" / "sleeping"  # kernels work in the notebooks folder
    argv = ["build", "--data", str(project / "data"), "--out", str(out), "--workers", "1"]
    proc = subprocess.Popen([sys.executable, "-m", "lagesbild_lib.cli", *argv], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=os.environ.copy())
    try:
        deadline = time.monotonic() + 120
        while not sleeping.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
        assert sleeping.exists(), "the chapter never reached its sleeping cell"
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)  # not the 120 s the cell would sleep
    finally:
        proc.kill()
        kill_kernels_in((project / "notebooks").resolve())  # only after a failure is there any
    assert proc.returncode == 130 and "inget ersattes" in one_sentence(err)
    assert snapshot(out) == before, "the last good report was changed"
    assert not leftovers(project) and not list(out.rglob("*.failed"))
    assert kernels_in((project / "notebooks").resolve()) == [], "a kernel lives on"
