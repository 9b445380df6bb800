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

from lagesbild_lib import __version__
from lagesbild_lib.errors import LagesbildError

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


class _Parser(argparse.ArgumentParser):
    """Command-line mistakes are one sentence too (exit code 2), not a usage block."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message}; see '{self.prog} --help'\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="lagesbild", description="Build the lokal lägesbild report from notebooks and data.")
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
    keep = "; a later build writes it again unless given --no-%s (default: as the report in place)"
    b.add_argument("--pdf", action=argparse.BooleanOptionalAction, help="also write lagesbild-<area>-<year>.pdf (needs Chromium or Google Chrome)" + keep % "pdf")
    b.add_argument("--docx", action=argparse.BooleanOptionalAction, help="also write lagesbild-<area>-<year>.docx (Word)" + keep % "docx")
    b.add_argument("--only-html", action="store_true", help="write neither PDF nor Word (same as --no-pdf --no-docx; removes those in place)")

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
    a.add_argument("--scheduler", help="tcp://HOST:PORT of a Dask scheduler (pip install -e '.[cluster]')")

    e = sub.add_parser("edit", help="open a chapter in JupyterLab for a year and area")
    e.add_argument("chapter", metavar="CHAPTER", help="the chapter, with or without its number (brottslighet, 02_brottslighet)")
    e.add_argument("--year", type=int)
    e.add_argument("--area")
    e.add_argument("--params", type=Path, help="the report's params file (default params/<year>/<area>.yml)")
    e.add_argument("--data", type=Path, help="data folder (default: the demo data, generated if missing)")
    e.add_argument("--out", type=Path, help="output folder; the working copy goes to <out>/edit/<year>/<area>/ (default outputs/)")
    e.add_argument("--no-open", action="store_true", help="only write the working copy (to open in another editor)")

    f = sub.add_parser("diff", help="compare two builds (manifests or report folders)")
    f.add_argument("old", type=Path, metavar="OLD", help="manifest.json or report folder of the earlier build")
    f.add_argument("new", type=Path, metavar="NEW", help="manifest.json or report folder of the later build")
    _add_import_parser(sub)
    return parser


def _add_import_parser(sub) -> None:
    """``lagesbild import KIND FILE --out DIR [--data DIR]`` and the options of each kind."""
    i = sub.add_parser(
        "import", help="turn an export (Brå, Polisen, EST log, survey, boundaries) into contract tables",
        description="Import an export into contract tables in --out (the source file is only read).",
    )
    from lagesbild_lib.importers import KINDS, OPTIONS, option_help

    i.add_argument("kind", choices=list(KINDS), metavar="KIND", help=" | ".join(KINDS))
    i.add_argument("file", type=Path, metavar="FILE", help="the export to import")
    i.add_argument("--out", type=Path, required=True, help="data folder to write the tables into")
    i.add_argument("--data", type=Path, help="data folder whose area registry names are matched against (default: --out when it has one, else the demo data)")
    for option, settings in OPTIONS.items():
        i.add_argument("--" + option.replace("_", "-"), **{**settings, "help": option_help(option)})


def cmd_build(args) -> int:
    from lagesbild_lib.errors import ConfigError
    from lagesbild_lib.pipeline.build import BuildRequest, build_report
    from lagesbild_lib.pipeline.formats import FLAGS

    if args.only_html:
        if args.pdf or args.docx:
            raise ConfigError("--only-html går inte att kombinera med --pdf eller --docx; välj det ena")
        args.pdf = args.docx = False
    # --pdf/--docx: True, --no-pdf/--no-docx: False, neither: None (as the report in place has it)
    request = BuildRequest(
        year=args.year, area=args.area, params_file=args.params, data_dir=args.data, out_dir=args.out,
        chapters=tuple(args.chapter), use_cache=not args.no_cache, workers=args.workers,
        docx=args.docx, pdf=args.pdf,
    )
    if args.pdf:
        from lagesbild_lib.report.pdf import require_chromium

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
        return 0
    print(f"Klar på {result.seconds:.1f} s: {result.html}")
    plan = result.plan
    if plan.inherited:  # never silently: the versions the report had are made again, and said so
        names = ", ".join(result.html.with_suffix("." + f).name for f in plan.inherited)
        flags = ", ".join(FLAGS[f] for f in plan.inherited)
        print(f"Byggde om även {names}, som rapporten hade förut (ta bort med {flags} eller --only-html).")
    for path in plan.removed:
        print(f"Tog bort {path}, som du bad om ({FLAGS[path.suffix[1:]]}).")
    return 0


def cmd_check(args) -> int:
    """Validate params and every data table; list every problem found (one line each, the first
    50) and how many there were. Exit code 2 when there is any."""
    from lagesbild_lib.context import input_problems
    from lagesbild_lib.data.validate import count_line

    target, messages, total = input_problems(args.year, args.area, args.params, args.data)
    if total:
        for message in messages:
            print(f"lagesbild: {message}", file=sys.stderr)
        print(count_line(total, len(messages)))
        return 2
    for name, rows in target.row_counts.items():
        print(f"  {name:<28} {rows:>9} rader")
    files = ", ".join(str(f) for f in target.params_files)
    print(f"OK: params ({files}) och data ({target.data.data_dir}) för {target.params.area} {target.params.year}")
    return 0


def cmd_demo_data(args) -> int:
    from lagesbild_lib import paths
    from lagesbild_lib.demo.store import DEFAULT_SEED, write_demo

    out = args.out or paths.demo_data_dir()
    start = time.perf_counter()
    files = write_demo(out, seed=DEFAULT_SEED if args.seed is None else args.seed)
    print(f"Skrev {len(files)} filer till {out} på {time.perf_counter() - start:.1f} s")
    return 0


def cmd_batch(args) -> int:
    from lagesbild_lib.pipeline.batch import BatchRequest, run_batch

    return run_batch(BatchRequest(
        years=tuple(args.years), areas=args.areas, data_dir=args.data, out_dir=args.out,
        use_cache=not args.no_cache, workers=args.workers, scheduler=args.scheduler,
    ))


def cmd_edit(args) -> int:
    from lagesbild_lib.pipeline.edit import (
        EditRequest, INSTALL_HINT, jupyterlab_available, jupyterlab_command, lab_failure, prepare_edit, run_jupyterlab, write_back,
    )
    from lagesbild_lib.errors import ConfigError

    if not args.no_open and not jupyterlab_available():
        raise ConfigError(INSTALL_HINT)
    copy = prepare_edit(EditRequest(args.chapter, args.year, args.area, args.params, args.data, args.out))
    p = copy.parameters
    print(f"Arbetskopia av {copy.chapter.stem} för {copy.area_name or p['area']} {p['year']}: {copy.path}")
    if copy.kept_changes:
        print("  (ändringarna från förra redigeringen, som inte förts tillbaka, finns kvar i den)")
    if args.no_open:
        print(f"Öppna den i valfri Jupyter-miljö; kapitlets mall är {copy.chapter.path}.")
        return 0
    print("Öppnar JupyterLab. Stäng det (File > Shut Down, eller Ctrl-C två gånger) när du är klar.", flush=True)
    lab = run_jupyterlab(jupyterlab_command(copy.path))
    if lab.code != 0:  # it did not start (e.g. as root without --allow-root) or it failed: say so, write nothing back
        print(f"lagesbild: {lab_failure(copy, lab)}", file=sys.stderr)
        return 1
    print(write_back(copy))
    return 0


def cmd_diff(args) -> int:
    from lagesbild_lib.report.diff import compare, format_diff, load_build

    old, new = load_build(args.old), load_build(args.new)
    print(format_diff(old, new, compare(old, new)))
    return 0


COMMANDS = {"build": cmd_build, "check": cmd_check, "demo-data": cmd_demo_data, "batch": cmd_batch, "edit": cmd_edit, "diff": cmd_diff}


def cmd_import(args) -> int:
    from lagesbild_lib.importers import run_import

    from lagesbild_lib.importers import OPTIONS

    options = {k: getattr(args, k) for k in OPTIONS}
    result = run_import(args.kind, args.file, args.out, args.data, **options)
    print(f"Importerade {args.file.name} ({args.kind}) till {args.out}:")
    for name, rows in result.written.items():
        print(f"  {name:<28} {rows:>9} {'ytor' if name.endswith('.geojson') else 'rader'}")
    if result.unmatched:
        print(f"Namn som inte matchade områdesregistret ({len(result.unmatched)}; lämnades utanför, eller ange --names FILE): "
              + ", ".join(result.unmatched))
    for note in result.notes:
        print(f"Obs: {note}")
    return 0


COMMANDS["import"] = cmd_import


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
