"""``lagesbild batch``: one report per (year, area); a failed run never stops the others.

On one machine the runs share one pool of warm kernels (:class:`~lagesbild_lib.pipeline.executor.ChapterRunner`)
and the :class:`~lagesbild_lib.pipeline.schedule.Scheduler` keeps them busy: the next report's
chapters are queued before the kernels run dry, and a finished report is stitched while they run
(where the time went is written to the summary). With ``--scheduler tcp://HOST:PORT`` each run is
a task on a Dask distributed cluster, on warm kernels kept by each worker process. Either way a progress bar shows runs done and failed, the end prints a
summary table and writes ``<out>/batch-summary.json``, and a rerun redoes only what is missing
or changed (up-to-date reports and cached chapters are not run again).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from lagesbild_lib import paths
from lagesbild_lib.errors import ConfigError, LagesbildError, plural


@dataclass
class RunOutcome:
    """How one (year, area) run went."""

    year: int
    area: str
    status: str  # "ok" | "up-to-date" | "failed"
    seconds: float
    report: str = ""
    error: str = ""


@dataclass(frozen=True)
class BatchRequest:
    """What to build in a batch (the ``lagesbild batch`` options)."""

    years: tuple[int, ...]
    areas: str = "all"  # "all" or a comma-separated list of area ids
    data_dir: Path | None = None
    out_dir: Path | None = None
    use_cache: bool = True
    workers: int = 0
    scheduler: str | None = None


def batch_targets(request: BatchRequest):
    """The data set (validated whole, once for the batch) and the areas to build; every year and
    area checked against the data before anything runs.

    Raises
    ------
    ConfigError, DataError
        Bad data, an unknown area or a year without crime data (exit code 2).
    """
    from lagesbild_lib.context import check_available
    from lagesbild_lib.data.dataset import DataSet
    from lagesbild_lib.demo.store import resolve_data_dir

    data = DataSet(resolve_data_dir(request.data_dir))  # the demo data are generated once, here, if missing
    data.validate_all()
    if request.areas.strip() == "all":
        areas = data.areas.report_areas()
    else:
        areas = [a.strip() for a in request.areas.split(",") if a.strip()]
        if not areas:
            raise ConfigError("--areas behöver 'all' eller en kommaavgränsad lista med områdes-id")
    check_available(data, list(request.years), areas)
    return data, areas


def build_one(year: int, area: str, data_dir: str | None, out_dir: str, use_cache: bool, runner=None) -> RunOutcome:
    """Build one report and say how it went (never raises for a failed report)."""
    from lagesbild_lib.pipeline.build import BuildRequest, build_report

    start = time.perf_counter()
    request = BuildRequest(year=year, area=area, data_dir=Path(data_dir) if data_dir else None, out_dir=Path(out_dir), use_cache=use_cache, workers=1)
    try:
        result = build_report(request, runner=runner)
    except LagesbildError as exc:
        return RunOutcome(year, area, "failed", round(time.perf_counter() - start, 1), error=str(exc))
    status = "up-to-date" if result.up_to_date else "ok"
    return RunOutcome(year, area, status, round(time.perf_counter() - start, 1), str(result.html))


def run_batch(request: BatchRequest) -> int:
    """Build every (year, area) and summarise; exit code 1 when any run failed."""
    from lagesbild_lib.pipeline.executor import default_workers

    data, areas = batch_targets(request)
    data_dir = data.data_dir
    out = paths.out_root(request.out_dir)
    runs = [(year, area) for year in request.years for area in areas]
    workers = request.workers or default_workers()
    print(f"Batch: {plural(len(runs), 'rapport', 'rapporter')} ({len(request.years)} år × {plural(len(areas), 'område', 'områden')}) till {out}",
          file=sys.stderr, flush=True)
    outcomes: list[RunOutcome] = []  # filled as runs end, so Ctrl-C can still summarise them
    schedule: dict = {}  # where a local batch's time went
    try:
        if request.scheduler:
            _run_on_dask(request.scheduler, runs, str(data_dir), str(out), request.use_cache, outcomes)
        else:
            _run_here(runs, str(data_dir), str(out), request.use_cache, workers, outcomes, schedule)
    except KeyboardInterrupt:
        _summarise(outcomes, runs, out)  # what was built, and (under "missing") what was not
        raise
    return _summarise(outcomes, runs, out, schedule)


def _progress(total: int):
    from tqdm import tqdm

    # tqdm's own rate and time left are in English; ours (set by _note) are in Swedish
    return tqdm(total=total, unit="rapport", file=sys.stderr, dynamic_ncols=True, disable=None,
                bar_format="{desc}{percentage:3.0f}% |{bar}| {n_fmt}/{total_fmt} rapporter {postfix}")


def progress_text(done: int, failed: int, total: int, elapsed: float, current: str = "") -> str:
    """The progress line after ``done`` of ``total`` reports in ``elapsed`` seconds (Swedish):
    how many built and failed, the rate so far and the time left at that rate."""
    from lagesbild_lib.present.fmt import fmt_num

    parts = [f"klara {done - failed}, misslyckade {failed}"]
    if done and elapsed > 0:
        per_minute = done / elapsed * 60
        left = (total - done) * elapsed / done
        parts.append(f"{fmt_num(per_minute, 1)} rapporter/min")
        parts.append(f"cirka {_duration(left)} kvar" if total > done else "klart")
    if current:
        parts.append(f"senast {current}")
    return ", ".join(parts)


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"


def _note(bar, outcomes: list[RunOutcome], current: str = "", started: float | None = None) -> None:
    built = [o for o in outcomes if o.status != "up-to-date"]
    failed = sum(o.status == "failed" for o in built)
    elapsed = time.perf_counter() - started if started is not None else 0.0
    bar.set_postfix_str(progress_text(len(built), failed, bar.total, elapsed, current))


def _already_built(runs, data_dir: str, out: str, use_cache: bool) -> tuple[list[RunOutcome], list]:
    """Split off the runs whose report is up to date (no kernel is needed for them)."""
    from lagesbild_lib.pipeline.build import BuildRequest, up_to_date

    done, todo = [], []
    for year, area in runs:
        current = up_to_date(BuildRequest(year=year, area=area, data_dir=Path(data_dir), out_dir=Path(out), use_cache=use_cache))
        if current is not None:
            done.append(RunOutcome(year, area, "up-to-date", round(current.seconds, 1), str(current.html)))
        else:
            todo.append((year, area))
    return done, todo


def _run_here(runs, data_dir: str, out: str, use_cache: bool, workers: int, outcomes: list[RunOutcome], schedule: dict | None = None) -> list[RunOutcome]:
    """Build on this machine through the :class:`~lagesbild_lib.pipeline.schedule.Scheduler`;
    ``schedule`` receives where the time went (:meth:`EventLog.breakdown`)."""
    from lagesbild_lib.pipeline.executor import ChapterRunner
    from lagesbild_lib.pipeline.schedule import Scheduler, process_tree_cpu

    done, runs = _already_built(runs, data_dir, out, use_cache)
    outcomes.extend(done)
    if not runs:
        return outcomes
    with ChapterRunner(workers, paths.notebooks_dir()) as runner, _progress(len(runs)) as bar:
        scheduler = Scheduler(runner, workers)
        cpu0, started = process_tree_cpu(), time.perf_counter()
        runner.prestart(workers)

        def ended(outcome: RunOutcome) -> None:
            outcomes.append(outcome)
            if outcome.status == "failed":
                bar.write(f"  misslyckades: {outcome.area} {outcome.year}: {outcome.error}", file=sys.stderr)
            bar.update(1)
            _note(bar, outcomes, f"{outcome.area} {outcome.year}", started)

        try:
            scheduler.run(runs, lambda y, a, report_runner: build_one(y, a, data_dir, out, use_cache, report_runner), ended)
        except KeyboardInterrupt:
            bar.write("Avbryter: inga fler rapporter startas; påbörjade rapporter tas bort, färdiga ligger kvar.", file=sys.stderr)
            raise
        if schedule is not None:
            (own, kernels), (own0, kernels0) = process_tree_cpu(), cpu0
            schedule.update(scheduler.log.breakdown(cpu_seconds=own + kernels - own0 - kernels0, cpu_batch=own - own0))
    return outcomes


def remote_build(year: int, area: str, data_dir: str, out: str, use_cache: bool) -> dict:
    """The task a Dask worker runs: one report on the worker's warm kernels, its outcome as a dict."""
    return asdict(build_one(year, area, data_dir, out, use_cache, _worker_runner()))


