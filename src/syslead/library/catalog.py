"""What the library holds, shaped for listings, summaries and schemas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from syslead.errors import SysleadError
from syslead.library.loader import Library, resolve_factor
from syslead.library.models import (
    KINDS,
    MODELS,
    Activity,
    CaseStudy,
    Entry,
    Factor,
    PrincipleSet,
)

if TYPE_CHECKING:
    from rich.console import Group, RenderableType
    from rich.table import Table

NOUNS = {
    "factor": ("factor", "factors"),
    "activity": ("activity", "activities"),
    "principles": ("principle set", "principle sets"),
    "case-study": ("case study", "case studies"),
    "format": ("session format", "session formats"),
}


def titles(library: Library) -> dict[str, str]:
    """Every entry's title by id, for cross-references in rendered text."""
    return {entry_id: entry.title for entry_id, entry in library.entries.items()}


def entry_factors(entry: Entry) -> list[str]:
    """The factors an entry is about (a factor is about itself)."""
    if isinstance(entry, Factor):
        return [entry.id]
    if isinstance(entry, (Activity, CaseStudy)):
        return list(entry.factors)
    return []


def catalog_rows(
    library: Library, factor: str | None = None, kind: str | None = None
) -> list[dict[str, Any]]:
    """One row per entry, ordered by kind then id, optionally filtered."""
    wanted = resolve_factor(factor) if factor else None
    if kind is not None and kind not in KINDS:
        raise SysleadError(f"unknown kind {kind!r} (expected one of: {', '.join(KINDS)})")
    rows = []
    for entry_kind in KINDS:
        if kind is not None and entry_kind != kind:
            continue
        for entry in library.of_kind(MODELS[entry_kind]):
            factors = entry_factors(entry)
            if wanted is not None and wanted not in factors:
                continue
            row: dict[str, Any] = {
                "id": entry.id,
                "kind": entry_kind,
                "title": entry.title,
                "factors": factors,
                "builtin": library.is_builtin(entry.id),
                "overridden": entry.id in library.overridden,
                "path": library.origins[entry.id].doc.path,
            }
            if isinstance(entry, Activity):
                row["role"] = entry.role
                row["minutes"] = {
                    "min": entry.duration.min,
                    "default": entry.duration.default,
                    "max": entry.duration.max,
                }
                row["evening"] = entry.evening
            rows.append(row)
    return rows


def summary_line(library: Library) -> str:
    """A one-line account of a successful validation."""
    counts = []
    for kind in KINDS:
        n = len(library.of_kind(MODELS[kind]))
        if n:
            counts.append(f"{n} {NOUNS[kind][n != 1]}")
    user = sum(not o.builtin for o in library.origins.values())
    extra = f"; {user} of yours ({len(library.overridden)} replacing built-ins)" if user else ""
    return f"ok: {len(library.entries)} entries from {library.files} files ({', '.join(counts)}){extra}"


def principle_set(library: Library, set_id: str | None) -> PrincipleSet:
    """The chosen principle set: by id, else a user's own set, else the built-in one."""
    if set_id:
        entry = library.get(set_id)
        if not isinstance(entry, PrincipleSet):
            raise SysleadError(f"{set_id!r} is a {entry.kind}, not a set of principles")
        return entry
    chosen = library.default_principles()
    if chosen is None:
        raise SysleadError("no set of principles is loaded")
    return chosen


def json_schema(kind: str | None) -> dict[str, Any]:
    """The JSON Schema for one kind of playbook entry, or for any entry."""
    from pydantic import TypeAdapter

    if kind is not None:
        if kind not in MODELS:
            raise SysleadError(f"unknown kind {kind!r} (expected one of: {', '.join(KINDS)})")
        schema = MODELS[kind].model_json_schema()
    else:
        from syslead.library.models import AnyEntry

        schema = TypeAdapter(AnyEntry | list[AnyEntry]).json_schema()
        schema["title"] = "syslead playbook file"
        schema["description"] = (
            "One playbook entry, or a list of entries. The kind of an entry comes from its 'kind' "
            "field, else from the folder it sits in (activities/, factors/, principles/, "
            "case-studies/, formats/), else it is an activity."
        )
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def _origin(row: dict[str, Any]) -> str:
    if row["builtin"]:
        return "built-in"
    return "yours (replaces built-in)" if row["overridden"] else "yours"


def _catalog_grid(rows: list[dict[str, Any]], numbered: bool) -> Table:
    """The listing as a table: factors by id, or by number (named in the caption)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from syslead.library.models import FACTOR_IDS

    numbers = {factor: str(n) for n, factor in enumerate(FACTOR_IDS, 1)}
    legend = "; ".join(f"{n} {factor}" for factor, n in numbers.items())
    mixed = not all(row["builtin"] for row in rows)
    table = Table(
        title=f"{len(rows)} playbook entries" + ("" if mixed or not rows else ", all built-in"),
        title_justify="left",
        caption=f"Factors: {legend}." if numbered else None,
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        collapse_padding=True,
        pad_edge=False,
    )
    for column in ("id", "kind", "title", "factors", "from")[: 5 if mixed else 4]:
        table.add_column(column, no_wrap=column == "id")
    for row in rows:
        factors = [numbers.get(f, f) for f in row["factors"]] if numbered else row["factors"]
        cells = [Text(row["id"]), row["kind"], Text(row["title"]), ", ".join(factors)]
        table.add_row(*cells, *([_origin(row)] if mixed else []))
    return table


def _catalog_stacked(rows: list[dict[str, Any]]) -> Group:
    """The listing for a narrow terminal: each entry's id and facts, then its title indented."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    parts: list[RenderableType] = [Text(f"{len(rows)} playbook entries", style="italic")]
    for row in rows:
        facts = [row["kind"], ", ".join(row["factors"]), _origin(row)]
        parts.append(Text(f"{row['id']} ({'; '.join(f for f in facts if f)})", style="bold"))
        parts.append(Padding(Text(row["title"]), (0, 0, 0, 4)))
    return Group(*parts)


def catalog_table(rows: list[dict[str, Any]]) -> RenderableType:
    """The listing for the terminal, never splitting a word.

    Factor ids when they fit, else factor numbers with a key, else each entry stacked on its own
    lines. The "from" column is there only when some entries are your own.
    """
    from syslead.terminal import Fitted

    return Fitted(
        _catalog_grid(rows, numbered=False),
        _catalog_grid(rows, numbered=True),
        narrow=lambda console, options: _catalog_stacked(rows),
    )
