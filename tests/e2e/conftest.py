"""Fixtures of the end-to-end tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture()
def project(tmp_path, monkeypatch) -> Path:
    """A private copy of the tiny two-chapter project (tests/fixtures/project) with the backtest
    data in ``data/`` and its own cache: builds in a few seconds."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "project", root)
    shutil.copytree(FIXTURES / "backtest_compstat", root / "data")
    monkeypatch.setenv("LAGESBILD_PROJECT", str(root))
    monkeypatch.setenv("LAGESBILD_CACHE", str(tmp_path / "cache"))
    return root
