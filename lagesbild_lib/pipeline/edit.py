"""Editing a chapter in JupyterLab for any year and area (``lagesbild edit``).

The committed notebook stays a clean template. ``lagesbild edit brottslighet --year 2022 --area
bromma`` writes a *working copy*, ``<out>/edit/2022/bromma/02_brottslighet.ipynb`` (``outputs/`` is
git-ignored), with papermill's ``injected-parameters`` cell after the untouched ``parameters``
cell: exactly the parameters ``lagesbild build`` injects for that report, so running the copy top
to bottom shows the same tables and figures as the built report. JupyterLab opens the copy; when
it is shut down, the analyst's changes to the cells (not outputs, not the injected cell) are
written back to ``notebooks/``, unless the template changed on disk in the meantime.
"""

from __future__ import annotations

import collections
import dataclasses
import importlib.util
import os
import re
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from lagesbild_lib import paths
from lagesbild_lib.pipeline.chapters import Chapter
from lagesbild_lib.errors import ConfigError, os_reason

INJECTED = "injected-parameters"
INJECTED_ID = "lagesbild-injected-parameters"
INJECTED_COMMENT = "Parametrar från lagesbild edit (ändras med lagesbild edit --year/--area, inte här)"
#: Cell metadata that JupyterLab, papermill or a run adds and that is not part of the chapter.
VOLATILE_METADATA = ("execution", "scrolled", "collapsed", "jupyter", "papermill", "ExecuteTime", "trusted")
INSTALL_HINT = (
    'JupyterLab är inte installerat: installera redigeringstillägget med  python -m pip install -e ".[edit]"  '
    "i projektmappen (eller make edit-install) och kör sedan lagesbild edit igen"
)


def jupyterlab_available() -> bool:
    """Whether JupyterLab (the optional ``edit`` extra) is installed in this environment."""
    return importlib.util.find_spec("jupyterlab") is not None


def working_copy_path(out_root: Path, year: int, area: str, chapter: Chapter) -> Path:
    """``<out>/edit/<year>/<area>/NN_name.ipynb``."""
    return Path(out_root) / "edit" / str(year) / area / chapter.path.name


def _sha(path: Path) -> str:
    from lagesbild_lib.data.files import file_sha256

    return file_sha256(path)


def chapter_cells(nb) -> list[dict]:
    """The cells that make the chapter: without the injected parameters, outputs, execution
    counts or run metadata (what is compared, and what is written back)."""
    cells = []
    for cell in nb.cells:
        if INJECTED in cell.get("metadata", {}).get("tags", []):
            continue
        metadata = {k: v for k, v in cell.get("metadata", {}).items() if k not in VOLATILE_METADATA}
        if metadata.get("tags") == []:
            metadata.pop("tags")
        clean = {"cell_type": cell["cell_type"], "id": cell.get("id"), "metadata": metadata, "source": _text(cell["source"])}
        if cell["cell_type"] == "code":
            clean.update(execution_count=None, outputs=[])
        elif cell.get("attachments"):
            clean["attachments"] = cell["attachments"]
        cells.append(clean)
    return cells


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else source


@dataclass(frozen=True)
class WorkingCopy:
    """A chapter's working copy and the template it was made from."""

    chapter: Chapter
    path: Path
    parameters: dict
    kept_changes: bool = False  # an earlier session's changes, not yet written back, were kept
    area_name: str = ""


