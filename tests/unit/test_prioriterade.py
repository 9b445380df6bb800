"""Chapter 4, Prioriterade samverkansområden: the five areas, status boxes, comments, linked
indicators, local priority areas and Källor."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from lagesbild_lib.data.areas import AreaRegistry
from lagesbild_lib.present.markdown import render_markdown
from lagesbild_lib.params import PRIORITY_AREA_KEYS, ReportParams
from lagesbild_lib.analysis.priority import (
    COOPERATION_AREAS, STATUS_TEXT, cooperation_markdown, cooperation_status_table, data_sources, intimate_partner_years,
    local_priorities_markdown, md_escape, places_in_area, sources_markdown,
)

ROOT = Path(__file__).resolve().parents[2]
TITLES = [
    "Unga i riskzon för destruktivt beteende",
    "Otrygga och brottsutsatta platser",
    "Systemhotande brottslighet",
    "Särskilt utsatta och sårbara brottsoffer",
    "Kriminella miljöer och livsstilar",
]


def params(**over) -> ReportParams:
    return ReportParams.model_validate({"year": 2023, "area": "sdo", **over})


@pytest.fixture
def registry() -> AreaRegistry:
    frame = pd.DataFrame(
        [
            ("stad", "Staden", "kommun", ""),
            ("sdo", "Stadsdelsområdet", "stadsdelsomrade", "stad"),
            ("norr", "Norr", "stadsdel", "sdo"),
            ("norr-a", "Norr A", "delomrade", "norr"),
            ("soder", "Söder", "stadsdel", "sdo"),
            ("annat", "Annat område", "stadsdelsomrade", "stad"),
        ],
        columns=["area_id", "name", "level", "parent_id"],
    )
    return AreaRegistry(frame)


def test_the_five_areas_in_report_order():
    assert [a.title for a in COOPERATION_AREAS.values()] == TITLES
    assert tuple(COOPERATION_AREAS) == PRIORITY_AREA_KEYS
    assert all(len(a.description) > 60 for a in COOPERATION_AREAS.values())


def test_notebook_headings_are_the_five_areas_in_order():
    nb = json.loads((ROOT / "notebooks" / "06_prioriterade_omraden.ipynb").read_text(encoding="utf-8"))
    headings = [m for c in nb["cells"] if c["cell_type"] == "markdown" for m in re.findall(r"^## (.+)$", "".join(c["source"]), re.M)]
    assert headings[:5] == TITLES and headings[5:] == ["Lokala prioriterade områden"]  # Källor: its own last chapter


def test_status_is_the_two_boxes_of_the_seed_form():
    p = params(priority_areas={"otrygga_platser": {"status": "sarskilda_atgarder"}, "kriminella_miljoer": {"status": "linjeverksamhet"}})
    table = cooperation_status_table(p)
    assert table["Samverkansområde"].tolist() == TITLES
    assert table.loc[1, ["Särskilda åtgärder", "Linjeverksamhet"]].tolist() == ["☒", "☐"]
    assert table.loc[4, ["Särskilda åtgärder", "Linjeverksamhet"]].tolist() == ["☐", "☒"]
    assert table.loc[0, ["Särskilda åtgärder", "Linjeverksamhet"]].tolist() == ["☐", "☐"]
    html = render_markdown(cooperation_markdown(p, "otrygga_platser"))
    assert "☒ Pågår/finns behov av särskilda åtgärder inom området. Inkluderas i åtgärdsplan." in html
    assert "☐ Arbete sker i linjeverksamhet." in html
    assert STATUS_TEXT["linjeverksamhet"] == "Arbete sker i linjeverksamhet."
    unset = render_markdown(cooperation_markdown(p, "unga_i_riskzon"))
    assert unset.count("☐") == 2 and "Ingen status angiven" in unset and "Ingen kommentar angiven" in unset


def test_description_can_be_overridden_and_comment_is_sanitised_markdown():
    p = params(priority_areas={"utsatta_brottsoffer": {
        "description": "Egen text om **brottsoffer**.", "comment": "Vi gör *mer*. <script>alert(1)</script> [x](javascript:alert(2))",
    }})
    html = render_markdown(cooperation_markdown(p, "utsatta_brottsoffer"))
    assert "Egen text om <strong>brottsoffer</strong>." in html and COOPERATION_AREAS["utsatta_brottsoffer"].description not in html
    assert "Vi gör <em>mer</em>." in html
    assert "<script" not in html and "href" not in html  # shown as inert text, never a tag or a link
    default = render_markdown(cooperation_markdown(params(), "utsatta_brottsoffer"))
    assert COOPERATION_AREAS["utsatta_brottsoffer"].description in default


def test_local_priority_areas_have_heading_description_and_comment():
    p = params(local_priority_areas=[{"title": "Vällingby *centrum*", "description": "Kvällstid.", "comment": "Fler **vandringar**."}])
    html = render_markdown(local_priorities_markdown(p))
    assert "<h3>Vällingby *centrum*</h3>" in html  # a title is plain text
    assert "Kvällstid." in html and "<strong>vandringar</strong>" in html


def test_places_with_their_sub_area(registry):
    places = pd.DataFrame(
        {
            "place_id": ["a", "b", "c", "d"],
            "name": ["Torget", "Parken", "Stationen", "Långt bort"],
            "type": ["prioriterad plats", "öppen drogscen", "prioriterad plats", "prioriterad plats"],
            "area_id": ["norr-a", "soder", "sdo", "annat"],
        }
    )
    table = places_in_area(places, registry, "sdo")
    assert table.to_dict("records") == [
        {"Plats": "Torget", "Typ": "prioriterad plats", "Delområde": "Norr"},
        {"Plats": "Stationen", "Typ": "prioriterad plats", "Delområde": "Stadsdelsområdet"},
        {"Plats": "Parken", "Typ": "öppen drogscen", "Delområde": "Söder"},
    ]


def test_intimate_partner_series_from_crimes_or_aggregated_counts(registry):
    crimes = pd.DataFrame(
        {
            "reported_date": pd.to_datetime(["2021-03-01", "2023-01-02", "2023-05-05", "2023-06-06", "2022-01-01"]),
            "category": ["nara", "nara", "annat", "grov_nara", "nara"],
            "area_id": ["norr", "soder", "norr", "norr-a", "norr"],
        }
    )
    series = intimate_partner_years(crimes, None, registry, "sdo", ["nara", "grov_nara"], [2020, 2021, 2022, 2023])
    assert series.to_dict() == {2020: 0, 2021: 1, 2022: 1, 2023: 2}
    counts = pd.DataFrame(
        {"year": [2022, 2023, 2023, 2023], "area_id": ["norr", "norr", "soder", "annat"],
         "category": ["nara", "nara", "grov_nara", "nara"], "count": [4, 5, 6, 100]}
    )
    assert intimate_partner_years(None, counts, registry, "sdo", ["nara", "grov_nara"], [2022, 2023]).to_dict() == {2022: 4, 2023: 11}


def test_sources_list_params_then_every_data_file_with_description_and_date(tmp_path):
    crimes = tmp_path / "crimes.csv"
    crimes.write_text("x\n", encoding="utf-8")
    geo = tmp_path / "areas.geojson"
    geo.write_text("{}", encoding="utf-8")
    stamp = dt.datetime(2023, 9, 14, 12, 0).timestamp()
    os.utime(crimes, (stamp, stamp))
    os.utime(geo, (stamp, stamp))
    p = params(sources=[{"title": "Polisens statistik *RAR*", "publisher": "Polismyndigheten", "year": 2023}])
    table = data_sources([crimes, geo])
    assert table["Ändrad"].tolist() == [dt.date(2023, 9, 14)] * 2
    assert all(table["Beskrivning"].str.len() > 5)
    html = render_markdown(sources_markdown(p, [crimes, geo]))
    assert "Polisens statistik *RAR*. Polismyndigheten, 2023." in html
    assert "crimes.csv:" in html and "ändrad 14 september 2023" in html and "areas.geojson:" in html
    assert html.index("Polisens statistik") < html.index("crimes.csv")


def test_markdown_escape_makes_text_literal():
    assert render_markdown(md_escape("*a* [b](javascript:x) <i>c</i> # d")) == "<p>*a* [b](javascript:x) &lt;i&gt;c&lt;/i&gt; # d</p>"


def test_chapter_sections_on_the_demo_data(demo_dir):
    from lagesbild_lib.context import chapter_context
    from lagesbild_lib.present.pieces import Chart, Missing, Table, Text
    from lagesbild_lib.present.text import NUMBER_WORDS
    from lagesbild_lib.sections import prioriterade as sec

    ctx = chapter_context(2023, "hasselby-vallingby", str(demo_dir))
    assert isinstance(sec.status_table(ctx), Table)
    for key in PRIORITY_AREA_KEYS:
        assert isinstance(sec.cooperation_area(ctx, key), Text)
    # the places are listed once, in the summary chapter's table under the map: here a count and a reference
    places = sec.priority_places(ctx)
    n = len(places_in_area(ctx.data.table("places"), ctx.areas, "hasselby-vallingby"))
    assert isinstance(places, Text) and n > 1
    assert places.markdown.startswith(f"{NUMBER_WORDS[n].capitalize()} platser i Hässelby-Vällingby följs särskilt inom samverkan.")
    assert "{ref:sammanfattning.places_table}" in places.markdown and "{ref:sammanfattning.overview_map}" in places.markdown
    # crimes in close relationships: one sentence with the test against last year, and the crime chapter's chart
    series = sec.intimate_partner_series(ctx)
    assert isinstance(series, Text) and "{ref:brottslighet.intimate_partner}" in series.markdown
    assert re.fullmatch(r"Anmälda brott i nära relation i Hässelby-Vällingby: \d+ under perioden 1 jan–31 okt 2023 mot \d+ under samma "
                        r"period 2022, (?:ingen statistiskt säkerställd förändring|en statistiskt säkerställd (?:ökning|minskning)) "
                        r"\(hela serien visas i \{ref:brottslighet\.intimate_partner\} i kapitlet om brottsligheten\)\.", series.markdown)
    charts = sec.programme_ratings(ctx)
    assert [type(c) for c in charts] == [Chart] and charts[0].data["Antal skattningar"].iloc[-1] > 0
    assert charts[0].data.iloc[-1]["Grupp"] == "Alla grupper" and not charts[0].data["Grupp"].str.startswith("grupp-").any()
    sources = sec.sources(ctx).markdown
    for name in ("crimes.parquet", "places.csv", "programme_ratings.csv", "areas.geojson"):
        assert md_escape(name) in sources
    assert isinstance(sec.local_priorities(ctx), Text) and sec.intro(ctx) is None
    assert not isinstance(places, Missing)


def _sentence_ctx(suppress_below: int = 0):
    import datetime as dt
    from types import SimpleNamespace

    return SimpleNamespace(params=params(suppress_below=suppress_below), area=SimpleNamespace(name="Området"), year=2023,
                           period_end=dt.date(2023, 10, 31))


@pytest.mark.parametrize("before, after, said", [
    (110, 137, "137 under perioden 1 jan–31 okt 2023 mot 110 under samma period 2022, ingen statistiskt säkerställd förändring"),
    (100, 150, "150 under perioden 1 jan–31 okt 2023 mot 100 under samma period 2022, en statistiskt säkerställd ökning"),
    (150, 100, "100 under perioden 1 jan–31 okt 2023 mot 150 under samma period 2022, en statistiskt säkerställd minskning"),
    (3, 9, "nio under perioden 1 jan–31 okt 2023 mot tre under samma period 2022, ingen statistiskt säkerställd förändring, "
           "och förändringen bygger på få fall"),
    (20, 20, "20 under perioden 1 jan–31 okt 2023 mot 20 under samma period 2022, lika många"),
])
def test_the_intimate_partner_sentence_follows_the_exact_test(before, after, said):
    from lagesbild_lib.sections import prioriterade as sec

    series = pd.Series({2021: 90, 2022: before, 2023: after})
    text = sec.intimate_partner_sentence(_sentence_ctx(), series, None).markdown
    assert text == (f"Anmälda brott i nära relation i Området: {said} "
                    "(hela serien visas i {ref:brottslighet.intimate_partner} i kapitlet om brottsligheten).")


def test_the_intimate_partner_sentence_masks_small_counts_and_compares_no_short_year():
    from lagesbild_lib.present.pieces import Missing
    from lagesbild_lib.sections import prioriterade as sec

    masked = sec.intimate_partner_sentence(_sentence_ctx(5), pd.Series({2021: 9, 2022: 8, 2023: 3}), None).markdown
    assert "färre än 5 under perioden 1 jan–31 okt 2023 mot åtta under samma period 2022 (hela serien" in masked
    assert "säkerställd" not in masked  # a verdict would give the masked count away
    assert isinstance(sec.intimate_partner_sentence(_sentence_ctx(5), pd.Series({2021: 2, 2022: 3, 2023: 9}), None), Missing)
    short = sec.intimate_partner_sentence(_sentence_ctx(), pd.Series({2022: 80, 2023: 40}), pd.Timestamp("2023-06-30")).markdown
    assert short == ("Anmälda brott i nära relation i Området, 1 jan–31 okt varje år (2023 t.o.m. 30 jun): "
                     "hela serien visas i {ref:brottslighet.intimate_partner} i kapitlet om brottsligheten.")


def test_violent_extremism_has_its_own_slot_under_systemhotande_brottslighet():
    from lagesbild_lib.errors import ConfigError
    from types import SimpleNamespace

    from lagesbild_lib.pipeline.readiness import check_ready, readiness_problems, shown_slots
    from lagesbild_lib.present.slots import SLOT_TITLES
    from lagesbild_lib.sections import narrative

    nb = json.loads((ROOT / "notebooks" / "06_prioriterade_omraden.ipynb").read_text(encoding="utf-8"))
    cells = ["".join(c["source"]) for c in nb["cells"]]
    at = next(i for i, c in enumerate(cells) if 'narrative.slot(ctx, "valdsbejakande_extremism")' in c)
    assert cells[at - 1] == "### Våldsbejakande extremism" and cells[at - 3] == "## Systemhotande brottslighet"
    assert SLOT_TITLES["valdsbejakande_extremism"] == "Våldsbejakande extremism"
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    shown = shown_slots(notebooks)
    assert "valdsbejakande_extremism" in shown
    written = {k: "Text." for k in shown}
    assert not any("valdsbejakande" in p for p in readiness_problems(params(status="fastställd", narrative=written), notebooks))
    del written["valdsbejakande_extremism"]
    assert any("narrative.valdsbejakande_extremism" in p for p in readiness_problems(params(status="fastställd", narrative=written), notebooks))
    assert not any("valdsbejakande" in p for p in readiness_problems(params(status="utkast", narrative=written), notebooks))
    with pytest.raises(ConfigError, match=r"narrative\.valdsbejakande_extremism"):
        check_ready(params(status="fastställd", narrative=written), notebooks)
    shown_note = narrative.slot(SimpleNamespace(params=params()), "valdsbejakande_extremism")
    assert shown_note.message == "Ej ifylld: Våldsbejakande extremism. Texten skrivs i params under narrative.valdsbejakande_extremism."
