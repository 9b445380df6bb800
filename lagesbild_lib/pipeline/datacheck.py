"""``lagesbild check`` on a project folder that ``lagesbild init`` made, before its crime data.

``lagesbild init`` writes what it can know offline (areas, outlines, crime categories, the
kommungrupp, params); the crime data only the analyst can add. A check of such a folder is not a
check of broken data: every table and layer that is there is validated as usual, and instead of
the error "brottsdata saknas" the check lists, in Swedish, what is still needed before a report can
be built and the commands that add it (exit code 0 when what is there is valid, 2 otherwise).

How the check knows: the folder's ``sources.json`` records ``"importer": "init"`` for
``areas.csv`` (``lagesbild init`` wrote the area registry) and the folder has neither ``crimes``
nor ``crime_counts``. Any other folder without crime data keeps the ordinary check, where missing
crime data is an error (exit code 2), and ``lagesbild build`` refuses every folder without crime
data whoever made it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lagesbild_lib.data.read import find_table_file
from lagesbild_lib.data.schema import CRIME_TABLES
from lagesbild_lib.errors import DataError, LagesbildError

#: The ``importer`` that ``lagesbild init`` records in ``sources.json``.
INIT_IMPORTER = "init"


def made_by_init(data_dir: Path) -> bool:
    """True when ``sources.json`` says that ``lagesbild init`` wrote the folder's area registry."""
    from lagesbild_lib.data.origins import read_origins

    try:
        entry = read_origins(data_dir).get("areas.csv", {})
    except DataError:  # an unreadable sources.json: the ordinary check reports on the folder
        return False
    return entry.get("importer") == INIT_IMPORTER


def awaiting_crime_data(data_dir: str | Path | None) -> bool:
    """True for a folder that ``lagesbild init`` made and that has no crime data yet."""
    if not data_dir:
        return False  # the demo data
    folder = Path(data_dir).expanduser()
    if not folder.is_dir() or not made_by_init(folder):
        return False
    try:
        return all(find_table_file(folder, name) is None for name in CRIME_TABLES)
    except DataError:  # e.g. both crimes.csv and crimes.parquet: the ordinary check says so
        return False


@dataclass
class PendingCheck:
    """What the check of a new project folder found: the problems, else the rows of each file."""

    data_dir: Path
    messages: list[str] = field(default_factory=list)
    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    params_files: tuple[Path, ...] = ()
    area: str = ""
    year: int = 0
    kommun_code: str = ""


def check_new_project(year: int | None, area: str | None, params_file: str | Path | None, data_dir: str | Path) -> PendingCheck:
    """Validate the params and every table and layer present in a folder awaiting its crime data."""
    from lagesbild_lib.context import check_available, check_series_breaks, selections_of
    from lagesbild_lib.data.dataset import DataSet
    from lagesbild_lib.data.validate import LIMIT, Problems
    from lagesbild_lib.params import load_params

    folder = Path(data_dir).expanduser().resolve()
    out = PendingCheck(folder)
    problems = Problems()
    loaded = None
    if not params_file and not area:
        params_file = init_params_file(folder)
    try:
        loaded = load_params(year, area, params_file or None)
    except LagesbildError as exc:
        problems.add(str(exc))
    data = DataSet(folder, selections_of(loaded[0]) if loaded else None)
    try:
        out.counts = data.validate_all(require_crimes=False)
    except DataError as exc:
        problems.add(exc)
    if loaded is not None and not problems:
        try:
            check_available(data, [], [loaded[0].area])  # the area must be in the registry; no crime years yet
            check_series_breaks(loaded[0], data, loaded[1])
        except LagesbildError as exc:
            problems.add(str(exc))
    if loaded is not None:
        for message in _readiness(loaded[0]):
            problems.add(message)
    if problems:
        out.messages, out.total = problems.messages[:LIMIT], len(problems)
        return out
    out.params_files, out.area, out.year = tuple(loaded[1]), loaded[0].area, loaded[0].year
    out.kommun_code = _kommun_code(data, out.area)
    return out


