"""Showing results in a chapter: numbered tables, figures and maps, sentences and notes.

Each ``show_*`` function displays one HTML bundle in the notebook. Tables carry their data as
``application/vnd.lagesbild.table+json`` too, so the stitcher can write them to ``tabeller.xlsx``;
figures are embedded PNGs with alt text and their numbers as a table in a ``<details>`` element
(DESIGN §9). Captions carry an empty number (``<span class="lb-num">``) that the stitcher fills in
reading order over the whole report ("Tabell 3.").
"""

from __future__ import annotations

import base64
import html
import io
import math
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import pandas as pd

TABLE_MIME = "application/vnd.lagesbild.table+json"
#: A note the build also prints as a warning: a section found no rows for its area and year
#: although its table has rows for others (a filter that came up empty).
WARNING_MIME = "application/vnd.lagesbild.warning+json"
KINDS = ("Tabell", "Diagram", "Kartbild")
DEFINITE = {"Tabell": "tabellen", "Diagram": "diagrammet", "Kartbild": "kartbilden"}


def _display(bundle: dict[str, Any]) -> None:
    from IPython.display import display

    display(bundle, raw=True)


def caption_html(kind: str, caption: str) -> str:
    """A caption whose number the stitcher fills in: ``Tabell N. <caption>``."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    return (
        f'<figcaption><span class="lb-num" data-kind="{kind}">{kind}</span> '
        f"{html.escape(caption)}</figcaption>"
    )


def figure_block(kind_class: str, content: str, after: str = "") -> str:
    """A numbered table or figure: ``<figure>`` with its content and caption, and what follows
    the caption (a note, the numbers in ``<details>``) after the figure, all in one block.

    HTML allows a ``<figcaption>`` only as the first or last child of ``<figure>``, so the note
    and the data table, which read under the caption, cannot stay inside the figure.
    """
    return f'<div class="lb-figure {kind_class}"><figure>{content}</figure>{after}</div>'


def _shown_text(value: Any) -> str:
    """A cell of a shown table as text, as the HTML shows it (without the markup escaping)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "–"
    return str(value)


def _cell(value: Any) -> str:
    return html.escape(_shown_text(value))


def table_html(
    frame: pd.DataFrame, *, index: bool = False, numeric: Sequence[str] | None = None, css_class: str = "lb-table",
    nowrap: Sequence[str] = (), strong_rows: Sequence[int] = (),
) -> str:
    """A real HTML table with header cells and right-aligned numeric columns.

    Parameters
    ----------
    frame
        The table as it should be read (values already formatted as Swedish text, or numbers).
    index
        Show the index as the first column (a row header).
    numeric
        Columns to right-align; by default those whose name is not the first column.
    nowrap
        Columns whose cells must not wrap (short fixed wordings).
    strong_rows
        Row positions shown in bold (subtotals).
    """
    cols = list(frame.columns)
    if numeric is None:
        numeric = cols[1:] if not index else cols
    head = []
    if index:
        head.append(f'<th scope="col">{html.escape(str(frame.index.name or ""))}</th>')
    num_class = ' class="num"'
    head += [f'<th scope="col"{num_class if c in numeric else ""}>{html.escape(str(c))}</th>' for c in cols]
    classes = {c: " ".join(k for k, on in (("num", c in numeric), ("nowrap", c in nowrap)) if on) for c in cols}
    body = []
    for pos, (idx, row) in enumerate(zip(frame.index, frame.itertuples(index=False))):
        cells = []
        if index:
            cells.append(f'<th scope="row">{_cell(idx)}</th>')
        for c, v in zip(cols, row):
            if not index and c == cols[0]:
                cells.append(f'<th scope="row">{_cell(v)}</th>')
            else:
                cells.append(f'<td class="{classes[c]}">{_cell(v)}</td>' if classes[c] else f"<td>{_cell(v)}</td>")
        row_class = ' class="lb-subtotal"' if pos in strong_rows else ""
        body.append(f"<tr{row_class}>" + "".join(cells) + "</tr>")
    return (
        f'<table class="{css_class}"><thead><tr>{"".join(head)}</tr></thead>'
        f'<tbody>{"".join(body)}</tbody></table>'
    )


#: Columns of whole numbers that are labels, not amounts: no thousands separator (2 023 is wrong).
LABEL_NUMBER_COLUMNS = frozenset({"År", "Vecka", "Enkätår"})

#: Formats a figure's data columns can ask for (``Chart.formats``); a column not named there is
#: formatted by its type.
CELL_FORMATS = ("share", "pp", "pvalue", "int", "num1", "num2", "text", "label")


