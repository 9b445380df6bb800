"""Chapter "Orsaker", section "Området jämfört med andra områden": reported crimes per 100 000
inhabitants of the area, its reference areas and its peer group over the years (the peers' middle
half as a band), and the funnel plot of the report year with a sentence on whether the area lies
outside the control limits (DESIGN §8 wording). The numbers are in
:mod:`lagesbild_lib.analysis.peers`, the drawing in :mod:`lagesbild_lib.figures.peers`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from lagesbild_lib.analysis import disclosure
from lagesbild_lib.analysis import peers as an
from lagesbild_lib.analysis.crime import period_words
from lagesbild_lib.analysis.rank import Rank, rank_among
from lagesbild_lib.analysis.stats import FEW_CASES_TOTAL
from lagesbild_lib.context import ChapterContext
from lagesbild_lib.figures.peers import plot_funnel, plot_rates
from lagesbild_lib.present.fmt import fmt_int
from lagesbild_lib.present.pieces import Chart, Missing, Text
from lagesbild_lib.present.text import capitalise, difference_wording, join_sv, plural
from lagesbild_lib.sections.common import missing_table, per_context

WHAT = "Jämförelsen med andra områden"
PER_INV = "per 100 000 invånare"
FUNNEL_NOTE = (
    "Kontrollgränserna är exakta Poissongränser kring gruppens sammantagna nivå (streckad linje 95 %, prickad 99,8 %); "
    "ett område utanför 95-procentsgränserna skiljer sig statistiskt säkerställt från gruppen som helhet (p < 0,05)."
)
POSITION_LABEL = {
    "inside": "inom gränserna", "over_95": "över 95 %-gränsen", "over_998": "över 99,8 %-gränsen",
    "under_95": "under 95 %-gränsen", "under_998": "under 99,8 %-gränsen",
}


@dataclass(frozen=True)
class PeerFacts:
    """The section's numbers, computed once per chapter context."""

    group: an.PeerGroup
    years: list[int]
    counts: pd.DataFrame  # areas × years
    pops: pd.DataFrame
    rates: pd.DataFrame  # rates, NaN where a count is masked (suppress_below)
    references: dict[str, pd.Series]  # label → pooled rate per year
    band: pd.DataFrame
    period: str  # "1 jan–31 okt"
    source: str  # the note on where the counts come from
    funnel: an.Funnel | None


def _reference_label(ctx: ChapterContext, ref: an.Reference) -> str:
    """How a reference reads in a sentence: "Stockholm", "riket", "kommungruppen Storstäder"."""
    if len(ref.members) == 1 and ctx.areas.get(ref.members[0]).level == "riket":
        return ref.label.lower() if ref.label == "Riket" else ref.label
    return ref.label[0].lower() + ref.label[1:] if ref.label.startswith("Kommungruppen") else ref.label


@per_context
def peer_facts(ctx: ChapterContext) -> PeerFacts | Missing:
    """The comparison's numbers, or the note on what is missing."""
    registry, data = ctx.areas, ctx.data
    group = an.peer_group(registry, ctx.area.area_id, data.table("kommungrupp"), ctx.year)
    if group is None:
        return Missing(
            f"{WHAT} kan inte visas: {ctx.area.name} har inga jämförbara områden i tabellen areas "
            "(ett område jämförs med övriga områden på samma nivå under samma överordnade område, en kommun med "
            "riket, länet och kommungruppen; tabellen kommungrupp eller områden på nivån lan saknas)."
        )
    if len(group.peers) < an.MIN_PEERS:
        have = "inga" if not group.peers else "bara " + plural(len(group.peers), "område", words=True)
        return Missing(
            f"{WHAT} kan inte visas: datamappen har {have} bland {group.description}, och minst tre behövs "
            "(tabellerna areas, crime_counts och population behöver rader för dem)."
        )
    population = data.table("population")
    if population is None:
        return missing_table(ctx, "population", WHAT)
    years = [y for y in data.crime_years if y <= ctx.year][-an.MAX_YEARS:]
    end = an.counted_end(ctx.year, ctx.period_end)
    if not years or end is None:
        return Missing(f"{WHAT} kan inte visas: perioden slutar före januari månads slut, och antalen räknas i hela månader.")
    members = {m for ref in group.references for m in ref.members}
    areas = list(dict.fromkeys([ctx.area.area_id, *group.peers, *sorted(members)]))
    counts_table = data.table("crime_counts")
    lacking = an.areas_without_counts(counts_table, registry, areas)
    crimes = None
    if lacking:
        below = sorted({d for a in lacking for d in registry.descendants(a)})
        crimes = data.crimes_for(below, years[0], years[-1])
    counts = an.period_counts(counts_table, crimes, registry, areas, years, end[0])
    pops = an.populations(population, registry, areas, years)
    threshold = ctx.params.suppress_below
    masked = counts.apply(lambda col: col.map(lambda v: disclosure.is_masked(v, threshold)))
    rates = an.rates(counts, pops).mask(masked.astype(bool))
    period = period_words(dt.date(ctx.year, end[0], end[1]))
    peers_with_rates = rates.loc[list(group.peers)]
    band = an.middle_band(peers_with_rates)
    references = {_reference_label(ctx, ref): an.pooled_rate(counts, pops, ref.members) for ref in group.references}
    year = ctx.year
    usable = [a for a in [ctx.area.area_id, *group.peers] if pd.notna(rates.loc[a, year])]
    funnel = an.funnel(counts.loc[usable, year], pops.loc[usable, year], ctx.area.area_id, year) if year in counts.columns else None
    source = _source_note(counts_table is not None and len(lacking) < len(areas), bool(lacking))
    if pd.isna(rates.loc[ctx.area.area_id, year]) or band.loc[year, "n"] < an.MIN_PEERS:
        return Missing(
            f"{WHAT} kan inte visas: det finns inte antal anmälda brott och folkmängd för {ctx.area.name} {year} och "
            f"minst tre av {group.description} ({period})."
        )
    return PeerFacts(group, years, counts, pops, rates, references, band, period, source, funnel)


