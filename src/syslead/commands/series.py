"""``syslead series``: a recurring programme, its packs, calendar and log."""

from __future__ import annotations

from collections.abc import Callable
from enum import auto
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from syslead.commands._common import (
    ForceOpt,
    ListFormat,
    OutputFormat,
    OutputOpt,
    PlanFormat,
    PlaybooksOpt,
    SeriesFileArg,
    SessionFormatChoice,
    TemplatesOpt,
    ToPlanOpt,
    command_app,
    console,
    emit,
    emit_plan,
    library_for,
    parse_date,
    write_pack,
)
from syslead.planning.limits import MAX_PARTICIPANTS, MIN_PARTICIPANTS

if TYPE_CHECKING:
    import datetime as dt

    from syslead.series.file import Update
    from syslead.series.programme import Series


def note(message: str) -> None:
    """A note on stderr."""
    typer.echo(f"syslead: note: {message}", err=True)


def upgraded(file: Path, update: Update) -> None:
    """Say so when a write upgraded an old series file."""
    from syslead.series.programme import SCHEMA_VERSION

    if update.upgraded_from is not None:
        note(
            f"{file} was a version {update.upgraded_from} series file; it is now version "
            f"{SCHEMA_VERSION} (actions have ids, and members, pairs met and "
            "assessments can be recorded)"
        )


app = command_app(
    "A recurring programme: an away session, then a meeting every six weeks, with a log.\n\n"
    'Example: syslead series new programme.yaml --title "Northshire leaders" --start 2027-01-15'
)


TodayOpt = Annotated[
    str | None,
    typer.Option(
        "--today",
        metavar="DATE",
        help="The day to judge by, YYYY-MM-DD (default: the date of the session being prepared, "
        "or today, or SYSLEAD_TODAY when set, once every session is held).",
    ),
]

TODAY_VARIABLE = "SYSLEAD_TODAY"
"""An environment variable that, set to YYYY-MM-DD, stands for today's date wherever a command
would read the clock (a test, a demonstration or a rehearsal of a later meeting)."""


def clock_today() -> dt.date:
    """Today's date: SYSLEAD_TODAY when it is set, else the computer's clock."""
    import datetime as dt
    import os

    text = os.environ.get(TODAY_VARIABLE, "").strip()
    if text:
        return parse_date(TODAY_VARIABLE, text)
    return dt.date.today()


def _today(series: Series, today: str | None) -> dt.date:
    from syslead.series.actions import reference_day

    if today is not None:
        return parse_date("--today", today)
    return reference_day(series, clock_today())


