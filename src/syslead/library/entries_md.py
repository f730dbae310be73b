"""Markdown for single playbook entries (``syslead playbooks show``, ``syslead principles``)."""

from __future__ import annotations

from syslead.library.models import (
    Activity,
    AnyEntry,
    CaseStudy,
    Factor,
    PrincipleSet,
    SessionFormat,
    material_name,
)
from syslead.markup import bullets, md, md_block


def _section(title: str, body: str) -> str:
    return f"## {title}\n\n{body}\n" if body.strip() else ""


def activity_md(a: Activity, factor_titles: dict[str, str]) -> str:
    """An activity in full, as a facilitator reads it."""
    factors = (
        ", ".join(md(factor_titles.get(f, f)) for f in a.factors) or "none (session structure)"
    )
    steps = "\n".join(f"{i}. ({s.minutes} min) {md(s.text)}" for i, s in enumerate(a.steps, 1))
    facts = "\n".join(
        [
            "| | |",
            "|---|---|",
            f"| Factors | {factors} |",
            f"| Duration | {a.duration.default} minutes (from {a.duration.min} to {a.duration.max}) |",
            f"| Group size | {a.group_size.min} to {a.group_size.max} people |",
            f"| Groups | {md(a.configuration)} |",
            f"| Arc and energy | {a.arc}, {a.energy} energy |",
            f"| After a meal | {'suits the evening' if a.evening else 'better before the meal'} |",
        ]
    )
    parts = [
        f"# {md(a.title)}\n",
        f"`{a.id}`\n",
        f"{md_block(a.summary)}\n",
        f"{facts}\n",
        _section("Purpose", md_block(a.purpose)),
        _section("Room", md_block(a.room)),
        _section("Materials", bullets([material_name(m) for m in a.materials])),
        _section("Steps", steps),
        _section("Prompts", bullets(a.prompts)),
        _section("Debrief", bullets(a.debrief)),
        _section("Watch for", bullets(a.watch_for)),
        _section("Variants", bullets(a.variants)),
        _section("Facilitator notes", md_block(a.facilitator_notes)),
        _section("Source", md_block(a.source)),
    ]
    return "\n".join(p for p in parts if p)


def factor_md(f: Factor, titles: dict[str, str]) -> str:
    """A factor: what it means, why it matters, signs, prompts and its activities."""
    parts = [
        f"# {f.number}. {md(f.title)}\n",
        f"`{f.id}`\n",
        f"{md_block(f.summary)}\n",
        _section("What it means", md_block(f.meaning)),
        _section("Why it matters", md_block(f.why_it_matters)),
        _section("Signs of progress", bullets(f.signs_of_progress)),
        _section("Warning signs", bullets(f.warning_signs)),
        _section("Prompts for the facilitator", bullets(f.prompts)),
        _section("Questions to think about beforehand", bullets(f.pre_reading_questions)),
        _section("Activities", bullets([f"{titles.get(a, a)} ({a})" for a in f.activities])),
        _section("Case studies", bullets([f"{titles.get(c, c)} ({c})" for c in f.case_studies])),
        _section("Source", md_block(f.source)),
    ]
    return "\n".join(p for p in parts if p)


def principles_md(p: PrincipleSet) -> str:
    """A principle set, each principle with what it means in practice."""
    parts = [f"# {md(p.title)}\n", f"{md_block(p.summary)}\n"]
    for i, principle in enumerate(p.principles, 1):
        parts.append(f"## {i}. {md(principle.title)}\n")
        parts.append(f"{md_block(principle.meaning)}\n")
        if principle.in_practice:
            parts.append(f"{bullets(principle.in_practice)}\n")
    parts.append(f"*Source: {md(p.source)}*\n")
    return "\n".join(parts)


def case_study_md(c: CaseStudy, titles: dict[str, str]) -> str:
    """A case study as discussion material."""
    factors = ", ".join(md(titles.get(f, f)) for f in c.factors)
    parts = [
        f"# {md(c.title)}\n",
        f"*{md(c.place)}*. Factors: {factors}.\n",
        f"{md_block(c.summary)}\n",
        _section("The story", md_block(c.story)),
        _section("Lessons", bullets(c.lessons)),
        _section("Questions for discussion", bullets(c.discussion_questions)),
        _section("Source", md_block(c.source)),
    ]
    return "\n".join(p for p in parts if p)


def format_md(s: SessionFormat) -> str:
    """A session format's defaults."""
    lines = [
        f"# {md(s.title)}\n",
        f"{md_block(s.summary)}\n",
        f"- Default window: {s.start} to {s.end}",
        f"- Breaks of about {s.break_minutes} minutes; no more than {s.max_work_minutes} minutes of"
        " work without one",
    ]
    if s.meal:
        lines.append(f"- {md(s.meal.title)} at {s.meal.start} for {s.meal.minutes} minutes")
    lines.append(f"\n*Source: {md(s.source)}*\n")
    return "\n".join(lines)


def entry_md(entry: AnyEntry, titles: dict[str, str]) -> str:
    """Any entry as Markdown."""
    if isinstance(entry, Activity):
        return activity_md(entry, titles)
    if isinstance(entry, Factor):
        return factor_md(entry, titles)
    if isinstance(entry, PrincipleSet):
        return principles_md(entry)
    if isinstance(entry, CaseStudy):
        return case_study_md(entry, titles)
    return format_md(entry)
