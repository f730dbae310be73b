"""HTML pages and PDFs: Markdown to HTML, the agenda timeline in SVG, the page, WeasyPrint."""

from __future__ import annotations

import html
import math
import re
from typing import Any

from syslead.documents.templating import Environments, environments, render_template
from syslead.errors import SysleadError
from syslead.library.loader import Library
from syslead.planning.plan import Block, Plan, to_minutes

FACTOR_COLOURS = {
    "shared-purpose": "#08306b",
    "personal-contact": "#fff176",
    "conflict": "#b3261e",
    "altruism": "#7ccf7c",
    "long-term": "#a678de",
}
"""The timeline's factor colours: five steps of lightness, so they stay apart in greyscale.

Each factor's stripe also carries its number (1 to 5), so no reader depends on colour alone.
"""

INK = "#1d1d1d"
WHITE = "#ffffff"
WORK_FILL = "#f3f3f3"
REST_FILL = "#e6e6e6"


def text_colour(fill: str) -> str:
    """White or ink, whichever contrasts more with ``fill`` (the digits on a factor stripe)."""
    return WHITE if contrast(fill, WHITE) >= contrast(fill, INK) else INK


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a ``#rrggbb`` colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def greyscale(colour: str) -> str:
    """The grey a printer makes of ``colour`` (Rec. 601 luma, as most greyscale drivers use)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    y = round(0.299 * r + 0.587 * g + 0.114 * b)
    return f"#{y:02x}{y:02x}{y:02x}"


# --- HTML and PDF -------------------------------------------------------------------------------


def _slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words)[:60] or "section"


_ROW = re.compile(r"<tr>\n<td( style=\"[^\"]*\")?>(.*?)</td>", re.DOTALL)
_UNHEADED = {"", "\u2610", "\u2014"}


def _row_header(match: re.Match[str]) -> str:
    style, content = match.group(1) or "", match.group(2)
    if content.strip() in _UNHEADED:
        return match.group(0)
    return f'<tr>\n<th scope="row"{style}>{content}</th>'


def _tables(body: str, heading: str) -> str:
    """Each table in a box of its own that scrolls sideways on a narrow screen, with real headers.

    Column headers get ``scope="col"``; the first cell of each body row (a time, an organisation,
    a rule, an item) becomes its row header, unless it is a tick box or empty.
    """
    if "<table>" not in body:
        return body
    label = html.escape(f"{heading}: table" if heading else "Table", quote=True)
    body = body.replace(
        "<table>",
        f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}"><table>',
    )
    body = body.replace("</table>", "</table></div>")
    body = re.sub(
        r"<th( style=\"[^\"]*\")?>", lambda m: f'<th scope="col"{m.group(1) or ""}>', body
    )
    body = _ROW.sub(_row_header, body)
    return body.replace(
        "<td>\u2610</td>", '<td><span class="box" role="img" aria-label="tick box"></span></td>'
    )


def markdown_to_html(text: str, after_title: str = "", after: str = "", depth: int = 3) -> str:
    """CommonMark (with tables) to HTML, raw HTML off, each heading's section wrapped for printing.

    Wrapping sections (with ids made from their headings) lets the stylesheet keep a block together
    on one page and start chosen sections on a new one. ``after_title`` (already safe HTML, such as
    the timeline) is placed right after the first section, the title and its facts, or after the
    section whose id is ``after`` when one has it. Headings down to level ``depth`` open a section
    (an exercise card is one section, its headings inside it).
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
    heading = [""]

    def flush() -> None:
        if current:
            body = _tables(parser.renderer.render(current, parser.options, {}), heading[0])
            out.append(
                f'<section class="h{level}" id="{ident}">\n{body}</section>\n' if level else body
            )
            if not placed[0] and (ident == after if after else len(out) == 1):
                out.append(after_title + "\n")
                placed[0] = True

    for i, token in enumerate(tokens):
        if token.type == "heading_open" and int(token.tag[1]) <= depth:
            flush()
            current = []
            level = int(token.tag[1])
            base = _slug(tokens[i + 1].content)
            heading[0] = tokens[i + 1].content
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


