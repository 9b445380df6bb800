"""Run configuration and narrative (DESIGN §7), loaded into frozen pydantic models.

``params/defaults.yml`` holds the defaults; a report's own file (``--params FILE`` or
``params/<year>/<area>.yml``) is merged over it, and ``year``/``area`` given on the command line
override both. Unknown keys are an error, and so is a value of the wrong type.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, StrictInt, ValidationError, ValidationInfo, field_validator, model_validator

from lagesbild_lib import paths
from lagesbild_lib.data.known_values import (
    QUESTION_PLACES,
    QUESTION_UNSAFE_EVENING,
    STANDARD_QUESTIONS,
    near_miss,
)
from lagesbild_lib.errors import ConfigError, os_reason, yaml_problem
from lagesbild_lib.params.dates import _period_end_date, parse_period_end
from lagesbild_lib.params.models import (
    NARRATIVE_SLOTS,
    PRIORITY_AREA_KEYS,
    Diarienummer,
    LocalPriorityArea,
    NarrativeFigure,
    PriorityArea,
    SeriesBreak,
    Signoff,
    Source,
    _Frozen,
)

AREA_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ReportParams(_Frozen):
    """Every parameter of one report (DESIGN §7)."""

    year: StrictInt = Field(ge=1990, le=2100)
    area: str
    period_end: str = "10-31"
    title: str = "Lokal lägesbild"
    diarienummer: str | Diarienummer = ""  # one text, or the förvaltning's and the police's
    lokalpolisomrade: str = ""
    classification: str = "Begränsad spridning"
    parties: list[str] = Field(default_factory=list)
    survey_question: str = QUESTION_UNSAFE_EVENING
    places_question: str = QUESTION_PLACES
    survey_questions: list[str] = Field(default_factory=list)  # Trygghet overview: question ids in order; []: all
    suppress_below: StrictInt = Field(default=0, ge=0)
    status: Literal["utkast", "granskad", "fastställd"] = "utkast"
    signoff: Signoff = Field(default_factory=Signoff)  # both parties' review; see _older_reviewer_keys
    narrative: dict[str, str] = Field(default_factory=dict)
    narrative_figures: dict[str, NarrativeFigure] = Field(default_factory=dict)
    priority_areas: dict[str, PriorityArea] = Field(default_factory=dict)
    local_priority_areas: list[LocalPriorityArea] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    series_breaks: list[SeriesBreak] = Field(default_factory=list)
    # the public version (``--offentlig``, lagesbild_lib.report.public)
    public_suppress_below: StrictInt = Field(default=10, ge=0)
    public_classification: str = "Offentlig version"
    internal_sections: list[str] = Field(default_factory=list)
    internal_narrative: list[str] = Field(default_factory=list)
    #: Which indicators are risk and which protective factors (chapter Orsaker), over the shipped
    #: default (lagesbild_lib/resources/risk_factors.csv): indicator id -> risk | skydd.
    risk_factors: dict[str, Literal["risk", "skydd"]] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _older_reviewer_keys(cls, data: object) -> object:
        """``reviewed_by``/``reviewed_on`` at the top level (the form before ``signoff``) still work:
        they are the förvaltning's review. Given together with ``signoff.forvaltning``, it is an error."""
        if not isinstance(data, dict) or not {"reviewed_by", "reviewed_on"} & data.keys():
            return data
        data = dict(data)
        older = {k: data.pop(k) for k in ("reviewed_by", "reviewed_on") if k in data}
        older = {k: v for k, v in older.items() if v not in (None, "")}
        signoff = data.get("signoff") or {}
        own = signoff.get("forvaltning") or {} if isinstance(signoff, dict) else None
        if not older or not isinstance(own, dict):
            return data  # nothing to carry over, or a signoff of the wrong type (named by its own check)
        if any(own.get(k) not in (None, "") for k in ("reviewed_by", "reviewed_on")):
            raise ValueError(
                "förvaltningens granskning står både som reviewed_by/reviewed_on (den äldre formen) och under "
                "signoff.forvaltning; ange den bara under signoff.forvaltning"
            )
        data["signoff"] = {**signoff, "forvaltning": {**own, **older}}
        return data

    @field_validator("area")
    @classmethod
    def _area_is_slug(cls, value: str) -> str:
        if not AREA_ID_RE.match(value):
            raise ValueError(
                "ett områdes-id skrivs med små ASCII-bokstäver som 'hasselby-vallingby' "
                "(bokstäverna a-z, siffror och enstaka bindestreck)"
            )
        return value

    @field_validator("period_end", mode="before")
    @classmethod
    def _period_end_parses(cls, value: object) -> str:
        if isinstance(value, dt.date):  # YAML reads an unquoted 2023-10-31 as a date
            value = value.isoformat()
        if not re.fullmatch(r"(\d{4}-)?\d{2}-\d{2}", str(value)):
            raise ValueError("förväntade MM-DD (t.ex. '10-31') eller ett fullständigt datum ÅÅÅÅ-MM-DD")
        return str(value)

    @field_validator("period_end")
    @classmethod
    def _period_end_in_year(cls, value: str, info: ValidationInfo) -> str:
        year = info.data.get("year")
        if isinstance(year, int):
            _period_end_date(value, year)  # ValueError: named with the key and value by load_params
        return value

    @field_validator("survey_question", "places_question")
    @classmethod
    def _not_a_misspelt_standard_question(cls, value: str) -> str:
        meant = near_miss(value, STANDARD_QUESTIONS)
        if meant is not None:
            raise ValueError(f"menade du standardfrågans id {meant!r}?")
        return value

    @field_validator("narrative")
    @classmethod
    def _known_narrative_slots(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = [k for k in value if k not in NARRATIVE_SLOTS]
        if unknown:
            raise ValueError(unknown_slot_sentence(unknown[0]))
        return value

    @field_validator("internal_narrative", "narrative_figures")
    @classmethod
    def _known_internal_slots(cls, value):
        unknown = [k for k in value if k not in NARRATIVE_SLOTS]
        if unknown:
            raise ValueError(f"okänd narrative-nyckel {unknown[0]!r}; förväntade en av {', '.join(NARRATIVE_SLOTS)}")
        return value

    @field_validator("priority_areas")
    @classmethod
    def _known_priority_areas(cls, value: dict[str, PriorityArea]) -> dict[str, PriorityArea]:
        unknown = sorted(set(value) - set(PRIORITY_AREA_KEYS))
        if unknown:
            raise ValueError(
                f"okänt samverkansområde {unknown[0]!r}; förväntade ett av {', '.join(PRIORITY_AREA_KEYS)}"
            )
        return value

    def diarienummer_text(self) -> str:
        """The diarienummer as the title page and page header show them: "X (förvaltningen), Y (polisen)"."""
        d = self.diarienummer
        return d if isinstance(d, str) else ", ".join(f"{v} ({w})" for v, w in ((d.forvaltning, "förvaltningen"), (d.polis, "polisen")) if v)

    def period_end_date(self) -> dt.date:
        """The last day of the year-to-date period (29 Feb falls back to 28 Feb)."""
        return parse_period_end(self.period_end, self.year)


def read_yaml(path: Path) -> dict[str, Any]:
    """Read a params YAML file into a dict; a clear :class:`ConfigError` if it is not one."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: params-filen finns inte") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: ingen UTF-8-text (byte {exc.start}); spara filen som UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{path}: params-filen kan inte läsas ({os_reason(exc)})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", rad {mark.line + 1}, position {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{path}{where}: ogiltig YAML ({yaml_problem(problem)})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: förväntade nycklar med värden (nyckel: värde på var sin rad), hittade {_KINDS.get(type(data).__name__, type(data).__name__)}")
    return data


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``over`` merged into ``base``: nested mappings merge, everything else is replaced."""
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def report_params_file(year: int, area: str) -> Path:
    """``params/<year>/<area>.yml``, the report's own params file by convention."""
    return paths.params_dir() / str(year) / f"{area}.yml"


def load_params(
    year: int | None = None,
    area: str | None = None,
    params_file: Path | str | None = None,
    defaults_file: Path | None = None,
) -> tuple[ReportParams, list[Path]]:
    """Resolve the parameters of one report.

    Parameters
    ----------
    year, area
        Overrides from the command line (or the notebook's parameters cell); ``None`` keeps the
        value from the params files.
    params_file
        The report's own params file. When ``None``, ``params/<year>/<area>.yml`` is used if it exists.
    defaults_file
        Defaults to ``params/defaults.yml``.

    Returns
    -------
    (ReportParams, list of the params files read, in merge order)

    Raises
    ------
    ConfigError
        A file that cannot be read, unknown keys, or values of the wrong type.
    """
    defaults_path = Path(defaults_file) if defaults_file else paths.defaults_file()
    merged = read_yaml(defaults_path)
    check_narrative_keys(defaults_path, merged)
    used = [defaults_path]
    if params_file:
        own = Path(params_file)
    else:
        y = year if year is not None else merged.get("year")
        a = area if area is not None else merged.get("area")
        own = report_params_file(y, a) if isinstance(a, str) and AREA_ID_RE.match(a) else None
        if own is not None and not own.is_file():
            own = None
    if own is not None:
        own_data = read_yaml(own)
        check_narrative_keys(own, own_data)
        merged = deep_merge(merged, own_data)
        used.append(own)
    if year is not None:
        merged["year"] = year
    if area is not None:
        merged["area"] = area
    try:
        return ReportParams.model_validate(merged), used
    except ValidationError as exc:
        given = {k: v for k, v in (("year", year), ("area", area)) if v is not None}
        raise ConfigError(_validation_sentence(exc, used, given)) from None


def unknown_slot_sentence(key: str) -> str:
    """``"okänd nyckel 'narrative.x' (menade du 'narrative.y'? kända narrative-nycklar: …)"``."""
    import difflib

    close = near_miss(key, NARRATIVE_SLOTS) or next(iter(difflib.get_close_matches(key, NARRATIVE_SLOTS, n=1, cutoff=0.5)), None)
    hint = f"menade du 'narrative.{close}'? " if close else ""
    return f"okänd nyckel 'narrative.{key}' ({hint}kända narrative-nycklar: {', '.join(NARRATIVE_SLOTS)}; en text under en annan nyckel skulle aldrig visas)"


def check_narrative_keys(path: Path, data: dict[str, Any]) -> None:
    """Refuse a ``narrative`` key no chapter reads (a misspelt slot would silently not be shown).

    Raises
    ------
    ConfigError
        Naming the file, the key and the closest known slot.
    """
    narrative = data.get("narrative")
    if isinstance(narrative, dict):
        for key in narrative:
            if key not in NARRATIVE_SLOTS:
                raise ConfigError(f"{path}: {unknown_slot_sentence(str(key))}")


#: Clearer wordings than pydantic's for the mistakes people make in a params file.
_EXPECTED = {
    "int_type": "förväntade ett heltal som 2023, skrivet utan citattecken",
    "int_parsing": "förväntade ett heltal som 2023, skrivet utan citattecken",
    "int_from_float": "förväntade ett heltal som 2023",
    "dict_type": "förväntade nycklar med värden (nyckel: värde på var sin rad)",
    "model_type": "förväntade nycklar med värden (nyckel: värde på var sin rad)",
    "list_type": "förväntade en lista (en rad '- värde' per post)",
    "string_type": "förväntade en text",
    "bool_type": "förväntade true eller false",
    "bool_parsing": "förväntade true eller false",
    "date_type": "förväntade ett datum ÅÅÅÅ-MM-DD",
    "date_parsing": "förväntade ett datum ÅÅÅÅ-MM-DD",
    "date_from_datetime_parsing": "förväntade ett datum ÅÅÅÅ-MM-DD",
    "date_from_datetime_inexact": "förväntade ett datum ÅÅÅÅ-MM-DD utan klockslag",
    "float_type": "förväntade ett tal",
    "float_parsing": "förväntade ett tal",
}

#: YAML's and Python's names for what a file holds, in Swedish.
_KINDS = {"list": "en lista", "str": "en text", "int": "ett heltal", "float": "ett tal", "bool": "ett sanningsvärde"}

def _validation_sentence(exc: ValidationError, files: list[Path], given: dict[str, object] | None = None) -> str:
    """Turn pydantic's report into one sentence naming the file(s) (or the command-line option),
    the key and the problem."""
    import difflib

    err = exc.errors()[0]
    key = ".".join(str(p) for p in err["loc"]) or "(översta nivån)"
    where = " över ".join(str(f) for f in reversed(files))
    if not err["loc"] and err["type"] == "value_error":  # a check of the whole file: its own sentence
        return f"{where}: {err['msg'].removeprefix('Value error, ')}"
    if err["type"] == "extra_forbidden":
        inner = _inner_keys(err["loc"])  # e.g. signoff.polis.namn: the keys of signoff.polis
        known = inner or list(ReportParams.model_fields)
        close = difflib.get_close_matches(str(err["loc"][-1]), known, n=1) if len(err["loc"]) == 1 or inner else []
        hint = f"menade du '{close[0]}'? " if close else ""
        return f"{where}: okänd nyckel '{key}' ({hint}kända nycklar{' där' if inner else ''}: {', '.join(known)})"
    if err["type"] == "missing":
        return f"{where}: den obligatoriska nyckeln '{key}' saknas"
    value = err.get("input")
    if isinstance(value, dt.date):  # YAML reads an unquoted 2022-10-31 as a date: show it as written
        value = value.isoformat()
    bounds = err.get("ctx") or {}
    if err["type"] == "greater_than_equal":
        msg = f"förväntade ett tal som är minst {bounds.get('ge')}"
    elif err["type"] == "less_than_equal":
        msg = f"förväntade ett tal som är högst {bounds.get('le')}"
    elif err["type"] == "literal_error":
        msg = f"förväntade {_one_of(bounds.get('expected', ''))}"
    else:
        msg = _EXPECTED.get(err["type"]) or err["msg"].removeprefix("Value error, ")
    if given and key in given:
        return f"--{key} {value!r} är inte giltigt: {msg}"
    return f"{where}: nyckeln '{key}' har värdet {value!r}, som inte är giltigt: {msg}"


def _inner_keys(loc: tuple) -> list[str]:
    """The keys allowed beside the last part of ``loc`` when it lies in nested models only
    (``signoff.polis.x`` -> reviewed_by, role, reviewed_on); [] otherwise."""
    model = ReportParams
    for part in loc[:-1]:
        field = model.model_fields.get(str(part))
        if field is None or not (isinstance(field.annotation, type) and issubclass(field.annotation, _Frozen)):
            return []
        model = field.annotation
    return list(model.model_fields) if len(loc) > 1 else []


def _one_of(expected: str) -> str:
    """pydantic's ``"'a', 'b' or 'c'"`` as ``"ett av 'a', 'b' eller 'c'"``."""
    return "ett av " + re.sub(r" or (?=')", " eller ", str(expected))
