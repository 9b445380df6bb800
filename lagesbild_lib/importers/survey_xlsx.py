"""Survey result tables from Excel (or CSV) → ``survey``.

Two shapes are read, below any title rows:

*areas as rows* — a column Område (Stadsdel, Delområde …), then either a share column (Andel,
Andel (%), Procent) or one share column per answer or per group (Alla, Kvinnor, Män, 16–24 år),
and the respondents in a column (Antal svarande, n; or one per group: "Antal svarande kvinnor");
optional columns År, Undersökning, Fråga, Svar, Grupp;

*areas as columns* — the first column holds labels, one column per area; a row "Antal svarande"
(or "n") gives the respondents and the other rows the shares (one row: the answer ``ja``; several:
each row's label is an answer, or a group when it names one).

Shares are read as percent when the heading says so (%, procent) or any share is above 1, else as
fractions (``--share-unit`` decides when the table cannot). Year, survey name and question come from
their columns, else from ``--year``/``--survey``/``--question``, else from the title rows (the one
year in them; a question about feeling unsafe in the evening becomes ``otrygg_kvallstid``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from lagesbild_lib.errors import DataError
from lagesbild_lib.importers.names import AreaMatcher, name_key
from lagesbild_lib.importers.output import ImportResult, Target
from lagesbild_lib.importers.sheet import Sheet, cell_text, compact, header_roles, is_empty, read_sheet, title_text, year_in

ROLES = {
    "area": ("omrade", "stadsdel", "delomrade", "stadsdelsomrade", "geografiskt omrade", "area", "bostadsomrade", "kommun"),
    "year": ("ar", "year", "matar"),
    "survey": ("undersokning", "enkat", "survey", "matning"),
    "question": ("fraga", "question"),
    "answer": ("svar", "svarsalternativ", "answer"),
    "group": ("grupp", "kon", "group", "aldersgrupp"),
    "share": ("andel*", "procent", "share", "andel"),
}
RESPONDENT_WORDS = ("antal svarande", "svarande", "antal svar", "n", "respondents", "antal")
ALL_WORDS = {"alla", "totalt", "total", "samtliga", "bada konen", "alla svarande", "hela"}
WOMEN_WORDS = {"kvinnor", "kvinna", "k", "kvinnliga"}
MEN_WORDS = {"man", "m", "manliga"}  # name_key("Män") == "man"
ORIGIN = "trygghetsundersökning ({name}, importerad med lagesbild import survey)"


def group_name(text: object) -> str | None:
    """A heading or label that names a respondent group → the contract's group; else None.

    ``Alla``/``Totalt`` → ``alla``; ``Kvinnor`` → ``kvinnor``; ``Män`` → ``män``; ``16–24 år`` → ``16-24``.
    """
    key = name_key(text)
    if key in ALL_WORDS:
        return "alla"
    if key in WOMEN_WORDS:
        return "kvinnor"
    if key in MEN_WORDS:
        return "män"
    match = re.fullmatch(r"(\d{1,3})\s+(\d{1,3})(?:\s+ar)?", key)  # "16–24 år" (the dash became a space)
    if match:
        return f"{match.group(1)}-{match.group(2)}"
    match = re.fullmatch(r"(\d{1,3})(?:\s+ar)?\s+(?:och|eller)\s+aldre", key) or re.fullmatch(r"\s*(\d{1,3})\s*\+\s*(?:år)?\s*", str(text))
    if match:
        return f"{match.group(1)}+"
    return None


def question_id(text: str) -> str:
    """A question's text → its id: the standard ids where the text is about them, else a slug."""
    key = name_key(text)
    if re.fullmatch(r"[a-z0-9_]+", text.strip()):
        return text.strip()
    if "otrygg" in key and "kvall" in key:
        return "otrygg_kvallstid"
    if "oro" in key.split() or ("oroplats" in key) or ("oroar" in key and "plats" in key):
        return "oroplatser"
    return "_".join(key.split()[:8]) or "fraga"


def respondent_group(heading: str) -> str | None | bool:
    """For a respondents heading: the group it is for (``"alla"`` when none is named); False otherwise."""
    key = name_key(heading)
    for word in RESPONDENT_WORDS:
        if key == word:
            return "alla"
        if key.startswith(word + " "):
            rest = key[len(word) + 1:]
            return group_name(rest) or (False if word in ("n", "antal") else "alla")
    return False


class _Shares:
    """Parses share cells, percent or fraction for the whole table."""

    def __init__(self, sheet: Sheet, unit: str, percent_heading: bool):
        self.sheet, self.unit, self.percent_heading = sheet, unit, percent_heading
        self.values: list[tuple[int, str, object, float, bool]] = []

    def read(self, row: int, column: str, value: object) -> float | None:
        if is_empty(value):
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number, pct = float(value), False
        else:
            text = compact(value).replace(",", ".")
            pct = text.endswith("%")
            text = text.rstrip("%")
            if text in ("..", "-", "–"):
                return None
            try:
                number = float(text)
            except ValueError:
                raise self.sheet.bad(row, column, value, "en andel: procent (45,2 eller 45,2 %) eller en andel 0–1 (0,452)") from None
        self.values.append((row, column, value, number, pct))
        return number

    def scale(self) -> float:
        if self.unit == "percent":
            return 100.0
        if self.unit == "fraction":
            return 1.0
        if self.percent_heading or any(p for *_, p in self.values) or any(n > 1 for *_, n, _ in self.values):
            return 100.0
        return 1.0

    def check(self) -> None:
        scale = self.scale()
        for row, column, value, number, _ in self.values:
            if not 0 <= number / scale <= 1:
                expected = "procent 0–100" if scale == 100 else "en andel 0–1"
                raise self.sheet.bad(row, column, value, expected)


