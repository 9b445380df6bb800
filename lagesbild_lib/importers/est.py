"""The weekly assessment log (EST, "effektiv samordning för trygghet") → ``weekly_assessments``
and, when the log notes them, ``critical_events``.

The log is an Excel sheet or a CSV in one of two shapes, with any title rows (often merged) above
the header and a header that may span two rows (merged cells are read as they look):

*long* — one row per week and sub-area: columns Vecka, Område (or Delområde, Stadsdel), Nivå
(or Läge, Bedömning), optionally År and Kritisk händelse (free text or a flag such as ``x``/``ja``);

*wide* — one row per week and one column per sub-area holding its level.

Weeks are ``v. 12``, ``v12``, ``vecka 12``, ``12``, ``2023-W12`` or a date; a week without a year
takes it from an År column, ``--year``, or the one year in the title. Levels are 1–5 or their
Swedish names ("Oroande läge"). An empty level cell is a week without an assessment.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from lagesbild_lib.errors import DataError
from lagesbild_lib.analysis.weekly import LEVELS
from lagesbild_lib.importers.names import AreaMatcher, name_key
from lagesbild_lib.importers.output import ImportResult, Target
from lagesbild_lib.importers.periods import parse_week, week_monday, weeks_in
from lagesbild_lib.importers.sheet import Sheet, cell_text, header_roles, is_empty, read_sheet, title_text, year_in

ROLES = {
    "week": ("vecka", "v", "veckonummer", "vecka nr", "veckonr", "v nr", "week", "iso vecka", "isovecka"),
    "year": ("ar", "year"),
    "area": ("omrade", "delomrade", "stadsdel", "stadsdelsomrade", "geografiskt omrade", "area", "plats"),
    "level": ("niva", "lage", "bedomning", "lagesbedomning", "lagesniva", "level", "niva 1 5", "samlad bedomning"),
    "event": ("kritisk handelse*", "kritiska handelser*", "handelse", "handelser", "kritisk*"),
}
LEVEL_EXPECTED = "en nivå 1–5 eller nivåns namn (" + ", ".join(name for name, _ in LEVELS.values()) + ")"
FLAG_YES = {"x", "ja", "j", "1", "true", "sant", "yes", "✓", "✔", "*"}
FLAG_NO = {"", "nej", "n", "0", "false", "falskt", "no", "-", "–"}
EVENT_WORDS = (
    ("handgranat", "handgranat"), ("spräng", "sprängning"), ("detonation", "sprängning"), ("explosion", "sprängning"),
    ("skott", "skjutning"), ("skjut", "skjutning"), ("mordbrand", "brandattentat"), ("brand", "brandattentat"),
)
GENERIC_EVENT = "kritisk händelse"
ORIGIN = "EST-logg {name} (den gemensamma veckovisa lägesbedömningen, importerad med lagesbild import est)"
_LEVEL_NAMES = {name_key(name): n for n, (name, _) in LEVELS.items()} | {name_key(name).split()[0]: n for n, (name, _) in LEVELS.items()}


def parse_level(value: object) -> int | None:
    """``3``, ``3.0``, ``"Nivå 3"``, ``"3 – Oroande läge"``, ``"Oroande läge"``, ``"oroande"`` → 3; empty → None.

    Raises
    ------
    ValueError
        Anything else.
    """
    if is_empty(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 1 <= value <= 5:
            return int(value)
        raise ValueError(value)
    key = name_key(value)
    match = re.fullmatch(r"(?:niva\s*)?([1-5])(?:\s+.*)?", key)
    if match:
        return int(match.group(1))
    if key in _LEVEL_NAMES:
        return _LEVEL_NAMES[key]
    raise ValueError(value)


def event_type(value: object) -> str | None:
    """A log's critical-event cell → our event type; None when it says there was none.

    A flag (``x``, ``ja``, ``1``) gives "kritisk händelse"; free text is typed by its words
    ("Skottlossning vid torget" → skjutning), else "kritisk händelse".
    """
    text = cell_text(value).strip()
    if text.lower() in FLAG_NO:
        return None
    if text.lower() in FLAG_YES:
        return GENERIC_EVENT
    lowered = text.lower()
    for word, kind in EVENT_WORDS:
        if word in lowered:
            return kind
    return GENERIC_EVENT


def _header(sheet: Sheet) -> tuple[int, int, list[str], dict[str, int]]:
    """(first header row, first data row, column names, roles): the header may span two rows."""
    for i, row in enumerate(sheet.rows[:30]):
        roles = header_roles(row, ROLES)
        if "week" not in roles:
            continue
        names = [cell_text(c) for c in row]
        first_data = i + 1
        week_col = roles["week"]
        # a second header row (sub-area names under a merged "Delområde"): its week cell is empty
        # or repeats the week heading (a merged cell); a data row always has a week there
        while first_data < len(sheet.rows) and first_data <= i + 2:
            below = list(sheet.rows[first_data]) + [None] * (len(names) - len(sheet.rows[first_data]))
            week_cell = cell_text(below[week_col])
            if (week_cell and name_key(week_cell) != name_key(names[week_col])) or not any(cell_text(c) for c in below):
                break
            for j, cell in enumerate(below[: len(names)]):
                if cell_text(cell):
                    names[j] = cell_text(cell)
            first_data += 1
        roles = header_roles(names, ROLES)
        return i, first_data, names, roles
    raise DataError(f"{sheet.path}: ingen rubrikrad med en veckokolumn ('Vecka') bland de första 30 raderna; förväntade en rubrikrad som Vecka, Område, Nivå")


def import_est(source: Path, target: Target, *, own_names: dict[str, str] | None = None,
               year: int | None = None, sheet_name: str | None = None, events: bool = True) -> ImportResult:
    """Read a weekly assessment log into ``weekly_assessments`` (and ``critical_events``).

    Parameters
    ----------
    year
        The ISO year of weeks given without one (default: an År column or the title's year).
    events
        Also write the critical events the log notes (dated on the Monday of their week).

    Raises
    ------
    DataError
        No week column, a week or level that cannot be read, a week twice for one sub-area, or
        no sub-area that matches the registry.
    """
    sheet = read_sheet(source, sheet_name)
    head, first, names, roles = _header(sheet)
    default_year = year or year_in(title_text(sheet, head))
    matcher = AreaMatcher(target.registry, prefer=("leaf", "stadsdelsomrade"), own_names=own_names)
    long = "area" in roles and "level" in roles
    if long:
        columns = None
    else:
        used = {j for r, j in roles.items() if r in ("week", "year", "event")}
        columns = {j: n for j, n in enumerate(names) if j not in used and n}
        if not columns:
            raise DataError(f"{sheet.where(head)}: inga kolumner för delområden bredvid veckokolumnen; förväntade kolumnerna Område och Nivå, eller en kolumn per delområde")
    assessments: list[dict] = []
    found_events: list[dict] = []
    seen: dict[tuple[int, int, str], int] = {}
    wide_areas: dict[int, str | None] = {}
    last: dict[str, object] = {}
    for i in range(first, len(sheet.rows)):
        row = list(sheet.rows[i]) + [None] * (len(names) - len(sheet.rows[i]))
        if not any(not is_empty(c) for c in row):
            continue
        content = [roles["level"]] if long else list(columns)
        if all(is_empty(row[j]) for j in content):
            continue  # a note under the table ("Nivåer: 1 Normalt läge …") or a week without levels
        if long:  # a log grouped by week or by sub-area leaves the repeated cell empty: carry it down
            for role in ("week", "area", "year"):
                if role in roles and is_empty(row[roles[role]]):
                    row[roles[role]] = last.get(role)
                elif role in roles:
                    last[role] = row[roles[role]]
        week_cell = row[roles["week"]]
        if is_empty(week_cell):
            raise sheet.bad(i, names[roles["week"]], "", "en ISO-vecka som 'v. 12', '12' eller '2023-W12' på varje rad med nivåer")
        row_year = default_year
        if "year" in roles and not is_empty(row[roles["year"]]):
            text = cell_text(row[roles["year"]])
            if not re.fullmatch(r"(19|20|21)\d\d", text):
                raise sheet.bad(i, names[roles["year"]], row[roles["year"]], "ett år som 2023")
            row_year = int(text)
        parsed = parse_week(week_cell, row_year)
        if parsed is None and parse_week(week_cell, 2000) is not None:
            raise DataError(
                f"{sheet.where(i, names[roles['week']])}: veckan {cell_text(week_cell)!r} saknar år; "
                "förväntade en kolumn År, ett år i rubriken (t.ex. 'Lägesbedömning 2023') eller --year"
            )
        if parsed is None:
            raise sheet.bad(i, names[roles["week"]], week_cell, "en ISO-vecka som 'v. 12', '12' eller '2023-W12'")
        iso_year, week = parsed
        if not 1 <= week <= weeks_in(iso_year):
            raise sheet.bad(i, names[roles["week"]], week_cell, f"en ISO-vecka 1–{weeks_in(iso_year)} (ISO-året {iso_year} har {weeks_in(iso_year)} veckor)")
        if long:
            cells = [(roles["level"], matcher.match(cell_text(row[roles["area"]])))]
        else:
            for j, name in columns.items():
                if j not in wide_areas:
                    wide_areas[j] = matcher.lookup(name)
            cells = [(j, wide_areas[j]) for j in columns]
        for j, area in cells:
            try:
                level = parse_level(row[j])
            except ValueError:
                if not long and wide_areas.get(j) is None:
                    continue  # a comment column beside the sub-areas
                raise sheet.bad(i, names[j], row[j], LEVEL_EXPECTED) from None
            if level is None or area is None:
                continue
            key = (iso_year, week, area)
            if key in seen:
                raise DataError(
                    f"{sheet.where(i)}: vecka {iso_year}-W{week:02d} för {target.registry.name(area)!r} finns två gånger "
                    f"(även rad {seen[key] + 1}); förväntade en nivå per vecka och delområde"
                )
            seen[key] = i
            assessments.append({"year": iso_year, "week": week, "area_id": area, "level": level})
            if long and "event" in roles:
                kind = event_type(row[roles["event"]])
                if kind:
                    found_events.append({"event_date": week_monday(iso_year, week).isoformat(), "area_id": area, "type": kind, "fatal": False})
    if not long:
        for j, name in columns.items():
            if wide_areas.get(j) is None and _has_levels(sheet, first, j):
                matcher.match(name)
    result = ImportResult("est", Path(source), ORIGIN.format(name=Path(source).name), unmatched=list(matcher.unmatched))
    if not assessments:
        if matcher.unmatched:
            raise DataError(
                f"{sheet.path}: inget av delområdena matchade områdesregistret i {target.registry_data.data_dir} "
                f"({', '.join(repr(n) for n in matcher.unmatched[:5])}); förväntade namn som 'Hässelby gård', eller en namnlista med --names FIL"
            )
        raise DataError(f"{sheet.path}: inga veckonivåer under rubrikraden (rad {head + 1}); förväntade en nivå per vecka och delområde")
    frame = pd.DataFrame(assessments).sort_values(["year", "week", "area_id"]).reset_index(drop=True)
    result.tables["weekly_assessments"] = frame
    result.notes += list(sheet.notes)
    if events and found_events:
        result.tables["critical_events"] = pd.DataFrame(found_events).sort_values(["event_date", "area_id"], kind="stable").reset_index(drop=True)
        result.notes.append("Kritiska händelser ur EST-loggen har veckans måndag som datum och typ efter ord i texten (annars 'kritisk händelse').")
    return result


def _has_levels(sheet: Sheet, first: int, j: int) -> bool:
    """True when column ``j`` holds levels (so an unmatched heading is a sub-area, not a comment column)."""
    values = [r[j] for r in sheet.rows[first:] if j < len(r) and not is_empty(r[j])]
    try:
        return bool(values) and all(parse_level(v) is not None for v in values)
    except ValueError:
        return False
