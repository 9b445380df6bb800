"""The national run of ``bench/run.py --national-batch K``: K kommun reports for one year from one
generated national data set (:mod:`lagesbild_lib.demo.national`: crime counts, population and
indicators for all 290 kommuner), against the lean floor, with the projection to all 290 on this
machine and on a Dask cluster of 8 workers.

How the projections are made (printed with them):

- **2 cores (this machine)**: the batch's measured wall time per report × 290. A batch has a fixed
  start (kernels warming) that a longer batch spreads thinner, so this errs on the slow side.
- **Dask, 8 workers**: the same reports are run on a ``distributed.LocalCluster`` of two worker
  processes (one thread each) on this machine, one task per report on the worker's warm kernel.
  The projection is ``ceil(290 / 8)`` rounds × the median task time measured there, plus the
  cluster's measured overhead per task (the wall time that the tasks' own times, handed to the
  two workers in order, do not explain) — i.e. it assumes 8 workers, each with one core as fast as one here,
  reading the data from a shared disk as fast as here. Every worker process here had one of the two
  cores to itself, as each of the 8 would; network and shared-disk costs are not included.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
GENERATE = "import sys; from lagesbild_lib.demo.national import write_national_data; write_national_data(sys.argv[1], int(sys.argv[2]))"
ALL = 290


def national_batch(work: Path, chapters: list[Path], args, *, timed, floor, median_of, line) -> None:
    from lagesbild_lib.demo.national import report_kommuner

    k = ALL if str(args.national_batch).strip().lower() == "all" else int(args.national_batch)
    year = args.year
    data, cache, out = work / "national-data", work / "cache-national", work / "national-out"
    env = {"LAGESBILD_CACHE": str(cache)}
    seconds, _ = timed([sys.executable, "-c", GENERATE, str(data), str(year)])
    areas = report_kommuner(k)
    print()
    line(f"national data: 290 kommuner, {year - 4}–{year} (generated)", f"{seconds:6.1f} s")
    checked, _ = timed([str(BIN / "lagesbild"), "check", "--data", str(data), "--year", str(year), "--area", areas[0]], env=env)
    line("  validated whole once (lagesbild check)", f"{checked:6.1f} s")

    sample = areas[:: max(1, len(areas) // 3)][:3]  # big and small kommuner: spread over the list
    floors = [median_of(args.runs, lambda i, a=a: floor(chapters, year, a, data, cache))[0] for a in sample]
    fl = statistics.median(floors)
    line(f"  lean floor per report (median over {len(sample)} kommuner)", f"{fl:6.1f} s")

    batch = ["batch", "--years", str(year), "--areas", ",".join(areas), "--data", str(data), "--out", str(out)]
    wall, peak = timed([str(BIN / "lagesbild"), *batch, "--no-cache"], env=env)
    summary = json.loads((out / "batch-summary.json").read_text(encoding="utf-8"))
    per = wall / k
    line(f"national batch of {k} kommun reports", f"{wall:6.1f} s  {summary['ok']} ok, {summary['failed']} failed")
    line("  time per report against the floor", f"{per:6.2f} s  {per / fl:4.2f}×", "target ≤ 0.55× floor", per / fl <= 0.55)
    line("  peak memory of any process (batch process or kernel)", f"{peak:5d} MB")
    schedule = summary.get("schedule", {})
    if schedule:
        line("  idle core-seconds / kernel start / stitch", f"{schedule['idle_core_seconds']:.0f} / {schedule['kernel_start']:.0f} / {schedule['stitch']:.0f} s")
    again, _ = timed([str(BIN / "lagesbild"), *batch], env=env)
    redone = json.loads((out / "batch-summary.json").read_text(encoding="utf-8"))
    line("  rerun (resumes: builds only what is missing or changed)", f"{again:6.1f} s  {redone['up_to_date']} up to date")
    line("projected: all 290 kommuner on this machine", _hours(per * ALL), f"(measured {per:.2f} s per report × 290)")

    dask_projection(work, data, areas[: min(k, 8)], year, env, line)
    shutil.rmtree(out, ignore_errors=True)


def dask_projection(work: Path, data: Path, areas: list[str], year: int, env: dict, line) -> None:
    """Run ``areas`` on a LocalCluster of two single-threaded workers and project 290 reports on 8 workers."""
    try:
        from distributed import LocalCluster
    except ImportError:
        line("projected: Dask cluster of 8 workers", "skipped", "(pip install -e '.[cluster]')")
        return
    out = work / "national-dask"
    os.environ.update(env)  # the workers are processes of this one: the same (validated) cache
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        start = time.perf_counter()
        cmd = [str(BIN / "lagesbild"), "batch", "--years", str(year), "--areas", ",".join(areas), "--data", str(data),
               "--out", str(out), "--no-cache", "--scheduler", cluster.scheduler_address]
        subprocess.run(cmd, check=True, capture_output=True, env={**os.environ, **env})
        wall = time.perf_counter() - start
    runs = json.loads((out / "batch-summary.json").read_text(encoding="utf-8"))["runs"]
    tasks = [r["seconds"] for r in runs if r["status"] == "ok"]
    if not tasks:
        line("projected: Dask cluster of 8 workers", "no task succeeded")
        return
    task = statistics.median(tasks)
    overhead = max(0.0, wall - _makespan(tasks, 2)) / len(tasks)  # what the two workers' own task times do not explain
    line(f"  Dask LocalCluster, 2 workers × 1 thread: {len(areas)} reports", f"{wall:6.1f} s", f"(task median {task:.1f} s, overhead {overhead:.2f} s per task)")
    projected = math.ceil(ALL / 8) * (task + overhead)
    line("projected: all 290 on a Dask cluster of 8 workers", _hours(projected),
         f"(ceil(290/8) = {math.ceil(ALL / 8)} rounds × ({task:.1f} + {overhead:.2f}) s; 8 workers with one core each as fast as here)")
    shutil.rmtree(out, ignore_errors=True)


def _makespan(tasks: list[float], workers: int) -> float:
    """The wall time of ``tasks`` run in order, each on the worker free first (as Dask hands them out)."""
    free = [0.0] * workers
    for seconds in tasks:
        free[free.index(min(free))] += seconds
    return max(free)


def _hours(seconds: float) -> str:
    minutes = seconds / 60
    return f"{minutes:6.1f} min" if minutes < 120 else f"{minutes / 60:6.1f} h"
