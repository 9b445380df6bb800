"""Claims of the summary chapter and the area chapter: key figures, the changes since the previous
lägesbild, population and socio-economic indicators, and the demo's narrative."""

from __future__ import annotations

from claims.crime import lower_first, verdict_of, weeks
from claims.report import MINUS, count, digits, half_up, items, number, pct_text, registry, rx, signed
from claims.truth import poisson_change_test, two_proportion_test

SENTENCES: list = []
TABLES: list = []

sentence, table = registry(SENTENCES, TABLES)


def decimals(shown: str) -> int:
    return len(shown.split(",")[1]) if "," in shown else 0


def shows(shown: str, value: float, scale: int = 1) -> bool:
    """``shown`` ("3,1", "389 500", "−4,1") is ``value`` (× ``scale``, in decimal as the report
    does: 0.2955 → 29,6 %, where the float 0.2955 * 100 is 29.549999…) rounded half up to the
    decimals shown."""
    return number(shown) == half_up(value, decimals(shown), scale)


# ----------------------------------------------------------------------------- key figures
def key_changes(t) -> dict:
    """The counted key figures of the changes table: label → test (groups, weeks, events)."""
    if "_key_changes" not in t.__dict__:
        t.__dict__["_key_changes"] = _key_changes(t)
    return dict(t.__dict__["_key_changes"])


def _key_changes(t) -> dict:
    from lagesbild_lib.analysis.weekly import period_last_week

    out = {f"{g} (anmälda brott i urval)": x for g, x in t.groups.items()}
    now_last, before_last = period_last_week(t.year, t.period_end), period_last_week(t.year - 1, t.period_end)
    high, reported, _ = weeks(t, now_last)
    grid = t.grid(t.year - 1)
    grid = grid[[w for w in grid.columns if w <= before_last]]
    high0, reported0 = int((grid.max(axis=0) >= 4).sum()), int(grid.notna().any(axis=0).sum())
    out["Veckor med nivå 4 eller 5"] = poisson_change_test(high0, high, reported / reported0)
    out["Kritiska händelser"] = poisson_change_test(t.events_in(t.year - 1), t.events_in(t.year))
    out["weeks assessed"] = (reported0, reported)
    return out


@sentence(r"^(?:Period: (?P<span>@PERIOD@ @YEAR@)|År: (?P<y>@YEAR@)|Område: (?P<area>.+))$")
def title_page(led, t, piece, m):
    said = m["span"] or m["y"] or m["area"]
    led.equal("span", piece, m.group(0), "title page", said, t.period() if m["span"] else str(t.year) if m["y"] else t.name)


@sentence(r"^Anmälda brott, alla brottstyper, (?P<span>@PERIOD@ @YEAR@): (?P<n>@NUM@)$")
def key_crimes(led, t, piece, m):
    led.equal("key figure", piece, m.group(0), "crimes, period", (count(m["n"]), m["span"]), (t.total.after, t.period()))


@sentence(r"^Förändring mot samma period (?P<y0>@YEAR@): (?P<pct>@NUM@ %) \((?P<v>(?:inte )?statistiskt säkerställd)\)$")
def key_change(led, t, piece, m):
    test = t.total
    led.equal("key figure", piece, m.group(0), "change", (int(m["y0"]), m["pct"], m["v"]), (t.year - 1, pct_text(test.pct), verdict_of(test)))


@sentence(r"^Veckor med nivå 4 eller 5, vecka 1–(?P<last>\d+): (?P<high>@NUM@) av (?P<n>@NUM@)$")
def key_weeks(led, t, piece, m):
    from lagesbild_lib.analysis.weekly import period_last_week

    last = period_last_week(t.year, t.period_end)
    high, reported, _ = weeks(t, last)
    led.equal("key figure", piece, m.group(0), "weeks", (int(m["last"]), count(m["high"]), count(m["n"])), (last, high, reported))


@sentence(r"^Kritiska händelser (?P<span>@PERIOD@ @YEAR@): (?P<n>@NUM@)$")
def key_events(led, t, piece, m):
    led.equal("key figure", piece, m.group(0), "events, period", (count(m["n"]), m["span"]), (len(t.events), t.period()))


