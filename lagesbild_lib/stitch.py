"""Stitching executed chapters into one report with nbconvert, and writing the report's files.

The chapters' outputs (never their code) are merged into one notebook and exported with the
``lagesbild`` template (no script, no external resource). Captions are numbered in reading order
over the whole report, a table of contents is built from the headings, and the numbered tables
go to ``tabeller.xlsx``.
"""

from __future__ import annotations

import html as htmlmod
import platform
import re
import unicodedata
from importlib import metadata
from pathlib import Path

from . import __version__, paths
from .fmt import fmt_period
from .present import TABLE_MIME

HEADING_RE = re.compile(r"<h([1-3])(?: id=\"[^\"]*\")?>(.*?)</h\1>", re.S)
NUM_RE = re.compile(r'<span class="lb-num" data-kind="(Tabell|Diagram|Kartbild)">\1</span>')
TOC_MARK = "<!-- lagesbild:toc -->"
SOFTWARE = ("pandas", "matplotlib", "seaborn", "statsmodels", "scipy", "papermill", "nbconvert", "shapely")


def merge_chapters(chapter_paths: list[Path]):
    """One notebook of all chapters' markdown cells and display outputs, in order."""
    import nbformat

    merged = nbformat.v4.new_notebook()
    for path in chapter_paths:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            tags = cell.metadata.get("tags", [])
            if "parameters" in tags or "injected-parameters" in tags:
                continue
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.outputs if o.output_type in ("display_data", "execute_result")]
                if not cell.outputs:
                    continue
            elif cell.cell_type != "markdown":
                continue
            cell["id"] = f"{path.stem[:2]}-{len(merged.cells)}"
            merged.cells.append(cell)
    return merged


def numbered_payloads(merged) -> list[dict]:
    """The table payloads of every numbered output, numbered per kind in reading order."""
    counters: dict[str, int] = {}
    payloads = []
    for cell in merged.cells:
        for output in cell.get("outputs", []):
            payload = output.get("data", {}).get(TABLE_MIME)
            if payload is None:
                continue
            kind = payload["kind"]
            counters[kind] = counters.get(kind, 0) + 1
            payloads.append({**payload, "number": f"{kind} {counters[kind]}"})
    return payloads


def number_captions(html: str) -> str:
    """Fill every caption's number ("Tabell 3.") in reading order, per kind."""
    counters: dict[str, int] = {}

    def repl(match: re.Match) -> str:
        kind = match.group(1)
        counters[kind] = counters.get(kind, 0) + 1
        return f'<span class="lb-num" data-kind="{kind}">{kind} {counters[kind]}.</span>'

    return NUM_RE.sub(repl, html)


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "avsnitt"


def add_toc(html: str) -> str:
    """Give the headings in ``<main>`` unique ids and list them (h1, h2) in the table of contents."""
    start = html.index("<main>")
    end = html.index("</main>")
    used: set[str] = {"titelsida", "innehall-rubrik", "proveniens"}
    entries: list[tuple[int, str, str]] = []

    def repl(match: re.Match) -> str:
        level, inner = int(match.group(1)), match.group(2)
        inner = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", inner, flags=re.S)
        text = htmlmod.unescape(re.sub(r"<[^>]+>", "", inner)).strip()
        ident = base = _slug(text)
        n = 2
        while ident in used:
            ident, n = f"{base}-{n}", n + 1
        used.add(ident)
        if level <= 2:
            entries.append((level, ident, text))
        return f'<h{level} id="{ident}">{inner}</h{level}>'

    body = HEADING_RE.sub(repl, html[start:end])
    toc = _toc_list(entries) + '<p class="toc-end"><a href="#proveniens">Om rapporten</a></p>'
    return html[:start].replace(TOC_MARK, toc) + body + html[end:]


def _toc_list(entries: list[tuple[int, str, str]]) -> str:
    out, open_sub = ["<ol>"], False
    for level, ident, text in entries:
        link = f'<a href="#{ident}">{htmlmod.escape(text)}</a>'
        if level == 1:
            if open_sub:
                out.append("</ol></li>")
                open_sub = False
            elif len(out) > 1:
                out.append("</li>")
            out.append(f"<li>{link}")
        else:
            if not open_sub:
                out.append("<ol>")
                open_sub = True
            out.append(f"<li>{link}</li>")
    if open_sub:
        out.append("</ol>")
    if len(out) > 1:
        out.append("</li>")
    out.append("</ol>")
    return "".join(out)


