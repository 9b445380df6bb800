"""Importers: exports as analysts have them → contract tables in a data folder (DESIGN §4, §6).

``lagesbild import KIND FILE --out DIR [--data DIR]``; one module per kind:

the kinds, their modules, options and what they write are the one registry :data:`KINDS`
(the command line's choices and options are made from it).

Names are matched to area ids through the area registry of ``--data`` (:mod:`.names`); the source
file is only read; malformed input is one :class:`~lagesbild_lib.errors.DataError` sentence and
nothing is written; the output folder gets the registry when it has none, so it passes
``lagesbild check``, and ``sources.json`` says where each file came from (quoted in Källor).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lagesbild_lib.errors import ConfigError

if TYPE_CHECKING:  # the registry stays light: the command line reads it on every start
    from lagesbild_lib.importers.output import ImportResult

#: Every option an import kind may take: its argparse settings (the command line is made from these).
OPTIONS: dict[str, dict] = {
    "names": {"type": Path, "help": "CSV with columns name,area_id for names the registry does not know"},
    "sheet": {"help": "Excel sheet to read (default the first)"},
    "categories": {"type": Path, "help": "CSV with columns name,category (empty category: leave the crime type out)"},
    "types": {"type": Path, "help": "CSV polisen_type,type,fatal whose rows override the shipped type mapping"},
    "keep_positions": {"action": "store_true", "help": "write the (approximate) kommun/län positions"},
    "year": {"type": int, "help": "the year when the file does not say"},
    "no_events": {"action": "store_true", "help": "do not write critical_events from the log"},
    "survey": {"help": "the survey's name"},
    "question": {"help": "the question id (e.g. otrygg_kvallstid)"},
    "answer": {"help": "the answer a single share is for (default ja)"},
    "group": {"help": "the respondent group (default alla)"},
    "share_unit": {"choices": ["auto", "percent", "fraction"], "help": "how shares are given (default auto)"},
    "name_field": {"help": "the property holding each area's name"},
    "crs": {"help": "the file's CRS when it does not declare one (e.g. EPSG:3006)"},
}


def _read_categories(given: dict) -> dict:
    from lagesbild_lib.importers.sheet import read_mapping

    path = given.get("categories")
    return {"category_map": read_mapping(Path(path), ("name", "category")) if path else None, "sheet_name": given.get("sheet")}


@dataclass(frozen=True)
class ImportKind:
    """One ``lagesbild import`` kind: the function that reads the export, the options it takes,
    and how the given options become that function's keyword arguments."""

    name: str
    summary: str
    writes: str
    function: str  # "module:function" below lagesbild_lib.importers, imported when the kind is used
    options: tuple[str, ...]
    arguments: Callable[[dict], dict]

    def run(self, source: Path, target, own_names, given: dict) -> ImportResult:
        module, _, function = self.function.partition(":")
        reader = getattr(importlib.import_module(f"lagesbild_lib.importers.{module}"), function)
        return reader(source, target, own_names=own_names, **self.arguments(given))


#: The import kinds, in the order the command line lists them.
KINDS: dict[str, ImportKind] = {k.name: k for k in (
    ImportKind("bra", "Brå's statistical database export", "crime_counts (+ crime_categories)", "bra:import_bra",
               ("names", "sheet", "categories"), _read_categories),
    ImportKind("polisen-events", "the police's events (JSON)", "critical_events", "polisen:import_polisen",
               ("names", "types", "keep_positions"),
               lambda g: {"types_file": g.get("types"), "keep_positions": bool(g.get("keep_positions"))}),
    ImportKind("est", "the weekly assessment log (EST)", "weekly_assessments (+ critical_events)", "est:import_est",
               ("names", "sheet", "year", "no_events"),
               lambda g: {"year": g.get("year"), "sheet_name": g.get("sheet"), "events": not g.get("no_events")}),
    ImportKind("survey", "survey result tables (Excel or CSV)", "survey", "survey_xlsx:import_survey",
               ("names", "sheet", "year", "survey", "question", "answer", "group", "share_unit"),
               lambda g: {"year": g.get("year"), "survey": g.get("survey"), "question": g.get("question"),
                          "answer": g.get("answer") or "ja", "group": g.get("group") or "alla",
                          "share_unit": g.get("share_unit") or "auto", "sheet_name": g.get("sheet")}),
    ImportKind("boundaries", "area boundaries (GeoJSON or shapefile, any CRS)", "areas.geojson", "boundaries:import_boundaries",
               ("names", "name_field", "crs"), lambda g: {"name_field": g.get("name_field"), "crs": g.get("crs")}),
)}


def option_help(option: str) -> str:
    """An option's help text, prefixed with the kinds that take it (``bra, est: …``)."""
    kinds = [k.name for k in KINDS.values() if option in k.options]
    text = OPTIONS[option]["help"]
    return text if len(kinds) == len(KINDS) else f"{', '.join(kinds)}: {text}"


def run_import(kind: str, source: Path, out_dir: Path, data_dir: Path | None = None, **options) -> ImportResult:
    """Import one export into ``out_dir``.

    Parameters
    ----------
    kind
        One of :data:`KINDS`.
    source
        The export; it is only read.
    out_dir
        The data folder to write into (created when missing).
    data_dir
        The data folder whose area registry names are matched against (default: ``out_dir`` when
        it has one, else the demo data).
    options
        Kind-specific options (see :data:`OPTIONS` and each kind's ``options``); ``None`` means not given.

    Raises
    ------
    ConfigError
        An unknown kind or an option the kind does not take.
    DataError
        Malformed input (nothing is written).
    """
    if kind not in KINDS:
        raise ConfigError(f"unknown import kind {kind!r}; expected one of {', '.join(KINDS)}")
    spec = KINDS[kind]
    given = {k: v for k, v in options.items() if v not in (None, False)}
    wrong = [k for k in given if k not in spec.options]
    if wrong:
        flag = "--" + wrong[0].replace("_", "-")
        raise ConfigError(f"{flag} does not apply to 'import {kind}'; it takes {', '.join('--' + o.replace('_', '-') for o in spec.options)}")
    from lagesbild_lib.importers.output import make_target, write_result

    source = Path(source).expanduser()
    target = make_target(out_dir, data_dir)
    own_names = None
    if given.get("names"):
        from lagesbild_lib.importers.sheet import read_name_list

        own_names = read_name_list(Path(given["names"]))
    return write_result(spec.run(source, target, own_names, given), target)


__all__ = ["KINDS", "OPTIONS", "ImportKind", "run_import"]