TIMELINE_WIDTH = 360
"""The timeline's width in SVG units; the page prints it 130 mm wide (0.36 mm a unit)."""

_SCALE = 0.8
"""Timeline units to a minute: a 15-minute break is 12 units tall, room for one line of label."""
_LABEL = 10
_LINE = 11.5
_STRIPE = 16
_BAR_X = 46
_BAR_RIGHT = TIMELINE_WIDTH - 4


def _short_title(title: str) -> str:
    """``Opening`` for ``Opening: purpose and working principles``; other titles as they are."""
    head, sep, _ = title.partition(": ")
    return head if sep and len(head) >= 5 else title


def _label_lines(text: str, width: float, height: float) -> list[str]:
    """``text`` wrapped to ``width`` units in as many lines as ``height`` holds, cut with an ellipsis."""
    import textwrap

    chars = max(8, int(width / (_LABEL * 0.6)))
    room = max(1, int((height - 3) // _LINE))
    lines = textwrap.wrap(text, chars, break_long_words=False, break_on_hyphens=False) or [""]
    if len(lines) > room:
        lines = lines[:room]
        cut = lines[-1] if len(lines[-1]) < chars else lines[-1][: chars - 1].rstrip()
        lines[-1] = cut + "\u2026"
    return lines


def _describe(plan: Plan, library: Library) -> str:
    """The timeline as words, for the SVG's ``<desc>``: every block with its time and factors."""
    names = {f.id: f"{f.number} {f.short_title}" for f in library.factors}
    parts = []
    for block in plan.blocks:
        factors = ", ".join(names.get(f, f) for f in block.factors)
        what = f"factors {factors}" if factors else block.kind
        parts.append(f"{block.start} to {block.end}, {block.title} ({block.minutes} min; {what})")
    return "; ".join(parts) + "."


def _block_svg(block: Block, y: float, numbers: dict[str, int]) -> list[str]:
    h = max(1.0, block.minutes * _SCALE)
    rest = not block.factors
    fill = "url(#rest)" if rest else WORK_FILL
    parts = [
        f'<g class="block {block.kind}"><title>{html.escape(block.start)} '
        f"{html.escape(block.title)} ({block.minutes} min)</title>",
        f'<rect x="{_BAR_X}" y="{y:.1f}" width="{_BAR_RIGHT - _BAR_X}" height="{h:.1f}" '
        f'fill="{fill}" stroke="{INK}" stroke-width="0.6"/>',
    ]
    x = float(_BAR_X)
    for factor in block.factors:
        colour = FACTOR_COLOURS.get(factor, "#777777")
        parts.append(
            f'<rect class="stripe" x="{x:.1f}" y="{y:.1f}" width="{_STRIPE}" height="{h:.1f}" '
            f'fill="{colour}" stroke="{INK}" stroke-width="0.6"/>'
        )
        if h >= 10 and factor in numbers:
            parts.append(
                f'<text x="{x + _STRIPE / 2:.1f}" y="{y + min(h / 2 + 3.5, 13):.1f}" '
                f'text-anchor="middle" font-size="10" font-weight="bold" '
                f'fill="{text_colour(colour)}">{numbers[factor]}</text>'
            )
        x += _STRIPE
    if h >= 10:
        x += 5
        label = f"{_short_title(block.title)} \u00b7 {block.minutes} min"
        lines = _label_lines(label, _BAR_RIGHT - x - 4, h)
        first = y + min(h / 2, len(lines) * _LINE / 2 + 2) - (len(lines) - 1) * _LINE / 2 + 4
        style = ' font-style="italic"' if rest else ""
        for k, line in enumerate(lines):
            parts.append(
                f'<text x="{x:.1f}" y="{first + k * _LINE:.1f}" font-size="{_LABEL}"{style} '
                f'fill="{INK}">{html.escape(line)}</text>'
            )
    parts.append("</g>")
    return parts


def timeline_svg(plan: Plan, library: Library) -> str:
    """The agenda drawn as a vertical timeline that reads in colour, in greyscale and aloud.

    One bar per block, a minute to a unit; each of a block's factors is a numbered stripe in its
    colour, so a block on two factors shows both. Labels are dark on light. The ``<title>`` and
    ``<desc>`` give the whole agenda in words for a screen reader.
    """
    top = 12
    start, end = to_minutes(plan.start), to_minutes(plan.end)
    bottom = top + (end - start) * _SCALE
    numbers = {f.id: f.number for f in library.factors}
    legend_top = bottom + 20
    rows = math.ceil((len(library.factors) + 1) / 2)
    height = int(legend_top + rows * 19 + 4)
    title = html.escape(f"Timeline of {plan.title}, {plan.start} to {plan.end}")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" '
        f'viewBox="0 0 {TIMELINE_WIDTH} {height}" role="img" '
        f'aria-labelledby="timeline-title timeline-desc" font-family="DejaVu Sans, Arial, sans-serif">',
        f'<title id="timeline-title">{title}</title>',
        f'<desc id="timeline-desc">{html.escape(_describe(plan, library))}</desc>',
        '<defs><pattern id="rest" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{WHITE}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{REST_FILL}" stroke-width="3"/></pattern></defs>',
    ]
    for block in plan.blocks:
        y = top + (to_minutes(block.start) - start) * _SCALE
        parts.append(
            f'<text x="{_BAR_X - 5}" y="{y + 9:.1f}" text-anchor="end" font-size="10" '
            f'fill="{INK}">{block.start}</text>'
        )
        parts.extend(_block_svg(block, y, numbers))
    parts.append(
        f'<text x="{_BAR_X - 5}" y="{bottom + 4:.1f}" text-anchor="end" font-size="10" '
        f'fill="{INK}">{plan.end}</text>'
    )
    keys = [
        (str(f.number), FACTOR_COLOURS.get(f.id, "#777777"), f"{f.number}. {f.short_title}", "")
        for f in library.factors
    ]
    keys.append(("", "url(#rest)", "Break, meal or free time", ' font-style="italic"'))
    for i, (number, colour, words, style) in enumerate(keys):
        x = _BAR_X + (i // rows) * 150
        y = legend_top + (i % rows) * 19
        digit = (
            f'<text x="{x + _STRIPE / 2}" y="{y + 11}" text-anchor="middle" font-size="10" '
            f'font-weight="bold" fill="{text_colour(colour)}">{number}</text>'
            if number
            else ""
        )
        parts.append(
            f'<g class="legend"><rect x="{x}" y="{y}" width="{_STRIPE}" height="15" '
            f'fill="{colour}" stroke="{INK}" stroke-width="0.6"/>{digit}'
            f'<text x="{x + _STRIPE + 6}" y="{y + 11.5}" font-size="{_LABEL}"{style} '
            f'fill="{INK}">{html.escape(words)}</text></g>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


PAPER = {"a4": "A4", "a3": "A3", "letter": "letter"}
"""Paper sizes a page may be printed on, by their command-line names."""


def with_paper(page: str, paper: str) -> str:
    """A page built for A4 laid out on another ``paper`` (a key of :data:`PAPER`) instead.

    The override follows the page's own style, so it wins; the landscape run of show stays
    landscape. The pack uses it to print every document on US letter.
    """
    if paper == "a4":
        return page
    size = PAPER[paper]
    style = (
        f"<style>@page {{ size: {size}; }} @page run-of-show {{ size: {size} landscape; }}</style>"
    )
    return page.replace("</head>", f"{style}\n</head>", 1)


def html_page(
    title: str,
    markdown_text: str,
    env: Environments | None = None,
    *,
    timeline: str | None = None,
    timeline_after: str = "",
    kind: str = "document",
    paper: str = "a4",
    large_print: bool = False,
) -> str:
    """A self-contained, printable HTML page from a Markdown document.

    The timeline goes after the title, or after the section whose id is ``timeline_after``.
    ``paper`` is a key of :data:`PAPER`; ``large_print`` sets the body in 16 pt.
    """
    from markupsafe import Markup

    env = env or environments()
    figure = ""
    if timeline:
        figure = (
            '<figure class="agenda-timeline">\n'
            + timeline
            + "\n<figcaption>The agenda at a glance: each block's factors are numbered "
            "stripes, coloured by factor.</figcaption>\n</figure>"
        )
    context = {
        "title": title,
        "kind": kind,
        "paper": PAPER[paper],
        "large_print": large_print,
        # markdown-it escaped every piece of text; the timeline was built with html.escape.
        "body": Markup(
            markdown_to_html(markdown_text, figure, timeline_after, 2 if kind == "cards" else 3)
        ),
    }
    return render_template(env.html, "page.html.j2", context)


def _weasyprint() -> Any:
    try:
        from weasyprint import HTML
    except ImportError:
        raise SysleadError(
            "PDF output needs the optional extra: pip install 'syslead[pdf]' "
            "(WeasyPrint, which also needs the Pango library from your system)"
        ) from None
    except OSError as err:  # WeasyPrint is installed but a system library is missing
        raise SysleadError(f"PDF output needs the Pango library: {err}") from None
    return HTML


def _render(page: str) -> Any:
    """Lay ``page`` out with WeasyPrint, fetching nothing from any network."""

    def refuse(url: str, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(f"syslead documents fetch nothing, not even {url}")

    return _weasyprint()(string=page, url_fetcher=refuse).render()


_CARD = re.compile(r'<section class="h2" id="([^"]+)">')


def _long_cards(page: str, document: Any) -> list[str]:
    """The ids of the exercise cards that run over one page in ``document``."""
    ids = _CARD.findall(page)
    tree = document.make_bookmark_tree()
    heads = tree[0][2] if len(tree) == 1 else tree  # (label, (page, x, y), children, state)
    starts = [h[1][0] for h in heads]
    if len(starts) != len(ids):
        return []
    ends = [*starts[1:], len(document.pages)]
    return [ident for ident, a, b in zip(ids, starts, ends, strict=True) if b - a > 1]


def _fit_cards(page: str) -> Any:
    """Lay the cards out one to a page: a card that runs over is set smaller, step by step."""
    document = _render(page)
    sizes: dict[str, int] = {}
    for _ in range(len(_CARD_SIZES)):
        long = [i for i in _long_cards(page, document) if sizes.get(i, 0) < len(_CARD_SIZES)]
        if not long:
            break
        for ident in long:
            sizes[ident] = sizes.get(ident, 0) + 1
        document = _render(_sized_cards(page, sizes))
    return document


_CARD_SIZES = ("tight", "tighter", "tightest")


def _sized_cards(page: str, sizes: dict[str, int]) -> str:
    for ident, step in sizes.items():
        page = page.replace(
            f'<section class="h2" id="{ident}">',
            f'<section class="h2 {_CARD_SIZES[step - 1]}" id="{ident}">',
        )
    return page


def _fit_one_page(page: str) -> Any:
    """Lay ``page`` out on one sheet, setting the type smaller step by step (down to 9 pt)."""
    document = _render(page)
    size = 16.0
    while len(document.pages) > 1 and size > 9:
        size -= 1.5
        fitted = page.replace("</head>", f"<style>html {{ font-size: {size}pt; }}</style>\n</head>")
        document = _render(fitted)
    return document


def html_to_pdf(page: str, *, one_page: bool = False) -> bytes:
    """Print an HTML page to PDF with WeasyPrint, fetching nothing from any network.

    Exercise cards are fitted one to a page where a smaller type lets them; ``one_page`` fits the
    whole page on one sheet (the agenda for the wall).
    """
    if one_page:
        document = _fit_one_page(page)
    elif '<body class="cards' in page:
        document = _fit_cards(page)
    else:
        document = _render(page)
    result = document.write_pdf()
    if not isinstance(result, bytes):
        raise SysleadError("the PDF library returned no document; check the WeasyPrint install")
    return result
