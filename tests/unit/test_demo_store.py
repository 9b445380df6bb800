"""The demo data folder is generated on first use and generated again, with the same seed, when the
program's demo generator changed since it was written; a current folder is left alone."""

from __future__ import annotations

import pytest

from lagesbild_lib.data.dataset import DEMO_MARKER
from lagesbild_lib.demo import generate, store


@pytest.fixture
def writes(monkeypatch):
    """The seeds the (stubbed, fast) generator was called with."""
    seeds: list[int] = []

    def fake(out_dir, seed=store.DEFAULT_SEED):
        seeds.append(seed)
        (out_dir / DEMO_MARKER).write_text("Demodata – syntetiska uppgifter\n", encoding="utf-8")
        (out_dir / "areas.csv").write_text(f"seed {seed}\n", encoding="utf-8")

    monkeypatch.setattr(generate, "write_demo_data", fake)
    return seeds


def test_missing_folder_is_written_and_a_current_one_left_alone(tmp_path, writes):
    folder = tmp_path / "demo"
    store.ensure_demo_data(folder)
    assert writes == [store.DEFAULT_SEED]
    assert (folder / store.GENERATOR_FILE).read_text().split() == [str(store.DEFAULT_SEED), store.generator_fingerprint()]
    store.ensure_demo_data(folder)
    assert writes == [store.DEFAULT_SEED]


def test_a_folder_from_another_generator_is_written_again_with_its_seed(tmp_path, writes, caplog):
    folder = tmp_path / "demo"
    store.write_demo(folder, seed=7)
    (folder / store.GENERATOR_FILE).write_text("7 0123abcd\n", encoding="utf-8")  # an older generator
    store.ensure_demo_data(folder)
    assert writes == [7, 7]
    assert (folder / "areas.csv").read_text() == "seed 7\n"
    assert "skrivs om" in caplog.text


def test_a_folder_without_fingerprint_is_written_again(tmp_path, writes):
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / DEMO_MARKER).write_text("Demodata\n", encoding="utf-8")  # written before fingerprints existed
    store.ensure_demo_data(folder)
    assert writes == [store.DEFAULT_SEED]


def test_the_fingerprint_follows_the_seed():
    assert store.generator_fingerprint(1) != store.generator_fingerprint(2)