@app.command("new")
def series_new(
    file: SeriesFileArg,
    title: Annotated[str, typer.Option("--title", metavar="TEXT", help="The programme's name.")],
    start: Annotated[
        str, typer.Option("--start", metavar="DATE", help="The first session's date, YYYY-MM-DD.")
    ],
    every: Annotated[
        str,
        typer.Option("--every", metavar="WEEKS", help="How often the group meets, in weeks (6w)."),
    ] = "6w",
    count: Annotated[
        int, typer.Option("--count", metavar="N", help="How many sessions (1-100).")
    ] = 8,
    time: Annotated[
        str,
        typer.Option(
            "--time", metavar="HH:MM-HH:MM", help="The six-weekly meetings' time, HH:MM-HH:MM."
        ),
    ] = "14:00-17:00",
    first_format: Annotated[
        SessionFormatChoice,
        typer.Option("--first-format", help="The first session: away-day or six-weekly."),
    ] = SessionFormatChoice.away_day,
    tz: Annotated[
        str,
        typer.Option(
            "--tz",
            "--timezone",
            metavar="ZONE",
            help="The time zone for the calendar (IANA name).",
        ),
    ] = "Europe/London",
    org: Annotated[
        list[str] | None,
        typer.Option("--org", metavar="NAME", help="An organisation taking part (repeatable)."),
    ] = None,
    participants: Annotated[
        int | None,
        typer.Option(
            "--participants",
            metavar="N",
            help=f"How many people ({MIN_PARTICIPANTS}-{MAX_PARTICIPANTS}; default 12, or the "
            "number of members when two or more are named).",
            show_default=False,
        ),
    ] = None,
    skip: Annotated[
        list[str] | None,
        typer.Option(
            "--skip", metavar="DATE", help="A date the group cannot meet, YYYY-MM-DD (repeatable)."
        ),
    ] = None,
    location: Annotated[
        str | None, typer.Option("--location", metavar="TEXT", help="Where the group meets.")
    ] = None,
    seed: Annotated[
        int, typer.Option("--seed", metavar="N", help="Another seed gives other plans (default 1).")
    ] = 1,
    member: Annotated[
        list[str] | None,
        typer.Option(
            "--member",
            metavar="NAME=ORG",
            help="A member and their organisation, 'Asha Patel=Northshire ICB' (repeatable).",
        ),
    ] = None,
    force: ForceOpt = False,
    playbooks: PlaybooksOpt = None,
) -> None:
    """Create a series file: the dates, formats and focus of every session.

    The first session can be an away-day and the rest six-weekly meetings; a session on a --skip date
    (or a weekend) moves to the next free weekday.

    With --member, the group's size is the number of members unless --participants says otherwise.

    Example: syslead series new programme.yaml --title "Northshire leaders" --start 2027-01-15 --count 8 --member "Asha Patel=Northshire ICB" --member "Ben Ode=Northshire Council"
    """
    from syslead.output import check_writable, write_atomic
    from syslead.series.file import dump_series
    from syslead.series.planned import plan_series
    from syslead.series.programme import new_series, parse_every, parse_member

    check_writable(file, force)
    members = [parse_member(text) for text in member or []]
    if participants is None:
        participants = min(len(members), MAX_PARTICIPANTS) if len(members) >= 2 else 12
    series = new_series(
        members=members,
        title=title,
        start=parse_date("--start", start),
        every_weeks=parse_every(every),
        count=count,
        time=time,
        first_format=first_format.value,
        timezone=tz,
        organisations=org or [],
        participants=participants,
        skip=[parse_date("--skip", day) for day in skip or []],
        seed=seed,
        location=location,
    )
    # A series that cannot be planned is refused now, not when the first pack is wanted; a window
    # too short or too long is told a --time that plans every session.
    library = library_for(playbooks)

    def plan_at(window: str) -> None:
        plan_series(series.model_copy(update={"time": window}), library)

    plan_or_suggest_time(plan_at, time)
    write_atomic(file, dump_series(series), force)
    typer.echo(
        f"wrote {file}: {len(series.sessions)} sessions from {series.sessions[0].date} to {series.sessions[-1].date}",
        err=True,
    )


@app.command("plan")
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
    from syslead.documents.pack import build_pack
    from syslead.documents.templating import environments
    from syslead.series.calendar import calendar_ics
    from syslead.series.file import load_series
    from syslead.series.planned import plan_series, review_for

    library = library_for(playbooks)
    series = load_series(file)
    plans = plan_series(series, library)
    env = environments(templates)
    files: dict[str, str | bytes] = {"calendar.ics": calendar_ics(series, plans, library)}
    for session, plan in zip(series.sessions, plans, strict=True):
        folder = f"session-{session.number:02d}-{session.date.isoformat()}"
        pack = build_pack(plan, library, env, pdf=pdf, review=review_for(series, session.number))
        files.update({f"{folder}/{name}": data for name, data in pack.items()})
    write_pack(files, out_dir, force)
    current = {name.split("/", 1)[0] for name in files}
    stale = sorted(
        p.name for p in out_dir.glob("session-*") if p.is_dir() and p.name not in current
    )
    if stale:
        typer.echo(
            f"syslead: note: {out_dir} still holds packs for sessions the series no longer has "
            f"at those dates: {', '.join(stale)}; remove them so that nobody prints them",
            err=True,
        )


@app.command("record")
def series_record(
    file: SeriesFileArg,
    session: Annotated[int, typer.Option("--session", metavar="N", help="The session's number.")],
    key_message: Annotated[
        list[str] | None,
        typer.Option("--key-message", metavar="TEXT", help="A key message agreed (repeatable)."),
    ] = None,
    action: Annotated[
        list[str] | None,
        typer.Option(
            "--action", metavar="TEXT", help="'OWNER: WHAT [due YYYY-MM-DD]' (repeatable)."
        ),
    ] = None,
    conflict: Annotated[
        list[str] | None,
        typer.Option(
            "--conflict", metavar="TEXT", help="A conflict surfaced, to return to (repeatable)."
        ),
    ] = None,
    attended: Annotated[
        list[str] | None,
        typer.Option("--attended", metavar="NAME", help="A member who attended (repeatable)."),
    ] = None,
    met: Annotated[
        list[str] | None,
        typer.Option(
            "--met",
            metavar="NAME=NAME",
            help="Two members (or a trio) who met after this session (repeatable).",
        ),
    ] = None,
) -> None:
    """Add what a session agreed to the series file; nothing already recorded is lost.

    Safe to run from several terminals at once: each change is made under a lock and written
    atomically. A writer that finds another at work says so after a second and gives up after
    30 seconds (SYSLEAD_LOCK_TIMEOUT sets another wait). Comments in the file are kept.

    Example: syslead series record programme.yaml --session 1 --key-message "One budget conversation" --action "Council CEO: draft the joint letter [due 2027-02-12]"
    """
    from syslead.errors import SysleadError
    from syslead.series.file import update_series
    from syslead.series.programme import parse_action, parse_met, record

    actions = [parse_action(text) for text in action or []]
    if not (key_message or actions or conflict or attended or met):
        raise SysleadError(
            "nothing to record: give --key-message, --action, --conflict, --attended or --met"
        )

    def change(series: Series) -> Series:
        return record(
            series,
            session,
            key_messages=key_message or [],
            actions=actions,
            conflicts=conflict or [],
            attended=attended or [],
            met=[parse_met(series, text) for text in met or []],
        )

    done = update_series(file, change, on_wait=note)
    upgraded(file, done)
    ids = (
        [a.id for a in done.series.session(session).record.actions[-len(actions) :]]
        if actions
        else []
    )
    added = f" (actions {', '.join(i for i in ids if i)})" if ids else ""
    typer.echo(f"recorded in {file}, session {session}{added}", err=True)


