"""Claims about crimes and critical events: counts for a span, their changes and tests (DESIGN §8),
trends, where crimes concentrate, weeks at level 4–5."""

from __future__ import annotations

import re

from claims.report import count, digits, half_up, items, number, pct_text, registry, rx, signed
from claims.truth import is_few_cases

SENTENCES: list = []
TABLES: list = []
WHOLE: list = []
VERDICT = {"statistiskt säkerställd": True, "inte statistiskt säkerställd": False}

sentence, table = registry(SENTENCES, TABLES)


def lower_first(label: str) -> str:
    return label[0].lower() + label[1:] if len(label) > 1 and label[1].islower() else label


def change_says(test) -> str:
    return f"{digits(test.before)} → {digits(test.after)} ({signed(test.diff)}, {pct_text(test.pct)}), p = {test.p_value:.3g}, få fall: {test.few_cases}"


def by_label(t, label: str):
    """The CompStat change of a category named as in a sentence (first letter lowered)."""
    return next((test for name, test in t.compstat.items() if lower_first(name) == label or name == label), None)


def verdict_of(test) -> str:
    return ("statistiskt säkerställd" if test.significant else "inte statistiskt säkerställd") + (" (få fall)" if test.few_cases else "")


# ----------------------------------------------------------------------------- totals and findings
@sentence(r"Under perioden (?P<span>@PERIOD@ @YEAR@) anmäldes (?P<n>@COUNT@) brott i (?P<area>[^,]+), (?:(?P<d>@NUM@) (?P<dir>fler|färre)"
          r"(?: \((?P<pct>@NUM@ %)\))?|lika många som)(?: än)? under samma period (?P<y0>@YEAR@)\."
          r"(?: Förändringen är (?P<verdict>(?:inte )?statistiskt säkerställd)\.)?")
def total_crimes(led, t, piece, m):
    test, text = t.total, m.group(0)
    led.equal("span", piece, text, "period", m["span"], t.period())
    led.equal("count", piece, text, "crimes this period", count(m["n"]), test.after)
    led.equal("span", piece, text, "compared year", int(m["y0"]), t.year - 1)
    if m["d"]:
        led.equal("change", piece, text, "difference", count(m["d"]), abs(test.diff))
        led.claim("direction", piece, text, (m["dir"] == "fler") == (test.diff > 0) and test.diff != 0, m["dir"], change_says(test))
        if m["pct"]:
            led.equal("change", piece, text, "percent", m["pct"], pct_text(test.pct))
    else:
        led.equal("direction", piece, text, "difference", 0, test.diff)
    if m["verdict"]:
        led.equal("significance", piece, text, "verdict", VERDICT[m["verdict"]], test.significant)


@sentence(r"Antalet gäller alla brottstyper; (?P<n>@NUM@) av brotten hör till de brottstyper som CompStat-tabellen i kapitlet om "
          r"brottsligheten visar \((?P<ref>[^)]*)\)\.")
def in_compstat(led, t, piece, m):
    led.equal("count", piece, m.group(0), "crimes in CompStat categories", count(m["n"]), sum(x.after for x in t.compstat.values()))
    # the reference names the CompStat table (checked against its caption by compstat_reference)
    led.claim("span", piece, m.group(0), bool(re.fullmatch(r"Tabell \d+", m["ref"].strip())), m["ref"], "a reference to the CompStat table")


def compstat_reference(led, t, report):
    """Every "(Tabell N)" pointing at the CompStat table names the table whose caption is CompStat's."""
    captions = {c.split(".")[0]: c for c in (p.text for p in report.pieces if p.kind == "figcaption")}
    for piece in report.pieces:
        for m in in_compstat.pattern.finditer(piece.text):
            caption = captions.get(m["ref"].strip(), "")
            led.claim("span", piece, m.group(0), caption.startswith(m["ref"].strip() + ". CompStat "), m["ref"], caption or "no such table")


WHOLE.append(compstat_reference)


@sentence(r"Den största statistiskt säkerställda (?P<w>ökningen|minskningen) mot (?P<y0>@YEAR@) gäller (?P<label>.+?): från (?P<a>@NUM@) "
          r"till (?P<b>@NUM@) anmälda brott \((?P<d>@NUM@)(?:, (?P<pct>@NUM@ %))?\)\.")
