"""The data contract in Swedish, made from the schema itself: ``docs/datakontrakt.md``.

Every table of :data:`~lagesbild_lib.data.schema.TABLES` and every GeoJSON layer of
:data:`~lagesbild_lib.data.schema.GEO_LAYERS` gets a section: what it holds, whether it is
required, where the data usually come from, each column with its type, allowed values, whether it
is required, a description, the table's unique key and an example row (which passes the
validation: a test checks it). The texts come from the schema (``Column.doc``, ``Column.example``,
``TableSpec.source``); for the columns that have none, from :data:`COLUMN_TEXTS` here, else from
the column's kind. A table added to the schema appears at the next run.

Run ``python -m lagesbild_lib.data.contract_doc --write`` after changing the schema; the test
``tests/unit/test_datakontrakt.py`` fails while the document and the schema disagree.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lagesbild_lib import paths
from lagesbild_lib.data import schema
from lagesbild_lib.data.schema import Column, TableSpec

DOC_PATH = Path("docs") / "datakontrakt.md"

KIND_NAMES = {
    "str": "text", "slug": "områdes-id", "area": "områdes-id ur areas", "int": "heltal", "float": "decimaltal",
    "bool": "sant/falskt", "date": "datum", "datetime": "tidpunkt",
}
KIND_TEXTS = {
    "str": "fri text", "slug": "små ASCII-bokstäver, siffror och bindestreck, t.ex. hasselby-vallingby",
    "area": "ett area_id som finns i tabellen areas", "int": "ett heltal", "float": "ett tal med punkt som decimaltecken",
    "bool": "true/false (även 1/0, ja/nej)", "date": "ÅÅÅÅ-MM-DD", "datetime": "lokal tid ÅÅÅÅ-MM-DDTHH:MM",
}
KIND_EXAMPLES = {"str": "exempel", "slug": "hasselby-vallingby", "area": "hasselby-vallingby", "int": "1", "float": "1.5",
                 "bool": "true", "date": "2023-04-01", "datetime": "2023-04-01T22:15"}

#: Descriptions and example values of the columns whose schema entry has none: (table, column) or column.
COLUMN_TEXTS: dict[tuple[str, str] | str, tuple[str, str]] = {
    "year": ("året (kalenderår; för veckor ISO-året)", "2023"),
    "area_id": ("områdets id", "hasselby-vallingby"),
    "lon": ("longitud i WGS84 (grader)", "17.8612"),
    "lat": ("latitud i WGS84 (grader)", "59.3642"),
    "category": ("brottskategorins id, som i crime_categories", "misshandel_utomhus"),
    ("areas", "area_id"): ("områdets id, unikt", "hasselby-vallingby"),
    ("areas", "name"): ("områdets namn som läsaren ser det, med å, ä och ö", "Hässelby-Vällingby"),
    ("areas", "level"): ("nivån: riket, lan, kommun, stadsdelsomrade, stadsdel, regso, deso, delomrade …", "stadsdelsomrade"),
    ("areas", "parent_id"): ("närmaste överordnade område; tomt bara för det översta", "stockholm"),
    ("areas", "valid_from"): ("första dag området gäller (tomt: alltid)", "2020-01-01"),
    ("areas", "valid_to"): ("sista dag området gäller (tomt: fortfarande)", ""),
    ("crimes", "crime_id"): ("anmälans id, unikt (visas aldrig i rapporten)", "K123456-23"),
    ("crimes", "reported_date"): ("anmälningsdatum", "2023-04-01"),
    ("crimes", "area_id"): ("området där brottet skedde, helst den lägsta nivån", "vallingby"),
    ("crimes", "outdoor"): ("om brottet skedde utomhus", "true"),
    ("crimes", "victim_age"): ("målsägandens ålder (visas aldrig enskilt)", "34"),
    ("crimes", "occurred_at"): ("när brottet skedde, lokal tid ÅÅÅÅ-MM-DDTHH:MM", "2023-03-31T22:15"),
    ("crime_categories", "category"): ("kategorins id", "misshandel_utomhus"),
    ("crime_categories", "label"): ("kategorins namn i rapporten", "Misshandel utomhus"),
    ("crime_categories", "group"): ("gruppen i CompStat-tabellen", "Brott mot person"),
    ("crime_categories", "compstat"): ("om kategorin visas i CompStat-tabellen", "true"),
    ("crime_categories", "violent"): ("om kategorin räknas som våldsbrott (hotspotkartan)", "true"),
    ("crime_categories", "intimate_partner"): ("om kategorin är brott i nära relation", "false"),
    ("weekly_assessments", "week"): ("ISO-veckan 1–53", "14"),
    ("weekly_assessments", "level"): ("lägesbedömningens nivå 1 (låg) – 5 (mycket hög)", "3"),
    ("critical_events", "event_date"): ("händelsens datum", "2023-04-01"),
    ("critical_events", "type"): ("händelsetyp, fri text: sprängning, skjutning, brandattentat …", "skjutning"),
    ("critical_events", "fatal"): ("om någon dog", "false"),
    ("population", "age_group"): ("åldersgrupp A-B eller A+ (0-19, 20-64, 65+ eller finare)", "0-19"),
    ("population", "sex"): ("kvinna, man eller alla (totalen, läggs aldrig ihop med kvinna/man)", "kvinna"),
    ("population", "count"): ("antal invånare", "1204"),
    ("indicators", "indicator"): ("indikatorns id (t.ex. Koladas nyckeltals-id)", "N00914"),
    ("indicators", "value"): ("värdet; procent på skalan 0–100", "76.4"),
    ("survey", "survey"): ("undersökningens namn", "Stockholms stads trygghetsmätning"),
    ("survey", "question"): ("frågans id: otrygg_kvallstid, oroplatser eller andra", "otrygg_kvallstid"),
    ("survey", "answer"): ("svaret som andelen gäller (ja; för oroplatser platsen)", "ja"),
    ("survey", "group"): ("svarsgruppen: alla, kvinnor, män eller åldersband", "alla"),
    ("survey", "respondents"): ("antal svarande bakom andelen", "183"),
    ("survey", "share"): ("andelen som gav svaret, 0–1", "0.3716"),
    ("places", "place_id"): ("platsens id, unikt", "rinkeby-torg"),
    ("places", "name"): ("platsens namn", "Rinkeby torg"),
    ("places", "type"): ("platstyp, fri text: öppen drogscen, prioriterad plats …", "prioriterad plats"),
    ("programme_ratings", "programme"): ("programmet, fri text", "GSRS"),
    ("programme_ratings", "group_id"): ("gruppen som skattades", "grupp-1"),
    ("programme_ratings", "score"): ("skattningen 1–10", "5.7"),
    ("crime_counts", "month"): ("månaden 1–12 (tomt: hela året)", "4"),
    ("crime_counts", "count"): ("antal anmälda brott", "12"),
    ("crime_counts", "preliminary"): ("om siffran är preliminär", "false"),
    ("crime_counts", "suppressed"): ("om siffran är undertryckt av källan", "false"),
}
#: Where a table's data usually come from, when the schema entry does not say.
SOURCES = {
    "areas": "kommunens egen indelning, lagesbild init (RegSO/DeSO från SCB)",
    "crimes": "polisens utdrag ur anmälningsregistret (RAR), via kommunens samverkansavtal",
    "crime_categories": "kommunens och polisens egen indelning; lagesbild import bra lägger till Brås kategorier",
    "weekly_assessments": "EST-loggen över den veckovisa lägesbedömningen (lagesbild import est)",
    "critical_events": "EST-loggen eller Polisens händelser (lagesbild import est / polisen-events)",
    "population": "SCB (lagesbild fetch scb-befolkning / import scb-befolkning)",
    "survey": "trygghetsmätningar, t.ex. stadens eller polisens (lagesbild import survey)",
    "places": "kommunens och polisens egna listor",
    "programme_ratings": "programmens egna uppföljningar (t.ex. GSRS)",
    "crime_counts": "Brås statistikdatabas (lagesbild import bra)",
}


#: Optional tables whose absence the report does not mention (an addition, not a section).
OPTIONAL_NOTES = {
    "population_forecast": "Valfri: saknas den visar kapitlet om området ingen prognos (och säger inget om det), och rapporten byggs ändå.",
}


def _text(table: str, col: Column) -> tuple[str, str]:
    default = COLUMN_TEXTS.get((table, col.name)) or COLUMN_TEXTS.get(col.name) or (_kind_text(col.kind), "")
    # an optional column without an example of its own stays empty: its value may depend on other columns
    return col.doc or default[0], col.example or default[1] or ("" if not col.required else _kind_example(col))


def _kind_example(col: Column) -> str:
    if col.allowed:
        return col.allowed[0]
    if col.kind == "int" and col.min == 1990:  # a year
        return "2023"
    if col.kind in ("int", "float") and col.min is not None:
        return str(int(col.min)) if col.kind == "int" or float(col.min).is_integer() else str(col.min)
    return KIND_EXAMPLES.get(col.kind, "")


def _kind_text(kind: str) -> str:
    """What a value of the kind looks like (a kind added to the validation later: its expectation there)."""
    from lagesbild_lib.data.validate import EXPECTED

    return KIND_TEXTS.get(kind) or EXPECTED.get(kind, kind)


def _allowed(col: Column) -> str:
    if col.allowed:
        return ", ".join(f"`{v}`" for v in col.allowed)
    low = None if col.min is None else (int(col.min) if float(col.min).is_integer() else col.min)
    high = None if col.max is None else (int(col.max) if float(col.max).is_integer() else col.max)
    if low is not None and high is not None:
        return f"{low}–{high}".replace(".", ",")
    if low is not None:
        return f"minst {low}".replace(".", ",")
    if high is not None:
        return f"högst {high}".replace(".", ",")
    return ""


def _required(col: Column) -> str:
    if not col.required:
        return "nej"
    return "ja, men cellen får vara tom" if col.nullable else "ja"


def example_row(spec: TableSpec) -> dict[str, str]:
    """The table's example row: ``{column: value as written in the CSV}``."""
    return {c.name: _text(spec.name, c)[1] for c in spec.columns}


