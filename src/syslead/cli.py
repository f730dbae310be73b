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
series_app = typer.Typer(
    cls=SysleadGroup,
    no_args_is_help=True,
    help="A recurring programme: an away session, then a meeting every six weeks, with a log.",
)
app.add_typer(series_app, name="series")
scenario_app = typer.Typer(
    cls=SysleadGroup,
    no_args_is_help=True,
    help="Conflict exercises with real numbers: the fixed budget, power and dialogue sheets.",
)
app.add_typer(scenario_app, name="scenario")
assess_app = typer.Typer(
    cls=SysleadGroup,
    no_args_is_help=True,
    help="A five-factor self-assessment: the questionnaire, and a report on the answers.",
)
app.add_typer(assess_app, name="assess")


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
    html = "html"
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
    charter: Annotated[
        bool,
        typer.Option(
            "--charter", help="A charter to sign: the principles and a line per organisation."
        ),
    ] = False,
    org: Annotated[
        list[str] | None,
        typer.Option("--org", help="An organisation that signs the charter (repeatable)."),
    ] = None,
    to: Annotated[
        PrinciplesFormat, typer.Option("--to", help="md (Markdown), html or json.")
    ] = PrinciplesFormat.md,
    set_id: Annotated[
        str | None,
        typer.Option(
            "--set",
            help="Which principle set (default: yours if you have one, else the built-in set).",
        ),
    ] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    playbooks: PlaybooksOpt = None,
    templates: TemplatesOpt = None,
) -> None:
    """Show the working principles a group agrees to hold itself to, or a charter to sign.

    Example: syslead principles --charter --org "City Council" --org "Acute Trust" --to html -o charter.html
    """
    from .catalog import principle_set

    if output is not None:
        from .output import check_writable

        check_writable(output, force)
    chosen = principle_set(_library(playbooks), set_id)
    if to is PrinciplesFormat.json:
        import json

        _write_or_print(
            json.dumps(chosen.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n",
            output,
            force,
        )
        return
    if not charter and to is PrinciplesFormat.md and not org:
        from .entries_md import principles_md

        _write_or_print(principles_md(chosen), output, force)
        return
    from .documents import charter_md, environments, html_page

    env = environments(templates)
    if charter or org:
        text = charter_md(chosen, org or [], env)
    else:
        from .entries_md import principles_md

        text = principles_md(chosen)
    if to is PrinciplesFormat.html:
        text = html_page(chosen.title, text, env, kind="charter" if charter else "document")
    _write_or_print(text, output, force)


class PlanFormat(str, Enum):
    """Output formats for a plan."""

    table = "table"
    md = "md"
    json = "json"
    yaml = "yaml"
    html = "html"


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
        help="table (the default on a terminal), md, json, yaml or html; with -o, the file's "
        "suffix chooses when --to is not given.",
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


def _write_or_print(data: str | bytes, output: Path | None, force: bool) -> None:
    """Data to the output file (atomically, never clobbering without --force) or to stdout."""
    if output is None:
        if isinstance(data, bytes):
            from .errors import SysleadError

            raise SysleadError("PDF output needs a file: add -o FILE.pdf")
        _emit(data)
        return
    from .output import write_atomic

    write_atomic(output, data, force)
    typer.echo(f"wrote {output}", err=True)


def _emit_plan(
    plan: Any,
    library: Library,
    to: PlanFormat,
    output: Path | None,
    force: bool,
    templates: Path | None,
) -> None:
    if to is PlanFormat.json:
        from .planfile import to_json

        text = to_json(plan)
    elif to is PlanFormat.yaml:
        from .planfile import to_yaml

        text = to_yaml(plan)
    elif to in (PlanFormat.md, PlanFormat.html):
        from .documents import environments, plan_document_html, plan_document_md

        render = plan_document_md if to is PlanFormat.md else plan_document_html
        text = render("agenda", plan, library, environments(templates))
    else:
        from .agenda import plan_table

        if output is None:
            _console().print(plan_table(plan, library))
            return
        from rich.console import Console

        console = Console(width=100, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
        console.print(plan_table(plan, library))
        text = console.export_text()
    _write_or_print(text, output, force)


def _write_pack(files: dict[str, str | bytes], out_dir: Path, force: bool) -> None:
    """Write every file of a pack, or none: existing files are refused before anything is written."""
    from .errors import OutputError
    from .output import write_atomic

    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: exists and is not a folder")
    existing = [name for name in files if (out_dir / name).exists()]
    if existing and not force:
        raise OutputError(
            f"{out_dir}: {', '.join(existing)} already exist{'s' if len(existing) == 1 else ''}; "
            "use --force to overwrite, or choose another --out-dir"
        )
    for name, data in files.items():
        (out_dir / name).parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out_dir / name, data, force=True)
    listing = f": {', '.join(files)}" if len(files) <= 12 else ""
    typer.echo(f"wrote {len(files)} files to {out_dir}{listing}", err=True)


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
    focus_from: Annotated[
        Path | None,
        typer.Option(
            "--focus-from",
            help="Focus on what a self-assessment recommends (a CSV of answers; see syslead assess).",
            metavar="RESPONSES.csv",
        ),
    ] = None,
    plan_id: Annotated[
        str | None, typer.Option("--plan-id", help="Rebuild the plan a plan id records.")
    ] = None,
    to: ToPlanOpt = None,
    output: OutputOpt = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out-dir",
            help="Write the whole pack here: plan.yaml, the agenda, facilitator and participant "
            "handouts, exercise cards and the charter, as Markdown and HTML.",
            metavar="DIR",
        ),
    ] = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="With --out-dir, add PDFs (needs syslead[pdf]).")
    ] = False,
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
    if focus_from is not None:
        from .assessment import load_questionnaire, read_responses, report
        from .errors import SysleadError

        if focus:
            raise SysleadError("--focus-from chooses the focus; give it without --focus")
        questionnaire = load_questionnaire()
        focus = report(questionnaire, read_responses(focus_from, questionnaire)).recommended_focus
        typer.echo(f"focus from {focus_from}: {', '.join(focus)}", err=True)
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
    plan = plan_session(library, request)
    if out_dir is None:
        _emit_plan(plan, library, chosen, output, force, templates)
        return
    from .catalog import principle_set
    from .documents import charter_md, environments
    from .pack import build_pack

    env = environments(templates)
    charter = charter_md(principle_set(library, plan.principles), plan.organisations, env)
    _write_pack(build_pack(plan, library, env, pdf=pdf, charter=charter), out_dir, force)


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
    _emit_plan(load_plan(plan_file, library), library, chosen, output, force, templates)


