"""Claims in the crime chapter's tables and the tables under its charts: every row's counts,
changes, verdicts and spans, recomputed."""

from __future__ import annotations

from claims.crime import change_says, table, verdict_of
from claims.report import count, digits, half_up, number, pct_text, rx, signed


@table(r"CompStat (?P<area>.+?)\. Anmälda brott i urval, (?P<span>@PERIOD@ @YEAR@) jämfört med samma period (?P<y0>@YEAR@)")
def compstat_table(led, t, tab):
    led.equal("span", tab, tab.caption, "period", tab.caption.split("urval, ")[1].split(" jämfört")[0], t.period())
    groups = {f"Summa {g.lower()}": x for g, x in t.groups.items()}
    seen = []
    for row in tab.rows:
        label = row["Brottskategori"]
        test = t.compstat.get(label) or groups.get(label)
        if not led.claim("compstat row", tab, label, test is not None, label, "no such category or group"):
            continue
        seen.append(label)
        shown = (row[f"Antal {t.year - 1}"], row[f"Antal {t.year}"], row["Förändring antal"], row["Förändring %"], row["Bedömning"])
        true = (digits(test.before), digits(test.after), signed(test.diff), pct_text(test.pct), verdict_of(test))
        led.claim("compstat row", tab, f"{label}: {' | '.join(shown)}", shown == true, " | ".join(shown), change_says(test))
        if "Per 1 000 inv." in row:
            rate = str(half_up(1000 * test.after / t.population(), 1)).replace(".", ",")
            led.equal("rate", tab, label, "per 1 000", row["Per 1 000 inv."], rate)
    led.equal("compstat row", tab, tab.caption, "rows", sorted(seen), sorted([*t.compstat, *groups]))


@table(r"Genomsnittlig förändring per år (?P<y0>@YEAR@)–(?P<y1>@YEAR@), (?P<p>@PERIOD@) varje år")
def trend_table(led, t, tab):
    first = t.crime_years[0]
    for row in tab.rows:
        label, series, trend = row["Brottskategori"], t.category_series.get(row["Brottskategori"]), t.trends.get(row["Brottskategori"])
        since = t.break_year.get(label)
        if trend is None and since:
            led.equal("trend", tab, label, "row", (row[f"Antal {first}"], row[f"Antal {t.year}"], row["Trend"]),
                      (digits(series[first]), digits(series[t.year]), "ej beräknad (serieuppbrott)"))
            continue
        if not led.claim("trend", tab, label, trend is not None, label, "no trend for it"):
            continue
        shown = (row[f"Antal {first}"], row[f"Antal {t.year}"], row["Förändring per år"], row["95 % konfidensintervall"], row["Trend"])
        fmt = lambda v: ("+" if half_up(v, 1) > 0 else "−" if half_up(v, 1) < 0 else "") + f"{abs(half_up(v, 1))} %".replace(".", ",")  # noqa: E731
        qualifiers = (["få fall"] if trend.few_cases else []) + ([f"från {since}, efter serieuppbrott"] if since else [])
        wording = ("statistiskt säkerställd" if trend.significant else "inte statistiskt säkerställd") + (f" ({'; '.join(qualifiers)})" if qualifiers else "")
        true = (digits(series[first]), digits(series[t.year]), fmt(trend.yearly_pct), f"{fmt(trend.lo_pct)} till {fmt(trend.hi_pct)}", wording)
        led.claim("trend", tab, f"{label}: {' | '.join(shown)}", shown == true, " | ".join(shown), " | ".join(true))


@table(r"Anmälda våldsbrott per delområde i .+?, (?P<span>@PERIOD@ @YEAR@), flest först|Koncentration av anmälda våldsbrott")
def violent_table(led, t, tab):
    if "Våldsbrott" not in tab.header:
        return False
    counts = t.violent_by_subarea
    shown = [(r["Delområde"], count(r["Våldsbrott"])) for r in tab.rows]
    led.equal("ranking", tab, tab.caption, "sub-areas, most first", shown, sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    for r in tab.rows:
        rate = half_up(1000 * counts[r["Delområde"]] / t.population(t.id_of(r["Delområde"])), 1)
        led.equal("rate", tab, r["Delområde"], "per 1 000", number(r["Per 1 000 invånare"]), rate)


@table(r"Kritiska händelser i (?P<area>.+?) (?P<span>@PERIOD@ @YEAR@) per typ och delområde")
def events_table(led, t, tab):
    ev = t.events.assign(name=t.events["owner"].map(t.registry.name))
    for row in tab.rows:
        part = ev[ev["type"].str.lower() == row["Typ av händelse"].lower()]  # the table capitalises its row labels
        for column, cell in row.items():
            if column == "Totalt":
                led.equal("events", tab, row["Typ av händelse"], "total", count(cell), len(part))
            elif column == "varav dödlig utgång":
                led.equal("events", tab, row["Typ av händelse"], "fatal", count(cell), int(part["fatal"].fillna(False).astype(bool).sum()))
            elif column != "Typ av händelse":
                led.equal("events", tab, f"{row['Typ av händelse']}, {column}", "events", count(cell), int((part["name"] == column).sum()))


@table(r"Kritiska händelser i (?P<area>.+?) (?P<span>@PERIOD@ @YEAR@) per månad och delområde")
def events_data(led, t, tab):
    ev = t.events.assign(name=t.events["owner"].map(t.registry.name), month=t.events["event_date"].dt.month)
    months = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    total = 0
    for row in tab.rows:
        n = int(((ev["month"] == months.index(row["Månad"]) + 1) & (ev["name"] == row["Delområde"]) & (ev["type"] == row["Typ"])).sum())
        total += count(row["Antal"])
        led.equal("events", tab, " | ".join(row.values()), "events", count(row["Antal"]), n)
    led.equal("events", tab, tab.caption, "all events", total, len(ev))


@table(r"Anmälda brott i nära relation per år i (?P<area>.+?), (?P<p>@PERIOD@) varje år")
def intimate_table(led, t, tab):
    series = t.series(t.flagged("intimate_partner"))
    shown = {int(r["År"]): count(r["Antal"]) for r in tab.rows}
    led.equal("count", tab, tab.caption, "per year", shown, {y: series[y] for y in shown})
    first, last = map(int, rx(r"varje år (@YEAR@)–(@YEAR@)").search(tab.caption).groups())
    led.equal("span", tab, tab.caption, "years", sorted(shown), list(range(first, last + 1)))
    for r in tab.rows:
        if "Period" in r:
            led.equal("span", tab, r["År"], "period", r["Period"], t.period(0))


@table(r"Anmälda brott (?:i urval )?per (?P<what>brottsgrupp|kategori) i (?P<area>.+?), (?P<p>@PERIOD@) varje år (?P<y0>@YEAR@)–(?P<y1>@YEAR@)")
def yearly_data(led, t, tab):
    by_group = "brottsgrupp" in tab.caption
    for row in tab.rows:
        year = int(row["År"])
        for column, cell in row.items():
            if column == "År":
                continue
            if by_group:
                cats = list(t.categories.loc[(t.categories["group"] == column) & t.categories["compstat"].astype(bool), "category"])
                true = t.series(cats)[year]
            else:
                true = t.category_series[column][year]
            led.equal("count", tab, f"{column} {year}", "crimes", count(cell), true)
    led.equal("span", tab, tab.caption, "years", [int(r["År"]) for r in tab.rows], t.crime_years)