def largest_change(led, t, piece, m):
    text, test = m.group(0), by_label(t, m["label"])
    led.equal("span", piece, text, "compared year", int(m["y0"]), t.year - 1)
    if not led.claim("change", piece, text, test is not None, m["label"], "no such CompStat category"):
        return
    led.equal("change", piece, text, "counts", (number(m["a"]), number(m["b"]), m["d"], m["pct"] or pct_text(test.pct)),
              (test.before, test.after, signed(test.diff), pct_text(test.pct)))
    up = m["w"] == "ökningen"
    led.claim("significance", piece, text, test.significant and (test.diff > 0) == up and test.diff != 0, m["w"], change_says(test))
    moved = [x for x in t.compstat.values() if x.significant and (x.diff > 0 if up else x.diff < 0)]
    led.claim("ranking", piece, text, abs(test.diff) == max(abs(x.diff) for x in moved), "the largest significant change",
              f"largest: {max(abs(x.diff) for x in moved)}")


@sentence(r"Ingen brottskategori har (?P<w>ökat|minskat) statistiskt säkerställt mot (?P<y0>@YEAR@)\.")
def no_significant_change(led, t, piece, m):
    up = m["w"] == "ökat"
    moved = [name for name, x in t.compstat.items() if x.significant and (x.diff > 0 if up else x.diff < 0)]
    led.claim("significance", piece, m.group(0), not moved and int(m["y0"]) == t.year - 1, m.group(0), f"significant: {moved}")


@sentence(r"(?P<n>@COUNT@) av (?P<total>@COUNT@) brottskategorier har förändrats statistiskt säkerställt mot (?P<y0>@YEAR@): "
          r"(?P<up>@COUNT@) ökninga?r? och (?P<down>@COUNT@) minskninga?r?\.")
def significant_changes(led, t, piece, m):
    up = sum(1 for x in t.compstat.values() if x.significant and x.diff > 0)
    down = sum(1 for x in t.compstat.values() if x.significant and x.diff < 0)
    led.equal("count", piece, m.group(0), "categories changed (all, up, down, of)",
              (count(m["n"]), count(m["up"]), count(m["down"]), count(m["total"]), int(m["y0"])), (up + down, up, down, len(t.compstat), t.year - 1))


@sentence(r"(?P<label>[A-ZÅÄÖ][^.;:]*?) har (?P<dir>minskat|ökat) varje år sedan (?P<y>@YEAR@)\.(?P<few> Trenden bygger på få fall\.)?")
def every_year(led, t, piece, m):
    text = m.group(0)
    if not led.claim("trend", piece, text, m["label"] in t.category_series, m["label"], "no such CompStat category"):
        return
    series = t.trend_series(m["label"])
    values = [series[y] for y in sorted(series)]
    steps = list(zip(values, values[1:]))
    monotone = all(b < a for a, b in steps) if m["dir"] == "minskat" else all(b > a for a, b in steps)
    trend = t.trends[m["label"]]
    led.claim("trend", piece, text, monotone and int(m["y"]) == min(series), f"{m['dir']} every year since {m['y']}", str(series))
    led.claim("significance", piece, text, trend is not None and trend.significant and (trend.yearly_pct < 0) == (m["dir"] == "minskat"),
              "a significant trend that way", f"{trend}")
    led.equal("few cases", piece, text, "few cases", bool(m["few"]), trend.few_cases)


def qualifying_trends(t) -> list[str]:
    out = []
    for label in t.category_series:
        series = t.trend_series(label)
        values = [series[y] for y in sorted(series)]
        steps = list(zip(values, values[1:]))
        trend = t.trends[label]
        if len(values) < 3 or trend is None or not trend.significant:
            continue
        if (all(b < a for a, b in steps) and trend.yearly_pct < 0) or (all(b > a for a, b in steps) and trend.yearly_pct > 0):
            out.append(label)
    return out


