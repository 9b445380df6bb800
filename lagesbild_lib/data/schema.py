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


@dataclass(frozen=True)
class TableSpec:
    """One contract table: its columns, its unique key and what it holds (Swedish, for Källor)."""

    name: str
    columns: tuple[Column, ...]
    description: str
    unique: tuple[str, ...] = field(default_factory=tuple)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


C = Column

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
            "Områdesregister (kommun, stadsdelsområden, stadsdelar)",
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
            "indicators",
            (
                C("year", "int", min=1990, max=2100),
                C("area_id", "area"),
                C("indicator", "str"),
                C("value", "float"),
                C("unit", "str", allowed=("procent", "kr", "dagar", "antal")),
                C("label", "str", required=False, nullable=True),
            ),
            "Socioekonomiska indikatorer",
            unique=("year", "area_id", "indicator"),
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
    )
}

#: GeoJSON layers of the contract, with the properties each feature must carry.
GEO_LAYERS: dict[str, tuple[str, ...]] = {
    "areas": ("area_id",),
    "vulnerable_areas": ("name", "category"),
}
GEO_DESCRIPTIONS = {
    "areas": "Områdesgränser (schematiska i demodata)",
    "vulnerable_areas": "Polisens utsatta områden (NOA)",
}
VULNERABLE_CATEGORIES = ("Utsatt område", "Riskområde", "Särskilt utsatt område")

#: Tables that must be present; ``crimes`` may be replaced by ``crime_counts``.
REQUIRED_TABLES = ("areas", "crime_categories")
CRIME_TABLES = ("crimes", "crime_counts")