def _respondents(sheet: Sheet, row: int, column: str, value: object) -> int | None:
    if is_empty(value):
        return None
    text = compact(value)
    if not re.fullmatch(r"\d+(\.0+)?", text) or float(text) < 1:
        raise sheet.bad(row, column, value, "ett antal svarande (ett heltal, minst 1)")
    return int(float(text))


def import_survey(source: Path, target: Target, *, own_names: dict[str, str] | None = None, year: int | None = None,
                  survey: str | None = None, question: str | None = None, answer: str = "ja", group: str = "alla",
                  share_unit: str = "auto", sheet_name: str | None = None) -> ImportResult:
    """Read a survey results table into ``survey``.

    Raises
    ------
    DataError
        No area heading or area row, a share or respondent count that cannot be read, a share
        outside 0–100 % (or 0–1), a row without respondents, or no year or question to go by.
    """
    sheet = read_sheet(source, sheet_name)
    matcher = AreaMatcher(target.registry, prefer=("leaf", "stadsdelsomrade", "kommun"), own_names=own_names)
    head = _find_rows_header(sheet)
    if head is not None:
        records, title, shares = _areas_as_rows(sheet, head, matcher, answer, group, share_unit)
    else:
        head = _find_columns_header(sheet, matcher)
        if head is None:
            raise DataError(
                f"{sheet.path}: hittade varken en områdeskolumn (Område, Stadsdel, Delområde) eller en rad med områdesnamn "
                "bland de första 30 raderna; förväntade en tabell med en rad eller en kolumn per område"
            )
        records, title, shares = _areas_as_columns(sheet, head, matcher, answer, group, share_unit)
    shares.check()
    scale = shares.scale()
    result = ImportResult("survey", Path(source), ORIGIN.format(name=Path(source).name), unmatched=list(matcher.unmatched))
    year = year or year_in(title)
    name = survey or _survey_name(sheet, head, Path(source))
    question_text = question or _question_from(title)
    rows = []
    for r in records:
        if r["area_id"] is None:
            continue
        y = r.get("year") or year
        if y is None:
            raise DataError(f"{sheet.where(r['row'])}: enkätens år saknas; lägg till en kolumn År, ett år i rubriken, eller ange --year")
        q = r.get("question") or question_text
        if not q:
            raise DataError(f"{sheet.path}: frågan saknas; lägg till en kolumn Fråga eller ange --question (t.ex. otrygg_kvallstid)")
        if r["respondents"] is None:
            raise DataError(
                f"{sheet.where(r['row'], r['column'])}: antal svarande saknas för andelen; förväntade antalet svarande "
                "i en kolumn eller rad 'Antal svarande'"
            )
        rows.append({
            "year": int(y), "survey": r.get("survey") or name, "area_id": r["area_id"], "question": question_id(q),
            "answer": r["answer"], "group": r["group"], "respondents": r["respondents"], "share": round(r["share"] / scale, 6),
        })
    if not rows:
        raise DataError(
            f"{sheet.path}: inget av områdena matchade områdesregistret i {target.registry_data.data_dir} "
            f"({', '.join(repr(n) for n in matcher.unmatched[:5])}); förväntade namn som 'Vällingby', eller en namnlista med --names FIL"
        )
    frame = pd.DataFrame(rows, columns=["year", "survey", "area_id", "question", "answer", "group", "respondents", "share"])
    duplicated = frame.duplicated(["year", "survey", "area_id", "question", "answer", "group"])
    if duplicated.any():
        first = frame[duplicated].iloc[0]
        raise DataError(
            f"{sheet.path}: {target.registry.name(first['area_id'])!r} har två andelar för {first['question']}/{first['answer']}/{first['group']} {first['year']}; "
            "förväntade en andel per område, fråga, svar och grupp (finns ett område två gånger under olika namn?)"
        )
    result.tables["survey"] = frame
    result.notes += list(sheet.notes)
    result.notes.append("Andelarna lästes som procent." if scale == 100 else "Andelarna lästes som andelar 0–1.")
    return result


def _find_rows_header(sheet: Sheet) -> int | None:
    for i, row in enumerate(sheet.rows[:30]):
        if "area" in header_roles(row, ROLES):
            return i
    return None


def _find_columns_header(sheet: Sheet, matcher: AreaMatcher) -> int | None:
    for i, row in enumerate(sheet.rows[:30]):
        if sum(1 for c in row[1:] if matcher.lookup(cell_text(c))) >= 1:
            return i
    return None


