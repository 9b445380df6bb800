"""The sign-off of a fastställd report: a later build from other inputs warns, and the manifest the
report was signed off with is kept beside it (``manifest-faststalld.json``)."""

from __future__ import annotations

import json
import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from lagesbild_lib.params.models import SIGNOFF_PARTIES as PARTIES
from lagesbild_lib.report.diff import SIGNED_MANIFEST, compare_hashes

log = logging.getLogger("lagesbild")


@dataclass
class SignOff:
    """The sign-off of a fastställd report, as a build sees it.

    ``signed`` is the signed-off manifest to carry into the new build (None: this build is the one
    signed off); ``changed`` the inputs that differ from it; ``since_review`` the data files that
    differ from the granskad build in place when this build is the first fastställd one.
    """

    params: dict
    signed: dict | None
    changed: list[tuple[str, str, str, str]]
    since_review: list[tuple[str, str, str, str]] = field(default_factory=list)

    def warning(self) -> str | None:
        who = reviewers_text(self.params)
        if self.changed:
            files = ", ".join(f"{name} ({status})" for name, status, _, _ in self.changed)
            return (
                f"Varning: rapporten är fastställd ({who or 'utan granskare'}) men indata skiljer sig från dem den "
                f"fastställdes med: {files}. Sätt status till utkast eller granskad tills den granskats igen; "
                f"lagesbild diff <rapportmapp>/{SIGNED_MANIFEST} <rapportmapp> visar skillnaderna."
            )
        if self.since_review:
            files = ", ".join(f"{name} ({status})" for name, status, _, _ in self.since_review)
            return (
                f"Varning: rapporten fastställs ({who or 'utan granskare'}) men dess data skiljer sig från den granskade "
                f"versionen: {files}. Kontrollera att ändringarna är granskade."
            )
        return None

    def record(self, work: Path) -> None:
        """Write the signed-off manifest into the new build's folder (``work``)."""
        target = work / SIGNED_MANIFEST
        if self.signed is not None:
            target.write_text(json.dumps(self.signed, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        else:
            shutil.copyfile(work / "manifest.json", target)


def _read(path: Path) -> dict | None:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def reviewers(params: dict) -> dict[str, tuple[str, str]]:
    """``{party: (name, date)}`` of both parties from parameters in JSON form (a manifest's
    ``parameters``); the form before ``signoff`` (``reviewed_by``/``reviewed_on``) is the förvaltning's."""
    signoff = params.get("signoff")
    if not isinstance(signoff, dict):
        signoff = {"forvaltning": {"reviewed_by": params.get("reviewed_by"), "reviewed_on": params.get("reviewed_on")}}
    found = {}
    for key in PARTIES:
        party = signoff.get(key) if isinstance(signoff.get(key), dict) else {}
        found[key] = (str(party.get("reviewed_by") or ""), str(party.get("reviewed_on") or ""))
    return found


def reviewers_text(params: dict) -> str:
    """"Anna Berg 2024-02-01 (förvaltningen), Per Ek 2024-02-05 (polisen)"; "" when nobody signed."""
    parts = []
    for key, (name, date) in reviewers(params).items():
        if name or date:
            parts.append(" ".join(x for x in (name, date) if x) + f" ({PARTIES[key]})")
    return ", ".join(parts)


def _same_reviewer(manifest: dict, params: dict) -> bool:
    """Both parties' sign-off (name and date) as in ``manifest``: the same sign-off, not a new one."""
    return reviewers(manifest.get("parameters", {})) == reviewers(params)


def check_signoff(report_dir: Path, params: dict | None = None, inputs: dict[str, str] | None = None) -> SignOff | None:
    """Compare a fastställd report's inputs with those it was signed off with, and warn.

    Parameters
    ----------
    report_dir
        The report folder in place (``<out>/<year>/<area>``).
    params, inputs
        The parameters (JSON form) and input hashes of the build about to be made; None to check
        the report in place (a build that found it up to date).

    Returns
    -------
    SignOff or None
        None when the report is not fastställd; the warning, if any, has been logged.
    """
    in_place = _read(Path(report_dir) / "manifest.json")
    if params is None:
        if in_place is None:
            return None
        params, inputs = in_place.get("parameters", {}), in_place.get("inputs", {})
    if params.get("status") != "fastställd":
        return None
    signed = _read(Path(report_dir) / SIGNED_MANIFEST)
    if signed is None and in_place is not None and in_place.get("parameters", {}).get("status") == "fastställd":
        signed = in_place  # signed off before the record was kept
    if signed is not None and _same_reviewer(signed, params):
        state = SignOff(params, signed, compare_hashes(signed.get("inputs", {}), inputs or {}))
    else:
        since = []
        if in_place is not None and in_place.get("parameters", {}).get("status") == "granskad" and _same_reviewer(in_place, params):
            data = lambda hashes: {k: v for k, v in hashes.items() if not k.startswith("params:")}  # noqa: E731
            since = compare_hashes(data(in_place.get("inputs", {})), data(inputs or {}))
        state = SignOff(params, None, [], since)
    message = state.warning()
    if message:
        log.warning(message)
    return state
