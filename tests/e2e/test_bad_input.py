"""The bad-input catalogue (issue 8, item 4): every way a data folder or a params file is commonly
broken, run through the command line.

Each case is a small data folder (a copy of ``tests/fixtures/backtest_compstat`` with a few
optional tables, then broken in one place) or a params file. ``lagesbild check`` and
``lagesbild build`` must both refuse it with exit code 2 and ONE sentence on stderr naming the
file (and the row and column where there is one) and what is expected (several mistakes are one
line each, then a count line: issue 15), in Swedish with no English word left (issue 15: file,
column and value quoted as they are), no traceback, no kernel started, and the report built before from good inputs left byte for byte as it was. The few
inputs that are fine (an extra column, a byte order mark, a script tag in a narrative) must pass.

The report the failed builds must not touch is built once with the tiny fixture project (two
small chapters), so the module runs in seconds.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from support import forbid_kernels, run_cli, snapshot

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
pytestmark = pytest.mark.e2e

POPULATION = """year,area_id,age_group,sex,count
2023,norr-a,0-19,alla,410
2023,norr-a,20-64,alla,1200
2023,norr-b,0-19,alla,380
"""
WEEKLY = """year,week,area_id,level
2023,1,norr-a,3
2023,2,norr-a,4
2023,1,norr-b,2
"""
SURVEY = """year,survey,area_id,question,answer,group,respondents,share
2023,Trygghetsmätningen,norr-a,otrygg_kvallstid,ja,alla,120,0.25
2023,Trygghetsmätningen,norr-b,otrygg_kvallstid,ja,alla,95,0.31
"""
SQUARE = [[[17.90, 59.36], [17.91, 59.36], [17.91, 59.37], [17.90, 59.37], [17.90, 59.36]]]
BOWTIE = [[[17.90, 59.36], [17.91, 59.37], [17.91, 59.36], [17.90, 59.37], [17.90, 59.36]]]


def geojson(*features: tuple[dict, list]) -> str:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": coords}}
                for props, coords in features
            ],
        }
    )


# ----------------------------------------------------------------------------- helpers
def edit(name: str, old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    """Replace ``old`` by ``new`` in the data file ``name`` (the text must be there)."""

    def apply(folder: Path) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    return apply


def write(name: str, text: str | bytes) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        path = folder / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))

    return apply


def remove(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).unlink()


def recode(name: str, encoding: str, old: str = "", new: str = "") -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        path = folder / name
        path.write_bytes(path.read_text(encoding="utf-8").replace(old, new).encode(encoding))

    return apply


def to_folder(name: str) -> Callable[[Path], None]:
    """Something root cannot read as a file either: a folder where the file should be."""

    def apply(folder: Path) -> None:
        (folder / name).unlink()
        (folder / name).mkdir()

    return apply


def dangling_link(name: str) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        (folder / name).unlink()
        (folder / name).symlink_to(folder / "gone" / name)

    return apply


def unreadable(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).chmod(0)


@dataclass(frozen=True)
class Case:
    """One broken input and what the one-sentence message must say."""

    id: str
    data: Callable[[Path], None] | None = None  # breaks a copy of the good data folder
    params: str | None = None  # the text of a --params file
    args: tuple[str, ...] = ()  # extra command-line options
    says: tuple[str, ...] = ()  # substrings of the message (file, row, column, value, fix)
    code: int = 2
    root_can_read: bool = False  # chmod cannot stop root: skipped when the tests run as root
    extra: dict = field(default_factory=dict)


CASES = [
    # --- tables and columns
    Case("missing-required-table", remove("areas.csv"), says=("den obligatoriska tabellen areas saknas", "förväntade areas.csv eller areas.parquet")),
    Case("missing-crime-data", remove("crimes.csv"), says=("brottsdata saknas", "förväntade crimes.csv")),
    Case("missing-column", edit("crimes.csv", "crime_id,reported_date,category,", "crime_id,reported_date,kategori,"),
         says=("crimes.csv", "den obligatoriska kolumnen 'category' saknas", "hittade crime_id, reported_date, kategori, area_id")),
    Case("empty-file", write("survey.csv", ""), says=("survey.csv", "filen är tom", "förväntade en rubrikrad")),
    Case("header-without-rows", write("crimes.csv", "crime_id,reported_date,category,area_id\n"),
         says=("crimes.csv", "rubrikrad men inga rader", "förväntade minst en rad")),
    # --- values
    Case("wrong-type", edit("population.csv", "2023,norr-a,20-64,alla,1200", "2023,norr-a,20-64,alla,många"),
         says=("population.csv, rad 3, kolumn 'count'", "'många'", "förväntade ett heltal")),
    Case("year-as-text-in-data", edit("weekly_assessments.csv", "2023,2,norr-a,4", "tjugo,2,norr-a,4"),
         says=("weekly_assessments.csv, rad 3, kolumn 'year'", "'tjugo'", "förväntade ett heltal")),
    Case("unparseable-date", edit("crimes.csv", "T0004,2022-05-01", "T0004,2022-02-30"),
         says=("crimes.csv, rad 5, kolumn 'reported_date'", "värdet '2022-02-30' är inte giltigt", "förväntade ett datum ÅÅÅÅ-MM-DD")),
    Case("date-in-another-format", edit("crimes.csv", "T0004,2022-05-01", "T0004,1/5/2022"),
         says=("crimes.csv, rad 5, kolumn 'reported_date'", "'1/5/2022'", "ÅÅÅÅ-MM-DD")),
    Case("date-outside-year-range", edit("crimes.csv", "T0004,2022-05-01", "T0004,1899-05-01"),
         says=("crimes.csv, rad 5, kolumn 'reported_date'", "'1899-05-01'", "mellan 1990-01-01 och 2100-12-31")),
    Case("unknown-area-id", edit("crimes.csv", "T0004,2022-05-01,cykel,norr-a", "T0004,2022-05-01,cykel,mitt-c"),
         says=("crimes.csv, rad 5, kolumn 'area_id'", "'mitt-c'", "ett area_id som finns i tabellen areas")),
    Case("unknown-category", edit("crimes.csv", "T0004,2022-05-01,cykel", "T0004,2022-05-01,moped"),
         says=("crimes.csv, rad 5, kolumn 'category'", "'moped'", "en kategori som finns i crime_categories")),
    Case("empty-required-value", edit("crimes.csv", "T0004,2022-05-01,cykel", "T0004,2022-05-01,"),
         says=("crimes.csv, rad 5, kolumn 'category'", "cellen är tom", "får inte vara tom")),
    Case("duplicate-crime-id", edit("crimes.csv", "T0004,", "T0001,"),
         says=("crimes.csv, rad 5", "crime_id=T0001 finns redan", "bara en gång")),
    Case("negative-count", write("crime_counts.csv", "year,month,area_id,category,count\n2023,1,norr-a,inbrott,4\n2023,2,norr-a,inbrott,-3\n"),
         says=("crime_counts.csv, rad 3, kolumn 'count'", "'-3'", "minst 0")),
    Case("level-above-5", edit("weekly_assessments.csv", "2023,2,norr-a,4", "2023,2,norr-a,6"),
         says=("weekly_assessments.csv, rad 3, kolumn 'level'", "'6'", "mellan 1 och 5")),
    Case("level-0", edit("weekly_assessments.csv", "2023,2,norr-a,4", "2023,2,norr-a,0"),
         says=("weekly_assessments.csv, rad 3, kolumn 'level'", "'0'", "mellan 1 och 5")),
    Case("week-0", edit("weekly_assessments.csv", "2023,2,norr-a", "2023,0,norr-a"),
         says=("weekly_assessments.csv, rad 3, kolumn 'week'", "'0'", "mellan 1 och 53")),
    Case("week-54", edit("weekly_assessments.csv", "2023,2,norr-a", "2023,54,norr-a"),
         says=("weekly_assessments.csv, rad 3, kolumn 'week'", "'54'", "mellan 1 och 53")),
    Case("week-53-in-a-52-week-year", edit("weekly_assessments.csv", "2023,2,norr-a", "2023,53,norr-a"),
         says=("weekly_assessments.csv, rad 3, kolumn 'week'", "ISO-året 2023 har 52 veckor")),
    Case("share-above-1", edit("survey.csv", "120,0.25", "120,25"),
         says=("survey.csv, rad 2, kolumn 'share'", "'25'", "ett tal mellan 0 och 1 (en andel: skriv 0.25 för 25 %)")),
    Case("share-below-0", edit("survey.csv", "120,0.25", "120,-0.1"),
         says=("survey.csv, rad 2, kolumn 'share'", "'-0.1'", "mellan 0 och 1")),
    Case("respondents-0", edit("survey.csv", ",120,", ",0,"),
         says=("survey.csv, rad 2, kolumn 'respondents'", "'0'", "minst 1")),
    Case("decimal-comma", edit("survey.csv", "120,0.25", '120,"0,25"'),
         says=("survey.csv, rad 2, kolumn 'share'", "'0,25'", "decimalkomma hittades: skriv 48.5, inte 48,5")),
    # --- text values the chapters select on: a near miss of a known value (issue 15)
    Case("survey-group-in-capitals", edit("survey.csv", ",ja,alla,120,", ",ja,Alla,120,"),
         says=("survey.csv, rad 2, kolumn 'group'", "värdet 'Alla' är inte giltigt", "menade du 'alla'?")),
    Case("survey-question-misspelt", edit("survey.csv", "norr-b,otrygg_kvallstid", "norr-b,otrygg_kvällstid"),
         says=("survey.csv, rad 3, kolumn 'question'", "'otrygg_kvällstid'", "menade du 'otrygg_kvallstid'?")),
    Case("category-in-capitals", edit("crimes.csv", "T0004,2022-05-01,cykel", "T0004,2022-05-01,Cykel"),
         says=("crimes.csv, rad 5, kolumn 'category'", "'Cykel'", "menade du 'cykel'?")),
    Case("group-with-two-names", write("programme_ratings.csv", "year,area_id,programme,group_id,score,group_name\n"
                                       "2023,norr-a,GSRS,g1,7,Tjejgruppen\n2023,norr-a,GSRS,g1,6,Killgruppen\n"),
         says=("programme_ratings.csv, rad 3, kolumn 'group_name'", "'Killgruppen'", "förväntade samma namn som på rad 2 för gruppen 'g1'")),
    Case("place-type-misspelt", write("places.csv", "place_id,name,type,area_id\np1,Torget,öppen drogscen,norr-a\np2,Parken,Öppen drogscen,norr-b\n"),
         says=("places.csv, rad 3, kolumn 'type'", "'Öppen drogscen'", "menade du 'öppen drogscen'?")),
    # --- file formats
    Case("latin-1-file", recode("areas.csv", "latin-1"),
         says=("areas.csv, rad 6", "byten 0xf6 är inte UTF-8", "spara den som 'CSV UTF-8'")),
    Case("windows-1252-file", recode("crime_categories.csv", "cp1252", "Övriga brott", "Övriga brott – diverse"),
         says=("crime_categories.csv, rad 2", "byten 0xe5 är inte UTF-8", "spara den som 'CSV UTF-8'")),
    Case("semicolon-separated", edit("areas.csv", ",", ";", count=-1),
         says=("areas.csv, rad 1", "avgränsad med semikolon", "förväntade kommaavgränsade värden")),
    Case("row-with-too-many-values", edit("crimes.csv", "T0002,2023-03-15,inbrott,norr-a", "T0002,2023-03-15,inbrott,norr-a,Norr, A"),
         says=("crimes.csv, rad 3", "6 värden där rubrikraden har 4 kolumner", "sätt citattecken runt ett värde som innehåller kommatecken")),
    Case("unreadable-file-a-folder", to_folder("crimes.csv"),
         says=("crimes.csv", "kan inte läsas (en mapp)", "lägg själva CSV-filen där")),
    Case("unreadable-file-a-dangling-link", dangling_link("crime_categories.csv"),
         says=("crime_categories.csv", "kan inte läsas (en länk till en fil som inte finns)", "lägg själva CSV-filen där")),
    Case("unreadable-file-permissions", unreadable("crimes.csv"), root_can_read=True,
         says=("crimes.csv", "åtkomst nekad", "gör filen läsbar")),
    # --- GeoJSON
    Case("geojson-without-area-id", write("areas.geojson", geojson(({"id": "norr-a"}, SQUARE))),
         says=("areas.geojson, objekt 1", "egenskapen 'area_id' saknas", "förväntade att varje objekt har area_id")),
    Case("geojson-invalid-geometry", write("areas.geojson", geojson(({"area_id": "norr-a"}, BOWTIE))),
         says=("areas.geojson, objekt 1", "ogiltig geometri (självkorsning vid", "reparera den")),
    Case("geojson-unknown-area", write("areas.geojson", geojson(({"area_id": "mitt-c"}, SQUARE))),
         says=("areas.geojson, objekt 1", "'mitt-c'", "finns inte i tabellen areas")),
    Case("geojson-not-json", write("areas.geojson", '{"type": "FeatureCollection", "features": [}'),
         says=("areas.geojson, rad 1, position", "ogiltig JSON", "förväntade en GeoJSON FeatureCollection")),
    # --- params and options
    Case("params-unknown-key", params="titel: Fel stavat\n",
         says=("bad.yml", "okänd nyckel 'titel'", "menade du 'title'?")),
    Case("params-narrative-key-misspelt", params="narrative:\n  sammantagen_bedömning: Lugnt år.\n",
         says=("bad.yml: okänd nyckel 'narrative.sammantagen_bedömning'", "menade du 'narrative.sammantagen_bedomning'?")),
    Case("params-survey-question-misspelt", params="survey_question: otrygg_kvällstid\n",
         says=("bad.yml", "nyckeln 'survey_question'", "menade du standardfrågans id 'otrygg_kvallstid'?")),
    Case("params-year-as-text", params="year: tjugo\n",
         says=("bad.yml", "nyckeln 'year'", "'tjugo'", "förväntade ett heltal som 2023")),
    Case("params-year-in-quotes", params="year: '2023'\n",
         says=("bad.yml", "nyckeln 'year'", "'2023'", "skrivet utan citattecken")),
    Case("params-area-with-dotdot", params="area: ../../etc\n",
         says=("bad.yml", "nyckeln 'area'", "'../../etc'", "små ASCII-bokstäver")),
    Case("params-area-with-slash", params="area: norr/norr-a\n",
         says=("bad.yml", "nyckeln 'area'", "'norr/norr-a'", "små ASCII-bokstäver")),
    Case("params-not-yaml", params="year: 2023\nnarrative:\n\t- x\n",
         says=("bad.yml, rad 3", "ogiltig YAML (ett tabbtecken; dra in med mellanslag)")),
    Case("params-negative-suppress-below", params="suppress_below: -1\n",
         says=("bad.yml", "nyckeln 'suppress_below'", "förväntade ett tal som är minst 0")),
    Case("option-area-with-dotdot", args=("--area", "../etc"),
         says=("--area '../etc' är inte giltigt", "små ASCII-bokstäver")),
    Case("option-area-with-slash", args=("--area", "norr/x"),
         says=("--area 'norr/x' är inte giltigt", "små ASCII-bokstäver")),
    Case("option-year-as-text", args=("--year", "tjugo"),
         says=("argumentet --year: värdet 'tjugo' är inte giltigt; förväntade ett heltal", "--help")),
    Case("option-unknown-area", args=("--area", "soder-b"),
         says=("okänt område 'soder-b'", "tillgängliga områden:")),
    Case("option-year-without-data", args=("--year", "2031"),
         says=("brottsdata saknas för år 2031", "tillgängliga år: 2022–2023")),
    Case("option-params-file-missing", args=("--params", "/nonexistent/own.yml"),
         says=("/nonexistent/own.yml", "params-filen finns inte")),
]

GOOD = [
    Case("extra-unknown-column-is-allowed", edit("crimes.csv", "crime_id,reported_date,category,area_id\n",
                                                 "crime_id,reported_date,category,area_id,anteckning\n"), code=0),
    Case("byte-order-mark-is-accepted", recode("areas.csv", "utf-8-sig"), code=0),
    Case("new-text-values-are-allowed", write("places.csv", "place_id,name,type,area_id\np1,Torget,centrumanläggning,norr-a\n"), code=0),
    Case("narrative-with-script-tag-is-neutralised",
         params="narrative:\n  sammantagen_bedomning: \"Lugnt <script>alert('x')</script> år.\"\n", code=0),
]


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The tiny project, a good data folder and a report built from them, in a private cache."""
    root = tmp_path_factory.mktemp("bad-input")
    shutil.copytree(FIXTURES / "project", root / "project")
    good = root / "good"
    shutil.copytree(FIXTURES / "backtest_compstat", good, ignore=shutil.ignore_patterns("expected_*"))
    for name, text in (("population.csv", POPULATION), ("weekly_assessments.csv", WEEKLY), ("survey.csv", SURVEY)):
        (good / name).write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LAGESBILD_PROJECT", str(root / "project"))
        mp.setenv("LAGESBILD_CACHE", str(root / "cache"))
        out = root / "out"
        code, _, err = run_cli("build", "--data", str(good), "--out", str(out), "--workers", "1")
        assert code == 0, err
        yield {"root": root, "good": good, "out": out}


