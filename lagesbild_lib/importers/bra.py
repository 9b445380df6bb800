"""Brå's statistical database export of reported crimes → ``crime_counts``.

The export is a CSV (UTF-8 with a byte order mark, ``;``-separated, decimal comma) or an Excel
sheet, in one of two shapes, with any title lines above the header and footnotes below:

*wide* — one column per period::

    Region;Brott;2021;2022;2023 prel.
    0180 Stockholm;Misshandel;9 412;9 180;8 950

*long* — one row per period::

    Region;Regionkod;Brott;År;Månad;Antal
    Hässelby-Vällingby;01808;Misshandel;2023;januari;41

Periods are years (``2023``) or months (``2023M01``, ``2023-01``, ``januari 2023``, or a year
column beside a month column). ``..`` is a suppressed value (written as 0 with ``suppressed``
true), ``-`` is zero, ``prel.`` (in the period or the value) marks preliminary figures. Regions
are matched to area ids by name (or by code, through a code column of the areas table or the
analyst's name list). Crime types are matched to the folder's ``crime_categories`` by label or
id; types it lacks are added to it (group "Övriga brott"), and totals ("Samtliga brott") are left out.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from lagesbild_lib.errors import DataError, plural
from lagesbild_lib.importers.names import AreaMatcher, name_key
from lagesbild_lib.importers.output import ImportResult, Target
from lagesbild_lib.importers.periods import month_number, parse_period, strip_preliminary
from lagesbild_lib.importers.sheet import Sheet, cell_text, compact, find_header, is_empty, read_sheet

ROLES = {
    "region": ("region", "regioner", "omrade", "geografi", "kommun", "stadsdelsomrade", "lan", "region namn", "regionnamn"),
    "code": ("regionkod", "region kod", "regionid", "region id", "kod", "kommunkod", "region nr"),
    "crime": ("brott", "brottstyp", "brottstyper", "brottskategori", "brottskategorier", "brottsrubrik", "brottsrubricering"),
    "year": ("ar", "year"),
    "month": ("manad", "month"),
    "period": ("period", "tid", "tidsperiod"),
    "value": ("antal", "antal anmalda brott", "anmalda brott", "varde", "value"),
    "measure": ("matt", "enhet", "redovisning", "matt enhet", "statistikuppgift"),
}
TOTALS = ("samtliga brott", "samtliga", "totalt", "summa", "alla brott", "total", "brott totalt", "samtliga brottstyper")
NEW_GROUP = "Övriga brott"
COUNT_EXPECTED = "ett antal: ett heltal, '..' för ett skyddat värde eller '-' för noll"
ORIGIN = "Brå, statistikdatabasen över anmälda brott (export {name}, importerad med lagesbild import bra)"


def parse_count(sheet: Sheet, row: int, column: str, value: object) -> tuple[int, bool, bool] | None:
    """A cell → (count, suppressed, preliminary); None for an empty cell.

    Raises
    ------
    DataError
        Text that is not a count, a negative number or a fraction (a rate, not a count).
    """
    if is_empty(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number, prel = float(value), False
    else:
        text, prel = strip_preliminary(str(value))
        text = compact(text)
        if text in ("..", ".", "…", "...", ":"):
            return 0, True, prel
        if text in ("-", "–", "—", "0"):
            return 0, False, prel
        if not re.fullmatch(r"\d+(?:[.,]\d+)?", text):
            raise sheet.bad(row, column, value, COUNT_EXPECTED)
        number = float(text.replace(",", "."))
    if number < 0 or not float(number).is_integer():
        raise sheet.bad(row, column, value, COUNT_EXPECTED + " (brott per 100 000 invånare går inte att importera som antal)")
    return int(number), False, prel


def import_bra(source: Path, target: Target, *, own_names: dict[str, str] | None = None,
               category_map: dict[str, str] | None = None, sheet_name: str | None = None) -> ImportResult:
    """Read a Brå export into a ``crime_counts`` table.

    Parameters
    ----------
    source
        The export (CSV or Excel); only read.
    target
        Where the result goes and whose area registry and crime categories are used.
    own_names
        The analyst's ``{region name or code: area_id}`` list (``--names``).
    category_map
        The analyst's ``{Brå crime type: category}`` list (``--categories``); an empty category
        leaves that type out.

    Raises
    ------
    DataError
        No header, an unreadable period or value (one sentence naming file, row, column and value),
        or no region that matches the registry.
    """
    sheet = read_sheet(source, sheet_name)
    header, roles = find_header(sheet, ROLES, ("region", "crime"))
    names = [cell_text(c) for c in sheet.rows[header]]
    long = "value" in roles and any(r in roles for r in ("year", "period"))
    periods: dict[int, tuple[int, int | None, bool]] = {}
    if not long:
        used = set(roles.values())
        for j, label in enumerate(names):
            if j in used or not label:
                continue
            parsed = parse_period(label)
            if parsed is None:
                raise DataError(
                    f"{sheet.where(header, label)}: kolumnrubriken {label!r} är ingen period; "
                    "förväntade ett år (2023, '2023 prel.') eller en månad (2023M01, 'januari 2023') i varje kolumn efter region och brott"
                )
            periods[j] = parsed
        if not periods:
            raise DataError(
                f"{sheet.where(header)}: inga periodkolumner och ingen kolumn 'Antal'; förväntade en bred export "
                "(en kolumn per år eller månad) eller en lång (kolumnerna År/Period och Antal)"
            )

    matcher = AreaMatcher(target.registry, prefer=("kommun", "stadsdelsomrade", "leaf"), own_names=own_names, codes=_codes(target))
    categories = target.categories()
    categorise = _Categoriser(categories, category_map or {})
    records: list[dict] = []
    skipped_measures: set[str] = set()
    region = code = ""
    for i in range(header + 1, len(sheet.rows)):
        row = sheet.rows[i] + [None] * (len(names) - len(sheet.rows[i]))
        if not any(not is_empty(c) for c in row):
            continue
        # exports leave the region empty under its first row (a pivot layout): carry it down
        region = cell_text(row[roles["region"]]) or region
        if "code" in roles:
            code = cell_text(row[roles["code"]]) or code
        crime = cell_text(row[roles["crime"]])
        if not crime:
            continue  # a footnote ("Källa: Brå", ".. = uppgift saknas") or a blank line
        if "measure" in roles and not name_key(row[roles["measure"]]).startswith("antal"):
            skipped_measures.add(cell_text(row[roles["measure"]]))
            continue
        if long:
            cells = [(roles["value"], _long_period(sheet, i, row, roles, names))]
        else:
            cells = [(j, periods[j]) for j in periods]
        for j, period in cells:
            parsed = parse_count(sheet, i, names[j], row[j])
            if parsed is None:
                continue
            count, suppressed, prel_value = parsed
            year, month, prel = period
            records.append({
                "row": i, "region": f"{code} {region}".strip() if code and not region.startswith(code) else region,
                "crime": crime, "year": year, "month": month, "count": count,
                "preliminary": prel or prel_value, "suppressed": suppressed,
            })
    if not records:
        raise DataError(f"{sheet.path}: inga antal under rubrikraden (rad {header + 1}); förväntade en rad per region och brottstyp med antal")

    frame = pd.DataFrame(records)
    frame["area_id"] = [matcher.match(r) for r in frame["region"]]
    frame["category"] = [categorise(c) for c in frame["crime"]]
    result = ImportResult("bra", Path(source), ORIGIN.format(name=Path(source).name), unmatched=list(matcher.unmatched))
    if frame["area_id"].isna().all():
        shown = ", ".join(repr(n) for n in matcher.unmatched[:5])
        raise DataError(
            f"{sheet.path}: ingen av regionerna matchade områdesregistret i {target.registry_data.data_dir} ({shown}); "
            "förväntade områdesnamn som 'Hässelby-Vällingby', eller ange en namnlista med --names FIL (kolumnerna name, area_id)"
        )
    kept = frame[frame["area_id"].notna() & frame["category"].notna()]
    if kept.empty:
        raise DataError(f"{sheet.path}: alla brottstyper lämnades utanför (summeringar eller en tom kategori i --categories); förväntade minst en brottstyp att importera")
    counts = (
        kept.groupby(["year", "month", "area_id", "category"], dropna=False, sort=True)
        .agg(count=("count", "sum"), preliminary=("preliminary", "any"), suppressed=("suppressed", "any"))
        .reset_index()
    )
    counts["month"] = counts["month"].astype("Int64")
    counts["year"] = counts["year"].astype("Int64")
    result.tables["crime_counts"] = counts[["year", "month", "area_id", "category", "count", "preliminary", "suppressed"]]
    result.new_categories = categorise.new_frame()
    result.notes += _notes(counts, categorise, skipped_measures, sheet)
    return result


def _long_period(sheet: Sheet, i: int, row: list, roles: dict[str, int], names: list[str]) -> tuple[int, int | None, bool]:
    if "period" in roles:
        value = row[roles["period"]]
        parsed = parse_period(value)
        if parsed is None:
            raise sheet.bad(i, names[roles["period"]], value, "ett år (2023, '2023 prel.') eller en månad (2023M01, 'januari 2023')")
        if "month" not in roles or is_empty(row[roles["month"]]):
            return parsed
        year, _, prel = parsed
    else:
        value = row[roles["year"]]
        parsed = parse_period(value)
        if parsed is None or parsed[1] is not None:
            raise sheet.bad(i, names[roles["year"]], value, "ett år som 2023 (eller '2023 prel.')")
        year, _, prel = parsed
    if "month" not in roles or is_empty(row[roles["month"]]):
        return year, None, prel
    text, prel_month = strip_preliminary(cell_text(row[roles["month"]]))
    month = month_number(text)
    if month is None:
        raise sheet.bad(i, names[roles["month"]], row[roles["month"]], "en månad: 1–12 eller månadens namn (januari …)")
    return year, month, prel or prel_month


def _codes(target: Target) -> dict[str, str]:
    from lagesbild_lib.importers.names import codes_of

    return codes_of(target.areas_frame)


class _Categoriser:
    """Brå crime type → category of crime_categories; totals left out; others become new categories."""

    def __init__(self, categories: pd.DataFrame | None, own: dict[str, str]):
        self.own = {name_key(k): v.strip() for k, v in own.items()}
        self.known: dict[str, str] = {}
        if categories is not None:
            for cat, label in zip(categories["category"], categories["label"]):
                self.known.setdefault(name_key(label), cat)
                self.known.setdefault(name_key(cat), cat)
        self.existing = set(categories["category"]) if categories is not None else set()
        self.new: dict[str, str] = {}  # category id → label
        self.totals: list[str] = []
        self.left_out: list[str] = []

    def __call__(self, crime: str) -> str | None:
        key = name_key(crime)
        if key in self.own:
            if not self.own[key]:
                if crime not in self.left_out:
                    self.left_out.append(crime)
                return None
            return self.own[key]
        if key in self.known:
            return self.known[key]
        if key in TOTALS:
            if crime not in self.totals:
                self.totals.append(crime)
            return None
        category = key.replace(" ", "_") or "okand"
        if category in self.existing and category not in self.new:
            category += "_bra"
        self.new.setdefault(category, crime)
        return category

    def new_frame(self) -> pd.DataFrame:
        rows = [
            {"category": c, "label": label, "group": NEW_GROUP, "compstat": True, "violent": False, "intimate_partner": False}
            for c, label in self.new.items()
        ]
        return pd.DataFrame(rows, columns=["category", "label", "group", "compstat", "violent", "intimate_partner"])


def _notes(counts: pd.DataFrame, categorise: _Categoriser, skipped_measures: set[str], sheet: Sheet) -> list[str]:
    notes = list(sheet.notes)
    prel = sorted({int(y) for y in counts.loc[counts["preliminary"], "year"]})
    if prel:
        notes.append(f"Uppgifterna för {', '.join(map(str, prel))} är preliminära (prel.).")
    suppressed = int(counts["suppressed"].sum())
    if suppressed:
        notes.append(f"{plural(suppressed, 'antal var skyddat', 'antal var skyddade')} ('..') och skrevs som 0 med suppressed = true.")
    if counts["month"].isna().all():
        notes.append("Antalen gäller hela år: CompStat kan då bara jämföra hela år (period_end: '12-31').")
    if categorise.new:
        notes.append(
            f"{plural(len(categorise.new), 'brottstyp saknades', 'brottstyper saknades')} i crime_categories och lades till i gruppen '{NEW_GROUP}': "
            f"{', '.join(categorise.new.values())}; ändra grupp och flaggor i crime_categories.csv vid behov."
        )
    if categorise.totals:
        notes.append(f"Summeringsrader lämnades utanför: {', '.join(categorise.totals)}.")
    if categorise.left_out:
        notes.append(f"Utelämnade enligt --categories: {', '.join(categorise.left_out)}.")
    if skipped_measures:
        notes.append(f"Rader med andra mått än antal lämnades utanför: {', '.join(sorted(skipped_measures))}.")
    return notes
