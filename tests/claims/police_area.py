"""Claims about the lokalpolisområde (chapter Beskrivning av området, "Lokalpolisområdet i siffror"):
the member areas and their inhabitants together, the police area's crimes and the report area's
share of them, the table of members, and which table each member's crimes come from; the map of the
police area: its members and the report's own in the alt text, their inhabitants and crimes per 1 000
(the table's numbers), the members without an outline, and the map's data (kind, how it is shown, km²
of its outline in SWEREF 99 TM, recomputed from ``areas.geojson`` with pyproj).

Recomputed here from the raw tables: the police area is the one whose ``police_areas`` rows hold
the report's area or one of its ancestors; a member's crimes are its row-level ``crimes`` (itself
and every area below it) when it has any, else its ``crime_counts`` (its own rows, else its
children's), 1 January to the period end, or to the end of the last whole month for every member
when one has monthly counts and the period ends inside a month; violent crimes are the categories flagged
``violent``; the population is the report year's.
"""

from __future__ import annotations

import calendar
import re

import pandas as pd

from claims.report import MONTHS, THIN, count, half_up, items, number, registry, rx, whole

SENTENCES: list = []
TABLES: list = []
WHOLE: list = []

sentence, table = registry(SENTENCES, TABLES)

KINDS = {"kommun": "kommun", "stadsdelsomrade": "stadsdelsområde"}
WORDS = {"stadsdelsområdet": "stadsdelsomrade", "stadsdelsområdena": "stadsdelsomrade", "kommunen": "kommun", "kommunerna": "kommun"}


class PoliceArea:
    """The report area's police area, its members and their figures, recomputed."""

    def __init__(self, t):
        self.t = t
        reg, table = t.registry, t.data.table("police_areas")
        rows = table.set_index("area_id")
        via = next(a for a in [t.area_id, *reg.ancestors(t.area_id)] if a in rows.index)
        self.via = via
        pid = rows.loc[via, "police_area_id"]
        mine = table[table["police_area_id"] == pid]
        self.title = f"Lokalpolisområde {mine['name'].iloc[0]}"
        self.members = list(mine["area_id"])
        counts = t.data.table("crime_counts")
        violent = t.flagged("violent")
        self.source, self.all, self.violent, self.pop = {}, {}, {}, {}
        rows_of = {m: t.data.crimes_for(reg.descendants(m), t.data.crime_years[0], t.year) for m in self.members}
        # a period ending inside a month is cut at the last whole month for every member when one has monthly counts
        month, day = t.period_end.month, t.period_end.day
        if day != calendar.monthrange(t.year, month)[1] and any(r is None or not len(r) for r in rows_of.values()):
            month = month - 1
            day = calendar.monthrange(t.year, month)[1]
        self.end = pd.Timestamp(t.year, month, day)
        for m in self.members:
            crimes = rows_of[m]
            if crimes is not None and len(crimes):
                dates = crimes["reported_date"]
                inside = crimes[(dates >= pd.Timestamp(t.year, 1, 1)) & (dates <= self.end)]
                self.source[m] = "crimes"
                self.all[m], self.violent[m] = len(inside), int(inside["category"].isin(violent).sum())
            else:
                rows_m = self._count_rows(counts, m)
                rows_m = rows_m[(rows_m["year"] == t.year) & (rows_m["month"] <= month)]
                self.source[m] = "crime_counts"
                self.all[m] = int(rows_m["count"].sum())
                self.violent[m] = int(rows_m.loc[rows_m["category"].isin(violent), "count"].sum())
            self.pop[m] = t.population(m, t.year)

    def _count_rows(self, counts: pd.DataFrame, area_id: str) -> pd.DataFrame:
        own = counts[counts["area_id"] == area_id]
        if len(own):
            return own
        parts = [self._count_rows(counts, c) for c in self.t.registry.children(area_id)]
        return pd.concat(parts) if parts else own

    @property
    def population(self) -> int:
        return sum(self.pop.values())

    def name(self, area_id: str) -> str:
        return self.t.registry.name(area_id)


def police_area_of(t) -> PoliceArea:
    found = t.__dict__.get("_police_area")
    if found is None:
        found = t.__dict__["_police_area"] = PoliceArea(t)
    return found


def rate(count: int, population: int) -> str:
    return str(half_up(count / population * 1000, 1)).replace(".", ",")


def _member_names(phrase: str) -> list[tuple[str, str]]:
    """"stadsdelsområdena A och B samt C kommun" → [(A, stadsdelsomrade), (B, stadsdelsomrade), (C, kommun)]."""
    out = []
    for part in re.split(r", | samt ", phrase):
        if part.endswith(" kommun") and part.split(" ", 1)[0] not in WORDS:
            out.append((part.removesuffix(" kommun"), "kommun"))
            continue
        word, _, names = part.partition(" ")
        level = WORDS[word]
        out += [(n, level) for n in re.split(r" och ", names)]
    return out


