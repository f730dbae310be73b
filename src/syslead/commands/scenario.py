"""``syslead scenario``: conflict exercises with real numbers, and the conflict sheets."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from syslead.commands._common import (
    Audience,
    ForceOpt,
    OutputOpt,
    TemplatesOpt,
    check_output,
    command_app,
    console,
    pick_format,
    write_or_print,
    write_pack,
)

app = command_app(
    "Conflict exercises with real numbers: the fixed budget, power and dialogue sheets.\n\n"
    "Example: syslead scenario fixed-budget --example"
)


class ScenarioFormat(str, Enum):
    """Output formats for the fixed-budget scenario."""

    table = "table"
    md = "md"
    html = "html"
    json = "json"


class SheetFormat(str, Enum):
    """Output formats for printable sheets."""

    md = "md"
    html = "html"


@app.command("fixed-budget")
def scenario_fixed_budget(
    org: Annotated[
        list[str] | None,
        typer.Option(
            "--org",
            metavar="NAME",
            help="NAME=PLANNED, such as 'Acute trust=100m' (repeatable). With --seed, a name alone will do.",
        ),
    ] = None,
    actual: Annotated[
        list[str] | None,
        typer.Option(
            "--actual",
            metavar="NAME=VALUE",
            help="NAME=VALUE: what an organisation actually delivered.",
        ),
    ] = None,
    overperformer: Annotated[
        str | None,
        typer.Option("--overperformer", metavar="NAME", help="The organisation over plan."),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by", metavar="CHANGE", help="How far over plan: 10%, 2.5m (a minus sign for under)."
        ),
    ] = None,
    budget: Annotated[
        str | None,
        typer.Option(
            "--budget", metavar="AMOUNT", help="The system budget (default: the sum of the plans)."
        ),
    ] = None,
    rule: Annotated[
        list[str] | None,
        typer.Option(
            "--rule",
            metavar="RULE",
            help="A rule to show (repeatable; default all): payment-by-results, block, marginal-rate, blended, aligned, capped-risk-share, pooled-budget, gain-loss-share.",
        ),
    ] = None,
    marginal_rate: Annotated[
        str | None,
        typer.Option(
            "--marginal-rate",
            metavar="SHARE",
            help="Marginal rule: the share paid above the threshold, as 30% or 0.3 (default 30%).",
        ),
    ] = None,
    threshold: Annotated[
        list[str] | None,
        typer.Option(
            "--threshold",
            metavar="NAME=AMOUNT",
            help="Marginal rule: NAME=AMOUNT (default: the plan).",
        ),
    ] = None,
    blended_share: Annotated[
        str | None,
        typer.Option(
            "--blended-share",
            metavar="SHARE",
            help="Blended rule: the variable share, as 20% or 0.2 (default 20%).",
        ),
    ] = None,
    aligned_share: Annotated[
        str | None,
        typer.Option(
            "--aligned-share",
            metavar="SHARE",
            help="Aligned rule: the variable share, as 75% or 0.75 (default 75%).",
        ),
    ] = None,
    risk_share: Annotated[
        str | None,
        typer.Option(
            "--risk-share",
            metavar="SHARE",
            help="Capped rule: the share of the difference, as 50% or 0.5 (default 50%).",
        ),
    ] = None,
    cap: Annotated[
        str | None,
        typer.Option(
            "--cap",
            metavar="LIMIT",
            help="Capped rule: the most paid above plan (2.5% or 2m; 'none').",
        ),
    ] = None,
    collar: Annotated[
        str | None,
        typer.Option("--collar", metavar="LIMIT", help="Capped rule: the most taken below plan."),
    ] = None,
    contribution: Annotated[
        list[str] | None,
        typer.Option(
            "--contribution",
            metavar="NAME=AMOUNT",
            help="Pooled rule: NAME=AMOUNT put into the pool (default: the plan).",
        ),
    ] = None,
    basis: Annotated[
        str | None,
        typer.Option("--basis", metavar="BASIS", help="Gain/loss rule: equal, budget or split."),
    ] = None,
    split: Annotated[
        list[str] | None,
        typer.Option(
            "--split",
            metavar="NAME=PERCENT",
            help="Gain/loss rule: NAME=PERCENT (the split must total 100%).",
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed",
            metavar="N",
            help="Make up a plausible scenario from the --org names (or a default cast).",
        ),
    ] = None,
    example: Annotated[
        bool,
        typer.Option(
            "--example", help="The worked example: a £100m acute trust 5,000 spells over plan."
        ),
    ] = False,
    audience: Annotated[
        Audience,
        typer.Option(
            "--audience", help="For md and html: facilitator (the key) or participant (the brief)."
        ),
    ] = Audience.facilitator,
    to: Annotated[
        ScenarioFormat | None,
        typer.Option("--to", help="table (the default), md, html or json; or from -o's suffix."),
    ] = None,
    output: OutputOpt = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out-dir",
            help="Write the brief and the key (Markdown and HTML) and the figures (JSON) here.",
            metavar="DIR",
        ),
    ] = None,
    force: ForceOpt = False,
    templates: TemplatesOpt = None,
) -> None:
    """The fixed-budget case: one organisation overperforms; who pays? Figures under every rule.

    The participant brief sets out the situation without answers; the facilitator key gives every
    figure, who gains and who loses, the power to name and what to watch for.

    Example: syslead scenario fixed-budget --org "Acute trust=100m" --org "Community services=40m" --overperformer "Acute trust" --by 10% --to md
    """
    from syslead.errors import SysleadError
    from syslead.scenario.jsondata import to_json_data
    from syslead.scenario.model import build_scenario, generate, worked_example
    from syslead.scenario.money import (
        parse_amount,
        parse_change,
        parse_org,
        parse_org_or_name,
        parse_percent,
        parse_share_pair,
    )
    from syslead.scenario.rules import compute, make_params, parse_limit

    check_output(output, force)
    if out_dir is not None and (output is not None or to is not None):
        raise typer.BadParameter(
            "writes the brief, the key and the figures; give it without -o and --to",
            param_hint="'--out-dir'",
        )
    to = pick_format(to, output, ScenarioFormat, ScenarioFormat.table)

    def pairs(values: list[str] | None, field: str) -> dict[str, Any]:
        return dict(parse_org(v, field=field) for v in values or [])

    if example:
        if org or seed is not None:
            raise SysleadError("--example is the worked example: give it without --org or --seed")
        scenario = worked_example()
    elif seed is not None or not org:
        if actual or overperformer or by:
            raise SysleadError(
                "a generated scenario (--seed, or no --org) chooses its own out-turns; drop --actual, --overperformer and --by"
            )
        named = [parse_org_or_name(text) for text in org or []]
        scenario = generate(
            [name for name, _ in named],
            seed if seed is not None else 1,
            planned={name: amount for name, amount in named if amount is not None},
        )
        if budget is not None:
            from syslead.scenario.model import make_scenario

            scenario = make_scenario(
                scenario.organisations,
                budget=parse_amount(budget, field="budget"),
                seed=scenario.seed,
            )
    else:
        scenario = build_scenario(
            [parse_org(text) for text in org],
            actual=[parse_org(text, field="actual") for text in actual or []],
            overperformer=overperformer,
            by=parse_change(by) if by is not None else None,
            budget=parse_amount(budget, field="budget") if budget is not None else None,
        )
    params = make_params(
        marginal_rate=parse_percent(marginal_rate, field="marginal_rate")
        if marginal_rate
        else None,
        thresholds=pairs(threshold, "thresholds"),
        blended_share=parse_percent(blended_share, field="blended_share")
        if blended_share
        else None,
        aligned_share=parse_percent(aligned_share, field="aligned_share")
        if aligned_share
        else None,
        risk_share=parse_percent(risk_share, field="risk_share") if risk_share else None,
        cap=parse_limit(cap, field="cap") if cap else None,
        collar=parse_limit(collar, field="collar") if collar else None,
        contributions=pairs(contribution, "contributions"),
        basis=basis,
        split=dict(parse_share_pair(v) for v in split or []),
    )
    results = compute(scenario, rule or None, params)
    if out_dir is not None:
        import json

        from syslead.documents.pack import budget_documents
        from syslead.documents.templating import environments

        files: dict[str, str | bytes] = dict(
            budget_documents(scenario, results, environments(templates), params, rule or None)
        )
        files["budget.json"] = (
            json.dumps(to_json_data(scenario, results), indent=2, ensure_ascii=False) + "\n"
        )
        write_pack(files, out_dir, force)
        return
    if to is ScenarioFormat.json:
        import json

        write_or_print(
            json.dumps(to_json_data(scenario, results), indent=2, ensure_ascii=False) + "\n",
            output,
            force,
        )
        return
    if to is ScenarioFormat.table:
        from syslead.scenario.view import scenario_table

        if output is not None:
            raise SysleadError("a table is for the terminal; use --to md, html or json with -o")
        console().print(scenario_table(scenario, results))
        return
    from syslead.scenario.handouts import facilitator_key_md, participant_brief_md

    if audience is Audience.facilitator:
        text = facilitator_key_md(scenario, results, params)
        title = "Fixed budget: facilitator key"
    else:
        text = participant_brief_md(scenario, params, rule or None)
        title = "Fixed budget: participant brief"
    if to is ScenarioFormat.html:
        from syslead.documents.pages import html_page
        from syslead.documents.templating import environments

        text = html_page(title, text, environments(templates), kind="scenario")
    write_or_print(text, output, force)


def _sheet(
    template: str,
    title: str,
    context: dict[str, Any],
    to: SheetFormat | None,
    output: Path | None,
    templates: Path | None,
) -> str:
    from syslead.documents.pages import html_page
    from syslead.documents.templating import environments, render_template

    to = pick_format(to, output, SheetFormat, SheetFormat.md)
    env = environments(templates)
    text = render_template(env.markdown, template, context)
    return html_page(title, text, env, kind="sheet") if to is SheetFormat.html else text


@app.command("power-sheet")
def scenario_power_sheet(
    org: Annotated[
        list[str] | None,
        typer.Option("--org", metavar="NAME", help="An organisation in the group (repeatable)."),
    ] = None,
    to: Annotated[
        SheetFormat | None,
        typer.Option("--to", help="md (the default) or html; or from -o's suffix."),
    ] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    templates: TemplatesOpt = None,
) -> None:
    """A prompt sheet for naming the power in the room: who is seen to lead, who holds a veto, who answers to whom.

    Example: syslead scenario power-sheet --org "Northshire Council" --org "Northshire Hospitals" --to html -o power.html
    """
    check_output(output, force)
    text = _sheet(
        "power-sheet.md.j2",
        "Naming the power in the room",
        {"organisations": org or []},
        to,
        output,
        templates,
    )
    write_or_print(text, output, force)


@app.command("observation-sheet")
def scenario_observation_sheet(
    name: Annotated[
        list[str] | None,
        typer.Option("--name", metavar="NAME", help="A person to observe (repeatable)."),
    ] = None,
    participants: Annotated[
        int,
        typer.Option(
            "--participants", metavar="N", help="Blank rows when no --name is given (2-200)."
        ),
    ] = 12,
    to: Annotated[
        SheetFormat | None,
        typer.Option("--to", help="md (the default) or html; or from -o's suffix."),
    ] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    templates: TemplatesOpt = None,
) -> None:
    """A dialogue-pattern observation sheet: move, follow, oppose and bystand tallies, and stuck, entrenched or repeating.

    Example: syslead scenario observation-sheet --participants 14 --to html -o observer.html
    """
    from syslead.errors import SysleadError

    if not 2 <= participants <= 200:
        raise SysleadError("--participants: expected a whole number from 2 to 200")
    check_output(output, force)
    names = name or [""] * participants
    text = _sheet(
        "observation-sheet.md.j2",
        "Observing the conversation",
        {"names": names},
        to,
        output,
        templates,
    )
    write_or_print(text, output, force)
