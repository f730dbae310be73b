"""The command line: the root of the command tree, loaded lazily, and the entry point.

Each command lives in its own module under :mod:`syslead.commands` and is imported only when it
runs, so ``syslead --version`` costs little more than the CLI framework itself, and a command pays
only for its own options and its own imports (pydantic, YAML, rendering, PDF, calendars).
"""

from __future__ import annotations

import os
import sys
from importlib import import_module
from typing import Annotated, Any

import typer

from syslead import __version__
from syslead.commands._common import SysleadGroup

COMMANDS: dict[str, tuple[str, str]] = {
    "plan-session": ("syslead.commands.plan", "plan_session_app"),
    "render": ("syslead.commands.plan", "render_app"),
    "handout": ("syslead.commands.plan", "handout_app"),
    "scenario": ("syslead.commands.scenario", "app"),
    "series": ("syslead.commands.series", "app"),
    "assess": ("syslead.commands.assess", "app"),
    "principles": ("syslead.commands.principles", "app"),
    "room": ("syslead.commands.room", "app"),
    "playbooks": ("syslead.commands.playbooks", "app"),
}
"""Every command: its module and the Typer app in it, in the order ``--help`` lists them."""


class LazyGroup(SysleadGroup):
    """The root group: a command's module is imported, and its options read, only when it is used.

    The context and command are typed Any on purpose: they are click's types under older Typer
    releases and Typer's private copy of click (``typer._click``) under newer ones, and syslead
    supports both (typer>=0.12).
    """

    def list_commands(self, ctx: Any) -> list[str]:
        """The command names, without importing anything."""
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """Import the command's module and turn its Typer app into a click command."""
        if cmd_name not in COMMANDS:
            return None
        module, attribute = COMMANDS[cmd_name]
        command = typer.main.get_command(getattr(import_module(module), attribute))
        command.name = cmd_name
        return command


app = typer.Typer(
    cls=LazyGroup,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"syslead {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Plan and run system leadership sessions from evidence-based playbooks.

    Example: syslead plan-session --participants 14 --org "City Council" --org "Acute Trust"
    """


def main() -> None:
    """Entry point: run the app; turn anything unexpected into one line rather than a traceback."""
    # syslead uses no pydantic plugins; not scanning every installed package's entry points for
    # them saves a few milliseconds on every run (a facilitator runs syslead many times).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    code: int | str | None = 0
    try:
        app()
    except SystemExit as done:
        code = done.code
    except KeyboardInterrupt:
        typer.echo("syslead: interrupted", err=True)
        code = 130
    except BrokenPipeError:
        code = 0
    except OSError as err:  # standard output on a full disk, a closed terminal
        code = _output_failed(err)
    except Exception as err:  # the last line of defence: a bug must not spill a traceback
        if os.environ.get("SYSLEAD_DEBUG"):
            raise
        typer.echo(
            f"syslead: internal error: {type(err).__name__}: {err}. "
            "Set SYSLEAD_DEBUG=1 to see the details, and please report it.",
            err=True,
        )
        code = 1
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
    except OSError as err:
        code = _output_failed(err)
    sys.exit(code)


def _output_failed(err: OSError) -> int:
    """Say once that standard output could not be written (a full disk, say), and exit 1."""
    reason = err.strerror or type(err).__name__
    typer.echo(f"syslead: cannot write the output: {reason}", err=True)
    _quiet_stdout()
    return 1


def _quiet_stdout() -> None:
    """Point standard output at nothing, so the interpreter's own last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
