"""README's tour runs as written: every example command, in order, in an empty folder.

The commands are read from README.md when the test runs, so an example that drifts from the code
(an option renamed, an output that collides with an earlier step's, an input no earlier step
writes) fails here. An example is an indented line that starts with ``syslead``, joined with the
lines it continues onto with a trailing backslash; the set-up lines (``python3 -m venv ...``)
install syslead rather than use it, and are left to CI's start-here check.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Run

README = Path(__file__).resolve().parents[1] / "README.md"
INDENTED = re.compile(r"^ {4}(?P<text>\S.*)$")


def readme_commands(text: str) -> list[tuple[int, str]]:
    """(line number, command) for every indented ``syslead`` command, continuations joined."""
    commands: list[tuple[int, str]] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        found = INDENTED.match(lines[index])
        start = index
        index += 1
        if not found:
            continue
        command = found["text"].rstrip()
        while command.endswith("\\") and index < len(lines):
            command = command[:-1].rstrip() + " " + lines[index].strip()
            index += 1
        if command.startswith("syslead "):
            commands.append((start + 1, command))
    return commands


def test_the_extraction_reads_continuations_and_skips_set_up() -> None:
    text = (
        "Intro\n\n"
        "    python3 -m venv .venv && .venv/bin/pip install .\n\n"
        '    syslead plan-session --org "A B" \\\n'
        "        --to md -o agenda.md\n"
        "    syslead render plan.yaml\n"
        "not indented: syslead nothing\n"
    )
    assert readme_commands(text) == [
        (5, 'syslead plan-session --org "A B" --to md -o agenda.md'),
        (7, "syslead render plan.yaml"),
    ]


def test_readme_has_a_tour() -> None:
    commands = [command for _, command in readme_commands(README.read_text(encoding="utf-8"))]
    assert len(commands) >= 10
    for needed in ("syslead plan-session", "syslead render", "syslead assess report"):
        assert any(command.startswith(needed) for command in commands), needed


def test_every_readme_command_runs_in_order_in_an_empty_folder(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    failures = []
    for line, command in readme_commands(README.read_text(encoding="utf-8")):
        result = cli(*shlex.split(command)[1:])
        if result.exit_code != 0:
            failures.append(
                f"README.md:{line}: {command}\n    exit {result.exit_code}: {result.stderr.strip()}"
            )
    assert not failures, "\n".join(failures)
