"""The Markdown escaper: whatever the text, a reader sees exactly what was typed."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from syslead.markup import md

from .conftest import examples

PARSER = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
TRICKY = st.text(
    alphabet=st.sampled_from(list("ab 1_*`[]()<>|#!~{}&;-+.\\=:/\"'é\t"))
    | st.characters(blacklist_categories=("Cc", "Cs")),
    max_size=40,
)


def visible(markdown: str) -> str:
    """The text a reader sees: inline text and code, with line breaks as spaces."""
    tokens = PARSER.parse(markdown)
    assert [t.type for t in tokens] in ([], ["paragraph_open", "inline", "paragraph_close"])
    out = []
    for token in tokens:
        for child in token.children or []:
            assert child.type in {"text", "softbreak"}, child.type  # no emphasis, links, code...
            out.append(child.content if child.type == "text" else " ")
    return "".join(out)


@settings(max_examples=examples(16))  # cheap: 16 times the profile's count
@given(TRICKY)
def test_what_is_typed_is_what_is_read(text: str) -> None:
    expected = re.sub(r"\s+", " ", text).strip()
    if not expected:
        return
    assert visible(md(text)) == expected


@settings(max_examples=examples(8))
@given(TRICKY)
def test_a_table_cell_stays_one_cell(text: str) -> None:
    expected = re.sub(r"\s+", " ", text).strip()
    table = f"| a | b |\n|---|---|\n| {md(text)} | x |\n"
    tokens = PARSER.parse(table)
    cells = [t for t in tokens if t.type == "td_open"]
    assert len(cells) == 2
    inline = [t for t in tokens if t.type == "inline"][2]
    assert "".join(c.content for c in inline.children or []) == expected


def test_words_stay_readable() -> None:
    assert md("Integrated~Autonomy") == "Integrated~Autonomy"
    assert md("Northshire_NHS_Trust") == "Northshire_NHS_Trust"
    assert md("Health & Care") == "Health & Care"
    assert md("<script>alert(1)</script>") == "\\<script\\>alert(1)\\</script\\>"
    assert md("# not a heading") == "\\# not a heading"
    assert md("2027. A year") == "2027\\. A year"
