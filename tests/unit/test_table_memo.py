"""The memo of loaded, validated data a warm kernel keeps between chapters and reports (issue 20):
the same data as from disk, a changed file read again, data folders kept apart, and the chapter
cache still keyed on every table a chapter read, also when it came from the memo."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from lagesbild_lib.data import memo
from lagesbild_lib.data.dataset import DataSet
from lagesbild_lib.errors import DataError

AREAS = """area_id,name,level,parent_id
stad,Staden,kommun,
norr,Norr,stadsdelsomrade,stad
norr-a,Norr A,stadsdel,norr
norr-b,Norr B,stadsdel,norr
"""
CATEGORIES = """category,label,group,compstat,violent,intimate_partner
rån,Personrån,Brott mot person,true,true,false
inbrott,Bostadsinbrott,Brott mot hushåll,true,false,false
"""
POPULATION = """year,area_id,age_group,sex,count
2022,norr-a,0-17,alla,1200
2023,norr-a,0-17,alla,1250
2023,norr-b,0-17,alla,800
"""
GEO = """{"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"area_id": "norr-a", "name": "Norr A"},
  "geometry": {"type": "Polygon", "coordinates": [[[17.9, 59.3], [17.95, 59.3], [17.95, 59.35], [17.9, 59.3]]]}}]}
