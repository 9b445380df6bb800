"""End-to-end: `lagesbild build` on the demo data, checked against the output contract (DESIGN §5)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lagesbild_lib.cli import main
from support import forbid_kernels, report_contract_result

ROOT = Path(__file__).resolve().parents[2]
HTML = "lagesbild-hasselby-vallingby-2023.html"
CHAPTERS = ["00_sammanfattning", "01_omradet", "02_brottslighet", "03_trygghet", "04_monster", "05_orsaker",
            "06_prioriterade_omraden", "07_atgardsplan", "08_kallor"]

pytestmark = pytest.mark.e2e


def html_of(folder: Path) -> str:
    return (folder / HTML).read_text(encoding="utf-8")


def test_contract_paths(built):
    assert (built / HTML).is_file()
    assert sorted(p.stem for p in (built / "chapters").glob("*.ipynb")) == CHAPTERS
    assert (built / "manifest.json").is_file() and (built / "tabeller.xlsx").is_file()
    assert not list(built.parent.glob(".*building*")), "temporary build folder left behind"


def test_report_is_swedish_offline_and_shows_no_code(built):
    html = html_of(built)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="sv">' in html
    urls = re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert urls == [], "no resource may load off the page"
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html) and "@import" not in html
    assert "<script" not in html
    for code in ("chapter_context(", "import ", "show(sec.", "lagesbild_lib"):
        assert code not in html.split("<footer")[0], f"code visible: {code}"
    assert "Traceback" not in html and "Error" not in html.split("<footer")[0]
    assert "Demodata – syntetiska uppgifter" in html.split("<main>")[0], "the title page must say the data are synthetic"
    for heading in ("Sammantagen bedömning", "Beskrivning av området", "Beskrivning av brottsligheten",
                    "Beskrivning av tryggheten", "Prioriterade samverkansområden"):
        assert heading in html


def test_images_have_alt_text_and_tables_are_tables(built):
    html = html_of(built)
    imgs = re.findall(r"<img\b[^>]*>", html)
    assert imgs, "the demo report has charts"
    for img in imgs:
        alt = re.search(r'alt="([^"]*)"', img)
        assert alt and len(alt.group(1)) > 20, img[:120]
        assert 'src="data:image/png;base64,' in img
    assert html.count("<table") >= 8 and '<th scope="col">' in html
    # every chart and map has its numbers as a table; a picture the analysts add to a text (the
    # organisation chart of a narrative slot) holds no numbers and says what it shows in its alt text
    pictures = len(re.findall(r'<div class="lb-slot-figure"><img\b', html))
    assert pictures == 1, "the demo shows its organisation chart"
    assert html.count("<details") == len(imgs) - pictures, "every chart has its numbers as a table"


def test_captions_are_numbered_in_reading_order(built):
    html = html_of(built)
    for kind in ("Tabell", "Diagram"):
        numbers = [int(n) for n in re.findall(rf'data-kind="{kind}">{kind} (\d+)\.</span>', html)]
        assert numbers == list(range(1, len(numbers) + 1)) and numbers
    assert 'data-kind="Tabell">Tabell</span>' not in html  # none left unnumbered
    # the analysts' organisation chart is "Figur 1", numbered apart from the charts (it holds no numbers)
    assert re.findall(r'data-kind="Figur">(Figur \d+)\.</span> Samverkans organisation', html) == ["Figur 1"]


def test_table_of_contents_links_resolve(built):
    html = html_of(built)
    toc = re.search(r"<nav[^>]*class=\"toc\"[^>]*>(.*?)</nav>", html, re.S).group(1)
    targets = re.findall(r'href="#([^"]+)"', toc)
    assert len(targets) >= 10
    for target in targets:
        assert f'id="{target}"' in html, target
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "ids are unique"


def test_provenance_and_manifest(built, demo_dir):
    html = html_of(built)
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["year"] == 2023 and manifest["parameters"]["area"] == "hasselby-vallingby"
    assert [c["chapter"] for c in manifest["chapters"]] == CHAPTERS
    assert all(c["status"] == "ok" and c["seconds"] > 0 for c in manifest["chapters"])
    from lagesbild_lib.data.dataset import file_sha256

    digest = file_sha256(demo_dir / "crimes.parquet")
    assert manifest["inputs"]["crimes.parquet"] == digest
    footer = html[html.index('<footer class="provenance">'):]
    assert digest in footer and 'class="build-time"' in footer and "lagesbild 0." in footer
    assert manifest["outputs"][HTML] == file_sha256(built / HTML)


def test_excel_has_every_numbered_table(built):
    from openpyxl import load_workbook

    wb = load_workbook(built / "tabeller.xlsx")
    html = html_of(built)
    numbered = re.findall(r'data-kind="(Tabell|Diagram|Kartbild)">\1 (\d+)\.</span>', html)
    assert [f"{k} {n}" for k, n in numbered] == wb.sheetnames[1:]
    compstat = next(ws for ws in wb.worksheets if "CompStat" in str(ws["A1"].value))
    counts = [row[2] for row in compstat.iter_rows(min_row=3, values_only=True)]
    assert all(isinstance(c, int) for c in counts), "counts are numbers, not text"


def test_no_row_level_records_in_outputs(built, demo_dir):
    import pandas as pd

    crimes = pd.read_parquet(demo_dir / "crimes.parquet", columns=["crime_id"])
    sample = crimes["crime_id"].iloc[::5000].tolist()
    texts = [html_of(built), (built / "manifest.json").read_text()] + [p.read_text() for p in (built / "chapters").glob("*.ipynb")]
    for crime_id in sample:
        assert not any(crime_id in t for t in texts), crime_id


def test_report_contract_checker(built):
    result = report_contract_result(built / HTML)
    if result is None:
        pytest.skip("shared checks not present")
    assert result.returncode == 0, result.stdout + result.stderr


def test_demo_report_is_small_enough_to_email(built):
    assert (built / HTML).stat().st_size < 5 * 1024 * 1024


def test_another_area_and_year_from_the_same_notebooks(tmp_path, demo_dir):
    assert main(["build", "--year", "2022", "--area", "bromma", "--data", str(demo_dir), "--out", str(tmp_path)]) == 0
    html = (tmp_path / "2022" / "bromma" / "lagesbild-bromma-2022.html").read_text(encoding="utf-8")
    assert "Bromma 2022" in html and "Hässelby gård" not in html


def test_two_level_kommun_builds(tmp_path, demo_dir):
    assert main(["build", "--year", "2024", "--area", "solna", "--data", str(demo_dir), "--out", str(tmp_path)]) == 0
    assert (tmp_path / "2024" / "solna" / "lagesbild-solna-2024.html").is_file()


def test_bad_parameters_exit_2_and_overwrite_nothing(tmp_path, built, demo_dir, capsys):
    out = built.parent.parent
    before = (built / HTML).read_bytes()
    for args, expected in [
        (["--area", "atlantis"], "okänt område 'atlantis'"),
        (["--year", "1999"], "tillgängliga år: 2019–2025"),
        (["--area", "../etc"], "små ASCII-bokstäver"),
        (["--chapter", "nonsense"], "okänt kapitel 'nonsense'"),
    ]:
        code = main(["build", "--data", str(demo_dir), "--out", str(out), *args])
        err = capsys.readouterr().err
        assert code == 2, err
        assert expected in err and "Traceback" not in err
        assert err.strip().count("\n") == 0, "one sentence"
    assert (built / HTML).read_bytes() == before


@pytest.mark.parametrize("period_end, expected", [
    ('"02-30"', "ingen dag år 2023"),
    ("2022-10-31", "inte i rapportåret 2023"),
])
def test_period_end_that_is_no_day_of_the_year_exits_2_before_any_kernel(
    tmp_path, demo_dir, capsys, monkeypatch, period_end, expected
):
    forbid_kernels(monkeypatch, "a bad period_end is refused before any chapter runs")
    own = tmp_path / "p.yml"
    own.write_text(f"period_end: {period_end}\n", encoding="utf-8")
    for command in ("check", "build"):
        code = main([command, "--data", str(demo_dir), "--params", str(own), "--out", str(tmp_path / "out")][: 5 if command == "check" else 7])
        err = capsys.readouterr().err
        assert code == 2, err
        assert "'period_end'" in err and expected in err and err.strip().count("\n") == 0
    assert not (tmp_path / "out").exists()


def test_bad_data_exit_2_and_overwrite_nothing(tmp_path, built, demo_dir, capsys):
    bad = tmp_path / "data"
    shutil.copytree(demo_dir, bad)
    text = (bad / "weekly_assessments.csv").read_text(encoding="utf-8").splitlines()
    fields = text[5].split(",")
    fields[-1] = "7"
    text[5] = ",".join(fields)
    (bad / "weekly_assessments.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    out = built.parent.parent
    before = (built / HTML).read_bytes()
    assert main(["build", "--data", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "weekly_assessments.csv, rad 6, kolumn 'level': värdet '7'" in err
    assert (built / HTML).read_bytes() == before
    assert main(["check", "--data", str(bad)]) == 2


def test_failing_chapter_exits_1_keeps_notebook_and_last_good_report(tmp_path, demo_dir, capsys, monkeypatch):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "params", project / "params")
    shutil.copytree(ROOT / "notebooks", project / "notebooks")
    monkeypatch.setenv("LAGESBILD_PROJECT", str(project))
    out = tmp_path / "out"
    args = ["build", "--data", str(demo_dir), "--out", str(out), "--chapter", "brottslighet"]
    assert main(args) == 0
    report = out / "2023" / "hasselby-vallingby"
    good = (report / HTML).read_bytes()

    import nbformat

    path = project / "notebooks" / "02_brottslighet.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('trasig kapitelkod')"))
    nbformat.write(nb, path)
    capsys.readouterr()
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "kapitlet 02_brottslighet misslyckades i cell" in err and "trasig kapitelkod" in err
    assert (report / HTML).read_bytes() == good, "the last good report is left in place"
    kept = report.with_name("hasselby-vallingby.failed") / "chapters" / "02_brottslighet.ipynb"
    assert "trasig kapitelkod" in kept.read_text(encoding="utf-8")
    manifest = json.loads((report / "manifest.json").read_text())
    assert {c["chapter"]: c["source"] for c in manifest["chapters"]}["02_brottslighet"] == "executed"


def test_console_script_and_module_entry_point():
    result = subprocess.run([sys.executable, "-m", "lagesbild_lib", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("lagesbild ")
    script = Path(sys.executable).parent / "lagesbild"
    result = subprocess.run([str(script), "build", "--year", "abc"], capture_output=True, text=True)
    assert result.returncode == 2 and "värdet 'abc' är inte giltigt; förväntade ett heltal" in result.stderr


def test_two_builds_of_the_same_inputs_are_byte_identical_but_for_build_time(tmp_path, built, demo_dir):
    assert main(["build", "--data", str(demo_dir), "--out", str(tmp_path)]) == 0
    again = tmp_path / "2023" / "hasselby-vallingby"
    strip = lambda html: re.sub(r'<time class="build-time">[^<]*</time>', "", html)  # noqa: E731
    assert strip(html_of(again)) == strip(html_of(built))
    assert (again / "tabeller.xlsx").read_bytes() == (built / "tabeller.xlsx").read_bytes()
    for chapter in CHAPTERS:
        name = f"chapters/{chapter}.ipynb"
        assert (again / name).read_bytes() == (built / name).read_bytes(), name


def test_demo_report_matches_its_reviewed_snapshot(built):
    """Everything a reader sees in the demo report and its workbook equals the reviewed snapshot
    (tests/snapshot.py says how to record a new one when a change is intended)."""
    import snapshot

    assert snapshot.fingerprint(built) == snapshot.recorded(), (
        "the demo report changed; if that is intended, review it and run: .venv/bin/python tests/snapshot.py --update"
    )


def _html_tables(html: str) -> dict[str, list[list[str]]]:
    """Every numbered table and every figure's "Siffrorna bakom" table of the report, as text rows,
    by number ("Tabell 7", "Diagram 3"); the weekly grid (two header rows, coloured cells) is left out."""
    import html as htmlmod

    def rows(table: str) -> list[list[str]]:
        found = []
        for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
            cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
            found.append([htmlmod.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
        return found

    out = {}
    for block in re.findall(r'<div class="lb-figure [^"]*">(.*?)</div>(?=<div class="lb-figure|<h[1-6]|<p|<div|</section|$)', html, re.S):
        number = re.search(r'data-kind="(Tabell|Diagram|Kartbild)">\1 (\d+)\.</span>', block)
        if number is None or "lb-weekly" in block:
            continue
        table = re.search(r"<details class=\"lb-data\">.*?(<table.*?</table>)", block, re.S) or re.search(r"(<table.*?</table>)", block, re.S)
        if table:
            out[f"{number.group(1)} {number.group(2)}"] = rows(table.group(1))
    return out


def test_workbook_sheets_equal_the_html_tables_row_for_row(built):
    from openpyxl import load_workbook

    from lagesbild_lib.report.excel import swedish_number

    wb = load_workbook(built / "tabeller.xlsx")
    tables = _html_tables(html_of(built))
    assert len(tables) >= 15
    for number, html_rows in tables.items():
        sheet = [list(r) for r in wb[number].iter_rows(min_row=2, values_only=True)]
        assert len(sheet) == len(html_rows), f"{number}: {len(sheet)} rows in the workbook, {len(html_rows)} in the report"
        for shown, stored in zip(html_rows, sheet):
            assert len(stored) == len(shown), number
            for text, value in zip(shown, stored):
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    number_in_text = swedish_number(text)
                    assert number_in_text is not None and abs(number_in_text - value) < 1e-9, (number, text, value)
                elif value is None:
                    assert text in ("", "–"), (number, text)  # the report's dash for a missing value: an empty cell
                else:
                    assert value == text, (number, text, value)


def test_a_filter_that_comes_up_empty_is_a_visible_note_and_a_build_warning(tmp_path, demo_dir, caplog):
    """Survey rows exist, but none for the report's area and year: the chapter says which filter
    came up empty, the build prints it, and the key figure says it is another year's measurement."""
    import pandas as pd

    from lagesbild_lib.data.areas import AreaRegistry

    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    mine = set(AreaRegistry(pd.read_csv(data / "areas.csv")).descendants("hasselby-vallingby"))
    survey = pd.read_csv(data / "survey.csv")
    survey[~(survey["area_id"].isin(mine) & (survey["year"] == 2023))].to_csv(data / "survey.csv", index=False)
    with caplog.at_level("WARNING", logger="lagesbild"):
        assert main(["build", "--data", str(data), "--out", str(tmp_path / "out")]) == 0
    assert "Varning (trygghet): Det finns inga enkätsvar om andelen som känner sig otrygga" in caplog.text
    html = html_of(tmp_path / "out" / "2023" / "hasselby-vallingby")
    assert "urvalet i enkätdata: fråga ”otrygg_kvallstid”" in html
    assert re.search(r"Otrygga ute ensamma kvällstid 20\d\d, senaste mätningen \(", html)