def prepare_working_copy(chapter: Chapter, parameters: dict, path: Path) -> WorkingCopy:
    """Write the working copy of ``chapter`` with ``parameters`` injected after its parameters cell.

    An existing copy without changes of its own is replaced. One with changes from an earlier
    session that were not written back is kept (only its parameters are renewed) when the template
    has not changed since; otherwise nothing is written.

    Raises
    ------
    ConfigError
        The existing copy has changes of its own and the template changed since it was made.
    """
    import nbformat
    from papermill.parameterize import parameterize_notebook

    template = nbformat.read(chapter.path, as_version=4)
    base = template
    kept = False
    if path.is_file():
        existing = nbformat.read(path, as_version=4)
        if chapter_cells(existing) != chapter_cells(template):
            made_from = existing.metadata.get("lagesbild", {}).get("template_sha256")
            if made_from != _sha(chapter.path):
                raise ConfigError(
                    f"{path} har ändringar från en tidigare redigering som inte förts tillbaka, och "
                    f"{chapter.path} har ändrats sedan dess; kopiera det du behöver ur arbetskopian, ta bort den "
                    "och kör sedan lagesbild edit igen"
                )
            base, kept = existing, True
    base.metadata.setdefault("papermill", {})
    for cell in base.cells:
        cell.metadata.setdefault("tags", [])  # papermill looks for tags on every cell
    nb = parameterize_notebook(base, dict(parameters), comment=INJECTED_COMMENT)
    for cell in nb.cells:
        if INJECTED in cell.metadata["tags"]:
            cell["id"] = INJECTED_ID
        elif not cell.metadata["tags"]:
            del cell.metadata["tags"]
    nb.metadata["lagesbild"] = {"template": chapter.path.name, "template_sha256": _sha(chapter.path)}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return WorkingCopy(chapter, path, dict(parameters), kept)


def write_back(copy: WorkingCopy) -> str:
    """Write the analyst's changes in the working copy back to the chapter template.

    Only the cells go back (no outputs, no execution counts, no injected parameters); the
    template keeps its own notebook metadata. Nothing is written when nothing changed, or when the
    template changed on disk since the copy was made.

    Returns
    -------
    str
        One sentence saying what happened.
    """
    import nbformat

    template_path = copy.chapter.path
    if not copy.path.is_file():
        return f"Arbetskopian {paths.shown(copy.path)} finns inte längre; inget fördes tillbaka."
    template = nbformat.read(template_path, as_version=4)
    edited = nbformat.read(copy.path, as_version=4)
    cells, kept_parameters = _with_template_parameters(chapter_cells(edited), chapter_cells(template))
    note = (
        " Ändringen i parameters-cellen fördes inte tillbaka: den är mallens standardvärden; välj år och område "
        "med lagesbild edit --year/--area."
    ) if kept_parameters else ""
    if cells == chapter_cells(template):
        return f"Inga ändringar att föra tillbaka till {paths.shown(template_path)}.{note}"
    if edited.metadata.get("lagesbild", {}).get("template_sha256") != _sha(template_path):
        return (
            f"{paths.shown(template_path)} ändrades medan du redigerade, så dina ändringar fördes inte tillbaka; "
            f"de finns kvar i {paths.shown(copy.path)}."
        )
    template.cells = [nbformat.from_dict(c) for c in cells]
    nbformat.validate(template)
    nbformat.write(template, template_path)
    edited.metadata.setdefault("lagesbild", {})["template_sha256"] = _sha(template_path)
    nbformat.write(edited, copy.path)
    return f"Dina ändringar fördes tillbaka till {paths.shown(template_path)} (utan utdata).{note}"


def _with_template_parameters(cells: list[dict], template: list[dict]) -> tuple[list[dict], bool]:
    """``cells`` with the template's own ``parameters`` cell in place of the edited one (the
    committed defaults stay as they are); and whether the edited one differed."""
    original = next((c for c in template if "parameters" in c["metadata"].get("tags", [])), None)
    out, differed = [], False
    for cell in cells:
        if original is not None and "parameters" in cell["metadata"].get("tags", []):
            differed = differed or cell != original
            cell = original
        out.append(cell)
    return out, differed


