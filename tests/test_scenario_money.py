"""The scenario's money and rules, promise by promise, with figures worked out by hand.

Each test names the promise it pins. The figures come from the worked example in the content brief
(budget £140m; the acute trust planned £100m and delivered £110m; community services a £40m block)
or from small variations on it, worked out in the comments.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from markdown_it import MarkdownIt

from syslead.commands._common import OPTION_NAMES
from syslead.errors import ScenarioError
from syslead.scenario.handouts import facilitator_key_md
from syslead.scenario.jsondata import scenario_from_data, to_json_data
from syslead.scenario.model import (
    Organisation,
    Scenario,
    build_scenario,
    make_scenario,
    worked_example,
)
from syslead.scenario.money import (
    Change,
    format_money,
    format_percent,
    format_short,
    format_signed,
    parse_amount,
    parse_change,
    parse_org,
    parse_org_or_name,
    parse_percent,
    parse_share_pair,
    pennies,
)
from syslead.scenario.rules import (
    RuleResult,
    compute,
    make_params,
    parse_limit,
    resolve_rule,
    split_largest_remainder,
)

D = Decimal
M = D(1_000_000)
ACUTE = "Acute trust"
COMMUNITY = "Community services"


def one_rule(rule: str, scenario: Scenario | None = None, **params: Any) -> RuleResult:
    (result,) = compute(scenario or worked_example(), [rule], make_params(**params))
    return result


def tables(markdown: str) -> list[list[list[str]]]:
    """Every table in a Markdown text, as rows of cell texts (the header row first)."""
    found: list[list[list[str]]] = []
    inside = False
    for t in MarkdownIt("commonmark").enable("table").parse(markdown):
        if t.type in ("table_open", "table_close"):
            inside = t.type == "table_open"
            if inside:
                found.append([])
        elif inside and t.type == "tr_open":
            found[-1].append([])
        elif inside and t.type == "inline":
            found[-1][-1].append(t.content)
    return found


def raised(call: Callable[..., object], *args: object, **kwargs: object) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        call(*args, **kwargs)
    return info.value


# --------------------------------------------------------------------------------------------------
# The named promises


def test_risk_share_changes_what_the_capped_rule_pays() -> None:
    """--risk-share is the share of the difference paid: 10% of the trust's £10m is £1m."""
    capped = one_rule("capped-risk-share", risk_share=D("0.1"))
    # 100m + 10% x 10m = 101m, inside the default cap of 2.5% of the plan (2.5m)
    assert capped.payments == {ACUTE: 101 * M, COMMUNITY: 40 * M}
    assert capped.gap == 1 * M
    assert capped.terms == "10% share, cap 2.5% of plan, collar 2.5% of plan"
    under = build_scenario([(ACUTE, 100 * M), (COMMUNITY, 40 * M)], actual=[(ACUTE, 96 * M)])
    # 100m + 10% x -4m = 99.6m, above the default collar (97.5m)
    assert one_rule("capped-risk-share", under, risk_share=D("0.1")).payments[ACUTE] == D(
        "99600000"
    )
    # the default share is 50%: 100m - 2m
    assert one_rule("capped-risk-share", under).payments[ACUTE] == 98 * M


def test_an_organisation_left_out_of_the_split_carries_none_of_the_gap() -> None:
    """A split names each organisation's share; one it leaves out has a share of 0%, not 1."""
    s = build_scenario(
        [(ACUTE, 100 * M), (COMMUNITY, 40 * M), ("Council", 60 * M)],
        overperformer=ACUTE,
        by=parse_change("10%"),
    )
    result = one_rule("gain-loss-share", s, split={ACUTE: D("0.6"), COMMUNITY: D("0.4")})
    # paid 110 + 40 + 60 = 210 against a budget of 200: a 10m gap, shared 60:40:0
    assert result.gap == 10 * M
    assert result.shared_by == {ACUTE: D("0.6"), COMMUNITY: D("0.4"), "Council": D(0)}
    assert result.shares == {ACUTE: 6 * M, COMMUNITY: 4 * M, "Council": D("0.00")}
    assert result.net == {ACUTE: 104 * M, COMMUNITY: 36 * M, "Council": 60 * M}
    assert result.versus_plan == {ACUTE: 4 * M, COMMUNITY: -4 * M, "Council": D("0.00")}
    assert result.terms == "agreed split"


