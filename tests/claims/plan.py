"""Claims of the chapters Orsaker (risk and protective factors, orsaksanalys) and Åtgärdsplan och
uppföljning: every table row and sentence recomputed from the ``indicators``, ``orsaker``,
``atgarder``, ``crimes`` and ``survey`` tables with plain pandas and the library's tests."""

from __future__ import annotations

import re

import pandas as pd

from claims.kommun import text_name
from claims.report import MINUS, count, digits, half_up, items, pct_text, registry, signed
from lagesbild_lib.analysis.stats import poisson_change_test, two_proportion_test

SENTENCES: list = []
TABLES: list = []
WHOLE: list = []

sentence, table = registry(SENTENCES, TABLES)

BRANCHES = {"gärningsperson": "Gärningsperson", "offer-mål": "Offer/mål", "plats-situation": "Plats/situation"}
SIDES = {"gärningspersonssidan": "gärningsperson", "offer- och målsidan": "offer-mål", "plats- och situationssidan": "plats-situation"}
DECIMALS = {"procent": 1, "kr": 0, "dagar": 1, "antal": 0}


# ----------------------------------------------------------------------------- what the data say
def totals(ind: pd.DataFrame) -> pd.DataFrame:
    """The whole population's indicator rows (``sex`` empty or ``alla``, ``group`` empty)."""
    keep = pd.Series(True, index=ind.index)
    if "sex" in ind:
        keep &= ind["sex"].isna() | (ind["sex"] == "alla")
    if "group" in ind:
        keep &= ind["group"].isna() | (ind["group"].astype(str).str.strip() == "")
    return ind[keep]


def roles(t) -> dict[str, str]:
    from lagesbild_lib.analysis.risk import DEFAULTS_FILE, KOLADA_FILE

    found = {}
    if KOLADA_FILE.is_file():
        kolada = pd.read_csv(KOLADA_FILE, dtype=str)
        found = {k: d for k, d in zip(kolada["id"], kolada.get("direction", [])) if d in ("risk", "skydd")}
    found.update(dict(pd.read_csv(DEFAULTS_FILE, dtype=str)[["indicator", "factor"]].itertuples(index=False)))
    found.update(t.params.risk_factors)
    return found


def value_text(value: float, unit: str) -> str:
    shown = half_up(value, DECIMALS[unit])
    text = f"{abs(shown):,}".replace(",", "\u202f").replace(".", ",")
    text = (MINUS if shown < 0 else "") + text
    return {"procent": f"{text} %", "kr": f"{text} kr", "dagar": f"{text} dagar", "antal": text}[unit]


def diff_text(value: float, unit: str) -> str:
    shown = half_up(value, DECIMALS[unit])
    text = f"{abs(shown):,}".replace(",", "\u202f").replace(".", ",")
    sign = "+" if shown > 0 else MINUS if shown < 0 else ""
    suffix = {"procent": " procentenheter", "kr": " kr", "dagar": " dagar", "antal": ""}[unit]
    return f"{sign}{text}{suffix}"


def plan_rows(t, year: int) -> pd.DataFrame:
    plan = t.data.table("atgarder")
    return plan[(plan["plan_year"] == year) & plan["area_id"].isin(t.registry.descendants(t.area_id))].reset_index(drop=True)


def causes(t, year: int) -> pd.DataFrame:
    found = t.data.table("orsaker")
    return found[(found["year"] == year) & found["area_id"].isin(t.registry.descendants(t.area_id))]


def crime_count(t, area: str, category: str, year: int) -> int | None:
    crimes = t.crimes
    if not (crimes["reported_date"].dt.year == year).any():
        return None
    part = crimes[crimes["area_id"].isin(t.registry.descendants(area)) & (crimes["category"] == category)]
    return len(t.in_period(part, "reported_date", year))