@sentence(r"^Folkmängd (?P<y>@YEAR@): (?P<n>@NUM@)$")
def key_population(led, t, piece, m):
    led.equal("key figure", piece, m.group(0), "population", count(m["n"]), t.population(year=int(m["y"])))


@sentence(r"^Otrygga ute ensamma kvällstid (?P<y>@YEAR@)(?:, senaste mätningen)? \((?P<s>.+?)\): @CI@$")
def key_unsafety(led, t, piece, m):
    from claims.safety import ci_text

    led.equal("share", piece, m.group(0), "share", m.group(0).rsplit(": ", 1)[1], ci_text(t.share(t.area_id, int(m["y"]), m["s"])))


# ----------------------------------------------------------------------------- changes since the previous lägesbild
def key_rows(t) -> dict[str, dict]:
    """Every key figure of the changes table: label → shown before, now, change, verdict, and its
    size (relative change), whether it rests on few cases and whether it is significant."""
    from claims.safety import ci_text, chapter_survey

    known = key_changes(t)
    reported0, reported = known.pop("weeks assessed")
    rows = {}
    before, after = t.population(year=t.year - 1), t.population()
    if before is not None and after is not None:
        pct = 100 * (after - before) / before
        rows["Folkmängd"] = dict(shown=(digits(before), digits(after), f"{signed(after - before)} ({signed_pct(pct, 1)})", "prövas inte (totalräkning)"),
                                 size=abs(pct), few=False, significant=None, span=f"{t.year - 1} → {t.year}")
    crossed = {t.categories.set_index("category").loc[b.category, "group"] for b in t.params.series_breaks
               if b.category in set(t.categories["category"]) and t.year - 1 < b.year <= t.year}
    for label, test in known.items():
        shown = (digits(test.before), digits(test.after)) if label != "Veckor med nivå 4 eller 5" else (
            f"{test.before} av {reported0}", f"{test.after} av {reported}")
        flag = " (serieuppbrott)" if label.removesuffix(" (anmälda brott i urval)") in crossed else ""
        rows[label] = dict(shown=(*shown, change(test), wording(test) + flag), size=size(test), few=test.few_cases, significant=test.significant,
                           span=f"{t.period(0)}, {t.year - 1} → {t.year}" if label != "Veckor med nivå 4 eller 5" else None)
    s = chapter_survey(t) or ""
    years = t.survey_years(s) if s else []
    if len(years) >= 2 and years[-1] == t.year:
        a, b = t.share(t.area_id, years[-1], s), t.share(t.area_id, years[-2], s)
        test = two_proportion_test(a[0], a[1], b[0], b[1])
        rows["Otrygga ute ensamma kvällstid"] = dict(
            shown=(ci_text(b), ci_text(a), f"{signed(int(half_up(test.diff, 0, 100)))} procentenheter",
                   "statistiskt säkerställd" if test.significant else "inte statistiskt säkerställd"),
            size=abs(100 * test.diff / b[0]), few=False, significant=test.significant, span=f"{s} {years[-2]} → {years[-1]}")
    return rows


@table(r"Förändringar sedan föregående lägesbild: nyckeltal för (?P<area>.+?) (?P<y>@YEAR@) jämfört med (?P<y0>@YEAR@)")
def changes_table(led, t, tab):
    rows = key_rows(t)
    for row in tab.rows:
        label, shown = row["Nyckeltal"], (row["Föregående"], row["Nu"], row["Förändring"], row["Bedömning"])
        true = rows.get(label)
        if not led.claim("change", tab, label, true is not None, label, "a key figure the claims test does not know"):
            continue
        led.claim("change", tab, f"{label}: {' | '.join(shown)}", shown == true["shown"], " | ".join(shown), " | ".join(true["shown"]))
        if true["span"]:
            led.equal("span", tab, label, "compared span", row["Jämförelse"], true["span"])
    sizes = [rows[r["Nyckeltal"]]["size"] for r in tab.rows if r["Nyckeltal"] in rows]
    led.claim("ranking", tab, tab.caption, sizes == sorted(sizes, reverse=True), "largest change first", f"sizes in order: {sizes}")
    led.equal("change", tab, tab.caption, "key figures", sorted(r["Nyckeltal"] for r in tab.rows), sorted(rows))


