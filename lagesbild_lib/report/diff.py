"""Comparing two builds of a report (``lagesbild diff OLD NEW``), and the sign-off check.

A reviewer holding the circulated report asks why a rebuilt one differs. Every build's
``manifest.json`` records its inputs (SHA-256 of every data and params file), its parameters and,
under ``content``, a digest of each executed chapter and of each numbered table, chart and map
(the numbers behind it), and the key figures of "Förändringar sedan föregående lägesbild".
:func:`compare` lines two manifests up; :func:`format_diff` says what differs in plain Swedish.
For a report folder whose manifest predates ``content``, it is computed from ``chapters/``.

Sign-off: the first build of a report with ``status: fastställd`` keeps its manifest beside the
report as ``manifest-faststalld.json`` and every later build carries it over; a build whose inputs
differ from the signed-off ones warns (:func:`check_signoff`). A new name or date of either party's
sign-off (``signoff.forvaltning``, ``signoff.polis``) signs the report off again; a status other
than fastställd drops the record.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from lagesbild_lib.errors import ConfigError, os_reason

log = logging.getLogger("lagesbild")

SIGNED_MANIFEST = "manifest-faststalld.json"
#: The label (cell tag ``label:forandringar``) of the table whose rows are the report's key figures.
KEY_FIGURES_LABEL = "forandringar"
SKIPPED_TAGS = ("parameters", "injected-parameters")


# --------------------------------------------------------------------------- digests (written at build time)


_LETTERS = str.maketrans("0123456789abcdef", "abcdefghijklmnop")


def _digest(value) -> str:
    """The first 64 bits of the SHA-256 of ``value`` (as JSON), written with the letters a–p: enough
    to tell a change, and no digit in it that could be taken for a number of the report."""
    hexdigest = hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    return hexdigest[:16].translate(_LETTERS)


def chapter_digest(path: Path) -> str:
    """A digest (:func:`_digest`) of what a chapter shows: its cells' sources and outputs, without
    the parameters cells (the injected one names the data folder, which may move without changing
    anything)."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    shown = []
    for cell in nb.get("cells", []):
        if set(cell.get("metadata", {}).get("tags", [])) & set(SKIPPED_TAGS):
            continue
        outputs = [{k: o.get(k) for k in ("output_type", "data", "text", "ename", "evalue")} for o in cell.get("outputs", [])]
        source = cell.get("source", "")
        shown.append([cell.get("cell_type"), "".join(source) if isinstance(source, list) else source, outputs])
    return _digest(shown)


def content_summary(chapter_paths: list[Path], payloads: list[dict]) -> dict:
    """The ``content`` field of a manifest: chapter digests, numbered-output digests, key figures.

    Parameters
    ----------
    chapter_paths
        The executed chapter notebooks, in report order.
    payloads
        The numbered payloads of the stitched report (:func:`lagesbild_lib.report.stitch.numbered_payloads`).
    """
    tables = [
        {"number": p["number"], "caption": p["caption"], "digest": _digest([p.get("columns"), p.get("rows")])}
        for p in payloads
    ]
    return {
        "chapters": {Path(p).stem: chapter_digest(p) for p in chapter_paths},
        "tables": tables,
        "key_figures": key_figures(payloads),
    }


def key_figures(payloads: list[dict]) -> dict[str, dict]:
    """The report's key figures ``{label: {value, before, unit, comparison}}`` from the rows of the
    "Förändringar sedan föregående lägesbild" table ({} when the report has none)."""
    for p in payloads:
        if p.get("label") != KEY_FIGURES_LABEL:
            continue
        columns = p.get("columns", [])
        out = {}
        for row in p.get("rows", []):
            rec = dict(zip(columns, row))
            out[str(rec.get("Nyckeltal"))] = {
                "value": rec.get("Nu"), "before": rec.get("Föregående"), "unit": rec.get("Enhet"), "comparison": rec.get("Jämförelse"),
            }
        return out
    return {}


# --------------------------------------------------------------------------- reading builds


@dataclass
class Build:
    """One build: its manifest (and folder, when a report folder was given)."""

    source: Path
    manifest: dict
    folder: Path | None = None

    @property
    def content(self) -> dict | None:
        found = self.manifest.get("content")
        if found is None and self.folder is not None and (self.folder / "chapters").is_dir():
            found = self.manifest["content"] = _content_from_folder(self.folder)
        return found

    def describe(self) -> str:
        m = self.manifest
        p = m.get("parameters", {})
        parts = [f"{p.get('area', '?')} {p.get('year', '?')}", f"status {p.get('status', '?')}"]
        if m.get("build_time"):
            parts.append(f"byggd {m['build_time']}")
        return f"{self.source} ({', '.join(parts)})"


