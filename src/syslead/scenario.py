"""The fixed-budget overperformance scenario: who is paid what when one organisation does more.

A system has a fixed budget. Each organisation agreed a plan; one delivers more (or less) than it
planned. The payment rules a group might agree each move the difference somewhere else: onto the
commissioner, onto the provider that did the work, or onto the partners that stayed on plan. The
exercise works best when the arithmetic is settled in advance, so that the argument in the room is
about principles. Everything here is a pure function over exact decimal money.

Money is :class:`~decimal.Decimal` in pounds, quantised to the penny. A single amount is rounded
half up (away from zero, so that rounding is symmetric for over- and underperformance); a total split
into shares is rounded by the largest-remainder method, so the shares always add up to the total
exactly, with ties going to the organisation listed first.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from math import floor
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

from .errors import SysleadError


class ScenarioError(SysleadError):
    """A scenario or its rule parameters cannot be used as given; the message says why."""


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
    return pennies(value)


def _share(value: Decimal) -> Decimal:
    if not value.is_finite() or not 0 <= value <= 1:
        raise ValueError("expected a share from 0% to 100%")
    return value


def _name(value: str) -> str:
    if any(not ch.isprintable() for ch in value):
        raise ValueError("expected an organisation name on one line, without control characters")
    return value


Money = Annotated[Decimal, AfterValidator(_money)]
"""Pounds, not negative, quantised to the penny."""
Share = Annotated[Decimal, AfterValidator(_share)]
"""A fraction from 0 to 1 (0% to 100%)."""
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=120),
    AfterValidator(_name),
]
Count = Annotated[int, Field(ge=0, le=1_000_000_000)]

_SUFFIX = {"": 1, "k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000}
_AMOUNT = re.compile(
    r"^£?\s*(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)\s*(?P<unit>k|m|mn|bn)?$",
    re.IGNORECASE,
)
_NEGATIVE = re.compile(r"^\s*(?:£\s*)?[-\u2212(]|^\s*[-\u2212]\s*£")
AMOUNT_EXPECTED = "expected pounds such as 1200000, £1,200,000, 12.50, 750k, 2.5m or 100m"


def _prefix(option: str | None) -> str:
    return f"{option}: " if option else ""


def parse_amount(text: str, *, option: str | None = None) -> Decimal:
    """Pounds from ``100m``, ``40M``, ``2.5m``, ``750k``, ``1200000``, ``£1,200,000`` or ``12.5``.

    A bare number is pounds; ``k``, ``m`` (or ``mn``) and ``bn`` scale it, in either case. The
    result is rounded to the penny. Negative amounts and anything else are a :class:`ScenarioError`
    whose message quotes the text (after ``option``, when given, such as ``--budget``).
    """
    raw = str(text).strip()
    if _NEGATIVE.match(raw):
        raise ScenarioError(
            f"{_prefix(option)}{text!r} is negative (amounts of money cannot be negative; "
            f"{AMOUNT_EXPECTED})"
        )
    found = _AMOUNT.match(raw)
    if not found:
        raise ScenarioError(
            f"{_prefix(option)}{text!r} is not an amount of money ({AMOUNT_EXPECTED})"
        )
    number = Decimal(found["num"].replace(",", ""))
    amount = number * _SUFFIX[(found["unit"] or "").lower()]
    if amount > MAX_AMOUNT:
        raise ScenarioError(
            f"{_prefix(option)}{text!r} is more than £1,000bn; is there a typing error?"
        )
    return pennies(amount)


_PERCENT = re.compile(r"^(?P<num>\d+(?:\.\d+)?|\.\d+)\s*(?P<pct>%)?$")
PERCENT_EXPECTED = "expected a share from 0% to 100%, such as 20%, 0.2 or 20"


def parse_percent(text: str, *, option: str | None = None) -> Decimal:
    """A share as a fraction from 0 to 1, from ``20%``, ``0.2`` or ``20``.

    With a ``%`` sign the number is a percentage. Without one, a number from 0 to 1 is a fraction
    and a number above 1 (up to 100) is a percentage, so ``1`` means 100%: write ``1%`` for one per
    cent. Anything below 0% or above 100% is a :class:`ScenarioError`.
    """
    raw = str(text).strip()
    found = _PERCENT.match(raw)
    if not found:
        if re.match(r"^\s*[-\u2212]", raw):
            raise ScenarioError(f"{_prefix(option)}{text!r} is negative ({PERCENT_EXPECTED})")
        raise ScenarioError(f"{_prefix(option)}{text!r} is not a share ({PERCENT_EXPECTED})")
    number = Decimal(found["num"])
    fraction = number / 100 if found["pct"] or number > 1 else number
    if fraction > 1:
        raise ScenarioError(f"{_prefix(option)}{text!r} is more than 100% ({PERCENT_EXPECTED})")
    return fraction


def _split_pair(text: str, option: str, expected: str) -> tuple[str, str]:
    name, sep, value = str(text).rpartition("=")
    if not sep or not name.strip() or not value.strip():
        raise ScenarioError(f"{option}: {text!r} is not {expected}")
    return name.strip(), value.strip()


def parse_org(text: str, *, option: str = "--org") -> tuple[str, Decimal]:
    """``NAME=AMOUNT`` as (name, pounds), as ``--org`` and ``--actual`` take them.

    The last ``=`` separates the two, so a name may itself contain one.
    """
    name, value = _split_pair(text, option, "NAME=AMOUNT (such as 'Acute trust=100m')")
    return name, parse_amount(value, option=f"{option} {name}")


def parse_org_or_name(text: str, *, option: str = "--org") -> tuple[str, Decimal | None]:
    """``NAME=AMOUNT`` or a bare ``NAME`` (whose plan :func:`generate` will invent)."""
    if "=" not in text:
        if not text.strip():
            raise ScenarioError(f"{option}: expected an organisation name or NAME=AMOUNT")
        return text.strip(), None
    return parse_org(text, option=option)


def parse_share_pair(text: str, *, option: str = "--split") -> tuple[str, Decimal]:
    """``NAME=SHARE`` (such as ``Acute trust=60%``) as (name, fraction)."""
    name, value = _split_pair(text, option, "NAME=SHARE (such as 'Acute trust=60%')")
    return name, parse_percent(value, option=f"{option} {name}")


class Change(NamedTuple):
    """How far an organisation is off its plan: a signed fraction of the plan, or signed pounds."""

    kind: Literal["percent", "amount"]
    value: Decimal


def parse_change(text: str, *, option: str = "--by") -> Change:
    """``10%`` (of the plan) or ``5m`` (pounds); a leading ``-`` means underperformance.

    Unlike a share, a percentage here may exceed 100% (an organisation can more than double its
    activity), but it cannot go below -100%.
    """
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
            raise ScenarioError(f"{option}: {text!r} is more than 1000% of the plan")
        if sign < 0 and fraction > 1:
            raise ScenarioError(f"{option}: {text!r} would take the organisation below zero")
        return Change("percent", sign * fraction)
    try:
        amount = parse_amount(raw, option=option)
    except ScenarioError:
        raise ScenarioError(
            f"{option}: {text!r} is neither a percentage of the plan nor an amount "
            "(expected such as 10%, -5%, 2.5m or -750k)"
        ) from None
    return Change("amount", sign * amount)


# --------------------------------------------------------------------------------------------------
# The scenario


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
        return self.organisations[_index(self.names, name, "organisation")]


def _index(names: Sequence[str], name: str, option: str) -> int:
    """Where a name is in a list, exactly or else ignoring case; a clear error if nowhere."""
    if name in names:
        return names.index(name)
    folded = [n.casefold() for n in names]
    if name.strip().casefold() in folded:
        return folded.index(name.strip().casefold())
    known = ", ".join(repr(n) for n in names)
    raise ScenarioError(
        f"{option}: {name!r} is not one of the organisations given with --org ({known})"
    )


M = TypeVar("M", bound=BaseModel)


def _validated(
    model: type[M],
    data: Mapping[str, Any],
    options: Mapping[str, str] | None = None,
    where: str = "",
) -> M:
    """Build a model, turning pydantic's report into one clear ScenarioError.

    ``options`` maps a field to the command-line option that sets it, so the message names what the
    user typed; ``where`` names the option for problems with the model as a whole.
    """
    try:
        return model.model_validate(dict(data))
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        loc = [str(p) for p in first["loc"]]
        message = str(first["msg"]).removeprefix("Value error, ")
        head = (options or {}).get(loc[0], loc[0]) if loc else where
        if len(loc) > 1 and not loc[1].isdigit():
            head = f"{head} {loc[1]}"
        shown = first.get("input")
        got = ""
        if isinstance(shown, Decimal):
            got = f" (got {shown})"
        elif isinstance(shown, (str, int)) and not isinstance(shown, bool):
            got = f" (got {shown!r})"
        message = message[:1].lower() + message[1:]
        raise ScenarioError(f"{head}: {message}{got}" if head else f"{message}{got}") from None


def make_scenario(
    organisations: Sequence[Organisation], *, budget: Decimal | None = None, seed: int | None = None
) -> Scenario:
    """A scenario whose budget defaults to the sum of the plans; problems are a ScenarioError."""
    total = sum((o.planned for o in organisations), ZERO)
    return _validated(
        Scenario,
        {
            "budget": total if budget is None else budget,
            "organisations": list(organisations),
            "seed": seed,
        },
        {"budget": "--budget", "organisations": "--org", "seed": "--seed"},
    )


def build_scenario(
    planned: Sequence[tuple[str, Decimal]],
    *,
    actual: Sequence[tuple[str, Decimal]] = (),
    overperformer: str | None = None,
    by: Change | None = None,
    budget: Decimal | None = None,
    seed: int | None = None,
) -> Scenario:
    """A scenario from the command line's ``--org``, ``--actual``, ``--overperformer``/``--by``.

    An organisation not named in ``actual`` (nor as the overperformer) delivered exactly its plan.
    ``--by`` without ``--overperformer`` is an error; ``--overperformer`` alone means 10% over.
    """
    names = [name for name, _ in planned]
    if len(names) < 2:
        raise ScenarioError("--org: a fixed-budget scenario needs at least two organisations")
    for i, name in enumerate(names):
        if name.casefold() in (n.casefold() for n in names[:i]):
            raise ScenarioError(f"--org: {name!r} is given more than once")
    out_turn = dict(planned)
    given: set[str] = set()
    for name, amount in actual:
        real = names[_index(names, name, "--actual")]
        if real in given:
            raise ScenarioError(f"--actual: {real!r} is given more than once")
        given.add(real)
        out_turn[real] = amount
    if by is not None and overperformer is None:
        raise ScenarioError("--by needs --overperformer NAME (whose out-turn it changes)")
    if overperformer is not None:
        real = names[_index(names, overperformer, "--overperformer")]
        if real in given:
            raise ScenarioError(
                f"--overperformer: {real!r} also has --actual; give one or the other"
            )
        change = by if by is not None else Change("percent", Decimal("0.10"))
        plan = out_turn[real]
        delta = plan * change.value if change.kind == "percent" else change.value
        value = pennies(plan + delta)
        if value < 0:
            raise ScenarioError(f"--by: {real!r} cannot deliver less than nothing")
        out_turn[real] = value
    orgs = [
        _validated(
            Organisation,
            {"name": name, "planned": amount, "actual": out_turn[name]},
            {"name": "--org", "planned": f"--org {name}", "actual": f"--actual {name}"},
        )
        for name, amount in planned
    ]
    return make_scenario(orgs, budget=budget, seed=seed)


_DERIVED = ("planned_total", "actual_total", "rules")
_DERIVED_ORG = ("deviation",)


def scenario_from_data(data: Mapping[str, Any]) -> Scenario:
    """A scenario from JSON or YAML data, such as :func:`to_json_data` writes, checked strictly.

    Figures that are derived from the scenario (totals, deviations, rule results) are ignored, so a
    saved output can be read back; any other unknown field is an error.
    """
    if not isinstance(data, Mapping):
        raise ScenarioError("scenario: expected a mapping with budget and organisations")
    fields = {k: v for k, v in data.items() if k not in _DERIVED}
    orgs = fields.get("organisations")
    if isinstance(orgs, list):
        rows = []
        for org in orgs:
            if isinstance(org, Mapping):
                row = {k: v for k, v in org.items() if k not in _DERIVED_ORG}
                activity = row.pop("activity", None)
                if isinstance(activity, Mapping):
                    row.update(
                        unit_price=activity.get("unit_price"),
                        planned_activity=activity.get("planned"),
                        actual_activity=activity.get("actual"),
                        activity_unit=activity.get("unit", "units"),
                    )
                elif activity is not None:
                    row["activity"] = activity
                rows.append(row)
            else:
                rows.append(org)
        fields["organisations"] = rows
    return _validated(Scenario, fields, where="scenario")


# --------------------------------------------------------------------------------------------------
# Rules and their parameters


RuleId = Literal[
    "payment-by-results",
    "block",
    "marginal-rate",
    "blended",
    "aligned",
    "capped-risk-share",
    "pooled-budget",
    "gain-loss-share",
]
RULE_IDS: tuple[RuleId, ...] = (
    "payment-by-results",
    "block",
    "marginal-rate",
    "blended",
    "aligned",
    "capped-risk-share",
    "pooled-budget",
    "gain-loss-share",
)
SHARING_RULES: frozenset[str] = frozenset({"pooled-budget", "gain-loss-share"})
"""Rules that pay for the work done and then share the system's overspend among the partners."""


