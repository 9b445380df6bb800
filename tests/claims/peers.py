"""Claims about the area against its peers (chapter Orsaker): crimes per 100 000 inhabitants of the
area, its city and the middle half of its peers, the funnel plot's limits and whether the area lies
outside them; and the "Lagens krav" table of the summary against the report it sits in.

Recomputed here from the raw tables: the counts from ``crime_counts`` (the area's own rows, else its
children's), else from ``crimes``, 1 January to the end of the last whole month of the period; the
quartiles with numpy; the exact Poisson limits with scipy's χ² quantiles.
"""

from __future__ import annotations

import calendar
import re

import numpy as np
import pandas as pd
from scipy import stats as sps

from claims.report import count, items, number, registry, whole

SENTENCES: list = []
TABLES: list = []
WHOLE: list = []
PER = 100_000

sentence, table = registry(SENTENCES, TABLES)


# ----------------------------------------------------------------------------- the numbers
class Peers:
    """The comparison of one report, recomputed: an area below a kommun against its siblings and its
    parent; a kommun against the other kommuner of its kommungrupp (else of its län), riket, the län
    and the kommungrupp pooled."""

    def __init__(self, t):
        reg, area = t.registry, t.registry.get(t.area_id)
        self.t = t
        #: reference label as the sentences write it → the areas pooled for it
        self.refs: dict[str, list[str]] = {}
        if area.level != "kommun":
            parent = area.parent_id
            self.peers = [a for a in reg.children(parent) if a != t.area_id and reg.get(a).level == area.level]
            self.refs[reg.name(parent)] = [parent]
        else:
            ancestors = reg.ancestors(t.area_id)
            riket = next((a for a in ancestors if reg.get(a).level == "riket"), None) or next(
                (a for a in reg.ids if reg.get(a).level == "riket"), None)
            lan = next((a for a in ancestors if reg.get(a).level == "lan"), None)
            if riket:
                self.refs["riket" if reg.name(riket) == "Riket" else reg.name(riket)] = [riket]
            if lan:
                self.refs[reg.name(lan)] = [lan]
            groups = t.data.table("kommungrupp")
            group = None
            if groups is not None:
                year = max((y for y in groups["year"] if y <= t.year), default=groups["year"].min())
                rows = groups[groups["year"] == year]
                mine = rows.loc[rows["area_id"] == t.area_id, "kommungrupp"]
                group = (mine.iloc[0], sorted(rows.loc[rows["kommungrupp"] == mine.iloc[0], "area_id"])) if len(mine) else None
            if group is not None:
                self.refs[f"kommungruppen {group[0]}"] = group[1]
                self.peers = [a for a in group[1] if a != t.area_id]
            elif lan:
                self.peers = [a for a in reg.descendants(lan, include_self=False) if a != t.area_id and reg.get(a).level == "kommun"]
            else:
                raise LookupError(f"{t.area_id}: no peers in the data")
        last = calendar.monthrange(t.year, t.period_end.month)[1]
        self.month = t.period_end.month if t.period_end.day == last else t.period_end.month - 1
        self.years = [y for y in t.data.crime_years if y <= t.year][-10:]
        self.areas = list(dict.fromkeys([t.area_id, *self.peers, *(m for ms in self.refs.values() for m in ms)]))
        self.counts = {a: {y: self._count(a, y) for y in self.years} for a in self.areas}
        pop = t.data.table("population")
        pop_years = sorted(int(y) for y in pop["year"].unique())
        self.pops = {a: {y: t.population(a, max(p for p in pop_years if p <= y)) for y in self.years} for a in self.areas}

    def ref_rate(self, label: str, year: int) -> float:
        members = self.refs[label]
        return sum(self.counts[a][year] for a in members) / sum(self.pops[a][year] for a in members) * PER

    def _rows(self, area_id: str) -> pd.DataFrame:
        counts = self.t.data.table("crime_counts")
        own = counts[counts["area_id"] == area_id]
        if len(own):
            return own
        parts = [self._rows(c) for c in self.t.registry.children(area_id)]
        return pd.concat(parts) if parts else own

    def _count(self, area_id: str, year: int) -> int:
        rows = self._rows(area_id)
        if len(rows):
            rows = rows[rows["year"] == year]
            return int(rows.loc[rows["month"] <= self.month, "count"].sum())
        crimes = self.t.data.crimes_for(self.t.registry.descendants(area_id), year, year)
        end = pd.Timestamp(year, self.month, calendar.monthrange(year, self.month)[1])
        return int((crimes["reported_date"] <= end).sum())

    def rate(self, area_id: str, year: int) -> float:
        return self.counts[area_id][year] / self.pops[area_id][year] * PER

    def band(self, year: int) -> tuple[float, float]:
        q1, q3 = np.percentile([self.rate(a, year) for a in self.peers], [25, 75])
        return float(q1), float(q3)

    @property
    def target(self) -> float:
        y, mine = self.t.year, [self.t.area_id, *self.peers]
        return sum(self.counts[a][y] for a in mine) / sum(self.pops[a][y] for a in mine) * PER

    def limits(self, area_id: str) -> dict[str, float]:
        n = self.pops[area_id][self.t.year]
        e = self.target * n / PER
        out = {}
        for name, alpha in (("95", 0.05), ("998", 0.002)):
            out["lo" + name] = sps.chi2.ppf(alpha / 2, 2 * e) / 2 / n * PER
            out["hi" + name] = sps.chi2.ppf(1 - alpha / 2, 2 * e + 2) / 2 / n * PER
        return out

    def position(self, area_id: str) -> str:
        c, lim = self.rate(area_id, self.t.year), self.limits(area_id)  # the rate against the limits as rates
        if c > lim["hi998"]:
            return "över 99,8 %-gränsen"
        if c > lim["hi95"]:
            return "över 95 %-gränsen"
        if c < lim["lo998"]:
            return "under 99,8 %-gränsen"
        if c < lim["lo95"]:
            return "under 95 %-gränsen"
        return "inom gränserna"