@app.command("reschedule")
def series_reschedule(
    file: SeriesFileArg,
    session: Annotated[int, typer.Option("--session", metavar="N", help="The session's number.")],
    date: Annotated[str, typer.Option("--date", metavar="DATE", help="Its new date, YYYY-MM-DD.")],
    time: Annotated[
        str | None,
        typer.Option("--time", metavar="HH:MM-HH:MM", help="A new time too, HH:MM-HH:MM."),
    ] = None,
    playbooks: PlaybooksOpt = None,
) -> None:
    """Move one session to another date (and time); planned again, calendars update the event.

    The move is refused if the group said it cannot meet that day (a skip date) or if the session
    could not be planned at its new time; a weekend day is allowed, with a warning.

    Example: syslead series reschedule programme.yaml --session 3 --date 2027-04-16
    """
    from syslead.errors import SysleadError
    from syslead.series.file import update_series
    from syslead.series.planned import plan_series
    from syslead.series.programme import reschedule

    day = parse_date("--date", date)
    library = library_for(playbooks)

    def move(series: Series) -> Series:
        if day in series.skip:
            raise SysleadError(f"--date {day}: the series lists it as a day the group cannot meet")
        moved = reschedule(series, session, day, time)

        def plan_at(window: str) -> None:
            plan_series(reschedule(series, session, day, window), library, upto=session)

        # Refuse a time no plan fits, before writing, saying which --time would work.
        now = moved.session(session)
        window = time or (f"{now.start}-{now.end}" if now.start and now.end else moved.time)
        plan_or_suggest_time(plan_at, window)
        return moved

    upgraded(file, update_series(file, move, on_wait=note))
    if day.weekday() >= 5:
        typer.echo(f"syslead: note: {day} is a {day:%A}", err=True)
    typer.echo(
        f"moved session {session} of {file} to {day}; plan the series again to update the calendar",
        err=True,
    )


@app.command("next")
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
    from syslead.series.file import load_series
    from syslead.series.planned import plan_series, review_for
    from syslead.series.programme import next_session

    library = library_for(playbooks)
    series = load_series(file)
    upcoming = next_session(series)
    plan = plan_series(series, library, upto=upcoming.number)[-1]
    review = review_for(series, upcoming.number)
    if out_dir is None:
        chosen = to or PlanFormat.md
        if chosen in (PlanFormat.md, PlanFormat.html):
            from syslead.documents.handouts import plan_document_html, plan_document_md
            from syslead.documents.templating import environments

            render = plan_document_md if chosen is PlanFormat.md else plan_document_html
            emit(render("agenda", plan, library, environments(templates), review))
        else:
            emit_plan(plan, library, chosen, None, force, templates)
        return
    from syslead.documents.pack import build_pack
    from syslead.documents.templating import environments

    env = environments(templates)
    write_pack(build_pack(plan, library, env, pdf=pdf, review=review), out_dir, force)


@app.command("status")
def series_status(
    file: SeriesFileArg,
    to: Annotated[
        ListFormat, typer.Option("--to", help="table for people, json for scripts.")
    ] = ListFormat.table,
    today: TodayOpt = None,
) -> None:
    """Where the programme stands: dates, focus, actions, attendance, pairs met, the factors.

    Actions are overdue when due before the session being prepared (or --today). An organisation
    that sent nobody to two recorded sessions running is flagged.

    Example: syslead series status programme.yaml --to json
    """
    from syslead.series.file import load_series
    from syslead.series.status import series_status

    series = load_series(file)
    status = series_status(series, today=_today(series, today))
    if to is ListFormat.json:
        emit(status.to_json())
        return
    from syslead.series.view import status_table

    console().print(status_table(status))


