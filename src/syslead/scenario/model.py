"""The fixed-budget overperformance scenario: who is paid what when one organisation does more.

A system has a fixed budget. Each organisation agreed a plan; one delivers more (or less) than it
planned. The payment rules a group might agree each move the difference somewhere else: onto the
commissioner, onto the provider that did the work, or onto the partners that stayed on plan. The
exercise works best when the arithmetic is settled in advance, so that the argument in the room is
about principles. Everything here is a pure function over exact decimal money.

This module holds the scenario itself: the organisations, what each planned and delivered, and the
fixed budget, whether built from given values or generated plausibly from a seed. Its errors name
the request field that was wrong (``organisations``, ``actual``, ``budget``...), never an option of
the command line, which shows each field under its own option name. The
payment rules and their arithmetic are in :mod:`syslead.scenario.rules`, amounts of money in
:mod:`syslead.scenario.money`, the JSON form in :mod:`syslead.scenario.jsondata`, and the texts and the terminal
table in :mod:`syslead.scenario.handouts` and :mod:`syslead.scenario.view`.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Literal, NamedTuple, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from syslead.errors import ScenarioError, ref
from syslead.scenario.money import ZERO, Change, Money, pennies

# --------------------------------------------------------------------------------------------------
# The scenario


def _name(value: str) -> str:
    if any(not ch.isprintable() for ch in value):
        raise ValueError("expected an organisation name on one line, without control characters")
    return value


Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=120),
    AfterValidator(_name),
]
Count = Annotated[int, Field(ge=0, le=1_000_000_000)]


OrgKind = Literal[
    "acute",
    "community",
    "mental-health",
    "council",
    "primary-care",
    "voluntary",
    "commissioner",
    "other",
]

_KIND_WORDS: tuple[tuple[OrgKind, str], ...] = (
    ("mental-health", r"mental health|mh trust|\bmh\b|psychiatr"),
    ("community", r"community"),
    ("council", r"council|social care|local authority|\bborough\b|\bcounty\b|\bcity of\b"),
    ("primary-care", r"primary care|\bgps?\b|\bpcns?\b|practice|general practi"),
    ("voluntary", r"voluntary|charit|\bvcse\b|hospice|third sector"),
    ("commissioner", r"\bccg\b|\bicb\b|commission|integrated care board"),
    ("acute", r"acute|hospital|\bnhs (?:foundation )?trust\b|\btrust\b|\binfirmary\b"),
)


def guess_kind(name: str) -> OrgKind:
    """What sort of organisation a name suggests, from familiar words; ``other`` if none fit."""
    lowered = name.casefold()
    for kind, pattern in _KIND_WORDS:
        if re.search(pattern, lowered):
            return kind
    return "other"


class ScenarioModel(BaseModel):
    """Base for the scenario's models: unknown fields are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Organisation(ScenarioModel):
    """One organisation: what it planned, what it actually delivered, and what it put in the pool.

    A plan may also be given as activity times a unit price (such as 50,000 spells at £2,000); then
    the key can say how much activity goes unfunded under each rule.
    """

    name: Name
    planned: Money = Field(description="F: the planned value (activity x unit price, or a sum).")
    actual: Money = Field(description="V: the value actually delivered.")
    contribution: Money | None = Field(
        default=None, description="What it puts into a pooled budget (default: its plan)."
    )
    kind: OrgKind | None = Field(
        default=None,
        description="What sort of organisation it is (default: guessed from the name).",
    )
    unit_price: Money | None = None
    planned_activity: Count | None = None
    actual_activity: Count | None = None
    activity_unit: Annotated[str, StringConstraints(min_length=1, max_length=40)] = "units"

    @model_validator(mode="after")
    def _activity_consistent(self) -> Organisation:
        if self.unit_price is None:
            if self.planned_activity is not None or self.actual_activity is not None:
                raise ValueError(f"{self.name}: activity counts need a unit price")
            return self
        if self.unit_price == 0:
            raise ValueError(f"{self.name}: a unit price must be more than zero")
        if self.planned_activity is None:
            raise ValueError(f"{self.name}: a unit price needs a planned activity count")
        expected = pennies(self.planned_activity * self.unit_price)
        if self.planned != expected:
            raise ValueError(
                f"{self.name}: the plan {self.planned} is not {self.planned_activity} "
                f"{self.activity_unit} at {self.unit_price} ({expected})"
            )
        if self.actual_activity is not None:
            expected = pennies(self.actual_activity * self.unit_price)
            if self.actual != expected:
                raise ValueError(
                    f"{self.name}: the actual value {self.actual} is not {self.actual_activity} "
                    f"{self.activity_unit} at {self.unit_price} ({expected})"
                )
        return self

    @classmethod
    def from_activity(
        cls,
        name: str,
        *,
        planned_activity: int,
        unit_price: Decimal,
        actual_activity: int | None = None,
        activity_unit: str = "units",
        kind: OrgKind | None = None,
        contribution: Decimal | None = None,
    ) -> Organisation:
        """An organisation whose plan and out-turn are activity counts at a unit price."""
        delivered = planned_activity if actual_activity is None else actual_activity
        return cls(
            name=name,
            planned=pennies(planned_activity * unit_price),
            actual=pennies(delivered * unit_price),
            contribution=contribution,
            kind=kind,
            unit_price=unit_price,
            planned_activity=planned_activity,
            actual_activity=delivered,
            activity_unit=activity_unit,
        )

    @property
    def deviation(self) -> Decimal:
        """D = V - F: positive when it overperformed, negative when it underperformed."""
        return pennies(self.actual - self.planned)

    @property
    def resolved_kind(self) -> OrgKind:
        """Its kind as given, or as its name suggests."""
        return self.kind or guess_kind(self.name)

    def activity_for(self, amount: Decimal) -> Decimal | None:
        """How much activity an amount of money buys at this organisation's unit price."""
        if self.unit_price is None:
            return None
        return amount / self.unit_price


