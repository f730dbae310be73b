"""The fixed-budget scenario: the worked example to the penny, parsing, errors and properties."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syslead.commands._common import OPTION_NAMES
from syslead.errors import ScenarioError, SysleadError
from syslead.scenario.handouts import facilitator_key_md, participant_brief_md
from syslead.scenario.jsondata import scenario_from_data, to_json_data
from syslead.scenario.model import (
    Organisation,
    Scenario,
    build_scenario,
    generate,
    make_scenario,
    worked_example,
)
from syslead.scenario.money import (
    Change,
    format_money,
    format_short,
    parse_amount,
    parse_change,
    parse_org,
    parse_org_or_name,
    parse_percent,
    parse_share_pair,
)
from syslead.scenario.rules import (
    RULE_IDS,
    Limit,
    RuleParams,
    compute,
    make_params,
    parse_limit,
    pay_marginal,
    resolve_rule,
    split_largest_remainder,
)

D = Decimal
M = D(1_000_000)
ACUTE = "Acute trust"
COMMUNITY = "Community services"


def by_rule(scenario: Scenario, params: RuleParams | None = None) -> dict[str, object]:
    return {r.rule: r for r in compute(scenario, params=params)}


# --------------------------------------------------------------------------------------------------
# The worked example in the content brief, to the penny


WORKED = {
    # rule: (acute trust paid, community paid, gap)
    "payment-by-results": (D("110000000.00"), D("40000000.00"), D("10000000.00")),
    "block": (D("100000000.00"), D("40000000.00"), D("0.00")),
    "marginal-rate": (D("103000000.00"), D("40000000.00"), D("3000000.00")),
    "blended": (D("102000000.00"), D("40000000.00"), D("2000000.00")),
    "aligned": (D("107500000.00"), D("40000000.00"), D("7500000.00")),
    "capped-risk-share": (D("102500000.00"), D("40000000.00"), D("2500000.00")),
    "pooled-budget": (D("110000000.00"), D("40000000.00"), D("10000000.00")),
    "gain-loss-share": (D("110000000.00"), D("40000000.00"), D("10000000.00")),
}


def test_worked_example_scenario() -> None:
    s = worked_example()
    assert s.budget == D("140000000.00")
    acute = s.org(ACUTE)
    assert (acute.planned, acute.actual, acute.deviation) == (100 * M, 110 * M, 10 * M)
    assert (acute.planned_activity, acute.actual_activity, acute.unit_price) == (
        50_000,
        55_000,
        D(2000),
    )


@pytest.mark.parametrize("rule", RULE_IDS)
def test_worked_example_every_rule(rule: str) -> None:
    s = worked_example()
    (result,) = compute(s, [rule])
    acute, community, gap = WORKED[rule]
    assert result.payments == {ACUTE: acute, COMMUNITY: community}
    assert result.total == acute + community
    assert result.gap == gap
    assert result.gap == result.total - s.budget


def test_worked_example_pooled_shares_to_the_penny() -> None:
    result = by_rule(worked_example())["pooled-budget"]
    assert result.shares == {ACUTE: D("7142857.14"), COMMUNITY: D("2857142.86")}
    assert result.net == {ACUTE: D("102857142.86"), COMMUNITY: D("37142857.14")}
    assert result.versus_plan[COMMUNITY] == D("-2857142.86")
    assert result.unfunded[COMMUNITY] == D("2857142.86")  # community funds the trust
    assert sum(result.net.values()) == worked_example().budget


def test_worked_example_gain_loss_bases() -> None:
    s = worked_example()
    equal = by_rule(s)["gain-loss-share"]
    assert equal.shares == {ACUTE: 5 * M, COMMUNITY: 5 * M}
    budget = by_rule(s, make_params(basis="budget"))["gain-loss-share"]
    assert budget.shares == {ACUTE: D("7142857.14"), COMMUNITY: D("2857142.86")}
    split = by_rule(s, make_params(split={ACUTE: D("0.6"), COMMUNITY: D("0.4")}))
    assert split["gain-loss-share"].shares == {ACUTE: 6 * M, COMMUNITY: 4 * M}
    assert split["gain-loss-share"].basis == "split"


def test_block_leaves_5000_spells_unfunded() -> None:
    s = worked_example()
    block = by_rule(s)["block"]
    assert block.unfunded[ACUTE] == 10 * M
    assert s.org(ACUTE).activity_for(block.unfunded[ACUTE]) == 5000
    assert "5,000 spells unfunded" in facilitator_key_md(s, compute(s))


def test_parameters_change_the_figures() -> None:
    s = worked_example()
    params = make_params(
        marginal_rate=D("0.5"),
        blended_share=D("0.4"),
        aligned_share=D("0.8"),
        risk_share=D("1"),
        cap=parse_limit("3m"),
        collar=parse_limit("none"),
        thresholds={ACUTE: 105 * M},
    )
    got = {r.rule: r.payments[ACUTE] for r in compute(s, params=params)}
    assert got["marginal-rate"] == D("107500000.00")  # 105 + 50% of 5
    assert got["blended"] == 104 * M
    assert got["aligned"] == 108 * M
    assert got["capped-risk-share"] == 103 * M


def test_contributions_override_the_plans() -> None:
    s = worked_example()
    params = make_params(contributions={ACUTE: 50 * M, "community SERVICES": 50 * M})
    result = by_rule(s, params)["pooled-budget"]
    assert result.shares == {ACUTE: 5 * M, COMMUNITY: 5 * M}
    assert result.terms == "pro rata to agreed contributions"


def test_rules_by_alias_in_canonical_order() -> None:
    results = compute(worked_example(), ["pooled", "pbr", "block", "pbr"])
    assert [r.rule for r in results] == ["payment-by-results", "block", "pooled-budget"]
    assert resolve_rule("Gain/loss share") == "gain-loss-share"
    with pytest.raises(ScenarioError, match="unknown rule 'fair'"):
        resolve_rule("fair")


# --------------------------------------------------------------------------------------------------
# Parsing


@pytest.mark.parametrize(
    ("text", "pounds"),
    [
        ("100m", D("100000000.00")),
        ("40M", D("40000000.00")),
        ("2.5m", D("2500000.00")),
        ("750k", D("750000.00")),
        ("750K", D("750000.00")),
        ("1200000", D("1200000.00")),
        ("£1,200,000", D("1200000.00")),
        ("£ 3.25m", D("3250000.00")),
        ("12.5", D("12.50")),
        ("12.50", D("12.50")),
        ("12.500", D("12.50")),
        ("1.23456789m", D("1234567.89")),
        ("1.2bn", D("1200000000.00")),
        ("  0  ", D("0.00")),
    ],
)
def test_parse_amount_accepts(text: str, pounds: Decimal) -> None:
    assert parse_amount(text) == pounds


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("-5m", "negative"),
        ("£-5", "negative"),
        ("-£5", "negative"),
        ("(5m)", "negative"),
        ("abc", "not an amount"),
        ("", "not an amount"),
        ("5x", "not an amount"),
        ("1,20", "not an amount"),
        ("1e6", "not an amount"),
        ("5 m m", "not an amount"),
        ("nan", "not an amount"),
        ("2000bn", "more than £1,000bn"),
        ("0.005", "fraction of a penny"),
        ("12.345", "fraction of a penny"),
        ("1.234567891m", "fraction of a penny"),
        ("0.000001k", "fraction of a penny"),
    ],
)
def test_parse_amount_rejects(text: str, why: str) -> None:
    with pytest.raises(ScenarioError) as info:
        parse_amount(text, field="budget")
    message = str(info.value)
    assert message.startswith("budget: ")
    assert info.value.field == "budget"
    assert info.value.render(OPTION_NAMES).startswith("--budget: ")
    assert repr(text) in message
    assert why in message
    assert "\n" not in message
    assert isinstance(info.value, SysleadError)


@pytest.mark.parametrize(
    ("text", "fraction"),
    [("10%", D("0.1")), ("0.1", D("0.1")), (".1", D("0.1")), ("12.5 %", D("0.125"))],
)
def test_parse_percent_accepts(text: str, fraction: Decimal) -> None:
    assert parse_percent(text) == fraction


@pytest.mark.parametrize("text", ["101%", "150", "-5%", "ten", "", "1.5%%"])
def test_parse_percent_rejects(text: str) -> None:
    with pytest.raises(ScenarioError, match="0% to 100%"):
        parse_percent(text)


def test_parse_percent_edges() -> None:
    assert parse_percent("0") == 0
    assert parse_percent("1") == 1  # a bare number is a fraction: 1 is 100%
    assert parse_percent("1%") == D("0.01")
    assert parse_percent("100%") == 1


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("1.5", "write 1.5% (or 0.015) for 1.5 per cent"),
        ("30", "write 30% (or 0.3) for 30 per cent"),
        ("100", "write 100% (or 1) for 100 per cent"),
        ("1.0001", "write 1.0001% (or 0.010001)"),
    ],
)
def test_a_bare_number_above_one_is_refused_with_a_hint(text: str, hint: str) -> None:
    with pytest.raises(ScenarioError) as info:
        parse_percent(text, field="marginal_rate")
    assert hint in str(info.value)
    assert info.value.render(OPTION_NAMES).startswith("--marginal-rate: ")


@given(st.decimals(min_value=0, max_value=1, places=4))
def test_a_share_means_the_same_written_either_way(fraction: Decimal) -> None:
    """30% and 0.3 are the same share, for every share from 0 to 1."""
    assert parse_percent(f"{fraction:f}") == parse_percent(f"{fraction * 100:f}%") == fraction


@pytest.mark.parametrize("text", ["A=100m=5", "A==100m", "A=B trust = £40m", "A=1=2=3"])
def test_a_second_equals_sign_is_refused(text: str) -> None:
    for parse in (parse_org, parse_org_or_name):
        with pytest.raises(ScenarioError, match="more than one '='"):
            parse(text)
    with pytest.raises(ScenarioError, match="more than one '='"):
        parse_share_pair(text)


@pytest.mark.parametrize("text", ["10", "-10", "0.3", "1", "100", "+5", "2.5"])
def test_a_bare_number_where_an_amount_or_a_percentage_may_go_is_refused(text: str) -> None:
    with pytest.raises(ScenarioError, match="could be a percentage or pounds") as info:
        parse_change(text)
    assert info.value.render(OPTION_NAMES).startswith("--by: ")
    for field in ("cap", "collar"):
        with pytest.raises(ScenarioError, match="could be a percentage or pounds") as info:
            parse_limit(text, field=field)
        assert info.value.render(OPTION_NAMES).startswith(f"--{field}: ")


def test_parse_org() -> None:
    assert parse_org("Acute trust=100m") == ("Acute trust", 100 * M)
    assert parse_org(" B trust = £40m ") == ("B trust", 40 * M)
    for bad in ("Acute trust", "=100m", "Acute trust="):
        with pytest.raises(ScenarioError, match="NAME=AMOUNT"):
            parse_org(bad)
    with pytest.raises(ScenarioError, match=r"^organisations Acute: '-1m' is negative") as info:
        parse_org("Acute=-1m")
    assert info.value.field == "organisations"
    assert info.value.render(OPTION_NAMES).startswith("--org Acute: '-1m' is negative")


def test_parse_change_and_limit() -> None:
    assert parse_change("10%") == Change("percent", D("0.1"))
    assert parse_change("-5%") == Change("percent", D("-0.05"))
    assert parse_change("2.5m") == Change("amount", 2_500_000)
    assert parse_change("-750k") == Change("amount", -750_000)
    assert parse_change("£10") == Change("amount", 10)
    assert parse_change("101") == Change("amount", 101)
    assert parse_change("0") == Change("amount", 0)
    with pytest.raises(ScenarioError, match="below zero"):
        parse_change("-150%")
    with pytest.raises(ScenarioError, match="neither a percentage"):
        parse_change("lots")
    assert parse_limit("2.5%") == Limit(of_plan=D("0.025"))
    assert parse_limit("2m") == Limit(amount=2 * M)
    assert parse_limit("none") == Limit()
    assert parse_limit("£50") == Limit(amount=D(50))


# --------------------------------------------------------------------------------------------------
# Building a scenario from the command line, and the errors


def orgs() -> list[tuple[str, Decimal]]:
    return [(ACUTE, 100 * M), (COMMUNITY, 40 * M)]


def test_build_scenario_from_options() -> None:
    s = build_scenario(orgs(), overperformer="acute TRUST", by=parse_change("10%"))
    assert s.budget == 140 * M
    assert s.org(ACUTE).actual == 110 * M
    assert s.org(COMMUNITY).actual == 40 * M
    t = build_scenario(orgs(), actual=[(COMMUNITY, 38 * M)], budget=135 * M)
    assert t.org(COMMUNITY).deviation == -2 * M
    assert t.budget == 135 * M
    assert build_scenario(orgs(), overperformer=ACUTE).org(ACUTE).actual == 110 * M


def assert_names_field(err: ScenarioError, field: str, shown: str) -> None:
    """The error names its field, never an option; the command line shows it as ``shown``."""
    assert err.field == field
    assert str(err).startswith(field)
    assert not re.search(r"--[a-z]", str(err))
    assert shown in err.render(OPTION_NAMES)
    assert "\n" not in str(err)


@pytest.mark.parametrize(
    ("kwargs", "field", "shown"),
    [
        (
            {"actual": [("Hospice", M)]},
            "actual",
            "--actual: 'Hospice' is not one of the organisations given with --org",
        ),
        ({"actual": [(ACUTE, M), (ACUTE, 2 * M)]}, "actual", "given more than once"),
        ({"budget": D(0)}, "budget", "--budget: the system budget must be more than zero"),
        ({"by": parse_change("5%")}, "by", "--by needs --overperformer"),
        (
            {"overperformer": ACUTE, "actual": [(ACUTE, M)]},
            "overperformer",
            "also has --actual; give one or the other",
        ),
        ({"overperformer": "Nobody"}, "overperformer", "--overperformer: 'Nobody' is not one of"),
        ({"overperformer": ACUTE, "by": parse_change("-101m")}, "by", "less than nothing"),
    ],
)
def test_build_scenario_errors(kwargs: dict[str, object], field: str, shown: str) -> None:
    with pytest.raises(ScenarioError) as info:
        build_scenario(orgs(), **kwargs)  # type: ignore[arg-type]
    assert_names_field(info.value, field, shown)


def test_scenario_needs_two_distinct_organisations() -> None:
    with pytest.raises(ScenarioError, match="at least two organisations"):
        build_scenario([(ACUTE, M)])
    with pytest.raises(ScenarioError, match="'ACUTE TRUST' is given more than once"):
        build_scenario([(ACUTE, M), ("ACUTE TRUST", M)])


@pytest.mark.parametrize(
    ("kwargs", "field", "shown"),
    [
        (
            {"blended_share": D("1.5")},
            "blended_share",
            "--blended-share: expected a share from 0% to 100%",
        ),
        (
            {"aligned_share": D("-0.1")},
            "aligned_share",
            "--aligned-share: expected a share from 0% to 100%",
        ),
        (
            {"marginal_rate": D(2)},
            "marginal_rate",
            "--marginal-rate: expected a share from 0% to 100%",
        ),
        (
            {"split": {ACUTE: D("0.5"), COMMUNITY: D("0.4")}},
            "split",
            "--split: the shares add up to 90%, expected exactly 100%",
        ),
        (
            {"basis": "equal", "split": {ACUTE: D(1)}},
            "split",
            "a split is given but the basis is 'equal'",
        ),
        ({"basis": "split"}, "basis", "--basis: the basis 'split' needs a share for each"),
        ({"basis": "population"}, "basis", "--basis: input should be"),
        (
            {"cap": {"amount": M, "of_plan": D("0.1")}},
            "cap",
            "--cap: give the limit as an amount or as a share of the plan, not both",
        ),
        ({"split": {ACUTE: D(2)}}, "split", f"--split {ACUTE}: expected a share from 0% to 100%"),
    ],
)
def test_conflicting_parameters(kwargs: dict[str, object], field: str, shown: str) -> None:
    with pytest.raises(ScenarioError) as info:
        make_params(**kwargs)  # type: ignore[arg-type]
    assert_names_field(info.value, field, shown)


@pytest.mark.parametrize(
    ("kwargs", "field", "shown"),
    [
        (
            {"split": {"Hospice": D(1)}},
            "split",
            "--split: 'Hospice' is not one of the organisations given with --org",
        ),
        ({"thresholds": {"Hospice": M}}, "thresholds", "--threshold: 'Hospice' is not one of"),
        (
            {"contributions": {"Hospice": M}},
            "contributions",
            "--contribution: 'Hospice' is not one of",
        ),
        (
            {"contributions": {ACUTE: 0, COMMUNITY: 0}},
            "contributions",
            "--contribution: every contribution is zero",
        ),
    ],
)
def test_parameters_that_do_not_fit_the_scenario(
    kwargs: dict[str, object], field: str, shown: str
) -> None:
    params = make_params(**kwargs)  # type: ignore[arg-type]
    with pytest.raises(ScenarioError) as info:
        compute(worked_example(), params=params)
    assert_names_field(info.value, field, shown)


def test_the_core_from_python_names_fields_not_options() -> None:
    """Used without the command line, an error says which argument was wrong, by its own name."""
    scenario = build_scenario(orgs(), overperformer=ACUTE, by=parse_change("10%"))
    (capped,) = compute(scenario, ["capped-risk-share"], make_params(risk_share=D("0.5")))
    assert capped.payments[ACUTE] == D("102500000")  # half of £10m, capped at 2.5% of the plan
    with pytest.raises(ScenarioError) as info:
        compute(scenario, params=make_params(risk_share=D("1.5")))
    assert str(info.value) == "risk_share: expected a share from 0% to 100% (got 1.5)"
    assert info.value.field == "risk_share"
    with pytest.raises(ScenarioError) as info:
        parse_percent("150%", field="risk_share")
    assert str(info.value).startswith("risk_share: '150%' is more than 100%")
    assert info.value.field == "risk_share"
    with pytest.raises(ScenarioError) as info:
        compute(scenario, params=make_params(thresholds={"Hospice": M}))
    assert str(info.value).startswith("thresholds: 'Hospice' is not one of the organisations")
    assert info.value.field == "thresholds"
    assert "--" not in str(info.value)


def test_zero_contributions_matter_only_to_the_pooled_budget() -> None:
    params = make_params(contributions={ACUTE: 0, COMMUNITY: 0})
    assert len(compute(worked_example(), ["block"], params)) == 1
    zero_plans = build_scenario([(ACUTE, D(0)), (COMMUNITY, D(0))], budget=M)
    with pytest.raises(ScenarioError, match="every plan is zero"):
        compute(zero_plans, ["gain-loss-share"], make_params(basis="budget"))


def test_a_collar_larger_than_the_cap_is_an_asymmetric_corridor() -> None:
    params = make_params(risk_share=D(1), cap=parse_limit("1m"), collar=parse_limit("5m"))
    over = build_scenario(orgs(), actual=[(ACUTE, 120 * M)])
    under = build_scenario(orgs(), actual=[(ACUTE, 80 * M)])
    assert by_rule(over, params)["capped-risk-share"].payments[ACUTE] == 101 * M
    assert by_rule(under, params)["capped-risk-share"].payments[ACUTE] == 95 * M


def test_inconsistent_activity_is_an_error() -> None:
    with pytest.raises(ValueError, match="is not 50000 spells at 2000"):
        Organisation(
            name=ACUTE,
            planned=99 * M,
            actual=99 * M,
            unit_price=D(2000),
            planned_activity=50_000,
            activity_unit="spells",
        )


# --------------------------------------------------------------------------------------------------
# Properties


pennies_st = st.integers(min_value=-(10**13), max_value=10**13)
weights_st = st.lists(
    st.integers(min_value=0, max_value=10**12).map(lambda n: D(n) / 100), min_size=1, max_size=8
).filter(lambda ws: sum(ws) > 0)


@settings(max_examples=200, deadline=None)
@given(pennies_st, weights_st)
def test_every_split_sums_exactly_to_its_total(total_pennies: int, weights: list[Decimal]) -> None:
    total = D(total_pennies) / 100
    parts = split_largest_remainder(total, weights)
    assert sum(parts) == total
    assert all(p == p.quantize(D("0.01")) for p in parts)
    whole = sum(Fraction(w) for w in weights)
    for part, weight in zip(parts, weights, strict=True):
        quota = Fraction(total_pennies) * Fraction(weight) / whole
        assert abs(Fraction(part * 100) - quota) < 1  # within a penny of the exact share
        if weight == 0:
            assert part == 0
    assert split_largest_remainder(-total, weights) == [-p for p in parts]


def test_split_ties_go_to_the_first() -> None:
    assert split_largest_remainder(D("0.02"), [D(1)] * 3) == [D("0.01"), D("0.01"), D("0.00")]
    assert split_largest_remainder(D("-0.01"), [D(1), D(1)]) == [D("-0.01"), D("0.00")]


money_st = st.integers(min_value=0, max_value=10**11).map(lambda n: D(n) / 100)
share_st = st.integers(min_value=0, max_value=10_000).map(lambda n: D(n) / 10_000)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    count = draw(st.integers(min_value=2, max_value=6))
    organisations = [
        Organisation(name=f"Org {i}", planned=draw(money_st), actual=draw(money_st))
        for i in range(count)
    ]
    budget = draw(st.none() | money_st.filter(lambda b: b > 0))
    if budget is None and sum(o.planned for o in organisations) == 0:
        budget = M
    return make_scenario(organisations, budget=budget)


@st.composite
def params_st(draw: st.DrawFn) -> RuleParams:
    limit = (
        st.builds(Limit, amount=money_st) | st.builds(Limit, of_plan=share_st) | st.just(Limit())
    )
    return make_params(
        marginal_rate=draw(share_st),
        blended_share=draw(share_st),
        aligned_share=draw(share_st),
        risk_share=draw(share_st),
        cap=draw(limit),
        collar=draw(limit),
        basis=draw(st.sampled_from(["equal", "budget"])),
    )


@settings(max_examples=150, deadline=None)
@given(scenarios(), params_st())
def test_every_rule_is_consistent(s: Scenario, params: RuleParams) -> None:
    if s.planned_total == 0:  # contributions default to the plans: nothing to share by
        with pytest.raises(ScenarioError, match="every contribution is zero"):
            compute(s, params=params)
        return
    results = compute(s, params=params)
    for r in results:
        assert list(r.payments) == s.names
        assert r.total == sum(r.payments.values())
        assert r.gap == r.total - s.budget
        if r.shares is not None:
            assert sum(r.shares.values()) == r.gap
            assert sum(r.net.values()) == s.budget
        else:
            assert r.net == r.payments
        for o in s.organisations:
            assert r.versus_plan[o.name] == r.net[o.name] - o.planned
            assert r.unfunded[o.name] == o.actual - r.net[o.name]
            assert r.payments[o.name] >= 0


@settings(max_examples=150, deadline=None)
@given(scenarios(), params_st())
def test_intermediate_rules_lie_between_block_and_payment_by_results(
    s: Scenario, params: RuleParams
) -> None:
    results = {
        r.rule: r
        for r in compute(s, ["pbr", "block", "blended", "aligned", "capped", "marginal"], params)
    }
    for o in s.organisations:
        low = min(results["block"].payments[o.name], results["payment-by-results"].payments[o.name])
        high = max(
            results["block"].payments[o.name], results["payment-by-results"].payments[o.name]
        )
        for rule in ("blended", "aligned", "capped-risk-share", "marginal-rate"):
            assert low <= results[rule].payments[o.name] <= high, rule


@settings(max_examples=150, deadline=None)
@given(
    planned=st.integers(min_value=0, max_value=10**11),
    deviation=st.integers(min_value=0, max_value=10**11),
    params=params_st(),
    limit=st.builds(Limit, amount=money_st) | st.builds(Limit, of_plan=share_st),
)
def test_underperformance_is_symmetric(
    planned: int, deviation: int, params: RuleParams, limit: Limit
) -> None:
    deviation = min(deviation, planned)  # cannot deliver less than nothing
    plan, d = D(planned) / 100, D(deviation) / 100
    params = params.model_copy(
        update={"capped": params.capped.model_copy(update={"cap": limit, "collar": limit})}
    )
    linear = ["payment-by-results", "block", "blended", "aligned", "capped-risk-share"]

    def change(actual: Decimal) -> dict[str, Decimal]:
        other = Organisation(name="Other", planned=M, actual=M)
        s = make_scenario([Organisation(name="X", planned=plan, actual=actual), other])
        return {r.rule: r.payments["X"] - plan for r in compute(s, linear, params)}

    over, under = change(plan + d), change(plan - d)
    assert under == {rule: -value for rule, value in over.items()}


@settings(max_examples=100, deadline=None)
@given(
    threshold=money_st,
    actual=money_st,
    planned=money_st,
    rate=share_st,
)
def test_marginal_rule_pays_the_actual_value_below_the_threshold(
    threshold: Decimal, actual: Decimal, planned: Decimal, rate: Decimal
) -> None:
    org = Organisation(name="X", planned=planned, actual=actual)
    paid = pay_marginal(org, rate, threshold)
    if actual <= threshold:
        assert paid == actual
    else:
        assert threshold <= paid <= actual


# --------------------------------------------------------------------------------------------------
# Generating a scenario


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=10**9))
def test_generate_is_deterministic_and_plausible(seed: int) -> None:
    s = generate(seed=seed)
    assert s == generate(seed=seed)
    assert s.seed == seed
    assert s.names == [
        "Acute trust",
        "Community trust",
        "Council adult social care",
        "Primary care",
        "Mental health trust",
    ]
    assert s.budget == s.planned_total
    half = D(500_000)
    moved = [o for o in s.organisations if o.deviation != 0]
    assert len(moved) == 1
    assert moved[0].deviation > 0
    for o in s.organisations:
        assert o.planned % half == 0
        assert o.actual % half == 0
        if o.unit_price is not None:
            assert o.planned == o.planned_activity * o.unit_price  # type: ignore[operator]
            assert o.actual == o.actual_activity * o.unit_price  # type: ignore[operator]
    compute(s)


def test_generate_from_names_and_fixed_plans() -> None:
    names = ["St Elsewhere Hospital", "Northshire County Council", "Riverside GP practices"]
    s = generate(names, seed=7, planned={"northshire county council": 90 * M})
    assert s.names == names
    assert s.org("Northshire County Council").planned == 90 * M
    assert [o.resolved_kind for o in s.organisations] == ["acute", "council", "primary-care"]
    variety = {generate(names, seed=i).model_dump_json() for i in range(10)}
    assert len(variety) > 5
    with pytest.raises(ScenarioError, match="at least two"):
        generate(["Solo"], seed=1)
    with pytest.raises(ScenarioError, match="'Nobody' is not one of"):
        generate(names, seed=1, planned={"Nobody": M})


# --------------------------------------------------------------------------------------------------
# JSON


AMOUNT = re.compile(r"^-?\d+\.\d\d$")


def test_json_shape() -> None:
    s = worked_example()
    data = to_json_data(s, compute(s))
    assert json.loads(json.dumps(data)) == data
    assert data["budget"] == "140000000.00"
    assert data["seed"] is None
    assert [o["name"] for o in data["organisations"]] == [ACUTE, COMMUNITY]
    for o in data["organisations"]:
        assert AMOUNT.match(o["planned"])
        assert AMOUNT.match(o["actual"])
    assert [r["rule"] for r in data["rules"]] == list(RULE_IDS)
    for r in data["rules"]:
        assert {"rule", "title", "payments", "total", "gap", "net", "shares"} <= set(r)
        assert list(r["payments"]) == [ACUTE, COMMUNITY]
        assert all(AMOUNT.match(v) for v in r["payments"].values())
        assert AMOUNT.match(r["gap"])
    pooled = data["rules"][RULE_IDS.index("pooled-budget")]
    assert pooled["shares"] == {ACUTE: "7142857.14", COMMUNITY: "2857142.86"}
    assert data["rules"][0]["shares"] is None
    assert data["rules"][1]["gap"] == "0.00"
    assert data["rules"][4]["payments"][ACUTE] == "107500000.00"


def test_json_reads_back() -> None:
    s = generate(seed=3)
    data = json.loads(json.dumps(to_json_data(s, compute(s))))
    assert scenario_from_data(data) == s
    with pytest.raises(ScenarioError, match="extra"):
        scenario_from_data({**data, "colour": "red"})


# --------------------------------------------------------------------------------------------------
# Markdown: the brief, the key, and escaping


def situation_facts(s: Scenario) -> set[Decimal]:
    facts = {s.budget, s.planned_total, s.actual_total}
    for o in s.organisations:
        facts |= {o.planned, o.actual, abs(o.deviation)}
    return facts


@pytest.mark.parametrize("scenario", [worked_example(), generate(seed=1), generate(seed=2)])
def test_the_brief_has_no_rule_figures(scenario: Scenario) -> None:
    brief = participant_brief_md(scenario)
    facts = situation_facts(scenario)
    figures: set[Decimal] = set()
    for r in compute(scenario):
        figures |= {*r.payments.values(), *r.net.values(), r.total, abs(r.gap)}
        figures |= set((r.shares or {}).values())
    for amount in figures - facts - {D(0)}:
        assert format_money(amount) not in brief
        assert format_short(amount) not in brief
    for name in scenario.names:
        assert name in brief
    assert "## Where each organisation stands" in brief


def test_the_brief_of_the_worked_example() -> None:
    brief = participant_brief_md(worked_example())
    assert "£140m" in brief
    assert "55,000 spells against a plan of 50,000" in brief
    assert "£10m (10%) more than planned" in brief
    for absent in ("103", "107.5", "7,142,857", "2,857,142", "102"):
        assert absent not in brief


@pytest.mark.parametrize("scenario", [worked_example(), generate(seed=4)])
def test_the_key_has_every_rule_figure(scenario: Scenario) -> None:
    results = compute(scenario)
    key = facilitator_key_md(scenario, results)
    for r in results:
        assert r.title in key
        for amount in [*r.payments.values(), r.total, *(r.shares or {}).values(), *r.net.values()]:
            assert format_money(amount) in key
    for heading in (
        "## Debrief questions",
        "## Power dynamics to name",
        "## Signs of entrenchment to watch for",
        "## If nobody disagrees",
    ):
        assert heading in key
    assert "elected members" in key or "council" not in key.lower()
    assert "absence of conflict" in key


def test_the_key_names_the_worked_conflict() -> None:
    key = facilitator_key_md(worked_example(), compute(worked_example()))
    assert "£7,142,857.14" in key
    assert "£2,857,142.86" in key
    assert "funding the overperformance of Acute trust" in key
    assert "+£10,000,000" in key  # payment by results' gap


def test_names_are_escaped() -> None:
    nasty = "<script>alert(1)</script> *Trust* | [x](y)"
    s = build_scenario([(nasty, 10 * M), ("Council_of_things", 5 * M)], overperformer=nasty)
    brief = participant_brief_md(s)
    key = facilitator_key_md(s, compute(s))
    for text in (brief, key):
        assert "<script>" not in text
        assert r"\<script\>" in text
        assert r"\*Trust\*" in text
        assert r"\|" in text
        assert "Council_of_things" in text  # an underscore inside a word is not markup


def test_key_renders_as_commonmark_tables() -> None:
    markdown_it = pytest.importorskip("markdown_it")
    s = build_scenario([("A <b>", 10 * M), ("B & C", 5 * M)], overperformer="A <b>")
    html = (
        markdown_it.MarkdownIt("commonmark")
        .enable("table")
        .render(facilitator_key_md(s, compute(s)))
    )
    assert "<b>" not in html
    assert "A &lt;b&gt;" in html
    assert html.count("<table>") >= 4