def peers_of(t) -> Peers:
    found = t.__dict__.get("_peers")
    if found is None:
        found = t.__dict__["_peers"] = Peers(t)
    return found


def shown(text: str) -> int:
    return int(number(text))


# ----------------------------------------------------------------------------- sentences
@sentence(r"År (?P<y>@YEAR@) anmäldes (?P<r>@NUM@) brott per 100 000 invånare i (?P<area>[^(]+?) \((?P<span>@PERIOD@)\)"
          r"(?:, mot (?P<refs>[^.]+?))?\. Den mittersta hälften av (?P<desc>.+?) låg mellan (?P<q1>@NUM@) och (?P<q3>@NUM@) per "
          r"100 000 invånare; (?P<area2>.+?) låg (?P<pos>inom|över|under) det intervallet\.")
def rate_sentence(led, t, piece, m):
    p, text, y = peers_of(t), m.group(0), int(m["y"])
    led.equal("span", piece, text, "year", y, t.year)
    led.equal("rate", piece, text, "crimes per 100 000", shown(m["r"]), whole(p.rate(t.area_id, y)))
    refs = [ref.partition(" i ") for ref in items(m["refs"] or "")]
    led.equal("rate", piece, text, "references", [label for _, _, label in refs], list(p.refs))
    for value, _, label in refs:
        led.equal("rate", piece, text, f"rate of {label}", shown(value), whole(p.ref_rate(label, y)) if label in p.refs else None)
    q1, q3 = p.band(y)
    led.equal("rate", piece, text, "middle half", (shown(m["q1"]), shown(m["q3"])), (whole(q1), whole(q3)))
    r = p.rate(t.area_id, y)
    led.equal("ranking", piece, text, "position against the band", m["pos"], "under" if r < q1 else "över" if r > q3 else "inom")


@sentence(r"Det är (?P<rank>den [^.]+? nivån av [^.]+?)\.")
def peer_rank_sentence(led, t, piece, m):
    """The area's rank by its rate among its peers with a rate in the report year (whole numbers, as shown)."""
    from claims.ranks import check_rank

    p = peers_of(t)
    others = [p.rate(a, t.year) for a in p.peers if p.pops[a][t.year]]
    check_rank(led, piece, m.group(0), m["rank"], p.rate(t.area_id, t.year), others, 0)


_WHERE = {
    "inom kontrollgränserna": "inom gränserna",
    "över den övre kontrollgränsen för 95 % men inom den för 99,8 %": "över 95 %-gränsen",
    "under den nedre kontrollgränsen för 95 % men inom den för 99,8 %": "under 95 %-gränsen",
    "över den övre kontrollgränsen för 99,8 %": "över 99,8 %-gränsen",
    "under den nedre kontrollgränsen för 99,8 %": "under 99,8 %-gränsen",
}