class Scenario(ScenarioModel):
    """A fixed system budget and the organisations that share it, and how the scenario was made."""

    budget: Money = Field(description="B: the fixed system budget (often the sum of the plans).")
    organisations: list[Organisation] = Field(min_length=2)
    seed: int | None = Field(default=None, description="The seed it was generated from, if any.")

    @field_validator("budget")
    @classmethod
    def _positive(cls, budget: Decimal) -> Decimal:
        if budget == 0:
            raise ValueError("the system budget must be more than zero")
        return budget

    @field_validator("organisations")
    @classmethod
    def _distinct(cls, organisations: list[Organisation]) -> list[Organisation]:
        seen: set[str] = set()
        for org in organisations:
            if org.name.casefold() in seen:
                raise ValueError(f"the organisation {org.name!r} is named more than once")
            seen.add(org.name.casefold())
        return organisations

    @property
    def names(self) -> list[str]:
        """The organisations' names, in order."""
        return [org.name for org in self.organisations]

    @property
    def planned_total(self) -> Decimal:
        """The sum of the plans."""
        return pennies(sum((o.planned for o in self.organisations), ZERO))

    @property
    def actual_total(self) -> Decimal:
        """The sum of what was actually delivered."""
        return pennies(sum((o.actual for o in self.organisations), ZERO))

    def org(self, name: str) -> Organisation:
        """The organisation with this name (exactly, or else ignoring case)."""
        return self.organisations[org_index(self.names, name, "organisation")]


def org_index(names: Sequence[str], name: str, field: str | None) -> int:
    """Where a name is in a list, exactly or else ignoring case; if nowhere, an error on ``field``."""
    if name in names:
        return names.index(name)
    folded = [n.casefold() for n in names]
    if name.strip().casefold() in folded:
        return folded.index(name.strip().casefold())
    known = ", ".join(repr(n) for n in names)
    head = f"{ref(field)}: " if field else ""
    raise ScenarioError(
        f"{head}{name!r} is not one of the organisations given with {ref('organisations')} "
        f"({known})",
        field=field,
    )


