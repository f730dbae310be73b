"""Options, formats and output helpers shared by the commands."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum, auto
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from typer.core import TyperGroup

Progress = Callable[[int, int, str], None]
"""Told (files made so far, files to make, the name of the one being made): see documents.pack."""

if TYPE_CHECKING:
    import datetime as dt

    from rich.console import Console

    from syslead.library.loader import Library
    from syslead.planning.plan import Plan


class SysleadGroup(TyperGroup):
    """Catches the project's own errors once, for every command: one message, exit code 1."""

    def invoke(self, ctx: Any) -> Any:
        """Run the command; a SysleadError becomes its message on stderr and exit code 1."""
        from syslead.errors import SysleadError

        try:
            return super().invoke(ctx)
        except SysleadError as err:
            fail(err.render(OPTION_NAMES))


OPTION_NAMES: dict[str, str] = {
    "format": "--format",
    "date": "--date",
    "start": "--start",
    "end": "--end",
    "meal": "--meal",
    "focus": "--focus",
    "participants": "--participants",
    "organisations": "--org",
    "title": "--title",
    "seed": "--seed",
    "issues": "--issue",
    "rehearsal": "--no-rehearsal",
    "playbooks": "--playbooks",
    "templates": "--templates",
    "plan_id": "--plan-id",
    "session": "--session",
    "every": "--every",
    "count": "--count",
    "members": "--member",
    "actions": "--action",
    "met": "--met",
    "key_messages": "--key-message",
    "conflicts": "--conflict",
    "attended": "--attended",
    "note": "--note",
    "owner": "--owner",
    "min_group": "--min-group",
    "time": "--time",
    "timezone": "--tz",
    "actual": "--actual",
    "overperformer": "--overperformer",
    "by": "--by",
    "budget": "--budget",
    "rules": "--rule",
    "marginal_rate": "--marginal-rate",
    "thresholds": "--threshold",
    "blended_share": "--blended-share",
    "aligned_share": "--aligned-share",
    "risk_share": "--risk-share",
    "cap": "--cap",
    "collar": "--collar",
    "contributions": "--contribution",
    "basis": "--basis",
    "split": "--split",
    "venue": "--venue",
}
"""How the command line names each field the core may refer to in an error (see errors.ref).

Commands add their own fields here (for instance the scenario's rule options); one field has one
option name throughout syslead.
"""


def command_app(help_text: str | None = None) -> typer.Typer:
    """A Typer app for one command or group, all made alike.

    Help is plain text (no Rich markup), so "syslead[pdf]" or "[due 2027-03-01]" in help and
    examples prints as written; shell completion is offered once, by the root, not per group.
    """
    return typer.Typer(
        cls=SysleadGroup,
        no_args_is_help=help_text is not None,
        add_completion=False,
        rich_markup_mode=None,
        help=help_text,
    )


def fail(message: str) -> NoReturn:
    """Print a one-message error on stderr and exit 1."""
    typer.echo(f"syslead: {message}", err=True)
    raise typer.Exit(1)


class OutputFormat(str, Enum):
    """The family of ``--to`` choices: each command lists its formats as members, ``md = auto()``.

    A member's value is its name, which is what the user types and what a file suffix names (see
    pick_format); every format a command offers is one line in its own subclass.
    """

    @staticmethod
    def _generate_next_value_(name: str, start: int, count: int, last_values: list[Any]) -> str:
        return name


class ListFormat(OutputFormat):
    """Output formats for listings."""

    table = auto()
    json = auto()


def complete_factor(incomplete: str) -> list[str]:
    """Shell completion for a factor: its id (the numbers 1 to 5 work too, but are not offered)."""
    from syslead.library.models import FACTOR_IDS

    return [f for f in FACTOR_IDS if f.startswith(incomplete)]


def complete_entry(incomplete: str) -> list[str]:
    """Shell completion for a playbook entry's id: activities, factors, principles, case studies.

    Reads the built-ins and SYSLEAD_PLAYBOOKS through the cache; says nothing if they cannot load.
    """
    try:
        library = library_for(None)
    except Exception:  # completion must never print an error into the shell's line
        return []
    return sorted(i for i in library.entries if i.startswith(incomplete))


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
    typer.Option(
        "--factor",
        metavar="FACTOR",
        help="Only entries for this factor (an id, or its number 1-5).",
        autocompletion=complete_factor,
    ),
]


def library_for(playbooks: list[Path] | None) -> Library:
    from syslead.library.loader import load_library, user_paths

    return load_library(user_paths(playbooks))