def _reader_cell(value: Any, how: str) -> str:
    from lagesbild_lib.present.fmt import MISSING, fmt_int, fmt_num, fmt_p, fmt_share, is_missing

    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if isinstance(value, (bool,)) or type(value).__name__ == "bool_":
        return "ja" if value else "nej"
    if how == "text" or isinstance(value, str):
        return str(value)
    if is_missing(value):
        return MISSING
    if how == "share":
        return fmt_share(value, 1)
    if how == "pp":
        return fmt_num(_decimal_percent(value), 1)
    if how == "pvalue":
        return fmt_p(value)
    if how == "label":
        return str(int(value))
    if how == "int":
        return fmt_int(value)
    if how == "num2":
        return fmt_num(value, 2)
    if how == "num1":
        return fmt_num(value, 1)
    # by type: whole numbers without decimals, other numbers with one
    if float(value).is_integer():
        return fmt_int(value)
    return fmt_num(value, 1)


def _decimal_percent(value: Any):
    from decimal import Decimal

    # in decimal, so that a gap of 0.0285 is 2.85 exactly and rounds half up like every share
    return Decimal(str(float(value))) * 100


def reader_frame(data: pd.DataFrame, formats: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The numbers behind a figure as the reader sees them: Swedish text in every cell.

    Parameters
    ----------
    data
        The raw numbers (as written to tabeller.xlsx).
    formats
        Per column one of :data:`CELL_FORMATS` (``share`` is a 0–1 share shown as a percent with
        one decimal, ``pp`` a difference of two shares in percentage points, ``pvalue`` "< 0,001"/"0,69"); other columns by their values: ja/nej for
        booleans, whole numbers with thousands separators (none for years and weeks), other
        numbers with one decimal, a dash when missing.

    Raises
    ------
    ValueError
        If a format is not one of :data:`CELL_FORMATS`.
    """
    formats = dict(formats or {})
    unknown = sorted(set(formats.values()) - set(CELL_FORMATS))
    if unknown:
        raise ValueError(f"unknown cell format(s) {unknown}; expected one of {CELL_FORMATS}")
    out = data.reset_index() if data.index.name else data.copy()
    for col in out.columns:
        how = formats.get(str(col)) or ("label" if str(col) in LABEL_NUMBER_COLUMNS else "")
        out[col] = [_reader_cell(v, how) for v in out[col].tolist()]
    return out


def _json_value(v: Any) -> Any:
    if v is None or v is pd.NA:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, (int, float, str, bool)):
        return v
    return str(v)


def table_payload(kind: str, caption: str, data: pd.DataFrame, shown: pd.DataFrame | None = None) -> dict[str, Any]:
    """The machine-readable form of a numbered table or figure data.

    ``columns``/``rows`` hold the raw numbers (compared by ``lagesbild diff``); ``shown_columns``/
    ``shown_rows`` the table exactly as the reader sees it (sums, intervals and wordings included),
    which is what ``tabeller.xlsx`` holds, row for row, with its numbers stored as numbers.
    """
    data = data.reset_index() if data.index.name else data
    payload = {
        "kind": kind,
        "caption": caption,
        "columns": [str(c) for c in data.columns],
        "rows": [[_json_value(v) for v in row] for row in data.itertuples(index=False)],
    }
    if shown is not None:
        shown = shown.reset_index() if shown.index.name else shown
        payload["shown_columns"] = [str(c) for c in shown.columns]
        payload["shown_rows"] = [[_shown_text(v) for v in row] for row in shown.itertuples(index=False)]
    return payload


def show_table(
    table: pd.DataFrame, caption: str, *, data: pd.DataFrame | None = None, note: str = "",
    numeric: Sequence[str] | None = None, nowrap: Sequence[str] = (), strong_rows: Sequence[int] = (),
) -> None:
    """Display a numbered table ("Tabell N.") with its caption under it.

    Parameters
    ----------
    table
        The table as the reader sees it (formatted).
    caption
        The caption, without the number.
    data
        The same table with raw numbers for tabeller.xlsx (defaults to ``table``).
    note
        A source or caveat line printed under the caption.
    numeric
        Columns to right-align (default: all but the first).
    """
    markup = table_html(table, numeric=numeric, nowrap=nowrap, strong_rows=strong_rows)
    show_table_html(markup, caption, data=table if data is None else data, note=note, shown=table)


def show_table_html(markup: str, caption: str, *, data: pd.DataFrame, note: str = "", shown: pd.DataFrame | None = None) -> None:
    """Display a numbered table whose HTML is already built (e.g. the coloured weekly grid);
    ``shown`` is the same table as text, when there is one (for the workbook)."""
    note_html = f'<p class="lb-note">{html.escape(note)}</p>' if note else ""
    figure = figure_block("lb-tablefig", markup + caption_html("Tabell", caption), note_html)
    payload = table_payload("Tabell", caption, data, shown)
    _display({"text/html": figure, TABLE_MIME: payload, "text/plain": f"Tabell. {caption}"})


def figure_png(fig, dpi: int = 100) -> bytes:
    """Render a matplotlib figure to PNG bytes, byte-stable (no software/date metadata)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None}, bbox_inches="tight", facecolor="white")
    return buf.getvalue()


