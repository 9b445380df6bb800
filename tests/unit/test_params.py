from pathlib import Path

import pytest

from lagesbild_lib.errors import ConfigError
from lagesbild_lib.params import load_params

ROOT = Path(__file__).resolve().parents[2]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_give_the_default_report():
    params, files = load_params()
    assert (params.year, params.area, params.period_end) == (2023, "hasselby-vallingby", "10-31")
    # the report's own file params/<year>/<area>.yml is merged over the defaults when it exists
    assert files == [ROOT / "params" / "defaults.yml", ROOT / "params" / "2023" / "hasselby-vallingby.yml"]
    assert params.priority_areas["otrygga_platser"].status == "sarskilda_atgarder"
    params, files = load_params(year=2022, area="bromma")
    assert files == [ROOT / "params" / "defaults.yml"] and params.priority_areas == {}


def test_report_file_merges_over_defaults_and_cli_overrides_both(tmp_path):
    own = write(tmp_path / "own.yml", "year: 2022\narea: bromma\ntitle: Egen titel\nnarrative:\n  sammantagen_bedomning: Lugnt år.\n")
    params, files = load_params(params_file=own)
    assert (params.year, params.area, params.title) == (2022, "bromma", "Egen titel")
    assert params.classification == "Begränsad spridning"  # from the defaults
    assert params.narrative["sammantagen_bedomning"] == "Lugnt år."
    params, _ = load_params(year=2021, area="farsta", params_file=own)
    assert (params.year, params.area, params.title) == (2021, "farsta", "Egen titel")
    assert files[-1] == own


def test_unknown_key_is_an_error_naming_file_and_key(tmp_path):
    own = write(tmp_path / "bad.yml", "titel: Fel stavat\n")
    with pytest.raises(ConfigError) as err:
        load_params(params_file=own)
    assert "bad.yml" in str(err.value) and "unknown key 'titel'" in str(err.value)


@pytest.mark.parametrize(
    "text, key",
    [
        ('year: "2023"\n', "year"),
        ("year: tjugo\n", "year"),
        ("area: ../etc\n", "area"),
        ("area: Hässelby\n", "area"),
        ("period_end: 31 okt\n", "period_end"),
        ('period_end: "02-30"\n', "period_end"),
        ("period_end: 2022-10-31\n", "period_end"),
        ('year: 2023\nperiod_end: "2024-02-29"\n', "period_end"),
        ("status: klar\n", "status"),
        ("suppress_below: -1\n", "suppress_below"),
        ("priority_areas:\n  okänt: {status: linjeverksamhet}\n", "priority_areas"),
    ],
)
def test_bad_values_are_one_sentence_naming_the_key(tmp_path, text, key):
    own = write(tmp_path / "bad.yml", text)
    with pytest.raises(ConfigError) as err:
        load_params(params_file=own)
    message = str(err.value)
    assert f"'{key}" in message and "bad.yml" in message and "\n" not in message


def test_not_yaml_names_the_line(tmp_path):
    own = write(tmp_path / "broken.yml", "title: [unclosed\n")
    with pytest.raises(ConfigError, match=r"broken.yml: line \d+"):
        load_params(params_file=own)


def test_missing_params_file(tmp_path):
    with pytest.raises(ConfigError, match="params file not found"):
        load_params(params_file=tmp_path / "nope.yml")


def test_unquoted_full_date_period_end_and_leap_day(tmp_path):
    params, _ = load_params(params_file=write(tmp_path / "p.yml", "period_end: 2023-06-30\n"))
    assert params.period_end_date().isoformat() == "2023-06-30"
    params, _ = load_params(year=2023, params_file=write(tmp_path / "q.yml", 'period_end: "02-29"\n'))
    assert params.period_end_date().isoformat() == "2023-02-28"
    params, _ = load_params(year=2024, params_file=write(tmp_path / "q.yml", 'period_end: "02-29"\n'))
    assert params.period_end_date().isoformat() == "2024-02-29"