def software_versions() -> list[tuple[str, str]]:
    versions = [("lagesbild", __version__), ("Python", platform.python_version())]
    for name in SOFTWARE:
        try:
            versions.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            continue
    return versions


def stitch_html(chapter_paths: list[Path], meta: dict) -> tuple[str, list[dict]]:
    """Export the merged chapters to one HTML page; return it and the numbered table payloads."""
    from nbconvert import HTMLExporter

    merged = merge_chapters(chapter_paths)
    payloads = numbered_payloads(merged)
    css = (paths.templates_dir() / "lagesbild" / "report.css").read_text(encoding="utf-8")
    exporter = HTMLExporter(
        template_name="lagesbild",
        extra_template_basedirs=[str(paths.templates_dir())],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(merged, resources={"lagesbild": {**meta, "css": css}})
    return add_toc(number_captions(body)), payloads


def write_report(prep, results, work: Path, seconds: float) -> Path:
    """Write the HTML report, ``tabeller.xlsx`` and ``manifest.json`` into the build folder."""
    from .build import git_commit, manifest_json, now_iso
    from .data.dataset import file_sha256
    from .excel import write_tables_xlsx

    params = prep.params
    registry = prep.data.areas
    build_time = now_iso()
    commit = git_commit()
    param_pairs = [
        (k, v if isinstance(v, str) else str(v))
        for k, v in params.model_dump(mode="json", exclude={"narrative", "priority_areas", "local_priority_areas", "sources"}).items()
    ]
    param_pairs.append(("params-filer", ", ".join(_shown_path(p) for p in prep.params_files)))
    param_pairs.append(("data", _shown_path(prep.data.data_dir)))
    software = software_versions() + ([("git commit", commit)] if commit else [])
    meta = {
        "title": params.title,
        "area_name": registry.name(params.area),
        "year": params.year,
        "period": fmt_period(params.period_end_date().replace(month=1, day=1), params.period_end_date()),
        "parties": params.parties,
        "diarienummer": params.diarienummer,
        "classification": params.classification,
        "status": params.status,
        "demo": prep.data.is_demo,
        "version": __version__,
        "build_time": build_time,
        "parameters": param_pairs,
        "inputs": sorted(prep.input_hashes.items()),
        "software": software,
    }
    chapter_paths = [work / "chapters" / f"{r.chapter.stem}.ipynb" for r in results]
    html, payloads = stitch_html(chapter_paths, meta)
    html_path = work / paths.report_html_name(params.year, params.area)
    html_path.write_text(html, encoding="utf-8")
    write_tables_xlsx(payloads, work / "tabeller.xlsx")
    manifest = {
        "lagesbild_version": __version__,
        "parameters": params.model_dump(mode="json"),
        "params_files": [_shown_path(p) for p in prep.params_files],
        "data_dir": str(prep.data.data_dir),
        "demo_data": prep.data.is_demo,
        "inputs": prep.input_hashes,
        "chapters": [
            {
                "chapter": r.chapter.stem,
                "status": r.status,
                "seconds": round(r.seconds, 2),
                "cache": "hit" if r.source == "reused" else "miss",
                "source": r.source,
            }
            for r in results
        ],
        "numbered": [p["number"] + ". " + p["caption"] for p in payloads],
        "outputs": {
            html_path.name: file_sha256(html_path),
            "tabeller.xlsx": file_sha256(work / "tabeller.xlsx"),
        },
        "git_commit": commit,
        "python": platform.python_version(),
        "build_time": build_time,
        "seconds": round(seconds, 2),
    }
    (work / "manifest.json").write_text(manifest_json(manifest), encoding="utf-8")
    return html_path


def _shown_path(path: Path) -> str:
    """A path relative to the project when it lies inside it (reports do not reveal home folders)."""
    try:
        return str(Path(path).resolve().relative_to(paths.project_root()))
    except ValueError:
        return str(path)
