"""Claims in the alt texts of chapter 3's charts and maps, and of the summary's overview map."""

from __future__ import annotations

from claims.report import count, half_up, items, rx
from claims.safety import chapter_survey, direction_of, gap, place_shares, pp, sentence, sub_shares
from claims.area import shows
from claims.truth import two_proportion_test


def whole(share: float) -> int:
    return int(half_up(share, 0, 100))


@sentence(r"I (?P<area>[A-ZÅÄÖ][^.]+?) (?:var andelen (?P<a>\d+) % år (?P<y0>@YEAR@) och (?P<b>\d+) % år (?P<y1>@YEAR@), ingen statistiskt "
          r"säkerställd förändring|(?P<verb>ökade|minskade) andelen från (?P<a2>\d+) % år (?P<y2>@YEAR@) till (?P<b2>\d+) % år (?P<y3>@YEAR@), "
          r"en statistiskt säkerställd förändring)\.")
def years_alt(led, t, piece, m):
    s = chapter_survey(t)
    y0, y1 = int(m["y0"] or m["y2"]), int(m["y1"] or m["y3"])
    a, b = t.share(t.area_id, y0, s), t.share(t.area_id, y1, s)
    test = two_proportion_test(b[0], b[1], a[0], a[1])
    led.equal("span", piece, m.group(0), "first and last survey year", (y0, y1), (t.survey_years(s)[0], t.year))
    led.equal("share", piece, m.group(0), "shares", (int(m["a"] or m["a2"]), int(m["b"] or m["b2"])), (whole(a[0]), whole(b[0])))
    shown = whole(b[0]) - whole(a[0])
    verb = "ökade" if test.significant and shown > 0 else "minskade" if test.significant and shown < 0 else None
    led.equal("change", piece, m.group(0), "direction (significant and visible)", m["verb"], verb)


@sentence(r"Staden: (?P<c>\d+) % år (?P<y>@YEAR@)\.")
def city_alt(led, t, piece, m):
    led.equal("share", piece, m.group(0), "the city's share", (int(m["c"]), int(m["y"])), (whole(t.share(t.city, t.year, chapter_survey(t))[0]), t.year))


@sentence(r"År (?P<y>@YEAR@) var andelen, bland delområden med minst 30 svarande, högst i (?P<top>.+?) \((?P<ts>\d+) %\) och lägst i "
          r"(?P<low>.+?) \((?P<ls>\d+) %\)\.")
def years_alt_extremes(led, t, piece, m):
    shares = {k: v for k, v in sub_shares(t).items() if v[1] >= 30}
    top, low = max(shares, key=lambda k: shares[k][0]), min(shares, key=lambda k: shares[k][0])
    led.equal("ranking", piece, m.group(0), "highest, lowest", (m["top"], int(m["ts"]), m["low"], int(m["ls"])),
              (top, whole(shares[top][0]), low, whole(shares[low][0])))


@sentence(r"Karta över andel som [^.]+? per (?P<level>[a-zåäö]+) (?P<y>@YEAR@)[^.]*\.(?: Högsta klassen \((?P<h0>\d+)–(?P<h1>\d+) %\): "
          r"(?P<top>[^.]+)\. Lägsta klassen \((?P<l0>\d+)–(?P<l1>\d+) %\): (?P<low>[^.]+)\.)?(?: (?P<own>[A-ZÅÄÖ][^:.]+): (?P<os>\d+) %\.)?")
def map_alt(led, t, piece, m):
    s = chapter_survey(t)
    units = sub_shares(t)
    if len(units) < 2:  # the area among its neighbours under the same parent
        parent = t.registry.get(t.area_id).parent_id
        units = {t.registry.name(a): t.share(a, t.year, s) for a in t.registry.children(parent)}
        units = {k: v for k, v in units.items() if v is not None}
    for cls, lo, hi, named in (("highest", m["h0"], m["h1"], m["top"]), ("lowest", m["l0"], m["l1"], m["low"])):
        if lo is None:
            continue
        top = cls == "highest"
        inside = sorted(k for k, v in units.items() if int(lo) <= 100 * v[0] < int(hi) or (top and 100 * v[0] >= int(hi)))
        led.equal("share", piece, m.group(0), f"areas in the {cls} class {lo}–{hi} %", sorted(items(named)), inside)
    if m["own"]:
        led.equal("share", piece, m.group(0), m["own"], int(m["os"]), whole(t.share(t.area_id, t.year, s)[0]))


@sentence(r"Stapeldiagram över oroplatser\. Flest i (?P<area>.+?) nämner (?P<a>.+?) \((?P<s>\d+) %\)(?:, i staden (?P<c>\d+) %)?\.")
def places_alt(led, t, piece, m):
    shares = place_shares(t, t.area_id)
    top = max(shares, key=lambda a: (shares[a][0], a))
    led.equal("ranking", piece, m.group(0), "most named place", (m["a"], int(m["s"])), (top.lower(), whole(shares[top][0])))
    if m["c"]:
        led.equal("share", piece, m.group(0), "the city's share", int(m["c"]), whole(place_shares(t, t.city)[top][0]))


def places_against_city(t, word: str) -> list[str]:
    mine, city = place_shares(t, t.area_id), place_shares(t, t.city)
    from lagesbild_lib.analysis.survey import compare_with_city

    out = []
    for answer, a in mine.items():
        test = compare_with_city(a[0], a[1], city[answer][0], city[answer][1])
        if direction_of(test) == word:
            out.append(answer.lower())
    return sorted(out)


