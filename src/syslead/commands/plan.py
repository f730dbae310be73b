"""``syslead plan-session``, ``render`` and ``handout``: plans and the documents made from them."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from syslead.commands._common import (
    Audience,
    DocumentFormat,
    ForceOpt,
    OutputOpt,
    Paper,
    PaperOpt,
    PlaybooksOpt,
    SessionFormatChoice,
    TemplatesOpt,
    ToPlanOpt,
    check_file_for,
    check_output,
    check_venue,
    command_app,
    complete_factor,
    emit_plan,
    library_for,
    pack_progress,
    pick_format,
    plan_format,
    write_or_print,
    write_pack,
)

if TYPE_CHECKING:
    from syslead.planning.plan import PlanRequest

plan_session_app = command_app()
render_app = command_app()
handout_app = command_app()


class WallPaper(str, Enum):
    """Paper for a pack: a4 or letter for every page; a3 for the wall agenda (the rest on A4)."""

    a4 = "a4"
    letter = "letter"
    a3 = "a3"


@plan_session_app.command("plan-session")
def plan_session_command(
    session_format: Annotated[
        SessionFormatChoice | None,
        typer.Option(
            "--format",
            help="away-day (13:00-21:00 with an evening meal; the default), six-weekly "
            "(14:00-17:00) or day (09:30-16:30 with lunch).",
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="DATE",
            help="The day, YYYY-MM-DD. Without it the plan carries no date.",
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--start", metavar="HH:MM", help="Start time, HH:MM (default from the format)."
        ),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--end", metavar="HH:MM", help="End time, HH:MM (default from the format)."),
    ] = None,
    meal: Annotated[
        str | None,
        typer.Option(
            "--meal",
            metavar="HH:MM",
            help="When the meal starts, HH:MM: an away-day's evening meal (default 18:30 when it "
            "fits) or a day's lunch (default 12:30).",
        ),
    ] = None,
    focus: Annotated[
        list[str] | None,
        typer.Option(
            "--focus",
            metavar="FACTOR",
            help="A factor to cover (id or number 1-5; repeatable). Default: all five.",
            autocompletion=complete_factor,
        ),
    ] = None,
    participants: Annotated[
        int | None,
        typer.Option("--participants", metavar="N", help="How many people (2-200; default 12)."),
    ] = None,
    org: Annotated[
        list[str] | None,
        typer.Option("--org", metavar="NAME", help="An organisation taking part (repeatable)."),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", metavar="TEXT", help="The session's title.")
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed",
            metavar="N",
            help="Another seed gives another plan from the same options (default 1).",
        ),
    ] = None,
    issue: Annotated[
        list[str] | None,
        typer.Option(
            "--issue",
            metavar="TEXT",
            help="A live issue the group shares (repeatable); the first gets a block that works it "
            "from positions to a joint next step.",
        ),
    ] = None,
    no_rehearsal: Annotated[
        bool,
        typer.Option(
            "--no-rehearsal",
            help="Leave out the fixed-budget rehearsal that a plan with conflict in focus holds.",
        ),
    ] = False,
    focus_from: Annotated[
        Path | None,
        typer.Option(
            "--focus-from",
            help="Focus on what a self-assessment recommends (a CSV of answers; see syslead assess).",
            metavar="RESPONSES.csv",
        ),
    ] = None,
    plan_id: Annotated[
        str | None,
        typer.Option("--plan-id", metavar="ID", help="Rebuild the plan a plan id records."),
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
    paper: Annotated[
        WallPaper,
        typer.Option(
            "--paper",
            help="With --out-dir, the paper: a4 (the default) or letter for every printed page "
            "and the one-page agenda for the wall; a3 puts the wall agenda (with --pdf) on A3 "
            "and the rest on A4.",
        ),
    ] = WallPaper.a4,
    large_print: Annotated[
        bool,
        typer.Option("--large-print", help="With --out-dir, set every page's body in 16 pt."),
    ] = False,
    docx: Annotated[
        bool,
        typer.Option("--docx", help="With --out-dir, add Word files of every printed document."),
    ] = False,
    venue: Annotated[
        str | None,
        typer.Option(
            "--venue",
            metavar="TEXT",
            help="Where the session is held, for the invitation (--to ics, or invite.ics in a pack).",
        ),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            "--tz",
            "--timezone",
            metavar="ZONE",
            help="The session's local time zone for the invitation (default Europe/London).",
        ),
    ] = None,
    force: ForceOpt = False,
    playbooks: PlaybooksOpt = None,
    templates: TemplatesOpt = None,
) -> None:
    """Plan one session: a timed agenda that fills the window exactly.

    With no options, an afternoon-and-evening away session for twelve people covering all five
    factors. The same options and seed always give the same plan.

    Example: syslead plan-session --date 2027-01-15 --participants 14 --org "City Council" --org "Acute Trust" --to md
    """
    from syslead.output import check_writable
    from syslead.planning.planner import plan_session

    if pdf and out_dir is None:
        raise typer.BadParameter(
            "adds PDFs to a pack; give it with --out-dir DIR (or write one PDF with -o FILE.pdf "
            "from syslead handout)",
            param_hint="'--pdf'",
        )
    if docx and out_dir is None:
        raise typer.BadParameter(
            "adds Word files to a pack; give it with --out-dir DIR (or write one Word file with "
            "--to docx -o FILE.docx)",
            param_hint="'--docx'",
        )
    check_venue(venue)
    if out_dir is not None and (output is not None or to is not None):
        raise typer.BadParameter(
            "writes a whole pack of files; give it without -o and --to", param_hint="'--out-dir'"
        )
    chosen = plan_format(to, output)
    if output is not None:
        check_writable(output, force)
    if focus_from is not None:
        from syslead.assessment.questionnaire import load_questionnaire
        from syslead.assessment.responses import read_responses
        from syslead.assessment.statistics import report
        from syslead.errors import SysleadError

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
        issues=issue or [],
        rehearsal=False if no_rehearsal else None,
    )
    library = library_for(playbooks)
    plan = plan_session(library, request)
    if out_dir is None:
        emit_plan(plan, library, chosen, output, force, templates, venue=venue, timezone=timezone)
        return
    from syslead.documents.pack import build_pack
    from syslead.documents.templating import environments

    env = environments(templates)
    with pack_progress(pdf or docx) as progress:
        pack = build_pack(
            plan,
            library,
            env,
            pdf=pdf,
            paper=paper.value,
            large_print=large_print,
            docx=docx,
            venue=venue,
            timezone=timezone,
            progress=progress,
        )
    write_pack(pack, out_dir, force)


@render_app.command("render")
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
    from syslead.planning.file import load_plan

    chosen = plan_format(to, output)
    check_output(output, force)
    library = library_for(playbooks)
    plan = load_plan(plan_file, library)
    from syslead.planning.rules import commitment_warnings

    for warning in commitment_warnings(plan, library):
        typer.echo(f"syslead: warning: {warning}", err=True)
    emit_plan(plan, library, chosen, output, force, templates)


@handout_app.command("handout")
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
            help="md, html, pdf (needs syslead[pdf] and -o) or docx (Word, needs -o); default md, "
            "or from -o's suffix.",
        ),
    ] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    playbooks: PlaybooksOpt = None,
    templates: TemplatesOpt = None,
    paper: PaperOpt = Paper.a4,
) -> None:
    """Write a printable handout for a saved plan.

    The participant handout never contains facilitator-only notes.

    Example: syslead handout plan.yaml --audience facilitator --to html -o run-sheet.html
    """
    from syslead.errors import SysleadError

    if cards == (audience is not None):
        raise SysleadError("choose one: --audience facilitator, --audience participant, or --cards")
    kind = "cards" if cards or audience is None else audience.value
    chosen = pick_format(to, output, DocumentFormat, DocumentFormat.md)
    check_output(output, force)
    from syslead.documents.handouts import plan_document_html, plan_document_md
    from syslead.documents.pages import html_to_pdf
    from syslead.documents.templating import environments
    from syslead.planning.file import load_plan

    library = library_for(playbooks)
    plan = load_plan(plan_file, library)
    env = environments(templates)
    data: str | bytes
    if chosen is DocumentFormat.docx:
        from syslead.documents.docx import plan_document_docx

        check_file_for(output, "docx")
        data = plan_document_docx(kind, plan, library, env)
    elif chosen is DocumentFormat.md:
        data = plan_document_md(kind, plan, library, env)
    else:
        data = plan_document_html(kind, plan, library, env, paper=paper.value)
        if chosen is DocumentFormat.pdf:
            if output is None:
                raise SysleadError("PDF output needs a file: add -o FILE.pdf")
            data = html_to_pdf(data)
    write_or_print(data, output, force)


def make_request(
    *,
    plan_id: str | None = None,
    focus: Sequence[str] = (),
    **options: object,
) -> PlanRequest:
    """A PlanRequest from command-line options, with errors named by option.

    ``plan_id`` stands for the options it records, and cannot be combined with them.
    """
    from pydantic import ValidationError

    from syslead.commands._common import OPTION_NAMES
    from syslead.errors import SysleadError
    from syslead.library.loader import resolve_factor
    from syslead.planning.limits import MAX_PARTICIPANTS, MIN_PARTICIPANTS
    from syslead.planning.plan import PlanRequest
    from syslead.planning.planid import request_from_plan_id

    fields = {key: value for key, value in options.items() if value is not None and value != []}
    recorded_fields: set[str] = set()
    fields["focus"] = [resolve_factor(f) for f in focus]
    if plan_id is not None:
        issues = fields.get("issues", [])
        recorded = request_from_plan_id(plan_id, issues if isinstance(issues, list) else [])
        clash = sorted(OPTION_NAMES[k] for k in recorded if fields.get(k) not in (None, []))
        if clash:
            raise SysleadError(f"--plan-id already sets {', '.join(clash)}; give one or the other")
        fields.update(recorded)
        recorded_fields = set(recorded)
    try:
        return PlanRequest.model_validate(fields)
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        field = str(first["loc"][0])
        option = (
            "--plan-id"
            if plan_id is not None and field in recorded_fields
            else OPTION_NAMES.get(field, field)
        )
        message = str(first["msg"]).removeprefix("Value error, ")
        shown = first.get("input")
        if option == "--participants":
            message = f"expected a whole number from {MIN_PARTICIPANTS} to {MAX_PARTICIPANTS}"
        elif field == "date" and first["type"] == "less_than_equal":
            message = "too far ahead (expected a date before 9000-12-31)"
        elif field == "date":
            message = "not a date (expected YYYY-MM-DD, a real day of the year)"
        got = f" (got {shown!r})" if shown is not None and not isinstance(shown, list) else ""
        if repr(shown) in message:
            got = ""  # the message already quotes what was given
        raise SysleadError(f"{option}: {message[:1].lower()}{message[1:]}{got}") from None
