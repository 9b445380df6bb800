"""Checks of every text: the spans it names, numbers one to twelve in words in running text
(DESIGN §9), and sentences that state a number or a direction that no other check read."""

from __future__ import annotations

import re

from claims.report import MONTHS, TableText, rx

SENTENCES: list = []

#: Method notes, legends and fixed texts: they state thresholds and scales, not findings from the data.
FIXED = [
    r"på en skala från 1 till 5",
    r"^Nivå: 1 normalt 2 avvikande",
    r"^Statistiskt säkerställd: (?:exakt Poissontest|antal prövas)",
    r"^Få fall: färre än (?:10|20) ",
    r"^Per 1 000 invånare: årets antal delat med folkmängden\.",
    r"^Andelar med 95 % konfidensintervall \(Wilson\)",
    r"^KI: 95 % konfidensintervall \(Wilson\)\.",
    r"^Poissonregression av antal på år",
    r"^Kärnskattning \(Gaussisk, bandbredd 250 m\)",
    r"^Rutnät med 250 m-rutor över området|^Getis-Ord Gi\* \(PySAL esda och libpysal\)|^P-värdet är exakt \(binomialfördelningen|"
    r"^Bakom: kärnskattning av samma brott",
    r"^Andelarna bygger på enkätsvar|^Inom parentes och som streck i diagrammen|^Andelar som bygger på färre än 30 svarande|"
    r"^En skillnad kallas statistiskt säkerställd när",
    r"^Ofylld punkt: färre än 30 svarande",
    r"^\* färre än 30 svarande",
    r"^Streckade områden: färre än 30 svarande|^Klassgränserna är hela procent",
    r"^Flera svar möjliga, så andelarna summerar inte till 100 %",
    r"^Till höger om nollstrecket: högre andel bland kvinnor\.",
    r"^Skala 1–10, högre värde betyder nöjdare deltagare\.",
    r"^Ljus punkt och \*: färre än 5 skattningar, ett osäkert medelvärde\.",
    r"^Kommunen och polisen har fem gemensamma prioriterade samverkansområden\.",
    r"^Samma period \(1 januari till periodens slut\) jämförs för varje år",
    r"^[\w.-]+\.(?:csv|parquet|geojson): ",
    r"^Skillnaden (?:mellan (?:två )?andelar anges|i procentenheter med Newcombes)",
    r"^Förändringen i procentenheter; tvåprovstest|^Förändring sedan undersökningens föregående mätning",
    r"^Jämförelsen med (?:staden|kommunen|hela [^ ]+|föregående mätning)(?: och med föregående mätning)?(?: är ett tvåprovstest|: tvåprovstest)",
    r"^Flera svar möjliga\.",
    r"^Där en serie har ett serieuppbrott skattas trenden bara på åren från uppbrottet \(minst tre år\)",
    r"^(?:Diarienummer|Parter|Status|(?:Granskad|Fastställd) av (?:förvaltningen|polisen)|Granskad av|Granskad den|Granskad|Fastställd): ",
    r"^3✱ ✱ och röd ram: vecka med minst en kritisk händelse",
    r"^Medel: genomsnittlig nivå under veckor med bedömning; ≥3 och ≥4: antal veckor med nivå 3 respektive 4 eller högre\.",
    r"^De skiljer sig i urval, frågor och tidpunkt och kan därför ge olika resultat\.",
    r"^Anmälda brott 1 jan–\d{1,2} [a-z]{3} varje år per 100 000 invånare samma år; grått band: den mittersta hälften",
    r"^Kontrollgränserna är exakta Poissongränser kring gruppens sammantagna nivå \(streckad linje 95 %, prickad 99,8 %\)",
    r"^Lag \(2023:196\) om kommuners ansvar för brottsförebyggande arbete kräver",
    r"^Riskfaktor: en högre nivå hänger samman med mer brottslighet och otrygghet; skyddsfaktor: en högre nivå skyddar\.",
    r"^Rangen räknas bland områdena på samma nivå under samma överordnade område",
    r"^Organisationsskiss över samverkan: ",  # the alt text of the analysts' own picture (a narrative slot), not data
]


def _fixed(led, t, piece, m):
    """A fixed text: read, nothing to recompute."""


#: A fixed text starts a piece or a sentence ("^" in :data:`FIXED`) and runs to the end of its sentence.
_FIXED = "|".join("(?:" + re.sub(r"(^|[|])[\^]", r"\1(?:^|(?<=[.] ))", p) + ")" + r".*?(?:[.](?= |$)|$)" for p in FIXED)
SENTENCES.append((re.compile(_FIXED), _fixed))

def _broken_reference(led, t, piece, m):
    led.claim("span", piece, m.group(0), False, m.group(0), "a reference to a numbered table, chart or map that leads nowhere")


SENTENCES.append((re.compile(r"\[hänvisning (?:saknas|tvetydig): [^\]]+\]"), _broken_reference))