@pytest.fixture()
def no_kernels(monkeypatch):
    """Fail the test if anything tries to start a kernel."""
    forbid_kernels(monkeypatch, "a kernel was started for bad input")



def prepare(case: Case, project: dict, tmp_path: Path) -> list[str]:
    """The data folder and options of one case (the data folder is a fresh copy of the good one)."""
    folder = tmp_path / "data"
    shutil.copytree(project["good"], folder)
    if case.data is not None:
        case.data(folder)
    options = ["--data", str(folder)]
    if case.params is not None:
        (tmp_path / "bad.yml").write_text(case.params, encoding="utf-8")
        options += ["--params", str(tmp_path / "bad.yml")]
    return options + list(case.args)


#: Words that give away an English message (DESIGN §9: every message of the command line is Swedish).
ENGLISH = re.compile(
    r"\b(the|is|are|not|no|of|or|and|to|with|expected|unknown|found|cannot|missing|required|invalid|"
    r"row|column|value|file|folder|must|should|did you mean|available|argument|arguments|usage|options)\b", re.I
)


def assert_swedish(message: str) -> None:
    """No English word in a message, once its paths, quoted values and option names are left out
    (they are identifiers and stay as they are)."""
    prose = re.sub(r"(?<![\w-])/\S+|'[^']*'|--[\w-]+|\b\w+\.(csv|parquet|geojson|yml|json)\b", " ", message)
    english = ENGLISH.findall(prose)
    assert not english, f"English {english} in {message!r}"


