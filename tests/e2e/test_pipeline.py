"""The build pipeline on a tiny project: chapter cache rules, warm kernels, failure handling."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lagesbild_lib.cli import main
from support import child_processes

pytestmark = pytest.mark.e2e


def build(project: Path, *extra: str) -> dict[str, str]:
    """Build the tiny report; return {chapter: hit|miss} from the manifest ({} when up to date)."""
    out = project / "out"
    before = (out / "2023" / "norr" / "manifest.json").read_text() if (out / "2023" / "norr" / "manifest.json").exists() else None
    code = main(["build", "--data", str(project / "data"), "--out", str(out), "--workers", "1", *extra])
    assert code == 0
    text = (out / "2023" / "norr" / "manifest.json").read_text()
    if text == before:
        return {}
    return {c["chapter"]: c["cache"] for c in json.loads(text)["chapters"]}


def test_cache_hits_and_misses(project):
    assert build(project) == {"01_brott": "miss", "02_befolkning": "miss"}
    assert build(project) == {}, "nothing changed: the report is up to date"
    # an unrelated file in the data folder changes nothing
    (project / "data" / "README.txt").write_text("anteckningar", encoding="utf-8")
    assert build(project) == {}
    # a table only chapter 01 reads: only chapter 01 runs again
    crimes = project / "data" / "crimes.csv"
    crimes.write_text(crimes.read_text(encoding="utf-8") + "T9999,2023-05-05,ran,norr-a\n", encoding="utf-8")
    assert build(project) == {"01_brott": "miss", "02_befolkning": "hit"}
    # a table chapter 02 only looked for (absent before): now present, so 02 runs again
    (project / "data" / "population.csv").write_text("year,area_id,age_group,sex,count\n2023,norr-a,0-19,alla,10\n", encoding="utf-8")
    assert build(project) == {"01_brott": "hit", "02_befolkning": "miss"}
    # the params: every chapter reads them
    defaults = project / "params" / "defaults.yml"
    defaults.write_text(defaults.read_text(encoding="utf-8") + "title: Ny titel\n", encoding="utf-8")
    assert build(project) == {"01_brott": "miss", "02_befolkning": "miss"}
    # one chapter's notebook
    nb = project / "notebooks" / "02_befolkning.ipynb"
    nb.write_text(nb.read_text(encoding="utf-8").replace("Befolkningstabell finns", "Finns befolkning"), encoding="utf-8")
    assert build(project) == {"01_brott": "hit", "02_befolkning": "miss"}
    html = (project / "out" / "2023" / "norr" / "lagesbild-norr-2023.html").read_text(encoding="utf-8")
    assert "Anmälda brott: 103" in html and "Finns befolkning: True" in html and "Titel: Ny titel" in html


def test_library_change_invalidates_every_chapter(project, monkeypatch):
    import lagesbild_lib.pipeline.cache as cache

    assert build(project) == {"01_brott": "miss", "02_befolkning": "miss"}
    monkeypatch.setattr(cache, "library_fingerprint", lambda: "another library version")
    assert build(project) == {"01_brott": "miss", "02_befolkning": "miss"}


def test_no_cache_and_single_chapter_rerun(project):
    build(project)
    assert build(project, "--no-cache") == {"01_brott": "miss", "02_befolkning": "miss"}
    assert build(project, "--chapter", "befolkning") == {"01_brott": "hit", "02_befolkning": "miss"}


def test_warm_kernel_isolates_chapters_and_output_does_not_depend_on_the_kernel(project):
    # one worker: chapter 02 runs on the kernel that just ran chapter 01 (which set a variable)
    build(project, "--no-cache")
    chapter = project / "out" / "2023" / "norr" / "chapters" / "02_befolkning.ipynb"
    reused_kernel = chapter.read_bytes()
    # the same chapter alone, on a fresh kernel
    assert build(project, "--chapter", "02_befolkning") == {"01_brott": "hit", "02_befolkning": "miss"}
    assert chapter.read_bytes() == reused_kernel


def test_failing_chapter_keeps_its_notebook_and_the_last_good_report(project, capsys):
    build(project)
    report = project / "out" / "2023" / "norr" / "lagesbild-norr-2023.html"
    good = report.read_bytes()
    nb = project / "notebooks" / "01_brott.ipynb"
    nb.write_text(nb.read_text(encoding="utf-8").replace("leak_from_first_chapter = 42", "1 / 0"), encoding="utf-8")
    capsys.readouterr()
    code = main(["build", "--data", str(project / "data"), "--out", str(project / "out"), "--workers", "1"])
    err = capsys.readouterr().err
    assert code == 1 and "kapitlet 01_brott misslyckades i cell" in err and "ZeroDivisionError" in err
    assert report.read_bytes() == good
    assert "ZeroDivisionError" in (project / "out" / "2023" / "norr.failed" / "chapters" / "01_brott.ipynb").read_text(encoding="utf-8")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_no_kernel_outlives_the_build(project):
    before = child_processes()
    # two workers: the kernels are shut down while the report is stitched, and waited for
    code = main(["build", "--data", str(project / "data"), "--out", str(project / "out"), "--workers", "2", "--no-cache"])
    assert code == 0
    assert child_processes() == before


def test_an_up_to_date_build_imports_no_heavy_library(project):
    """Issue 7, lazy start-up: with everything cached, ``lagesbild build`` finds out without
    importing pandas, matplotlib, papermill or nbconvert (each costs a second or more)."""
    import os
    import subprocess
    import sys

    argv = ["build", "--data", str(project / "data"), "--out", str(project / "out"), "--workers", "1"]
    probe = (
        "import sys; from lagesbild_lib.cli import main; code = main(sys.argv[1:]); "
        "print(code, *sorted(m for m in ('pandas', 'matplotlib', 'papermill', 'nbconvert', 'pyarrow') if m in sys.modules))"
    )

    def run() -> list[str]:
        done = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, env=os.environ.copy(), timeout=300)
        return done.stdout.splitlines()[-1].split()  # the probe's line comes last

    first = run()
    assert first[0] == "0" and "papermill" in first, "the first build runs the chapters"
    assert run() == ["0"], "the report is up to date: nothing heavy imported"
