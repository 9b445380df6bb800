"""Issue 16, chapter Prioriterade samverkansområden: the programme ratings (GSRS) as a chart of
each group's mean with its 95 % interval and number of ratings, the groups by name (their id when
they have none), and the check that a group has one name."""

from __future__ import annotations

import math
import statistics
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from scipy import stats

from lagesbild_lib.analysis.ratings import ALL_GROUPS, FEW_RATINGS, group_labels, group_means, mean_interval
from lagesbild_lib.data.areas import AreaRegistry
from lagesbild_lib.data.dataset import DataSet
from lagesbild_lib.errors import DataError
from lagesbild_lib.figures.gsrs import ALL_GID, group_means_alt, plot_group_means

from test_data_contract import make

matplotlib.use("Agg")


@pytest.fixture
def registry() -> AreaRegistry:
    frame = pd.DataFrame(
        [("stad", "Staden", "kommun", ""), ("sdo", "Området", "stadsdelsomrade", "stad"), ("norr", "Norr", "stadsdel", "sdo"),
         ("soder", "Söder", "stadsdel", "sdo"), ("annat", "Annat", "stadsdelsomrade", "stad")],
        columns=["area_id", "name", "level", "parent_id"],
    )
    return AreaRegistry(frame)


def ratings(rows) -> pd.DataFrame:
    """(area, group_id, group_name, scores) → one row per rating, year 2023, programme GSRS."""
    out = [(2023, area, "GSRS", gid, float(s), name) for area, gid, name, scores in rows for s in scores]
    return pd.DataFrame(out, columns=["year", "area_id", "programme", "group_id", "score", "group_name"])


def t_interval(scores):
    n, mean, sd = len(scores), statistics.fmean(scores), statistics.stdev(scores)
    half = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
    return mean - half, mean + half


DEMO_LIKE = ratings([
    ("norr", "grupp-1", "Tjejgruppen Norr", [6, 7, 8, 7, 6, 8, 7]),
    ("soder", "grupp-2", "Fotbollsgruppen Söder", [5, 4, 6, 5, 5, 6]),
    ("soder", "grupp-3", None, [9, 3, 6]),  # no name: shown by its id; three ratings: few
    ("annat", "grupp-1", "Någon annans", [1, 1, 1, 1, 1]),  # another area: not counted
])


def test_each_group_by_name_with_its_number_mean_and_t_interval(registry):
    table = group_means(DEMO_LIKE, registry, "sdo", 2023)
    assert table["group"].tolist() == ["Fotbollsgruppen Söder", "grupp-3", "Tjejgruppen Norr", ALL_GROUPS]
    assert table["n"].tolist() == [6, 3, 7, 16]
    tjej = table.set_index("group").loc["Tjejgruppen Norr"]
    assert tjej["mean"] == pytest.approx(7.0) and tjej["group_id"] == "grupp-1"
    assert (tjej["lo"], tjej["hi"]) == pytest.approx(t_interval([6, 7, 8, 7, 6, 8, 7]))
    assert table["few"].tolist() == [False, True, False, False] and FEW_RATINGS == 5
    total = table.iloc[-1]
    assert total["mean"] == pytest.approx(statistics.fmean([6, 7, 8, 7, 6, 8, 7, 5, 4, 6, 5, 5, 6, 9, 3, 6]))
    assert math.isnan(total["lo"]) and math.isnan(total["hi"])  # the ratings of a group are not independent
    assert group_means(DEMO_LIKE, registry, "sdo", 2019).empty


def test_the_interval_is_cut_to_the_scale_and_needs_two_ratings():
    lo, hi = mean_interval([9.5, 10, 10, 7])
    assert hi == 10.0 and lo == pytest.approx(t_interval([9.5, 10, 10, 7])[0])
    assert all(math.isnan(v) for v in mean_interval([6]))
    assert mean_interval([6, 6, 6]) == (6.0, 6.0)


def test_names_fall_back_to_the_id_and_equal_names_are_told_apart():
    frame = ratings([("norr", "a", "Gruppen", [5]), ("norr", "b", "Gruppen", [6]), ("norr", "c", "  ", [7]), ("norr", "d", None, [7])])
    assert group_labels(frame) == {"a": "Gruppen (a)", "b": "Gruppen (b)", "c": "c", "d": "d"}
    assert group_labels(frame.drop(columns="group_name")) == {"a": "a", "b": "b", "c": "c", "d": "d"}
    # a name given on some of a group's rows only is the group's name
    part = ratings([("norr", "a", None, [5]), ("norr", "a", "Tjejgruppen", [6])])
    assert group_labels(part) == {"a": "Tjejgruppen"}


