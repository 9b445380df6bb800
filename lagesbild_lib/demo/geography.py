"""Geography of the synthetic demo data set (Demodata – syntetiska uppgifter).

Hand-made constants: the 13 stadsdelsområden of Stockholm (since 2020) with their 117 stadsdelar,
and the neighbouring kommun Solna with a few delområden. Positions are approximate centroids
(lon/lat WGS84, three decimals), each inside its stadsdel's real outline; populations, crime risk
and vulnerability are rough, invented figures that only make the demo look plausible. The
stadsdelar are drawn on Stockholms stad's open outlines (:mod:`lagesbild_lib.demo.boundaries`);
Solna's delområden, which have no open outline, are schematic Voronoi cells around these points
(see :mod:`lagesbild_lib.demo.world`). The places and the police's vulnerable areas follow the
real lists (the lokala lägesbild of Hässelby-Vällingby 2023, the police's list of 2023) at
approximate positions.
"""

from __future__ import annotations

from typing import NamedTuple


class Stadsdel(NamedTuple):
    """A lowest-level area of the demo (a stadsdel, or a delområde of Solna).

    ``crime_risk`` scales the reported crimes per inhabitant (1 = city average; high in centres
    with many visitors); ``vulnerability`` runs from 0 (resourceful) to 1 (socio-economically
    vulnerable) and drives indicators, unsafety and the weekly assessments.
    """

    name: str
    district: str
    lon: float
    lat: float
    population: int
    crime_risk: float
    vulnerability: float


KOMMUN_STOCKHOLM = "Stockholm"
KOMMUN_SOLNA = "Solna"

#: The 13 stadsdelsområden of Stockholm, in the city's usual order (west to south).
DISTRICTS: tuple[str, ...] = (
    "Rinkeby-Kista",
    "Spånga-Tensta",
    "Hässelby-Vällingby",
    "Bromma",
    "Kungsholmen",
    "Norrmalm",
    "Östermalm",
    "Södermalm",
    "Hägersten-Älvsjö",
    "Skärholmen",
    "Enskede-Årsta-Vantör",
    "Skarpnäck",
    "Farsta",
)

