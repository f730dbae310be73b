"""HTML pages and PDFs: Markdown to HTML, the agenda timeline in SVG, the page, WeasyPrint."""

from __future__ import annotations

import html
import re
from typing import Any

from syslead.documents.templating import Environments, environments, render_template
from syslead.errors import SysleadError
from syslead.library.loader import Library
from syslead.planning.plan import Plan, to_minutes

FACTOR_COLOURS = {
    "shared-purpose": "#1b5e8c",
    "personal-contact": "#e08a1e",
    "conflict": "#b3261e",
    "altruism": "#3f8f4f",
    "long-term": "#6b4c9a",
}
"""Colours for the timeline, chosen to differ in lightness as well as hue so they survive greyscale."""


# --- HTML and PDF -------------------------------------------------------------------------------


def _slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words)[:60] or "section"


def markdown_to_html(text: str, after_title: str = "", after: str = "") -> str:
    """CommonMark (with tables) to HTML, raw HTML off, each heading's section wrapped for printing.

    Wrapping sections (with ids made from their headings) lets the stylesheet keep a block together
    on one page and start chosen sections on a new one. ``after_title`` (already safe HTML, such as
    the timeline) is placed right after the first section, the title and its facts, or after the
    section whose id is ``after`` when one has it.
    """
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    tokens = parser.parse(text)
    out: list[str] = []
    current: list[Any] = []
    level = 0
    ident = ""
    seen: set[str] = set()
    placed = [not after_title]

    def flush() -> None:
        if current:
            body = parser.renderer.render(current, parser.options, {})
            out.append(
                f'<section class="h{level}" id="{ident}">\n{body}</section>\n' if level else body
            )
            if not placed[0] and (ident == after if after else len(out) == 1):
                out.append(after_title + "\n")
                placed[0] = True

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
    if not placed[0]:  # no section had the id asked for: after the title after all
        out.insert(min(1, len(out)), after_title + "\n")
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
    timeline_after: str = "",
    kind: str = "document",
) -> str:
    """A self-contained, printable HTML page from a Markdown document.

    The timeline goes after the title, or after the section whose id is ``timeline_after``.
    """
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
        "body": Markup(markdown_to_html(markdown_text, figure, timeline_after)),
    }
    return render_template(env.html, "page.html.j2", context)


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
