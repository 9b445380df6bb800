"""Claims in chapter 3's tables and in the tables under its charts and maps."""

from __future__ import annotations

import re

from claims.area import shows
from claims.report import count, digits, half_up
from claims.safety import chapter_survey, ci_text, direction_of, gap, place_shares, pp, reference, table


def city_words(t, test) -> str:
    word = direction_of(test)
    return f"{word} än {reference(t)} (statistiskt säkerställt)" if word else f"ingen statistiskt säkerställd skillnad mot {reference(t)}"


def rows_by_area(t, tab, column: str = "Område", has=None):
    """(row, area id) for each row. A name the area shares with one of its sub-areas (Skärholmen) is
    the sub-area's first and the area's the second time; an area without ``has(id)`` data is passed over."""
    seen: set[str] = set()
    for row in tab.rows:
        name = row[column]
        candidates = [a for a in [*t.children, t.area_id, *([t.city] if t.city else [])] if t.registry.name(a) == name and a not in seen]
        aid = next((a for a in candidates if has is None or has(a)), candidates[0] if candidates else None)
        if aid:
            seen.add(aid)
        yield row, aid


@table(r"(?P<caption>Andel som känner sig otrygga ute ensamma sent på kvällen), per delområde (?P<y>@YEAR@) \((?P<s>.+?)\)$")
def share_table(led, t, tab):
    s = re.search(r"\(([^()]+)\)$", tab.caption).group(1)
    led.equal("span", tab, tab.caption, "survey", s, chapter_survey(t))
    compared = [h for h in tab.header if h.startswith("Jämfört med")]
    for row, aid in rows_by_area(t, tab, has=lambda a: t.share(a, t.year, s) is not None):
        found = t.share(aid, t.year, s)
        led.equal("share", tab, row["Område"], "share, respondents", (row["Andel otrygga (95 % KI)"], count(row["Svarande"])),
                  (ci_text(found), found[1]))
        if compared:
            reference_id = t.city or t.area_id
            said = row[compared[0]]
            true = "jämförelsenivå" if aid == reference_id else city_words(t, t.against_reference(aid, t.year, s))
            led.equal("difference", tab, row["Område"], "against the reference", said, true)
    if compared:
        led.equal("difference", tab, tab.caption, "column", compared[0], f"Jämfört med {reference(t)}")


@table(r"Andel som känner sig otrygga ute ensamma sent på kvällen, per delområde och år (?P<y0>@YEAR@)(?:–(?P<y1>@YEAR@))? \((?P<s>.+?)\)$")
def by_year_table(led, t, tab):
    s = re.search(r"\(([^()]+)\)$", tab.caption).group(1)
    years = [h for h in tab.header if re.fullmatch(r"\d{4}", h)]
    led.equal("span", tab, tab.caption, "survey years", [int(y) for y in years], t.survey_years(s))
    for row, aid in rows_by_area(t, tab, has=lambda a: any(t.share(a, int(y), s) for y in years)):
        for y in years:
            found = t.share(aid, int(y), s)
            star = " *" if found and found[1] < 30 else ""
            led.equal("share", tab, f"{row['Område']} {y}", "share", row[y], ci_text(found) + star if found else "–")


@table(r"Andel som känner sig otrygga ute ensamma sent på kvällen per delområde och år|Otrygghet kvällstid: andel")
def share_data(led, t, tab):
    if "KI nedre" not in tab.header:
        return False
    s = re.search(r"\(([^()]+)\)(?:, schematisk karta)?$", tab.caption).group(1) if "(" in tab.caption else chapter_survey(t)
    neighbours = t.registry.children(t.registry.get(t.area_id).parent_id or t.area_id)
    for row in tab.rows:
        year = int(row.get("År", t.year))
        named = [a for a in [*t.children, t.area_id, *([t.city] if t.city else []), *neighbours] if t.registry.name(a) == row["Område"]]
        found = next((f for f in (t.share(a, year, s) for a in named) if f is not None), None)
        if found is None:
            led.equal("share", tab, row["Område"], "no share", row["Andel"], "–")
            continue
        numbers = tuple(row[c].removesuffix(" %") for c in ("Andel", "KI nedre", "KI övre"))
        ok = found is not None and all(shows(n, v, 100) for n, v in zip(numbers, (found[0], found[2], found[3])))
        led.claim("share", tab, row["Område"], ok and count(row["Svarande"]) == found[1], " | ".join(row.values()), str(found))


