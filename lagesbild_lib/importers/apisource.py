"""What the SCB and Kolada connectors share: official region codes → area ids, the kommun list,
the saved download and the extra provenance in ``sources.json``.

**Region codes.** An area of ``areas.csv`` is found by its official code in a code column
(``code``, ``kod``, ``kommunkod``, ``regionkod``, ``scb_kod`` …, see
:data:`lagesbild_lib.importers.names.CODE_COLUMNS`), written as SCB writes it: riket ``00``,
län ``01``, kommun ``0180``, RegSO ``0180R001`` (2020 års indelning) or ``0180R001_RegSO2025``,
DeSO ``0180C1010`` (2018) or ``0180C1010_DeSO2025``. Without a code the area is found by its name;
riket also as the one area of level ``riket``. Kolada's ids are translated first: ``0000`` is
riket, ``00LL`` län LL, a four-digit id the kommun.

**RegSO/DeSO versions.** SCB revised both divisions in 2025; the new codes describe other
areas, so codes of one version are never matched to areas of the other. An area of the old
division has no value from :data:`NEW_DIVISION_FROM` on, one of the new division none before
it: such cells are missing (SCB's tables give 0 there), never 0.
"""

from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from lagesbild_lib import paths
from lagesbild_lib.data.files import ORIGINS_FILE
from lagesbild_lib.data.origins import read_origins
from lagesbild_lib.errors import DataError, os_reason
from lagesbild_lib.importers.names import AreaMatcher, codes_of, name_key

KOMMUNER_FILE = Path(paths.PACKAGE_DIR) / "resources" / "kommuner.csv"
#: The first statistical year of SCB's 2025 RegSO/DeSO division (the last of the old one is the year before).
NEW_DIVISION_FROM = 2024
OLD_VERSION = {"RegSO": "2020", "DeSO": "2018"}
SMALL_AREA = re.compile(r"^(\d{4}[A-Z]\d{3,4})(?:_(RegSO|DeSO)(\d{4}))?$")


@dataclass(frozen=True)
class SmallArea:
    """A RegSO or DeSO code split into its parts."""

    base: str
    kind: str  # "RegSO" | "DeSO"
    version: str  # "2018", "2020" or "2025"

    def exists_in(self, year: int) -> bool:
        """Whether the area of this division has statistics for ``year``."""
        return year >= NEW_DIVISION_FROM if self.version >= "2025" else year < NEW_DIVISION_FROM


def small_area(code: str) -> SmallArea | None:
    """``0114R001_RegSO2025`` → SmallArea("0114R001", "RegSO", "2025"); a kommun or län code → None."""
    match = SMALL_AREA.match(str(code).strip())
    if not match:
        return None
    base, kind, version = match.groups()
    kind = kind or ("RegSO" if base[4] == "R" else "DeSO")
    return SmallArea(base, kind, version or OLD_VERSION[kind])


def kolada_to_scb(municipality: str) -> str:
    """Kolada's municipality id as SCB's region code: ``0000`` → ``00``, ``0001`` → ``01``, ``1880`` → ``1880``."""
    text = str(municipality).strip()
    if text == "0000":
        return "00"
    if len(text) == 4 and text.startswith("00") and text.isdigit():
        return text[2:]
    return text


def kommun_codes(target) -> list[str]:
    """The kommun codes (four digits) of the target's area registry: the report's kommun and the
    others of its kommungrupp that ``lagesbild init`` writes (for the comparison per 100 000 inv.)."""
    return sorted(c for c in (str(c).strip() for c in codes_of(target.areas_frame)) if len(c) == 4 and c.isdigit())


class RegionMap:
    """Official region codes (and their labels) → area ids of the registry."""

    def __init__(self, target, own_names: dict[str, str] | None = None):
        self.registry = target.registry
        self.codes = {str(c).strip(): a for c, a in codes_of(target.areas_frame).items()}
        self.matcher = AreaMatcher(target.registry, prefer=("kommun", "lan", "riket", "leaf"), own_names=own_names)
        self.unmatched: list[str] = []

    def registry_versions(self) -> dict[str, set[str]]:
        """``{"RegSO": {"2020"}, …}``: the divisions the registry's codes are of."""
        out: dict[str, set[str]] = {}
        for code in self.codes:
            part = small_area(code)
            if part is not None:
                out.setdefault(part.kind, set()).add(part.version)
        return out

    def area(self, code: str, label: str = "") -> str | None:
        """The area id for a region code (its label as fallback), or None (remembered in :attr:`unmatched`)."""
        code = str(code).strip()
        if code in self.codes:
            return self.codes[code]
        if small_area(code) is None:  # a small area is matched by its code only: names repeat across versions
            if code == "00":
                top = [a for a in self.registry.ids if self.registry.get(a).level == "riket"]
                if len(top) == 1:
                    return top[0]
            if label:
                found = self.matcher.lookup(label)
                if found is not None:
                    return found
        shown = f"{code} {label}".strip() if label and name_key(label) != name_key(code) else code
        if shown not in self.unmatched:
            self.unmatched.append(shown)
        return None


