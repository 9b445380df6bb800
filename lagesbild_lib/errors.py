"""The one exception hierarchy of lagesbild.

Every error an analyst can act on is a :class:`LagesbildError`; the command line turns it into one
clear sentence and an exit code (2 for bad parameters or data, 1 for a chapter that failed).
"""

from __future__ import annotations


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
