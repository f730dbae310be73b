"""Amounts of money and shares: exact pounds, read as people type them and written for reading.

Money is :class:`~decimal.Decimal` in pounds, quantised to the penny. A single amount is rounded
half up (away from zero, so that rounding is symmetric for over- and underperformance); a total split
into shares is rounded by the largest-remainder method
(:func:`~syslead.scenario.rules.split_largest_remainder`), so the shares always add up to the total
exactly, with ties going to the organisation listed first.

The parsers take what a facilitator types at the command line (``100m``, ``£1,200,000``, ``20%``,
``Acute trust=100m``, ``-5%``) and raise a :class:`~syslead.errors.ScenarioError` that names the
field it was given for (with :func:`~syslead.errors.ref`, so the command line can show its option
name instead); the formatters write amounts for the tables and texts. They live apart from the scenario
and its rules so that every module that reads or shows a figure does it the same way.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Literal, NamedTuple

from pydantic import AfterValidator

from syslead.errors import ScenarioError, ref

# --------------------------------------------------------------------------------------------------
# Money, shares and their parsing


PENNY = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("1000000000000")
"""£1,000bn: far above any local system, low enough to keep every sum exact in Decimal arithmetic."""


def pennies(amount: Decimal) -> Decimal:
    """An amount rounded to the penny, half away from zero, never shown as ``-0.00``."""
    rounded = amount.quantize(PENNY, rounding=ROUND_HALF_UP)
    return rounded if rounded != 0 else ZERO


def _money(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise ValueError("expected an amount of money, not infinity or NaN")
    if value < 0:
        raise ValueError("expected an amount of money that is not negative")
    if value > MAX_AMOUNT:
        raise ValueError("expected an amount no larger than £1,000bn")
    if value != value.quantize(PENNY):
        # Refused, not rounded, as on the command line: a saved scenario that says 12.345
        # means something its reader has to decide.
        raise ValueError(f"{value} has a fraction of a penny; expected whole pence")
    return pennies(value)


def _share(value: Decimal) -> Decimal:
    if not value.is_finite() or not 0 <= value <= 1:
        raise ValueError("expected a share from 0% to 100%")
    return value


Money = Annotated[Decimal, AfterValidator(_money)]
"""Pounds, not negative, quantised to the penny."""
Share = Annotated[Decimal, AfterValidator(_share)]
"""A fraction from 0 to 1 (0% to 100%)."""

_SUFFIX = {"": 1, "k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000}
_AMOUNT = re.compile(
    r"^£?\s*(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)\s*(?P<unit>k|m|mn|bn)?$",
    re.IGNORECASE,
)
_NEGATIVE = re.compile(r"^\s*(?:£\s*)?[-\u2212(]|^\s*[-\u2212]\s*£")
AMOUNT_EXPECTED = "expected pounds such as 1200000, £1,200,000, 12.50, 750k, 2.5m or 100m"


def _prefix(field: str | None, label: str = "") -> str:
    """The head of an error message: the field referred to, and the organisation it is about."""
    if not field:
        return ""
    return f"{ref(field)} {label}: " if label else f"{ref(field)}: "


def parse_amount(text: str, *, field: str | None = None, label: str = "") -> Decimal:
    """Pounds from ``100m``, ``40M``, ``2.5m``, ``750k``, ``1200000``, ``£1,200,000`` or ``12.5``.

    A bare number is pounds; ``k``, ``m`` (or ``mn``) and ``bn`` scale it, in either case. The
    amount must be exact to the penny: ``12.345`` is refused rather than rounded, since a figure
    the facilitator did not type would change every sum after it. Negative amounts and anything
    else are a :class:`ScenarioError` whose message quotes the text, after ``field`` (such as
    ``budget``) and ``label`` (such as an organisation's name) when given; the error's ``field``
    is set too.
    """
    head = _prefix(field, label)
    raw = str(text).strip()
    if _NEGATIVE.match(raw):
        raise ScenarioError(
            f"{head}{text!r} is negative (amounts of money cannot be negative; {AMOUNT_EXPECTED})",
            field=field,
        )
    found = _AMOUNT.match(raw)
    if not found:
        raise ScenarioError(
            f"{head}{text!r} is not an amount of money ({AMOUNT_EXPECTED})", field=field
        )
    number = Decimal(found["num"].replace(",", ""))
    amount = number * _SUFFIX[(found["unit"] or "").lower()]
    if amount > MAX_AMOUNT:
        raise ScenarioError(
            f"{head}{text!r} is more than £1,000bn; is there a typing error?", field=field
        )
    if amount != amount.quantize(PENNY):
        raise ScenarioError(
            f"{head}{text!r} has a fraction of a penny (amounts are exact to the penny; "
            f"write {format_money(pennies(amount))}, say, if that is what you mean)",
            field=field,
        )
    return pennies(amount)


_PERCENT = re.compile(r"^(?P<num>\d+(?:\.\d+)?|\.\d+)\s*(?P<pct>%)?$")
_BARE = re.compile(r"^(?:\d+(?:\.\d+)?|\.\d+)$")
PERCENT_EXPECTED = "expected a share from 0% to 100%, written as 30% or as a fraction such as 0.3"


def parse_percent(text: str, *, field: str | None = None, label: str = "") -> Decimal:
    """A share as a fraction from 0 to 1, from ``30%`` or ``0.3`` (both mean 30%).

    This is the one convention for every share and rate: with a ``%`` sign the number is a
    percentage; without one it is a fraction from 0 to 1. A bare number above 1 is refused with a
    hint rather than guessed at, so ``1`` is 100% and ``1.5`` is an error (``1.5%`` or ``0.015``
    was meant), never 1.5%. Anything below 0% or above 100% is a :class:`ScenarioError` (see
    :func:`parse_amount`).
    """
    head = _prefix(field, label)
    raw = str(text).strip()
    found = _PERCENT.match(raw)
    if not found:
        if re.match(r"^\s*[-\u2212]", raw):
            raise ScenarioError(f"{head}{text!r} is negative ({PERCENT_EXPECTED})", field=field)
        raise ScenarioError(f"{head}{text!r} is not a share ({PERCENT_EXPECTED})", field=field)
    number = Decimal(found["num"])
    if found["pct"]:
        if number > 100:
            raise ScenarioError(
                f"{head}{text!r} is more than 100% ({PERCENT_EXPECTED})", field=field
            )
        return number / 100
    if number > 1:
        raise ScenarioError(f"{head}{text!r} {_bare_hint(number)}", field=field)
    return number


def _bare_hint(number: Decimal) -> str:
    """Why a bare number above 1 is not a share, and what to write instead."""
    if number > 100:
        return f"is more than 100% ({PERCENT_EXPECTED})"
    return (
        f"is above 1, and a bare number is a fraction from 0 to 1: write {number:f}% "
        f"(or {(number / 100).normalize():f}) for {number:f} per cent"
    )


def _one_equals(text: str, field: str, expected: str) -> tuple[str, str]:
    """``NAME=VALUE`` split at its only ``=``; a second ``=`` is refused, never guessed at.

    ``A=100m=5`` could be the organisation ``A=100m`` planned at £5 or a typing error in ``A=100m``;
    reading either would silently change the figures, so a name cannot contain ``=``.
    """
    name, sep, value = str(text).partition("=")
    if not sep or not name.strip() or not value.strip():
        raise ScenarioError(f"{ref(field)}: {text!r} is not {expected}", field=field)
    if "=" in value:
        raise ScenarioError(
            f"{ref(field)}: {text!r} has more than one '=' (expected {expected}, with one '=' "
            "between the name and the value; a name cannot contain '=')",
            field=field,
        )
    return name.strip(), value.strip()


def parse_org(text: str, *, field: str = "organisations") -> tuple[str, Decimal]:
    """``NAME=AMOUNT`` as (name, pounds), for the plans, out-turns, thresholds and contributions.

    Exactly one ``=`` separates the two. An error names ``field`` and, for a bad amount, the
    organisation.
    """
    name, value = _one_equals(text, field, "NAME=AMOUNT (such as 'Acute trust=100m')")
    return name, parse_amount(value, field=field, label=name)


def parse_org_or_name(text: str, *, field: str = "organisations") -> tuple[str, Decimal | None]:
    """``NAME=AMOUNT`` or a bare ``NAME`` (whose plan :func:`generate` will invent)."""
    if "=" not in text:
        if not text.strip():
            raise ScenarioError(
                f"{ref(field)}: expected an organisation name or NAME=AMOUNT", field=field
            )
        return text.strip(), None
    return parse_org(text, field=field)


def parse_share_pair(text: str, *, field: str = "split") -> tuple[str, Decimal]:
    """``NAME=SHARE`` (such as ``Acute trust=60%`` or ``Acute trust=0.6``) as (name, fraction)."""
    name, value = _one_equals(text, field, "NAME=SHARE (such as 'Acute trust=60%')")
    return name, parse_percent(value, field=field, label=name)


def refuse_ambiguous(text: str, *, field: str, what: str) -> None:
    """Refuse a bare number from above 0 to 100 where an amount or a percentage may be given.

    ``--by 10`` could be 10% of the plan or £10; ``--cap 0.3`` could be 30% of the plan or 30p.
    Options that take either need a ``%`` sign for a percentage and, for so small a sum of money,
    a ``£`` sign, so neither reading is ever guessed at. ``what`` says what the percentage is of.
    """
    raw = str(text).strip()
    sign = "-" if raw[:1] in ("-", "\u2212") else ""
    raw = raw.lstrip("+-\u2212").strip()
    if _BARE.match(raw) and 0 < Decimal(raw) <= 100:
        number = Decimal(raw)
        share = format_percent(number if number < 1 else number / 100)
        raise ScenarioError(
            f"{ref(field)}: {text!r} could be a percentage or pounds: write {sign}{share} for a "
            f"share of {what}, or {sign}{format_money(number)} for pounds (here a percentage "
            "needs its % sign, and so small a sum its £ sign)",
            field=field,
        )


class Change(NamedTuple):
    """How far an organisation is off its plan: a signed fraction of the plan, or signed pounds."""

    kind: Literal["percent", "amount"]
    value: Decimal


def parse_change(text: str, *, field: str = "by") -> Change:
    """``10%`` (of the plan) or ``5m`` (pounds); a leading ``-`` means underperformance.

    Unlike a share, a percentage here may exceed 100% (an organisation can more than double its
    activity), but it cannot go below -100%.
    """
    refuse_ambiguous(text, field=field, what="the plan")
    raw = str(text).strip()
    sign = Decimal(1)
    if raw[:1] in ("-", "\u2212"):
        sign, raw = Decimal(-1), raw[1:].strip()
    elif raw[:1] == "+":
        raw = raw[1:].strip()
    pct = re.match(r"^(\d+(?:\.\d+)?|\.\d+)\s*%$", raw)
    if pct:
        fraction = Decimal(pct[1]) / 100
        if fraction > 10:
            raise ScenarioError(
                f"{ref(field)}: {text!r} is more than 1000% of the plan", field=field
            )
        if sign < 0 and fraction > 1:
            raise ScenarioError(
                f"{ref(field)}: {text!r} would take the organisation below zero", field=field
            )
        return Change("percent", sign * fraction)
    try:
        amount = parse_amount(raw, field=field)
    except ScenarioError:
        raise ScenarioError(
            f"{ref(field)}: {text!r} is neither a percentage of the plan nor an amount "
            "(expected such as 10%, -5%, 2.5m or -750k)",
            field=field,
        ) from None
    return Change("amount", sign * amount)


# --------------------------------------------------------------------------------------------------
# Formatting


def format_money(amount: Decimal) -> str:
    """'£7,142,857.14', '£110,000,000' (pence only when there are any), '-£2,857,142.86'."""
    value = pennies(amount)
    sign = "-" if value < 0 else ""
    size = abs(value)
    text = f"{size:,.0f}" if size == size.to_integral_value() else f"{size:,.2f}"
    return f"{sign}£{text}"


def format_short(amount: Decimal) -> str:
    """'£107.5m', '£7.14m', '£750k', '£12.50': for prose, where the table has the exact figure."""
    value = pennies(amount)
    sign = "-" if value < 0 else ""
    size = abs(value)
    for unit, scale in (("bn", Decimal(10) ** 9), ("m", Decimal(10) ** 6), ("k", Decimal(1000))):
        if size >= scale:
            scaled = (size / scale).quantize(PENNY, rounding=ROUND_HALF_UP).normalize()
            return f"{sign}£{scaled:f}{unit}"
    return f"{sign}{format_money(size)}"


def format_signed(amount: Decimal) -> str:
    """An exact amount with its sign always shown: '+£10,000,000', '-£2,857,142.86', '£0'."""
    value = pennies(amount)
    return ("+" if value > 0 else "") + format_money(value)


def format_percent(fraction: Decimal) -> str:
    """0.3 as '30%', 0.025 as '2.5%'."""
    try:
        value = (fraction * 100).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP).normalize()
    except InvalidOperation:  # pragma: no cover - shares are bounded, so this cannot happen
        value = fraction * 100
    return f"{value:f}%"