def signed_pct(value: float, places: int) -> str:
    shown = half_up(value, places)
    return ("+" if shown > 0 else MINUS if shown < 0 else "") + f"{abs(shown)} %".replace(".", ",")


def change(test) -> str:
    return f"{signed(test.diff)}" + (f" ({pct_text(test.pct)})" if test.pct is not None else "")


def wording(test) -> str:
    return "oförändrad" if test.diff == 0 else verdict_of(test)


def size(test) -> float:
    return 0.0 if test.diff == 0 else float("inf") if test.pct is None else abs(test.pct)


@sentence(r"Störst (?:är förändringen för|(?P<sure>bland förändringarna som inte bygger på få fall är den för)) (?P<label>.+?): (?P<change>.+?), "
          r"(?P<v>(?:inte )?statistiskt säkerställd(?: \(få fall\))?(?: \(serieuppbrott\))?|oförändrad|prövas inte \(totalräkning\))\.")
def largest_key_change(led, t, piece, m):
    """The change called largest is the largest, and never one that rests on few cases (DESIGN §8:
    findings ranked by evidence, never by relative change on few cases)."""
    rows = {lower_first(k): v for k, v in key_rows(t).items()}
    row = rows.get(m["label"])
    if not led.claim("change", piece, m.group(0), row is not None, m["label"], "a key figure"):
        return
    led.equal("change", piece, m.group(0), "change, verdict", (m["change"], m["v"]), row["shown"][2:])
    sure = [k for k, v in rows.items() if not v["few"] and v["size"] > 0]
    largest = max(sure, key=lambda k: rows[k]["size"]) if sure else None
    ahead = [k for k, v in rows.items() if v["few"] and v["size"] > rows[m["label"]]["size"]]
    led.equal("ranking", piece, m.group(0), "largest change not resting on few cases", m["label"], largest)
    led.claim("ranking", piece, m.group(0), bool(m["sure"]) == bool(ahead), m.group(0).split(" för ")[0],
              f"larger changes on few cases: {ahead}")


@sentence(r"Statistiskt säkerställda förändringar: (?P<names>.+?)\.(?= |$)|Ingen av förändringarna är statistiskt säkerställd\.")
def significant_key_changes(led, t, piece, m):
    rows = {lower_first(k): v for k, v in key_rows(t).items()}
    true = sorted(k for k, v in rows.items() if v["significant"] and v["size"] > 0)
    said = sorted(items(m["names"])) if m["names"] else []
    led.equal("significance", piece, m.group(0), "significant key changes", said, true)


@sentence(r"Veckor med nivå 4 eller 5: förändringen i procent och prövningen avser andelen av de bedömda veckorna \((?P<n0>@NUM@) veckor "
          r"(?P<y0>@YEAR@), (?P<n>@NUM@) veckor (?P<y>@YEAR@)\)\.")
def weeks_assessed(led, t, piece, m):
    reported0, reported = key_changes(t)["weeks assessed"]
    led.equal("weeks", piece, m.group(0), "weeks assessed", (count(m["n0"]), int(m["y0"]), count(m["n"]), int(m["y"])),
              (reported0, t.year - 1, reported, t.year))


# ----------------------------------------------------------------------------- population
@sentence(r"(?P<area>[A-ZÅÄÖ][^.]*?) hade (?P<n>@NUM@) invånare år (?P<y>@YEAR@)\.")
def population_sentence(led, t, piece, m):
    led.equal("population", piece, m.group(0), "population", count(m["n"]), t.population(year=int(m["y"])))


