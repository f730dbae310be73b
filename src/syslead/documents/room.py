"""The room display: one self-contained page to project on the day, with the agenda's timers.

The page is ``room.html.j2`` filled with the plan's blocks and only their participant-facing text
(each activity's summary, how the group works, its steps with their minutes, the live issue, the
case study's name): never a facilitator's note, prompt or watch-for. The plan travels inside the
page as JSON in a ``<script type="application/json">`` element, escaped so that no text in it can
close that element, and the page's script only ever sets text (``textContent``), never markup. A
Content-Security-Policy forbids every fetch, so the page works with the network off.
"""

from __future__ import annotations

import json
from typing import Any

from syslead.documents.handouts import BlockView, plan_context
from syslead.documents.templating import Environments, environments, render_template
from syslead.library.loader import Library
from syslead.planning.agenda import FORMAT_LABELS, long_date, next_meeting_text
from syslead.planning.plan import Plan

REST_TEXT = {
    "arrival": "Arrive, get a drink and meet each other.",
    "break": "A break: back at the end of the countdown.",
    "free-time": "Free time before the meal.",
    "informal": "Time together with no agenda: stay and talk.",
    "meal": "The meal.",
}
"""What the display says during a block without an activity, by its kind of rest."""


def short_title(title: str) -> str:
    """``Opening`` for ``Opening: purpose and working principles``; other titles as they are."""
    head, sep, _ = title.partition(": ")
    return head if sep and len(head) >= 5 else title


def _block_data(view: BlockView) -> dict[str, Any]:
    block = view.block
    activity = view.activity
    data: dict[str, Any] = {
        "start": block.start,
        "end": block.end,
        "minutes": block.minutes,
        "kind": block.kind,
        "title": block.title,
        "short": short_title(block.title),
        "locked": block.locked,
        "factors": view.factors,
        "summary": " ".join(activity.summary.split()) if activity else REST_TEXT.get(view.rest, ""),
        "groups": " ".join(activity.configuration.split()) if activity else "",
        "steps": [{"minutes": s.minutes, "text": " ".join(s.text.split())} for s in view.steps],
        "issue": block.issue or "",
        "case": f"{view.case.title} ({view.case.place})" if view.case else "",
    }
    return data


def room_data(plan: Plan, library: Library) -> dict[str, Any]:
    """What the room display shows: the plan's facts and each block's participant-facing text."""
    context = plan_context(plan, library)
    return {
        "id": plan.plan_id,
        "title": plan.title,
        "format": FORMAT_LABELS.get(plan.format, plan.format),
        "date": plan.date.isoformat() if plan.date else "",
        "when": long_date(plan.date) if plan.date else "",
        "start": plan.start,
        "end": plan.end,
        "next_meeting": next_meeting_text(plan),
        "blocks": [_block_data(view) for view in context["blocks"]],
    }


def script_json(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` appears as such."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def room_html(plan: Plan, library: Library, env: Environments | None = None) -> str:
    """The room display for ``plan``: one offline page, to open in a browser and project."""
    from markupsafe import Markup

    env = env or environments()
    data = room_data(plan, library)
    context = {
        "title": plan.title,
        # script_json leaves nothing that could end the script element or start markup.
        "data": Markup(script_json(data)),
    }
    return render_template(env.html, "room.html.j2", context)
