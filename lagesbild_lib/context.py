"""What a chapter notebook starts from: its parameters resolved into params, data and areas.

``chapter_context`` is the one call a chapter makes after its ``parameters`` cell; it works the
same in a papermill run, in JupyterLab and in a plain Python session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .data.areas import Area, AreaRegistry
from .data.dataset import DataSet
from .errors import ConfigError
from .params import ReportParams, load_params
from .session import setup_session


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


def resolve_data_dir(data_dir: str | Path | None) -> Path:
    """The data folder to use: the given one, or the demo data (generated when missing)."""
    if data_dir:
        return Path(data_dir).expanduser().resolve()
    from .demo_data import ensure_demo_data

    return ensure_demo_data(paths.demo_data_dir())


def check_report_target(params: ReportParams, data: DataSet) -> None:
    """Refuse a year without crime data or an area not in the registry, listing what is available.

    Raises
    ------
    ConfigError
    """
    registry = data.areas
    if params.area not in registry:
        raise ConfigError(
            f"unknown area '{params.area}' in {data.data_dir}; available areas: {', '.join(registry.report_areas())} "
            "(or any other area_id of the areas table)"
        )
    years = data.crime_years
    if params.year not in years:
        shown = f"{years[0]}–{years[-1]}" if years == list(range(years[0], years[-1] + 1)) else ", ".join(map(str, years))
        raise ConfigError(f"no crime data for the year {params.year} in {data.data_dir}; available years: {shown}")


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
    params, _ = load_params(year=year, area=area, params_file=params_file or None)
    data = DataSet(resolve_data_dir(data_dir))
    check_report_target(params, data)
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
        period_start=dt.date(params.year, 1, 1),
        period_end=params.period_end_date(),
    )
    _CONTEXTS.append(ctx)
    return ctx
