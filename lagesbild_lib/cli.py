"""The ``lagesbild`` command line (DESIGN §4).

Exit codes: 0 success; 1 a chapter failed; 2 bad parameters or bad input data. Errors are one
sentence on stderr, with the traceback only under ``--debug``. Every message is in Swedish
(DESIGN §9), argparse's own included: its texts go through :func:`_swedish`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import logging
import sys
import time
from pathlib import Path

from lagesbild_lib import __version__
from lagesbild_lib.errors import LagesbildError, plural

log = logging.getLogger("lagesbild")

#: argparse's own headings and messages (it looks them up through gettext), in Swedish.
ARGPARSE_SV = {
    "usage: ": "användning: ",
    "positional arguments": "argument",
    "options": "flaggor",
    "optional arguments": "flaggor",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "argument %(argument_name)s: %(message)s": "argumentet %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "följande argument krävs: %s",
    "unrecognized arguments: %s": "argument som inte känns igen: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ogiltigt val: %(value)r (välj bland %(choices)s)",
    "invalid %(type)s value: %(value)r": "värdet %(value)r är inte giltigt",
    "expected one argument": "förväntade ett värde",
    "expected at most one argument": "förväntade högst ett värde",
    "expected at least one argument": "förväntade minst ett värde",
    "ambiguous option: %(option)s could match %(matches)s": "flertydig flagga: %(option)s kan betyda %(matches)s",
    "not allowed with argument %s": "går inte att kombinera med %s",
    "ignored explicit argument %r": "flaggan tar inget värde (fick %r)",
    "one of the arguments %s is required": "ett av argumenten %s krävs",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "okänt kommando %(parser_name)r (välj bland %(choices)s)",
    "can't open '%(filename)s': %(error)s": "kan inte öppna '%(filename)s': %(error)s",
    "unexpected option string: %s": "oväntad flagga: %s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
}
ARGPARSE_SV_PLURAL = {"expected %s argument": ("förväntade %s värde", "förväntade %s värden")}


@contextlib.contextmanager
def _swedish():
    """argparse speaking Swedish while a parser is made, parses or prints its help (argparse looks
    its texts up in its module's ``_`` and ``ngettext`` each time; both are put back after)."""
    saved = argparse._, argparse.ngettext

    def plural_text(singular: str, many: str, n: int) -> str:
        sv = ARGPARSE_SV_PLURAL.get(singular)
        return (sv[0] if n == 1 else sv[1]) if sv else (singular if n == 1 else many)

    argparse._, argparse.ngettext = (lambda text: ARGPARSE_SV.get(text, text)), plural_text
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


def _year_range(text: str) -> list[int]:
    """``2021-2023`` or ``2021,2023`` → list of years."""
    years: list[int] = []
    try:
        for part in text.split(","):
            part = part.strip()
            if "-" in part:
                lo, hi = part.split("-", 1)
                years.extend(range(int(lo), int(hi) + 1))
            elif part:
                years.append(int(part))
    except ValueError:
        years = []
    if not years:
        raise argparse.ArgumentTypeError(f"värdet {text!r} är inte giltigt; förväntade år som 2021-2023 eller 2021,2023")
    return years


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"värdet {text!r} är inte giltigt; förväntade ett heltal") from None


def _positive(text: str) -> int:
    value = _whole_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"värdet {text!r} är inte giltigt; förväntade ett heltal som är minst 1")
    return value


