"""The default pack printed with WeasyPrint and read back with pypdf: page fill, headings, counts.

The pack is the README's: a 14-person away-day for three organisations, written with ``--pdf`` by
the command once for the whole test session (conftest.py's ``readme_pack``); every test reads the
same PDFs.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest

from syslead.documents.pages import html_to_pdf
from syslead.library.loader import Library, load_library
from syslead.planning.file import load_plan

from .conftest import Pack

pypdf = pytest.importorskip("pypdf")

MM = 72 / 25.4
BODY_BOTTOM = 14 * MM
"""The lowest bottom margin any document uses (the cards'): below it sits only the page number."""
TOP_MARGIN = 11 * MM


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


@pytest.fixture(scope="module")
def pack(library: Library, readme_pack: Pack) -> dict[str, Any]:
    readme_pack.pdf("agenda.pdf")  # skips where the pdf extra is missing
    assert readme_pack.run.exit_code == 0, readme_pack.run.stderr
    files: dict[str, str | bytes] = {}
    for path in sorted(readme_pack.folder.iterdir()):
        files[path.name] = path.read_bytes() if path.suffix == ".pdf" else path.read_text("utf-8")
    plan = load_plan(readme_pack.folder / "plan.yaml", library)
    return {"plan": plan, "files": files}


def reader(data: bytes) -> Any:
    return pypdf.PdfReader(io.BytesIO(data))


def lowest_text(page: Any) -> float | None:
    """The lowest baseline of any text in the page body (above the page number), in points."""
    ys: list[float] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text.strip():
            y = tm[5] * cm[3] + cm[5]
            if y > BODY_BOTTOM:
                ys.append(y)

    page.extract_text(visitor_text=visit)
    return min(ys) if ys else None


def fills(data: bytes) -> list[float]:
    """How far down each page its text reaches, as a share of the page body."""
    shares = []
    for page in reader(data).pages:
        height = float(page.mediabox.height)
        low = lowest_text(page)
        top = height - TOP_MARGIN
        shares.append(0.0 if low is None else (top - low) / (top - BODY_BOTTOM))
    return shares


def outline(r: Any) -> Iterator[Any]:
    def walk(items: list[Any]) -> Iterator[Any]:
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item

    yield from walk(r.outline)


def pdfs(pack: dict[str, Any]) -> dict[str, bytes]:
    return {n: d for n, d in pack["files"].items() if n.endswith(".pdf")}


def test_every_html_document_has_a_pdf_and_the_wall_agenda_is_there(pack: dict[str, Any]) -> None:
    files = pack["files"]
    # room.html is the display to project on the day, not a page to print
    htmls = {n.removesuffix(".html") for n in files if n.endswith(".html") and n != "room.html"}
    assert {n.removesuffix(".pdf") for n in pdfs(pack)} == htmls | {"agenda-wall"}


def test_no_page_under_a_quarter_full_except_last_pages(pack: dict[str, Any]) -> None:
    thin = {}
    for name, data in pdfs(pack).items():
        low = [i + 1 for i, share in enumerate(fills(data)[:-1]) if share < 0.25]
        if low:
            thin[name] = low
    assert thin == {}


def test_no_heading_in_the_last_15_percent_of_a_page(pack: dict[str, Any]) -> None:
    low = []
    for name, data in pdfs(pack).items():
        r = reader(data)
        for dest in outline(r):
            page = r.pages[r.get_destination_page_number(dest)]
            height = float(page.mediabox.height)
            share = (float(dest.top) - BODY_BOTTOM) / (height - TOP_MARGIN - BODY_BOTTOM)
            if share < 0.15:
                low.append((name, dest.title, round(share, 3)))
    assert low == []


def test_page_counts(pack: dict[str, Any]) -> None:
    counts = {name: len(reader(data).pages) for name, data in pdfs(pack).items()}
    work = [b for b in pack["plan"].blocks if b.activity]
    assert counts["agenda-wall.pdf"] == 1
    assert counts["evaluation.pdf"] == 1
    assert counts["power-sheet.pdf"] == 1
    assert counts["cards.pdf"] == len(work)  # one card to a page, the title on the first
    assert counts["facilitator.pdf"] <= 24
    # 57 sheets in all when measured (see BENCHMARKS.md); a page or two of new content is fine,
    # a pack that grows by a tenth is not.
    assert sum(counts.values()) <= 58


def test_cards_start_one_to_a_page(pack: dict[str, Any]) -> None:
    r = reader(pdfs(pack)["cards.pdf"])
    cards = [d for d in r.outline[1] if not isinstance(d, list)] if len(r.outline) > 1 else []
    pages = [r.get_destination_page_number(d) for d in cards]
    assert pages == list(range(len(pages)))


def test_headings_are_tagged_in_the_pdf_outline(pack: dict[str, Any]) -> None:
    titles = [d.title for d in outline(reader(pdfs(pack)["cards.pdf"]))]
    assert "Steps" in titles
    assert "Watch for" in titles


def test_wall_agenda_on_a3(library: Library, pack: dict[str, Any]) -> None:
    from syslead.documents.handouts import plan_document_html

    page = plan_document_html("wall", pack["plan"], library, paper="a3", large_print=True)
    r = reader(html_to_pdf(page, one_page=True))
    assert len(r.pages) == 1
    width, height = float(r.pages[0].mediabox.width), float(r.pages[0].mediabox.height)
    assert (round(width / MM), round(height / MM)) == (297, 420)


def test_writing_rows_are_tall_enough(pack: dict[str, Any]) -> None:
    files = pack["files"]
    charter = files["charter.html"]
    assert re.search(
        r"#signed-on-behalf-of-our-organisations tbody th \{ height: 1[5-9]mm", charter
    )
    assert "body.sheet td, body.sheet tbody th { height: 13mm; }" in charter
    assert (
        "#key-messages-to-cascade td, body.facilitator #actions-agreed td { height: 12mm; }"
        in (files["facilitator.html"])
    )


class BodyAndStyle(HTMLParser):
    """The body's classes and the text of the page's style sheets."""

    def __init__(self) -> None:
        super().__init__()
        self.body_classes: list[str] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.body_classes = (dict(attrs).get("class") or "").split()
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data


def body_and_style(html: str) -> BodyAndStyle:
    parsed = BodyAndStyle()
    parsed.feed(html)
    parsed.close()
    return parsed


def root_font_size(style: str) -> str | None:
    """The font size the style sheet gives the ``html`` element (which every rem and em follows)."""
    found = re.search(r"^html \{[^}]*?\bfont-size: ([^;]+);", style, re.M)
    return found[1] if found else None


def test_large_print_sets_the_body_in_16pt(library: Library, pack: dict[str, Any]) -> None:
    from syslead.documents.handouts import plan_document_html

    large = body_and_style(
        plan_document_html("participant", pack["plan"], library, large_print=True)
    )
    usual = body_and_style(plan_document_html("participant", pack["plan"], library))
    assert large.body_classes == ["participant", "large-print"]
    assert usual.body_classes == ["participant"]
    assert root_font_size(large.style) == "16pt"
    assert root_font_size(usual.style) == "10.5pt"
