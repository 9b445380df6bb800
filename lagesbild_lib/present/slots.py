"""The narrative slots' Swedish titles and which of them a finished report needs: what the
"Ej ifylld" note, the analyst guide and the refusal of a ``fastställd`` build name.

Kept apart from :mod:`lagesbild_lib.sections.narrative` so that no section module names every slot
(the public version re-runs exactly the chapters that name a slot it leaves out,
:func:`lagesbild_lib.report.public.must_rerun`).
"""

from __future__ import annotations

import re

#: What each slot holds, in Swedish (the placeholder, the analyst guide and the refusal name it).
SLOT_TITLES = {
    "sammantagen_bedomning": "Sammantagen bedömning",
    "inledning": "Inledning (samverkansöverenskommelsen, parterna, perioden)",
    "syfte": "Syfte",
    "tillvagagangssatt": "Så har lägesbilden tagits fram",
    "omradet_beskrivning": "Beskrivning av området",
    "samverkan_organisation": "Samverkans organisation (SÖK)",
    "lokalpolisomradet": "Beskrivning av lokalpolisområdet",
    "medborgarloften": "Medborgarlöften",
    "brottslighet_nyckelfynd": "Nyckelfynd om brottsligheten",
    "konflikter_kriminella_grupper": "Konflikter mellan kriminella grupper",
    "rekrytering_av_barn": "Rekrytering av barn",
    "bosattningar": "Bosättningar",
    "nedskrapning": "Nedskräpning",
    "kritiska_handelser_sammanhang": "De kritiska händelserna i sitt sammanhang",
    "trygghet_analys": "Analys av tryggheten",
    "trygghetsvandringar": "Trygghetsvandringar och medborgardialog",
    "prioriterade_omraden": "Inledning till de prioriterade samverkansområdena",
    "valdsbejakande_extremism": "Våldsbejakande extremism",
}

#: Slots a finished report may leave empty: the report has its own text in their place (key
#: findings drafted from data, the cooperation areas' standard introduction).
OPTIONAL_SLOTS = frozenset({"brottslighet_nyckelfynd", "prioriterade_omraden"})

#: A slot call in a chapter notebook's code: ``narrative.slot(ctx, "syfte")``.
SLOT_CALL_RE = re.compile(r"\bnarrative\.slot\(\s*ctx\s*,\s*[\"']([a-z0-9_]+)[\"']")
#: Chapter sections that show a slot themselves (the overall assessment has its own section).
SECTION_SLOTS = {"assessment_text": "sammantagen_bedomning"}
_SECTION_CALL_RE = re.compile(r"\bsec\.(" + "|".join(SECTION_SLOTS) + r")\(")


def placeholder(key: str) -> str:
    """The visible note of an unwritten slot."""
    return f"Ej ifylld: {SLOT_TITLES.get(key, key)}. Texten skrivs i params under narrative.{key}."




def unwritten(narrative: dict[str, str], shown: list[str] | tuple[str, ...]) -> list[str]:
    """The slots among ``shown`` (in order) that a finished report needs and that hold no text."""
    return [k for k in dict.fromkeys(shown) if k not in OPTIONAL_SLOTS and not narrative.get(k, "").strip()]


def slots_in_source(source: str) -> list[str]:
    """The slots a chapter notebook's code shows, in order of appearance."""
    found = [(m.start(), m.group(1)) for m in SLOT_CALL_RE.finditer(source)]
    found += [(m.start(), SECTION_SLOTS[m.group(1)]) for m in _SECTION_CALL_RE.finditer(source)]
    return [key for _, key in sorted(found)]
