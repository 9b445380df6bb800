"""Issue 17 item 5: a second demo outside Stockholm. Gävle (a real mid-size kommun, its real
outline, synthetic RegSO-like delområden) is in the same demo data set as Stockholm and Solna;
its report builds, compares the kommun with Gävleborgs län, riket and its kommungrupp (never with
"staden"), passes the report contract, is in the batch's default list, refuses bad input like the
Stockholm demo, and adding it moved no number of the Stockholm demo."""

from __future__ import annotations

import html as htmlmod
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from lagesbild_lib.cli import main
from lagesbild_lib.data.dataset import DataSet
from lagesbild_lib.demo import generate
from lagesbild_lib.demo.gavle_more import GavleDemo
from support import forbid_kernels, report_contract_result

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
HTML = "lagesbild-gavle-2023.html"


def reader_text(path: Path) -> str:
    """What a reader sees (and hears): the text outside scripts and styles, and every alt text."""
    raw = path.read_text(encoding="utf-8")
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    alts = " ".join(re.findall(r'\balt="([^"]*)"', body))
    text = re.sub(r"<[^>]+>", " ", body)
    return " ".join(htmlmod.unescape(f"{text} {alts}").replace("\u00a0", " ").replace("\u202f", " ").split())


def test_gavle_report_builds_with_every_chapter(gavle_built):
    assert (gavle_built / HTML).is_file() and (gavle_built / "tabeller.xlsx").is_file()
    chapters = sorted(p.stem for p in (gavle_built / "chapters").glob("*.ipynb"))
    assert len(chapters) >= 8 and chapters[0] == "00_sammanfattning"


def test_gavle_compares_with_lan_riket_and_kommungrupp_never_the_city(gavle_built):
    text = reader_text(gavle_built / HTML)
    assert "Lokal lägesbild – Gävle 2023" in text or "Gävle 2023" in text
    assert re.search(r"brott per 100 000 invånare i Gävle \(1 jan–31 okt\), mot [\d ]+ i riket, [\d ]+ i Gävleborgs län och "
                     r"[\d ]+ i kommungruppen Större stad", text), "the peers sentence of chapter Orsaker"
    assert "jämfört med Gävleborgs län" in text, "risk and protective factors against the län"
    assert "övriga kommuner i kommungruppen Större stad" in text
    found = [text[max(0, m.start() - 60):m.end() + 40] for m in re.finditer(r"\b[Ss]tadens?\b", text)]
    assert not found, f"'staden' in a kommun report ({len(found)}×): {found[:5]}"
    assert "stadsdelsförvaltning" not in text.lower() and "stadsdelsområde" not in text.lower()
    assert "Gävle kommun" in text and "Lokalpolisområde Gävle" in text  # the parties from params/2023/gavle.yml
    assert "Exempeltext för demodata" in text and "Hässelby" not in text and "Vällingby" not in text


def test_gavle_report_contract_checker(gavle_built):
    result = report_contract_result(gavle_built / HTML)
    if result is None:
        pytest.skip("shared checks not present")
    assert result.returncode == 0, result.stdout + result.stderr


def test_gavle_is_a_default_report_area_of_the_batch(demo_dir):
    areas = DataSet(demo_dir).areas.report_areas()
    assert {"gavle", "hasselby-vallingby", "solna"} <= set(areas)
    assert not {"gavleborgs-lan", "riket", "umea"} & set(areas)


def test_gavle_outline_and_sources_in_the_demo_data(demo_dir):
    import json

    import shapely

    layer = json.loads((demo_dir / "areas.geojson").read_text(encoding="utf-8"))
    areas = pd.read_csv(demo_dir / "areas.csv", keep_default_na=False)
    subs = set(areas.loc[areas["parent_id"] == "gavle", "area_id"])
    cells = [shapely.geometry.shape(f["geometry"]) for f in layer["features"] if f["properties"]["area_id"] in subs]
    assert len(cells) == len(subs) and all(f["properties"].get("schematic") for f in layer["features"] if f["properties"]["area_id"] in subs)
    assert shapely.union_all(cells).contains(shapely.Point(17.147, 60.676))
    origins = json.loads((demo_dir / "sources.json").read_text(encoding="utf-8"))
    assert "Gävles delområden" in origins["areas.geojson"]["origin"]
    assert "Gävle" in (demo_dir / "DEMODATA.txt").read_text(encoding="utf-8")


