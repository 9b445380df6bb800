"""Demodata – syntetiska uppgifter.

The synthetic demo data set of lagesbild: every table of the data contract (DESIGN §6) for the 13
stadsdelsområden of Stockholm with their 117 stadsdelar, and for Solna (a kommun with only two
levels), for the years 2019–2025, with riket, Stockholms län and eleven peer kommuner of Solna's
kommungrupp as peer rows (:mod:`lagesbild_lib.demo.peers`). **Every figure is invented.** Names
and rough positions are real; boundaries are schematic Voronoi cells; crimes, assessments, events,
survey answers and ratings are drawn at random with patterns that make the report worth reading (Vällingby centrum
a hotspot, Hässelby gård the most unsafe stadsdel of Hässelby-Vällingby, some crime types rising
every year and some falling). This module only orchestrates: the areas and geometry are in
:mod:`lagesbild_lib.demo.world`, the tables in ``crimes``, ``events``, ``population``,
``indicators``, ``survey`` and ``places``, the file formats in ``writers``; every table draws from
its own random stream, so the same seed always gives byte-identical files. ``lagesbild demo-data``
calls :func:`write_demo_data`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lagesbild_lib.data.dataset import DEMO_MARKER
from lagesbild_lib.demo.basemap import basemap_features
from lagesbild_lib.demo.crimes import crime_categories_table, crime_counts_table, crimes_table
from lagesbild_lib.demo.events import critical_events_table, weekly_assessments_table
from lagesbild_lib.demo.indicators import indicators_table, programme_ratings_table
from lagesbild_lib.demo.plan import atgarder_table, orsaker_table
from lagesbild_lib.demo.peers import peer_population_rows, with_peer_counts
from lagesbild_lib.demo.places import areas_features, areas_table, places_table, vulnerable_features
from lagesbild_lib.demo.population import population_table
from lagesbild_lib.demo.survey import survey_questions_table, survey_table
from lagesbild_lib.demo.world import build_world, kommungrupp_rows
from lagesbild_lib.demo.writers import write_crimes_parquet, write_csv, write_geojson


_MARKER_TEXT = """Demodata – syntetiska uppgifter

Alla siffror i den här mappen är påhittade och skapade av lagesbild (lagesbild demo-data, seed {seed}).
Namn och ungefärliga lägen för Stockholms stadsdelsområden och stadsdelar samt Solna är verkliga;
gränserna är schematiska. Raderna för riket, Stockholms län och elva andra kommuner i Solnas
kommungrupp (Pendlingskommun nära storstad) finns bara för jämförelsen med andra områden: namnen och
kommunkoderna är verkliga och folkmängden ungefär den verkliga, men alla antal brott är påhittade.
Länets och rikets antal är summan av demodatas kommuner i dem plus ett påhittat antal för resten av
länet respektive landet. Använd inte uppgifterna som underlag för beslut.
"""


def write_demo_data(out_dir: Path, seed: int = 2023) -> list[Path]:
    """Write the synthetic demo data set into out_dir (created if missing); return the files written.

    Parameters
    ----------
    out_dir
        Target folder; existing files of the same names are overwritten.
    seed
        Seed of the random draws: the same seed gives byte-identical files.

    Returns
    -------
    list of Path
        The marker file ``DEMODATA.txt``, the contract tables (``crimes.parquet``, the others as
        CSV) and the three GeoJSON layers (the last the synthetic base map), in a fixed order.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    world = build_world(seed)
    crimes = crimes_table(world)
    events = critical_events_table(world)
    population = population_table(world)
    tables = {
        "areas": areas_table(world),
        "crime_categories": crime_categories_table(),
        "crime_counts": with_peer_counts(world, crime_counts_table(crimes), population),
        "weekly_assessments": weekly_assessments_table(world, events),
        "critical_events": events,
        "population": pd.concat([population, peer_population_rows()], ignore_index=True),
        "indicators": indicators_table(world),
        "survey": survey_table(world),
        "survey_questions": survey_questions_table(),
        "places": places_table(world),
        "programme_ratings": programme_ratings_table(world),
    }
    tables["orsaker"] = orsaker_table(world)
    tables["atgarder"] = atgarder_table(world, crimes, tables["survey"], tables["indicators"])
    tables["kommungrupp"] = pd.DataFrame(kommungrupp_rows(), columns=["year", "area_id", "kommungrupp"])
    marker = out_dir / DEMO_MARKER
    marker.write_text(_MARKER_TEXT.format(seed=seed), encoding="utf-8")
    written = [marker, write_crimes_parquet(crimes, out_dir / "crimes.parquet")]
    written += [write_csv(frame, out_dir / f"{name}.csv") for name, frame in tables.items()]
    written.append(write_geojson(areas_features(world), "areas", out_dir / "areas.geojson"))
    written.append(write_geojson(vulnerable_features(), "vulnerable_areas", out_dir / "vulnerable_areas.geojson"))
    written.append(write_geojson(basemap_features(), "basemap", out_dir / "basemap.geojson"))
    return written
