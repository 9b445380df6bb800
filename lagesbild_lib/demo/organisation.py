"""The demo's organisation chart of the cooperation (SÖK): the picture an analyst would add to the
narrative slot ``samverkan_organisation`` (params ``narrative_figures``), drawn to match the demo's
example text: a steering group, under it the weekly operative group, under that three local groups.

The picture is committed as ``params/2023/sok-organisation.png`` (made with
``python -m lagesbild_lib.demo.organisation params/2023/sok-organisation.png``) so that the
Hässelby-Vällingby demo params show a slot figure the way a real report does; a real project keeps
its own image file (PNG, JPEG or SVG) anywhere in the project folder. The PNG is byte-identical for
the same matplotlib version (no timestamps or software tag in its metadata).
"""

from __future__ import annotations

from pathlib import Path

#: Boxes of the chart: (text, x, y) in axes coordinates; the edges run from a box to those below it.
_BOXES = (
    ("Styrgrupp\nstadsdelsdirektör och\nlokalpolisområdeschef", 0.5, 0.84),
    ("Operativ samverkansgrupp\nmöts varje vecka, gör den\ngemensamma lägesbedömningen", 0.5, 0.50),
    ("Skola", 0.17, 0.14),
    ("Fritid", 0.5, 0.14),
    ("Socialtjänst", 0.83, 0.14),
)
_EDGES = ((0, 1), (1, 2), (1, 3), (1, 4))

#: The alt text the demo params give the picture (the same content in words).
ALT_TEXT = (
    "Organisationsskiss över samverkan: överst en styrgrupp med stadsdelsdirektören och "
    "lokalpolisområdeschefen; under den en operativ samverkansgrupp som möts varje vecka och gör den "
    "gemensamma lägesbedömningen; under den tre lokala grupper för skola, fritid och socialtjänst."
)


def write_organisation_chart(path: Path) -> Path:
    """Draw the demo's organisation chart as a PNG at ``path`` and return the path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.0, 3.6), dpi=110)
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    for top, below in _EDGES:
        (_, x0, y0), (_, x1, y1) = _BOXES[top], _BOXES[below]
        ax.plot([x0, x0, x1, x1], [y0 - 0.1, (y0 + y1) / 2, (y0 + y1) / 2, y1 + 0.05], color="#4a4a4a", linewidth=1.2)
    for text, x, y in _BOXES:
        ax.text(
            x, y, text, ha="center", va="center", fontsize=9.5, color="#1a1a1a",
            bbox={"boxstyle": "round,pad=0.5", "facecolor": "#e8f0f7", "edgecolor": "#1f4e79", "linewidth": 1.2},
        )
    fig.tight_layout(pad=0.2)
    path = Path(path)
    fig.savefig(path, format="png", metadata={"Software": None})
    plt.close(fig)
    return path


if __name__ == "__main__":
    import sys

    print(write_organisation_chart(Path(sys.argv[1] if len(sys.argv) > 1 else "sok-organisation.png")))
