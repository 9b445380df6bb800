"""Stitching executed chapters into one report with nbconvert, and writing the report's files.

The chapters' outputs (never their code) are merged into one notebook and exported with the
``lagesbild`` template (no script, no external resource). Captions are numbered in reading order
over the whole report (each caption gets an id), cross-references ``{ref:label}`` are resolved
(:mod:`lagesbild_lib.report.xref`), headings are numbered (1, 1.1) and listed in the table of contents,
and the numbered tables go to ``tabeller.xlsx`` (and, when asked for, the report to Word and PDF).
"""

from __future__ import annotations

import html as htmlmod
import logging
import platform
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from lagesbild_lib import __version__, paths
from lagesbild_lib.errors import OutputError
from lagesbild_lib.present.fmt import fmt_date_long, fmt_period
from lagesbild_lib.report.merge import merge_chapters, numbered_payloads, section_warnings
from lagesbild_lib.report.citations import resolve_cites
from lagesbild_lib.report.xref import Targets, anchor_id, payloads_with_plain_refs, resolve_refs
from lagesbild_lib.sections.lagens_krav import fill as fill_requirements

log = logging.getLogger("lagesbild")

HEADING_RE = re.compile(r"<h([1-3])(?: id=\"[^\"]*\")?>(.*?)</h\1>", re.S)
#: Every numbered caption: tables, charts and maps (each with its numbers in tabeller.xlsx) and the
#: analysts' pictures of a narrative slot ("Figur N.", numbered apart, with no data of their own).
NUM_RE = re.compile(r'<span class="lb-num" data-kind="(Tabell|Diagram|Kartbild|Figur)">\1</span>')
NUMBERED_RE = re.compile(r'<span class="lb-num" id="[^"]*" data-kind="(Tabell|Diagram|Kartbild)">\1 (\d+)\.</span>')
TOC_MARK = "<!-- lagesbild:toc -->"
SOFTWARE = (
    "pandas", "numpy", "pyarrow", "matplotlib", "seaborn", "statsmodels", "scipy", "shapely", "pyproj",
    "papermill", "nbconvert", "nbformat", "nbclient", "ipykernel", "pydantic", "pyyaml", "babel",
    "markdown-it-py", "nh3", "openpyxl", "python-docx",
)
STATUS_SV = {"utkast": "Utkast", "granskad": "Granskad", "fastställd": "Fastställd"}


def number_captions(html: str) -> str:
    """Fill every caption's number ("Tabell 3.", "Figur 1.") in reading order, per kind, and give it
    an id (``lb-tabell-3``) that cross-references link to."""
    counters: dict[str, int] = {}

    def repl(match: re.Match) -> str:
        kind = match.group(1)
        counters[kind] = counters.get(kind, 0) + 1
        number = f"{kind} {counters[kind]}"
        return f'<span class="lb-num" id="{anchor_id(number)}" data-kind="{kind}">{number}.</span>'

    return NUM_RE.sub(repl, html)


def check_numbering(html: str, payloads: list[dict]) -> None:
    """The numbers in the page are those of ``tabeller.xlsx``: per kind 1, 2, 3 … with no gap,
    in the same order as the payloads.

    Raises
    ------
    OutputError
        A caption without its data, or data without a caption (a chapter built its output by hand).
    """
    shown = [f"{kind} {n}" for kind, n in NUMBERED_RE.findall(html)]
    expected = [p["number"] for p in payloads]
    if shown != expected:
        first = next((i for i, (a, b) in enumerate(zip(shown, expected)) if a != b), min(len(shown), len(expected)))
        raise OutputError(
            f"rapportens bildtexter ({len(shown)}) stämmer inte med dess numrerade tabeller och figurer ({len(expected)}) "
            f"från nummer {first + 1}; varje numrerad utdata måste visas med lagesbild_lib.present.pieces"
        )


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "avsnitt"


