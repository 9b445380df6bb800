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
    ("missing required table", {"areas__csv": None}, "areas", "den obligatoriska tabellen areas saknas"),
    ("no crime data", {"crimes__csv": None}, "", "brottsdata saknas"),
    ("missing column", {"crimes__csv": CRIMES.replace("category,", "kategori,")}, "crimes.csv", "den obligatoriska kolumnen 'category' saknas"),
    ("bad date", {"crimes__csv": CRIMES.replace("2023-02-05", "2023-02-30")}, "crimes.csv, rad 3, kolumn 'reported_date'", "'2023-02-30'"),
    ("date shape", {"crimes__csv": CRIMES.replace("2023-02-05", "5/2/2023")}, "rad 3, kolumn 'reported_date'", "ÅÅÅÅ-MM-DD"),
    ("date out of range", {"crimes__csv": CRIMES.replace("2022-03-01", "1899-03-01")}, "rad 4, kolumn 'reported_date'", "mellan 1990-01-01"),
    ("unknown area", {"crimes__csv": CRIMES.replace("norr-b", "soder")}, "rad 3, kolumn 'area_id'", "'soder'"),
    ("duplicate id", {"crimes__csv": CRIMES.replace("c3,", "c1,")}, "crimes.csv, rad 4", "crime_id=c1 finns redan"),
    ("bad bool", {"crimes__csv": CRIMES.replace(",false,", ",kanske,")}, "kolumn 'outdoor'", "true/false"),
    ("decimal comma", {"survey__csv": SURVEY.replace("0.25", '"0,25"')}, "kolumn 'share'", "decimalkomma"),
    ("share above 1", {"survey__csv": SURVEY.replace("0.25", "25")}, "kolumn 'share'", "mellan 0 och 1"),
    ("respondents 0", {"survey__csv": SURVEY.replace(",120,", ",0,")}, "kolumn 'respondents'", "minst 1"),
    ("level 6", {"weekly_assessments__csv": WEEKLY.replace("norr-a,3", "norr-a,6")}, "kolumn 'level'", "mellan 1 och 5"),
    ("week 0", {"weekly_assessments__csv": WEEKLY.replace("2023,1,", "2023,0,")}, "kolumn 'week'", "mellan 1 och 53"),
    ("week 53 in a 52-week year", {"weekly_assessments__csv": WEEKLY.replace("2023,1,", "2023,53,")}, "kolumn 'week'", "ISO-året 2023 har 52 veckor"),
    ("year as text", {"weekly_assessments__csv": WEEKLY.replace("2023,1,", "tjugo,1,")}, "kolumn 'year'", "heltal"),
    ("empty required value", {"crimes__csv": CRIMES.replace(",rån,norr,", ",,norr,")}, "rad 4, kolumn 'category'", "får inte vara tom"),
    ("unknown category", {"crimes__csv": CRIMES.replace(",rån,norr,", ",stöld,norr,")}, "rad 4, kolumn 'category'", "crime_categories"),
    ("semicolons", {"areas__csv": AREAS.replace(",", ";")}, "areas.csv, rad 1", "semikolon"),
    ("empty file", {"survey__csv": ""}, "survey.csv", "filen är tom"),
    ("unknown parent", {"areas__csv": AREAS.replace("norr-b,Norr B,stadsdel,norr", "norr-b,Norr B,stadsdel,mitt")}, "areas", "parent_id 'mitt'"),
    ("bad slug", {"areas__csv": AREAS.replace("norr-b,", "Norr B,")}, "kolumn 'area_id'", "små ASCII-bokstäver"),
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
    with pytest.raises(DataError, match=r"areas.csv, rad 2: byten 0xe4 är inte UTF-8"):
        DataSet(folder).validate_all()


def test_csv_and_parquet_of_the_same_table_is_ambiguous(tmp_path):
    folder = make(tmp_path)
    DataSet(folder).table("crimes").to_parquet(folder / "crimes.parquet")
    with pytest.raises(DataError, match="både crimes.parquet och crimes.csv"):
        DataSet(folder).validate_all()


def test_parquet_is_validated_too(tmp_path):
    import pandas as pd

    folder = make(tmp_path, crimes__csv=None)
    frame = pd.DataFrame({"crime_id": ["a", "b"], "reported_date": pd.to_datetime(["2023-01-01", "2023-01-02"]),
                          "category": ["rån", "rån"], "area_id": ["norr-a", "nowhere"]})
    frame.to_parquet(folder / "crimes.parquet")
    with pytest.raises(DataError, match=r"crimes.parquet, rad 2, kolumn 'area_id': värdet 'nowhere'"):
        DataSet(folder).validate_all()


