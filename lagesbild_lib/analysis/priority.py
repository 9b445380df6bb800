"""The five city-wide cooperation areas (prioriterade samverkansområden), their linked indicators
and the sources list (Källor).

Functions take params and DataFrames and return DataFrames or Markdown; nothing here reads files
(the file dates of Källor come from :class:`~lagesbild_lib.data.dataset.DataSet`, which the
caller passes in).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lagesbild_lib.data.areas import AreaRegistry
from lagesbild_lib.data.schema import GEO_DESCRIPTIONS, TABLES
from lagesbild_lib.params import PRIORITY_AREA_KEYS, ReportParams


@dataclass(frozen=True)
class CooperationArea:
    """One of the five city-wide cooperation areas: its heading and standard description."""

    key: str
    title: str
    description: str


#: The five areas in report order (DESIGN §2), with the standard description that params may override.
COOPERATION_AREAS: dict[str, CooperationArea] = {
    a.key: a
    for a in (
        CooperationArea(
            "unga_i_riskzon",
            "Unga i riskzon för destruktivt beteende",
            "Barn och unga som riskerar att hamna i kriminalitet, missbruk eller annat destruktivt beteende. "
            "Arbetet handlar om tidiga insatser tillsammans med skola, socialtjänst, fritid och föräldrar, "
            "och om att bryta en negativ utveckling så tidigt som möjligt.",
        ),
        CooperationArea(
            "otrygga_platser",
            "Otrygga och brottsutsatta platser",
            "Platser där brott och ordningsstörningar koncentreras eller där många känner sig otrygga, "
            "till exempel centrumanläggningar, öppna drogscener och olovliga bosättningar. Arbetet sker "
            "platsnära, ofta tillsammans med fastighetsägare och näringsidkare.",
        ),
        CooperationArea(
            "systemhotande_brottslighet",
            "Systemhotande brottslighet",
            "Brottslighet som hotar samhällets funktioner: välfärdsbrott, otillåten påverkan på "
            "tjänstepersoner och förtroendevalda, och parallella samhällsstrukturer.",
        ),
        CooperationArea(
            "utsatta_brottsoffer",
            "Särskilt utsatta och sårbara brottsoffer",
            "Våld i nära relationer, hedersrelaterat våld och förtryck, brott mot äldre och andra "
            "sårbara grupper samt barn som bevittnar våld.",
        ),
        CooperationArea(
            "kriminella_miljoer",
            "Kriminella miljöer och livsstilar",
            "Personer i kriminella nätverk och kriminella livsstilar, rekrytering av unga till dem och "
            "stöd till den som vill lämna en kriminell miljö.",
        ),
    )
}
assert tuple(COOPERATION_AREAS) == PRIORITY_AREA_KEYS, "cooperation areas and params keys must agree"

#: The two boxes of the seed form, in form order.
STATUS_TEXT = {
    "sarskilda_atgarder": "Pågår/finns behov av särskilda åtgärder inom området. Inkluderas i åtgärdsplan.",
    "linjeverksamhet": "Arbete sker i linjeverksamhet.",
}
CHECKED, UNCHECKED = "☒", "☐"

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~&])")


def md_escape(text: str) -> str:
    """Plain text made literal in Markdown (no emphasis, links, HTML or list markers)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


# ----------------------------------------------------------------------------- status and texts
def status_boxes(status: str | None) -> list[tuple[str, str]]:
    """The two boxes of the seed form as (mark, text), ☒ for the chosen status."""
    return [(CHECKED if status == key else UNCHECKED, text) for key, text in STATUS_TEXT.items()]


def cooperation_status_table(params: ReportParams) -> pd.DataFrame:
    """One row per cooperation area: its title and the two status boxes (☒/☐) of the seed form."""
    rows = []
    for key, area in COOPERATION_AREAS.items():
        entry = params.priority_areas.get(key)
        boxes = status_boxes(entry.status if entry else None)
        rows.append({"Samverkansområde": area.title, "Särskilda åtgärder": boxes[0][0], "Linjeverksamhet": boxes[1][0]})
    return pd.DataFrame(rows, columns=["Samverkansområde", "Särskilda åtgärder", "Linjeverksamhet"])


def cooperation_markdown(params: ReportParams, key: str) -> str:
    """One cooperation area as Markdown: description, the two status boxes and the analysts' comment.

    Parameters
    ----------
    params
        The report's params; ``priority_areas[key]`` may override the description and gives the
        status and the comment (Markdown, sanitised when rendered).
    key
        One of :data:`~lagesbild_lib.params.PRIORITY_AREA_KEYS`.

    Raises
    ------
    KeyError
        An unknown key.
    """
    area = COOPERATION_AREAS[key]
    entry = params.priority_areas.get(key)
    description = entry.description.strip() if entry and entry.description and entry.description.strip() else area.description
    boxes = status_boxes(entry.status if entry else None)
    status = "\\\n".join(f"{mark} {md_escape(text)}" for mark, text in boxes)
    if not entry or not entry.status:
        status += "\\\n*Ingen status angiven i params (priority_areas).*"
    comment = entry.comment.strip() if entry and entry.comment.strip() else "*Ingen kommentar angiven.*"
    return f"{description}\n\n**Status**\\\n{status}\n\n**Kommentar**\n\n{comment}\n"


