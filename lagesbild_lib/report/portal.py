"""The portal over a batch: ``<out>/index.html``, one offline page leading to every report built.

``lagesbild batch`` writes it at the end of every run (also a resumed one). It lists each
(year, area) of ``batch-summary.json`` with its build status, its key figures and links to the
report, its PDF and Word versions, its workbook and its public version (where built), and a
comparison table of the areas for the latest year: reported crimes per 1 000 inhabitants, the
evening unsafety share, weeks at level 4 or 5, each with its change since the year before in the
reports' own wording (DESIGN §8).

The figures are those each build wrote: the key-figure table "Förändringar sedan föregående
lägesbild" read from the report's executed chapters (its data columns: counts, shares, p-values),
never scraped from HTML text. The crime rate is the sum of the CompStat groups over the population,
its change tested with the same exact Poisson test as the reports.

The page has no external resource; a small inline script makes the tables sortable and
filterable, and without JavaScript they are plain tables.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from lagesbild_lib import paths
from lagesbild_lib.analysis.stats import poisson_change_test
from lagesbild_lib.present.fmt import fmt_int, fmt_num
from lagesbild_lib.present.text import change_wording
from lagesbild_lib.report.public import PUBLIC_DIR, public_html_name

CRIME_SUFFIX = " (anmälda brott i urval)"
POPULATION = "Folkmängd"
WEEKS = "Veckor med nivå 4 eller 5"
STATUS_SV = {"ok": "byggd", "up-to-date": "aktuell", "failed": "misslyckades", "missing": "inte byggd"}
FEW_CASES = "bygger på få fall"


@dataclass
class Figure:
    """One key figure of one report as the portal shows it."""

    shown: str = "–"  # the value as the reader sees it
    sort: float | None = None  # the value the column sorts by
    change: str = ""  # the change since the year before, in the reports' wording


@dataclass
class PortalEntry:
    """One (year, area) of the batch."""

    year: int
    area: str
    name: str
    status: str
    error: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # (text, relative href)
    crime_rate: Figure = field(default_factory=Figure)
    unsafe: Figure = field(default_factory=Figure)
    weeks: Figure = field(default_factory=Figure)
    period: str = ""


def key_figure_rows(report_dir: Path) -> dict[str, dict]:
    """The rows of the report's key-figure table ``{Nyckeltal: {column: value}}`` (data columns,
    plus the shown text under ``"shown"``), read from its executed chapters ({} when it has none)."""
    from lagesbild_lib.report.diff import KEY_FIGURES_LABEL
    from lagesbild_lib.report.merge import merge_chapters, numbered_payloads

    chapters = sorted((report_dir / "chapters").glob("*.ipynb"))
    for payload in numbered_payloads(merge_chapters(chapters)) if chapters else []:
        if payload.get("label") != KEY_FIGURES_LABEL:
            continue
        rows = {}
        shown = payload.get("shown_rows") or [None] * len(payload["rows"])
        for row, text in zip(payload["rows"], shown):
            record = dict(zip(payload["columns"], row))
            record["shown"] = dict(zip(payload.get("shown_columns", []), text or []))
            rows[str(record.get("Nyckeltal"))] = record
        return rows
    return {}


def _number(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def crime_rate(rows: dict[str, dict]) -> Figure:
    """Reported crimes (the CompStat groups) per 1 000 inhabitants, and the change in their
    number since the same period of the year before (exact Poisson test, as in the reports)."""
    groups = [r for label, r in rows.items() if label.endswith(CRIME_SUFFIX)]
    population = _number(rows.get(POPULATION, {}).get("Nu"))
    now = [_number(r.get("Nu")) for r in groups]
    before = [_number(r.get("Föregående")) for r in groups]
    if not groups or population in (None, 0) or None in now or None in before:
        return Figure()  # a group shown as "<N" (disclosure control) or no CompStat: no rate
    rate = 1000 * sum(now) / population
    test = poisson_change_test(int(sum(before)), int(sum(now)))
    change = change_wording(test.significant, test.diff)
    if test.few_cases and test.diff != 0:
        change += f"; {FEW_CASES}"
    return Figure(fmt_num(rate, 1), round(rate, 1), f"{fmt_int(test.before)} → {fmt_int(test.after)} brott: {change}")


def _tested(row: dict | None, shown_value: str, decimals: int) -> Figure:
    """A key figure with the test the report made of its change (its data columns)."""
    if not row or _number(row.get("Nu")) is None:
        return Figure()
    diff = _number(row.get("Förändring"))
    verdict = row.get("Statistiskt säkerställd")
    change = change_wording(verdict == "ja", diff, decimals=decimals) if verdict in ("ja", "nej") and diff is not None else ""
    return Figure(shown_value, float(row["Nu"]), change)


def unsafe_share(rows: dict[str, dict], label: str) -> Figure:
    """The evening unsafety share (with its interval as the report shows it) and its change."""
    row = rows.get(label)
    if not row:
        return Figure()
    figure = _tested(row, row.get("shown", {}).get("Nu") or "–", decimals=0)
    if figure.change:
        span = re.search(r"\d{4} → \d{4}$", str(row.get("Jämförelse", "")))  # the previous measurement may be years back
        figure.change = f"{row['shown'].get('Förändring', '')}{f' ({span.group(0)})' if span else ''}: {figure.change}".lstrip(": ")
    return figure


def weeks_at_four(rows: dict[str, dict]) -> Figure:
    """Weeks at level 4 or 5 ("31 av 44") and the report's test of their change."""
    row = rows.get(WEEKS)
    if not row:
        return Figure()
    figure = _tested(row, row.get("shown", {}).get("Nu") or fmt_int(row["Nu"]), decimals=0)
    if figure.change and row.get("shown", {}).get("Föregående"):
        figure.change = f"{row['shown']['Föregående']} året före: {figure.change}"
    return figure