def every_year_complete(led, t, report):
    """Every category that fell or rose every year with a significant trend is said so, in the
    chapter's trend section, and no other."""
    said = {m["label"] for piece in report.pieces if "Utvecklingen över flera år" in piece.section for m in every_year.pattern.finditer(piece.text)}
    led.equal("trend", "3.3 Utvecklingen över flera år", "har minskat/ökat varje år sedan …", "categories named", sorted(said),
              sorted(qualifying_trends(t)))


WHOLE.append(every_year_complete)


@sentence(r"Ingen kategori har ökat eller minskat varje år sedan (?P<y>@YEAR@) med en statistiskt säkerställd trend\.")
def no_every_year(led, t, piece, m):
    led.claim("trend", piece, m.group(0), not qualifying_trends(t) and int(m["y"]) == t.crime_years[0], m.group(0), str(qualifying_trends(t)))


@sentence(r"Serieuppbrott (?P<y>@YEAR@): (?P<what>[^.()]+) \((?P<label>[^)]+)\)\.")
def series_break(led, t, piece, m):
    said = (int(m["y"]), m["what"])
    true = [(b.year, b.what) for b in t.params.series_breaks if b.category and lower_first(t.label_of.get(b.category, "")) == m["label"]]
    led.claim("span", piece, m.group(0), said in true, f"a series break {said} in {m['label']}", f"params series_breaks: {true}")


@sentence(r"Flest våldsbrott (?P<span>@PERIOD@ @YEAR@) anmäldes i (?P<name>.+?) \((?P<n>@NUM@)(?:, (?P<rate>@NUM@) per 1 000 invånare)?\)\.")
def most_violent(led, t, piece, m):
    text, counts = m.group(0), t.violent_by_subarea
    led.equal("span", piece, text, "period", m["span"], t.period())
    most = max(counts.values())
    led.claim("ranking", piece, text, counts.get(m["name"]) == most == count(m["n"]) and list(counts.values()).count(most) == 1,
              f"{m['name']} most, {m['n']}", str(counts))
    if m["rate"]:
        rate = half_up(1000 * counts[m["name"]] / t.population(t.id_of(m["name"])), 1)
        led.equal("rate", piece, text, "per 1 000", number(m["rate"]), rate)


# ----------------------------------------------------------------------------- few cases
@sentence(r"(?:Förändringen|Förändringarna) för (?P<items>.+?) bygger på få fall; en stor procentuell förändring kan bero på slumpen\.")
def few_cases(led, t, piece, m):
    from claims.area import key_changes

    known = {lower_first(k): v for k, v in {**t.compstat, **key_changes(t)}.items()}
    known["anmälda brott totalt"] = t.total
    for item in rx(r"(?:^|, | och )(?P<label>.+?) \(från (?P<a>@NUM@) till (?P<b>@NUM@) fall\)").finditer(m["items"]):
        test = known.get(item["label"])
        if led.claim("few cases", piece, m.group(0), test is not None, item["label"], "no such count"):
            led.equal("few cases", piece, m.group(0), f"{item['label']}: counts, few cases", (count(item["a"]), count(item["b"]), True),
                      (test.before, test.after, is_few_cases(test.before, test.after)))


def _named_few(report, section: str) -> list[str]:
    pattern = rx(r"(?:^|, | och )(?P<label>.+?) \(från @NUM@ till @NUM@ fall\)")
    return sorted({i["label"] for p in report.pieces if section in p.section and p.kind == "p"
                   for m in few_cases.pattern.finditer(p.text) for i in pattern.finditer(m["items"])})


def few_cases_complete(led, t, report):
    """The CompStat section names every changed category that rests on few cases, and no other;
    the changes since the previous lägesbild every changed count (not weeks) that does."""
    from claims.area import key_changes

    due = sorted(lower_first(k) for k, x in t.compstat.items() if x.few_cases and x.diff != 0)
    led.equal("few cases", "3.2 CompStat", "Förändringen för … bygger på få fall", "categories named", _named_few(report, "CompStat"), due)
    counted = {k: x for k, x in key_changes(t).items() if k not in ("weeks assessed", "Veckor med nivå 4 eller 5")}
    due = sorted(lower_first(k) for k, x in counted.items() if x.few_cases and x.diff != 0)
    led.equal("few cases", "1.4 Förändringar", "Förändringen för … bygger på få fall", "counts named", _named_few(report, "Förändringar sedan"), due)


