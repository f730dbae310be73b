"""Where a programme stands (`series status --to json`): every documented field, worked out by hand
for one small programme, from the domain and from the command line with a fixed day."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from syslead.series.file import dump_series
from syslead.series.programme import (
    Action,
    Assessment,
    FactorSummary,
    Member,
    Series,
    new_series,
    parse_action,
    record,
    replace_session,
)
from syslead.series.status import coverage_gaps, series_status

from .conftest import Run

Cli = Callable[..., Run]

SP, PC, CF = "shared-purpose", "personal-contact", "conflict"
AL, LT = "altruism", "long-term"
ICB, COUNCIL, TRUST = "Northshire ICB", "Northshire Council", "Northshire Trust"


def programme() -> Series:
    """Six sessions from Friday 2027-02-05, every six weeks; sessions 5 and 6 edited to altruism
    and to conflict alone, so sessions 2 to 6 leave long-term out. Sessions 1 to 3 are held; the Council sends
    nobody to sessions 2 and 3, the Trust nobody to session 2."""
    members = [
        Member(name="Asha Patel", organisation=ICB),
        Member(name="Ben Ode", organisation=COUNCIL),
        Member(name="Cara Lee", organisation=ICB),
        Member(name="Dev Rao", organisation=TRUST),
    ]
    series = new_series(title="Northshire", start=dt.date(2027, 2, 5), count=6, members=members)
    series = replace_session(replace_session(series, 5, focus=[AL]), 6, focus=[CF])
    series = record(
        series,
        1,
        attended=["Asha Patel", "Ben Ode", "Cara Lee", "Dev Rao"],
        key_messages=["One Northshire pound", "Name the power"],
        actions=[parse_action("Cara Lee: draft the letter [due 2027-03-01]")],
        met=[["Asha Patel", "Ben Ode"], ["Cara Lee", "Dev Rao"]],
    )
    series = record(
        series,
        2,
        attended=["Asha Patel", "Cara Lee"],
        actions=[
            parse_action("Ben Ode: share the figures"),
            parse_action("Asha Patel: book the room [due 2027-06-30]"),
        ],
    )
    series = record(series, 3, attended=["asha patel", "Cara Lee", "Dev Rao"])
    factors = [
        FactorSummary(factor=f, mean=m, sd=s, min=1.0, max=5.0, respondents=4)
        for f, m, s in ((SP, 3.25, 0.5), (PC, 2.5, 1.29), (CF, 2.0, None), (AL, 4.0, 0.0))
    ]
    factors.append(FactorSummary(factor=LT))
    return replace_session(
        series, 1, assessment=Assessment(respondents=4, min_group=2, factors=factors)
    )


def expected(overdue: bool) -> dict[str, Any]:
    def session(n: int, date: str, focus: list[str], recorded: bool, km: int, ac: int) -> Any:
        fmt = "away-day" if n == 1 else "six-weekly"
        return {
            "number": n,
            "date": date,
            "format": fmt,
            "focus": focus,
            "recorded": recorded,
            "key_messages": km,
            "actions": ac,
        }

    return {
        "id": programme().id,
        "title": "Northshire",
        "timezone": "Europe/London",
        "sessions": [
            session(1, "2027-02-05", [SP, PC, CF, AL, LT], True, 2, 1),
            session(2, "2027-03-19", [SP, PC], True, 0, 2),
            session(3, "2027-04-30", [PC, CF], True, 0, 0),
            session(4, "2027-06-11", [CF, AL], False, 0, 0),
            session(5, "2027-07-23", [AL], False, 0, 0),
            session(6, "2027-09-03", [CF], False, 0, 0),
        ],
        "next_session": 4,
        "coverage": {SP: [1, 2], PC: [1, 2, 3], CF: [1, 3, 4, 6], AL: [1, 4, 5], LT: [1]},
        "coverage_gaps": [{"from_session": 2, "missing": [LT]}],
        # Owners in alphabetical order; overdue means due before the day judged by.
        "open_actions": {
            "Asha Patel": [
                {
                    "id": "A3",
                    "session": 2,
                    "text": "book the room",
                    "due": "2027-06-30",
                    "overdue": False,
                }
            ],
            "Ben Ode": [
                {
                    "id": "A2",
                    "session": 2,
                    "text": "share the figures",
                    "due": None,
                    "overdue": False,
                }
            ],
            "Cara Lee": [
                {
                    "id": "A1",
                    "session": 1,
                    "text": "draft the letter",
                    "due": "2027-03-01",
                    "overdue": overdue,
                }
            ],
        },
        "attendance": [
            {"name": "Asha Patel", "organisation": ICB, "attended": [1, 2, 3], "missed": []},
            {"name": "Ben Ode", "organisation": COUNCIL, "attended": [1], "missed": [2, 3]},
            {"name": "Cara Lee", "organisation": ICB, "attended": [1, 2, 3], "missed": []},
            {"name": "Dev Rao", "organisation": TRUST, "attended": [1, 3], "missed": [2]},
        ],
        "organisations_absent": [{"organisation": COUNCIL, "sessions": [2, 3]}],
        # Cross-organisation pairs: Asha and Cara (ICB) each with Ben and Dev, and Ben with Dev:
        # five. Two met; in three rounds of two pairs a schedule can give all five.
        "pairs": {
            "cross_pairs": 5,
            "held": 3,
            "met": 2,
            "met_share": 0.4,
            "scheduled_share": 1.0,
            "best_share": 1.0,
        },
        "assessments": [
            {
                "session": 1,
                "date": "2027-02-05",
                "respondents": 4,
                "factors": [
                    {"factor": SP, "mean": 3.25, "sd": 0.5, "respondents": 4},
                    {"factor": PC, "mean": 2.5, "sd": 1.29, "respondents": 4},
                    {"factor": CF, "mean": 2.0, "sd": None, "respondents": 4},
                    {"factor": AL, "mean": 4.0, "sd": 0.0, "respondents": 4},
                    {"factor": LT, "mean": None, "sd": None, "respondents": 0},
                ],
            }
        ],
    }


def test_status_of_a_programme_worked_out_by_hand() -> None:
    status = series_status(programme(), dt.date(2027, 3, 2))
    assert json.loads(status.to_json()) == expected(overdue=True)
    assert series_status(programme(), dt.date(2027, 3, 1)).model_dump(mode="json") == expected(
        overdue=False
    )


def test_status_from_the_command_line_judges_by_the_session_being_prepared(
    cli: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "series.yaml"
    path.write_text(dump_series(programme()), encoding="utf-8")
    # Session 4 (2027-06-11) is being prepared: A1, due 2027-03-01, is overdue then.
    result = cli("series", "status", str(path), "--to", "json")
    assert (result.exit_code, result.stderr) == (0, "")
    assert json.loads(result.stdout) == expected(overdue=True)
    early = cli("series", "status", str(path), "--to", "json", "--today", "2027-02-20")
    assert json.loads(early.stdout) == expected(overdue=False)


def test_a_gap_is_reported_for_each_run_of_five_that_misses_a_factor() -> None:
    series = new_series(title="T", start=dt.date(2027, 2, 5), count=7, first_format="six-weekly")
    assert coverage_gaps(series) == []
    narrowed = series
    for number, focus in ((3, [AL]), (4, [AL]), (5, [LT]), (6, [LT]), (7, [SP])):
        narrowed = replace_session(narrowed, number, focus=focus)
    # Sessions: sp pc | pc cf | al | al | lt | lt | sp. 1-5 cover all five; 2-6 leave
    # shared-purpose out (session 7 has it, but is the sixth); 3-7 leave personal contact and
    # conflict out (in the paper's order).
    assert [(g.from_session, g.missing) for g in coverage_gaps(narrowed)] == [
        (2, [SP]),
        (3, [PC, CF]),
    ]
    three = new_series(title="T", start=dt.date(2027, 2, 5), count=3, first_format="six-weekly")
    assert coverage_gaps(three) == []  # sp pc | pc cf | cf al: too few sessions to judge
    four = new_series(title="T", start=dt.date(2027, 2, 5), count=4, first_format="six-weekly")
    assert coverage_gaps(four) == []  # fewer than five sessions: no run of five to judge


def test_status_json_is_indented_by_two_and_keeps_accents_as_typed() -> None:
    series = new_series(title="Équipe de santé", start=dt.date(2027, 2, 5), count=1)
    text = series_status(series).to_json()
    assert text.startswith('{\n  "id": "')
    assert '\n  "title": "Équipe de santé",\n' in text
    assert json.loads(text)["pairs"] is None  # no members: no pairs to follow


def test_an_organisation_absent_twice_running_is_flagged_with_its_longest_run() -> None:
    """Attendance taken at sessions 1, 2, 4 and 5 (3 left blank): the Council is absent at 1, 4
    and 5, so its longest run of recorded sessions missed is 4 and 5; the Trust misses only 2."""
    members = [
        Member(name="Asha Patel", organisation=ICB),
        Member(name="Ben Ode", organisation=COUNCIL),
        Member(name="Dev Rao", organisation=TRUST),
    ]
    series = new_series(title="T", start=dt.date(2027, 2, 5), count=6, members=members)
    for number, people in ((1, ["Asha Patel", "Dev Rao"]), (2, ["Ben Ode", "Asha Patel"])):
        series = record(series, number, attended=people)
    series = record(series, 3, key_messages=["No register today"])
    for number in (4, 5):
        series = record(series, number, attended=["Asha Patel", "Dev Rao"])
    status = series_status(series)
    assert [(a.name, a.attended, a.missed) for a in status.attendance] == [
        ("Asha Patel", [1, 2, 4, 5], []),
        ("Ben Ode", [2], [1, 4, 5]),
        ("Dev Rao", [1, 4, 5], [2]),
    ]
    assert [(o.organisation, o.sessions) for o in status.organisations_absent] == [
        (COUNCIL, [4, 5])
    ]


def test_the_first_of_two_equal_runs_of_absence_is_named() -> None:
    members = [
        Member(name="Asha Patel", organisation=ICB),
        Member(name="Ben Ode", organisation=COUNCIL),
    ]
    series = new_series(title="T", start=dt.date(2027, 2, 5), count=6, members=members)
    for number, people in enumerate(
        (["Asha Patel"], ["Asha Patel"], ["Ben Ode"], ["Asha Patel"], ["Asha Patel"]), 1
    ):
        series = record(series, number, attended=people)
    # The Council is absent at 1 and 2, then at 4 and 5: the first of the two runs is named. The
    # ICB misses only session 3.
    assert [(o.organisation, o.sessions) for o in series_status(series).organisations_absent] == [
        (COUNCIL, [1, 2])
    ]


def test_an_action_done_does_not_hide_the_open_ones_after_it() -> None:
    series = new_series(title="T", start=dt.date(2027, 2, 5), count=2)
    series = record(
        series,
        1,
        actions=[
            Action(owner="Ann", text="done already", done=True),
            Action(owner="Ann", text="still to do"),
        ],
    )
    assert [(a.id, a.text) for a in series_status(series).open_actions["Ann"]] == [
        ("A2", "still to do")
    ]


def test_the_share_of_pairs_met_has_three_decimals() -> None:
    """Twelve members, four organisations of three: 54 cross pairs. After session 1 (held), one
    pair met (1/54 = 0.0185, shown 0.019) and the schedule gave six (6/54 = 0.111), the best."""
    members = [Member(name=f"M{o}{i}", organisation=f"Org {o}") for o in "ABCD" for i in range(3)]
    series = new_series(title="T", start=dt.date(2027, 2, 5), count=4, members=members)
    series = record(series, 1, met=[["MA0", "MB0"], ["MA0", "MA1"]])  # the second is one org
    pairs = series_status(series).pairs
    assert pairs is not None
    assert pairs.model_dump() == {
        "cross_pairs": 54,
        "held": 1,
        "met": 1,
        "met_share": 0.019,
        "scheduled_share": 0.111,
        "best_share": 0.111,
    }
