"""The command line: parse options, call one core function, print the result.

Imports of the core (pydantic, YAML, rendering) happen inside each command, so that ``--version``
and ``--help`` cost no more than the CLI framework itself.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from . import __version__

if TYPE_CHECKING:
    from .library import Library


class SysleadGroup(TyperGroup):
    """Catches the project's own errors once, for every command: one message, exit code 1."""

    def invoke(self, ctx: Any) -> Any:
        """Run the command; a SysleadError becomes its message on stderr and exit code 1."""
        from .errors import SysleadError

        try:
            return super().invoke(ctx)
        except SysleadError as err:
            fail(str(err))


def fail(message: str) -> NoReturn:
    """Print a one-message error on stderr and exit 1."""
    typer.echo(f"syslead: {message}", err=True)
    raise typer.Exit(1)


app = typer.Typer(
    cls=SysleadGroup,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    help="Plan and run system leadership sessions from evidence-based playbooks.",
    epilog="Example: syslead plan-session --participants 14 --org 'City Council' --org 'Acute Trust'",
)
playbooks_app = typer.Typer(
    cls=SysleadGroup,
    no_args_is_help=True,
    help="List, show and validate the playbook library.",
)
app.add_typer(playbooks_app, name="playbooks")


class ListFormat(str, Enum):
    """Output formats for listings."""

    table = "table"
    json = "json"


class ShowFormat(str, Enum):
    """Output formats for one entry."""

    md = "md"
    json = "json"


class PrinciplesFormat(str, Enum):
    """Output formats for the principles."""

    md = "md"
    json = "json"


PlaybooksOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--playbooks",
        help="A folder or file of your own playbooks, searched before the built-ins (repeatable; "
        "also SYSLEAD_PLAYBOOKS, paths separated by the OS path separator).",
        metavar="DIR",
    ),
]
FactorOpt = Annotated[
    str | None,
    typer.Option("--factor", help="Only entries for this factor (an id, or its number 1-5)."),
]


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


def _library(playbooks: list[Path] | None) -> Library:
    from .library import load_library, user_paths

    return load_library(user_paths(playbooks))