class _Parser(argparse.ArgumentParser):
    """Command-line mistakes are one sentence too (exit code 2), not a usage block; in Swedish."""

    def __init__(self, *args, **kwargs):
        with _swedish():
            super().__init__(*args, **kwargs)

    def parse_args(self, args=None, namespace=None):
        with _swedish():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):
        with _swedish():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with _swedish():
            return super().format_usage()

    def format_help(self) -> str:
        with _swedish():
            return super().format_help()

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message}; se '{self.prog} --help'\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="lagesbild", description="Bygger rapporten lokal lägesbild ur notebooks och data.")
    parser.add_argument("--version", action="version", version=f"lagesbild {__version__}", help="visa programmets version och avsluta")
    parser.add_argument("--debug", action="store_true", help="visa hela felspårningen (traceback) vid fel")
    sub = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")
    params = "rapportens params-fil (standard params/<år>/<område>.yml)"
    data = "datamapp (standard: demodata, som skapas om de saknas)"

    b = sub.add_parser("build", help="bygg en rapport", description="Bygger en rapport.")
    _year_and_area(b)
    b.add_argument("--params", type=Path, metavar="FIL", help=params)
    b.add_argument("--data", type=Path, metavar="MAPP", help=data)
    b.add_argument("--out", type=Path, metavar="MAPP", help="utmapp (standard outputs/)")
    b.add_argument("--chapter", action="append", default=[], metavar="KAPITEL", help="kör bara om detta kapitel (kan upprepas)")
    b.add_argument("--no-cache", action="store_true", help="kör varje kapitel, också de som finns i cachen")
    b.add_argument("--workers", type=_positive, default=0, metavar="N", help="antal kapitel som körs samtidigt (standard: upp till 2)")
    keep = "; ett senare bygge skriver den igen om inte --no-%s anges (standard: som rapporten som redan finns)"
    b.add_argument("--pdf", action=argparse.BooleanOptionalAction, help="skriv även lagesbild-<område>-<år>.pdf (kräver Chromium eller Google Chrome)" + keep % "pdf")
    b.add_argument("--docx", action=argparse.BooleanOptionalAction, help="skriv även lagesbild-<område>-<år>.docx (Word)" + keep % "docx")
    b.add_argument("--only-html", action="store_true", help="skriv varken PDF eller Word (som --no-pdf --no-docx; tar bort dem som finns)")
    b.add_argument("--offentlig", action=argparse.BooleanOptionalAction,
                   help="bygg även en offentlig version i <rapport>/offentlig/ (params public_*, internal_*)" + keep % "offentlig")

    c = sub.add_parser("check", help="kontrollera params och data; kör ingenting", description="Kontrollerar params och data; kör ingenting.")
    _year_and_area(c)
    c.add_argument("--data", type=Path, metavar="MAPP", help=data)
    c.add_argument("--params", type=Path, metavar="FIL", help=params)

    d = sub.add_parser("demo-data", help="skriv det syntetiska demodatasetet", description="Skriver det syntetiska demodatasetet.")
    d.add_argument("--out", type=Path, metavar="MAPP", help="mapp (standard data/demo)")
    d.add_argument("--seed", type=_whole_number, default=None, metavar="N", help="slumpfrö (standard 2023)")

    a = sub.add_parser("batch", help="bygg en rapport per (år, område)", description="Bygger en rapport per (år, område).")
    a.add_argument("--years", type=_year_range, required=True, metavar="ÅR", help="t.ex. 2021-2023 eller 2021,2023")
    a.add_argument("--areas", required=True, metavar="OMRÅDEN", help="all, eller områdenas id som a,b,c")
    a.add_argument("--data", type=Path, metavar="MAPP", help=data)
    a.add_argument("--out", type=Path, metavar="MAPP", help="utmapp (standard outputs/)")
    a.add_argument("--no-cache", action="store_true", help="kör varje kapitel, också de som finns i cachen")
    a.add_argument("--workers", type=_positive, default=0, metavar="N", help="antal kapitel som körs samtidigt")
    a.add_argument("--scheduler", metavar="ADRESS", help="tcp://VÄRD:PORT till en Dask-schemaläggare (pip install -e '.[cluster]')")
    a.add_argument("--offentlig", action=argparse.BooleanOptionalAction,
                   help="bygg även varje rapports offentliga version (standard: för de rapporter som redan har en)")

    e = sub.add_parser("edit", help="öppna ett kapitel i JupyterLab för ett år och område",
                       description="Öppnar ett kapitel i JupyterLab för ett år och område.")
    e.add_argument("chapter", metavar="KAPITEL", help="kapitlet, med eller utan nummer (brottslighet, 02_brottslighet)")
    _year_and_area(e)
    e.add_argument("--params", type=Path, metavar="FIL", help=params)
    e.add_argument("--data", type=Path, metavar="MAPP", help=data)
    e.add_argument("--out", type=Path, metavar="MAPP", help="utmapp; arbetskopian hamnar i <ut>/edit/<år>/<område>/ (standard outputs/)")
    e.add_argument("--no-open", action="store_true", help="skriv bara arbetskopian (för att öppna den i en annan miljö)")

    f = sub.add_parser("diff", help="jämför två byggen (manifest eller rapportmappar)",
                       description="Jämför två byggen (manifest eller rapportmappar).")
    f.add_argument("old", type=Path, metavar="GAMMAL", help="manifest.json eller rapportmapp för det tidigare bygget")
    f.add_argument("new", type=Path, metavar="NY", help="manifest.json eller rapportmapp för det senare bygget")
    _add_import_parser(sub)
    _add_fetch_parser(sub)
    _add_init_parser(sub)
    return parser


