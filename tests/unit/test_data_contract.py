"""The data contract (DESIGN §6): loaders accept good tables and refuse bad ones in one sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

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
inbrott,Bostadsinbrott,Brott mot hushåll,ja,nej,0
"""
CRIMES = """crime_id,reported_date,category,area_id,lon,lat,outdoor,victim_age
c1,2023-01-05,rån,norr-a,17.9,59.36,true,19
c2,2023-02-05,inbrott,norr-b,,,false,
c3,2022-03-01,rån,norr,17.9,59.36,1,44
"""
WEEKLY = """year,week,area_id,level
2020,53,norr-a,2
2023,1,norr-a,3
"""
SURVEY = """year,survey,area_id,question,answer,group,respondents,share
2023,Mätning,norr-a,otrygg_kvallstid,ja,alla,120,0.25
"""


def make(tmp_path: Path, **overrides: str) -> Path:
    """A small valid data folder; keyword arguments replace (or, with None, remove) files."""
    files = {"areas.csv": AREAS, "crime_categories.csv": CATEGORIES, "crimes.csv": CRIMES,
             "weekly_assessments.csv": WEEKLY, "survey.csv": SURVEY}
    files.update({k.replace("__", "."): v for k, v in overrides.items()})
    for name, text in files.items():
        if text is not None:
            (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_valid_folder_loads_with_types(tmp_path):
    data = DataSet(make(tmp_path))
    counts = data.validate_all()
    assert counts["crimes.csv"] == 3
    crimes = data.table("crimes")
    assert str(crimes["reported_date"].dtype).startswith("datetime64")
    assert crimes["outdoor"].tolist() == [True, False, True]
    assert crimes["victim_age"].isna().tolist() == [False, True, False]
    cats = data.table("crime_categories")
    assert cats["compstat"].tolist() == [True, True] and cats["violent"].tolist() == [True, False]
    assert data.table("population") is None  # optional and absent
    assert data.crime_years == [2022, 2023]


def test_bom_is_accepted(tmp_path):
    folder = make(tmp_path)
    (folder / "areas.csv").write_bytes(b"\xef\xbb\xbf" + AREAS.encode("utf-8"))
    assert DataSet(folder).validate_all()["areas.csv"] == 4


def test_extra_unknown_column_is_allowed(tmp_path):
    extra = CRIMES.replace("victim_age\n", "victim_age,note\n").replace("19\n", "19,x\n").replace(",\n", ",,\n").replace("44\n", "44,y\n")
    assert DataSet(make(tmp_path, crimes__csv=extra)).validate_all()["crimes.csv"] == 3


BAD = [
    ("missing required table", {"areas__csv": None}, "areas", "required table areas is missing"),
    ("no crime data", {"crimes__csv": None}, "", "no crime data"),
    ("missing column", {"crimes__csv": CRIMES.replace("category,", "kategori,")}, "crimes.csv", "required column 'category' is missing"),
    ("bad date", {"crimes__csv": CRIMES.replace("2023-02-05", "2023-02-30")}, "crimes.csv, row 3, column 'reported_date'", "'2023-02-30'"),
    ("date shape", {"crimes__csv": CRIMES.replace("2023-02-05", "5/2/2023")}, "row 3, column 'reported_date'", "YYYY-MM-DD"),
    ("date out of range", {"crimes__csv": CRIMES.replace("2022-03-01", "1899-03-01")}, "row 4, column 'reported_date'", "between 1990-01-01"),
    ("unknown area", {"crimes__csv": CRIMES.replace("norr-b", "soder")}, "row 3, column 'area_id'", "'soder'"),
    ("duplicate id", {"crimes__csv": CRIMES.replace("c3,", "c1,")}, "crimes.csv, row 4", "duplicate crime_id=c1"),
    ("bad bool", {"crimes__csv": CRIMES.replace(",false,", ",kanske,")}, "column 'outdoor'", "true/false"),
    ("decimal comma", {"survey__csv": SURVEY.replace("0.25", '"0,25"')}, "column 'share'", "decimal comma"),
    ("share above 1", {"survey__csv": SURVEY.replace("0.25", "25")}, "column 'share'", "between 0 and 1"),
    ("respondents 0", {"survey__csv": SURVEY.replace(",120,", ",0,")}, "column 'respondents'", "at least 1"),
    ("level 6", {"weekly_assessments__csv": WEEKLY.replace("norr-a,3", "norr-a,6")}, "column 'level'", "between 1 and 5"),
    ("week 0", {"weekly_assessments__csv": WEEKLY.replace("2023,1,", "2023,0,")}, "column 'week'", "between 1 and 53"),
    ("week 53 in a 52-week year", {"weekly_assessments__csv": WEEKLY.replace("2023,1,", "2023,53,")}, "column 'week'", "ISO year 2023 has 52 weeks"),
    ("year as text", {"weekly_assessments__csv": WEEKLY.replace("2023,1,", "tjugo,1,")}, "column 'year'", "whole number"),
    ("empty required value", {"crimes__csv": CRIMES.replace(",rån,norr,", ",,norr,")}, "row 4, column 'category'", "may not be empty"),
    ("unknown category", {"crimes__csv": CRIMES.replace(",rån,norr,", ",stöld,norr,")}, "row 4, column 'category'", "crime_categories"),
    ("semicolons", {"areas__csv": AREAS.replace(",", ";")}, "areas.csv, row 1", "semicolons"),
    ("empty file", {"survey__csv": ""}, "survey.csv", "empty"),
    ("unknown parent", {"areas__csv": AREAS.replace("norr-b,Norr B,stadsdel,norr", "norr-b,Norr B,stadsdel,mitt")}, "areas", "parent_id 'mitt'"),
    ("bad slug", {"areas__csv": AREAS.replace("norr-b,", "Norr B,")}, "column 'area_id'", "lowercase ASCII"),
]


@pytest.mark.parametrize("case, overrides, where, what", BAD, ids=[b[0] for b in BAD])
def test_bad_tables_are_refused_in_one_sentence(tmp_path, case, overrides, where, what):
    with pytest.raises(DataError) as err:
        DataSet(make(tmp_path, **overrides)).validate_all()
    message = str(err.value)
    assert where in message and what in message, message
    assert "\n" not in message


def test_latin1_file_names_the_row(tmp_path):
    folder = make(tmp_path)
    (folder / "areas.csv").write_bytes(AREAS.replace("Staden", "Städen").encode("latin-1"))
    with pytest.raises(DataError, match=r"areas.csv, row 2: byte 0xe4 is not UTF-8"):
        DataSet(folder).validate_all()


def test_csv_and_parquet_of_the_same_table_is_ambiguous(tmp_path):
    folder = make(tmp_path)
    DataSet(folder).table("crimes").to_parquet(folder / "crimes.parquet")
    with pytest.raises(DataError, match="both crimes.parquet and crimes.csv"):
        DataSet(folder).validate_all()


def test_parquet_is_validated_too(tmp_path):
    import pandas as pd

    folder = make(tmp_path, crimes__csv=None)
    frame = pd.DataFrame({"crime_id": ["a", "b"], "reported_date": pd.to_datetime(["2023-01-01", "2023-01-02"]),
                          "category": ["rån", "rån"], "area_id": ["norr-a", "nowhere"]})
    frame.to_parquet(folder / "crimes.parquet")
    with pytest.raises(DataError, match=r"crimes.parquet, row 2, column 'area_id': value 'nowhere'"):
        DataSet(folder).validate_all()


def test_geojson_without_area_id_and_invalid_geometry(tmp_path):
    folder = make(tmp_path)
    square = '{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}'
    bowtie = '{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}'
    (folder / "areas.geojson").write_text('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x"},"geometry":' + square + "}]}")
    with pytest.raises(DataError, match=r"areas.geojson, feature 1: property 'area_id' is missing"):
        DataSet(folder).validate_all()
    (folder / "areas.geojson").write_text('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"area_id":"norr-a"},"geometry":' + bowtie + "}]}")
    with pytest.raises(DataError, match=r"feature 1: invalid geometry"):
        DataSet(folder).validate_all()


def test_demo_data_passes_the_contract(demo_dir):
    counts = DataSet(demo_dir).validate_all()
    assert counts["crimes.parquet"] > 100_000
    assert DataSet(demo_dir).is_demo


def _parquet_crimes(folder: Path, n: int, bad_at: int | None = None, dup_at: int | None = None) -> Path:
    import pandas as pd

    ids = [f"c{i}" for i in range(n)]
    if dup_at is not None:
        ids[dup_at] = ids[0]
    areas = ["norr-a" if i % 2 else "norr-b" for i in range(n)]
    if bad_at is not None:
        areas[bad_at] = "atlantis"
    frame = pd.DataFrame({"crime_id": ids, "reported_date": pd.to_datetime(["2022-06-01", "2023-06-01"] * (n // 2)).date,
                          "category": ["rån"] * n, "area_id": areas})
    path = folder / "crimes.parquet"
    frame.to_parquet(path)
    return path


def test_large_parquet_is_validated_in_chunks_with_true_row_numbers(tmp_path, monkeypatch):
    import lagesbild_lib.data.dataset as dataset

    monkeypatch.setattr(dataset, "CHUNK_ROWS", 10)
    folder = make(tmp_path, crimes__csv=None)
    _parquet_crimes(folder, 40, bad_at=27)
    with pytest.raises(DataError, match=r"crimes.parquet, row 28, column 'area_id': value 'atlantis'"):
        DataSet(folder).validate_all()
    _parquet_crimes(folder, 40, dup_at=33)
    with pytest.raises(DataError, match=r"crimes.parquet, row 34: duplicate crime_id=c0"):
        DataSet(folder).validate_all()


def test_validation_is_remembered_per_file_version(tmp_path, monkeypatch):
    folder = make(tmp_path, crimes__csv=None)
    _parquet_crimes(folder, 40)
    assert DataSet(folder).validate_all()["crimes.parquet"] == 40

    def must_not_run(*args, **kwargs):
        raise AssertionError("validated again although the file did not change")

    monkeypatch.setattr(DataSet, "_validate_chunks", must_not_run)
    assert DataSet(folder).validate_all()["crimes.parquet"] == 40
    monkeypatch.undo()
    _parquet_crimes(folder, 40, bad_at=3)  # a new version of the file is validated again
    with pytest.raises(DataError, match="row 4"):
        DataSet(folder).validate_all()


def test_crimes_for_reads_only_the_rows_asked_for(tmp_path):
    folder = make(tmp_path, crimes__csv=None)
    _parquet_crimes(folder, 40)
    data = DataSet(folder)
    rows = data.crimes_for(["norr-a"], 2023, 2023)
    assert len(rows) == 20 and set(rows["area_id"]) == {"norr-a"}
    assert set(rows["reported_date"].dt.year) == {2023}
    assert str(rows["reported_date"].dtype).startswith("datetime64")
    assert data.crime_years == [2022, 2023]
    assert "crimes" not in data._tables  # the whole table was never loaded


def test_crimes_for_gives_the_same_rows_from_parquet_as_from_csv_and_reads_once(tmp_path, monkeypatch):
    import pandas as pd

    import lagesbild_lib.data.dataset as dataset

    folder = make(tmp_path, crimes__csv=None)
    path = _parquet_crimes(folder, 40)
    from_parquet = DataSet(folder)
    reads = []
    real = dataset.read_table_file
    monkeypatch.setattr(dataset, "read_table_file", lambda *a, **k: reads.append(a[0]) or real(*a, **k))
    rows = from_parquet.crimes_for(["norr-a", "norr-b"], 2022, 2023)
    assert from_parquet.crimes_for(["norr-b", "norr-a"], 2022, 2023).equals(rows)
    assert reads.count(path) == 1, "the same rows asked for twice are read once"
    # area ids and categories come back as plain text, not categoricals
    assert not isinstance(rows["area_id"].dtype, pd.CategoricalDtype) and not isinstance(rows["category"].dtype, pd.CategoricalDtype)
    assert "crime_id" not in rows.columns

    pd.read_parquet(path).to_csv(folder / "crimes.csv", index=False)
    path.unlink()
    from_csv = DataSet(folder).crimes_for(["norr-a", "norr-b"], 2022, 2023)
    pd.testing.assert_frame_equal(from_csv.reset_index(drop=True), rows.reset_index(drop=True), check_dtype=False)


# ----------------------------------------------------------------------------- every problem, not the first
def _five_mistakes(tmp_path: Path) -> Path:
    """Five independent mistakes in five tables (and columns)."""
    return make(
        tmp_path,
        crimes__csv=CRIMES.replace("c2,2023-02-05,inbrott", "c2,2023-02-05,Inbrott"),
        weekly_assessments__csv=WEEKLY.replace("norr-a,3", "norr-a,6"),
        survey__csv=SURVEY.replace(",alla,", ",Alla,"),
        places__csv="place_id,name,type,area_id\np1,Torget,Öppen drogscen,norr-a\n",
        population__csv="year,area_id,age_group,sex,count\n2023,norr-a,0-19,alla,många\n",
    )


def test_every_table_is_validated_and_every_problem_listed(tmp_path):
    from lagesbild_lib.data.validate import DataErrors

    with pytest.raises(DataErrors) as err:
        DataSet(_five_mistakes(tmp_path)).validate_all()
    assert err.value.total == 5
    assert [m.split(": ", 1)[0].rsplit("/", 1)[-1] for m in err.value.messages] == [
        "crimes.csv, row 3, column 'category'",
        "weekly_assessments.csv, row 3, column 'level'",
        "population.csv, row 2, column 'count'",
        "survey.csv, row 2, column 'group'",
        "places.csv, row 2, column 'type'",
    ]
    assert "value 'Inbrott' is not valid; did you mean 'inbrott'?" in err.value.messages[0]
    assert "value 'Alla' is not valid; did you mean 'alla'?" in err.value.messages[3]
    lines = str(err.value).splitlines()
    assert lines[:5] == err.value.messages and lines[5] == "5 fel i indata; ingenting kördes."


def test_a_bad_column_is_one_problem_with_its_other_rows_counted(tmp_path):
    crimes = CRIMES + "c4,2023-02-07,inbrott,norr-b,,,kanske,\nc5,2023-02-08,inbrott,norr-b,,,kanske,\n"
    crimes = crimes.replace(",false,", ",kanske,")
    with pytest.raises(DataError) as err:
        DataSet(make(tmp_path, crimes__csv=crimes)).validate_all()
    assert str(err.value).endswith("expected true/false (or 1/0, ja/nej) (and 2 more rows in this column)")


def test_at_most_fifty_problems_are_shown_and_all_are_counted(tmp_path):
    rows = "".join(f"x{i},2023-01-05,okänd{i},norr-a\n" for i in range(60))
    with pytest.raises(DataError) as err:
        DataSet(make(tmp_path, crimes__csv="crime_id,reported_date,category,area_id\n" + rows)).validate_all()
    assert len(err.value.messages) == 50 and err.value.total == 60
    assert str(err.value).splitlines()[-1] == "60 fel i indata (de första 50 visas); ingenting kördes."


def test_a_broken_registry_does_not_make_every_row_of_other_tables_wrong(tmp_path):
    areas = AREAS.replace("norr-b,Norr B,stadsdel,norr", "norr-b,Norr B,stadsdel,mitt")
    with pytest.raises(DataError) as err:
        DataSet(make(tmp_path, areas__csv=areas, survey__csv=SURVEY.replace(",120,", ",0,"))).validate_all()
    assert err.value.total == 2, str(err.value)
    assert "parent_id 'mitt'" in err.value.messages[0] and "column 'respondents'" in err.value.messages[1]


def test_a_table_with_problems_is_not_remembered_as_validated(tmp_path):
    folder = make(tmp_path, survey__csv=SURVEY.replace(",alla,", ",Alla,"))
    for _ in range(2):
        with pytest.raises(DataError, match="did you mean 'alla'"):
            DataSet(folder).validate_all()