def reading(t, row, year: int):
    """(value, respondents or None, unit) of a measure's indicator in ``year``, or None."""
    kind, indicator, area = row["indicator_kind"], row["indicator"], row["area_id"]
    if kind == "brott":
        n = crime_count(t, area, indicator, year)
        return None if n is None else (n, None, "antal")
    if kind == "enkät":
        found = t.share(area, year, row["survey"] if isinstance(row["survey"], str) else None, indicator)
        return None if found is None else (found[0], found[1], "andel", found[2], found[3])
    ind = totals(t.data.table("indicators"))
    rows = ind[(ind["area_id"] == area) & (ind["indicator"] == indicator) & (ind["year"] == year)]
    return None if rows.empty else (float(rows["value"].iloc[0]), None, str(rows["unit"].iloc[0]))


def shown_reading(r) -> str:
    if r[2] == "antal":
        return digits(int(r[0]))
    if r[2] == "andel":
        return f"{half_up(r[0], 0, 100)} % ({half_up(r[3], 0, 100)}–{half_up(r[4], 0, 100)} %)"
    return value_text(r[0], r[2])


def target_text(target: float, unit: str) -> str:
    if unit == "antal":
        return digits(int(target))
    if unit == "andel":
        return f"{half_up(target, 0, 100)} %"
    return value_text(target, unit)


def later_year(t, row) -> int | None:
    """The "now" year of a survey or indicator measure: the latest year up to the report's after the baseline."""
    base = int(row["baseline_year"])
    if row["indicator_kind"] == "enkät":
        s = t.survey
        part = s[(s["question"] == row["indicator"]) & s["area_id"].isin(t.registry.descendants(row["area_id"]))]
        if isinstance(row["survey"], str):
            part = part[part["survey"] == row["survey"]]
    else:
        ind = totals(t.data.table("indicators"))
        part = ind[(ind["area_id"] == row["area_id"]) & (ind["indicator"] == row["indicator"])]
    years = sorted(int(y) for y in part["year"].unique() if base < y <= t.year)
    return years[-1] if years else None


# ----------------------------------------------------------------------------- risk factors
def _panel(t):
    ind = totals(t.data.table("indicators"))
    known = roles(t)
    mine = ind[(ind["area_id"] == t.area_id) & ind["indicator"].isin(known) & (ind["year"] <= t.year)]
    year = int(mine["year"].max())
    ref = next((a for a in t.registry.ancestors(t.area_id) if ((ind["area_id"] == a) & (ind["year"] == year)).any()), None)
    return ind, known, mine, year, ref


def _meaning(role: str, a: float, b: float, unit: str) -> tuple[str, str]:
    x, y = half_up(a, DECIMALS[unit]), half_up(b, DECIMALS[unit])
    word = "högre" if x > y else "lägre" if x < y else "lika"
    if word == "lika":
        return word, "samma nivå"
    return word, {("risk", "högre"): "större risk", ("risk", "lägre"): "mindre risk", ("skydd", "högre"): "starkare skydd", ("skydd", "lägre"): "svagare skydd"}[(role, word)]


def _reference_value(ind: pd.DataFrame, ref: str, indicator: str, year: int) -> float | None:
    values = ind[(ind["area_id"] == ref) & (ind["indicator"] == indicator) & (ind["year"] == year)]["value"]
    return float(values.iloc[0]) if len(values) else None