@sentence(r"(?P<area>[^.:]+?) ligger (?P<where>" + "|".join(re.escape(w) for w in _WHERE) + r") i trattdiagrammet: med (?P<r>@NUM@) "
          r"anmälda brott per 100 000 invånare \((?P<span>@PERIOD@ @YEAR@)\) mot (?P<tg>@NUM@) för (?P<whole>.+?) sammantaget "
          r"(?:finns ingen statistiskt säkerställd skillnad mot gruppen sammantaget|är nivån (?P<dir>högre|lägre) än gruppen sammantaget "
          r"\(statistiskt säkerställt\))\.(?: Jämförelsen bygger på få fall \((?P<n>@COUNT@) brott\); en skillnad kan bero på slumpen\.)?")
def funnel_sentence(led, t, piece, m):
    p, text = peers_of(t), m.group(0)
    led.equal("span", piece, text, "period", m["span"], t.period())
    led.equal("rate", piece, text, "crimes per 100 000", shown(m["r"]), whole(p.rate(t.area_id, t.year)))
    led.equal("rate", piece, text, "the group's pooled rate", shown(m["tg"]), whole(p.target))
    pos = p.position(t.area_id)
    led.equal("significance", piece, text, "position against the limits", _WHERE[m["where"]], pos)
    outside = pos != "inom gränserna"
    says = m["dir"] or ""
    true = ("högre" if p.rate(t.area_id, t.year) > p.target else "lägre") if outside else ""
    led.equal("direction", piece, text, "direction", says, true)
    few = p.counts[t.area_id][t.year] < 20
    led.equal("few cases", piece, text, "few cases", bool(m["n"]), few)
    if m["n"]:
        led.equal("count", piece, text, "crimes", count(m["n"]), p.counts[t.area_id][t.year])


@sentence(r"Linjediagram över anmälda brott per 100 000 invånare, (?P<span>@PERIOD@) varje år (?P<y0>@YEAR@)–(?P<y1>@YEAR@): "
          r"(?P<parts>.+?); den mittersta hälften av (?P<desc>.+?) år (?P<y>@YEAR@) mellan (?P<q1>@NUM@) och (?P<q3>@NUM@)\.")
def rate_alt(led, t, piece, m):
    p, text = peers_of(t), m.group(0)
    y0, y1 = int(m["y0"]), int(m["y1"])
    led.equal("span", piece, text, "years", (y0, y1), (p.years[0], t.year))
    for part in items(m["parts"]):
        got = re.fullmatch(r"(?P<name>.+?) från (?P<a>@N@)(?: år \d{4})? till (?P<b>@N@)(?: år \d{4})?".replace("@N@", r"[\d\u202f]+"), part)
        name = got["name"]
        true = (whole(p.rate(t.area_id, y0)), whole(p.rate(t.area_id, y1))) if name == t.name else (
            (whole(p.ref_rate(name, y0)), whole(p.ref_rate(name, y1))) if name in p.refs else None)
        led.equal("rate", piece, text, f"rates of {name}", (shown(got["a"]), shown(got["b"])), true)
    q1, q3 = p.band(int(m["y"]))
    led.equal("rate", piece, text, "middle half", (shown(m["q1"]), shown(m["q3"])), (whole(q1), whole(q3)))


@sentence(r"Trattdiagram för (?P<span>@PERIOD@ @YEAR@): (?P<area>.+?) har (?P<r>@NUM@) anmälda brott per 100 000 invånare och (?P<n>@NUM@) "
          r"invånare, gruppen sammantaget (?P<tg>@NUM@); för områdets folkmängd går 95-procentsgränserna från (?P<lo95>@NUM@) till "
          r"(?P<hi95>@NUM@) och 99,8-procentsgränserna från (?P<lo998>@NUM@) till (?P<hi998>@NUM@)\. (?P<area2>.+?) ligger "
          r"(?P<pos>inom gränserna|[öu][a-zö]+ [\d,]+ %-gränsen)\.")
def funnel_alt(led, t, piece, m):
    p, text, a = peers_of(t), m.group(0), t.area_id
    led.equal("span", piece, text, "period", m["span"], t.period())
    led.equal("rate", piece, text, "crimes per 100 000", shown(m["r"]), whole(p.rate(a, t.year)))
    led.equal("population", piece, text, "population", shown(m["n"]), p.pops[a][t.year])
    led.equal("rate", piece, text, "pooled rate", shown(m["tg"]), whole(p.target))
    lim = p.limits(a)
    led.equal("rate", piece, text, "limits", tuple(shown(m[k]) for k in ("lo95", "hi95", "lo998", "hi998")),
              tuple(whole(lim[k]) for k in ("lo95", "hi95", "lo998", "hi998")))
    led.equal("significance", piece, text, "position", m["pos"], p.position(a))


@sentence(r"Jämförelsen med andra områden kan inte visas: datamappen har (?:inga|bara (?P<n>@COUNT@) områden?) bland (?P<desc>.+?), "
          r"och minst tre behövs")