_WORKER_RUNNERS: dict = {}
_WORKER_LOCK = threading.Lock()


def _worker_runner():
    """The warm kernels of this Dask worker process (one per worker thread), started by its first
    task and reused by every later one, so a worker pays the imports once, not once per report.

    They live as long as the worker: shut down when it exits, and a kernel whose worker is killed
    ends by itself (ipykernel exits when its parent process is gone).
    """
    import atexit

    from lagesbild_lib.pipeline.executor import ChapterRunner

    cwd = paths.notebooks_dir()
    with _WORKER_LOCK:
        runner = _WORKER_RUNNERS.get(cwd)
        if runner is None:
            try:
                from distributed import get_worker

                threads = get_worker().state.nthreads
            except (ImportError, ValueError, AttributeError):  # not on a Dask worker: one kernel
                threads = 1
            runner = _WORKER_RUNNERS[cwd] = ChapterRunner(threads, cwd)
            atexit.register(runner.close)
    return runner


def _run_on_dask(address: str, runs, data_dir: str, out: str, use_cache: bool, outcomes: list[RunOutcome]) -> list[RunOutcome]:
    try:
        from distributed import Client, as_completed as dask_completed
    except ImportError:
        raise ConfigError("--scheduler behöver Dask-paketet distributed: pip install -e '.[cluster]'") from None
    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise ConfigError(f"når inte Dask-schemaläggaren på {address} ({exc}); kontrollera adressen och att den körs") from None
    with client, _progress(len(runs)) as bar:
        started = time.perf_counter()
        futures = {client.submit(remote_build, y, a, data_dir, out, use_cache, pure=False, key=f"lagesbild-{a}-{y}-{time.time_ns()}"): (y, a) for y, a in runs}
        for future in dask_completed(futures):
            year, area = futures[future]
            try:
                outcome = RunOutcome(**future.result())
            except Exception as exc:  # a worker that died or was killed mid-run: the run failed, the rest go on
                outcome = RunOutcome(year, area, "failed", 0.0, error=f"körningen avbröts på Dask-arbetaren ({type(exc).__name__}: {exc})")
            outcomes.append(outcome)
            if outcome.status == "failed":
                bar.write(f"  misslyckades: {area} {year}: {outcome.error}", file=sys.stderr)
            bar.update(1)
            _note(bar, outcomes, f"{area} {year}", started)
    return outcomes


