"""``syslead room``: the display to project on the day, with the agenda's timers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from syslead.commands._common import (
    ForceOpt,
    PlaybooksOpt,
    TemplatesOpt,
    check_output,
    command_app,
    library_for,
    write_or_print,
)

app = command_app()


@app.command("room")
def room_command(
    plan_file: Annotated[
        Path, typer.Argument(metavar="PLAN.yaml", help="A plan saved with --to yaml.")
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the page to this file (room.html, say); without it, to standard output.",
        ),
    ] = None,
    force: ForceOpt = False,
    playbooks: PlaybooksOpt = None,
    templates: TemplatesOpt = None,
) -> None:
    """An offline page to project on the day: the current block, its time left, what comes next.

    It follows the clock on the plan's date, or you drive it by hand: Space starts and pauses,
    the arrow keys move between blocks and steps, + and - add or take a minute (later blocks move
    to match, the meal keeps its time), F fills the screen, ? shows every key. It carries no
    facilitator notes and fetches nothing; it keeps its position in the browser's local storage.

    Example: syslead room plan.yaml -o room.html
    """
    from syslead.documents.room import room_html
    from syslead.documents.templating import environments
    from syslead.planning.file import load_plan

    if output is not None and output.suffix.lower() not in {".html", ".htm"}:
        from syslead.errors import SysleadError

        raise SysleadError(f"-o {output}: the room display is a web page; name the file .html")
    check_output(output, force)
    library = library_for(playbooks)
    plan = load_plan(plan_file, library)
    write_or_print(room_html(plan, library, environments(templates)), output, force)
