"""What a report is built from, as hashes: every contract data file, every params file and every
image a narrative slot shows (params ``narrative_figures``, e.g. the SÖK organisation chart).

The hashes go into the manifest (``inputs``), the report's key (a report whose inputs all equal
those of the report in place is not built again) and each chapter's cache key (a chapter is run
again when an image it shows has other bytes, though no params file changed).

Light at import: an up-to-date build reads only file hashes (memoised by file version).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from lagesbild_lib import paths
from lagesbild_lib.errors import ConfigError
from lagesbild_lib.params import ReportParams

#: The manifest's name of a slot's image: ``bild:<slot>:<file name>``.
FIGURE_PREFIX = "bild:"


def figure_path(file: str) -> Path:
    """A ``narrative_figures`` file as the chapters read it: relative to the project folder."""
    return Path(file) if Path(file).is_absolute() else paths.project_root() / file


def missing_figures(params: ReportParams) -> list[tuple[str, str]]:
    """``[(slot, file)]`` of the slots' images that are no readable file, in params order."""
    return [(slot, f.file) for slot, f in params.narrative_figures.items() if not _readable(figure_path(f.file))]


def missing_figure_sentence(slot: str, file: str) -> str:
    """One sentence naming the slot and the file of an image that cannot be read."""
    return (
        f"params: bilden till narrative.{slot} (narrative_figures.{slot}.file) finns inte eller kan inte läsas: {file} "
        f"(sökvägen räknas från projektmappen {paths.project_root()}); lägg filen där eller ta bort bilden"
    )


def _readable(path: Path) -> bool:
    try:
        with path.open("rb"):
            return path.is_file()
    except OSError:
        return False


def figure_hashes(params: ReportParams, file_hash=None) -> dict[str, str]:
    """``{"bild:<slot>:<file name>": sha256}`` of every slot's image.

    Raises
    ------
    ConfigError
        An image file that does not exist or cannot be read, named with its slot (exit code 2).
    """
    if file_hash is None:
        from lagesbild_lib.data.vcache import ValidationCache

        file_hash = ValidationCache().file_hash
    hashes = {}
    for slot, figure in params.narrative_figures.items():
        path = figure_path(figure.file)
        try:
            hashes[f"{FIGURE_PREFIX}{slot}:{path.name}"] = file_hash(path)
        except OSError:
            raise ConfigError(missing_figure_sentence(slot, figure.file)) from None
    return hashes


def input_hashes(data_dir: Path, params_files: list[Path], params: ReportParams | None = None) -> dict[str, str]:
    """``{file name: sha256}`` of every contract file and params file (memoised by file version),
    and, given ``params``, of every slot's image (:func:`figure_hashes`).

    Raises
    ------
    ConfigError
        A slot's image that cannot be read.
    """
    from lagesbild_lib.data.files import DEMO_MARKER, contract_files
    from lagesbild_lib.data.vcache import ValidationCache

    file_hash = ValidationCache().file_hash
    hashes = {f.name: file_hash(f) for f in contract_files(data_dir) if f.name != DEMO_MARKER}
    hashes.update({f"params:{p.name}": file_hash(p) for p in params_files})
    if params is not None:
        hashes.update(figure_hashes(params, file_hash))
    return hashes


def report_key(request, params: ReportParams, params_files: list[Path], hashes: dict[str, str], chapters) -> str:
    """Everything a whole report depends on: equal keys mean an identical report."""
    from lagesbild_lib.pipeline.cache import _sha, environment_fingerprint, library_fingerprint

    formats = f"docx={bool(getattr(request, 'docx', False))} pdf={bool(getattr(request, 'pdf', False))}"
    parts = ["report-v1", params.model_dump_json(), json.dumps(hashes, sort_keys=True), str(request.params_file or ""), formats]
    for chapter in chapters:
        parts += [chapter.path.name, chapter.path.read_bytes()]
    return _sha(*parts, library_fingerprint(), environment_fingerprint())


def chapter_figures(notebook: Path, params: ReportParams, hashes: dict[str, str]) -> dict[str, str]:
    """The images among ``hashes`` that the chapter ``notebook`` may show: those of the slots its
    code names (a chapter shows a slot's image with ``narrative.show_figure(ctx, "<slot>")``).

    Part of the chapter's cache key, so a new picture re-runs only the chapter that shows it.
    """
    if not params.narrative_figures:
        return {}
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):  # an unreadable notebook: every image (the build reports the notebook itself)
        named = set(params.narrative_figures)
    else:
        code = "\n".join("".join(c.get("source", "")) for c in cells if c.get("cell_type") == "code")
        named = {slot for slot in params.narrative_figures if re.search(rf"[\"']{re.escape(slot)}[\"']", code)}
    return {k: v for k, v in hashes.items() if k.startswith(FIGURE_PREFIX) and k[len(FIGURE_PREFIX):].split(":", 1)[0] in named}