def _areas_as_rows(sheet, head, matcher, answer, group, unit):
    names = [cell_text(c) for c in sheet.rows[head]]
    roles = header_roles(names, ROLES)
    used = set(roles.values())
    respondent_cols = {j: respondent_group(n) for j, n in enumerate(names) if j not in used and n and respondent_group(n) is not False}
    used |= set(respondent_cols)
    share_cols: dict[int, tuple[str | None, str | None]] = {}  # column → (answer, group) it fixes
    if "share" in roles:
        share_cols[roles["share"]] = (None, None)
    else:
        for j, n in enumerate(names):
            if j not in used and n:
                g = group_name(n)
                share_cols[j] = (None, g) if g else (n, None)
    if not share_cols:
        raise DataError(f"{sheet.where(head)}: ingen kolumn med andelar; förväntade en kolumn Andel (eller Andel (%)) eller en kolumn per svar eller grupp")
    percent_heading = any(("%" in names[j] or "procent" in name_key(names[j])) for j in share_cols)
    shares = _Shares(sheet, unit, percent_heading)
    records = []
    for i in range(head + 1, len(sheet.rows)):
        row = list(sheet.rows[i]) + [None] * (len(names) - len(sheet.rows[i]))
        area_name = cell_text(row[roles["area"]])
        if not area_name or not any(not is_empty(row[j]) for j in share_cols):
            continue
        area = matcher.match(area_name)
        fixed = {r: cell_text(row[roles[r]]) for r in ("year", "survey", "question", "answer", "group") if r in roles and cell_text(row[roles[r]])}
        if "year" in fixed and not re.fullmatch(r"(19|20|21)\d\d", fixed["year"]):
            raise sheet.bad(i, names[roles["year"]], row[roles["year"]], "ett år som 2023")
        respondents = {g: _respondents(sheet, i, names[j], row[j]) for j, g in respondent_cols.items()}
        for j, (col_answer, col_group) in share_cols.items():
            value = shares.read(i, names[j], row[j])
            if value is None:
                continue
            g = col_group or (group_name(fixed["group"]) or fixed["group"].lower() if "group" in fixed else group)
            records.append({
                "row": i, "column": names[j], "area_id": area, "year": int(fixed["year"]) if "year" in fixed else None,
                "survey": fixed.get("survey"), "question": fixed.get("question"),
                "answer": col_answer or fixed.get("answer") or answer, "group": g,
                "respondents": _respondents_for(respondents, g, names_group=col_group is not None), "share": value,
            })
    return records, title_text(sheet, head), shares


def _areas_as_columns(sheet, head, matcher, answer, group, unit):
    names = [cell_text(c) for c in sheet.rows[head]]
    areas = {j: matcher.match(n) for j, n in enumerate(names) if j > 0 and n}
    share_rows, respondents = [], {}
    for i in range(head + 1, len(sheet.rows)):
        row = list(sheet.rows[i]) + [None] * (len(names) - len(sheet.rows[i]))
        label = cell_text(row[0])
        if not label or not any(not is_empty(row[j]) for j in areas):
            continue
        who = respondent_group(label)
        if who is not False:
            for j in areas:
                respondents[(who, j)] = _respondents(sheet, i, names[j], row[j])
        else:
            share_rows.append((i, label, row))
    percent_heading = any("%" in label or "procent" in name_key(label) for _, label, _ in share_rows)
    shares = _Shares(sheet, unit, percent_heading)
    records = []
    single = len(share_rows) == 1
    for i, label, row in share_rows:
        g = group_name(label)
        for j, area in areas.items():
            value = shares.read(i, names[j], row[j])
            if value is None:
                continue
            row_group = g or group
            records.append({
                "row": i, "column": names[j], "area_id": area, "answer": answer if (single or g) else label, "group": row_group,
                "respondents": _respondents_for({k: v for (k, col), v in respondents.items() if col == j}, row_group, names_group=g is not None),
                "share": value,
            })
    return records, title_text(sheet, head), shares


def _respondents_for(respondents: dict[str, int | None], group: str, names_group: bool) -> int | None:
    """The respondents behind a share of ``group``: its own count, else (when the share's heading
    does not itself name a group) the table's one respondents column or row."""
    if group in respondents:
        return respondents[group]
    if not names_group and len(respondents) == 1:
        return next(iter(respondents.values()))
    return None


def _survey_name(sheet: Sheet, head: int, source: Path) -> str:
    """The first title line without its year (``Trygghetsmätning 2023`` → ``Trygghetsmätning``), else the file name."""
    for row in sheet.rows[:head]:
        for cell in row:
            text = cell_text(cell)
            if text and len(text) <= 80 and not _question_from(text):
                return re.sub(r"[\s,:–-]*(?:19|20|21)\d\d\s*$", "", text).strip() or text
    return source.stem


def _question_from(title: str) -> str | None:
    key = name_key(title)
    if ("otrygg" in key and "kvall" in key) or "oroplats" in key or ("oroar" in key and "plats" in key):
        return title
    return None
