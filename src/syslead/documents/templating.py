"""Jinja2 environments for the document templates: sandboxed, Markdown-escaping, overridable."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from syslead.errors import SysleadError
from syslead.markup import md, md_block

AUDIENCES = ("facilitator", "participant")


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


MAX_TEMPLATE_TEXT = 1_000_000
"""The longest text or list a template may build by repetition (``"x" * n``)."""
MAX_TEMPLATE_POWER = 4096
"""The largest power a template may raise a number to."""


def _limited_sandbox() -> Any:
    """Jinja's sandbox, with limits on repetition and powers, so a template cannot exhaust memory.

    The sandbox already refuses unsafe attributes and a ``range`` over 100,000 items.
    """
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

    class LimitedSandbox(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "*":
                for seq, times in ((left, right), (right, left)):
                    repeats = isinstance(seq, (str, list, tuple)) and isinstance(times, int)
                    if repeats and len(seq) * times > MAX_TEMPLATE_TEXT:
                        raise SecurityError("the template repeats text too many times")
            if operator == "**" and isinstance(right, (int, float)) and right > MAX_TEMPLATE_POWER:
                raise SecurityError("the template raises a number to too high a power")
            return super().call_binop(context, operator, left, right)

    return LimitedSandbox


def environments(templates: Path | None = None) -> Environments:
    """Sandboxed Jinja environments that search the user's folder first, then the built-ins."""
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined

    SandboxedEnvironment = _limited_sandbox()
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
    except (ArithmeticError, LookupError, TypeError, ValueError, RecursionError) as err:
        # A user's template can compute as well as print; what it gets wrong is its own fault.
        raise SysleadError(f"{name}: the template failed: {type(err).__name__}: {err}") from None
    except MemoryError:
        raise SysleadError(f"{name}: the template asked for more memory than there is") from None
