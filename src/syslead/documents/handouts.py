"""Printable documents: the facilitator's run sheet, the participant handout, exercise cards, the charter.

Each document is a Jinja2 Markdown template (in the top-level ``templates/`` folder, overridable one
by one with ``--templates DIR``). The HTML twin is that Markdown rendered by markdown-it-py with raw
HTML switched off, cut into sections and wrapped in a self-contained page (inline CSS, an inline SVG
timeline) by ``page.html.j2``; the PDF is that HTML through WeasyPrint.

Text from playbooks and the command line is data. Templates run in Jinja's sandbox; every ``{{ }}``
in a Markdown template is escaped for Markdown unless it is already-built :class:`RawMarkdown`; the
page template autoescapes HTML. Nothing a user typed is ever rendered as a template.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from syslead.documents.pages import html_page, timeline_svg
from syslead.documents.templating import Environments, environments, render_template
from syslead.library.loader import Library
from syslead.library.models import Activity, CaseStudy, PrincipleSet, material_name
from syslead.planning.agenda import (
    FORMAT_LABELS,
    factor_names,
    header_lines,
    long_date,
    next_meeting_text,
)
from syslead.planning.plan import Block, Plan, to_clock, to_minutes

# --- what the templates see ---------------------------------------------------------------------


@dataclass(frozen=True)
class StepView:
    """One step of an activity as run in this plan: its clock time and scaled minutes."""

    clock: str
    minutes: int
    text: str


@dataclass(frozen=True)
class BlockView:
    """A block of the plan with its activity (if any) and the steps timed to fit it."""

    block: Block
    activity: Activity | None
    steps: list[StepView]
    factors: str

    @property
    def is_work(self) -> bool:
        """Opening, activity and close blocks carry an activity; breaks and meals do not."""
        return self.activity is not None


def scale_steps(activity: Activity, minutes: int, start: str) -> list[StepView]:
    """An activity's steps stretched or shrunk to ``minutes``, summing exactly, each at least 1.

    Each step keeps its share of the written total; the minutes left over by rounding down go to
    the steps with the largest remainders (the largest-remainder method), and a step rounded up to
    one minute is paid for by the longest steps.
    """
    written = [step.minutes for step in activity.steps]
    exact = [m * minutes / sum(written) for m in written]
    scaled = [max(1, int(x)) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda k: (int(exact[k]) - exact[k], k))
    for k in by_remainder[: max(0, minutes - sum(scaled))]:
        scaled[k] += 1
    while sum(scaled) > minutes and max(scaled) > 1:
        scaled[scaled.index(max(scaled))] -= 1
    cursor = to_minutes(start)
    views = []
    for step, length in zip(activity.steps, scaled, strict=True):
        views.append(StepView(to_clock(cursor), length, step.text))
        cursor += length
    return views


def _principles(plan: Plan, library: Library) -> PrincipleSet | None:
    if plan.principles and isinstance(library.entries.get(plan.principles), PrincipleSet):
        entry = library.entries[plan.principles]
        assert isinstance(entry, PrincipleSet)
        return entry
    return library.default_principles()


def plan_context(plan: Plan, library: Library, review: Any = None) -> dict[str, Any]:
    """Everything a plan's documents draw on, computed once.

    ``review`` (a :class:`syslead.series.programme.Review`) is what a session in a series opens by reviewing.
    """
    blocks = []
    activities: list[Activity] = []
    for block in plan.blocks:
        entry = library.entries.get(block.activity) if block.activity else None
        activity = entry if isinstance(entry, Activity) else None
        steps = scale_steps(activity, block.minutes, block.start) if activity else []
        blocks.append(BlockView(block, activity, steps, factor_names(library, block.factors)))
        if activity is not None:
            activities.append(activity)
    materials: list[str] = []
    for activity in activities:
        for material in activity.materials:
            item = material_name(material)
            if item.lower() not in {m.lower() for m in materials}:
                materials.append(item)
    focus = [library.factor(f) for f in plan.focus]
    case_ids: list[str] = []
    for activity in activities:
        case_ids += [c for c in activity.case_studies if c not in case_ids]
    for factor in focus:
        case_ids += [c for c in factor.case_studies if c not in case_ids]
    cases = [c for c in (library.entries.get(i) for i in case_ids) if isinstance(c, CaseStudy)]
    return {
        "plan": plan,
        "format_label": FORMAT_LABELS[plan.format],
        "when": long_date(plan.date) if plan.date else "Date to be agreed",
        "facts": header_lines(plan, library),
        "blocks": blocks,
        "activities": activities,
        "materials": materials,
        "principles": _principles(plan, library),
        "case_studies": cases,
        "focus_factors": focus,
        "next_meeting": next_meeting_text(plan),
        "factor_names": {f.id: f.short_title for f in library.factors},
        "review": review,
        "seating": _seating_rows(plan),
    }


def _seating_rows(plan: Plan) -> list[tuple[int, str]]:
    """A starting seating plan for the run sheet, when the plan names two or more organisations."""
    if len(plan.organisations) < 2:
        return []
    from syslead.planning.seating import seating

    rows = []
    for table in seating(plan.organisations, plan.participants):
        people = [org if n == 1 else f"{org} ({n})" for org, n in table.seats.items()]
        rows.append((table.number, ", ".join(people)))
    return rows


# --- Markdown documents -------------------------------------------------------------------------

DOCUMENTS = {
    "agenda": "agenda.md.j2",
    "facilitator": "facilitator.md.j2",
    "participant": "participant.md.j2",
    "cards": "cards.md.j2",
}


def plan_document_md(
    kind: str, plan: Plan, library: Library, env: Environments | None = None, review: Any = None
) -> str:
    """One of a plan's documents (agenda, facilitator, participant, cards) as Markdown."""
    env = env or environments()
    return render_template(env.markdown, DOCUMENTS[kind], plan_context(plan, library, review))


def charter_md(
    principles: PrincipleSet, organisations: Sequence[str], env: Environments | None = None
) -> str:
    """The working principles with a sign-off line for each organisation."""
    env = env or environments()
    context = {"principles": principles, "organisations": list(organisations)}
    return render_template(env.markdown, "charter.md.j2", context)


def plan_document_html(
    kind: str, plan: Plan, library: Library, env: Environments | None = None, review: Any = None
) -> str:
    """One of a plan's documents as a self-contained HTML page (with the timeline where useful)."""
    env = env or environments()
    text = plan_document_md(kind, plan, library, env, review)
    timeline = (
        timeline_svg(plan, library) if kind in {"agenda", "facilitator", "participant"} else None
    )
    return html_page(plan.title, text, env, timeline=timeline, kind=kind)
