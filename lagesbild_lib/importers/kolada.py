"""Kolada (API v3) key figures for the kommun, its län and riket → ``indicators``.

``lagesbild import kolada FIL`` reads an answer of Kolada's data endpoint saved by hand
(``/v3/data/kpi/{kpi}/municipality/{id}/year/{år}``: ``{"values": [{"kpi", "municipality",
"period", "values": [{"gender": "T"|"K"|"M", "value", "status"}]}], "next_url"}``), a JSON list of
such pages, or what ``lagesbild fetch kolada`` saved (all pages, with the KPIs' metadata).

Labels and units come from the shipped KPI list (:data:`KPI_FILE`, columns ``id, label, unit,
direction``; replace it with ``--kpis FIL``), else from the KPI metadata that the fetch saved.
A KPI in neither is left out with a note. Municipality ids are translated to areas as in
:mod:`.apisource` (``0000`` riket, ``00LL`` län, four digits the kommun). Gender ``T`` is the
total (``sex`` ``alla``); ``K`` and ``M`` (kvinna, man) are written only with ``--by-sex``.
A null value is missing, never 0.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from lagesbild_lib import paths
from lagesbild_lib.errors import DataError, os_reason, plural
from lagesbild_lib.importers.apisource import RegionMap, dated_origin, kolada_to_scb, kommun_codes, kommun_row, record_provenance, save_download
from lagesbild_lib.importers.output import ImportResult, Target
from lagesbild_lib.importers.sheet import read_json

API = "https://api.kolada.se/v3"
KPI_FILE = Path(paths.PACKAGE_DIR) / "resources" / "kolada_kpis.csv"
ORIGIN = "Kolada (RKA), nyckeltal {kpis} (fil {name}, importerad med lagesbild import kolada)"
GENDERS = {"T": "alla", "K": "kvinna", "M": "man"}
PER_PAGE = 5000


def read_kpi_list(path: Path | None = None) -> dict[str, dict[str, str]]:
    """``{kpi id: {"label", "unit", "direction"}}`` from the shipped list or an analyst's own.

    Raises
    ------
    DataError
        The file cannot be read or lacks the columns id, label and unit.
    """
    path = Path(path) if path is not None else KPI_FILE
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in ("id", "label", "unit") if c not in (reader.fieldnames or [])]
            if missing:
                raise DataError(f"{path}, rad 1: kolumnen {missing[0]!r} saknas; förväntade kolumnerna id, label, unit (och eventuellt direction)")
            out = {}
            for n, row in enumerate(reader, start=2):
                kpi = (row.get("id") or "").strip()
                if not kpi:
                    continue
                if not (row.get("label") or "").strip() or not (row.get("unit") or "").strip():
                    raise DataError(f"{path}, rad {n}: nyckeltalet {kpi} saknar label eller unit; förväntade båda")
                out[kpi] = {"label": row["label"].strip(), "unit": row["unit"].strip(), "direction": (row.get("direction") or "").strip()}
            return out
    except OSError as exc:
        raise DataError(f"{path}: nyckeltalslistan kan inte läsas ({os_reason(exc)})") from None


def unit_from_title(title: str) -> str:
    """The unit a Kolada title states: "andel (%)" → procent, "antal/100 000 inv" → per 100 000 inv,
    "kr/inv" → kr/inv …; "" when it says none."""
    text = title.lower()
    if "(%)" in text or "andel" in text and "%" in text:
        return "procent"
    match = re.search(r"antal\s*/\s*(\d[\d\s]*)\s*inv", text)
    if match:
        return f"per {match.group(1).strip()} inv"
    match = re.search(r"\b(kr(?:/[\wåäö]+)?)\s*$", text.split(",")[-1].strip())
    if match:
        return match.group(1)
    if text.rstrip().endswith("antal"):
        return "antal"
    return ""


def _pages(doc: object, where: str) -> tuple[list[dict], dict[str, dict], dict, bool]:
    """The value rows, the KPI metadata by id, the saved provenance and whether a page is missing."""
    pages = doc if isinstance(doc, list) else [doc]
    rows, metadata, provenance, cut = [], {}, {}, False
    for n, page in enumerate(pages, start=1):
        if not isinstance(page, dict) or not isinstance(page.get("values"), list):
            raise DataError(f"{where}: sida {n} har ingen lista 'values'; förväntade ett svar från Koladas data-API (v3)")
        rows.extend(page["values"])
        for meta in page.get("kpi_metadata") or []:
            if isinstance(meta, dict) and meta.get("id"):
                metadata[str(meta["id"])] = meta
        provenance.update(page.get("lagesbild") or {})
        cut = cut or bool(page.get("next_url")) and n == len(pages)
    return rows, metadata, provenance, cut


def import_kolada(source: Path, target: Target, *, own_names: dict[str, str] | None = None, kpis_file: Path | None = None,
                  by_sex: bool = False) -> ImportResult:
    """Read a Kolada v3 answer into ``indicators``.

    Raises
    ------
    DataError
        Not JSON or not Kolada's format (one sentence with the row), a period that is no year, a
        value that is no number, or nothing for an area of the registry.
    """
    source = Path(source)
    if not source.is_file():
        raise DataError(f"{source}: filen finns inte; förväntade JSON från Koladas data-API (v3)")
    doc = read_json(source, "JSON från Koladas data-API (v3)")
    values, metadata, provenance, cut = _pages(doc, str(source))
    known = read_kpi_list(kpis_file)
    regions = RegionMap(target, own_names)
    rows, unknown_kpis, missing = [], [], 0
    for n, item in enumerate(values, start=1):
        where = f"{source}, värde {n}"
        if not isinstance(item, dict) or not all(k in item for k in ("kpi", "municipality", "period")):
            raise DataError(f"{where}: förväntade ett objekt med kpi, municipality, period och values")
        kpi, period = str(item["kpi"]).strip(), str(item["period"]).strip()
        if not re.fullmatch(r"\d{4}", period):
            raise DataError(f"{where}, fält 'period': värdet {period!r} är inte giltigt; förväntade ett år som 2023")
        info = known.get(kpi) or _from_metadata(metadata.get(kpi))
        if info is None:
            if kpi not in unknown_kpis:
                unknown_kpis.append(kpi)
            continue
        area = regions.area(kolada_to_scb(item["municipality"]), str(item.get("municipality_title") or ""))
        if area is None:
            continue
        for cell in item.get("values") or []:
            sex = GENDERS.get(str(cell.get("gender", "T")).upper())
            if sex is None or (sex != "alla" and not by_sex):
                continue
            value = cell.get("value")
            if value is None:
                missing += 1
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise DataError(f"{where}, fält 'value': värdet {str(value)[:20]!r} är inte giltigt; förväntade ett tal eller null")
            rows.append({"year": int(period), "area_id": area, "indicator": kpi, "value": float(value), "unit": info["unit"],
                         "label": info["label"], "sex": sex})
    if not rows:
        extra = f" (nyckeltal utanför listan: {', '.join(unknown_kpis)}; lägg till dem med --kpis FIL)" if unknown_kpis else ""
        raise DataError(f"{source}: inget värde för ett område i områdesregistret{extra}; förväntade kommunens, länets eller rikets id (t.ex. 1880, 0018, 0000) med en kolumn code i areas.csv")
    frame = pd.DataFrame(rows).sort_values(["indicator", "year", "area_id", "sex"], kind="stable").reset_index(drop=True)
    dup = frame.duplicated(["year", "area_id", "indicator", "sex"])
    if dup.any():
        first = frame[dup].iloc[0]
        raise DataError(f"{source}: nyckeltalet {first['indicator']} år {first['year']} för {first['area_id']!r} finns två gånger; två id i filen motsvarar samma område")
    kpis = ", ".join(dict.fromkeys(frame["indicator"]))
    result = ImportResult("kolada", source, ORIGIN.format(kpis=kpis, name=source.name), unmatched=list(regions.unmatched))
    result.tables["indicators"] = frame
    if missing:
        result.notes.append(f"{plural(missing, 'värde', 'värden')} saknades i Kolada (null) och lämnades tomma, inte 0.")
    if unknown_kpis:
        result.notes.append(f"Nyckeltal utanför nyckeltalslistan lämnades utanför: {', '.join(unknown_kpis)}; lägg till dem med --kpis FIL.")
    if cut:
        result.notes.append("Filen är bara en del av svaret (next_url pekar på en sida till); hämta alla sidor, eller använd lagesbild fetch kolada.")
    result.provenance = {"url": provenance.get("url"), "table": kpis, "retrieved": provenance.get("retrieved"),
                         "updated": provenance.get("updated"), "publisher": "Kolada (RKA)"}
    result.origin = dated_origin(result.origin, result.provenance)
    return result


def _from_metadata(meta: dict | None) -> dict[str, str] | None:
    if not meta or not meta.get("title"):
        return None
    title = str(meta["title"]).strip()
    return {"label": title, "unit": unit_from_title(title) or "värde", "direction": ""}


# ---------------------------------------------------------------------------------------- fetch
def fetch_kolada(client, out_dir: Path, *, kommun: str, kpis: list[str] | None = None, years: list[int] | None = None,
                 api: str = API, kpis_file: Path | None = None, others: list[str] = ()) -> tuple[Path, dict]:
    """Ask Kolada v3 for the KPIs of the kommun, its län, riket and the ``others`` (kommun codes: the
    kommungrupp of the registry, :func:`~.apisource.kommun_codes`), following ``next_url`` page by
    page, and the KPIs' metadata; save it all as one file in ``<out>/nedladdat/``."""
    row = kommun_row(kommun)
    kpis = kpis or list(read_kpi_list(kpis_file))
    api = api.rstrip("/")
    ids = ["0000", "00" + row["lan_kod"], row["kommun_kod"], *(c for c in others if c != row["kommun_kod"])]
    url = f"{api}/data/kpi/{','.join(kpis)}/municipality/{','.join(ids)}"
    if years:
        url += "/year/" + ",".join(str(y) for y in years)
    first = url + f"?per_page={PER_PAGE}"
    pages, seen, next_url = [], set(), first
    while next_url:
        if next_url in seen:
            raise DataError(f"{next_url}: Kolada gav samma sida två gånger (next_url); försök igen senare eller hämta filen för hand")
        seen.add(next_url)
        answer = client.get(next_url)
        if not isinstance(answer.data, dict) or not isinstance(answer.data.get("values"), list):
            raise DataError(f"{answer.url}: svaret har ingen lista 'values'; förväntade Koladas data-API (v3)")
        pages.append(answer)
        next_url = answer.data.get("next_url")
    meta = client.get(f"{api}/kpi/{','.join(kpis)}")
    metadata = meta.data.get("values", []) if isinstance(meta.data, dict) else []
    provenance = {"url": first, "retrieved": min(p.retrieved for p in pages), "kommun": row["kommun_kod"]}
    doc = {"values": [v for p in pages for v in p.data["values"]], "kpi_metadata": metadata, "lagesbild": provenance}
    return save_download(out_dir, f"kolada-{row['kommun_kod']}.json", doc), provenance


def run_fetch_kolada(out_dir: Path, data_dir: Path | None, *, kommun: str, kpis: list[str] | None, years: list[int] | None,
                     api: str | None, kpis_file: Path | None, by_sex: bool, client) -> ImportResult:
    """``lagesbild fetch kolada``: fetch, save, import, and record the provenance."""
    from lagesbild_lib.importers.output import make_target, write_result

    target = make_target(out_dir, data_dir)
    path, _ = fetch_kolada(client, target.out_dir, kommun=kommun, kpis=kpis, years=years, api=api or API, kpis_file=kpis_file,
                           others=kommun_codes(target))
    result = write_result(import_kolada(path, target, kpis_file=kpis_file, by_sex=by_sex), target)
    record_provenance(target.out_dir, result.written, result.provenance)
    return result