def test_an_organisations_own_contribution_weighs_its_share_of_the_pool() -> None:
    """An organisation's own contribution, not its plan, weighs its share of a pooled budget.

    Contributions 20m and 40m (community gave none, so its plan counts): the 10m gap splits
    1:2, 3,333,333.33 and 6,666,666.67 (the odd penny to the larger remainder).
    """
    s = make_scenario(
        [
            Organisation(name=ACUTE, planned=100 * M, actual=110 * M, contribution=20 * M),
            Organisation(name=COMMUNITY, planned=40 * M, actual=40 * M),
        ]
    )
    pooled = one_rule("pooled-budget", s)
    assert pooled.shared_by == {ACUTE: 20 * M, COMMUNITY: 40 * M}
    assert pooled.shares == {ACUTE: D("3333333.33"), COMMUNITY: D("6666666.67")}
    assert pooled.terms == "pro rata to agreed contributions"
    # an agreed contribution given with the rule's parameters overrides the organisation's own
    overridden = one_rule("pooled-budget", s, contributions={ACUTE: 60 * M})
    assert overridden.shares == {ACUTE: 6 * M, COMMUNITY: 4 * M}
    # and one given for the other organisation leaves this one's own in place
    other = one_rule("pooled-budget", s, contributions={COMMUNITY: 20 * M})
    assert other.shares == {ACUTE: 5 * M, COMMUNITY: 5 * M}
    # without contributions the plans weigh it, 100:40
    assert one_rule("pooled-budget").terms == "pro rata to plans"


def test_a_saved_contribution_is_read_back_and_used() -> None:
    """A scenario saved as JSON keeps each organisation's contribution, and the pool uses it."""
    s = make_scenario(
        [
            Organisation(name=ACUTE, planned=100 * M, actual=110 * M, contribution=20 * M),
            Organisation(name=COMMUNITY, planned=40 * M, actual=40 * M),
        ]
    )
    data = to_json_data(s, compute(s, ["pooled-budget"]))
    assert [o["contribution"] for o in data["organisations"]] == ["20000000.00", None]
    back = scenario_from_data(data)
    assert [o.contribution for o in back.organisations] == [20 * M, None]
    assert one_rule("pooled-budget", back).shares == {
        ACUTE: D("3333333.33"),
        COMMUNITY: D("6666666.67"),
    }


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (D("-2857142.86"), "-£2,857,142.86"),
        (D("10000000"), "+£10,000,000"),
        (D("0"), "£0"),
        (D("-0.004"), "£0"),  # rounds to nothing: no sign
        (D("0.5"), "+£0.50"),
        (D("0.01"), "+£0.01"),
        (D("-0.01"), "-£0.01"),
    ],
)
def test_a_signed_amount_shows_one_sign(amount: Decimal, shown: str) -> None:
    """A signed amount shows + for a gain, - for a loss, and no sign at all for nothing."""
    assert format_signed(amount) == shown


def test_the_key_shows_the_loss_against_plan_with_one_minus() -> None:
    """In the key's pooled-budget table, community services lose £2,857,142.86 on their plan."""
    s = worked_example()
    key = facilitator_key_md(s, compute(s, ["pooled-budget"]))
    header, *body = next(t for t in tables(key) if "Share of the gap" in t[0])
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    line = rows[COMMUNITY]
    assert line["Share of the gap"] == "£2,857,142.86"
    assert line["Net"] == "£37,142,857.14"
    assert line["Against plan"] == "-£2,857,142.86"
    assert rows[ACUTE]["Against plan"] == "+£2,857,142.86"


# --------------------------------------------------------------------------------------------------
# Rounding and formatting


@pytest.mark.parametrize(
    ("amount", "rounded"),
    [
        (D("0.005"), D("0.01")),  # half up, where half-even would give 0.00
        (D("2.345"), D("2.35")),
        (D("-0.005"), D("-0.01")),  # away from zero, symmetric
        (D("-2.345"), D("-2.35")),
        (D("0.0049"), D("0.00")),
    ],
)
def test_pennies_round_half_away_from_zero(amount: Decimal, rounded: Decimal) -> None:
    """A single amount rounds to the penny half up, away from zero, the same both ways."""
    assert pennies(amount) == rounded