def add_toc(html: str, reserved: set[str] | None = None) -> str:
    """Number the headings in ``<main>`` (h1 "1", h2 "1.1"), give them unique ids and list them
    (h1, h2) with their numbers in the table of contents.

    ``reserved`` ids (e.g. those of numbered captions) are never given to a heading.
    """
    start = html.index("<main>")
    end = html.index("</main>")
    used: set[str] = {"titelsida", "innehall-rubrik", "proveniens"} | set(reserved or ())
    used |= set(re.findall(r'\bid="([^"]+)"', html[:start] + html[end:]))
    entries: list[tuple[int, str, str, str]] = []
    section = [0, 0]

    def repl(match: re.Match) -> str:
        level, inner = int(match.group(1)), match.group(2)
        inner = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", inner, flags=re.S)
        text = htmlmod.unescape(re.sub(r"<[^>]+>", "", inner)).strip()
        ident = base = _slug(text)
        n = 2
        while ident in used:
            ident, n = f"{base}-{n}", n + 1
        used.add(ident)
        number = ""
        if level == 1:
            section[0], section[1] = section[0] + 1, 0
            number = str(section[0])
        elif level == 2:
            section[1] += 1
            number = f"{section[0]}.{section[1]}"
        if number:
            entries.append((level, ident, number, text))
            inner = f'<span class="lb-secnum">{number}</span> {inner}'
        return f'<h{level} id="{ident}">{inner}</h{level}>'

    body = HEADING_RE.sub(repl, html[start:end])
    toc = _toc_list(entries) + '<p class="toc-end"><a href="#proveniens">Om rapporten</a></p>'
    return html[:start].replace(TOC_MARK, toc) + body + html[end:]


def _toc_list(entries: list[tuple[int, str, str, str]]) -> str:
    out, open_sub = ["<ol>"], False
    for level, ident, number, text in entries:
        link = f'<a href="#{ident}"><span class="lb-secnum">{number}</span> {htmlmod.escape(text)}</a>'
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
    """lagesbild, Python and the installed versions of the packages the report is made with."""
    versions = [("lagesbild", __version__), ("Python", platform.python_version())]
    for name in SOFTWARE:
        try:
            versions.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            continue
    return versions


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string: everything but letters, digits and spaces hex-escaped, so
    no value from params can end the string, the rule or the ``<style>`` element."""
    return '"' + "".join(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):x} " for ch in text) + '"'


@dataclass
class Stitched:
    """The stitched page and what was numbered and cross-referenced in it."""

    html: str
    payloads: list[dict]
    unresolved_refs: list[str]
    unresolved_cites: list[str] = field(default_factory=list)  # {cite:key} naming no source


def stitch_html(chapter_paths: list[Path], meta: dict) -> Stitched:
    """Export the merged chapters to one HTML page: numbered captions, resolved cross-references,
    numbered headings and the table of contents."""
    from nbconvert import HTMLExporter

    merged = merge_chapters(chapter_paths)
    fill_requirements(merged)  # "Lagens krav": from what the chapters rendered (sections.lagens_krav)
    payloads = numbered_payloads(merged)
    for chapter, message in section_warnings(merged):
        log.warning("Varning (%s): %s", chapter, message)
    css = (paths.templates_dir() / "lagesbild" / "report.css").read_text(encoding="utf-8")
    exporter = HTMLExporter(
        template_name="lagesbild",
        extra_template_basedirs=[str(paths.templates_dir())],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    dnr, line = meta.get("diarienummer", ""), meta.get("signoff_line", "")
    resources = {"lagesbild": {**meta, "css": css, "classification_css": css_string(meta.get("classification", "")),
                               "diarienummer_css": css_string(f"Dnr {dnr}" if dnr else ""), "signoff_css": css_string(line) if line else ""}}
    body, _ = exporter.from_notebook_node(merged, resources=resources)
    body = number_captions(body)
    check_numbering(body, payloads)
    head, sep, rest = body.partition("<body>")
    targets = Targets.from_numbered(payloads)
    rest, unresolved = resolve_refs(rest, targets)
    payloads = payloads_with_plain_refs(payloads, targets)  # the workbook's cells read as the page's
    if unresolved:
        log.warning("Varning: hänvisningar i rapporten som inte leder någonstans: %s", ", ".join(unresolved))
    rest, cites = resolve_cites(rest, meta.get("citations", {}))
    if cites:
        log.warning("Varning: källhänvisningar utan källa under sources i params: %s", ", ".join(dict.fromkeys(cites)))
    html = add_toc(head + sep + defuse_css_text(rest), reserved={p["anchor"] for p in payloads})
    return Stitched(html, payloads, unresolved, list(dict.fromkeys(cites)))


_CSS_FETCH_RE = re.compile(r"(?i)\b(url)\((?=\s*['\"]?\s*(?:https?:|//))|@(?=import\b)")


def defuse_css_text(html: str) -> str:
    """Text that merely *reads* like a CSS fetch ("url(https://…)", "@import") written with a
    character reference for its "(" or "@": the page shows the same, and no stylesheet or naive
    scanner can take it for a resource. The report's own CSS (in the head) is left alone."""
    return _CSS_FETCH_RE.sub(lambda m: f"{m.group(1)}&#40;" if m.group(1) else "&#64;", html)