# ----------------------------------------------------------------------------- sentences
@sentence(r"(?P<title>Lokalpolisområde [^.]+?) omfattar (?P<members>[^.]+?)(?:, med (?:sammanlagt )?(?P<pop>@COUNT@) invånare (?P<py>@YEAR@))?\.")
def members_sentence(led, t, piece, m):
    p, text = police_area_of(t), m.group(0)
    led.equal("count", piece, text, "police area", m["title"], p.title)
    says = sorted(_member_names(m["members"]))
    true = sorted((p.name(a), t.registry.get(a).level) for a in p.members)
    led.equal("count", piece, text, "members and their kinds", says, true)
    led.equal("population", piece, text, "inhabitants together", count(m["pop"]) if m["pop"] else None, p.population)
    led.equal("span", piece, text, "population year", int(m["py"]) if m["py"] else None, t.year)


@sentence(r"Under (?P<span>@PERIOD@ @YEAR@) anmäldes (?P<n>@COUNT@) brott i lokalpolisområdet(?:; (?P<mine>@COUNT@) av dem \((?P<share>\d+) %\) "
          r"anmäldes i (?P<via>[^,.]+?)(?:, där (?P<pshare>\d+) % av invånarna bor)?)?\.")
def crimes_sentence(led, t, piece, m):
    p, text = police_area_of(t), m.group(0)
    led.equal("span", piece, text, "period", m["span"], f"1 jan–{p.end.day} {MONTHS[p.end.month - 1]} {t.year}")
    total = sum(p.all.values())
    led.equal("count", piece, text, "crimes in the police area", count(m["n"]), total)
    led.equal("count", piece, text, "the report area's part named", bool(m["mine"]), len(p.members) > 1)
    if m["mine"]:
        led.equal("count", piece, text, "the member of the report's area", m["via"], p.name(p.via))
        led.equal("count", piece, text, "crimes in it", count(m["mine"]), p.all[p.via])
        led.equal("share", piece, text, "its share of the crimes", int(m["share"]), whole(100 * p.all[p.via] / total))
    if m["pshare"]:
        led.equal("share", piece, text, "its share of the inhabitants", int(m["pshare"]), whole(100 * p.pop[p.via] / p.population))


@sentence(r"Antalen för (?P<a>[^.]+?) kommer från tabellen crimes \(enskilda anmälningar\), för (?P<b>[^.]+?) från tabellen crime_counts "
          r"\(aggregerade antal\); perioden är densamma för alla, (?P<span>@PERIOD@ @YEAR@)\.")
def sources_note(led, t, piece, m):
    p, text = police_area_of(t), m.group(0)
    for group, source in (("a", "crimes"), ("b", "crime_counts")):
        true = sorted(p.name(a) for a in p.members if p.source[a] == source)
        led.equal("count", piece, text, f"members counted from {source}", sorted(re.split(r", | och ", m[group])), true)
    led.equal("span", piece, text, "period", m["span"], t.period())


@sentence(r"(?P<n>@NUM@) värden? för (?P<name>[^.]+?) var skyddade? i källan och räknas som 0\.")
def suppressed_note(led, t, piece, m):
    p = police_area_of(t)
    area = next(a for a in p.members if p.name(a) == m["name"])
    rows = p._count_rows(t.data.table("crime_counts"), area)
    rows = rows[(rows["year"] == t.year) & (rows["month"] <= t.period_end.month)]
    led.equal("count", piece, m.group(0), "suppressed values", int(number(m["n"])), int(rows["suppressed"].fillna(False).astype(bool).sum()))


# ----------------------------------------------------------------------------- the table
@table(r"^Tabell \d+\. Folkmängd och anmälda brott i lokalpolisområde (?P<name>.+?), (?P<span>@PERIOD@ @YEAR@)$")
def members_table(led, t, tab):
    p = police_area_of(t)
    led.equal("span", tab, tab.caption, "period", re.search(r"1 jan–\d+ [a-z]+ \d{4}", tab.caption).group(0), t.period())
    names = [p.name(a) for a in p.members]
    led.equal("count", tab, tab.caption, "rows", [r["Område"] for r in tab.rows], [*names, f"Hela {p.title[0].lower()}{p.title[1:]}"])
    pop_col = f"Folkmängd {t.year}"
    for row in tab.rows:
        area = next((a for a in p.members if p.name(a) == row["Område"]), None)
        if area is None:
            kind, people = "lokalpolisområde", p.population
            crimes, violent = sum(p.all.values()), sum(p.violent.values())
        else:
            kind, people = KINDS[t.registry.get(area).level], p.pop[area]
            crimes, violent = p.all[area], p.violent[area]
        says = (row["Typ"], int(number(row[pop_col])), int(number(row["Anmälda brott"])), row["Anmälda brott per 1 000 inv."],
                int(number(row["Våldsbrott"])), row["Våldsbrott per 1 000 inv."])
        true = (kind, people, crimes, rate(crimes, people), violent, rate(violent, people))
        led.equal("rate", tab, f"{tab.caption} [{row['Område']}]", "kind, population, crimes, rate, violent crimes, rate", says, true)


