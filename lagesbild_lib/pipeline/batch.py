"""``lagesbild batch``: one report per (year, area); a failed run never stops the others.

On one machine the runs share one pool of warm kernels (:class:`~lagesbild_lib.pipeline.executor.ChapterRunner`),
and as many reports are in progress as there are workers, so one report's stitching overlaps
another's chapters. With ``--scheduler tcp://HOST:PORT`` each run is a task on a Dask
distributed cluster. Either way a progress bar shows runs done and failed, the end prints a
summary table and writes ``<out>/batch-summary.json``, and a rerun redoes only what is missing
or changed (up-to-date reports and cached chapters are not run again).
"""

from __future__ import annotations

import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
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
    try:
        if request.scheduler:
            _run_on_dask(request.scheduler, runs, str(data_dir), str(out), request.use_cache, outcomes)
        else:
            _run_here(runs, str(data_dir), str(out), request.use_cache, workers, outcomes)
    except KeyboardInterrupt:
        _summarise(outcomes, runs, out)  # what was built, and (under "missing") what was not
        raise
    return _summarise(outcomes, runs, out)


def _progress(total: int):
    from tqdm import tqdm

    return tqdm(total=total, unit="rapport", file=sys.stderr, dynamic_ncols=True, disable=None)


def _note(bar, outcomes: list[RunOutcome], current: str = "") -> None:
    failed = sum(o.status == "failed" for o in outcomes)
    bar.set_postfix_str(f"klara {len(outcomes) - failed}, misslyckade {failed}" + (f", senast {current}" if current else ""))


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


def _run_here(runs, data_dir: str, out: str, use_cache: bool, workers: int, outcomes: list[RunOutcome]) -> list[RunOutcome]:
    from lagesbild_lib.pipeline.executor import ChapterRunner

    done, runs = _already_built(runs, data_dir, out, use_cache)
    outcomes.extend(done)
    if not runs:
        return outcomes
    with ChapterRunner(workers, paths.notebooks_dir()) as runner, _progress(len(runs)) as bar:
        runner.prestart(workers)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="lagesbild-report") as pool:
            futures = {pool.submit(build_one, y, a, data_dir, out, use_cache, runner): (y, a) for y, a in runs}
            try:
                for future in as_completed(futures):
                    outcome = future.result()
                    outcomes.append(outcome)
                    if outcome.status == "failed":
                        bar.write(f"  misslyckades: {outcome.area} {outcome.year}: {outcome.error}", file=sys.stderr)
                    bar.update(1)
                    _note(bar, outcomes, f"{outcome.area} {outcome.year}")
            except KeyboardInterrupt:
                bar.write("Avbryter: inga fler rapporter startas; påbörjade rapporter tas bort, färdiga ligger kvar.", file=sys.stderr)
                for future in futures:
                    future.cancel()
                runner.stop()
                raise
    return outcomes


def remote_build(year: int, area: str, data_dir: str, out: str, use_cache: bool) -> dict:
    """The task a Dask worker runs: one report with its own kernel, its outcome as a dict."""
    return asdict(build_one(year, area, data_dir, out, use_cache))


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
            _note(bar, outcomes, f"{area} {year}")
    return outcomes


def _summarise(outcomes: list[RunOutcome], runs, out: Path) -> int:
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
