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
    "names": {"type": Path, "metavar": "FIL", "help": "CSV med kolumnerna name,area_id för namn som områdesregistret inte känner"},
    "sheet": {"metavar": "BLAD", "help": "Excelbladet som ska läsas (standard: det första)"},
    "categories": {"type": Path, "metavar": "FIL", "help": "CSV med kolumnerna name,category (tom category: brottstypen lämnas utanför)"},
    "types": {"type": Path, "metavar": "FIL", "help": "CSV polisen_type,type,fatal vars rader ersätter den medföljande typtabellens"},
    "keep_positions": {"action": "store_true", "help": "skriv kommunens/länets (ungefärliga) positioner"},
    "year": {"type": int, "metavar": "ÅR", "help": "året, när filen inte anger det"},
    "no_events": {"action": "store_true", "help": "skriv inte critical_events ur loggen"},
    "survey": {"metavar": "NAMN", "help": "enkätens namn"},
    "question": {"metavar": "ID", "help": "frågans id (t.ex. otrygg_kvallstid)"},
    "answer": {"metavar": "SVAR", "help": "svaret som en ensam andel gäller (standard ja)"},
    "group": {"metavar": "GRUPP", "help": "svarsgruppen (standard alla)"},
    "share_unit": {"choices": ["auto", "percent", "fraction"], "help": "hur andelarna anges: auto, percent (procent) eller fraction (0–1) (standard auto)"},
    "name_field": {"metavar": "EGENSKAP", "help": "egenskapen som håller varje områdes namn"},
    "crs": {"metavar": "CRS", "help": "filens koordinatsystem när den inte anger något (t.ex. EPSG:3006)"},
    "mapping": {"type": Path, "metavar": "FIL", "help": "CSV med kolumnerna value,layer: källans klasser till vatten, väg, järnväg eller bebyggelse (tomt lager: utelämnas)"},
    "class_field": {"metavar": "EGENSKAP", "help": "egenskapen som anger varje objekts klass (standard: layer, objekttyp, fclass, highway …)"},
    "simplify": {"type": float, "metavar": "METER", "help": "förenkla linjer och ytor med denna tolerans i meter (standard 5)"},
    "attribution": {"metavar": "TEXT", "help": "källan som anges under kartorna (t.ex. '© OpenStreetMap-bidragsgivare, ODbL')"},
    "age_groups": {"metavar": "GRUPPER", "help": "åldersgrupperna, t.ex. 0-19,20-64,65+ (standard), eller fina för SCB:s egna"},
    "kpis": {"type": Path, "metavar": "FIL", "help": "CSV id,label,unit[,direction] som ersätter den medföljande nyckeltalslistan"},
    "by_sex": {"action": "store_true", "help": "skriv även värdena för kvinnor och män (Koladas K och M), inte bara totalen"},
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
    ImportKind("bra", "export ur Brås statistikdatabas", "crime_counts (+ crime_categories)", "bra:import_bra",
               ("names", "sheet", "categories"), _read_categories),
    ImportKind("polisen-events", "Polisens händelser (JSON)", "critical_events", "polisen:import_polisen",
               ("names", "types", "keep_positions"),
               lambda g: {"types_file": g.get("types"), "keep_positions": bool(g.get("keep_positions"))}),
    ImportKind("est", "loggen över veckovisa lägesbedömningar (EST)", "weekly_assessments (+ critical_events)", "est:import_est",
               ("names", "sheet", "year", "no_events"),
               lambda g: {"year": g.get("year"), "sheet_name": g.get("sheet"), "events": not g.get("no_events")}),
    ImportKind("survey", "resultattabeller från trygghetsenkäter (Excel eller CSV)", "survey", "survey_xlsx:import_survey",
               ("names", "sheet", "year", "survey", "question", "answer", "group", "share_unit"),
               lambda g: {"year": g.get("year"), "survey": g.get("survey"), "question": g.get("question"),
                          "answer": g.get("answer") or "ja", "group": g.get("group") or "alla",
                          "share_unit": g.get("share_unit") or "auto", "sheet_name": g.get("sheet")}),
    ImportKind("boundaries", "områdesgränser (GeoJSON eller shapefil, valfritt koordinatsystem)", "areas.geojson", "boundaries:import_boundaries",
               ("names", "name_field", "crs"), lambda g: {"name_field": g.get("name_field"), "crs": g.get("crs")}),
    ImportKind("basemap", "bakgrundskarta: vatten, vägar, järnväg, bebyggelse (GeoPackage, GeoJSON eller shapefil)", "basemap.geojson",
               "basemap:import_basemap", ("crs", "mapping", "class_field", "simplify", "attribution"),
               lambda g: {"crs": g.get("crs"), "mapping": g.get("mapping"), "class_field": g.get("class_field"),
                          "simplify": g.get("simplify"), "attribution": g.get("attribution")}),
    ImportKind("scb-befolkning", "folkmängd efter region, ålder, kön och år från SCB (JSON-stat2)", "population",
               "scb:import_scb", ("names", "age_groups"), lambda g: {"age_groups": g.get("age_groups")}),
    ImportKind("kolada", "nyckeltal från Kolada (JSON från API v3)", "indicators", "kolada:import_kolada",
               ("names", "kpis", "by_sex"), lambda g: {"kpis_file": g.get("kpis"), "by_sex": bool(g.get("by_sex"))}),
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
        raise ConfigError(f"okänd importtyp {kind!r}; förväntade en av {', '.join(KINDS)}")
    spec = KINDS[kind]
    given = {k: v for k, v in options.items() if v is not None and v is not False}  # 0 is a value (--simplify 0)
    wrong = [k for k in given if k not in spec.options]
    if wrong:
        flag = "--" + wrong[0].replace("_", "-")
        raise ConfigError(f"{flag} gäller inte 'import {kind}'; den tar {', '.join('--' + o.replace('_', '-') for o in spec.options)}")
    from lagesbild_lib.importers.output import make_target, write_result

    source = Path(source).expanduser()
    target = make_target(out_dir, data_dir)
    own_names = None
    if given.get("names"):
        from lagesbild_lib.importers.sheet import read_name_list

        own_names = read_name_list(Path(given["names"]))
    result = write_result(spec.run(source, target, own_names, given), target)
    if getattr(result, "provenance", None):  # the API connectors' URL, table, retrieval time and `updated`
        from lagesbild_lib.importers.apisource import record_provenance

        record_provenance(target.out_dir, result.written, result.provenance)
    return result


__all__ = ["KINDS", "OPTIONS", "ImportKind", "run_import"]
