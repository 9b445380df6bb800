"""Claims about survey shares (chapter 3 and the summary): shares with their Wilson intervals,
changes and differences with their two-proportion tests, who is highest and lowest."""

from __future__ import annotations

from claims.area import shows
from claims.report import count, half_up, items, registry, rx, signed

SENTENCES: list = []
TABLES: list = []
WHOLE: list = []
VERDICT = {"statistiskt säkerställd": True, "inte statistiskt säkerställd": False}

sentence, table = registry(SENTENCES, TABLES)


def ci_text(found) -> str:
    """A share with its interval as the report writes it: "30 % (28–33 %)"."""
    if found is None:
        return "no share in the data"
    share, _, lo, hi = found
    return f"{half_up(share, 0, 100)} % ({half_up(lo, 0, 100)}–{half_up(hi, 0, 100)} %)"


def pp(diff: float) -> str:
    return signed(int(half_up(diff, 0, 100)))


def chapter_survey(t) -> str | None:
    """The survey of chapter 3: the one that covers most of the area's sub-areas in the report year."""
    from lagesbild_lib.analysis.survey import pick_survey

    s = t.survey
    return pick_survey(s[s["year"] == t.year], t.registry.descendants(t.area_id), "otrygg_kvallstid") if s is not None else None


def reference(t) -> str:
    """What the area and its sub-areas are compared with: the city ("staden"), or for a kommun the kommun itself."""
    return "staden" if t.city else f"hela {t.name}"


def reference_test(t, name: str, year: int | None = None, survey: str | None = None, question: str = "otrygg_kvallstid", answer: str = "ja"):
    return t.against_reference(t.id_of(name), year or t.year, survey or chapter_survey(t), question, answer)


def direction_of(test) -> str:
    """"högre"/"lägre" when the test is significant and the difference shows in whole percent, else ""."""
    shown = half_up(test.diff, 0, 100) if test is not None else 0
    return "" if test is None or not test.significant or shown == 0 else "högre" if shown > 0 else "lägre"


# ----------------------------------------------------------------------------- the area's share
@sentence(r"I (?P<s>[A-ZÅÄÖ][^.]+?) (?P<y>@YEAR@) svarade (?P<ci>@CI@) av de (?P<n>@NUM@) svarande i (?P<area>.+?) att de känner sig")
def summary_share(led, t, piece, m):
    found = t.share(t.area_id, int(m["y"]), m["s"])
    led.equal("share", piece, m.group(0), "share, respondents", (m["ci"], count(m["n"])), (ci_text(found), found[1] if found else None))
    latest = max(int(y) for y in t.survey.loc[t.survey["question"] == "otrygg_kvallstid", "year"] if y <= t.year)
    led.equal("span", piece, m.group(0), "latest survey year", int(m["y"]), latest)


@sentence(r"(?P<ci>@CI@) av de svarande i (?P<area>.+?) känner sig otrygga ute ensamma sent på kvällen \((?P<s>.+?) (?P<y>@YEAR@)\)\.")
def findings_share(led, t, piece, m):
    led.equal("share", piece, m.group(0), "share", m["ci"], ci_text(t.share(t.area_id, int(m["y"]), m["s"])))
    led.equal("span", piece, m.group(0), "survey, year", (m["s"], int(m["y"])), (chapter_survey(t), t.year))


@sentence(r"Andelen är (?P<w>högre|lägre) än (?P<ref>.+?) \(statistiskt säkerställt\), där den är (?P<ci>@CI@)\.|"
          r"Skillnaden mot (?P<ref2>.+?), där andelen är (?P<ci2>@CI@), är inte statistiskt säkerställd\.")
def against_city(led, t, piece, m):
    test = t.against_reference(t.area_id, t.year, chapter_survey(t))
    led.equal("difference", piece, m.group(0), "against the reference", m["w"] or "", direction_of(test))
    led.equal("difference", piece, m.group(0), "reference", m["ref"] or m["ref2"], reference(t))
    led.equal("share", piece, m.group(0), "reference's share", m["ci"] or m["ci2"], ci_text(t.share(t.city or t.area_id, t.year, chapter_survey(t))))