def emit(text: str) -> None:
    """Data to stdout, ending with exactly one newline."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def console() -> Console:
    """A console for tables on the terminal: $COLUMNS wide when set, and no Rich markup."""
    from rich.console import Console

    width = int(os.environ["COLUMNS"]) if os.environ.get("COLUMNS", "").isdigit() else None
    # markup=False: text from playbooks and the command line is data, so "[bold]" prints as typed.
    return Console(width=width, highlight=False, soft_wrap=False, markup=False)


class DocumentFormat(OutputFormat):
    """Output formats for a printable document: a handout, a sheet."""

    md = auto()
    html = auto()
    pdf = auto()
    docx = auto()


class FiguresFormat(OutputFormat):
    """Output formats for figures read on the terminal or printed: a report, the budget scenario."""

    table = auto()
    md = auto()
    html = auto()
    json = auto()
    docx = auto()
    pdf = auto()


class PlanFormat(OutputFormat):
    """Output formats for a plan."""

    table = auto()
    md = auto()
    json = auto()
    yaml = auto()
    html = auto()
    docx = auto()
    ics = auto()


class SessionFormatChoice(str, Enum):
    """The session formats."""

    away_day = "away-day"
    six_weekly = "six-weekly"
    day = "day"


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
        help="table (the default on a terminal), md, json, yaml, html, docx (Word; needs -o) or "
        "ics (an invitation; needs --date); with -o, the file's suffix chooses when --to is not "
        "given.",
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write to this file instead of the terminal.", metavar="FILE"
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")]


class Paper(str, Enum):
    """The paper a printable document is laid out for (html and pdf)."""

    a4 = "a4"
    letter = "letter"


PaperOpt = Annotated[
    Paper,
    typer.Option(
        "--paper", help="For html and pdf: the paper to print on, a4 (the default) or letter."
    ),
]

F = TypeVar("F", bound=Enum)
SUFFIX_ALIASES = {"yml": "yaml", "htm": "html", "markdown": "md"}


def pick_format(to: F | None, output: Path | None, formats: type[F], default: F) -> F:
    """``--to`` when given; else the format the ``-o`` file's suffix names; else the default.

    A suffix that names none of the command's formats is refused rather than guessed at, so that
    ``-o agenda.html`` never receives a terminal table.
    """
    if to is not None:
        _suffix_agrees(to, output)
        return to
    if output is None:
        return default
    suffix = output.suffix.lower().lstrip(".")
    try:
        return formats(SUFFIX_ALIASES.get(suffix, suffix))
    except ValueError:
        from syslead.errors import SysleadError

        names = ", ".join(f".{f.value}" for f in formats if f.value != "table")
        raise SysleadError(
            f"-o {output}: the suffix does not say which format to write (expected one of {names}, "
            "or give --to)"
        ) from None


DOCUMENT_SUFFIXES = frozenset({"md", "html", "pdf", "json", "yaml", "csv", "docx", "ics"})
"""Suffixes that name a format: -o with one of them must agree with --to."""


def _suffix_agrees(to: Enum, output: Path | None) -> None:
    """Refuse ``--to md -o agenda.pdf``: the file's name would lie about what it holds."""
    if output is None:
        return
    suffix = output.suffix.lower().lstrip(".")
    named = SUFFIX_ALIASES.get(suffix, suffix)
    if named in DOCUMENT_SUFFIXES and named != str(to.value):
        from syslead.errors import SysleadError

        raise SysleadError(
            f"-o {output}: the name says {named} but --to asks for {to.value}; "
            f"name the file .{to.value} or drop --to"
        )


def plan_format(to: PlanFormat | None, output: Path | None) -> PlanFormat:
    """The plan output format: --to, else -o's suffix, else a table."""
    return pick_format(to, output, PlanFormat, PlanFormat.table)


def check_output(output: Path | None, force: bool) -> None:
    """Refuse an existing output file (without --force) before any work is done."""
    if output is not None:
        from syslead.output import check_writable

        check_writable(output, force)


def write_or_print(data: str | bytes, output: Path | None, force: bool) -> None:
    """Data to the output file (atomically, never clobbering without --force) or to stdout."""
    if output is None:
        if isinstance(data, bytes):
            from syslead.errors import SysleadError

            kind = "Word" if data[:2] == b"PK" else "PDF"
            suffix = "docx" if kind == "Word" else "pdf"
            raise SysleadError(f"{kind} output needs a file: add -o FILE.{suffix}")
        emit(data)
        return
    from syslead.output import write_atomic

    write_atomic(output, data, force)
    typer.echo(f"wrote {output}", err=True)