def test_pennies_never_shows_minus_zero() -> None:
    """A negative amount that rounds to nothing is 0.00, never -0.00."""
    assert str(pennies(D("-0.004"))) == "0.00"
    assert not pennies(D("-0.004")).is_signed()
    assert format_money(D("-0.004")) == "£0"


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (D("7142857.14"), "£7,142,857.14"),
        (D("110000000"), "£110,000,000"),  # pence only when there are any
        (D("110000000.00"), "£110,000,000"),
        (D("-2857142.86"), "-£2,857,142.86"),
        (D("0"), "£0"),
        (D("0.5"), "£0.50"),
        (D("12.50"), "£12.50"),
        (D("999.999"), "£1,000"),
    ],
)
def test_format_money(amount: Decimal, shown: str) -> None:
    """Exact amounts: thousands separated, pence only when there are any, one minus sign."""
    assert format_money(amount) == shown


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (D("107500000"), "£107.5m"),
        (D("7142857.14"), "£7.14m"),
        (D("750000"), "£750k"),
        (D("12.5"), "£12.50"),
        (D("0"), "£0"),
        (D("0.5"), "£0.50"),
        (D("999.99"), "£999.99"),
        (D("1000"), "£1k"),  # the boundary belongs to the larger unit
        (D("1000000"), "£1m"),
        (D("1000000000"), "£1bn"),
        (D("2000000000"), "£2bn"),
        (D("1500000000"), "£1.5bn"),
        (D("1245000"), "£1.25m"),  # half up, where half-even would give 1.24
        (D("-2500000"), "-£2.5m"),
        (D("-12.5"), "-£12.50"),
    ],
)
def test_format_short(amount: Decimal, shown: str) -> None:
    """Short amounts for prose: bn, m and k from their own size up, rounded half up."""
    assert format_short(amount) == shown


@pytest.mark.parametrize(
    ("fraction", "shown"),
    [
        (D("0.3"), "30%"),
        (D("0.025"), "2.5%"),
        (D("1"), "100%"),
        (D("0"), "0%"),
        (D("0.0000125"), "0.0013%"),  # half up at the fourth place, where half-even gives 0.0012%
        (D("0.000000004"), "0%"),
    ],
)
def test_format_percent(fraction: Decimal, shown: str) -> None:
    """A fraction as a percentage, to at most four places, trailing zeros dropped."""
    assert format_percent(fraction) == shown


def test_format_percent_of_a_figure_too_large_to_round_is_still_a_percentage() -> None:
    """A fraction with more digits than rounding can hold is shown unrounded, times 100."""
    assert format_percent(D("1E+30")) == "1" + "0" * 32 + "%"


# --------------------------------------------------------------------------------------------------
# Parsing: limits, messages and the field named


def test_parse_amount_takes_the_largest_amount_exactly() -> None:
    """£1,000bn is the largest amount; a penny more is refused."""
    assert parse_amount("1000bn") == D(10**12)
    error = raised(parse_amount, "1000000000000.01", field="budget")
    assert (
        str(error) == "budget: '1000000000000.01' is more than £1,000bn; is there a typing error?"
    )


def test_an_amount_error_without_a_field_starts_with_the_text() -> None:
    """Used without a field, an error starts with the text that was wrong."""
    error = raised(parse_amount, "abc")
    assert str(error).startswith("'abc' is not an amount of money (expected pounds such as")
    assert error.field is None


def test_a_negative_share_is_called_negative() -> None:
    """A share below 0% is refused as negative, naming the field given."""
    error = raised(parse_percent, "-5%", field="split", label="A")
    assert str(error) == (
        "split A: '-5%' is negative (expected a share from 0% to 100%, written as 30% or as a "
        "fraction such as 0.3)"
    )
    assert error.field == "split"
    assert raised(parse_percent, "\u22125%", field="split").field == "split"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ten", "risk_share: 'ten' is not a share (expected a share from 0% to 100%"),
        ("101", "risk_share: '101' is more than 100% (expected a share"),
        ("100.5", "risk_share: '100.5' is more than 100% (expected a share"),
        ("100", "risk_share: '100' is above 1, and a bare number is a fraction from 0 to 1"),
        ("101%", "risk_share: '101%' is more than 100% (expected a share"),
    ],
)
def test_a_share_error_names_its_field(text: str, message: str) -> None:
    """Every refused share says why and carries the field it was given for."""
    error = raised(parse_percent, text, field="risk_share")
    assert str(error).startswith(message)
    assert error.field == "risk_share"