@sentence(r"Folkmängden (?P<parts>.+?)\.(?= |$)")
def population_change(led, t, piece, m):
    verb = None
    for part in rx(r"(?:(?P<verb>ökade|minskade) )?med (?P<d>@NUM@) personer? \((?P<pct>@NUM@ %)\) (?:jämfört med|sedan) (?P<y0>@YEAR@)").finditer(m["parts"]):
        verb = part["verb"] or verb
        before, after = t.population(year=int(part["y0"])), t.population()
        led.equal("population", piece, m.group(0), f"change since {part['y0']}", (count(part["d"]), part["pct"]),
                  (abs(after - before), signed_pct(100 * (after - before) / before, 1)))
        led.claim("direction", piece, m.group(0), (verb == "ökade") == (after > before) and after != before, verb, f"{before} → {after}")


@sentence(r"Andelen invånare under 20 år var (?P<a>@NUM@) %(?: jämfört med (?P<c>@NUM@) % i staden som helhet \((?P<city>.+?)\))?\.")
def young_sentence(led, t, piece, m):
    led.claim("share", piece, m.group(0), shows(m["a"], t.young(t.area_id)), m["a"], f"{t.young(t.area_id):.3f}")
    if m["c"]:
        led.claim("share", piece, m.group(0), shows(m["c"], t.young(t.city)), m["c"], f"{t.young(t.city):.3f}")


@table(r"Folkmängd per delområde i (?P<area>.+?) (?P<y0>@YEAR@)–(?P<y>@YEAR@)")
def population_table(led, t, tab):
    for row in tab.rows:
        aid = t.area_id if row["Delområde"].startswith("Hela ") else t.id_of(row["Delområde"])
        before, after = t.population(aid, t.year - 1), t.population(aid)
        shown = (row[f"Folkmängd {t.year - 1}"], row[f"Folkmängd {t.year}"], row["Förändring"], row["Förändring %"])
        true = (digits(before), digits(after), signed(after - before), signed_pct(100 * (after - before) / before, 1))
        led.claim("population", tab, row["Delområde"], shown == true, " | ".join(shown), " | ".join(true))
        led.claim("share", tab, row["Delområde"], shows(row["Andel under 20 år"].removesuffix(" %"), t.young(aid)), row["Andel under 20 år"],
                  f"{t.young(aid):.3f}")


def age_sex(t, area_id: str):
    from lagesbild_lib.analysis.population import age_label, population_by_age_sex

    cache = t.__dict__.setdefault("_age_sex", {})
    if area_id not in cache:
        frame = population_by_age_sex(t.data.table("population"), t.registry, area_id, t.year)
        cache[area_id] = {age_label(a): row for a, row in frame.iterrows()}
    return cache[area_id]


@sentence(r"Stapeldiagram över befolkningen i (?P<area>.+?) (?P<y>@YEAR@) efter ålder och kön: den största åldersgruppen är (?P<top>.+?) med "
          r"(?P<n>@NUM@) invånare \((?P<w>@NUM@) kvinnor och (?P<m>@NUM@) män\); övriga grupper: (?P<rest>.+)\.")
def population_alt(led, t, piece, m):
    groups = age_sex(t, t.area_id)
    top = max(groups, key=lambda a: groups[a].sum())
    led.equal("population", piece, m.group(0), "largest age group: women, men", (m["top"], count(m["n"]), count(m["w"]), count(m["m"])),
              (top, int(groups[top].sum()), int(groups[top]["kvinna"]), int(groups[top]["man"])))
    for part in rx(r"(?:^|, | och )(?P<label>\S+ år(?: och äldre)?) (?P<n>@NUM@)").finditer(m["rest"]):
        led.equal("population", piece, m.group(0), part["label"], count(part["n"]), int(groups[part["label"]].sum()))


@table(r"Befolkning i (?P<area>.+?) efter ålder(?: och kön)? (?P<y>@YEAR@)")
def population_data(led, t, tab):
    groups = age_sex(t, t.area_id)
    total = sum(int(g.sum()) for g in groups.values())
    for row in tab.rows:
        g = groups[row["Åldersgrupp"]]
        led.equal("population", tab, row["Åldersgrupp"], "women, men, total", (count(row["Kvinnor"]), count(row["Män"]), count(row["Totalt"])),
                  (int(g["kvinna"]), int(g["man"]), int(g.sum())))
        led.claim("share", tab, row["Åldersgrupp"], shows(row["Andel av befolkningen"].removesuffix(" %"), 100 * g.sum() / total),
                  row["Andel av befolkningen"], f"{100 * g.sum() / total:.3f}")
        city_column = next((c for c in row if c.startswith("Andel i ")), None)
        if city_column:
            city = age_sex(t, t.city)
            share = 100 * city[row["Åldersgrupp"]].sum() / sum(int(c.sum()) for c in city.values())
            led.claim("share", tab, row["Åldersgrupp"], shows(row[city_column].removesuffix(" %"), share), row[city_column], f"{share:.3f}")