@dataclass(frozen=True)
class RuleInfo:
    """What a rule is called and what it is modelled on (the precedent is for the facilitator)."""

    id: RuleId
    title: str
    precedent: str


RULES: dict[RuleId, RuleInfo] = {
    info.id: info
    for info in (
        RuleInfo("payment-by-results", "Payment by results", "national tariff, activity-based"),
        RuleInfo("block", "Block contract", "a fixed annual sum"),
        RuleInfo(
            "marginal-rate",
            "Marginal rate",
            "the emergency admissions tariff of 2010/11, which paid 30% above a baseline",
        ),
        RuleInfo(
            "blended",
            "Blended payment",
            "the blended payment for urgent and emergency care in 2019/20 (20% variable)",
        ),
        RuleInfo(
            "aligned",
            "Aligned payment and incentive",
            "aligned payment and incentive for elective care in 2022/23 (75% variable)",
        ),
        RuleInfo("capped-risk-share", "Capped risk share", "a risk share with a cap and a collar"),
        RuleInfo("pooled-budget", "Pooled budget", "a Section 75 style pooled fund"),
        RuleInfo("gain-loss-share", "Gain/loss share", "a risk and gain share agreement"),
    )
}

RULE_ALIASES: dict[str, RuleId] = {
    "pbr": "payment-by-results",
    "marginal": "marginal-rate",
    "capped": "capped-risk-share",
    "risk-share": "capped-risk-share",
    "pooled": "pooled-budget",
    "gain-loss": "gain-loss-share",
}


