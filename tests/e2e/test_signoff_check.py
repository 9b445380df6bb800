"""Both parties' sign-off on a built report, ``lagesbild check`` naming everything a build at the
report's status would refuse (several problems at once, the readiness among them), and the images of
narrative slots as inputs: new bytes under the same file name rebuild the chapter that shows them,
a missing file stops the build naming the file and the slot."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import nbformat
import pytest

from lagesbild_lib.cli import main

pytestmark = pytest.mark.e2e

SIGNED = (
    "signoff:\n"
    "  forvaltning: {reviewed_by: Anna Berg, role: stadsdelsdirektör, reviewed_on: 2024-02-01}\n"
    "  polis: {reviewed_by: Per Ek, role: lokalpolisområdeschef, reviewed_on: 2024-02-05}\n"
)
PNG = b"\x89PNG\r\n\x1a\n"


def add_cells(project: Path, *sources: str) -> None:
    """Append code cells to the tiny project's first chapter (as the real chapters call the slots)."""
    path = project / "notebooks" / "01_brott.ipynb"
    nb = nbformat.read(path, as_version=4)
    for i, source in enumerate(sources):
        cell = nbformat.v4.new_code_cell("from lagesbild_lib.sections import narrative\n\n" + source)
        cell.id = f"01-7{i}"
        nb.cells.append(cell)
    nbformat.write(nb, path)


def write_params(project: Path, text: str) -> Path:
    path = project / "params" / "2023" / "norr.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def build(project: Path) -> int:
    return main(["build", "--data", str(project / "data"), "--out", str(project / "out"), "--workers", "1"])


def cache_use(project: Path) -> dict[str, str]:
    manifest = json.loads((project / "out" / "2023" / "norr" / "manifest.json").read_text(encoding="utf-8"))
    return {c["chapter"]: c["cache"] for c in manifest["chapters"]}


def test_a_fastställd_report_signed_by_both_parties_says_so_on_its_title_page(project, capsys):
    write_params(project, "status: fastställd\n" + SIGNED)
    assert build(project) == 0
    html = (project / "out" / "2023" / "norr" / "lagesbild-norr-2023.html").read_text(encoding="utf-8")
    title = html.split('<header class="title-page"', 1)[1].split("</header>", 1)[0]
    assert "<dt>Fastställd av förvaltningen</dt><dd>Anna Berg, stadsdelsdirektör, 1 februari 2024</dd>" in title
    assert "<dt>Fastställd av polisen</dt><dd>Per Ek, lokalpolisområdeschef, 5 februari 2024</dd>" in title
    manifest = json.loads((project / "out" / "2023" / "norr" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["signoff"]["polis"] == {"reviewed_by": "Per Ek", "role": "lokalpolisområdeschef", "reviewed_on": "2024-02-05"}


def test_fastställd_with_one_party_stops_the_build_naming_the_other(project, capsys):
    write_params(project, "status: fastställd\nsignoff:\n  forvaltning: {reviewed_by: Anna Berg, reviewed_on: 2024-02-01}\n")
    assert build(project) == 2
    err = capsys.readouterr().err
    assert "rapporten kan inte fastställas: polisens granskning saknas (signoff.polis.reviewed_by och signoff.polis.reviewed_on)" in err
    assert err.count("\n") == 1, "one sentence"
    assert not (project / "out" / "2023" / "norr").exists(), "nothing executed, nothing written"
    write_params(project, "status: granskad\n")
    assert build(project) == 2 and "ingen av parterna har granskat den" in capsys.readouterr().err


def test_check_names_every_problem_at_once_the_readiness_among_them(project, capsys):
    add_cells(project, 'show(narrative.slot(ctx, "syfte"))')
    crimes = project / "data" / "crimes.csv"
    crimes.write_text(crimes.read_text(encoding="utf-8") + "T9999,2023-13-45,ran,norr-a\n", encoding="utf-8")
    write_params(
        project,
        "status: fastställd\nsignoff:\n  forvaltning: {reviewed_by: Anna Berg, reviewed_on: 2024-02-01}\n"
        "narrative:\n  inledning: Enligt {cite:saknas}.\n"
        "narrative_figures:\n  syfte: {file: params/2023/finns-inte.png, alt: Skiss}\n",
    )
    args = ["check", "--data", str(project / "data")]
    assert main(args) == 2
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.startswith("lagesbild: ")]
    assert any("crimes.csv" in line and "2023-13-45" in line for line in lines), "the data problem"
    assert any("narrative.syfte" in line and "params/2023/finns-inte.png" in line for line in lines), "the missing image, with its slot"
    assert any("polisens granskning saknas" in line for line in lines)
    assert any("texten narrative.syfte är inte ifylld" in line for line in lines)
    assert any("hänvisningen {cite:saknas} saknar källa" in line for line in lines)
    assert f"{len(lines)} fel i indata; ingenting kördes." in captured.out

    # the data mended and the report signed by both with every text written: check passes
    crimes.write_text(crimes.read_text(encoding="utf-8").replace("T9999,2023-13-45,ran,norr-a\n", ""), encoding="utf-8")
    write_params(project, "status: fastställd\n" + SIGNED + "narrative:\n  syfte: Syftet.\n")
    assert main(args) == 0
    assert "OK: params" in capsys.readouterr().out


def test_new_bytes_of_a_slots_image_rebuild_the_chapter_that_shows_it(project, capsys):
    add_cells(project, 'narrative.show_figure(ctx, "samverkan_organisation")')
    image = project / "params" / "2023" / "sok.png"
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(PNG + b"first")
    write_params(project, "narrative_figures:\n  samverkan_organisation: {file: params/2023/sok.png, alt: Organisationsskiss}\n")
    assert build(project) == 0
    report = project / "out" / "2023" / "norr"
    assert base64.b64encode(PNG + b"first").decode() in (report / "lagesbild-norr-2023.html").read_text(encoding="utf-8")
    inputs = json.loads((report / "manifest.json").read_text(encoding="utf-8"))["inputs"]
    assert "bild:samverkan_organisation:sok.png" in inputs, "the image is an input of the report (provenance, diff, sign-off)"
    assert build(project) == 0 and "redan aktuell" in capsys.readouterr().out

    image.write_bytes(PNG + b"second")  # the same file name, other bytes, no params file touched
    assert build(project) == 0
    assert "redan aktuell" not in capsys.readouterr().out
    assert cache_use(project) == {"01_brott": "miss", "02_befolkning": "hit"}, "only the chapter showing the image runs again"
    html = (report / "lagesbild-norr-2023.html").read_text(encoding="utf-8")
    assert base64.b64encode(PNG + b"second").decode() in html and base64.b64encode(PNG + b"first").decode() not in html

    image.unlink()
    assert build(project) == 2
    err = capsys.readouterr().err
    assert "narrative.samverkan_organisation" in err and "params/2023/sok.png" in err
    assert base64.b64encode(PNG + b"second").decode() in (report / "lagesbild-norr-2023.html").read_text(encoding="utf-8"), "the last good report stays"