def _param_text(value) -> str:
    """A parameter's value as the provenance table shows it: lists joined, ja/nej, a dash for none."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, (list, tuple)):
        return ", ".join(_param_text(v) for v in value) or "–"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_param_text(v)}" for k, v in value.items()) or "–"
    return str(value)


def signoff_facts(params) -> list[dict[str, str]]:
    """Each party's sign-off as the title page states it: ``{"label": "Fastställd av polisen",
    "text": "Per Ek, lokalpolisområdeschef, 5 februari 2024"}``, förvaltningen first. Only a party
    that has signed off (name and date) is named: the page never says "granskad" of a review that
    has not happened. "Fastställd" only at status fastställd, else "Granskad"."""
    verb = "Fastställd" if params.status == "fastställd" else "Granskad"
    return [
        {"label": f"{verb} av {party}", "text": ", ".join(x for x in (s.reviewed_by.strip(), s.role.strip(), fmt_date_long(s.reviewed_on)) if x)}
        for _, party, s in params.signoff.parties()
        if s.signed()
    ]


def signoff_line(params) -> str:
    """The sign-off in the running footer of every printed page (and the Word header):
    "Fastställd av förvaltningen 1 februari 2024 och polisen 5 februari 2024"; "" for a draft
    (its pages carry the UTKAST watermark instead) or when no party has signed off."""
    if params.status == "utkast":
        return ""
    signed = [f"{party} {fmt_date_long(s.reviewed_on)}" for _, party, s in params.signoff.parties() if s.signed()]
    if not signed:
        return ""
    return ("Fastställd av " if params.status == "fastställd" else "Granskad av ") + " och ".join(signed)


def report_meta(prep, build_time: str, commit: str) -> dict:
    """What the template shows on the title page and in the provenance section."""
    from lagesbild_lib.analysis.citations import cite_labels

    params = prep.params
    param_pairs = [
        (k, _param_text(v))
        for k, v in params.model_dump(mode="json", exclude={"narrative", "priority_areas", "local_priority_areas", "sources"}).items()
    ]
    param_pairs.append(("narrative", ", ".join(sorted(params.narrative)) or "–"))
    param_pairs.append(("params-filer", ", ".join(paths.shown(p) for p in prep.params_files)))
    param_pairs.append(("data", paths.shown(prep.data.data_dir)))
    software = software_versions() + ([("git commit", commit)] if commit else [])
    return {
        "title": params.title,
        "area_name": prep.data.areas.name(params.area),
        "year": params.year,
        "period": fmt_period(params.period_end_date().replace(month=1, day=1), params.period_end_date()),
        "parties": params.parties,
        "diarienummer": params.diarienummer_text(),
        "lokalpolisomrade": params.lokalpolisomrade,
        "citations": cite_labels(params.sources),
        "classification": params.classification,
        "status": STATUS_SV.get(params.status, params.status),
        "signoff": signoff_facts(params),
        "signoff_line": signoff_line(params),
        "demo": prep.data.is_demo,
        "version": __version__,
        "build_time": build_time,
        "parameters": param_pairs,
        "inputs": sorted(prep.input_hashes.items()),
        "software": software,
    }


def write_report(prep, results, work: Path, seconds: float, request=None) -> Path:
    """Write the HTML report, ``tabeller.xlsx`` and ``manifest.json`` into the build folder, and
    the Word and PDF versions when ``request.docx`` / ``request.pdf`` ask for them."""
    from lagesbild_lib.report.manifest import git_commit, manifest_json, now_iso
    from lagesbild_lib.data.files import file_sha256
    from lagesbild_lib.report.diff import content_summary
    from lagesbild_lib.report.excel import write_tables_xlsx

    params = prep.params
    build_time = now_iso()
    commit = git_commit()
    meta = report_meta(prep, build_time, commit)
    chapter_paths = [work / "chapters" / f"{r.chapter.stem}.ipynb" for r in results]
    stitched = stitch_html(chapter_paths, meta)
    html_path = work / paths.report_html_name(params.year, params.area)
    html_path.write_text(stitched.html, encoding="utf-8")
    payloads = stitched.payloads
    write_tables_xlsx(payloads, work / "tabeller.xlsx")
    outputs = [html_path, work / "tabeller.xlsx"]
    formats = [f for f in ("docx", "pdf") if getattr(request, f, False)]
    outputs += write_formats(html_path, docx="docx" in formats, pdf="pdf" in formats)
    manifest = {
        "lagesbild_version": __version__,
        "parameters": params.model_dump(mode="json"),
        "params_files": [paths.shown(p) for p in prep.params_files],
        "data_dir": str(prep.data.data_dir),
        "demo_data": prep.data.is_demo,
        "inputs": prep.input_hashes,
        "chapters": [
            {
                "chapter": r.chapter.stem,
                "status": r.status,
                "seconds": round(r.seconds, 2),
                "cache": "miss" if r.source == "executed" else "hit",
                "source": r.source,
            }
            for r in results
        ],
        "from_cache": [r.chapter.stem for r in results if r.source != "executed"],
        "content": content_summary(chapter_paths, payloads),  # for lagesbild diff: chapters, tables, key figures
        "numbered": [p["number"] + ". " + p["caption"] for p in payloads],
        "labels": {p["number"]: f"{p['chapter']}.{p['label']}" for p in payloads if p["label"]},
        "unresolved_refs": stitched.unresolved_refs,
        "unresolved_cites": stitched.unresolved_cites,
        "outputs": {p.name: file_sha256(p) for p in outputs},
        "formats": formats,  # the Word/PDF versions asked for: a later build writes them again (pipeline.formats)
        "git_commit": commit,
        "python": platform.python_version(),
        "software": dict(meta["software"]),
        "build_time": build_time,
        "seconds": round(seconds, 2),
    }
    (work / "manifest.json").write_text(manifest_json(manifest), encoding="utf-8")
    return html_path


def write_formats(html_path: Path, *, docx: bool = False, pdf: bool = False) -> list[Path]:
    """Write the Word and/or PDF version of the report ``html_path`` beside it
    (``lagesbild-<area>-<year>.docx`` / ``.pdf``); return the files written."""
    written = []
    if docx:
        from lagesbild_lib.report.docx import write_docx

        path = html_path.with_suffix(".docx")
        write_docx(html_path.read_text(encoding="utf-8"), path)
        written.append(path)
    if pdf:
        from lagesbild_lib.report.pdf import html_to_pdf

        path = html_path.with_suffix(".pdf")
        html_to_pdf(html_path, path)
        written.append(path)
    return written