def resolve_rule(text: str) -> RuleId:
    """A rule id from its id, a short alias (pbr, marginal, capped, pooled, gain-loss) or its title."""
    key = re.sub(r"[\s_/]+", "-", str(text).strip().casefold())
    for rule_id in RULE_IDS:
        if key in (rule_id, re.sub(r"[\s/]+", "-", RULES[rule_id].title.casefold())):
            return rule_id
    if key in RULE_ALIASES:
        return RULE_ALIASES[key]
    raise ScenarioError(f"--rule: unknown rule {text!r} (expected one of: {', '.join(RULE_IDS)})")


class Limit(ScenarioModel):
    """A cap or a collar: pounds, or a share of each organisation's plan; neither means no limit."""

    amount: Money | None = None
    of_plan: Share | None = None

    @model_validator(mode="after")
    def _one(self) -> Limit:
        if self.amount is not None and self.of_plan is not None:
            raise ValueError("give the limit as an amount or as a share of the plan, not both")
        return self

    def for_org(self, org: Organisation) -> Decimal | None:
        """The limit in pounds for this organisation, or None when there is none."""
        if self.amount is not None:
            return self.amount
        if self.of_plan is not None:
            return pennies(self.of_plan * org.planned)
        return None

    def describe(self) -> str:
        """In words: '2.5% of plan', '£2m' or 'no limit'."""
        if self.amount is not None:
            return format_short(self.amount)
        if self.of_plan is not None:
            return f"{format_percent(self.of_plan)} of plan"
        return "no limit"


