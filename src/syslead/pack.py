"""The pack a facilitator prints: every document for one plan, built in memory before any is written."""

from __future__ import annotations

from typing import Any

from .documents import Environments, html_page, html_to_pdf, plan_document_html, plan_document_md
from .library import Library
from .plan import Plan
from .planfile import to_yaml

HANDOUTS = ("facilitator", "participant", "cards")


def build_pack(
    plan: Plan,
    library: Library,
    env: Environments,
    *,
    pdf: bool = False,
    charter: str | None = None,
    review: Any = None,
) -> dict[str, str | bytes]:
    """File name to content, in a stable order: the plan, the agenda, each handout and its twins."""
    files: dict[str, str | bytes] = {
        "plan.yaml": to_yaml(plan),
        "agenda.md": plan_document_md("agenda", plan, library, env, review),
        "agenda.html": plan_document_html("agenda", plan, library, env, review),
    }
    for kind in HANDOUTS:
        files[f"{kind}.md"] = plan_document_md(kind, plan, library, env, review)
        files[f"{kind}.html"] = plan_document_html(kind, plan, library, env, review)
    if charter is not None:
        files["charter.md"] = charter
        files["charter.html"] = html_page(f"{plan.title}: charter", charter, env, kind="charter")
    if pdf:
        for name in [n for n in files if n.endswith(".html") and not n.startswith("agenda")]:
            page = files[name]
            assert isinstance(page, str)
            files[name.removesuffix(".html") + ".pdf"] = html_to_pdf(page)
    return files