def _summarise(outcomes: list[RunOutcome], runs, out: Path, schedule: dict | None = None) -> int:
    order = {run: i for i, run in enumerate(runs)}
    outcomes = sorted(outcomes, key=lambda o: order.get((o.year, o.area), 0))
    failed = [o for o in outcomes if o.status == "failed"]
    summary = {
        "runs": [asdict(o) for o in outcomes],
        "ok": sum(o.status == "ok" for o in outcomes),
        "up_to_date": sum(o.status == "up-to-date" for o in outcomes),
        "failed": len(failed),
        "missing": [f"{a} {y}" for y, a in runs if (y, a) not in {(o.year, o.area) for o in outcomes}],
    }
    if schedule:
        summary["schedule"] = schedule  # seconds: wall, kernel_start, chapters, stitch, prepare, cpu, idle_core_seconds
    out.mkdir(parents=True, exist_ok=True)
    (out / "batch-summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    labels = {"ok": "byggd", "up-to-date": "aktuell", "failed": "FEL"}
    print(f"\n{'År':<6}{'Område':<26}{'Status':<10}{'Sekunder':>9}")
    for o in outcomes:
        print(f"{o.year:<6}{o.area:<26}{labels[o.status]:<10}{o.seconds:>9.1f}")
    print(
        f"\n{plural(summary['ok'], 'byggd', 'byggda')}, {plural(summary['up_to_date'], 'redan aktuell', 'redan aktuella')}, "
        f"{plural(summary['failed'], 'misslyckad', 'misslyckade')}. "
        f"Sammanfattning: {out / 'batch-summary.json'}"
    )
    return 0 if not failed else 1