def running_as_root() -> bool:
    """Whether this process runs as root (as it often does in a container)."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def jupyterlab_command(path: Path) -> list[str]:
    """The command that opens ``path`` in JupyterLab (started from this Python, so its kernel is
    this environment's, where lagesbild is installed). As root it adds ``--allow-root``, without
    which JupyterLab refuses to start."""
    root = paths.project_root()
    try:
        path.resolve().relative_to(root)
    except ValueError:
        root = path.resolve().parent
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}"]
    if running_as_root():
        command.append("--allow-root")
    return command + [str(path.resolve())]


#: A line JupyterLab logs once its server is up (it is "running at" an address).
STARTED_RE = re.compile(r"is running at|Serving notebooks from")
#: The level, time and source in front of a JupyterLab log line: ``[C 2025-01-01 10:00:00.000 ServerApp] ``.
LOG_PREFIX_RE = re.compile(r"^\[[A-Z] [^\]]*\]\s*")


@dataclass(frozen=True)
class LabExit:
    """How a JupyterLab session ended."""

    code: int
    reason: str = ""  # when it failed: its last critical or error log line (or last line said)
    started: bool = True  # whether its server came up at all


def run_jupyterlab(command: list[str]) -> LabExit:
    """Run JupyterLab in the foreground until it is shut down; its log still shows on stderr, and
    is read on the way to tell, if it fails, whether it ever started and why it stopped.

    Ctrl-C goes to JupyterLab, which asks for confirmation; this process waits for it to end.
    """
    try:
        proc = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, errors="replace", bufsize=1)
    except OSError as exc:
        return LabExit(127, f"{command[0]}: {os_reason(exc)}", started=False)
    tail: collections.deque[str] = collections.deque(maxlen=50)
    started = threading.Event()

    def relay() -> None:
        for line in proc.stderr:
            sys.stderr.write(line)
            sys.stderr.flush()
            tail.append(line.rstrip())
            if STARTED_RE.search(line):
                started.set()

    reader = threading.Thread(target=relay, name="lagesbild-jupyterlab-log", daemon=True)
    reader.start()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        code = proc.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
    reader.join(timeout=5)
    return LabExit(code, _failure_reason(list(tail)) if code else "", started.is_set())


def _failure_reason(lines: list[str]) -> str:
    """The last critical, else error, line of a JupyterLab log without its prefix; else its last line."""
    for level in ("[C ", "[E "):
        for line in reversed(lines):
            if line.startswith(level):
                return LOG_PREFIX_RE.sub("", line).strip()
    return next((line.strip() for line in reversed(lines) if line.strip()), "")


def lab_failure(copy: WorkingCopy, lab: LabExit) -> str:
    """One sentence for a JupyterLab that could not start or ended with an error: why, and that
    nothing was written back and where the working copy is."""
    why = f": {lab.reason.rstrip('.')}" if lab.reason else " och sa inte varför"
    where = paths.shown(copy.path)
    if not lab.started:
        return (
            f"JupyterLab kunde inte starta (felkod {lab.code}){why}; inget fördes tillbaka till "
            f"{paths.shown(copy.chapter.path)}, och arbetskopian finns kvar i {where}"
        )
    return (
        f"JupyterLab avslutades med fel (felkod {lab.code}){why}; inget fördes tillbaka till "
        f"{paths.shown(copy.chapter.path)}, men dina sparade ändringar finns kvar i arbetskopian {where} "
        "och tas med nästa gång du kör lagesbild edit för samma kapitel, år och område"
    )


@dataclass(frozen=True)
class EditRequest:
    """What to edit (the ``lagesbild edit`` options)."""

    chapter: str
    year: int | None = None
    area: str | None = None
    params_file: Path | None = None
    data_dir: Path | None = None
    out_dir: Path | None = None


def prepare_edit(request: EditRequest) -> WorkingCopy:
    """Check the chapter, params and data as a build would, and write the chapter's working copy
    with the parameters the build injects for that report.

    Raises
    ------
    ConfigError, DataError
        An unknown chapter, bad parameters or bad data (nothing written).
    """
    from lagesbild_lib.context import report_target
    from lagesbild_lib.pipeline.build import injected_parameters
    from lagesbild_lib.pipeline.chapters import select_chapters

    chapter = select_chapters([request.chapter])[0]
    target = report_target(request.year, request.area, request.params_file, request.data_dir)
    params, data = target.params, target.data
    parameters = injected_parameters(params, data.data_dir, request.params_file)  # as lagesbild build injects them
    out_root = paths.out_root(request.out_dir)
    copy = prepare_working_copy(chapter, parameters, working_copy_path(out_root, params.year, params.area, chapter))
    return dataclasses.replace(copy, area_name=data.areas.name(params.area))
