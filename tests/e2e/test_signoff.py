"""Review and sign-off: the status on the title page, the "UTKAST" watermark in print only for a
draft, and the warning when a fastställd report is built from other inputs than it was signed off
with (the signed-off manifest is kept beside the report and ``lagesbild diff`` reads it)."""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from lagesbild_lib import paths
from lagesbild_lib.report import stitch
from lagesbild_lib.cli import main
from lagesbild_lib.report.diff import SIGNED_MANIFEST
from lagesbild_lib.report.pdf import find_chromium, html_to_pdf

pytestmark = pytest.mark.e2e

META = {
    "title": "Lokal lägesbild", "area_name": "Testområdet", "year": 2023, "period": "1 jan–31 okt 2023",
    "parties": [], "diarienummer": "", "classification": "", "status": "Utkast", "reviewed_by": "", "reviewed_on": "",
    "demo": False, "version": "0.0.0", "build_time": "2023-11-01T12:00:00+01:00", "parameters": [("year", "2023")],
    "inputs": [("crimes.csv", "ab" * 32)], "software": [("lagesbild", "0.0.0")],
}
STATUSES = [("Utkast", True), ("Granskad", False), ("Fastställd", False)]


@pytest.fixture
def chapter(tmp_path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Kapitel\n\nLäget är lugnt.")]
    path = tmp_path / "00_kapitel.ipynb"
    nbformat.write(nb, path)
    return path


def page(chapter: Path, status: str, **meta) -> str:
    return stitch.stitch_html([chapter], {**META, "status": status, **meta}).html


@pytest.mark.parametrize("status, draft", STATUSES)
def test_the_draft_watermark_appears_only_for_utkast(chapter, status, draft):
    html = page(chapter, status)
    watermark = re.findall(r"<div[^>]*\bclass=\"lb-watermark\"[^>]*>(.*?)</div>", html)
    assert len(watermark) == int(draft)
    assert all(w == "" for w in watermark) and ('aria-hidden="true"' in html) is draft, "an empty element: the word is CSS"
    assert f"<dt>Status</dt><dd>{status}</dd>" in html


def test_the_watermark_is_for_print_only_and_says_utkast():
    css = (paths.templates_dir() / "lagesbild" / "report.css").read_text(encoding="utf-8")
    assert re.search(r"^\.lb-watermark \{ display: none; \}", css, re.M), "hidden on screen"
    printed = css[css.index(".lb-watermark { display: none; }"):]
    assert re.search(r'@media print \{\s*\.lb-watermark \{ display: block; \}\s*\.lb-watermark::after \{\s*content: "UTKAST"', printed)
    assert "position: fixed" in printed, "fixed: repeated on every printed page"


def test_the_title_page_shows_who_reviewed_and_when(chapter):
    html = page(chapter, "Fastställd", reviewed_by="Anna Berg, trygghetssamordnare", reviewed_on="1 februari 2024")
    title = html.split('<header class="title-page"', 1)[1].split("</header>", 1)[0]
    assert "<dt>Status</dt><dd>Fastställd</dd>" in title
    assert "<dt>Granskad av</dt><dd>Anna Berg, trygghetssamordnare</dd>" in title
    assert "<dt>Granskad den</dt><dd>1 februari 2024</dd>" in title


def test_the_demo_report_is_a_draft_and_watermarked(built):
    html = (built / "lagesbild-hasselby-vallingby-2023.html").read_text(encoding="utf-8")
    assert html.count('class="lb-watermark"') == 1 and "<dt>Status</dt><dd>Utkast</dd>" in html


@pytest.mark.skipif(not (find_chromium() and shutil.which("pdftotext")), reason="needs Chromium and pdftotext")
@pytest.mark.parametrize("status, draft", STATUSES)
def test_the_printed_pdf_carries_the_watermark_only_for_utkast(chapter, tmp_path, status, draft):
    html = tmp_path / "r.html"
    html.write_text(page(chapter, status), encoding="utf-8")
    pdf = html_to_pdf(html, tmp_path / "r.pdf", find_chromium())
    pages = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    assert "Läget är lugnt." in "".join(pages)
    # the rotated word comes out of the PDF in pieces ("U", "TK", "A", "ST"): look for its letters on every page
    capitals = [set("".join(w for w in p.split() if w.isalpha() and w.isupper())) for p in pages if p.strip()]
    watermarked = [set("UTKAS") <= letters for letters in capitals]
    assert len(watermarked) >= 3
    assert all(watermarked) if draft else not any(watermarked)


# --------------------------------------------------------------------------- sign-off on a built report


def params_file(project: Path, **values) -> None:
    path = project / "params" / "2023" / "norr.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{k}: {v}\n" for k, v in values.items()), encoding="utf-8")


def build(project: Path, caplog) -> str:
    """Build the tiny report; return the warnings it logged."""
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="lagesbild"):
        assert main(["build", "--data", str(project / "data"), "--out", str(project / "out"), "--workers", "1"]) == 0
    return caplog.text


def test_a_fastställd_report_built_from_other_inputs_warns(project, caplog, capsys):
    report = project / "out" / "2023" / "norr"
    signed = report / SIGNED_MANIFEST
    params_file(project, status="fastställd", reviewed_by="Anna Berg", reviewed_on="2024-02-01")
    assert "Varning" not in build(project, caplog)
    assert signed.is_file(), "the build that sets fastställd is the one signed off"
    first = json.loads(signed.read_text(encoding="utf-8"))
    assert first["parameters"]["reviewed_by"] == "Anna Berg" and first["inputs"] == json.loads((report / "manifest.json").read_text())["inputs"]
    assert "Varning" not in build(project, caplog), "unchanged: up to date, no warning"

    crimes = project / "data" / "crimes.csv"
    crimes.write_text(crimes.read_text(encoding="utf-8") + "T9999,2023-05-05,ran,norr-a\n", encoding="utf-8")
    warned = build(project, caplog)
    assert "fastställd" in warned and "crimes.csv (ändrad)" in warned and "Anna Berg" in warned
    assert json.loads(signed.read_text(encoding="utf-8")) == first, "the signed-off record is carried over unchanged"
    assert "crimes.csv (ändrad)" in build(project, caplog), "up to date, and still not what was signed off"

    capsys.readouterr()
    assert main(["diff", str(signed), str(report)]) == 0
    out = capsys.readouterr().out
    assert "ändrad     crimes.csv" in out and "Indatafiler (SHA-256): 1 av" in out and "01_brott" in out

    # signing off again (a new review date) takes the report as it is now
    params_file(project, status="fastställd", reviewed_by="Anna Berg", reviewed_on="2024-03-15")
    assert "Varning" not in build(project, caplog)
    assert json.loads(signed.read_text(encoding="utf-8"))["inputs"]["crimes.csv"] != first["inputs"]["crimes.csv"]

    # back to draft: no sign-off record any more
    params_file(project, status="utkast")
    assert "Varning" not in build(project, caplog) and not signed.exists()
