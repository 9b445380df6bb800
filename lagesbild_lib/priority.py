"""The five city-wide cooperation areas (prioriterade samverkansområden) and the sources list."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .data.dataset import DataSet
from .data.schema import GEO_DESCRIPTIONS, TABLES
from .params import ReportParams

COOPERATION_AREAS = {
    "unga_i_riskzon": (
        "Unga i riskzon för destruktivt beteende",
        "Barn och unga som riskerar att hamna i kriminalitet, missbruk eller annat destruktivt beteende.",
    ),
    "otrygga_platser": (
        "Otrygga och brottsutsatta platser",
        "Platser där brott och ordningsstörningar koncentreras eller där många känner sig otrygga.",
    ),
    "systemhotande_brottslighet": (
        "Systemhotande brottslighet",
        "Brottslighet som hotar samhällets funktioner, t.ex. välfärdsbrott, otillåten påverkan och parallella samhällsstrukturer.",
    ),
    "utsatta_brottsoffer": (
        "Särskilt utsatta och sårbara brottsoffer",
        "Våld i nära relationer, hedersrelaterat våld och förtryck samt brott mot äldre och andra sårbara grupper.",
    ),
    "kriminella_miljoer": (
        "Kriminella miljöer och livsstilar",
        "Personer i kriminella nätverk och livsstilar, rekrytering till dem och stöd till avhopp.",
    ),
}
STATUS_TEXT = {
    "sarskilda_atgarder": "Pågår/finns behov av särskilda åtgärder inom området. Inkluderas i åtgärdsplan.",
    "linjeverksamhet": "Arbete sker i linjeverksamhet.",
}



def cooperation_status_table(params: ReportParams) -> pd.DataFrame:
    """One row per cooperation area: its title, the two status boxes (☒/☐) and whether a comment exists."""
    rows = []
    for key, (title, _) in COOPERATION_AREAS.items():
        entry = params.priority_areas.get(key)
        status = entry.status if entry else None
        rows.append(
            {
                "Samverkansområde": title,
                "Särskilda åtgärder": "☒" if status == "sarskilda_atgarder" else "☐",
                "Linjeverksamhet": "☒" if status == "linjeverksamhet" else "☐",
                "Status angiven": "ja" if status else "nej",
            }
        )
    return pd.DataFrame(rows)


def cooperation_markdown(params: ReportParams) -> str:
    """The cooperation areas as Markdown sections: description, status and the analysts' comment."""
    parts = []
    for key, (title, default_text) in COOPERATION_AREAS.items():
        entry = params.priority_areas.get(key)
        description = (entry.description if entry and entry.description else default_text)
        status = STATUS_TEXT.get(entry.status, "") if entry and entry.status else "Ingen status angiven i params."
        comment = entry.comment if entry and entry.comment else "*Ingen kommentar angiven.*"
        parts.append(f"### {title}\n\n{description}\n\n**Status:** {status}\n\n{comment}\n")
    return "\n".join(parts)


def sources_table(params: ReportParams, data: DataSet) -> pd.DataFrame:
    """Källor: the sources from params, then every data file used with its description and date."""
    rows = [
        {"Källa": s.title, "Utgivare": s.publisher, "Beskrivning": s.note, "Datum": str(s.year or "")}
        for s in params.sources
    ]
    for path in data.input_files():
        stem = path.name.split(".")[0]
        description = TABLES[stem].description if stem in TABLES and not path.name.endswith(".geojson") else GEO_DESCRIPTIONS.get(stem, "")
        changed = dt.datetime.fromtimestamp(path.stat().st_mtime).date().isoformat()
        rows.append({"Källa": path.name, "Utgivare": "Datafil", "Beskrivning": description, "Datum": changed})
    return pd.DataFrame(rows, columns=["Källa", "Utgivare", "Beskrivning", "Datum"])
