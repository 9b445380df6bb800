"""Chapter 0 (Sammantagen bedömning): key figures, the overview map and the places table."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from matplotlib.figure import Figure
from shapely.geometry import box

from lagesbild_lib.context import chapter_context
from lagesbild_lib.present.text import number_word
from lagesbild_lib.figures.maps import SCHEMATIC_NOTE
from lagesbild_lib.figures.overview import OverviewLayers, area_places, overview_alt, plot_overview, vulnerable_within
from lagesbild_lib.present.pieces import Chart, Missing, Table, Text
from lagesbild_lib.sections import sammanfattning


PLACES = pd.DataFrame(
    {
        "place_id": ["p1", "p2", "p3", "p4", "p5"],
        "name": ["Torget", "Skogen", "Centrum", "Parken", "Söderplan"],
        "type": ["prioriterad plats", "olovlig bosättning", "öppen drogscen", "prioriterad plats", "prioriterad plats"],
        "area_id": ["norr-b1", "norr-a", "norr-b", "norr", "soder"],
        "lon": [18.0, 18.1, None, 18.2, 18.3],
        "lat": [59.3, 59.31, None, 59.32, 59.33],
    }
)


def test_places_belong_to_their_sub_area_and_are_numbered_when_located(registry):
    frame = area_places(PLACES, registry, "norr", ["norr-a", "norr-b"])
    assert frame["name"].tolist() == ["Parken", "Skogen", "Centrum", "Torget"]  # by sub-area, then name; Söder left out
    assert frame["sub_area"].tolist() == ["Norr", "Norr A", "Norr B", "Norr B"]  # a place on the area itself keeps it
    assert frame["nr"].tolist()[:2] == [1, 2] and pd.isna(frame["nr"].iloc[2]) and frame["nr"].iloc[3] == 3


def test_vulnerable_areas_that_touch_the_area_most_serious_first():
    area = box(0, 0, 100, 100)
    features = [
        ({"name": "Långt bort", "category": "Utsatt område"}, box(500, 500, 600, 600)),
        ({"name": "Kant", "category": "Utsatt område"}, box(99.5, 0, 200, 100)),  # a sliver inside
        ({"name": "B", "category": "Utsatt område"}, box(10, 10, 40, 40)),
        ({"name": "A", "category": "Särskilt utsatt område"}, box(50, 50, 120, 120)),
    ]
    assert [(n, c) for n, c, _ in vulnerable_within(features, area)] == [("A", "Särskilt utsatt område"), ("B", "Utsatt område")]


def layers(shares=None, places=True):
    outlines = {"a": box(0, 0, 1000, 1000), "b": box(1000, 0, 2000, 1000)}
    frame = pd.DataFrame({"nr": [1, 2, 3], "name": ["T", "S", "C"], "type": ["prioriterad plats", "prioriterad plats", "öppen drogscen"],
                          "x": [500.0, 1500.0, 1200.0], "y": [500.0, 500.0, 300.0]})
    vulnerable = [("Norr", "Särskilt utsatt område", box(200, 200, 1200, 800)), ("Syd", "Riskområde", box(1500, 100, 1900, 400))]
    return OverviewLayers(outlines, {"a": "Alfa", "b": "Beta"}, vulnerable, frame if places else None, shares,
                          "Andelen otrygga ute ensamma sent på kvällen", "Otrygga ute ensamma kvällstid 2023")


def test_overview_map_legend_is_swedish_and_alt_states_the_finding():
    fig = plot_overview(layers({"a": 0.42, "b": 0.17}), "Norr 2023")
    assert isinstance(fig, Figure)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["Delområdesgräns", "Polisen: särskilt utsatt område", "Polisen: riskområde", "Prioriterad plats (2)", "Öppen drogscen (1)"]
    classes = fig.legends[0]  # the share's classes, as on the evening-unsafety map
    assert classes.get_title().get_text() == "Otrygga ute ensamma kvällstid 2023"
    assert [t.get_text() for t in classes.get_texts()] == ["10–20\u00a0%", "20–30\u00a0%", "30–40\u00a0%", "40–50\u00a0%"]
    alt = overview_alt(layers({"a": 0.42, "b": 0.17}), "Norr")
    assert alt == (
        "Karta över Norr med två delområden. Polisens särskilt utsatta område Norr och riskområde Syd ligger helt eller delvis i området. "
        "Kartan visar två prioriterade platser och en öppen drogscen. "
        "Andelen otrygga ute ensamma sent på kvällen är högst i Alfa (42\u00a0%) och lägst i Beta (17\u00a0%)."
    )


def test_overview_map_without_survey_or_places_and_with_a_sub_area_lacking_a_share():
    fig = plot_overview(layers(None, places=False), "Norr")
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "Enkätuppgift saknas" not in labels and len(fig.axes) == 1 and not fig.legends  # no classes
    assert "Kartan visar" not in overview_alt(layers(None, places=False), "Norr")
    fig = plot_overview(layers({"a": 0.3}), "Norr")
    assert "Enkätuppgift saknas" in [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


# --------------------------------------------------------------------------- the chapter on demo data


@pytest.mark.parametrize("year, area", [(2023, "hasselby-vallingby"), (2024, "solna"), (2020, "skarholmen"), (2023, "vallingby")])
def test_sammanfattning_on_demo_data(demo_dir, year, area):
    ctx = chapter_context(year, area, str(demo_dir))
    figures = dict(sammanfattning.key_figures(ctx).items)
    # the weeks and events of the period, as the crimes beside them (1 jan–31 okt is in week 43 or 44)
    weeks = {2023: 44, 2024: 44, 2020: 44}[year]
    assert set(figures) >= {
        f"Kritiska händelser 1 jan–31 okt {year}", f"Veckor med nivå 4 eller 5, vecka 1–{weeks}", f"Förändring mot samma period {year - 1}",
    }
    assert figures[f"Veckor med nivå 4 eller 5, vecka 1–{weeks}"].endswith(f"av {weeks}")
    assert any(label.startswith("Folkmängd") for label in figures)
    assert figures[f"Förändring mot samma period {year - 1}"].endswith("statistiskt säkerställd)")
    text = sammanfattning.summary_text(ctx).markdown
    assert f"Under perioden 1 jan–31 okt {year} anmäldes" in text and "statistiskt säkerställd" in text
    weekly = sammanfattning.weekly_table(ctx)
    assert isinstance(weekly, Table)
    soup = BeautifulSoup(weekly.markup, "html.parser")
    rows = soup.find("tbody").find_all("tr")
    expected_rows = len(ctx.sub_areas) or 1
    assert len(rows) == expected_rows
    weeks = 53 if year == 2020 else 52
    assert all(len(r.find_all("td", class_="lb-level")) == weeks for r in rows)
    assert len(weekly.data) == expected_rows + (1 if expected_rows > 1 else 0)
    chart = sammanfattning.overview_map(ctx)
    assert isinstance(chart, Chart) and chart.kind == "Kartbild"
    schematic = area == "solna"  # Solna's delområden are schematic cells, Stockholm's stadsdelar real outlines
    assert ("schematisk karta" in chart.caption) == schematic and (SCHEMATIC_NOTE in chart.note) == schematic
    assert ("Stadsdelsgränser: Stockholms stad, öppna data (CC0)." in chart.note) != schematic
    assert chart.alt.startswith(f"Karta över {ctx.area.name}") and len(chart.data) == expected_rows
    places = sammanfattning.places_table(ctx)
    assert isinstance(places, Table) and list(places.table.columns) == ["Plats", "Typ", "Delområde", "Nr på kartan"]


def test_each_missing_layer_is_named_and_the_chapter_still_renders(demo_dir, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    for name in ("places.csv", "vulnerable_areas.geojson", "survey.csv", "critical_events.csv"):
        (data / name).unlink()
    ctx = chapter_context(2023, "hasselby-vallingby", str(data))
    chart = sammanfattning.overview_map(ctx)
    assert isinstance(chart, Chart)
    assert "vulnerable_areas.geojson saknas" in chart.note
    assert "tabellen places saknas" in chart.note and "tabellen survey saknas" in chart.note
    assert "places" in sammanfattning.places_table(ctx).message
    weekly = sammanfattning.weekly_table(ctx)
    assert "critical_events saknas" in weekly.note and "lb-event" not in weekly.markup.split("<tbody>")[1].split("</tbody>")[0]
    figures = dict(sammanfattning.key_figures(ctx).items)
    assert not any(k.startswith("Kritiska händelser") for k in figures) and not any("Otrygga" in k for k in figures)
    (data / "weekly_assessments.csv").unlink()
    (data / "areas.geojson").unlink()
    ctx = chapter_context(2023, "hasselby-vallingby", str(data))
    assert isinstance(sammanfattning.weekly_table(ctx), Missing)
    assert "areas.geojson" in sammanfattning.overview_map(ctx).message
    assert isinstance(sammanfattning.summary_text(ctx), Text)


def test_critical_events_in_sentences_with_swedish_plurals(demo_dir):
    ctx = chapter_context(2020, "skarholmen", str(demo_dir))
    events = ctx.data.table("critical_events")
    dates = events["event_date"]
    mine = events[(dates >= "2020-01-01") & (dates <= "2020-10-31") & events["area_id"].isin(ctx.areas.descendants("skarholmen"))]
    text = sammanfattning.summary_text(ctx).markdown
    assert "Under perioden 1 jan–31 okt 2020 registrerades " in text
    # the demo has several of each of these types in Skärholmen 2020
    counts = mine["type"].value_counts()
    for kind, plural_form in (("skjutning", "skjutningar"), ("sprängning", "sprängningar")):
        if counts.get(kind, 0) > 1:
            assert f"{number_word(int(counts[kind]))} {plural_form}" in text  # one to twelve in words (DESIGN §9)