@sentence(r"Jämfört med (?P<y0>@YEAR@), då andelen var (?P<ci>@CI@), är förändringen (?P<pp>@NUM@) procentenhet(?:er)?, "
          r"(?P<v>(?:inte )?statistiskt säkerställd)\.")
def since_previous(led, t, piece, m):
    s = chapter_survey(t)
    previous = max(y for y in t.survey_years(s) if y < t.year)
    test = t.change(t.area_id, previous, t.year, s)
    led.equal("span", piece, m.group(0), "previous measurement", int(m["y0"]), previous)
    led.equal("change", piece, m.group(0), "share then, change, verdict", (m["ci"], m["pp"], VERDICT[m["v"]]),
              (ci_text(t.share(t.area_id, previous, s)), pp(test.diff), test.significant))


def sub_shares(t, year: int | None = None, survey: str | None = None) -> dict[str, tuple]:
    out = {}
    for a in t.children:
        found = t.share(a, year or t.year, survey or chapter_survey(t))
        if found is not None:
            out[t.registry.name(a)] = found
    return out


@sentence(r"Högst andel(?P<among> \(bland delområden med minst 30 svarande\))? har (?P<top>.+?) med (?P<c1>\d+ % \(\d+–\d+ %\)), "
          r"lägst (?P<low>.+?) med (?P<c2>\d+ % \(\d+–\d+ %\))\.")
def highest_lowest(led, t, piece, m):
    shares = {k: v for k, v in sub_shares(t).items() if v[1] >= 30}
    top, low = max(shares, key=lambda k: shares[k][0]), min(shares, key=lambda k: shares[k][0])
    led.equal("ranking", piece, m.group(0), "highest, lowest", (m["top"], m["c1"], m["low"], m["c2"]),
              (top, ci_text(shares[top]), low, ci_text(shares[low])))


def significantly(t, word: str) -> list[str]:
    return sorted(name for name in sub_shares(t) if direction_of(reference_test(t, name)) == word)


@sentence(r"Statistiskt säkerställt (?P<w>högre|lägre) än (?P<ref>[^:]+): (?P<names>.+?)\.$")
def named_against_city(led, t, piece, m):
    led.equal("difference", piece, m.group(0), f"sub-areas significantly {m['w']}", sorted(items(m["names"])), significantly(t, m["w"]))
    led.equal("difference", piece, m.group(0), "reference", m["ref"], reference(t))


def against_city_complete(led, t, report):
    """A direction with no sub-area named: then there is none (the findings name every one)."""
    if not any("Viktigaste iakttagelserna" in p.section for p in report.pieces) or len(sub_shares(t)) < 2:
        return
    for word in ("högre", "lägre"):
        said = any(m["w"] == word for p in report.pieces if "Viktigaste iakttagelserna" in p.section
                   for m in named_against_city.pattern.finditer(p.text))
        led.equal("difference", "4.1 findings", f"Statistiskt säkerställt {word} …", f"any sub-area significantly {word}", said,
                  bool(significantly(t, word)))


WHOLE.append(against_city_complete)


@sentence(r"Statistiskt säkerställd förändring sedan (?P<y0>@YEAR@): (?P<list>.+?)\.$|Inget delområdes förändring sedan (?P<y1>@YEAR@) är statistiskt säkerställd\.")
def subarea_changes(led, t, piece, m):
    s, y0 = chapter_survey(t), int(m["y0"] or m["y1"])
    moved = {}
    for a in t.children:
        test = t.change(a, y0, t.year, s)
        if test is not None and test.significant:
            moved[t.registry.name(a)] = f"{'ökning' if test.diff > 0 else 'minskning'} {abs(int(half_up(test.diff, 0, 100)))}"
    said = {i["name"]: f"{i['w']} {i['pp']}" for i in rx(r"(?:^|, | och )(?P<name>[^(]+?) \((?P<w>ökning|minskning) (?P<pp>\d+) procentenhet(?:er)?\)").finditer(m["list"] or "")}
    led.equal("change", piece, m.group(0), "significant changes of sub-areas", said, moved)
    led.equal("span", piece, m.group(0), "previous measurement", y0, max(y for y in t.survey_years(s) if y < t.year))


