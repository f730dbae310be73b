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

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .agenda import FORMAT_LABELS, factor_names, header_lines, long_date, next_meeting_text
from .errors import SysleadError
from .library import Library
from .markup import md, md_block
from .models import Activity, CaseStudy, PrincipleSet
from .plan import Block, Plan, to_clock, to_minutes

AUDIENCES = ("facilitator", "participant")

FACTOR_COLOURS = {
    "shared-purpose": "#1b5e8c",
    "personal-contact": "#e08a1e",
    "conflict": "#b3261e",
    "altruism": "#3f8f4f",
    "long-term": "#6b4c9a",
}
"""Colours for the timeline, chosen to differ in lightness as well as hue so they survive greyscale."""


class RawMarkdown(str):
    """Markdown that is already built and escaped, to be placed in a template as it is."""

    __slots__ = ()


def builtin_templates() -> Path:
    """The built-in templates folder, as shipped inside the package."""
    return Path(str(resources.files("syslead").joinpath("templates")))


def _finalize_markdown(value: Any) -> Any:
    """Escape every value a Markdown template prints, unless it is RawMarkdown."""
    if isinstance(value, RawMarkdown):
        return str(value)
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return value
    return md(value)


@dataclass(frozen=True)
class Environments:
    """The two template environments: Markdown (escaped for Markdown) and HTML (autoescaped)."""

    markdown: Any
    html: Any


def environments(templates: Path | None = None) -> Environments:
    """Sandboxed Jinja environments that search the user's folder first, then the built-ins."""
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    folders = [str(builtin_templates())]
    if templates is not None:
        if not templates.is_dir():
            raise SysleadError(f"{templates}: no such templates folder")
        folders.insert(0, str(templates))
    loader = ChoiceLoader([FileSystemLoader(folder) for folder in folders])
    common: dict[str, Any] = {
        "loader": loader,
        "undefined": StrictUndefined,
        "keep_trailing_newline": True,
        "trim_blocks": True,
        "lstrip_blocks": True,
    }
    markdown_env = SandboxedEnvironment(autoescape=False, finalize=_finalize_markdown, **common)
    markdown_env.filters["block"] = lambda text: RawMarkdown(md_block(text))
    markdown_env.filters["raw"] = lambda text: RawMarkdown(text)
    markdown_env.filters["sentence"] = lambda text: str(text)[:1].upper() + str(text)[1:]
    html_env = SandboxedEnvironment(autoescape=True, **common)
    return Environments(markdown_env, html_env)


def render_template(env: Any, name: str, context: dict[str, Any]) -> str:
    """Render one template, turning template faults (such as a user template's typo) into one message."""
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

    try:
        return str(env.get_template(name).render(**context))
    except TemplateSyntaxError as err:
        raise SysleadError(
            f"{err.filename or name}:{err.lineno}: template syntax error: {err.message}"
        ) from None
    except TemplateNotFound:
        raise SysleadError(f"no template named {name!r} in the templates folders") from None
    except TemplateError as err:
        raise SysleadError(f"{name}: the template failed: {err}") from None


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

    ``review`` (a :class:`syslead.series.Review`) is what a session in a series opens by reviewing.
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
        for item in activity.materials:
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
    from .seating import seating

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


# --- HTML and PDF -------------------------------------------------------------------------------


def _slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words)[:60] or "section"


def markdown_to_html(text: str, after_title: str = "") -> str:
    """CommonMark (with tables) to HTML, raw HTML off, each heading's section wrapped for printing.

    Wrapping sections (with ids made from their headings) lets the stylesheet keep a block together
    on one page and start chosen sections on a new one. ``after_title`` (already safe HTML, such as
    the timeline) is placed right after the first section, the title and its facts.
    """
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    tokens = parser.parse(text)
    out: list[str] = []
    current: list[Any] = []
    level = 0
    ident = ""
    seen: set[str] = set()

    def flush() -> None:
        if current:
            body = parser.renderer.render(current, parser.options, {})
            out.append(
                f'<section class="h{level}" id="{ident}">\n{body}</section>\n' if level else body
            )
            if len(out) == 1 and after_title:
                out.append(after_title + "\n")

    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in {"h1", "h2", "h3"}:
            flush()
            current = []
            level = int(token.tag[1])
            base = _slug(tokens[i + 1].content)
            ident = base
            n = 2
            while ident in seen:
                ident = f"{base}-{n}"
                n += 1
            seen.add(ident)
        current.append(token)
    flush()
    return "".join(out)