# ----------------------------------------------------------------------------- indicators
SEX_WORDS = {"kvinna": "kvinnor", "man": "män"}
DECIMALS = {"procent": 1, "kr": 0, "dagar": 1, "antal": 0, "per 100 000 inv": 0}


def indicator_rows(t):
    """The indicators table with the label each row is shown under: the label, then ", kvinnor" /
    ", män" for a sex, then ", <group>" for a group (the whole population's row: the label alone)."""
    if "_indicator_rows" not in t.__dict__:
        ind = t.data.table("indicators").copy()
        sex = ind["sex"].fillna("alla").replace("", "alla") if "sex" in ind else "alla"
        group = ind["group"].fillna("").astype(str).str.strip() if "group" in ind else ""
        ind["sex_"], ind["group_"] = sex, group
        label = ind["label"].where(ind["label"].notna() & (ind["label"] != ""), ind["indicator"]).astype(str)
        ind["shown"] = [lower_first(", ".join([lab] + ([SEX_WORDS[s]] if s != "alla" else []) + ([g] if g else [])))
                        for lab, s, g in zip(label, ind["sex_"], ind["group_"])]
        t.__dict__["_indicator_rows"] = ind
    return t.__dict__["_indicator_rows"]


def indicator_values(t, label: str):
    """(area's value, city's value or None, the rows of that label in the year) of the row shown as ``label``."""
    ind = indicator_rows(t)
    rows = ind[ind["shown"] == lower_first(label)]
    year = max(int(y) for y in rows.loc[rows["area_id"] == t.area_id, "year"] if y <= t.year)
    rows = rows[rows["year"] == year]
    mine = rows[rows["area_id"] == t.area_id]["value"]
    city = rows[rows["area_id"] == t.city]["value"]
    return float(mine.iloc[0]), float(city.iloc[0]) if len(city) else None, rows


@sentence(r"(?:(?P<area>[A-ZÅÄÖ][^.]*?) ligger (?P<w>högre|lägre) än staden som helhet|Området ligger (?P<w2>högre|lägre)) när det gäller (?P<list>.+?)\.(?= |$)")
def indicator_sentence(led, t, piece, m):
    if t.city is None:
        return  # a kommun's sentences against its län and riket: claims.kommun
    word = m["w"] or m["w2"]
    for item in rx(r"(?:^|, | och )(?P<label>[^()]+?) \((?P<a>@NUM@)[^()]* mot (?P<b>@NUM@)[^()]*\)").finditer(m["list"]):
        mine, city, _ = indicator_values(t, item["label"])
        led.claim("indicator", piece, m.group(0), shows(item["a"], mine) and shows(item["b"], city), f"{item['a']} mot {item['b']}", f"{mine} mot {city}")
        a, b = number(item["a"]), number(item["b"])
        led.claim("direction", piece, m.group(0), (a > b) if word == "högre" else (a < b), f"{item['label']}: {word}", f"{a} mot {b}")


