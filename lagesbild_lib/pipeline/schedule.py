"""The batch scheduler on one machine: every core busy for the whole batch.

All reports share one :class:`~lagesbild_lib.pipeline.executor.ChapterRunner` (one warm kernel per
core, imports paid once for the batch). The next report is admitted as soon as the kernels are
about to run dry — fewer chapters queued than there are kernels — so its chapters are queued while
the previous report's last chapters run, and a finished report is stitched (HTML, workbook,
manifest, moved into place) in the batch process *while the kernels run the next report's
chapters*. Stitching takes turns: one report at a time, unless another finished report is already
waiting, so at most one stitch ever waits while chapters are queued and stitching never holds up
the kernels.

Everything the scheduler does is written to an :class:`EventLog` (what happened, to which report,
how many chapters were queued and stitches waiting right after), which the tests read to check
the overlap and which :meth:`EventLog.breakdown` turns into where the batch's time went.
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Event:
    """One thing the scheduler saw, ``t`` seconds after the batch started.

    ``kind``: ``admit`` (a report's build begins), ``queued`` (a chapter submitted),
    ``chapter-start``, ``chapter-end``, ``stitch-wait``, ``stitch-start``, ``stitch-end``,
    ``report-end``, ``kernel-start``, ``kernel-ready``. ``report`` is ``"area year"`` (the kernel
    thread's name for kernel events); ``queued`` and ``waiting`` are the chapters queued but not
    started and the stitches waiting for their turn, right after the event.
    """

    t: float
    kind: str
    report: str
    queued: int
    waiting: int
    detail: str = ""


class EventLog:
    """The scheduler's record, in order; thread-safe through the scheduler's lock."""

    def __init__(self):
        self.start = time.perf_counter()
        self.events: list[Event] = []

    def add(self, kind: str, report: str, queued: int, waiting: int, detail: str = "") -> None:
        self.events.append(Event(round(time.perf_counter() - self.start, 4), kind, report, queued, waiting, detail))

    def spans(self, begin: str, end: str) -> list[tuple[str, str, float, float]]:
        """``(report, detail, start, end)`` of every ``begin`` event closed by an ``end`` event of the same report and detail."""
        open_: dict[tuple[str, str], float] = {}
        out = []
        for e in self.events:
            if e.kind == begin:
                open_[(e.report, e.detail)] = e.t
            elif e.kind == end and (e.report, e.detail) in open_:
                out.append((e.report, e.detail, open_.pop((e.report, e.detail)), e.t))
        return out

    def breakdown(self, cpu_seconds: float | None = None, cores: int | None = None, cpu_batch: float | None = None) -> dict:
        """Where the batch's time went, in seconds: its wall time; core-seconds spent starting
        kernels, running chapters, stitching (HTML, workbook, manifest) and preparing reports
        (checks, hashes, cache look-ups); and the idle core-seconds — ``cores × wall`` minus the
        CPU time the batch process and its kernels used (``cpu_seconds``; without it, minus the
        busy spans above; ``cpu_batch``, the batch process's own share of it)."""
        cores = cores or os.cpu_count() or 1
        wall = self.events[-1].t if self.events else 0.0

        def total(begin: str, end: str) -> float:
            return sum(b - a for _, _, a, b in self.spans(begin, end))

        first_step: dict[str, float] = {}
        admitted: dict[str, float] = {}
        for e in self.events:
            if e.kind == "admit":
                admitted[e.report] = e.t
            elif e.kind in ("queued", "stitch-wait", "stitch-start", "report-end") and e.report in admitted:
                first_step.setdefault(e.report, e.t - admitted[e.report])
        parts = {
            "kernel_start": total("kernel-start", "kernel-ready"),
            "chapters": total("chapter-start", "chapter-end"),
            "stitch": total("stitch-start", "stitch-end"),
            "prepare": sum(first_step.values()),
        }
        busy = cpu_seconds if cpu_seconds is not None else sum(parts.values())
        queued_waits = [e.waiting for e in self.events if e.queued > 0]
        return {
            "wall": round(wall, 2),
            "cores": cores,
            **{k: round(v, 2) for k, v in parts.items()},
            "cpu": round(cpu_seconds, 2) if cpu_seconds is not None else None,
            "cpu_batch_process": round(cpu_batch, 2) if cpu_batch is not None else None,
            "idle_core_seconds": round(max(0.0, cores * wall - busy), 2),
            "max_stitches_waiting_while_chapters_queued": max(queued_waits, default=0),
        }

    def as_dicts(self) -> list[dict]:
        return [asdict(e) for e in self.events]


class Scheduler:
    """Admits reports onto a shared runner and hands out stitching turns (see the module docstring).

    Parameters
    ----------
    runner
        The batch's :class:`~lagesbild_lib.pipeline.executor.ChapterRunner`; its events are recorded.
    workers
        Its kernels: the next report is admitted when fewer chapters than this are queued.
    max_in_flight
        Reports built at once at most (their build folders and results live meanwhile).
    """

    def __init__(self, runner, workers: int, max_in_flight: int | None = None):
        self.runner = runner
        self.workers = max(1, workers)
        self.max_in_flight = max_in_flight or self.workers + 2
        self.log = EventLog()
        self._cond = threading.Condition(threading.RLock())  # re-entered by ReportRunner.submit
        self._queued = 0
        self._waiting = 0
        self._stitching = 0
        self._in_flight = 0
        self._preparing: set[str] = set()
        self._started: set[int] = set()
        self._labels: dict[int, str] = {}
        runner.on_event = self._runner_event

    # ---------------------------------------------------------------- state changes (under the lock)
    def _record(self, kind: str, report: str, detail: str = "") -> None:
        self.log.add(kind, report, self._queued, self._waiting, detail)
        self._cond.notify_all()

    def _runner_event(self, kind: str, job) -> None:
        with self._cond:
            if job is None:
                self._record(kind, threading.current_thread().name)
            elif kind == "chapter-start":
                key = id(job.future)
                self._started.add(key)
                self._queued -= 1
                self._record(kind, self._labels.get(key, ""), job.chapter.stem)
            # chapter-end is recorded when its future resolves (_chapter_done), stopped chapters too

    def _submitted(self, label: str, chapter, future: Future) -> None:
        with self._cond:
            self._labels[id(future)] = label
            self._queued += 1
            self._preparing.discard(label)
            self._record("queued", label, chapter.stem)
        future.add_done_callback(lambda f, c=chapter.stem: self._chapter_done(label, c, f))

    def _chapter_done(self, label: str, stem: str, future: Future) -> None:
        with self._cond:
            key = id(future)
            if key in self._started:
                self._started.discard(key)
                self._record("chapter-end", label, stem)
            else:  # never started (Ctrl-C): it leaves the queue all the same
                self._queued -= 1
                self._record("chapter-end", label, stem + " (inte startat)")
            self._labels.pop(key, None)

    def may_admit(self) -> bool:
        """A new report may start: nothing is being built, or the kernels are about to run dry
        (fewer chapters queued than kernels), no admitted report is still preparing and fewer
        than ``max_in_flight`` reports are in progress."""
        if self._in_flight == 0:
            return True
        return self._queued < self.workers and not self._preparing and self._in_flight < self.max_in_flight

    @contextmanager
    def stitching(self, label: str):
        """One report's stitching turn: at once when no other report stitches, or when another
        finished report already waits (so at most one ever waits); else after the current one."""
        with self._cond:
            self._preparing.discard(label)
            if self._stitching and not self._waiting:
                self._waiting += 1
                self._record("stitch-wait", label)
                self._cond.wait_for(lambda: self._stitching == 0)
                self._waiting -= 1
            self._stitching += 1
            self._record("stitch-start", label)
        try:
            yield
        finally:
            with self._cond:
                self._stitching -= 1
                self._record("stitch-end", label)

    # ---------------------------------------------------------------- the batch
    def run(self, runs: list[tuple[int, str]], build, on_outcome) -> None:
        """Build every ``(year, area)`` with ``build(year, area, report_runner) -> outcome``,
        calling ``on_outcome(outcome)`` in the calling thread as each report ends.

        Ctrl-C (KeyboardInterrupt): no new report starts, running chapters are interrupted
        (``runner.stop()``), and the interrupt is raised once the reports in progress have ended.
        """
        pending = list(runs)
        futures: dict[Future, str] = {}
        with ThreadPoolExecutor(max_workers=self.max_in_flight, thread_name_prefix="lagesbild-report") as pool:
            try:
                while pending or futures:
                    with self._cond:
                        self._cond.wait_for(lambda: (pending and self.may_admit()) or any(f.done() for f in futures), timeout=0.5)
                        year, area = pending[0] if pending and self.may_admit() else (None, None)
                        if year is not None:
                            pending.pop(0)
                            label = f"{area} {year}"
                            self._in_flight += 1
                            self._preparing.add(label)
                            self._record("admit", label)
                    if year is not None:
                        futures[pool.submit(self._build, build, year, area, label)] = label
                    for future in [f for f in futures if f.done()]:
                        del futures[future]
                        on_outcome(future.result())
            except KeyboardInterrupt:
                for future in futures:
                    future.cancel()
                self.runner.stop()
                raise

    def _build(self, build, year: int, area: str, label: str):
        try:
            return build(year, area, ReportRunner(self, label))
        finally:
            with self._cond:
                self._in_flight -= 1
                self._preparing.discard(label)
                self._record("report-end", label)


class ReportRunner:
    """What one report's build sees of the batch: the shared runner's :meth:`submit`, recorded,
    and its stitching turn (:func:`lagesbild_lib.pipeline.build._stitch_turn` asks for it)."""

    def __init__(self, scheduler: Scheduler, label: str):
        self.scheduler = scheduler
        self.label = label

    def submit(self, chapter, out_path, parameters) -> Future:
        # under the scheduler's lock, so a kernel cannot report the chapter started before it is counted queued
        with self.scheduler._cond:
            future = self.scheduler.runner.submit(chapter, out_path, parameters)
            self.scheduler._submitted(self.label, chapter, future)
        return future

    def finish(self) -> None:
        """The shared runner lives on for the rest of the batch: nothing to do."""

    def stitching(self):
        return self.scheduler.stitching(self.label)


def process_tree_cpu() -> tuple[float, float]:
    """CPU seconds used so far by this process (the batch: papermill clients, stitching) and by
    its living children (the kernels)."""
    import psutil

    me = psutil.Process()
    kernels = 0.0
    for child in me.children(recursive=True):
        try:
            kernels += sum(child.cpu_times()[:2])
        except psutil.Error:  # ended meanwhile: its time is lost to the count
            continue
    return sum(me.cpu_times()[:2]), kernels
