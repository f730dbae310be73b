"""Plans on disk: YAML meant for editing by hand, JSON for scripts, both with stable shapes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from syslead.errors import InputError, Problem
from syslead.library.loader import Library
from syslead.library.yamlio import load_yaml, locate, located, validate_as
from syslead.planning.plan import Plan

YAML_HEADER = """\
# A syslead plan. Edit it and run `syslead render` on it again:
# - change a block's minutes, or swap its activity id for another (`syslead playbooks list`);
# - a block with an activity takes its title and factors from the library; breaks keep yours;
# - clock times are worked out again from the minutes; locked blocks (the meal) stay where they are;
# - the blocks must still add up exactly to the time from start to end.
"""


def plan_data(plan: Plan) -> dict[str, Any]:
    """The plan as plain data, in the documented field order (the models' own).

    Written out by hand rather than with pydantic's serializer, which a run that only plans and
    prints would otherwise build for this one dump; a test holds it equal to ``model_dump``.
    """
    return {name: _plain(getattr(plan, name)) for name in Plan.model_fields}


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return {name: _plain(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def to_json(plan: Plan) -> str:
    """The plan as JSON (the shape PRODUCT.md documents, plus a few extra fields)."""
    return json.dumps(plan_data(plan), indent=2, ensure_ascii=False) + "\n"


def to_yaml(plan: Plan) -> str:
    """The plan as commented YAML for a person to edit."""
    import yaml

    body = yaml.safe_dump(
        plan_data(plan), sort_keys=False, allow_unicode=True, width=100, default_flow_style=None
    )
    return YAML_HEADER + body


def load_plan(path: Path, library: Library) -> Plan:
    """Read a saved plan, recompute its clock times and check every rule, with located errors."""
    doc = load_yaml(path, "plan file")
    if not isinstance(doc.data, dict):
        line, column = locate(doc.node, ())
        raise InputError(
            [Problem(doc.path, line, column, "", "expected a plan (a mapping with blocks)")]
        )
    plan: Plan = validate_as(Plan, doc.data, doc)
    from syslead.planning.rules import (  # only rendering a saved plan needs the rule checks
        check_plan,
        retime,
    )

    retimed, issues = retime(plan, library)
    if not issues:
        issues = check_plan(retimed, library)
    if issues:
        count = len(issues)
        raise InputError(
            located(doc, [(issue.loc, issue.message) for issue in issues]),
            header=f"the plan breaks {count} rule{'s' * (count != 1)}:",
        )
    return retimed.model_copy(update={"edited": not rebuilds(retimed, library)})


def rebuilds(plan: Plan, library: Library) -> bool:
    """Whether the plan's id, planned again with this library, gives this plan's agenda."""
    from syslead.errors import SysleadError
    from syslead.planning.plan import PlanRequest
    from syslead.planning.planid import request_from_plan_id
    from syslead.planning.planner import plan_session

    try:
        fields = request_from_plan_id(plan.plan_id, plan.issues)
        request = PlanRequest.model_validate(
            {**fields, "date": plan.date, "issues": plan.issues, "next_meeting": plan.next_meeting}
        )
        again = plan_session(library, request)
    except (SysleadError, ValueError):
        return False
    return [b.model_dump() for b in again.blocks] == [b.model_dump() for b in plan.blocks]