def test_geojson_without_area_id_and_invalid_geometry(tmp_path):
    folder = make(tmp_path)
    square = '{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}'
    bowtie = '{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}'
    (folder / "areas.geojson").write_text('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x"},"geometry":' + square + "}]}")
    with pytest.raises(DataError, match=r"areas.geojson, objekt 1: egenskapen 'area_id' saknas"):
        DataSet(folder).validate_all()
    (folder / "areas.geojson").write_text('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"area_id":"norr-a"},"geometry":' + bowtie + "}]}")
    with pytest.raises(DataError, match=r"objekt 1: ogiltig geometri"):
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
    with pytest.raises(DataError, match=r"crimes.parquet, rad 28, kolumn 'area_id': värdet 'atlantis'"):
        DataSet(folder).validate_all()
    _parquet_crimes(folder, 40, dup_at=33)
    with pytest.raises(DataError, match=r"crimes.parquet, rad 34: crime_id=c0 finns redan"):
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
    with pytest.raises(DataError, match="rad 4"):
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
        "crimes.csv, rad 3, kolumn 'category'",
        "weekly_assessments.csv, rad 3, kolumn 'level'",
        "population.csv, rad 2, kolumn 'count'",
        "survey.csv, rad 2, kolumn 'group'",
        "places.csv, rad 2, kolumn 'type'",
    ]
    assert "värdet 'Inbrott' är inte giltigt; menade du 'inbrott'?" in err.value.messages[0]
    assert "värdet 'Alla' är inte giltigt; menade du 'alla'?" in err.value.messages[3]
    lines = str(err.value).splitlines()
    assert lines[:5] == err.value.messages and lines[5] == "5 fel i indata; ingenting kördes."


def test_a_bad_column_is_one_problem_with_its_other_rows_counted(tmp_path):
    crimes = CRIMES + "c4,2023-02-07,inbrott,norr-b,,,kanske,\nc5,2023-02-08,inbrott,norr-b,,,kanske,\n"
    crimes = crimes.replace(",false,", ",kanske,")
    with pytest.raises(DataError) as err:
        DataSet(make(tmp_path, crimes__csv=crimes)).validate_all()
    assert str(err.value).endswith("förväntade true/false (eller 1/0, ja/nej) (och 2 rader till i samma kolumn)")


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
    assert "parent_id 'mitt'" in err.value.messages[0] and "kolumn 'respondents'" in err.value.messages[1]


def test_a_table_with_problems_is_not_remembered_as_validated(tmp_path):
    folder = make(tmp_path, survey__csv=SURVEY.replace(",alla,", ",Alla,"))
    for _ in range(2):
        with pytest.raises(DataError, match="menade du 'alla'"):
            DataSet(folder).validate_all()


INDICATORS = """year,area_id,indicator,value,unit
2023,norr,arbetsloshet,5.5,procent
2023,stad,arbetsloshet,4.0,procent
"""


def test_duplicate_key_is_found_when_optional_key_columns_are_absent(tmp_path):
    """``sex`` and ``group`` belong to the indicators key but are optional: without them the key is
    the remaining columns, and a repeated (year, area_id, indicator) is still refused."""
    doubled = INDICATORS + "2023,norr,arbetsloshet,6.0,procent\n"
    with pytest.raises(DataError, match=r"indicators.csv, rad 4: year=2023, area_id=norr, indicator=arbetsloshet finns redan"):
        DataSet(make(tmp_path, indicators__csv=doubled)).validate_all()
    by_sex = "year,area_id,indicator,value,unit,sex\n2023,norr,arbetsloshet,5.5,procent,kvinna\n2023,norr,arbetsloshet,6.0,procent,man\n"
    assert DataSet(make(tmp_path, indicators__csv=by_sex)).validate_all()["indicators.csv"] == 2


def test_duplicate_key_in_parquet_without_optional_key_columns(tmp_path):
    import pandas as pd

    folder = make(tmp_path)
    frame = pd.DataFrame({"year": [2023, 2023], "area_id": ["norr", "norr"], "indicator": ["x", "x"],
                          "value": [1.0, 2.0], "unit": ["antal", "antal"]})
    frame.to_parquet(folder / "indicators.parquet")
    with pytest.raises(DataError, match=r"indicators.parquet, rad 2: year=2023, area_id=norr, indicator=x finns redan"):
        DataSet(folder).validate_all()
