"""The plan id: every input the choice of activities depends on, written out and read back.

README: "every plan carries a plan id: `syslead plan-session --plan-id AD-1300-2100-F12345-P12-S1`
rebuilds it (give the same `--issue` texts again for a plan made around live issues)".
"""

from __future__ import annotations

import hashlib

import pytest

from syslead.errors import SysleadError
from syslead.planning.plan import PlanRequest
from syslead.planning.planid import plan_id_for, request_from_plan_id

ALL_FIVE = ["shared-purpose", "personal-contact", "conflict", "altruism", "long-term"]


@pytest.mark.parametrize(
    ("fields", "start", "end", "focus", "plan_id"),
    [
        ({}, "13:00", "21:00", ALL_FIVE, "AD-1300-2100-F12345-P12-S1"),
        (
            {"format": "six-weekly", "participants": 8, "seed": 42},
            "09:05",
            "12:00",
            ["long-term", "conflict"],
            "SW-0905-1200-F53-P8-S42",
        ),
        ({"format": "day", "seed": -3}, "09:30", "16:30", ["altruism"], "DY-0930-1630-F4-P12-S-3"),
        ({"meal": "19:15"}, "13:00", "21:00", ["conflict"], "AD-1300-2100-F3-P12-S1-M1915"),
        ({"rehearsal": False}, "13:00", "21:00", ["conflict"], "AD-1300-2100-F3-P12-S1-R0"),
        (
            {"issues": ["Winter discharge delays", "Recruiting"], "rehearsal": False},
            "13:00",
            "21:00",
            ["conflict"],
            "AD-1300-2100-F3-P12-S1-R0-I2",
        ),
        (
            {"meal": "18:00", "rehearsal": False, "issues": ["One"]},
            "13:00",
            "21:00",
            ["shared-purpose"],
            "AD-1300-2100-F1-P12-S1-M1800-R0-I1",
        ),
    ],
)
def test_the_plan_id_records_the_request_and_reads_back(
    fields: dict[str, object], start: str, end: str, focus: list[str], plan_id: str
) -> None:
    request = PlanRequest.model_validate(fields)
    assert plan_id_for(request, start, end, focus) == plan_id
    expected: dict[str, object] = {
        "format": request.format,
        "start": start,
        "end": end,
        "focus": focus,
        "participants": request.participants,
        "seed": request.seed,
    }
    if request.meal:
        expected["meal"] = request.meal
    if not request.rehearsal:
        expected["rehearsal"] = False
    assert request_from_plan_id(plan_id, request.issues) == expected


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def test_a_series_plan_id_carries_a_digest_of_what_earlier_sessions_left() -> None:
    base = ("13:00", "21:00", ["conflict"])
    avoid = PlanRequest(avoid=["triz", "naming-power"])
    # The activities used before, sorted, then what the records ask for after a bar each.
    assert plan_id_for(avoid, *base) == f"AD-1300-2100-F3-P12-S1-X{digest('naming-power,triz')}"
    recorded = PlanRequest(
        avoid=["triz"], returns_to="Who pays", review=["Send figures"], require=["name-power"]
    )
    assert plan_id_for(recorded, *base) == (
        f"AD-1300-2100-F3-P12-S1-X{digest('triz|Who pays|Send figures|name-power')}"
    )
    for alone in (
        PlanRequest(returns_to="Who pays"),
        PlanRequest(review=["Send figures"]),
        PlanRequest(require=["budget-rehearsal"]),
    ):
        inputs = "|" + "|".join([alone.returns_to or "", *alone.review, *alone.require])
        assert plan_id_for(alone, *base) == f"AD-1300-2100-F3-P12-S1-X{digest(inputs)}"


def test_a_series_plan_id_is_not_rebuilt_by_plan_session() -> None:
    with pytest.raises(SysleadError) as caught:
        request_from_plan_id("AD-1300-2100-F3-P12-S1-X0123abcd")
    assert str(caught.value) == (
        "AD-1300-2100-F3-P12-S1-X0123abcd was planned as part of a series, around the activities "
        "earlier sessions used; plan it again with 'syslead series plan' or 'syslead series next'"
    )
    assert caught.value.field == "plan_id"


@pytest.mark.parametrize(
    ("plan_id", "given", "message"),
    [
        (
            "AD-1300-2100-F3-P12-S1-I2",
            ["One"],
            "AD-1300-2100-F3-P12-S1-I2 was planned around 2 live issues; give them again (got 1)",
        ),
        (
            "AD-1300-2100-F3-P12-S1-I1",
            [],
            "AD-1300-2100-F3-P12-S1-I1 was planned around 1 live issue; give it again (got 0)",
        ),
        (
            "AD-1300-2100-F3-P12-S1",
            ["One"],
            "AD-1300-2100-F3-P12-S1 was planned around 0 live issues; give them again (got 1)",
        ),
    ],
)
def test_a_plan_made_around_live_issues_needs_their_texts_again(
    plan_id: str, given: list[str], message: str
) -> None:
    with pytest.raises(SysleadError) as caught:
        request_from_plan_id(plan_id, given)
    assert (str(caught.value), caught.value.field) == (message, "issues")


@pytest.mark.parametrize(
    "plan_id",
    [
        "nonsense",
        "XX-1300-2100-F3-P12-S1",
        "AD-130-2100-F3-P12-S1",
        "AD-1300-2100-F6-P12-S1",
        "AD-1300-2100-F3-P12",
        "AD-1300-2100-F3-P12-S1-I0",
        "AD-1300-2100-F3-P12-S1-R0-M1800",
        "AD-1300-2100-F3-P12-S1 and more",
    ],
)
def test_anything_else_is_not_a_plan_id(plan_id: str) -> None:
    with pytest.raises(SysleadError) as caught:
        request_from_plan_id(plan_id)
    assert str(caught.value) == (
        f"{plan_id!r} is not a plan id (expected the form AD-1300-2100-F12345-P12-S1)"
    )
    assert caught.value.field == "plan_id"


def test_spaces_around_a_pasted_plan_id_are_ignored() -> None:
    assert request_from_plan_id("  SW-1400-1700-F3-P12-S1\n")["format"] == "six-weekly"
