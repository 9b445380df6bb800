"""``lagesbild diff``: what differs between two builds, from their manifests or report folders;
and the sign-off record of a fastställd report."""

from __future__ import annotations

import copy
import json
import logging
from pathlib import Path

import nbformat
import pytest

from lagesbild_lib.cli import main
from lagesbild_lib.report.diff import SIGNED_MANIFEST, chapter_digest, compare, content_summary, key_figures, load_build
from lagesbild_lib.report.signoff import check_signoff
from lagesbild_lib.errors import ConfigError

A = "a" * 64
B = "b" * 64


def manifest(**over) -> dict:
    base = {
        "lagesbild_version": "0.1.0",
        "parameters": {"year": 2023, "area": "norr", "status": "utkast", "reviewed_by": "", "reviewed_on": None,
                       "narrative": {"sammantagen_bedomning": "Lugnt."}},
        "inputs": {"areas.csv": A, "crimes.csv": A, "survey.csv": A, "params:defaults.yml": A},
        "chapters": [{"chapter": "00_sammanfattning"}, {"chapter": "01_omradet"}],
        "content": {
            "chapters": {"00_sammanfattning": "abc", "01_omradet": "def"},
            "tables": [{"number": "Tabell 1", "caption": "CompStat", "digest": "aaa"},
                       {"number": "Tabell 2", "caption": "Befolkning", "digest": "bbb"}],
            "key_figures": {"Folkmängd": {"value": 100, "unit": "antal"}, "Otrygga ute ensamma kvällstid": {"value": 31.3, "unit": "procent"}},
        },
        "software": {"pandas": "2.2.0"},
        "build_time": "2026-01-01T10:00:00+01:00",
    }
    for key, value in over.items():
        base[key] = value
    return base


