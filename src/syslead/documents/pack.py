"""The pack a facilitator prints: every document for one plan, built in memory before any is written."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from syslead.documents.handouts import (
    charter_md,
    plan_document_html,
    plan_document_md,
    tools_used,
)
from syslead.documents.pages import html_page, html_to_pdf, with_paper
from syslead.documents.room import room_html
from syslead.documents.templating import Environments
from syslead.library.catalog import principle_set
from syslead.library.loader import Library
from syslead.planning.file import to_yaml
from syslead.planning.plan import Plan

if TYPE_CHECKING:
    from syslead.scenario.model import Scenario
    from syslead.scenario.rules import RuleParams, RuleResult

HANDOUTS = ("facilitator", "participant", "cards", "evaluation")

Progress = Callable[[int, int, str], None]
"""Told (files made so far, files to make, the name of the one being made) as slow files are made."""


def build_pack(
    plan: Plan,
    library: Library,
    env: Environments,
    *,
    pdf: bool = False,
    review: Any = None,
    paper: str = "a4",
    large_print: bool = False,
    docx: bool = False,
    venue: str | None = None,
    timezone: str | None = None,
    progress: Progress | None = None,
) -> dict[str, str | bytes]:
    """File name to content, in a stable order: the plan, the agenda, each handout and its twins.

    With ``pdf``, every HTML document gets a PDF twin, and the pack adds ``agenda-wall.pdf``: the
    agenda on one sheet for the wall. ``paper`` is ``a4``, ``letter`` (every printed page, and the
    wall agenda, on US letter) or ``a3`` (the wall agenda on A3, the rest on A4). ``large_print``
    sets every page's body in 16 pt. With ``docx``, every Markdown document gets a Word twin. Every pack has
    ``room.html``, the display for the day, and a dated plan ``invite.ics``, its invitation (at
    ``venue``, in ``timezone``). ``progress`` hears of each PDF and Word file before it is made.
    """
    files: dict[str, str | bytes] = {
        "plan.yaml": to_yaml(plan),
        "agenda.md": plan_document_md("agenda", plan, library, env, review),
        "agenda.html": plan_document_html(
            "agenda", plan, library, env, review, large_print=large_print
        ),
    }
    for kind in HANDOUTS:
        files[f"{kind}.md"] = plan_document_md(kind, plan, library, env, review)
        files[f"{kind}.html"] = plan_document_html(
            kind, plan, library, env, review, large_print=large_print
        )
    principles = principle_set(library, plan.principles)
    charter = charter_md(principles, plan.organisations, env)
    files["charter.md"] = charter
    files["charter.html"] = html_page(
        f"{plan.title}: charter", charter, env, kind="charter", large_print=large_print
    )
    files.update(conflict_documents(plan, library, env, large_print=large_print))
    if paper == "letter":
        pages = {
            name: page for name, page in files.items() if isinstance(page, str) and _page(name)
        }
        files.update({name: with_paper(page, paper) for name, page in pages.items()})
    files["room.html"] = room_html(plan, library, env)
    if plan.date is not None:
        from syslead.planning.invite import DEFAULT_TIMEZONE, invitation_ics

        files["invite.ics"] = invitation_ics(plan, library, venue, timezone or DEFAULT_TIMEZONE)
    jobs: list[Job] = []
    if pdf:

        def wall() -> bytes:
            page = plan_document_html(
                "wall", plan, library, env, review, paper=paper, large_print=True
            )
            return html_to_pdf(page, one_page=True)

        jobs += [*pdf_jobs(files), ("agenda-wall.pdf", wall)]
    if docx:
        jobs += docx_jobs(files)
    for done, (name, make) in enumerate(jobs):
        if progress is not None:
            progress(done, len(jobs), name)
        files[name] = make()
    if progress is not None and jobs:
        progress(len(jobs), len(jobs), "")
    return files


def _page(name: str) -> bool:
    """A printable HTML page of the pack (the room display is for a screen)."""
    return name.endswith(".html") and name != "room.html"


Job = tuple[str, Callable[[], bytes]]
"""A file of the pack that is slow to make (a PDF, a Word file): its name, and how to make it."""


def pdf_jobs(files: dict[str, str | bytes]) -> list[Job]:
    """A PDF twin for every printable HTML page (not the room display, which is for a screen)."""
    jobs: list[Job] = []
    for name in [n for n in files if n.endswith(".html") and n != "room.html"]:
        page = files[name]
        if isinstance(page, bytes):
            continue  # only pages of text have a printed twin
        jobs.append((name.removesuffix(".html") + ".pdf", partial(html_to_pdf, page)))
    return jobs


def docx_jobs(files: dict[str, str | bytes]) -> list[Job]:
    """A Word twin for every Markdown document, titled and laid out as its HTML twin."""
    from syslead.documents.docx import docx_twin

    jobs: list[Job] = []
    for name in [n for n in files if n.endswith(".md")]:
        twin = files[name.removesuffix(".md") + ".html"]
        text = files[name]
        if isinstance(text, bytes) or isinstance(twin, bytes):
            continue  # only documents of text have a Word twin
        jobs.append((name.removesuffix(".md") + ".docx", partial(docx_twin, text, twin)))
    return jobs


def conflict_documents(
    plan: Plan, library: Library, env: Environments, *, large_print: bool = False
) -> dict[str, str]:
    """The printed tools the plan's blocks use: power sheet, observation sheet, budget brief and key.

    A tool comes with the pack only when a block's activity lists it in ``uses``. The fixed-budget
    figures are made up for the plan's own organisations (or a default cast when it names fewer
    than two), from the plan's seed, so the pack is the same every time.
    """
    from syslead.documents.templating import render_template

    used = tools_used(plan, library)
    files: dict[str, str] = {}
    sheets = {
        "power-sheet": (
            "power-sheet.md.j2",
            "Naming the power in the room",
            {"organisations": plan.organisations},
        ),
        "observation-sheet": (
            "observation-sheet.md.j2",
            "Observing the conversation",
            {"names": [""] * plan.participants},
        ),
    }
    for name, (template, title, context) in sheets.items():
        if name in used:
            text = render_template(env.markdown, template, context)
            files[f"{name}.md"] = text
            files[f"{name}.html"] = html_page(
                title, text, env, kind="sheet", large_print=large_print
            )
    if "budget-brief" in used:
        from syslead.scenario.model import generate
        from syslead.scenario.rules import compute

        names = plan.organisations if len(plan.organisations) >= 2 else []
        scenario = generate(names, plan.seed)
        files.update(budget_documents(scenario, compute(scenario), env, large_print=large_print))
    return files


def budget_documents(
    scenario: Scenario,
    results: Sequence[RuleResult],
    env: Environments,
    params: RuleParams | None = None,
    rules: Sequence[str] | None = None,
    *,
    large_print: bool = False,
) -> dict[str, str]:
    """The fixed-budget participant brief and facilitator key, as Markdown and HTML."""
    from syslead.scenario.handouts import facilitator_key_md, participant_brief_md

    brief = participant_brief_md(scenario, params, rules)
    key = facilitator_key_md(scenario, results, params)
    return {
        "budget-brief.md": brief,
        "budget-brief.html": html_page(
            "Fixed budget: participant brief", brief, env, kind="scenario", large_print=large_print
        ),
        "budget-key.md": key,
        "budget-key.html": html_page(
            "Fixed budget: facilitator key", key, env, kind="scenario", large_print=large_print
        ),
    }