#: The 117 stadsdelar of Stockholm: name, stadsdelsområde, lon, lat, population (about 2023),
#: crime risk, vulnerability.
STADSDELAR: tuple[Stadsdel, ...] = (
    Stadsdel("Akalla", "Rinkeby-Kista", 17.907, 59.411, 9200, 1.3, 0.70),
    Stadsdel("Hansta", "Rinkeby-Kista", 17.903, 59.429, 50, 1.0, 0.30),
    Stadsdel("Husby", "Rinkeby-Kista", 17.921, 59.405, 12300, 1.8, 0.90),
    Stadsdel("Kista", "Rinkeby-Kista", 17.943, 59.401, 12400, 2.2, 0.60),
    Stadsdel("Rinkeby", "Rinkeby-Kista", 17.927, 59.388, 16000, 2.0, 0.95),
    Stadsdel("Bromsten", "Spånga-Tensta", 17.921, 59.378, 6700, 0.8, 0.25),
    Stadsdel("Flysta", "Spånga-Tensta", 17.903, 59.369, 1900, 0.8, 0.25),
    Stadsdel("Lunda", "Spånga-Tensta", 17.874, 59.391, 400, 4.0, 0.35),
    Stadsdel("Solhem", "Spånga-Tensta", 17.889, 59.383, 6500, 1.0, 0.30),
    Stadsdel("Sundby", "Spånga-Tensta", 17.914, 59.369, 5700, 0.9, 0.25),
    Stadsdel("Tensta", "Spånga-Tensta", 17.898, 59.395, 19200, 1.9, 0.92),
    Stadsdel("Grimsta", "Hässelby-Vällingby", 17.859, 59.355, 4300, 0.8, 0.25),
    Stadsdel("Hässelby gård", "Hässelby-Vällingby", 17.843, 59.368, 12300, 1.5, 0.80),
    Stadsdel("Hässelby strand", "Hässelby-Vällingby", 17.831, 59.359, 13300, 1.3, 0.50),
    Stadsdel("Hässelby villastad", "Hässelby-Vällingby", 17.803, 59.379, 12800, 0.7, 0.12),
    Stadsdel("Kälvesta", "Hässelby-Vällingby", 17.855, 59.383, 5900, 0.8, 0.22),
    Stadsdel("Nälsta", "Hässelby-Vällingby", 17.883, 59.373, 7100, 0.8, 0.20),
    Stadsdel("Råcksta", "Hässelby-Vällingby", 17.886, 59.360, 4700, 1.0, 0.30),
    Stadsdel("Vinsta", "Hässelby-Vällingby", 17.853, 59.375, 6900, 1.1, 0.35),
    Stadsdel("Vällingby", "Hässelby-Vällingby", 17.872, 59.367, 9400, 3.6, 0.55),
    Stadsdel("Abrahamsberg", "Bromma", 17.950, 59.332, 3400, 0.8, 0.15),
    Stadsdel("Alvik", "Bromma", 17.980, 59.331, 3700, 1.3, 0.15),
    Stadsdel("Beckomberga", "Bromma", 17.901, 59.358, 5000, 0.9, 0.25),
    Stadsdel("Blackeberg", "Bromma", 17.880, 59.344, 9200, 0.9, 0.25),
    Stadsdel("Bromma kyrka", "Bromma", 17.919, 59.353, 3300, 0.7, 0.12),
    Stadsdel("Bällsta", "Bromma", 17.932, 59.365, 2700, 1.2, 0.20),
    Stadsdel("Eneby", "Bromma", 17.912, 59.360, 2900, 0.7, 0.12),
    Stadsdel("Höglandet", "Bromma", 17.937, 59.323, 1600, 0.6, 0.08),
    Stadsdel("Mariehäll", "Bromma", 17.952, 59.361, 5400, 1.0, 0.20),
    Stadsdel("Nockeby", "Bromma", 17.925, 59.328, 1700, 0.6, 0.06),
    Stadsdel("Nockebyhov", "Bromma", 17.913, 59.335, 2300, 0.6, 0.10),
    Stadsdel("Norra Ängby", "Bromma", 17.907, 59.348, 5400, 0.6, 0.08),
    Stadsdel("Olovslund", "Bromma", 17.940, 59.330, 600, 0.6, 0.06),
    Stadsdel("Riksby", "Bromma", 17.942, 59.350, 2000, 0.8, 0.15),
    Stadsdel("Smedslätten", "Bromma", 17.966, 59.318, 1600, 0.6, 0.06),
    Stadsdel("Stora Mossen", "Bromma", 17.962, 59.332, 2000, 0.7, 0.10),
    Stadsdel("Södra Ängby", "Bromma", 17.899, 59.340, 2900, 0.6, 0.06),
    Stadsdel("Traneberg", "Bromma", 17.984, 59.335, 7900, 0.9, 0.18),
    Stadsdel("Ulvsunda", "Bromma", 17.966, 59.339, 5600, 1.0, 0.20),
    Stadsdel("Ulvsunda industriområde", "Bromma", 17.966, 59.348, 300, 5.0, 0.30),
    Stadsdel("Äppelviken", "Bromma", 17.973, 59.327, 2700, 0.6, 0.06),
    Stadsdel("Åkeshov", "Bromma", 17.930, 59.339, 1300, 0.8, 0.10),
    Stadsdel("Åkeslund", "Bromma", 17.940, 59.335, 1700, 1.4, 0.15),
    Stadsdel("Ålsten", "Bromma", 17.951, 59.322, 4000, 0.6, 0.06),
    Stadsdel("Kungsholmen", "Kungsholmen", 18.039, 59.330, 32000, 1.3, 0.15),
    Stadsdel("Fredhäll", "Kungsholmen", 18.001, 59.330, 7600, 0.8, 0.10),
    Stadsdel("Kristineberg", "Kungsholmen", 18.005, 59.336, 8500, 0.9, 0.12),
    Stadsdel("Lilla Essingen", "Kungsholmen", 18.005, 59.324, 5200, 0.7, 0.10),
    Stadsdel("Marieberg", "Kungsholmen", 18.019, 59.328, 4000, 1.2, 0.12),
    Stadsdel("Stadshagen", "Kungsholmen", 18.016, 59.337, 9500, 1.0, 0.15),
    Stadsdel("Stora Essingen", "Kungsholmen", 17.990, 59.321, 5300, 0.6, 0.08),
    Stadsdel("Norrmalm", "Norrmalm", 18.063, 59.333, 11500, 6.0, 0.20),
    Stadsdel("Skeppsholmen", "Norrmalm", 18.086, 59.324, 150, 3.0, 0.10),
    Stadsdel("Vasastaden", "Norrmalm", 18.045, 59.344, 61500, 1.1, 0.12),
    Stadsdel("Djurgården", "Östermalm", 18.121, 59.324, 800, 3.0, 0.10),
    Stadsdel("Hjorthagen", "Östermalm", 18.097, 59.356, 10500, 0.9, 0.18),
    Stadsdel("Ladugårdsgärdet", "Östermalm", 18.123, 59.340, 8200, 1.0, 0.15),
    Stadsdel("Norra Djurgården", "Östermalm", 18.070, 59.362, 2800, 1.5, 0.15),
    Stadsdel("Östermalm", "Östermalm", 18.085, 59.337, 52000, 1.3, 0.08),
    Stadsdel("Gamla stan", "Södermalm", 18.073, 59.325, 2900, 5.0, 0.10),
    Stadsdel("Långholmen", "Södermalm", 18.026, 59.322, 600, 1.5, 0.15),
    Stadsdel("Reimersholme", "Södermalm", 18.020, 59.318, 2600, 0.7, 0.12),
    Stadsdel("Riddarholmen", "Södermalm", 18.061, 59.325, 50, 2.0, 0.10),
    Stadsdel("Södermalm", "Södermalm", 18.067, 59.314, 112000, 1.3, 0.18),
    Stadsdel("Södra Hammarbyhamnen", "Södermalm", 18.100, 59.305, 15500, 1.0, 0.12),
    Stadsdel("Aspudden", "Hägersten-Älvsjö", 17.994, 59.309, 9800, 0.9, 0.18),
    Stadsdel("Fruängen", "Hägersten-Älvsjö", 17.964, 59.286, 10500, 1.3, 0.50),
    Stadsdel("Gröndal", "Hägersten-Älvsjö", 17.997, 59.315, 9000, 0.9, 0.18),
    Stadsdel("Hägersten", "Hägersten-Älvsjö", 17.968, 59.304, 3000, 0.8, 0.20),
    Stadsdel("Hägerstensåsen", "Hägersten-Älvsjö", 17.983, 59.297, 9300, 0.8, 0.25),
    Stadsdel("Herrängen", "Hägersten-Älvsjö", 17.967, 59.275, 3800, 0.6, 0.08),
    Stadsdel("Liljeholmen", "Hägersten-Älvsjö", 18.024, 59.308, 16500, 1.5, 0.18),
    Stadsdel("Liseberg", "Hägersten-Älvsjö", 18.024, 59.286, 1800, 0.8, 0.15),
    Stadsdel("Långbro", "Hägersten-Älvsjö", 17.986, 59.281, 3000, 0.6, 0.08),
    Stadsdel("Långsjö", "Hägersten-Älvsjö", 17.981, 59.269, 3500, 0.7, 0.15),
    Stadsdel("Midsommarkransen", "Hägersten-Älvsjö", 18.002, 59.302, 9500, 0.8, 0.18),
    Stadsdel("Mälarhöjden", "Hägersten-Älvsjö", 17.950, 59.298, 5800, 0.6, 0.08),
    Stadsdel("Solberga", "Hägersten-Älvsjö", 18.004, 59.286, 5400, 0.9, 0.30),
    Stadsdel("Västberga", "Hägersten-Älvsjö", 18.008, 59.295, 3200, 1.2, 0.30),
    Stadsdel("Västertorp", "Hägersten-Älvsjö", 17.969, 59.293, 6500, 0.9, 0.30),
    Stadsdel("Älvsjö", "Hägersten-Älvsjö", 18.003, 59.271, 9000, 1.3, 0.20),
    Stadsdel("Örby slott", "Hägersten-Älvsjö", 18.029, 59.281, 4600, 0.8, 0.25),
    Stadsdel("Bredäng", "Skärholmen", 17.932, 59.295, 11500, 1.6, 0.75),
    Stadsdel("Skärholmen", "Skärholmen", 17.902, 59.277, 9800, 2.4, 0.85),
    Stadsdel("Sätra", "Skärholmen", 17.910, 59.289, 7400, 1.3, 0.60),
    Stadsdel("Vårberg", "Skärholmen", 17.880, 59.278, 9300, 1.5, 0.75),
    Stadsdel("Bandhagen", "Enskede-Årsta-Vantör", 18.051, 59.268, 7500, 1.1, 0.45),
    Stadsdel("Enskede gård", "Enskede-Årsta-Vantör", 18.069, 59.290, 6200, 0.9, 0.20),
    Stadsdel("Enskedefältet", "Enskede-Årsta-Vantör", 18.059, 59.286, 5800, 0.7, 0.10),
    Stadsdel("Gamla Enskede", "Enskede-Årsta-Vantör", 18.092, 59.279, 5700, 0.6, 0.08),
    Stadsdel("Hagsätra", "Enskede-Årsta-Vantör", 18.012, 59.264, 9600, 1.6, 0.82),
    Stadsdel("Högdalen", "Enskede-Årsta-Vantör", 18.047, 59.261, 6100, 1.6, 0.65),
    Stadsdel("Johanneshov", "Enskede-Årsta-Vantör", 18.082, 59.294, 13500, 1.3, 0.25),
    Stadsdel("Rågsved", "Enskede-Årsta-Vantör", 18.032, 59.255, 10600, 1.6, 0.85),
    Stadsdel("Stureby", "Enskede-Årsta-Vantör", 18.054, 59.277, 5100, 0.6, 0.10),
    Stadsdel("Svedmyra", "Enskede-Årsta-Vantör", 18.070, 59.272, 2000, 0.8, 0.20),
    Stadsdel("Årsta", "Enskede-Årsta-Vantör", 18.053, 59.300, 26000, 1.0, 0.25),
    Stadsdel("Örby", "Enskede-Årsta-Vantör", 18.030, 59.273, 4900, 0.9, 0.35),
    Stadsdel("Östberga", "Enskede-Årsta-Vantör", 18.035, 59.291, 5600, 1.5, 0.80),
    Stadsdel("Bagarmossen", "Skarpnäck", 18.135, 59.276, 12400, 1.2, 0.45),
    Stadsdel("Björkhagen", "Skarpnäck", 18.116, 59.295, 5700, 0.9, 0.30),
    Stadsdel("Enskededalen", "Skarpnäck", 18.106, 59.281, 1700, 0.6, 0.08),
    Stadsdel("Flaten", "Skarpnäck", 18.159, 59.255, 50, 2.0, 0.20),
    Stadsdel("Hammarbyhöjden", "Skarpnäck", 18.098, 59.295, 9100, 0.9, 0.20),
    Stadsdel("Kärrtorp", "Skarpnäck", 18.115, 59.285, 6000, 0.9, 0.25),
    Stadsdel("Skarpnäcks gård", "Skarpnäck", 18.127, 59.268, 12300, 1.2, 0.45),
    Stadsdel("Fagersjö", "Farsta", 18.062, 59.251, 4800, 1.0, 0.45),
    Stadsdel("Farsta", "Farsta", 18.092, 59.246, 12000, 2.2, 0.50),
    Stadsdel("Farsta strand", "Farsta", 18.095, 59.235, 7100, 1.0, 0.45),
    Stadsdel("Farstanäset", "Farsta", 18.074, 59.237, 3200, 0.6, 0.10),
    Stadsdel("Gubbängen", "Farsta", 18.086, 59.263, 6300, 0.8, 0.20),
    Stadsdel("Hökarängen", "Farsta", 18.085, 59.255, 10500, 1.2, 0.45),
    Stadsdel("Larsboda", "Farsta", 18.116, 59.241, 1400, 0.8, 0.30),
    Stadsdel("Orhem", "Farsta", 18.144, 59.247, 1900, 0.7, 0.15),
    Stadsdel("Skrubba", "Farsta", 18.181, 59.240, 30, 1.0, 0.20),
    Stadsdel("Sköndal", "Farsta", 18.117, 59.255, 9500, 0.8, 0.20),
    Stadsdel("Tallkrogen", "Farsta", 18.085, 59.271, 4200, 0.6, 0.10),
)

