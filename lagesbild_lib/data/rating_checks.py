"""The check of ``programme_ratings`` beyond its cells: a group has one name.

The chart of the ratings shows each group by its name (``group_name``), falling back to its id
when the name is empty. A group is one ``group_id`` of one programme in one area and year; its
rows may leave the name empty (the name of its other rows is used), but two different names for
the same group would make it impossible to tell which one the chart should show, so the second
is refused with one sentence naming the file, row, column and value, and the row that named it first.
The caller passes its ``where`` (file and row numbering) and ``problems`` (the collector), so this
module imports neither (as :mod:`lagesbild_lib.data.plan_checks`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: The columns that make one group.
GROUP_KEY = ("year", "area_id", "programme", "group_id")


def _show(value) -> str:
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def check_group_names(frame: pd.DataFrame, where, problems) -> None:
    """Report a group whose rows give it different names (the first such row, with how many more).

    Parameters
    ----------
    frame
        The table, its columns parsed (:func:`~lagesbild_lib.data.validate.validate_frame`);
        rows with a bad key cell (already reported) are skipped.
    where
        The file and its row numbering (:class:`~lagesbild_lib.data.validate.Located`).
    problems
        Where the problem goes (:class:`~lagesbild_lib.data.validate.Problems`).
    """
    if "group_name" not in frame.columns or not set(GROUP_KEY) <= set(frame.columns):
        return
    names = frame["group_name"].astype("string").str.strip()
    named = names.notna() & (names != "") & frame[list(GROUP_KEY)].notna().all(axis=1)
    if not named.any():
        return
    part = frame.loc[named, list(GROUP_KEY)].assign(_name=names[named], _pos=np.flatnonzero(named.to_numpy()))
    first = part.groupby(list(GROUP_KEY), sort=False, dropna=False)[["_name", "_pos"]].transform("first")
    bad = part["_name"] != first["_name"]
    if not bad.any():
        return
    rows = np.flatnonzero(bad.to_numpy())
    at = int(part["_pos"].iloc[rows[0]])
    known, known_at = first["_name"].iloc[rows[0]], int(first["_pos"].iloc[rows[0]])
    group = frame.iloc[at]
    expected = (
        f"samma namn som på rad {where.row(known_at)} för gruppen '{group['group_id']}' i {group['programme']}, "
        f"{group['area_id']} {int(group['year'])} ({known!r}); en grupp har ett namn"
    )
    message = f"{where.path}, rad {where.row(at)}, kolumn 'group_name': värdet {_show(frame['group_name'].iloc[at])} är inte giltigt; förväntade {expected}"
    problems.add(message, key=(str(where.path), "group_name", "one-name"), more=len(rows) - 1, rows=" med ett annat namn på sin grupp")