@table(r"^(?:Tabell|Diagram) \d+\. Risk- och skyddsfaktorer i (?P<area>.+?) (?P<y>\d{4})(?: jämfört med (?P<ref>.+))?$")
def risk_table(led, t, tab):
    ind, known, mine, year, ref = _panel(t)
    m = risk_table.pattern.match(tab.caption)
    led.equal("span", tab, tab.caption, "indicator year, reference", (int(m["y"]), m["ref"]), (year, text_name(t, ref) if ref else None))
    latest = mine[mine["year"] == year]
    led.equal("count", tab, tab.caption, "factors", len(tab.rows), len(latest))
    by_label = {(r.label if isinstance(r.label, str) else r.indicator): r for r in latest.itertuples(index=False)}
    for row in tab.rows:
        r = by_label[row["Faktor"]]
        role = known[r.indicator]
        led.equal("risk factor", tab, row["Faktor"], "type, value", (row["Typ"], row[t.name]),
                  ({"risk": "Riskfaktor", "skydd": "Skyddsfaktor"}[role], value_text(r.value, r.unit)))
        if ref:
            other = _reference_value(ind, ref, r.indicator, year)
            word, meaning = ("–", "–") if other is None else _meaning(role, r.value, other, r.unit)
            name = t.registry.name(ref)  # the column heading ("Riket"); text_name in running text ("riket")
            led.equal("difference", tab, row["Faktor"], "reference, wording, meaning",
                      (row[name if name != t.name else f"{name} (jämförelse)"], row[f"Jämfört med {text_name(t, ref)}"], row["Innebär"]),
                      ("–" if other is None else value_text(other, r.unit), word, meaning))
        earlier = mine[(mine["indicator"] == r.indicator) & (mine["year"] >= year - 4) & (mine["year"] < year)].sort_values("year")
        if len(earlier):
            first = earlier.iloc[0]
            led.equal("change", tab, row["Faktor"], "change", row["Förändring"],
                      f"{diff_text(r.value - float(first['value']), r.unit)} sedan {int(first['year'])}")


@sentence(r"^Jämfört med (?P<ref>.+?) har (?P<area>.+?) (?P<rest>(?:större risk|mindre risk|svagare skydd|starkare skydd) när det gäller .+?)\.(?= Uppgifterna avser|$)")
def risk_sentence(led, t, piece, m):
    ind, known, mine, year, ref = _panel(t)
    latest = mine[mine["year"] == year]
    said = {}
    for part in m["rest"].split("; "):
        what, _, labels = part.partition(" när det gäller ")
        said[what] = sorted(items(labels))
    due: dict[str, list[str]] = {}
    for r in latest.itertuples(index=False):
        other = _reference_value(ind, ref, r.indicator, year)
        if other is None:  # the reference has no value of this factor: the table shows "–"
            continue
        meaning = _meaning(known[r.indicator], r.value, other, r.unit)[1]
        if meaning != "samma nivå":
            label = r.label if isinstance(r.label, str) else r.indicator
            due.setdefault(meaning, []).append(label[0].lower() + label[1:] if label[1:2].islower() else label)
    led.equal("risk factor", piece, m.group(0), "readings", said, {k: sorted(v) for k, v in due.items()})
    led.equal("difference", piece, m.group(0), "reference", m["ref"], text_name(t, ref))


# ----------------------------------------------------------------------------- orsaksanalys
@table(r"^(?:Tabell|Diagram) \d+\. Orsaksanalys (?P<y>\d{4}), problem (?P<pid>\S+): (?P<problem>.+)$")
def cause_table(led, t, tab):
    m = cause_table.pattern.match(tab.caption)
    rows = causes(t, int(m["y"]))
    rows = rows[rows["problem_id"] == m["pid"]]
    led.equal("span", tab, tab.caption, "year", int(m["y"]), t.year)
    led.equal("cause", tab, tab.caption, "problem", m["problem"], str(rows["problem"].iloc[0]) if len(rows) else None)
    led.equal("cause", tab, tab.caption, "causes", sorted((r["Gren"], r["Orsak"]) for r in tab.rows),
              sorted((BRANCHES[b], c) for b, c in zip(rows["branch"], rows["cause"])))


@sentence(r"^Fiskbensdiagram över orsakerna till problemet (?P<pid>[^,:]+), (?P<problem>.+?): (?P<parts>på .+)\.$")
def fishbone_alt(led, t, piece, m):
    rows = causes(t, t.year)
    rows = rows[rows["problem_id"] == m["pid"]]
    led.equal("cause", piece, m.group(0), "problem", m["problem"], str(rows["problem"].iloc[0]) if len(rows) else None)
    for part in re.split(r", på | och på ", m["parts"].removeprefix("på ")):
        side, _, rest = part.partition(" ")
        for name in SIDES:
            if part.startswith(name):
                side, rest = name, part[len(name) + 1:]
        n = 0 if rest.startswith("ingen") else count(rest.split(" ")[0])
        led.equal("cause", piece, m.group(0), f"causes on {side}", n, int((rows["branch"] == SIDES[side]).sum()))