def assert_one_sentence(err: str, case: Case) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got:\n{err}"
    message = lines[0]
    assert message.startswith("lagesbild"), message
    assert "Traceback" not in err and "Error:" not in message, message
    for part in case.says:
        assert part in message, f"{part!r} not in {message!r}"
    assert_swedish(message)


def skip_if_root_reads_anyway(case: Case) -> None:
    if case.root_can_read and os.geteuid() == 0:
        pytest.skip("running as root: file permissions do not stop root from reading (the folder and link cases cover it)")


# ----------------------------------------------------------------------------- tests
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_check_refuses_bad_input_in_one_sentence(case, project, tmp_path, no_kernels):
    skip_if_root_reads_anyway(case)
    options = prepare(case, project, tmp_path)
    code, out, err = run_cli("check", *options)
    assert code == case.code, err or out
    assert_one_sentence(err, case)
    assert "OK:" not in out


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_build_refuses_bad_input_and_leaves_the_last_report(case, project, tmp_path, no_kernels):
    skip_if_root_reads_anyway(case)
    options = prepare(case, project, tmp_path)
    before = snapshot(project["out"])
    code, out, err = run_cli("build", *options, "--out", str(project["out"]), "--workers", "1")
    assert code == case.code, err or out
    assert_one_sentence(err, case)
    assert snapshot(project["out"]) == before, "the previous report was changed"


