"""The ``lagesbild`` command line (DESIGN §4).

Exit codes: 0 success; 1 a chapter failed; 2 bad parameters or bad input data. Errors are one
sentence on stderr, with the traceback only under ``--debug``.
"""

from __future__ import annotations

import argparse
import os
import logging
import sys
import time
from pathlib import Path

from . import __version__
from .errors import LagesbildError

log = logging.getLogger("lagesbild")


def _year_range(text: str) -> list[int]:
    """``2021-2023`` or ``2021,2023`` → list of years."""
    years: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            lo, hi = part.split("-", 1)
            years.extend(range(int(lo), int(hi) + 1))
        elif part:
            years.append(int(part))
    if not years:
        raise argparse.ArgumentTypeError(f"expected years such as 2021-2023, got {text!r}")
    return years


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("expected a whole number of at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lagesbild", description="Build the lokal lägesbild report from notebooks and data.")
    parser.add_argument("--version", action="version", version=f"lagesbild {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="build one report")
    b.add_argument("--year", type=int)
    b.add_argument("--area")
    b.add_argument("--params", type=Path, help="the report's params file (default params/<year>/<area>.yml)")
    b.add_argument("--data", type=Path, help="data folder (default: the demo data, generated if missing)")
    b.add_argument("--out", type=Path, help="output folder (default outputs/)")
    b.add_argument("--chapter", action="append", default=[], metavar="NAME", help="rerun only this chapter (repeatable)")
    b.add_argument("--no-cache", action="store_true", help="execute every chapter")
    b.add_argument("--workers", type=_positive, default=0, help="chapters run in parallel (default: up to 2)")
    b.add_argument("--pdf", action="store_true", help="also write lagesbild-<area>-<year>.pdf (needs Chromium or Google Chrome)")
    b.add_argument("--docx", action="store_true", help="also write lagesbild-<area>-<year>.docx (Word)")

    c = sub.add_parser("check", help="validate params and data; run nothing")
    c.add_argument("--year", type=int)
    c.add_argument("--area")
    c.add_argument("--data", type=Path)
    c.add_argument("--params", type=Path)

    d = sub.add_parser("demo-data", help="write the synthetic demo data set")
    d.add_argument("--out", type=Path, help="folder (default data/demo)")
    d.add_argument("--seed", type=int, default=None)

    a = sub.add_parser("batch", help="build one report per (year, area)")
    a.add_argument("--years", type=_year_range, required=True, help="e.g. 2021-2023")
    a.add_argument("--areas", required=True, help="all, or a,b,c")
    a.add_argument("--data", type=Path)
    a.add_argument("--out", type=Path)
    a.add_argument("--no-cache", action="store_true")
    a.add_argument("--workers", type=_positive, default=0)
    a.add_argument("--scheduler", help="tcp://HOST:PORT of a Dask scheduler (not available yet)")
    return parser


def cmd_build(args) -> int:
    from .build import BuildRequest, build_report

    request = BuildRequest(
        year=args.year, area=args.area, params_file=args.params, data_dir=args.data, out_dir=args.out,
        chapters=tuple(args.chapter), use_cache=not args.no_cache, workers=args.workers,
        docx=args.docx, pdf=args.pdf,
    )
    if args.pdf:
        from .pdf import require_chromium

        require_chromium()  # exit 2 before anything is built when no Chromium is installed

    def progress(result) -> None:
        mark = "ok " if result.status == "ok" else "FEL"
        how = "från cachen" if result.source == "cache" else f"{result.seconds:5.1f} s"
        print(f"  [{mark}] {result.chapter.stem:<28} {how}", file=sys.stderr, flush=True)

    def announce(prep) -> None:
        todo = len(prep.selected)
        print(f"Bygger {prep.data.areas.name(prep.params.area)} {prep.params.year}: {todo} kapitel att köra …", file=sys.stderr, flush=True)

    result = build_report(request, progress=progress, announce=announce)
    if result.up_to_date:
        print(f"Rapporten är redan aktuell (inga indata har ändrats): {result.html}")
    else:
        print(f"Klar på {result.seconds:.1f} s: {result.html}")
    return 0


def cmd_check(args) -> int:
    from .context import check_report_target, resolve_data_dir
    from .data.dataset import DataSet
    from .params import load_params

    params, files = load_params(args.year, args.area, args.params)
    data = DataSet(resolve_data_dir(args.data))
    counts = data.validate_all()
    check_report_target(params, data)
    for name, rows in counts.items():
        print(f"  {name:<28} {rows:>9} rader")
    print(f"OK: params ({', '.join(str(f) for f in files)}) och data ({data.data_dir}) för {params.area} {params.year}")
    return 0


def cmd_demo_data(args) -> int:
    from . import paths
    from .demo_data import DEFAULT_SEED, write_demo

    out = args.out or paths.demo_data_dir()
    start = time.perf_counter()
    files = write_demo(out, seed=DEFAULT_SEED if args.seed is None else args.seed)
    print(f"Skrev {len(files)} filer till {out} på {time.perf_counter() - start:.1f} s")
    return 0


def cmd_batch(args) -> int:
    from .batch import run_batch

    return run_batch(args)


COMMANDS = {"build": cmd_build, "check": cmd_check, "demo-data": cmd_demo_data, "batch": cmd_batch}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``lagesbild`` console script."""
    # nbformat validates with fastjsonschema (a dependency of nbformat) instead of jsonschema,
    # whose import is slow where the editing extra (jupyter_server) is installed.
    os.environ.setdefault("NBFORMAT_VALIDATOR", "fastjsonschema")
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("lagesbild").setLevel(logging.DEBUG if args.debug else logging.WARNING)
    try:
        return COMMANDS[args.command](args)
    except LagesbildError as exc:
        if args.debug:
            raise
        print(f"lagesbild: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("lagesbild: interrupted; nothing was replaced", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
