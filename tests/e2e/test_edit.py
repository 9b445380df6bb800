"""``lagesbild edit``: a working copy that runs the chosen report in an interactive kernel (run here
headless with nbclient, no JupyterLab needed), the template left clean, the analyst's changes
written back, and a plain sentence when JupyterLab is missing or cannot start."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import lagesbild_lib.pipeline.edit as edit
from lagesbild_lib import paths
from lagesbild_lib.cli import main
from lagesbild_lib.present.pieces import TABLE_MIME

pytestmark = pytest.mark.e2e


def run_interactively(path: Path, probe: str = "") -> nbformat.NotebookNode:
    """Run a notebook top to bottom on a fresh kernel, as "Run All" in JupyterLab does."""
    nb = nbformat.read(path, as_version=4)
    if probe:
        nb.cells.append(nbformat.v4.new_code_cell(probe))
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def shown(nb) -> list[dict]:
    """What a chapter shows: the HTML and table payload of every display output, in order."""
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.get("output_type") in ("display_data", "execute_result"):
                out.append({k: o["data"].get(k) for k in ("text/html", TABLE_MIME)})
    return out


def test_the_working_copy_runs_the_chosen_year_and_area(demo_dir, tmp_path, capsys):
    template = paths.notebooks_dir() / "02_brottslighet.ipynb"
    before = template.read_bytes()
    args = ["edit", "brottslighet", "--year", "2022", "--area", "bromma", "--data", str(demo_dir), "--out", str(tmp_path), "--no-open"]
    assert main(args) == 0
    copy = tmp_path / "edit" / "2022" / "bromma" / "02_brottslighet.ipynb"
    assert str(copy) in capsys.readouterr().out
    nb = run_interactively(copy, "print(ctx.year, ctx.area.area_id, ctx.data.data_dir)")
    assert nb.cells[-1].outputs[0]["text"].split() == ["2022", "bromma", str(demo_dir.resolve())]
    html = "".join(o.get("text/html") or "" for o in shown(nb))
    assert "CompStat Bromma" in html and "jämfört med samma period 2021" in html
    # the committed template is untouched: same bytes, parameters cell as it was, no outputs
    assert template.read_bytes() == before
    cells = json.loads(copy.read_text(encoding="utf-8"))["cells"]
    tags = [c["metadata"].get("tags", []) for c in cells]
    assert tags[1] == ["parameters"] and tags[2] == ["injected-parameters"]
    assert cells[1]["source"] == nbformat.read(template, as_version=4).cells[1]["source"].splitlines(keepends=True)


def test_an_interactive_run_shows_what_the_built_report_shows(built, demo_dir, tmp_path):
    assert main(["edit", "omradet", "--data", str(demo_dir), "--out", str(tmp_path), "--no-open"]) == 0
    copy = tmp_path / "edit" / "2023" / "hasselby-vallingby" / "01_omradet.ipynb"
    interactive = shown(run_interactively(copy))
    report = shown(nbformat.read(built / "chapters" / "01_omradet.ipynb", as_version=4))
    assert interactive and interactive == report


def test_without_jupyterlab_one_sentence_says_how_to_install_it(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(edit, "jupyterlab_available", lambda: False)
    assert main(["edit", "brottslighet", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "JupyterLab är inte installerat" in err and 'pip install -e ".[edit]"' in err
    assert not (tmp_path / "edit").exists(), "nothing is written"


def test_an_unknown_chapter_is_exit_2(tmp_path, capsys):
    assert main(["edit", "statistik", "--out", str(tmp_path), "--no-open"]) == 2
    assert "okänt kapitel 'statistik'" in capsys.readouterr().err


def fake_jupyterlab(change):
    """A stand-in for JupyterLab that lets ``change(notebook)`` edit the working copy, then exits."""
    calls = []

    def run(command):
        path = Path(command[-1])
        calls.append(command)
        nb = nbformat.read(path, as_version=4)
        change(nb)
        nbformat.write(nb, path)
        return edit.LabExit(0)

    return run, calls


def test_changes_in_jupyterlab_are_written_back_without_outputs(project, monkeypatch, capsys):
    template = project / "notebooks" / "01_brott.ipynb"
    original = nbformat.read(template, as_version=4)

    def change(nb):
        nb.cells[0].source = "# Brott i Norr"
        nb.cells[1].source = nb.cells[1].source.replace("2023", "2099")  # the template's defaults stay
        for cell in nb.cells:  # as after "Run All"
            if cell.cell_type == "code":
                cell.execution_count = 1
                cell.outputs = [nbformat.v4.new_output("stream", text="körd\n")]
                cell.metadata["execution"] = {"iopub.status.idle": "2026-01-01T10:00:00"}
        nb.cells.append(nbformat.v4.new_markdown_cell("Ny kommentar från analytikern."))

    run, calls = fake_jupyterlab(change)
    monkeypatch.setattr(edit, "jupyterlab_available", lambda: True)
    monkeypatch.setattr(edit, "run_jupyterlab", run)
    assert main(["edit", "brott", "--data", str(project / "data")]) == 0
    said = capsys.readouterr().out
    assert "fördes tillbaka" in said and "parameters-cellen fördes inte tillbaka" in said
    assert calls and calls[0][1:3] == ["-m", "jupyterlab"] and calls[0][-1].endswith("01_brott.ipynb")
    after = nbformat.read(template, as_version=4)
    assert after.cells[0].source == "# Brott i Norr" and after.cells[-1].source == "Ny kommentar från analytikern."
    assert [c.id for c in after.cells[:-1]] == [c.id for c in original.cells]
    assert after.cells[1].source == original.cells[1].source and after.cells[1].metadata.tags == ["parameters"]
    for cell in after.cells:
        assert "injected-parameters" not in cell.metadata.get("tags", [])
        assert "execution" not in cell.metadata
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert after.metadata == original.metadata

    # a session that only runs the cells changes nothing
    run, _ = fake_jupyterlab(lambda nb: nb.cells[2].outputs.append(nbformat.v4.new_output("stream", text="x\n")))
    monkeypatch.setattr(edit, "run_jupyterlab", run)
    before = template.read_bytes()
    assert main(["edit", "brott", "--data", str(project / "data")]) == 0
    assert "Inga ändringar" in capsys.readouterr().out and template.read_bytes() == before


def test_changes_are_not_written_over_a_template_that_changed_meanwhile(project, monkeypatch, capsys):
    template = project / "notebooks" / "01_brott.ipynb"

    def change(nb):
        nb.cells[0].source = "# Min rubrik"
        other = nbformat.read(template, as_version=4)  # someone updates the template (git pull) meanwhile
        other.cells[0].source = "# Deras rubrik"
        nbformat.write(other, template)

    run, _ = fake_jupyterlab(change)
    monkeypatch.setattr(edit, "jupyterlab_available", lambda: True)
    monkeypatch.setattr(edit, "run_jupyterlab", run)
    assert main(["edit", "brott", "--data", str(project / "data")]) == 0
    out = capsys.readouterr().out
    assert "fördes inte tillbaka" in out
    assert nbformat.read(template, as_version=4).cells[0].source == "# Deras rubrik"
    # the working copy keeps the analyst's change, and is not silently replaced next time
    copy = project / "outputs" / "edit" / "2023" / "norr" / "01_brott.ipynb"
    assert nbformat.read(copy, as_version=4).cells[0].source == "# Min rubrik"
    assert main(["edit", "brott", "--data", str(project / "data"), "--no-open"]) == 2
    assert "har ändringar från en tidigare redigering" in capsys.readouterr().err


# ----------------------------------------------------------------------------- JupyterLab that cannot start
ROOT_REFUSAL = "Running as root is not recommended. Use --allow-root to bypass."
FAKE_LAB = f"""
import sys

