"""Claims of the chapter Prioriterade samverkansområden: how many places the area follows, the
sentence on crimes in close relationships (this year against last, the exact test), and the chart
of the programme ratings per group (its alt text and the numbers under it: each group by name,
its number of ratings, its mean and its t-based 95 % interval).

The ratings are recomputed here from the rows with scipy's t quantile, independently of
:mod:`lagesbild_lib.analysis.ratings`.
"""

from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd

from claims.area import shows
from claims.report import count, registry, rx
from claims.truth import poisson_change_test

SENTENCES: list = []
TABLES: list = []

sentence, table = registry(SENTENCES, TABLES)
ALL_GROUPS = "Alla grupper"
FEW = 5  # a mean on fewer ratings is flagged (the chart's note says the number)


# ----------------------------------------------------------------------------- places
@sentence(r"(?P<n>@COUNT@) platse?r? i (?P<area>.+?) följs särskilt inom samverkan\.")
def places_followed(led, t, piece, m):
    places = t.data.table("places")
    led.equal("count", piece, m.group(0), "places in the area", (count(m["n"]), m["area"]), (len(t.mine(places)), t.name))


# ----------------------------------------------------------------------------- crimes in close relationships
@sentence(r"Anmälda brott i nära relation i (?P<area>.+?): (?P<after>färre än \d+|@COUNT@) under perioden (?P<span>@PERIOD@ @YEAR@) mot "
          r"(?P<before>färre än \d+|@COUNT@) under samma period (?P<y0>@YEAR@)(?:, (?P<v>lika många|ingen statistiskt säkerställd förändring|"
          r"en statistiskt säkerställd (?:ökning|minskning)))?(?P<few>, och förändringen bygger på få fall)? \(hela serien visas i "
          r"Diagram \d+ i kapitlet om brottsligheten\)\.")
def intimate_sentence(led, t, piece, m):
    text = m.group(0)
    series = t.series(t.flagged("intimate_partner"))
    before, after = series[t.year - 1], series[t.year]
    said = tuple(None if m[k].startswith("färre") else count(m[k]) for k in ("before", "after"))
    led.equal("count", piece, text, "crimes in close relationships, last year and this", (m["area"], m["span"], int(m["y0"]), *said),
              (t.name, t.period(), t.year - 1, before, after))
    if m["v"] is None:
        return
    test = poisson_change_test(before, after)
    true = ("lika många" if test.diff == 0 else f"en statistiskt säkerställd {'ökning' if test.diff > 0 else 'minskning'}"
            if test.significant else "ingen statistiskt säkerställd förändring")
    led.equal("significance", piece, text, "verdict", m["v"], true)
    led.equal("few cases", piece, text, "few cases", bool(m["few"]), test.few_cases and test.diff != 0)


# ----------------------------------------------------------------------------- programme ratings
def group_scores(t, programme: str) -> dict[str, list[float]]:
    """The name each group of ``programme`` is shown by (its group_name, else its id; equal names
    with the id after them) → its ratings of the report year in the area."""
    ratings = t.mine(t.data.table("programme_ratings"))
    part = ratings[(ratings["year"] == t.year) & (ratings["programme"] == programme)]
    names = {}
    for gid, rows in part.groupby("group_id"):
        given = [str(v).strip() for v in rows["group_name"] if pd.notna(v) and str(v).strip()] if "group_name" in rows else []
        names[gid] = given[0] if given else str(gid)
    twice = {n for n in names.values() if list(names.values()).count(n) > 1}
    return {(f"{n} ({g})" if n in twice and n != g else n): [float(v) for v in part.loc[part["group_id"] == g, "score"]]
            for g, n in names.items()}


def exact_mean(scores) -> Decimal:
    return sum(Decimal(str(v)) for v in scores) / len(scores)  # 117/20 is 5,85 and shows as 5,9


def t_interval(scores) -> tuple[float, float] | None:
    from scipy import stats

    n = len(scores)
    if n < 2:
        return None
    mean = sum(scores) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in scores) / (n - 1))
    half = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
    return max(1.0, mean - half), min(10.0, mean + half)


