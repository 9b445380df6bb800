"""Building one report: check inputs, execute the chapters with papermill, stitch, move into place.

Nothing is written to the report folder until every chapter has run and the report is stitched:
the build happens in a temporary folder next to it that replaces it in one rename (DESIGN §5).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, paths
from .chapters import CHAPTER_PARAMETERS, Chapter, select_chapters
from .context import check_report_target, resolve_data_dir
from .data.dataset import DataSet, file_sha256
from .errors import ConfigError, ExecutionError, LagesbildError, OutputError
from .params import ReportParams, load_params

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


@dataclass
class ChapterResult:
    """How one chapter went."""

    chapter: Chapter
    status: str  # "ok" | "failed"
    seconds: float
    source: str  # "executed" | "reused"
    error: str = ""
    cell_index: int | None = None


@dataclass
class Prepared:
    """Inputs checked and resolved, before any kernel starts."""

    params: ReportParams
    params_files: list[Path]
    data: DataSet
    chapters: list[Chapter]
    selected: list[Chapter]
    out_root: Path
    report_dir: Path
    input_hashes: dict[str, str] = field(default_factory=dict)


def prepare(request: BuildRequest) -> Prepared:
    """Resolve params, data and chapters and validate every present table whole.

    Raises
    ------
    ConfigError, DataError
        Before anything is executed or written (exit code 2).
    """
    params, files = load_params(request.year, request.area, request.params_file)
    data = DataSet(resolve_data_dir(request.data_dir))
    data.validate_all()
    check_report_target(params, data)
    chapters = select_chapters(None)
    selected = select_chapters(list(request.chapters)) if request.chapters else chapters
    _check_declared_parameters(chapters)
    out_root = Path(request.out_dir).expanduser().resolve() if request.out_dir else paths.outputs_dir()
    hashes = data.input_hashes()
    hashes.update({f"params:{p.name}": file_sha256(p) for p in files})
    return Prepared(
        params=params,
        params_files=files,
        data=data,
        chapters=chapters,
        selected=selected,
        out_root=out_root,
        report_dir=paths.report_dir(out_root, params.year, params.area),
        input_hashes=hashes,
    )


def _check_declared_parameters(chapters: list[Chapter]) -> None:
    """Every chapter must declare exactly the parameters the build injects (no unknown, none missing)."""
    import papermill

    for chapter in chapters:
        declared = set(papermill.inspect_notebook(str(chapter.path)))
        if not declared:
            raise ConfigError(f"{chapter.path}: no cell tagged 'parameters'; every chapter needs one")
        missing = [p for p in CHAPTER_PARAMETERS if p not in declared]
        if missing:
            raise ConfigError(
                f"{chapter.path}: the parameters cell does not declare {', '.join(missing)}; "
                f"expected {', '.join(CHAPTER_PARAMETERS)}"
            )


def chapter_parameters(prep: Prepared, request: BuildRequest) -> dict[str, object]:
    """The parameters injected into every chapter."""
    return {
        "year": prep.params.year,
        "area": prep.params.area,
        "data_dir": str(prep.data.data_dir),
        "params_file": str(Path(request.params_file).resolve()) if request.params_file else "",
    }


def execute_chapter(chapter: Chapter, out_path: Path, parameters: dict[str, object]) -> ChapterResult:
    """Run one chapter notebook with papermill into ``out_path`` (kept also when it fails)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from .kernels import kernel_manager_class

    engine_kwargs = {"kernel_manager_class": kernel_manager_class()} if kernel_manager_class() else {}
    start = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(chapter.path),
            str(out_path),
            parameters=parameters,
            kernel_name="python3",
            progress_bar=False,
            cwd=str(chapter.path.parent),
            **engine_kwargs,
        )
    except PapermillExecutionError as exc:
        return ChapterResult(
            chapter, "failed", time.perf_counter() - start, "executed",
            error=f"{exc.ename}: {exc.evalue}", cell_index=exc.exec_count,
        )
    _normalise_executed(out_path)
    return ChapterResult(chapter, "ok", time.perf_counter() - start, "executed")


