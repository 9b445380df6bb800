"""Which optional versions of a report (Word, PDF) a build writes, and which it removes.

A build replaces the whole report folder (DESIGN §5), so a rebuild that did not write the Word and
PDF versions again would delete them. The manifest records the versions a report was built with
(``formats``); a later build writes them again unless asked for less explicitly (``--no-docx``,
``--no-pdf``, ``--only-html``), and then the command says what it removed.

In a :class:`~lagesbild_lib.pipeline.build.BuildRequest`, ``docx``/``pdf`` are ``True`` (asked
for now), ``False`` (dropped explicitly) or ``None`` (as the report in place has it).

Light module: the up-to-date check uses it, and must not import pandas or nbconvert.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

from lagesbild_lib import paths
from lagesbild_lib.errors import ConfigError

#: The optional versions, in the order they are written and named.
OPTIONAL = ("docx", "pdf")
FLAGS = {"docx": "--no-docx", "pdf": "--no-pdf"}


@dataclass(frozen=True)
class FormatPlan:
    """What one build writes beside the HTML report and ``tabeller.xlsx``."""

    formats: tuple[str, ...] = ()  # the optional versions this build writes
    inherited: tuple[str, ...] = ()  # of those, the ones written because the report in place has them
    removed: tuple[Path, ...] = ()  # files in place that this build drops, as asked explicitly

    def resolve(self, request):
        """``request`` with ``docx``/``pdf`` set to what this build writes (True or False)."""
        return dataclasses.replace(request, **{f: f in self.formats for f in OPTIONAL})


def formats_in_place(report_dir: Path, html_name: str, manifest: dict | None = None) -> set[str]:
    """The optional versions the report in place was built with (the manifest's ``formats``),
    and any such file found there (a report from before the manifest recorded them)."""
    if manifest is None:
        try:
            manifest = json.loads((report_dir / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = {}
    recorded = manifest.get("formats") if isinstance(manifest, dict) else None
    found = {f for f in recorded if f in OPTIONAL} if isinstance(recorded, list) else set()
    return found | {f for f in OPTIONAL if (report_dir / Path(html_name).with_suffix("." + f).name).is_file()}


def plan_formats(request, report_dir: Path, html_name: str, manifest: dict | None = None) -> FormatPlan:
    """The versions asked for now, plus those the report in place has, less those dropped explicitly."""
    in_place = formats_in_place(report_dir, html_name, manifest)
    asked = {f: getattr(request, f, None) for f in OPTIONAL}
    formats = tuple(f for f in OPTIONAL if asked[f] or (asked[f] is None and f in in_place))
    removed = tuple(
        path for f in OPTIONAL
        if asked[f] is False and (path := report_dir / Path(html_name).with_suffix("." + f).name).is_file()
    )
    return FormatPlan(formats, tuple(f for f in formats if asked[f] is None), removed)


def check_tools(plan: FormatPlan, report_dir: Path) -> None:
    """Before anything runs: a PDF to print needs Chromium.

    Raises
    ------
    ConfigError
        No Chromium (exit code 2); for a PDF the report in place has, the sentence also says how to
        build without it.
    """
    if "pdf" not in plan.formats:
        return
    from lagesbild_lib.report.pdf import find_chromium, require_chromium

    if "pdf" in plan.inherited and find_chromium() is None:
        raise ConfigError(
            f"rapporten i {paths.shown(report_dir)} har en PDF-version som bygget skulle göra om, men Chromium "
            "(eller Google Chrome) hittades inte; installera Chromium (Debian/Ubuntu: sudo apt-get install chromium) "
            "eller ange programmet i miljövariabeln LAGESBILD_CHROMIUM, eller bygg utan PDF med --no-pdf "
            "(då tas PDF-filen bort); inget byggdes"
        )
    require_chromium()