def _csv_cell(value: str) -> str:
    return f'"{value}"' if any(ch in value for ch in ',"\n') else value


def _table_section(spec: TableSpec) -> list[str]:
    if spec.name in schema.REQUIRED_TABLES:
        need = "**Obligatorisk.**"
    elif spec.name in schema.CRIME_TABLES:
        other = next(t for t in schema.CRIME_TABLES if t != spec.name)
        need = f"**Obligatorisk om `{other}` saknas** (en av {' och '.join(f'`{t}`' for t in schema.CRIME_TABLES)} krävs)."
    elif spec.name in OPTIONAL_NOTES:
        need = OPTIONAL_NOTES[spec.name]
    else:
        need = "Valfri: saknas den säger kapitlet vad som saknas, och rapporten byggs ändå."
    lines = [f"### `{spec.name}` – {spec.description}", "", need, ""]
    source = spec.source or SOURCES.get(spec.name, "")
    if source:
        lines += [f"Vanlig källa: {source}.", ""]
    lines += ["| kolumn | typ | krävs | tillåtna värden | beskrivning |", "|---|---|---|---|---|"]
    for col in spec.columns:
        doc, _ = _text(spec.name, col)
        lines.append(f"| `{col.name}` | {KIND_NAMES.get(col.kind, col.kind)} | {_required(col)} | {_allowed(col)} | {doc} |")
    lines.append("")
    if spec.unique:
        lines += [f"Varje kombination av {', '.join(f'`{k}`' for k in spec.unique)} får bara finnas en gång.", ""]
    row = example_row(spec)
    lines += ["Exempelrad:", "", "```csv", ",".join(row), ",".join(_csv_cell(v) for v in row.values()), "```", ""]
    return lines