def show_figure(
    fig, caption: str, alt: str, data: pd.DataFrame, *, kind: str = "Diagram", note: str = "",
    formats: Mapping[str, str] | None = None,
) -> None:
    """Display a numbered chart or map as an embedded PNG, with alt text and its numbers as a table.

    Parameters
    ----------
    fig
        A matplotlib Figure (closed after rendering).
    caption
        The caption, without the number.
    alt
        Alt text stating the figure's main finding in words.
    data
        The numbers behind the figure, shown in a ``<details>`` element for screen readers and print.
    kind
        ``Diagram`` or ``Kartbild``.
    formats
        How to show a column of ``data`` to the reader (see :func:`reader_frame`); the workbook
        keeps the raw numbers.
    """
    if not alt.strip():
        raise ValueError("every figure needs alt text")
    png = base64.b64encode(figure_png(fig)).decode("ascii")
    _close(fig)
    shown = reader_frame(data, formats)
    details = (
        f'<details class="lb-data"><summary>Siffrorna bakom {DEFINITE[kind]}</summary>'
        f"{table_html(shown)}</details>"
    )
    note_html = f'<p class="lb-note">{html.escape(note)}</p>' if note else ""
    image = f'<img src="data:image/png;base64,{png}" alt="{html.escape(alt, quote=True)}">'
    markup = figure_block(f"lb-{kind.lower()}", image + caption_html(kind, caption), note_html + details)
    _display({"text/html": markup, TABLE_MIME: table_payload(kind, caption, data, shown), "text/plain": f"{kind}. {caption}"})


def _close(fig) -> None:
    import matplotlib.pyplot as plt

    plt.close(fig)


def show_text(markdown_text: str) -> None:
    """Display generated Swedish text (Markdown, sanitised)."""
    from lagesbild_lib.present.markdown import render_markdown

    _display({"text/html": f'<div class="lb-text">{render_markdown(markdown_text)}</div>', "text/plain": markdown_text})


def show_missing(what: str, warning: bool = False) -> None:
    """Say plainly that something could not be shown because its data is missing; ``warning``:
    the build prints it too (the data are valid but hold nothing for this area and year)."""
    bundle = {"text/html": f'<p class="lb-missing">{html.escape(what)}</p>', "text/plain": what}
    if warning:
        bundle[WARNING_MIME] = {"message": what}
    _display(bundle)


def show_key_figures(items: Sequence[tuple[str, str]]) -> None:
    """A row of key figures (label, formatted value) as a definition list."""
    parts = "".join(f"<div><dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd></div>" for k, v in items)
    _display({"text/html": f'<dl class="lb-keyfigures">{parts}</dl>', "text/plain": "; ".join(f"{k}: {v}" for k, v in items)})


# --------------------------------------------------------------------------- pieces
# Chapter sections return these; the notebook shows them with ``show(...)``.


@dataclass(frozen=True)
class Table:
    """A numbered table: a formatted frame (or ready HTML) plus the numbers for Excel."""

    caption: str
    table: pd.DataFrame | None = None
    data: pd.DataFrame | None = None
    markup: str = ""
    note: str = ""
    numeric: tuple[str, ...] | None = None
    nowrap: tuple[str, ...] = ()
    strong_rows: tuple[int, ...] = ()


@dataclass(frozen=True)
class Chart:
    """A numbered chart or map with alt text and the numbers behind it."""

    figure: Any
    caption: str
    alt: str
    data: pd.DataFrame
    kind: str = "Diagram"
    note: str = ""
    formats: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Text:
    """Generated Swedish text or narrative from params (Markdown)."""

    markdown: str


@dataclass(frozen=True)
class Missing:
    """What could not be shown, said plainly; ``warning``: the build prints it as a warning too."""

    message: str
    warning: bool = False


@dataclass(frozen=True)
class KeyFigures:
    """A row of key figures."""

    items: tuple[tuple[str, str], ...]


def show(*pieces) -> None:
    """Display section pieces in order (None is skipped)."""
    for piece in pieces:
        if piece is None:
            continue
        if isinstance(piece, (list, tuple)):
            show(*piece)
        elif isinstance(piece, Table):
            if piece.markup:
                show_table_html(piece.markup, piece.caption, data=piece.data, note=piece.note)
            else:
                show_table(
                    piece.table, piece.caption, data=piece.data, note=piece.note,
                    numeric=piece.numeric, nowrap=piece.nowrap, strong_rows=piece.strong_rows,
                )
        elif isinstance(piece, Chart):
            show_figure(
                piece.figure, piece.caption, piece.alt, piece.data, kind=piece.kind, note=piece.note, formats=piece.formats
            )
        elif isinstance(piece, Text):
            show_text(piece.markdown)
        elif isinstance(piece, Missing):
            show_missing(piece.message, piece.warning)
        elif isinstance(piece, KeyFigures):
            show_key_figures(piece.items)
        else:
            raise TypeError(f"cannot show {type(piece).__name__}")
