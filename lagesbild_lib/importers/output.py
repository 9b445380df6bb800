"""What an importer produces and how it lands in the output folder.

Every importer returns an :class:`ImportResult`. :func:`write_result` then checks the tables
against the data contract (DESIGN §6) with the folder's own area registry *before* anything is
written, so malformed input writes nothing; it copies the area registry (and for crime counts the
crime categories) into the folder when it has none, so that the folder passes ``lagesbild check``;
and it records in ``sources.json`` where each file came from (quoted in Källor).
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from lagesbild_lib.data.dataset import DataSet
from lagesbild_lib.data.files import file_sha256
from lagesbild_lib.data.origins import ORIGINS_FILE, read_origins
from lagesbild_lib.data.read import find_table_file
from lagesbild_lib.data.schema import TABLES
from lagesbild_lib.data.validate import Located, validate_frame
from lagesbild_lib.errors import DataError, os_reason, plural


@dataclass
class ImportResult:
    """The contract tables made from one export, and what the analyst should know about it."""

    kind: str
    source: Path
    origin: str  # Swedish, for Källor: where the data came from
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    geojson: dict[str, dict] = field(default_factory=dict)  # layer name → FeatureCollection
    new_categories: pd.DataFrame | None = None  # crime categories to add to crime_categories
    unmatched: list[str] = field(default_factory=list)  # names that matched no area
    notes: list[str] = field(default_factory=list)  # Swedish sentences, printed and kept in sources.json
    written: dict[str, int] = field(default_factory=dict)  # file name → rows (features), after writing


@dataclass
class Target:
    """The output folder and the area registry names are matched against."""

    out_dir: Path
    registry_data: DataSet  # the folder whose registry (and crime categories) the import uses

    @property
    def registry(self):
        return self.registry_data.areas

    @property
    def areas_frame(self) -> pd.DataFrame:
        return self.registry_data.table("areas")

    def categories(self) -> pd.DataFrame | None:
        """The crime categories the output folder will have: its own, else those of the registry folder."""
        own = find_table_file(self.out_dir, "crime_categories") if self.out_dir.is_dir() else None
        if own is not None:
            return DataSet(self.out_dir).table("crime_categories")
        return self.registry_data.table("crime_categories") if self.registry_data.has("crime_categories") else None


def make_target(out_dir: Path, data_dir: Path | None) -> Target:
    """The target of an import: ``--data`` when given, else the output folder when it has an area
    registry, else the demo data (generated if missing).

    Raises
    ------
    DataError
        ``--out`` is a file, or the registry folder is unusable.
    """
    from lagesbild_lib.demo.store import resolve_data_dir

    out_dir = Path(out_dir).expanduser().resolve()
    if out_dir.exists() and not out_dir.is_dir():
        raise DataError(f"{out_dir}: --out är en fil; förväntade en mapp för de importerade tabellerna")
    if data_dir is None and out_dir.is_dir() and find_table_file(out_dir, "areas") is not None:
        data_dir = out_dir
    return Target(out_dir, DataSet(resolve_data_dir(data_dir)))


def table_csv(frame: pd.DataFrame) -> bytes:
    """A table as contract CSV: UTF-8, comma-separated, booleans true/false, empty for missing."""
    out = frame.copy()
    for col in out.columns:
        values = out[col].dropna()
        if len(values) and values.map(lambda v: isinstance(v, (bool, np.bool_))).all():
            out[col] = out[col].map(lambda v: "" if pd.isna(v) else ("true" if v else "false"))
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def _check_table(name: str, data: bytes, path: Path, known: set[str] | None) -> pd.DataFrame:
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    return validate_frame(frame, TABLES[name], Located(path, 1), known)


def write_result(result: ImportResult, target: Target) -> ImportResult:
    """Check the result against the contract and write it into ``target.out_dir``.

    Raises
    ------
    DataError
        A table breaks the contract, an output would overwrite the source file or sit beside a
        Parquet file of the same table, or the folder cannot be written. Nothing is written then.
    """
    out = target.out_dir
    files: dict[str, bytes] = {}
    origins: dict[str, dict] = {}
    source_hash = file_sha256(result.source)

    def record(name: str, data: bytes, origin: str, notes: list[str], from_source: bool = True) -> None:
        files[name] = data
        entry: dict = {"importer": result.kind, "origin": origin, "notes": list(notes)}
        if from_source:
            entry.update(source=result.source.name, sha256=source_hash)
        origins[name] = entry

    def own(name: str) -> Path | None:
        return find_table_file(out, name) if out.is_dir() else None

    # the area registry: the folder's own, else a copy of the one the names were matched against
    if own("areas") is None:
        src = target.registry_data.path("areas")
        record(src.name, src.read_bytes(), f"områdesregistret, kopierat från {src.parent.name}/{src.name}", [], from_source=False)
        known = set(target.registry.ids)
    else:
        known = set(DataSet(out).areas.ids)

    # crime categories, when crime counts are imported: the folder's own or a copy, plus new ones
    categories = None
    if "crime_counts" in result.tables:
        categories = target.categories()
        new = result.new_categories if result.new_categories is not None else pd.DataFrame()
        if own("crime_categories") is None or not new.empty:
            if own("crime_categories") is not None and own("crime_categories").suffix == ".parquet":
                raise DataError(
                    f"{own('crime_categories')}: nya brottskategorier går inte att lägga till i en Parquet-fil; "
                    f"lägg till {', '.join(new['category'])} i den, eller ha crime_categories som CSV"
                )
            categories = pd.concat([c for c in (categories, new) if c is not None and not c.empty], ignore_index=True)
            data = table_csv(categories)
            _check_table("crime_categories", data, out / "crime_categories.csv", None)
            if new.empty:
                origin = f"brottskategorier, kopierade från {target.registry_data.data_dir.name}/"
            else:
                origin = f"brottskategorier; {plural(len(new), 'ny', 'nya')} från {result.source.name} ({result.kind})"
            record("crime_categories.csv", data, origin, [], from_source=not new.empty)

    for name, frame in result.tables.items():
        if out.is_dir() and (out / f"{name}.parquet").is_file():
            raise DataError(f"{out / (name + '.parquet')}: mappen har redan {name}.parquet; ta bort den eller importera till en annan mapp med --out")
        data = table_csv(frame)
        checked = _check_table(name, data, out / f"{name}.csv", known)
        if categories is not None and name == "crime_counts":
            bad = ~checked["category"].isin(set(categories["category"]))
            if bad.any():
                raise DataError(f"{out / 'crime_counts.csv'}: kategorin {checked['category'][bad].iloc[0]!r} finns inte i crime_categories")
        record(f"{name}.csv", data, result.origin, result.notes)

    for layer, doc in result.geojson.items():
        data = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
        _check_geo(layer, data, out, known)
        record(f"{layer}.geojson", data, result.origin, result.notes)

    source = result.source.resolve()
    for name in files:
        if (out / name).resolve() == source:
            raise DataError(f"{out / name}: importen skulle skriva över sin egen källfil; välj en annan mapp med --out")

    _write_files(out, files, origins)
    result.written = {name: _rows(data, name) for name, data in files.items()}
    return result


def _rows(data: bytes, name: str) -> int:
    if name.endswith(".geojson"):
        return len(json.loads(data)["features"])
    if name.endswith(".parquet"):
        import pyarrow.parquet as pq

        return pq.ParquetFile(io.BytesIO(data)).metadata.num_rows
    return max(data.count(b"\n") - 1, 0)


def _write_files(out: Path, files: dict[str, bytes], origins: dict[str, dict]) -> None:
    """Write every file to a temporary name first, then move them all into place."""
    temps: list[Path] = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        existing = read_origins(out)
        existing.update(origins)
        files = {**files, ORIGINS_FILE: json.dumps(existing, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8") + b"\n"}
        for name, data in files.items():
            tmp = out / f".{name}.{os.getpid()}.importing"
            temps.append(tmp)
            tmp.write_bytes(data)
        for name, tmp in zip(files, temps):
            os.replace(tmp, out / name)
    except OSError as exc:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
        raise DataError(f"{out}: de importerade tabellerna kan inte skrivas ({os_reason(exc)}); välj en skrivbar mapp med --out") from None


def _check_geo(layer: str, data: bytes, out: Path, known: set[str]) -> None:
    """Read the layer back as the loaders will (in a temporary folder, before anything is written)."""
    import tempfile

    from lagesbild_lib.data.geo import read_geojson
    from lagesbild_lib.data.schema import GEO_LAYERS

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{layer}.geojson"
        path.write_bytes(data)
        try:
            read_geojson(path, GEO_LAYERS[layer], known if "area_id" in GEO_LAYERS[layer] else None)
        except DataError as exc:
            raise DataError(str(exc).replace(str(path), str(out / path.name))) from None