def lookup_org(mapping: Mapping[str, Decimal], names: Sequence[str], name: str) -> Decimal | None:
    """The value a mapping keyed by organisation name gives one organisation, if any."""
    for key, value in mapping.items():
        if names[org_index(names, key, None)] == name:
            return value
    return None


M = TypeVar("M", bound=BaseModel)


class At(NamedTuple):
    """Where a value came from in a request: the request's field, and the organisation if one."""

    field: str
    label: str = ""

    def head(self) -> str:
        """The head of an error message about it, such as ``⟦actual⟧ Acute trust``."""
        return f"{ref(self.field)} {self.label}" if self.label else ref(self.field)


def _at(value: str | At | None) -> At | None:
    return At(value) if isinstance(value, str) else value


def _error_head(
    loc: Sequence[str], fields: Mapping[str, str | At], where: str | At | None
) -> tuple[str, str | None]:
    """The head of the message for a problem at ``loc``, and the request field it was in.

    A model field not in ``fields`` is named as itself (as in a data file), not as a reference.
    """
    if not loc:
        at = _at(where)
        return (at.head(), at.field) if at else ("", None)
    at = _at(fields.get(loc[0]))
    if at is None:
        # A field of a data file: its whole path, as organisations[1].planned.
        path = "".join(f"[{part}]" if part.isdigit() else f".{part}" for part in loc[1:])
        return loc[0] + path, loc[0]
    head, field = at.head(), at.field
    if len(loc) > 1 and not loc[1].isdigit():
        head = f"{head} {loc[1]}"
    return head, field


def _got(shown: object) -> str:
    """What was given, for the end of a message, when it is short and plain enough to show."""
    if isinstance(shown, Decimal):
        return f" (got {shown})"
    if isinstance(shown, (str, int)) and not isinstance(shown, bool):
        return f" (got {shown!r})"
    return ""


def validated(
    model: type[M],
    data: Mapping[str, Any],
    fields: Mapping[str, str | At] | None = None,
    where: str | At | None = None,
) -> M:
    """Build a model, turning pydantic's report into one clear ScenarioError.

    ``fields`` maps a model's field to the request field (and organisation) its value came from,
    so the message refers to what the caller gave, and the error's ``field`` is that request field;
    ``where`` names it for problems with the model as a whole.
    """
    try:
        return model.model_validate(dict(data))
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        head, field = _error_head([str(p) for p in first["loc"]], fields or {}, where)
        message = str(first["msg"]).removeprefix("Value error, ")
        message = message[:1].lower() + message[1:] + _got(first.get("input"))
        raise ScenarioError(f"{head}: {message}" if head else message, field=field) from None


def make_scenario(
    organisations: Sequence[Organisation], *, budget: Decimal | None = None, seed: int | None = None
) -> Scenario:
    """A scenario whose budget defaults to the sum of the plans; problems are a ScenarioError."""
    total = sum((o.planned for o in organisations), ZERO)
    return validated(
        Scenario,
        {
            "budget": total if budget is None else budget,
            "organisations": list(organisations),
            "seed": seed,
        },
        {"budget": "budget", "organisations": "organisations", "seed": "seed"},
    )


def _distinct_names(names: Sequence[str]) -> None:
    if len(names) < 2:
        raise ScenarioError(
            f"{ref('organisations')}: a fixed-budget scenario needs at least two organisations",
            field="organisations",
        )
    for i, name in enumerate(names):
        if name.casefold() in (n.casefold() for n in names[:i]):
            raise ScenarioError(
                f"{ref('organisations')}: {name!r} is given more than once", field="organisations"
            )


