"""Building the public version of a report (``lagesbild build --offentlig``, ``batch --offentlig``).

The public version goes beside the internal report, in ``<report>/offentlig/``: its own HTML
(``lagesbild-<area>-<year>-offentlig.html``), ``tabeller.xlsx``, ``chapters/`` and ``manifest.json``.
It is made from the internal report just built: chapters whose output cannot depend on what the
public version changes (see :func:`lagesbild_lib.report.public.must_rerun`) are taken from it as
they are; the others run again with the public params (through the chapter cache, so a second
public build runs nothing). What differs is described in :mod:`lagesbild_lib.report.public`.

Because a build replaces the whole report folder, an internal rebuild removes the public version
unless it is asked for again; ``lagesbild build`` asks for it again when the report in place has
one (like the Word and PDF versions), unless ``--no-offentlig``.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from lagesbild_lib import paths
from lagesbild_lib.errors import ConfigError, ExecutionError, LagesbildError
from lagesbild_lib.params import load_params
from lagesbild_lib.pipeline.build import BuildRequest, _output_error, prepare, run_chapters
from lagesbild_lib.report import public as pub

log = logging.getLogger("lagesbild")


@dataclass
class PublicResult:
    """The outcome of one public build."""

    folder: Path
    html: Path
    rerun: tuple[str, ...]  # chapters run again (or taken from the cache) with the public params
    reused: tuple[str, ...]  # chapters taken from the internal report as they are
    left_out: pub.LeftOut
    seconds: float
    up_to_date: bool = False


def public_folder(request: BuildRequest) -> Path:
    """``<out>/<year>/<area>/offentlig`` of the report ``request`` names."""
    params, _ = load_params(request.year, request.area, request.params_file)
    return paths.report_dir(paths.out_root(request.out_dir), params.year, params.area) / pub.PUBLIC_DIR


def has_public(request: BuildRequest) -> bool:
    """Whether the report in place has a public version (its manifest)."""
    try:
        return (public_folder(request) / "manifest.json").is_file()
    except LagesbildError:
        return False


def _derived_params_file(text: str, year: int, area: str) -> Path:
    """The public params written once per content, at a stable path (the chapter cache keys on
    the path and the bytes, so an unchanged public version is found in the cache)."""
    from lagesbild_lib.pipeline.cache import _sha

    folder = paths.cache_dir() / "offentlig"
    path = folder / f"{area}-{year}-{_sha(text)[:16]}.yml"
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    return path


def build_public(request: BuildRequest, runner=None) -> PublicResult:
    """Build the public version of the report in place (built by ``request`` just before).

    ``runner``: a shared :class:`~lagesbild_lib.pipeline.executor.ChapterRunner` (a batch); by
    default one is made for the chapters that run again.

    Raises
    ------
    ConfigError
        No internal report in place to make it from (exit code 2).
    ExecutionError
        A chapter failed with the public params (the internal report is left as it is).
    """
    from lagesbild_lib.pipeline.cache import _sha
    from lagesbild_lib.pipeline.executor import ChapterResult

    start = time.perf_counter()
    params, _ = load_params(request.year, request.area, request.params_file)
    report_dir = paths.report_dir(paths.out_root(request.out_dir), params.year, params.area)
    try:
        internal = json.loads((report_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ConfigError(f"{paths.shown(report_dir)}: ingen intern rapport att göra den offentliga versionen av; bygg den först") from None
    public = pub.public_params(params)
    text = pub.public_params_yaml(public)
    derived = _derived_params_file(text, params.year, params.area)
    key = _sha("public-v1", internal.get("report_key", ""), text)
    target = report_dir / pub.PUBLIC_DIR
    html_name = pub.public_html_name(params.year, params.area)
    current = _in_place(target, key)
    if current is not None:
        return PublicResult(target, target / html_name, (), (), pub.LeftOut(**current), time.perf_counter() - start, up_to_date=True)
    preq = dataclasses.replace(request, params_file=derived, chapters=(), docx=False, pdf=False)
    prep = prepare(preq)
    suppression, slots = pub.changed_settings(params, public)
    rerun = [
        c for c in prep.chapters
        if pub.must_rerun(c.path, suppression, slots) or not (report_dir / "chapters" / f"{c.stem}.ipynb").is_file()
    ]
    try:
        work = Path(tempfile.mkdtemp(prefix=".offentlig.building-", dir=report_dir))
        work.chmod(0o755)
    except OSError as exc:
        raise _output_error(report_dir, exc) from None
    try:
        chapters_dir = work / "chapters"
        chapters_dir.mkdir()
        results = {}
        for chapter in prep.chapters:
            if chapter not in rerun:
                shutil.copyfile(report_dir / "chapters" / f"{chapter.stem}.ipynb", chapters_dir / f"{chapter.stem}.ipynb")
                results[chapter.stem] = ChapterResult(chapter, "ok", 0.0, "internal")
        if rerun:
            sub = dataclasses.replace(prep, chapters=rerun, selected=rerun)
            results.update({r.chapter.stem: r for r in _run(sub, preq, chapters_dir, runner)})
        ordered = [results[c.stem] for c in prep.chapters]
        failed = [r for r in ordered if r.status != "ok"]
        if any(r.status == "stopped" for r in failed):
            raise KeyboardInterrupt
        if failed:
            raise ExecutionError(
                f"den offentliga versionen: kapitlet {failed[0].chapter.stem} misslyckades: {failed[0].error} "
                "(den interna rapporten ligger kvar som den var)", chapter=failed[0].chapter.stem, cell_index=failed[0].cell_index,
            )
        left_out = _write(prep, ordered, work, params, public, html_name, start, preq, key)
        _replace(work, target)
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise _output_error(report_dir, exc) from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    names = tuple(c.stem for c in rerun)
    reused = tuple(c.stem for c in prep.chapters if c not in rerun)
    return PublicResult(target, target / html_name, names, reused, left_out, time.perf_counter() - start)


def _run(prep, request, chapters_dir: Path, runner):
    if runner is not None:
        return run_chapters(prep, request, chapters_dir, runner)
    from lagesbild_lib.pipeline.executor import ChapterRunner, default_workers

    with ChapterRunner(request.workers or default_workers(), paths.notebooks_dir()) as own:
        return run_chapters(prep, request, chapters_dir, own, last_use=True)


def _write(prep, results, work: Path, params, public, html_name: str, start: float, request, key: str) -> pub.LeftOut:
    """Leave the internal sections out, stitch, add the title-page note, write the manifest."""
    from lagesbild_lib.data.files import file_sha256
    from lagesbild_lib.report.manifest import manifest_json
    from lagesbild_lib.report.stitch import write_report

    chapter_paths = [work / "chapters" / f"{r.chapter.stem}.ipynb" for r in results]
    dropped, unmatched = pub.drop_internal_sections(chapter_paths, list(params.internal_sections))
    for name in unmatched:
        log.warning("Varning: internal_sections nämner %r, men ingen rubrik i rapporten heter så; inget lämnades utanför för den", name)
    left_out = pub.LeftOut(tuple(dropped), tuple(sorted(set(params.narrative) & set(params.internal_narrative))), tuple(unmatched))
    written = write_report(prep, results, work, seconds=time.perf_counter() - start, request=request)
    page = pub.add_public_note(written.read_text(encoding="utf-8"), pub.public_note(left_out, public.suppress_below))
    html = work / html_name
    html.write_text(page, encoding="utf-8")
    written.unlink()
    manifest_path = work / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    outputs = {html.name: file_sha256(html), "tabeller.xlsx": file_sha256(work / "tabeller.xlsx")}
    manifest.update({
        "outputs": outputs,
        "formats": [],
        "public_key": key,
        "offentlig": {
            "suppress_below": public.suppress_below,
            "classification": public.classification,
            "left_out": dataclasses.asdict(left_out),
            "from_internal": [r.chapter.stem for r in results if r.source == "internal"],
        },
    })
    manifest_path.write_text(manifest_json(manifest), encoding="utf-8")
    return left_out


def _in_place(target: Path, key: str) -> dict | None:
    """The public version in place when it was made from the same internal report and params."""
    from lagesbild_lib.data.vcache import ValidationCache

    try:
        manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("public_key") != key:
        return None
    file_hash = ValidationCache().file_hash
    for name, digest in manifest.get("outputs", {}).items():
        if not (target / name).is_file() or file_hash(target / name) != digest:
            return None
    left = manifest.get("offentlig", {}).get("left_out", {})
    return {k: tuple(left.get(k, ())) for k in ("sections", "narrative", "unmatched")}


def _replace(work: Path, target: Path) -> None:
    """Put the finished public version in place of the old one."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        os.replace(target, old)
    try:
        os.replace(work, target)
    except OSError:
        if old.exists():
            os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def remove_public(request: BuildRequest) -> Path | None:
    """``--no-offentlig``: remove the public version in place; the folder removed, or None."""
    folder = public_folder(request)
    if not folder.is_dir():
        return None
    shutil.rmtree(folder)
    return folder


