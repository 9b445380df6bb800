"""Claims of the chapter "Mönster i tid och rum": the peak times and their χ² tests, the counts by
weekday, hour, time block and month, the concentration in the busiest cells, the Gi* hot spots
and their persistence, recomputed from the crimes.

Time counts are plain pandas over ``occurred_at`` and the tests scipy's ``chisquare`` against the
calendar; the grid and Gi* are the library's (:mod:`lagesbild_lib.analysis.hotspots`, tested on
planted clusters and uniform noise in ``tests/unit/test_patterns.py``) on crimes selected here.
"""

from __future__ import annotations

import re

import datetime as dt

import numpy as np
import pandas as pd

from claims.report import MONTHS as SHORT, count, half_up, items, registry

SENTENCES: list = []
TABLES: list = []

sentence, table = registry(SENTENCES, TABLES)

WEEKDAYS = ("måndagar", "tisdagar", "onsdagar", "torsdagar", "fredagar", "lördagar", "söndagar")
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december")
BLOCKS = tuple(f"{h:02d}–{h + 3:02d}" for h in range(0, 24, 3))
WHAT = {"veckans dagar": "weekday", "dygnet": "block", "årets månader": "month"}
CELLS = {"weekday": WEEKDAYS, "block": BLOCKS, "month": MONTHS}


# ----------------------------------------------------------------------------- the truth
def _state(t) -> dict:
    return t.__dict__.setdefault("_patterns", {})


def groups(t) -> dict[str, list[str]]:
    """Crime group (as the report names it) → categories: the violent ones, then each CompStat group."""
    c = t.categories
    out = {}
    if t.flagged("violent"):
        out["Våldsbrott"] = t.flagged("violent")
    chosen = c[c["compstat"].fillna(False).astype(bool)]
    for g in dict.fromkeys(chosen["group"]):
        out[str(g)] = list(chosen.loc[chosen["group"] == g, "category"])
    return out


def period_last_day(t) -> dt.date:
    """The period end, or the last reported date when the data end before it."""
    last = t.crimes["reported_date"].max().date()
    return min(t.period_end, last) if last.year == t.year else t.period_end


def month_years(t) -> list[int]:
    return t.crime_years[-4:]


def profile(t, label: str) -> dict:
    """Counts and tests of one crime group, from the crimes' occurred_at."""
    from scipy.stats import chisquare

    found = _state(t)
    if label in found:
        return found[label]
    crimes = t.crimes[t.crimes["category"].isin(groups(t)[label])]
    end = period_last_day(t)
    start = pd.Timestamp(t.year, 1, 1)
    stop = pd.Timestamp(end) + pd.Timedelta(days=1)
    when = crimes["occurred_at"]
    now = when[(when >= start) & (when < stop)]
    week = pd.crosstab(now.dt.day_of_week, now.dt.hour).reindex(index=range(7), columns=range(24), fill_value=0)
    days = pd.date_range(start, end)
    years = month_years(t)
    span = when[(when >= pd.Timestamp(years[0], 1, 1)) & (when < stop)]
    months = pd.crosstab(span.dt.month, span.dt.year).reindex(index=range(1, 13), columns=years, fill_value=0)
    month_days = np.zeros(12)
    for d in pd.date_range(dt.date(years[0], 1, 1), end):
        month_days[d.month - 1] += 1
    tests = {}
    for kind, counts, weights in (
        ("weekday", week.sum(axis=1).to_numpy(), np.bincount(days.day_of_week, minlength=7)),
        ("block", week.sum(axis=0).to_numpy().reshape(8, 3).sum(axis=1), np.ones(8)),
        ("month", months.sum(axis=1).to_numpy(), month_days),
    ):
        used = weights > 0
        total = counts.sum()
        p = 1.0 if total == 0 else float(chisquare(counts[used], total * weights[used] / weights[used].sum()).pvalue)
        tests[kind] = {"counts": [int(c) for c in counts], "total": int(total), "p": p, "few": total < 10 * used.sum()}
    reported = crimes["reported_date"]
    unknown = int((when.isna() & (reported >= start) & (reported <= pd.Timestamp(end))).sum())
    found[label] = {"week": week, "months": months, "tests": tests, "unknown": unknown}
    return found[label]


def label_of_noun(t, noun: str) -> str:
    return next(g for g in groups(t) if g[0].lower() + g[1:] == noun)