WHOLE.append(few_cases_complete)


# ----------------------------------------------------------------------------- alt texts
@sentence(r"Linjediagram över anmälda brott i urval i (?P<area>.+?), (?P<p>@PERIOD@) varje år: (?P<parts>.+)\.")
def groups_alt(led, t, piece, m):
    led.equal("span", piece, m.group(0), "period", m["p"], t.period(0))
    groups = {g.lower(): g for g in t.groups}
    for part in rx(r"(?P<g>[a-zåäö ]+?) från (?P<a>@NUM@) år (?P<y0>@YEAR@) till (?P<b>@NUM@) år (?P<y1>@YEAR@)").finditer(m["parts"]):
        name = part["g"].strip().removeprefix("och ")
        cats = list(t.categories.loc[(t.categories["group"] == groups.get(name)) & t.categories["compstat"].astype(bool), "category"])
        series = t.series(cats)
        led.equal("count", piece, m.group(0), part["g"], (count(part["a"]), int(part["y0"]), count(part["b"]), int(part["y1"])),
                  (series[t.crime_years[0]], t.crime_years[0], series[t.year], t.year))


@sentence(r"Små diagram, ett per brottskategori, (?P<y0>@YEAR@)–(?P<y1>@YEAR@), (?P<p>@PERIOD@) varje år\. (?P<up>@COUNT@) av (?P<n>@COUNT@) "
          r"kategorier? har en statistiskt säkerställd ökande trend(?: \((?P<ups>(?:[^()]|\([^()]*\))*)\))? och (?P<down>@COUNT@) av @COUNT@ kategorier? "
          r"en statistiskt säkerställd minskande trend(?: \((?P<downs>(?:[^()]|\([^()]*\))*)\))?")  # a label may hold "(urval)"
def trends_alt(led, t, piece, m):
    text = m.group(0)
    led.equal("span", piece, text, "years and period", (int(m["y0"]), int(m["y1"]), m["p"]), (t.crime_years[0], t.year, t.period(0)))
    for word, names, sign in (("up", "ups", 1), ("down", "downs", -1)):
        true = [lower_first(k) for k, x in t.trends.items() if x is not None and x.significant and (x.yearly_pct > 0) == (sign > 0)]
        said = (m[names] or "").split("; ") if m[names] else []
        led.equal("trend", piece, text, f"significant {word} trends", (count(m[word]), said), (len(true), true))
    led.equal("count", piece, text, "categories", count(m["n"]), len(t.compstat))


@sentence(r"Karta över (?P<area>.+?) med koncentrationen av (?P<n>@NUM@) anmälda våldsbrott (?P<span>@PERIOD@ @YEAR@)")
def hotspot_alt(led, t, piece, m):
    part = t.in_period(t.crimes[t.crimes["category"].isin(t.flagged("violent"))], "reported_date", t.year)
    located = int((part["lon"].notna() & part["lat"].notna()).sum())
    led.equal("count", piece, m.group(0), "violent crimes on the map, period", (count(m["n"]), m["span"]), (located, t.period()))


@sentence(r"Stapeldiagram över anmälda brott i nära relation \((?P<labels>.+?)\) i (?P<area>.+?), (?P<p>@PERIOD@) varje år: "
          r"(?P<a>@NUM@) år (?P<y0>@YEAR@) och (?P<b>@NUM@) år (?P<y1>@YEAR@)")
def intimate_alt(led, t, piece, m):
    series = t.series(t.flagged("intimate_partner"))
    led.equal("count", piece, m.group(0), "intimate-partner crimes", (m["p"], count(m["a"]), int(m["y0"]), count(m["b"]), int(m["y1"])),
              (t.period(0), series[t.crime_years[0]], t.crime_years[0], series[t.year], t.year))


# ----------------------------------------------------------------------------- critical events
@sentence(r"Under perioden (?P<span>@PERIOD@ @YEAR@) (?:registrerades|inträffade) (?P<list>(?!inga).+?) i (?P<area>[A-ZÅÄÖ][^,.]*?)"
          r"(?:, varav (?P<fatal>@COUNT@) händelser? med dödlig utgång)?\.")
