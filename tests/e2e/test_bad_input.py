"""The bad-input catalogue (issue 8, item 4): every way a data folder or a params file is commonly
broken, run through the command line.

Each case is a small data folder (a copy of ``tests/fixtures/backtest_compstat`` with a few
optional tables, then broken in one place) or a params file. ``lagesbild check`` and
``lagesbild build`` must both refuse it with exit code 2 and ONE sentence on stderr naming the
file (and the row and column where there is one) and what is expected (several mistakes are one
line each, then a count line: issue 15), no traceback, no kernel
started, and the report built before from good inputs left byte for byte as it was. The few
inputs that are fine (an extra column, a byte order mark, a script tag in a narrative) must pass.

The report the failed builds must not touch is built once with the tiny fixture project (two
small chapters), so the module runs in seconds.
"""

from __future__ import annotations

import json
import os
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
    Case("missing-required-table", remove("areas.csv"), says=("required table areas is missing", "expected areas.csv or areas.parquet")),
    Case("missing-crime-data", remove("crimes.csv"), says=("no crime data", "expected crimes.csv")),
    Case("missing-column", edit("crimes.csv", "crime_id,reported_date,category,", "crime_id,reported_date,kategori,"),
         says=("crimes.csv", "required column 'category' is missing", "found crime_id, reported_date, kategori, area_id")),
    Case("empty-file", write("survey.csv", ""), says=("survey.csv", "the file is empty", "expected a header row")),
    Case("header-without-rows", write("crimes.csv", "crime_id,reported_date,category,area_id\n"),
         says=("crimes.csv", "header but no rows", "expected at least one row")),
    # --- values
    Case("wrong-type", edit("population.csv", "2023,norr-a,20-64,alla,1200", "2023,norr-a,20-64,alla,många"),
         says=("population.csv, row 3, column 'count'", "'många'", "expected a whole number")),
    Case("year-as-text-in-data", edit("weekly_assessments.csv", "2023,2,norr-a,4", "tjugo,2,norr-a,4"),
         says=("weekly_assessments.csv, row 3, column 'year'", "'tjugo'", "expected a whole number")),
    Case("unparseable-date", edit("crimes.csv", "T0004,2022-05-01", "T0004,2022-02-30"),
         says=("crimes.csv, row 5, column 'reported_date'", "'2022-02-30'", "expected a date YYYY-MM-DD")),
    Case("date-in-another-format", edit("crimes.csv", "T0004,2022-05-01", "T0004,1/5/2022"),
         says=("crimes.csv, row 5, column 'reported_date'", "'1/5/2022'", "YYYY-MM-DD")),
    Case("date-outside-year-range", edit("crimes.csv", "T0004,2022-05-01", "T0004,1899-05-01"),
         says=("crimes.csv, row 5, column 'reported_date'", "'1899-05-01'", "between 1990-01-01 and 2100-12-31")),
    Case("unknown-area-id", edit("crimes.csv", "T0004,2022-05-01,cykel,norr-a", "T0004,2022-05-01,cykel,mitt-c"),
         says=("crimes.csv, row 5, column 'area_id'", "'mitt-c'", "an area_id listed in the areas table")),
    Case("unknown-category", edit("crimes.csv", "T0004,2022-05-01,cykel", "T0004,2022-05-01,moped"),
         says=("crimes.csv, row 5, column 'category'", "'moped'", "listed in crime_categories")),
    Case("empty-required-value", edit("crimes.csv", "T0004,2022-05-01,cykel", "T0004,2022-05-01,"),
         says=("crimes.csv, row 5, column 'category'", "the cell is empty", "may not be empty")),
    Case("duplicate-crime-id", edit("crimes.csv", "T0004,", "T0001,"),
         says=("crimes.csv, row 5", "duplicate crime_id=T0001", "only once")),
    Case("negative-count", write("crime_counts.csv", "year,month,area_id,category,count\n2023,1,norr-a,inbrott,4\n2023,2,norr-a,inbrott,-3\n"),
         says=("crime_counts.csv, row 3, column 'count'", "'-3'", "at least 0")),
    Case("level-above-5", edit("weekly_assessments.csv", "2023,2,norr-a,4", "2023,2,norr-a,6"),
         says=("weekly_assessments.csv, row 3, column 'level'", "'6'", "between 1 and 5")),
    Case("level-0", edit("weekly_assessments.csv", "2023,2,norr-a,4", "2023,2,norr-a,0"),
         says=("weekly_assessments.csv, row 3, column 'level'", "'0'", "between 1 and 5")),
    Case("week-0", edit("weekly_assessments.csv", "2023,2,norr-a", "2023,0,norr-a"),
         says=("weekly_assessments.csv, row 3, column 'week'", "'0'", "between 1 and 53")),
    Case("week-54", edit("weekly_assessments.csv", "2023,2,norr-a", "2023,54,norr-a"),
         says=("weekly_assessments.csv, row 3, column 'week'", "'54'", "between 1 and 53")),
    Case("week-53-in-a-52-week-year", edit("weekly_assessments.csv", "2023,2,norr-a", "2023,53,norr-a"),
         says=("weekly_assessments.csv, row 3, column 'week'", "ISO year 2023 has 52 weeks")),
    Case("share-above-1", edit("survey.csv", "120,0.25", "120,25"),
         says=("survey.csv, row 2, column 'share'", "'25'", "a number between 0 and 1 (a share: write 0.25 for 25 %)")),
    Case("share-below-0", edit("survey.csv", "120,0.25", "120,-0.1"),
         says=("survey.csv, row 2, column 'share'", "'-0.1'", "between 0 and 1")),
    Case("respondents-0", edit("survey.csv", ",120,", ",0,"),
         says=("survey.csv, row 2, column 'respondents'", "'0'", "at least 1")),
    Case("decimal-comma", edit("survey.csv", "120,0.25", '120,"0,25"'),
         says=("survey.csv, row 2, column 'share'", "'0,25'", "decimal comma found: write 48.5, not 48,5")),
    # --- text values the chapters select on: a near miss of a known value (issue 15)
    Case("survey-group-in-capitals", edit("survey.csv", ",ja,alla,120,", ",ja,Alla,120,"),
         says=("survey.csv, row 2, column 'group'", "value 'Alla' is not valid", "did you mean 'alla'?")),
    Case("survey-question-misspelt", edit("survey.csv", "norr-b,otrygg_kvallstid", "norr-b,otrygg_kvällstid"),
         says=("survey.csv, row 3, column 'question'", "'otrygg_kvällstid'", "did you mean 'otrygg_kvallstid'?")),
    Case("category-in-capitals", edit("crimes.csv", "T0004,2022-05-01,cykel", "T0004,2022-05-01,Cykel"),
         says=("crimes.csv, row 5, column 'category'", "'Cykel'", "did you mean 'cykel'?")),
    Case("place-type-misspelt", write("places.csv", "place_id,name,type,area_id\np1,Torget,öppen drogscen,norr-a\np2,Parken,Öppen drogscen,norr-b\n"),
         says=("places.csv, row 3, column 'type'", "'Öppen drogscen'", "did you mean 'öppen drogscen'?")),
    # --- file formats
    Case("latin-1-file", recode("areas.csv", "latin-1"),
         says=("areas.csv, row 6", "byte 0xf6 is not UTF-8", "save it as 'CSV UTF-8'")),
    Case("windows-1252-file", recode("crime_categories.csv", "cp1252", "Övriga brott", "Övriga brott – diverse"),
         says=("crime_categories.csv, row 2", "byte 0xe5 is not UTF-8", "save it as 'CSV UTF-8'")),
    Case("semicolon-separated", edit("areas.csv", ",", ";", count=-1),
         says=("areas.csv, row 1", "separated by semicolons", "expected comma-separated values")),
    Case("row-with-too-many-values", edit("crimes.csv", "T0002,2023-03-15,inbrott,norr-a", "T0002,2023-03-15,inbrott,norr-a,Norr, A"),
         says=("crimes.csv, row 3", "6 values where the header has 4 columns", "put quotes around a value that contains a comma")),
    Case("unreadable-file-a-folder", to_folder("crimes.csv"),
         says=("crimes.csv", "cannot be read (a folder)", "put the CSV file itself there")),
    Case("unreadable-file-a-dangling-link", dangling_link("crime_categories.csv"),
         says=("crime_categories.csv", "cannot be read (a link to a missing file)", "put the CSV file itself there")),
    Case("unreadable-file-permissions", unreadable("crimes.csv"), root_can_read=True,
         says=("crimes.csv", "permission denied", "make the file readable")),
    # --- GeoJSON
    Case("geojson-without-area-id", write("areas.geojson", geojson(({"id": "norr-a"}, SQUARE))),
         says=("areas.geojson, feature 1", "property 'area_id' is missing", "expected every feature to have area_id")),
    Case("geojson-invalid-geometry", write("areas.geojson", geojson(({"area_id": "norr-a"}, BOWTIE))),
         says=("areas.geojson, feature 1", "invalid geometry (Self-intersection", "repair it")),
    Case("geojson-unknown-area", write("areas.geojson", geojson(({"area_id": "mitt-c"}, SQUARE))),
         says=("areas.geojson, feature 1", "'mitt-c'", "is not an area_id of the areas table")),
    Case("geojson-not-json", write("areas.geojson", '{"type": "FeatureCollection", "features": [}'),
         says=("areas.geojson, line 1, column", "not valid JSON", "expected a GeoJSON FeatureCollection")),
    # --- params and options
    Case("params-unknown-key", params="titel: Fel stavat\n",
         says=("bad.yml", "unknown key 'titel'", "did you mean 'title'?")),
    Case("params-narrative-key-misspelt", params="narrative:\n  sammantagen_bedömning: Lugnt år.\n",
         says=("bad.yml: unknown key 'narrative.sammantagen_bedömning'", "did you mean 'narrative.sammantagen_bedomning'?")),
    Case("params-survey-question-misspelt", params="survey_question: otrygg_kvällstid\n",
         says=("bad.yml", "key 'survey_question'", "did you mean the standard question id 'otrygg_kvallstid'?")),
    Case("params-year-as-text", params="year: tjugo\n",
         says=("bad.yml", "key 'year'", "'tjugo'", "expected a whole number such as 2023")),
    Case("params-year-in-quotes", params="year: '2023'\n",
         says=("bad.yml", "key 'year'", "'2023'", "written without quotes")),
    Case("params-area-with-dotdot", params="area: ../../etc\n",
         says=("bad.yml", "key 'area'", "'../../etc'", "lowercase ASCII slug")),
    Case("params-area-with-slash", params="area: norr/norr-a\n",
         says=("bad.yml", "key 'area'", "'norr/norr-a'", "lowercase ASCII slug")),
    Case("params-not-yaml", params="year: 2023\nnarrative:\n\t- x\n",
         says=("bad.yml", "line 3", "is not valid YAML")),
    Case("params-negative-suppress-below", params="suppress_below: -1\n",
         says=("bad.yml", "key 'suppress_below'", "expected a number of at least 0")),
    Case("option-area-with-dotdot", args=("--area", "../etc"),
         says=("--area '../etc' is not valid", "lowercase ASCII slug")),
    Case("option-area-with-slash", args=("--area", "norr/x"),
         says=("--area 'norr/x' is not valid", "lowercase ASCII slug")),
    Case("option-year-as-text", args=("--year", "tjugo"),
         says=("argument --year: invalid int value: 'tjugo'", "--help")),
    Case("option-unknown-area", args=("--area", "soder-b"),
         says=("unknown area 'soder-b'", "available areas:")),
    Case("option-year-without-data", args=("--year", "2031"),
         says=("no crime data for the year 2031", "available years: 2022–2023")),
    Case("option-params-file-missing", args=("--params", "/nonexistent/own.yml"),
         says=("/nonexistent/own.yml", "params file not found")),
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


def assert_one_sentence(err: str, case: Case) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got:\n{err}"
    message = lines[0]
    assert message.startswith("lagesbild"), message
    assert "Traceback" not in err and "Error:" not in message, message
    for part in case.says:
        assert part in message, f"{part!r} not in {message!r}"


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
    "crimes.csv, row 5, column 'category': value 'Cykel' is not valid; did you mean 'cykel'?",
    "weekly_assessments.csv, row 3, column 'level': value '6' is not valid; expected a whole number between 1 and 5",
    "population.csv, row 3, column 'count': value 'många' is not valid; expected a whole number",
    "survey.csv, row 2, column 'group': value 'Alla' is not valid; did you mean 'alla'?",
    "places.csv, row 2, column 'type': value 'Öppen drogscen' is not valid; did you mean 'öppen drogscen'?",
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