@pytest.mark.parametrize("parse", [parse_org, parse_org_or_name])
def test_an_organisation_error_names_the_organisations(parse: Callable[..., object]) -> None:
    """NAME=AMOUNT errors name the organisations field unless told another."""
    error = raised(parse, "Acute trust=")
    assert str(error) == (
        "organisations: 'Acute trust=' is not NAME=AMOUNT (such as 'Acute trust=100m')"
    )
    assert error.field == "organisations"
    assert error.render(OPTION_NAMES).startswith("--org: ")
    twice = raised(parse, "A=1=2", field="actual")
    assert str(twice) == (
        "actual: 'A=1=2' has more than one '=' (expected NAME=AMOUNT (such as 'Acute trust=100m'), "
        "with one '=' between the name and the value; a name cannot contain '=')"
    )
    assert twice.field == "actual"
    bad = raised(parse, "A=-1m", field="thresholds")
    assert bad.field == "thresholds"
    assert str(bad).startswith("thresholds A: '-1m' is negative")


def test_a_bare_organisation_name() -> None:
    """A name alone is an organisation whose plan is to be generated; an empty one is refused."""
    assert parse_org_or_name("  Council  ") == ("Council", None)
    assert parse_org_or_name("Council=2m") == ("Council", 2 * M)
    error = raised(parse_org_or_name, "   ")
    assert str(error) == "organisations: expected an organisation name or NAME=AMOUNT"
    assert error.field == "organisations"
    assert raised(parse_org_or_name, " ", field="names").field == "names"


def test_a_share_pair() -> None:
    """NAME=SHARE reads a percentage or a fraction, and its errors name the split."""
    assert parse_share_pair("Acute trust=60%") == (ACUTE, D("0.6"))
    assert parse_share_pair("Acute trust = 0.6") == (ACUTE, D("0.6"))
    error = raised(parse_share_pair, "Acute trust")
    assert str(error) == "split: 'Acute trust' is not NAME=SHARE (such as 'Acute trust=60%')"
    assert error.field == "split"
    assert error.render(OPTION_NAMES).startswith("--split: ")
    share = raised(parse_share_pair, "A=150%")
    assert str(share).startswith("split A: '150%' is more than 100%")
    assert share.field == "split"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "-10",
            "by: '-10' could be a percentage or pounds: write -10% for a share of the plan, or "
            "-£10 for pounds (here a percentage needs its % sign, and so small a sum its £ sign)",
        ),
        ("\u221210", "write -10% for a share of the plan, or -£10 for pounds"),
        ("+5", "write 5% for a share of the plan, or £5 for pounds"),
        ("0.3", "write 30% for a share of the plan, or £0.30 for pounds"),
        ("1", "write 1% for a share of the plan, or £1 for pounds"),
        ("1.5", "write 1.5% for a share of the plan, or £1.50 for pounds"),
        ("100", "write 100% for a share of the plan, or £100 for pounds"),
    ],
)
def test_an_ambiguous_change_says_both_readings(text: str, message: str) -> None:
    """A bare number that could be a percentage or pounds is refused with both readings."""
    error = raised(parse_change, text)
    assert message in str(error)
    assert error.field == "by"


@pytest.mark.parametrize(
    ("text", "change"),
    [
        ("+10%", Change("percent", D("0.1"))),
        ("+2.5m", Change("amount", D("2500000"))),
        ("\u22125%", Change("percent", D("-0.05"))),
        ("\u2212750k", Change("amount", D("-750000"))),
        ("-100%", Change("percent", D("-1"))),  # down to nothing is allowed
        ("1000%", Change("percent", D("10"))),  # up to eleven times the plan
        ("101", Change("amount", D("101"))),
    ],
)
def test_a_change_reads_its_sign(text: str, change: Change) -> None:
    """A change's sign may be +, - or the minus sign; -100% and +1000% are the limits."""
    assert parse_change(text) == change


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1000.01%", "by: '1000.01%' is more than 1000% of the plan"),
        ("1050%", "by: '1050%' is more than 1000% of the plan"),
        ("-100.5%", "by: '-100.5%' would take the organisation below zero"),
        (
            "lots",
            "by: 'lots' is neither a percentage of the plan nor an amount "
            "(expected such as 10%, -5%, 2.5m or -750k)",
        ),
        ("X10", "by: 'X10' is neither a percentage of the plan nor an amount"),
    ],
)
def test_a_change_out_of_bounds_is_refused(text: str, message: str) -> None:
    """A change above 1000%, below -100% or unreadable is refused, naming the field."""
    error = raised(parse_change, text, field="by")
    assert str(error).startswith(message)
    assert error.field == "by"
    assert error.render(OPTION_NAMES).startswith("--by: ")


