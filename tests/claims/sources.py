"""Claims of Källor and of the in-text citations: every "Upphov (2023b)" the report writes is the
label of a source in params, lettered as the hand-made report letters them (one upphov with several
sources of one year: a, b, … in title order), and every Källor entry states its source's title,
retrieval date and address. Recomputed from params with plain Python, not with the library."""

from __future__ import annotations

import re
from collections import defaultdict

from claims.report import registry

SENTENCES: list = []
TABLES: list = []
WHOLE: list = []

sentence, table = registry(SENTENCES, TABLES)

LABEL = r"\((?:(?:19|20)\d{2}[a-z]?|u\.å\.)\)"


def labels(t) -> dict[str, object]:
    """``{"Stockholms stad (2023b)": source}`` for every source in params."""
    groups = defaultdict(list)
    for s in t.params.sources:
        groups[((s.author or s.publisher).strip(), s.year)].append(s)
    found = {}
    for (who, year), members in groups.items():
        members.sort(key=lambda s: s.title.casefold())
        for i, s in enumerate(members):
            letter = chr(ord("a") + i) if len(members) > 1 else ""
            found[f"{who or s.title} ({year if year is not None else 'u.å.'}{letter})"] = s
    return found


def _known_label(t, said: str):
    """The known label that ``said`` ends with (the regex may take words before the upphov)."""
    return next((k for k in sorted(labels(t), key=len, reverse=True) if said.endswith(k)), None)


@sentence(r"^[^()]+? " + LABEL + r"\. .+$")
def kallor_entry(led, t, piece, m):
    text = m.group(0)
    label = _known_label(t, text.split(")", 1)[0] + ")")
    led.claim("source", piece, text, label is not None, "a Källor entry", "a label of a source in params")
    if label is None:
        return
    s = labels(t)[label]
    rest = text[len(label) + 2:]
    led.claim("source", piece, text, rest.startswith(s.title.strip().rstrip(".")), f"title {rest[:60]!r}", f"title {s.title!r}")
    got = re.search(r"Hämtad ((?:19|20)\d{2}-\d{2}-\d{2})", rest)
    led.equal("source", piece, text, "retrieved", got.group(1) if got else None, s.retrieved.isoformat() if s.retrieved else None)
    led.claim("source", piece, text, (s.url.strip() in rest) if s.url.strip() else "från " not in rest, "address", s.url or "none")


@sentence(r"[A-ZÅÄÖ][\w.\- ]*? " + LABEL)
def citation(led, t, piece, m):
    led.claim("source", piece, m.group(0), _known_label(t, m.group(0)) is not None, "a citation", "a label of a source in params")


def _geojson_features(t, layer: str) -> list[dict]:
    """The properties of every feature of a GeoJSON layer of the data folder (read with json)."""
    import json
    from pathlib import Path

    path = Path(t.data.data_dir) / f"{layer}.geojson"
    return [f.get("properties") or {} for f in json.loads(path.read_text(encoding="utf-8"))["features"]] if path.is_file() else []


@sentence(r"(?:^|(?<=\. ))(?P<source>[A-ZÅÄÖ][\wåäö]*gränser: [^.]+?)\.(?= |$)")
def outline_attribution(led, t, piece, m):
    """A map's attribution of its outlines ("Stadsdelsgränser: Stockholms stad, öppna data (CC0).")
    is the ``source`` of a feature of ``areas.geojson`` that lies in the report's area."""
    mine = set(t.registry.leaves(t.area_id)) | {t.area_id}
    if piece.section.endswith("Lokalpolisområdet i siffror"):  # the police area's map draws every member of it
        from claims.police_area import police_area_of

        mine |= {a for m in police_area_of(t).members for a in [m, *t.registry.leaves(m)]}
    sources = {str(p.get("source", "")).strip().rstrip(".") for p in _geojson_features(t, "areas") if p.get("area_id") in mine}
    led.claim("source", piece, m.group(0), m.group("source") in sources, f"outlines from {m.group('source')!r}",
              f"the sources of the area's outlines: {sorted(sources - {''})}")


@sentence(r"ändrad \d{1,2} [a-zé]{3,9} \d{4}\. Källa: (?P<origin>.+?)\.(?= [A-ZÅÄÖ]|$)")
def data_file_origin(led, t, piece, m):
    """Källor's "Källa: …" of a data file is the ``origin`` that ``sources.json`` records for it."""
    from lagesbild_lib.data.origins import read_origins

    origins = {str(e.get("origin", "")).strip().rstrip(".") for e in read_origins(t.data.data_dir).values()}
    led.claim("source", piece, m.group(0), m.group("origin").strip() in origins, "a data file's origin", "an origin in sources.json")
