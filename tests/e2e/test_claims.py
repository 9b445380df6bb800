"""Issue 15, "Done when" (first line): every sentence, caption, alt text, key figure and table row
that states a number or a direction, in the demo report and in reports for other areas and
years, is recomputed from the data (span, direction, significance, rounding), and none
contradicts it.

The checks live in ``tests/claims/`` (one module per subject); this module builds the reports
once per session, runs the checks, asserts no contradiction and a healthy number of claims per
class (so that the test cannot pass by reading nothing), and plants contradictions in the demo
report to show that each kind is found.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from claims import Ledger, Truth, check_report, read_report
from lagesbild_lib.cli import main

pytestmark = pytest.mark.e2e

#: The demo report and four others: a kommun with one level of delområden (Solna), a
#: stadsdelsområde in an early year with three years of trends, one with a 53-week ISO year,
#: one survey only that year and a sub-area named like the area (Skärholmen), and the second demo
#: outside Stockholm (Gävle: RegSO-like delområden, compared with län, riket and kommungrupp).
REPORTS = {
    "demo": ("hasselby-vallingby", 2023),
    "kommun": ("solna", 2024),
    "early": ("rinkeby-kista", 2021),
    "one-survey": ("skarholmen", 2020),
    "second-demo": ("gavle", 2023),
}

#: Claims checked per class in every report, at least.
MINIMUM = {
    "compstat row": 30, "change": 15, "significance": 3, "few cases": 1, "direction": 3, "count": 40, "events": 10,
    "weeks": 4, "key figure": 5, "rate": 20, "ranking": 10, "share": 50, "difference": 10, "population": 10,
    "span": 150, "numbers in words": 10,
}
#: ... and in the reports with at least three years of crime data.
TRENDS = {"trend": 25}


@pytest.fixture(scope="session")
def report_files(tmp_path_factory, demo_dir, built):
    """Build a report on the demo data, once per session; the demo report is the suite's ``built``."""
    out = tmp_path_factory.mktemp("claims")
    made: dict[tuple[str, int], Path] = {REPORTS["demo"]: built / "lagesbild-hasselby-vallingby-2023.html"}

    def report(area: str, year: int) -> Path:
        if (area, year) not in made:
            assert main(["build", "--data", str(demo_dir), "--out", str(out), "--area", area, "--year", str(year)]) == 0
            made[(area, year)] = out / str(year) / area / f"lagesbild-{area}-{year}.html"
        return made[(area, year)]

    return report


@pytest.fixture(scope="session")
def truths(demo_dir):
    found: dict[tuple[str, int], Truth] = {}

    def truth(area: str, year: int) -> Truth:
        if (area, year) not in found:
            found[(area, year)] = Truth(demo_dir, area, year)
        return found[(area, year)]

    return truth


@pytest.fixture(scope="session")
def ledgers(report_files, truths):
    found: dict[str, Ledger] = {}

    def ledger(name: str) -> Ledger:
        if name not in found:
            area, year = REPORTS[name]
            found[name] = check_report(read_report(report_files(area, year)), truths(area, year))
        return found[name]

    return ledger


@pytest.mark.parametrize("name", list(REPORTS))
def test_no_claim_in_the_report_contradicts_the_data(ledgers, truths, name):
    ledger = ledgers(name)
    counts = dict(sorted(ledger.counts.items()))
    listed = "\n".join(str(c) for c in ledger.found)
    assert not ledger.found, f"{len(ledger.found)} contradictions in {sum(counts.values())} claims {counts}:\n{listed}"
    wanted = {**MINIMUM, **(TRENDS if len(truths(*REPORTS[name]).crime_years) >= 3 else {})}
    if name == "demo":
        wanted["narrative"] = 5  # the demo's assessment from params: what it says changed did change
    short = {cls: (counts.get(cls, 0), n) for cls, n in wanted.items() if counts.get(cls, 0) < n}
    assert not short, f"too few claims checked (found, wanted) per class: {short}; all: {counts}"
    assert sum(counts.values()) >= 500, counts


def _bump(match: re.Match) -> str:
    """The matched text with its first number one higher."""
    return re.sub(r"\d+", lambda m: str(int(m.group(0)) + 1), match.group(0), count=1)


_WORDS = ["en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv"]

