"""Inputs a user can type, and places a user can write to, that must never give an internal error.

Each class is tested as a class: bounded YAML (aliases), control characters, non-regular output
targets (a FIFO made in a temporary folder, a symlink, a socket), folders that cannot be written, a
full disk (simulated), user templates that would exhaust resources, and the small refusals.
"""

from __future__ import annotations

import errno
import io
import json
import os
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from syslead.errors import InputError, OutputError
from syslead.library import yamlio
from syslead.library.yamlnodes import MAX_NODES
from syslead.output import check_writable, write_atomic

from .conftest import Run
from .reading import md_text

Cli = Callable[..., Run]


def refused(result: Run, code: int = 1) -> str:
    """The message of a run that was refused with ``code``: nothing on standard output, one
    clear message on standard error and no internal error."""
    assert result.exit_code == code, (result.exit_code, result.stderr)
    assert result.stdout == ""
    assert result.stderr.strip()
    assert "internal error" not in result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def laughs(levels: int = 9, width: int = 9) -> str:
    """The "billion laughs" shape: each level refers to the one before it, width times."""
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


# --- bounded YAML ------------------------------------------------------------------------------


def test_alias_expansion_is_refused_quickly_with_its_line() -> None:
    started = time.perf_counter()
    with pytest.raises(InputError) as caught:
        yamlio.parse_yaml(laughs(), "laughs.yaml")
    assert time.perf_counter() - started < 1.0
    (problem,) = caught.value.problems
    assert problem.path == "laughs.yaml"
    assert problem.line >= 1
    assert "too many nodes (alias expansion)" in problem.message


def test_a_file_just_under_the_limit_still_reads() -> None:
    text = "a: &a [" + ", ".join(["x"] * 100) + "]\nb: [" + ", ".join(["*a"] * 50) + "]\n"
    doc = yamlio.parse_yaml(text, "ok.yaml")
    assert len(doc.data["b"]) == 50
    assert MAX_NODES > 100 * 50


@pytest.mark.parametrize("kind", ["playbooks", "plan", "series"])
def test_every_command_that_reads_yaml_is_bounded(cli: Cli, tmp_path: Path, kind: str) -> None:
    if kind == "playbooks":
        folder = tmp_path / "mine" / "activities"
        folder.mkdir(parents=True)
        (folder / "laughs.yaml").write_text(laughs())
        result = cli("playbooks", "validate", str(tmp_path / "mine"))
    elif kind == "plan":
        (tmp_path / "plan.yaml").write_text(laughs())
        result = cli("render", str(tmp_path / "plan.yaml"))
    else:
        (tmp_path / "series.yaml").write_text(laughs())
        result = cli("series", "status", str(tmp_path / "series.yaml"))
    assert "too many nodes (alias expansion)" in refused(result, 1)
    assert "internal error" not in result.stderr


def test_a_cache_entry_is_never_much_larger_than_its_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYSLEAD_CACHE_DIR", str(tmp_path / "cache"))
    raw = "a: &a [" + ", ".join(["x" * 40] * 200) + "]\nb: [" + ", ".join(["*a"] * 300) + "]\n"
    yamlio.parse_cached(raw.encode(), "big.yaml")
    # This one expands far beyond its source, so it is not kept; a small file is.
    assert not (tmp_path / "cache").exists() or list((tmp_path / "cache").iterdir()) == []
    yamlio.parse_cached(b"a: [1, 2, 3]\n", "small.yaml")
    (entry,) = (tmp_path / "cache").iterdir()
    assert entry.stat().st_size <= yamlio.CACHE_GROWTH * 13 + 65_536


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f"])
def test_a_control_byte_in_yaml_names_its_line(cli: Cli, tmp_path: Path, char: str) -> None:
    folder = tmp_path / "mine" / "activities"
    folder.mkdir(parents=True)
    (folder / "bad.yaml").write_text(f"id: bad\ntitle: Bad{char}title\n")
    result = cli("playbooks", "validate", str(tmp_path / "mine"))
    assert "bad.yaml:2:" in refused(result, 1)
    assert "control character" in result.stderr