def public_versions_in_place(out: Path) -> set[tuple[int, str]]:
    """The (year, area) of every report below ``out`` that has a public version now."""
    found = set()
    for manifest in Path(out).glob(f"*/*/{pub.PUBLIC_DIR}/manifest.json"):
        year, area = manifest.parent.parent.parent.name, manifest.parent.parent.name
        if year.isdigit():
            found.add((int(year), area))
    return found


def public_in_batch(out: Path, data_dir: Path | None, use_cache: bool, workers: int, only: set | None) -> int:
    """After a batch: the public version of every report it built or found up to date (``only``:
    just those (year, area), e.g. the ones that had one). Returns 1 when any failed, else 0; a
    failure is reported and the others go on, as in the batch."""
    import sys

    from lagesbild_lib.pipeline.executor import ChapterRunner, default_workers

    try:
        summary = json.loads((Path(out) / "batch-summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    runs = [(r["year"], r["area"]) for r in summary.get("runs", []) if r.get("status") in ("ok", "up-to-date")]
    runs = [run for run in runs if only is None or tuple(run) in only]
    if not runs:
        return 0
    print(f"Offentliga versioner: {len(runs)} att bygga …", file=sys.stderr, flush=True)
    failed = 0
    with ChapterRunner(workers or default_workers(), paths.notebooks_dir()) as runner:
        for year, area in runs:
            request = BuildRequest(year=year, area=area, data_dir=data_dir, out_dir=out, use_cache=use_cache, workers=workers)
            try:
                done = build_public(request, runner=runner)
            except LagesbildError as exc:
                failed += 1
                print(f"  misslyckades: offentlig version {area} {year}: {exc}", file=sys.stderr, flush=True)
                continue
            print(f"  [ok ] offentlig version {area} {year}" + (" (redan aktuell)" if done.up_to_date else ""), file=sys.stderr, flush=True)
    return 1 if failed else 0


def after_build(request: BuildRequest, wanted: bool, drop: bool) -> list[str]:
    """``lagesbild build``'s last step: make (or keep) the public version, or remove it
    (``--no-offentlig``); returns what to tell the user."""
    if drop:
        removed = remove_public(request)
        return [f"Tog bort den offentliga versionen {removed}, som du bad om (--no-offentlig)."] if removed is not None else []
    if not wanted:
        return []
    done = build_public(request)
    if done.up_to_date:
        return [f"Den offentliga versionen är redan aktuell: {done.html}"]
    return [f"Offentlig version klar på {done.seconds:.1f} s ({len(done.rerun)} av {len(done.rerun) + len(done.reused)} kapitel "
            f"körda med offentliga params, övriga från den interna rapporten): {done.html}"]
