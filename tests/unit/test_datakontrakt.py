"""docs/datakontrakt.md is the schema, in Swedish: it fails when the two disagree, and every
example row in it passes the validation that ``lagesbild check`` runs."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from lagesbild_lib import paths
from lagesbild_lib.data import schema
from lagesbild_lib.data.contract_doc import DOC_PATH, example_row, main, render
from lagesbild_lib.data.validate import Located, validate_frame

DOC = paths.project_root() / DOC_PATH


def test_the_document_in_the_repository_is_the_one_the_schema_makes():
    assert DOC.is_file(), f"{DOC_PATH} saknas; kör python -m lagesbild_lib.data.contract_doc --write"
    assert DOC.read_text(encoding="utf-8") == render(), (
        f"{DOC_PATH} stämmer inte med lagesbild_lib/data/schema.py; kör python -m lagesbild_lib.data.contract_doc --write"
    )


def test_every_table_column_and_layer_is_documented_in_swedish():
    text = render()
    for spec in schema.TABLES.values():
        section = text.split(f"### `{spec.name}` – ", 1)[1].split("\n### ", 1)[0]
        assert spec.description in section
        for col in spec.columns:
            assert f"| `{col.name}` |" in section, (spec.name, col.name)
            for value in col.allowed or ():
                assert f"`{value}`" in section
        assert ("**Obligatorisk" in section) == (spec.name in schema.REQUIRED_TABLES + schema.CRIME_TABLES)
    for layer, props in schema.GEO_LAYERS.items():
        assert f"### `{layer}.geojson`" in text and all(f"`{p}`" in text for p in props)
    for word in ("Datakontrakt", "kolumn", "krävs", "tillåtna värden", "beskrivning", "Exempelrad", "Vanlig källa"):
        assert word in text
    assert "required" not in text and "allowed" not in text


@pytest.mark.parametrize("name", list(schema.TABLES))
def test_each_example_row_passes_the_validation(name):
    spec = schema.TABLES[name]
    row = example_row(spec)
    assert all(row[c] != "" for c in spec.required_columns if not spec.column(c).nullable), row
    frame = pd.read_csv(io.StringIO(",".join(row) + "\n" + ",".join(f'"{v}"' for v in row.values()) + "\n"),
                        dtype=str, keep_default_na=False)
    areas = {v for c in spec.columns if c.kind == "area" for v in [row[c.name]]}
    validate_frame(frame, spec, Located(DOC_PATH, 1), areas)


def test_the_check_flag_says_when_the_document_is_stale(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LAGESBILD_PROJECT", str(tmp_path))
    (tmp_path / "docs").mkdir()
    assert main(["--check"]) == 1
    assert "stämmer inte med schemat" in capsys.readouterr().err
    assert main(["--write"]) == 0 and main(["--check"]) == 0