class Audience(str, Enum):
    """Who a handout is for."""

    facilitator = "facilitator"
    participant = "participant"


class DocumentFormat(str, Enum):
    """Output formats for a printable document."""

    md = "md"
    html = "html"
    pdf = "pdf"


@app.command("handout")
def handout_command(
    plan_file: Annotated[
        Path, typer.Argument(metavar="PLAN.yaml", help="A plan saved with --to yaml.")
    ],
    audience: Annotated[
        Audience | None,
        typer.Option("--audience", help="facilitator (the run sheet, with notes) or participant."),
    ] = None,
    cards: Annotated[
        bool, typer.Option("--cards", help="Exercise cards instead: one page per activity.")
    ] = False,
    to: Annotated[
        DocumentFormat | None,
        typer.Option(
            "--to",
            help="md, html or pdf (pdf needs syslead[pdf] and -o); default md, or from -o's suffix.",
        ),
    ] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    playbooks: PlaybooksOpt = None,
    templates: TemplatesOpt = None,
) -> None:
    """Write a printable handout for a saved plan.

    The participant handout never contains facilitator-only notes.

    Example: syslead handout plan.yaml --audience facilitator --to html -o run-sheet.html
    """
    from .errors import SysleadError

    if cards == (audience is not None):
        raise SysleadError("choose one: --audience facilitator, --audience participant, or --cards")
    kind = "cards" if cards else audience.value if audience else "participant"
    chosen = to or (
        DocumentFormat(output.suffix.lower().lstrip("."))
        if output is not None and output.suffix.lower() in {".md", ".html", ".pdf"}
        else DocumentFormat.md
    )
    if output is not None:
        from .output import check_writable

        check_writable(output, force)
    from .documents import environments, html_to_pdf, plan_document_html, plan_document_md
    from .planfile import load_plan

    library = _library(playbooks)
    plan = load_plan(plan_file, library)
    env = environments(templates)
    data: str | bytes
    if chosen is DocumentFormat.md:
        data = plan_document_md(kind, plan, library, env)
    else:
        data = plan_document_html(kind, plan, library, env)
        if chosen is DocumentFormat.pdf:
            if output is None:
                raise SysleadError("PDF output needs a file: add -o FILE.pdf")
            data = html_to_pdf(data)
    _write_or_print(data, output, force)


