"""The demo data set's base map (``basemap.geojson``): a small synthetic ground under the maps.

Hand-drawn, coarse shapes at roughly the right places (Demodata – syntetiska uppgifter): the
water of Mälaren, Saltsjön, Brunnsviken and a few lakes; the main roads (E4/E20, E18,
Bergslagsvägen, Drottningholmsvägen, Nynäsvägen …); the tunnelbana's outer branches. They are
schematic: they show the feature (a map on the ground), not the exact geography. They are drawn
to agree with the stadsdelar's real outlines (:mod:`lagesbild_lib.demo.boundaries`): open water
outside the city's outlines (:data:`OPEN_WATER`) is cut along them, and no stadsdel's centre,
place or hotspot of the demo lies in water. Constants and the bundled outlines only, so the layer
is the same on every run.
"""

from __future__ import annotations

import shapely
from shapely.geometry import LineString, Polygon

from lagesbild_lib.demo.boundaries import read_outlines

SOURCE = "påhittad i demodata, med vatten, större vägar och tunnelbana ungefär där de ligger"

#: Water areas: name → ring of (lon, lat).
WATER: dict[str, tuple[tuple[float, float], ...]] = {
    "Mälaren, Hässelbyfjärden": (
        (17.760, 59.345), (17.800, 59.352), (17.825, 59.356), (17.842, 59.353), (17.862, 59.346), (17.880, 59.337),
        (17.900, 59.329), (17.915, 59.322), (17.935, 59.316), (17.955, 59.313), (17.975, 59.315), (17.985, 59.316),
        (17.980, 59.312), (17.960, 59.305), (17.935, 59.303), (17.905, 59.308), (17.870, 59.317),
        (17.830, 59.325), (17.790, 59.330), (17.760, 59.332),
    ),
    "Mälaren, Riddarfjärden": (
        (18.008, 59.3262), (18.030, 59.3262), (18.045, 59.3260), (18.055, 59.3262), (18.058, 59.3245), (18.055, 59.3222),
        (18.045, 59.3220), (18.038, 59.3232), (18.025, 59.3238), (18.010, 59.3240),
    ),
    "Saltsjön": (
        (18.074, 59.3205), (18.085, 59.3215), (18.100, 59.3212), (18.115, 59.3208), (18.135, 59.3205), (18.160, 59.3215),
        (18.190, 59.318), (18.190, 59.310), (18.160, 59.312), (18.135, 59.3165), (18.115, 59.3178), (18.100, 59.3182),
        (18.085, 59.3183), (18.075, 59.3190),
    ),
    "Ulvsundasjön": (
        (17.990, 59.3345), (17.993, 59.3365), (17.986, 59.343), (17.982, 59.350), (17.976, 59.352), (17.974, 59.349),
        (17.980, 59.342), (17.986, 59.336),
    ),
    "Brunnsviken": (
        (18.041, 59.353), (18.045, 59.360), (18.046, 59.368), (18.043, 59.375), (18.049, 59.377), (18.054, 59.368),
        (18.052, 59.359), (18.046, 59.352),
    ),
    "Magelungen": (
        (18.045, 59.236), (18.065, 59.240), (18.085, 59.241), (18.098, 59.236), (18.085, 59.230), (18.062, 59.230),
    ),
    "Långsjön": ((17.990, 59.266), (18.000, 59.268), (18.008, 59.265), (17.998, 59.262)),
}

#: Main roads: name → line of (lon, lat).
ROADS: dict[str, tuple[tuple[float, float], ...]] = {
    "E4/E20 Essingeleden": (
        (17.995, 59.375), (17.998, 59.360), (18.000, 59.345), (17.997, 59.333), (17.993, 59.322), (18.005, 59.312),
        (18.020, 59.305), (18.010, 59.295), (17.980, 59.287), (17.950, 59.280), (17.920, 59.272), (17.890, 59.262),
    ),
    "E18 Enköpingsvägen": (
        (17.860, 59.405), (17.885, 59.398), (17.910, 59.392), (17.935, 59.390), (17.960, 59.385), (17.985, 59.380),
        (18.010, 59.372), (18.035, 59.362), (18.050, 59.352),
    ),
    "Bergslagsvägen": (
        (17.940, 59.338), (17.920, 59.345), (17.900, 59.352), (17.880, 59.360), (17.860, 59.366), (17.840, 59.371),
        (17.815, 59.376), (17.790, 59.380),
    ),
    "Drottningholmsvägen": (
        (18.030, 59.332), (18.005, 59.334), (17.985, 59.333), (17.960, 59.336), (17.940, 59.338), (17.920, 59.333),
        (17.895, 59.330), (17.870, 59.326),
    ),
    "Ulvsundavägen": ((17.975, 59.328), (17.968, 59.340), (17.962, 59.352), (17.955, 59.365), (17.960, 59.378)),
    "Nynäsvägen": ((18.078, 59.300), (18.085, 59.285), (18.090, 59.268), (18.095, 59.252), (18.105, 59.238), (18.120, 59.225)),
    "Huddingevägen": ((18.060, 59.300), (18.050, 59.285), (18.040, 59.270), (18.030, 59.255), (18.020, 59.240)),
}

#: Tunnelbana branches (as the ``järnväg`` kind): name → line of (lon, lat).
RAILWAYS: dict[str, tuple[tuple[float, float], ...]] = {
    "Gröna linjen mot Hässelby strand": (
        (17.980, 59.333), (17.955, 59.336), (17.940, 59.338), (17.925, 59.342), (17.905, 59.345), (17.883, 59.348),
        (17.882, 59.355), (17.872, 59.363), (17.858, 59.368), (17.844, 59.367), (17.832, 59.361),
    ),
    "Blå linjen mot Akalla": ((18.000, 59.345), (17.975, 59.370), (17.950, 59.392), (17.943, 59.403), (17.926, 59.410), (17.907, 59.414)),
    "Blå linjen mot Hjulsta": ((17.975, 59.370), (17.950, 59.382), (17.928, 59.388), (17.901, 59.395), (17.888, 59.397)),
    "Röda linjen mot Fruängen": ((18.024, 59.310), (18.000, 59.302), (17.983, 59.297), (17.970, 59.292), (17.964, 59.286)),
}


#: Water outside the city's outlines: drawn only where no stadsdel's outline is (cut along them).
OPEN_WATER = ("Mälaren, Hässelbyfjärden", "Magelungen")


def water_shapes() -> dict[str, object]:
    """The water areas (WGS84): :data:`WATER`, the open water cut along the stadsdelar's outlines."""
    city = shapely.union_all(list(read_outlines().values()))
    out = {}
    for name, ring in WATER.items():
        shape = Polygon(ring)
        if name in OPEN_WATER:
            shape = shapely.set_precision(shape.difference(city), 1e-5)
        out[name] = shape
    return out


def basemap_features() -> list[tuple[dict, object]]:
    """Features of ``basemap.geojson`` (WGS84): property ``layer`` (vatten, väg, järnväg), ``name`` and ``source``."""
    features: list[tuple[dict, object]] = []
    for name, shape in water_shapes().items():
        features.append(({"layer": "vatten", "name": name, "source": SOURCE}, shape))
    for name, line in ROADS.items():
        features.append(({"layer": "väg", "name": name, "source": SOURCE}, LineString(line)))
    for name, line in RAILWAYS.items():
        features.append(({"layer": "järnväg", "name": name, "source": SOURCE}, LineString(line)))
    return features