# --- the action ledger ---------------------------------------------------------------------------

action_app = command_app(
    "The actions sessions agreed, each with a short id that never changes (A1, A2...).\n\n"
    "Example: syslead series action list programme.yaml --overdue"
)
app.add_typer(action_app, name="action")


class LedgerFormat(OutputFormat):
    """Output formats for the action ledger."""

    table = auto()
    json = auto()
    csv = auto()


@action_app.command("list")
def action_list(
    file: SeriesFileArg,
    open_: Annotated[
        bool, typer.Option("--open", help="Only actions not yet done (overdue ones too).")
    ] = False,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue actions.")] = False,
    done: Annotated[bool, typer.Option("--done", help="Only actions done.")] = False,
    owner: Annotated[
        str | None, typer.Option("--owner", metavar="NAME", help="Only this owner's actions.")
    ] = None,
    to: Annotated[
        LedgerFormat, typer.Option("--to", help="table for people; json or csv for scripts.")
    ] = LedgerFormat.table,
    today: TodayOpt = None,
) -> None:
    """Every action with its id, owner, due date and state (open, overdue or done).

    An action is overdue when it is due before the session being prepared (or --today).

    Example: syslead series action list programme.yaml --open --owner "Asha Patel" --to csv
    """
    from syslead.series.actions import State, ledger, ledger_csv, ledger_json, select
    from syslead.series.file import load_series

    series = load_series(file)
    states: list[State] = []
    if open_:
        states += ["open", "overdue"]
    if overdue:
        states.append("overdue")
    if done:
        states.append("done")
    entries = select(ledger(series, _today(series, today)), states, owner)
    if to is LedgerFormat.json:
        emit(ledger_json(entries))
        return
    if to is LedgerFormat.csv:
        emit(ledger_csv(entries))
        return
    from syslead.series.view import ledger_table

    if not entries:
        typer.echo("No actions match.", err=True)
        return
    console().print(ledger_table(entries))


@action_app.command("done")
def action_done(
    file: SeriesFileArg,
    action_id: Annotated[str, typer.Argument(metavar="ID", help="The action's id, such as A3.")],
    note_: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="What was done, in a line.")
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            metavar="DATE",
            help="The day it was done (default: today, or SYSLEAD_TODAY when set).",
        ),
    ] = None,
) -> None:
    """Mark an action done, with the day (and a note); later reviews list it as done.

    Example: syslead series action done programme.yaml A3 --note "Letter sent to all boards"
    """
    from syslead.series.actions import mark_done
    from syslead.series.file import update_series

    day = parse_date("--today", today) if today is not None else clock_today()
    done = update_series(file, lambda s: mark_done(s, action_id, day, note_), on_wait=note)
    upgraded(file, done)
    typer.echo(f"{action_id.strip().upper()} is done ({day}) in {file}", err=True)


@action_app.command("reassign")
def action_reassign(
    file: SeriesFileArg,
    action_id: Annotated[str, typer.Argument(metavar="ID", help="The action's id, such as A3.")],
    owner: Annotated[str, typer.Option("--owner", metavar="NAME", help="The new owner.")],
) -> None:
    """Give an action to another owner (a member, when the series names its members).

    Example: syslead series action reassign programme.yaml A3 --owner "Ben Ode"
    """
    from syslead.series.actions import reassign
    from syslead.series.file import update_series

    done = update_series(file, lambda s: reassign(s, action_id, owner), on_wait=note)
    upgraded(file, done)
    typer.echo(f"{action_id.strip().upper()} now belongs to {owner.strip()} in {file}", err=True)


class PairsFormat(OutputFormat):
    """Output formats for the pairs."""

    table = auto()
    md = auto()
    json = auto()