SeriesFileArg = Annotated[Path, typer.Argument(metavar="FILE", help="The series file (YAML).")]


def _date(option: str, text: str) -> Any:
    import datetime as dt

    from .errors import SysleadError

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise SysleadError(f"{option}: {text!r} is not a date (expected YYYY-MM-DD)") from None


@series_app.command("new")
def series_new(
    file: SeriesFileArg,
    title: Annotated[str, typer.Option("--title", help="The programme's name.")],
    start: Annotated[str, typer.Option("--start", help="The first session's date, YYYY-MM-DD.")],
    every: Annotated[
        str, typer.Option("--every", help="How often the group meets, in weeks (6w).")
    ] = "6w",
    count: Annotated[int, typer.Option("--count", help="How many sessions (1-100).")] = 8,
    time: Annotated[
        str, typer.Option("--time", help="The six-weekly meetings' time, HH:MM-HH:MM.")
    ] = "14:00-17:00",
    first_format: Annotated[
        SessionFormatChoice,
        typer.Option("--first-format", help="The first session: away-day or six-weekly."),
    ] = SessionFormatChoice.away_day,
    tz: Annotated[
        str, typer.Option("--tz", help="The time zone for the calendar (IANA name).")
    ] = "Europe/London",
    org: Annotated[
        list[str] | None, typer.Option("--org", help="An organisation taking part (repeatable).")
    ] = None,
    participants: Annotated[
        int, typer.Option("--participants", help="How many people (2-200).")
    ] = 12,
    skip: Annotated[
        list[str] | None,
        typer.Option("--skip", help="A date the group cannot meet, YYYY-MM-DD (repeatable)."),
    ] = None,
    location: Annotated[
        str | None, typer.Option("--location", help="Where the group meets.")
    ] = None,
    seed: Annotated[
        int, typer.Option("--seed", help="Another seed gives other plans (default 1).")
    ] = 1,
    force: ForceOpt = False,
) -> None:
    """Create a series file: the dates, formats and focus of every session.

    The first session can be an away-day and the rest six-weekly meetings; a session on a --skip date
    (or a weekend) moves to the next free weekday.

    Example: syslead series new programme.yaml --title "Northshire leaders" --start 2027-01-15 --count 8 --org "Northshire Council"
    """
    from .output import check_writable, write_atomic
    from .series import new_series, parse_every
    from .seriesfile import dump_series

    check_writable(file, force)
    series = new_series(
        title=title,
        start=_date("--start", start),
        every_weeks=parse_every(every),
        count=count,
        time=time,
        first_format=first_format.value,
        timezone=tz,
        organisations=org or [],
        participants=participants,
        skip=[_date("--skip", day) for day in skip or []],
        seed=seed,
        location=location,
    )
    write_atomic(file, dump_series(series), force)
    typer.echo(
        f"wrote {file}: {len(series.sessions)} sessions from {series.sessions[0].date} to {series.sessions[-1].date}",
        err=True,
    )


@series_app.command("plan")
def series_plan(
    file: SeriesFileArg,
    out_dir: Annotated[
        Path,
        typer.Option("--out-dir", help="Where to write the packs and calendar.ics.", metavar="DIR"),
    ],
    pdf: Annotated[bool, typer.Option("--pdf", help="Add PDFs (needs syslead[pdf]).")] = False,
    force: ForceOpt = False,
    playbooks: PlaybooksOpt = None,
    templates: TemplatesOpt = None,
) -> None:
    """Write a pack for every session, and calendar.ics with one event per session.

    Calendar entries keep their identity when you plan again, so a calendar updates rather than
    duplicates them.

    Example: syslead series plan programme.yaml --out-dir programme
    """
    from .calendar import calendar_ics
    from .catalog import principle_set
    from .documents import charter_md, environments
    from .pack import build_pack
    from .series import plan_series, review_for
    from .seriesfile import load_series

    library = _library(playbooks)
    series = load_series(file)
    plans = plan_series(series, library)
    env = environments(templates)
    files: dict[str, str | bytes] = {"calendar.ics": calendar_ics(series, plans, library)}
    charter = charter_md(principle_set(library, None), series.organisations, env)
    for session, plan in zip(series.sessions, plans, strict=True):
        folder = f"session-{session.number:02d}-{session.date.isoformat()}"
        pack = build_pack(
            plan, library, env, pdf=pdf, charter=charter, review=review_for(series, session.number)
        )
        files.update({f"{folder}/{name}": data for name, data in pack.items()})
    _write_pack(files, out_dir, force)


