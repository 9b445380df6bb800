"""Importers (lagesbild import): each export format on good and malformed fixtures, name matching,
periods, and the crime chapter on aggregated counts."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from lagesbild_lib.cli import main
from lagesbild_lib.data.dataset import DataSet
from lagesbild_lib.errors import ConfigError, DataError
from lagesbild_lib.importers import run_import
from lagesbild_lib.importers.est import event_type, parse_level
from lagesbild_lib.importers.names import AreaMatcher, name_key, split_code
from lagesbild_lib.importers.periods import parse_period, parse_week
from lagesbild_lib.importers.survey_xlsx import group_name, question_id

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "imports"
REAL_BOUNDARIES = ROOT.parent / "shared" / "geo" / "stockholm-stadsdelar.geo.json"


def fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def imported(kind: str, name: str, out: Path, demo_dir: Path, **options):
    """Import a fixture, checking that the source file is left exactly as it was."""
    source = FIX / name
    before = fingerprint(source)
    result = run_import(kind, source, out, demo_dir, **options)
    assert fingerprint(source) == before, "the source file must never be touched"
    return result


def csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


# ----------------------------------------------------------------------------- names
@pytest.fixture(scope="module")
def registry(demo_dir):
    return DataSet(demo_dir).areas


@pytest.mark.parametrize("name, area", [
    ("HÄSSELBY GÅRD", "hasselby-gard"),
    ("hässelby gård", "hasselby-gard"),
    ("Hasselby-Gard", "hasselby-gard"),
    ("Hässelby-Vällingby stadsdelsområde", "hasselby-vallingby"),
    ("Hässelby-Vällingby SDF", "hasselby-vallingby"),
    ("Stockholms stad", "stockholm"),
    ("0180 Stockholm", "stockholm"),
    ("ULVSUNDA INDUSTRIOMR", "ulvsunda-industriomrade"),
    ("  ÖSTBERGA ", "ostberga"),
    ("Kungsholmen", "kungsholmen-stadsdel"),  # a stadsdel and a stadsdelsområde: the leaf wins by default
])
def test_names_match_case_and_diacritic_insensitively(registry, name, area):
    assert AreaMatcher(registry).match(name) == area


def test_matcher_prefers_the_asked_level_lists_unmatched_and_uses_own_names_and_codes(registry):
    districts = AreaMatcher(registry, prefer=("kommun", "stadsdelsomrade", "leaf"))
    assert districts.match("Kungsholmen") == "kungsholmen"
    matcher = AreaMatcher(registry, own_names={"Gamla Hässelby": "hasselby-gard"}, codes={"0180": "stockholm"})
    assert matcher.match("GAMLA HÄSSELBY") == "hasselby-gard"
    assert matcher.match("180") == "stockholm" and matcher.match("0180") == "stockholm"
    assert matcher.match("Atlantis") is None and matcher.match("Hässelby") is None  # three stadsdelar begin so
    matcher.match("Atlantis")
    assert matcher.unmatched == ["Atlantis", "Hässelby"]
    assert name_key("Hässelby-Vällingby") == "hasselby vallingby"
    assert split_code("0180 Stockholm") == ("0180", "Stockholm") and split_code("Stockholm") == (None, "Stockholm")


# ----------------------------------------------------------------------------- periods and cells
@pytest.mark.parametrize("text, expected", [
    ("2023", (2023, None, False)), ("2023 prel.", (2023, None, True)), ("2023 (prel.)", (2023, None, True)),
    ("2023*", (2023, None, True)), ("2023M04", (2023, 4, False)), ("2023-04", (2023, 4, False)),
    ("april 2023", (2023, 4, False)), ("2023 okt", (2023, 10, False)), (2021, (2021, None, False)),
    ("Kvartal 3", None), ("2023K1", None),
])
def test_periods(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("v. 12", (2022, 12)), ("v12", (2022, 12)), ("Vecka 12", (2022, 12)), ("12", (2022, 12)), (12.0, (2022, 12)),
    ("2023-W12", (2023, 12)), ("2023W05", (2023, 5)), ("v. 12 2023", (2023, 12)), ("2023 v. 12", (2023, 12)),
    ("2023-03-20", (2023, 12)), (dt.date(2021, 1, 3), (2020, 53)), ("v. x", None),
])
def test_weeks(text, expected):
    assert parse_week(text, 2022) == expected


def test_levels_and_event_cells():
    assert [parse_level(v) for v in (3, 3.0, "3", "Nivå 3", "3 - Oroande läge", "Oroande läge", "OROANDE", "kritiskt läge", None, "")] == [
        3, 3, 3, 3, 3, 3, 3, 5, None, None]
    for bad in ("Hög", 6, 2.5, "0"):
        with pytest.raises(ValueError):
            parse_level(bad)
    assert [event_type(v) for v in ("", "nej", "x", "Ja", "Skottlossning vid torget", "Detonation", "Bilbrand", "Hot mot personal")] == [
        None, None, "kritisk händelse", "kritisk händelse", "skjutning", "sprängning", "brandattentat", "kritisk händelse"]


def test_survey_groups_and_questions():
    assert [group_name(t) for t in ("Alla", "Totalt", "Kvinnor (%)", "Män", "16–24 år", "65 år och äldre", "65+", "I centrum")] == [
        "alla", "alla", "kvinnor", "män", "16-24", "65+", "65+", None]
    assert question_id("Känner du dig otrygg ute ensam sent en kväll?") == "otrygg_kvallstid"
    assert question_id("På vilka platser känner du oro? (oroplatser)") == "oroplatser"
    assert question_id("otrygg_kvallstid") == "otrygg_kvallstid"


# ----------------------------------------------------------------------------- Brå
def test_bra_wide_export(tmp_path, demo_dir):
    out = tmp_path / "data"
    result = imported("bra", "bra_wide.csv", out, demo_dir)
    counts = csv(out / "crime_counts.csv").set_index(["year", "area_id", "category"])
    assert counts.loc[("2020", "stockholm", "misshandel_utomhus"), "count"] == "4912"  # '4 912', '0180 Stockholm'
    assert counts.loc[("2021", "hasselby-vallingby", "bostadsinbrott"), "count"] == "140"  # '140,0' (decimal comma)
    assert counts.loc[("2022", "hasselby-vallingby", "bostadsinbrott"), "count"] == "0"  # '-'
    suppressed = counts.loc[("2021", "hasselby-vallingby", "ran_mot_butik")]  # '..', region carried down
    assert (suppressed["count"], suppressed["suppressed"]) == ("0", "true")
    assert set(counts.loc[counts["preliminary"] == "true"].index.get_level_values("year")) == {"2023"}
    assert (counts["month"] == "").all()
    assert "samtliga_brott" not in set(counts.index.get_level_values("category"))
    assert result.unmatched == ["2180 Göteborg"]
    categories = csv(out / "crime_categories.csv").set_index("category")
    assert categories.loc["ran_mot_butik", "label"] == "Rån mot butik" and categories.loc["ran_mot_butik", "group"] == "Övriga brott"
    assert any("Samtliga brott" in n for n in result.notes) and any("preliminära" in n for n in result.notes)
    assert DataSet(out).validate_all()["crime_counts.csv"] == 28  # the folder passes lagesbild check
    origins = json.loads((out / "sources.json").read_text(encoding="utf-8"))
    assert origins["crime_counts.csv"]["source"] == "bra_wide.csv" and "Brå" in origins["crime_counts.csv"]["origin"]
    assert origins["crime_counts.csv"]["sha256"] == hashlib.sha256((FIX / "bra_wide.csv").read_bytes()).hexdigest()
    assert "kopierat" in origins["areas.csv"]["origin"]


def test_bra_long_export_with_names_and_categories(tmp_path, demo_dir):
    out = tmp_path / "data"
    result = imported("bra", "bra_long.csv", out, demo_dir, names=FIX / "names.csv")
    counts = csv(out / "crime_counts.csv")
    assert len(counts) == 8 and set(counts["month"]) == {"1", "2"}
    row = counts[(counts["area_id"] == "hasselby-vallingby") & (counts["year"] == "2023") & (counts["month"] == "2")].iloc[0]
    assert (row["count"], row["suppressed"], row["preliminary"]) == ("0", "true", "true")
    assert "vallingby" in set(counts["area_id"])  # 'Okänd stadsdel' through the name list
    assert result.unmatched == []
    mapped = imported("bra", "bra_wide.csv", tmp_path / "mapped", demo_dir, categories=FIX / "categories.csv")
    categories = set(csv(tmp_path / "mapped" / "crime_counts.csv")["category"])
    assert "ran_mot_butik" not in categories and "misshandel_utomhus" in categories
    assert mapped.new_categories.empty and any("Rån mot butik" in n for n in mapped.notes)


@pytest.mark.parametrize("name, message", [
    ("bra_bad_value.csv", "bra_bad_value.csv, rad 2, kolumn '2023': värdet '12,5' är inte giltigt; förväntade ett antal"),
    ("bra_bad_period.csv", "bra_bad_period.csv, rad 1, kolumn 'Kvartal 3': kolumnrubriken 'Kvartal 3' är ingen period"),
    ("bra_no_match.csv", "ingen av regionerna matchade områdesregistret"),
    ("bra_no_header.csv", "ingen rubrikrad med kolumnerna 'Region' och 'Brott'"),
])
def test_bra_malformed_exports_write_nothing(tmp_path, demo_dir, name, message):
    out = tmp_path / "data"
    with pytest.raises(DataError, match=message.replace("(", r"\(").replace(".", r"\.").replace("*", r"\*")):
        imported("bra", name, out, demo_dir)
    assert not out.exists()


# ----------------------------------------------------------------------------- Polisen
def test_polisen_events(tmp_path, demo_dir):
    out = tmp_path / "data"
    result = imported("polisen-events", "polisen_events.json", out, demo_dir)
    events = csv(out / "critical_events.csv")
    assert list(events.columns) == ["event_date", "area_id", "type", "fatal"]  # no positions unless asked for
    assert events.to_dict("records") == [
        {"event_date": "2023-05-20", "area_id": "solna", "type": "brandattentat", "fatal": "false"},
        {"event_date": "2023-06-04", "area_id": "rinkeby", "type": "mord/dråp", "fatal": "true"},
        {"event_date": "2023-08-30", "area_id": "hasselby-vallingby", "type": "sprängning", "fatal": "false"},  # not "Vällingby"
        {"event_date": "2023-09-17", "area_id": "hasselby-strand", "type": "sprängning", "fatal": "false"},  # listed twice: once
        {"event_date": "2023-11-02", "area_id": "vallingby", "type": "skjutning", "fatal": "false"},
    ]
    assert result.unmatched == ["Uppsala"]
    assert any("mittpunkt" in n and "inte platsen" in n for n in result.notes)
    assert any("Trafikolycka (1)" in n for n in result.notes)
    origins = json.loads((out / "sources.json").read_text(encoding="utf-8"))
    assert "mittpunkt" in " ".join(origins["critical_events.csv"]["notes"])


def test_polisen_type_mapping_is_overridable_and_positions_optional(tmp_path, demo_dir):
    out = tmp_path / "data"
    imported("polisen-events", "polisen_events.json", out, demo_dir, types=FIX / "polisen_types.csv", keep_positions=True)
    events = csv(out / "critical_events.csv")
    assert ("2023-05-18", "kista", "brandattentat") in set(zip(events["event_date"], events["area_id"], events["type"]))  # 'Brand' now kept
    assert "sprängning" in set(events["type"])  # the shipped rows still apply
    assert set(events["lon"]) == {"18.068581", "18.000975"}


@pytest.mark.parametrize("name, message", [
    ("polisen_bad_datetime.json", r"polisen_bad_datetime\.json, händelse 2 \(id 2\), fält 'datetime': värdet 'igår kväll' är inte giltigt"),
    ("polisen_truncated.json", r"polisen_truncated\.json, rad 2, position 1: ogiltig JSON"),
    ("bra_long.csv", r"ogiltig JSON"),
])
def test_polisen_malformed(tmp_path, demo_dir, name, message):
    with pytest.raises(DataError, match=message):
        imported("polisen-events", name, tmp_path / "data", demo_dir)
    assert not (tmp_path / "data").exists()


# ----------------------------------------------------------------------------- EST
def test_est_long_log_with_level_names_and_events(tmp_path, demo_dir):
    out = tmp_path / "data"
    result = imported("est", "est_long.csv", out, demo_dir)
    weekly = csv(out / "weekly_assessments.csv")
    assert weekly.to_dict("records")[:3] == [
        {"year": "2023", "week": "1", "area_id": "hasselby-gard", "level": "2"},
        {"year": "2023", "week": "1", "area_id": "vallingby", "level": "3"},
        {"year": "2023", "week": "2", "area_id": "hasselby-gard", "level": "3"},
    ]
    events = csv(out / "critical_events.csv")
    assert list(zip(events["event_date"], events["area_id"], events["type"])) == [
        ("2023-01-09", "hasselby-gard", "skjutning"), ("2023-01-09", "vallingby", "kritisk händelse"), ("2023-01-16", "hasselby-gard", "sprängning"),
    ]
    assert result.unmatched == ["Lilla Akalla"]
    assert not (tmp_path / "no-events").exists()
    imported("est", "est_long.csv", tmp_path / "no-events", demo_dir, no_events=True)
    assert not (tmp_path / "no-events" / "critical_events.csv").exists()


def test_est_wide_and_excel_shapes(tmp_path, demo_dir):
    imported("est", "est_wide.csv", tmp_path / "wide", demo_dir)
    wide = csv(tmp_path / "wide" / "weekly_assessments.csv")
    assert len(wide) == 15 and set(wide["week"]) == {"10", "11", "12", "13"}
    assert wide[(wide["week"] == "10") & (wide["area_id"] == "vallingby")]["level"].item() == "3"  # 'Oroande läge'
    imported("est", "est_wide_merged.xlsx", tmp_path / "merged", demo_dir)  # year from the merged title
    merged = csv(tmp_path / "merged" / "weekly_assessments.csv")
    assert set(merged["area_id"]) == {"grimsta", "hasselby-gard", "vallingby"} and set(merged["year"]) == {"2023"} and len(merged) == 11
    result = imported("est", "est_log_2023.xlsx", tmp_path / "log", demo_dir)
    log = csv(tmp_path / "log" / "weekly_assessments.csv")
    assert len(log) == 52 * 9 and set(log["level"]) <= {"1", "2", "3", "4", "5"}
    assert (tmp_path / "log" / "critical_events.csv").is_file() and result.unmatched == []
    assert DataSet(tmp_path / "log").table("weekly_assessments") is not None


@pytest.mark.parametrize("name, message", [
    ("est_bad_level.csv", r"est_bad_level\.csv, rad 3, kolumn 'Läge': värdet 'Hög' är inte giltigt; förväntade en nivå 1–5 eller nivåns namn"),
    ("est_no_year.csv", r"est_no_year\.csv, rad 2, kolumn 'Vecka': veckan 'v\. 12' saknar år"),
    ("est_duplicate.csv", r"est_duplicate\.csv, rad 3: vecka 2023-W12 för 'Grimsta' finns två gånger \(även rad 2\)"),
    ("est_week_53.csv", r"värdet '2023-W53' är inte giltigt; förväntade en ISO-vecka 1–52"),
])
def test_est_malformed(tmp_path, demo_dir, name, message):
    with pytest.raises(DataError, match=message):
        imported("est", name, tmp_path / "data", demo_dir)
    assert not (tmp_path / "data").exists()


def test_est_log_grouped_by_week_carries_the_week_down(tmp_path, demo_dir):
    imported("est", "est_grouped.csv", tmp_path / "data", demo_dir)
    weekly = csv(tmp_path / "data" / "weekly_assessments.csv")
    assert list(zip(weekly["week"], weekly["area_id"], weekly["level"])) == [("1", "grimsta", "2"), ("1", "vinsta", "3"), ("2", "grimsta", "1"), ("2", "vinsta", "2")]
    with pytest.raises(DataError, match=r"est_wide_no_week\.csv, rad 3, kolumn 'Vecka': värdet '' är inte giltigt"):
        imported("est", "est_wide_no_week.csv", tmp_path / "wide", demo_dir)


def test_est_year_option(tmp_path, demo_dir):
    imported("est", "est_no_year.csv", tmp_path / "data", demo_dir, year=2023)
    assert csv(tmp_path / "data" / "weekly_assessments.csv").to_dict("records") == [{"year": "2023", "week": "12", "area_id": "grimsta", "level": "2"}]


# ----------------------------------------------------------------------------- survey
def test_survey_areas_as_rows_in_percent_with_respondents_per_group(tmp_path, demo_dir):
    out = tmp_path / "data"
    result = imported("survey", "survey_trygghet.xlsx", out, demo_dir)
    survey = DataSet(out).table("survey")
    assert set(survey["survey"]) == {"Stockholms stads trygghetsmätning"} and set(survey["question"]) == {"otrygg_kvallstid"}
    assert set(survey["group"]) == {"alla", "kvinnor", "män"} and set(survey["year"]) == {2019, 2021, 2023}
    demo = DataSet(demo_dir).table("survey")
    key = ["year", "area_id", "group"]
    demo = demo[(demo["survey"] == "Stockholms stads trygghetsmätning") & (demo["question"] == "otrygg_kvallstid") & (demo["answer"] == "ja")]
    both = survey.merge(demo, on=key, suffixes=("", "_demo"))
    assert len(both) == len(survey)
    assert (both["respondents"] == both["respondents_demo"]).all()
    assert (both["share"] - both["share_demo"]).abs().max() < 0.0006  # shown with one decimal in percent
    assert "Andelarna lästes som procent." in result.notes


def test_survey_areas_as_columns_and_fractions(tmp_path, demo_dir):
    result = imported("survey", "survey_columns.xlsx", tmp_path / "cols", demo_dir)
    cols = csv(tmp_path / "cols" / "survey.csv")
    assert set(cols["answer"]) == {"I centrum", "Vid tunnelbanan", "I parker"} and set(cols["question"]) == {"oroplatser"}
    assert set(zip(cols["area_id"], cols["respondents"])) == {("grimsta", "212"), ("vallingby", "305")}
    assert result.unmatched == ["Nya staden"] and cols["year"].unique().tolist() == ["2023"]
    imported("survey", "survey_fraction.csv", tmp_path / "frac", demo_dir, question="otrygg_kvallstid", survey="Polisens trygghetsundersökning")
    frac = csv(tmp_path / "frac" / "survey.csv").set_index(["area_id", "group"])
    assert frac.loc[("grimsta", "kvinnor"), "share"] == "0.38" and frac.loc[("grimsta", "kvinnor"), "respondents"] == "110"
    assert frac.loc[("solna-centrum", "alla"), "share"] == "0.29"


@pytest.mark.parametrize("name, options, message", [
    ("survey_bad_share.xlsx", {"question": "otrygg_kvallstid"}, r"survey_bad_share\.xlsx, blad 'Sheet', rad 3, kolumn 'Andel \(%\)': värdet '145' är inte giltigt; förväntade procent 0–100"),
    ("survey_bad_respondents.csv", {"question": "otrygg_kvallstid"}, r"rad 2, kolumn 'Antal svarande': värdet 'många' är inte giltigt"),
    ("survey_fraction.csv", {}, r"frågan saknas; lägg till en kolumn Fråga eller ange --question"),
    ("bra_no_header.csv", {}, r"hittade varken en områdeskolumn"),
])
def test_survey_malformed(tmp_path, demo_dir, name, options, message):
    with pytest.raises(DataError, match=message):
        imported("survey", name, tmp_path / "data", demo_dir, **options)
    assert not (tmp_path / "data").exists()


# ----------------------------------------------------------------------------- boundaries
def test_boundaries_reprojected_repaired_merged_and_unmatched_listed(tmp_path, demo_dir):
    from shapely.geometry import shape

    out = tmp_path / "data"
    result = imported("boundaries", "boundaries_sweref.geojson", out, demo_dir)
    doc = json.loads((out / "areas.geojson").read_text(encoding="utf-8"))
    by_id = {f["properties"]["area_id"]: shape(f["geometry"]) for f in doc["features"]}
    assert set(by_id) == {"grimsta", "hasselby-gard", "vallingby"}
    for geom in by_id.values():
        assert geom.is_valid and 17.7 < geom.centroid.x < 18.0 and 59.3 < geom.centroid.y < 59.45  # SWEREF 99 TM → lon/lat
    assert by_id["grimsta"].geom_type == "MultiPolygon"  # the bow tie, repaired into two triangles
    assert by_id["vallingby"].geom_type == "Polygon"  # two adjacent parts merged
    assert result.unmatched == ["NYA STADEN"]
    assert any("reparerades" in n and "GRIMSTA" in n for n in result.notes)
    assert DataSet(out).geo("areas") is not None  # the loaders read it


def test_boundaries_from_a_shapefile_with_a_name_list(tmp_path, demo_dir):
    result = imported("boundaries", "boundaries_sweref.shp", tmp_path / "data", demo_dir, names=FIX / "names.csv")
    doc = json.loads((tmp_path / "data" / "areas.geojson").read_text(encoding="utf-8"))
    assert {f["properties"]["area_id"] for f in doc["features"]} == {"hasselby-gard", "vallingby", "racksta"}
    assert result.unmatched == []


@pytest.mark.parametrize("name, options, message", [
    ("boundaries_no_crs.geojson", {}, r"objekt 1 \('HÄSSELBY GÅRD'\): koordinater som .* är inte longitud/latitud .* ange koordinatsystemet med --crs"),
    ("boundaries_line.geojson", {}, r"objekt 1 \('Grimsta'\): geometrin är en LineString; förväntade Polygon eller MultiPolygon"),
    ("boundaries_sweref.geojson", {"name_field": "FOO"}, r"inget objekt har egenskapen 'FOO'; egenskaperna är NAMN, KOD"),
    ("boundaries_sweref.geojson", {"crs": "EPSG:999999"}, r"okänt koordinatsystem 'EPSG:999999'"),
    ("polisen_truncated.json", {}, r"ogiltig JSON"),
])
def test_boundaries_malformed(tmp_path, demo_dir, name, options, message):
    with pytest.raises(DataError, match=message):
        imported("boundaries", name, tmp_path / "data", demo_dir, **options)
    assert not (tmp_path / "data").exists()


def test_boundaries_crs_option(tmp_path, demo_dir):
    imported("boundaries", "boundaries_no_crs.geojson", tmp_path / "data", demo_dir, crs="EPSG:3006")
    assert len(json.loads((tmp_path / "data" / "areas.geojson").read_text(encoding="utf-8"))["features"]) == 3


@pytest.mark.skipif(not REAL_BOUNDARIES.is_file(), reason="the shared Stockholm boundaries are not here")
def test_stockholms_own_stadsdelar_file(tmp_path, demo_dir):
    result = run_import("boundaries", REAL_BOUNDARIES, tmp_path / "data", demo_dir)
    doc = json.loads((tmp_path / "data" / "areas.geojson").read_text(encoding="utf-8"))
    ids = {f["properties"]["area_id"] for f in doc["features"]}
    assert len(ids) == 117 and result.unmatched == []
    registry = DataSet(demo_dir).areas
    assert set(registry.children("hasselby-vallingby")) <= ids  # 'HÄSSELBY GÅRD' → hasselby-gard …
    assert "ulvsunda-industriomrade" in ids and "kungsholmen-stadsdel" in ids


# ----------------------------------------------------------------------------- the output folder
def test_import_into_a_data_folder_keeps_its_registry_and_replaces_only_its_table(tmp_path, demo_dir):
    out = tmp_path / "data"
    shutil.copytree(demo_dir, out)
    areas_before = fingerprint(out / "areas.csv")
    demo_origins = json.loads((out / "sources.json").read_text(encoding="utf-8"))  # the demo's outlines
    run_import("est", FIX / "est_long.csv", out, None)  # --data defaults to the folder itself
    assert fingerprint(out / "areas.csv") == areas_before
    assert len(csv(out / "weekly_assessments.csv")) == 6
    DataSet(out).validate_all()
    origins = json.loads((out / "sources.json").read_text(encoding="utf-8"))
    assert set(origins) == {"weekly_assessments.csv", "critical_events.csv", *demo_origins}
    assert all(origins[name] == entry for name, entry in demo_origins.items())  # kept as they were


def test_an_import_never_overwrites_its_source_or_sits_beside_parquet(tmp_path, demo_dir):
    out = tmp_path / "data"
    run_import("boundaries", FIX / "boundaries_sweref.geojson", out, demo_dir)
    source = out / "areas.geojson"
    before = fingerprint(source)
    with pytest.raises(DataError, match="skulle skriva över sin egen källfil"):
        run_import("boundaries", source, out, demo_dir)
    assert fingerprint(source) == before
    (out / "crime_counts.parquet").write_bytes(b"PAR1")
    with pytest.raises(DataError, match="har redan crime_counts.parquet"):
        run_import("bra", FIX / "bra_long.csv", out, demo_dir)


def test_options_that_do_not_apply_and_unknown_kinds_are_refused(tmp_path, demo_dir):
    with pytest.raises(ConfigError, match="--crs gäller inte 'import est'"):
        run_import("est", FIX / "est_long.csv", tmp_path / "x", demo_dir, crs="EPSG:3006")
    with pytest.raises(ConfigError, match="okänd importtyp"):
        run_import("excel", FIX / "est_long.csv", tmp_path / "x", demo_dir)


def test_command_line(tmp_path, demo_dir, capsys):
    out = tmp_path / "data"
    assert main(["import", "bra", str(FIX / "bra_wide.csv"), "--out", str(out), "--data", str(demo_dir)]) == 0
    printed = capsys.readouterr().out
    assert "crime_counts.csv" in printed and "2180 Göteborg" in printed and "Obs: Uppgifterna för 2023 är preliminära" in printed
    assert main(["import", "est", str(FIX / "est_bad_level.csv"), "--out", str(tmp_path / "bad"), "--data", str(demo_dir)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith("lagesbild: ") and "'Hög'" in err
    assert main(["import", "survey", str(FIX / "survey_fraction.csv"), "--out", str(out), "--data", str(demo_dir), "--name-field", "x"]) == 2
    assert main(["check", "--data", str(out), "--year", "2023"]) == 0
    assert main(["import", "est", str(FIX / "finns_inte.csv"), "--out", str(tmp_path / "none"), "--data", str(demo_dir)]) == 2
    assert "finns_inte.csv: filen finns inte" in capsys.readouterr().err
    assert main(["import", "est", str(FIX / "est_long.csv"), "--out", str(FIX / "est_long.csv"), "--data", str(demo_dir)]) == 2
    assert "--out är en fil" in capsys.readouterr().err


# ----------------------------------------------------------------------------- the crime chapter on counts
def test_area_counts_use_own_rows_else_children(registry):
    from lagesbild_lib.analysis.crime_counts import area_counts

    counts = pd.DataFrame({
        "year": [2023] * 4, "month": [1] * 4, "category": ["ran"] * 4, "count": [10, 3, 4, 100],
        "area_id": ["hasselby-vallingby", "grimsta", "vinsta", "stockholm"],
    })
    assert area_counts(counts, registry, "hasselby-vallingby")["count"].sum() == 10
    assert area_counts(counts, registry, "stockholm")["count"].sum() == 100
    assert area_counts(counts[counts["area_id"] != "stockholm"], registry, "stockholm")["count"].sum() == 10  # own row of the district
    assert area_counts(counts[counts["area_id"].isin(["grimsta", "vinsta"])], registry, "hasselby-vallingby")["count"].sum() == 7


def test_crimes_from_counts_cut_at_whole_months_or_whole_years(registry):
    from lagesbild_lib.analysis.crime import compstat_table
    from lagesbild_lib.analysis.crime_counts import counts_caveat, crimes_from_counts

    counts = pd.DataFrame({
        "year": [2022, 2022, 2023, 2023, 2023], "month": [1, 9, 1, 8, 9], "area_id": ["hasselby-vallingby"] * 5,
        "category": ["ran"] * 5, "count": [2, 5, 3, 1, 7], "preliminary": [False, False, True, True, True], "suppressed": [False] * 4 + [True],
    })
    cats = pd.DataFrame({"category": ["ran"], "label": ["Rån"], "group": ["Brott mot person"], "compstat": [True]})
    crimes, years, basis = crimes_from_counts(counts, registry, "hasselby-vallingby", [2022, 2023], dt.date(2023, 9, 15), 2023)
    table = compstat_table(crimes, cats, 2023, dt.date(2023, 9, 15))
    assert (table.loc[0, "before"], table.loc[0, "after"]) == (2, 4)  # September is not whole by the 15th
    assert basis.counted_end == dt.date(2023, 8, 31) and basis.preliminary_years == (2023,) and not basis.sub_area_detail
    assert crimes["lon"].isna().all() and crimes["reported_date"].max() == pd.Timestamp(2023, 9, 30)
    caveat = counts_caveat(basis)
    assert "hela månader: 1 jan–31 aug 2023" in caveat and "2023 är preliminära" in caveat and "Ett värde var skyddat i källan" in caveat
    yearly = counts.assign(month=pd.array([None] * 5, dtype="Int64"))
    assert crimes_from_counts(yearly, registry, "hasselby-vallingby", [2022, 2023], dt.date(2023, 10, 31), 2023)[0] is None
    crimes, years, basis = crimes_from_counts(yearly, registry, "hasselby-vallingby", [2022, 2023], dt.date(2023, 12, 31), 2023)
    assert compstat_table(crimes, cats, 2023, dt.date(2023, 12, 31)).loc[0, ["before", "after"]].tolist() == [7, 11]


def test_compstat_from_the_demo_counts_equals_compstat_from_the_crimes(tmp_path, demo_dir):
    """Backtest: the demo's crime_counts are its crimes counted per month, so at a month's end the
    chapter's numbers must be the same either way."""
    from lagesbild_lib.context import chapter_context
    from lagesbild_lib.sections import brottslighet as sec

    folder = tmp_path / "counts-only"
    shutil.copytree(demo_dir, folder)
    (folder / "crimes.parquet").unlink()
    from_crimes = sec.facts(chapter_context(2023, "hasselby-vallingby", str(demo_dir)))
    ctx = chapter_context(2023, "hasselby-vallingby", str(folder))
    from_counts = sec.facts(ctx)
    assert from_counts.counts is not None and from_counts.counts.sub_area_detail
    pd.testing.assert_frame_equal(from_counts.compstat, from_crimes.compstat)
    pd.testing.assert_frame_equal(from_counts.category_years, from_crimes.category_years)
    assert from_counts.years == from_crimes.years
    assert sec.hotspot_map(ctx).message.startswith("Kartan ritas inte: brotten finns bara som aggregerade antal")
    assert sec.hotspot_table(ctx) is not None  # the demo counts are per stadsdel