# ----------------------------------------------------------------------------- plan and follow-up
@table(r"^(?:Tabell|Diagram) \d+\. Åtgärdsplan för (?P<area>.+?) (?P<y>\d{4})$")
def plan_table(led, t, tab):
    plan = plan_rows(t, t.year).set_index("measure_id")
    led.equal("count", tab, tab.caption, "measures", len(tab.rows), len(plan))
    for shown in tab.rows:
        mid, _, text = shown["Åtgärd"].partition(" ")
        row = plan.loc[mid].copy()
        row["measure_id"] = mid
        led.equal("plan", tab, shown["Åtgärd"], "measure", text, row["measure"])
        if not isinstance(row["indicator"], str):
            led.equal("plan", tab, shown["Åtgärd"], "no indicator", (shown["Utgångsläge"], shown["Mål"]), ("–", "–"))
            continue
        base = reading(t, row, int(row["baseline_year"]))
        led.equal("plan", tab, shown["Åtgärd"], "baseline", shown["Utgångsläge"],
                  "–" if base is None else f"{shown_reading(base)} ({int(row['baseline_year'])})")
        if base is not None:
            led.equal("plan", tab, shown["Åtgärd"], "target", shown["Mål"], target_text(row["target"], base[2]))


def _met(then, now, target, unit) -> bool:
    scale = {"antal": (0, 1), "andel": (0, 100)}.get(unit, (DECIMALS.get(unit, 1), 1))
    a, b, goal = (half_up(x, *scale) for x in (then[0], now[0], target))
    return b <= goal if goal < a else b >= goal if goal > a else b <= goal


def _followed(t):
    """measure id -> (then, now, test, met) of the previous year's plan."""
    out = {}
    for _, row in plan_rows(t, t.year - 1).iterrows():
        if not isinstance(row["indicator"], str):
            out[row["measure_id"]] = None
            continue
        base = int(row["baseline_year"])
        now_year = t.year if row["indicator_kind"] == "brott" else later_year(t, row)
        then = reading(t, row, base)
        now = None if now_year is None else reading(t, row, now_year)
        test = None
        if then is not None and now is not None and row["indicator_kind"] == "brott":
            test = poisson_change_test(int(then[0]), int(now[0]))
        elif then is not None and now is not None and row["indicator_kind"] == "enkät":
            test = two_proportion_test(now[0], now[1], then[0], then[1])
        met = None if then is None or now is None else _met(then, now, row["target"], now[2])
        out[row["measure_id"]] = (row, base, then, now_year, now, test, met)
    return out


@table(r"^(?:Tabell|Diagram) \d+\. Uppföljning av åtgärdsplanen för (?P<area>.+?) (?P<y>\d{4}): indikatorerna då och nu$")
def follow_table(led, t, tab):
    m = follow_table.pattern.match(tab.caption)
    led.equal("span", tab, tab.caption, "plan year", int(m["y"]), t.year - 1)
    found = _followed(t)
    led.equal("count", tab, tab.caption, "measures", len(tab.rows), len(found))
    for shown in tab.rows:
        mid = shown["Åtgärd"].split(" ")[0]
        f = found[mid]
        if f is None:
            led.equal("follow-up", tab, shown["Åtgärd"], "no indicator", (shown["Då"], shown["Nu"], shown["Målet nått"]), ("–", "–", "–"))
            continue
        row, base, then, now_year, now, test, met = f
        led.equal("follow-up", tab, shown["Åtgärd"], "then, now",
                  (shown["Då"], shown["Nu"]),
                  ("–" if then is None else f"{shown_reading(then)} ({base})", "–" if now is None else f"{shown_reading(now)} ({now_year})"))
        if then is None or now is None:
            continue
        led.equal("follow-up", tab, shown["Åtgärd"], "target met", shown["Målet nått"], "ja" if met else "nej")
        if row["indicator_kind"] == "brott":
            change = signed(test.diff) + (f" ({pct_text(test.pct)})" if test.pct is not None else "")
            verdict = _verdict(test.diff, test.significant)
        elif row["indicator_kind"] == "enkät":
            points = int(half_up(test.diff, 0, 100))
            change = f"{signed(points)} procentenhet{'' if abs(points) == 1 else 'er'}"
            verdict = _verdict(points, test.significant)
        else:
            change, verdict = diff_text(now[0] - then[0], now[2]), "ej prövad (registeruppgift)"
        led.equal("change", tab, shown["Åtgärd"], "change, verdict", (shown["Förändring"], shown["Bedömning"]), (change, verdict))


