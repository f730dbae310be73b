"""Reading documents the way a reader does: Markdown as markdown-it tokens, HTML with html.parser.

Shared by the tests of the handouts, the run sheet and the pack, so each reads a heading, a section
or a table the same way rather than searching the raw text.
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .conftest import Run


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


BOX_SIDES = "│┃"
RULES = set("─━")


def terminal_tables(text: str) -> list[list[list[str]]]:
    """Every boxed Rich table in terminal output, each as rows of cells (the header row first).

    The header is the lines between ``┃`` (joined into one row, however many lines it takes);
    a cell that wraps over several lines is joined back with spaces (see ``_join``).
    """
    tables: list[list[list[str]]] = []
    header: list[list[str]] = []
    body: list[list[str]] = []
    for line in text.splitlines():
        if line[:1] == "┃":
            header.append([cell.strip() for cell in _split_box(line)])
        elif line[:1] == "│":
            body.append([cell.strip() for cell in _split_box(line)])
        elif line[:1] in "└┗╰" and (header or body):
            tables.append(_join(header, first=True) + _join(body))
            header, body = [], []
    return tables


def terminal_table(text: str) -> list[list[str]]:
    """The first Rich table in terminal output, as rows of cells (the header row first).

    Reads both of the shapes syslead prints: a boxed table (see ``terminal_tables``) and a simple
    one (a header over a ``───`` rule, columns apart by at least two spaces on every line).
    """
    boxed = terminal_tables(text)
    if boxed:
        return boxed[0]
    lines = text.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.strip() and set(line.strip()) <= RULES)
    block = [lines[rule - 1]]
    for line in lines[rule + 1 :]:
        if not line.strip():
            break
        block.append(line)
    split = _split_by_gaps(block)
    return _join(split[:1], first=True) + _join(split[1:])


def _join(lines: list[list[str]], first: bool = False) -> list[list[str]]:
    """Lines of cells as rows: a line continues the row above it when its first cell is empty, or
    when only its first cell is not (a wrapped name); with ``first``, every line belongs to the
    one row, as a header's lines do."""
    rows: list[list[str]] = []
    for cells in lines:
        wrapped = not cells[0] or (len(cells) > 1 and not any(cells[1:]))
        if rows and (first or wrapped):
            rows[-1] = [" ".join(filter(None, pair)) for pair in zip(rows[-1], cells, strict=True)]
        else:
            rows.append(cells)
    return rows


def _split_box(line: str) -> list[str]:
    for side in BOX_SIDES[1:]:
        line = line.replace(side, BOX_SIDES[0])
    return line.split(BOX_SIDES[0])[1:-1]


def _split_by_gaps(lines: list[str]) -> list[list[str]]:
    """Cut every line at the runs of two or more columns that are blank on every line."""
    width = max(len(line) for line in lines)
    padded = [line.ljust(width) for line in lines]
    blank = [all(line[i] == " " for line in padded) for i in range(width)]
    spans: list[tuple[int, int]] = []
    i = 0
    while i < width:
        if blank[i]:
            i += 1
            continue
        j = i
        while j < width and not (blank[j] and (j + 1 >= width or blank[j + 1])):
            j += 1
        spans.append((i, j))
        i = j
    return [[line[a:b].strip() for a, b in spans] for line in padded]


def output(result: Run) -> str:
    """The standard output of a run that worked (exit code 0, which is checked)."""
    assert result.exit_code == 0, (result.exit_code, result.stderr)
    return result.stdout


def same_json(actual: object, expected: object, where: str = "$") -> None:
    """Equal as JSON, type by type: 4.0 is not 4, None is not 0, and no key is extra or missing."""
    assert type(actual) is type(expected), (
        f"{where}: {type(actual).__name__} {actual!r}, expected {type(expected).__name__} {expected!r}"
    )
    if isinstance(expected, dict):
        assert isinstance(actual, dict)
        assert set(actual) == set(expected), f"{where}: keys {sorted(actual)} != {sorted(expected)}"
        for key, value in expected.items():
            same_json(actual[key], value, f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list)
        assert len(actual) == len(expected), (
            f"{where}: {len(actual)} items, expected {len(expected)}"
        )
        for index, value in enumerate(expected):
            same_json(actual[index], value, f"{where}[{index}]")
    else:
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"