def _normalise_executed(path: Path) -> None:
    """Make an executed notebook reproducible: fixed cell ids, no timings in its metadata."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
        cell.metadata.pop("execution", None)
        pm = cell.metadata.get("papermill")
        if pm is not None:
            cell.metadata["papermill"] = {"status": pm.get("status", ""), "exception": pm.get("exception", False)}
    pm = nb.metadata.get("papermill", {})
    for key in ("start_time", "end_time", "duration", "input_path", "output_path", "environment_variables"):
        pm.pop(key, None)
    nbformat.write(nb, path)


def _reuse(chapter: Chapter, prev_dir: Path, out_path: Path) -> ChapterResult | None:
    """A chapter not asked for (``--chapter``) is taken from the last good report when it has it."""
    source = prev_dir / "chapters" / f"{chapter.stem}.ipynb"
    if not source.is_file():
        return None
    shutil.copy2(source, out_path)
    return ChapterResult(chapter, "ok", 0.0, "reused")


def run_chapters(prep: Prepared, request: BuildRequest, chapters_dir: Path, progress=None) -> list[ChapterResult]:
    """Execute (or reuse) every chapter into ``chapters_dir``, in parallel on ``workers`` kernels."""
    parameters = chapter_parameters(prep, request)
    todo: list[Chapter] = []
    results: dict[str, ChapterResult] = {}
    for chapter in prep.chapters:
        out_path = chapters_dir / f"{chapter.stem}.ipynb"
        reused = None if chapter in prep.selected else _reuse(chapter, prep.report_dir, out_path)
        if reused:
            results[chapter.stem] = reused
            if progress:
                progress(reused)
        else:
            todo.append(chapter)
    workers = request.workers or min(2, os.cpu_count() or 1)

    def run(chapter: Chapter) -> ChapterResult:
        result = execute_chapter(chapter, chapters_dir / f"{chapter.stem}.ipynb", parameters)
        if progress:
            progress(result)
        return result

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for result in pool.map(run, todo):
            results[result.chapter.stem] = result
    return [results[c.stem] for c in prep.chapters]


@dataclass
class BuildResult:
    """The outcome of one build."""

    report_dir: Path
    html: Path
    chapters: list[ChapterResult]
    seconds: float


def build_report(request: BuildRequest, progress=None, announce=None) -> BuildResult:
    """Build one report (``lagesbild build``).

    Raises
    ------
    ConfigError, DataError
        Bad parameters or data (nothing executed, nothing written).
    ExecutionError
        A chapter failed; its executed notebook is kept in ``<report>.failed/`` and the last good
        report is left in place.
    OutputError
        The output folder cannot be written.

    ``progress(result)`` is called as each chapter finishes; ``announce(prepared)`` once the inputs
    are checked, before any kernel starts.
    """
    start = time.perf_counter()
    prep = prepare(request)
    if announce:
        announce(prep)
    parent = prep.report_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{prep.params.area}.building-", dir=parent))
        work.chmod(0o755)  # mkdtemp makes it private; the report folder is shared like any other
    except OSError as exc:
        raise OutputError(f"{parent}: cannot write the report there ({exc.strerror}); choose another --out") from None
    try:
        (work / "chapters").mkdir()
        results = run_chapters(prep, request, work / "chapters", progress)
        failed = [r for r in results if r.status != "ok"]
        if failed:
            kept = _keep_failed(work, prep.report_dir)
            first = failed[0]
            raise ExecutionError(
                f"chapter {first.chapter.stem} failed in cell {first.cell_index}: {first.error} "
                f"(executed notebook with the error: {kept / 'chapters' / (first.chapter.stem + '.ipynb')}; "
                "the last good report was left in place)",
                chapter=first.chapter.stem,
                cell_index=first.cell_index,
            )
        from .stitch import write_report

        html = write_report(prep, results, work, seconds=time.perf_counter() - start)
        _move_into_place(work, prep.report_dir)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return BuildResult(prep.report_dir, prep.report_dir / html.name, results, time.perf_counter() - start)


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
    os.replace(work, report_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(report_dir.with_name(report_dir.name + ".failed"), ignore_errors=True)


def git_commit() -> str:
    """The project's git commit (with ``-dirty`` when the tree has changes), or '' when unknown."""
    import subprocess

    root = paths.project_root()
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5)
        if head.returncode != 0:
            return ""
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, timeout=5,
        )
        return head.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return ""


def now_iso() -> str:
    return dt.datetime.now().astimezone().replace(microsecond=0).isoformat()


def manifest_json(manifest: dict) -> str:
    return json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


__all__ = ["BuildRequest", "BuildResult", "build_report", "prepare", "LagesbildError", "__version__"]
