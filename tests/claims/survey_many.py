"""Claims of chapter 3's survey questions (issue 16): the overview table of every question in
``survey_questions`` and the paragraph per question — share with interval, against the city, since
the previous measurement, rank among the sibling areas, women and men — recomputed from the data.

The rank is recomputed here on its own: every sibling's share (same parent, same level) rounded
to whole percent as the reader sees it, counted from the nearer end, ties shared."""

from __future__ import annotations

import re

from claims.report import count, half_up, items, registry
from claims.safety import VERDICT, ci_text, direction_of, pp

SENTENCES: list = []
TABLES: list = []

sentence, table = registry(SENTENCES, TABLES)

ORDINAL = {"": 1, "andra": 2, "tredje": 3, "fjärde": 4, "femte": 5, "sjätte": 6, "sjunde": 7, "åttonde": 8, "nionde": 9,
           "tionde": 10, "elfte": 11, "tolfte": 12}
LEVEL_NOUN = {"kommun": "kommuner", "stadsdelsomrade": "stadsdelsområden", "stadsdel": "stadsdelar", "delomrade": "delområden"}
HEAD = (r"(?P<label>[A-ZÅÄÖ][^()]+?) \((?P<s>[^()]+?) (?P<y>@YEAR@)\): (?P<ci>@CI@) av (?P<n>@COUNT@) svarande i "
        r"(?P<area>[^.]+?)\.")


class Question:
    """One row of survey_questions, found by its label and survey."""

    def __init__(self, t, label: str, survey: str):
        table = t.data.table("survey_questions")
        row = table[(table["label"] == label) & (table["survey"] == survey)]
        if row.empty:
            raise LookupError(f"no question {label!r} in {survey!r}")
        self.question, self.answer, self.survey, self.label = row["question"].iloc[0], row["answer"].iloc[0], survey, label

    def share(self, t, area_id: str, year: int, group: str = "alla"):
        return t.share(area_id, year, self.survey, self.question, self.answer, group=group)

    def years(self, t) -> list[int]:
        s = t.survey
        part = s[(s["survey"] == self.survey) & (s["question"] == self.question) & (s["answer"] == self.answer)
                 & s["area_id"].isin(t.registry.descendants(t.area_id))]
        return sorted(int(y) for y in part["year"].unique() if y <= t.year)


def _asked(t, piece, m) -> tuple[Question, int]:
    """The question of the paragraph a sentence stands in: the head sentence before it."""
    heads = [h for h in question_share.pattern.finditer(piece.text) if h.start() <= m.start()]
    h = heads[-1]
    return Question(t, h["label"], h["s"]), int(h["y"])


def rank_of(t, q: Question, year: int) -> tuple[int, int, int, int]:
    """(from the top, from the bottom, others tied, areas ranked) among the siblings with a share."""
    area = t.registry.get(t.area_id)
    peers = [a for a in t.registry.children(area.parent_id) if t.registry.get(a).level == area.level] if area.parent_id else [t.area_id]
    shown = {a: half_up(f[0], 0, 100) for a in peers if (f := q.share(t, a, year)) is not None}
    mine = shown.pop(t.area_id)
    higher, lower = sum(v > mine for v in shown.values()), sum(v < mine for v in shown.values())
    return 1 + higher, 1 + lower, len(shown) - higher - lower, len(shown) + 1