def _links(out: Path, report_dir: Path, year: int, area: str) -> list[tuple[str, str]]:
    html = paths.report_html_name(year, area)
    found = [("Rapport (HTML)", html), ("PDF", Path(html).with_suffix(".pdf").name), ("Word", Path(html).with_suffix(".docx").name),
             ("Tabeller (Excel)", "tabeller.xlsx"), ("Offentlig version", f"{PUBLIC_DIR}/{public_html_name(year, area)}")]
    return [(text, (report_dir / name).relative_to(out).as_posix()) for text, name in found if (report_dir / name).is_file()]


class _Names:
    """Area names from each report's data folder (its area registry), read once per folder."""

    def __init__(self, fallback: Path | None = None) -> None:
        self._registries: dict[str, object] = {}
        self.fallback = str(fallback) if fallback else None

    def name(self, data_dir: str | None, area: str) -> str:
        """The area's name in the registry of ``data_dir`` (else of the batch's data); its id when unknown."""
        from lagesbild_lib.data.dataset import DataSet
        from lagesbild_lib.errors import LagesbildError

        data_dir = data_dir or self.fallback
        if not data_dir:
            return area
        if data_dir not in self._registries:
            try:
                self._registries[data_dir] = DataSet(Path(data_dir)).areas
            except (LagesbildError, OSError):
                self._registries[data_dir] = None
        registry = self._registries[data_dir]
        try:
            return registry.name(area) if registry is not None else area
        except LagesbildError:
            return area


def portal_entries(out: Path, summary: dict, data_dir: Path | None = None) -> list[PortalEntry]:
    """One entry per run of ``batch-summary.json`` (and per run it lists as missing); ``data_dir``:
    the batch's data, whose area registry names the areas of runs that left no report."""
    names = _Names(data_dir)
    runs = [dict(r) for r in summary.get("runs", [])]
    for missing in summary.get("missing", []):
        area, _, year = str(missing).rpartition(" ")
        if year.isdigit():
            runs.append({"year": int(year), "area": area, "status": "missing"})
    entries = []
    for run in runs:
        year, area = int(run["year"]), str(run["area"])
        report_dir = paths.report_dir(out, year, area)
        try:
            manifest = json.loads((report_dir / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = {}
        entry = PortalEntry(year, area, names.name(manifest.get("data_dir"), area), str(run.get("status", "")), str(run.get("error", "")))
        if manifest:
            entry.links = _links(out, report_dir, year, area)
            rows = key_figure_rows(report_dir)
            question = manifest.get("parameters", {}).get("survey_question", "otrygg_kvallstid")
            from lagesbild_lib.sections.facts import key_figure_label

            entry.crime_rate = crime_rate(rows)
            entry.unsafe = unsafe_share(rows, key_figure_label(question))
            entry.weeks = weeks_at_four(rows)
            entry.period = next((r.get("Jämförelse", "") for label, r in rows.items() if label.endswith(CRIME_SUFFIX)), "")
        entries.append(entry)
    return sorted(entries, key=lambda e: (-e.year, e.name))


def render_portal(entries: list[PortalEntry], summary: dict, build_time: str) -> str:
    """The portal page as HTML (the ``portal`` template)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(paths.templates_dir() / "portal")), autoescape=True,
        trim_blocks=True, lstrip_blocks=True,
    )
    built = [e for e in entries if e.links]
    latest = max((e.year for e in built), default=None)
    compared = sorted((e for e in built if e.year == latest), key=lambda e: e.name)
    counts = {k: sum(e.status == k for e in entries) for k in STATUS_SV}
    return env.get_template("index.html.j2").render(
        entries=entries, compared=compared, latest=latest, status_sv=STATUS_SV, counts=counts,
        years=sorted({e.year for e in entries}, reverse=True), build_time=build_time,
        css=(paths.templates_dir() / "portal" / "portal.css").read_text(encoding="utf-8"),
        script=(paths.templates_dir() / "portal" / "portal.js").read_text(encoding="utf-8"),
    )


def write_portal(out: Path, data_dir: Path | None = None) -> Path:
    """Write ``<out>/index.html`` from ``<out>/batch-summary.json`` and the reports' own files
    (``data_dir``: the batch's data folder, for the names of areas whose run left no report).

    Raises
    ------
    OutputError
        No batch summary to make it from, or the page cannot be written.
    """
    from lagesbild_lib.errors import OutputError, os_reason
    from lagesbild_lib.report.manifest import now_iso

    out = Path(out)
    try:
        summary = json.loads((out / "batch-summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OutputError(f"{out / 'batch-summary.json'}: portalen kan inte göras utan batchens sammanfattning ({exc})") from None
    page = render_portal(portal_entries(out, summary, data_dir), summary, now_iso())
    path = out / "index.html"
    tmp = out / ".index.html.tmp"
    try:
        tmp.write_text(page, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise OutputError(f"{path}: portalen kan inte skrivas ({os_reason(exc)})") from None
    return path
