"""Running chapter notebooks with papermill on warm kernels.

Each worker thread owns one :class:`~lagesbild_lib.pipeline.kernels.WarmKernel` for as long as the runner
lives (one build, or a whole batch), so the heavy imports are paid once per worker, not once per
chapter. After every chapter the kernel reports which data files the chapter read (for the
chapter cache) and its namespace is emptied; after a failure the kernel is replaced.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from lagesbild_lib.pipeline.chapters import Chapter

log = logging.getLogger("lagesbild")


@dataclass
class ChapterResult:
    """How one chapter went."""

    chapter: Chapter
    status: str  # "ok" | "failed" | "stopped" (Ctrl-C: interrupted, or never started)
    seconds: float
    source: str  # "executed" | "cache"
    error: str = ""
    cell_index: int | None = None
    reads: dict = field(default_factory=dict)


@dataclass
class _Job:
    chapter: Chapter
    out_path: Path
    parameters: dict
    future: Future


class ChapterRunner:
    """Up to ``workers`` warm kernels executing chapters in parallel.

    Use as a context manager: every kernel is shut down on exit, also after Ctrl-C.
    """

    def __init__(self, workers: int, cwd: Path, on_event=None):
        self.workers = max(1, workers)
        self.cwd = str(cwd)
        #: ``on_event(kind, job_or_None)`` from the worker threads: "kernel-start", "kernel-ready",
        #: "chapter-start", "chapter-end" (the batch scheduler's event log; None: not recorded)
        self.on_event = on_event
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._finishing = False
        self._lock = threading.Lock()
        self._busy: set = set()  # the kernels running a chapter now

    def __enter__(self) -> ChapterRunner:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is not None:
            self.stop()  # Ctrl-C or an error: interrupt what runs instead of waiting for it
        self.close()

    def prestart(self, kernels: int) -> None:
        """Start (and warm) up to ``kernels`` kernels now, while the caller does other work."""
        while len(self._threads) < min(kernels, self.workers):
            self._spawn(eager=True)

    def submit(self, chapter: Chapter, out_path: Path, parameters: dict) -> Future:
        """Queue one chapter; the future resolves to its :class:`ChapterResult`."""
        if self._finishing:
            raise RuntimeError("chapters submitted after ChapterRunner.finish()")
        future: Future = Future()
        self._queue.put(_Job(chapter, out_path, parameters, future))
        if len(self._threads) < min(self.workers, self._queue.qsize() + len(self._threads)):
            self._spawn(eager=False)
        return future

    def _spawn(self, eager: bool) -> None:
        thread = threading.Thread(target=self._work, args=(eager,), name=f"lagesbild-kernel-{len(self._threads)}", daemon=True)
        self._threads.append(thread)
        thread.start()

    def finish(self) -> None:
        """No more chapters will be submitted: each worker shuts its kernel down as soon as the
        queue is empty, while the caller goes on (e.g. stitches the report)."""
        if not self._finishing:
            self._finishing = True
            for _ in self._threads:
                self._queue.put(None)

    def stop(self) -> None:
        """Ctrl-C: start no more chapters and interrupt the running ones; both end "stopped"."""
        with self._lock:
            self._stopping.set()
            busy = list(self._busy)
        for kernel in busy:
            try:
                kernel.interrupt()
            except Exception:  # a kernel that is gone already: nothing to interrupt
                log.debug("kärnan gick inte att avbryta", exc_info=True)

    def close(self) -> None:
        """Stop the workers and their kernels (waits for running chapters to finish, unless
        :meth:`stop` interrupted them)."""
        self._stopping.set()
        self.finish()
        for thread in self._threads:
            thread.join()
        self._threads.clear()

    def _work(self, eager: bool) -> None:
        from lagesbild_lib.pipeline.kernels import WarmKernel

        kernel: WarmKernel | None = None
        try:
            if eager:
                try:
                    kernel = self._start_kernel()
                except Exception:  # reported when a chapter needs the kernel: it is started again then
                    log.debug("kärnan gick inte att starta i förväg", exc_info=True)
            while True:
                job = self._queue.get()
                if job is None:
                    return
                if self._stopping.is_set():
                    job.future.set_result(ChapterResult(job.chapter, "stopped", 0.0, "executed", error="stopped"))
                    continue
                start = time.perf_counter()
                try:
                    if kernel is None:
                        kernel = self._start_kernel()
                    log.debug("%s startar efter %.2f s väntan", job.chapter.stem, time.perf_counter() - start)
                    with self._lock:
                        if self._stopping.is_set():
                            job.future.set_result(ChapterResult(job.chapter, "stopped", 0.0, "executed", error="stopped"))
                            continue
                        self._busy.add(kernel)
                    self._emit("chapter-start", job)
                    try:
                        result = execute_chapter(job.chapter, job.out_path, job.parameters, kernel)
                    finally:
                        with self._lock:
                            self._busy.discard(kernel)
                    if result.status == "ok":
                        result.reads = kernel.reads()["reads"]
                        kernel.reset()
                    else:
                        kernel.shutdown()
                        kernel = None
                except Exception as exc:  # a kernel that died or would not start: the chapter failed
                    log.debug("kärnan fick fel", exc_info=True)
                    if kernel is not None:
                        kernel.shutdown()
                        kernel = None
                    result = ChapterResult(job.chapter, "failed", time.perf_counter() - start, "executed", error=f"{type(exc).__name__}: {exc}")
                result.seconds = time.perf_counter() - start
                if result.status == "failed" and self._stopping.is_set():
                    result.status = "stopped"  # interrupted by Ctrl-C, not broken
                self._emit("chapter-end", job)
                job.future.set_result(result)
        finally:
            if kernel is not None:
                kernel.shutdown()

    def _start_kernel(self):
        from lagesbild_lib.pipeline.kernels import WarmKernel

        self._emit("kernel-start", None)
        kernel = WarmKernel(self.cwd)
        self._emit("kernel-ready", None)
        return kernel

    def _emit(self, kind: str, job: _Job | None) -> None:
        if self.on_event is not None:
            self.on_event(kind, job)


def execute_chapter(chapter: Chapter, out_path: Path, parameters: dict, kernel) -> ChapterResult:
    """Run one chapter with papermill (engine ``lagesbild``) on ``kernel``; the output is kept also on failure."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from lagesbild_lib.pipeline.kernels import register_engine

    start = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(chapter.path), str(out_path), parameters=parameters, engine_name=register_engine(),
            warm_kernel=kernel, kernel_name="python3", progress_bar=False,
            request_save_on_cell_execute=False,  # written once at the end, not after every cell
        )
    except PapermillExecutionError as exc:
        return ChapterResult(chapter, "failed", time.perf_counter() - start, "executed", error=f"{exc.ename}: {exc.evalue}", cell_index=exc.exec_count)
    normalise_executed(out_path)
    return ChapterResult(chapter, "ok", time.perf_counter() - start, "executed")


def normalise_executed(path: Path) -> None:
    """Make an executed notebook reproducible: fixed cell ids, no timings or paths in its metadata."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    count = 0
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            # numbered as on a fresh kernel, whichever warm kernel ran the chapter
            count += 1
            cell["execution_count"] = count
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = count
        cell.metadata.pop("execution", None)
        pm = cell.metadata.get("papermill")
        if pm is not None:
            cell.metadata["papermill"] = {"status": pm.get("status", ""), "exception": pm.get("exception", False)}
    pm = nb.metadata.get("papermill", {})
    for key in ("start_time", "end_time", "duration", "input_path", "output_path", "environment_variables"):
        pm.pop(key, None)
    nbformat.write(nb, path)


def default_workers() -> int:
    return min(2, os.cpu_count() or 1)
