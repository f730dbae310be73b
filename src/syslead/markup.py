"""Small helpers for writing Markdown safely.

Text from playbooks and the command line is data. In Markdown that means escaping the characters that
would otherwise become markup (emphasis, links, raw HTML, code, table cells), so that what a user typed
is what a reader sees, whichever renderer is used (CommonMark, GitHub, pandoc).

Facilitators also open the ``.md`` files directly, so a character is escaped only where it could be
read as markup: an underscore inside a word (``NHS_Trust``) or a lone tilde cannot, and is left alone.
"""

from __future__ import annotations

import re

_ALWAYS = re.compile(r"([\\`*\[\]<>|])")
"""Backslash, code, emphasis, links, raw HTML and autolinks (both angle brackets, so a tag reads
plainly as escaped), and table cells: markup anywhere."""
_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
"""An underscore that touches a word boundary can open or close emphasis."""
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
"""An ampersand that would start a character reference such as ``&amp;``."""
_IMAGE = re.compile(r"!(?=\\\[)")
"""An exclamation mark before a (now escaped) bracket would have started an image."""
_LINE_START = re.compile(r"^([#>+=-]|\d{1,9}[.)](?=\s|$))")
"""What would start a heading, quote, list or numbered list if the text began a line."""
_SPACE = re.compile(r"\s+")


def md(text: object) -> str:
    """Escape text for use inline in CommonMark (one line, markup characters escaped)."""
    out = _SPACE.sub(" ", str(text)).strip()
    out = _ALWAYS.sub(r"\\\1", out)
    out = _UNDERSCORE.sub(r"\\_", out)
    out = _ENTITY.sub(r"\\&", out)
    out = _IMAGE.sub(r"\\!", out)
    if out.count("~") > 1:
        out = out.replace("~", r"\~")  # two tildes can strike text through on GitHub
    return _LINE_START.sub(lambda m: m[1][:-1] + "\\" + m[1][-1], out)


def md_block(text: object) -> str:
    """Escape a paragraph of text; a blank line inside it still separates paragraphs."""
    paragraphs = re.split(r"\n\s*\n", str(text).strip())
    return "\n\n".join(md(p) for p in paragraphs if p.strip())


def bullets(items: list[str]) -> str:
    """A Markdown bullet list of escaped items."""
    return "\n".join(f"- {md(item)}" for item in items)
