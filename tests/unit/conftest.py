"""Fixtures of the unit tests."""

from __future__ import annotations

import pandas as pd
import pytest

from lagesbild_lib.data.areas import AreaRegistry


@pytest.fixture()
def registry() -> AreaRegistry:
    """A small three-level registry (stad → norr/söder → stadsdelar, one delområde below norr-b).

    Modules that need another shape define their own ``registry`` fixture, which wins.
    """
    return AreaRegistry(
        pd.DataFrame(
            {
                "area_id": ["stad", "norr", "norr-a", "norr-b", "norr-b1", "soder"],
                "name": ["Staden", "Norr", "Norr A", "Norr B", "Norr B ett", "Söder"],
                "level": ["kommun", "stadsdelsomrade", "stadsdel", "stadsdel", "delomrade", "stadsdelsomrade"],
                "parent_id": [None, "stad", "norr", "norr", "norr-b", "stad"],
            }
        )
    )