def test_a_limit_reads_none_a_percentage_or_an_amount() -> None:
    """A cap or collar: none, a share of each plan, or pounds; a bare number is refused."""
    for text in ("none", "No", "unlimited", "OFF"):
        assert parse_limit(text).amount is None
        assert parse_limit(text).of_plan is None
    error = raised(parse_limit, "2.5", field="collar")
    assert error.field == "collar"
    assert "write 2.5% for a share of each plan" in str(error)


# --------------------------------------------------------------------------------------------------
# The JSON twin, key by key


def test_the_json_of_the_worked_example_key_by_key() -> None:
    """The documented JSON shape: every key, in order, with amounts as two-decimal strings."""
    s = worked_example()
    data = to_json_data(s, compute(s, ["block", "pooled-budget"]))
    both = (ACUTE, COMMUNITY)

    def pair(acute: str, community: str) -> dict[str, str]:
        return dict(zip(both, (acute, community), strict=True))

    expected = {
        "budget": "140000000.00",
        "seed": None,
        "planned_total": "140000000.00",
        "actual_total": "150000000.00",
        "organisations": [
            {
                "name": ACUTE,
                "kind": "acute",
                "planned": "100000000.00",
                "actual": "110000000.00",
                "deviation": "10000000.00",
                "contribution": None,
                "activity": {
                    "unit": "spells",
                    "unit_price": "2000.00",
                    "planned": 50_000,
                    "actual": 55_000,
                },
            },
            {
                "name": COMMUNITY,
                "kind": "community",
                "planned": "40000000.00",
                "actual": "40000000.00",
                "deviation": "0.00",
                "contribution": None,
            },
        ],
        "rules": [
            {
                "rule": "block",
                "title": "Block contract",
                "terms": "",
                "payments": pair("100000000.00", "40000000.00"),
                "total": "140000000.00",
                "gap": "0.00",
                "basis": None,
                "shared_by": None,
                "shares": None,
                "net": pair("100000000.00", "40000000.00"),
                "versus_plan": pair("0.00", "0.00"),
                "unfunded": pair("10000000.00", "0.00"),
            },
            {
                "rule": "pooled-budget",
                "title": "Pooled budget",
                "terms": "pro rata to plans",
                "payments": pair("110000000.00", "40000000.00"),
                "total": "150000000.00",
                "gap": "10000000.00",
                "basis": "contributions",
                "shared_by": pair("100000000.00", "40000000.00"),
                "shares": pair("7142857.14", "2857142.86"),
                "net": pair("102857142.86", "37142857.14"),
                "versus_plan": pair("2857142.86", "-2857142.86"),
                "unfunded": pair("7142857.14", "2857142.86"),
            },
        ],
    }
    assert data == expected
    # the order is part of the shape: the same text, key for key
    assert json.dumps(data) == json.dumps(expected)


def test_a_saved_scenario_reads_back_with_its_activity() -> None:
    """JSON read back gives the same organisations, activity counts and unit included."""
    s = worked_example()
    back = scenario_from_data(json.loads(json.dumps(to_json_data(s, compute(s)))))
    trust = back.org(ACUTE)
    assert (trust.unit_price, trust.planned_activity, trust.actual_activity) == (
        D(2000),
        50_000,
        55_000,
    )
    assert trust.activity_unit == "spells"
    assert back.budget == s.budget
    assert [o.planned for o in back.organisations] == [100 * M, 40 * M]