def _content_from_folder(folder: Path) -> dict:
    """``content`` of a report folder whose manifest predates it, from its executed chapters."""
    from lagesbild_lib.report.merge import merge_chapters, numbered_payloads

    chapter_paths = sorted((folder / "chapters").glob("*.ipynb"))
    return content_summary(chapter_paths, numbered_payloads(merge_chapters(chapter_paths)))


def load_build(path: Path) -> Build:
    """Read a build from its ``manifest.json`` or its report folder.

    Raises
    ------
    ConfigError
        The path is neither a readable manifest nor a folder holding one (exit code 2).
    """
    path = Path(path)
    folder = path if path.is_dir() else None
    manifest_path = path / "manifest.json" if folder else path
    if folder is not None and not manifest_path.is_file():
        raise ConfigError(f"{path}: ingen manifest.json i mappen; ange en rapportmapp (outputs/<år>/<område>/) eller en manifest.json")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: filen eller mappen finns inte; ange en rapportmapp eller en manifest.json") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{manifest_path}: kan inte läsas ({os_reason(exc) if isinstance(exc, OSError) else 'inte UTF-8'})") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{manifest_path}: inget manifest (ogiltig JSON på rad {exc.lineno}, position {exc.colno})") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("inputs"), dict) or not isinstance(manifest.get("parameters"), dict):
        raise ConfigError(f"{manifest_path}: inget manifest från lagesbild (förväntade nycklarna 'inputs' och 'parameters')")
    if folder is None and manifest_path.parent.joinpath("chapters").is_dir() and manifest_path.name == "manifest.json":
        folder = manifest_path.parent
    return Build(path, manifest, folder)


# --------------------------------------------------------------------------- comparing


@dataclass
class BuildDiff:
    """What differs between two builds. Each list holds (name, what happened, old, new)."""

    inputs: list[tuple[str, str, str, str]] = field(default_factory=list)
    input_count: int = 0
    params: list[tuple[str, str, object, object]] = field(default_factory=list)
    chapters: list[tuple[str, str]] = field(default_factory=list)
    chapter_count: int = 0
    chapters_known: bool = True
    tables: list[tuple[str, str]] = field(default_factory=list)
    table_count: int = 0
    key_figures: list[tuple[str, object, object, str]] = field(default_factory=list)
    key_figure_count: int = 0
    software: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return not (self.inputs or self.params or self.chapters or self.tables or self.key_figures)