@sentence(r"Statistiskt säkerställt (?P<w>oftare|mer sällan) än i staden: (?P<list>.+?)\.|Ingen plats nämns statistiskt säkerställt oftare "
          r"eller mer sällan än i staden\.")
def places_alt_city(led, t, piece, m):
    if m["w"]:
        word = "högre" if m["w"] == "oftare" else "lägre"
        led.equal("difference", piece, m.group(0), f"places named {m['w']}", sorted(items(m["list"])), places_against_city(t, word))
    else:
        led.equal("difference", piece, m.group(0), "places named more or less often", [], places_against_city(t, "högre") + places_against_city(t, "lägre"))


@sentence(r"Andelen är statistiskt säkerställt (?P<parts>(?:högre|lägre) bland kvinnor .+?)(?:; i övriga (?P<rest>@COUNT@) är skillnaden inte "
          r"statistiskt säkerställd)?(?:; i (?P<area>[^;]+?) är skillnaden (?P<pp>@NUM@) procentenhet(?:er)? \((?P<lo>@NUM@)(?:–| till )(?P<hi>@NUM@)\))?\.$|"
          r"I inget av de (?P<n0>@COUNT@) områdena är skillnaden statistiskt säkerställd")
def gaps_alt(led, t, piece, m):
    ids = [*t.children, t.area_id, *([t.city] if t.city else [])]
    gaps = [g for g in (gap(t, a) for a in ids) if g is not None]
    more = sum(1 for g in gaps if g.significant and half_up(g.diff, 0, 100) > 0)
    less = sum(1 for g in gaps if g.significant and half_up(g.diff, 0, 100) < 0)
    said = {"högre": 0, "lägre": 0}
    n = len(gaps)
    for part in rx(r"(?P<w>högre|lägre) bland kvinnor än bland män i (?P<k>@COUNT@) av (?P<n>@COUNT@) områden").finditer(m["parts"] or ""):
        said[part["w"]] = count(part["k"])
        n = count(part["n"])
    if m["n0"]:
        n = count(m["n0"])
    led.equal("difference", piece, m.group(0), "areas where women's share is significantly higher, lower; areas",
              (said["högre"], said["lägre"], n, count(m["rest"]) if m["rest"] else n - said["högre"] - said["lägre"]),
              (more, less, len(gaps), len(gaps) - more - less))
    if m["pp"]:
        g = gap(t, t.area_id)
        led.claim("difference", piece, m.group(0), m["pp"] == pp(g.diff) and shows(m["lo"], 100 * g.lo) and shows(m["hi"], 100 * g.hi),
                  f"{m['pp']} ({m['lo']}, {m['hi']})", f"{pp(g.diff)} ({100 * g.lo:.2f}, {100 * g.hi:.2f})")


@sentence(r"Streckad linje: hela (?P<area>[^;(]+?)(?P<city>; prickad linje: staden)? \(")
def reference_lines(led, t, piece, m):
    """The lines a caption names are drawn: the city's only where there is a city to compare with."""
    led.equal("difference", piece, m.group(0), "reference lines (area, city)", (m["area"], bool(m["city"])), (t.name, t.city is not None))


# ----------------------------------------------------------------------------- the overview map (chapter 0)
@sentence(r"Karta över (?P<area>[^.]+?) med (?P<n>@COUNT@) delområden\.")
def overview_subareas(led, t, piece, m):
    led.equal("count", piece, m.group(0), "sub-areas on the map", count(m["n"]), len(t.children))


@sentence(r"Kartan visar (?P<list>@COUNT@ [^,.]+?(?:(?:, | och )@COUNT@ [^,.]+?)*)\.")
def overview_places(led, t, piece, m):
    places = t.mine(t.data.table("places"))
    places = places[places["lon"].notna() & places["lat"].notna()]
    true = places["type"].value_counts().to_dict()
    said = {}
    for item in items(m["list"]):
        n, _, kind = item.partition(" ")
        said[kind] = count(n)
    plural = {"prioriterade platser": "prioriterad plats", "olovliga bosättningar": "olovlig bosättning", "öppna drogscener": "öppen drogscen"}
    led.equal("count", piece, m.group(0), "places on the map by type", {plural.get(k, k): v for k, v in said.items()}, true)


@sentence(r"Andelen otrygga ute ensamma sent på kvällen \((?P<s>.+?) (?P<y>@YEAR@)\) är högst i (?P<top>.+?) \((?P<ts>\d+) %\) och lägst i "
          r"(?P<low>.+?) \((?P<ls>\d+) %\)\.")
def overview_shares(led, t, piece, m):
    shares = sub_shares(t, int(m["y"]), m["s"])
    top, low = max(shares, key=lambda k: shares[k][0]), min(shares, key=lambda k: shares[k][0])
    led.equal("ranking", piece, m.group(0), "highest, lowest", (m["top"], int(m["ts"]), m["low"], int(m["ls"])),
              (top, whole(shares[top][0]), low, whole(shares[low][0])))
    latest = max(y for y in t.survey_years(m["s"]) if any(t.share(a, y, m["s"]) for a in t.children))
    led.equal("span", piece, m.group(0), "latest year with shares per sub-area", int(m["y"]), latest)