def parse_limit(text: str, *, option: str = "--cap") -> Limit:
    """A cap or collar: ``2.5%`` (of each plan), an amount such as ``2m``, or ``none``."""
    raw = str(text).strip()
    if raw.casefold() in ("none", "no", "unlimited", "off"):
        return Limit()
    if raw.endswith("%"):
        return Limit(of_plan=parse_percent(raw, option=option))
    return Limit(amount=parse_amount(raw, option=option))


def _default_limit() -> Limit:
    return Limit(of_plan=Decimal("0.025"))


class MarginalParams(ScenarioModel):
    """Paid in full up to a threshold, and at a marginal rate for value above it."""

    rate: Share = Decimal("0.30")
    thresholds: dict[str, Money] = Field(
        default_factory=dict, description="Per organisation; an organisation not named: its plan."
    )


class BlendedParams(ScenarioModel):
    """A fixed element (the plan) plus a variable share of the difference, both ways."""

    share: Share = Decimal("0.20")


class AlignedParams(ScenarioModel):
    """As blended, with the larger variable share of aligned payment and incentive."""

    share: Share = Decimal("0.75")


class CappedParams(ScenarioModel):
    """A share of the difference, no more than the cap above plan or the collar below it.

    Cap and collar are both sizes (not signed bounds), so a collar larger than the cap is a
    legitimate, deliberately asymmetric agreement rather than a contradiction.
    """

    share: Share = Decimal("0.50")
    cap: Limit = Field(default_factory=_default_limit)
    collar: Limit = Field(default_factory=_default_limit)