def _source_note(from_counts: bool, from_crimes: bool) -> str:
    if from_counts and from_crimes:
        return "Antalen kommer från tabellen crime_counts, för områden utan sådana rader från tabellen crimes."
    if from_counts:
        return "Antalen kommer från tabellen crime_counts (aggregerade antal anmälda brott)."
    return "Antalen kommer från tabellen crimes (anmälda brott på radnivå)."


def _rate(value: float) -> str:
    return fmt_int(value)


def rate_comparison(ctx: ChapterContext) -> list | Missing:
    """Diagram and sentence: crimes per 100 000 inhabitants over the years for the area, its
    references and the middle half of its peers."""
    f = peer_facts(ctx)
    if isinstance(f, Missing):
        return f
    name, area_id, year = ctx.area.name, ctx.area.area_id, ctx.year
    area_rates = f.rates.loc[area_id]
    band_label = f"Mittersta hälften av {f.group.description}"
    data = pd.DataFrame({"År": f.years, name: area_rates.to_numpy()})
    for label, series in f.references.items():
        data[capitalise(label)] = series.reindex(f.years).to_numpy()
    data["Nedre kvartil"] = f.band["q1"].reindex(f.years).to_numpy()
    data["Övre kvartil"] = f.band["q3"].reindex(f.years).to_numpy()
    data["Jämförda områden"] = f.band["n"].reindex(f.years).to_numpy()
    formats = {c: "int" for c in data.columns if c not in ("År", "Jämförda områden")}
    q1, q3 = f.band.loc[year, "q1"], f.band.loc[year, "q3"]
    refs = join_sv(f"{_rate(s.get(year))} i {label}" for label, s in f.references.items() if pd.notna(s.get(year)))
    where = an.band_position(area_rates[year], q1, q3)
    sentence = (
        f"År {year} anmäldes {_rate(area_rates[year])} brott {PER_INV} i {name} ({f.period})"
        + (f", mot {refs}" if refs else "")
        + f". Den mittersta hälften av {f.group.description} låg mellan {_rate(q1)} och {_rate(q3)} {PER_INV}; "
        f"{name} låg {where} det intervallet."
    )
    rank = peer_rank(f, area_id, year)
    if rank is not None and rank.enough:
        sentence += f" Det är {rank.wording(f.group.whole.removeprefix('alla '), what='nivån')}."
    first = f.years[0]
    parts = [f"{name} från {_rate(area_rates[first])} år {first} till {_rate(area_rates[year])} år {year}"]
    parts += [f"{label} från {_rate(s[first])} till {_rate(s[year])}" for label, s in f.references.items() if pd.notna(s[first]) and pd.notna(s[year])]
    alt = (
        f"Linjediagram över anmälda brott {PER_INV}, {f.period} varje år {first}–{year}: {join_sv(parts)}; "
        f"den mittersta hälften av {f.group.description} år {year} mellan {_rate(q1)} och {_rate(q3)}."
    )
    note = (
        f"Anmälda brott {f.period} varje år per 100 000 invånare samma år; grått band: den mittersta hälften "
        f"(mellan nedre och övre kvartilen) av {f.group.description}. {f.source}"
    )
    chart = Chart(
        figure=plot_rates(area_rates, {capitalise(k): v for k, v in f.references.items()}, f.band, name, band_label,
                          f"Anmälda brott {PER_INV}, {f.period}"),
        caption=f"Anmälda brott {PER_INV} i {name} jämfört med {f.group.description}, {f.period} varje år {first}–{year}",
        alt=alt,
        data=data,
        note=disclosure.with_note(note, ctx.params.suppress_below, bool(area_rates.isna().any()), chart=True),
        formats=formats,
    )
    return [Text(sentence), chart]