FIVE_MISTAKES = (
    edit("crimes.csv", "T0004,2022-05-01,cykel", "T0004,2022-05-01,Cykel"),
    edit("weekly_assessments.csv", "2023,2,norr-a,4", "2023,2,norr-a,6"),
    edit("population.csv", "2023,norr-a,20-64,alla,1200", "2023,norr-a,20-64,alla,många"),
    edit("survey.csv", ",ja,alla,120,", ",ja,Alla,120,"),
    write("places.csv", "place_id,name,type,area_id\np1,Torget,Öppen drogscen,norr-a\n"),
)
FIVE_SAY = (
    "crimes.csv, rad 5, kolumn 'category': värdet 'Cykel' är inte giltigt; menade du 'cykel'?",
    "weekly_assessments.csv, rad 3, kolumn 'level': värdet '6' är inte giltigt; förväntade ett heltal mellan 1 och 5",
    "population.csv, rad 3, kolumn 'count': värdet 'många' är inte giltigt; förväntade ett heltal",
    "survey.csv, rad 2, kolumn 'group': värdet 'Alla' är inte giltigt; menade du 'alla'?",
    "places.csv, rad 2, kolumn 'type': värdet 'Öppen drogscen' är inte giltigt; menade du 'öppen drogscen'?",
)


