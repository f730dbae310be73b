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

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from syslead.documents.pages import html_page, timeline_svg
from syslead.documents.templating import Environments, environments, render_template
from syslead.library.loader import Library
from syslead.library.models import Activity, CaseStudy, Material, PrincipleSet
from syslead.planning.agenda import (
    FORMAT_LABELS,
    factor_names,
    header_lines,
    long_date,
    next_meeting_text,
)
from syslead.planning.placement import ActivityText, placement_of, text_for
from syslead.planning.plan import Block, Plan, to_clock, to_minutes

# --- what the templates see ---------------------------------------------------------------------

TABLE_SIZE = 6
"""A table seats six, for materials counted per table."""

NOBODY = "\u2014"
"""An em dash: who leads a break or a meal, and an empty cell in the run of show."""

TOOLS: dict[str, tuple[str, tuple[str, ...]]] = {
    "power-sheet": ("the power sheet", ("power-sheet.html",)),
    "observation-sheet": ("the observation sheet", ("observation-sheet.html",)),
    "budget-brief": (
        "the budget brief and its facilitator key",
        ("budget-brief.html", "budget-key.html"),
    ),
}
"""Each printed tool an activity may use: what the run sheet calls it, and its files in the pack."""


@dataclass(frozen=True)
class StepView:
    """One step of an activity as run in this plan: its clock time and scaled minutes."""

    clock: str
    minutes: int
    text: str


@dataclass(frozen=True)
class MaterialLine:
    """One item to bring, with the quantity for this group (None where the playbook gives none)."""

    item: str
    quantity: int | None
    basis: str

    @property
    def label(self) -> str:
        """``sticky notes × 14``, or the item alone when no quantity is given."""
        return self.item if self.quantity is None else f"{self.item} \u00d7 {self.quantity}"

    @property
    def short_label(self) -> str:
        """The label with the item cut to its first clause, for the one-page run of show."""
        item = first_clause(self.item, (", ", "; ", " ("))
        return item if self.quantity is None else f"{item} \u00d7 {self.quantity}"


def first_clause(text: str, stops: Sequence[str]) -> str:
    """``text`` up to the first of ``stops``, when that leaves a clause worth reading."""
    cuts = [i for i in (text.find(stop) for stop in stops) if i >= 12]
    return text[: min(cuts)] if cuts else text


def material_line(material: str | Material, participants: int) -> MaterialLine:
    """A material with its quantity for ``participants`` people at tables of six."""
    if isinstance(material, str):
        return MaterialLine(material, None, "")
    count = material.count
    if material.per == "person":
        return MaterialLine(material.item, participants * count, f"{count} per person")
    if material.per == "pair":
        pairs = math.ceil(participants / 2)
        return MaterialLine(material.item, pairs * count, f"{count} per pair, {pairs} pairs")
    if material.per == "table":
        tables = math.ceil(participants / TABLE_SIZE)
        return MaterialLine(
            material.item, tables * count, f"{count} per table, {tables} tables of six"
        )
    return MaterialLine(material.item, count, "for the whole group")


def _item_key(item: str) -> str:
    """What makes two items the same: their words, whatever the case, less a leading article."""
    words = item.lower().split()
    if len(words) > 1 and words[0] in {"a", "an", "the"}:
        words = words[1:]
    return " ".join(words)


def materials_checklist(activities: Sequence[Activity], participants: int) -> list[MaterialLine]:
    """Every item the plan's activities need, once (the same item whatever its case or article).

    An item several activities use is brought once, in the largest quantity any of them needs.
    """
    lines: dict[str, MaterialLine] = {}
    for activity in activities:
        for material in activity.materials:
            line = material_line(material, participants)
            key = _item_key(line.item)
            have = lines.get(key)
            if have is None or (line.quantity or 0) > (have.quantity or 0):
                lines[key] = (
                    line if have is None else MaterialLine(have.item, line.quantity, line.basis)
                )
    return list(lines.values())


@dataclass(frozen=True)
class ToolView:
    """A printed tool a block uses, and the pack's files that carry it."""

    id: str
    name: str
    files: tuple[str, ...]

    @property
    def label(self) -> str:
        """``the power sheet (power-sheet.html)``."""
        return f"{self.name} ({', '.join(self.files)})"


@dataclass(frozen=True)
class BlockView:
    """A block of the plan with its activity (if any), the text printed where it sits, and more.

    ``text`` is the activity's notes, prompts, debrief, watch-for and variants for the block's
    placement (:func:`syslead.planning.placement.text_for`); templates print those from here, never
    from the activity itself.
    """

    block: Block
    activity: Activity | None
    steps: list[StepView]
    factors: str
    text: ActivityText | None = None
    placement: str = "daytime"
    materials: list[MaterialLine] = field(default_factory=list)
    tools: list[ToolView] = field(default_factory=list)
    case: CaseStudy | None = None

    @property
    def is_work(self) -> bool:
        """Opening, activity and close blocks carry an activity; breaks and meals do not."""
        return self.activity is not None

    @property
    def lead(self) -> str:
        """Who leads the block; nobody leads a break or a meal."""
        return self.activity.lead if self.activity is not None else NOBODY

    @property
    def room_brief(self) -> str:
        """The room's first clause, for the run of show (the block gives it in full)."""
        return first_clause(self.activity.room, ("; ",)) if self.activity else NOBODY

    @property
    def materials_brief(self) -> str:
        """Each material's first clause and quantity, for the run of show."""
        return "; ".join(m.short_label for m in self.materials) or NOBODY

    @property
    def rest(self) -> str:
        """For a block without an activity: ``meal``, or the break's type (``break`` by default)."""
        if self.block.kind == "meal":
            return "meal"
        if self.block.kind == "break":
            return self.block.break_type or "break"
        return ""


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
    entry = library.entries.get(plan.principles) if plan.principles else None
    if isinstance(entry, PrincipleSet):
        return entry
    return library.default_principles()