@series_app.command("record")
def series_record(
    file: SeriesFileArg,
    session: Annotated[int, typer.Option("--session", help="The session's number.")],
    key_message: Annotated[
        list[str] | None, typer.Option("--key-message", help="A key message agreed (repeatable).")
    ] = None,
    action: Annotated[
        list[str] | None,
        typer.Option("--action", help="'OWNER: WHAT [due YYYY-MM-DD]' (repeatable)."),
    ] = None,
    conflict: Annotated[
        list[str] | None,
        typer.Option("--conflict", help="A conflict surfaced, to return to (repeatable)."),
    ] = None,
    attended: Annotated[
        list[str] | None, typer.Option("--attended", help="Someone who attended (repeatable).")
    ] = None,
) -> None:
    """Add what a session agreed to the series file; nothing already recorded is lost.

    Safe to run from several terminals at once: each change is made under a lock and written
    atomically.

    Example: syslead series record programme.yaml --session 1 --key-message "One budget conversation" --action "Council CEO: draft the joint letter [due 2027-02-12]"
    """
    from .errors import SysleadError
    from .series import parse_action, record
    from .seriesfile import update_series

    actions = [parse_action(text) for text in action or []]
    if not (key_message or actions or conflict or attended):
        raise SysleadError(
            "nothing to record: give --key-message, --action, --conflict or --attended"
        )

    def change(series: Any) -> Any:
        return record(
            series,
            session,
            key_messages=key_message or [],
            actions=actions,
            conflicts=conflict or [],
            attended=attended or [],
        )

    update_series(file, change)
    typer.echo(f"recorded in {file}, session {session}", err=True)


@series_app.command("next")
def series_next(
    file: SeriesFileArg,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out-dir", help="Write the next session's pack here.", metavar="DIR"),
    ] = None,
    to: ToPlanOpt = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="With --out-dir, add PDFs.")] = False,
    force: ForceOpt = False,
    playbooks: PlaybooksOpt = None,
    templates: TemplatesOpt = None,
) -> None:
    """The next session (the first with nothing recorded), opening with a review of earlier ones.

    Example: syslead series next programme.yaml --out-dir next-meeting
    """
    from .series import next_session, plan_series, review_for
    from .seriesfile import load_series

    library = _library(playbooks)
    series = load_series(file)
    upcoming = next_session(series)
    plan = plan_series(series, library, upto=upcoming.number)[-1]
    review = review_for(series, upcoming.number)
    if out_dir is None:
        chosen = to or PlanFormat.md
        if chosen in (PlanFormat.md, PlanFormat.html):
            from .documents import environments, plan_document_html, plan_document_md

            render = plan_document_md if chosen is PlanFormat.md else plan_document_html
            _emit(render("agenda", plan, library, environments(templates), review))
        else:
            _emit_plan(plan, library, chosen, None, force, templates)
        return
    from .catalog import principle_set
    from .documents import charter_md, environments
    from .pack import build_pack

    env = environments(templates)
    charter = charter_md(principle_set(library, None), series.organisations, env)
    _write_pack(
        build_pack(plan, library, env, pdf=pdf, charter=charter, review=review), out_dir, force
    )


@series_app.command("status")
def series_status(
    file: SeriesFileArg,
    to: Annotated[
        ListFormat, typer.Option("--to", help="table for people, json for scripts.")
    ] = ListFormat.table,
) -> None:
    """Where the programme stands: dates, focus, factor coverage and open actions by owner.

    Example: syslead series status programme.yaml --to json
    """
    import datetime as dt

    from .series import status_data
    from .seriesfile import load_series

    series = load_series(file)
    data = status_data(series, today=dt.date.today())
    if to is ListFormat.json:
        import json

        _emit(json.dumps(data, indent=2, ensure_ascii=False))
        return
    from .series_view import status_table

    _console().print(status_table(data))