def p_text(p: float) -> str:
    if p < 0.001:
        return "< 0,001"
    return str(half_up(p, 3 if p < 0.01 else 2)).replace(".", ",")


def share_text(k: float, n: float, decimals: int = 0) -> str:
    return f"{str(half_up(100 * k / n, decimals)).replace('.', ',')} %"


def verdict(test: dict, kind: str) -> tuple[str, str]:
    """(p-value, Mönster) as a table row shows them."""
    if test["few"]:
        return "–", "Få fall"
    if test["p"] >= 0.05:
        return p_text(test["p"]), "Inget säkerställt mönster"
    top = max(test["counts"])
    names = [CELLS[kind][i] for i, c in enumerate(test["counts"]) if c == top]
    return p_text(test["p"]), "Flest " + (" och ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0])


# ----------------------------------------------------------------------------- sentences
@sentence(r"Flest (?P<noun>.+?) skedde (?:på|under timmarna|i) (?P<names>.+?) \((?P<each>vardera )?(?P<k>@NUM@) av (?P<n>@NUM@)"
          r"(?: under (?P<y0>@YEAR@)(?:–(?P<y1>@YEAR@))?)?, (?P<share>@NUM@ %)\); fördelningen över (?P<what>veckans dagar|dygnet|årets månader) "
          r"är inte jämn \(χ²-test(?: mot antalet dagar i varje månad)?, p (?:= )?(?P<p>[^)]+)\)\.")
def peak(led, t, piece, m):
    text, kind = m.group(0), WHAT[m["what"]]
    test = profile(t, label_of_noun(t, m["noun"]))["tests"][kind]
    led.claim("significance", piece, text, test["p"] < 0.05 and not test["few"], "a pattern", f"p = {test['p']:.3g}, few cases: {test['few']}")
    led.equal("significance", piece, text, "p", m["p"], p_text(test["p"]))
    top = max(test["counts"])
    names = [CELLS[kind][i] for i, c in enumerate(test["counts"]) if c == top]
    led.equal("ranking", piece, text, "peak", items(m["names"]), names)
    led.equal("count", piece, text, "peak count", count(m["k"]), top)
    led.equal("count", piece, text, "total", count(m["n"]), test["total"])
    led.equal("share", piece, text, "share", m["share"], share_text(top, test["total"]))
    if m["y0"]:
        years = month_years(t)
        led.equal("span", piece, text, "years", (int(m["y0"]), int(m["y1"] or m["y0"])), (years[0], years[-1]))


@sentence(r"Fördelningen av (?P<noun>.+?) över (?P<what>veckans dagar|dygnet|årets månader) visar ingen statistiskt säkerställd skillnad "
          r"mot en jämn fördelning \(χ²-test, p (?:= )?(?P<p>[^)]+)\)\.")
def no_pattern(led, t, piece, m):
    test = profile(t, label_of_noun(t, m["noun"]))["tests"][WHAT[m["what"]]]
    led.claim("significance", piece, m.group(0), test["p"] >= 0.05 and not test["few"], "no pattern", f"p = {test['p']:.3g}")
    led.equal("significance", piece, m.group(0), "p", m["p"], p_text(test["p"]))


@sentence(r"Fördelningen av (?P<noun>.+?) över (?P<what>veckans dagar|dygnet|årets månader) prövas inte: den bygger på få fall "
          r"\((?P<n>@NUM@) brott, färre än (?P<min>@NUM@)\)\.")
def few_cases(led, t, piece, m):
    test = profile(t, label_of_noun(t, m["noun"]))["tests"][WHAT[m["what"]]]
    led.claim("few cases", piece, m.group(0), test["few"], "few cases", f"{test['total']} cases")
    led.equal("count", piece, m.group(0), "total", count(m["n"]), test["total"])
    led.equal("few cases", piece, m.group(0), "threshold", count(m["min"]), 10 * len(CELLS[WHAT[m["what"]]]))


@sentence(r"(?:^|(?<=\. ))(?P<n>@COUNT@) (?P<noun>[a-zåäö ]+?) som anmäldes (?P<span>@PERIOD@ @YEAR@) saknar tidpunkt för brottet och ingår inte\.")
def unknown_time(led, t, piece, m):
    end = period_last_day(t)
    led.equal("span", piece, m.group(0), "period", m["span"], f"1 jan–{end.day} {SHORT[end.month - 1]} {t.year}")
    led.equal("count", piece, m.group(0), "without a time", count(m["n"]), profile(t, label_of_noun(t, m["noun"]))["unknown"])


@sentence(r"(?:Värmekarta|Linjediagram) över (?:[a-zåäö ]+?) (?:i .+? @PERIOD@ @YEAR@ efter veckodag \(rader\) och timme \(kolumner\)|per månad i .+?, en linje per år @YEAR@–@YEAR@)\."
          r"|Karta över .+? med rutor på 250 × 250 m(?: färgade efter hur återkommande brottskoncentrationen är)?\.")
def figure_intro(led, t, piece, m):
    """The alt texts' first sentence names what the figure shows (its span is checked by style.spans)."""
    led.counts["span"] += 1


# ----------------------------------------------------------------------------- place
def place(t) -> dict:
    """The grid, the crimes per cell each of the last three years, and the Gi* hot spots."""
    from lagesbild_lib.analysis import hotspots as hs
    from lagesbild_lib.data.crs import points_to_sweref, to_sweref
    from lagesbild_lib.figures.maps import area_outlines

    found = _state(t)
    if "place" in found:
        return found["place"]
    layer = t.data.geo("areas")
    rows = t.children or [t.area_id]
    subs = {a: to_sweref(g) for a, g in area_outlines(layer, t.registry, rows).items()}
    grid = hs.make_grid(to_sweref(area_outlines(layer, t.registry, [t.area_id])[t.area_id]))
    owner = hs.cell_owner(grid, subs)
    out = {"grid": grid, "owner": owner, "names": {a: t.registry.name(a) for a in rows}, "all": {}, "violent": {}, "hot": {}}
    for year in t.crime_years[-3:]:
        part = t.in_period(t.crimes, "reported_date", year).dropna(subset=["lon", "lat"])
        for key, rows_ in (("all", part), ("violent", part[part["category"].isin(t.flagged("violent"))])):
            x, y = points_to_sweref(rows_["lon"].to_numpy(float), rows_["lat"].to_numpy(float))
            out[key][year] = hs.cell_counts(grid, np.column_stack([x, y]))[0]
        out["hot"][year] = hs.gi_star(out["violent"][year], grid)
    found["place"] = out
    return out


def top5(counts: np.ndarray) -> tuple[float, int, int, int]:
    n_top = max(1, int(np.ceil(0.05 * len(counts))))
    total = int(counts.sum())
    return np.sort(counts)[::-1][:n_top].sum() / total, n_top, len(counts), total


@sentence(r"(?P<s>@NUM@ %) av alla anmälda brott med koordinater (?P<span>@PERIOD@ @YEAR@) låg i de (?P<top>@COUNT@) rutor på 250 × 250 m som hade "
          r"flest brott, 5 % av områdets (?P<cells>@COUNT@) rutor; för våldsbrotten var andelen (?P<sv>@NUM@ %)\.")
def concentration(led, t, piece, m):
    p, text = place(t), m.group(0)
    led.equal("span", piece, text, "period", m["span"], t.period())
    share, n_top, cells, _ = top5(p["all"][t.year])
    led.equal("share", piece, text, "share in the top 5 %", m["s"], share_text(share, 1))
    led.equal("count", piece, text, "cells", (count(m["top"]), count(m["cells"])), (n_top, cells))
    led.equal("share", piece, text, "violent share", m["sv"], share_text(top5(p["violent"][t.year])[0], 1))


@sentence(r"(?P<k>@COUNT@) av områdets (?P<cells>@COUNT@) rutor (?:är en statistiskt säkerställd brottskoncentration|är statistiskt säkerställda "
          r"brottskoncentrationer) för våldsbrott (?P<span>@PERIOD@ @YEAR@) \(Getis-Ord Gi\*\); där skedde (?P<s>@NUM@ %) av våldsbrotten\. "
          r"Rutorna ligger i (?P<where>[^.]+)\.|Ingen av områdets (?P<cells0>@COUNT@) rutor är en statistiskt säkerställd brottskoncentration "
          r"för våldsbrott (?P<span0>@PERIOD@ @YEAR@) \(Getis-Ord Gi\*\)\.")
def hot_spots(led, t, piece, m):
    p, text = place(t), m.group(0)
    hot = p["hot"][t.year]
    led.equal("span", piece, text, "period", m["span"] or m["span0"], t.period())
    led.equal("count", piece, text, "cells", count(m["cells"] or m["cells0"]), len(p["grid"]))
    led.equal("count", piece, text, "hot spots", count(m["k"]) if m["k"] else 0, int(hot.hot.sum()))
    if m["k"]:
        counts = p["violent"][t.year]
        led.equal("share", piece, text, "violent crimes in hot spots", m["s"], share_text(counts[hot.hot].sum(), counts.sum()))
        subs: dict[str, int] = {}
        for k in np.flatnonzero(hot.hot):
            subs[p["names"][p["owner"][k]]] = subs.get(p["names"][p["owner"][k]], 0) + 1
        shown = {i.rsplit(" (", 1)[0]: int(re.match(r"(\d+) rut(?:a|or)\)$", i.rsplit(" (", 1)[1]).group(1)) for i in items(m["where"])}
        led.equal("ranking", piece, text, "hot cells per sub-area", shown, subs)


CLASS_OF = {"ihållande": "ihållande", "ny": "ny", "nya": "ny", "periodvis": "periodvis", "periodvisa": "periodvis", "försvunnen": "försvunnen", "försvunna": "försvunnen"}


def classes(t) -> np.ndarray:
    from lagesbild_lib.analysis.hotspots import persistence_classes

    p = place(t)
    return persistence_classes([p["hot"][y].hot for y in t.crime_years[-3:]])


@sentence(r"Av de (?P<ever>@COUNT@) rutor som var statistiskt säkerställda brottskoncentrationer för våldsbrott något av åren (?P<y0>@YEAR@)–(?P<y1>@YEAR@) "
          r"\((?P<p>@PERIOD@) varje år\) är (?P<parts>[^.]+)\.")
def persistence(led, t, piece, m):
    text, found = m.group(0), classes(t)
    led.equal("span", piece, text, "years", (int(m["y0"]), int(m["y1"])), (t.crime_years[-3], t.year))
    led.equal("count", piece, text, "cells ever hot", count(m["ever"]), int((found != "").sum()))
    for part in items(m["parts"]):
        n, word = part.replace(" (alla tre åren)", "").split(" ", 1)
        cls = CLASS_OF[word]
        led.equal("count", piece, text, f"cells {cls}", count(n), int((found == cls).sum()))


# ----------------------------------------------------------------------------- tables
def _num(cell: str):
    return None if cell in ("–", "") else count(cell)


@table(r"(?P<label>Våldsbrott) efter veckodag och timme då brottet skedde i (?P<area>.+?), (?P<span>@PERIOD@ @YEAR@)")
def heatmap_table(led, t, tab):
    week = profile(t, "Våldsbrott")["week"]
    for i, row in enumerate(tab.rows):
        shown = [_num(row[f"{h:02d}"]) for h in range(24)]
        led.equal("count", tab, row["Veckodag"], "crimes per hour", shown, [int(v) for v in week.loc[i]])


def _group_rows(led, t, tab, kind: str, columns: list[str]):
    seen = []
    for row in tab.rows:
        label = row["Brottsgrupp"]
        if not led.claim("count", tab, label, label in groups(t), label, "no such crime group"):
            continue
        seen.append(label)
        test = profile(t, label)["tests"][kind]
        led.equal("count", tab, label, "counts", [_num(row[c]) for c in columns], test["counts"])
        led.equal("count", tab, label, "total", _num(row["Totalt"]), test["total"])
        led.equal("significance", tab, label, "p and pattern", (row["p-värde"], row["Mönster"]), verdict(test, kind))
    led.equal("count", tab, tab.caption, "groups", seen, list(groups(t)))


@table(r"Brott efter veckodag då brottet skedde och brottsgrupp i (?P<area>.+?), (?P<span>@PERIOD@ @YEAR@)")
def weekday_table(led, t, tab):
    _group_rows(led, t, tab, "weekday", ["Mån", "Tis", "Ons", "Tor", "Fre", "Lör", "Sön"])


@table(r"Brott efter tid på dygnet då brottet skedde och brottsgrupp i (?P<area>.+?), (?P<span>@PERIOD@ @YEAR@)")
def block_table(led, t, tab):
    _group_rows(led, t, tab, "block", list(BLOCKS))


@table(r"Brott efter månad då brottet skedde och brottsgrupp i (?P<area>.+?), (?P<y0>@YEAR@)–(?P<y1>@YEAR@)")
def month_table(led, t, tab):
    _group_rows(led, t, tab, "month", [m[:3].capitalize() for m in MONTHS])


@table(r"Våldsbrott per månad då brottet skedde i (?P<area>.+?), (?P<y0>@YEAR@)–(?P<y1>@YEAR@)")
def month_chart_table(led, t, tab):
    months = profile(t, "Våldsbrott")["months"]
    end = period_last_day(t)
    for i, row in enumerate(tab.rows):
        for year in months.columns:
            true = None if year == t.year and dt.date(year, i + 1, 1) > end else int(months.loc[i + 1, year])
            led.equal("count", tab, row["Månad"], f"crimes {year}", _num(row[str(year)]), true)


@table(r"Brottskoncentration i (?P<area>.+?): andel av brotten i de 5 % av rutorna med flest brott, (?P<p>@PERIOD@) varje år")
def concentration_table(led, t, tab):
    p = place(t)
    for row in tab.rows:
        counts = p["all" if row["Brott"] == "Alla brott" else "violent"][int(row["År"])]
        share, n_top, cells, total = top5(counts)
        shown = (count(row["Brott med koordinater"]), count(row["Rutor"]), count(row["Rutor i topp 5 %"]), row["Andel av brotten i topp 5 %"])
        led.equal("share", tab, f"{row['År']} {row['Brott']}", "row", shown, (total, cells, n_top, share_text(share, 1, 1)))


@table(r"Statistiskt säkerställda brottskoncentrationer \(Getis-Ord Gi\*\) av anmälda våldsbrott i (?P<area>.+?), (?P<span>@PERIOD@ @YEAR@)")
def hot_spot_table(led, t, tab):
    p = place(t)
    hot, counts = p["hot"][t.year].hot, p["violent"][t.year]
    owner = np.array(p["owner"])
    for row in tab.rows:
        a = next(k for k, v in p["names"].items() if v == row["Delområde"])
        mine = owner == a
        shown = tuple(count(row[c]) for c in ("Rutor", "Rutor med brottskoncentration", "Våldsbrott", "Våldsbrott i brottskoncentrationer"))
        led.equal("count", tab, row["Delområde"], "row", shown, (int(mine.sum()), int((mine & hot).sum()), int(counts[mine].sum()), int(counts[mine & hot].sum())))


@table(r"Återkommande brottskoncentrationer för våldsbrott i (?P<area>.+?) (?P<y0>@YEAR@)–(?P<y1>@YEAR@) \((?P<p>@PERIOD@) varje år\)")
def persistence_tables(led, t, tab):
    found, p = classes(t), place(t)
    owner = np.array(p["owner"])
    if "Klass" in tab.header:
        for row in tab.rows:
            cls = row["Klass"].lower()
            cells = found == cls
            subs: dict[str, int] = {}
            for k in np.flatnonzero(cells):
                subs[p["names"][owner[k]]] = subs.get(p["names"][owner[k]], 0) + 1
            shown = {} if row["Delområden (rutor)"] == "–" else {
                i.rsplit(" (", 1)[0]: int(i.rsplit(" (", 1)[1].rstrip(")")) for i in row["Delområden (rutor)"].split("; ")}
            led.equal("count", tab, row["Klass"], "cells", count(row["Rutor"]), int(cells.sum()))
            led.equal("ranking", tab, row["Klass"], "cells per sub-area", shown, subs)
        return
    for row in tab.rows:
        a = next(k for k, v in p["names"].items() if v == row["Delområde"])
        shown = [count(row[c]) for c in ("Ihållande", "Ny", "Periodvis", "Försvunnen")]
        led.equal("count", tab, row["Delområde"], "cells per class", shown,
                  [int(((found == c) & (owner == a)).sum()) for c in ("ihållande", "ny", "periodvis", "försvunnen")])



@sentence(r"Återkommande brottskoncentrationer kräver brottsdata för tre år; data finns för (?P<years>[^.]+)\.")
def too_few_years(led, t, piece, m):
    led.equal("span", piece, m.group(0), "years with crime data", [int(y) for y in items(m["years"])], t.crime_years[-3:])
    led.claim("span", piece, m.group(0), len(t.crime_years) < 3, "fewer than three years", str(t.crime_years))
