"""The batch keeps both cores busy: a finished report is stitched while the kernels already run
the next report's chapters, and stitching never piles up (no timing thresholds: the scheduler's
event log is read)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lagesbild_lib.cli import main
from lagesbild_lib.pipeline import schedule
from support import add_cell

pytestmark = pytest.mark.e2e


@pytest.fixture()
def recorded(monkeypatch) -> list:
    """Every Scheduler the batch makes, kept for its event log."""
    made = []

    class Recording(schedule.Scheduler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(schedule, "Scheduler", Recording)
    return made


def _overlaps(a: tuple, b: tuple) -> bool:
    return a[2] < b[3] and b[2] < a[3]


def test_stitching_overlaps_the_next_reports_chapters_and_never_piles_up(project: Path, recorded):
    # a chapter that takes a moment, so the next report's chapters are still running while a
    # finished report is stitched (the order of events, not their length, is what is checked)
    add_cell(project, "import time\ntime.sleep(1.0)", cell_id="slow")
    out = project / "out"
    code = main(["batch", "--years", "2022-2023", "--areas", "all", "--data", str(project / "data"), "--out", str(out), "--workers", "2"])
    assert code == 0
    summary = json.loads((out / "batch-summary.json").read_text(encoding="utf-8"))
    assert summary["ok"] == 4

    (scheduler,) = recorded
    log = scheduler.log
    events = log.events
    reports = ["norr 2022", "soder 2022", "norr 2023", "soder 2023"]
    assert [e.report for e in events if e.kind == "admit"] == reports
    assert [e.report for e in events if e.kind == "report-end"] and all(e.queued >= 0 and e.waiting >= 0 for e in events)

    # at most one stitch waits for its turn while chapters are queued
    assert max((e.waiting for e in events if e.queued > 0), default=0) <= 1
    assert summary["schedule"]["max_stitches_waiting_while_chapters_queued"] <= 1

    # the overlap is real: some report is stitched while another report's chapter runs
    stitches = log.spans("stitch-start", "stitch-end")
    chapters = log.spans("chapter-start", "chapter-end")
    assert len(stitches) == 4 and len(chapters) == 8
    assert any(_overlaps(s, c) for s in stitches for c in chapters if c[0] != s[0]), "no stitch ran beside another report's chapters"

    # pipelined: each next report is admitted (its chapters queued) before the one before it is stitched
    admitted = {e.report: e.t for e in events if e.kind == "admit"}
    stitched = {r: end for r, _, _, end in stitches}
    for before, after in zip(reports, reports[1:]):
        assert admitted[after] < stitched[before], f"{after} waited for {before} to be stitched"

    # where the time went is in the summary (the bench prints it)
    breakdown = summary["schedule"]
    assert {"wall", "kernel_start", "chapters", "stitch", "prepare", "cpu", "idle_core_seconds"} <= set(breakdown)
    assert breakdown["chapters"] > 0 and breakdown["stitch"] > 0


def test_stitch_turns_keep_at_most_one_waiting():
    """Three reports finish their chapters at once while a fourth is being stitched: one waits, the
    next goes ahead at once instead of queueing behind it."""
    import threading

    class Runner:
        on_event = None

    sched = schedule.Scheduler(Runner(), workers=2)
    sched._queued = 3  # chapters of later reports are queued meanwhile
    release = threading.Event()
    entered = []

    def stitch(label: str) -> None:
        with sched.stitching(label):
            entered.append(label)
            release.wait(5)

    first = threading.Thread(target=stitch, args=("a 2023",))
    first.start()
    while not entered:
        threading.Event().wait(0.01)
    others = [threading.Thread(target=stitch, args=(f"{x} 2023",)) for x in "bc"]
    for t in others:
        t.start()
    while not (sched._waiting == 1 and len(entered) == 2):
        threading.Event().wait(0.01)
    release.set()
    for t in [first, *others]:
        t.join(5)
    waits = [e.waiting for e in sched.log.events]
    assert max(waits) == 1 and sorted(entered) == ["a 2023", "b 2023", "c 2023"]
    assert [e.kind for e in sched.log.events].count("stitch-wait") == 1


def test_the_progress_line_gives_rate_and_time_left_in_swedish():
    from lagesbild_lib.pipeline.batch import progress_text

    assert progress_text(3, 1, 290, 95.0, "ale 2023") == "klara 2, misslyckade 1, 1,9 rapporter/min, cirka 2 h 31 min kvar, senast ale 2023"
    assert progress_text(4, 0, 10, 60.0) == "klara 4, misslyckade 0, 4,0 rapporter/min, cirka 1 min 30 s kvar"
    assert progress_text(10, 0, 10, 60.0).endswith("klart")
    assert progress_text(0, 0, 10, 5.0) == "klara 0, misslyckade 0"


def test_the_breakdown_adds_up_where_the_time_went():
    log = schedule.EventLog()
    for t, kind, report, queued, waiting, detail in [
        (0.0, "kernel-start", "k0", 0, 0, ""), (2.0, "kernel-ready", "k0", 0, 0, ""),
        (0.5, "admit", "a 2023", 0, 0, ""), (1.0, "queued", "a 2023", 1, 0, "01_x"),
        (2.0, "chapter-start", "a 2023", 0, 0, "01_x"), (6.0, "chapter-end", "a 2023", 0, 0, "01_x"),
        (6.0, "stitch-start", "a 2023", 0, 0, ""), (7.5, "stitch-end", "a 2023", 0, 0, ""),
        (8.0, "report-end", "a 2023", 0, 0, ""),
    ]:
        log.events.append(schedule.Event(t, kind, report, queued, waiting, detail))
    got = log.breakdown(cores=2)
    assert got["wall"] == 8.0 and got["kernel_start"] == 2.0 and got["chapters"] == 4.0
    assert got["stitch"] == 1.5 and got["prepare"] == 0.5
    assert got["idle_core_seconds"] == 2 * 8.0 - (2.0 + 4.0 + 1.5 + 0.5)
    assert log.breakdown(cpu_seconds=10.0, cores=2)["idle_core_seconds"] == 6.0