def _gavle_ids(demo_dir: Path) -> set[str]:
    areas = pd.read_csv(demo_dir / "areas.csv", keep_default_na=False)
    mine = set(areas.loc[areas["parent_id"].isin(["gavle", "gavleborgs-lan"]), "area_id"]) | {"gavle", "gavleborgs-lan"}
    group = pd.read_csv(demo_dir / "kommungrupp.csv", keep_default_na=False)
    return mine | set(group.loc[group["kommungrupp"] == "Större stad", "area_id"])


def test_adding_gavle_moved_no_number_of_the_stockholm_demo(demo_dir, tmp_path, monkeypatch):
    """The demo written without Gävle equals the demo with Gävle's rows taken out, file by file;
    Gävle adds riket's indicator rows too (the Stockholm demo has none: its kommun report on Solna
    gains a comparison with riket, no number of its own moves)."""
    empty = GavleDemo({}, pd.DataFrame(columns=["crime_id"]), [])
    monkeypatch.setattr(generate, "gavle_demo", lambda seed, taken: empty)
    without = tmp_path / "without"
    generate.write_demo_data(without)
    ids = _gavle_ids(demo_dir)
    assert len(ids) == 2 + 18 + 13
    for path in sorted(without.glob("*.csv")):
        alone = pd.read_csv(path, keep_default_na=False, dtype=str)
        both = pd.read_csv(demo_dir / path.name, keep_default_na=False, dtype=str)
        if "area_id" in both.columns:
            both = both[~both["area_id"].isin(ids | ({"riket"} if path.name == "indicators.csv" else set()))]
        if path.name == "indicators.csv":
            assert "riket" not in set(alone["area_id"])
        pd.testing.assert_frame_equal(alone.reset_index(drop=True), both.reset_index(drop=True), obj=path.name)
    crimes = pd.read_parquet(demo_dir / "crimes.parquet")
    alone = pd.read_parquet(without / "crimes.parquet")
    pd.testing.assert_frame_equal(alone, crimes[~crimes["area_id"].isin(ids)].reset_index(drop=True))
    assert crimes["area_id"].isin(ids).sum() > 20_000


def test_bad_gavle_data_exits_2_and_leaves_the_report(tmp_path, gavle_built, demo_dir, capsys, monkeypatch):
    bad = tmp_path / "data"
    shutil.copytree(demo_dir, bad)
    lines = (bad / "weekly_assessments.csv").read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if ",andersberg," in line)
    fields = lines[row].split(",")
    fields[-1] = "7"
    lines[row] = ",".join(fields)
    (bad / "weekly_assessments.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = (gavle_built / HTML).read_bytes()
    forbid_kernels(monkeypatch, "bad data is refused before any chapter runs")
    out = gavle_built.parent.parent
    assert main(["build", "--area", "gavle", "--year", "2023", "--data", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"weekly_assessments.csv, rad {row + 1}, kolumn 'level': värdet '7'" in err and "Traceback" not in err
    assert (gavle_built / HTML).read_bytes() == before


def test_bad_gavle_params_exit_2_with_one_swedish_sentence(tmp_path, demo_dir, capsys, monkeypatch):
    own = tmp_path / "gavle.yml"
    text = (ROOT / "params" / "2023" / "gavle.yml").read_text(encoding="utf-8")
    own.write_text(text.replace("lokalpolisomrade:", "lokalpolisomrde:", 1), encoding="utf-8")
    forbid_kernels(monkeypatch, "bad params are refused before any chapter runs")
    for command in ("check", "build"):
        args = [command, "--area", "gavle", "--year", "2023", "--data", str(demo_dir), "--params", str(own)]
        code = main(args + (["--out", str(tmp_path / "out")] if command == "build" else []))
        err = capsys.readouterr().err
        assert code == 2, err
        assert "lokalpolisomrde" in err and "Traceback" not in err and err.strip().count("\n") == 0
    assert not (tmp_path / "out").exists()
