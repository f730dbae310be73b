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


def what_went_wrong(args: list[str], result: Run) -> str | None:
    """Why a README command's run did not do what it says, or None: it exits 0, and what it writes
    is there (``-o FILE`` a file that is not empty, and nothing on the terminal; ``--out-dir`` a
    folder of files) or, with neither, it says something on the terminal."""
    if result.exit_code != 0:
        return f"exit {result.exit_code}: {result.stderr.strip()}"
    if "-o" in args:
        target = Path(args[args.index("-o") + 1])
        if not target.is_file() or target.stat().st_size == 0:
            return f"{target} was not written"
        if result.stdout:
            return f"wrote {target} and printed {result.stdout[:80]!r} too"
    elif "--out-dir" in args:
        folder = Path(args[args.index("--out-dir") + 1])
        if not folder.is_dir() or not any(folder.iterdir()):
            return f"{folder} holds no files"
    elif not (result.stdout.strip() or result.stderr.strip()):
        return "printed nothing"
    return None


def test_every_readme_command_runs_in_order_in_an_empty_folder(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    failures = []
    for line, command in readme_commands(README.read_text(encoding="utf-8")):
        args = shlex.split(command)[1:]
        problem = what_went_wrong(args, cli(*args))
        if problem:
            failures.append(f"README.md:{line}: {command}\n    {problem}")
    assert not failures, "\n".join(failures)


def test_the_tour_s_check_catches_a_command_that_did_not_do_its_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("made.md").write_text("# Agenda\n", encoding="utf-8")
    Path("empty").mkdir()
    assert what_went_wrong(["render", "p.yaml"], Run(1, "", "syslead: no such file\n")) == (
        "exit 1: syslead: no such file"
    )
    assert what_went_wrong(["x", "-o", "missing.md"], Run(0, "", "")) == (
        "missing.md was not written"
    )
    assert what_went_wrong(["x", "-o", "made.md"], Run(0, "# Agenda\n", "")) is not None
    assert what_went_wrong(["x", "--out-dir", "empty"], Run(0, "", "")) == "empty holds no files"
    assert what_went_wrong(["series", "status", "s.yaml"], Run(0, "", "")) == "printed nothing"
    assert what_went_wrong(["x", "-o", "made.md"], Run(0, "", "wrote made.md\n")) is None