@sentence(r"För (?P<names>.+?) bygger andelen på färre än 30 svarande och är osäker\.")
def few_respondents(led, t, piece, m):
    led.equal("share", piece, m.group(0), "fewer than 30", sorted(items(m["names"])), sorted(k for k, v in sub_shares(t).items() if v[1] < 30))


@sentence(r"(?P<s>[A-ZÅÄÖ][^;.]+?) gjordes inte (?P<y>@YEAR@); senaste mätningen \((?P<y1>@YEAR@)\) gav (?P<ci>@CI@)(?: för (?P<area>[^.]+))?\.")
def stale_survey(led, t, piece, m):
    years = t.survey_years(m["s"])
    led.equal("span", piece, m.group(0), "latest year of that survey", (int(m["y"]) in years, int(m["y1"])), (False, max(years)))
    led.equal("share", piece, m.group(0), "share", m["ci"], ci_text(t.share(t.area_id, int(m["y1"]), m["s"])))


# ----------------------------------------------------------------------------- several surveys
def surveys_of_year(t, year: int) -> list[str]:
    names = sorted(t.survey.loc[t.survey["question"] == "otrygg_kvallstid", "survey"].unique())
    return [s for s in names if year in t.survey_years(s)]


def changes_of_year(t, year: int) -> tuple[str, dict]:
    """Each survey of ``year``'s change: over the latest earlier year they all measured ("sedan 2021"),
    else each since its own previous measurement ("sedan föregående mätning")."""
    surveys = surveys_of_year(t, year)
    common = set.intersection(*(set(v for v in t.survey_years(s) if v < year) for s in surveys)) if surveys else set()
    out = {}
    for s in surveys:
        base = max(common) if common else max((v for v in t.survey_years(s) if v < year), default=None)
        if base is not None:
            out[s] = t.change(t.area_id, base, year, s)
    return (f"sedan {max(common)}" if common else "sedan föregående mätning"), out


@sentence(r"Ingen av undersökningarna som gjordes (?P<y>@YEAR@) visar en statistiskt säkerställd förändring (?P<since>sedan @YEAR@|sedan föregående mätning)\.|"
          r"Undersökningarna som gjordes (?P<y2>@YEAR@) pekar åt samma håll: alla visar en statistiskt säkerställd (?P<w>ökning|minskning) "
          r"(?P<since2>sedan @YEAR@|sedan föregående mätning)\.")
def surveys_agree(led, t, piece, m):
    since, changes = changes_of_year(t, int(m["y"] or m["y2"]))
    moved = {s: ("ökning" if half_up(c.diff, 0, 100) > 0 else "minskning") for s, c in changes.items() if c.significant and half_up(c.diff, 0, 100) != 0}
    said = {} if m["y"] else {s: m["w"] for s in changes}
    led.equal("change", piece, m.group(0), "surveys with a significant change, span", (said, m["since"] or m["since2"]), (moved, since))


@sentence(r"Bara (?P<s>[A-ZÅÄÖ][^;]+?) gjordes (?P<y>@YEAR@); de andra undersökningarna kan inte jämföras för samma år\.|"
          r"Bara en undersökning \((?P<s1>.+?)\) mäter andelen som .+? för (?P<area>.+?), så det finns inget att jämföra med\.")
def one_survey(led, t, piece, m):
    if m["s1"]:
        every = [s for s in t.survey.loc[t.survey["question"] == "otrygg_kvallstid", "survey"].unique() if t.survey_years(s)]
        led.equal("span", piece, m.group(0), "surveys measuring the area", sorted(every), [m["s1"]])
    else:
        led.equal("span", piece, m.group(0), "surveys of the year", surveys_of_year(t, int(m["y"])), [m["s"]])


