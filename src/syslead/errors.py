"""One error family, raised by the core and caught once by the command line.

Every problem a user can cause is a :class:`SysleadError`. The CLI prints its message on stderr and
exits with code 1; nothing else about it (least of all a traceback) reaches the terminal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_REF = re.compile("\u27e6([a-z_]+)\u27e7")


def ref(field: str) -> str:
    """A reference to a request field inside an error message, named by whoever shows it.

    The core names what was wrong by its field (``end``, ``participants``); the command line shows
    the same message with its option names (``--end``, ``--participants``), so the core never
    needs to know about flags. Plain ``str(err)`` shows the field names.
    """
    return f"\u27e6{field}\u27e7"


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
    """Base for every error a user can cause: bad input, or a request that cannot be met.

    ``field`` names the input that was wrong, when one was; the message may refer to fields with
    :func:`ref`, which :meth:`render` turns into the names the caller uses.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def render(self, names: Mapping[str, str] | None = None) -> str:
        """The message with each referred field shown by its name in ``names`` (or as itself)."""
        names = names or {}
        return _REF.sub(lambda m: names.get(m[1], m[1]), self.message)

    def __str__(self) -> str:
        return self.render()


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