#: Solna, a kommun with only two levels: the kommun and its delområden.
SOLNA_DELOMRADEN: tuple[Stadsdel, ...] = (
    Stadsdel("Bergshamra", "Solna", 18.036, 59.381, 8100, 1.0, 0.40),
    Stadsdel("Frösunda", "Solna", 18.022, 59.370, 9800, 1.1, 0.30),
    Stadsdel("Hagalund", "Solna", 18.018, 59.356, 12100, 1.4, 0.55),
    Stadsdel("Huvudsta", "Solna", 17.988, 59.349, 12300, 1.1, 0.45),
    Stadsdel("Järvastaden", "Solna", 17.982, 59.379, 12600, 0.8, 0.15),
    Stadsdel("Råsunda", "Solna", 17.993, 59.366, 14200, 1.0, 0.25),
    Stadsdel("Solna centrum", "Solna", 18.004, 59.359, 9300, 1.8, 0.35),
    Stadsdel("Ulriksdal", "Solna", 18.016, 59.389, 5400, 0.8, 0.15),
)

#: Centres where a share of the violent crimes of a stadsdel cluster: name -> (lon, lat, share).
#: Vällingby centrum is the demo's clear hotspot.
HOTSPOTS: dict[str, tuple[float, float, float]] = {
    "Vällingby": (17.8716, 59.3633, 0.55),
    "Hässelby gård": (17.8440, 59.3668, 0.25),
    "Rinkeby": (17.9285, 59.3880, 0.30),
    "Tensta": (17.9010, 59.3945, 0.30),
    "Husby": (17.9260, 59.4095, 0.25),
    "Kista": (17.9430, 59.4030, 0.25),
    "Skärholmen": (17.9070, 59.2770, 0.35),
    "Farsta": (18.0920, 59.2435, 0.30),
    "Norrmalm": (18.0640, 59.3320, 0.30),
    "Södermalm": (18.0720, 59.3150, 0.15),
    "Solna centrum": (18.0000, 59.3600, 0.30),
}