def peer_rank(f: PeerFacts, area_id: str, year: int) -> Rank | None:
    """The area's rank by its rate in ``year`` among its peers that have a rate (issue 16), compared
    as shown (whole numbers); None when the area has no rate."""
    rates = f.rates[year] if year in f.rates.columns else None
    if rates is None or pd.isna(rates.get(area_id)):
        return None
    others = [float(rates[a]) for a in f.group.peers if a in rates.index]
    return rank_among(float(rates[area_id]), others, decimals=0)


def funnel(ctx: ChapterContext) -> list | Missing | None:
    """Diagram and sentence: the funnel plot of the report year, the area highlighted, and whether
    it lies outside the control limits (None when the comparison is missing: its note is shown once)."""
    f = peer_facts(ctx)
    if isinstance(f, Missing):
        return None
    fun = f.funnel
    name, year = ctx.area.name, ctx.year
    if fun is None:
        return Missing(f"Trattdiagrammet kan inte visas: färre än tre av {f.group.description} har både antal och folkmängd {year}.")
    mine = fun.area
    table = fun.table.copy()
    names = {a: ctx.areas.name(a) for a in table["area_id"]}
    table = table.sort_values(["population", "area_id"]).reset_index(drop=True)
    data = pd.DataFrame({
        "Område": [names[a] for a in table["area_id"]],
        "Folkmängd": table["population"],
        "Anmälda brott": table["count"],
        "Per 100 000 inv.": table["rate"],
        "Nedre gräns 99,8 %": table["lo998"],
        "Nedre gräns 95 %": table["lo95"],
        "Övre gräns 95 %": table["hi95"],
        "Övre gräns 99,8 %": table["hi998"],
        "Läge": [POSITION_LABEL[p] for p in table["position"]],
    })
    formats = {c: "int" for c in data.columns if c not in ("Område", "Läge")}
    caption = f"Anmälda brott {PER_INV} mot folkmängd i {name} och {f.group.description}, {f.period} {year}"
    alt = (
        f"Trattdiagram för {f.period} {year}: {name} har {_rate(mine['rate'])} anmälda brott {PER_INV} och "
        f"{fmt_int(mine['population'])} invånare, gruppen sammantaget {_rate(fun.target)}; för områdets folkmängd går "
        f"95-procentsgränserna från {_rate(mine['lo95'])} till {_rate(mine['hi95'])} och 99,8-procentsgränserna från "
        f"{_rate(mine['lo998'])} till {_rate(mine['hi998'])}. {name} ligger {POSITION_LABEL[mine['position']]}."
    )
    chart = Chart(
        figure=plot_funnel(fun.table, fun.curve(), fun.target, ctx.area.area_id, names, f"Anmälda brott {PER_INV}, {f.period} {year}"),
        caption=caption, alt=alt, data=data, note=f"{FUNNEL_NOTE} {f.source}", formats=formats,
    )
    return [chart, Text(funnel_sentence(name, mine, fun.target, f.group.whole, f.period, year))]


def funnel_sentence(name: str, mine: pd.Series, target: float, whole: str, period: str, year: int) -> str:
    """Whether the area lies outside the funnel's limits, in the report's wording (DESIGN §8):
    a direction word only when it lies outside the 95 % limits, with the few-case caveat.

    Parameters
    ----------
    mine
        The area's row of :attr:`~lagesbild_lib.analysis.peers.Funnel.table`.
    target
        The pooled rate of every area in the plot; ``whole`` names them ("alla stadsdelsområden i Stockholm").
    """
    pos = mine["position"]
    where = {
        "inside": "inom kontrollgränserna",
        "over_95": "över den övre kontrollgränsen för 95 % men inom den för 99,8 %",
        "under_95": "under den nedre kontrollgränsen för 95 % men inom den för 99,8 %",
        "over_998": "över den övre kontrollgränsen för 99,8 %",
        "under_998": "under den nedre kontrollgränsen för 99,8 %",
    }[pos]
    verdict = difference_wording(mine["rate"] - target, pos != "inside", "gruppen sammantaget", decimals=0)
    text = (
        f"{name} ligger {where} i trattdiagrammet: med {_rate(mine['rate'])} anmälda brott {PER_INV} ({period} {year}) "
        f"mot {_rate(target)} för {whole} sammantaget {'finns' if verdict.startswith('ingen') else 'är nivån'} {verdict}."
    )
    if mine["count"] < FEW_CASES_TOTAL:
        text += f" Jämförelsen bygger på få fall ({plural(int(mine['count']), 'brott', words=True)}); en skillnad kan bero på slumpen."
    return text
