"""Small helpers for writing Markdown safely.

Text from playbooks and the command line is data. In Markdown that means escaping the characters that
would otherwise become markup (emphasis, links, raw HTML, table cells), so that what a user typed is
what a reader sees, whichever renderer is used.
"""

from __future__ import annotations

import re

_INLINE = re.compile(r"([\\`*_\[\]<>|#!~{}&])")
_SPACE = re.compile(r"\s+")


def md(text: object) -> str:
    """Escape text for use inline in CommonMark (one line, markup characters escaped)."""
    return _INLINE.sub(r"\\\1", _SPACE.sub(" ", str(text)).strip())


def md_block(text: object) -> str:
    """Escape a paragraph of text; a blank line inside it still separates paragraphs."""
    paragraphs = re.split(r"\n\s*\n", str(text).strip())
    return "\n\n".join(md(p) for p in paragraphs if p.strip())


def bullets(items: list[str]) -> str:
    """A Markdown bullet list of escaped items."""
    return "\n".join(f"- {md(item)}" for item in items)
