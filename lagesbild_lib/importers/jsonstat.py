"""Reading JSON-stat 2.0 (https://json-stat.org/format/), the format of SCB's PxWebApi v2.

A *dataset* has ``id`` (the dimensions, in order), ``size``, ``dimension`` (each with
``category.index`` and ``category.label``), ``value`` (a list in row-major order, the last
dimension varying fastest, or an object of index → value for a sparse cube) and ``status``
(a list, an object or one string for every cell). A *collection* holds datasets in
``link.item``; ``lagesbild fetch`` writes the answers of a split query as one collection.

Missing stays missing: a ``null`` value, or a status of ``..`` (not available) or ``.``
(not applicable), gives ``None``, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lagesbild_lib.errors import DataError
from lagesbild_lib.importers.sheet import read_json

MISSING_STATUS = {"..", ".", "…"}


@dataclass(frozen=True)
class Dimension:
    """One dimension: its id, label, codes in index order and their labels."""

    id: str
    label: str
    codes: tuple[str, ...]
    labels: dict[str, str]


@dataclass
class Dataset:
    """One JSON-stat dataset as cells: ``cells`` maps a tuple of codes (one per dimension) to a value or None."""

    dimensions: list[Dimension]
    cells: dict[tuple[str, ...], float | None]
    label: str
    updated: str
    source: str
    table: str
    href: str
    role: dict[str, list[str]]
    extension: dict

    def dimension(self, dim_id: str) -> Dimension:
        for d in self.dimensions:
            if d.id == dim_id:
                return d
        raise KeyError(dim_id)


def read_jsonstat(path: Path) -> tuple[list[Dataset], dict]:
    """The datasets of a JSON-stat 2.0 file (a dataset or a collection) and the collection's extension.

    Raises
    ------
    DataError
        Not JSON, or not JSON-stat 2.0 (one sentence naming the file and what was expected).
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: filen finns inte; förväntade en JSON-stat2-fil från SCB")
    return parse_jsonstat(read_json(path, "JSON-stat2 från SCB"), str(path))


def parse_jsonstat(doc: object, where: str) -> tuple[list[Dataset], dict]:
    """The datasets of a parsed JSON-stat 2.0 document (see :func:`read_jsonstat`)."""
    if isinstance(doc, dict) and doc.get("class") == "collection":
        items = ((doc.get("link") or {}).get("item")) or []
        datasets = [_dataset(item, f"{where}, dataset {n}") for n, item in enumerate(items, start=1) if isinstance(item, dict)]
        if not datasets:
            raise DataError(f"{where}: samlingen (class collection) har inga dataset i link.item; förväntade JSON-stat2 med värden")
        return datasets, doc.get("extension") or {}
    return [_dataset(doc, where)], (doc.get("extension") or {}) if isinstance(doc, dict) else {}


def _dataset(doc: object, where: str) -> Dataset:
    if not isinstance(doc, dict) or not isinstance(doc.get("id"), list) or not isinstance(doc.get("dimension"), dict):
        raise DataError(f"{where}: inte JSON-stat 2.0 (id, size, dimension och value saknas); spara tabellen i formatet JSON-stat2 (outputFormat=json-stat2)")
    ids, sizes = [str(i) for i in doc["id"]], doc.get("size")
    if not isinstance(sizes, list) or len(sizes) != len(ids):
        raise DataError(f"{where}: fältet 'size' har inte en storlek per dimension i 'id'; förväntade JSON-stat 2.0")
    dims = []
    for dim_id, size in zip(ids, sizes):
        entry = doc["dimension"].get(dim_id)
        if not isinstance(entry, dict) or not isinstance(entry.get("category"), dict):
            raise DataError(f"{where}: dimensionen {dim_id!r} saknas i 'dimension'; förväntade JSON-stat 2.0")
        cat = entry["category"]
        index = cat.get("index")
        labels = {str(k): str(v) for k, v in (cat.get("label") or {}).items()}
        if isinstance(index, dict):
            codes = [c for c, _ in sorted(index.items(), key=lambda kv: kv[1])]
        elif isinstance(index, list):
            codes = [str(c) for c in index]
        else:
            codes = list(labels)  # a dimension of one category may give only its label
        if len(codes) != int(size):
            raise DataError(f"{where}: dimensionen {dim_id!r} har {len(codes)} kategorier men storleken {size}; förväntade JSON-stat 2.0")
        dims.append(Dimension(dim_id, str(entry.get("label") or dim_id), tuple(str(c) for c in codes), labels))
    cells = _cells(doc, dims, where)
    ext = doc.get("extension") or {}
    table = str(((ext.get("px") or {}).get("tableid")) or "") if isinstance(ext, dict) else ""
    return Dataset(
        dims, cells, str(doc.get("label") or ""), str(doc.get("updated") or ""), str(doc.get("source") or ""),
        table, str(doc.get("href") or ""), {k: list(v) for k, v in (doc.get("role") or {}).items()}, ext if isinstance(ext, dict) else {},
    )


def _cells(doc: dict, dims: list[Dimension], where: str) -> dict[tuple[str, ...], float | None]:
    total = 1
    for d in dims:
        total *= len(d.codes)
    values = doc.get("value")
    if isinstance(values, dict):
        value_at = {int(k): v for k, v in values.items()}
    elif isinstance(values, list):
        if values and len(values) != total:
            raise DataError(f"{where}: 'value' har {len(values)} värden men dimensionerna ger {total} celler; förväntade JSON-stat 2.0")
        value_at = dict(enumerate(values))
    elif values is None:
        value_at = {}  # metadata only
    else:
        raise DataError(f"{where}: 'value' är varken en lista eller ett objekt; förväntade JSON-stat 2.0")
    status = doc.get("status")
    if isinstance(status, list):
        status_at = dict(enumerate(status))
    elif isinstance(status, dict):
        status_at = {int(k): v for k, v in status.items()}
    else:
        status_at = {i: status for i in range(total)} if isinstance(status, str) else {}
    strides = []
    step = 1
    for d in reversed(dims):
        strides.append(step)
        step *= len(d.codes)
    strides.reverse()
    cells: dict[tuple[str, ...], float | None] = {}
    for i, raw in value_at.items():
        key = tuple(d.codes[(i // s) % len(d.codes)] for d, s in zip(dims, strides))
        cells[key] = _number(raw, status_at.get(i), where, i)
    return cells


def _number(raw: object, status: object, where: str, index: int) -> float | None:
    if raw is None or (isinstance(status, str) and status.strip() in MISSING_STATUS):
        return None
    if isinstance(raw, bool):
        raise DataError(f"{where}, värde {index}: {raw!r} är inget tal; förväntade ett tal eller null")
    if isinstance(raw, (int, float)):
        return float(raw)
    text = str(raw).strip()
    if text in MISSING_STATUS or text == "":
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise DataError(f"{where}, värde {index}: {text[:20]!r} är inget tal; förväntade ett tal, null eller '..'") from None


def collection(datasets: list[dict], extension: dict) -> dict:
    """A JSON-stat 2.0 collection of the datasets (as ``lagesbild fetch`` saves split answers)."""
    return {"version": "2.0", "class": "collection", "link": {"item": datasets}, "extension": extension}
