"""``syslead scenario``: conflict exercises with real numbers, and the conflict sheets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from syslead.commands._common import (
    Audience,
    DocumentFormat,
    FiguresFormat,
    ForceOpt,
    OutputOpt,
    Paper,
    PaperOpt,
    TemplatesOpt,
    check_file_for,
    check_output,
    command_app,
    console,
    pick_format,
    write_or_print,
    write_pack,
)

if TYPE_CHECKING:
    from decimal import Decimal

    from syslead.scenario.model import Scenario
    from syslead.scenario.rules import Limit, RuleParams, RuleResult

app = command_app(
    "Conflict exercises with real numbers: the fixed budget, power and dialogue sheets.\n\n"
    "Example: syslead scenario fixed-budget --example"
)


ScenarioFormat = FiguresFormat
SheetFormat = DocumentFormat


@dataclass(frozen=True)
class FixedBudgetOptions:
    """Every option of ``scenario fixed-budget`` as typed, in one place, and what they ask for.

    The fields are named as the scenario's core names them (``organisations``, ``risk_share``...),
    so an error the core raises about a field is shown under the option that set it
    (see ``OPTION_NAMES``). Repeatable options are tuples, empty when not given.
    """

    organisations: tuple[str, ...] = ()
    actual: tuple[str, ...] = ()
    overperformer: str | None = None
    by: str | None = None
    budget: str | None = None
    rules: tuple[str, ...] = ()
    marginal_rate: str | None = None
    thresholds: tuple[str, ...] = ()
    blended_share: str | None = None
    aligned_share: str | None = None
    risk_share: str | None = None
    cap: str | None = None
    collar: str | None = None
    contributions: tuple[str, ...] = ()
    basis: str | None = None
    split: tuple[str, ...] = ()
    seed: int | None = None
    example: bool = False
    audience: Audience = Audience.facilitator
    to: ScenarioFormat | None = None
    output: Path | None = None
    out_dir: Path | None = None
    force: bool = False
    templates: Path | None = None
    paper: Paper = Paper.a4

    def output_format(self) -> ScenarioFormat | None:
        """The format to write (None: the --out-dir files), refusing a bad destination up front."""
        check_output(self.output, self.force)
        if self.out_dir is None:
            return pick_format(self.to, self.output, ScenarioFormat, ScenarioFormat.table)
        if self.output is not None or self.to is not None:
            raise typer.BadParameter(
                "writes the brief, the key and the figures; give it without -o and --to",
                param_hint="'--out-dir'",
            )
        return None

    def scenario(self) -> Scenario:
        """The worked example, a generated scenario (--seed, or names alone), or the one given."""
        if self.example:
            return self._worked_example()
        if self.seed is not None or not self.organisations:
            return self._generated()
        return self._given()

    def _worked_example(self) -> Scenario:
        from syslead.errors import SysleadError
        from syslead.scenario.model import worked_example

        given = {
            "--org": self.organisations,
            "--seed": self.seed is not None,
            "--actual": self.actual,
            "--overperformer": self.overperformer,
            "--by": self.by,
            "--budget": self.budget,
        }
        clash = [option for option, value in given.items() if value]
        if clash:
            raise SysleadError(
                f"--example is the worked example, with its own figures: give it without "
                f"{' or '.join(clash)}"
            )
        return worked_example()

    def _generated(self) -> Scenario:
        from syslead.errors import SysleadError
        from syslead.scenario.model import generate, make_scenario
        from syslead.scenario.money import parse_org_or_name

        if self.actual or self.overperformer or self.by:
            raise SysleadError(
                "a generated scenario (--seed, or no --org) chooses its own out-turns; drop "
                "--actual, --overperformer and --by"
            )
        named = [parse_org_or_name(text) for text in self.organisations]
        scenario = generate(
            [name for name, _ in named],
            1 if self.seed is None else self.seed,
            planned={name: amount for name, amount in named if amount is not None},
        )
        if self.budget is None:
            return scenario
        return make_scenario(
            scenario.organisations, budget=_amount(self.budget, "budget"), seed=scenario.seed
        )

    def _given(self) -> Scenario:
        from syslead.scenario.model import build_scenario
        from syslead.scenario.money import parse_change, parse_org

        return build_scenario(
            [parse_org(text) for text in self.organisations],
            actual=[parse_org(text, field="actual") for text in self.actual],
            overperformer=self.overperformer,
            by=None if self.by is None else parse_change(self.by),
            budget=None if self.budget is None else _amount(self.budget, "budget"),
        )

    def rule_params(self) -> RuleParams:
        """Each rule's terms: the defaults, changed by the rule options given."""
        from syslead.scenario.money import parse_share_pair
        from syslead.scenario.rules import make_params

        return make_params(
            marginal_rate=_share(self.marginal_rate, "marginal_rate"),
            thresholds=_org_amounts(self.thresholds, "thresholds"),
            blended_share=_share(self.blended_share, "blended_share"),
            aligned_share=_share(self.aligned_share, "aligned_share"),
            risk_share=_share(self.risk_share, "risk_share"),
            cap=_limit(self.cap, "cap"),
            collar=_limit(self.collar, "collar"),
            contributions=_org_amounts(self.contributions, "contributions"),
            basis=self.basis,
            split=dict(parse_share_pair(text, field="split") for text in self.split),
        )


