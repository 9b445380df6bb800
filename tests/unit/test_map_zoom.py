"""A town inside a large kommun: its small areas cannot hold their names on a map of the whole
kommun, so every map gets a second panel that enlarges them (and names them there); a map whose
areas all fit (a city district) stays one panel."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from lagesbild_lib.figures.choropleth import plot_choropleth
from lagesbild_lib.figures.maps import ZOOM_TITLE, zoom_of
from lagesbild_lib.figures.overview import OverviewLayers, plot_overview


def _kommun() -> dict[str, object]:
    """Two large rural areas (20 × 20 km) and a town of four 1 × 1 km areas between them."""
    town = {f"t{i}": shapely.box(20_000 + 1_000 * (i % 2), 10_000 + 1_000 * (i // 2), 21_000 + 1_000 * (i % 2), 11_000 + 1_000 * (i // 2))
            for i in range(4)}
    return {"west": shapely.box(0, 0, 20_000, 20_000), "east": shapely.box(22_000, 0, 42_000, 20_000), **town}


def _district() -> dict[str, object]:
    return {f"d{i}": shapely.box(2_000 * i, 0, 2_000 * (i + 1), 3_000) for i in range(5)}


def _texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_the_small_areas_of_a_large_map_are_enlarged_and_a_district_is_not():
    zoom = zoom_of(_kommun())
    assert zoom is not None and zoom.areas == {"t0", "t1", "t2", "t3"}
    x0, y0, x1, y1 = zoom.bounds
    assert x0 < 20_000 and x1 > 22_000 and y0 < 10_000 and y1 > 12_000 and (x1 - x0) < 5_000
    assert zoom.holds(21_000, 11_000) and not zoom.holds(5_000, 5_000)
    assert zoom_of(_district()) is None
    two = dict(list(_kommun().items())[:4])  # two small areas are named on the map itself
    assert zoom_of(two) is None


def test_the_overview_names_each_small_area_once_in_the_panel_and_the_large_ones_on_the_map():
    outlines = _kommun()
    places = pd.DataFrame({"nr": [1, 2], "name": ["Torget", "Skogen"], "type": ["prioriterad plats"] * 2,
                           "x": [20_500.0, 5_000.0], "y": [10_500.0, 5_000.0]})
    fig = plot_overview(OverviewLayers(outlines, {a: a.upper() for a in outlines}, places=places), "Kommunen 2023")
    maps = [ax for ax in fig.axes if ax.get_title() in ("Kommunen 2023", ZOOM_TITLE)]
    assert [ax.get_title() for ax in maps] == ["Kommunen 2023", ZOOM_TITLE]
    main, panel = ([t.get_text() for t in ax.texts] for ax in maps)
    assert {"T0", "T1", "T2", "T3"} <= set(panel) and not {"T0", "T1", "T2", "T3"} & set(main)
    assert {"WEST", "EAST"} <= set(main)
    assert "1" in panel and "1" not in main and "2" in main  # a place's number where it can be read


def test_a_district_map_has_one_panel():
    outlines = _district()
    values = pd.DataFrame({"area_id": list(outlines), "name": list(outlines), "share": [0.1, 0.2, 0.3, 0.4, 0.5], "small": [False] * 5})
    fig = plot_choropleth(outlines, values, "Otrygghet", "Andel")
    assert ZOOM_TITLE not in [ax.get_title() for ax in fig.axes]
    assert sorted(t for t in _texts(fig) if t.startswith("d")) == [f"d{i}\n{p}\u00a0%" for i, p in zip(range(5), (10, 20, 30, 40, 50))]


def test_the_enlargement_draws_the_part_of_the_density_grid_it_shows():
    from lagesbild_lib.figures.hotspot import _window

    values = np.arange(11 * 21, dtype=float).reshape(11, 21)  # cell centres x 0, 100 … 2000 and y 0, 100 … 1000
    shown, extent = _window(values, (0.0, 2000.0, 0.0, 1000.0), (450.0, 650.0), (250.0, 420.0))
    assert extent == (300.0, 800.0, 100.0, 600.0)  # one cell beyond the limits on each side
    assert shown.shape == (6, 6) and shown[0, 0] == values[1, 3] and shown[-1, -1] == values[6, 8]
    whole = _window(values, (0.0, 2000.0, 0.0, 1000.0), (-50.0, 2050.0), (-50.0, 1050.0))
    assert whole[0] is values and whole[1] == (0.0, 2000.0, 0.0, 1000.0)
