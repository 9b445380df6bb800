"""Shared fixtures: the demo data set and one built report, each made once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from lagesbild_lib.cli import main
from lagesbild_lib.demo.store import write_demo

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """Tests never share the validation cache with the analyst's own runs."""
    import os

    folder = tmp_path_factory.mktemp("cache")
    old = os.environ.get("LAGESBILD_CACHE")
    os.environ["LAGESBILD_CACHE"] = str(folder)
    yield folder
    if old is None:
        os.environ.pop("LAGESBILD_CACHE", None)
    else:
        os.environ["LAGESBILD_CACHE"] = old


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    """The demo data set, written into a temporary folder."""
    out = tmp_path_factory.mktemp("data") / "demo"
    write_demo(out)
    return out


@pytest.fixture(scope="session")
def built(tmp_path_factory, demo_dir) -> Path:
    """The default report (Hässelby-Vällingby 2023) built on the demo data; returns its folder."""
    out = tmp_path_factory.mktemp("outputs")
    assert main(["build", "--data", str(demo_dir), "--out", str(out)]) == 0
    return out / "2023" / "hasselby-vallingby"


@pytest.fixture(scope="session")
def gavle_built(tmp_path_factory, demo_dir) -> Path:
    """The second demo (the kommun Gävle 2023, outside Stockholm) built on the demo data; returns its folder."""
    out = tmp_path_factory.mktemp("outputs-gavle")
    assert main(["build", "--area", "gavle", "--year", "2023", "--data", str(demo_dir), "--out", str(out)]) == 0
    return out / "2023" / "gavle"
