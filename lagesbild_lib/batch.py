"""``lagesbild batch``: one report per (year, area); a failed run never stops the others.

Runs are built one after the other here, each with its chapters in parallel; the end prints a
summary table and writes ``<out>/batch-summary.json``.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from . import paths
from .errors import ConfigError, LagesbildError


@dataclass
class RunOutcome:
    """How one (year, area) run went."""

    year: int
    area: str
    status: str  # "ok" | "failed"
    seconds: float
    report: str = ""
    error: str = ""


def resolve_areas(spec: str, data_dir: Path | None) -> list[str]:
    """``all`` (every usual report area of the registry) or a comma-separated list of area ids."""
    from .context import resolve_data_dir
    from .data.dataset import DataSet

    registry = DataSet(resolve_data_dir(data_dir)).areas
    if spec.strip() == "all":
        return registry.report_areas()
    areas = [a.strip() for a in spec.split(",") if a.strip()]
    if not areas:
        raise ConfigError("--areas needs 'all' or a comma-separated list of area ids")
    for area in areas:
        registry.get(area)
    return areas


def run_batch(args) -> int:
    """Build every (year, area) and summarise; exit code 1 when any run failed."""
    from .build import BuildRequest, build_report

    if args.scheduler:
        raise ConfigError("--scheduler (Dask) is not available yet; run the batch on this machine without it")
    areas = resolve_areas(args.areas, args.data)
    out = Path(args.out).expanduser().resolve() if args.out else paths.outputs_dir()
    runs = [(year, area) for year in args.years for area in areas]
    outcomes: list[RunOutcome] = []
    for i, (year, area) in enumerate(runs, 1):
        failed = sum(o.status != "ok" for o in outcomes)
        print(f"[{i}/{len(runs)}] {area} {year} (klara {len(outcomes) - failed}, misslyckade {failed}) …", file=sys.stderr, flush=True)
        start = time.perf_counter()
        request = BuildRequest(year=year, area=area, data_dir=args.data, out_dir=out, use_cache=not args.no_cache, workers=args.workers)
        try:
            result = build_report(request)
            outcomes.append(RunOutcome(year, area, "ok", round(time.perf_counter() - start, 1), str(result.html)))
        except LagesbildError as exc:
            outcomes.append(RunOutcome(year, area, "failed", round(time.perf_counter() - start, 1), error=str(exc)))
            print(f"    misslyckades: {exc}", file=sys.stderr, flush=True)
    out.mkdir(parents=True, exist_ok=True)
    summary = {"runs": [asdict(o) for o in outcomes], "ok": sum(o.status == "ok" for o in outcomes), "failed": sum(o.status != "ok" for o in outcomes)}
    (out / "batch-summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"\n{'År':<6}{'Område':<26}{'Status':<10}{'Sekunder':>9}")
    for o in outcomes:
        print(f"{o.year:<6}{o.area:<26}{('ok' if o.status == 'ok' else 'FEL'):<10}{o.seconds:>9.1f}")
    print(f"\n{summary['ok']} klara, {summary['failed']} misslyckade. Sammanfattning: {out / 'batch-summary.json'}")
    return 0 if summary["failed"] == 0 else 1