def compare_hashes(old: dict[str, str], new: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """Files whose SHA-256 differs: ``(name, "ändrad"|"ny"|"borttagen", old, new)``, sorted by name."""
    out = []
    for name in sorted(set(old) | set(new)):
        a, b = old.get(name), new.get(name)
        if a == b:
            continue
        status = "ny" if a is None else "borttagen" if b is None else "ändrad"
        out.append((name, status, a or "", b or ""))
    return out


def _flatten(value, prefix: str = "") -> dict[str, object]:
    if isinstance(value, dict):
        out: dict[str, object] = {}
        for key, inner in value.items():
            out.update(_flatten(inner, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: value}


def compare(old: Build, new: Build) -> BuildDiff:
    """Line up two builds: inputs, parameters, chapters, numbered outputs, key figures, software."""
    diff = BuildDiff()
    diff.inputs = compare_hashes(old.manifest["inputs"], new.manifest["inputs"])
    diff.input_count = len(set(old.manifest["inputs"]) | set(new.manifest["inputs"]))
    a, b = _flatten(old.manifest["parameters"]), _flatten(new.manifest["parameters"])
    for key in sorted(set(a) | set(b)):
        if a.get(key, _MISSING) != b.get(key, _MISSING):
            status = "ny" if key not in a else "borttagen" if key not in b else "ändrad"
            diff.params.append((key, status, a.get(key), b.get(key)))
    old_content, new_content = old.content, new.content
    old_chapters = [c["chapter"] for c in old.manifest.get("chapters", [])]
    new_chapters = [c["chapter"] for c in new.manifest.get("chapters", [])]
    names = list(dict.fromkeys(old_chapters + new_chapters))
    diff.chapter_count = len(names)
    diff.chapters_known = old_content is not None and new_content is not None
    for name in names:
        if name not in new_chapters:
            diff.chapters.append((name, "borttaget"))
        elif name not in old_chapters:
            diff.chapters.append((name, "nytt"))
        elif diff.chapters_known and old_content["chapters"].get(name) != new_content["chapters"].get(name):
            diff.chapters.append((name, "ändrat"))
    if diff.chapters_known:
        diff.tables, diff.table_count = _compare_tables(old_content["tables"], new_content["tables"])
        diff.key_figures, diff.key_figure_count = _compare_key_figures(old_content["key_figures"], new_content["key_figures"])
    sa = {"lagesbild": old.manifest.get("lagesbild_version", ""), **old.manifest.get("software", {})}
    sb = {"lagesbild": new.manifest.get("lagesbild_version", ""), **new.manifest.get("software", {})}
    diff.software = [(k, str(sa.get(k, "–")), str(sb.get(k, "–"))) for k in sorted(set(sa) | set(sb)) if sa.get(k) != sb.get(k)]
    return diff


_MISSING = object()


def _compare_tables(old: list[dict], new: list[dict]) -> tuple[list[tuple[str, str]], int]:
    """Numbered outputs matched by caption (numbers shift when one is added): changed, new, gone."""

    def keyed(items):
        seen: dict[str, int] = {}
        out = {}
        for t in items:
            n = seen[t["caption"]] = seen.get(t["caption"], 0) + 1
            out[(t["caption"], n)] = t
        return out

    a, b = keyed(old), keyed(new)
    found = []
    for key, t in b.items():
        if key not in a:
            found.append((f"{t['number']}. {t['caption']}", "ny"))
        elif a[key]["digest"] != t["digest"]:
            found.append((f"{t['number']}. {t['caption']}", "ändrad"))
    found += [(f"{t['number']}. {t['caption']}", "borttagen") for key, t in a.items() if key not in b]
    return found, len(set(a) | set(b))


def _compare_key_figures(old: dict, new: dict) -> tuple[list[tuple[str, object, object, str]], int]:
    moved = []
    for label in list(dict.fromkeys([*new, *old])):
        a, b = old.get(label, {}), new.get(label, {})
        if a.get("value") != b.get("value"):
            moved.append((label, a.get("value"), b.get("value"), b.get("unit") or a.get("unit") or ""))
    return moved, len(set(old) | set(new))


# --------------------------------------------------------------------------- the text


def _value(value, unit: str) -> str:
    from lagesbild_lib.present.fmt import fmt_int, fmt_num

    if value is None:
        return "saknas"
    if isinstance(value, str):  # a masked count, "<5"
        return value
    if unit == "procent":
        return fmt_num(value, 1) + "\u00a0%"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return fmt_int(int(value))
    return fmt_num(value, 1)


def _param(value) -> str:
    if value is None:
        return "–"
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return repr(text) if len(text) <= 60 else f"text med {len(text)} tecken"


def _heading(title: str, differing: int, total: int | None = None) -> str:
    if not differing:
        return f"{title}: inga skillnader"
    return f"{title}: {differing} av {total} skiljer sig" if total else f"{title}: {differing} skiljer sig"


def format_diff(old: Build, new: Build, diff: BuildDiff) -> str:
    """What differs between two builds, in plain Swedish, one item per line."""
    lines = ["Jämför två byggen av lägesbilden", f"  gammal: {old.describe()}", f"  ny:     {new.describe()}", ""]
    lines.append(_heading("Indatafiler (SHA-256)", len(diff.inputs), diff.input_count))
    for name, status, a, b in diff.inputs:
        lines.append(f"  {status:<10} {name}" + (f"  {a[:12]}… → {b[:12]}…" if a and b else ""))
    lines.append(_heading("Parametrar", len(diff.params)))
    for key, status, a, b in diff.params:
        lines.append(f"  {status:<10} {key}: {_param(a)} → {_param(b)}")
    if diff.chapters_known or any(s != "ändrat" for _, s in diff.chapters):
        lines.append(_heading("Kapitel", len(diff.chapters), diff.chapter_count))
        lines += [f"  {status:<10} {name}" for name, status in diff.chapters]
    if not diff.chapters_known:
        lines.append("Kapitel, tabeller och nyckeltal: kan inte jämföras (ett manifest utan kontrollsummor för innehållet; "
                     "jämför rapportmapparna i stället, eller bygg om)")
    else:
        lines.append(_heading("Tabeller, diagram och kartbilder", len(diff.tables), diff.table_count))
        lines += [f"  {status:<10} {name}" for name, status in diff.tables]
        if diff.key_figure_count:
            lines.append(f"Nyckeltal som rört sig: {len(diff.key_figures)} av {diff.key_figure_count}" if diff.key_figures else "Nyckeltal: inga har rört sig")
            lines += [f"  {label}: {_value(a, unit)} → {_value(b, unit)}" for label, a, b, unit in diff.key_figures]
        else:
            lines.append("Nyckeltal: finns inte i byggena (avsnittet Förändringar sedan föregående lägesbild saknas)")
    lines.append(_heading("Programvara", len(diff.software)))
    lines += [f"  {name}: {a} → {b}" for name, a, b in diff.software]
    lines.append("")
    lines.append("Byggena är likvärdiga: samma indata, parametrar och innehåll." if diff.same else
                 "Skillnaderna ovan förklarar varför rapporterna skiljer sig.")
    return "\n".join(lines)