#: Weekly assessment baselines that override the one derived from vulnerability.
WEEKLY_BASE: dict[str, float] = {"Hässelby gård": 3.3}

#: Places: (name, type, stadsdel name, lon, lat). Those of Hässelby-Vällingby are the places of
#: the area's lokala lägesbild 2023 (open drug scenes, prioritised places, illegal settlements and
#: a gathering place of young people), at approximate positions; the others are invented examples.
PLACES: tuple[tuple[str, str, str, float, float], ...] = (
    ("Rinkeby torg", "prioriterad plats", "Rinkeby", 17.9285, 59.3880),
    ("Husby centrum", "prioriterad plats", "Husby", 17.9260, 59.4095),
    ("Kista centrum", "prioriterad plats", "Kista", 17.9430, 59.4030),
    ("Järvafältet vid Akalla", "olovlig bosättning", "Akalla", 17.9050, 59.4150),
    ("Tensta centrum", "prioriterad plats", "Tensta", 17.9010, 59.3945),
    ("Hjulsta", "prioriterad plats", "Tensta", 17.8880, 59.3965),
    ("Spånga station", "öppen drogscen", "Solhem", 17.8990, 59.3835),
    ("Maltesholmstorget med omnejd", "öppen drogscen", "Hässelby strand", 17.8325, 59.3612),
    ("Hässelby torg med omnejd samt Friherregatan", "öppen drogscen", "Hässelby gård", 17.8437, 59.3667),
    ("Råcksta torg, Ådalen och tunnelbanestationen", "öppen drogscen", "Råcksta", 17.8817, 59.3548),
    ("Vällingby centrum med omnejd", "öppen drogscen", "Vällingby", 17.8720, 59.3632),
    ("Hässelby torg", "prioriterad plats", "Hässelby gård", 17.8445, 59.3672),
    ("Maltesholmstorget", "prioriterad plats", "Hässelby strand", 17.8333, 59.3616),
    ("Vinsta företagarområde", "olovlig bosättning", "Vinsta", 17.8500, 59.3770),
    ("Johannelunds tunnelbanestation", "olovlig bosättning", "Vinsta", 17.8573, 59.3679),
    ("Bräckefaret", "olovlig bosättning", "Vällingby", 17.8790, 59.3700),
    ("Fornkullen", "olovlig bosättning", "Vällingby", 17.8650, 59.3700),
    ("Åkermyntans centrum", "samlingsplats för unga", "Hässelby villastad", 17.8075, 59.3830),
    ("Brommaplan", "prioriterad plats", "Åkeslund", 17.9395, 59.3380),
    ("Alviks strand", "prioriterad plats", "Alvik", 17.9790, 59.3335),
    ("Judarskogen", "olovlig bosättning", "Åkeshov", 17.9300, 59.3400),
    ("Fridhemsplan", "prioriterad plats", "Kungsholmen", 18.0300, 59.3320),
    ("Rålambshovsparken", "prioriterad plats", "Marieberg", 18.0200, 59.3290),
    ("Sergels torg", "öppen drogscen", "Norrmalm", 18.0640, 59.3320),
    ("Centralstationen", "prioriterad plats", "Norrmalm", 18.0590, 59.3305),
    ("Odenplan", "prioriterad plats", "Vasastaden", 18.0455, 59.3430),
    ("Vanadislunden", "olovlig bosättning", "Vasastaden", 18.0505, 59.3460),
    ("Stureplan", "prioriterad plats", "Östermalm", 18.0740, 59.3355),
    ("Lill-Jansskogen", "olovlig bosättning", "Norra Djurgården", 18.0650, 59.3560),
    ("Medborgarplatsen", "prioriterad plats", "Södermalm", 18.0720, 59.3145),
    ("Mariatorget", "öppen drogscen", "Södermalm", 18.0630, 59.3170),
    ("Långholmens strand", "olovlig bosättning", "Långholmen", 18.0300, 59.3222),
    ("Liljeholmstorget", "prioriterad plats", "Liljeholmen", 18.0220, 59.3100),
    ("Fruängens centrum", "prioriterad plats", "Fruängen", 17.9640, 59.2860),
    ("Älvsjö station", "prioriterad plats", "Älvsjö", 18.0060, 59.2750),
    ("Skärholmens centrum", "prioriterad plats", "Skärholmen", 17.9070, 59.2770),
    ("Bredängs centrum", "prioriterad plats", "Bredäng", 17.9340, 59.2950),
    ("Vårbergs centrum", "prioriterad plats", "Vårberg", 17.8900, 59.2760),
    ("Sätraskogen", "olovlig bosättning", "Sätra", 17.9100, 59.2950),
    ("Rågsveds centrum", "prioriterad plats", "Rågsved", 18.0290, 59.2565),
    ("Hagsätra centrum", "öppen drogscen", "Hagsätra", 18.0125, 59.2630),
    ("Högdalens centrum", "prioriterad plats", "Högdalen", 18.0430, 59.2635),
    ("Östberga torg", "prioriterad plats", "Östberga", 18.0340, 59.2905),
    ("Bagarmossens centrum", "prioriterad plats", "Bagarmossen", 18.1310, 59.2760),
    ("Skarpnäcks centrum", "prioriterad plats", "Skarpnäcks gård", 18.1330, 59.2665),
    ("Nackareservatet", "olovlig bosättning", "Flaten", 18.1600, 59.2570),
    ("Farsta centrum", "prioriterad plats", "Farsta", 18.0920, 59.2435),
    ("Hökarängens centrum", "prioriterad plats", "Hökarängen", 18.0820, 59.2575),
    ("Solna centrum", "prioriterad plats", "Solna centrum", 18.0000, 59.3600),
    ("Hagalunds centrum", "prioriterad plats", "Hagalund", 18.0180, 59.3565),
    ("Huvudsta centrum", "öppen drogscen", "Huvudsta", 17.9880, 59.3490),
    ("Ulriksdals skog", "olovlig bosättning", "Ulriksdal", 18.0200, 59.3930),
)

