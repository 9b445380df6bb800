"""Issue 16, item 1: the narrative slots — one documented list, each slot shown at its place in a
chapter notebook, an unwritten slot visible as "Ej ifylld" in a draft and refused at fastställd."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from lagesbild_lib.errors import ConfigError
from lagesbild_lib.params import NARRATIVE_SLOTS, ReportParams, load_params
from lagesbild_lib.pipeline.readiness import check_ready, shown_slots
from lagesbild_lib.present.pieces import Missing, Text
from lagesbild_lib.present import slots
from lagesbild_lib.sections import narrative

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def params(**over) -> ReportParams:
    return ReportParams.model_validate({"year": 2023, "area": "sdo", **over})


def ctx(**over):
    return SimpleNamespace(params=params(**over))


def test_every_slot_has_a_swedish_title_and_a_comment_in_defaults_and_the_guide():
    defaults = (ROOT / "params" / "defaults.yml").read_text(encoding="utf-8")
    guide = (ROOT / "docs" / "analytikerguide.md").read_text(encoding="utf-8")
    assert set(slots.SLOT_TITLES) == set(NARRATIVE_SLOTS)
    for key in NARRATIVE_SLOTS:
        assert re.search(rf"^#   {key}\s+\S", defaults, re.M), f"defaults.yml documents narrative.{key}"
        assert f"`{key}`" in guide, f"the analyst guide documents narrative.{key}"


def test_every_slot_is_shown_in_a_chapter_and_in_report_order():
    shown = shown_slots(NOTEBOOKS)
    ordered = [k for k in NARRATIVE_SLOTS if k in shown]
    # two optional slots of the first wave are read by their chapters' own sections
    assert set(shown) | {"brottslighet_nyckelfynd", "prioriterade_omraden"} == set(NARRATIVE_SLOTS)
    assert shown[0] == "sammantagen_bedomning", "the overall assessment (its own section) is required too"
    assert shown == ordered, "the slots appear in the reading order of the report"


def test_each_slot_cell_sits_under_its_own_heading():
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for i, cell in enumerate(cells):
            if cell["cell_type"] == "code" and slots.SLOT_CALL_RE.search("".join(cell["source"])) and cell["id"] != "01-60":
                before = "".join(cells[i - 1]["source"])
                assert cells[i - 1]["cell_type"] == "markdown" and before.startswith("#"), (path.name, cell["id"])


def test_a_written_slot_is_its_markdown_and_an_unwritten_one_says_ej_ifylld():
    written = narrative.slot(ctx(narrative={"syfte": "Lägesbilden är till för **parterna**."}), "syfte")
    assert written == Text("Lägesbilden är till för **parterna**.")
    empty = narrative.slot(ctx(narrative={"syfte": "   \n"}), "syfte")
    assert isinstance(empty, Missing)
    assert empty.message.startswith("Ej ifylld: Syfte.") and "narrative.syfte" in empty.message
    with pytest.raises(KeyError, match="unknown narrative slot"):
        narrative.slot(ctx(), "syftet")


def test_a_misspelt_slot_in_params_is_refused_with_the_closest_name(tmp_path):
    own = tmp_path / "own.yml"
    own.write_text("narrative:\n  medborgarlöften: Text\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"okänd nyckel 'narrative\.medborgarlöften' \(menade du 'narrative\.medborgarloften'"):
        load_params(params_file=own)


def test_a_figure_needs_alt_text():
    with pytest.raises(ValueError):
        params(narrative_figures={"samverkan_organisation": {"file": "sok.png", "alt": ""}})
    with pytest.raises(ValueError, match="okänd narrative-nyckel"):
        params(narrative_figures={"sok": {"file": "sok.png", "alt": "Skiss"}})


SIGNED = {"forvaltning": {"reviewed_by": "Anna Berg", "reviewed_on": "2024-02-01"}, "polis": {"reviewed_by": "Per Ek", "reviewed_on": "2024-02-05"}}


def test_fastställd_refuses_the_unwritten_slots_by_name_and_a_draft_does_not():
    shown = shown_slots(NOTEBOOKS)
    texts = {k: "Text." for k in shown}
    check_ready(params(status="fastställd", narrative=texts, signoff=SIGNED), NOTEBOOKS)  # all written: fine
    check_ready(params(status="utkast"), NOTEBOOKS)  # a draft may hold placeholders
    missing = {k: v for k, v in texts.items() if k not in ("syfte", "bosattningar")}
    with pytest.raises(ConfigError) as err:
        check_ready(params(status="fastställd", narrative=missing, signoff=SIGNED), NOTEBOOKS)
    message = str(err.value)
    assert "kan inte fastställas" in message and "narrative.syfte, narrative.bosattningar" in message


def test_optional_slots_are_not_required():
    shown = ["syfte", "brottslighet_nyckelfynd", "prioriterade_omraden"]
    assert slots.unwritten({"syfte": "x"}, shown) == []
    assert slots.unwritten({}, shown) == ["syfte"]


def test_both_diarienummer_and_the_old_single_one():
    assert params(diarienummer="SDF 2023/17").diarienummer_text() == "SDF 2023/17"
    both = params(diarienummer={"forvaltning": "HV 2023/1", "polis": "A 2023/2"})
    assert both.diarienummer_text() == "HV 2023/1 (förvaltningen), A 2023/2 (polisen)"
    assert params(diarienummer={"polis": "A 2023/2"}).diarienummer_text() == "A 2023/2 (polisen)"


def test_the_demo_fills_every_slot_with_labelled_example_text():
    demo, _ = load_params(2023, "hasselby-vallingby")
    for key in NARRATIVE_SLOTS:
        if key in ("brottslighet_nyckelfynd", "prioriterade_omraden"):
            continue
        assert demo.narrative.get(key, "").lstrip().startswith("*Exempeltext för demodata.*"), key


def test_a_slot_figure_is_embedded_with_its_alt_text_and_a_missing_file_is_said(tmp_path):
    image = tmp_path / "sok.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    figure = {"file": str(image), "alt": 'Styrgrupp överst, "samverkansgrupp" under', "caption": "Samverkans organisation"}
    markup = narrative.figure_markup(ctx(narrative_figures={"samverkan_organisation": figure}), "samverkan_organisation")
    assert markup.startswith('<div class="lb-slot-figure"><img src="data:image/png;base64,iVBORw0KGgo')
    assert 'alt="Styrgrupp överst, &quot;samverkansgrupp&quot; under"' in markup
    assert '<span class="lb-num" data-kind="Figur">Figur</span> Samverkans organisation</p>' in markup  # numbered when stitched
    assert narrative.figure_markup(ctx(), "samverkan_organisation") is None
    gone = narrative.figure_markup(ctx(narrative_figures={"samverkan_organisation": {**figure, "file": str(tmp_path / "x.png")}}), "samverkan_organisation")
    assert isinstance(gone, Missing) and "x.png" in gone.message
    wrong = narrative.figure_markup(ctx(narrative_figures={"samverkan_organisation": {**figure, "file": "sok.gif"}}), "samverkan_organisation")
    assert isinstance(wrong, Missing) and "PNG-, JPEG- eller SVG-fil" in wrong.message