class ScenarioFormat(str, Enum):
    """Output formats for the fixed-budget scenario."""

    table = "table"
    md = "md"
    html = "html"
    json = "json"


class SheetFormat(str, Enum):
    """Output formats for printable sheets."""

    md = "md"
    html = "html"


@scenario_app.command("fixed-budget")
def scenario_fixed_budget(
    org: Annotated[
        list[str] | None,
        typer.Option(
            "--org",
            help="NAME=PLANNED, such as 'Acute trust=100m' (repeatable). With --seed, a name alone will do.",
        ),
    ] = None,
    actual: Annotated[
        list[str] | None,
        typer.Option("--actual", help="NAME=VALUE: what an organisation actually delivered."),
    ] = None,
    overperformer: Annotated[
        str | None, typer.Option("--overperformer", help="The organisation over plan.")
    ] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", help="How far over plan: 10%, 2.5m (a minus sign for under)."),
    ] = None,
    budget: Annotated[
        str | None,
        typer.Option("--budget", help="The system budget (default: the sum of the plans)."),
    ] = None,
    rule: Annotated[
        list[str] | None,
        typer.Option(
            "--rule",
            help="A rule to show (repeatable; default all): payment-by-results, block, marginal-rate, blended, aligned, capped-risk-share, pooled-budget, gain-loss-share.",
        ),
    ] = None,
    marginal_rate: Annotated[
        str | None,
        typer.Option(
            "--marginal-rate",
            help="Marginal rule: the share paid above the threshold (default 30%).",
        ),
    ] = None,
    threshold: Annotated[
        list[str] | None,
        typer.Option("--threshold", help="Marginal rule: NAME=AMOUNT (default: the plan)."),
    ] = None,
    blended_share: Annotated[
        str | None,
        typer.Option("--blended-share", help="Blended rule: the variable share (default 20%)."),
    ] = None,
    aligned_share: Annotated[
        str | None,
        typer.Option("--aligned-share", help="Aligned rule: the variable share (default 75%)."),
    ] = None,
    risk_share: Annotated[
        str | None,
        typer.Option(
            "--risk-share", help="Capped rule: the share of the difference (default 50%)."
        ),
    ] = None,
    cap: Annotated[
        str | None,
        typer.Option("--cap", help="Capped rule: the most paid above plan (2.5% or 2m; 'none')."),
    ] = None,
    collar: Annotated[
        str | None, typer.Option("--collar", help="Capped rule: the most taken below plan.")
    ] = None,
    contribution: Annotated[
        list[str] | None,
        typer.Option(
            "--contribution", help="Pooled rule: NAME=AMOUNT put into the pool (default: the plan)."
        ),
    ] = None,
    basis: Annotated[
        str | None, typer.Option("--basis", help="Gain/loss rule: equal, budget or split.")
    ] = None,
    split: Annotated[
        list[str] | None,
        typer.Option("--split", help="Gain/loss rule: NAME=PERCENT (the split must total 100%)."),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed", help="Make up a plausible scenario from the --org names (or a default cast)."
        ),
    ] = None,
    example: Annotated[
        bool,
        typer.Option(
            "--example", help="The worked example: a £100m acute trust 5,000 spells over plan."
        ),
    ] = False,
    audience: Annotated[
        Audience,
        typer.Option(
            "--audience", help="For md and html: facilitator (the key) or participant (the brief)."
        ),
    ] = Audience.facilitator,
    to: Annotated[
        ScenarioFormat, typer.Option("--to", help="table, md, html or json.")
    ] = ScenarioFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    templates: TemplatesOpt = None,
) -> None:
    """The fixed-budget case: one organisation overperforms; who pays? Figures under every rule.

    The participant brief sets out the situation without answers; the facilitator key gives every
    figure, who gains and who loses, the power to name and what to watch for.

    Example: syslead scenario fixed-budget --org "Acute trust=100m" --org "Community services=40m" --overperformer "Acute trust" --by 10% --to md
    """
    from .errors import SysleadError
    from .scenario import (
        build_scenario,
        compute,
        generate,
        make_params,
        parse_amount,
        parse_change,
        parse_limit,
        parse_org,
        parse_org_or_name,
        parse_percent,
        parse_share_pair,
        to_json_data,
        worked_example,
    )

    if output is not None:
        from .output import check_writable

        check_writable(output, force)

    def pairs(values: list[str] | None, option: str) -> dict[str, Any]:
        return dict(parse_org(v, option=option) for v in values or [])

    if example:
        if org or seed is not None:
            raise SysleadError("--example is the worked example: give it without --org or --seed")
        scenario = worked_example()
    elif seed is not None or not org:
        if actual or overperformer or by:
            raise SysleadError(
                "a generated scenario (--seed, or no --org) chooses its own out-turns; drop --actual, --overperformer and --by"
            )
        named = [parse_org_or_name(text) for text in org or []]
        scenario = generate(
            [name for name, _ in named],
            seed if seed is not None else 1,
            planned={name: amount for name, amount in named if amount is not None},
        )
        if budget is not None:
            from .scenario import make_scenario

            scenario = make_scenario(
                scenario.organisations,
                budget=parse_amount(budget, option="--budget"),
                seed=scenario.seed,
            )
    else:
        scenario = build_scenario(
            [parse_org(text) for text in org],
            actual=[parse_org(text, option="--actual") for text in actual or []],
            overperformer=overperformer,
            by=parse_change(by) if by is not None else None,
            budget=parse_amount(budget, option="--budget") if budget is not None else None,
        )
    params = make_params(
        marginal_rate=parse_percent(marginal_rate, option="--marginal-rate")
        if marginal_rate
        else None,
        thresholds=pairs(threshold, "--threshold"),
        blended_share=parse_percent(blended_share, option="--blended-share")
        if blended_share
        else None,
        aligned_share=parse_percent(aligned_share, option="--aligned-share")
        if aligned_share
        else None,
        risk_share=parse_percent(risk_share, option="--risk-share") if risk_share else None,
        cap=parse_limit(cap, option="--cap") if cap else None,
        collar=parse_limit(collar, option="--collar") if collar else None,
        contributions=pairs(contribution, "--contribution"),
        basis=basis,
        split=dict(parse_share_pair(v) for v in split or []),
    )
    results = compute(scenario, rule or None, params)
    if to is ScenarioFormat.json:
        import json

        _write_or_print(
            json.dumps(to_json_data(scenario, results), indent=2, ensure_ascii=False) + "\n",
            output,
            force,
        )
        return
    if to is ScenarioFormat.table:
        from .scenario_view import scenario_table

        if output is not None:
            raise SysleadError("a table is for the terminal; use --to md, html or json with -o")
        _console().print(scenario_table(scenario, results))
        return
    from .scenario_md import facilitator_key_md, participant_brief_md

    if audience is Audience.facilitator:
        text = facilitator_key_md(scenario, results, params)
        title = "Fixed budget: facilitator key"
    else:
        text = participant_brief_md(scenario, params, rule or None)
        title = "Fixed budget: participant brief"
    if to is ScenarioFormat.html:
        from .documents import environments, html_page

        text = html_page(title, text, environments(templates), kind="scenario")
    _write_or_print(text, output, force)