@app.command("pairs")
def series_pairs(
    file: SeriesFileArg,
    session: Annotated[
        int | None,
        typer.Option("--session", metavar="N", help="Only this session's pairs and tables."),
    ] = None,
    to: Annotated[
        PairsFormat, typer.Option("--to", help="table for people, md to print, json for scripts.")
    ] = PairsFormat.table,
) -> None:
    """Each member's partner from another organisation until the next session, and the tables.

    Over the programme every pair of members from different organisations meets once before any
    pair meets again; an odd member out makes a trio. The tables seat people beside colleagues from
    other organisations they have not sat with yet. Needs the members named (series new --member).

    Example: syslead series pairs programme.yaml --session 2
    """
    import json

    from syslead.errors import SysleadError
    from syslead.series.file import load_series
    from syslead.series.pairs import rounds_data

    series = load_series(file)
    if len(series.members) < 2:
        raise SysleadError(
            f"{file}: pairs need at least two named members; add them with series new --member "
            "'NAME=ORGANISATION' or in the members list of the file"
        )
    if session is not None:
        series.session(session)
    data = rounds_data(series, session)
    if to is PairsFormat.json:
        emit(json.dumps(data, indent=2, ensure_ascii=False))
        return
    from syslead.series.view import pairs_md, pairs_table

    if to is PairsFormat.md:
        emit(pairs_md(series.title, data))
        return
    console().print(pairs_table(data))


# --- the five factors over time ---------------------------------------------------------------


@app.command("assess")
def series_assess(
    file: SeriesFileArg,
    responses: Annotated[
        Path, typer.Argument(metavar="RESPONSES.csv", help="The filled-in questionnaire CSV.")
    ],
    session: Annotated[
        int, typer.Option("--session", metavar="N", help="The session the group took it at.")
    ],
    min_group: Annotated[
        int,
        typer.Option(
            "--min-group",
            metavar="N",
            help="Show no organisation with fewer respondents (default 3, never below 2).",
        ),
    ] = 3,
) -> None:
    """Store a self-assessment's per-factor summary in the series (never the answers themselves).

    Suggested at the first session, the middle one and the last. Organisations with fewer than
    --min-group respondents are pooled as "other organisations", or counted in the totals only.

    Example: syslead series assess programme.yaml answers.csv --session 1
    """
    from syslead.assessment.questionnaire import load_questionnaire
    from syslead.assessment.responses import read_responses
    from syslead.series.file import update_series
    from syslead.series.trend import store, summarise

    q = load_questionnaire()
    summary, notes = summarise(q, read_responses(responses, q), min_group)
    done = update_series(file, lambda s: store(s, session, summary), on_wait=note)
    upgraded(file, done)
    for text in notes:
        note(text)
    typer.echo(
        f"stored the assessment of {summary.respondents} respondents at session {session} in {file}",
        err=True,
    )


class TrendFormat(OutputFormat):
    """Output formats for the series report."""

    md = auto()
    html = auto()
    json = auto()
    docx = auto()


@app.command("report")
def series_report(
    file: SeriesFileArg,
    to: Annotated[
        TrendFormat | None,
        typer.Option("--to", help="md, html, docx (Word; needs -o) or json; or from -o's suffix."),
    ] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """The five factors across the sessions that took the self-assessment: mean and spread.

    HTML has a line chart; every organisation shown has at least the --min-group respondents the
    assessment was stored with.

    Example: syslead series report programme.yaml --to html -o trend.html
    """
    from syslead.commands._common import check_output, pick_format, write_or_print
    from syslead.series.file import load_series
    from syslead.series.trend import trend_html, trend_json, trend_md

    check_output(output, force)
    chosen = pick_format(to, output, TrendFormat, TrendFormat.md)
    if chosen is TrendFormat.docx:
        from syslead.commands._common import check_file_for

        check_file_for(output, "docx")
    series = load_series(file)
    if chosen is TrendFormat.docx:
        from syslead.documents.docx import markdown_to_docx

        title = f"{series.title}: the five factors over time"
        data = markdown_to_docx(title, trend_md(series), kind="assessment")
        write_or_print(data, output, force)
        return
    render = {TrendFormat.md: trend_md, TrendFormat.html: trend_html, TrendFormat.json: trend_json}
    write_or_print(render[chosen](series), output, force)


def plan_or_suggest_time(plan_at: Callable[[str], object], window: str) -> None:
    """Plan with ``window``; when it is too short or too long, say which --time would plan.

    The planner's own hint is worked out for one session and names plan-session's --end; a series
    is told a whole --time window, tried against every session it plans.
    """
    from syslead.errors import SysleadError
    from syslead.planning.plan import to_clock, to_minutes

    try:
        plan_at(window)
        return
    except SysleadError as err:
        if err.field != "end":
            raise
        failure = err
    start, _, end = window.partition("-")
    for step in range(15, 241, 15):
        for change in (step, -step):
            new_end = to_minutes(end) + change
            if not to_minutes(start) < new_end < 24 * 60:
                continue
            candidate = f"{start}-{to_clock(new_end)}"
            try:
                plan_at(candidate)
            except SysleadError:
                continue
            what = failure.message.split("; ")[0]
            raise SysleadError(
                f"{what}; --time {candidate} would work for every session", field="time"
            ) from None
    raise failure
