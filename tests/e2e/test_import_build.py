"""End-to-end: reports built on imported data (`lagesbild import`, then `lagesbild build`)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from lagesbild_lib.cli import main

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "imports"
REAL_BOUNDARIES = ROOT.parent / "shared" / "geo" / "stockholm-stadsdelar.geo.json"
HTML = "lagesbild-hasselby-vallingby-2023.html"

pytestmark = pytest.mark.e2e


def sources_section(html: str) -> str:
    """The text of Källor (to the end of the chapter)."""
    start = html.index('id="kallor"')
    return re.sub(r"<[^>]+>", "", html[start:start + 20000])


@pytest.mark.skipif(not REAL_BOUNDARIES.is_file(), reason="the shared Stockholm boundaries (../shared/geo) are not here")
def test_demo_report_on_stockholms_real_boundaries(tmp_path, demo_dir, capsys):
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    assert main(["import", "boundaries", str(REAL_BOUNDARIES), "--out", str(data)]) == 0
    assert "areas.geojson" in capsys.readouterr().out
    assert main(["check", "--data", str(data)]) == 0
    out = tmp_path / "out"
    assert main(["build", "--data", str(data), "--out", str(out)]) == 0
    html = (out / "2023" / "hasselby-vallingby" / HTML).read_text(encoding="utf-8")
    assert "Traceback" not in html
    assert html.count('data-kind="Kartbild"') >= 2, "the overview and hotspot maps are drawn on the imported outlines"
    assert "områdesgränser ur stockholm-stadsdelar.geo.json" in sources_section(html)


def test_report_from_imported_bra_est_survey_and_boundaries(tmp_path, demo_dir, capsys):
    """Brå counts + an EST log + a survey workbook (+ Stockholm's own boundaries when present),
    over the demo's population and indicators: the report builds and Källor names every origin."""
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    for name in ("crimes.parquet", "crime_counts.csv", "weekly_assessments.csv", "survey.csv", "critical_events.csv"):
        (data / name).unlink()
    imports = [
        ["bra", FIX / "bra_hasselby_vallingby_monthly.csv"],
        ["est", FIX / "est_log_2023.xlsx"],
        ["survey", FIX / "survey_trygghet.xlsx"],
    ]
    if REAL_BOUNDARIES.is_file():
        imports.append(["boundaries", REAL_BOUNDARIES])
    for kind, source in imports:
        before = source.read_bytes()
        assert main(["import", kind, str(source), "--out", str(data)]) == 0, kind
        assert source.read_bytes() == before
        assert main(["check", "--data", str(data)]) == 0, f"check after import {kind}"
    capsys.readouterr()
    out = tmp_path / "out"
    assert main(["build", "--data", str(data), "--out", str(out)]) == 0
    report = out / "2023" / "hasselby-vallingby"
    html = (report / HTML).read_text(encoding="utf-8")
    assert "Traceback" not in html
    text = re.sub(r"<[^>]+>", "", html)
    assert "CompStat Hässelby-Vällingby" in text
    assert "aggregerade antal anmälda brott (tabellen crime_counts)" in text and "2023 är preliminära" in text
    assert "Kartan ritas inte: brotten finns bara som aggregerade antal" in text
    assert "Veckovis" in text or "lägesbedömning" in text.lower()
    kallor = sources_section(html)
    assert "Brå, statistikdatabasen över anmälda brott (export bra_hasselby_vallingby_monthly.csv" in kallor
    assert "EST-logg est_log_2023.xlsx" in kallor
    assert "trygghetsundersökning (survey_trygghet.xlsx" in kallor
    if REAL_BOUNDARIES.is_file():
        assert "områdesgränser ur stockholm-stadsdelar.geo.json" in kallor