#: Smedshagen, a part of Hässelby villastad in the police's area Hässelby/Vällingby, has no outline
#: of its own in the city's file: an approximate ring (lon, lat) in the south-east of Hässelby
#: villastad, cut to that stadsdel's outline when drawn.
SMEDSHAGEN = "Smedshagen"
SMEDSHAGEN_RING: tuple[tuple[float, float], ...] = (
    (17.812, 59.3615), (17.817, 59.3595), (17.835, 59.3640), (17.835, 59.3690), (17.822, 59.3690), (17.812, 59.3665),
)

#: The police's (NOA) vulnerable areas in the demo's two kommuner, as in the police's list of 2023:
#: (name, category, the stadsdelar or delområden it is drawn on). The police's own borders are
#: tighter than whole stadsdelar; the demo draws each area as the union of the outlines it names
#: (:data:`SMEDSHAGEN` for the approximate ring above).
VULNERABLE_AREAS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Rinkeby/Tensta", "Särskilt utsatt område", ("Rinkeby", "Tensta")),
    ("Husby", "Särskilt utsatt område", ("Husby",)),
    ("Hässelby/Vällingby (Grimsta, Hässelby gård, Hässelby strand och Smedshagen)", "Utsatt område",
     ("Grimsta", "Hässelby gård", "Hässelby strand", SMEDSHAGEN)),
    ("Bredäng", "Utsatt område", ("Bredäng",)),
    ("Vårberg", "Utsatt område", ("Vårberg",)),
    ("Hagsätra/Rågsved", "Utsatt område", ("Hagsätra", "Rågsved")),
    ("Hagalund", "Utsatt område", ("Hagalund",)),
)