class PooledParams(ScenarioModel):
    """Contributions to the pool, overriding each organisation's own (which defaults to its plan)."""

    contributions: dict[str, Money] = Field(default_factory=dict)


Basis = Literal["equal", "budget", "split"]


class GainLossParams(ScenarioModel):
    """How the overspend (or underspend) is shared: equally, by budget, or by an agreed split."""

    basis: Basis = "equal"
    split: dict[str, Share] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> GainLossParams:
        if self.basis != "split" and self.split:
            raise ValueError(
                f"a split is given but the basis is {self.basis!r}; use the basis 'split' "
                "or leave the split out"
            )
        if self.basis == "split":
            if not self.split:
                raise ValueError("the basis 'split' needs a share for each organisation")
            total = sum(self.split.values(), Decimal(0))
            if total != 1:
                raise ValueError(
                    f"the shares add up to {format_percent(total)}, expected exactly 100%"
                )
        return self


class RuleParams(ScenarioModel):
    """Every rule's parameters; each has the default described in the content brief."""

    marginal: MarginalParams = Field(default_factory=MarginalParams)
    blended: BlendedParams = Field(default_factory=BlendedParams)
    aligned: AlignedParams = Field(default_factory=AlignedParams)
    capped: CappedParams = Field(default_factory=CappedParams)
    pooled: PooledParams = Field(default_factory=PooledParams)
    gain_loss: GainLossParams = Field(default_factory=GainLossParams)


def make_params(
    *,
    marginal_rate: Decimal | None = None,
    thresholds: Mapping[str, Decimal] | None = None,
    blended_share: Decimal | None = None,
    aligned_share: Decimal | None = None,
    risk_share: Decimal | None = None,
    cap: Limit | None = None,
    collar: Limit | None = None,
    contributions: Mapping[str, Decimal] | None = None,
    basis: str | None = None,
    split: Mapping[str, Decimal] | None = None,
) -> RuleParams:
    """Rule parameters from command-line values (None: the default); problems are a ScenarioError.

    A split on its own implies the basis ``split``.
    """
    if split and basis is None:
        basis = "split"

    def pick(**values: object) -> dict[str, object]:
        return {k: v for k, v in values.items() if v is not None}

    return RuleParams(
        marginal=_validated(
            MarginalParams,
            pick(rate=marginal_rate, thresholds=dict(thresholds) if thresholds else None),
            {"rate": "--marginal-rate", "thresholds": "--threshold"},
        ),
        blended=_validated(BlendedParams, pick(share=blended_share), {"share": "--blended-share"}),
        aligned=_validated(AlignedParams, pick(share=aligned_share), {"share": "--aligned-share"}),
        capped=_validated(
            CappedParams,
            pick(share=risk_share, cap=cap, collar=collar),
            {"share": "--risk-share", "cap": "--cap", "collar": "--collar"},
        ),
        pooled=_validated(
            PooledParams,
            pick(contributions=dict(contributions) if contributions else None),
            {"contributions": "--contribution"},
        ),
        gain_loss=_validated(
            GainLossParams,
            pick(basis=basis, split=dict(split) if split else None),
            {"basis": "--basis", "split": "--split"},
            where="--split" if split else "--basis",
        ),
    )


def check_params(
    scenario: Scenario, params: RuleParams, rules: Sequence[RuleId] = RULE_IDS
) -> None:
    """Parameters that name organisations must name ones in the scenario, and must be usable.

    Names are always checked (a typo is a typo); whether the sharing rules can share at all is
    checked only when they are among ``rules``.
    """
    names = scenario.names
    named: list[tuple[str, Mapping[str, object]]] = [
        ("--threshold", params.marginal.thresholds),
        ("--contribution", params.pooled.contributions),
        ("--split", params.gain_loss.split),
    ]
    for option, mapping in named:
        seen: set[int] = set()
        for name in mapping:
            i = _index(names, name, option)
            if i in seen:
                raise ScenarioError(f"{option}: {names[i]!r} is given more than once")
            seen.add(i)
    pooled = "pooled-budget" in rules
    if pooled and sum(_contributions(scenario, params), Decimal(0)) == 0:
        raise ScenarioError(
            "--contribution: every contribution is zero (they default to the plans), so the "
            "pooled budget cannot be shared in proportion to them; give --contribution NAME=AMOUNT"
        )
    gain_loss = "gain-loss-share" in rules
    if gain_loss and params.gain_loss.basis == "budget" and scenario.planned_total == 0:
        raise ScenarioError("--basis budget: every plan is zero, so there is nothing to share by")