def _sheet(
    template: str, title: str, context: dict[str, Any], to: SheetFormat, templates: Path | None
) -> str:
    from .documents import environments, html_page, render_template

    env = environments(templates)
    text = render_template(env.markdown, template, context)
    return html_page(title, text, env, kind="sheet") if to is SheetFormat.html else text


@scenario_app.command("power-sheet")
def scenario_power_sheet(
    org: Annotated[
        list[str] | None, typer.Option("--org", help="An organisation in the group (repeatable).")
    ] = None,
    to: Annotated[SheetFormat, typer.Option("--to", help="md or html.")] = SheetFormat.md,
    output: OutputOpt = None,
    force: ForceOpt = False,
    templates: TemplatesOpt = None,
) -> None:
    """A prompt sheet for naming the power in the room: who is seen to lead, who holds a veto, who answers to whom.

    Example: syslead scenario power-sheet --org "Northshire Council" --org "Northshire Hospitals" --to html -o power.html
    """
    if output is not None:
        from .output import check_writable

        check_writable(output, force)
    text = _sheet(
        "power-sheet.md.j2",
        "Naming the power in the room",
        {"organisations": org or []},
        to,
        templates,
    )
    _write_or_print(text, output, force)


@scenario_app.command("observation-sheet")
def scenario_observation_sheet(
    name: Annotated[
        list[str] | None, typer.Option("--name", help="A person to observe (repeatable).")
    ] = None,
    participants: Annotated[
        int, typer.Option("--participants", help="Blank rows when no --name is given (2-200).")
    ] = 12,
    to: Annotated[SheetFormat, typer.Option("--to", help="md or html.")] = SheetFormat.md,
    output: OutputOpt = None,
    force: ForceOpt = False,
    templates: TemplatesOpt = None,
) -> None:
    """A dialogue-pattern observation sheet: move, follow, oppose and bystand tallies, and stuck, entrenched or repeating.

    Example: syslead scenario observation-sheet --participants 14 --to html -o observer.html
    """
    from .errors import SysleadError

    if not 2 <= participants <= 200:
        raise SysleadError("--participants: expected a whole number from 2 to 200")
    if output is not None:
        from .output import check_writable

        check_writable(output, force)
    names = name or [""] * participants
    text = _sheet(
        "observation-sheet.md.j2", "Observing the conversation", {"names": names}, to, templates
    )
    _write_or_print(text, output, force)