#: Contradictions planted in the demo report, one of each kind: (what, regex, replacement).
PLANTED = [
    ("a count in a finding", r"från \d+ till \d+ anmälda brott", _bump),
    ("a share and its interval", r"\d+\u00a0% \(\d+–", _bump),
    ("a verdict", r"Förändringen är (?:inte )?statistiskt säkerställd\.",
     lambda m: m.group(0).replace("inte ", "") if "inte " in m.group(0) else m.group(0).replace("är ", "är inte ")),
    ("a direction in a table", r"<td>ökning, ", lambda m: "<td>minskning, "),
    ("a difference against the city", r"högre än staden \(statistiskt säkerställt\)", lambda m: "lägre än staden (statistiskt säkerställt)"),
    ("a span", r"(?<=<p>)([^<]*?)1 jan–(\d+) okt", lambda m: f"{m.group(1)}1 jan–{int(m.group(2)) - 1} okt"),
    ("a count of events in words", r"\b(två|tre|fyra|fem|sex) (skjutning|sprängning|brandattentat)",
     lambda m: f"{_WORDS[_WORDS.index(m.group(1)) + 1]} {m.group(2)}"),
    ("a number in digits in running text", r"(?<=\. )(Sex|Två|Tre|Fyra|Fem|Sju|Åtta|Nio|Tio|Elva|Tolv) veckor hade",
     lambda m: f"{_WORDS.index(m.group(1).lower()) + 1} veckor hade"),
    ("a sentence no check reads", r"(?<=<li>)(?=Den största statistiskt säkerställda)", lambda m: "Rånen har ökat med 40 procent. "),
    ("a count of the police area", r"anmäldes [\d\u202f]+ brott i lokalpolisområdet", _bump),
    ("a crime rate's rank among the siblings", r"det är den (?:\w+ )?(?:högsta|lägsta) nivån",
     lambda m: m.group(0).replace("högsta", "lägsta") if "högsta" in m.group(0) else m.group(0).replace("lägsta", "högsta")),
    ("an indicator's rank in a table", r"<td>den (?:\w+ )?(?:högsta|lägsta) av \d+ stadsdelsområden",
     lambda m: m.group(0).replace("högsta", "lägsta") if "högsta" in m.group(0) else m.group(0).replace("lägsta", "högsta")),
    ("the year of the population forecast", r"fram till \d{4}: från", _bump),
]


@pytest.mark.parametrize("what, pattern, replacement", PLANTED, ids=[p[0] for p in PLANTED])
def test_a_planted_contradiction_is_found(report_files, truths, tmp_path, what, pattern, replacement):
    area, year = REPORTS["demo"]
    html = report_files(area, year).read_text(encoding="utf-8")
    planted, n = re.subn(pattern, replacement, html, count=1)
    assert n == 1 and planted != html, f"nothing to plant {what} in: the demo report no longer has {pattern!r}"
    path = tmp_path / "planted.html"
    path.write_text(planted, encoding="utf-8")
    ledger = check_report(read_report(path), truths(area, year))
    assert ledger.found, f"{what}: the planted contradiction was not found"


#: Words that name a city or its stadsdelsområden; a kommun report compares with its län, riket and
#: kommungrupp (DESIGN §6), so none of them may appear in its text (Källor, which quotes the data
#: files' own descriptions, aside). "Järvastaden" is a place name, not the word.
CITY_WORDS = re.compile(r"\b(staden|stadens|stadsdelsområden)\b", re.IGNORECASE)


@pytest.mark.parametrize(("area", "year"), [REPORTS["kommun"], REPORTS["second-demo"], ("oster", 2023)],
                         ids=["kommun", "second-demo", "regso"])
def test_a_report_outside_a_city_never_calls_its_reference_the_city(report_files, area, year):
    """A kommun report (Solna, Gävle) compares with its län, riket and kommungrupp; a RegSO report
    (Öster in Gävle) with its kommun, "kommunen" (DESIGN §6)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(report_files(area, year).read_text(encoding="utf-8"), "html.parser")
    main = soup.find("main").get_text("\n").split("Källorna som texterna hänvisar till")[0]  # Källor quotes the files as they are
    text = "\n".join([*(img.get("alt", "") for img in soup.find_all("img")), *(n.get_text(" ") for n in soup.select("nav")), main])
    found = [text[max(0, m.start() - 60):m.end() + 40].replace("\n", " ") for m in CITY_WORDS.finditer(text)]
    assert not found, f"{area} {year}: {found[:5]}"
    assert "Socioekonomiska förhållanden" in text  # the chapter 1 heading that used to read "Jämfört med hela staden"
    if area == "oster":
        assert "i kommunen som helhet (Gävle)" in text and "Jämfört med kommunen" in text