@table(r"Socioekonomiska förhållanden i (?P<area>.+?) (?P<y>@YEAR@)")
def indicator_table(led, t, tab):
    from claims.ranks import check_rank

    if t.city is None:  # a kommun beside its län and riket: claims.kommun
        from claims.kommun import kommun_indicator_table

        return kommun_indicator_table(led, t, tab)
    number_of = lambda cell: cell.split(" ")[0]  # noqa: E731 — "3,1 %", "389 500 kr", "19,7 dagar": the number before the unit
    compared = len(tab.header) > 2
    area = t.registry.get(t.area_id)
    siblings = [a for a in t.registry.children(area.parent_id) if t.registry.get(a).level == area.level] if area.parent_id else [t.area_id]
    rank_column = next((c for c in tab.header if c.startswith("Rang bland ")), None)
    for row in tab.rows:
        mine, other, rows = indicator_values(t, row["Indikator"])
        a = number_of(row[tab.header[1]])
        led.claim("indicator", tab, row["Indikator"], shows(a, mine), a, str(mine))
        if compared:
            b = number_of(row[tab.header[2]])
            led.claim("indicator", tab, row["Indikator"], shows(b, other), b, str(other))
            true = "högre" if number(a) > number(b) else "lägre" if number(a) < number(b) else "lika"
            led.equal("direction", tab, row["Indikator"], "against the city", row[tab.header[-1]], true)
        if rank_column:
            values = rows.set_index("area_id")["value"]
            others = [float(values[s]) for s in siblings if s != t.area_id and s in values.index]
            check_rank(led, tab, row["Indikator"], row[rank_column], mine, others, DECIMALS.get(str(rows["unit"].iloc[0]), 1))


# ----------------------------------------------------------------------------- population forecast
def forecast(t, area_id: str, year: int) -> int | None:
    """The forecast of an area: its own row, else the sum of its children's when every child has one."""
    table = t.data.table("population_forecast")
    own = table.loc[(table["area_id"] == area_id) & (table["year"] == year), "population"]
    if len(own):
        return int(own.iloc[0])
    parts = [forecast(t, c, year) for c in t.registry.children(area_id)]
    return sum(parts) if parts and None not in parts else None


def growth_claim(led, piece, text, words: str, pct: str | None, true_pct: float) -> None:
    """The words follow the growth as shown: "i stort sett oförändrad" at 0,0 %, "tillväxt under en
    procent" at 0,1–0,9 %, "öka med"/"minska med" the shown percentage otherwise."""
    shown = half_up(true_pct, 1)
    true = ("oförändrad" if shown == 0 else "under en procent" if 0 < shown < 1 else "öka" if shown > 0 else "minska")
    led.equal("forecast", piece, text, "growth words", words, true)
    if pct is not None:
        led.claim("forecast", piece, text, shows(pct.strip("+" + MINUS), abs(true_pct)), pct, f"{true_pct:.3f}")


_GROWTH = (r"väntas (?:folkmängden (?:i (?P<{p}area>.+?) )?(?:vara i stort sett (?P<{p}same>oförändrad)|(?P<{p}verb>öka|minska) med (?P<{p}pct>@NUM@) %)"
           r"|en tillväxt (?P<{p}under>under en procent)(?: i (?P<{p}area2>.+?))?)")


def _words(m, p: str) -> str:
    return "oförändrad" if m[f"{p}same"] else "under en procent" if m[f"{p}under"] else m[f"{p}verb"]


@sentence(r"Enligt befolkningsprognosen " + _GROWTH.format(p="a") + r" fram till (?P<y>@YEAR@): från (?P<base>@NUM@) invånare (?P<y0>@YEAR@) "
          r"till (?P<exp>@NUM@)(?: \((?P<paren>@NUM@) %\))?\.(?: I (?:(?:staden|kommunen) som helhet \((?P<city>[^)]+)\)|(?P<lan>[A-ZÅÄÖ][^.]*? län)) " + _GROWTH.format(p="c")
          + r" under samma tid(?: \((?P<cparen>@NUM@) %\))?\.)?")
def forecast_sentence(led, t, piece, m):
    text, y, y0 = m.group(0), int(m["y"]), int(m["y0"])
    table = t.data.table("population_forecast")
    later = sorted(int(x) for x in table.loc[table["area_id"].isin(t.registry.descendants(t.area_id)), "year"].unique() if x > t.year)
    led.equal("forecast", piece, text, "forecast to the last year after the report year, from the report year", (y, y0), (later[-1], t.year))
    base, expected = t.population(year=y0), forecast(t, t.area_id, y)
    if not led.equal("forecast", piece, text, "base, forecast", (count(m["base"]), count(m["exp"])), (base, expected)) or not base or expected is None:
        return
    pct = 100 * (expected - base) / base
    growth_claim(led, piece, text, _words(m, "a"), m["apct"] or m["paren"], pct)
    if m["city"] or m["lan"]:
        other = t.city or lan_of(t)
        cbase, cexp = t.population(other, y0), forecast(t, other, y)
        led.equal("forecast", piece, text, "city or län", m["city"] or m["lan"], t.registry.name(other))
        growth_claim(led, piece, text, _words(m, "c"), m["cpct"] or m["cparen"], 100 * (cexp - cbase) / cbase)