def _emit(text: str) -> None:
    """Data to stdout, ending with exactly one newline."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _console() -> Any:
    from rich.console import Console

    width = int(os.environ["COLUMNS"]) if os.environ.get("COLUMNS", "").isdigit() else None
    return Console(width=width, highlight=False, soft_wrap=False)


@playbooks_app.command("list")
def playbooks_list(
    factor: FactorOpt = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="Only entries of this kind (activity, factor, ...)."),
    ] = None,
    to: Annotated[ListFormat, typer.Option("--to", help="table for people, json for scripts.")] = (
        ListFormat.table
    ),
    playbooks: PlaybooksOpt = None,
) -> None:
    """List everything loaded: id, kind, title and factors.

    Example: syslead playbooks list --factor conflict --to json
    """
    from .catalog import catalog_rows

    rows = catalog_rows(_library(playbooks), factor=factor, kind=kind)
    if to is ListFormat.json:
        import json

        _emit(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    from rich.table import Table

    table = Table(title=f"{len(rows)} playbook entries", title_justify="left")
    for column in ("id", "kind", "title", "factors", "from"):
        table.add_column(column, overflow="fold", no_wrap=column == "id")
    for row in rows:
        origin = (
            "built-in"
            if row["builtin"]
            else ("yours (replaces built-in)" if row["overridden"] else "yours")
        )
        table.add_row(row["id"], row["kind"], row["title"], ", ".join(row["factors"]), origin)
    _console().print(table)


@playbooks_app.command("show")
def playbooks_show(
    entry_id: Annotated[
        str, typer.Argument(metavar="ID", help="The id of an entry, or a factor number 1-5.")
    ],
    to: Annotated[ShowFormat, typer.Option("--to", help="md (Markdown) or json.")] = ShowFormat.md,
    playbooks: PlaybooksOpt = None,
) -> None:
    """Show one entry in full.

    Example: syslead playbooks show naming-power
    """
    library = _library(playbooks)
    if entry_id.isdigit():
        from .library import resolve_factor

        entry_id = resolve_factor(entry_id)
    entry = library.get(entry_id)
    if to is ShowFormat.json:
        import json

        _emit(json.dumps(entry.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return
    from .catalog import titles
    from .entries_md import entry_md

    _emit(entry_md(entry, titles(library)))


@playbooks_app.command("validate")
def playbooks_validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PATH]...", help="Playbook files or folders to check with the built-ins."
        ),
    ] = None,
    playbooks: PlaybooksOpt = None,
) -> None:
    """Validate the built-in playbooks plus the given files or folders.

    Every problem is listed as file:line:column: field: what is wrong; the exit code is 1 if any.

    Example: syslead playbooks validate my-playbooks/
    """
    from .catalog import summary_line
    from .library import load_library, user_paths

    library = load_library([*user_paths(playbooks), *(paths or [])])
    _emit(summary_line(library))


@playbooks_app.command("schema")
def playbooks_schema(
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind", help="The schema of one kind only (activity, factor, principles, ...)."
        ),
    ] = None,
) -> None:
    """Print the JSON Schema for playbook files, for editor completion.

    Example: syslead playbooks schema --kind activity > activity.schema.json
    """
    import json

    from .catalog import json_schema

    _emit(json.dumps(json_schema(kind), indent=2, ensure_ascii=False))


@app.command("principles")
def principles(
    to: Annotated[
        PrinciplesFormat, typer.Option("--to", help="md (Markdown) or json.")
    ] = PrinciplesFormat.md,
    set_id: Annotated[
        str | None, typer.Option("--set", help="Which principle set (default: the first loaded).")
    ] = None,
    playbooks: PlaybooksOpt = None,
) -> None:
    """Show the working principles a group agrees to hold itself to.

    Example: syslead principles --to md
    """
    from .catalog import principle_set

    chosen = principle_set(_library(playbooks), set_id)
    if to is PrinciplesFormat.json:
        import json

        _emit(json.dumps(chosen.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return
    from .entries_md import principles_md

    _emit(principles_md(chosen))


class PlanFormat(str, Enum):
    """Output formats for a plan."""

    table = "table"
    md = "md"
    json = "json"
    yaml = "yaml"


class SessionFormatChoice(str, Enum):
    """The two session formats."""

    away_day = "away-day"
    six_weekly = "six-weekly"


TemplatesOpt = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        help="A folder of your own templates, searched before the built-ins.",
        metavar="DIR",
    ),
]
ToPlanOpt = Annotated[
    PlanFormat | None,
    typer.Option(
        "--to",
        help="table (the default on a terminal), md, json or yaml; with -o, the file's suffix "
        "chooses when --to is not given.",
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write to this file instead of the terminal.", metavar="FILE"
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")]

SUFFIX_FORMATS = {
    ".md": PlanFormat.md,
    ".json": PlanFormat.json,
    ".yaml": PlanFormat.yaml,
    ".yml": PlanFormat.yaml,
}


def _plan_format(to: PlanFormat | None, output: Path | None) -> PlanFormat:
    if to is not None:
        return to
    if output is not None:
        return SUFFIX_FORMATS.get(output.suffix.lower(), PlanFormat.table)
    return PlanFormat.table


def _emit_plan(
    plan: Any, library: Library, to: PlanFormat, output: Path | None, force: bool
) -> None:
    if to is PlanFormat.json:
        from .planfile import to_json

        text = to_json(plan)
    elif to is PlanFormat.yaml:
        from .planfile import to_yaml

        text = to_yaml(plan)
    elif to is PlanFormat.md:
        from .agenda import plan_markdown

        text = plan_markdown(plan, library)
    else:
        from .agenda import plan_table

        if output is None:
            _console().print(plan_table(plan, library))
            return
        from rich.console import Console

        console = Console(width=100, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
        console.print(plan_table(plan, library))
        text = console.export_text()
    if output is None:
        _emit(text)
    else:
        from .output import write_atomic

        write_atomic(output, text, force)
        typer.echo(f"wrote {output}", err=True)


@app.command("plan-session")
def plan_session_command(
    session_format: Annotated[
        SessionFormatChoice | None,
        typer.Option(
            "--format",
            help="away-day (13:00-21:00 with an evening meal; the default) or six-weekly (14:00-17:00).",
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option("--date", help="The day, YYYY-MM-DD. Without it the plan carries no date."),
    ] = None,
    start: Annotated[
        str | None, typer.Option("--start", help="Start time, HH:MM (default from the format).")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--end", help="End time, HH:MM (default from the format).")
    ] = None,
    meal: Annotated[
        str | None,
        typer.Option(
            "--meal",
            help="When the away-day's evening meal starts, HH:MM (default 18:30 when it fits).",
        ),
    ] = None,
    focus: Annotated[
        list[str] | None,
        typer.Option(
            "--focus", help="A factor to cover (id or number 1-5; repeatable). Default: all five."
        ),
    ] = None,
    participants: Annotated[
        int | None, typer.Option("--participants", help="How many people (2-200; default 12).")
    ] = None,
    org: Annotated[
        list[str] | None, typer.Option("--org", help="An organisation taking part (repeatable).")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="The session's title.")] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed", help="Another seed gives another plan from the same options (default 1)."
        ),
    ] = None,
    plan_id: Annotated[
        str | None, typer.Option("--plan-id", help="Rebuild the plan a plan id records.")
    ] = None,
    to: ToPlanOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    playbooks: PlaybooksOpt = None,
    templates: TemplatesOpt = None,
) -> None:
    """Plan one session: a timed agenda that fills the window exactly.

    With no options, an afternoon-and-evening away session for twelve people covering all five
    factors. The same options and seed always give the same plan.

    Example: syslead plan-session --date 2027-01-15 --participants 14 --org "City Council" --org "Acute Trust" --to md
    """
    from .output import check_writable
    from .planner import make_request, plan_session

    chosen = _plan_format(to, output)
    if output is not None:
        check_writable(output, force)
    request = make_request(
        plan_id=plan_id,
        focus=focus or [],
        format=session_format.value if session_format else None,
        date=date,
        start=start,
        end=end,
        meal=meal,
        participants=participants,
        organisations=org or [],
        title=title,
        seed=seed,
    )
    library = _library(playbooks)
    _emit_plan(plan_session(library, request), library, chosen, output, force)


@app.command("render")
def render_command(
    plan_file: Annotated[
        Path,
        typer.Argument(metavar="PLAN.yaml", help="A plan saved with --to yaml, perhaps edited."),
    ],
    to: ToPlanOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    playbooks: PlaybooksOpt = None,
    templates: TemplatesOpt = None,
) -> None:
    """Render a saved (perhaps hand-edited) plan again, recomputing its clock times.

    Change a block's minutes or swap its activity id, then render: the times are worked out again,
    locked blocks (the meal) stay put, and every rule of a good plan is checked again.

    Example: syslead render plan.yaml --to md -o agenda.md
    """
    from .planfile import load_plan

    chosen = _plan_format(to, output)
    if output is not None:
        from .output import check_writable

        check_writable(output, force)
    library = _library(playbooks)
    _emit_plan(load_plan(plan_file, library), library, chosen, output, force)


def main() -> None:
    """Entry point: run the app; turn anything unexpected into one line rather than a traceback."""
    # syslead uses no pydantic plugins; not scanning every installed package's entry points for
    # them saves a few milliseconds on every run (a facilitator runs syslead many times).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("syslead: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as err:  # the last line of defence: a bug must not spill a traceback
        if os.environ.get("SYSLEAD_DEBUG"):
            raise
        typer.echo(
            f"syslead: internal error: {type(err).__name__}: {err}. "
            "Set SYSLEAD_DEBUG=1 to see the details, and please report it.",
            err=True,
        )
        sys.exit(1)