# --- control characters in what a user types ---------------------------------------------------


@pytest.mark.parametrize("option", ["--org", "--title", "--issue"])
@pytest.mark.parametrize("text", ["A\nB", "Red\x1b[31m", "Bell\x07", "Line\u2028two"])
def test_control_characters_in_typed_text_are_refused(cli: Cli, option: str, text: str) -> None:
    result = cli("plan-session", option, text, "--to", "json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"{option}: a control character" in result.stderr
    assert "\x1b" not in result.stderr.replace(repr("\x1b")[1:-1], "")


# --- where output goes -------------------------------------------------------------------------


def test_a_fifo_is_written_through_not_replaced(cli: Cli, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = cli("plan-session", "--to", "json", "-o", str(fifo), "--force")
    reader.join(timeout=10)
    assert result.exit_code == 0, result.stderr
    assert json.loads(received[0])["format"] == "away-day"
    assert fifo.is_fifo()  # still a FIFO: --force never replaces what is not a regular file


def test_a_symlink_is_followed_and_kept(tmp_path: Path) -> None:
    target = tmp_path / "real.md"
    target.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    with pytest.raises(OutputError, match="use --force"):
        write_atomic(link, "new")
    write_atomic(link, "new", force=True)
    assert link.is_symlink()
    assert target.read_text() == "new"


def test_a_dangling_symlink_writes_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "new.md")
    write_atomic(link, "hello")
    assert (tmp_path / "new.md").read_text() == "hello"
    assert link.is_symlink()


def test_a_socket_is_refused(tmp_path: Path) -> None:
    # A short path: Unix socket names have a small length limit.
    with tempfile.TemporaryDirectory(dir="/tmp") as short:
        path = Path(short) / "s"
        server = socket.socket(socket.AF_UNIX)
        try:
            server.bind(str(path))
            with pytest.raises(OutputError, match="is a socket"):
                check_writable(path, force=True)
        finally:
            server.close()


def test_a_missing_folder_is_refused_before_any_work(cli: Cli, tmp_path: Path) -> None:
    result = cli("plan-session", "-o", str(tmp_path / "nowhere" / "plan.json"))
    assert "does not exist" in refused(result, 1)


def test_a_folder_that_cannot_be_written_gives_a_message(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    result = cli("plan-session", "--to", "json", "-o", str(tmp_path / "plan.json"))
    assert "permission denied" in refused(result, 1)
    pack = cli("plan-session", "--out-dir", str(tmp_path / "pack"))
    assert "permission denied" in refused(pack, 1)
    assert not list(tmp_path.glob("**/*.md"))  # nothing partial left behind


def test_a_full_disk_gives_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_fdopen = os.fdopen

    class Full(io.BytesIO):
        def write(self, data: object) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    def fdopen(fd: int, *args: object, **kwargs: object) -> io.BytesIO:
        os.close(fd)
        return Full()

    monkeypatch.setattr(os, "fdopen", fdopen)
    with pytest.raises(OutputError, match="the disk is full"):
        write_atomic(tmp_path / "plan.json", "{}")
    monkeypatch.setattr(os, "fdopen", real_fdopen)
    assert not list(tmp_path.iterdir())  # the temporary file is gone too


def test_standard_output_on_a_full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """`syslead plan-session > /dev/full`, simulated: one clear message, exit 1."""
    from syslead import cli as cli_module

    class FullStdout(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        def fileno(self) -> int:
            raise io.UnsupportedOperation("no file descriptor")

    errors = io.StringIO()
    monkeypatch.setattr(sys, "stdout", FullStdout())
    monkeypatch.setattr(sys, "stderr", errors)
    monkeypatch.setattr(sys, "argv", ["syslead", "plan-session", "--to", "json"])
    with pytest.raises(SystemExit) as done:
        cli_module.main()
    assert done.value.code == 1
    assert "cannot write the output: No space left on device" in errors.getvalue()
    assert "internal error" not in errors.getvalue()


# --- user templates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("{% for i in range(10**8) %}{% endfor %}", "Range too big"),
        ('{{ "x" * 100000000 }}', "repeats text too many times"),
        ("{{ 2 ** 100000 }}", "too high a power"),
        ("{{ 1 / 0 }}", "ZeroDivisionError"),
        ("{{ [1][5] }}", "the template failed"),
    ],
)
def test_a_greedy_or_broken_user_template_is_refused(
    cli: Cli, tmp_path: Path, body: str, expected: str
) -> None:
    (tmp_path / "agenda.md.j2").write_text(body)
    started = time.perf_counter()
    result = cli("plan-session", "--to", "md", "--templates", str(tmp_path))
    assert time.perf_counter() - started < 5
    assert expected in refused(result, 1)
    assert "internal error" not in result.stderr


# --- the small refusals --------------------------------------------------------------------------


def test_pdf_without_a_pack_is_refused(cli: Cli) -> None:
    result = cli("plan-session", "--pdf")
    assert "--out-dir" in refused(result, 2)


def test_a_suffix_that_disagrees_with_to_is_refused(cli: Cli, tmp_path: Path) -> None:
    result = cli("plan-session", "--to", "md", "-o", str(tmp_path / "agenda.pdf"))
    assert "the name says pdf but --to asks for md" in refused(result, 1)
    assert not (tmp_path / "agenda.pdf").exists()


def test_render_with_a_start_after_its_end_says_so(cli: Cli, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    assert cli("plan-session", "--to", "yaml", "-o", str(plan)).exit_code == 0
    lines = plan.read_text().splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("start:"))
    lines[first] = "start: '22:00'"
    plan.write_text("\n".join(lines) + "\n")
    result = cli("render", str(plan))
    assert "the end 21:00 is not after the start 22:00" in refused(result, 1)
    assert "midnight" not in result.stderr


def test_render_of_an_edited_plan_does_not_claim_its_id_rebuilds_it(
    cli: Cli, tmp_path: Path
) -> None:
    plan = tmp_path / "plan.yaml"
    assert cli("plan-session", "--to", "yaml", "-o", str(plan)).exit_code == 0
    untouched = cli("render", str(plan), "--to", "md")
    assert untouched.exit_code == 0, untouched.stderr
    assert "rebuilds this plan" in md_text(untouched.stdout)
    assert rendered_json(cli, plan)["edited"] is False
    data = plan.read_text()
    # Five minutes from the opening to the first break after it: still a good plan, but edited.
    lines = data.splitlines()
    opening = next(i for i, line in enumerate(lines) if "kind: opening" in line)
    minutes_line = next(i for i in range(opening - 4, opening) if "minutes:" in lines[i])
    minutes = int(lines[minutes_line].split(":")[1])
    lines[minutes_line] = lines[minutes_line].replace(str(minutes), str(minutes - 5))
    brk = next(i for i in range(opening, len(lines)) if "break_type: break" in lines[i])
    brk_minutes = next(i for i in range(brk - 6, brk) if "minutes:" in lines[i])
    value = int(lines[brk_minutes].split(":")[1])
    lines[brk_minutes] = lines[brk_minutes].replace(str(value), str(value + 5))
    plan.write_text("\n".join(lines) + "\n")
    edited = cli("render", str(plan), "--to", "md")
    assert edited.exit_code == 0, edited.stderr
    assert "rebuilds this plan" not in md_text(edited.stdout)
    assert "has been edited since" in md_text(edited.stdout)
    assert rendered_json(cli, plan)["edited"] is True


def rendered_json(cli: Cli, plan: Path) -> dict[str, object]:
    result = cli("render", str(plan), "--to", "json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data