def test_check_lists_every_problem_then_how_many(project, tmp_path, no_kernels):
    """Issue 15: five independent mistakes in five tables are five lines, not the first one."""
    options = prepare(Case("five", lambda folder: [mistake(folder) for mistake in FIVE_MISTAKES]), project, tmp_path)
    code, out, err = run_cli("check", *options)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 5 and all(line.startswith(f"lagesbild: {tmp_path / 'data'}/") for line in lines), err
    assert [line.split("/")[-1] for line in lines] == list(FIVE_SAY)
    assert out.strip() == "5 fel i indata; ingenting kördes."
    for line in lines:
        assert_swedish(line)


def test_build_stops_on_every_problem_and_leaves_the_last_report(project, tmp_path, no_kernels):
    options = prepare(Case("five", lambda folder: [mistake(folder) for mistake in FIVE_MISTAKES]), project, tmp_path)
    before = snapshot(project["out"])
    code, out, err = run_cli("build", *options, "--out", str(project["out"]), "--workers", "1")
    assert code == 2, err or out
    lines = err.strip().splitlines()
    assert lines[0].startswith("lagesbild: ") and lines[-1] == "5 fel i indata; ingenting kördes."
    assert [line.split("/")[-1] for line in lines[:5]] == list(FIVE_SAY)
    assert snapshot(project["out"]) == before, "the previous report was changed"


