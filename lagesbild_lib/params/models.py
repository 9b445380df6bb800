"""The parts of the run configuration (DESIGN §7): the cooperation areas, narrative slots,
sources, diarienummer, narrative figures and series breaks, as frozen pydantic models."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator

from lagesbild_lib.data.known_values import STANDARD_QUESTIONS, near_miss

#: The five city-wide cooperation areas, in report order (DESIGN §2).
PRIORITY_AREA_KEYS = (
    "unga_i_riskzon",
    "otrygga_platser",
    "systemhotande_brottslighet",
    "utsatta_brottsoffer",
    "kriminella_miljoer",
)

#: The narrative slots (``narrative:`` in params, Markdown each), in report order; documented with a
#: Swedish comment each in params/defaults.yml and docs/analytikerguide.md; titles in present/slots.py,
#: shown by sections/narrative.py from the chapter notebooks. Any other key is an error naming the closest slot.
NARRATIVE_SLOTS = (
    "sammantagen_bedomning", "inledning", "syfte", "tillvagagangssatt",  # chapter 0
    "omradet_beskrivning", "samverkan_organisation", "lokalpolisomradet", "medborgarloften",  # 1
    "brottslighet_nyckelfynd", "kritiska_handelser_sammanhang", "konflikter_kriminella_grupper",  # 2
    "rekrytering_av_barn", "bosattningar", "nedskrapning",  # 2
    "trygghet_analys", "trygghetsvandringar",  # chapter 3
    "prioriterade_omraden",  # the cooperation areas' introduction
    "valdsbejakande_extremism",  # chapter 6, under Systemhotande brottslighet
)


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PriorityArea(_Frozen):
    """Status and comment for one cooperation area."""

    status: Literal["sarskilda_atgarder", "linjeverksamhet"] | None = None
    comment: str = ""
    description: str | None = None


class LocalPriorityArea(_Frozen):
    """A local priority area chosen by the analysts."""

    title: str
    description: str = ""
    comment: str = ""


class Source(_Frozen):
    """One entry of Källor; ``key`` is what ``{cite:key}`` in a text names, ``author`` (else
    ``publisher``) and ``year`` make its label, "Stockholms stad (2023b)"."""

    title: str
    key: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")
    author: str = ""
    publisher: str = ""
    year: StrictInt | None = None
    url: str = ""
    retrieved: dt.date | None = None
    note: str = ""


class Diarienummer(_Frozen):
    """The two parties' diarienummer (the förvaltning's and the police's)."""

    forvaltning: str = ""
    polis: str = ""


#: The two parties that sign a lägesbild off, in the order the title page names them: params key -> Swedish.
SIGNOFF_PARTIES = {"forvaltning": "förvaltningen", "polis": "polisen"}


class PartySignoff(_Frozen):
    """One party's review of the report: who (and in what role) and on which day."""

    reviewed_by: str = ""
    role: str = ""  # e.g. "stadsdelsdirektör", "lokalpolisområdeschef"
    reviewed_on: dt.date | None = None

    def signed(self) -> bool:
        """Both a name and a date: the party has reviewed the report."""
        return bool(self.reviewed_by.strip()) and self.reviewed_on is not None


class Signoff(_Frozen):
    """The review of both parties of the lägesbild (params ``signoff``)."""

    forvaltning: PartySignoff = Field(default_factory=PartySignoff)
    polis: PartySignoff = Field(default_factory=PartySignoff)

    def parties(self) -> list[tuple[str, str, PartySignoff]]:
        """``[(key, Swedish name, sign-off)]`` for both parties, förvaltningen first."""
        return [(key, name, getattr(self, key)) for key, name in SIGNOFF_PARTIES.items()]


class NarrativeFigure(_Frozen):
    """A local image file shown with a narrative slot (e.g. the SÖK organisation chart)."""

    file: str
    alt: str = Field(min_length=1)
    caption: str = ""


class SeriesBreak(_Frozen):
    """A break in a series: from ``year`` on, a crime category is coded or counted differently, or
    a survey question (or a whole survey) is asked or measured differently. Charts mark it, a
    comparison across it says so, and a trend is fitted only on the years since it.

    ``category`` (a crime category id) or ``question`` and/or ``survey`` (a question id, a survey
    name; both: that question in that survey) name the series; ``what`` says in Swedish what changed.
    The ids are checked against the data when the report is checked (``lagesbild check``/``build``).
    """

    year: StrictInt = Field(ge=1990, le=2100)
    category: str | None = None
    question: str | None = None
    survey: str | None = None
    what: str

    @model_validator(mode="after")
    def _one_series(self) -> SeriesBreak:
        if self.category is not None and (self.question is not None or self.survey is not None):
            raise ValueError("ange antingen category (en brottskategori) eller question/survey (en enkätfråga), inte båda")
        if self.category is None and self.question is None and self.survey is None:
            raise ValueError("ange vilken serie som bryts: category (en brottskategori) eller question (en enkätfråga) och/eller survey")
        if not self.what.strip():
            raise ValueError("what ska säga vad som ändrades, t.ex. 'ny brottskod från 2021'")
        if self.question is not None and (meant := near_miss(self.question, STANDARD_QUESTIONS)) is not None:
            raise ValueError(f"menade du standardfrågan {meant!r}?")
        return self