class QuestionnaireFormat(str, Enum):
    """Output formats for the questionnaire."""

    md = "md"
    html = "html"
    csv = "csv"
    json = "json"


class ReportFormat(str, Enum):
    """Output formats for the assessment report."""

    table = "table"
    md = "md"
    html = "html"
    json = "json"


@assess_app.command("questionnaire")
def assess_questionnaire(
    to: Annotated[
        QuestionnaireFormat,
        typer.Option(
            "--to",
            help="md or html (a printable form), csv (a blank template for answers) or json.",
        ),
    ] = QuestionnaireFormat.md,
    output: OutputOpt = None,
    force: ForceOpt = False,
    templates: TemplatesOpt = None,
) -> None:
    """The five-factor questionnaire: four statements per factor, answered 1 to 5.

    Example: syslead assess questionnaire --to csv -o answers.csv
    """
    from .assessment import (
        load_questionnaire,
        questionnaire_csv_template,
        questionnaire_html,
        questionnaire_json_data,
        questionnaire_md,
    )

    if output is not None:
        from .output import check_writable

        check_writable(output, force)
    q = load_questionnaire()
    if to is QuestionnaireFormat.json:
        import json

        text = json.dumps(questionnaire_json_data(q), indent=2, ensure_ascii=False) + "\n"
    elif to is QuestionnaireFormat.csv:
        text = questionnaire_csv_template(q)
    elif to is QuestionnaireFormat.html:
        from .documents import environments

        text = questionnaire_html(q, environments(templates))
    else:
        text = questionnaire_md(q)
    _write_or_print(text, output, force)


@assess_app.command("report")
def assess_report(
    responses: Annotated[
        Path, typer.Argument(metavar="RESPONSES.csv", help="The filled-in CSV template.")
    ],
    to: Annotated[
        ReportFormat, typer.Option("--to", help="table, md, html or json.")
    ] = ReportFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    templates: TemplatesOpt = None,
) -> None:
    """Where the group stands on each factor, where its members disagree, and what to focus on.

    Example: syslead assess report answers.csv --to html -o assessment.html
    """
    from .assessment import load_questionnaire, read_responses, report, report_json_data

    if output is not None:
        from .output import check_writable

        check_writable(output, force)
    q = load_questionnaire()
    result = report(q, read_responses(responses, q))
    if to is ReportFormat.table:
        if output is not None:
            from .errors import SysleadError

            raise SysleadError("a table is for the terminal; use --to md, html or json with -o")
        from .assessment import report_table

        _console().print(report_table(result))
        return
    if to is ReportFormat.json:
        import json

        text = json.dumps(report_json_data(result), indent=2, ensure_ascii=False) + "\n"
    elif to is ReportFormat.html:
        from .assessment import report_html
        from .documents import environments

        text = report_html(result, environments(templates))
    else:
        from .assessment import report_md

        text = report_md(result)
    _write_or_print(text, output, force)


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
