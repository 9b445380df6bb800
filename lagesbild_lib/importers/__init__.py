"""Importers: exports as analysts have them → contract tables in a data folder (DESIGN §4, §6).

``lagesbild import KIND FILE --out DIR [--data DIR]``; one module per kind:

========================  ==========================  =====================================
kind                      module                      writes
========================  ==========================  =====================================
``bra``                   :mod:`.bra`                 ``crime_counts`` (+ ``crime_categories``)
``polisen-events``        :mod:`.polisen`             ``critical_events``
``est``                   :mod:`.est`                 ``weekly_assessments`` (+ ``critical_events``)
``survey``                :mod:`.survey_xlsx`         ``survey``
``boundaries``            :mod:`.boundaries`          ``areas.geojson``
========================  ==========================  =====================================

Names are matched to area ids through the area registry of ``--data`` (:mod:`.names`); the source
file is only read; malformed input is one :class:`~lagesbild_lib.errors.DataError` sentence and
nothing is written; the output folder gets the registry when it has none, so it passes
``lagesbild check``, and ``sources.json`` says where each file came from (quoted in Källor).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ConfigError
from .output import ImportResult, make_target, write_result

#: kind → the options (besides --names and --sheet where they apply) that it takes
KINDS: dict[str, tuple[str, ...]] = {
    "bra": ("names", "sheet", "categories"),
    "polisen-events": ("names", "types", "keep_positions"),
    "est": ("names", "sheet", "year", "no_events"),
    "survey": ("names", "sheet", "year", "survey", "question", "answer", "group", "share_unit"),
    "boundaries": ("names", "name_field", "crs"),
}


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
        Kind-specific options (see :data:`KINDS`); ``None`` means not given.

    Raises
    ------
    ConfigError
        An unknown kind or an option the kind does not take.
    DataError
        Malformed input (nothing is written).
    """
    if kind not in KINDS:
        raise ConfigError(f"unknown import kind {kind!r}; expected one of {', '.join(KINDS)}")
    given = {k: v for k, v in options.items() if v not in (None, False)}
    wrong = [k for k in given if k not in KINDS[kind]]
    if wrong:
        flag = "--" + wrong[0].replace("_", "-")
        raise ConfigError(f"{flag} does not apply to 'import {kind}'; it takes {', '.join('--' + o.replace('_', '-') for o in KINDS[kind])}")
    source = Path(source).expanduser()
    target = make_target(out_dir, data_dir)
    own_names = None
    if given.get("names"):
        from .names import read_name_list

        own_names = read_name_list(Path(given["names"]))
    if kind == "bra":
        from .bra import import_bra

        from .names import read_mapping

        category_map = read_mapping(Path(given["categories"]), ("name", "category")) if given.get("categories") else None
        result = import_bra(source, target, own_names=own_names, category_map=category_map, sheet_name=given.get("sheet"))
    elif kind == "polisen-events":
        from .polisen import import_polisen

        result = import_polisen(source, target, own_names=own_names, types_file=given.get("types"), keep_positions=bool(given.get("keep_positions")))
    elif kind == "est":
        from .est import import_est

        result = import_est(source, target, own_names=own_names, year=given.get("year"), sheet_name=given.get("sheet"), events=not given.get("no_events"))
    elif kind == "survey":
        from .survey_xlsx import import_survey

        result = import_survey(
            source, target, own_names=own_names, year=given.get("year"), survey=given.get("survey"), question=given.get("question"),
            answer=given.get("answer") or "ja", group=given.get("group") or "alla", share_unit=given.get("share_unit") or "auto",
            sheet_name=given.get("sheet"),
        )
    else:
        from .boundaries import import_boundaries

        result = import_boundaries(source, target, own_names=own_names, name_field=given.get("name_field"), crs=given.get("crs"))
    return write_result(result, target)


__all__ = ["KINDS", "ImportResult", "run_import"]
