"""Word documents: the same Markdown every printable document is made from, written with python-docx.

Each document keeps to Word's own styles, so a facilitator can restyle or edit it in Word or
LibreOffice: the Markdown title is ``Title``, its sections ``Heading 1`` to ``Heading 3``, lists
``List Bullet`` and ``List Number`` (each numbered list starts again at 1), quotes ``Quote`` and
tables ``Table Grid`` with a bold header row that repeats on every page and rows that never split.
Pages are A4 with the printed version's margins, the document title is in its properties, and page
breaks fall where the printed version has them (an exercise card to a page, the run of show on a
landscape page of its own).

Text is only ever written as text runs: a user's ``{{ 7*7 }}`` or ``<script>`` reads as typed, and
nothing becomes a field code or a formula. The same document gives the same bytes every time.

python-docx is imported only here, and only when a Word file is asked for.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from syslead.documents.handouts import plan_document_md
from syslead.documents.templating import Environments
from syslead.errors import SysleadError
from syslead.library.loader import Library
from syslead.planning.plan import Plan

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

HEADING_STYLES = {1: "Title", 2: "Heading 1", 3: "Heading 2", 4: "Heading 3"}
"""Markdown heading level to Word style: the document's one ``#`` heading is its title."""

TABLE_STYLE = "Table Grid"
FIXED_TIME = dt.datetime(2017, 1, 1, tzinfo=dt.timezone.utc)
"""Created and modified times in the properties, when a document carries no date of its own."""

WRITING_ROW_MM = 12
"""The height of a table row left empty to be written in (a sheet, a sign-off line)."""


@dataclass(frozen=True)
class Layout:
    """Where a kind of document breaks its pages, as the printed version does.

    ``card_pages``: every ``##`` section after the first starts a page. ``landscape_until``: the
    pages up to the end of the section with this heading are landscape, the rest portrait; a table
    there is set in ``landscape_table_pt`` with its first columns ``landscape_widths_mm`` wide (the
    rest share what is left), as the printed run of show is, so that it fits the page.
    """

    card_pages: bool = False
    landscape_until: str = ""
    landscape_table_pt: float = 7.5
    landscape_widths_mm: tuple[float, ...] = (22, 44, 34, 62)


LAYOUTS = {
    "cards": Layout(card_pages=True),
    "facilitator": Layout(landscape_until="Run of show"),
}


def _docx() -> Any:
    try:
        import docx
    except ImportError:
        raise SysleadError(
            "Word output needs python-docx, which syslead installs: pip install 'python-docx>=1.1'"
        ) from None
    return docx


def plan_document_docx(
    kind: str, plan: Plan, library: Library, env: Environments, review: Any = None
) -> bytes:
    """One of a plan's documents (agenda, facilitator, participant, cards, evaluation) in Word."""
    title = f"{plan.title}: how did it go?" if kind == "evaluation" else plan.title
    text = plan_document_md(kind, plan, library, env, review)
    return markdown_to_docx(title, text, kind=kind)


_PAGE_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
_PAGE_KIND = re.compile(r'<body class="([a-z-]+)')


def docx_twin(markdown_text: str, page: str) -> bytes:
    """The Word twin of a document of the pack, titled and laid out as its HTML twin ``page`` is."""
    import html

    title = _PAGE_TITLE.search(page)
    kind = _PAGE_KIND.search(page)
    return markdown_to_docx(
        html.unescape(title.group(1)) if title else "",
        markdown_text,
        kind=kind.group(1) if kind else "document",
    )


def markdown_to_docx(
    title: str, markdown_text: str, *, kind: str = "document", date: dt.date | None = None
) -> bytes:
    """A Word document from a Markdown document, in Word's own styles, on A4.

    ``kind`` is the document's kind as the HTML page names it (``cards``, ``facilitator``...),
    which chooses its page breaks; ``date`` (the session's) goes in the properties.
    """
    from markdown_it import MarkdownIt

    _docx()
    from docx import Document as new_document

    parser = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    document = new_document()
    _page_setup(document, landscape=bool(LAYOUTS.get(kind, Layout()).landscape_until))
    _properties(document, title, date)
    writer = _Writer(document, LAYOUTS.get(kind, Layout()))
    writer.write(parser.parse(markdown_text))
    buffer = io.BytesIO()
    document.save(buffer)
    return _stable_zip(buffer.getvalue())


