"""The plan id: a short code that records every input the choice of activities depends on.

``AD-1300-2100-F12345-P12-S1`` is an away-day from 13:00 to 21:00 on all five factors for twelve
people with seed 1. Optional parts follow: ``M1830`` for a meal moved by hand, ``R0`` when the
fixed-budget rehearsal is left out, ``I2`` for a plan made around two live issues (their texts are
not in the id: give them again), and ``X…`` for a plan made inside a series.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from syslead.errors import SysleadError
from syslead.library.models import FACTOR_IDS
from syslead.planning.plan import PlanRequest

FORMAT_CODES = {"away-day": "AD", "six-weekly": "SW", "day": "DY"}
_FORMATS = {code: name for name, code in FORMAT_CODES.items()}

_PLAN_ID = re.compile(
    r"^(?P<format>AD|SW|DY)-(?P<start>\d{4})-(?P<end>\d{4})-F(?P<focus>[1-5]+)-P(?P<n>\d+)"
    r"-S(?P<seed>-?\d+)(?:-M(?P<meal>\d{4}))?(?P<norehearsal>-R0)?(?:-I(?P<issues>[1-9]\d*))?"
    r"(?P<series>-X[0-9a-f]{8})?$"
)


def plan_id_for(request: PlanRequest, start: str, end: str, focus: Sequence[str]) -> str:
    """The id of the plan a request gives, in the window ``start``-``end`` with ``focus``."""
    digits = "".join(str(FACTOR_IDS.index(f) + 1) for f in focus)
    parts = [FORMAT_CODES[request.format], start.replace(":", ""), end.replace(":", "")]
    parts += [f"F{digits}", f"P{request.participants}", f"S{request.seed}"]
    if request.meal:
        parts.append(f"M{request.meal.replace(':', '')}")
    if not request.rehearsal:
        parts.append("R0")
    if request.issues:
        parts.append(f"I{len(request.issues)}")
    if request.avoid or request.returns_to or request.review or request.require:
        # A series plan also depends on what earlier sessions used and recorded; record a digest.
        inputs = ",".join(sorted(request.avoid))
        if request.returns_to or request.review or request.require:
            inputs += "|" + "|".join([request.returns_to or "", *request.review, *request.require])
        digest = hashlib.sha256(inputs.encode()).hexdigest()[:8]
        parts.append(f"X{digest}")
    return "-".join(parts)


def request_from_plan_id(plan_id: str, issues: Sequence[str] = ()) -> dict[str, object]:
    """The request fields a plan id records (the inverse of :func:`plan_id_for`).

    A plan made around live issues needs their texts again, as many as the id records.
    """
    match = _PLAN_ID.match(plan_id.strip())
    if not match:
        raise SysleadError(
            f"{plan_id!r} is not a plan id (expected the form AD-1300-2100-F12345-P12-S1)",
            field="plan_id",
        )
    if match["series"]:
        raise SysleadError(
            f"{plan_id} was planned as part of a series, around the activities earlier sessions "
            "used; plan it again with 'syslead series plan' or 'syslead series next'",
            field="plan_id",
        )
    wanted = int(match["issues"] or 0)
    if wanted != len(issues):
        raise SysleadError(
            f"{plan_id} was planned around {wanted} live issue{'s' if wanted != 1 else ''}; "
            f"give {'them' if wanted != 1 else 'it'} again (got {len(issues)})",
            field="issues",
        )

    def clock(text: str) -> str:
        return f"{text[:2]}:{text[2:]}"

    fields: dict[str, object] = {
        "format": _FORMATS[match["format"]],
        "start": clock(match["start"]),
        "end": clock(match["end"]),
        "focus": [FACTOR_IDS[int(d) - 1] for d in match["focus"]],
        "participants": int(match["n"]),
        "seed": int(match["seed"]),
    }
    if match["meal"]:
        fields["meal"] = clock(match["meal"])
    if match["norehearsal"]:
        fields["rehearsal"] = False
    return fields
