"""Writers of the demo data set's files: the CSV tables with fixed text for every cell (true/false,
fixed decimals, empty for missing), ``crimes.parquet`` with explicit Arrow types and the GeoJSON
layers in CRS84 with one feature per line, all so that the same seed gives byte-identical files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely


CRS84 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}

#: Decimals of the float columns in the CSV files (fixed, so that the files are byte-stable).
_DECIMALS = {"lon": 5, "lat": 5, "share": 4, "value": 1, "score": 1, "target": 2}


def _csv_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as the exact text to write: true/false, fixed decimals, empty for missing."""
    out = {}
    for name in frame.columns:
        col = frame[name]
        if pd.api.types.is_bool_dtype(col):
            out[name] = col.map({True: "true", False: "false"})
        elif pd.api.types.is_float_dtype(col):
            fmt = f"{{:.{_DECIMALS.get(name, 3)}f}}"
            out[name] = col.map(lambda x, f=fmt: "" if pd.isna(x) else f.format(x))
        else:
            out[name] = col.map(lambda x: "" if x is None or x is pd.NA else str(x))
    return pd.DataFrame(out)


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    _csv_text(frame).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


def write_crimes_parquet(crimes: pd.DataFrame, path: Path) -> Path:
    """``crimes.parquet`` with explicit Arrow types (dates as date32, victim_age nullable int16,
    occurred_at a local timestamp in seconds)."""
    table = pa.table(
        {
            "crime_id": pa.array(crimes["crime_id"].tolist(), pa.string()),
            "reported_date": pa.array(crimes["reported_date"].to_numpy().astype("datetime64[D]"), pa.date32()),
            "category": pa.array(crimes["category"].tolist(), pa.string()),
            "area_id": pa.array(crimes["area_id"].tolist(), pa.string()),
            "lon": pa.array(crimes["lon"].to_numpy(), pa.float64()),
            "lat": pa.array(crimes["lat"].to_numpy(), pa.float64()),
            "outdoor": pa.array(crimes["outdoor"].to_numpy(), pa.bool_()),
            "victim_age": pa.array(crimes["victim_age"], pa.int16(), from_pandas=True),
            "occurred_at": pa.array(crimes["occurred_at"].to_numpy().astype("datetime64[s]"), pa.timestamp("s"), from_pandas=True),
        }
    )
    pq.write_table(table, path, compression="zstd", row_group_size=1 << 20)
    return path


def write_geojson(features: list[tuple[dict, object]], name: str, path: Path) -> Path:
    """A FeatureCollection in CRS84, one feature per line."""
    lines = []
    for props, geom in features:
        feature = {"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(geom)}
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    head = json.dumps({"type": "FeatureCollection", "name": name, "crs": CRS84}, ensure_ascii=False)[:-1]
    path.write_text(head + ', "features": [\n' + ",\n".join(lines) + "\n]}\n", encoding="utf-8")
    return path