def _page_setup(document: Document, *, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    section = document.sections[0]
    _size(section, landscape=landscape)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    section.header_distance = section.footer_distance = Mm(8)


def _size(section: Any, *, landscape: bool) -> None:
    from docx.shared import Mm

    if landscape:  # the printed run of show's page
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(12), Mm(14)
        section.left_margin = section.right_margin = Mm(14)
        return
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(16), Mm(18)
    section.left_margin = section.right_margin = Mm(15)


def _properties(document: Document, title: str, date: dt.date | None) -> None:
    props = document.core_properties
    when = dt.datetime.combine(date, dt.time(0, 0), tzinfo=dt.timezone.utc) if date else FIXED_TIME
    props.title = title
    props.subject = "System leadership session"
    props.author = "syslead"
    props.last_modified_by = "syslead"
    props.comments = ""
    props.keywords = "system leadership; facilitation"
    props.language = "en-GB"
    props.created = props.modified = when
    props.last_printed = when
    props.revision = 1


def _stable_zip(data: bytes) -> bytes:
    """The same package with every member's time fixed, so the same document gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


class _Writer:
    """Walks markdown-it's tokens and writes the matching Word paragraphs and tables."""

    def __init__(self, document: Document, layout: Layout) -> None:
        self.document = document
        self.layout = layout
        self.lists: list[tuple[str, int | None]] = []  # (bullet or ordered, numbering id)
        self.quote = 0
        self.cards = 0
        self.landscape = bool(layout.landscape_until)
        self.leaving_landscape = False
        self.first_in_item = False
        self.style_ids: dict[str, str] = {}

    def add(self, style: str) -> Paragraph:
        """A new paragraph in the named style (style ids looked up once: python-docx is slow at it)."""
        if style not in self.style_ids:
            self.style_ids[style] = self.document.styles[style].style_id
        paragraph = self.document.add_paragraph()
        paragraph._p.get_or_add_pPr().style = self.style_ids[style]
        return paragraph

    def write(self, tokens: Sequence[Any]) -> None:
        """Every block token in order; inline content is written by the block that holds it."""
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token.type == "table_open":
                i = self._table(tokens, i)
                continue
            self._block(token, tokens[i + 1] if i + 1 < len(tokens) else None)
            i += 1

    def _block(self, token: Any, following: Any) -> None:
        kind = token.type
        if kind == "heading_open":
            self._heading(int(token.tag[1]), following)
        elif kind == "paragraph_open":
            self._paragraph(following)
        elif kind in {"bullet_list_open", "ordered_list_open"}:
            self._open_list(kind)
        elif kind in {"bullet_list_close", "ordered_list_close"}:
            self.lists.pop()
        elif kind == "list_item_open":
            self.first_in_item = True
        elif kind == "blockquote_open":
            self.quote += 1
        elif kind == "blockquote_close":
            self.quote -= 1
        elif kind in {"fence", "code_block"}:
            self._plain(token.content.rstrip("\n"), "No Spacing")
        elif kind == "hr":
            self._plain("", "Normal")

    def _heading(self, level: int, inline: Any) -> None:
        text = inline.content if inline is not None else ""
        if level == 2 and self.layout.card_pages:
            self.cards += 1
        if self.leaving_landscape and level <= 2:
            self._portrait()
        style = HEADING_STYLES.get(level, "Heading 3")
        paragraph = self.add(style)
        if level == 2 and self.layout.card_pages and self.cards > 1:
            paragraph.paragraph_format.page_break_before = True
        self._runs(paragraph, inline.children if inline is not None else [])
        if self.landscape and level == 2 and text == self.layout.landscape_until:
            self.leaving_landscape = True

    def _portrait(self) -> None:
        from docx.enum.section import WD_ORIENT, WD_SECTION

        section = self.document.add_section(WD_SECTION.NEW_PAGE)
        _size(section, landscape=False)
        section.orientation = WD_ORIENT.PORTRAIT
        self.landscape = self.leaving_landscape = False

    def _paragraph(self, inline: Any) -> None:
        style = "Quote" if self.quote else "Normal"
        number = None
        if self.lists and self.first_in_item:
            kind, number = self.lists[-1]
            depth = min(len(self.lists), 3)
            name = "List Bullet" if kind == "bullet" else "List Number"
            style = name if depth == 1 else f"{name} {depth}"
            self.first_in_item = False
        elif self.lists:
            style = "List Continue"
        paragraph = self.add(style)
        if number is not None:
            _set_numbering(paragraph, number, min(len(self.lists), 3) - 1)
        self._runs(paragraph, inline.children if inline is not None else [])

    def _open_list(self, kind: str) -> None:
        if kind == "bullet_list_open":
            self.lists.append(("bullet", None))
            return
        self.lists.append(("ordered", _restart_numbering(self.document)))

    def _plain(self, text: str, style: str) -> None:
        paragraph = self.add(style)
        if text:
            paragraph.add_run(text)

    def _runs(self, paragraph: Paragraph, children: Sequence[Any]) -> None:
        write_runs(paragraph, children)

    def _table(self, tokens: Sequence[Any], i: int) -> int:
        """Write the table that starts at ``tokens[i]``; the index after it."""
        rows: list[list[Any]] = []
        aligns: list[str] = []
        header_rows = 0
        in_head = False
        while tokens[i].type != "table_close":
            token = tokens[i]
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head = False
            elif token.type == "tr_open":
                rows.append([])
                header_rows += 1 if in_head else 0
            elif token.type in {"th_open", "td_open"}:
                rows[-1].append(tokens[i + 1])
                if in_head:
                    aligns.append(_align(token))
            i += 1
        if self.landscape:
            layout = self.layout
            write_table(
                self.document,
                rows,
                header_rows,
                aligns,
                size_pt=layout.landscape_table_pt,
                widths_mm=_widths(layout.landscape_widths_mm, len(rows[0]) if rows else 0),
            )
        else:
            write_table(self.document, rows, header_rows, aligns, size_pt=9.5)
        return i + 1


LANDSCAPE_TEXT_MM = 297 - 28


def _widths(first: Sequence[float], columns: int) -> list[float]:
    """Column widths in mm across a landscape page: ``first`` as given, the rest sharing what is left."""
    widths = list(first[:columns])
    if columns > len(widths):
        left = max(20.0, LANDSCAPE_TEXT_MM - sum(widths))
        widths += [left / (columns - len(widths))] * (columns - len(widths))
    return widths


def _align(token: Any) -> str:
    style = token.attrGet("style") or ""
    return str(style).removeprefix("text-align:") if "text-align:" in str(style) else ""


def write_runs(paragraph: Paragraph, children: Sequence[Any]) -> None:
    """An inline token's children as runs: bold, italic and code kept; everything else as text."""
    bold = italic = False
    for child in children:
        kind = child.type
        if kind == "strong_open":
            bold = True
        elif kind == "strong_close":
            bold = False
        elif kind == "em_open":
            italic = True
        elif kind == "em_close":
            italic = False
        elif kind in {"text", "code_inline", "html_inline"}:
            run = paragraph.add_run(child.content)
            run.bold = bold or None
            run.italic = italic or None
            if kind == "code_inline":
                run.font.name = "Courier New"
        elif kind == "softbreak":
            paragraph.add_run(" ")
        elif kind == "hardbreak":
            paragraph.add_run().add_break()
        elif kind == "image":
            paragraph.add_run(child.content)


def write_table(
    document: Document,
    rows: list[list[Any]],
    header_rows: int,
    aligns: Sequence[str],
    *,
    size_pt: float | None = None,
    widths_mm: Sequence[float] = (),
) -> None:
    """A table in a real table style; its header repeats on every page and no row splits."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    columns = max((len(r) for r in rows), default=0)
    if not rows or not columns:
        return
    table = document.add_table(rows=len(rows), cols=columns)
    table.style = document.styles[TABLE_STYLE]
    if widths_mm:
        table.autofit = False
        for column, width in zip(table.columns, widths_mm, strict=False):
            column.width = Mm(width)
            for cell in column.cells:
                cell.width = Mm(width)
    alignment = {"right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}
    for r, cells in enumerate(rows):
        row = table.rows[r]
        _row_flags(row, header=r < header_rows)
        empty = all(not (c.content.strip()) or c.content.strip() == "\u2610" for c in cells[1:])
        if r >= header_rows and empty and columns > 1:
            row.height = Mm(WRITING_ROW_MM)
        for c, inline in enumerate(cells):
            paragraph = row.cells[c].paragraphs[0]
            write_runs(paragraph, inline.children or [])
            _cell_style(paragraph, header=r < header_rows, size_pt=size_pt)
            if c < len(aligns) and aligns[c] in alignment:
                paragraph.alignment = alignment[aligns[c]]
    document.add_paragraph()


def _cell_style(paragraph: Paragraph, *, header: bool, size_pt: float | None) -> None:
    """A header cell's text in bold; every cell's in the table's size."""
    from docx.shared import Pt

    for run in paragraph.runs:
        run.bold = True if header else run.bold
        if size_pt is not None:
            run.font.size = Pt(size_pt)


def _row_flags(row: Any, *, header: bool) -> None:
    """Mark a row as a header row that repeats on each page, and every row as one not to split."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        properties.append(repeat)


def _restart_numbering(document: Document) -> int:
    """A new numbering instance of the ``List Number`` list, so this list starts again at 1."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    style = document.styles["List Number"]
    num_pr = style.element.pPr.numPr if style.element.pPr is not None else None
    if num_pr is None or num_pr.numId is None:
        return 0
    numbering = document.part.numbering_part.element
    base = numbering.num_having_numId(num_pr.numId.val)
    abstract = base.abstractNumId.val
    num = numbering.add_num(abstract)
    for level in range(3):
        override = OxmlElement("w:lvlOverride")
        override.set(qn("w:ilvl"), str(level))
        start = OxmlElement("w:startOverride")
        start.set(qn("w:val"), "1")
        override.append(start)
        num.append(override)
    return int(num.numId)


def _set_numbering(paragraph: Paragraph, number: int, level: int) -> None:
    if not number:
        return
    properties = paragraph._p.get_or_add_pPr()
    num_pr = properties.get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = number