def emit_plan(
    plan: Plan,
    library: Library,
    to: PlanFormat,
    output: Path | None,
    force: bool,
    templates: Path | None,
    *,
    venue: str | None = None,
    timezone: str | None = None,
) -> None:
    if to is PlanFormat.json:
        from syslead.planning.file import to_json

        text = to_json(plan)
    elif to is PlanFormat.yaml:
        from syslead.planning.file import to_yaml

        text = to_yaml(plan)
    elif to is PlanFormat.docx:
        from syslead.documents.docx import plan_document_docx
        from syslead.documents.templating import environments

        check_file_for(output, "docx")
        write_or_print(
            plan_document_docx("agenda", plan, library, environments(templates)), output, force
        )
        return
    elif to is PlanFormat.ics:
        from syslead.planning.invite import DEFAULT_TIMEZONE, invitation_ics

        text = invitation_ics(plan, library, venue, timezone or DEFAULT_TIMEZONE)
    elif to in (PlanFormat.md, PlanFormat.html):
        from syslead.documents.handouts import plan_document_html, plan_document_md
        from syslead.documents.templating import environments

        render = plan_document_md if to is PlanFormat.md else plan_document_html
        text = render("agenda", plan, library, environments(templates))
    else:
        from syslead.planning.agenda import plan_table

        if output is None:
            console().print(plan_table(plan, library))
            return
        from rich.console import Console

        recorder = Console(width=100, record=True, markup=False, file=open(os.devnull, "w"))  # noqa: SIM115
        recorder.print(plan_table(plan, library))
        text = recorder.export_text()
    write_or_print(text, output, force)


def check_file_for(output: Path | None, suffix: str) -> None:
    """Refuse a binary format (Word, PDF) for the terminal before any work is done."""
    if output is None:
        from syslead.errors import SysleadError

        kind = {"docx": "Word", "pdf": "PDF"}.get(suffix, suffix)
        raise SysleadError(f"{kind} output needs a file: add -o FILE.{suffix}")


def check_venue(venue: str | None) -> None:
    """A venue is one line of plain text, like every name typed on the command line."""
    if venue is None:
        return
    from syslead.errors import SysleadError

    if not venue.strip():
        raise SysleadError("--venue: expected the name of a place, not an empty text")
    bad = next((c for c in venue if ord(c) < 32 or ord(c) == 127), None)
    if bad is not None:
        raise SysleadError(
            f"--venue: a control character ({ord(bad):#04x}) is not allowed; one line of plain text"
        )


@contextmanager
def pack_progress(slow: bool) -> Iterator[Progress | None]:
    """A progress bar on stderr while a pack's PDF and Word files are made.

    Only when the work is slow (``slow``) and stderr is a terminal: never in a pipe, a log or a
    test, so output for scripts stays as it was.
    """
    if not slow or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
    from rich.progress import Progress as Bar

    bar = Bar(
        TextColumn("writing {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True, markup=False, highlight=False),
        transient=True,
    )
    task = bar.add_task("", total=None)

    def update(done: int, total: int, name: str) -> None:
        bar.update(task, completed=done, total=total, description=name)

    with bar:
        yield update


def write_pack(files: dict[str, str | bytes], out_dir: Path, force: bool) -> None:
    """Write every file of a pack, or none: existing files are refused before anything is written."""
    from syslead.errors import OutputError
    from syslead.output import write_atomic

    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: exists and is not a folder")
    existing = [name for name in files if (out_dir / name).exists()]
    if existing and not force:
        shown = ", ".join(existing[:5]) + (
            f" and {len(existing) - 5} more" if len(existing) > 5 else ""
        )
        raise OutputError(
            f"{out_dir}: {shown} already exist{'s' if len(existing) == 1 else ''}; "
            "use --force to overwrite, or choose another --out-dir"
        )
    for name, data in files.items():
        (out_dir / name).parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out_dir / name, data, force=True)
    listing = f": {', '.join(files)}" if len(files) <= 12 else ""
    typer.echo(f"wrote {len(files)} files to {out_dir}{listing}", err=True)


class Audience(str, Enum):
    """Who a handout is for."""

    facilitator = "facilitator"
    participant = "participant"


SeriesFileArg = Annotated[Path, typer.Argument(metavar="FILE", help="The series file (YAML).")]


def parse_date(option: str, text: str) -> dt.date:
    """A YYYY-MM-DD date given to ``option``, or a SysleadError naming it."""
    import datetime as dt

    from syslead.errors import SysleadError

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise SysleadError(f"{option}: {text!r} is not a date (expected YYYY-MM-DD)") from None