def _amount(text: str, field: str) -> Decimal:
    from syslead.scenario.money import parse_amount

    return parse_amount(text, field=field)


def _share(text: str | None, field: str) -> Decimal | None:
    """A share option's value; None (the rule's default) when not given or empty."""
    from syslead.scenario.money import parse_percent

    return parse_percent(text, field=field) if text else None


def _limit(text: str | None, field: str) -> Limit | None:
    from syslead.scenario.rules import parse_limit

    return parse_limit(text, field=field) if text else None


def _org_amounts(values: Sequence[str], field: str) -> dict[str, Decimal]:
    from syslead.scenario.money import parse_org

    return dict(parse_org(text, field=field) for text in values)


def _write_budget_files(
    options: FixedBudgetOptions,
    out_dir: Path,
    scenario: Scenario,
    params: RuleParams,
    results: Sequence[RuleResult],
) -> None:
    """--out-dir: the brief and the key as Markdown and HTML, and the figures as JSON."""
    from syslead.documents.pack import budget_documents
    from syslead.documents.templating import environments

    rules = options.rules or None
    env = environments(options.templates)
    files: dict[str, str | bytes] = dict(budget_documents(scenario, results, env, params, rules))
    files["budget.json"] = _figures_json(scenario, results)
    write_pack(files, out_dir, options.force)


def _figures_json(scenario: Scenario, results: Sequence[RuleResult]) -> str:
    import json

    from syslead.scenario.jsondata import to_json_data

    return json.dumps(to_json_data(scenario, results), indent=2, ensure_ascii=False) + "\n"


def _budget_document(
    options: FixedBudgetOptions,
    to: ScenarioFormat,
    scenario: Scenario,
    params: RuleParams,
    results: Sequence[RuleResult],
) -> str | bytes:
    """The facilitator key or the participant brief, as Markdown, an HTML page or Word."""
    from syslead.scenario.handouts import facilitator_key_md, participant_brief_md

    if options.audience is Audience.facilitator:
        text = facilitator_key_md(scenario, results, params)
        title = "Fixed budget: facilitator key"
    else:
        text = participant_brief_md(scenario, params, options.rules or None)
        title = "Fixed budget: participant brief"
    if to is ScenarioFormat.docx:
        from syslead.documents.docx import markdown_to_docx

        return markdown_to_docx(title, text, kind="scenario")
    if to not in (ScenarioFormat.html, ScenarioFormat.pdf):
        return text
    from syslead.documents.pages import html_page, html_to_pdf
    from syslead.documents.templating import environments

    env = environments(options.templates)
    page = html_page(title, text, env, kind="scenario", paper=options.paper.value)
    return html_to_pdf(page) if to is ScenarioFormat.pdf else page


def write_fixed_budget(
    options: FixedBudgetOptions,
    to: ScenarioFormat | None,
    scenario: Scenario,
    params: RuleParams,
    results: Sequence[RuleResult],
) -> None:
    """Write the figures as chosen: the --out-dir files, JSON, a table, or a document."""
    if options.out_dir is not None:
        _write_budget_files(options, options.out_dir, scenario, params, results)
    elif to is ScenarioFormat.json:
        write_or_print(_figures_json(scenario, results), options.output, options.force)
    elif to is ScenarioFormat.table:
        from syslead.errors import SysleadError
        from syslead.scenario.view import scenario_table

        if options.output is not None:
            raise SysleadError("a table is for the terminal; use --to md, html or json with -o")
        console().print(scenario_table(scenario, results))
    elif to is not None:
        if to in (ScenarioFormat.docx, ScenarioFormat.pdf):
            check_file_for(options.output, to.value)
        data = _budget_document(options, to, scenario, params, results)
        write_or_print(data, options.output, options.force)