def events_sentence(led, t, piece, m):
    from lagesbild_lib.present.text import NOUNS

    singular = {forms[0]: noun for noun, forms in NOUNS.items()}
    said = {}
    for item in items(m["list"]):
        n, _, noun = item.partition(" ")
        said[singular.get(noun, noun)] = count(n)
    true = {str(k): int(v) for k, v in t.events["type"].value_counts().items()}
    fatal = int(t.events["fatal"].fillna(False).astype(bool).sum())
    led.equal("events", piece, m.group(0), "events by type, period", (said, m["span"]), (true, t.period()))
    led.equal("events", piece, m.group(0), "fatal", count(m["fatal"]) if m["fatal"] else 0, fatal)


@sentence(r"Under perioden (?P<span>@PERIOD@ @YEAR@) registrerades inga kritiska händelser")
def no_events(led, t, piece, m):
    led.equal("events", piece, m.group(0), "events, period", (0, m["span"]), (len(t.events), t.period()))


@sentence(r"Tidslinje över de kritiska händelserna i (?P<area>.+?) (?P<span>@PERIOD@ @YEAR@) \((?P<n>@COUNT@) händelser?\) per månad och "
          r"delområde; flest i (?P<names>.+?) \((?P<k>@NUM@)(?: vardera)?\)\.")
def timeline_alt(led, t, piece, m):
    per = t.events["owner"].map(t.registry.name).value_counts()
    most = sorted(per[per == per.max()].index)
    led.equal("events", piece, m.group(0), "events, period", (count(m["n"]), m["span"]), (len(t.events), t.period()))
    led.equal("ranking", piece, m.group(0), "most events in", (sorted(items(m["names"])), count(m["k"])), (most, int(per.max())))


# ----------------------------------------------------------------------------- weeks at level 4–5
def weeks(t, last: int | None = None):
    grid = t.grid(t.year)
    if last is not None:
        grid = grid[[w for w in grid.columns if w <= last]]
    return int((grid.max(axis=0) >= 4).sum()), int(grid.notna().any(axis=0).sum()), grid


@sentence(r"Under (?P<y>@YEAR@) \(vecka 1–(?P<last>\d+)\) bedömdes läget i (?P<area>.+?) (?:som allvarligt eller kritiskt \(nivå 4 eller 5\) "
          r"(?:i något delområde )?under (?P<high>@COUNT@) av (?P<n>@COUNT@) veckor?|aldrig som allvarligt eller kritiskt \(nivå 4 eller 5\) "
          r"under de (?P<n0>@COUNT@) veckorna) med bedömning\.")
def weeks_year(led, t, piece, m):
    high, reported, grid = weeks(t)
    led.equal("weeks", piece, m.group(0), "year, last week assessed", (int(m["y"]), int(m["last"])), (t.year, int(max(grid.columns))))
    led.equal("weeks", piece, m.group(0), "weeks at 4–5 of weeks assessed", (count(m["high"] or "0"), count(m["n"] or m["n0"])), (high, reported))


@sentence(r"Flest sådana veckor hade (?P<names>.+?) \((?P<n>@NUM@)\)\.")
def weeks_most(led, t, piece, m):
    grid = weeks(t)[2]
    per = (grid >= 4).sum(axis=1)
    most = sorted(t.registry.name(a) for a in per[per == per.max()].index)
    led.equal("ranking", piece, m.group(0), "most weeks at 4–5", (sorted(items(m["names"])), count(m["n"])), (most, int(per.max())))


@sentence(r"(?P<n>@COUNT@) veckor? hade minst en kritisk händelse, markerad med")
def weeks_events(led, t, piece, m):
    last = int(max(t.grid(t.year).columns))
    led.equal("weeks", piece, m.group(0), "weeks with a critical event (weeks 1–last assessed)", count(m["n"]),
              len({w for w in t.event_weeks(t.year) if w <= last}))


@sentence(r"Under vecka 1–(?P<last>\d+), till och med veckan då perioden (?P<p>@PERIOD@) slutar, var läget allvarligt eller kritiskt "
          r"(?:i något delområde )?under (?P<high>@COUNT@) av (?P<n>@COUNT@) veckor? med bedömning\.")
