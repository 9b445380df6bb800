"""A data directory of contract tables (DESIGN §6): find, read, validate and hash them.

Tables are read lazily and validated whole the first time they are used; ``validate_all`` checks
every present table, as ``lagesbild check`` and the build do before any kernel starts. In a warm
kernel what was loaded is kept for the next chapter (:mod:`lagesbild_lib.data.memo`).
"""

from __future__ import annotations

import dataclasses
from functools import cached_property
from pathlib import Path

import pandas as pd

from lagesbild_lib.errors import DataError
from lagesbild_lib.data.areas import AreaRegistry
from lagesbild_lib.data.geo import GeoLayer, read_geojson
from lagesbild_lib.data import memo as table_memo
from lagesbild_lib.data.read import check_is_file, find_table_file, read_table_file
from lagesbild_lib.data.schema import CRIME_TABLES, GEO_LAYERS, REQUIRED_TABLES, TABLES
from lagesbild_lib.data.known_values import Selections, near_miss
from lagesbild_lib.data.validate import Located, Problems, fail, misspelt, validate_frame
from lagesbild_lib.data.plan_checks import KIND_TABLES, check_plan_references, known_references
from lagesbild_lib.data.police_checks import check_police_areas

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


def required_table_missing(data_dir: Path, name: str) -> str:
    """The sentence for a required table that is not in the data folder."""
    return f"{data_dir}: den obligatoriska tabellen {name} saknas; förväntade {name}.csv eller {name}.parquet"


