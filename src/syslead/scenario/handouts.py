"""Markdown for the fixed-budget scenario: a participant brief and a facilitator key.

The brief sets out the situation and where each organisation stands, but no rule's figures: the
group is meant to argue about what is fair before it sees who wins. The key has every figure, who
gains and who loses, and what to watch for in the room. Organisation names come from the command
line, so they are always escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from syslead.errors import ScenarioError
from syslead.markup import bullets, md
from syslead.scenario.model import Organisation, OrgKind, Scenario
from syslead.scenario.money import format_money, format_percent, format_short, format_signed
from syslead.scenario.rules import RULE_IDS, RULES, RuleId, RuleParams, RuleResult, resolve_rule

# --------------------------------------------------------------------------------------------------
# Small helpers


def _percent_of(part: Decimal, whole: Decimal) -> str:
    """``part`` as a percentage of ``whole`` to one decimal place, such as '10%' or '7.1%'."""
    if whole == 0:
        return "n/a"
    value = (abs(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value.normalize():f}%"


def _number(n: int) -> str:
    """Small numbers in words, as British prose prefers: 'five', but '14'."""
    words = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
    ]
    return words[n] if 0 <= n < len(words) else str(n)


def _signed_short(amount: Decimal) -> str:
    """'+£10m' or '-£2.5m'."""
    return ("+" if amount > 0 else "") + format_short(amount)


def _count(value: Decimal) -> str:
    """An activity count: '5,000', or 'about 3,333' when the money does not buy whole units."""
    whole = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    text = f"{whole:,.0f}"
    return text if whole == value else f"about {text}"


def _names(orgs: Sequence[Organisation]) -> str:
    """'A', 'A and B', 'A, B and C', escaped."""
    names = [md(o.name) for o in orgs]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _status(org: Organisation) -> str:
    if org.deviation > 0:
        return "over"
    if org.deviation < 0:
        return "under"
    return "on"


def _activity_note(org: Organisation) -> str:
    """'(55,000 spells against a plan of 50,000)' when the plan is an activity count."""
    if org.planned_activity is None or org.actual_activity is None:
        return ""
    unit = md(org.activity_unit)
    return f" ({org.actual_activity:,} {unit} against a plan of {org.planned_activity:,})"


# --------------------------------------------------------------------------------------------------
# What each rule means, in words (no figures)


def rule_description(rule: RuleId, params: RuleParams) -> str:
    """How a rule works, in plain words, with its parameters but without any payment figures."""
    if rule == "payment-by-results":
        return (
            "Each organisation is paid for the work it actually did, at the agreed prices. Any "
            "difference from the plans lands on the system budget as a whole."
        )
    if rule == "block":
        return (
            "Each organisation receives the sum it planned, whatever it ends up doing. Extra work "
            "is the provider's own cost; work not done is the provider's gain."
        )
    if rule == "marginal-rate":
        m = params.marginal
        threshold = "an agreed threshold" if m.thresholds else "the organisation's plan"
        return (
            f"Work up to {threshold} is paid in full; work beyond it is paid at only "
            f"{format_percent(m.rate)} of its value. Below the threshold an organisation is paid "
            f"for what it did. Modelled on {RULES[rule].precedent}."
        )
    if rule in ("blended", "aligned"):
        share = params.blended.share if rule == "blended" else params.aligned.share
        return (
            f"Each organisation receives its planned sum plus {format_percent(share)} of the "
            "difference between what it did and what it planned, whether that difference is up "
            f"or down. Modelled on {RULES[rule].precedent}."
        )
    if rule == "capped-risk-share":
        c = params.capped
        return (
            f"Each organisation receives its planned sum plus {format_percent(c.share)} of the "
            f"difference, but never more above its plan than the cap ({md(c.cap.describe())}) "
            f"nor less below it than the collar ({md(c.collar.describe())})."
        )
    if rule == "pooled-budget":
        basis = (
            "the contributions agreed for the pool"
            if params.pooled.contributions
            else "what each put into the pool (its planned budget unless agreed otherwise)"
        )
        return (
            "Everyone is paid for the work done. If that comes to more than the budget, the "
            f"overspend is taken back from all partners in proportion to {basis}; an underspend "
            "is handed back the same way. Modelled on a Section 75 pooled fund."
        )
    g = params.gain_loss
    if g.basis == "equal":
        how = "in equal shares"
    elif g.basis == "budget":
        how = "in proportion to each partner's planned budget"
    else:
        parts = [f"{md(name)} {format_percent(share)}" for name, share in g.split.items()]
        how = "by the agreed split (" + ", ".join(parts) + "; anyone not named carries none)"
    return (
        "Everyone is paid for the work done; any overspend or underspend is then divided among "
        f"the partners {how}."
    )


# --------------------------------------------------------------------------------------------------
# Where each organisation stands, in its own voice


_POSITIONS: dict[tuple[OrgKind, str], str] = {
    ("acute", "over"): (
        "The patients came and we treated them; we cannot shut the front door. If the extra work "
        "goes unpaid we cut something else or miss our financial plan, and the regulator will "
        "ask us why."
    ),
    ("acute", "on"): (
        "We held to plan, and it was not easy: waiting lists paid for it. We should not be asked "
        "to carry the cost of choices made elsewhere."
    ),
    ("acute", "under"): (
        "Fewer patients came than we planned for, but our staff, beds and theatres cost the same. "
        "Clawing money back now only makes next year harder."
    ),
    ("community", "over"): (
        "We took on more people so that they did not end up in hospital. That work saves the "
        "system money, yet on paper it looks like an overspend."
    ),
    ("community", "on"): (
        "We delivered exactly what we agreed. Why should our budget shrink to pay for activity we "
        "neither caused nor controlled? Some of that demand could have come to us sooner, had we "
        "been funded for it."
    ),
    ("community", "under"): (
        "We could not recruit to plan. The money is already earmarked for the posts we are still "
        "trying to fill."
    ),
    ("mental-health", "over"): (
        "Need for our services rose. After years of promises about parity, mental health will not "
        "be the first budget to be trimmed."
    ),
    ("mental-health", "on"): (
        "Whenever hospital activity rises, mental health investment is what slips. Parity of "
        "esteem has to mean something in a year like this one."
    ),
    ("mental-health", "under"): (
        "Vacancies held our activity below plan. The money is needed to fill them, not to fill "
        "someone else's gap."
    ),
    ("council", "over"): (
        "Demand for care grew and we have a legal duty to meet assessed need. Our budget is set in "
        "public by elected members, and it is already stretched."
    ),
    ("council", "on"): (
        "Our budget is set by elected members and is already under strain. None of us can commit "
        "council money to an NHS overspend without going back to members first."
    ),
    ("council", "under"): (
        "Any underspend is for elected members to decide on; it does not simply pass to the NHS."
    ),
    ("primary-care", "over"): (
        "Practices saw more patients than planned. Much of general practice is paid per head, so "
        "extra work here usually goes unpaid already."
    ),
    ("primary-care", "on"): (
        "We are small beside the trusts. A share that is a rounding error for a hospital could "
        "close a service for us."
    ),
    ("primary-care", "under"): (
        "We did less than planned because we could not find the clinicians. Take the money away "
        "and we never will."
    ),
    ("voluntary", "over"): (
        "People came to us and we helped them, beyond what we are paid for. We do not have "
        "reserves to absorb that for long."
    ),
    ("voluntary", "on"): (
        "Our contracts are small and our reserves thinner still. We cannot carry a risk we had no "
        "part in creating."
    ),
    ("voluntary", "under"): (
        "We fell short of plan because volunteers and staff were hard to keep. Cutting our funding "
        "now would make that worse."
    ),
    ("commissioner", "over"): (
        "We spent more than planned on the services we run directly. The budget is fixed, so the "
        "question is who carries that."
    ),
    ("commissioner", "on"): (
        "We hold the budget, and it is fixed. Whichever rule we choose, the total cannot move; the "
        "only question is who carries the difference."
    ),
    ("commissioner", "under"): (
        "We spent less than planned; that headroom is the only flexibility the system has left."
    ),
    ("other", "over"): (
        "We did more because the need was there. It would be strange to be penalised for meeting "
        "it."
    ),
    ("other", "on"): (
        "We kept to our plan. Before our budget pays for anyone else's activity, we want to "
        "understand why it happened and whether it will happen again."
    ),
    ("other", "under"): (
        "We did less than planned and would like to keep what we can to recover next year."
    ),
}


def position(org: Organisation) -> str:
    """What an organisation is likely to say, in its own voice (no rule figures)."""
    return _POSITIONS[(org.resolved_kind, _status(org))]


# --------------------------------------------------------------------------------------------------
# The participant brief


def _situation(scenario: Scenario) -> list[str]:
    orgs = scenario.organisations
    budget = scenario.budget
    planned = scenario.planned_total
    if planned == budget:
        fit = "which is exactly the budget"
    elif planned > budget:
        fit = f"{format_short(planned - budget)} more than the budget"
    else:
        fit = f"{format_short(budget - planned)} less than the budget"
    lines = [
        f"This year the local health and care system has a fixed budget of "
        f"{format_short(budget)}. It cannot grow: whatever one partner receives beyond its plan, "
        "another goes without, or the system ends the year overspent.",
        "",
        f"{_number(len(orgs)).capitalize()} organisations agreed plans that add up to "
        f"{format_short(planned)}, {fit}.",
        "",
    ]
    moved = [o for o in orgs if o.deviation != 0]
    steady = [o for o in orgs if o.deviation == 0]
    if moved:
        lines += ["Part way through the year the picture is clear:", ""]
    for o in moved:
        direction = "more" if o.deviation > 0 else "less"
        pct = f"({_percent_of(o.deviation, o.planned)}) " if o.planned else ""
        lines.append(
            f"- {md(o.name)} will deliver {format_short(o.actual)} of work against a plan of "
            f"{format_short(o.planned)}{_activity_note(o)}: {format_short(abs(o.deviation))} "
            f"{pct}{direction} than planned."
        )
    if steady and moved:
        verb = "is" if len(steady) == 1 else "are"
        lines.append(f"- {_names(steady)} {verb} on plan.")
    if not moved:
        lines.append("Every organisation is on plan, for now.")
    lines.append("")
    return lines


def participant_brief_md(
    scenario: Scenario,
    params: RuleParams | None = None,
    rules: Sequence[str] | None = None,
) -> str:
    """The situation, each organisation's position and the rules on the table; no rule's figures."""
    params = params or RuleParams()
    chosen = _chosen(rules)
    table = [
        "| Organisation | Plan | Expected out-turn | Difference |",
        "|---|---:|---:|---:|",
    ]
    for o in scenario.organisations:
        table.append(
            f"| {md(o.name)} | {format_short(o.planned)} | {format_short(o.actual)} | "
            f"{_signed_short(o.deviation) if o.deviation else 'on plan'} |"
        )
    parts = [
        "# A fixed budget, and one partner over plan",
        "",
        "*Participant brief.*",
        "",
        "## The situation",
        "",
        *_situation(scenario),
        "## Who planned what",
        "",
        *table,
        "",
        "## Where each organisation stands",
        "",
        *[f"- **{md(o.name)}**: \u2018{position(o)}\u2019" for o in scenario.organisations],
        "",
        "## The rules on the table",
        "",
        "Each rule is a real way of paying for care. None is neutral: each moves the difference "
        "from plan onto somebody.",
        "",
        *[f"- **{RULES[r].title}.** {rule_description(r, params)}" for r in chosen],
        "",
        "## Your task",
        "",
        "Agree, as a group, how this budget should be shared. Choose one of these rules, adapt one, "
        "or make your own, and be ready to explain it to your own board, to elected members and to "
        "the people who use our services. The figures under every rule have been worked out "
        "already; spend the time on what is fair and what is wise for the system, not on arithmetic.",
        "",
        "## Questions to hold",
        "",
        bullets(
            [
                "Which rule would you defend in front of your own board, and which in front of "
                "the people who use our services?",
                "What would you need from the others to accept a rule that costs your organisation "
                "money?",
                "If next year a different partner were the one off plan, would you still choose "
                "the same rule?",
            ]
        ),
        "",
    ]
    return "\n".join(parts)


def _chosen(rules: Sequence[str] | None) -> list[RuleId]:
    if not rules:
        return list(RULE_IDS)
    wanted = {resolve_rule(r) for r in rules}
    return [r for r in RULE_IDS if r in wanted]


# --------------------------------------------------------------------------------------------------
# The facilitator key


def _figures_table(scenario: Scenario, results: Sequence[RuleResult]) -> list[str]:
    names = scenario.names
    head = ["Rule", "Terms", *[md(n) for n in names], "Total paid", "Gap"]
    lines = ["| " + " | ".join(head) + " |", "|---|---|" + "---:|" * (len(names) + 2)]
    for r in results:
        cells = [
            md(r.title),
            md(r.terms) or "-",
            *[format_money(r.payments[n]) for n in names],
            format_money(r.total),
            format_signed(r.gap),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _activity_cell(o: Organisation) -> str:
    """'50,000 planned, 55,000 delivered spells at £2,000', or '-' without activity counts."""
    if o.unit_price is None or o.planned_activity is None:
        return "-"
    done = o.activity_for(o.actual)
    delivered = _count(done) if done is not None else "?"
    return (
        f"{o.planned_activity:,} {md(o.activity_unit)} planned, {delivered} delivered, "
        f"at {format_money(o.unit_price)} each"
    )


def _situation_table(scenario: Scenario) -> list[str]:
    activity = any(o.unit_price is not None for o in scenario.organisations)
    head = "| Organisation | Plan | Actual | Difference |" + (" Activity |" if activity else "")
    rule = "|---|---:|---:|---:|" + ("---|" if activity else "")
    lines = [head, rule]
    for o in scenario.organisations:
        row = (
            f"| {md(o.name)} | {format_money(o.planned)} | {format_money(o.actual)} | "
            f"{format_signed(o.deviation)} |"
        )
        if activity:
            row += f" {_activity_cell(o)} |"
        lines.append(row)
    lines.append(
        f"| **System** | {format_money(scenario.planned_total)} | "
        f"{format_money(scenario.actual_total)} | "
        f"{format_signed(scenario.actual_total - scenario.planned_total)} |"
        + (" |" if activity else "")
    )
    return lines


def _sharing_section(scenario: Scenario, r: RuleResult) -> list[str]:
    if r.shares is None:
        raise ScenarioError(f"{r.title} shares no gap, so it has no sharing table")
    names = scenario.names
    lines = [
        f"### {md(r.title)} ({md(r.terms)})",
        "",
        "| Organisation | Paid for the work | Share of the gap | Net | Against plan |",
        "|---|---:|---:|---:|---:|",
    ]
    for n in names:
        lines.append(
            f"| {md(n)} | {format_money(r.payments[n])} | {format_money(r.shares[n])} | "
            f"{format_money(r.net[n])} | {format_signed(r.versus_plan[n])} |"
        )
    lines.append("")
    over = [o for o in scenario.organisations if o.deviation > 0]
    carriers = [o for o in scenario.organisations if o.deviation <= 0 and r.shares[o.name] > 0]
    if r.gap > 0 and over and carriers:
        carried = "; ".join(
            f"{md(o.name)} carries {format_money(r.shares[o.name])}, "
            f"{_percent_of(r.shares[o.name], o.planned)} of its plan"
            for o in carriers
        )
        lines.append(
            f"Partners that kept to plan or fell short of it carry part of an overspend they did "
            f"not create ({carried}). They are funding the overperformance of {_names(over)}: "
            "that is the conflict to rehearse."
        )
        lines.append("")
    elif r.gap < 0:
        lines.append(
            f"The system is {format_money(-r.gap)} under budget, and the underspend is handed back "
            "by the same shares: notice who benefits from work that was not done."
        )
        lines.append("")
    return lines


def _who_gains(scenario: Scenario, r: RuleResult) -> list[str]:
    orgs = scenario.organisations
    ahead = [o for o in orgs if r.versus_plan[o.name] > 0]
    behind = [o for o in orgs if r.versus_plan[o.name] < 0]
    unpaid = [o for o in orgs if r.unfunded[o.name] > 0]
    overpaid = [o for o in orgs if r.unfunded[o.name] < 0]

    def listed(group: list[Organisation], values: dict[str, Decimal]) -> str:
        if not group:
            return "nobody"
        return ", ".join(f"{md(o.name)} ({format_signed(values[o.name])})" for o in group)

    items = [
        f"Gains against its plan: {listed(ahead, r.versus_plan)}.",
        f"Loses against its plan: {listed(behind, r.versus_plan)}.",
    ]
    if unpaid:
        notes = []
        for o in unpaid:
            note = f"{md(o.name)} {format_money(r.unfunded[o.name])}"
            units = o.activity_for(r.unfunded[o.name])
            if units is not None:
                note += f", {_count(units)} {md(o.activity_unit)} unfunded"
            notes.append(note)
        items.append(f"Work done but not paid for: {'; '.join(notes)}.")
    else:
        items.append("Work done but not paid for: none.")
    if overpaid:
        items.append(
            "Paid for work not done: "
            + "; ".join(f"{md(o.name)} {format_money(-r.unfunded[o.name])}" for o in overpaid)
            + "."
        )
    if r.sharing:
        items.append(
            f"The system: paid {format_money(r.total)} for the work, "
            f"{format_signed(r.gap)} against the budget, then shared so that the partners' net "
            "positions add up to the budget exactly."
        )
    elif r.gap > 0:
        items.append(
            f"The system: {format_money(r.gap)} over budget, with nobody yet named to find it "
            "(in practice the commissioner's reserves, or next year's plans)."
        )
    elif r.gap < 0:
        items.append(f"The system: {format_money(-r.gap)} under budget.")
    else:
        items.append("The system: exactly on budget.")
    return [f"### {md(r.title)}" + (f" ({md(r.terms)})" if r.terms else ""), "", *_plain(items), ""]


def _plain(items: Sequence[str]) -> list[str]:
    """Bullets whose text is already Markdown (names escaped where they were inserted)."""
    return [f"- {item}" for item in items]


DEBRIEF_QUESTIONS: tuple[str, ...] = (
    "Before you saw any figures, which rule seemed fairest? Did the figures change your view, "
    "and why?",
    "Whose interest were you defending: your organisation's, the system's, or the people who use "
    "its services? What did that feel like?",
    "Which rule gives the system the best chance of managing demand next year, rather than only "
    "paying for it this year?",
    "Under the sharing rules, partners that kept to plan help pay for one that did not. What would "
    "make that feel fair, and what would make it feel like a penalty for discipline?",
    "What could we agree now, before the next overperformance, so that this conversation does not "
    "have to happen in a crisis?",
    "What will you say to your own board, governing body or elected members about what happened "
    "here?",
    "What would it take for every partner to leave able to say the system did well?",
)

ENTRENCHMENT_SIGNS: tuple[str, ...] = (
    "Someone repeating the same point, louder or in new words, without taking up the reply.",
    "People who seem stuck: positions stated as fixed ('my board will never accept that') rather "
    "than as interests that could be met another way.",
    "Arguments about the arithmetic. The figures are worked out and are not in dispute; challenging "
    "them is often a way of avoiding the principle.",
    "Camps forming by sector (the NHS against the council, large against small) rather than around "
    "ideas.",
    "The smaller organisations going quiet, or deferring to the largest budget in the room.",
    "Every rule rejected and none proposed.",
)

ENTRENCHMENT_MOVES: tuple[str, ...] = (
    "Ask someone who is stuck to make the strongest case they can for another organisation's "
    "position, then ask its owner whether they would put it that way.",
    "Ask each person what they would accept if they sat in another partner's seat.",
    "Bring the group back to the people the system serves: which rule would they choose for us?",
)


def _power(scenario: Scenario, results: Sequence[RuleResult]) -> list[str]:
    kinds = {o.resolved_kind for o in scenario.organisations}
    items: list[str] = []
    acute = [o for o in scenario.organisations if o.resolved_kind == "acute"]
    if acute:
        items.append(
            f"{_names(acute)}: an acute trust often has the largest budget in the room and is "
            "commonly seen as speaking for the national bodies and their targets. Say this "
            "neutrally, before the debate, and ask whether others feel it."
        )
    council = [o for o in scenario.organisations if o.resolved_kind == "council"]
    if council:
        items.append(
            f"{_names(council)}: the council cannot commit its money until elected members have "
            "been consulted, so in effect it holds a veto over any deal made in the room. Treat it "
            "as democratic accountability rather than obstruction, and ask what members would need "
            "to see."
        )
    largest = max(scenario.organisations, key=lambda o: o.planned)
    smallest = min(scenario.organisations, key=lambda o: o.planned)
    if largest.planned > smallest.planned:
        items.append(_size_note(largest, smallest, results))
    items.append(
        "Who holds the pen: whoever drafts the rule or chairs the discussion frames the default. "
        "Notice who proposes and who only reacts."
    )
    if any(o.deviation > 0 for o in scenario.organisations) and len(kinds) > 1:
        items.append(
            "The overperformer can point to patients or people helped; the partners on plan can "
            "point only to discipline kept. Both claims are legitimate, and the room may weigh "
            "them very differently."
        )
    return _plain(items)


def _size_note(largest: Organisation, smallest: Organisation, results: Sequence[RuleResult]) -> str:
    size = (
        f"Size: {md(largest.name)} plans to spend {format_short(largest.planned)}, "
        f"{md(smallest.name)} {format_short(smallest.planned)}. "
        "A sum that is small to the largest partner can be a large part of a small one's budget"
    )
    pooled = next((r for r in results if r.sharing and r.shares), None)
    if pooled is not None and pooled.shares is not None and smallest.planned > 0:
        share = pooled.shares[smallest.name]
        if share > 0:
            size += (
                f": under the {pooled.title.lower()} {md(smallest.name)} would carry "
                f"{_percent_of(share, smallest.planned)} of its plan"
            )
    return size + "."


def facilitator_key_md(
    scenario: Scenario,
    results: Sequence[RuleResult],
    params: RuleParams | None = None,
) -> str:
    """Every figure, who gains and who loses, debrief questions, power and what to watch for."""
    params = params or RuleParams()
    sharing = [r for r in results if r.sharing]
    budget_note = (
        "the sum of the plans"
        if scenario.budget == scenario.planned_total
        else f"the plans add up to {format_money(scenario.planned_total)}"
    )
    parts = [
        "# A fixed budget, and one partner over plan: facilitator key",
        "",
        "*For the facilitator only. Hand it out, if at all, after the debrief.*",
        "",
        "## The situation in figures",
        "",
        f"System budget: **{format_money(scenario.budget)}** ({budget_note})."
        + (f" Generated from seed {scenario.seed}." if scenario.seed is not None else ""),
        "",
        *_situation_table(scenario),
        "",
        "## What each rule pays",
        "",
        *_figures_table(scenario, results),
        "",
        "The gap is the total paid minus the budget: a positive gap is an overspend that someone "
        "must find, a negative one is money left unspent. The sharing rules pay for the work done "
        "and then divide the gap among the partners, as set out below.",
        "",
    ]
    if sharing:
        parts += ["## Who carries the overspend under the sharing rules", ""]
        for r in sharing:
            parts += _sharing_section(scenario, r)
    parts += ["## Who gains and who loses", ""]
    for r in results:
        parts += _who_gains(scenario, r)
    parts += [
        "## How each rule works",
        "",
        *[
            f"- **{md(r.title)}.** {rule_description(r.rule, params)}"
            + (f" Terms here: {md(r.terms)}." if r.terms else "")
            for r in results
        ],
        "",
        "## Debrief questions",
        "",
        bullets(list(DEBRIEF_QUESTIONS)),
        "",
        "## Power dynamics to name",
        "",
        "Name these at the outset, before anyone argues for a rule; unspoken, they shape who feels "
        "able to say what.",
        "",
        *_power(scenario, results),
        "",
        "## Signs of entrenchment to watch for",
        "",
        bullets(list(ENTRENCHMENT_SIGNS)),
        "",
        "When you see them:",
        "",
        bullets(list(ENTRENCHMENT_MOVES)),
        "",
        "## If nobody disagrees",
        "",
        "Quick, polite agreement is a warning, not a success: the absence of conflict can be more "
        "worrying than its presence. It may mean people are protecting relationships, expect to "
        "settle the matter somewhere else, or do not yet believe the money is real. Ask who would "
        "find the chosen rule hardest to explain back home, and who has not yet spoken.",
        "",
    ]
    return "\n".join(parts)
