"""The public version (``lagesbild build --offentlig``, issue 19 item 4), built from the demo report:
internal sections and narrative left out and said so, small counts suppressed at the public
threshold, its own classification and manifest, unaffected chapters reused, the internal report
untouched."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import nbformat
import pytest
import yaml

from lagesbild_lib import paths
from lagesbild_lib.cli import main
from lagesbild_lib.report.merge import merge_chapters, numbered_payloads

AREA, YEAR = "hasselby-vallingby", 2023
NARRATIVE_MARK = "Läget i stadsdelsområdet bedöms som"  # only in the demo's narrative.sammantagen_bedomning
INTERNAL = ["Orsaksanalys", "atgardsplan"]  # a section by its heading, a chapter by its name


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(folder: Path) -> dict[str, str]:
    """The internal report's files (its HTML without the build time; the manifest, which records
    the build time, left out) as hashes."""
    files = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or "offentlig" in path.parts or path.name == "manifest.json":
            continue
        data = path.read_bytes()
        if path.suffix == ".html":
            data = re.sub(rb'(class="build-time"[^>]*>)[^<]*', rb"\1", data)
        files[str(path.relative_to(folder))] = hashlib.sha256(data).hexdigest()
    return files


@pytest.fixture(scope="module")
def params_file(tmp_path_factory) -> Path:
    """The demo report's own params plus what its public version leaves out."""
    own = yaml.safe_load((paths.params_dir() / str(YEAR) / f"{AREA}.yml").read_text(encoding="utf-8"))
    own.update({"internal_sections": INTERNAL, "internal_narrative": ["sammantagen_bedomning"]})
    path = tmp_path_factory.mktemp("params") / f"{AREA}.yml"
    path.write_text(yaml.safe_dump(own, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def builds(tmp_path_factory, demo_dir, params_file):
    """The internal report built alone, then again with ``--offentlig`` (the internal one is then
    up to date); returns the report folder and the internal files' hashes before the second build."""
    out = tmp_path_factory.mktemp("outputs-public")
    base = ["build", "--data", str(demo_dir), "--out", str(out), "--params", str(params_file)]
    assert main(base) == 0
    report = out / str(YEAR) / AREA
    before = _files(report)
    assert main(base + ["--offentlig"]) == 0
    return report, before, base


def _payloads(folder: Path) -> list[dict]:
    return numbered_payloads(merge_chapters(sorted((folder / "chapters").glob("*.ipynb"))))


def test_public_version_has_its_own_files_and_manifest(builds):
    report, _, _ = builds
    public = report / "offentlig"
    html = public / f"lagesbild-{AREA}-{YEAR}-offentlig.html"
    assert html.is_file() and (public / "tabeller.xlsx").is_file()
    manifest = json.loads((public / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["outputs"] == {html.name: _sha(html), "tabeller.xlsx": _sha(public / "tabeller.xlsx")}
    assert manifest["parameters"]["suppress_below"] == 10
    assert manifest["parameters"]["classification"] == "Offentlig version"
    assert manifest["parameters"]["narrative"].get("sammantagen_bedomning") is None
    assert manifest["offentlig"]["left_out"]["sections"] == ["Orsaksanalys", "Åtgärdsplan och uppföljning"]
    internal = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    assert internal["parameters"]["suppress_below"] == 0 and "offentlig" not in internal


def test_public_html_leaves_out_internal_parts_and_says_so(builds):
    report, _, _ = builds
    internal = (report / f"lagesbild-{AREA}-{YEAR}.html").read_text(encoding="utf-8")
    public = (report / "offentlig" / f"lagesbild-{AREA}-{YEAR}-offentlig.html").read_text(encoding="utf-8")
    for heading in ("Orsaksanalys", "Åtgärdsplan och uppföljning"):
        shown = rf"</span> {heading}</(?:h[12]|a)>"  # the numbered heading and its entry in the contents
        assert len(re.findall(shown, internal)) == 2, heading
        assert re.search(shown, public) is None, heading
    assert NARRATIVE_MARK in internal and NARRATIVE_MARK not in public
    note = re.search(r'<p class="lb-public-note" role="note">(.*?)</p>', public, re.S).group(1)
    assert "Delar av den interna rapporten är utelämnade" in note
    assert "avsnitten ”Orsaksanalys” och ”Åtgärdsplan och uppföljning” samt analytikernas text till ”Sammantagen bedömning”" in note
    assert "Antal under 10 (utom noll) visas som &lt;10 (röjandeskydd)" in note
    assert '<p class="classification">Offentlig version</p>' in public
    assert '<p class="classification">Begränsad spridning</p>' in internal and "lb-public-note" not in internal


def test_small_counts_are_suppressed_at_the_public_threshold(builds):
    report, _, _ = builds

    def compstat(folder: Path) -> dict:
        table = next(p for p in _payloads(folder) if p["caption"].startswith("CompStat"))
        return {row[0]: row for row in table["shown_rows"]}

    internal, public = compstat(report), compstat(report / "offentlig")
    small = {name: row for name, row in internal.items() if any(re.fullmatch(r"[1-9]", str(v)) for v in row[1:3])}
    assert small, "the demo's CompStat table has counts under 10"
    for name, row in small.items():
        shown = public[name]
        for before, after in zip(row[1:3], shown[1:3]):
            if re.fullmatch(r"[1-9]", str(before)):
                assert after == "<10", (name, row, shown)
    page = (report / "offentlig" / f"lagesbild-{AREA}-{YEAR}-offentlig.html").read_text(encoding="utf-8")
    assert "&lt;10" in page and "&lt;10" not in (report / f"lagesbild-{AREA}-{YEAR}.html").read_text(encoding="utf-8")


def test_public_numbering_and_workbook_follow_what_is_left(builds):
    report, _, _ = builds
    manifest = json.loads((report / "offentlig" / "manifest.json").read_text(encoding="utf-8"))
    numbers = [n.split(".")[0] for n in manifest["numbered"]]
    for kind in ("Tabell", "Diagram", "Kartbild"):
        mine = [int(n.split()[1]) for n in numbers if n.startswith(kind)]
        assert mine == list(range(1, len(mine) + 1)), kind
    from openpyxl import load_workbook

    sheets = load_workbook(report / "offentlig" / "tabeller.xlsx", read_only=True).sheetnames
    assert [s for s in sheets if s != "Innehåll"] == numbers


def test_internal_report_is_unchanged_and_unaffected_chapters_are_reused(builds):
    report, before, _ = builds
    assert _files(report) == before
    manifest = json.loads((report / "offentlig" / "manifest.json").read_text(encoding="utf-8"))
    reused = manifest["offentlig"]["from_internal"]
    assert reused and "00_sammanfattning" not in reused and "02_brottslighet" not in reused
    for stem in reused:
        if stem in ("05_orsaker", "07_atgardsplan"):  # sections were cut from these copies
            continue
        assert _sha(report / "offentlig" / "chapters" / f"{stem}.ipynb") == _sha(report / "chapters" / f"{stem}.ipynb")


def test_reused_chapters_equal_a_full_run_with_the_public_params(builds, tmp_path, demo_dir):
    """The chapters taken from the internal build show exactly what they show when run with the
    public params (so reusing them is safe)."""
    report, _, _ = builds
    derived = json.loads((report / "offentlig" / "manifest.json").read_text(encoding="utf-8"))["params_files"][-1]
    derived = Path(derived) if Path(derived).is_absolute() else paths.project_root() / derived
    assert main(["build", "--data", str(demo_dir), "--out", str(tmp_path), "--params", str(derived), "--no-cache"]) == 0
    reused = json.loads((report / "offentlig" / "manifest.json").read_text(encoding="utf-8"))["offentlig"]["from_internal"]

    def outputs(path: Path) -> list:
        nb = nbformat.read(path, as_version=4)
        return [
            [{k: v for k, v in o.items() if k not in ("execution_count", "metadata")} for o in c.get("outputs", [])]
            for c in nb.cells if c.cell_type == "code" and not {"parameters", "injected-parameters"} & set(c.metadata.get("tags", []))
        ]

    for stem in reused:
        assert outputs(report / "chapters" / f"{stem}.ipynb") == outputs(tmp_path / str(YEAR) / AREA / "chapters" / f"{stem}.ipynb"), stem


def test_second_public_build_does_nothing_and_no_offentlig_removes_it(builds, tmp_path, capsys):
    import shutil

    source, _, base = builds
    out = tmp_path / "out"  # a copy: the other tests keep theirs
    shutil.copytree(source.parent.parent, out)
    report = out / str(YEAR) / AREA
    base = base[:base.index("--out")] + ["--out", str(out)] + base[base.index("--out") + 2:]
    assert main(base + ["--offentlig"]) == 0
    assert "Den offentliga versionen är redan aktuell" in capsys.readouterr().out
    assert main(base) == 0  # as the report in place has it: kept
    assert (report / "offentlig" / "manifest.json").is_file()
    assert main(base + ["--no-offentlig"]) == 0
    assert "Tog bort den offentliga versionen" in capsys.readouterr().out
    assert not (report / "offentlig").exists()


def test_unknown_internal_narrative_slot_is_refused(tmp_path, demo_dir, capsys):
    bad = tmp_path / "bad.yml"
    bad.write_text("internal_narrative: [sammantagen_bedomnig]\n", encoding="utf-8")
    assert main(["check", "--data", str(demo_dir), "--params", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "internal_narrative" in err and "sammantagen_bedomnig" in err and "sammantagen_bedomning" in err


# --------------------------------------------------------------------------- the pure parts


def test_public_params_never_lower_the_threshold_and_drop_only_internal_slots():
    from lagesbild_lib.params import ReportParams
    from lagesbild_lib.report.public import public_params

    params = ReportParams(year=2023, area="x", suppress_below=15, public_suppress_below=10,
                          narrative={"sammantagen_bedomning": "intern", "brottslighet_nyckelfynd": "publik"},
                          internal_narrative=["sammantagen_bedomning"])
    public = public_params(params)
    assert public.suppress_below == 15 and public.classification == "Offentlig version"
    assert public.narrative == {"brottslighet_nyckelfynd": "publik"}
    assert public_params(params.model_copy(update={"suppress_below": 0})).suppress_below == 10


def test_a_section_ends_at_the_next_heading_of_its_level(tmp_path):
    from lagesbild_lib.report.public import drop_internal_sections

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(t) for t in (
        "# Orsaker", "intro", "## Risk- och skyddsfaktorer", "risk", "### Detalj", "detalj", "## Orsaksanalys", "analys", "## Nästa", "kvar",
    )]
    path = tmp_path / "05_orsaker.ipynb"
    nbformat.write(nb, path)
    dropped, unmatched = drop_internal_sections([path], ["risk-och-skyddsfaktorer", "ORSAKSANALYS", "Finns inte"])
    assert dropped == ["Risk- och skyddsfaktorer", "Orsaksanalys"] and unmatched == ["Finns inte"]
    assert [c.source for c in nbformat.read(path, as_version=4).cells] == ["# Orsaker", "intro", "## Nästa", "kvar"]
    assert drop_internal_sections([path], ["orsaker"])[0] == ["Orsaker"]  # a chapter by its name: all of it
    assert nbformat.read(path, as_version=4).cells == []


def test_chapters_that_read_suppression_or_a_left_out_slot_run_again():
    from lagesbild_lib.report.public import must_rerun

    notebooks = {p.stem: p for p in paths.notebooks_dir().glob("*.ipynb")}
    assert must_rerun(notebooks["02_brottslighet"], True, ())
    assert not must_rerun(notebooks["02_brottslighet"], False, ())
    assert must_rerun(notebooks["00_sammanfattning"], False, ("sammantagen_bedomning",))
    assert must_rerun(notebooks["01_omradet"], True, ())  # the police area's counts (lokalpolisomrade) are masked
    assert not must_rerun(notebooks["03_trygghet"], True, ("sammantagen_bedomning",))
