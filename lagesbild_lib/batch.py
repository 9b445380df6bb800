"""``lagesbild batch``: one report per (year, area); a failed run never stops the others.

On one machine the runs share one pool of warm kernels (:class:`~lagesbild_lib.executor.ChapterRunner`),
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

from . import paths
from .errors import ConfigError, LagesbildError


@dataclass
class RunOutcome:
    """How one (year, area) run went."""

    year: int
    area: str
    status: str  # "ok" | "up-to-date" | "failed"
    seconds: float
    report: str = ""
    error: str = ""


def resolve_areas(spec: str, data_dir: Path | None) -> list[str]:
    """``all`` (every usual report area of the registry) or a comma-separated list of area ids.

    The data are validated whole here, once for the batch: bad data stop it before anything runs.
    """
    from .context import resolve_data_dir
    from .data.dataset import DataSet

    data = DataSet(resolve_data_dir(data_dir))
    data.validate_all()
    registry = data.areas
    if spec.strip() == "all":
        return registry.report_areas()
    areas = [a.strip() for a in spec.split(",") if a.strip()]
    if not areas:
        raise ConfigError("--areas needs 'all' or a comma-separated list of area ids")
    for area in areas:
        registry.get(area)
    return areas


def check_years(years: list[int], data_dir: Path) -> None:
    """Refuse years without crime data before anything runs, listing the years there are."""
    from .data.dataset import DataSet

    available = DataSet(data_dir).crime_years
    missing = [y for y in years if y not in available]
    if missing:
        raise ConfigError(
            f"no crime data for {', '.join(map(str, missing))} in {data_dir}; available years: {available[0]}–{available[-1]}"
            if available else f"no crime data at all in {data_dir}"
        )


def build_one(year: int, area: str, data_dir: str | None, out_dir: str, use_cache: bool, runner=None) -> RunOutcome:
    """Build one report and say how it went (never raises for a failed report)."""
    from .build import BuildRequest, build_report

    start = time.perf_counter()
    request = BuildRequest(year=year, area=area, data_dir=Path(data_dir) if data_dir else None, out_dir=Path(out_dir), use_cache=use_cache, workers=1)
    try:
        result = build_report(request, runner=runner)
    except LagesbildError as exc:
        return RunOutcome(year, area, "failed", round(time.perf_counter() - start, 1), error=str(exc))
    status = "up-to-date" if result.up_to_date else "ok"
    return RunOutcome(year, area, status, round(time.perf_counter() - start, 1), str(result.html))


def run_batch(args) -> int:
    """Build every (year, area) and summarise; exit code 1 when any run failed."""
    from .context import resolve_data_dir
    from .executor import default_workers

    data_dir = resolve_data_dir(args.data)  # the demo data are generated once, here, if missing
    areas = resolve_areas(args.areas, data_dir)
    check_years(args.years, data_dir)
    out = paths.out_root(args.out)
    runs = [(year, area) for year in args.years for area in areas]
    workers = args.workers or default_workers()
    print(f"Batch: {len(runs)} rapporter ({len(args.years)} år × {len(areas)} områden) till {out}", file=sys.stderr, flush=True)
    outcomes: list[RunOutcome] = []  # filled as runs end, so Ctrl-C can still summarise them
    try:
        if args.scheduler:
            _run_on_dask(args.scheduler, runs, str(data_dir), str(out), not args.no_cache, outcomes)
        else:
            _run_here(runs, str(data_dir), str(out), not args.no_cache, workers, outcomes)
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
    from .build import BuildRequest, up_to_date

    done, todo = [], []
    for year, area in runs:
        current = up_to_date(BuildRequest(year=year, area=area, data_dir=Path(data_dir), out_dir=Path(out), use_cache=use_cache))
        if current is not None:
            done.append(RunOutcome(year, area, "up-to-date", round(current.seconds, 1), str(current.html)))
        else:
            todo.append((year, area))
    return done, todo


def _run_here(runs, data_dir: str, out: str, use_cache: bool, workers: int, outcomes: list[RunOutcome]) -> list[RunOutcome]:
    from .executor import ChapterRunner

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
        raise ConfigError("--scheduler needs the Dask distributed package: pip install -e '.[cluster]'") from None
    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise ConfigError(f"cannot reach the Dask scheduler at {address} ({exc}); check the address and that it runs") from None
    with client, _progress(len(runs)) as bar:
        futures = {client.submit(remote_build, y, a, data_dir, out, use_cache, pure=False, key=f"lagesbild-{a}-{y}-{time.time_ns()}"): (y, a) for y, a in runs}
        for future in dask_completed(futures):
            year, area = futures[future]
            try:
                outcome = RunOutcome(**future.result())
            except Exception as exc:  # a worker that died or was killed mid-run: the run failed, the rest go on
                outcome = RunOutcome(year, area, "failed", 0.0, error=f"{type(exc).__name__}: {exc}")
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
        f"\n{summary['ok']} byggda, {summary['up_to_date']} redan aktuella, {summary['failed']} misslyckade. "
        f"Sammanfattning: {out / 'batch-summary.json'}"
    )
    return 0 if not failed else 1