def test_the_chart_names_the_groups_with_their_number_of_ratings(registry):
    table = group_means(DEMO_LIKE, registry, "sdo", 2023)
    fig = plot_group_means(table, "Skattningar av GSRS per grupp, 2023")
    ax = fig.axes[0]
    by_y = {round(t.get_position()[1]): t.get_text() for t in ax.get_yticklabels()}
    # the table's order from the top; the id where a group has no name; * on few ratings
    assert by_y == {2: "Fotbollsgruppen Söder (n = 6)", 1: "grupp-3 (n = 3) *", 0: "Tjejgruppen Norr (n = 7)"}
    means = {round(line.get_ydata()[0]): line.get_xdata()[0] for line in ax.lines if line.get_marker() == "o"}
    assert means == pytest.approx({2: 31 / 6, 1: 6.0, 0: 7.0})
    dashed = [line for line in ax.lines if line.get_gid() == ALL_GID]
    assert len(dashed) == 1 and dashed[0].get_xdata()[0] == pytest.approx(table.iloc[-1]["mean"])
    assert "1–10" in ax.get_xlabel() and ax.get_xlim() == pytest.approx((0.8, 10.2))
    assert [t.get_text() for t in ax.texts if t.get_text() not in ("",)][:3] == ["5,2", "6,0", "7,0"]


def test_the_alt_text_says_every_group_its_mean_interval_and_number(registry):
    table = group_means(DEMO_LIKE, registry, "sdo", 2023)
    alt = group_means_alt(table, "deltagarnas skattningar av GSRS per grupp i Området 2023")
    lo, hi = t_interval([6, 7, 8, 7, 6, 8, 7])
    tjej = f"Tjejgruppen Norr 7,0 ({lo:.1f}–{hi:.1f}; 7 skattningar)".replace(".", ",")
    assert alt.startswith("Punktdiagram över deltagarnas skattningar av GSRS per grupp i Området 2023, medelvärde på skalan 1–10")
    assert tjej in alt and "grupp-3 6,0 (" in alt and "3 skattningar, få skattningar)" in alt
    assert alt.endswith("; alla grupper 6,1 (16 skattningar).")  # 98 / 16


def test_a_masked_group_has_no_point_and_no_number(registry):
    table = group_means(DEMO_LIKE, registry, "sdo", 2023)
    fig = plot_group_means(table, "GSRS", masked=frozenset({"grupp-3"}), masked_label="<5")
    ax = fig.axes[0]
    assert "grupp-3 (n = <5)" in [t.get_text() for t in ax.get_yticklabels()]
    assert {round(line.get_ydata()[0]) for line in ax.lines if line.get_marker() == "o"} == {0, 2}
    alt = group_means_alt(table, "GSRS", masked=frozenset({"grupp-3"}), masked_label="<5")
    assert "grupp-3 (färre än 5 skattningar, visas inte)" in alt and "6,0" not in alt.split("grupp-3")[1].split(")")[0]


RATINGS_HEAD = "year,area_id,programme,group_id,score,group_name\n"


def _problems(folder: Path, ratings_csv: str) -> list[str]:
    folder.mkdir(exist_ok=True)
    try:
        DataSet(make(folder, programme_ratings__csv=ratings_csv)).validate_all()
    except DataError as exc:
        return [m.split("/")[-1] for m in getattr(exc, "messages", [str(exc)])]
    return []


def test_group_name_is_optional_and_a_group_has_one_name(tmp_path):
    old = "year,area_id,programme,group_id,score\n2023,norr-a,GSRS,g1,7\n"
    assert _problems(tmp_path / "without", old) == []
    named = RATINGS_HEAD + "2023,norr-a,GSRS,g1,7,Tjejgruppen\n2023,norr-a,GSRS,g1,8,\n2023,norr-a,GSRS,g2,6,Killgruppen\n2022,norr-a,GSRS,g1,6,Nytt namn\n"
    assert _problems(tmp_path / "named", named) == []  # an empty cell takes the group's name; another year may rename it
    clash = named + "2023,norr-a,GSRS,g1,5,Killgruppen\n2023,norr-a,GSRS,g1,5,Fotbollsgruppen\n"
    assert _problems(tmp_path / "clash", clash) == [
        "programme_ratings.csv, rad 6, kolumn 'group_name': värdet 'Killgruppen' är inte giltigt; förväntade samma namn som på "
        "rad 2 för gruppen 'g1' i GSRS, norr-a 2023 ('Tjejgruppen'); en grupp har ett namn (och 1 rad till med ett annat namn på sin grupp)"
    ]