class DataSet:
    """The contract tables of one data directory.

    Parameters
    ----------
    data_dir
        The folder holding ``NAME.csv``/``NAME.parquet`` files and the GeoJSON layers.
    selections
        The survey question ids the report selects on, for the check of near misses (default:
        the standard ids; :meth:`Selections.for_report` adds those the params name).
    """

    def __init__(self, data_dir: Path, selections: Selections | None = None):
        self.data_dir = Path(data_dir)
        #: The survey questions the report selects on (the params may name more than the standard).
        self.selections = selections or Selections()
        self._broken: set[str] = set()  # tables others depend on found broken (areas, crime_categories)
        if not self.data_dir.is_dir():
            raise DataError(f"{self.data_dir}: datamappen finns inte")
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

    def _remember(self, kind: str, files: list[Path], extra: tuple, compute, share=lambda v: v):
        """``compute()``, from the process's memo of loaded data when it is on (keyed by ``files``,
        unchanged, and ``extra``). The caller has recorded the files as read already."""
        memo = table_memo.active()
        return compute() if memo is None else memo.remember(kind, files, (str(self.data_dir.resolve()), *extra), compute, share)

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
        path = self.path("areas")

        def registry() -> AreaRegistry:
            frame = self._load("areas", known_areas=None)
            return AreaRegistry(frame, source=str(self.path("areas")))

        return registry() if path is None else self._remember("areas-registry", [path], (), registry)

    def table(self, name: str) -> pd.DataFrame | None:
        """A validated table, or None when the (optional) table is absent.

        Raises
        ------
        DataError
            The table breaks the contract, or a required table is missing.
        """
        if name not in TABLES:
            raise KeyError(f"{name} är ingen tabell i datakontraktet")
        if name in REQUIRED_TABLES:
            return self._load(name, known_areas=None)
        if self.path(name) is None:
            return None
        return self._load(name, known_areas=set(self.areas.ids))

    def geo(self, name: str) -> GeoLayer | None:
        """A validated GeoJSON layer (``areas`` or ``vulnerable_areas``), or None when absent."""
        if name not in self._geo:
            path = self.path(f"{name}.geojson")
            if path is None:
                return None
            known = set(self.areas.ids) if "area_id" in GEO_LAYERS[name] else None
            def own(layer):
                return GeoLayer(layer.path, tuple((dict(p), g) for p, g in layer.features))

            self._geo[name] = self._remember("geo", [path], (name, table_memo.ids_key(known)),
                                             lambda: read_geojson(path, GEO_LAYERS[name], known), own)
        return self._geo[name]

    def _load(self, name: str, known_areas: set[str] | None, problems: Problems | None = None) -> pd.DataFrame | None:
        """The validated table; its problems are raised, or with ``problems`` reported there (then
        None is returned for a table that has any)."""
        if name not in self._tables:
            path = self.path(name)
            if path is None:
                raise DataError(required_table_missing(self.data_dir, name))
            memo = table_memo.active()
            extra = (str(self.data_dir.resolve()), name, table_memo.ids_key(known_areas), self.selections.key() if name == "survey" else "")
            try:
                key = ("table", table_memo.file_key(path), *extra) if memo is not None else None
            except OSError:  # unreadable: reading it below says why
                key = None
            if key is not None and (kept := memo.get(key)) is not None:
                self._tables[name] = table_memo.share_frame(kept)
                return self._tables[name]
            own = Problems() if problems is None else problems
            before = len(own)
            try:
                raw, header_rows = read_table_file(path)
            except DataError as exc:
                own.add(exc)
            else:
                selections = self.selections if name == "survey" else None
                frame = validate_frame(raw, TABLES[name], Located(path, header_rows), known_areas, problems=own, selections=selections)
                if len(own) == before:
                    self._tables[name] = frame
                    if key is not None:  # only a table that passed is kept for the next chapter
                        memo.put(key, table_memo.share_frame(frame))
            if problems is None:
                own.raise_if_any()
            if len(own) > before:
                return None
        return self._tables[name]

    def _known(self, name: str) -> set[str] | None:
        """The area ids of the registry (``areas``) or the categories of ``crime_categories``, or
        None when that table is broken (its own problems are reported where it is validated)."""
        if name in self._broken:
            return None
        try:
            return set(self.areas.ids) if name == "areas" else set(self.table("crime_categories")["category"])
        except DataError:
            self._broken.add(name)
            return None

    def validate_all(self, require_crimes: bool = True) -> dict[str, int]:
        """Validate every present table and layer whole; return rows (features) per file name.
        ``require_crimes=False`` (a project folder that ``lagesbild init`` made, before its crime
        data) lets a folder without ``crimes`` and ``crime_counts`` pass.

        Every table is validated and each problem found is reported (the first
        :data:`~lagesbild_lib.data.validate.LIMIT`), so that
        ``lagesbild check`` lists them all. Large tables (``crimes``) are validated in chunks and
        a file version that passed is remembered, so a national-size file is read whole once, not
        by every build and chapter.

        Raises
        ------
        DataErrors
            Every problem found (a missing required table among them).
        """
        problems = Problems()
        counts: dict[str, int] = {}
        order = [*REQUIRED_TABLES, *(n for n in TABLES if n not in REQUIRED_TABLES)]
        present: set[str] = set()
        for name in order:
            try:
                path = self.path(name)
            except DataError as exc:  # a folder where the file should be, or both CSV and Parquet
                problems.add(exc)
                present.add(name)
                continue
            if path is None:
                if name in REQUIRED_TABLES:
                    problems.add(required_table_missing(self.data_dir, name))
                continue
            present.add(name)
            rows = self.validate(name, problems)
            if rows is not None:
                counts[path.name] = rows
        if require_crimes and not present & set(CRIME_TABLES):
            problems.add(f"{self.data_dir}: brottsdata saknas; förväntade crimes.csv/crimes.parquet eller crime_counts.csv/crime_counts.parquet")
        for name in GEO_LAYERS:
            try:
                layer = self._validate_geo(name)
            except DataError as exc:
                problems.add(exc)
                continue
            if layer is not None:
                counts[layer.path.name] = len(layer.features)
        if not problems and present & set(CRIME_TABLES) and not self.crime_years:
            used = self.path("crimes") or self.path("crime_counts")
            problems.add(f"{used}: tabellen har en rubrikrad men inga rader; förväntade minst en rad med brottsdata")
        problems.raise_if_any()
        return counts

    def _validate_geo(self, name: str) -> GeoLayer | None:
        if "area_id" in GEO_LAYERS[name] and self._known("areas") is None:
            path = self.path(f"{name}.geojson")  # the registry is broken: check all but the area ids
            return None if path is None else read_geojson(path, GEO_LAYERS[name], None)
        return self.geo(name)

    def validate(self, name: str, problems: Problems | None = None) -> int | None:
        """Validate one present table whole (or find it validated in the cache); return its rows.

        Its problems are raised, or with ``problems`` reported there (then None is returned).
        """
        own = Problems() if problems is None else problems
        before = len(own)
        rows = self._validate(name, own)
        if problems is None:
            own.raise_if_any()
        return None if len(own) > before else rows

    def _validate(self, name: str, problems: Problems) -> int | None:
        path = self.path(name)
        if name in REQUIRED_TABLES:
            frame = self._load(name, None, problems)
            if frame is not None and name == "areas":
                try:
                    self.areas
                except DataError as exc:  # a parent_id that is no area, or a loop
                    problems.add(exc)
            return None if frame is None else len(frame)
        cache = self._validation_cache
        depends = [p for p in (self.path("areas"), self.path("crime_categories") if name in CRIME_TABLES else None) if p]
        if name == "atgarder":  # its indicators name ids of other tables (data/plan_checks.py)
            depends += [p for p in (self.path(t) for t, _ in KIND_TABLES.values()) if p]
        try:
            key = cache.key(path, depends, self.selections.key() if name == "survey" else "")
        except OSError:  # unreadable: reading it below says why
            key = None
        hit = cache.get(key) if key else None
        if hit:
            return int(hit["rows"])
        before = len(problems)
        known = self._known("areas")
        categories = self._known("crime_categories") if name in CRIME_TABLES else None
        if name in CHUNKED and path.suffix == ".parquet":
            rows = self._validate_chunks(name, path, known, categories, problems)
        else:
            frame = self._load(name, known, problems)
            rows = None if frame is None else len(frame)
            if frame is not None and categories is not None:
                self._check_categories(frame, categories, Located(path, 1 if path.suffix == ".csv" else 0), problems)
            if frame is not None and name == "atgarder" and (refs := known_references(self)) is not None:
                check_plan_references(frame, Located(path, 1 if path.suffix == ".csv" else 0), problems, refs)
            if frame is not None and name == "police_areas":  # one police area per area, no member inside another
                check_police_areas(frame, Located(path, 1 if path.suffix == ".csv" else 0), problems, self.areas if known is not None else None)
        complete = known is not None and (categories is not None or name not in CRIME_TABLES)
        if len(problems) == before and complete and key:  # only a file version that passed every check is remembered
            cache.put(key, {"rows": rows, "file": path.name})
        return rows

    def _validate_chunks(self, name: str, path: Path, known, categories, problems: Problems) -> int:
        """Validate a large Parquet table batch by batch, then its unique key over the whole file."""
        import pyarrow.parquet as pq

        spec = TABLES[name]
        rows = 0
        try:
            batches = pq.ParquetFile(path).iter_batches(batch_size=CHUNK_ROWS)
            for batch in batches:
                where = Located(path, 0, offset=rows)
                frame = validate_frame(batch.to_pandas(date_as_object=False), spec, where, known, check_unique=False, problems=problems)
                if categories is not None and "category" in frame:
                    self._check_categories(frame, categories, where, problems)
                rows += len(frame)
            if spec.unique:
                self._check_unique_parquet(path, spec, problems)
        except (OSError, ValueError) as exc:
            if isinstance(exc, DataError):
                raise
            problems.add(f"{path}: ingen läsbar Parquet-fil ({exc})")
        return rows

    @staticmethod
    def _check_unique_parquet(path: Path, spec, problems: Problems) -> None:
        """The unique key over the whole file, counted in Arrow (no Python objects per row)."""
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        present = set(pq.ParquetFile(path).schema_arrow.names)
        unique = [k for k in spec.unique if k in present]  # an absent optional key column takes no part
        table = pq.read_table(path, columns=unique)
        if len(unique) == 1:
            column = table.column(0)
            if pc.count_distinct(column).as_py() == len(column):
                return
        keys = table.to_pandas()
        dup = keys.duplicated(keep="first")
        if dup.any():
            pos = int(dup.to_numpy().nonzero()[0][0])
            key = ", ".join(f"{k}={keys[k].iloc[pos]}" for k in unique)
            problems.add(f"{path}, rad {pos + 1}: {key} finns redan; förväntade varje ({', '.join(unique)}) bara en gång",
                         more=int(dup.sum()) - 1, rows=" med dubblerad nyckel")

    @staticmethod
    def _check_categories(frame: pd.DataFrame, known: set[str], where: Located, problems: Problems) -> None:
        """Every crime category used must be described in crime_categories (each unknown one
        reported once, with "did you mean" for a near miss of a listed one)."""
        values = frame["category"]
        bad = values.notna() & ~values.isin(known)
        if not bad.any():
            return
        for value in values[bad].unique():
            meant = near_miss(str(value), sorted(known))
            rows = (values == value).to_numpy()
            pos = int(rows.nonzero()[0][0])
            if meant is not None:
                error = misspelt(where, pos, "category", value, meant)
            else:
                error = fail(where, pos, "category", value, "en kategori som finns i crime_categories")
            problems.add(error, key=(str(where.path), "category", ("value", value)), more=int(rows.sum()) - 1, rows=" med samma värde")

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
                    rows = (tuple(sorted(area_ids)), first_year, last_year, table_memo.ids_key(self.areas.ids))
                    def read():
                        return self._read_crimes_parquet(path, area_ids, first_year, last_year)

                    self._crimes_read = {key: self._remember("crime-rows", [path], rows, read, table_memo.share_frame)}
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
            return list(self._remember("crime-years", [path], (), lambda: tuple(_parquet_years(path))))
        if path is not None:
            return sorted(int(y) for y in self.table("crimes")["reported_date"].dt.year.unique())
        counts = self.table("crime_counts")
        return [] if counts is None else sorted(int(y) for y in counts["year"].unique())
