"""``syslead series``: a recurring programme, its packs, calendar and log."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from syslead.commands._common import (
    ForceOpt,
    ListFormat,
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
    from syslead.series.programme import Series

app = command_app(
    "A recurring programme: an away session, then a meeting every six weeks, with a log.\n\n"
    'Example: syslead series new programme.yaml --title "Northshire leaders" --start 2027-01-15'
)


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
        typer.Option("--tz", metavar="ZONE", help="The time zone for the calendar (IANA name)."),
    ] = "Europe/London",
    org: Annotated[
        list[str] | None,
        typer.Option("--org", metavar="NAME", help="An organisation taking part (repeatable)."),
    ] = None,
    participants: Annotated[
        int,
        typer.Option(
            "--participants",
            metavar="N",
            help=f"How many people ({MIN_PARTICIPANTS}-{MAX_PARTICIPANTS}).",
        ),
    ] = 12,
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
    force: ForceOpt = False,
    playbooks: PlaybooksOpt = None,
) -> None:
    """Create a series file: the dates, formats and focus of every session.

    The first session can be an away-day and the rest six-weekly meetings; a session on a --skip date
    (or a weekend) moves to the next free weekday.

    Example: syslead series new programme.yaml --title "Northshire leaders" --start 2027-01-15 --count 8 --org "Northshire Council"
    """
    from syslead.output import check_writable, write_atomic
    from syslead.series.file import dump_series
    from syslead.series.programme import new_series, parse_every, plan_series

    check_writable(file, force)
    series = new_series(
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
    # A series that cannot be planned is refused now, not when the first pack is wanted.
    plan_series(series, library_for(playbooks))
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
    from syslead.series.programme import plan_series, review_for

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
        typer.Option("--attended", metavar="NAME", help="Someone who attended (repeatable)."),
    ] = None,
) -> None:
    """Add what a session agreed to the series file; nothing already recorded is lost.

    Safe to run from several terminals at once: each change is made under a lock and written
    atomically.

    Example: syslead series record programme.yaml --session 1 --key-message "One budget conversation" --action "Council CEO: draft the joint letter [due 2027-02-12]"
    """
    from syslead.errors import SysleadError
    from syslead.series.file import update_series
    from syslead.series.programme import parse_action, record

    actions = [parse_action(text) for text in action or []]
    if not (key_message or actions or conflict or attended):
        raise SysleadError(
            "nothing to record: give --key-message, --action, --conflict or --attended"
        )

    def change(series: Series) -> Series:
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
    from syslead.series.programme import plan_series, reschedule

    day = parse_date("--date", date)
    library = library_for(playbooks)

    def move(series: Series) -> Series:
        if day in series.skip:
            raise SysleadError(f"--date {day}: the series lists it as a day the group cannot meet")
        moved = reschedule(series, session, day, time)
        plan_series(moved, library, upto=session)  # refuse a time no plan fits, before writing
        return moved

    update_series(file, move)
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
    from syslead.series.programme import next_session, plan_series, review_for

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
) -> None:
    """Where the programme stands: dates, focus, factor coverage and open actions by owner.

    Example: syslead series status programme.yaml --to json
    """
    import datetime as dt

    from syslead.series.file import load_series
    from syslead.series.status import series_status

    status = series_status(load_series(file), today=dt.date.today())
    if to is ListFormat.json:
        emit(status.to_json())
        return
    from syslead.series.view import status_table

    console().print(status_table(status))