_GROUP = rx(r"(?:^|, | och )(?P<name>.+?) (?:(?P<mean>@NUM@) \((?:(?P<lo>@NUM@)–(?P<hi>@NUM@); )?(?P<n>@NUM@) skattningar(?P<few>, få skattningar)?\)"
            r"|\(färre än (?P<masked>\d+) skattningar, visas inte\))(?=, | och |$)")


@sentence(r"Punktdiagram över deltagarnas skattningar av (?P<p>.+?) per grupp i (?P<area>.+?) (?P<y>@YEAR@), medelvärde på skalan 1–10 med 95 % "
          r"konfidensintervall: (?P<parts>.+?)(?:; alla grupper (?P<all>@NUM@) \((?P<alln>@NUM@) skattningar\))?\.$")
def ratings_alt(led, t, piece, m):
    text, groups = m.group(0), group_scores(t, m["p"])
    led.equal("span", piece, text, "area and year", (m["area"], int(m["y"])), (t.name, t.year))
    said = list(_GROUP.finditer(m["parts"]))
    led.equal("count", piece, text, "groups named", sorted(g["name"] for g in said), sorted(groups))
    for g in said:
        scores = groups.get(g["name"], [])
        if g["masked"]:
            led.claim("count", piece, text, 0 < len(scores) < int(g["masked"]), g.group(0), f"{len(scores)} ratings")
            continue
        _group_claims(led, piece, g.group(0), scores, g["n"], g["mean"], g["lo"], g["hi"], bool(g["few"]))
    if m["all"]:
        every = [s for scores in groups.values() for s in scores]
        led.claim("count", piece, text, count(m["alln"]) == len(every) and shows(m["all"], exact_mean(every)),
                  f"alla grupper {m['all']} ({m['alln']})", f"{exact_mean(every)} ({len(every)})")


def _group_claims(led, where, text: str, scores: list[float], n: str, mean: str, lo: str | None, hi: str | None, few: bool) -> None:
    led.claim("count", where, text, count(n) == len(scores) and shows(mean, exact_mean(scores)), f"{n}, {mean}", f"{len(scores)}, {exact_mean(scores)}")
    interval = t_interval(scores)
    if interval is None:
        led.claim("difference", where, text, lo is None and hi is None, f"{lo}–{hi}", "no interval on one rating")
    else:
        led.claim("difference", where, text, lo is not None and shows(lo, interval[0]) and shows(hi, interval[1]), f"{lo}–{hi}", f"{interval}")
    led.equal("few cases", where, text, "few ratings", few, len(scores) < FEW)


@table(r"Deltagarnas skattningar av (?P<p>.+?) per grupp i (?P<area>.+?) (?P<y>@YEAR@)")
def ratings_data(led, t, tab):
    programme = rx(r"Deltagarnas skattningar av (?P<p>.+?) per grupp i ").search(tab.caption)["p"]
    groups = group_scores(t, programme)
    led.equal("count", tab, tab.caption, "groups", sorted(r["Grupp"] for r in tab.rows if r["Grupp"] != ALL_GROUPS), sorted(groups))
    for row in tab.rows:
        dash = lambda cell: None if cell in ("–", "") else cell  # noqa: E731 — the report's dash for no value
        if row["Grupp"] == ALL_GROUPS:
            every = [s for scores in groups.values() for s in scores]
            led.claim("count", tab, ALL_GROUPS, count(row["Antal skattningar"]) == len(every) and shows(row["Medelvärde"], exact_mean(every))
                      and dash(row["KI nedre"]) is None, f"{row['Antal skattningar']}, {row['Medelvärde']}", f"{len(every)}, {exact_mean(every)}")
            continue
        scores = groups.get(row["Grupp"], [])
        if row["Antal skattningar"].startswith("<"):
            led.claim("count", tab, row["Grupp"], 0 < len(scores) < int(row["Antal skattningar"][1:]) and dash(row["Medelvärde"]) is None,
                      row["Antal skattningar"], f"{len(scores)} ratings")
            continue
        _group_claims(led, tab, row["Grupp"], scores, row["Antal skattningar"], row["Medelvärde"], dash(row["KI nedre"]), dash(row["KI övre"]),
                      row.get("Anmärkning", "") == "få skattningar")
