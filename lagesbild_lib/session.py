"""Global state every chapter sets explicitly at its start, so its output never depends on which
kernel ran it or what ran before (matplotlib, seaborn, pandas options, random seeds)."""

from __future__ import annotations

import random

FONT_FAMILY = ["DejaVu Sans"]
SEED = 20230101


def setup_session() -> None:
    """Set matplotlib rcParams, the seaborn theme, pandas options and random seeds to fixed values."""
    import matplotlib

    matplotlib.rcdefaults()
    matplotlib.use("Agg", force=True)
    import numpy as np
    import pandas as pd
    import seaborn as sns

    sns.set_theme(context="notebook", style="whitegrid", palette="colorblind", font=FONT_FAMILY[0])
    matplotlib.rcParams.update(
        {
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "figure.figsize": (7.5, 4.0),
            "axes.titlesize": 12,
            "axes.labelsize": 10,
            "svg.hashsalt": "lagesbild",
            "axes.formatter.use_locale": False,
            "font.family": FONT_FAMILY,
        }
    )
    pd.set_option("display.max_columns", 50)
    pd.set_option("display.width", 120)
    random.seed(SEED)
    np.random.seed(SEED)