@table(r"Andel som känner sig otrygga ute ensamma sent på kvällen, (?P<y>@YEAR@) jämfört med föregående mätning (?P<y0>@YEAR@) \((?P<s>.+?)\)$")
def change_table(led, t, tab):
    m = re.search(r"(\d{4}) jämfört med föregående mätning (\d{4}) \(([^()]+)\)$", tab.caption)
    y, y0, s = int(m[1]), int(m[2]), m[3]
    led.equal("span", tab, tab.caption, "previous measurement", y0, max(v for v in t.survey_years(s) if v < y))
    for row, aid in rows_by_area(t, tab, has=lambda a: t.change(a, y0, y, s) is not None):
        test = t.change(aid, y0, y, s)
        shown = pp(test.diff)
        true = "oförändrad" if shown == "0" else f"{'ökning' if test.diff > 0 else 'minskning'}, " + (
            "statistiskt säkerställd" if test.significant else "inte statistiskt säkerställd")
        led.equal("change", tab, row["Område"], "before, now, change, verdict",
                  (row[str(y0)], row[str(y)], row["Förändring, procentenheter"], row["Bedömning"]),
                  (ci_text(t.share(aid, y0, s)), ci_text(t.share(aid, y, s)), shown, true))


@table(r"i (?P<area>.+?) enligt olika undersökningar, senaste mätning till och med (?P<y>@YEAR@)")
def surveys_table(led, t, tab):
    for row in tab.rows:
        s, y = row["Undersökning"], int(row["År"])
        years = t.survey_years(s)
        found = t.share(t.area_id, y, s)
        led.equal("span", tab, s, "latest year", y, max(years))
        led.equal("share", tab, s, "share, respondents", (row["Andel otrygga (95 % KI)"], count(row["Svarande"])), (ci_text(found), found[1]))
        earlier = [v for v in years if v < y]
        if earlier:
            prev = t.share(t.area_id, earlier[-1], s)
            test = t.change(t.area_id, earlier[-1], y, s)
            shown = pp(test.diff)
            true = "oförändrad" if shown == "0" else f"{'ökning' if test.diff > 0 else 'minskning'}, " + (
                "statistiskt säkerställd" if test.significant else "inte statistiskt säkerställd")
            led.equal("change", tab, s, "previous, change", (row["Föregående mätning"], row["Förändring"]),
                      (f"{half_up(prev[0], 0, 100)} % ({earlier[-1]})", true))
        if t.city:
            led.equal("difference", tab, s, "against the city", row["Jämfört med staden"], city_words(t, t.against_reference(t.area_id, y, s)))