"""


def crimes_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "crime_id": ["c1", "c2", "c3", "c4"],
        "reported_date": pd.to_datetime(["2021-04-01", "2022-03-01", "2023-01-05", "2023-02-05"]),
        "category": ["rån", "rån", "rån", "inbrott"],
        "area_id": ["norr-a", "norr-b", "norr-a", "norr-b"],
        "lon": [17.9, 17.91, 17.9, None], "lat": [59.36, 59.35, 59.36, None],
    })


def make(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "areas.csv").write_text(AREAS, encoding="utf-8")
    (folder / "crime_categories.csv").write_text(CATEGORIES, encoding="utf-8")
    (folder / "population.csv").write_text(POPULATION, encoding="utf-8")
    (folder / "areas.geojson").write_text(GEO, encoding="utf-8")
    crimes_frame().to_parquet(folder / "crimes.parquet", index=False)
    return folder


@pytest.fixture()
def on():
    """The memo on, empty, for this test only (as a warm kernel has it)."""
    memo.disable()
    kept = memo.enable()
    assert kept is not None and len(kept) == 0
    yield kept
    memo.disable()


def everything(data: DataSet) -> dict:
    """All a chapter can read from a data set."""
    return {
        "population": data.table("population"),
        "areas": data.table("areas"),
        "registry": data.areas.ids,
        "children": data.areas.children("norr"),
        "geo": [(p, g.wkt) for p, g in data.geo("areas").features],
        "years": data.crime_years,
        "crimes": data.crimes_for(["norr-a", "norr-b"], 2022, 2023).reset_index(drop=True),
    }


def assert_same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for key, value in a.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(value, b[key])
        else:
            assert value == b[key], key


def test_the_memo_is_off_in_a_plain_process_and_a_kernel_turns_it_on(monkeypatch):
    from lagesbild_lib.pipeline.kernels import warm_imports

    memo.disable()
    assert memo.active() is None  # JupyterLab or a script reads from disk as before
    assert "lagesbild_lib.data.memo.enable()" in warm_imports()
    monkeypatch.setenv(memo.ENV, "0")
    assert memo.enable() is None and memo.active() is None  # LAGESBILD_TABLE_MEMO=0 keeps it off
    monkeypatch.delenv(memo.ENV)
    assert memo.enable() is memo.active() is not None
    memo.disable()


def test_the_memo_gives_the_same_data_as_a_fresh_read(tmp_path, on):
    folder = make(tmp_path / "data")
    memo.disable()
    from_disk = everything(DataSet(folder))
    kept = memo.enable()
    first = everything(DataSet(folder))
    misses = kept.misses
    second = everything(DataSet(folder))  # the next chapter
    assert kept.misses == misses and kept.hits >= 6  # nothing read again
    assert_same(from_disk, first)
    assert_same(from_disk, second)


def test_a_chapter_that_changes_its_frame_does_not_change_the_next_chapters(tmp_path, on):
    folder = make(tmp_path / "data")
    one = DataSet(folder).table("population")
    one["rate"] = 1.0
    one.loc[0, "count"] = -5
    DataSet(folder).geo("areas").features[0][0]["area_id"] = "ändrad"
    two = DataSet(folder)
    assert "rate" not in two.table("population").columns
    assert two.table("population")["count"].tolist() == [1200, 1250, 800]
    assert two.geo("areas").features[0][0]["area_id"] == "norr-a"
    assert on.hits >= 2


def test_a_changed_or_touched_file_is_read_again(tmp_path, on):
    folder = make(tmp_path / "data")
    assert DataSet(folder).table("population")["count"].tolist() == [1200, 1250, 800]
    path = folder / "population.csv"
    stat = path.stat()
    path.write_text(POPULATION.replace("1250", "1350"), encoding="utf-8")  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the old modification time
    assert DataSet(folder).table("population")["count"].tolist() == [1200, 1350, 800]
    misses = on.misses
    os.utime(path)  # touched only
    DataSet(folder).table("population")
    assert on.misses == misses + 1
    # a new crimes file (replaced, as an export does): new years and rows
    frame = crimes_frame()
    frame.loc[0, "reported_date"] = pd.Timestamp("2020-06-01")
    frame.to_parquet(folder / "crimes.tmp", index=False)
    os.replace(folder / "crimes.tmp", folder / "crimes.parquet")
    data = DataSet(folder)
    assert data.crime_years == [2020, 2022, 2023]
    assert len(data.crimes_for(["norr-a"], 2020, 2020)) == 1


def test_a_changed_registry_is_read_again_by_the_tables_checked_against_it(tmp_path, on):
    folder = make(tmp_path / "data")
    assert DataSet(folder).table("population") is not None
    (folder / "areas.csv").write_text(AREAS.replace("norr-b,Norr B,stadsdel,norr\n", ""), encoding="utf-8")
    with pytest.raises(DataError, match="norr-b"):  # population names an area no longer in the registry
        DataSet(folder).table("population")


def test_two_data_folders_do_not_mix(tmp_path, on):
    first = make(tmp_path / "a")
    second = tmp_path / "b"
    shutil.copytree(first, second)
    for path in (first, second):  # the same file names, sizes and times in both folders
        os.utime(path / "population.csv", ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    (second / "population.csv").write_text(POPULATION.replace("1200", "1300"), encoding="utf-8")
    os.utime(second / "population.csv", ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    for _ in range(2):
        assert DataSet(first).table("population")["count"].tolist() == [1200, 1250, 800]
        assert DataSet(second).table("population")["count"].tolist() == [1300, 1250, 800]
        assert DataSet(first).areas.ids == DataSet(second).areas.ids
        assert str(DataSet(second).geo("areas").path).startswith(str(second))
    assert on.hits >= 4


def test_a_broken_table_is_not_kept_and_is_refused_by_every_chapter(tmp_path, on):
    folder = make(tmp_path / "data")
    (folder / "population.csv").write_text(POPULATION.replace("1250", "många"), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(DataError, match=r"population\.csv, rad 3.*många"):
            DataSet(folder).table("population")
    assert not any(key[1][0].endswith("population.csv") for key in on._entries if key[0] == "table")


def test_the_chapter_cache_records_the_tables_read_from_the_memo(tmp_path, on):
    import json

    from lagesbild_lib.context import chapter_context, forget_contexts, reads_report
    from lagesbild_lib.data.files import file_sha256
    from lagesbild_lib.pipeline.cache import ChapterCache

    folder = make(tmp_path / "data")
    for chapter in range(2):  # the second chapter reads everything from the memo
        forget_contexts()
        hits = on.hits
        ctx = chapter_context(2023, "norr", str(folder))
        ctx.data.table("population")
        ctx.data.crimes_for(ctx.areas.descendants("norr"), 2022, 2023)
        reads = json.loads(reads_report())["reads"]
        assert {"areas": "areas.csv", "population": "population.csv", "crimes": "crimes.parquet"}.items() <= reads.items()
    assert on.hits - hits >= 3
    forget_contexts()
    notebook = tmp_path / "chapter.ipynb"
    notebook.write_text("{}", encoding="utf-8")
    cache = ChapterCache(tmp_path / "cache")
    cache.store("pre", folder, reads, notebook, file_sha256)
    assert cache.lookup("pre", folder, file_sha256) is not None
    (folder / "population.csv").write_text(POPULATION.replace("800", "900"), encoding="utf-8")
    assert cache.lookup("pre", folder, file_sha256) is None  # the chapter runs again on the new table


def test_the_memo_keeps_the_most_recently_used_within_its_bounds():
    kept = memo.TableMemo(max_entries=2, max_bytes=10_000)
    frame = pd.DataFrame({"x": range(100)})  # 800 bytes of data
    kept.put(("a",), frame)
    kept.put(("b",), frame)
    assert kept.get(("a",)) is frame  # a is now the most recently used
    kept.put(("c",), frame)
    assert kept.get(("b",)) is None and kept.get(("a",)) is frame and kept.get(("c",)) is frame
    kept.put(("big",), pd.DataFrame({"x": range(5_000)}))  # larger than the whole memo: not kept
    assert kept.get(("big",)) is None and len(kept) == 2