def _year_and_area(command) -> None:
    command.add_argument("--year", type=_whole_number, metavar="ÅR", help="rapportåret (standard: year i params-filerna)")
    command.add_argument("--area", metavar="OMRÅDE", help="områdets id (standard: area i params-filerna)")


def _add_import_parser(sub) -> None:
    """``lagesbild import KIND FILE --out DIR [--data DIR]`` and the options of each kind."""
    i = sub.add_parser(
        "import", help="gör om en export (Brå, Polisen, EST-logg, enkät, gränser) till kontraktstabeller",
        description="Importerar en export till kontraktstabeller i --out (källfilen läses bara).",
    )
    from lagesbild_lib.importers import KINDS, OPTIONS, option_help

    i.add_argument("kind", choices=list(KINDS), metavar="TYP", help="; ".join(f"{k.name}: {k.summary}" for k in KINDS.values()))
    i.add_argument("file", type=Path, metavar="FIL", help="exporten som ska importeras")
    i.add_argument("--out", type=Path, required=True, metavar="MAPP", help="datamappen som tabellerna skrivs till")
    i.add_argument("--data", type=Path, metavar="MAPP",
                   help="datamappen vars områdesregister namnen matchas mot (standard: --out när den har ett, annars demodata)")
    for option, settings in OPTIONS.items():
        typed = {"type": _whole_number} if settings.get("type") is int else {}
        i.add_argument("--" + option.replace("_", "-"), **{**settings, **typed, "help": option_help(option)})


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

    from lagesbild_lib.pipeline.public import has_public

    public = args.offentlig if args.offentlig is not None else has_public(request)  # as the report in place has it
    result = build_report(request, progress=progress, announce=announce)
    if result.up_to_date:
        print(f"Rapporten är redan aktuell (inga indata har ändrats): {result.html}")
        return _public_version(request, public, args.offentlig is False)
    print(f"Klar på {result.seconds:.1f} s: {result.html}")
    plan = result.plan
    if plan.inherited:  # never silently: the versions the report had are made again, and said so
        names = ", ".join(result.html.with_suffix("." + f).name for f in plan.inherited)
        flags = ", ".join(FLAGS[f] for f in plan.inherited)
        print(f"Byggde om även {names}, som rapporten hade förut (ta bort med {flags} eller --only-html).")
    for path in plan.removed:
        print(f"Tog bort {path}, som du bad om ({FLAGS[path.suffix[1:]]}).")
    return _public_version(request, public, args.offentlig is False)


def _public_version(request, wanted: bool, drop: bool) -> int:
    """After a build: make (or keep) its public version, or remove it (``--no-offentlig``)."""
    from lagesbild_lib.pipeline.public import after_build

    for line in after_build(request, wanted, drop):
        print(line)
    return 0


def _unit(name: str, rows: int) -> str:
    """What a file's count is of: rows of a table, areas (features) of a GeoJSON layer."""
    singular, many = ("yta", "ytor") if name.endswith(".geojson") else ("rad", "rader")
    return singular if rows == 1 else many


