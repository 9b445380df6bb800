"""SCB's population by region, age, sex and year (PxWebApi v2, JSON-stat 2.0) → ``population``.

``lagesbild import scb-befolkning FIL`` reads a table saved by hand from Statistikdatabasen
(format JSON-stat2) or by ``lagesbild fetch scb-befolkning``; the fetch asks the API itself
(:func:`fetch_scb`). The dataset needs a region dimension (``Region``, or the one with role
``geo``), a year dimension (``Tid``, role ``time``), an age dimension (``Alder``) and a sex
dimension (``Kon``); every other dimension must have one value (choose e.g. civilstånd
"totalt" when saving). Ages are summed into the contract's groups (default ``0-19``, ``20-64``,
``65+``; ``--age-groups fina`` keeps SCB's own bands); a group with one missing band is missing.

Traps handled: ``..``/null stay missing; a RegSO/DeSO of a division that did not exist in a year
has no row for it (see :mod:`.apisource`); codes of the other division than the registry's are
refused with one sentence.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from lagesbild_lib.errors import DataError, plural
from lagesbild_lib.importers.apisource import RegionMap, dated_origin, kommun_codes, kommun_row, record_provenance, save_download, small_area
from lagesbild_lib.importers.jsonstat import Dataset, Dimension, collection, parse_jsonstat, read_jsonstat
from lagesbild_lib.importers.names import codes_of, name_key
from lagesbild_lib.importers.output import ImportResult, Target

API = "https://api.scb.se/OV0104/v2beta/api/v2"
DEFAULT_TABLE = "TAB6574"  # Folkmängden per region efter ålder och kön (kommun, RegSO, DeSO)
DEFAULT_GROUPS = ((0, 19), (20, 64), (65, None))
ORIGIN = "SCB, Statistikdatabasen: {label} (tabell {table}; fil {name}, importerad med lagesbild import scb-befolkning)"


def _find(ds: Dataset, role: str, names: tuple[str, ...], words: tuple[str, ...]) -> Dimension | None:
    for dim_id in ds.role.get(role, []):
        return ds.dimension(dim_id)
    for d in ds.dimensions:
        if d.id.lower() in names or any(w in name_key(d.label).split() for w in words):
            return d
    return None


def _sex(code: str, label: str) -> str | None:
    key = name_key(label or code)
    if code in ("1",) or key.startswith(("man", "men", "male")):
        return "man"
    if code in ("2",) or key.startswith(("kvinn", "women", "female")):
        return "kvinna"
    if code.lower() in ("1+2", "totsa", "t", "tot") or key.startswith(("tot", "bada", "alla", "samtliga")):
        return "alla"
    return None


AGE = re.compile(r"^(\d+)?\s*[-–]\s*(\d+)?$|^(\d+)\s*\+$|^(\d+)$")


def age_band(code: str, label: str = "") -> tuple[int, int | None] | None:
    """``"5-9"`` → (5, 9); ``"-4"`` → (0, 4); ``"80-"``/``"100+"`` → (80, None); ``"17"`` → (17, 17);
    a total (``tot``, ``totalt ålder``) → None."""
    for text in (code, re.sub(r"\s*år$", "", label.strip())):
        m = AGE.match(text.strip())
        if m:
            if m.group(3):
                return int(m.group(3)), None
            if m.group(4):
                return int(m.group(4)), int(m.group(4))
            lo, hi = m.group(1), m.group(2)
            if lo is None and hi is None:
                continue
            return int(lo or 0), int(hi) if hi is not None else None
    return None


def _group_name(lo: int, hi: int | None) -> str:
    return f"{lo}+" if hi is None else f"{lo}-{hi}"


def parse_groups(text: str | None) -> tuple[tuple[int, int | None], ...] | None:
    """``"0-19,20-64,65+"`` → the groups; ``"fina"`` → None (SCB's own bands kept).

    Raises
    ------
    DataError
        A group that is not ``A-B`` or ``A+``.
    """
    if text is None or not str(text).strip():
        return DEFAULT_GROUPS
    if name_key(text) in ("fina", "fin", "scb"):
        return None
    groups = []
    for part in str(text).split(","):
        band = age_band(part.strip())
        if band is None:
            raise DataError(f"--age-groups: {part.strip()!r} är ingen åldersgrupp; förväntade t.ex. 0-19,20-64,65+ eller fina")
        groups.append(band)
    return tuple(groups)


def _group_of(band: tuple[int, int | None], groups) -> tuple[int, int | None] | None:
    lo, hi = band
    for g_lo, g_hi in groups:
        if lo >= g_lo and (g_hi is None or (hi is not None and hi <= g_hi)):
            return g_lo, g_hi
    return None


def import_scb(source: Path, target: Target, *, own_names: dict[str, str] | None = None, age_groups: str | None = None) -> ImportResult:
    """Read SCB population (JSON-stat 2.0, a dataset or a collection) into ``population``.

    Raises
    ------
    DataError
        Not JSON-stat; a needed dimension missing; another dimension with several values; an age
        band that straddles two groups; codes of another RegSO/DeSO division than the registry's;
        no region that matches the registry.
    """
    source = Path(source)
    datasets, extension = read_jsonstat(source)
    groups = parse_groups(age_groups)
    regions = RegionMap(target, own_names)
    cells: dict[tuple[int, str, str, str], list] = {}  # (year, area, age group, sex) → [count or None, region code]
    outside = missing = 0
    other_division: list[str] = []
    versions = regions.registry_versions()
    for ds in datasets:
        region = _find(ds, "geo", ("region",), ("region",))
        time = _find(ds, "time", ("tid", "ar", "år"), ("ar", "tid"))
        age = _find(ds, "", ("alder", "ålder", "age"), ("alder",))
        sex = _find(ds, "", ("kon", "kön", "sex"), ("kon",))
        for what, dim in (("region", region), ("år (Tid)", time), ("ålder (Alder)", age), ("kön (Kon)", sex)):
            if dim is None:
                raise DataError(f"{source}: tabellen har ingen dimension för {what}; förväntade folkmängd efter region, ålder, kön och år")
        used = {region.id, time.id, age.id, sex.id}
        for d in ds.dimensions:
            if d.id not in used and len(d.codes) > 1:
                raise DataError(
                    f"{source}: dimensionen {d.label!r} ({d.id}) har {len(d.codes)} värden; förväntade ett "
                    "(välj t.ex. bara folkmängd eller civilstånd totalt när tabellen sparas)"
                )
        positions = [ds.dimensions.index(d) for d in (region, time, age, sex)]
        for key, value in ds.cells.items():
            r_code, t_code, a_code, s_code = (key[p] for p in positions)
            year_text = t_code.strip()
            if not re.fullmatch(r"\d{4}", year_text):
                raise DataError(f"{source}: tidsperioden {t_code!r} är inget år; förväntade årsvärden (t.ex. 2023), inte månader eller kvartal")
            year = int(year_text)
            band = age_band(a_code, age.labels.get(a_code, ""))
            sex_value = _sex(s_code, sex.labels.get(s_code, ""))
            if band is None or sex_value is None:
                continue  # the age total, or an unknown sex category: the contract has its own totals
            part = small_area(r_code)
            if part is not None and part.kind in versions and part.version not in versions[part.kind]:
                if r_code not in other_division:
                    other_division.append(r_code)
                continue
            area = regions.area(r_code, region.labels.get(r_code, ""))
            if area is None:
                continue
            if part is not None and not part.exists_in(year):
                outside += 1
                continue
            group = band if groups is None else _group_of(band, groups)
            if group is None:
                raise DataError(
                    f"{source}: åldersgruppen {a_code!r} passar inte i någon av grupperna "
                    f"{', '.join(_group_name(*g) for g in groups)}; ange andra grupper med --age-groups eller --age-groups fina"
                )
            slot = cells.setdefault((year, area, _group_name(*group), sex_value), [0.0, r_code])
            if slot[1] != r_code:
                raise DataError(f"{source}: både regionkod {slot[1]} och {r_code} motsvarar området {area!r}; ta bort den ena ur tabellen eller ur areas.csv")
            if value is None or slot[0] is None:
                missing += value is None
                slot[0] = None  # a group with a missing band is missing, not the sum of the rest
            else:
                slot[0] += value
    if other_division and not cells:
        reg = ", ".join(f"{k} {'/'.join(sorted(v))}" for k, v in versions.items())
        raise DataError(
            f"{source}: regionkoderna (t.ex. {other_division[0]}) är av en annan RegSO/DeSO-indelning än områdesregistrets ({reg}); "
            "områdena har andra gränser och kan inte översättas – hämta tabellen med samma indelning som areas.csv, eller byt areas.csv"
        )
    rows = [
        {"year": y, "area_id": a, "age_group": g, "sex": s, "count": int(round(v[0]))}
        for (y, a, g, s), v in sorted(cells.items(), key=lambda kv: (kv[0][0], kv[0][1], _age_sort(kv[0][2]), kv[0][3]))
        if v[0] is not None
    ]
    if not rows:
        raise DataError(f"{source}: ingen folkmängd för ett område i områdesregistret; förväntade regionkoder eller namn som finns i areas.csv (t.ex. en kolumn code med kommunkoden)")
    first = datasets[0]
    meta = extension.get("lagesbild", {}) if isinstance(extension, dict) else {}
    table = meta.get("table") or first.table or "okänd"
    result = ImportResult("scb-befolkning", source, ORIGIN.format(label=first.label or "folkmängd", table=table, name=source.name),
                          unmatched=list(regions.unmatched))
    result.tables["population"] = pd.DataFrame(rows, columns=["year", "area_id", "age_group", "sex", "count"])
    if missing:
        result.notes.append(f"{plural(missing, 'cell', 'celler')} saknade värde ('..' eller null) och lämnades tomma, inte 0.")
    if outside:
        result.notes.append(f"{plural(outside, 'cell', 'celler')} gällde RegSO/DeSO-områden ett år då deras indelning inte fanns och lämnades tomma, inte 0.")
    if other_division:
        result.notes.append(f"Regionkoder av en annan RegSO/DeSO-indelning än områdesregistrets lämnades utanför (t.ex. {other_division[0]}).")
    result.provenance = {
        "url": meta.get("url") or first.href or None, "table": table, "updated": first.updated or None,
        "retrieved": meta.get("retrieved") or None, "publisher": first.source or "SCB",
    }
    result.origin = dated_origin(result.origin, result.provenance)
    return result


def _age_sort(group: str) -> int:
    return int(group.split("-")[0].rstrip("+"))


# ---------------------------------------------------------------------------------------- fetch
def fetch_scb(client, out_dir: Path, target: Target, *, kommun: str, table: str = DEFAULT_TABLE, years: list[int] | None = None,
              api: str = API) -> tuple[Path, dict]:
    """Ask PxWebApi v2 for the population of the kommun, its län, riket, the registry's RegSO/DeSO
    areas of the kommun and the other kommuner the registry holds (the kommungrupp ``init`` wrote,
    for the comparison per 100 000 inv.); save the answers as one JSON-stat collection in ``<out>/nedladdat/``.

    The query is split so that no call asks for more cells than the API allows (``/config``:
    ``maxDataCells``); the client keeps to the call budget. Returns the saved file and the
    provenance. Raises :class:`~lagesbild_lib.importers.http.FetchError` when the API cannot be read.
    """
    row = kommun_row(kommun)
    api = api.rstrip("/")
    config = client.get(f"{api}/config").data
    config = config if isinstance(config, dict) else {}
    max_cells = int(config.get("maxDataCells") or 150_000)
    if config.get("maxCallsPerTimeWindow"):  # the API's own call budget (30 per 10 s when this was written)
        client.max_calls, client.window = int(config["maxCallsPerTimeWindow"]), float(config.get("timeWindow") or client.window)
    meta = client.get(f"{api}/tables/{table}/metadata", {"lang": "sv", "outputFormat": "json-stat2"})
    datasets, _ = parse_jsonstat(meta.data, meta.url)
    ds = datasets[0]
    region = _find(ds, "geo", ("region",), ("region",))
    time = _find(ds, "time", ("tid",), ("tid",))
    if region is None or time is None:
        raise DataError(f"{meta.url}: tabellen {table} har ingen region- eller tidsdimension; välj en folkmängdstabell med --table")
    registry = {str(c).strip() for c in codes_of(target.areas_frame)}
    wanted = {"00", row["lan_kod"], row["kommun_kod"], *kommun_codes(target)}
    wanted |= {c for c in registry if c.startswith(row["kommun_kod"]) and small_area(c) is not None}
    codes = [c for c in region.codes if c in wanted]
    if not codes:
        raise DataError(f"{meta.url}: tabellen {table} har inga värden för {row['kommun']} ({row['kommun_kod']}); välj en annan tabell med --table")
    periods = [c for c in time.codes if years is None or (c.isdigit() and int(c) in years)]
    if not periods:
        raise DataError(f"{meta.url}: tabellen {table} har inga av åren {', '.join(map(str, years or []))}; den har {time.codes[0]}–{time.codes[-1]}")
    selection = {d.id: list(d.codes) if d.id not in (region.id, time.id) else None for d in ds.dimensions}
    for d in ds.dimensions:  # a dimension the import does not read: its total (or its first value)
        if d.id not in (region.id, time.id) and not _is_age_or_sex(d):
            totals = [c for c in d.codes if name_key(d.labels.get(c, c)).startswith(("tot", "folkmangd"))]
            selection[d.id] = [totals[0] if totals else d.codes[0]]
    per_region = 1
    for d in ds.dimensions:
        if d.id not in (region.id, time.id):
            per_region *= len(selection[d.id])
    answers, url = [], f"{api}/tables/{table}/data?lang=sv&outputFormat=json-stat2"
    for chunk_codes, chunk_periods in _chunks(codes, periods, per_region, max_cells):
        body = {"selection": [
            {"variableCode": d.id, "valueCodes": chunk_codes if d.id == region.id else chunk_periods if d.id == time.id else selection[d.id]}
            for d in ds.dimensions
        ]}
        answers.append(client.post(url, body))
    provenance = {"url": url, "table": table, "retrieved": min(a.retrieved for a in answers), "kommun": row["kommun_kod"]}
    doc = collection([a.data for a in answers], {"lagesbild": provenance})
    path = save_download(out_dir, f"scb-befolkning-{table}-{row['kommun_kod']}.json", doc)
    return path, provenance


def _is_age_or_sex(d: Dimension) -> bool:
    return d.id.lower() in ("alder", "ålder", "kon", "kön") or name_key(d.label).startswith(("alder", "kon"))


def _chunks(codes: list[str], periods: list[str], per_region: int, max_cells: int):
    """Split regions × periods into queries of at most ``max_cells`` cells (whole years kept together)."""
    per_year = max(per_region, 1)
    regions_per_call = max(1, max_cells // (per_year * len(periods))) if per_year * len(periods) <= max_cells else 0
    if regions_per_call:
        for i in range(0, len(codes), regions_per_call):
            yield codes[i:i + regions_per_call], periods
        return
    regions_per_call = max(1, max_cells // per_year)
    for period in periods:
        for i in range(0, len(codes), regions_per_call):
            yield codes[i:i + regions_per_call], [period]


def run_fetch_scb(out_dir: Path, data_dir: Path | None, *, kommun: str, table: str | None, years: list[int] | None,
                  api: str | None, age_groups: str | None, client) -> ImportResult:
    """``lagesbild fetch scb-befolkning``: fetch, save, import, and record the provenance."""
    from lagesbild_lib.importers.output import make_target, write_result

    target = make_target(out_dir, data_dir)
    path, _ = fetch_scb(client, target.out_dir, target, kommun=kommun, table=table or DEFAULT_TABLE, years=years, api=api or API)
    result = write_result(import_scb(path, target, age_groups=age_groups), target)
    record_provenance(target.out_dir, result.written, result.provenance)
    return result