def lan_of(t) -> str | None:
    """A kommun's län (what its forecast is compared with); None for an area in a city (compared with the city)."""
    return None if t.city else next((a for a in t.registry.ancestors(t.area_id) if t.registry.get(a).level == "lan"), None)


@table(r"Befolkningsprognos för (?P<area>.+?) (?P<y1>@YEAR@)–(?P<y2>@YEAR@)")
def forecast_table(led, t, tab):
    name, other = t.name, t.city or lan_of(t)
    for row in tab.rows:
        year = int(row["År"].split(" ")[0])
        base_year = t.year
        for area_id, column in ((t.area_id, name), (other, t.registry.name(other) if other else None)):
            if column is None or column not in row:
                continue
            true = t.population(area_id, year) if year == base_year else forecast(t, area_id, year)
            led.equal("forecast", tab, f"{row['År']} {column}", "population", row[column], digits(true) if true is not None else "–")
            change = row.get(f"Förändring sedan {base_year}, {column}")
            if year != base_year and true is not None:
                base = t.population(area_id, base_year)
                led.equal("forecast", tab, f"{row['År']} {column}", "change", change, signed_pct(100 * (true - base) / base, 1))


# ----------------------------------------------------------------------------- the demo's narrative (params)
NARRATIVE = {"skadegörelsen": "Skadegörelse", "stölderna ur och från motorfordon": "Stöld ur/från motorfordon", "olaga hot": "Olaga hot",
             "misshandel inomhus": "Misshandel, inomhus", "misshandel utomhus": "Misshandel, utomhus", "personrånen": "Personrån"}


@sentence(r"(?P<up>[A-ZÅÄÖ][^.]*?) har ökat(?:, medan (?P<down>[^.]+?) har minskat)?\.")
def narrative_changes(led, t, piece, m):
    for group, sign in (("up", 1), ("down", -1)):
        for name in items(m[group].lower()) if m[group] else []:
            test = t.compstat.get(NARRATIVE.get(name, ""))
            ok = test is not None and test.significant and test.diff * sign > 0
            led.claim("narrative", piece, m.group(0), ok, f"{name} {'ökat' if sign > 0 else 'minskat'}", str(test))


@sentence(r"(?P<name>[A-ZÅÄÖ][a-zåäö]+ [a-zåäö]+), som är vanligast kring [^,]+, ligger kvar på ungefär samma nivå som förra året\.")
def narrative_same(led, t, piece, m):
    test = t.compstat.get(NARRATIVE.get(m["name"].lower(), ""))
    led.claim("narrative", piece, m.group(0), test is not None and not test.significant, "no significant change", str(test))


@sentence(r"(?<![^.] )(?P<names>[A-ZÅÄÖ][^.,]*?) ligger kvar på ungefär samma nivå som förra året\.")
def narrative_same_list(led, t, piece, m):
    for name in items(m["names"].lower()):
        test = t.compstat.get(NARRATIVE.get(name, ""))
        led.claim("narrative", piece, m.group(0), test is not None and not test.significant, f"{name}: no significant change", str(test))


@sentence(r"i (?P<name>[A-ZÅÄÖ][^,]+), där\s+nivån var 4 eller 5 under de flesta veckorna")
def narrative_weeks(led, t, piece, m):
    grid = weeks(t)[2]
    row = grid.loc[t.id_of(m["name"])]
    led.claim("narrative", piece, m.group(0), (row >= 4).sum() > row.notna().sum() / 2, "most weeks at 4–5", f"{(row >= 4).sum()} of {row.notna().sum()}")
