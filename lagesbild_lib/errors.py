"""The one exception hierarchy of lagesbild.

Every error an analyst can act on is a :class:`LagesbildError`; the command line turns it into one
clear sentence and an exit code (2 for bad parameters or data, 1 for a chapter that failed). Every
message is Swedish (DESIGN §9): :func:`os_reason`, :func:`json_problem` and :func:`yaml_problem` say in
Swedish what the operating system, the json module and PyYAML report; :func:`plural` counts.
"""

from __future__ import annotations

import re


class LagesbildError(Exception):
    """Base class of every error lagesbild raises on purpose."""

    exit_code = 1


class ConfigError(LagesbildError):
    """Bad parameters: a params file, a year or an area that cannot be used."""

    exit_code = 2


class DataError(LagesbildError):
    """A data table that breaks the data contract (DESIGN §6)."""

    exit_code = 2


class ExecutionError(LagesbildError):
    """A chapter notebook raised while it was executed."""

    exit_code = 1

    def __init__(self, message: str, *, chapter: str = "", cell_index: int | None = None):
        super().__init__(message)
        self.chapter = chapter
        self.cell_index = cell_index


class OutputError(LagesbildError):
    """The output folder cannot be written (read-only, full disk, ...)."""

    exit_code = 2


def plural(count: int, singular: str, many: str) -> str:
    """A count with its word in the right number: ``plural(1, "rad", "rader")`` → ``"1 rad"``."""
    return f"{count} {singular if count == 1 else many}"


#: What an operating-system error means, in Swedish (every message of the command line is).
_OS_REASONS = {
    "ENOENT": "filen eller mappen finns inte",
    "EACCES": "åtkomst nekad",
    "EPERM": "åtgärden är inte tillåten",
    "EISDIR": "det är en mapp",
    "ENOTDIR": "en del av sökvägen är ingen mapp",
    "ENOSPC": "disken är full",
    "EDQUOT": "diskkvoten är slut",
    "EROFS": "filsystemet är skrivskyddat",
    "EEXIST": "finns redan",
    "ENOTEMPTY": "mappen är inte tom",
    "ENAMETOOLONG": "namnet är för långt",
    "ELOOP": "för många symboliska länkar i rad",
    "EIO": "in- eller utmatningsfel",
    "EMFILE": "för många öppna filer",
    "EBUSY": "upptagen av ett annat program",
    "ETIMEDOUT": "tidsgränsen gick ut",
    "ECONNREFUSED": "anslutningen nekades",
}


def os_reason(exc: BaseException) -> str:
    """Why an operating-system call failed, in Swedish (the system's own words for a rarer error)."""
    import errno

    name = errno.errorcode.get(getattr(exc, "errno", None) or -1, "")
    if name in _OS_REASONS:
        return _OS_REASONS[name]
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


#: The json module's complaints, in Swedish.
JSON_PROBLEMS = {
    "Expecting value": "ett värde saknas",
    "Expecting ',' delimiter": "ett kommatecken saknas",
    "Expecting ':' delimiter": "ett kolon saknas",
    "Expecting property name enclosed in double quotes": "ett namn inom dubbla citattecken saknas",
    "Unterminated string starting at": "en text som inte avslutas",
    "Invalid control character at": "ett otillåtet styrtecken",
    "Invalid \\escape": "en ogiltig \\-sekvens",
    "Extra data": "mer data efter slutet",
}


def json_problem(exc) -> str:
    """What is wrong in a :class:`json.JSONDecodeError`, in Swedish."""
    return JSON_PROBLEMS.get(exc.msg, exc.msg)


#: PyYAML's most common complaints, in Swedish (a rarer one is quoted as PyYAML says it).
YAML_PROBLEMS = {
    "found character '\\t' that cannot start any token": "ett tabbtecken; dra in med mellanslag",
    "mapping values are not allowed here": "ett kolon där inget värde får stå; sätt citattecken runt en text med kolon",
    "could not find expected ':'": "ett kolon saknas efter nyckeln",
    "expected <block end>, but found '-'": "indraget stämmer inte med raden ovanför",
    "found duplicate anchor; first occurrence": "samma ankare två gånger",
    "found unexpected end of stream": "filen tar slut mitt i ett värde (ett citattecken som inte stängs?)",
}


def yaml_problem(problem: str) -> str:
    """PyYAML's complaint in Swedish: a known one in words, an "expected …, but found …" spelt out."""
    problem = problem.strip()
    if problem in YAML_PROBLEMS:
        return YAML_PROBLEMS[problem]
    alias = re.fullmatch(r"found undefined alias (.+)", problem)
    if alias:
        return f"aliaset {alias.group(1)} är inte definierat"
    match = re.fullmatch(r"expected (.+?),? but (?:found|got) (.+)", problem)
    if not match:
        return problem
    ends = {"<stream end>": "filens slut", "<block end>": "blockets slut"}
    wanted, found = (ends.get(part.strip("'"), part) for part in match.groups())
    return f"förväntade {wanted.replace(' or ', ' eller ')} men hittade {found}"