def _lookup(mapping: Mapping[str, Decimal], names: Sequence[str], name: str) -> Decimal | None:
    for key, value in mapping.items():
        if names[_index(names, key, "")] == name:
            return value
    return None


def _contributions(scenario: Scenario, params: RuleParams) -> list[Decimal]:
    """What each organisation put into the pool: the override, its own, or else its plan."""
    result = []
    for org in scenario.organisations:
        override = _lookup(params.pooled.contributions, scenario.names, org.name)
        if override is not None:
            result.append(override)
        elif org.contribution is not None:
            result.append(org.contribution)
        else:
            result.append(org.planned)
    return result


def _gain_loss_weights(scenario: Scenario, params: RuleParams) -> list[Decimal]:
    basis = params.gain_loss.basis
    if basis == "equal":
        return [Decimal(1)] * len(scenario.organisations)
    if basis == "budget":
        return [o.planned for o in scenario.organisations]
    return [
        _lookup(params.gain_loss.split, scenario.names, o.name) or Decimal(0)
        for o in scenario.organisations
    ]


def terms(rule: RuleId, params: RuleParams, scenario: Scenario | None = None) -> str:
    """A rule's parameters in a few words, such as '30% above plan' (empty when it has none)."""
    if rule == "marginal-rate":
        where = "above threshold" if params.marginal.thresholds else "above plan"
        return f"{format_percent(params.marginal.rate)} {where}"
    if rule == "blended":
        return f"{format_percent(params.blended.share)} variable"
    if rule == "aligned":
        return f"{format_percent(params.aligned.share)} variable"
    if rule == "capped-risk-share":
        c = params.capped
        return (
            f"{format_percent(c.share)} share, cap {c.cap.describe()}, collar {c.collar.describe()}"
        )
    if rule == "pooled-budget":
        agreed = params.pooled.contributions or (
            scenario is not None and any(o.contribution is not None for o in scenario.organisations)
        )
        return "pro rata to agreed contributions" if agreed else "pro rata to plans"
    if rule == "gain-loss-share":
        return {"equal": "equal shares", "budget": "by budget", "split": "agreed split"}[
            params.gain_loss.basis
        ]
    return ""


# --------------------------------------------------------------------------------------------------
# The arithmetic


