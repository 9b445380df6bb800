"""Kolada v3 answers → ``indicators``: ids to areas, genders, missing values, labels and units
from the shipped KPI list (offline) or the saved metadata, and one sentence for bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from lagesbild_lib.errors import DataError
from lagesbild_lib.importers import run_import
from lagesbild_lib.importers.kolada import read_kpi_list, unit_from_title

API = Path(__file__).resolve().parents[1] / "fixtures" / "api"


@pytest.fixture()
def registry(tmp_path) -> Path:
    folder = tmp_path / "registry"
    folder.mkdir()
    shutil.copy(API / "areas_orebro.csv", folder / "areas.csv")
    return folder


def page(*rows, next_url=None) -> dict:
    return {"count": len(rows), "values": list(rows), "next_url": next_url}


def row(kpi, municipality, period, total, women=None, men=None) -> dict:
    values = [{"gender": "T", "count": 1, "status": "", "value": total}]
    if women is not None:
        values += [{"gender": "K", "value": women}, {"gender": "M", "value": men}]
    return {"kpi": kpi, "municipality": municipality, "period": period, "values": values}


def imported(tmp_path, registry, doc, **options) -> tuple[pd.DataFrame, object]:
    path = tmp_path / "kolada.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = run_import("kolada", path, tmp_path / "out", registry, **options)
    return pd.read_csv(tmp_path / "out" / "indicators.csv"), result


def test_ids_become_areas_and_labels_units_come_from_the_shipped_list(tmp_path, registry):
    doc = [page(row("N07403", "0000", 2023, 1251.3), row("N07403", "0018", 2023, 1302.8)),
           page(row("N07403", "1880", 2023, 1588.0), row("N03937", "1880", 2023, None))]
    table, result = imported(tmp_path, registry, doc)
    assert list(table["area_id"]) == ["orebro", "orebro-lan", "riket"]
    assert set(table["unit"]) == {"per 100 000 inv"} and table["label"].iloc[0].startswith("Anmälda våldsbrott")
    assert any("saknades i Kolada (null)" in n for n in result.notes)


def test_women_and_men_only_when_asked(tmp_path, registry):
    doc = page(row("N00914", "1880", 2023, 76.4, 74.1, 78.6))
    table, _ = imported(tmp_path, registry, doc)
    assert list(table["sex"]) == ["alla"]
    table, _ = imported(tmp_path, registry, doc, by_sex=True)
    assert dict(zip(table["sex"], table["value"])) == {"alla": 76.4, "kvinna": 74.1, "man": 78.6}


def test_a_kpi_outside_the_list_is_left_out_unless_the_metadata_names_it(tmp_path, registry):
    doc = page(row("N07403", "1880", 2023, 1588.0), row("U99999", "1880", 2023, 3.0))
    table, result = imported(tmp_path, registry, doc)
    assert set(table["indicator"]) == {"N07403"} and any("U99999" in n for n in result.notes)
    doc["kpi_metadata"] = [{"id": "U99999", "title": "Kostnad fritidsgårdar, kr/inv"}]
    table, _ = imported(tmp_path, registry, doc)
    assert table.set_index("indicator").loc["U99999", "unit"] == "kr/inv"
    own = tmp_path / "kpis.csv"
    own.write_text("id,label,unit\nU99999,Mitt nyckeltal,antal\n", encoding="utf-8")
    table, _ = imported(tmp_path, registry, page(row("U99999", "1880", 2023, 3.0)), kpis=own)
    assert list(table["label"]) == ["Mitt nyckeltal"]


def test_a_single_page_of_a_longer_answer_is_said_aloud(tmp_path, registry):
    _, result = imported(tmp_path, registry, page(row("N07403", "1880", 2023, 1.0), next_url="https://api.kolada.se/v3/x?page=2"))
    assert any("bara en del av svaret" in n for n in result.notes)


def test_bad_input_is_one_sentence(tmp_path, registry):
    def refused(doc, pattern):
        with pytest.raises(DataError, match=pattern):
            imported(tmp_path, registry, doc)

    refused({"data": []}, "ingen lista 'values'")
    refused(page({"kpi": "N07403"}), r"värde 1: förväntade ett objekt med kpi, municipality, period")
    refused(page(row("N07403", "1880", "2023H1", 1.0)), r"fält 'period': värdet '2023H1' är inte giltigt")
    refused(page(row("N07403", "1880", 2023, "många")), r"fält 'value': värdet 'många' är inte giltigt")
    refused(page(row("N07403", "9999", 2023, 1.0)), "inget värde för ett område i områdesregistret")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    with pytest.raises(DataError, match=r"broken.json, rad 1, position 2: ogiltig JSON"):
        run_import("kolada", tmp_path / "broken.json", tmp_path / "out", registry)


def test_the_shipped_kpi_list_has_the_lagesbild_defaults_with_units():
    kpis = read_kpi_list()
    for kpi in ("N07403", "N03937", "N66080", "N00914", "N15428", "N01982", "N31807"):
        assert kpis[kpi]["label"] and kpis[kpi]["unit"] in ("procent", "per 100 000 inv")
    assert {k["direction"] for k in kpis.values()} <= {"risk", "skydd", ""}


def test_units_from_kolada_titles():
    assert unit_from_title("Förvärvsarbetande invånare 20-64 år, andel (%)") == "procent"
    assert unit_from_title("Anmälda våldsbrott, antal/100 000 inv") == "per 100 000 inv"
    assert unit_from_title("Kostnad ekonomiskt bistånd, kr/inv") == "kr/inv"
    assert unit_from_title("Inflyttade, antal") == "antal"
    assert unit_from_title("Informationsindex för kommunens webbplats") == ""


def test_the_comparison_reads_the_totals_when_women_and_men_are_imported_too(tmp_path, registry):
    from lagesbild_lib.analysis.indicators import fmt_diff, indicator_comparison
    from lagesbild_lib.present.fmt import fmt_value

    doc = page(row("N00914", "1880", 2023, 76.4, 74.1, 78.6), row("N00914", "0000", 2023, 79.6, 78.0, 81.1),
               row("N07403", "1880", 2023, 1588.0), row("N07403", "0000", 2023, 1251.3))
    table, _ = imported(tmp_path, registry, doc, by_sex=True)
    compared = indicator_comparison(table, "orebro", "riket", 2023).set_index("indicator")
    assert len(compared) == 2
    assert compared.loc["N00914", "value"] == 76.4 and compared.loc["N00914", "city_value"] == 79.6
    n07403 = compared.loc["N07403"]
    assert fmt_value(n07403["value"], n07403["unit"]) == "1\u202f588\u00a0per 100 000 inv"
    assert fmt_diff(n07403["diff"], n07403["unit"]) == "+337\u00a0per 100 000 inv"