def init_params_file(folder: Path) -> Path | None:
    """The params file ``lagesbild init`` wrote beside the data folder (``MAPP/params/<kommun>.yml``),
    when it is the only one there; None otherwise."""
    found = sorted((folder.parent / "params").glob("*.yml"))
    return found[0] if len(found) == 1 else None


def _readiness(params) -> list[str]:
    """What the report's status asks for beyond the data (as the ordinary check finds it)."""
    from lagesbild_lib.pipeline.chapters import list_chapters
    from lagesbild_lib.pipeline.readiness import readiness_problems

    try:
        return readiness_problems(params, [c.path for c in list_chapters()])
    except LagesbildError as exc:  # no chapter notebooks
        return [str(exc)]


def _kommun_code(data, area_id: str) -> str:
    """The official code of the report's kommun (the area or its nearest kommun ancestor), or ""."""
    kommun = data.areas.city_of(area_id)
    frame = data.table("areas")
    if kommun is None or "code" not in frame.columns:
        return ""
    codes = frame.loc[frame["area_id"] == kommun, "code"]
    return "" if codes.empty or codes.isna().all() else str(codes.iloc[0]).strip()


def next_steps(result: PendingCheck) -> list[str]:
    """The lines that say what a report still needs, with the commands that add it."""
    data = result.data_dir
    kommun = result.kommun_code or "KOD"
    params = " ".join(f"--params {f}" for f in result.params_files[-1:]) or "--params FIL"
    lines = [
        f"Ingen rapport kan byggas än: brottsdata saknas (crimes eller crime_counts i {data}). Lägg till dem, t.ex. en export ur Brås statistikdatabas:",
        f"  lagesbild import bra FIL --out {data}",
    ]
    have = set(result.counts)
    wanted = [(name, command) for name, command in (
        ("population", f"lagesbild fetch scb-befolkning --kommun {kommun} --out {data}"),
        ("indicators", f"lagesbild fetch kolada --kommun {kommun} --out {data}"),
    ) if not ({f"{name}.csv", f"{name}.parquet"} & have)]
    if wanted:
        lines.append("Befolkning och nyckeltal behövs för jämförelserna (valfria för en rapport):")
        lines.extend(f"  {command}" for _, command in wanted)
    lines.append(f"Kontrollera sedan igen: lagesbild check {params} --data {data}")
    return lines


def run_pending_check(args) -> int | None:
    """``lagesbild check`` for a folder that ``lagesbild init`` made and that has no crime data
    yet: print what was found and what is still needed; the exit code. None for any other folder
    (the ordinary check runs). For any folder init made, ``--data`` alone finds the params file
    init wrote beside it (``MAPP/params/<kommun>.yml``)."""
    import sys

    from lagesbild_lib.data.validate import count_line

    if args.data and not args.params and not args.area and made_by_init(Path(args.data).expanduser()):
        found = init_params_file(Path(args.data).expanduser().resolve())
        args.params = str(found) if found is not None else args.params  # the params init wrote beside the data
    if not awaiting_crime_data(args.data):
        return None
    result = check_new_project(args.year, args.area, args.params, args.data)
    if result.total:
        for message in result.messages:
            print(f"lagesbild: {message}", file=sys.stderr)
        print(count_line(result.total, len(result.messages)))
        return 2
    for name, rows in result.counts.items():
        unit = ("yta", "ytor") if name.endswith(".geojson") else ("rad", "rader")
        print(f"  {name:<28} {rows:>9} {unit[0] if rows == 1 else unit[1]}")
    files = ", ".join(str(f) for f in result.params_files)
    print(f"OK så långt: params ({files}) och data ({result.data_dir}) för {result.area} {result.year} har inga fel; "
          "mappen är skapad med lagesbild init och väntar på brottsdata.")
    for line in next_steps(result):
        print(line)
    return 0