def too_few_peers(led, t, piece, m):
    """The note instead of the comparison: the area has fewer than three peers in the data."""
    area = t.registry.get(t.area_id)
    if area.level == "kommun":
        groups = t.data.table("kommungrupp")
        year = max((y for y in groups["year"] if y <= t.year), default=groups["year"].min())
        rows = groups[groups["year"] == year]
        mine = rows.loc[rows["area_id"] == t.area_id, "kommungrupp"]
        others = int((rows["kommungrupp"] == mine.iloc[0]).sum()) - 1 if len(mine) else 0
        led.equal("count", piece, m.group(0), "peer group", m["desc"], f"övriga kommuner i kommungruppen {mine.iloc[0]}" if len(mine) else "")
    else:
        others = sum(1 for a in t.registry.children(area.parent_id) if a != t.area_id and t.registry.get(a).level == area.level)
    led.equal("count", piece, m.group(0), "peers in the data", count(m["n"]) if m["n"] else 0, others)
    led.claim("count", piece, m.group(0), others < 3, f"{others} peers", "fewer than three peers")


# ----------------------------------------------------------------------------- tables
@table(r"^Diagram \d+\. Anmälda brott per 100 000 invånare i .+ jämfört med ")
def rate_table(led, t, tab):
    p = peers_of(t)
    labels = list(p.refs)
    led.equal("rate", tab, tab.caption, "columns", tab.header, ["År", t.name, *(label[0].upper() + label[1:] for label in labels),
                                                                "Nedre kvartil", "Övre kvartil", "Jämförda områden"])
    for row in tab.rows:
        y = int(row["År"])
        q1, q3 = p.band(y)
        cells = list(row.values())
        says = (shown(cells[1]), *(shown(c) for c in cells[2:2 + len(labels)]), shown(row["Nedre kvartil"]), shown(row["Övre kvartil"]),
                shown(row["Jämförda områden"]))
        true = (whole(p.rate(t.area_id, y)), *(whole(p.ref_rate(label, y)) for label in labels), whole(q1), whole(q3), len(p.peers))
        led.equal("rate", tab, f"{tab.caption} [{y}]", "rates, quartiles, peers", says, true)


@table(r"^Diagram \d+\. Anmälda brott per 100 000 invånare mot folkmängd i ")
def funnel_table(led, t, tab):
    p = peers_of(t)
    by_name = {t.registry.name(a): a for a in [t.area_id, *p.peers]}
    led.equal("count", tab, tab.caption, "areas in the plot", sorted(r["Område"] for r in tab.rows), sorted(by_name))
    for row in tab.rows:
        a = by_name[row["Område"]]
        lim = p.limits(a)
        says = tuple(shown(row[c]) for c in ("Folkmängd", "Anmälda brott", "Per 100 000 inv.", "Nedre gräns 99,8 %", "Nedre gräns 95 %",
                                             "Övre gräns 95 %", "Övre gräns 99,8 %"))
        true = (p.pops[a][t.year], p.counts[a][t.year], whole(p.rate(a, t.year)), *(whole(lim[k]) for k in ("lo998", "lo95", "hi95", "hi998")))
        led.equal("rate", tab, f"{tab.caption} [{row['Område']}]", "population, count, rate, limits", says, true)
        led.equal("significance", tab, f"{tab.caption} [{row['Område']}]", "position", row["Läge"], p.position(a))


@table(r"^Tabell \d+\. Lagens krav ")
def lagens_krav(led, t, tab):
    """Each row's verdict agrees with what it lists: Ja when no section is missing, Nej when none is shown."""
    for row in tab.rows:
        status, met, missing = row["Uppfyllt"], row["Avsnitt i rapporten"] != "–", row["Det som saknas"] != "–"
        led.equal("span", tab, row["Krav i lagen"], "verdict", status, "Ja" if met and not missing else "Delvis" if met else "Nej")


def lagens_krav_citations(led, t, report):
    """Every table, chart or map the "Lagens krav" table cites is a numbered caption of the report."""
    numbers = {p.text.split(".")[0] for p in report.pieces if p.kind == "figcaption"}
    for tab in report.table(r"^Tabell \d+\. Lagens krav "):
        for row in tab.rows:
            cited = re.findall(r"(?:Tabell|Diagram|Kartbild) \d+", row["Avsnitt i rapporten"])
            led.claim("span", tab, row["Krav i lagen"], all(c in numbers for c in cited), ", ".join(cited), "numbered captions of the report")


WHOLE.append(lagens_krav_citations)