def cmd_check(args) -> int:
    """Validate params, every data table and the report's readiness at its status; list every
    problem found and how many there were (exit code 2 when there is any): pipeline/check.py."""
    from lagesbild_lib.pipeline.check import run_check
    from lagesbild_lib.pipeline.datacheck import run_pending_check  # a folder from lagesbild init without crime data yet

    return code if (code := run_pending_check(args)) is not None else run_check(args, _unit)


def cmd_demo_data(args) -> int:
    from lagesbild_lib import paths
    from lagesbild_lib.demo.store import DEFAULT_SEED, write_demo

    out = args.out or paths.demo_data_dir()
    start = time.perf_counter()
    files = write_demo(out, seed=DEFAULT_SEED if args.seed is None else args.seed)
    print(f"Skrev {plural(len(files), 'fil', 'filer')} till {out} på {time.perf_counter() - start:.1f} s")
    return 0


def cmd_batch(args) -> int:
    from lagesbild_lib import paths
    from lagesbild_lib.pipeline.batch import BatchRequest, run_batch
    from lagesbild_lib.pipeline.public import public_in_batch, public_versions_in_place
    from lagesbild_lib.report.portal import write_portal

    out = paths.out_root(args.out)
    had_public = public_versions_in_place(out)  # an internal rebuild removes its public version: made again below
    try:
        code = run_batch(BatchRequest(
            years=tuple(args.years), areas=args.areas, data_dir=args.data, out_dir=args.out,
            use_cache=not args.no_cache, workers=args.workers, scheduler=args.scheduler,
        ))
        if args.offentlig is not False:
            code = max(code, public_in_batch(out, args.data, not args.no_cache, args.workers, None if args.offentlig else had_public))
    except KeyboardInterrupt:
        write_portal(out, args.data or paths.demo_data_dir())  # the portal leads to what was built before Ctrl-C
        raise
    print(f"Portal: {write_portal(out, args.data or paths.demo_data_dir())}")
    return code


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
    _print_written(result, f"Importerade {args.file.name} ({args.kind}) till {args.out}:",
                   "Namn som inte matchade områdesregistret ({n}; lämnades utanför, eller ange --names FIL): ")
    return 0


def _print_written(result, heading: str, unmatched: str) -> None:
    """What an import or a fetch wrote (table, rows), the names it could not place and its notes."""
    print(heading)
    for name, rows in result.written.items():
        print(f"  {name:<28} {rows:>9} {_unit(name, rows)}")
    if result.unmatched:
        print(unmatched.format(n=len(result.unmatched)) + ", ".join(result.unmatched))
    for note in result.notes:
        print(f"Obs: {note}")


COMMANDS["import"] = cmd_import


def _add_fetch_parser(sub) -> None:
    """``lagesbild fetch KIND --kommun KOD … --out DIR`` (SCB PxWebApi v2, Kolada v3); the options live with the kinds."""
    from lagesbild_lib.importers.fetch import add_fetch_parser

    add_fetch_parser(sub, _year_range)


def cmd_fetch(args) -> int:
    from lagesbild_lib.importers.fetch import run_fetch

    result = run_fetch(args.kind, args.out, args.data, kommun=args.kommun, years=args.years, table=args.table, kpi=args.kpi,
                       kpis=args.kpis, age_groups=args.age_groups, by_sex=args.by_sex, api=args.api, refresh=args.refresh)
    _print_written(result, f"Hämtade {args.kind} till {args.out} (sparat som {result.source}):",
                   "Regioner som inte matchade områdesregistret ({n}; lämnades utanför): ")
    return 0


COMMANDS["fetch"] = cmd_fetch


def _add_init_parser(sub) -> None:
    """``lagesbild init --kommun KOD|NAMN [--indelning regso|deso|FIL] MAPP``; the options live in importers/init.py."""
    from lagesbild_lib.importers.init import add_init_parser

    add_init_parser(sub, _whole_number)


def cmd_init(args) -> int:
    from lagesbild_lib.importers.init import init_project, summary

    result = init_project(args.kommun, args.folder, args.indelning, args.year)
    print("\n".join(summary(result)))
    return 0


COMMANDS["init"] = cmd_init


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
        print("lagesbild: avbrutet; inget ersattes", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