def split_largest_remainder(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split a penny amount in proportion to weights, so that the parts add up to it exactly.

    Each part is the exact quota rounded down to the penny; the pennies left over go one each to
    the parts with the largest remainders, the earlier part first on a tie. A negative total is
    split as its size and negated, so an underspend is shared exactly as an overspend would be.
    """
    if any(not w.is_finite() or w < 0 for w in weights):
        raise ScenarioError("shares must be weighed by amounts that are not negative")
    whole = sum((Fraction(w) for w in weights), Fraction(0))
    if whole == 0:
        raise ScenarioError("cannot share an amount in proportion to weights that are all zero")
    total_pennies = int(pennies(total) * 100)
    size = abs(total_pennies)
    quotas = [Fraction(size) * Fraction(w) / whole for w in weights]
    parts = [floor(q) for q in quotas]
    left = size - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    sign = -1 if total_pennies < 0 else 1
    return [pennies(Decimal(sign * p) / 100) for p in parts]


def pay_payment_by_results(org: Organisation) -> Decimal:
    """V: paid for exactly what it delivered; the commissioner carries all of D."""
    return org.actual


def pay_block(org: Organisation) -> Decimal:
    """F: paid its plan whatever it delivered; the provider carries all of D."""
    return org.planned


def pay_marginal(org: Organisation, rate: Decimal, threshold: Decimal | None = None) -> Decimal:
    """min(V, T) + r * max(0, V - T), with the threshold T defaulting to the plan."""
    t = org.planned if threshold is None else threshold
    if org.actual <= t:
        return org.actual
    return pennies(t + pennies(rate * (org.actual - t)))


def pay_variable(org: Organisation, share: Decimal) -> Decimal:
    """F + s * D, in both directions (blended payment, aligned payment and incentive).

    The share of D is rounded on its own, so negating D exactly negates the change from plan.
    """
    return pennies(org.planned + pennies(share * org.deviation))


def pay_capped(
    org: Organisation, share: Decimal, cap: Decimal | None, collar: Decimal | None
) -> Decimal:
    """F + clamp(s * D, -collar, +cap); a missing cap or collar means no limit on that side."""
    change = pennies(share * org.deviation)
    if cap is not None:
        change = min(change, cap)
    if collar is not None:
        change = max(change, -collar)
    return pennies(org.planned + change)


def pay(rule: RuleId, scenario: Scenario, params: RuleParams) -> list[Decimal]:
    """What each organisation is paid under a rule, before any sharing of the system's gap."""
    orgs = scenario.organisations
    if rule in ("payment-by-results", "pooled-budget", "gain-loss-share"):
        return [pay_payment_by_results(o) for o in orgs]
    if rule == "block":
        return [pay_block(o) for o in orgs]
    if rule == "marginal-rate":
        m = params.marginal
        return [
            pay_marginal(o, m.rate, _lookup(m.thresholds, scenario.names, o.name)) for o in orgs
        ]
    if rule == "blended":
        return [pay_variable(o, params.blended.share) for o in orgs]
    if rule == "aligned":
        return [pay_variable(o, params.aligned.share) for o in orgs]
    c = params.capped
    return [pay_capped(o, c.share, c.cap.for_org(o), c.collar.for_org(o)) for o in orgs]


class RuleResult(ScenarioModel):
    """One rule's outcome; every mapping is keyed by organisation name, in the scenario's order."""

    rule: RuleId
    title: str
    terms: str = Field(description="The parameters in a few words, such as '30% above plan'.")
    payments: dict[str, Decimal] = Field(description="What each organisation is paid.")
    total: Decimal = Field(description="The total paid.")
    gap: Decimal = Field(description="Total paid minus budget: positive is an overspend.")
    basis: Literal["contributions", "equal", "budget", "split"] | None = Field(
        default=None, description="Sharing rules: what the gap is shared in proportion to."
    )
    shared_by: dict[str, Decimal] | None = Field(
        default=None,
        description="Sharing rules: the weights (contributions, 1 each, plans, or agreed shares).",
    )
    shares: dict[str, Decimal] | None = Field(
        default=None, description="Sharing rules: each organisation's share of the gap."
    )
    net: dict[str, Decimal] = Field(
        description="Payment minus share of the gap (the payment itself for other rules)."
    )
    versus_plan: dict[str, Decimal] = Field(
        description="Net minus plan: positive gains on its plan, negative loses on it."
    )
    unfunded: dict[str, Decimal] = Field(
        description="Actual minus net: work done but not paid for (negative: paid for work not done)."
    )

    @property
    def sharing(self) -> bool:
        """Whether the rule shares the system's gap among the organisations."""
        return self.shares is not None


def compute_rule(scenario: Scenario, rule: RuleId, params: RuleParams) -> RuleResult:
    """One rule's result; the parameters must already have passed :func:`check_params`."""
    names = scenario.names
    payments = pay(rule, scenario, params)
    total = pennies(sum(payments, ZERO))
    gap = pennies(total - scenario.budget)
    weights: list[Decimal] | None = None
    basis: Literal["contributions", "equal", "budget", "split"] | None = None
    if rule == "pooled-budget":
        weights, basis = _contributions(scenario, params), "contributions"
    elif rule == "gain-loss-share":
        weights, basis = _gain_loss_weights(scenario, params), params.gain_loss.basis
    shares = split_largest_remainder(gap, weights) if weights is not None else None
    net = (
        [pennies(p - s) for p, s in zip(payments, shares, strict=True)]
        if shares is not None
        else payments
    )
    orgs = scenario.organisations

    def keyed(values: Sequence[Decimal]) -> dict[str, Decimal]:
        return dict(zip(names, values, strict=True))

    return RuleResult(
        rule=rule,
        title=RULES[rule].title,
        terms=terms(rule, params, scenario),
        payments=keyed(payments),
        total=total,
        gap=gap,
        basis=basis,
        shared_by=keyed(weights) if weights is not None else None,
        shares=keyed(shares) if shares is not None else None,
        net=keyed(net),
        versus_plan=keyed([pennies(n - o.planned) for n, o in zip(net, orgs, strict=True)]),
        unfunded=keyed([pennies(o.actual - n) for n, o in zip(net, orgs, strict=True)]),
    )


def compute(
    scenario: Scenario,
    rules: Sequence[str] | None = None,
    params: RuleParams | None = None,
) -> list[RuleResult]:
    """Every requested rule's result (default: all), in the canonical order of :data:`RULE_IDS`.

    Rules may be given by id or alias; a rule asked for twice appears once.
    """
    params = params or RuleParams()
    wanted = {resolve_rule(r) for r in rules} if rules else set(RULE_IDS)
    chosen = [rule for rule in RULE_IDS if rule in wanted]
    check_params(scenario, params, chosen)
    return [compute_rule(scenario, rule, params) for rule in chosen]


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
        raise ScenarioError("--org: a fixed-budget scenario needs at least two organisations")
    fixed = dict(planned or {})
    cast_names = [c.name for c in cast]
    for name in fixed:
        _index(cast_names, name, "--org")
    plans: list[Decimal] = []
    for c in cast:
        low, high = _RANGES[c.kind]
        invented = Decimal(rng.randrange(low * 2, high * 2 + 1)) * HALF_MILLION
        given = _lookup(fixed, cast_names, c.name)
        plans.append(invented if given is None else given)
    acute = [i for i, c in enumerate(cast) if c.kind == "acute" and plans[i] > 0]
    candidates = [i for i, p in enumerate(plans) if p > 0] or list(range(len(cast)))
    chosen = rng.choice(acute) if acute and rng.random() < 0.8 else rng.choice(candidates)
    percent = Decimal(rng.randrange(3, 13)) / 100
    overspend = _half_millions(plans[chosen] * percent)
    price = rng.choice(_UNIT_PRICES)
    orgs: list[Organisation] = []
    for i, (c, plan) in enumerate(zip(cast, plans, strict=True)):
        actual = plan + overspend if i == chosen else plan
        whole_spells = plan % price == 0 and actual % price == 0
        if c.kind == "acute" and whole_spells and plan > 0:
            orgs.append(
                _validated(
                    Organisation,
                    {
                        "name": c.name,
                        "planned": plan,
                        "actual": actual,
                        "kind": c.kind,
                        "unit_price": price,
                        "planned_activity": int(plan / price),
                        "actual_activity": int(actual / price),
                        "activity_unit": "spells",
                    },
                )
            )
        else:
            orgs.append(
                _validated(
                    Organisation,
                    {"name": c.name, "planned": plan, "actual": actual, "kind": c.kind},
                )
            )
    return make_scenario(orgs, seed=seed)


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


# --------------------------------------------------------------------------------------------------
# Formatting and JSON


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


def _amount(value: Decimal) -> str:
    return f"{pennies(value):.2f}"


def _amounts(mapping: Mapping[str, Decimal]) -> dict[str, str]:
    return {name: _amount(v) for name, v in mapping.items()}


def to_json_data(scenario: Scenario, results: Sequence[RuleResult]) -> dict[str, Any]:
    """The documented JSON shape: amounts are strings with two decimal places, in a stable order.

    ``{"budget", "seed", "organisations": [{"name", "planned", "actual", "deviation", ...}],
    "rules": [{"rule", "title", "terms", "payments", "total", "gap", "shares", "net", ...}]}``;
    ``shared_by`` and ``shares`` are null for rules that do not share the gap.
    """
    orgs: list[dict[str, Any]] = []
    for o in scenario.organisations:
        row: dict[str, Any] = {
            "name": o.name,
            "kind": o.resolved_kind,
            "planned": _amount(o.planned),
            "actual": _amount(o.actual),
            "deviation": _amount(o.deviation),
            "contribution": None if o.contribution is None else _amount(o.contribution),
        }
        if o.unit_price is not None:
            row["activity"] = {
                "unit": o.activity_unit,
                "unit_price": _amount(o.unit_price),
                "planned": o.planned_activity,
                "actual": o.actual_activity,
            }
        orgs.append(row)
    return {
        "budget": _amount(scenario.budget),
        "seed": scenario.seed,
        "planned_total": _amount(scenario.planned_total),
        "actual_total": _amount(scenario.actual_total),
        "organisations": orgs,
        "rules": [
            {
                "rule": r.rule,
                "title": r.title,
                "terms": r.terms,
                "payments": _amounts(r.payments),
                "total": _amount(r.total),
                "gap": _amount(r.gap),
                "basis": r.basis,
                "shared_by": None
                if r.shared_by is None
                else {name: f"{w:f}" for name, w in r.shared_by.items()},
                "shares": None if r.shares is None else _amounts(r.shares),
                "net": _amounts(r.net),
                "versus_plan": _amounts(r.versus_plan),
                "unfunded": _amounts(r.unfunded),
            }
            for r in results
        ],
    }