# ----------------------------------------------------------------------------- the map (Kartbild)
def _outlines(t) -> dict[str, object]:
    """Each member's outline in SWEREF 99 TM, recomputed from ``areas.geojson`` with pyproj: its own
    feature, else the union of its leaves' (members without any are left out)."""
    import json
    from pathlib import Path

    import numpy as np
    import shapely
    from pyproj import Transformer
    from shapely.geometry import shape

    found = t.__dict__.get("_police_outlines")
    if found is not None:
        return found
    path = Path(t.data.data_dir) / "areas.geojson"
    features = {f["properties"]["area_id"]: shape(f["geometry"]) for f in json.loads(path.read_text(encoding="utf-8"))["features"]} if path.is_file() else {}
    project = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
    out = {}
    for m in police_area_of(t).members:
        parts = [features[m]] if m in features else [features[a] for a in t.registry.leaves(m) if a in features]
        if parts:
            geom = shapely.union_all(parts)
            out[m] = shapely.transform(geom, lambda xy: np.column_stack(project.transform(xy[:, 0], xy[:, 1])))
    t.__dict__["_police_outlines"] = out
    return out


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


@sentence(r"Karta över (?P<title>lokalpolisområde [^.]+?) med (?P<n>@COUNT@) områden?: (?P<names>[^;]+); (?P<own>[^.;]+?) är rapportens område och är markerat\.")
def map_members(led, t, piece, m):
    p, text = police_area_of(t), m.group(0)
    led.equal("count", piece, text, "police area", m["title"], _lower_first(p.title))
    led.equal("count", piece, text, "members", (count(m["n"]), items(m["names"])), (len(p.members), [p.name(a) for a in p.members]))
    led.equal("count", piece, text, "the report's own member", m["own"], p.name(p.via))


@sentence(r"Invånare (?P<py>@YEAR@) och anmälda brott per 1\u202f000 invånare (?P<span>@PERIOD@ @YEAR@): (?P<list>[^;]+); "
          r"hela lokalpolisområdet (?P<pop>@NUM@|–) \((?P<rate>[^)]+)\)\.")
def map_numbers(led, t, piece, m):
    p, text = police_area_of(t), m.group(0)
    led.equal("span", piece, text, "population year", int(m["py"]), t.year)
    led.equal("span", piece, text, "period", m["span"], f"1 jan–{p.end.day} {MONTHS[p.end.month - 1]} {t.year}")
    said = [re.fullmatch(rx(r"(?P<name>.+?) (?P<pop>@NUM@|–) \((?P<rate>[^)]+)\)"), part) for part in items(m["list"])]
    led.equal("count", piece, text, "members in order", [s["name"] for s in said], [p.name(a) for a in p.members])
    for s, a in zip(said, p.members):
        led.equal("population", piece, text, f"inhabitants of {s['name']}", count(s["pop"]), p.pop[a])
        led.equal("rate", piece, text, f"crimes per 1 000 in {s['name']}", s["rate"], rate(p.all[a], p.pop[a]))
    led.equal("population", piece, text, "inhabitants of the police area", count(m["pop"]), p.population)
    led.equal("rate", piece, text, "crimes per 1 000 in the police area", m["rate"], rate(sum(p.all.values()), p.population))


@sentence(r"(?:^|(?<=\. ))(?P<names>[^.;:]+?) saknar gräns i kartunderlaget och visas inte på kartan\.")
def map_missing(led, t, piece, m):
    p = police_area_of(t)
    led.equal("count", piece, m.group(0), "members without an outline", items(m["names"]), [p.name(a) for a in p.members if a not in _outlines(t)])


@table(r"^Kartbild \d+\. (?P<title>Lokalpolisområde .+?) och dess områden(?:, schematisk karta)?$")
def map_table(led, t, tab):
    p, outlines = police_area_of(t), _outlines(t)
    led.equal("count", tab, tab.caption, "rows", [r["Område"] for r in tab.rows], [p.name(a) for a in p.members])
    for row, a in zip(tab.rows, p.members):
        on_map = "saknar gräns i kartunderlaget" if a not in outlines else "rapportens område" if a == p.via else "i lokalpolisområdet"
        area = "–" if a not in outlines else f"{half_up(outlines[a].area / 1e6, 1):,}".replace(",", THIN).replace(".", ",")
        led.equal("count", tab, f"{tab.caption} [{row['Område']}]", "kind, on the map, km²",
                  (row["Typ"], row["På kartan"], row["Yta, km²"]), (KINDS[t.registry.get(a).level], on_map, area))
