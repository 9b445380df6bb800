"""Habits of the repository: clean notebooks, thin chapters, one set of dependencies."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_the_chapters_are_in_the_reading_order_of_the_design():
    """DESIGN §2: after Trygghet come Mönster i tid och rum and Orsaker, then Prioriterade
    samverkansområden, then Åtgärdsplan och uppföljning."""
    assert [p.stem for p in NOTEBOOKS] == [
        "00_sammanfattning", "01_omradet", "02_brottslighet", "03_trygghet", "04_monster", "05_orsaker",
        "06_prioriterade_omraden", "07_atgardsplan", "08_kallor",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, f"{path.name}: strip outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_thin_and_has_a_literal_parameters_cell(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    params = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(params) == 1
    source = "".join(params[0]["source"])
    names = re.findall(r"^(\w+)\s*=", source, re.M)
    assert names == ["year", "area", "data_dir", "params_file"]
    for line in source.splitlines():
        value = line.split("=", 1)[1].split("#")[0].strip()
        assert re.fullmatch(r'\d+|"[^"]*"', value), f"parameters cell holds literals only: {line}"
    for cell in code:
        src = "".join(cell["source"])
        assert not re.search(r"^\s*(def|class|for|while)\s", src, re.M), f"logic belongs in lagesbild_lib: {src[:60]}"
        assert len([line for line in src.splitlines() if line.strip()]) <= 5


def _names(requirements):
    return {re.split(r"[<>=!\[ ]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}


def test_environment_yml_agrees_with_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = _names(project["dependencies"]) | _names(project["optional-dependencies"]["test"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = _names(d for d in env["dependencies"] if isinstance(d, str)) - {"python", "pip"}
    assert conda == wanted
    pins = {re.split(r"[\[ ]", d)[0].lower(): d for d in project["dependencies"]}
    conda_pins = {re.split(r"[<>=]", d)[0]: d for d in env["dependencies"] if isinstance(d, str)}
    for name, spec in pins.items():
        assert conda_pins[re.split(r"[<>=]", name)[0]] == spec, f"{name}: same version bounds in both"


def test_editing_tools_are_an_optional_extra():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = _names(project["dependencies"])
    assert not runtime & {"jupyter", "jupyterlab", "notebook", "jupyter-server"}
    assert "jupyterlab" in _names(project["optional-dependencies"]["edit"])


def test_no_swallowed_exceptions_in_the_library():
    pattern = re.compile(r"except[^\n]*:\s*\n?\s*(pass|\.\.\.)\s*$", re.M)
    for path in (ROOT / "lagesbild_lib").rglob("*.py"):
        assert not pattern.search(path.read_text(encoding="utf-8")), path
