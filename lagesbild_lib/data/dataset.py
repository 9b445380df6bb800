"""A data directory of contract tables (DESIGN §6): find, read, validate and hash them.

Tables are read lazily and validated whole the first time they are used; ``validate_all`` checks
every present table, as ``lagesbild check`` and the build do before any kernel starts.
"""

from __future__ import annotations

import dataclasses
from functools import cached_property
from pathlib import Path

import pandas as pd

from lagesbild_lib.errors import DataError
from lagesbild_lib.data.areas import AreaRegistry
from lagesbild_lib.data.geo import GeoLayer, read_geojson
from lagesbild_lib.data.read import check_is_file, find_table_file, read_table_file
from lagesbild_lib.data.schema import CRIME_TABLES, GEO_LAYERS, REQUIRED_TABLES, TABLES
from lagesbild_lib.data.validate import Located, validate_frame

from lagesbild_lib.data.files import DEMO_MARKER, file_sha256  # noqa: E402,F401  (re-exported)
CHUNKED = ("crimes", "crime_counts")  # tables that may be national-size
CHUNK_ROWS = 1_000_000


def _parquet_years(path: Path) -> list[int]:
    """The calendar years of ``reported_date`` in a (validated) Parquet crimes file, computed in Arrow."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    column = pq.read_table(path, columns=["reported_date"]).column(0)
    if not (pa.types.is_date(column.type) or pa.types.is_timestamp(column.type)):
        column = pc.strptime(column, format="%Y-%m-%d", unit="s")
    return sorted(int(y) for y in pc.unique(pc.year(column)).to_pylist() if y is not None)


class DataSet:
    """The contract tables of one data directory.

    Parameters
    ----------
    data_dir
        The folder holding ``NAME.csv``/``NAME.parquet`` files and the GeoJSON layers.
    """

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        if not self.data_dir.is_dir():
            raise DataError(f"{self.data_dir}: data folder not found")
        self._tables: dict[str, pd.DataFrame] = {}
        self._geo: dict[str, GeoLayer] = {}
        #: Every table or layer asked for, with the file that answered (None: absent). The build
        #: keys its chapter cache on exactly these files.
        self.accessed: dict[str, str | None] = {}
        self._crime_years: list[int] | None = None
        self._crimes_read: dict[tuple, pd.DataFrame] = {}

    @cached_property
    def _validation_cache(self):
        from lagesbild_lib.data.vcache import ValidationCache

        return ValidationCache()

    # ----------------------------------------------------------------- discovery
    def path(self, name: str) -> Path | None:
        """The file of a table or GeoJSON layer, or None when it is absent."""
        if name.endswith(".geojson") or name in GEO_LAYERS and name not in TABLES:
            stem = name.removesuffix(".geojson")
            candidate = self.data_dir / f"{stem}.geojson"
            check_is_file(candidate)
            found = candidate if candidate.is_file() else None
        else:
            found = find_table_file(self.data_dir, name)
        self.accessed[name] = found.name if found else None
        return found

    def has(self, name: str) -> bool:
        return self.path(name) is not None

    def input_files(self) -> list[Path]:
        """Every contract file present, in a fixed order."""
        files = [self.path(name) for name in TABLES]
        files += [self.path(f"{name}.geojson") for name in GEO_LAYERS]
        return [f for f in files if f is not None]

    @property
    def is_demo(self) -> bool:
        """True for the synthetic demo data set (it carries a marker file)."""
        found = (self.data_dir / DEMO_MARKER).is_file()
        self.accessed[DEMO_MARKER] = DEMO_MARKER if found else None
        return found

    # ----------------------------------------------------------------- tables
    @cached_property
    def areas(self) -> AreaRegistry:
        """The area registry (the ``areas`` table, which every data set must have)."""
        frame = self._load("areas", known_areas=None)
        return AreaRegistry(frame, source=str(self.path("areas")))

    def table(self, name: str) -> pd.DataFrame | None:
        """A validated table, or None when the (optional) table is absent.

        Raises
        ------
        DataError
            The table breaks the contract, or a required table is missing.
        """
        if name not in TABLES:
            raise KeyError(f"{name} is not a table of the data contract")
        if name == "areas":
            return self._load("areas", known_areas=None)
        if self.path(name) is None:
            if name in REQUIRED_TABLES:
                raise DataError(f"{self.data_dir}: the required table {name} is missing; expected {name}.csv or {name}.parquet")
            return None
        return self._load(name, known_areas=set(self.areas.ids))

    def geo(self, name: str) -> GeoLayer | None:
        """A validated GeoJSON layer (``areas`` or ``vulnerable_areas``), or None when absent."""
        if name not in self._geo:
            path = self.path(f"{name}.geojson")
            if path is None:
                return None
            known = set(self.areas.ids) if "area_id" in GEO_LAYERS[name] else None
            self._geo[name] = read_geojson(path, GEO_LAYERS[name], known)
        return self._geo[name]

    def _load(self, name: str, known_areas: set[str] | None) -> pd.DataFrame:
        if name not in self._tables:
            path = self.path(name)
            if path is None:
                raise DataError(f"{self.data_dir}: the required table {name} is missing; expected {name}.csv or {name}.parquet")
            raw, header_rows = read_table_file(path)
            self._tables[name] = validate_frame(raw, TABLES[name], Located(path, header_rows), known_areas)
        return self._tables[name]

    def validate_all(self) -> dict[str, int]:
        """Validate every present table and layer whole; return rows (features) per file name.

        Large tables (``crimes``) are validated in chunks and the result is remembered per file
        version, so a national-size file is read whole once, not by every build and chapter.

        Raises
        ------
        DataError
            The first problem found, or a missing required table.
        """
        for name in REQUIRED_TABLES:
            self.table(name)
        if not any(self.has(name) for name in CRIME_TABLES):
            raise DataError(
                f"{self.data_dir}: no crime data; expected crimes.csv/crimes.parquet or crime_counts.csv/crime_counts.parquet"
            )
        counts: dict[str, int] = {}
        for name in TABLES:
            if self.has(name):
                counts[self.path(name).name] = self.validate(name)
        for name in GEO_LAYERS:
            layer = self.geo(name)
            if layer is not None:
                counts[layer.path.name] = len(layer.features)
        if not self.crime_years:
            used = self.path("crimes") or self.path("crime_counts")
            raise DataError(f"{used}: the table has a header but no rows; expected at least one row of crime data")
        return counts

    def validate(self, name: str) -> int:
        """Validate one present table whole (or find it validated in the cache); return its rows."""
        path = self.path(name)
        if name in ("areas", "crime_categories"):
            return len(self.table(name))
        cache = self._validation_cache
        depends = [p for p in (self.path("areas"), self.path("crime_categories") if name in CRIME_TABLES else None) if p]
        key = cache.key(path, depends)
        hit = cache.get(key)
        if hit:
            return int(hit["rows"])
        if name in CHUNKED and path.suffix == ".parquet":
            rows = self._validate_chunks(name, path)
        else:
            rows = len(self.table(name))
            if name in CRIME_TABLES:
                self._check_categories(name, self.table(name), Located(path, 1 if path.suffix == ".csv" else 0))
        cache.put(key, {"rows": rows, "file": path.name})
        return rows

    def _validate_chunks(self, name: str, path: Path) -> int:
        """Validate a large Parquet table batch by batch, then its unique key over the whole file."""
        import pyarrow.parquet as pq

        spec = TABLES[name]
        known = set(self.areas.ids)
        rows = 0
        try:
            batches = pq.ParquetFile(path).iter_batches(batch_size=CHUNK_ROWS)
            for batch in batches:
                where = Located(path, 0, offset=rows)
                frame = validate_frame(batch.to_pandas(date_as_object=False), spec, where, known, check_unique=False)
                if name in CRIME_TABLES:
                    self._check_categories(name, frame, where)
                rows += len(frame)
            if spec.unique:
                self._check_unique_parquet(path, spec)
        except (OSError, ValueError) as exc:
            if isinstance(exc, DataError):
                raise
            raise DataError(f"{path}: not a readable Parquet file ({exc})") from None
        return rows

    @staticmethod
    def _check_unique_parquet(path: Path, spec) -> None:
        """The unique key over the whole file, counted in Arrow (no Python objects per row)."""
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        table = pq.read_table(path, columns=list(spec.unique))
        if len(spec.unique) == 1:
            column = table.column(0)
            if pc.count_distinct(column).as_py() == len(column):
                return
        keys = table.to_pandas()
        dup = keys.duplicated(keep="first")
        if dup.any():
            pos = int(dup.to_numpy().nonzero()[0][0])
            key = ", ".join(f"{k}={keys[k].iloc[pos]}" for k in spec.unique)
            raise DataError(f"{path}, row {pos + 1}: duplicate {key}; expected each ({', '.join(spec.unique)}) only once")

    def _check_categories(self, name: str, frame: pd.DataFrame, where: Located) -> None:
        """Every crime category used must be described in crime_categories."""
        known = set(self.table("crime_categories")["category"])
        bad = ~frame["category"].isin(known)
        if bad.any():
            pos = int(bad.to_numpy().nonzero()[0][0])
            raise DataError(
                f"{where.path}, row {where.row(pos)}, column 'category': value {frame['category'].iloc[pos]!r} is not valid; "
                "expected a category listed in crime_categories"
            )

    def crimes_for(self, area_ids: list[str], first_year: int, last_year: int) -> pd.DataFrame | None:
        """The row-level crimes of the given areas and years only, or None without a crimes table.

        The whole file is validated once per version (see :meth:`validate`); then only the rows
        needed are read, with predicate pushdown for Parquet, so a national-size table never has
        to fit in a chapter's memory. The crime ids are left out (they were checked unique with
        the whole file, and no chapter shows them); repeated calls for the same rows read once.
        """
        path = self.path("crimes")
        if path is None:
            return None
        if "crimes" in self._tables:
            frame = self._tables["crimes"]
        else:
            self.validate("crimes")
            if path.suffix != ".parquet":
                frame = self.table("crimes")
            else:
                key = (path, tuple(sorted(area_ids)), first_year, last_year)
                if key not in self._crimes_read:  # chapters ask several times for the same rows
                    self._crimes_read = {key: self._read_crimes_parquet(path, area_ids, first_year, last_year)}
                frame = self._crimes_read[key]
        years = frame["reported_date"].dt.year
        rows = frame["area_id"].isin(area_ids) & (years >= first_year) & (years <= last_year)
        return frame.loc[rows, [c for c in frame.columns if c != "crime_id"]]

    def _read_crimes_parquet(self, path: Path, area_ids: list[str], first_year: int, last_year: int) -> pd.DataFrame:
        import datetime as dt

        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pq.read_schema(path)
        filters = [("area_id", "in", list(area_ids))]
        date_type = schema.field("reported_date").type
        if pa.types.is_date(date_type):
            filters += [("reported_date", ">=", dt.date(first_year, 1, 1)), ("reported_date", "<=", dt.date(last_year, 12, 31))]
        # The whole file is validated already (ids unique included): read what chapters use, with
        # the crime ids left out (unique text, the costliest column to read) and the area ids and
        # categories dictionary-encoded, which makes the filter several times faster.
        spec = TABLES["crimes"]
        spec = dataclasses.replace(spec, columns=tuple(c for c in spec.columns if c.name not in spec.unique), unique=())
        raw, header = read_table_file(path, [c.name for c in spec.columns], filters=filters, dictionary=("area_id", "category"))
        return validate_frame(raw, spec, Located(path, header), set(self.areas.ids), check_unique=False)

    @property
    def crime_years(self) -> list[int]:
        """Years with crime data (from crimes, else crime_counts), reading only the date column."""
        path = self.path("crimes")  # recorded as read every time: a chapter using the years depends on it
        if path is None:
            self.path("crime_counts")
        if self._crime_years is None:
            self._crime_years = self._find_crime_years(path)
        return self._crime_years

    def _find_crime_years(self, path: Path | None) -> list[int]:
        if path is not None and path.suffix == ".parquet" and "crimes" not in self._tables:
            return _parquet_years(path)
        if path is not None:
            return sorted(int(y) for y in self.table("crimes")["reported_date"].dt.year.unique())
        counts = self.table("crime_counts")
        return [] if counts is None else sorted(int(y) for y in counts["year"].unique())