def write(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_two_manifests_differing_in_one_input_file_name_that_file(tmp_path, capsys):
    old = write(tmp_path / "old" / "manifest.json", manifest())
    changed = manifest()
    changed["inputs"]["survey.csv"] = B
    new = write(tmp_path / "new.json", changed)
    assert main(["diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert "Indatafiler (SHA-256): 1 av 4 skiljer sig" in out
    assert "ändrad     survey.csv" in out and "crimes.csv" not in out
    assert "Parametrar: inga skillnader" in out and "Kapitel: inga skillnader" in out


def test_identical_builds_say_so_and_exit_0(tmp_path, capsys):
    one = write(tmp_path / "a.json", manifest())
    assert main(["diff", str(one), str(one)]) == 0
    assert "Byggena är likvärdiga" in capsys.readouterr().out


def test_params_chapters_tables_and_key_figures_that_moved(tmp_path):
    new = manifest()
    new["parameters"] = {**new["parameters"], "status": "fastställd", "narrative": {"sammantagen_bedomning": "Oroligt."}}
    new["inputs"] = {k: v for k, v in new["inputs"].items() if k != "survey.csv"} | {"places.csv": B}
    new["content"] = copy.deepcopy(new["content"])
    new["content"]["chapters"]["01_omradet"] = "xyz"
    new["content"]["tables"][1]["digest"] = "ccc"
    new["content"]["tables"].append({"number": "Tabell 3", "caption": "Platser", "digest": "ddd"})
    new["content"]["key_figures"]["Folkmängd"]["value"] = 120
    diff = compare(load_build(write(tmp_path / "a.json", manifest())), load_build(write(tmp_path / "b.json", new)))
    assert [(n, s) for n, s, _, _ in diff.inputs] == [("places.csv", "ny"), ("survey.csv", "borttagen")]
    assert [(k, a, b) for k, _, a, b in diff.params] == [
        ("narrative.sammantagen_bedomning", "Lugnt.", "Oroligt."), ("status", "utkast", "fastställd"),
    ]
    assert diff.chapters == [("01_omradet", "ändrat")]
    assert diff.tables == [("Tabell 2. Befolkning", "ändrad"), ("Tabell 3. Platser", "ny")]
    assert diff.key_figures == [("Folkmängd", 100, 120, "antal")]


def test_a_table_that_moved_to_another_number_is_not_a_change(tmp_path):
    new = manifest()
    new["content"] = copy.deepcopy(new["content"])
    new["content"]["tables"].insert(0, {"number": "Tabell 1", "caption": "Ny tabell", "digest": "eee"})
    new["content"]["tables"][1]["number"] = "Tabell 2"
    new["content"]["tables"][2]["number"] = "Tabell 3"
    diff = compare(load_build(write(tmp_path / "a.json", manifest())), load_build(write(tmp_path / "b.json", new)))
    assert diff.tables == [("Tabell 1. Ny tabell", "ny")]


def test_a_manifest_without_content_compares_inputs_and_says_what_it_cannot(tmp_path, capsys):
    old = manifest()
    del old["content"]
    assert main(["diff", str(write(tmp_path / "a.json", old)), str(write(tmp_path / "b.json", manifest()))]) == 0
    assert "kan inte jämföras" in capsys.readouterr().out


@pytest.mark.parametrize("make, says", [
    (lambda d: d / "missing.json", "filen eller mappen finns inte"),
    (lambda d: d, "ingen manifest.json i mappen"),
    (lambda d: (d / "bad.json").write_text("{not json", encoding="utf-8") and d / "bad.json", "inget manifest"),
    (lambda d: write(d / "other.json", {"hello": 1}), "inget manifest från lagesbild"),
])
def test_unreadable_input_is_exit_2_with_one_sentence(tmp_path, capsys, make, says):
    good = write(tmp_path / "good" / "m.json", manifest())
    bad = make(tmp_path)
    assert main(["diff", str(bad), str(good)]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err and err.count("\n") == 1


def test_load_build_rejects_what_is_not_a_build(tmp_path):
    with pytest.raises(ConfigError):
        load_build(tmp_path / "nowhere")


def notebook(path: Path, data_dir: str, text: str) -> Path:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('year = 2023\ndata_dir = ""')
    params.metadata["tags"] = ["parameters"]
    injected = nbformat.v4.new_code_cell(f'data_dir = "{data_dir}"')
    injected.metadata["tags"] = ["injected-parameters"]
    shown = nbformat.v4.new_code_cell("show()")
    shown.outputs = [nbformat.v4.new_output("display_data", data={"text/html": f"<p>{text}</p>"})]
    nb.cells = [nbformat.v4.new_markdown_cell("# Rubrik"), params, injected, shown]
    nbformat.write(nb, path)
    return path


def test_chapter_digest_ignores_where_the_data_lay_but_not_what_is_shown(tmp_path):
    a = chapter_digest(notebook(tmp_path / "a.ipynb", "/home/anna/data", "76 396 invånare"))
    b = chapter_digest(notebook(tmp_path / "b.ipynb", "/srv/lagesbild/data", "76 396 invånare"))
    c = chapter_digest(notebook(tmp_path / "c.ipynb", "/srv/lagesbild/data", "76 397 invånare"))
    assert a == b != c
    assert not any(ch.isdigit() for ch in a), "digests hold no digits: never mistaken for a figure of the report"


def test_key_figures_come_from_the_changes_table():
    payloads = [
        {"number": "Tabell 1", "caption": "CompStat", "label": "compstat", "columns": ["Nyckeltal", "Nu"], "rows": [["x", 1]]},
        {"number": "Tabell 2", "caption": "Förändringar", "label": "forandringar",
         "columns": ["Nyckeltal", "Jämförelse", "Enhet", "Föregående", "Nu"],
         "rows": [["Folkmängd", "2022 → 2023", "antal", 76208, 76701]]},
    ]
    assert key_figures(payloads) == {"Folkmängd": {"value": 76701, "before": 76208, "unit": "antal", "comparison": "2022 → 2023"}}
    assert key_figures(payloads[:1]) == {}
    summary = content_summary([], payloads)
    assert summary["key_figures"] == key_figures(payloads)
    assert [(t["number"], t["caption"]) for t in summary["tables"]] == [("Tabell 1", "CompStat"), ("Tabell 2", "Förändringar")]


# --------------------------------------------------------------------------- sign-off


def params(status="fastställd", by="Anna Berg", on="2024-02-01") -> dict:
    return {"status": status, "reviewed_by": by, "reviewed_on": on}


def in_place(folder: Path, status: str, inputs: dict, by="Anna Berg", on="2024-02-01") -> None:
    write(folder / "manifest.json", {"parameters": params(status, by, on), "inputs": inputs})


def test_no_signoff_for_a_draft(tmp_path):
    assert check_signoff(tmp_path, params("utkast"), {"crimes.csv": A}) is None
    assert check_signoff(tmp_path, params("granskad"), {"crimes.csv": A}) is None


def test_the_first_fastställd_build_is_the_one_signed_off(tmp_path, caplog):
    work = tmp_path / "work"
    write(work / "manifest.json", {"parameters": params(), "inputs": {"crimes.csv": A}})
    state = check_signoff(tmp_path / "report", params(), {"crimes.csv": A})
    assert state is not None and state.signed is None and not caplog.records
    state.record(work)
    assert json.loads((work / SIGNED_MANIFEST).read_text(encoding="utf-8"))["inputs"] == {"crimes.csv": A}


def test_changed_inputs_after_signoff_warn_and_the_record_is_kept(tmp_path, caplog):
    report = tmp_path / "report"
    write(report / SIGNED_MANIFEST, {"parameters": params(), "inputs": {"crimes.csv": A, "survey.csv": A}})
    in_place(report, "fastställd", {"crimes.csv": A, "survey.csv": A})
    with caplog.at_level(logging.WARNING, logger="lagesbild"):
        state = check_signoff(report, params(), {"crimes.csv": B, "survey.csv": A})
    assert [name for name, *_ in state.changed] == ["crimes.csv"]
    assert "crimes.csv (ändrad)" in caplog.text and "survey.csv" not in caplog.text and "Anna Berg" in caplog.text
    work = tmp_path / "work"
    work.mkdir()
    state.record(work)
    assert json.loads((work / SIGNED_MANIFEST).read_text(encoding="utf-8"))["inputs"]["crimes.csv"] == A


def test_a_new_review_date_signs_off_again(tmp_path, caplog):
    report = tmp_path / "report"
    write(report / SIGNED_MANIFEST, {"parameters": params(), "inputs": {"crimes.csv": A}})
    state = check_signoff(report, params(on="2024-03-15"), {"crimes.csv": B})
    assert state.signed is None and not state.changed and not caplog.records


def test_a_report_in_place_that_is_fastställd_but_has_no_record_counts_as_signed_off(tmp_path, caplog):
    in_place(tmp_path, "fastställd", {"crimes.csv": A})
    state = check_signoff(tmp_path, params(), {"crimes.csv": B})
    assert state.signed is not None and state.changed and "crimes.csv" in caplog.text


def test_setting_fastställd_on_other_data_than_were_reviewed_warns(tmp_path, caplog):
    in_place(tmp_path, "granskad", {"crimes.csv": A, "params:2023.yml": A})
    state = check_signoff(tmp_path, params(), {"crimes.csv": B, "params:2023.yml": B})
    assert state.signed is None and [n for n, *_ in state.since_review] == ["crimes.csv"]
    assert "granskade versionen" in caplog.text and "params:" not in caplog.text


def test_the_report_in_place_is_checked_when_a_build_finds_it_up_to_date(tmp_path, caplog):
    write(tmp_path / SIGNED_MANIFEST, {"parameters": params(), "inputs": {"crimes.csv": A}})
    in_place(tmp_path, "fastställd", {"crimes.csv": B})
    assert check_signoff(tmp_path).changed and "crimes.csv" in caplog.text
