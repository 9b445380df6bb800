"""Benchmark of lagesbild builds, measured side by side in one run (issues 7 and 20).

    .venv/bin/python bench/run.py                # all figures, median of 3 runs each
    .venv/bin/python bench/run.py --runs 1 --batch-areas 4 --skip-naive   # a quick look
    .venv/bin/python bench/run.py --national     # also the 15-million-row crimes table
    .venv/bin/python bench/run.py --national-batch 30   # K kommun reports from national data (all: 290)

Every figure is the median of ``--runs`` runs, each in a fresh process with its own output
folder. It prints each figure beside its target. Not part of the tests: wall-clock times on a
shared machine are noisy, ratios measured in one run are what it reports.

The floor is lean: each chapter's code cells run as one plain Python script — the notebook read
with ``json`` (no ``nbformat`` import, no validation), the build's parameters injected after the
``parameters`` cell as papermill does, figures rendered to PNG by the same ``show`` calls as in
the kernel. Every target is stated against it. The chapters are those found in ``notebooks/``
when the bench starts (copied into a private project folder, so an edit made meanwhile in the
checkout does not change the run, and the one-chapter edit never touches the checkout). As a plain
script the floor reads each chapter's tables from disk; the build's warm kernels keep loaded
tables from chapter to chapter and report to report (``lagesbild_lib.data.memo``), and the batch
section also shows one area's floor with that memo on, and the batch against such floors.

Like for like: the floor and the cold build both find the data already validated (the
validation result is cached per file version, as after any earlier build or ``lagesbild check``
of the same files); the cold build's ``--no-cache`` turns off the chapter cache. One more line
shows a build with an empty cache folder, where the data are validated too.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
#: extra environment of every command (the private project folder, see private_project)
ENV: dict[str, str] = {}


#: Runs a command and prints the peak RSS (KiB) of the largest process in its tree that was waited
#: for (kernels included: the build waits for them). A wrapper per command, because a process's
#: RUSAGE_CHILDREN keeps the maximum over every child it ever had.
#: A failing command's last lines of stderr are passed on, so the bench says why it stopped.
#: It prints the CPU seconds (user + system) of the whole tree too.
PEAK = "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True); u = resource.getrusage(resource.RUSAGE_CHILDREN); print(u.ru_utime + u.ru_stime, u.ru_maxrss); r.returncode and sys.stderr.write(''.join(r.stderr.splitlines(True)[-15:])); sys.exit(r.returncode)"
#: CPU seconds of every command run by :func:`timed`, in order: on a machine shared with other work
#: the wall-clock figures swell, CPU seconds much less (printed beside the batch figure)
CPU: list[float] = []


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (MB) of the largest process of this one command."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK, *cmd], env={**os.environ, **ENV, **(env or {})}, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode:
        sys.exit(f"bench: {' '.join(cmd[:2])} … failed (exit {done.returncode}):\n{done.stderr}")
    cpu, rss = done.stdout.split()[-2:]
    CPU.append(float(cpu))
    return seconds, int(rss) // 1024


def median_of(runs: int, fn) -> tuple[float, int]:
    results = [fn(i) for i in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


# ------------------------------------------------------------------------------ floor
FLOOR_CODE = r"""
import json, sys
year, area, data_dir = int(sys.argv[1]), sys.argv[2], sys.argv[3]
for path in sys.argv[4:]:
    with open(path, encoding="utf-8") as fh:
        cells = json.load(fh)["cells"]
    namespace = {"__name__": "__chapter__"}
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        exec(compile(source, path, "exec"), namespace)
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            namespace.update(year=year, area=area, data_dir=data_dir, params_file="")  # papermill's injected cell
"""


def floor(chapters: list[Path], year: int, area: str, data: Path, cache: Path, memo: bool = False) -> tuple[float, int]:
    """All chapter code of one report in one plain Python process (figures rendered to PNG by show()).

    As any plain script, it reads each chapter's tables from disk; ``memo`` turns on the memo of
    loaded tables that the build's warm kernels keep from chapter to chapter (the figure beside it).
    """
    env = {"LAGESBILD_CACHE": str(cache), "MPLBACKEND": "Agg", "LAGESBILD_TABLE_MEMO": "1" if memo else "0"}
    return timed([sys.executable, "-c", FLOOR_CODE, str(year), area, str(data), *map(str, chapters)], env=env)


KERNEL_START = r"""
import sys, time
from lagesbild_lib.pipeline.kernels import WarmKernel
start = time.perf_counter()
kernel = WarmKernel(sys.argv[1])
print(time.perf_counter() - start)
kernel.shutdown()
"""


def kernel_start(project: Path) -> float:
    """Seconds to start one kernel and warm it (the imports every chapter needs), as a build does."""
    done = subprocess.run([sys.executable, "-c", KERNEL_START, str(project / "notebooks")], check=True, capture_output=True, text=True, env=ENV)
    return float(done.stdout.split()[-1])


def private_project(work: Path) -> Path:
    """The chapters and params as they are now, in a folder of the bench's own (``LAGESBILD_PROJECT``)."""
    project = work / "project"
    shutil.copytree(ROOT / "notebooks", project / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(ROOT / "params", project / "params")
    ENV["LAGESBILD_PROJECT"] = os.environ["LAGESBILD_PROJECT"] = str(project)  # Dask workers started here too
    return project


# ------------------------------------------------------------------------------ builds
def lagesbild(*args: str, cache: Path) -> tuple[float, int]:
    return timed([str(BIN / "lagesbild"), *args], env={"LAGESBILD_CACHE": str(cache)})


def naive(chapters: list[Path], year: int, area: str, data: Path, out: Path) -> tuple[float, int]:
    """The naive loop: papermill's CLI per chapter, then `jupyter nbconvert` per chapter."""
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    peak = 0
    for nb in chapters:
        executed = out / f"{area}-{nb.name}"
        s, p = timed([str(BIN / "papermill"), str(nb), str(executed), "-p", "year", str(year), "-p", "area", area, "-p", "data_dir", str(data), "--no-progress-bar"])
        peak = max(peak, p)
        s, p = timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)])
        peak = max(peak, p)
    return time.perf_counter() - start, peak


