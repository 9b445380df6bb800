"""Claims of chapter 1 in a kommun's report (DESIGN §6: a kommun is compared with its län, riket
and its kommungrupp): the share under 20 against the län and riket, the socio-economic indicators
beside them with the differences and the rank in the kommungrupp, the notes on what the data lack,
and the population forecast against the län. The references are found here from the ``areas`` and
``kommungrupp`` tables, not from the library."""

from __future__ import annotations

import re

from claims.area import DECIMALS, indicator_rows, shows
from claims.crime import lower_first
from claims.report import half_up, items, number, registry, rx

SENTENCES: list = []
TABLES: list = []

sentence, table = registry(SENTENCES, TABLES)


def references(t) -> list[str]:
    """The kommun's län and riket (ancestors of those levels; riket also as the only area of its level)."""
    reg = t.registry
    chain = reg.ancestors(t.area_id)
    lan = [a for a in chain if reg.get(a).level == "lan"][:1]
    riket = [a for a in chain if reg.get(a).level == "riket"] or [a for a in reg.ids if reg.get(a).level == "riket"]
    return lan + riket[:1]


def text_name(t, area_id: str) -> str:
    return "riket" if t.registry.get(area_id).level == "riket" else t.registry.name(area_id)


def id_of_reference(t, name: str) -> str | None:
    """The reference area a sentence names: "staden"/"kommunen" (the city), "riket" or a name."""
    if name in ("staden", "kommunen"):
        return t.city
    return next((a for a in [*references(t), *([t.city] if t.city else [])] if text_name(t, a) == name), None)


def kommungrupp_peers(t) -> tuple[str, list[str]] | None:
    """(group, the other kommuner in it) by the latest grouping up to the report year."""
    table = t.data.table("kommungrupp")
    if table is None or table.empty:
        return None
    years = sorted(int(y) for y in table["year"].unique())
    rows = table[table["year"] == max((y for y in years if y <= t.year), default=years[0])]
    own = rows.loc[rows["area_id"] == t.area_id, "kommungrupp"]
    if own.empty:
        return None
    members = rows.loc[rows["kommungrupp"] == own.iloc[0], "area_id"]
    return str(own.iloc[0]), [str(a) for a in members if a != t.area_id and a in t.registry]


def indicator_year(t) -> int:
    ind = indicator_rows(t)
    return max(int(y) for y in ind.loc[ind["area_id"] == t.area_id, "year"] if y <= t.year)


def row_values(t, label: str, area_id: str) -> tuple[float | None, str]:
    """(value, unit) of the row shown as ``label`` for an area in the indicator year."""
    ind = indicator_rows(t)
    rows = ind[(ind["shown"] == lower_first(label)) & (ind["year"] == indicator_year(t))]
    mine = rows[rows["area_id"] == area_id]["value"]
    return (float(mine.iloc[0]) if len(mine) else None), str(rows["unit"].iloc[0])


# ----------------------------------------------------------------------------- population
@sentence(r"Andelen invånare under 20 år var (?P<a>@NUM@) % jämfört med (?P<refs>@NUM@ % i [^.]+?)\.(?= |$)")
def young_against_references(led, t, piece, m):
    if t.city is not None:
        return  # an area in a city against the city: claims.area.young_sentence
    led.claim("share", piece, m.group(0), shows(m["a"], t.young(t.area_id)), m["a"], f"{t.young(t.area_id):.3f}")
    named = []
    for part in items(m["refs"]):
        value, _, name = part.partition(" % i ")
        ref = id_of_reference(t, name)
        named.append(ref)
        true = t.young(ref) if ref else None
        led.claim("share", piece, m.group(0), true is not None and shows(value, true), part, f"{name}: {true}")
    pop = t.data.table("population")
    own = set(pop.loc[pop["year"] == t.year, "area_id"])  # a län or riket by its own rows, never a sum of the kommuner held
    expected = [r for r in references(t) if r in own and t.young(r) is not None]
    led.equal("population", piece, m.group(0), "compared with", named, expected)


# ----------------------------------------------------------------------------- indicators
@sentence(r"(?:(?P<area>[A-ZÅÄÖ][^.]*?) ligger (?P<w>högre|lägre) än (?P<ref>[^.]+?) som helhet|Området ligger (?P<w2>högre|lägre)) "
          r"när det gäller (?P<list>.+?)\.(?= |$)")
def indicator_against_reference(led, t, piece, m):
    if t.city is not None:
        return  # a stadsdelsområde's sentence against its city: claims.area
    ref_name = m["ref"] or re.findall(r"ligger (?:högre|lägre) än ([^.]+?) som helhet", piece.text[: m.start()])[-1]
    ref = id_of_reference(t, ref_name)
    if not led.claim("indicator", piece, m.group(0), ref in references(t), ref_name, f"the kommun's län or riket: {references(t)}"):
        return
    word = m["w"] or m["w2"]
    for item in rx(r"(?:^|, | och )(?P<label>[^()]+?(?: \([^()]*\))??) \((?P<a>@NUM@)[^()]* mot (?P<b>@NUM@)[^()]*\)").finditer(m["list"]):
        mine, _ = row_values(t, item["label"], t.area_id)
        other, _ = row_values(t, item["label"], ref)
        led.claim("indicator", piece, m.group(0), shows(item["a"], mine) and other is not None and shows(item["b"], other),
                  f"{item['a']} mot {item['b']}", f"{mine} mot {other}")
        a, b = number(item["a"]), number(item["b"])
        led.claim("direction", piece, m.group(0), (a > b) if word == "högre" else (a < b), f"{item['label']}: {word}", f"{a} mot {b}")