def render() -> str:
    """The whole document (Markdown, Swedish)."""
    lines = [
        "# Datakontrakt",
        "",
        "<!-- Skapad ur lagesbild_lib/data/schema.py av `python -m lagesbild_lib.data.contract_doc --write`; ändra inte för hand. -->",
        "",
        "Det här är tabellerna som en datamapp kan innehålla, med kolumner, typer, tillåtna värden och ett exempel.",
        "`lagesbild check --data MAPP` kontrollerar en mapp mot just detta kontrakt.",
        "",
        "## Allmänt",
        "",
        "- Varje tabell är `NAMN.csv` (UTF-8, kommaseparerad, rubrikrad) eller `NAMN.parquet`.",
        "- Decimaltal skrivs med punkt (`48.5`), datum `ÅÅÅÅ-MM-DD`, sant/falskt `true`/`false` (även `1`/`0`, `ja`/`nej`).",
        "- En tom cell betyder att värdet saknas; det är aldrig detsamma som 0.",
        "- Områdes-id är små ASCII-bokstäver med bindestreck (`hasselby-vallingby`); kommunen är också ett område.",
        "- Varje tabell som finns kontrolleras i sin helhet, alla rader och alla år. Ett fel ger ett meddelande med fil, rad,",
        "  kolumn och värde, och ingenting körs (slutkod 2).",
        "- Extra kolumner får finnas och lämnas orörda, t.ex. en kolumn `code` i `areas` med områdets officiella kod",
        "  (riket `00`, län `18`, kommun `1880`, RegSO `1880R001` eller `1880R001_RegSO2025`), som `lagesbild fetch` och",
        "  `lagesbild import` använder för att känna igen SCB:s och Koladas regioner.",
        f"- Obligatoriska tabeller: {', '.join(f'`{t}`' for t in schema.REQUIRED_TABLES)} och "
        f"{' eller '.join(f'`{t}`' for t in schema.CRIME_TABLES)}. Alla andra är valfria.",
        "",
        "## Tabeller",
        "",
    ]
    for spec in schema.TABLES.values():
        lines += _table_section(spec)
    lines += ["## Kartlager (GeoJSON)", "",
              "Polygoner eller multipolygoner (kartlager för bakgrundskartan även linjer); koordinatsystemet anges i filen, WGS84 när inget anges.", ""]
    for layer, props in schema.GEO_LAYERS.items():
        what = schema.GEO_DESCRIPTIONS.get(layer, "")
        lines += [f"### `{layer}.geojson` – {what}", "", f"Egenskaper som varje objekt måste ha: {', '.join(f'`{p}`' for p in props)}.", ""]
        if layer in schema.GEO_NOTES:
            lines += [schema.GEO_NOTES[layer], ""]
        optional = schema.GEO_OPTIONAL.get(layer, {})
        if optional:
            lines += ["Valfria egenskaper: " + "; ".join(f"`{k}`: {v}" for k, v in optional.items()) + ".", ""]
        if layer == "vulnerable_areas":
            lines += [f"Tillåtna värden för `category`: {', '.join(f'`{c}`' for c in schema.VULNERABLE_CATEGORIES)}.", ""]
    return "\n".join(lines).rstrip() + "\n"


def doc_path() -> Path:
    return paths.project_root() / DOC_PATH


def main(argv: list[str] | None = None) -> int:
    """``python -m lagesbild_lib.data.contract_doc [--write|--check]``: print, write or check the document."""
    parser = argparse.ArgumentParser(prog="python -m lagesbild_lib.data.contract_doc", description="Skriver datakontraktet ur schemat.")
    parser.add_argument("--write", action="store_true", help=f"skriv {DOC_PATH}")
    parser.add_argument("--check", action="store_true", help=f"avsluta med 1 om {DOC_PATH} inte stämmer med schemat")
    args = parser.parse_args(argv)
    text = render()
    if args.write:
        doc_path().write_text(text, encoding="utf-8")
        print(f"Skrev {doc_path()}")
        return 0
    if args.check:
        current = doc_path().read_text(encoding="utf-8") if doc_path().is_file() else ""
        if current != text:
            print(f"{doc_path()} stämmer inte med schemat; kör python -m lagesbild_lib.data.contract_doc --write", file=sys.stderr)
            return 1
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