def _out_turns(names: Sequence[str], actual: Sequence[tuple[str, Decimal]]) -> dict[str, Decimal]:
    """The out-turns given by name, keyed by each organisation's own spelling of its name."""
    given: dict[str, Decimal] = {}
    for name, amount in actual:
        real = names[org_index(names, name, "actual")]
        if real in given:
            raise ScenarioError(
                f"{ref('actual')}: {real!r} is given more than once", field="actual"
            )
        given[real] = amount
    return given


def _overperformed(
    planned: Sequence[tuple[str, Decimal]],
    given: Mapping[str, Decimal],
    overperformer: str,
    by: Change | None,
) -> tuple[str, Decimal]:
    """The overperformer's name as given in the plans, and its out-turn ``by`` (10%) off plan."""
    plans = dict(planned)
    names = list(plans)
    real = names[org_index(names, overperformer, "overperformer")]
    if real in given:
        raise ScenarioError(
            f"{ref('overperformer')}: {real!r} also has {ref('actual')}; give one or the other",
            field="overperformer",
        )
    change = by if by is not None else Change("percent", Decimal("0.10"))
    plan = plans[real]
    delta = plan * change.value if change.kind == "percent" else change.value
    value = pennies(plan + delta)
    if value < 0:
        raise ScenarioError(f"{ref('by')}: {real!r} cannot deliver less than nothing", field="by")
    return real, value


def build_scenario(
    planned: Sequence[tuple[str, Decimal]],
    *,
    actual: Sequence[tuple[str, Decimal]] = (),
    overperformer: str | None = None,
    by: Change | None = None,
    budget: Decimal | None = None,
    seed: int | None = None,
) -> Scenario:
    """A scenario from each organisation's plan and what is known of its out-turn.

    ``planned`` and ``actual`` are (name, pounds) pairs; ``overperformer`` names the organisation
    whose out-turn is ``by`` off its plan (10% over when ``by`` is not given). An organisation not
    named in ``actual`` (nor as the overperformer) delivered exactly its plan. ``by`` without an
    overperformer is an error, as is an overperformer that also has an actual value. Errors name
    these fields (``organisations`` for the plans).
    """
    names = [name for name, _ in planned]
    _distinct_names(names)
    given = _out_turns(names, actual)
    if by is not None and overperformer is None:
        raise ScenarioError(
            f"{ref('by')} needs {ref('overperformer')} NAME (whose out-turn it changes)", field="by"
        )
    out_turn = {**dict(planned), **given}
    if overperformer is not None:
        real, value = _overperformed(planned, given, overperformer, by)
        out_turn[real] = value
    orgs = [
        validated(
            Organisation,
            {"name": name, "planned": amount, "actual": out_turn[name]},
            {
                "name": "organisations",
                "planned": At("organisations", name),
                "actual": At("actual", name),
            },
        )
        for name, amount in planned
    ]
    return make_scenario(orgs, budget=budget, seed=seed)


# --------------------------------------------------------------------------------------------------
# Generating a plausible scenario


@dataclass(frozen=True)
class _Cast:
    name: str
    kind: OrgKind


DEFAULT_CAST: tuple[_Cast, ...] = (
    _Cast("Acute trust", "acute"),
    _Cast("Community trust", "community"),
    _Cast("Council adult social care", "council"),
    _Cast("Primary care", "primary-care"),
    _Cast("Mental health trust", "mental-health"),
)
"""Who sits round the table when no names are given."""

_RANGES: dict[OrgKind, tuple[int, int]] = {
    "acute": (250, 600),
    "community": (60, 160),
    "mental-health": (80, 200),
    "council": (80, 220),
    "primary-care": (40, 120),
    "voluntary": (2, 15),
    "commissioner": (10, 40),
    "other": (20, 100),
}
"""Plausible annual budgets in £m for each kind of organisation in one local system."""

_UNIT_PRICES = (Decimal(2000), Decimal(2500), Decimal(4000), Decimal(5000))
"""Prices per spell that turn any multiple of £0.5m into a whole number of spells."""