def local_priorities_markdown(params: ReportParams) -> str:
    """The local priority areas as Markdown: a heading (h3) each, description and comment."""
    parts = []
    for item in params.local_priority_areas:
        part = f"### {md_escape(item.title)}\n\n"
        if item.description.strip():
            part += f"{item.description.strip()}\n\n"
        if item.comment.strip():
            part += f"**Kommentar**\n\n{item.comment.strip()}\n"
        parts.append(part)
    return "\n".join(parts)


# ----------------------------------------------------------------------------- linked indicators
def places_in_area(places: pd.DataFrame, registry: AreaRegistry, area_id: str) -> pd.DataFrame:
    """The places in ``area_id`` or below it, with the sub-area each lies in.

    Returns
    -------
    DataFrame with columns Plats, Typ, Delområde (the direct sub-area of ``area_id`` that holds the
    place; the area's own name for a place registered on the area itself), sorted by sub-area and name.
    """
    owner = registry.owner_map(registry.children(area_id))
    part = places[places["area_id"].isin(registry.descendants(area_id))]
    frame = pd.DataFrame(
        {
            "Plats": part["name"].astype(str),
            "Typ": part["type"].astype(str),
            "Delområde": [registry.name(owner.get(a, area_id)) for a in part["area_id"]],
        }
    )
    return frame.sort_values(["Delområde", "Plats"], kind="stable").reset_index(drop=True)


def intimate_partner_years(
    crimes: pd.DataFrame | None, counts: pd.DataFrame | None, registry: AreaRegistry, area_id: str,
    categories: list[str], years: list[int],
) -> pd.Series:
    """Reported crimes in close relationships per year for an area.

    Parameters
    ----------
    crimes
        The area's row-level crimes (already restricted to the area), or None.
    counts
        The ``crime_counts`` table (all areas), used when ``crimes`` is None.
    categories
        The categories flagged ``intimate_partner``.
    years
        The years to show (a year without crimes gives 0).
    """
    from lagesbild_lib.analysis.crime import yearly_counts

    if crimes is not None:
        series = yearly_counts(crimes, categories)
    elif counts is not None:
        part = counts[counts["category"].isin(categories) & counts["area_id"].isin(_leaves_or_self(registry, area_id, counts))]
        series = part.groupby("year")["count"].sum()
    else:
        series = pd.Series(dtype=int)
    series = series.reindex(years, fill_value=0).astype(int)
    series.index.name = "År"
    return series.rename("Antal")


def _leaves_or_self(registry: AreaRegistry, area_id: str, counts: pd.DataFrame) -> list[str]:
    """The area's own rows where the aggregated table has them, otherwise its descendants' (DESIGN §6)."""
    if (counts["area_id"] == area_id).any():
        return [area_id]
    return registry.descendants(area_id, include_self=False)


def exact_mean(values) -> float:
    """The mean of scores as the float nearest to its exact value: 117 / 20 is 5.85 exactly, so it
    rounds to 5,9 like every other half (a float sum can land on 5.8499999…). Scores are taken as
    the decimals they are written as (5.7 is 57/10), never cut to whole numbers: the contract's
    score is a number from 1 to 10, decimals allowed."""
    from fractions import Fraction

    items = [Fraction(str(float(v))) for v in values]
    return float(sum(items) / len(items))


# ----------------------------------------------------------------------------- Källor
def data_sources(files: list[Path], origins: dict[str, str] | None = None) -> pd.DataFrame:
    """Every data file used: name, the contract's description, the date the file was last changed
    and where it came from (``origins``: file name → text, from ``sources.json``; "" when unknown)."""
    origins = origins or {}
    rows = []
    for path in files:
        stem = path.name.split(".")[0]
        if path.name.endswith(".geojson"):
            description = GEO_DESCRIPTIONS.get(stem, "")
        else:
            description = TABLES[stem].description if stem in TABLES else ""
        changed = dt.datetime.fromtimestamp(path.stat().st_mtime).date()
        rows.append({"Fil": path.name, "Beskrivning": description, "Ändrad": changed, "Ursprung": origins.get(path.name, "")})
    return pd.DataFrame(rows, columns=["Fil", "Beskrivning", "Ändrad", "Ursprung"])


def sources_markdown(params: ReportParams, files: list[Path], origins: dict[str, str] | None = None) -> str:
    """Källor as Markdown: the sources from params, then every data file used with its description,
    the date it was last changed and, for imported files, where it came from (all shown as plain text)."""
    from lagesbild_lib.present.fmt import fmt_date_long

    lines = []
    for s in params.sources:
        entry = md_escape(s.title)
        extra = ", ".join(md_escape(x) for x in (s.publisher, str(s.year) if s.year else "") if x)
        if extra:
            entry += f". {extra}"
        if s.note.strip():
            entry += f". {md_escape(s.note.strip())}"
        lines.append(f"- {entry.rstrip('.')}.")
    parts = []
    if lines:
        parts.append("\n".join(lines))
    table = data_sources(files, origins)
    if len(table):
        parts.append("**Datafiler i rapporten**")
        parts.append(
            "\n".join(
                f"- {md_escape(r.Fil)}: {md_escape(r.Beskrivning) or 'tabell i datamappen'}, ändrad {fmt_date_long(r.Ändrad)}."
                + (f" Källa: {md_escape(r.Ursprung)}." if r.Ursprung else "")
                for r in table.itertuples(index=False)
            )
        )
    return "\n\n".join(parts) if parts else "*Inga källor angivna.*"