@sentence(r"Samma nivå som i (?P<ref>[^.]+?) har (?P<list>.+?)\.(?= |$)")
def indicator_same_as_reference(led, t, piece, m):
    """Every indicator said to be at the same level as the reference shows the same value as it."""
    ref = id_of_reference(t, m["ref"])
    allowed = references(t) if t.city is None else [t.city]
    if not led.claim("indicator", piece, m.group(0), ref in allowed, m["ref"], f"the report's references: {allowed}"):
        return
    for label in items(m["list"]):
        (mine, unit), (other, _) = row_values(t, label, t.area_id), row_values(t, label, ref)
        places = DECIMALS.get(unit, 1)
        led.claim("direction", piece, m.group(0), mine is not None and other is not None and half_up(mine, places) == half_up(other, places),
                  f"{label}: samma nivå", f"{mine} mot {other}")


def kommun_indicator_table(led, t, tab):
    """The kommun's table (called by :func:`claims.area.indicator_table`): its values, a column for
    each of its län and riket that has values (and only those), the difference to each as shown and
    the rank among the kommuner of its kommungrupp that have a value of the row."""
    from claims.ranks import check_rank

    year = indicator_year(t)
    ind = indicator_rows(t)
    with_values = [r for r in references(t) if ((ind["area_id"] == r) & (ind["year"] == year)).any()]
    columns = [t.registry.name(r) for r in with_values]
    led.equal("indicator", tab, tab.caption, "reference columns", [c for c in tab.header if c in columns], columns)
    against = re.search(r" jämfört med (.+) \d{4}$", tab.caption)
    led.equal("indicator", tab, tab.caption, "compared with", items(against[1]) if against else [], [text_name(t, r) for r in with_values])
    group = kommungrupp_peers(t)
    if group is None and references(t) and t.registry.get(references(t)[0]).level == "lan":  # without a kommungrupp: the län's other kommuner
        lan = references(t)[0]
        group = (None, [a for a in t.registry.descendants(lan, include_self=False) if a != t.area_id and t.registry.get(a).level == "kommun"])
    rank_column = next((c for c in tab.header if c.startswith("Rang bland ")), None)
    if rank_column:
        whole = f"kommungruppen {group[0]}" if group and group[0] else t.registry.name(references(t)[0]) if group else None
        led.equal("rank", tab, rank_column, "peer group", rank_column, f"Rang bland kommuner i {whole}")
    for row in tab.rows:
        mine, unit = row_values(t, row["Indikator"], t.area_id)
        shown = row[t.name].split(" ")[0]
        led.claim("indicator", tab, row["Indikator"], shows(shown, mine), shown, str(mine))
        for ref, column in zip(with_values, columns):
            other, _ = row_values(t, row["Indikator"], ref)
            cell = row[column].split(" ")[0]
            led.claim("indicator", tab, f"{row['Indikator']}: {column}", cell == "–" if other is None else shows(cell, other), cell, str(other))
            diff = row[f"Skillnad mot {text_name(t, ref)}"].split(" ")[0]
            true = None if other is None else mine - other
            led.claim("difference", tab, f"{row['Indikator']}: {diff}", diff == "–" if true is None else shows(diff, true), diff, str(true))
        if rank_column:
            others = [row_values(t, row["Indikator"], p)[0] for p in group[1]]
            check_rank(led, tab, row["Indikator"], row[rank_column], mine, others, DECIMALS.get(unit, 1))


@sentence(r"Underlaget saknar uppgifter för (?P<names>[^.]+?) år (?P<y>@YEAR@), så (?P<area>[^.]+?) jämförs inte med (?:dem|det)\.")
def references_without_values(led, t, piece, m):
    ind = indicator_rows(t)
    lacking = [text_name(t, r) for r in references(t) if not ((ind["area_id"] == r) & (ind["year"] == int(m["y"]))).any()]
    led.equal("indicator", piece, m.group(0), "references without indicator values", (items(m["names"]), int(m["y"])), (lacking, indicator_year(t)))


@sentence(r"Ingen av de övriga kommunerna i kommungruppen (?P<g>[^.]+?) har uppgifter i underlaget för (?P<y>@YEAR@), så ingen rangordning anges\.")
def no_rank_in_kommungrupp(led, t, piece, m):
    group = kommungrupp_peers(t)
    ind = indicator_rows(t)
    with_values = [p for p in (group[1] if group else []) if ((ind["area_id"] == p) & (ind["year"] == int(m["y"]))).any()]
    led.equal("rank", piece, m.group(0), "group, peers with values", (m["g"], with_values), (group[0] if group else None, []))


@sentence(r"I (?P<lan>[A-ZÅÄÖ][^.]*? län) (?=väntas)")
def forecast_against_lan(led, t, piece, m):
    """The forecast's comparison names the kommun's län (its numbers are read by claims.area.forecast_sentence)."""
    led.equal("forecast", piece, m.group(0), "compared with", id_of_reference(t, m["lan"]), next(iter(references(t)), None))