def rank_text(t, q: Question, year: int, words: bool, what: str = "") -> str:
    top, bottom, tied, n = rank_of(t, q, year)
    noun = LEVEL_NOUN.get(t.registry.get(t.area_id).level, "områden")
    if n < 3:
        return "ingen rangordning (inga andra områden har värden)" if n <= 1 else f"ingen rangordning (bara {'två' if words else '2'} {noun} har värden)"
    end, place = ("högsta", top) if top <= bottom else ("lägsta", bottom)
    words_of = {v: k for k, v in ORDINAL.items()}
    ordinal = "" if place == 1 else (words_of[place] if place <= 12 else f"{place}:e") + " "
    numbers = ("", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv")
    count_text = numbers[n] if words and n <= 12 else f"{n:,}".replace(",", "\u202f")
    shared = "" if not tied else f" (delad med {'en annan' if tied == 1 else (numbers[tied] if words and tied <= 12 else str(tied)) + ' andra'})"
    return f"den {ordinal}{end}{' ' + what if what else ''} av {count_text} {noun}{shared}"


@sentence(HEAD)
def question_share(led, t, piece, m):
    q = Question(t, m["label"], m["s"])
    found = q.share(t, t.area_id, int(m["y"]))
    led.equal("share", piece, m.group(0), "share, respondents", (m["ci"], count(m["n"])), (ci_text(found), found[1] if found else None))
    led.equal("span", piece, m.group(0), "latest measurement up to the report year", int(m["y"]), max(q.years(t)))
    led.equal("span", piece, m.group(0), "area", m["area"], t.name)


@sentence(r"Andelen är (?P<w>högre|lägre) än i staden \((?P<ci>@CI@)\), statistiskt säkerställt\.|"
          r"Ingen statistiskt säkerställd skillnad mot staden \((?P<ci2>@CI@)\)\.")
def question_city(led, t, piece, m):
    q, year = _asked(t, piece, m)
    test = t.against_reference(t.area_id, year, q.survey, q.question, q.answer)
    led.equal("difference", piece, m.group(0), "against the city", m["w"] or "", direction_of(test))
    led.equal("share", piece, m.group(0), "the city's share", m["ci"] or m["ci2"], ci_text(q.share(t, t.city, year)))


@sentence(r"Förändring sedan (?P<y0>@YEAR@), då andelen var (?P<ci>@CI@): (?P<pp>@NUM@) procentenhet(?:er)?, "
          r"(?P<v>(?:inte )?statistiskt säkerställd)\.|Ingen tidigare mätning att jämföra med i (?P<s>[^.]+)\.")
def question_change(led, t, piece, m):
    q, year = _asked(t, piece, m)
    earlier = [y for y in q.years(t) if y < year]
    if m["s"]:
        led.equal("span", piece, m.group(0), "earlier measurements", earlier, [])
        return
    test = t.change(t.area_id, earlier[-1], year, q.survey, q.question, q.answer)
    led.equal("span", piece, m.group(0), "previous measurement", int(m["y0"]), earlier[-1])
    led.equal("change", piece, m.group(0), "share then, change, verdict", (m["ci"], m["pp"], VERDICT[m["v"]]),
              (ci_text(q.share(t, t.area_id, earlier[-1])), pp(test.diff), test.significant))


@sentence(r"(?P<area>[A-ZÅÄÖ][^.:]*?) har (?P<rank>den (?:[a-zåäö]+ |\d+:e )?(?:högsta|lägsta) andelen av [^.]+?)\.|"
          r"(?P<area2>[A-ZÅÄÖ][^.:]*?): (?P<none>ingen rangordning \([^)]*\))\.")
def question_rank(led, t, piece, m):
    q, year = _asked(t, piece, m)
    led.equal("ranking", piece, m.group(0), "rank among the siblings", m["rank"] or m["none"], rank_text(t, q, year, True, "andelen" if m["rank"] else ""))


@sentence(r"Kvinnor (?P<c1>@CI@), män (?P<c2>@CI@); skillnaden är (?P<v>(?:inte )?statistiskt säkerställd)\.|"
          r"Svaren redovisas inte för kvinnor och män\.")
def question_women_men(led, t, piece, m):
    from claims.truth import two_proportion_test

    q, year = _asked(t, piece, m)
    women, men = q.share(t, t.area_id, year, "kvinnor"), q.share(t, t.area_id, year, "män")
    if not m["c1"]:
        led.equal("difference", piece, m.group(0), "rows for women and men", False, bool(women and men))
        return
    test = two_proportion_test(women[0], women[1], men[0], men[1])
    led.equal("difference", piece, m.group(0), "women, men, verdict", (m["c1"], m["c2"], VERDICT[m["v"]]),
              (ci_text(women), ci_text(men), test.significant))


@sentence(r"Andelen bygger på färre än 30 svarande och är osäker\.")
def question_small(led, t, piece, m):
    q, year = _asked(t, piece, m)
    led.equal("share", piece, m.group(0), "fewer than 30 respondents", True, q.share(t, t.area_id, year)[1] < 30)


_VERDICT = re.compile(r"(?:(?P<who>.+?) )?visar (?:en statistiskt säkerställt (?P<dir>högre|lägre) andel än staden|ingen statistiskt säkerställd skillnad mot staden)")


@sentence(r"Frågan ”(?P<label>[^”]+)” ställs i (?P<surveys>.+?): (?P<told>(?:båda|alla) visar [^.]+?|.+? visar [^.]+?) för (?P<area>[^.]+)\.")
def surveys_alike(led, t, piece, m):
    said = items(m["surveys"])
    truth = {}
    for s in said:
        q = Question(t, m["label"], s)
        year = max(q.years(t))
        truth[s] = direction_of(t.against_reference(t.area_id, year, q.survey, q.question, q.answer))
    told = m["told"]
    if told.startswith(("båda ", "alla ")):
        v = _VERDICT.fullmatch(told[len("båda "):])  # "båda visar …" / "alla visar …"
        shown = {s: (v["dir"] or "") if v else None for s in said}
    else:
        parts = re.split(r", | och (?=[A-ZÅÄÖ])", told)
        shown = {}
        for part in parts:
            v = _VERDICT.fullmatch(part)
            if v:
                shown[v["who"]] = v["dir"] or ""
    led.equal("difference", piece, m.group(0), "each survey against the city", shown, truth)


def _change_cell(t, q: Question, year: int) -> str:
    earlier = [y for y in q.years(t) if y < year]
    if not earlier:
        return "ingen tidigare mätning"
    test = t.change(t.area_id, earlier[-1], year, q.survey, q.question, q.answer)
    shown = half_up(test.diff, 0, 100)
    word = "oförändrad" if shown == 0 else (
        f"{'ökning' if shown > 0 else 'minskning'}, {'statistiskt säkerställd' if test.significant else 'inte statistiskt säkerställd'}")
    return f"{word} (sedan {earlier[-1]})"


@table(r"Enkätfrågorna i översikt: (?P<area>.+?), senaste mätning till och med (?P<y>@YEAR@)$")
def overview_table(led, t, tab):
    led.equal("span", tab, tab.caption, "year", int(re.search(r"(\d{4})$", tab.caption).group(1)), t.year)
    rank_column = next((h for h in tab.header if h.startswith("Rang bland ")), None)
    for row in tab.rows:
        survey, _, y = row["Undersökning"].rpartition(" ")
        q, year = Question(t, row["Fråga"], survey), int(y)
        found = q.share(t, t.area_id, year)
        led.equal("share", tab, row["Fråga"], "share, respondents", (row["Andel (95 % KI)"], count(row["Svarande"])),
                  (ci_text(found), found[1]))
        led.equal("span", tab, row["Fråga"], "latest measurement", year, max(q.years(t)))
        if "Jämfört med staden" in row:
            test = t.against_reference(t.area_id, year, q.survey, q.question, q.answer)
            word = direction_of(test)
            true = "–" if test is None else (f"{word} än staden (statistiskt säkerställt)" if word else "ingen statistiskt säkerställd skillnad mot staden")
            led.equal("difference", tab, row["Fråga"], "against the city", row["Jämfört med staden"], true)
        led.equal("change", tab, row["Fråga"], "since the previous measurement", row["Förändring sedan föregående mätning"], _change_cell(t, q, year))
        if rank_column:
            led.equal("ranking", tab, row["Fråga"], "rank", row[rank_column], rank_text(t, q, year, False))


# ----------------------------------------------------------------------------- indicators among peers (chapter 1)
UNIT_DECIMALS = {"procent": 1, "kr": 0, "dagar": 1, "antal": 0, "per 100 000 inv": 0}


def _rank_words(top: int, bottom: int, tied: int, n: int, noun: str) -> str:
    if n < 3:
        return "ingen rangordning (inga andra områden har värden)" if n <= 1 else f"ingen rangordning (bara 2 {noun} har värden)"
    end, place = ("högsta", top) if top <= bottom else ("lägsta", bottom)
    words_of = {v: k for k, v in ORDINAL.items()}
    ordinal = "" if place == 1 else (words_of[place] if place <= 12 else f"{place}:e") + " "
    shared = "" if not tied else f" (delad med {'en annan' if tied == 1 else str(tied) + ' andra'})"
    return f"den {ordinal}{end} av {n:,} {noun}{shared}".replace(",", "\u202f")


@table(r"Socioekonomiska förhållanden i (?P<area>.+?) jämfört med .+ (?P<y>@YEAR@)")
def indicator_rank_column(led, t, tab):
    column = next((h for h in tab.header if h.startswith("Rang bland ")), None)
    if column is None or t.city is None:  # a kommun's rank in its kommungrupp: claims.kommun
        return False
    ind = t.data.table("indicators")
    whole = ind
    for col in ("sex", "group"):
        if col in whole:
            whole = whole[whole[col].isna() | (whole[col].astype(str).isin(["", "alla"]) if col == "sex" else whole[col].isna())]
    area = t.registry.get(t.area_id)
    peers = [a for a in t.registry.children(area.parent_id) if t.registry.get(a).level == area.level]
    year = max(int(y) for y in whole.loc[whole["area_id"] == t.area_id, "year"] if y <= t.year)
    noun = LEVEL_NOUN.get(area.level, "områden")
    for row in tab.rows:
        label = row["Indikator"]
        part = whole[(whole["year"] == year) & whole["area_id"].isin(peers)]
        part = part[part["label"].fillna(part["indicator"]) == label]
        if part.empty:  # a row for women, men or a group ("…, kvinnor"): its rank is checked in claims.area
            continue
        decimals = UNIT_DECIMALS.get(str(part["unit"].iloc[0]), 1)
        shown = {a: half_up(v, decimals) for a, v in zip(part["area_id"], part["value"])}
        mine = shown.pop(t.area_id)
        higher, lower = sum(v > mine for v in shown.values()), sum(v < mine for v in shown.values())
        true = _rank_words(1 + higher, 1 + lower, len(shown) - higher - lower, len(shown) + 1, noun)
        led.equal("ranking", tab, label, "rank among the siblings", row[column], true)


# ----------------------------------------------------------------------------- free-text answers (places avoided)
@table(r"Fritextsvar – (?P<label>.+?), (?P<area>.+?) (?P<y>@YEAR@) \((?P<s>[^()]+)\)$")
def free_text_table(led, t, tab):
    m = re.search(r"Fritextsvar – (?P<label>.+?), (?P<area>.+?) (?P<y>\d{4}) \((?P<s>[^()]+)\)$", tab.caption)
    q, year = Question(t, m["label"], m["s"]), int(m["y"])
    s = t.survey
    part = s[(s["survey"] == q.survey) & (s["question"] == q.question) & s["area_id"].isin(t.registry.descendants(t.area_id))]
    led.equal("span", tab, tab.caption, "latest measurement", year, max(int(y) for y in part["year"] if y <= t.year))
    named = sorted(part.loc[part["year"] == year, "answer"].unique())
    found = {a: t.share(t.area_id, year, q.survey, q.question, a) for a in named}
    order = sorted(found, key=lambda a: (-round(found[a][0], 12), a))
    led.equal("ranking", tab, tab.caption, "answers, most named first", [r["Svar"] for r in tab.rows], order)
    for row in tab.rows:
        f = found.get(row["Svar"])
        led.equal("share", tab, row["Svar"], "share, respondents", (row["Andel som nämner (95 % KI)"], count(row["Svarande"])),
                  (ci_text(f), f[1] if f else None))