def weeks_period(led, t, piece, m):
    from lagesbild_lib.analysis.weekly import period_last_week

    last = period_last_week(t.year, t.period_end)
    high, reported, _ = weeks(t, last)
    led.equal("weeks", piece, m.group(0), "span", (int(m["last"]), m["p"]), (last, t.period(0)))
    led.equal("weeks", piece, m.group(0), "weeks at 4–5 of weeks assessed", (count(m["high"]), count(m["n"])), (high, reported))


# ----------------------------------------------------------------------------- rates per 1 000 against the city, with ranks
def rates_1000(t, violent: bool) -> dict[str, float]:
    """Crimes (all, or the violent categories) of the period per 1 000 inhabitants of the area's
    siblings and the city, counted from the rows of the city's crimes."""
    key = f"_rates_1000_{violent}"
    if key not in t.__dict__:
        reg, area = t.registry, t.registry.get(t.area_id)
        siblings = [a for a in reg.children(area.parent_id) if reg.get(a).level == area.level]
        crimes = t.in_period(t.data.crimes_for(reg.descendants(t.city), t.year, t.year), "reported_date", t.year)
        if violent:
            crimes = crimes[crimes["category"].isin(t.flagged("violent"))]
        out = {}
        for a in [*siblings, t.city]:
            n = int(crimes["area_id"].isin(reg.descendants(a)).sum())
            out[a] = 1000 * n / t.population(a)
        t.__dict__[key] = out
    return t.__dict__[key]


def _rate_claims(led, t, piece, text, violent: bool, rate: str, city_rate: str | None, rank: str | None) -> None:
    from claims.ranks import check_rank

    rates = rates_1000(t, violent)
    what = "violent crimes" if violent else "crimes"
    led.claim("rate", piece, text, number(rate) == half_up(rates[t.area_id], 1), f"{what} per 1 000: {rate}", f"{rates[t.area_id]:.3f}")
    if city_rate is not None:
        led.claim("rate", piece, text, number(city_rate) == half_up(rates[t.city], 1), f"city: {city_rate}", f"{rates[t.city]:.3f}")
    if rank is not None:
        others = [v for a, v in rates.items() if a not in (t.area_id, t.city)]
        check_rank(led, piece, text, rank, rates[t.area_id], others, 1)


@sentence(r"(?:Under perioden (?P<span>@PERIOD@ @YEAR@) (?:anmäldes (?P<r>@NUM@) brott|(?P<v1>var) antalet (?P<rv1>@NUM@)) per 1\u202f000 "
          r"invånare i (?P<area>[^,;]+)|För (?P<v2>våldsbrott) var antalet (?P<rv2>@NUM@) per 1\u202f000 invånare)"
          r"(?:, mot (?P<c>@NUM@) i (?:staden|kommunen) som helhet \((?P<city>[^)]+)\))?(?:; det är (?P<rank>[^.]+?))?\.")
def rate_sentence(led, t, piece, m):
    text = m.group(0)
    if m["span"]:
        led.equal("span", piece, text, "period", m["span"], t.period())
    violent = bool(m["v1"] or m["v2"])
    _rate_claims(led, t, piece, text, violent, m["r"] or m["rv1"] or m["rv2"], m["c"], m["rank"])


@table(r"Anmälda brott per 1 000 invånare i (?P<area>.+?) och (?P<city>.+?), (?P<span>@PERIOD@ @YEAR@)")
def rate_table(led, t, tab):
    name, city = t.name, t.registry.name(t.city)
    rank_column = next(c for c in tab.header if c.startswith("Rang bland "))
    for row in tab.rows:
        violent = row["Brott"] == "Våldsbrott"
        crimes = t.in_period(t.data.crimes_for(t.registry.descendants(t.area_id), t.year, t.year), "reported_date", t.year)
        if violent:
            crimes = crimes[crimes["category"].isin(t.flagged("violent"))]
        led.equal("count", tab, row["Brott"], "crimes in the period", count(row[f"Antal i {name}"]), len(crimes))
        _rate_claims(led, t, tab, row["Brott"], violent, row[f"Per 1 000 invånare, {name}"], row[f"Per 1 000 invånare, {city}"],
                     row[rank_column])


from claims import crime_tables  # noqa: E402,F401  (registers the crime tables' checks)