def tools_used(plan: Plan, library: Library) -> list[str]:
    """The printed tools the plan's activities use, in the order of :data:`TOOLS`."""
    used: set[str] = set()
    for block in plan.blocks:
        entry = library.entries.get(block.activity) if block.activity else None
        if isinstance(entry, Activity):
            used.update(entry.uses)
    return [tool for tool in TOOLS if tool in used]


def _block_view(plan: Plan, block: Block, library: Library) -> BlockView:
    entry = library.entries.get(block.activity) if block.activity else None
    activity = entry if isinstance(entry, Activity) else None
    case_entry = library.entries.get(block.case_study) if block.case_study else None
    case = case_entry if isinstance(case_entry, CaseStudy) else None
    factors = factor_names(library, block.factors)
    if activity is None:
        return BlockView(block, None, [], factors, case=case)
    placement = placement_of(plan, block)
    return BlockView(
        block,
        activity,
        scale_steps(activity, block.minutes, block.start),
        factors,
        text=text_for(activity, placement),
        placement=placement,
        materials=[material_line(m, plan.participants) for m in activity.materials],
        tools=[ToolView(t, *TOOLS[t]) for t in TOOLS if t in activity.uses],
        case=case,
    )


def plan_context(plan: Plan, library: Library, review: Any = None) -> dict[str, Any]:
    """Everything a plan's documents draw on, computed once.

    ``review`` (a :class:`syslead.series.programme.Review`) is what a session in a series opens by reviewing.
    """
    blocks = [_block_view(plan, block, library) for block in plan.blocks]
    activities = [b.activity for b in blocks if b.activity is not None]
    focus = [library.factor(f) for f in plan.focus]
    return {
        "plan": plan,
        "format_label": FORMAT_LABELS.get(plan.format, plan.format),
        "when": long_date(plan.date) if plan.date else "Date to be agreed",
        "facts": header_lines(plan, library),
        "blocks": blocks,
        "activities": activities,
        "materials": materials_checklist(activities, plan.participants),
        "tables": math.ceil(plan.participants / TABLE_SIZE),
        "principles": _principles(plan, library),
        "case_studies": _case_studies(blocks, focus, library),
        "focus_factors": focus,
        "factors": library.factors,
        "next_meeting": next_meeting_text(plan),
        "factor_names": {f.id: f.short_title for f in library.factors},
        "review": review,
        "seating": _seating_rows(plan),
        "unplaced_issues": _unplaced_issues(plan, blocks),
        "rehearsal_left_out": not plan.rehearsal and "conflict" in plan.focus,
    }


def _case_studies(blocks: Sequence[BlockView], focus: Sequence[Any], library: Library) -> list[Any]:
    """The case studies the plan's activities and focus point to, less those a block discusses."""
    in_blocks = {b.block.case_study for b in blocks if b.case is not None}
    case_ids: list[str] = []
    sources = [*(b.activity for b in blocks if b.activity is not None), *focus]
    for source in sources:
        case_ids += [c for c in source.case_studies if c not in case_ids]
    found = (library.entries.get(i) for i in case_ids if i not in in_blocks)
    return [c for c in found if isinstance(c, CaseStudy)]


def _unplaced_issues(plan: Plan, blocks: Sequence[BlockView]) -> list[str]:
    """The live issues no block takes up."""
    placed = {b.block.issue for b in blocks if b.block.issue}
    return [issue for issue in plan.issues if issue not in placed]


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
    "evaluation": "evaluation.md.j2",
    "wall": "wall.md.j2",
}


def plan_document_md(
    kind: str, plan: Plan, library: Library, env: Environments | None = None, review: Any = None
) -> str:
    """One of a plan's documents (agenda, facilitator, participant, cards, evaluation) as Markdown."""
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
    kind: str,
    plan: Plan,
    library: Library,
    env: Environments | None = None,
    review: Any = None,
    *,
    paper: str = "a4",
    large_print: bool = False,
) -> str:
    """One of a plan's documents as a self-contained HTML page (with the timeline where useful)."""
    env = env or environments()
    text = plan_document_md(kind, plan, library, env, review)
    timeline = (
        timeline_svg(plan, library) if kind in {"agenda", "facilitator", "participant"} else None
    )
    after = "run-of-show" if kind == "facilitator" else ""
    title = f"{plan.title}: how did it go?" if kind == "evaluation" else plan.title
    return html_page(
        title,
        text,
        env,
        timeline=timeline,
        timeline_after=after,
        kind=kind,
        paper=paper,
        large_print=large_print,
    )
