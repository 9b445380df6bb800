"""`lagesbild batch` on the tiny project: failure isolation, resume, and a Dask LocalCluster."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lagesbild_lib.cli import main
from support import add_cell, kernels_in, kill_kernels_in

pytestmark = pytest.mark.e2e


@pytest.fixture()
def fault(tmp_path, monkeypatch) -> Path:
    """A file whose presence makes the injected fault fire (the chapter's own code never changes)."""
    flag = tmp_path / "fault-on"
    monkeypatch.setenv("LAGESBILD_TEST_FAULT", str(flag))
    flag.write_text("on", encoding="utf-8")
    return flag


def batch(project: Path, *extra: str) -> tuple[int, dict]:
    out = project / "out"
    code = main(["batch", "--years", "2023", "--areas", "all", "--data", str(project / "data"), "--out", str(out), *extra])
    summary = json.loads((out / "batch-summary.json").read_text(encoding="utf-8"))
    return code, {r["area"]: r["status"] for r in summary["runs"]}


def test_failed_run_does_not_stop_the_others_and_a_rerun_redoes_only_it(project, fault, capsys):
    add_cell(project, 'import os\nassert not (area == "soder" and os.path.exists(os.environ["LAGESBILD_TEST_FAULT"])), "trasigt för söder"')
    code, status = batch(project)
    assert code == 1 and status == {"norr": "ok", "soder": "failed"}
    printed = capsys.readouterr()
    assert "trasigt för söder" in printed.err and "1 byggd, 0 redan aktuella, 1 misslyckad" in printed.out
    assert (project / "out" / "2023" / "norr" / "lagesbild-norr-2023.html").is_file()
    assert not (project / "out" / "2023" / "soder").exists()
    summary = json.loads((project / "out" / "batch-summary.json").read_text(encoding="utf-8"))
    assert "trasigt för söder" in next(r["error"] for r in summary["runs"] if r["area"] == "soder")

    fault.unlink()  # the cause is mended outside the project: only the failed run is redone
    code, status = batch(project)
    assert code == 0 and status == {"norr": "up-to-date", "soder": "ok"}


def test_batch_on_a_dask_cluster_survives_a_killed_worker(project, fault, capsys):
    import dask
    from distributed import LocalCluster

    # the kernel kills its parent, the Dask worker process, in the middle of soder's run
    add_cell(project, 'import os, signal\nif area == "soder" and os.path.exists(os.environ["LAGESBILD_TEST_FAULT"]):\n    os.kill(os.getppid(), signal.SIGKILL)')
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            code, status = batch(project, "--scheduler", cluster.scheduler_address)
            assert code == 1 and status == {"norr": "ok", "soder": "failed"}
            assert "KilledWorker" in capsys.readouterr().err
            fault.unlink()
            code, status = batch(project, "--scheduler", cluster.scheduler_address)
    assert code == 0 and status == {"norr": "up-to-date", "soder": "ok"}
    assert (project / "out" / "2023" / "soder" / "lagesbild-soder-2023.html").is_file()


@pytest.mark.skipif(not Path("/proc/self/cwd").exists(), reason="needs Linux /proc")
def test_ctrl_c_stops_the_batch_cleanly(project):
    """Ctrl-C (SIGINT) during a batch: no new report starts, the running chapter is interrupted
    instead of waited for, the finished reports stay whole, no half-written report or build folder
    is left, no kernel lives on, and the exit code is 130."""
    import os
    import signal
    import subprocess
    import sys
    import time

    add_cell(project, "import time\ntime.sleep(120 if (area, year) == ('soder', 2023) else 0)")
    out = project / "out"
    argv = ["batch", "--years", "2022-2023", "--areas", "all", "--data", str(project / "data"), "--out", str(out), "--workers", "1"]
    proc = subprocess.Popen([sys.executable, "-m", "lagesbild_lib.cli", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        third = out / "2023" / "norr" / "lagesbild-norr-2023.html"  # runs go 2022 norr, 2022 söder, 2023 norr, 2023 söder
        deadline = time.monotonic() + 240
        while not third.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
        assert third.exists(), "the first three reports were not built"
        time.sleep(3)  # söder 2023 is now in its sleeping chapter
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)  # not the 120 s the chapter would sleep
    finally:
        proc.kill()
        kill_kernels_in((project / "notebooks").resolve())  # only after a failure is there any
    assert proc.returncode == 130, err
    assert "Avbryter" in err and "Traceback" not in err
    for year, area in ((2022, "norr"), (2022, "soder"), (2023, "norr")):
        report = out / str(year) / area
        assert (report / f"lagesbild-{area}-{year}.html").is_file() and (report / "manifest.json").is_file()
    summary = json.loads((out / "batch-summary.json").read_text(encoding="utf-8"))
    assert summary["ok"] == 3 and summary["missing"] == ["soder 2023"], "the summary says what was and was not built"
    leftovers = [p.name for p in (out / "2023").iterdir() if p.name not in ("norr",)]
    assert leftovers == [], "a half-written report or build folder was left"
    assert kernels_in((project / "notebooks").resolve()) == [], "a kernel lives on"
