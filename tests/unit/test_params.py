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
    assert "bad.yml" in str(err.value) and "okänd nyckel 'titel'" in str(err.value)


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
    with pytest.raises(ConfigError, match=r"broken.yml, rad \d+, position \d+: ogiltig YAML"):
        load_params(params_file=own)


def test_missing_params_file(tmp_path):
    with pytest.raises(ConfigError, match="params-filen finns inte"):
        load_params(params_file=tmp_path / "nope.yml")


def test_unquoted_full_date_period_end_and_leap_day(tmp_path):
    params, _ = load_params(params_file=write(tmp_path / "p.yml", "period_end: 2023-06-30\n"))
    assert params.period_end_date().isoformat() == "2023-06-30"
    params, _ = load_params(year=2023, params_file=write(tmp_path / "q.yml", 'period_end: "02-29"\n'))
    assert params.period_end_date().isoformat() == "2023-02-28"
    params, _ = load_params(year=2024, params_file=write(tmp_path / "q.yml", 'period_end: "02-29"\n'))
    assert params.period_end_date().isoformat() == "2024-02-29"


# ----------------------------------------------------------------------------- narrative slots (issue 15)
def test_a_misspelt_narrative_key_names_the_file_the_key_and_the_closest_slot(tmp_path):
    own = write(tmp_path / "bad.yml", "narrative:\n  sammantagen_bedömning: Lugnt år.\n")
    with pytest.raises(ConfigError) as err:
        load_params(params_file=own)
    message = str(err.value)
    assert message.startswith(f"{own}: okänd nyckel 'narrative.sammantagen_bedömning'")
    assert "menade du 'narrative.sammantagen_bedomning'?" in message and "\n" not in message
    own = write(tmp_path / "other.yml", "narrative:\n  budget: Text.\n")
    with pytest.raises(ConfigError, match=r"other.yml: okänd nyckel 'narrative.budget' \(kända narrative-nycklar: "):
        load_params(params_file=own)


def test_the_narrative_slots_are_those_the_chapters_read():
    """A chapter that reads a new narrative key declares it in NARRATIVE_SLOTS (else the key would
    be refused), and a declared slot is read by some chapter (else its text would never show)."""
    import re

    from lagesbild_lib.params import NARRATIVE_SLOTS

    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "lagesbild_lib" / "sections").glob("*.py"))
    from lagesbild_lib.pipeline.readiness import shown_slots

    read = set(re.findall(r"narrative\(ctx, \"(\w+)\"", source)) | set(re.findall(r"narrative\.get\(\"(\w+)\"", source))
    read |= set(shown_slots(sorted((ROOT / "notebooks").glob("*.ipynb"))))  # narrative.slot(ctx, "…") cells (issue 16)
    assert read == set(NARRATIVE_SLOTS)


def test_a_misspelt_standard_question_id_is_refused(tmp_path):
    own = write(tmp_path / "bad.yml", "survey_question: otrygg_kvällstid\n")
    with pytest.raises(ConfigError, match=r"bad.yml över .*defaults.yml: nyckeln 'survey_question' har värdet 'otrygg_kvällstid', som inte är giltigt: "
                                          r"menade du standardfrågans id 'otrygg_kvallstid'\?"):
        load_params(params_file=own)
    params, _ = load_params(params_file=write(tmp_path / "own.yml", "survey_question: trygg_dag\n"))
    assert params.survey_question == "trygg_dag"  # another question is allowed


def test_the_defaults_name_nothing_that_only_the_demo_data_have(demo_dir):
    """params/defaults.yml serves every data folder: apart from the default report's year and
    area, no value in it may be one found only in the demo data (a survey, a place type …)."""
    import pandas as pd
    import yaml

    from lagesbild_lib.data import known_values as kv

    def strings(node):
        if isinstance(node, dict):
            for value in node.values():
                yield from strings(value)
        elif isinstance(node, list):
            for value in node:
                yield from strings(value)
        elif isinstance(node, str):
            yield node

    defaults = yaml.safe_load((ROOT / "params" / "defaults.yml").read_text(encoding="utf-8"))
    named = set(strings({k: v for k, v in defaults.items() if k not in ("year", "area")})) - {""}
    in_demo = set()
    for path in demo_dir.glob("*.csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for column in frame.columns:
            if column not in ("year", "area_id"):
                in_demo |= set(frame[column])
    contract = set(kv.STANDARD_QUESTIONS) | set(kv.SURVEY_GROUPS) | {kv.ANSWER_YES}
    assert named & in_demo <= contract, named & in_demo
