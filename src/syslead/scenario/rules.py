"""The payment rules of the fixed-budget scenario, their parameters, and the arithmetic.

The payment rules a group might agree each move the difference between plan and out-turn somewhere
else: onto the commissioner, onto the provider that did the work, or onto the partners that stayed
on plan. Here are the rules (with the precedent each is modelled on), their parameters with the
defaults in the content brief, and what each organisation is paid under each rule, to the penny.
It works on a :class:`~syslead.scenario.model.Scenario` and never changes it; everything is a pure
function over exact decimal money (see :mod:`syslead.scenario.money`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import floor
from typing import Literal, get_args

from pydantic import Field, model_validator

from syslead.errors import ScenarioError, ref
from syslead.scenario.model import (
    Organisation,
    Scenario,
    ScenarioModel,
    lookup_org,
    org_index,
    validated,
)
from syslead.scenario.money import (
    ZERO,
    Money,
    Share,
    format_percent,
    format_short,
    parse_amount,
    parse_percent,
    pennies,
    refuse_ambiguous,
)

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
RULE_IDS: tuple[RuleId, ...] = get_args(RuleId)
"""The rules in the order every table and key shows them."""


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
    raise ScenarioError(
        f"{ref('rules')}: unknown rule {text!r} (expected one of: {', '.join(RULE_IDS)})",
        field="rules",
    )


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


def parse_limit(text: str, *, field: str = "cap") -> Limit:
    """A cap or collar: ``2.5%`` (of each plan), an amount such as ``2m``, or ``none``.

    A percentage needs its ``%`` sign: a bare number up to 100 could be either, and is refused
    (see :func:`~syslead.scenario.money.refuse_ambiguous`). Errors name ``field`` (``cap`` or
    ``collar``).
    """
    raw = str(text).strip()
    if raw.casefold() in ("none", "no", "unlimited", "off"):
        return Limit()
    refuse_ambiguous(raw, field=field, what="each plan")
    if raw.endswith("%"):
        return Limit(of_plan=parse_percent(raw, field=field))
    return Limit(amount=parse_amount(raw, field=field))


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
    """Rule parameters from the given values (None: the default); problems are a ScenarioError.

    A split on its own implies the basis ``split``. An error names the argument that was wrong as
    its field (``risk_share``, ``split``...).
    """
    if split and basis is None:
        basis = "split"

    def pick(**values: object) -> dict[str, object]:
        return {k: v for k, v in values.items() if v is not None}

    return RuleParams(
        marginal=validated(
            MarginalParams,
            pick(rate=marginal_rate, thresholds=dict(thresholds) if thresholds else None),
            {"rate": "marginal_rate", "thresholds": "thresholds"},
        ),
        blended=validated(BlendedParams, pick(share=blended_share), {"share": "blended_share"}),
        aligned=validated(AlignedParams, pick(share=aligned_share), {"share": "aligned_share"}),
        capped=validated(
            CappedParams,
            pick(share=risk_share, cap=cap, collar=collar),
            {"share": "risk_share", "cap": "cap", "collar": "collar"},
        ),
        pooled=validated(
            PooledParams,
            pick(contributions=dict(contributions) if contributions else None),
            {"contributions": "contributions"},
        ),
        gain_loss=validated(
            GainLossParams,
            pick(basis=basis, split=dict(split) if split else None),
            {"basis": "basis", "split": "split"},
            where="split" if split else "basis",
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
        ("thresholds", params.marginal.thresholds),
        ("contributions", params.pooled.contributions),
        ("split", params.gain_loss.split),
    ]
    for field, mapping in named:
        seen: set[int] = set()
        for name in mapping:
            i = org_index(names, name, field)
            if i in seen:
                raise ScenarioError(
                    f"{ref(field)}: {names[i]!r} is given more than once", field=field
                )
            seen.add(i)
    pooled = "pooled-budget" in rules
    if pooled and sum(_contributions(scenario, params), Decimal(0)) == 0:
        raise ScenarioError(
            f"{ref('contributions')}: every contribution is zero (they default to the plans), so "
            "the pooled budget cannot be shared in proportion to them; give "
            f"{ref('contributions')} NAME=AMOUNT",
            field="contributions",
        )
    gain_loss = "gain-loss-share" in rules
    if gain_loss and params.gain_loss.basis == "budget" and scenario.planned_total == 0:
        raise ScenarioError(
            f"{ref('basis')} budget: every plan is zero, so there is nothing to share by",
            field="basis",
        )


def _contributions(scenario: Scenario, params: RuleParams) -> list[Decimal]:
    """What each organisation put into the pool: the override, its own, or else its plan."""
    result = []
    for org in scenario.organisations:
        override = lookup_org(params.pooled.contributions, scenario.names, org.name)
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
        lookup_org(params.gain_loss.split, scenario.names, o.name) or Decimal(0)
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
            pay_marginal(o, m.rate, lookup_org(m.thresholds, scenario.names, o.name)) for o in orgs
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
