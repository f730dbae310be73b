"""Reading documents the way a reader does: Markdown as markdown-it tokens, HTML with html.parser.

Shared by the tests of the handouts, the run sheet and the pack, so each reads a heading, a section
or a table the same way rather than searching the raw text.
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.token import Token


def tokens_of(markdown: str) -> list[Token]:
    return MarkdownIt("commonmark", {"html": False}).enable("table").parse(markdown)


def headings(tokens: list[Token], tag: str) -> list[str]:
    return [
        tokens[i + 1].content
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == tag
    ]


def section(tokens: list[Token], title: str) -> list[Token]:
    """The tokens under the heading ``title``, up to the next heading of the same or a higher level."""
    for i, t in enumerate(tokens):
        if t.type == "heading_open" and tokens[i + 1].content == title:
            level = int(t.tag[1])
            out = []
            for later in tokens[i + 3 :]:
                if later.type == "heading_open" and int(later.tag[1]) <= level:
                    break
                out.append(later)
            return out
    raise AssertionError(f"no heading {title!r}")


def block_section(tokens: list[Token], start: str) -> list[Token]:
    """The run sheet's section for the block that starts at ``start``."""
    title = next(h for h in headings(tokens, "h3") if h.startswith(f"{start}-"))
    return section(tokens, title)


def text_of(tokens: list[Token]) -> str:
    """The visible text of some tokens, whitespace collapsed."""
    parts = [
        child.content
        for t in tokens
        for child in t.children or []
        if child.type in {"text", "code_inline"}
    ]
    return " ".join(" ".join(parts).split())


def table_rows(tokens: list[Token]) -> Iterator[list[str]]:
    """Each row of the first table among ``tokens``, header first, as the cells' visible text."""
    row: list[str] | None = None
    for t in tokens:
        if t.type == "tr_open":
            row = []
        elif t.type == "inline" and row is not None:
            row.append(text_of([t]))
        elif t.type == "tr_close" and row is not None:
            yield row
            row = None
        elif t.type == "table_close":
            return


def md_text(markdown: str) -> str:
    """The visible text of a Markdown document (what a reader sees), a line per inline run."""
    out = []
    for token in tokens_of(markdown):
        for child in token.children or []:
            if child.type in {"text", "code_inline"}:
                out.append(child.content)
    return "\n".join(out)


class Page(HTMLParser):
    """Collects the structure of an HTML page: its tags, their attributes, its text and style."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.style = ""
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.append((tag, dict(attrs)))
        self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            while self._open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._open and self._open[-1] == "style":
            self.style += data
        elif not (self._open and self._open[-1] == "script"):
            self.text.append(data)


def parse_html(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page
