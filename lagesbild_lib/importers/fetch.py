"""``lagesbild fetch KIND --kommun KOD … --out DIR``: call a public API and write contract tables.

Every fetch kind has an import kind that reads the same data from a file downloaded by hand
(DESIGN §4): the fetch saves what it got in ``<out>/nedladdat/`` and imports that file, so both
roads give the same tables; ``sources.json`` gets the URL, the table, the retrieval time and
the source's own ``updated``. Offline or an HTTP error: one Swedish sentence naming the URL and
how to download the file by hand (exit 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lagesbild_lib.errors import ConfigError


@dataclass(frozen=True)
class FetchKind:
    """One fetch kind: what it asks, the import kind that reads its file, and the API's call budget."""

    name: str
    summary: str
    import_kind: str
    hand_hint: str
    max_calls: int | None
    window: float


FETCH_KINDS: dict[str, FetchKind] = {k.name: k for k in (
    FetchKind("scb-befolkning", "folkmängd för kommunen, länet, riket och registrets RegSO/DeSO från SCB:s PxWebApi v2",
              "scb-befolkning", "i Statistikdatabasen på scb.se: välj tabellen, regionerna, ålder, kön och år och spara som JSON-stat2",
              30, 10.0),  # SCB: at most 30 calls per 10 seconds
    FetchKind("kolada", "nyckeltal för kommunen, länet och riket från Kolada API v3", "kolada",
              "öppna adressen i en webbläsare, eller välj nyckeltalen på kolada.se, och spara svaret som JSON", 5, 1.0),
)}


def run_fetch(kind: str, out_dir: Path, data_dir: Path | None = None, *, kommun: str, years: list[int] | None = None,
              table: str | None = None, kpi: list[str] | None = None, kpis: Path | None = None, age_groups: str | None = None,
              by_sex: bool = False, api: str | None = None, refresh: bool = False, timeout: float = 30.0, transport=None,
              sleep=None):
    """Fetch ``kind`` for ``kommun`` into ``out_dir``; returns the :class:`~.output.ImportResult`.

    Raises
    ------
    ConfigError
        An unknown kind, or an option the kind does not take.
    DataError
        The API could not be read (:class:`~.http.FetchError`) or its answer breaks the contract.
    """
    if kind not in FETCH_KINDS:
        raise ConfigError(f"okänd hämtningstyp {kind!r}; förväntade en av {', '.join(FETCH_KINDS)}")
    if kind == "kolada" and (table or age_groups):
        raise ConfigError("--table och --age-groups gäller 'fetch scb-befolkning', inte 'fetch kolada'")
    if kind == "scb-befolkning" and (kpi or kpis or by_sex):
        raise ConfigError("--kpi, --kpis och --by-sex gäller 'fetch kolada', inte 'fetch scb-befolkning'")
    kpi = [k.strip().upper() for part in (kpi or []) for k in str(part).split(",") if k.strip()] or None
    from lagesbild_lib.importers.http import Client

    spec = FETCH_KINDS[kind]
    extra = {"sleep": sleep} if sleep is not None else {}
    with Client(spec.import_kind, spec.hand_hint, refresh=refresh, timeout=timeout, max_calls=spec.max_calls, window=spec.window,
                transport=transport, **extra) as client:
        if kind == "scb-befolkning":
            from lagesbild_lib.importers.scb import run_fetch_scb

            return run_fetch_scb(out_dir, data_dir, kommun=kommun, table=table, years=years, api=api, age_groups=age_groups, client=client)
        from lagesbild_lib.importers.kolada import run_fetch_kolada

        return run_fetch_kolada(out_dir, data_dir, kommun=kommun, kpis=kpi, years=years, api=api, kpis_file=kpis, by_sex=by_sex, client=client)


def add_fetch_parser(sub, year_range) -> None:
    """The ``fetch`` command and its options (``year_range`` parses ``--years``)."""
    f = sub.add_parser("fetch", help="hämta från ett öppet API (SCB, Kolada) till kontraktstabeller",
                       description="Hämtar från ett öppet API till kontraktstabeller i --out; det hämtade sparas i <ut>/nedladdat/ "
                                   "och kan läsas in igen med lagesbild import.")
    f.add_argument("kind", choices=list(FETCH_KINDS), metavar="TYP", help="; ".join(f"{k.name}: {k.summary}" for k in FETCH_KINDS.values()))
    f.add_argument("--kommun", required=True, metavar="KOD", help="kommunens kod eller namn (t.ex. 1880 eller Örebro)")
    f.add_argument("--out", type=Path, required=True, metavar="MAPP", help="datamappen som tabellerna skrivs till")
    f.add_argument("--data", type=Path, metavar="MAPP", help="datamappen vars områdesregister används (standard: --out när den har ett, annars demodata)")
    f.add_argument("--years", type=year_range, metavar="ÅR", help="åren, t.ex. 2019-2024 (standard: alla som finns)")
    f.add_argument("--table", metavar="TABELL", help="scb-befolkning: SCB-tabellens id (standard TAB6574)")
    f.add_argument("--age-groups", metavar="GRUPPER", help="scb-befolkning: åldersgrupperna, t.ex. 0-19,20-64,65+ (standard) eller fina")
    f.add_argument("--kpi", action="append", metavar="ID", help="kolada: nyckeltalens id, t.ex. N07403,N00914 (kan upprepas; standard: nyckeltalslistan)")
    f.add_argument("--kpis", type=Path, metavar="FIL", help="kolada: CSV id,label,unit[,direction] som ersätter den medföljande listan")
    f.add_argument("--by-sex", action="store_true", help="kolada: skriv även värdena för kvinnor och män")
    f.add_argument("--api", metavar="URL", help="API:ets basadress (standard: SCB:s respektive Koladas)")
    f.add_argument("--refresh", action="store_true", help="fråga API:et igen i stället för att använda cachen (.cache/http)")


__all__ = ["FETCH_KINDS", "FetchKind", "add_fetch_parser", "run_fetch"]
