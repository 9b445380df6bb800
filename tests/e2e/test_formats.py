"""Issue 15, nothing lost: a rebuild writes the Word and PDF versions the report in place was built
with (the manifest records them), drops one only when asked explicitly and then says so, and stops
before anything runs when a PDF must be printed again and no Chromium is installed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lagesbild_lib.cli import main
from lagesbild_lib.data.files import file_sha256
from lagesbild_lib.report.pdf import find_chromium

pytestmark = pytest.mark.e2e
needs_chromium = pytest.mark.skipif(not find_chromium(), reason="Chromium is not installed")

NAME = "lagesbild-norr-2023"


def build(project: Path, capsys, *extra: str, code: int = 0) -> str:
    """Build the tiny report with ``extra`` options; return what the command printed."""
    capsys.readouterr()
    argv = ["build", "--data", str(project / "data"), "--out", str(project / "out"), "--workers", "1", *extra]
    assert main(argv) == code
    printed = capsys.readouterr()
    return printed.out + printed.err


def report(project: Path) -> Path:
    return project / "out" / "2023" / "norr"


def manifest(project: Path) -> dict:
    return json.loads((report(project) / "manifest.json").read_text(encoding="utf-8"))


def change_the_data(project: Path) -> None:
    crimes = project / "data" / "crimes.csv"
    crimes.write_text(crimes.read_text(encoding="utf-8") + "T9999,2023-05-05,ran,norr-a\n", encoding="utf-8")


def assert_fresh(project: Path, *formats: str) -> None:
    """The report holds exactly these versions, each the one its manifest names."""
    m = manifest(project)
    assert m["formats"] == list(formats)
    for suffix in ("docx", "pdf"):
        path = report(project) / f"{NAME}.{suffix}"
        assert path.is_file() == (suffix in formats), path.name
        if suffix in formats:
            assert m["outputs"][path.name] == file_sha256(path)
        else:
            assert path.name not in m["outputs"]


@needs_chromium
def test_a_plain_rebuild_keeps_the_word_and_pdf_versions(project, capsys):
    build(project, capsys, "--pdf", "--docx")
    assert_fresh(project, "docx", "pdf")
    # nothing changed: up to date, with the versions in place being those that would be built
    assert "Rapporten är redan aktuell" in build(project, capsys)
    assert_fresh(project, "docx", "pdf")
    # the data changed: a plain build (make report) makes the Word and PDF versions again
    old = manifest(project)
    change_the_data(project)
    said = build(project, capsys)
    assert "Klar på" in said and f"Byggde om även {NAME}.docx, {NAME}.pdf, som rapporten hade förut" in said
    assert "(ta bort med --no-docx, --no-pdf eller --only-html)" in said
    assert_fresh(project, "docx", "pdf")
    new = manifest(project)
    assert new["build_time"] != old["build_time"] and new["inputs"] != old["inputs"]
    for name in (f"{NAME}.docx", f"{NAME}.pdf"):
        assert new["outputs"][name] != old["outputs"][name], f"{name} was made again from the new data"
    from docx import Document

    assert "Anmälda brott: 103" in "\n".join(p.text for p in Document(report(project) / f"{NAME}.docx").paragraphs)
    # and again nothing changed: up to date
    assert "Rapporten är redan aktuell" in build(project, capsys)


@needs_chromium
def test_a_format_dropped_explicitly_is_removed_and_said(project, capsys):
    build(project, capsys, "--pdf", "--docx")
    said = build(project, capsys, "--no-pdf")
    pdf = report(project) / f"{NAME}.pdf"
    assert f"Tog bort {pdf}, som du bad om (--no-pdf)." in said
    assert f"Byggde om även {NAME}.docx," in said
    assert_fresh(project, "docx")
    assert "Rapporten är redan aktuell" in build(project, capsys), "a plain build now keeps only the Word version"
    assert "Rapporten är redan aktuell" in build(project, capsys, "--no-pdf"), "nothing to drop: nothing done"
    said = build(project, capsys, "--only-html")
    assert f"Tog bort {report(project) / (NAME + '.docx')}, som du bad om (--no-docx)." in said and "Byggde om" not in said
    assert_fresh(project)
    assert "Rapporten är redan aktuell" in build(project, capsys)
    said = build(project, capsys, "--only-html", "--pdf", code=2)
    assert "--only-html går inte att kombinera med --pdf" in said


def test_a_word_version_is_kept_by_an_older_manifest_too(project, capsys):
    """A report built before the manifest recorded its formats: the file in place counts."""
    build(project, capsys, "--docx")
    path = report(project) / "manifest.json"
    old = manifest(project)
    del old["formats"]
    path.write_text(json.dumps(old), encoding="utf-8")
    change_the_data(project)
    assert f"Byggde om även {NAME}.docx" in build(project, capsys)
    assert_fresh(project, "docx")


@needs_chromium
def test_a_pdf_to_make_again_without_chromium_stops_before_anything_runs(project, capsys, monkeypatch):
    build(project, capsys, "--pdf")
    change_the_data(project)
    before = {p.name: p.read_bytes() for p in report(project).iterdir() if p.is_file()}
    monkeypatch.setenv("LAGESBILD_CHROMIUM", str(project / "ingen-chromium"))
    said = build(project, capsys, code=2)
    assert said.count("\n") == 1 and said.startswith("lagesbild: ")
    assert "har en PDF-version som bygget skulle göra om, men Chromium" in said
    assert "installera Chromium" in said and "--no-pdf" in said and "Bygger" not in said
    assert {p.name: p.read_bytes() for p in report(project).iterdir() if p.is_file()} == before, "nothing replaced"
    # dropping the PDF explicitly needs no Chromium
    assert "Tog bort" in build(project, capsys, "--no-pdf")
    assert_fresh(project)


def test_an_up_to_date_build_with_a_word_version_imports_no_heavy_library(project, capsys):
    build(project, capsys, "--docx")
    probe = (
        "import sys; from lagesbild_lib.cli import main; code = main(sys.argv[1:]); "
        "print(code, *sorted(m for m in ('pandas', 'matplotlib', 'papermill', 'nbconvert', 'docx') if m in sys.modules))"
    )
    argv = ["build", "--data", str(project / "data"), "--out", str(project / "out"), "--workers", "1"]
    done = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, env=os.environ.copy(), timeout=300)
    assert "Rapporten är redan aktuell" in done.stdout
    assert done.stdout.splitlines()[-1].split() == ["0"]
    assert_fresh(project, "docx")
