"""The data contract (DESIGN §6) as data: one :class:`TableSpec` per table.

The loaders validate every present table against these specs; the demo data generator writes
tables that satisfy them. Column kinds:

``str``    free text (not empty when required)
``slug``   a lowercase ASCII area id (``hasselby-vallingby``)
``area``   an area id that must exist in the area registry
``int``    whole number
``float``  number (a dot as decimal separator)
``bool``   ``true``/``false``, ``1``/``0``, ``ja``/``nej`` (case-insensitive)
``date``   ``YYYY-MM-DD``
``datetime`` local date and time ``YYYY-MM-DDTHH:MM`` (when a crime happened)
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    """One column of a contract table."""

    name: str
    kind: str
    required: bool = True
    nullable: bool = False
    min: float | None = None
    max: float | None = None
    allowed: tuple[str, ...] | None = None
    doc: str = ""  # Swedish: what the column holds (docs/datakontrakt.md); "" → the generic text of its kind
    example: str = ""  # a value of the example row of docs/datakontrakt.md


@dataclass(frozen=True)
class TableSpec:
    """One contract table: its columns, its unique key and what it holds (Swedish, for Källor)."""

    name: str
    columns: tuple[Column, ...]
    description: str
    unique: tuple[str, ...] = field(default_factory=tuple)
    source: str = ""  # Swedish: where the data usually come from (docs/datakontrakt.md)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


C = Column

#: The three branches of an orsaksanalys (Brå): the offender, the victim or target, the place or situation.
ORSAK_BRANCHES = ("gärningsperson", "offer-mål", "plats-situation")
#: A measure of the åtgärdsplan is situational (the place, the opportunity) or social (people).
MEASURE_TYPES = ("situationell", "social")
#: What follows a measure: a crime category, a survey question or an indicator of ``indicators``.
INDICATOR_KINDS = ("brott", "enkät", "indikator")
#: The five city-wide cooperation areas (params ``priority_areas``), in report order.
COOPERATION_AREA_KEYS = ("unga_i_riskzon", "otrygga_platser", "systemhotande_brottslighet", "utsatta_brottsoffer", "kriminella_miljoer")

TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "areas",
            (
                C("area_id", "slug"),
                C("name", "str"),
                C("level", "str"),
                C("parent_id", "slug", nullable=True),
                C("valid_from", "date", required=False, nullable=True),
                C("valid_to", "date", required=False, nullable=True),
            ),
            "Områdesregister (riket, län, kommuner och deras delområden)",
            unique=("area_id",),
        ),
        TableSpec(
            "crimes",
            (
                C("crime_id", "str"),
                C("reported_date", "date"),
                C("category", "str"),
                C("area_id", "area"),
                C("lon", "float", required=False, nullable=True, min=-180, max=180),
                C("lat", "float", required=False, nullable=True, min=-90, max=90),
                C("outdoor", "bool", required=False, nullable=True),
                C("victim_age", "int", required=False, nullable=True, min=0, max=120),
                C("occurred_at", "datetime", required=False, nullable=True,
                  doc="Lokal tidpunkt då brottet skedde, ÅÅÅÅ-MM-DDTHH:MM; utan den visas inga mönster i tid", example="2023-03-31T22:30"),
            ),
            "Anmälda brott, en rad per anmälan",
            unique=("crime_id",),
        ),
        TableSpec(
            "crime_categories",
            (
                C("category", "str"),
                C("label", "str"),
                C("group", "str"),
                C("compstat", "bool"),
                C("violent", "bool", required=False, nullable=True),
                C("intimate_partner", "bool", required=False, nullable=True),
            ),
            "Brottskategorier och deras gruppering i CompStat",
            unique=("category",),
        ),
        TableSpec(
            "weekly_assessments",
            (
                C("year", "int", min=1990, max=2100),
                C("week", "int", min=1, max=53),
                C("area_id", "area"),
                C("level", "int", min=1, max=5),
            ),
            "Veckovis gemensam lägesbedömning per delområde",
            unique=("year", "week", "area_id"),
        ),
        TableSpec(
            "critical_events",
            (
                C("event_date", "date"),
                C("area_id", "area"),
                C("type", "str"),
                C("fatal", "bool", required=False, nullable=True),
                C("lon", "float", required=False, nullable=True, min=-180, max=180),
                C("lat", "float", required=False, nullable=True, min=-90, max=90),
            ),
            "Kritiska händelser (sprängningar, skjutningar, brandattentat …)",
        ),
        TableSpec(
            "population",
            (
                C("year", "int", min=1990, max=2100),
                C("area_id", "area"),
                C("age_group", "str"),
                C("sex", "str", allowed=("kvinna", "man", "alla")),
                C("count", "int", min=0),
            ),
            "Folkmängd efter ålder och kön",
            unique=("year", "area_id", "age_group", "sex"),
        ),
        TableSpec(
            "population_forecast",
            (
                C("year", "int", min=1990, max=2100, doc="prognosåret (rapporten använder åren efter rapportåret)", example="2027"),
                C("area_id", "area", doc="området prognosen gäller; ett område utan egna rader får summan av sina delområden",
                  example="hasselby-vallingby"),
                C("population", "int", min=0, doc="prognostiserad folkmängd, hela befolkningen", example="78450"),
            ),
            "Befolkningsprognos: väntad folkmängd per år",
            unique=("year", "area_id"),
            source="kommunens befolkningsprognos (t.ex. Stockholms stads prognos per stadsdelsområde) eller SCB:s prognos",
        ),
        TableSpec(
            "indicators",
            (
                C("year", "int", min=1990, max=2100),
                C("area_id", "area"),
                C("indicator", "str"),
                C("value", "float"),
                C("unit", "str", doc="enheten, fri text; procent, kr, dagar, antal och per 100 000 inv formateras, andra visas som de står",
                  example="procent"),
                C("label", "str", required=False, nullable=True, doc="indikatorns namn som läsaren ser", example="Förvärvsarbetande invånare 20–64 år"),
                C("sex", "str", required=False, nullable=True, allowed=("kvinna", "man", "alla"),
                  doc="kön som värdet gäller; tomt eller alla = totalt", example="alla"),
                C("group", "str", required=False, nullable=True, doc="grupp som värdet gäller (t.ex. bakgrund); tomt = hela befolkningen"),
            ),
            "Socioekonomiska indikatorer",
            unique=("year", "area_id", "indicator", "sex", "group"),
            source="Kolada (lagesbild fetch kolada / import kolada), SCB eller kommunens egna uppgifter",
        ),
        TableSpec(
            "survey",
            (
                C("year", "int", min=1990, max=2100),
                C("survey", "str"),
                C("area_id", "area"),
                C("question", "str"),
                C("answer", "str"),
                C("group", "str"),
                C("respondents", "int", min=1),
                C("share", "float", min=0, max=1),
            ),
            "Trygghetsundersökningar: andel svarande per svar",
            unique=("year", "survey", "area_id", "question", "answer", "group"),
        ),
        TableSpec(
            "survey_questions",
            (
                C("survey", "str", doc="undersökningen (survey.survey) som ställer frågan", example="Stockholms stads trygghetsmätning"),
                C("question", "str", doc="frågans id (survey.question)", example="tar_omvagar"),
                C("label", "str", doc="frågan som läsaren ser den", example="Tar en annan väg på grund av otrygghet"),
                C("theme", "str", doc="temat frågan redovisas under (en underrubrik i kapitlet)", example="Otrygghet"),
                C("answer", "str", doc="svaret (survey.answer) vars andel redovisas; * = en fritextfråga där varje svar listas "
                  "(t.ex. platser som de svarande undviker)", example="ja"),
                C("higher_is_worse", "bool", doc="true när en högre andel är sämre (otrygghet, oro), false när den är bättre (förtroende)",
                  example="true"),
            ),
            "Enkätfrågor: etikett, tema och vilket svar som räknas",
            unique=("survey", "question"),
            source="undersökningarnas frågeformulär, skrivet för hand",
        ),
        TableSpec(
            "places",
            (
                C("place_id", "str"),
                C("name", "str"),
                C("type", "str"),
                C("area_id", "area"),
                C("lon", "float", required=False, nullable=True, min=-180, max=180),
                C("lat", "float", required=False, nullable=True, min=-90, max=90),
            ),
            "Platser (öppna drogscener, prioriterade platser …)",
            unique=("place_id",),
        ),
        TableSpec(
            "programme_ratings",
            (
                C("year", "int", min=1990, max=2100),
                C("area_id", "area"),
                C("programme", "str"),
                C("group_id", "str"),
                C("score", "float", min=1, max=10),
                C("group_name", "str", required=False, nullable=True,
                  doc="gruppens namn som läsaren ser det, detsamma på alla gruppens rader samma år (tomt: group_id visas)",
                  example="Tjejgruppen Vällingby"),
            ),
            "Skattningar i program (t.ex. GSRS), en rad per skattning",
        ),
        TableSpec(
            "crime_counts",
            (
                C("year", "int", min=1990, max=2100),
                C("month", "int", required=False, nullable=True, min=1, max=12),
                C("area_id", "area"),
                C("category", "str"),
                C("count", "int", min=0),
                C("preliminary", "bool", required=False, nullable=True),
                C("suppressed", "bool", required=False, nullable=True),
            ),
            "Aggregerade antal anmälda brott (alternativ till brottsraderna)",
        ),
        TableSpec(
            "orsaker",
            (
                C("year", "int", min=1990, max=2100, doc="året orsaksanalysen gäller (rapportåret)", example="2023"),
                C("area_id", "area", doc="området analysen gäller (rapportens område eller ett område under det)", example="hasselby-vallingby"),
                C("problem_id", "str", doc="kort id för det prioriterade problemet, samma för alla dess orsaker", example="P1"),
                C("problem", "str", doc="det prioriterade problemet som läsaren ser det", example="Våld utomhus kring Vällingby centrum kvällstid"),
                C("cause_id", "str", doc="kort id för orsaken; åtgärdsplanen (atgarder.cause_id) pekar på det", example="O3"),
                C("cause", "str", doc="orsaken med egna ord", example="Dålig belysning vid tunnelbanan"),
                C("branch", "str", allowed=ORSAK_BRANCHES, doc="grenen i orsaksanalysen: gärningsperson, offer-mål eller plats-situation",
                  example="plats-situation"),
                C("evidence", "str", required=False, nullable=True,
                  doc="underlaget, gärna med hänvisningar {ref:etikett} till rapportens tabeller och diagram", example="Se {ref:hotspot_map}."),
            ),
            "Orsaksanalys: prioriterade problem och deras orsaker",
            unique=("year", "area_id", "problem_id", "cause_id"),
            source="analytikernas orsaksanalys (Brås modell), skriven för hand",
        ),
        TableSpec(
            "atgarder",
            (
                C("plan_year", "int", min=1990, max=2100, doc="året åtgärdsplanen gäller", example="2023"),
                C("area_id", "area", doc="området åtgärden gäller", example="hasselby-vallingby"),
                C("measure_id", "str", doc="kort id för åtgärden", example="A1"),
                C("measure", "str", doc="åtgärden som läsaren ser den", example="Ordningsvakter vid Vällingby centrum"),
                C("problem_id", "str", doc="problemet i orsaksanalysen (orsaker.problem_id) som åtgärden riktar sig mot", example="P1"),
                C("cause_id", "str", required=False, nullable=True, doc="orsaken (orsaker.cause_id) som åtgärden riktar sig mot", example="O3"),
                C("type", "str", allowed=MEASURE_TYPES, doc="situationell (platsen, tillfället) eller social (människorna)", example="situationell"),
                C("place_or_group", "str", required=False, nullable=True, doc="platsen eller målgruppen", example="Vällingby centrum"),
                C("responsible", "str", doc="ansvarig part", example="Lokalpolisområdet"),
                C("start", "date", doc="startdatum", example="2023-02-01"),
                C("end", "date", required=False, nullable=True, doc="slutdatum; tomt = tills vidare", example="2023-12-31"),
                C("indicator_kind", "str", required=False, nullable=True, allowed=INDICATOR_KINDS,
                  doc="vad som följer åtgärden: brott (en brottskategori), enkät (en enkätfråga) eller indikator (ur indicators)", example="brott"),
                C("indicator", "str", required=False, nullable=True,
                  doc="id:t: crime_categories.category, survey.question eller indicators.indicator; tomt = ingen indikator (en lucka)",
                  example="misshandel_utomhus"),
                C("survey", "str", required=False, nullable=True, doc="undersökningen (survey.survey) när indikatorn är en enkätfråga"),
                C("baseline_year", "int", required=False, nullable=True, min=1990, max=2100,
                  doc="basåret som utgångsläget räknas från; tomt = året före planåret", example="2022"),
                C("target", "float", required=False, nullable=True, min=0,
                  doc="målet i indikatorns enhet: antal brott 1 jan–periodens slut, andel 0–1 eller indikatorns värde", example="240"),
                C("cooperation_area", "str", required=False, nullable=True, allowed=COOPERATION_AREA_KEYS,
                  doc="samverkansområdet åtgärden hör till (nyckel i params priority_areas)", example="otrygga_platser"),
            ),
            "Åtgärdsplan: åtgärder och indikatorerna som följer dem",
            unique=("plan_year", "area_id", "measure_id"),
            source="kommunens och polisens åtgärdsplan (lag 2023:196, 5 §), skriven för hand",
        ),
        TableSpec(
            "kommungrupp",
            (
                C("year", "int", min=1990, max=2100, doc="året då indelningen gäller från (SKR ändrar den ibland)", example="2023"),
                C("area_id", "area", doc="kommunens area_id", example="solna"),
                C("kommungrupp", "str", doc="SKR:s kommungrupp som kommunen hör till", example="Storstäder och storstadsnära kommuner"),
            ),
            "SKR:s kommungruppsindelning: vilken kommungrupp varje kommun hör till",
            unique=("year", "area_id"),
            source="SKR:s kommungruppsindelning (skr.se); lagesbild init skriver den för kommunen och dess kommungrupp ur listan som följer med paketet (2023)",
        ),
        TableSpec(
            "police_areas",
            (
                C("police_area_id", "slug", doc="lokalpolisområdets id, detsamma på alla dess rader", example="vallingby"),
                C("name", "str", doc="lokalpolisområdets namn som läsaren ser det, utan ordet lokalpolisområde; detsamma på alla dess rader",
                  example="Vällingby"),
                C("area_id", "area", doc="ett område som ingår i lokalpolisområdet, t.ex. ett stadsdelsområde eller en hel kommun; "
                  "ett område hör till högst ett lokalpolisområde och får inte ligga inom ett annat område i tabellen",
                  example="hasselby-vallingby"),
            ),
            "Lokalpolisområden: vilka områden som ingår i varje lokalpolisområde",
            unique=("police_area_id", "area_id"),
            source="Polisens indelning i lokalpolisområden (polisen.se), skriven för hand",
        ),
    )
}

#: GeoJSON layers of the contract, with the properties each feature must carry.
GEO_LAYERS: dict[str, tuple[str, ...]] = {
    "areas": ("area_id",),
    "vulnerable_areas": ("name", "category"),
    "basemap": ("layer",),
}
GEO_DESCRIPTIONS = {
    "areas": "Områdesgränser",
    "vulnerable_areas": "Polisens utsatta områden (NOA)",
    "basemap": "Bakgrundskarta (vatten, vägar, järnväg, bebyggelse)",
}
#: What the data contract says of a layer beyond its properties (Swedish).
GEO_NOTES: dict[str, str] = {
    "areas": "Normalt har den lägsta nivån gränser; ett område utan egen gräns ritas som unionen av sina delområdens. Ett område utan "
             "delområden i `areas` (t.ex. en grannkommun i samma lokalpolisområde) är sin egen lägsta nivå och kan ha en egen gräns; "
             "kartan över lokalpolisområdet ritar den och nämner ett område som saknar gräns.",
}
#: Optional properties of a layer's features and what they mean (Swedish, for the data contract).
GEO_OPTIONAL: dict[str, dict[str, str]] = {
    "areas": {
        "source": "varifrån gränsen kommer, t.ex. Stadsdelsgränser: Stockholms stad, öppna data (CC0); kartorna visar det",
        "schematic": "`true` för en påhittad (schematisk) gräns; kartan säger då att den är schematisk",
    },
}
POLYGONAL = ("Polygon", "MultiPolygon")
LINEAR = ("LineString", "MultiLineString")
#: The base map's kinds (property ``layer`` of ``basemap.geojson``) and the geometries each may have.
BASEMAP_LAYERS: dict[str, tuple[str, ...]] = {
    "vatten": POLYGONAL + LINEAR,
    "väg": LINEAR,
    "järnväg": LINEAR,
    "bebyggelse": POLYGONAL,
}
#: Layers whose geometries depend on a property (file stem → (property, value → geometry types));
#: every other layer holds polygons only.
GEO_KINDS: dict[str, tuple[str, dict[str, tuple[str, ...]]]] = {"basemap": ("layer", BASEMAP_LAYERS)}
VULNERABLE_CATEGORIES = ("Utsatt område", "Riskområde", "Särskilt utsatt område")

#: Tables that must be present; ``crimes`` may be replaced by ``crime_counts``.
REQUIRED_TABLES = ("areas", "crime_categories")
CRIME_TABLES = ("crimes", "crime_counts")