def timeline_svg(plan: Plan, library: Library) -> str:
    """The agenda drawn as a vertical timeline: one bar per block, coloured by its first factor."""
    top, left, width, scale = 24, 58, 420, 1.0
    start, end = to_minutes(plan.start), to_minutes(plan.end)
    height = int((end - start) * scale) + top + 10
    legend_x = left + width + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 700 {height}" '
        f'role="img" aria-label="Timeline of {html.escape(plan.title)}">',
        '<defs><pattern id="rest" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f2f2f2"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#c8c8c8" stroke-width="2"/></pattern></defs>',
    ]
    for block in plan.blocks:
        y = top + (to_minutes(block.start) - start) * scale
        h = max(1.0, block.minutes * scale)
        colour = FACTOR_COLOURS.get(block.factors[0], "#777777") if block.factors else "url(#rest)"
        text_colour = "#ffffff" if block.factors else "#333333"
        parts.append(
            f'<g class="block {block.kind}"><rect x="{left}" y="{y:.1f}" width="{width}" '
            f'height="{h:.1f}" fill="{colour}" stroke="#ffffff" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 11:.1f}" text-anchor="end" font-size="10" '
            f'fill="#333333">{block.start}</text>'
        )
        if h >= 11:
            label = html.escape(f"{block.title} ({block.minutes} min)")
            size = 11 if h >= 14 else 9
            parts.append(
                f'<text x="{left + 8}" y="{y + min(h / 2 + 4, 15):.1f}" font-size="{size}" '
                f'fill="{text_colour}">{label}</text>'
            )
        parts.append("</g>")
    parts.append(
        f'<text x="{left - 6}" y="{top + (end - start) * scale + 4:.1f}" text-anchor="end" '
        f'font-size="10" fill="#333333">{plan.end}</text>'
    )
    for i, factor in enumerate(library.factors):
        y = top + i * 22
        parts.append(
            f'<g class="legend"><rect x="{legend_x}" y="{y}" width="14" height="14" '
            f'fill="{FACTOR_COLOURS[factor.id]}"/><text x="{legend_x + 20}" y="{y + 11}" '
            f'font-size="11" fill="#333333">{factor.number}. {html.escape(factor.short_title)}</text></g>'
        )
    y = top + len(library.factors) * 22
    parts.append(
        f'<g class="legend"><rect x="{legend_x}" y="{y}" width="14" height="14" fill="url(#rest)" '
        f'stroke="#c8c8c8"/><text x="{legend_x + 20}" y="{y + 11}" font-size="11" '
        f'fill="#333333">Break or meal</text></g>'
    )
    parts.append("</svg>")
    return "\n".join(parts)


def html_page(
    title: str,
    markdown_text: str,
    env: Environments | None = None,
    *,
    timeline: str | None = None,
    kind: str = "document",
) -> str:
    """A self-contained, printable HTML page from a Markdown document."""
    from markupsafe import Markup

    env = env or environments()
    figure = ""
    if timeline:
        figure = (
            '<figure class="agenda-timeline">\n'
            + timeline
            + "\n<figcaption>The agenda at a glance, "
            "coloured by factor.</figcaption>\n</figure>"
        )
    context = {
        "title": title,
        "kind": kind,
        # markdown-it escaped every piece of text; the timeline was built with html.escape.
        "body": Markup(markdown_to_html(markdown_text, figure)),
    }
    return render_template(env.html, "page.html.j2", context)


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


def html_to_pdf(page: str) -> bytes:
    """Print an HTML page to PDF with WeasyPrint, fetching nothing from any network."""
    try:
        from weasyprint import HTML
    except ImportError:
        raise SysleadError(
            "PDF output needs the optional extra: pip install 'syslead[pdf]' "
            "(WeasyPrint, which also needs the Pango library from your system)"
        ) from None
    except OSError as err:  # WeasyPrint is installed but a system library is missing
        raise SysleadError(f"PDF output needs the Pango library: {err}") from None

    def refuse(url: str, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(f"syslead documents fetch nothing, not even {url}")

    result = HTML(string=page, url_fetcher=refuse).write_pdf()
    assert isinstance(result, bytes)
    return result


__all__ = [
    "AUDIENCES",
    "BlockView",
    "Environments",
    "RawMarkdown",
    "charter_md",
    "environments",
    "html_page",
    "html_to_pdf",
    "markdown_to_html",
    "plan_context",
    "plan_document_html",
    "plan_document_md",
    "scale_steps",
    "timeline_svg",
]