def test_a_saved_activity_without_a_unit_counts_units() -> None:
    """An activity saved without its unit is counted in units."""
    data = {
        "budget": "140000000.00",
        "organisations": [
            {
                "name": ACUTE,
                "planned": "100000000.00",
                "actual": "110000000.00",
                "deviation": "10000000.00",
                "activity": {"unit_price": "2000.00", "planned": 50_000, "actual": 55_000},
            },
            {"name": COMMUNITY, "planned": "40000000.00", "actual": "40000000.00"},
        ],
    }
    trust = scenario_from_data(data).org(ACUTE)
    assert trust.activity_unit == "units"
    assert trust.actual_activity == 55_000


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1, 2], "scenario: expected a mapping with budget and organisations"),
        (
            {"budget": "1", "organisations": [{"name": "A", "planned": "1", "actual": "1"}, 7]},
            "organisations[1]: input should be a valid dictionary or instance of Organisation (got 7)",
        ),
        (
            {
                "budget": "1",
                "organisations": [
                    {"name": "A", "planned": "1", "actual": "1", "activity": "lots"},
                    {"name": "B", "planned": "1", "actual": "1"},
                ],
            },
            "organisations[0].activity: extra inputs are not permitted (got 'lots')",
        ),
        (
            {
                "budget": "1",
                "organisations": [
                    {"name": "A", "planned": "-1", "actual": "1"},
                    {"name": "B", "planned": "1", "actual": "1"},
                ],
            },
            "organisations[0].planned: expected an amount of money that is not negative (got '-1')",
        ),
        (
            {
                "budget": "1",
                "organisations": [
                    {"name": "A", "planned": "1000000000000.01", "actual": "1"},
                    {"name": "B", "planned": "1", "actual": "1"},
                ],
            },
            "organisations[0].planned: expected an amount no larger than £1,000bn"
            " (got '1000000000000.01')",
        ),
        (
            {
                "budget": "24.69",
                "organisations": [
                    {"name": "A", "planned": "12.345", "actual": "12.34"},
                    {"name": "B", "planned": "12.345", "actual": "12.35"},
                ],
            },
            "organisations[0].planned: 12.345 has a fraction of a penny; expected whole pence"
            " (got '12.345')",
        ),
        (
            {
                "budget": "100.001",
                "organisations": [
                    {"name": "A", "planned": "50", "actual": "50"},
                    {"name": "B", "planned": "50", "actual": "50"},
                ],
            },
            "budget: 100.001 has a fraction of a penny; expected whole pence (got '100.001')",
        ),
    ],
)
def test_a_saved_scenario_that_is_wrong_is_one_clear_error(data: object, message: str) -> None:
    """A saved scenario of the wrong shape is refused with one message saying what is wrong."""
    error = raised(scenario_from_data, data)
    assert str(error) == message


def test_the_largest_amount_is_accepted_in_a_saved_scenario() -> None:
    """£1,000bn exactly is an amount a saved scenario may hold."""
    data = {
        "budget": "1000000000000",
        "organisations": [
            {"name": "A", "planned": "1000000000000", "actual": "1000000000000"},
            {"name": "B", "planned": "0", "actual": "0"},
        ],
    }
    assert scenario_from_data(data).budget == D(10**12)


# --------------------------------------------------------------------------------------------------
# The rules: names, terms, parameters and the arithmetic at its edges


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Block contract", "block"),
        ("blended payment", "blended"),
        ("Aligned payment and incentive", "aligned"),
        ("gain_loss_share", "gain-loss-share"),
        ("Capped", "capped-risk-share"),
    ],
)
def test_a_rule_is_found_by_its_title(text: str, rule: str) -> None:
    """A rule can be asked for by its id, an alias or the title every table shows."""
    assert resolve_rule(text) == rule


def test_an_unknown_rule_lists_the_rules() -> None:
    """An unknown rule is refused on the rules field, listing every rule id."""
    error = raised(resolve_rule, "fair")
    assert str(error) == (
        "rules: unknown rule 'fair' (expected one of: payment-by-results, block, marginal-rate, "
        "blended, aligned, capped-risk-share, pooled-budget, gain-loss-share)"
    )
    assert error.field == "rules"


def test_terms_say_each_rules_parameters() -> None:
    """Each rule's terms say its parameters in a few words, as the tables and the key show."""
    terms = {r.rule: r.terms for r in compute(worked_example())}
    assert terms == {
        "payment-by-results": "",
        "block": "",
        "marginal-rate": "30% above plan",
        "blended": "20% variable",
        "aligned": "75% variable",
        "capped-risk-share": "50% share, cap 2.5% of plan, collar 2.5% of plan",
        "pooled-budget": "pro rata to plans",
        "gain-loss-share": "equal shares",
    }
    assert one_rule("marginal-rate", thresholds={ACUTE: 105 * M}).terms == "30% above threshold"
    capped = one_rule("capped-risk-share", cap=parse_limit("none"), collar=parse_limit("2m"))
    assert capped.terms == "50% share, cap no limit, collar £2m"
    assert one_rule("gain-loss-share", basis="budget").terms == "by budget"


