"""One error family, raised by the core and caught once by the command line.

Every problem a user can cause is a :class:`SysleadError`. The CLI prints its message on stderr and
exits with code 1; nothing else about it (least of all a traceback) reaches the terminal.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    path: str = ""
    line: int = 0
    column: int = 0
    field: str = ""
    message: str = ""

    def __str__(self) -> str:
        where = self.path
        if self.path and self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        parts = [p for p in (where, self.field) if p]
        return ": ".join([*parts, self.message])


class SysleadError(Exception):
    """Base for every error a user can cause: bad input, or a request that cannot be met."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(SysleadError):
    """One or more problems with an input file or option, each with its location."""

    def __init__(self, problems: list[Problem], header: str = "") -> None:
        self.problems = sorted(problems)
        lines = [str(p) for p in self.problems]
        if header:
            lines.insert(0, header)
        super().__init__("\n".join(lines))


class PlanningError(SysleadError):
    """A plan was asked for that cannot be made; the message says why and what would work."""


class ScenarioError(SysleadError):
    """A scenario or its rule parameters cannot be used as given; the message says why."""


class OutputError(SysleadError):
    """An output could not be written, for instance because the file exists and --force is off."""
