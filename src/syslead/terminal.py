"""Tables that fit the terminal: no word split across two lines, no amount cut short.

Rich shares out a table's width by squeezing the widest columns first, so at 80 columns a long
word ("altruistically") or an amount can be split mid-word or cut with an ellipsis. Here a column
is never made narrower than its longest word (or, for a column that does not wrap, its widest
cell); a table that cannot fit that way is not printed as it is, and the view offers another
layout instead: shorter labels, fewer columns, or a stacked layout (see :class:`Fitted`).

Rich is imported only for types here; the views that use this module import it themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
    from rich.table import Table

Layout = Callable[["Console", "ConsoleOptions"], "RenderableType"]
"""A layout built for the width at hand (``options.max_width``)."""


def _share(total: int, wants: Sequence[int]) -> list[int]:
    """``total`` columns of room shared out, the smallest wants first.

    Each want is met in full while it is no more than an equal share of what is left, so a short
    title stays on one line beside a long one.
    """
    grants = [0] * len(wants)
    waiting = sorted(range(len(wants)), key=lambda i: wants[i])
    left = total
    while waiting:
        index = waiting.pop(0)
        grants[index] = min(wants[index], left // (len(waiting) + 1))
        left -= grants[index]
    return grants


def fit_table(table: Table, console: Console, options: ConsoleOptions) -> bool:
    """Set each column's width so that no word is split; False when the table cannot fit.

    Every column gets at least its longest word (its widest cell when it does not wrap), and the
    room left over goes to the columns that could use it, in proportion to what they could use.
    The widths are the table's own from then on (a later call sets them again).
    """
    width = options.max_width if table.width is None else min(table.width, options.max_width)
    for column in table.columns:
        column.width = None
    # Rich's own measure of a column (its cells, header and padding) and of the table's borders.
    measures = [table._measure_column(console, options, column) for column in table.columns]
    room = width - table._extra_width
    minimum = sum(m.minimum for m in measures)
    if minimum > room:
        return False
    wants = [m.maximum - m.minimum for m in measures]
    spare = room - minimum
    grants = wants if sum(wants) <= spare else _share(spare, wants)
    for index, (column, measure, grant) in enumerate(
        zip(table.columns, measures, grants, strict=True)
    ):
        column.width = max(1, measure.minimum + grant - table._get_padding_width(index))
    return True


class Fitted:
    """The first of several tables that fits the width without splitting a word.

    When none fits, ``narrow`` (a layout made for the width at hand) is printed instead; without
    it, the last table is printed as Rich lays it out.
    """

    def __init__(self, *tables: Table, narrow: Layout | None = None) -> None:
        self.tables = tables
        self.narrow = narrow

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """Render the first table that fits, else the narrow layout."""
        for table in self.tables:
            if fit_table(table, console, options):
                yield table
                return
        if self.narrow is not None:
            yield self.narrow(console, options)
        elif self.tables:
            yield self.tables[-1]
