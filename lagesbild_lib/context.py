"""What a chapter notebook starts from: its parameters resolved into params, data and areas.

``chapter_context`` is the one call a chapter makes after its ``parameters`` cell; it works the
same in a papermill run, in JupyterLab and in a plain Python session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from lagesbild_lib.data.areas import Area, AreaRegistry
from lagesbild_lib.data.dataset import DataSet
from lagesbild_lib.data.known_values import Selections
from lagesbild_lib.demo.store import resolve_data_dir
from lagesbild_lib.errors import ConfigError
from lagesbild_lib.params import ReportParams, load_params
from lagesbild_lib.session import setup_session


@dataclass(frozen=True)
class ChapterContext:
    """Everything a chapter needs to know about its report."""

    params: ReportParams
    data: DataSet
    area: Area
    city: Area | None
    sub_areas: tuple[Area, ...]
    period_start: dt.date
    period_end: dt.date

    @property
    def year(self) -> int:
        return self.params.year

    @property
    def areas(self) -> AreaRegistry:
        return self.data.areas

    @property
    def city_to_compare(self) -> Area | None:
        """The city the area is compared with, or None when the area is the city itself."""
        return self.city if self.city is not None and self.city.area_id != self.area.area_id else None


#: Contexts made in this process since :func:`forget_contexts`: what a chapter read is reported
#: from them to the build (through :func:`reads_report`) for its chapter cache.
_CONTEXTS: list[ChapterContext] = []


def reads_report() -> str:
    """JSON of every data file asked for by the chapters run since the last reset."""
    import json

    reads: dict[str, str | None] = {}
    for ctx in _CONTEXTS:
        for name, found in ctx.data.accessed.items():
            reads[name] = found if found is not None else reads.get(name)
    dirs = sorted({str(ctx.data.data_dir) for ctx in _CONTEXTS})
    return json.dumps({"data_dirs": dirs, "reads": reads}, sort_keys=True)


def forget_contexts() -> None:
    _CONTEXTS.clear()


def _years_text(years: list[int]) -> str:
    if not years:
        return "inga"
    if years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    return ", ".join(map(str, years))


def check_available(data: DataSet, years: list[int], areas: list[str]) -> None:
    """Refuse years without crime data and areas not in the registry, listing what is available.

    The one availability check of the project: ``check``, ``build``, ``batch``, ``edit`` and every
    chapter come through it.

    Raises
    ------
    ConfigError
    """
    registry = data.areas
    unknown = [a for a in areas if a not in registry]
    if unknown:
        raise ConfigError(
            f"okänt område '{unknown[0]}' i {data.data_dir}; tillgängliga områden: {', '.join(registry.report_areas())} "
            "(eller något annat area_id i tabellen areas)"
        )
    available = data.crime_years
    missing = [y for y in years if y not in available]
    if missing:
        which = f"år {missing[0]}" if len(missing) == 1 else "åren " + ", ".join(map(str, missing))
        raise ConfigError(f"brottsdata saknas för {which} i {data.data_dir}; tillgängliga år: {_years_text(available)}")


def _did_you_mean(value: str, known: list[str]) -> str:
    import difflib

    from lagesbild_lib.data.known_values import near_miss

    meant = near_miss(value, known) or next(iter(difflib.get_close_matches(value, known, n=1, cutoff=0.8)), None)
    return f"menade du {meant!r}? " if meant else ""


def check_series_breaks(params: ReportParams, data: DataSet, files: tuple[Path, ...] | list[Path] = ()) -> None:
    """Refuse a series break (params ``series_breaks``) whose category, question or survey the data
    do not have: it would never be shown. The message names the closest known value.

    Raises
    ------
    ConfigError
    """
    from lagesbild_lib.data.known_values import STANDARD_QUESTIONS

    if not params.series_breaks:
        return
    categories = [str(c) for c in data.table("crime_categories")["category"]]
    survey = data.table("survey") if any(b.category is None for b in params.series_breaks) else None
    questions = list(dict.fromkeys([*STANDARD_QUESTIONS, params.survey_question, params.places_question]))
    surveys: list[str] = []
    if survey is not None:
        questions += [str(q) for q in survey["question"].unique() if q not in questions]
        surveys = [str(s) for s in survey["survey"].unique()]
    for i, b in enumerate(params.series_breaks):
        for key, value, known, where in (
            ("category", b.category, categories, "brottskategorierna (crime_categories)"),
            ("question", b.question, questions, "enkätfrågorna"),
            ("survey", b.survey, surveys, "enkätdatans undersökningar (survey)" if survey is not None else "enkätdata (tabellen survey saknas)"),
        ):
            if value is not None and value not in known:
                hint = _did_you_mean(value, known)
                listed = f"; kända: {', '.join(known)}" if known and not hint and len(known) <= 20 else ""
                origin = " över ".join(str(f) for f in reversed(list(files))) or "params"
                raise ConfigError(
                    f"{origin}: nyckeln 'series_breaks.{i}.{key}' har värdet {value!r}, som inte finns bland {where} i {data.data_dir} "
                    f"({hint}ett serieuppbrott i en okänd serie visas aldrig{listed})"
                )


@dataclass(frozen=True)
class ReportTarget:
    """One report's inputs, parsed and checked once: its params (``period_end`` a real day of
    ``year``), the params files they came from, the data set, and the report's area and period.

    Made by :func:`report_target`; ``build``, ``check``, ``batch``, ``edit`` and
    :func:`chapter_context` all start from one.
    """

    params: ReportParams
    params_files: tuple[Path, ...]
    data: DataSet
    row_counts: dict = field(default_factory=dict)

    @property
    def area(self) -> Area:
        return self.data.areas.get(self.params.area)

    @property
    def period_start(self) -> dt.date:
        return dt.date(self.params.year, 1, 1)

    @property
    def period_end(self) -> dt.date:
        return self.params.period_end_date()


def report_target(
    year: int | None = None,
    area: str | None = None,
    params_file: str | Path | None = None,
    data_dir: str | Path | None = None,
    *,
    validate: bool = True,
    loaded: tuple[ReportParams, list[Path]] | None = None,
) -> ReportTarget:
    """Resolve and check one report's inputs, before anything runs.

    Parameters
    ----------
    year, area, params_file
        As for :func:`~lagesbild_lib.params.load_params` (None: from the params files).
    data_dir
        The data folder; None or empty for the demo data (generated when missing).
    validate
        Validate every present table whole (cached per file version); a chapter, which runs
        after the build has validated, passes False.
    loaded
        The params already loaded by the caller (the build's up-to-date check), so they are
        read and merged once.

    Raises
    ------
    ConfigError, DataError
        Bad params (``period_end`` that is no day of the year included), an area or year the
        data do not have, or a table that breaks the data contract (exit code 2).
    """
    params, files = loaded if loaded is not None else load_params(year, area, params_file or None)
    data = DataSet(resolve_data_dir(data_dir), selections_of(params))
    counts = data.validate_all() if validate else {}
    check_available(data, [params.year], [params.area])
    if validate:
        check_series_breaks(params, data, files)
    return ReportTarget(params, tuple(files), data, counts)


def selections_of(params: ReportParams) -> Selections:
    """The survey questions a report selects on: the standard ids and those its params name."""
    return Selections.for_report(params.survey_question, params.places_question)


def input_problems(
    year: int | None = None,
    area: str | None = None,
    params_file: str | Path | None = None,
    data_dir: str | Path | None = None,
) -> tuple[ReportTarget | None, list[str], int]:
    """Everything wrong with one report's inputs, for ``lagesbild check``: the params, every table
    of the data folder, and (when both are sound) the year and area asked for.

    Returns
    -------
    (the report's target, or None when anything is wrong; the messages, at most
    :data:`~lagesbild_lib.data.validate.LIMIT`; how many problems were found)
    """
    from lagesbild_lib.data.validate import LIMIT, Problems
    from lagesbild_lib.errors import DataError

    problems = Problems()
    loaded = None
    try:
        loaded = load_params(year, area, params_file or None)
    except ConfigError as exc:
        problems.add(str(exc))
    counts: dict = {}
    data = None
    try:
        data = DataSet(resolve_data_dir(data_dir), selections_of(loaded[0]) if loaded else None)
        counts = data.validate_all()
    except DataError as exc:
        problems.add(exc)
    if loaded is not None and data is not None and not problems:
        try:
            check_available(data, [loaded[0].year], [loaded[0].area])
            check_series_breaks(loaded[0], data, loaded[1])
        except ConfigError as exc:
            problems.add(str(exc))
    if problems:
        return None, problems.messages[:LIMIT], len(problems)
    return ReportTarget(loaded[0], tuple(loaded[1]), data, counts), [], 0


def chapter_context(year: int, area: str, data_dir: str = "", params_file: str = "") -> ChapterContext:
    """Resolve a chapter's parameters and set the session's global state.

    Parameters
    ----------
    year, area
        The report's year and area id.
    data_dir
        The data folder; empty for the demo data (generated if missing).
    params_file
        The report's own params file; empty for ``params/<year>/<area>.yml`` when it exists.

    Raises
    ------
    ConfigError, DataError
        Bad parameters, an unknown year or area, or data that breaks the contract.
    """
    setup_session()
    target = report_target(year, area, params_file, data_dir, validate=False)
    params, data = target.params, target.data
    # What the checks above looked at is the build's concern (it checks the same before any
    # chapter runs); from here on, record only what the chapter itself reads: the registry first.
    data.accessed.clear()
    data.path("areas")
    registry = data.areas
    city_id = registry.city_of(params.area)
    ctx = ChapterContext(
        params=params,
        data=data,
        area=registry.get(params.area),
        city=registry.get(city_id) if city_id else None,
        sub_areas=tuple(registry.get(a) for a in registry.children(params.area)),
        period_start=target.period_start,
        period_end=target.period_end,
    )
    _CONTEXTS.append(ctx)
    return ctx