def _many(values: list[str] | None) -> tuple[str, ...]:
    return tuple(values or ())


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
            metavar="NAME=SHARE",
            help="Gain/loss rule: NAME=SHARE, as 60% or 0.6 (the split must total 100%).",
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
            "--audience",
            help="For md, html, pdf and docx: facilitator (the key) or participant (the brief).",
        ),
    ] = Audience.facilitator,
    to: Annotated[
        ScenarioFormat | None,
        typer.Option(
            "--to",
            help="table (the default), md, html, pdf (needs syslead[pdf] and -o), docx (Word; "
            "needs -o) or json; or from -o's suffix.",
        ),
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
    paper: PaperOpt = Paper.a4,
) -> None:
    """The fixed-budget case: one organisation overperforms; who pays? Figures under every rule.

    The participant brief sets out the situation without answers; the facilitator key gives every
    figure, who gains and who loses, the power to name and what to watch for.

    Example: syslead scenario fixed-budget --org "Acute trust=100m" --org "Community services=40m" --overperformer "Acute trust" --by 10% --to md
    """
    from syslead.scenario.rules import compute

    options = FixedBudgetOptions(
        organisations=_many(org),
        actual=_many(actual),
        overperformer=overperformer,
        by=by,
        budget=budget,
        rules=_many(rule),
        marginal_rate=marginal_rate,
        thresholds=_many(threshold),
        blended_share=blended_share,
        aligned_share=aligned_share,
        risk_share=risk_share,
        cap=cap,
        collar=collar,
        contributions=_many(contribution),
        basis=basis,
        split=_many(split),
        seed=seed,
        example=example,
        audience=audience,
        to=to,
        output=output,
        out_dir=out_dir,
        force=force,
        templates=templates,
        paper=paper,
    )
    output_format = options.output_format()
    scenario = options.scenario()
    params = options.rule_params()
    results = compute(scenario, options.rules or None, params)
    write_fixed_budget(options, output_format, scenario, params, results)


def _sheet(
    template: str,
    title: str,
    context: dict[str, Any],
    to: SheetFormat | None,
    output: Path | None,
    templates: Path | None,
    paper: Paper = Paper.a4,
) -> str | bytes:
    from syslead.documents.pages import html_page, html_to_pdf
    from syslead.documents.templating import environments, render_template

    to = pick_format(to, output, SheetFormat, SheetFormat.md)
    if to in (SheetFormat.docx, SheetFormat.pdf):
        check_file_for(output, to.value)
    env = environments(templates)
    text = render_template(env.markdown, template, context)
    if to is SheetFormat.docx:
        from syslead.documents.docx import markdown_to_docx

        return markdown_to_docx(title, text, kind="sheet")
    if to is SheetFormat.md:
        return text
    page = html_page(title, text, env, kind="sheet", paper=paper.value)
    return html_to_pdf(page) if to is SheetFormat.pdf else page


@app.command("power-sheet")
def scenario_power_sheet(
    org: Annotated[
        list[str] | None,
        typer.Option("--org", metavar="NAME", help="An organisation in the group (repeatable)."),
    ] = None,
    to: Annotated[
        SheetFormat | None,
        typer.Option(
            "--to",
            help="md (the default), html, pdf (needs syslead[pdf] and -o) or docx (Word; needs "
            "-o); or from -o's suffix.",
        ),
    ] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    templates: TemplatesOpt = None,
    paper: PaperOpt = Paper.a4,
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
        paper,
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
        typer.Option(
            "--to",
            help="md (the default), html, pdf (needs syslead[pdf] and -o) or docx (Word; needs "
            "-o); or from -o's suffix.",
        ),
    ] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    templates: TemplatesOpt = None,
    paper: PaperOpt = Paper.a4,
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
        paper,
    )
    write_or_print(text, output, force)