def test_equal_shares_weigh_one_each() -> None:
    """Sharing equally weighs each organisation 1, as the JSON's shared_by says."""
    equal = one_rule("gain-loss-share")
    assert equal.shared_by == {ACUTE: D(1), COMMUNITY: D(1)}
    assert equal.shares == {ACUTE: 5 * M, COMMUNITY: 5 * M}


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        (
            {"thresholds": {ACUTE: D(-1)}},
            "thresholds",
            f"thresholds {ACUTE}: expected an amount of money that is not negative (got -1)",
        ),
        (
            {"contributions": {ACUTE: D(-1)}},
            "contributions",
            f"contributions {ACUTE}: expected an amount of money that is not negative (got -1)",
        ),
        (
            {"collar": {"amount": M, "of_plan": D("0.1")}},
            "collar",
            "collar: give the limit as an amount or as a share of the plan, not both",
        ),
        (
            {"cap": {"amount": M, "of_plan": D("0.1")}},
            "cap",
            "cap: give the limit as an amount or as a share of the plan, not both",
        ),
    ],
)
def test_a_bad_parameter_names_its_field(
    kwargs: dict[str, object], field: str, message: str
) -> None:
    """A parameter that cannot be used is refused with the field it was given for.

    The field is a reference the command line shows as its option (--threshold, --collar...).
    """
    error = raised(make_params, **kwargs)
    assert str(error) == message
    assert error.field == field
    option = OPTION_NAMES[field]
    assert error.render(OPTION_NAMES) == option + message.removeprefix(field)


@pytest.mark.parametrize("field", ["cap", "collar"])
def test_a_limit_error_names_the_cap_or_the_collar(field: str) -> None:
    """A cap or collar above 100% of the plan is refused on its own field."""
    error = raised(parse_limit, "150%", field=field)
    assert str(error).startswith(f"{field}: '150%' is more than 100%")
    assert error.field == field
    assert raised(parse_limit, "150%").field == "cap"


def test_shares_are_never_weighed_by_a_negative_amount() -> None:
    """A split refuses negative weights and weights that are all zero, saying so."""
    error = raised(split_largest_remainder, D(10), [D(-1), D(2)])
    assert str(error) == "shares must be weighed by amounts that are not negative"
    error = raised(split_largest_remainder, D(10), [D(0), D(0)])
    assert str(error) == "cannot share an amount in proportion to weights that are all zero"
    assert str(raised(split_largest_remainder, D(10), [D("NaN"), D(1)])) == (
        "shares must be weighed by amounts that are not negative"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"thresholds": {ACUTE: M, "acute TRUST": 2 * M}},
            "thresholds: 'Acute trust' is given more than once",
        ),
        (
            {"contributions": {COMMUNITY: M, "COMMUNITY SERVICES": M}},
            "contributions: 'Community services' is given more than once",
        ),
        (
            {"split": {COMMUNITY: D("0.5"), "community services": D("0.5")}},
            "split: 'Community services' is given more than once",
        ),
    ],
)
def test_an_organisation_named_twice_in_a_parameter_is_refused(
    kwargs: dict[str, object], message: str
) -> None:
    """Naming an organisation twice (in any case) in one parameter is an error, not a guess."""
    error = raised(compute, worked_example(), params=make_params(**kwargs))
    assert str(error) == message
    assert error.field == message.split(":")[0]


def test_a_pool_or_budget_basis_with_nothing_to_weigh_says_what_to_give() -> None:
    """Zero contributions, or zero plans with the budget basis, are refused with what to give."""
    error = raised(
        compute, worked_example(), params=make_params(contributions={ACUTE: 0, COMMUNITY: 0})
    )
    assert str(error) == (
        "contributions: every contribution is zero (they default to the plans), so the pooled "
        "budget cannot be shared in proportion to them; give contributions NAME=AMOUNT"
    )
    assert error.field == "contributions"
    assert error.render(OPTION_NAMES).endswith("give --contribution NAME=AMOUNT")
    zero_plans = build_scenario([(ACUTE, D(0)), (COMMUNITY, D(0))], budget=M)
    error = raised(compute, zero_plans, ["gain-loss-share"], make_params(basis="budget"))
    assert str(error) == "basis budget: every plan is zero, so there is nothing to share by"
    assert error.field == "basis"
    assert error.render(OPTION_NAMES).startswith("--basis budget: ")