#: What every text may name without it being a claim of its own: figure labels, spans and years
#: (checked by :func:`spans`), the confidence level and the significance level.
NEUTRAL = re.compile(
    r"(?:Tabell|Diagram|Kartbild|Figur) \d+|1 jan–\d{1,2} [a-z]{3}|vecka 1(?:–\d+)?|\b(?:19|20)\d{2}(?:–(?:19|20)\d{2})?\b|95 ?%|95-procentigt|"
    r"p < 0,05|nivå 4 eller 5|\(nivå 4 eller 5\)|1 000 invånare"
)
STATES = re.compile(
    r"\d|\b(?:två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv)\b|"
    r"\b(?:ök|minsk)(?:at|ade|ning|ningen|ningar)\b|\b(?:högre|lägre|högst|lägst|fler|färre|flest|störst|oftare|skiljer)\b", re.IGNORECASE
)


def check_unread(led, piece, sentences: list[str]) -> None:
    """A sentence that states a number or a direction and that no check read is a contradiction:
    nothing verified it. (Captions name spans, checked by :func:`spans`, and the figure's subject.)"""
    for s in sentences:
        if piece.kind == "figcaption":
            continue
        if STATES.search(NEUTRAL.sub("", s)):
            led.claim("unchecked", piece, s, False, "a number or a direction", "no check of the claims test reads this sentence")


def check_unread_table(led, table: TableText) -> None:
    """A table no check read: fine when none of its cells states a number or a direction."""
    fixed = re.search(r"Förklaring lägesbedömning|^Tabell \d+\. Platser i |Status för de prioriterade", table.caption)
    if fixed:
        return
    if any(STATES.search(NEUTRAL.sub("", " ".join(r.values()))) for r in table.rows):
        led.claim("unchecked", table, table.caption, False, "a table of numbers", "no check of the claims test reads this table")


# ----------------------------------------------------------------------------- numbers in words
_SMALL = re.compile(r"(?<![\w,.\u2212+\u202f–/-])(\d{1,2})(?![\w,\u202f–%✱/-])")
_UNIT_AFTER = re.compile(r" (?:%|procentenhet|dagar|kr\b|år\b|" + "|".join(MONTHS) + r"|januari|till \d)")
_LABEL_BEFORE = re.compile(r"(?:nivån? var|nivå|vecka|årskurs|Tabell|Diagram|Kartbild|Figur|nivån? (?:var )?\d eller|skala från|skala från \d till) $")


def numbers_in_words(led, piece) -> None:
    """Running text writes the numbers 0 to 12 in words when they count something ("två skjutningar",
    "sex av elva områden"; DESIGN §9); digits stay in parentheses, in tables, before units and as labels."""
    text = piece.text
    for m in _SMALL.finditer(text):
        n = int(m.group(1))
        before, after = text[: m.start()], text[m.end():]
        inside = before.count("(") > before.count(")")
        if n > 12 or inside or _UNIT_AFTER.match(after) or _LABEL_BEFORE.search(before[-24:]):
            continue
        if not after[:1].isspace() and after[:1] not in ("", ".", ",", ";", ":"):
            continue
        begin = text.rfind(". ", 0, m.start())
        sentence = text[begin + 2 if begin >= 0 else 0: text.find(".", m.end()) + 1 or len(text)]
        led.claim("numbers in words", piece, sentence, False, f"{n} in digits", "running text writes 0–12 in words (DESIGN §9)")
    led.counts["numbers in words"] += len(rx(r"\b(?i:två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv)\b").findall(text))


# ----------------------------------------------------------------------------- spans
def spans(led, t, text: str, where) -> None:
    """Every span named is the report's: "1 jan–31 okt" ends on the period end; "vecka 1–N" is the
    period's weeks or the year's weeks assessed; "varje år 2019–2023" the years with crime data;
    no year after the report's."""
    from lagesbild_lib.analysis.weekly import iso_weeks_in_year, period_last_week

    for m in re.finditer(r"1 jan–(\d{1,2}) ([a-z]{3})", text):
        if "t.o.m." in text:
            continue
        led.equal("span", where, text, "period end", m.group(0), t.period(0))
    grid = t.grid(t.year) if t.data.table("weekly_assessments") is not None else None
    weeks = {period_last_week(t.year, t.period_end), iso_weeks_in_year(t.year)}
    if grid is not None and len(grid.columns):
        weeks.add(int(max(grid.columns)))
    for m in re.finditer(r"vecka 1–(\d+)", text):
        led.claim("span", where, text, int(m.group(1)) in weeks, m.group(0), f"weeks {sorted(weeks)}")
    for m in re.finditer(r"(1 jan–\d{1,2} [a-z]{3}) varje år (\d{4})–(\d{4})", text):
        led.claim("span", where, text, int(m.group(2)) in t.crime_years and int(m.group(3)) == t.year, m.group(0), f"years with crime data {t.crime_years}")
    if re.search(r"\.(?:csv|parquet|geojson): ", text):
        return  # the list of data files: when each file was changed
    forecast = "prognos" in text.lower()  # a population forecast names the years it forecasts (checked in claims.area)
    for y in re.findall(r"\b((?:19|20)\d{2})\b(?!:\d)", text):  # "lag (2023:196)" is an SFS number, not a year
        led.claim("span", where, text, int(y) <= t.year or forecast, y, f"the report year is {t.year}")