def test_crime_chapter_on_imported_bra_counts(tmp_path, demo_dir):
    from lagesbild_lib.context import chapter_context
    from lagesbild_lib.present.pieces import Missing, Table
    from lagesbild_lib.sections import brottslighet as sec

    folder = tmp_path / "data"
    shutil.copytree(demo_dir, folder)
    for name in ("crimes.parquet", "crime_counts.csv"):
        (folder / name).unlink()
    run_import("bra", FIX / "bra_hasselby_vallingby_monthly.csv", folder, None)
    ctx = chapter_context(2023, "hasselby-vallingby", str(folder))
    table = sec.compstat(ctx)
    assert isinstance(table, Table) and len(table.data) > 5
    assert "2023 är preliminära" in sec.compstat_caveats(ctx).markdown
    assert sec.hotspot_table(ctx) is None  # Brå counts per stadsdelsområde: no figures per stadsdel
    assert isinstance(sec.hotspot_map(ctx), Missing)
    assert not isinstance(sec.yearly_trend(ctx), Missing)


def test_kallor_says_where_imported_tables_came_from(tmp_path, demo_dir):
    from lagesbild_lib.data.origins import origin_texts
    from lagesbild_lib.params import load_params
    from lagesbild_lib.analysis.priority import sources_markdown

    folder = tmp_path / "data"
    run_import("bra", FIX / "bra_wide.csv", folder, demo_dir)
    data = DataSet(folder)
    text = sources_markdown(load_params(2023, "hasselby-vallingby")[0], data.input_files(), origin_texts(data))
    from lagesbild_lib.present.markdown import render_markdown

    html = render_markdown(text)
    assert "Källa: Brå, statistikdatabasen över anmälda brott (export bra_wide.csv, importerad med lagesbild import bra)." in html
    assert data.accessed["sources.json"] == "sources.json"  # the chapter cache depends on it