@pytest.mark.parametrize("case", GOOD, ids=[c.id for c in GOOD])
def test_harmless_input_passes_the_check(case, project, tmp_path, no_kernels):
    options = prepare(case, project, tmp_path)
    code, out, err = run_cli("check", *options)
    assert code == 0, err
    assert "OK:" in out and err == ""


def test_script_in_a_narrative_is_shown_as_text_not_run():
    from lagesbild_lib.present.markdown import render_markdown

    html = render_markdown("Lugnt <script>alert('x')</script> år. <img src=x onerror=alert(1)>")
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_the_catalogue_is_complete():
    """Issue 8 asks for at least 25 cases covering these kinds of bad input."""
    ids = {c.id for c in CASES + GOOD}
    assert len(CASES) + len(GOOD) >= 25
    for kind in ("missing-required-table", "missing-column", "extra-unknown-column-is-allowed", "wrong-type",
                 "unparseable-date", "date-outside-year-range", "unknown-area-id", "duplicate-crime-id",
                 "negative-count", "level-above-5", "week-0", "week-54", "share-above-1", "respondents-0",
                 "latin-1-file", "byte-order-mark-is-accepted", "semicolon-separated", "decimal-comma", "empty-file",
                 "geojson-without-area-id", "geojson-invalid-geometry", "params-unknown-key", "params-year-as-text",
                 "params-area-with-dotdot", "params-area-with-slash", "narrative-with-script-tag-is-neutralised",
                 "unreadable-file-a-folder"):
        assert kind in ids, kind
