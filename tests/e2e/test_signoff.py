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
from lagesbild_lib.params import ReportParams
from lagesbild_lib.report.diff import SIGNED_MANIFEST
from lagesbild_lib.report.pdf import find_chromium, html_to_pdf

pytestmark = pytest.mark.e2e

META = {
    "title": "Lokal lägesbild", "area_name": "Testområdet", "year": 2023, "period": "1 jan–31 okt 2023",
    "parties": [], "diarienummer": "", "classification": "", "status": "Utkast", "signoff": [], "signoff_line": "",
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


def signed_params(status: str, polis: dict | None = None) -> ReportParams:
    signoff = {"forvaltning": {"reviewed_by": "Anna Berg", "role": "stadsdelsdirektör", "reviewed_on": "2024-02-01"}}
    if polis is not None:
        signoff["polis"] = polis
    return ReportParams.model_validate({"year": 2023, "area": "norr", "status": status, "signoff": signoff})


def test_the_title_page_shows_both_parties_sign_off(chapter):
    params = signed_params("fastställd", {"reviewed_by": "Per Ek", "role": "lokalpolisområdeschef", "reviewed_on": "2024-02-05"})
    html = page(chapter, "Fastställd", signoff=stitch.signoff_facts(params), signoff_line=stitch.signoff_line(params))
    title = html.split('<header class="title-page"', 1)[1].split("</header>", 1)[0]
    assert "<dt>Status</dt><dd>Fastställd</dd>" in title
    facts = re.findall(r"<dt>([^<]*)</dt><dd>([^<]*)</dd>", title)
    signed = [f for f in facts if " av " in f[0]]
    assert signed == [
        ("Fastställd av förvaltningen", "Anna Berg, stadsdelsdirektör, 1 februari 2024"),
        ("Fastställd av polisen", "Per Ek, lokalpolisområdeschef, 5 februari 2024"),
    ], "party, name, role and date of both, förvaltningen first"
    line = "Fastställd av förvaltningen 1 februari 2024 och polisen 5 februari 2024"
    assert f'data-signoff="{line}"' in html, "the Word version's page header reads it"
    assert "@bottom-left { content: " + stitch.css_string(line) in html, "in the footer of every printed page"


def test_a_granskad_report_names_the_party_that_reviewed_and_a_draft_prints_no_sign_off(chapter):
    one = signed_params("granskad", {"reviewed_by": "Per Ek"})  # the police named, not yet signed (no date)
    html = page(chapter, "Granskad", signoff=stitch.signoff_facts(one), signoff_line=stitch.signoff_line(one))
    assert "<dt>Granskad av förvaltningen</dt><dd>Anna Berg, stadsdelsdirektör, 1 februari 2024</dd>" in html
    assert "av polisen" not in html, "named without a date: not yet signed off, so not said to be"
    assert "@bottom-left { content: " + stitch.css_string("Granskad av förvaltningen 1 februari 2024") + ";" in html
    draft = signed_params("utkast")
    html = page(chapter, "Utkast", signoff=stitch.signoff_facts(draft), signoff_line=stitch.signoff_line(draft))
    assert "@bottom-left { content:" not in html and "data-signoff" not in html, "a draft is watermarked instead"
    assert "Fastställd av" not in html and "<dt>Granskad av polisen</dt>" not in html


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


@pytest.mark.skipif(not (find_chromium() and shutil.which("pdftotext")), reason="needs Chromium and pdftotext")
def test_the_printed_pdf_carries_both_parties_sign_off_on_every_page(chapter, tmp_path):
    params = signed_params("fastställd", {"reviewed_by": "Per Ek", "reviewed_on": "2024-02-05"})
    html = tmp_path / "r.html"
    html.write_text(page(chapter, "Fastställd", signoff=stitch.signoff_facts(params), signoff_line=stitch.signoff_line(params)), encoding="utf-8")
    pdf = html_to_pdf(html, tmp_path / "r.pdf", find_chromium())
    pages = [p for p in subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f") if p.strip()]
    assert len(pages) >= 3
    line = "Fastställd av förvaltningen 1 februari 2024 och polisen 5 februari 2024"
    assert all(line in " ".join(p.split()) for p in pages), "in the footer of every printed page"


# --------------------------------------------------------------------------- sign-off on a built report


def params_file(project: Path, **values) -> None:
    """The report's params: ``key=value`` lines, and ``forvaltning``/``polis`` = ``(name, date)`` as the parties' sign-off."""
    path = project / "params" / "2023" / "norr.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    parties = {k: values.pop(k) for k in ("forvaltning", "polis") if k in values}
    text = "".join(f"{k}: {v}\n" for k, v in values.items())
    if parties:
        text += "signoff:\n" + "".join(f"  {k}:\n    reviewed_by: {by}\n    reviewed_on: {on}\n" for k, (by, on) in parties.items())
    path.write_text(text, encoding="utf-8")


def build(project: Path, caplog) -> str:
    """Build the tiny report; return the warnings it logged."""
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="lagesbild"):
        assert main(["build", "--data", str(project / "data"), "--out", str(project / "out"), "--workers", "1"]) == 0
    return caplog.text


def test_a_fastställd_report_built_from_other_inputs_warns(project, caplog, capsys):
    report = project / "out" / "2023" / "norr"
    signed = report / SIGNED_MANIFEST
    params_file(project, status="fastställd", forvaltning=("Anna Berg", "2024-02-01"), polis=("Per Ek", "2024-02-05"))
    assert "Varning" not in build(project, caplog)
    assert signed.is_file(), "the build that sets fastställd is the one signed off"
    first = json.loads(signed.read_text(encoding="utf-8"))
    assert first["parameters"]["signoff"]["polis"]["reviewed_by"] == "Per Ek" and first["inputs"] == json.loads((report / "manifest.json").read_text())["inputs"]
    assert "Varning" not in build(project, caplog), "unchanged: up to date, no warning"

    crimes = project / "data" / "crimes.csv"
    crimes.write_text(crimes.read_text(encoding="utf-8") + "T9999,2023-05-05,ran,norr-a\n", encoding="utf-8")
    warned = build(project, caplog)
    assert "fastställd" in warned and "crimes.csv (ändrad)" in warned
    assert "Anna Berg 2024-02-01 (förvaltningen), Per Ek 2024-02-05 (polisen)" in warned, "both parties named"
    assert json.loads(signed.read_text(encoding="utf-8")) == first, "the signed-off record is carried over unchanged"
    assert "crimes.csv (ändrad)" in build(project, caplog), "up to date, and still not what was signed off"

    capsys.readouterr()
    assert main(["diff", str(signed), str(report)]) == 0
    out = capsys.readouterr().out
    assert "ändrad     crimes.csv" in out and "Indatafiler (SHA-256): 1 av" in out and "01_brott" in out

    # signing off again (a new review date of either party) takes the report as it is now
    params_file(project, status="fastställd", forvaltning=("Anna Berg", "2024-02-01"), polis=("Per Ek", "2024-03-15"))
    assert "Varning" not in build(project, caplog)
    assert json.loads(signed.read_text(encoding="utf-8"))["inputs"]["crimes.csv"] != first["inputs"]["crimes.csv"]

    # back to draft: no sign-off record any more
    params_file(project, status="utkast")
    assert "Varning" not in build(project, caplog) and not signed.exists()