HALF_MILLION = Decimal(500_000)


def _half_millions(amount: Decimal) -> Decimal:
    """Round to the nearest £0.5m, but never below £0.5m."""
    steps = (amount / HALF_MILLION).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return pennies(max(steps, Decimal(1)) * HALF_MILLION)


def generate(
    names: Sequence[str] = (),
    seed: int = 0,
    *,
    planned: Mapping[str, Decimal] | None = None,
) -> Scenario:
    """A plausible scenario from names alone (or the default cast), the same for the same seed.

    Plans are rounded to £0.5m and sized by the kind of organisation each name suggests. One
    organisation overperforms by 3% to 12% (the acute trust, usually, when there is one: that is
    the conflict the paper suggests rehearsing); everyone else delivers its plan. An acute trust's
    plan is expressed in spells at a unit price, so the key can count the spells left unfunded.
    ``planned`` fixes the plans of some organisations by name.
    """
    rng = random.Random(f"syslead-scenario:{seed}")
    cast = [_Cast(n.strip(), guess_kind(n)) for n in names] if names else list(DEFAULT_CAST)
    if len(cast) < 2:
        raise ScenarioError(
            f"{ref('organisations')}: a fixed-budget scenario needs at least two organisations",
            field="organisations",
        )
    plans = _generated_plans(cast, planned or {}, rng)
    acute = [i for i, c in enumerate(cast) if c.kind == "acute" and plans[i] > 0]
    candidates = [i for i, p in enumerate(plans) if p > 0] or list(range(len(cast)))
    chosen = rng.choice(acute) if acute and rng.random() < 0.8 else rng.choice(candidates)
    percent = Decimal(rng.randrange(3, 13)) / 100
    overspend = _half_millions(plans[chosen] * percent)
    price = rng.choice(_UNIT_PRICES)
    orgs = [
        _generated_org(c, plan, plan + overspend if i == chosen else plan, price)
        for i, (c, plan) in enumerate(zip(cast, plans, strict=True))
    ]
    return make_scenario(orgs, seed=seed)


def _generated_plans(
    cast: Sequence[_Cast], fixed: Mapping[str, Decimal], rng: random.Random
) -> list[Decimal]:
    """Each organisation's plan: the one fixed for it, or one invented for its kind."""
    cast_names = [c.name for c in cast]
    for name in fixed:
        org_index(cast_names, name, "organisations")
    plans: list[Decimal] = []
    for c in cast:
        low, high = _RANGES[c.kind]
        invented = Decimal(rng.randrange(low * 2, high * 2 + 1)) * HALF_MILLION
        given = lookup_org(fixed, cast_names, c.name)
        plans.append(invented if given is None else given)
    return plans


def _generated_org(c: _Cast, plan: Decimal, actual: Decimal, price: Decimal) -> Organisation:
    """A generated organisation; an acute trust's figures are whole spells when they can be."""
    values: dict[str, object] = {"name": c.name, "planned": plan, "actual": actual, "kind": c.kind}
    whole_spells = plan % price == 0 and actual % price == 0
    if c.kind == "acute" and whole_spells and plan > 0:
        values.update(
            unit_price=price,
            planned_activity=int(plan / price),
            actual_activity=int(actual / price),
            activity_unit="spells",
        )
    return validated(
        Organisation, values, {"name": "organisations", "planned": At("organisations", c.name)}
    )


def worked_example() -> Scenario:
    """The content brief's worked example: a £100m acute trust overperforms by 5,000 spells."""
    return make_scenario(
        [
            Organisation.from_activity(
                "Acute trust",
                planned_activity=50_000,
                actual_activity=55_000,
                unit_price=Decimal(2000),
                activity_unit="spells",
                kind="acute",
            ),
            Organisation(
                name="Community services",
                planned=Decimal(40_000_000),
                actual=Decimal(40_000_000),
                kind="community",
            ),
        ],
        budget=Decimal(140_000_000),
    )
