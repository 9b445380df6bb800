"""``lagesbild check``: everything ``lagesbild build`` would refuse, found without running anything.

The params, every table of the data folder, the year and area asked for (:func:`lagesbild_lib.context.input_problems`),
and the report's readiness at its status (:mod:`lagesbild_lib.pipeline.readiness`): the parties'
sign-off that ``granskad`` or ``fastställd`` needs, the slots' images, a ``fastställd`` report's
unwritten narrative slots and unknown ``{cite:…}`` keys. Every problem is listed, not only the first.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path

from lagesbild_lib.errors import ConfigError


@dataclass
class CheckResult:
    """What ``lagesbild check`` found for one report."""

    target: object | None  # the report's ReportTarget when nothing is wrong
    messages: list[str]  # the problems, at most data.validate.LIMIT of them
    total: int  # how many problems were found
    warnings: list[str] = field(default_factory=list)


def check_report(
    year: int | None = None,
    area: str | None = None,
    params_file: str | Path | None = None,
    data_dir: str | Path | None = None,
    today: dt.date | None = None,
) -> CheckResult:
    """Every problem with one report's inputs and with its readiness at its status.

    The readiness is checked whenever the params can be read, also when the data have problems,
    so one run of ``check`` names everything that stands in the way.
    """
    from lagesbild_lib.context import input_problems
    from lagesbild_lib.data.validate import LIMIT
    from lagesbild_lib.params import load_params
    from lagesbild_lib.pipeline.chapters import list_chapters
    from lagesbild_lib.pipeline.readiness import readiness_problems, readiness_warnings

    target, messages, total = input_problems(year, area, params_file, data_dir)
    params = target.params if target is not None else None
    if params is None:
        try:
            params = load_params(year, area, params_file or None)[0]
        except ConfigError:
            return CheckResult(None, messages, total)  # input_problems has named it
    try:
        ready = readiness_problems(params, [c.path for c in list_chapters()], today)
    except ConfigError as exc:  # no chapter notebooks
        ready = [str(exc)]
    messages = messages + ready[: max(0, LIMIT - len(messages))]
    return CheckResult(None if ready else target, messages, total + len(ready), readiness_warnings(params))


def run_check(args, unit) -> int:
    """Print what :func:`check_report` found (problems on stderr, one line each, and how many there
    were; else the tables' row counts); exit code 2 when there is any problem.

    ``unit(name, rows)`` says what a file's count is of ("rader", "ytor").
    """
    from lagesbild_lib.data.validate import count_line

    result = check_report(args.year, args.area, args.params, args.data)
    for message in result.warnings + result.messages:
        print(f"lagesbild: {message}", file=sys.stderr)
    if result.total:
        print(count_line(result.total, len(result.messages)))
        return 2
    target = result.target
    for name, rows in target.row_counts.items():
        print(f"  {name:<28} {rows:>9} {unit(name, rows)}")
    files = ", ".join(str(f) for f in target.params_files)
    print(f"OK: params ({files}) och data ({target.data.data_dir}) för {target.params.area} {target.params.year}")
    return 0