if "--allow-root" not in sys.argv:  # as JupyterLab does when run as root
    sys.stderr.write("[C 2025-06-01 12:00:00.000 ServerApp] {ROOT_REFUSAL}\\n")
    sys.exit(1)
import nbformat

sys.stderr.write("[I 2025-06-01 12:00:00.000 ServerApp] Jupyter Server 2.14.0 is running at:\\n")
nb = nbformat.read(sys.argv[-1], as_version=4)
nb.cells[0].source = "# Redigerad i en container"
nbformat.write(nb, sys.argv[-1])
"""


@pytest.fixture()
def fake_lab(tmp_path, monkeypatch):
    """A ``jupyterlab`` package that refuses to start without ``--allow-root``, first on the path
    of the ``python -m jupyterlab`` that ``lagesbild edit`` runs (JupyterLab itself is not needed)."""
    package = tmp_path / "fake" / "jupyterlab"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "__main__.py").write_text(FAKE_LAB, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(package.parent))
    monkeypatch.setattr(edit, "jupyterlab_available", lambda: True)
    return package


def test_as_root_jupyterlab_is_started_with_allow_root(monkeypatch, tmp_path):
    monkeypatch.setattr(edit.os, "geteuid", lambda: 0, raising=False)
    command = edit.jupyterlab_command(tmp_path / "01_brott.ipynb")
    assert command[:3] == [sys.executable, "-m", "jupyterlab"] and "--allow-root" in command
    assert command[-1].endswith("01_brott.ipynb")
    monkeypatch.setattr(edit.os, "geteuid", lambda: 1000, raising=False)
    assert "--allow-root" not in edit.jupyterlab_command(tmp_path / "01_brott.ipynb")


def test_a_jupyterlab_that_cannot_start_is_said_plainly_and_the_copy_kept(project, fake_lab, monkeypatch, capsys):
    """Issue 15: JupyterLab refusing to start (here: as root without --allow-root) is exit 1 with
    the reason, not "no changes to write back"."""
    monkeypatch.setattr(edit, "running_as_root", lambda: False)  # as before: no --allow-root
    template = project / "notebooks" / "01_brott.ipynb"
    before = template.read_bytes()
    assert main(["edit", "brott", "--data", str(project / "data")]) == 1
    out, err = capsys.readouterr()
    said = [line for line in err.splitlines() if line.startswith("lagesbild: ")]
    assert len(said) == 1, err
    assert "JupyterLab kunde inte starta (felkod 1)" in said[0] and ROOT_REFUSAL.rstrip(".") in said[0]
    assert "inget fördes tillbaka" in said[0] and "outputs/edit/2023/norr/01_brott.ipynb" in said[0]
    assert "Inga ändringar" not in out and "fördes tillbaka" not in out
    assert ROOT_REFUSAL in err, "JupyterLab's own log still shows"
    assert (project / "outputs" / "edit" / "2023" / "norr" / "01_brott.ipynb").is_file()
    assert template.read_bytes() == before


def test_as_root_the_session_runs_and_changes_go_back(project, fake_lab, monkeypatch, capsys):
    monkeypatch.setattr(edit, "running_as_root", lambda: True)
    assert main(["edit", "brott", "--data", str(project / "data")]) == 0
    assert "Dina ändringar fördes tillbaka" in capsys.readouterr().out
    assert nbformat.read(project / "notebooks" / "01_brott.ipynb", as_version=4).cells[0].source == "# Redigerad i en container"


def test_a_missing_jupyterlab_program_is_said_plainly(project, monkeypatch, capsys):
    monkeypatch.setattr(edit, "jupyterlab_available", lambda: True)
    monkeypatch.setattr(edit, "jupyterlab_command", lambda path: ["/finns/inte/jupyter-lab", str(path)])
    assert main(["edit", "brott", "--data", str(project / "data")]) == 1
    err = capsys.readouterr().err
    assert "JupyterLab kunde inte starta (felkod 127): /finns/inte/jupyter-lab" in err and "01_brott.ipynb" in err
