"""The fixed-budget scenario and its results as JSON data, and a saved scenario read back.

The JSON shape is documented (see :func:`to_json_data`): amounts are strings with two decimal
places, exact to the penny, in a stable order. What it writes can be read back with
:func:`scenario_from_data`, which ignores the derived figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from syslead.errors import ScenarioError
from syslead.scenario.model import Scenario, validated
from syslead.scenario.money import pennies
from syslead.scenario.rules import RuleResult

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
    return validated(Scenario, fields, where="scenario")


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
