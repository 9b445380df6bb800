"""Checks of the kommun demo's narrative (params/2023/gavle.yml: Gävle, the second demo) and of the
sentence that names the sub-areas with few respondents on the evening-unsafety map: what the
analysts' example text says about levels, crimes and unsafety must hold for the data."""

from __future__ import annotations

from claims.report import items, registry
from claims.safety import significantly, sub_shares

SENTENCES: list = []
TABLES: list = []
sentence, table = registry(SENTENCES, TABLES)


def _row(t, name: str):
    grid = t.grid(t.year)
    return grid.loc[t.id_of(name)]


NAME = r"[A-ZÅÄÖ][a-zåäö]+(?:-[A-ZÅÄÖ][a-zåäö]+)*"


@sentence(rf"Läget i (?P<area>{NAME}) bedöms som oroande i (?P<name>{NAME}), där de gemensamma "
          rf"veckobedömningarna oftast låg på nivå 3 eller högre, och i perioder i (?P<other>{NAME})\.")
def worrying_areas(led, t, piece, m):
    text = m.group(0)
    led.equal("narrative", piece, text, "area", m["area"], t.name)
    row = _row(t, m["name"])
    led.claim("narrative", piece, text, (row >= 3).sum() > row.notna().sum() / 2, f"{m['name']}: most weeks at 3 or higher",
              f"{(row >= 3).sum()} of {row.notna().sum()}")
    other = _row(t, m["other"])
    high = int((other >= 3).sum())
    led.claim("narrative", piece, text, 4 <= high <= other.notna().sum() / 2, f"{m['other']}: level 3 or higher in periods",
              f"{high} of {other.notna().sum()}")


@sentence(r"I kommunens övriga delområden var läget oftast normalt eller avvikande\.")
def others_calm(led, t, piece, m):
    before = worrying_areas.pattern.search(piece.text)
    named = {before["name"], before["other"]} if before else set()
    grid = t.grid(t.year)
    busy = sorted(name for name, row in ((t.registry.name(a), r) for a, r in grid.iterrows())
                  if name not in named and (row <= 2).sum() <= row.notna().sum() / 2)
    led.claim("narrative", piece, m.group(0), bool(named) and not busy, f"every sub-area but {sorted(named)} mostly at level 1–2",
              f"not mostly at 1–2: {busy}")


@sentence(rf"Flest våldsbrott anmäls i (?P<name>{NAME}), kring [^.]+\.")
def most_violence(led, t, piece, m):
    counts = t.violent_by_subarea
    most = max(counts.values())
    led.claim("narrative", piece, m.group(0), counts.get(m["name"]) == most and list(counts.values()).count(most) == 1,
              f"{m['name']} most violent crimes", str(counts))


@sentence(rf"Andelen som känner sig otrygg ute kvällstid är högre än i hela (?P<ref>{NAME}) i (?P<names>[^.]+)\.")
def unsafe_higher(led, t, piece, m):
    led.equal("narrative", piece, m.group(0), "reference", m["ref"], t.name)
    led.equal("narrative", piece, m.group(0), "sub-areas significantly higher", sorted(items(m["names"])), significantly(t, "högre"))


@sentence(r"Färre än 30 svarande \(streckade\): (?P<names>[^.]+)\.")
def few_respondents(led, t, piece, m):
    few = sorted(name for name, found in sub_shares(t).items() if found[1] < 30)
    led.equal("share", piece, m.group(0), "sub-areas with fewer than 30 respondents", sorted(items(m["names"])), few)
