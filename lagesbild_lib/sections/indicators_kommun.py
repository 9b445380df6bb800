"""Chapter 1, Socioekonomiska förhållanden for a kommun: the kommun beside its län and riket, and its
rank among the other kommuner of its kommungrupp (DESIGN §6; a stadsdelsområde is compared with its
city in :mod:`lagesbild_lib.sections.omradet`).

A reference (län, riket) without indicator values in the year gets no column, and the table's note
says so; a rank is given only among kommuner that have values of the same row, and when none of the
peers has any, the note says that no rank is given instead of inventing one.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lagesbild_lib.analysis.indicators import as_city_comparison, fmt_diff, indicator_sentences, reference_comparison, references_with_values
from lagesbild_lib.analysis.peers import PeerGroup, peer_group
from lagesbild_lib.analysis.rank import indicator_ranks
from lagesbild_lib.context import ChapterContext
from lagesbild_lib.present.fmt import fmt_value
from lagesbild_lib.present.pieces import Table, Text
from lagesbild_lib.present.reference import genitive, kommun_references, reference_name
from lagesbild_lib.present.text import join_sv


@dataclass(frozen=True)
class KommunComparison:
    """A kommun's indicators of ``year`` beside its references that have values (``shown``), the
    references without values (``missing``) and its peer group (None without one)."""

    frame: pd.DataFrame
    year: int
    shown: list[str]
    missing: list[str]
    peers: PeerGroup | None


def kommun_comparison(ctx: ChapterContext, indicators: pd.DataFrame, year: int) -> KommunComparison:
    """The comparison of the report's kommun (see the module docstring)."""
    refs = kommun_references(ctx.areas, ctx.area.area_id)
    shown, missing = references_with_values(indicators, refs, year)
    frame = reference_comparison(indicators, ctx.area.area_id, shown, year, groups=True)
    group = peer_group(ctx.areas, ctx.area.area_id, ctx.data.table("kommungrupp"), ctx.year) if ctx.area.level == "kommun" else None
    return KommunComparison(frame, year, shown, missing, group if group is not None and group.peers else None)


def kommun_indicators_text(ctx: ChapterContext, c: KommunComparison) -> str:
    """"Tabellen visar Gävles socioekonomiska förhållanden bredvid Gävleborgs läns. Gävle ligger högre
    än Gävleborgs län som helhet när det gäller …" (``""`` without a reference with values)."""
    if not c.shown:
        return ""
    names = [reference_name(ctx.areas, r) for r in c.shown]
    area = ctx.area.name
    parts = [f"Tabellen visar {genitive(area)} socioekonomiska förhållanden bredvid {join_sv([genitive(n) for n in names])}."]
    parts += [indicator_sentences(as_city_comparison(c.frame, r), area, n, name_again=len(c.shown) > 1) for r, n in zip(c.shown, names)]
    return " ".join(p for p in parts if p)


def _rank_header(group: PeerGroup) -> str:
    """"Rang bland kommuner i kommungruppen Större stad" (the peer group's ``whole`` without "alla")."""
    return f"Rang bland {group.whole.removeprefix('alla ')}"


def _notes(ctx: ChapterContext, c: KommunComparison, ranked: bool) -> list[str]:
    area, frame = ctx.area.name, c.frame
    notes = []
    if c.shown and (frame["unit"] == "procent").any():
        notes.append("Skillnaden mellan andelar anges i procentenheter.")
    if c.shown and ((frame["sex"] != "alla") | (frame["group"] != "")).any():
        notes.append("Rader för kvinnor, män eller en grupp jämförs med samma grupp" + (" och rangordnas bland samma grupp i de andra kommunerna." if ranked else "."))
    if c.missing:
        names = [reference_name(ctx.areas, r) for r in c.missing]
        notes.append(f"Underlaget saknar uppgifter för {join_sv(names)} år {c.year}, så {area} jämförs inte med {'dem' if len(names) > 1 else 'det'}.")
    elif not c.shown:
        notes.append(f"{area} är en hel kommun, och underlaget har inget län eller riket att jämföra med.")
    if c.peers is not None and not ranked:
        others = c.peers.description.replace("övriga kommuner", "de övriga kommunerna", 1)
        notes.append(f"Ingen av {others} har uppgifter i underlaget för {c.year}, så ingen rangordning anges.")
    if c.year != ctx.year:
        notes.insert(0, f"Uppgifterna avser {c.year}, det senaste året med uppgifter.")
    return notes


def kommun_indicators_table(ctx: ChapterContext, indicators: pd.DataFrame, c: KommunComparison) -> Table:
    """Tabell: the kommun's indicators beside its län and riket, the difference to each and the rank
    in its kommungrupp (columns only for what the data hold)."""
    area, frame, year = ctx.area.name, c.frame, c.year
    ranks = indicator_ranks(indicators, ctx.areas, ctx.area.area_id, year, peers=c.peers.peers) if c.peers is not None else {}
    ranked = any(r.peers > 1 for r in ranks.values())
    keys = list(zip(frame["indicator"], frame["sex"], frame["group"]))
    values = lambda column: [fmt_value(v, u) for v, u in zip(frame[column], frame["unit"])]  # noqa: E731
    shown = pd.DataFrame({"Indikator": frame["row_label"], area: values("value")})
    data = pd.DataFrame({"Indikator": frame["row_label"], "Enhet": frame["unit"], area: frame["value"]})
    numeric = [area]
    headers = {r: ctx.areas.name(r) if ctx.areas.name(r) != area else f"{area} ({reference_name(ctx.areas, r)})" for r in c.shown}
    for r in c.shown:
        shown[headers[r]] = values(f"value_{r}")
        data[headers[r]] = frame[f"value_{r}"]
        numeric.append(headers[r])
    for r in c.shown:
        column = f"Skillnad mot {reference_name(ctx.areas, r)}"
        shown[column] = [fmt_diff(d, u) for d, u in zip(frame[f"diff_{r}"], frame["unit"])]
        data[column] = frame[f"diff_{r}"]
        numeric.append(column)
    if ranked:
        noun = "kommuner"
        shown[_rank_header(c.peers)] = [ranks[k].wording(noun, words=False) if k in ranks else "–" for k in keys]
        data["Rang uppifrån"] = [ranks[k].from_top if k in ranks else None for k in keys]
        data["Rang nedifrån"] = [ranks[k].from_bottom if k in ranks else None for k in keys]
        data["Antal rangordnade kommuner"] = [ranks[k].peers if k in ranks else None for k in keys]
    against = f" jämfört med {join_sv([reference_name(ctx.areas, r) for r in c.shown])}" if c.shown else ""
    return Table(
        caption=f"Socioekonomiska förhållanden i {area}{against} {year}",
        table=shown,
        data=data,
        numeric=tuple(numeric),
        note=" ".join(_notes(ctx, c, ranked)),
    )


def kommun_text(ctx: ChapterContext, indicators: pd.DataFrame, year: int) -> Text | None:
    """The sentences above the kommun's table (None when there is nothing to compare with)."""
    c = kommun_comparison(ctx, indicators, year)
    text = kommun_indicators_text(ctx, c)
    if not text:
        return None
    if year != ctx.year:
        text += f" Uppgifterna avser {year}, det senaste året med uppgifter."
    return Text(text)
