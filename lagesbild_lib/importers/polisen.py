"""The police's public events (polisen.se ``/api/events``, saved as JSON) → ``critical_events``.

Each event is an object with ``id``, ``datetime`` (``"2023-04-13 9:58:49 +02:00"``), ``name``,
``summary``, ``url``, ``type`` and ``location`` (``name``, ``gps`` ``"lat,lng"``). Only the types
that are critical events are kept, through a mapping from the police's type to ours that ships
with lagesbild (``resources/polisen_event_types.csv``: ``polisen_type,type,fatal``; an empty
``type`` leaves the police type out) and that the analyst can extend or override, row by row,
with ``--types FILE`` in the same form.

The location is the kommun or län, and its position is that area's centroid, not the place of
the event: the event gets the kommun's area id, or a sub-area's when exactly one sub-area of it is
named in the event's title or summary. Positions are not written unless asked for
(``--keep-positions``), and then only with that caveat.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from lagesbild_lib import paths
from lagesbild_lib.errors import DataError
from lagesbild_lib.importers.names import AreaMatcher, name_key
from lagesbild_lib.importers.output import ImportResult, Target
from lagesbild_lib.importers.sheet import cell_text, read_bytes, read_json, read_columns

TYPES_FILE = Path(paths.PACKAGE_DIR) / "resources" / "polisen_event_types.csv"
ORIGIN = "Polisens händelser (polisen.se, fil {name}, importerad med lagesbild import polisen-events); platsen är kommunens eller ett namngivet delområdes, inte händelsens exakta position"
POSITION_NOTE = (
    "Positionerna i Polisens händelser är kommunens eller länets mittpunkt, inte platsen för händelsen; "
    "området bestäms av kommunen eller av ett delområde som nämns i händelsens rubrik eller sammanfattning."
)


def read_type_map(path: Path) -> dict[str, tuple[str, bool | None]]:
    """``{police type (name key): (our type or "", fatal)}`` from a mapping CSV.

    Raises
    ------
    DataError
        A missing column or an unreadable fatal flag.
    """
    sheet, (i, j, k) = read_columns(path, ("polisen_type", "type", "fatal"))
    if i is None or j is None:
        raise DataError(f"{path}, rad 1: förväntade kolumnerna polisen_type och type (och eventuellt fatal) i typtabellen")
    mapping: dict[str, tuple[str, bool | None]] = {}
    for n, row in enumerate(sheet.rows[1:], start=1):
        row = list(row) + [None] * (len(sheet.rows[0]) - len(row))
        if not cell_text(row[i]):
            continue
        fatal_text = cell_text(row[k]).lower() if k is not None else ""
        if fatal_text not in ("", "true", "false", "1", "0", "ja", "nej"):
            raise sheet.bad(n, "fatal", row[k], "true/false (eller tomt)")
        fatal = None if not fatal_text else fatal_text in ("true", "1", "ja")
        mapping[name_key(cell_text(row[i]))] = (cell_text(row[j]), fatal)
    return mapping


def _event_date(value: object) -> str | None:
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", str(value or ""))
    return "-".join(match.groups()) if match else None


def _gps(value: object) -> tuple[float, float] | None:
    match = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*", str(value or ""))
    return (float(match.group(1)), float(match.group(2))) if match else None


def import_polisen(source: Path, target: Target, *, own_names: dict[str, str] | None = None,
                   types_file: Path | None = None, keep_positions: bool = False) -> ImportResult:
    """Read a saved Polisen events JSON into ``critical_events``.

    Raises
    ------
    DataError
        Not JSON, not a list of event objects, an event without a readable ``datetime`` or
        ``type`` (one sentence naming the event by its position and id).
    """
    source = Path(source)
    doc = read_json(source, "listan med händelser från Polisens API", _read(source))
    if isinstance(doc, dict) and isinstance(doc.get("events"), list):
        doc = doc["events"]
    if not isinstance(doc, list):
        raise DataError(f"{source}: förväntade en JSON-lista med händelser (objekt med id, datetime, type, location)")
    mapping = read_type_map(TYPES_FILE)
    if types_file is not None:
        mapping.update(read_type_map(Path(types_file)))  # the analyst's rows win over the shipped ones
    matcher = AreaMatcher(target.registry, prefer=("kommun", "leaf"), own_names=own_names)
    rows, seen, unmapped = [], set(), {}
    for n, event in enumerate(doc, start=1):
        if not isinstance(event, dict):
            raise DataError(f"{source}, händelse {n}: {str(event)[:40]!r} är inget objekt; förväntade objekt med id, datetime, type, location")
        label = f"{source}, händelse {n}" + (f" (id {event['id']})" if event.get("id") is not None else "")
        police_type = str(event.get("type") or "").strip()
        if not police_type:
            raise DataError(f"{label}: fältet 'type' saknas; förväntade Polisens händelsetyp, t.ex. 'Skottlossning'")
        date = _event_date(event.get("datetime"))
        if date is None:
            raise DataError(f"{label}, fält 'datetime': värdet {str(event.get('datetime'))[:40]!r} är inte giltigt; förväntade t.ex. '2023-04-13 9:58:49 +02:00'")
        key = event.get("id") if event.get("id") is not None else (date, police_type, event.get("name"))
        if key in seen:
            continue  # the same event in two saved pages of the API
        seen.add(key)
        ours, fatal = mapping.get(name_key(police_type), ("", None))
        if not ours:
            if name_key(police_type) not in mapping:
                unmapped[police_type] = unmapped.get(police_type, 0) + 1
            continue
        location = event.get("location") or {}
        area = matcher.match(location.get("name"))
        if area is None:
            continue
        area = _named_sub_area(target, area, f"{event.get('name', '')} {event.get('summary', '')}")
        gps = _gps(location.get("gps")) if keep_positions else None
        rows.append({
            "event_date": date, "area_id": area, "type": ours, "fatal": fatal if fatal is not None else False,
            "lon": gps[1] if gps else None, "lat": gps[0] if gps else None,
        })
    result = ImportResult("polisen-events", source, ORIGIN.format(name=source.name), unmatched=list(matcher.unmatched))
    frame = pd.DataFrame(rows, columns=["event_date", "area_id", "type", "fatal", "lon", "lat"])
    if frame.empty:
        raise DataError(
            f"{source}: {_none_of(len(doc))} en kritisk händelse i ett känt område; "
            "förväntade händelser av de kända typerna (Skottlossning, Detonation, Explosion, Mordbrand, Mord/dråp …) i en kommun i områdesregistret"
        )
    if not keep_positions:
        frame = frame.drop(columns=["lon", "lat"])
    result.tables["critical_events"] = frame.sort_values(["event_date", "area_id", "type"], kind="stable").reset_index(drop=True)
    result.notes.append(POSITION_NOTE + (" Positionerna skrevs ändå (--keep-positions)." if keep_positions else " Inga positioner skrevs."))
    if unmapped:
        result.notes.append(
            "Händelsetyper som inte finns i typtabellen lämnades utanför: "
            + ", ".join(f"{t} ({c})" for t, c in sorted(unmapped.items())) + "; lägg till dem med --types FIL."
        )
    return result


def _none_of(events: int) -> str:
    """``"ingen av de 12 händelserna är"``, in the right number."""
    if events == 0:
        return "filen har inga händelser, alltså ingen som är"
    return "den enda händelsen är inte" if events == 1 else f"ingen av de {events} händelserna är"


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise DataError(f"{path}: filen finns inte; förväntade JSON-filen med Polisens händelser")
    return read_bytes(path)


def _named_sub_area(target: Target, area: str, text: str) -> str:
    """The one area below ``area`` that the text names (the most specific one), else ``area``.

    Longer names are looked for first and taken out of the text, so "Hässelby-Vällingby" is the
    stadsdelsområde, not also its stadsdel Vällingby.
    """
    words = f" {name_key(text)} "
    registry = target.registry
    below = sorted(registry.descendants(area, include_self=False), key=lambda a: -len(name_key(registry.name(a))))
    hits = []
    for a in below:
        key = f" {name_key(registry.name(a))} "
        if key.strip() and key in words:
            hits.append(a)
            words = words.replace(key, " ")
    hits = [a for a in hits if not any(b != a and a in registry.ancestors(b) for b in hits)]
    return hits[0] if len(hits) == 1 else area