# ----------------------------------------------------------------------------- women and men
@sentence(r"(?P<lead>Fler kvinnor än män|Fler män än kvinnor|Lika stor andel kvinnor som män) [^:]+: (?P<c1>\d+ % \(\d+–\d+ %\)) bland kvinnor mot "
          r"(?P<c2>\d+ % \(\d+–\d+ %\)) bland män\. Skillnaden är (?P<pp>@NUM@) procentenhet(?:er)? \((?P<lo>@NUM@)(?:–| till )(?P<hi>@NUM@)\) "
          r"och (?P<v>(?:inte )?statistiskt säkerställd)\.")
def gender_gap(led, t, piece, m):
    g = gap(t, t.area_id)
    lead = "Fler kvinnor än män" if g.diff > 0 else "Fler män än kvinnor" if g.diff < 0 else "Lika stor andel kvinnor som män"
    led.equal("difference", piece, m.group(0), "women, men", (m["c1"], m["c2"]), (ci_text(g.women), ci_text(g.men)))
    led.equal("difference", piece, m.group(0), "direction, gap, verdict", (m["lead"], m["pp"], VERDICT[m["v"]]), (lead, pp(g.diff), g.significant))
    led.claim("difference", piece, m.group(0), shows(m["lo"], 100 * g.lo) and shows(m["hi"], 100 * g.hi), f"({m['lo']}, {m['hi']})",
              f"({100 * g.lo:.2f}, {100 * g.hi:.2f})")


class Gap:
    def __init__(self, women, men, area_id):
        from lagesbild_lib.analysis.survey import share_difference_interval
        from claims.truth import two_proportion_test

        self.women, self.men, self.area_id = women, men, area_id
        self.diff = women[0] - men[0]
        self.lo, self.hi = share_difference_interval(women[0], women[1], men[0], men[1])
        test = two_proportion_test(women[0], women[1], men[0], men[1])
        self.significant = test.significant
        self.small = women[1] < 30 or men[1] < 30


def gap(t, area_id: str) -> Gap | None:
    s = chapter_survey(t)
    women, men = t.share(area_id, t.year, s, group="kvinnor"), t.share(area_id, t.year, s, group="män")
    return Gap(women, men, area_id) if women and men else None


# ----------------------------------------------------------------------------- places of worry
@sentence(r"Flest nämner ”(?P<a>.+?)” som en plats där de känner oro: (?P<ci>\d+ % \(\d+–\d+ %\))(?: i (?P<area>.+?) mot (?P<ci2>\d+ % \(\d+–\d+ %\)) i staden)?\.")
def most_named_place(led, t, piece, m):
    shares = place_shares(t, t.area_id)
    top = max(shares, key=lambda a: (shares[a][0], a))
    led.equal("ranking", piece, m.group(0), "most named place, share", (m["a"], m["ci"]), (top, ci_text(shares[top])))
    if m["ci2"]:
        led.equal("share", piece, m.group(0), "the city's share", m["ci2"], ci_text(place_shares(t, t.city)[m["a"]]))


@sentence(r"(?P<who>Området|Staden): (?P<n>@NUM@) svarande\.")
def place_respondents(led, t, piece, m):
    shares = place_shares(t, t.area_id if m["who"] == "Området" else t.city)
    led.equal("share", piece, m.group(0), "respondents", count(m["n"]), max(v[1] for v in shares.values()))


def place_shares(t, area_id: str) -> dict[str, tuple]:
    s = t.survey
    part = s[(s["question"] == "oroplatser") & (s["year"] == t.year)]
    from lagesbild_lib.analysis.survey import pick_survey

    name = pick_survey(part, t.registry.descendants(t.area_id), "oroplatser")
    out = {}
    for answer in sorted(part["answer"].unique()):
        found = t.share(area_id, t.year, name, "oroplatser", answer)
        if found is not None:
            out[answer] = found
    return out


from claims import safety_alt, safety_tables  # noqa: E402,F401  (register their checks)
