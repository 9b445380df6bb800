"""Building one report: check inputs, execute the chapters with papermill, stitch, move into place.

Nothing is written to the report folder until every chapter has run and the report is stitched:
the build happens in a temporary folder next to it that replaces it in one rename (DESIGN §5).
Chapters come from the content-addressed cache (:mod:`lagesbild_lib.pipeline.cache`) when nothing they
read has changed, and run on warm kernels (:mod:`lagesbild_lib.pipeline.executor`) when it has. A build
whose inputs all equal those of the report already in place does nothing at all.

This module imports only light modules at the top: a build that finds the report up to date
never imports pandas, matplotlib, papermill or nbconvert.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from lagesbild_lib import __version__, paths
from lagesbild_lib.pipeline.chapters import CHAPTER_PARAMETERS, Chapter, list_chapters, select_chapters
from lagesbild_lib.pipeline.formats import FormatPlan, check_tools, plan_formats
from lagesbild_lib.pipeline.inputs import chapter_figures, input_hashes, report_key
from lagesbild_lib.pipeline.readiness import check_ready
from lagesbild_lib.report.manifest import manifest_json
from lagesbild_lib.errors import ConfigError, ExecutionError, LagesbildError, OutputError, os_reason
from lagesbild_lib.params import ReportParams, load_params

log = logging.getLogger("lagesbild")


@dataclass(frozen=True)
class BuildRequest:
    """What to build (the ``lagesbild build`` options)."""

    year: int | None = None
    area: str | None = None
    params_file: Path | None = None
    data_dir: Path | None = None
    out_dir: Path | None = None
    chapters: tuple[str, ...] = ()
    use_cache: bool = True
    workers: int = 0
    docx: bool | None = None  # True: write it; False: drop it; None: as the report in place (pipeline.formats)
    pdf: bool | None = None


@dataclass
class Prepared:
    """Inputs checked and resolved, before any kernel starts."""

    params: ReportParams
    params_files: list[Path]
    data: object  # DataSet (imported lazily)
    chapters: list[Chapter]
    selected: list[Chapter]
    out_root: Path
    report_dir: Path
    input_hashes: dict[str, str] = field(default_factory=dict)
    report_key: str = ""


def check_inputs(request: BuildRequest, loaded=None):
    """The report's :class:`~lagesbild_lib.context.ReportTarget`: params parsed, every present
    data table validated whole (cached per file version), the year and area available.

    ``loaded``: the params already loaded (by the up-to-date check), so they are read once.
    Raises ConfigError or DataError (exit code 2).
    """
    from lagesbild_lib.context import report_target

    return report_target(request.year, request.area, request.params_file, request.data_dir, loaded=loaded)


def prepare(request: BuildRequest, target=None) -> Prepared:
    """Resolve params, data and chapters and validate every present table whole.

    Raises
    ------
    ConfigError, DataError
        Before anything is executed or written (exit code 2).
    """
    target = target or check_inputs(request)
    params, files, data = target.params, list(target.params_files), target.data
    chapters = select_chapters(None)
    selected = select_chapters(list(request.chapters)) if request.chapters else chapters
    _check_declared_parameters(chapters)
    check_ready(params, [c.path for c in chapters])  # the status's sign-off; fastställd: every slot written, every {cite:…} known
    out_root = paths.out_root(request.out_dir)
    hashes = input_hashes(data.data_dir, files, params)  # with the slots' images
    return Prepared(
        params=params,
        params_files=files,
        data=data,
        chapters=chapters,
        selected=selected,
        out_root=out_root,
        report_dir=paths.report_dir(out_root, params.year, params.area),
        input_hashes=hashes,
        report_key=report_key(request, params, files, hashes, chapters),
    )


def _check_declared_parameters(chapters: list[Chapter]) -> None:
    """Every chapter must declare exactly the parameters the build injects (no unknown, none missing)."""
    import papermill

    for chapter in chapters:
        declared = set(papermill.inspect_notebook(str(chapter.path)))
        if not declared:
            raise ConfigError(f"{chapter.path}: ingen cell har taggen 'parameters'; varje kapitel behöver en")
        missing = [p for p in CHAPTER_PARAMETERS if p not in declared]
        if missing:
            raise ConfigError(
                f"{chapter.path}: parameters-cellen deklarerar inte {', '.join(missing)}; "
                f"förväntade {', '.join(CHAPTER_PARAMETERS)}"
            )


def injected_parameters(params: ReportParams, data_dir: Path, params_file: Path | None) -> dict[str, object]:
    """The parameters injected into every chapter (by ``lagesbild build`` and ``lagesbild edit``)."""
    return {
        "year": params.year,
        "area": params.area,
        "data_dir": str(data_dir),
        "params_file": str(Path(params_file).resolve()) if params_file else "",
    }


def chapter_parameters(prep: Prepared, request: BuildRequest) -> dict[str, object]:
    """The parameters injected into every chapter of this build."""
    return injected_parameters(prep.params, prep.data.data_dir, request.params_file)


def run_chapters(prep: Prepared, request: BuildRequest, chapters_dir: Path, runner, progress=None, last_use: bool = False):
    """Take every chapter from the cache or execute it on ``runner``; returns results in report order.

    ``last_use``: nothing else will run on ``runner`` (a build's own runner), so its kernels are
    shut down as soon as they are idle, while the last chapters run and the report is stitched.
    """
    from lagesbild_lib.pipeline.cache import ChapterCache, chapter_prekey
    from lagesbild_lib.data.vcache import ValidationCache
    from lagesbild_lib.pipeline.executor import ChapterResult

    parameters = chapter_parameters(prep, request)
    cache = ChapterCache()
    file_hash = ValidationCache().file_hash
    data_dir = prep.data.data_dir
    results: dict[str, ChapterResult] = {}
    pending = []
    for chapter in prep.chapters:
        out_path = chapters_dir / f"{chapter.stem}.ipynb"
        prekey = chapter_prekey(chapter.path, parameters, prep.params_files, chapter_figures(chapter.path, prep.params, prep.input_hashes))
        forced = bool(request.chapters) and chapter in prep.selected
        hit = cache.lookup(prekey, data_dir, file_hash) if request.use_cache and not forced else None
        if hit is not None:
            shutil.copyfile(hit, out_path)
            results[chapter.stem] = ChapterResult(chapter, "ok", 0.0, "cache")
            if progress:
                progress(results[chapter.stem])
        else:
            pending.append((chapter, prekey, runner.submit(chapter, out_path, parameters)))
    if last_use:
        runner.finish()
    for chapter, prekey, future in pending:
        result = future.result()
        if result.status == "ok":
            cache.store(prekey, data_dir, result.reads, chapters_dir / f"{chapter.stem}.ipynb", file_hash)
        results[chapter.stem] = result
        if progress:
            progress(result)
    return [results[c.stem] for c in prep.chapters]


@dataclass
class BuildResult:
    """The outcome of one build."""

    report_dir: Path
    html: Path
    chapters: list
    seconds: float
    up_to_date: bool = False
    plan: FormatPlan = FormatPlan()  # the Word/PDF versions written, kept from the report in place, removed


def up_to_date(request: BuildRequest, loaded=None) -> BuildResult | None:
    """The report already in place when every input equals the ones it was built from, else None.

    Uses only file hashes (memoised) and the manifest: no pandas, no kernel, no nbconvert.
    ``loaded``: the params as :func:`~lagesbild_lib.params.load_params` returned them.
    """
    if request.chapters or not request.use_cache:
        return None
    start = time.perf_counter()
    if loaded is None:
        try:
            loaded = load_params(request.year, request.area, request.params_file)
        except ConfigError:
            return None  # let the full path report it properly
    params, files = loaded
    from lagesbild_lib.data.files import DEMO_MARKER

    data_dir = Path(request.data_dir).expanduser().resolve() if request.data_dir else paths.demo_data_dir()
    if not (data_dir.is_dir() and (request.data_dir or (data_dir / DEMO_MARKER).is_file())):
        return None
    out_root = paths.out_root(request.out_dir)
    report_dir = paths.report_dir(out_root, params.year, params.area)
    try:
        manifest = json.loads((report_dir / "manifest.json").read_text(encoding="utf-8"))
        chapters = list_chapters()
    except (OSError, ValueError, LagesbildError):
        return None
    html = report_dir / paths.report_html_name(params.year, params.area)
    plan = plan_formats(request, report_dir, html.name, manifest)  # the Word/PDF versions in place count as asked for
    try:
        hashes = input_hashes(data_dir, files, params)
    except ConfigError:
        return None  # a slot's image is missing: the full path says so
    if manifest.get("report_key") != report_key(plan.resolve(request), params, files, hashes, chapters):
        return None
    from lagesbild_lib.data.vcache import ValidationCache

    file_hash = ValidationCache().file_hash
    for name, digest in manifest.get("outputs", {}).items():
        path = report_dir / name
        if not path.is_file() or file_hash(path) != digest:
            return None
    return BuildResult(report_dir, html, [], time.perf_counter() - start, up_to_date=True, plan=plan)


def build_report(request: BuildRequest, progress=None, announce=None, runner=None) -> BuildResult:
    """Build one report (``lagesbild build``).

    Parameters
    ----------
    request
        What to build.
    progress
        ``progress(result)`` is called as each chapter finishes.
    announce
        ``announce(prepared)`` is called once the inputs are checked, before any kernel starts.
    runner
        A :class:`~lagesbild_lib.pipeline.executor.ChapterRunner` to execute on (a batch shares one);
        by default the build makes its own and shuts its kernels down at the end.

    Raises
    ------
    ConfigError, DataError
        Bad parameters or data (nothing executed, nothing written).
    ExecutionError
        A chapter failed; its executed notebook is kept in ``<report>.failed/`` and the last good
        report is left in place.
    OutputError
        The output folder cannot be written.
    """
    start = time.perf_counter()
    loaded = load_params(request.year, request.area, request.params_file)  # read and merged once per build
    year, area = loaded[0].year, loaded[0].area
    report_dir = paths.report_dir(paths.out_root(request.out_dir), year, area)
    # the Word and PDF versions of the report in place are built again unless dropped explicitly
    plan = plan_formats(request, report_dir, paths.report_html_name(year, area))
    request = plan.resolve(request)
    current = up_to_date(request, loaded)
    if current is not None:
        from lagesbild_lib.report.signoff import check_signoff

        check_signoff(current.report_dir)  # a fastställd report in place whose inputs moved: warn again
        return current
    check_tools(plan, report_dir)  # a PDF to print and no Chromium: exit 2 before anything runs
    checked = check_inputs(request, loaded)  # bad params or data: exit 2 before any kernel starts
    _check_writable(paths.out_root(request.out_dir), checked.params)  # an unwritable --out: exit 2 before any kernel starts
    if runner is None:
        from lagesbild_lib.pipeline.executor import ChapterRunner, default_workers

        # Kernels start and warm up while the chapters are looked up and the cache consulted;
        # the build shuts them down when it ends, however it ends.
        with ChapterRunner(request.workers or default_workers(), paths.notebooks_dir()) as own:
            own.prestart(_kernels_likely_needed(request, checked.params, own.workers))
            return _build(request, start, progress, announce, own, checked, own_runner=True, plan=plan)
    return _build(request, start, progress, announce, runner, checked, plan=plan)


def _check_writable(out_root: Path, params: ReportParams) -> None:
    """Make sure a build folder can be made beside the report (by trying: permission bits do not
    tell, e.g. for root or on a read-only mount).

    Raises
    ------
    OutputError
        The output folder cannot be written (exit code 2).
    """
    parent = paths.report_dir(out_root, params.year, params.area).parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        os.rmdir(tempfile.mkdtemp(prefix=f".{params.area}.probe-", dir=parent))
    except OSError as exc:
        raise _output_error(parent, exc) from None


def _output_error(folder: Path, exc: OSError) -> OutputError:
    """One sentence for an output folder that cannot be written."""
    where = exc.filename if isinstance(exc.filename, str) and exc.filename else folder
    reason = os_reason(exc)
    return OutputError(
        f"{where}: rapporten kan inte skrivas där ({reason}); välj en annan mapp med --out"
        + (" eller frigör diskutrymme" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else "")
        + " (inget ersattes)"
    )


def _kernels_likely_needed(request: BuildRequest, params: ReportParams, workers: int) -> int:
    """How many kernels to start before knowing what the cache holds: one when re-running named
    chapters or rebuilding a report that exists (usually a few chapters changed), else all."""
    if request.chapters:
        return min(len(request.chapters), workers)
    out_root = paths.out_root(request.out_dir)
    exists = (paths.report_dir(out_root, params.year, params.area) / "manifest.json").is_file()
    return 1 if exists and request.use_cache else workers


def _preload_stitching() -> None:
    """Import what stitching needs while the kernels work (the main process is idle then)."""
    import threading

    def load() -> None:
        import nbconvert.exporters.html  # noqa: F401
        import openpyxl  # noqa: F401

    threading.Thread(target=load, name="lagesbild-preload", daemon=True).start()


def _build(request: BuildRequest, start: float, progress, announce, runner, checked, own_runner: bool = False, plan=FormatPlan()) -> BuildResult:
    prep = prepare(request, checked)
    _preload_stitching()
    log.debug("indata kontrollerade efter %.2f s", time.perf_counter() - start)
    if announce:
        announce(prep)
    from lagesbild_lib.report.signoff import check_signoff

    # a fastställd report: warn when its inputs differ from those it was signed off with
    signoff = check_signoff(prep.report_dir, prep.params.model_dump(mode="json"), prep.input_hashes)
    parent = prep.report_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{prep.params.area}.building-", dir=parent))
        work.chmod(0o755)  # mkdtemp makes it private; the report folder is shared like any other
    except OSError as exc:
        raise _output_error(parent, exc) from None
    try:
        (work / "chapters").mkdir()
        results = run_chapters(prep, request, work / "chapters", runner, progress, last_use=own_runner)
        log.debug("kapitlen klara efter %.2f s", time.perf_counter() - start)
        if any(r.status == "stopped" for r in results):
            raise KeyboardInterrupt  # Ctrl-C: the build folder goes, nothing is kept or replaced
        failed = [r for r in results if r.status != "ok"]
        if failed:
            first = failed[0]
            try:
                kept = f"den körda notebooken med felet: {_keep_failed(work, prep.report_dir) / 'chapters' / (first.chapter.stem + '.ipynb')}"
            except OSError as exc:  # e.g. a full disk: the error itself matters more
                shutil.rmtree(prep.report_dir.with_name(prep.report_dir.name + ".failed"), ignore_errors=True)
                kept = f"den körda notebooken kunde inte sparas ({os_reason(exc)})"
            where = f" i cell {first.cell_index}" if first.cell_index is not None else ""
            raise ExecutionError(
                f"kapitlet {first.chapter.stem} misslyckades{where}: {first.error} "
                f"({kept}; den senaste fungerande rapporten ligger kvar)",
                chapter=first.chapter.stem,
                cell_index=first.cell_index,
            )
        from lagesbild_lib.report.stitch import write_report

        try:
            with _stitch_turn(runner):  # a batch's scheduler hands out the turns (pipeline.schedule)
                html = write_report(prep, results, work, seconds=time.perf_counter() - start, request=request)
                _add_to_manifest(work / "manifest.json", {"report_key": prep.report_key})
                if signoff is not None:
                    signoff.record(work)  # keep (or start) manifest-faststalld.json beside the report
                log.debug("rapporten sammanfogad efter %.2f s", time.perf_counter() - start)
                _move_into_place(work, prep.report_dir)
        except OSError as exc:  # a full disk, a folder made read-only meanwhile
            raise _output_error(parent, exc) from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return BuildResult(prep.report_dir, prep.report_dir / html.name, results, time.perf_counter() - start, plan=plan)


def _stitch_turn(runner):
    """When to stitch: a batch's runner (pipeline.schedule.ReportRunner) decides; else now."""
    from contextlib import nullcontext

    return runner.stitching() if hasattr(runner, "stitching") else nullcontext()


def _add_to_manifest(path: Path, extra: dict) -> None:
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest.update(extra)
    path.write_text(manifest_json(manifest), encoding="utf-8")


def _keep_failed(work: Path, report_dir: Path) -> Path:
    """Keep a failed build's chapters beside the report, replacing an older failed build."""
    failed_dir = report_dir.with_name(report_dir.name + ".failed")
    shutil.rmtree(failed_dir, ignore_errors=True)
    shutil.copytree(work, failed_dir)
    return failed_dir


def _move_into_place(work: Path, report_dir: Path) -> None:
    """Replace the report folder by the finished build in (nearly) one step."""
    old = None
    if report_dir.exists():
        old = report_dir.with_name(f".{report_dir.name}.old-{os.getpid()}")
        os.replace(report_dir, old)
    try:
        os.replace(work, report_dir)
    except OSError:
        if old is not None:
            os.replace(old, report_dir)  # put the last good report back before reporting the error
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(report_dir.with_name(report_dir.name + ".failed"), ignore_errors=True)


__all__ = ["BuildRequest", "BuildResult", "build_report", "prepare", "LagesbildError", "__version__"]