def _verdict(diff, significant: bool) -> str:
    if diff == 0:
        return "oförändrad"
    return f"{'ökning' if diff > 0 else 'minskning'}, {'statistiskt säkerställd' if significant else 'inte statistiskt säkerställd'}"


@sentence(r"(?P<n>@COUNT@) av (?P<total>@COUNT@) åtgärder? med en indikator i åtgärdsplanen för (?P<y>@YEAR@) nådde sitt mål\.")
def targets_met(led, t, piece, m):
    found = [f for f in _followed(t).values() if f is not None]
    led.equal("follow-up", piece, m.group(0), "met, followed, year", (count(m["n"]), count(m["total"]), int(m["y"])),
              (sum(1 for f in found if f[6]), len(found), t.year - 1))


@sentence(r"Indikatorn förändrades statistiskt säkerställt för (?P<list>.+?)\.(?= |$)")
def moved(led, t, piece, m):
    said = sorted(items(m["list"]))
    due = []
    for mid, f in _followed(t).items():
        if f is not None and f[5] is not None and f[5].significant:
            diff = f[5].diff if f[0]["indicator_kind"] == "brott" else int(half_up(f[5].diff, 0, 100))
            due.append(f"{mid} ({'ökning' if diff > 0 else 'minskning'})")
    led.equal("significance", piece, m.group(0), "measures moved", said, sorted(due))


@sentence(r"För (?P<list>[A-Z0-9][^.]*?) är förändringen inte statistiskt säkerställd\.")
def not_moved(led, t, piece, m):
    due = sorted(mid for mid, f in _followed(t).items() if f is not None and f[5] is not None and not f[5].significant)
    led.equal("significance", piece, m.group(0), "measures not moved", sorted(items(m["list"])), due)


@sentence(r"Förändringen i indikatorn för (?P<items>.+?) bygger på få fall; en stor procentuell förändring kan bero på slumpen\.")
def few(led, t, piece, m):
    said = {i["id"]: (count(i["a"]), count(i["b"])) for i in re.finditer(r"(?P<id>\S+) \(från (?P<a>[\d\u202f]+) till (?P<b>[\d\u202f]+) fall\)", m["items"])}
    due = {mid: (f[5].before, f[5].after) for mid, f in _followed(t).items()
           if f is not None and f[0]["indicator_kind"] == "brott" and f[5] is not None and f[5].few_cases and f[5].diff != 0}
    led.equal("few cases", piece, m.group(0), "measures on few cases", said, due)


@table(r"^(?:Tabell|Diagram) \d+\. Luckor i åtgärdsplanen för (?P<area>.+?) (?P<y>\d{4})$")
def gaps_table(led, t, tab):
    plan = plan_rows(t, t.year)
    known_causes = set(causes(t, t.year)["cause_id"])
    due = sorted(
        [mid for mid, ind in zip(plan["measure_id"], plan["indicator"]) if not isinstance(ind, str)]
        + [mid for mid, c in zip(plan["measure_id"], plan["cause_id"]) if isinstance(c, str) and c not in known_causes]
    )
    coop = set(plan["cooperation_area"].dropna())
    due += ["–"] * sum(1 for k, e in t.params.priority_areas.items() if e.status == "sarskilda_atgarder" and k not in coop)
    led.equal("gap", tab, tab.caption, "gaps", sorted(r["Åtgärd"] for r in tab.rows), sorted(due))