def kommun_row(text: str) -> dict[str, str]:
    """The kommun (code, name, län) from the bundled list, by code or name (case and diacritics ignored).

    Raises
    ------
    DataError
        The kommun is not in the list (with the nearest names).
    """
    try:
        with open(KOMMUNER_FILE, encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise DataError(f"{KOMMUNER_FILE}: kommunlistan kan inte läsas ({os_reason(exc)}); ange kommunkoden med fyra siffror") from None
    given = str(text).strip()
    given = given.zfill(4) if given.isdigit() and len(given) == 3 else given  # 180 for 0180
    wanted = name_key(given)
    for row in rows:  # the code, or the name as written (Håbo and Habo differ only in the ring)
        if given == row["kommun_kod"] or given.casefold() == row["kommun"].casefold():
            return row
    keys = {wanted}
    bare = " ".join(w for w in wanted.split() if w not in ("kommun", "kommunen", "stad", "staden", "region"))
    if bare and bare != wanted:  # "Örebro kommun", "Stockholms stad", "Region Gotland"
        keys |= {bare, bare[:-1] if bare.endswith("s") else bare}
    found = [r for r in rows if name_key(r["kommun"]) in keys]
    if len(found) == 1:
        return found[0]
    if found:
        named = " eller ".join(f"{r['kommun']} ({r['kommun_kod']})" for r in found)
        raise DataError(f"--kommun {text}: både {named} heter så utan å, ä och ö; skriv namnet med å, ä och ö eller ange kommunkoden")
    import difflib

    near = difflib.get_close_matches(wanted, [name_key(r["kommun"]) for r in rows], n=3, cutoff=0.6)
    by_key = {name_key(r["kommun"]): r["kommun"] for r in rows}
    names = [by_key[k] for k in near]  # nearest first
    hint = f"; menade du {' eller '.join(names)}?" if names else ""
    raise DataError(f"--kommun {text}: ingen av Sveriges 290 kommuner har den koden eller det namnet{hint}")


def save_download(out_dir: Path, name: str, doc: object) -> Path:
    """Keep what was fetched as a file of ``<out>/nedladdat/`` (the import reads it, and a later
    ``lagesbild import`` of the same file gives the same tables)."""
    folder = Path(out_dir) / "nedladdat"
    path = folder / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise DataError(f"{path}: det hämtade kan inte sparas ({os_reason(exc)}); välj en skrivbar mapp med --out") from None
    return path


def dated_origin(origin: str, provenance: dict) -> str:
    """The origin sentence (quoted in Källor) with the source's own update date and, for a fetch,
    when and from where it was fetched: "…; uppdaterad 21 feb 2025; hämtad 30 nov 2026 från URL"."""
    import datetime as dt

    from lagesbild_lib.present.fmt import fmt_date

    def day(text: object) -> str:
        try:
            return fmt_date(dt.date.fromisoformat(str(text)[:10]))
        except ValueError:
            return ""

    parts = [origin]
    if day(provenance.get("updated")):
        parts.append(f"uppdaterad {day(provenance['updated'])}")
    if day(provenance.get("retrieved")):
        where = f" från {provenance['url']}" if provenance.get("url") else ""
        parts.append(f"hämtad {day(provenance['retrieved'])}{where}")
    return "; ".join(parts)


def record_provenance(out_dir: Path, written: dict[str, int], extra: dict) -> None:
    """Add the API's provenance (``url``, ``table``, ``retrieved``, ``updated``) to the entries of
    ``sources.json`` for the files just written (not the copied area registry)."""
    out_dir = Path(out_dir)
    entries = read_origins(out_dir)
    changed = False
    for name in written:
        entry = entries.get(name)
        if entry is not None and entry.get("source"):
            entry.update({k: v for k, v in extra.items() if v not in (None, "", [])})
            changed = True
    if not changed:
        return
    path = out_dir / ORIGINS_FILE
    tmp = path.with_name(f".{ORIGINS_FILE}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(entries, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise DataError(f"{path}: källuppgifterna kan inte skrivas ({os_reason(exc)})") from None