def report_areas(data: Path) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from lagesbild_lib.data.dataset import DataSet

    return DataSet(data).areas.report_areas()


def line(name: str, value: str, target: str = "", ok: bool | None = None) -> None:
    mark = "" if ok is None else ("  ok" if ok else "  MISSED")
    print(f"{name:<52} {value:>22}   {target}{mark}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--year", type=int, default=2023)
    ap.add_argument("--area", default="hasselby-vallingby")
    ap.add_argument("--chapter", default="02_brottslighet", help="the chapter edited in the one-chapter figure")
    ap.add_argument("--batch-areas", type=int, default=0, help="areas in the batch figure (default all)")
    ap.add_argument("--skip-naive", action="store_true", help="skip the (slow) naive papermill+nbconvert loop")
    ap.add_argument("--national", action="store_true", help="also build on a generated 15-million-row crimes table")
    ap.add_argument("--national-batch", metavar="K", nargs="?", const="30", help="also build K kommun reports (default 30; 'all': 290) from generated national data")
    ap.add_argument("--only-national-batch", action="store_true", help="only the national batch (with --national-batch)")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="lagesbild-bench-"))
    project = private_project(work)
    chapters = sorted((project / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    print(f"lagesbild benchmark: {args.area} {args.year}, {len(chapters)} chapters, median of {args.runs} runs, {os.cpu_count()} cores\n")
    try:
        if not args.only_national_batch:
            demo_figures(work, project, chapters, args)
        if args.national_batch:
            from national_batch import national_batch

            national_batch(work, chapters, args, timed=timed, floor=floor, median_of=median_of, line=line)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def demo_figures(work: Path, project: Path, chapters: list[Path], args) -> None:
    data = work / "demo"
    subprocess.run([str(BIN / "lagesbild"), "demo-data", "--out", str(data)], check=True, stdout=subprocess.DEVNULL)
    build = ["build", "--year", str(args.year), "--area", args.area, "--data", str(data)]
    validated = work / "cache-validated"  # the data validated once, as by any earlier build or check
    subprocess.run([str(BIN / "lagesbild"), "check", "--data", str(data)], check=True, stdout=subprocess.DEVNULL, env={**os.environ, **ENV, "LAGESBILD_CACHE": str(validated)})

    def cold_build(i: int, cache: Path) -> tuple[float, int]:
        shutil.rmtree(work / "cold", ignore_errors=True)
        return lagesbild(*build, "--no-cache", "--out", str(work / "cold"), cache=cache)

    # floor and cold build alternate, so a slow spell on the machine hits both alike
    pairs = [(floor(chapters, args.year, args.area, data, validated), cold_build(i, validated)) for i in range(args.runs)]
    fl, fl_mem = statistics.median(p[0][0] for p in pairs), max(p[0][1] for p in pairs)
    cold, cold_mem = statistics.median(p[1][0] for p in pairs), max(p[1][1] for p in pairs)
    line("lean floor (chapter code as plain scripts, one process)", f"{fl:6.1f} s  {fl_mem:5d} MB")
    line("cold build (--no-cache, fresh process)", f"{cold:6.1f} s  {cold / fl:4.2f}×", "target ≤ 1.30× floor", cold / fl <= 1.3)
    line("  peak memory of any process (kernel or build)", f"{cold_mem:5d} MB")
    empty, _ = median_of(args.runs, lambda i: cold_build(i, work / f"cache-empty{i}"))
    line("  the same with an empty cache folder (data validated too)", f"{empty:6.1f} s  {empty / fl:4.2f}×")

    warm_out, warm_cache = work / "warm", work / "cache-warm"
    lagesbild(*build, "--out", str(warm_out), cache=warm_cache)
    same, _ = median_of(args.runs, lambda i: lagesbild(*build, "--out", str(warm_out), cache=warm_cache))
    line("no-change rebuild (whole process)", f"{same:6.2f} s", "target ≤ 1.0 s", same <= 1.0)

    chapter = project / "notebooks" / f"{args.chapter.removesuffix('.ipynb')}.ipynb"
    pairs = [(floor([chapter], args.year, args.area, data, validated)[0], kernel_start(project)) for _ in range(args.runs)]
    ch_floor, k_start = statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)
    original = chapter.read_text(encoding="utf-8")

    def edited(i: int):
        nb = json.loads(original)
        source = nb["cells"][0]["source"]
        nb["cells"][0]["source"] = (source if isinstance(source, str) else "".join(source)) + f"\n<!-- bench edit {i} {time.time_ns()} -->"
        chapter.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        try:
            return lagesbild(*build, "--out", str(warm_out), cache=warm_cache)
        finally:
            chapter.write_text(original, encoding="utf-8")

    one, _ = median_of(args.runs, edited)
    target = 1.3 * ch_floor + k_start
    line(f"  floor of {chapter.stem} / one kernel start", f"{ch_floor:4.1f} s / {k_start:4.1f} s")
    line(f"one chapter edited ({chapter.stem}), rebuild", f"{one:6.1f} s  {one / target:4.2f}×",
         f"target ≤ 1.3 × its floor + a kernel start ({target:.1f} s)", one <= target)

    areas = report_areas(data)
    if args.batch_areas:
        areas = areas[: args.batch_areas]
    n = len(areas)
    floors, floor_cpu = [], []
    for a in areas:
        start = len(CPU)
        floors.append(median_of(args.runs, lambda i, a=a: floor(chapters, args.year, a, data, validated))[0])
        floor_cpu.append(statistics.median(CPU[start:]))
    batch_args = ["batch", "--years", str(args.year), "--areas", ",".join(areas), "--data", str(data)]
    runs = []

    def one_batch(i: int) -> tuple[float, int]:
        result = lagesbild(*batch_args, "--no-cache", "--out", str(work / f"batch{i}"), cache=validated)
        schedule = json.loads((work / f"batch{i}" / "batch-summary.json").read_text(encoding="utf-8")).get("schedule", {})
        runs.append((result[0], {**schedule, "cpu_tree": CPU[-1]}))  # CPU of the batch and its kernels, as for a floor
        return result

    bt, bt_mem = median_of(args.runs, one_batch)
    line(f"batch of {n} reports (--no-cache)", f"{bt:6.1f} s  {bt / sum(floors):4.2f}×", f"target ≤ 0.55 × N × floor ({sum(floors):.0f} s)", bt / sum(floors) <= 0.55)
    line("  peak memory of any process (per worker)", f"{bt_mem:5d} MB")
    median_run = min(runs, key=lambda r: abs(r[0] - bt))[1]
    schedule_lines(median_run)
    line("  CPU seconds: batch (with its kernels) / the N floors", f"{median_run['cpu_tree']:5.1f} / {sum(floor_cpu):5.1f} s",
         f"{median_run['cpu_tree'] / sum(floor_cpu):4.2f}× (÷ cores: the wall ratio with no core idle)")
    # What the kernels' memo of loaded tables gives one report on its own, shown beside the floor
    # (which, as a plain script, reads every chapter's tables from disk)
    memo_fl, _ = median_of(args.runs, lambda i: floor(chapters, args.year, areas[0], data, validated, memo=True))
    line(f"  floor of {areas[0]} / the same with the table memo on", f"{floors[0]:4.1f} s / {memo_fl:4.1f} s",
         f"batch with memo-on floors: {bt / (sum(floors) * memo_fl / floors[0]):4.2f}× N × floor")
    if not args.skip_naive:
        # the loop's cost is linear in reports: the median of one report (a different area each
        # run) times N
        nv, _ = median_of(args.runs, lambda i: naive(chapters, args.year, areas[i % n], data, work / f"naive{i}"))
        naive_all = nv * n
        line(f"naive loop (papermill CLI + nbconvert per chapter) ×{n}", f"{naive_all:6.0f} s  {naive_all / bt:4.1f}× slower", "target ≥ 5×", naive_all / bt >= 5)

    if args.national:
        national(work, data, args, cold)


def schedule_lines(schedule: dict) -> None:
    """Where a batch's time went (its batch-summary.json), in core-seconds."""
    if not schedule:
        return
    line("  where the time went (core-seconds of the median run)", f"{schedule['wall']:6.1f} s × {schedule['cores']} cores")
    for key, name in (("kernel_start", "kernel start (warm imports)"), ("chapters", "chapters"),
                      ("stitch", "stitch + workbook + manifest"), ("prepare", "prepare (checks, hashes, cache)"),
                      ("cpu", "CPU used (batch process + kernels)"), ("cpu_batch_process", "  of which the batch process"), ("idle_core_seconds", "idle core-seconds (cores × wall − CPU used)")):
        if schedule.get(key) is not None:
            line(f"    {name}", f"{schedule[key]:6.1f} s")
    line("    stitches waiting while chapters queued (max)", f"{schedule['max_stitches_waiting_while_chapters_queued']:6d}", "≤ 1", schedule["max_stitches_waiting_while_chapters_queued"] <= 1)


def national_data(demo: Path, big: Path) -> Path:
    """The demo data with a generated 15-million-row, 10-year crimes table (Parquet) instead of its own."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    shutil.copytree(demo, big)
    (big / "crimes.parquet").unlink()
    (big / "crime_counts.csv").unlink(missing_ok=True)
    areas = pd.read_csv(big / "areas.csv")
    leaves = areas.loc[~areas["area_id"].isin(areas["parent_id"].dropna()), "area_id"].to_numpy()
    cats = pd.read_csv(big / "crime_categories.csv")["category"].to_numpy()
    rng = np.random.default_rng(1)
    writer = None
    for start in range(0, 15_000_000, 1_000_000):
        m = 1_000_000
        days = rng.integers(0, 3652, m)
        table = pa.table({
            "crime_id": pa.array([f"N{j:09d}" for j in range(start, start + m)]),
            "reported_date": pa.array((np.datetime64("2016-01-01") + days.astype("timedelta64[D]")).astype("datetime64[D]")),
            "category": pa.array(cats[rng.integers(0, len(cats), m)]),
            "area_id": pa.array(leaves[rng.integers(0, len(leaves), m)]),
            "lon": pa.array(17.9 + rng.random(m) * 0.2), "lat": pa.array(59.25 + rng.random(m) * 0.15),
        })
        writer = writer or pq.ParquetWriter(big / "crimes.parquet", table.schema)
        writer.write_table(table)
    writer.close()
    return big


def national(work: Path, demo: Path, args, demo_cold: float) -> None:
    """A 15-million-row, 10-year crimes table (Parquet): build time vs demo and peak memory."""
    big = national_data(demo, work / "national")
    build = ["build", "--year", str(args.year), "--area", args.area, "--data", str(big), "--no-cache"]
    first, first_mem = lagesbild(*build, "--out", str(work / "nat0"), cache=work / "cache-nat")
    line("national: first build (validates 15 M rows once)", f"{first:6.1f} s  {first_mem:5d} MB")
    t, mem = median_of(args.runs, lambda i: lagesbild(*build, "--out", str(work / f"nat{i + 1}"), cache=work / "cache-nat"))
    line("national: build (validation cached)", f"{t:6.1f} s  {t / demo_cold:4.2f}×", "target ≤ 2× demo build", t / demo_cold <= 2)
    line("national: peak memory of any process", f"{mem:5d} MB", "target ≤ 2048 MB", mem <= 2048)


if __name__ == "__main__":
    main()