@table(r"Platser där de svarande känner oro, (?P<area>.+?) (?P<y>@YEAR@)")
def places_table(led, t, tab):
    from lagesbild_lib.analysis.survey import compare_with_city

    mine, city = place_shares(t, t.area_id), place_shares(t, t.city) if t.city else {}
    if "Andel området" in tab.header:  # the numbers under the chart
        for row in tab.rows:
            a = mine[row["Plats"]]
            ok = all(shows(row[c].removesuffix(" %"), 100 * v) for c, v in (("Andel området", a[0]), ("KI nedre", a[2]), ("KI övre", a[3])))
            led.claim("share", tab, row["Plats"], ok and count(row["Svarande"]) == a[1], " | ".join(row.values()), str(a))
        return
    shown = [r["Plats"] for r in tab.rows]
    led.equal("ranking", tab, tab.caption, "places, most named first", shown, sorted(mine, key=lambda a: (-mine[a][0], a)))
    for row in tab.rows:
        a = mine[row["Plats"]]
        led.equal("share", tab, row["Plats"], "share", row[f"{t.name} (95 % KI)"].removesuffix(" *"), ci_text(a))
        if city:
            c = city[row["Plats"]]
            test = compare_with_city(a[0], a[1], c[0], c[1])
            led.equal("difference", tab, row["Plats"], "city share, difference, wording",
                      (row["Staden (95 % KI)"], row["Skillnad, procentenheter"], row["Jämfört med staden"]),
                      (ci_text(c), pp(a[0] - c[0]), city_words(t, test)))


@table(r"Andel som känner sig otrygga ute ensamma sent på kvällen, kvinnor och män (?P<y>@YEAR@)|Skillnad mellan kvinnor och män i andel")
def gender_table(led, t, tab):
    for row, aid in rows_by_area(t, tab, has=lambda a: gap(t, a) is not None):
        g = gap(t, aid)
        if "Kvinnor (95 % KI)" in row:
            head, _, rest = row["Kvinnor − män, procentenheter (95 % KI)"].partition(" (")
            lo, _, hi = rest.rstrip(")").replace(" till ", "–").rpartition("–") if " till " not in rest else rest.rstrip(")").partition(" till ")
            verdict = "statistiskt säkerställd" if g.significant else "inte statistiskt säkerställd"
            led.equal("difference", tab, row["Område"], "women, men, gap, verdict", (row["Kvinnor (95 % KI)"], row["Män (95 % KI)"], head, row["Bedömning"]),
                      (ci_text(g.women), ci_text(g.men), pp(g.diff), verdict))
            led.claim("difference", tab, row["Område"], shows(lo, 100 * g.lo) and shows(hi, 100 * g.hi), rest, f"{100 * g.lo:.2f}, {100 * g.hi:.2f}")
        else:
            cells = [row[c] for c in tab.header[1:4]]
            ok = all(shows(c, v, 100) for c, v in zip(cells, (g.diff, g.lo, g.hi)))
            led.claim("difference", tab, row["Område"], ok, " | ".join(cells), f"{100 * g.diff:.2f}, {100 * g.lo:.2f}, {100 * g.hi:.2f}")


def overview_survey(t) -> tuple[str, int] | None:
    """The survey and year of the overview map's shares: the latest year up to the report's with
    shares per sub-area, and the survey that covers most sub-areas that year."""
    from lagesbild_lib.analysis.survey import pick_survey

    rows = t.children or [t.area_id]
    s = t.survey
    part = s[(s["question"] == "otrygg_kvallstid") & s["area_id"].isin(rows)]
    for year in sorted((int(y) for y in part["year"].unique() if y <= t.year), reverse=True):
        name = pick_survey(part[part["year"] == year], rows, "otrygg_kvallstid")
        if name is not None:
            return name, year
    return None


@table(r"Översikt över (?P<area>.+?): delområden")
def overview_data(led, t, tab):
    if "Delområde" not in tab.header:
        return False
    places = t.mine(t.data.table("places"))
    found = overview_survey(t)
    for row in tab.rows:
        aid = next(a for a in t.children or [t.area_id] if t.registry.name(a) == row["Delområde"])
        if "Platser" in row:
            led.equal("count", tab, row["Delområde"], "places", count(row["Platser"]), int(places["area_id"].map(t.owner).eq(aid).sum()))
        if "Andel (95 % KI)" in row and found:
            share = t.share(aid, found[1], found[0])
            led.equal("share", tab, row["Delområde"], "share, respondents", (row["Andel (95 % KI)"], row["Svarande"]),
                      (ci_text(share), digits(share[1])) if share else ("–", "–"))
