"""What earlier records ask of the next plan, with the reasons the run sheet prints, word for word."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from syslead.series.learning import assessment_sessions, guidance, overdue_actions
from syslead.series.programme import (
    Action,
    Assessment,
    FactorSummary,
    Series,
    new_series,
    record,
    replace_session,
)

SP, PC, CF = "shared-purpose", "personal-contact", "conflict"
AL, LT = "altruism", "long-term"
MOVES = {"naming-power": ["name-power"], "budget-game": ["budget-rehearsal"]}


def series(count: int = 4) -> Series:
    """From Friday 2027-02-05 every six weeks: 1 away-day (all five), 2 sp pc, 3 pc cf, 4 cf al..."""
    return new_series(title="T", start=dt.date(2027, 2, 5), count=count)


def held(*activities: str) -> list[Any]:
    """Earlier plans, as far as guidance reads them: blocks with their activities."""
    return [SimpleNamespace(blocks=[SimpleNamespace(activity=a) for a in activities])]


def ask(s: Series, number: int, plans: list[Any] | None = None) -> Any:
    """The guidance for a session, leaving out the questionnaire's suggestion (tested last)."""
    found = guidance(s, s.session(number), plans or [], MOVES)
    found.reasons = [r for r in found.reasons if "self-assessment" not in r]
    return found


def assessed(s: Series, number: int, means: dict[str, float | None]) -> Series:
    factors = [FactorSummary(factor=f, mean=means.get(f)) for f in (SP, PC, CF, AL, LT)]
    return replace_session(s, number, assessment=Assessment(respondents=5, factors=factors))


def test_nothing_recorded_asks_for_nothing_but_the_questionnaire_where_it_belongs() -> None:
    s = series()
    plain = guidance(s, s.session(3), [], MOVES)
    assert (plain.focus, plain.returns_to, plain.review, plain.require, plain.reasons) == (
        [PC, CF],
        None,
        [],
        [],
        [],
    )


def test_a_conflict_recorded_last_time_comes_into_focus_with_a_block_that_returns_to_it() -> None:
    s = record(series(), 1, conflicts=["Who pays for winter", "Estates"])
    g = ask(s, 2)
    assert g.focus == [SP, PC, CF]
    assert g.returns_to == "session 1 recorded: \u201cWho pays for winter\u201d"
    assert g.reasons == [
        "Conflict is in focus, and a block returns to it, because session 1 recorded: "
        "\u201cWho pays for winter\u201d.",
        "Session 1 also recorded \u201cEstates\u201d: name it in the opening and agree when the "
        "group will return to it.",
    ]
    # Session 3 already has conflict in focus; a conflict two sessions back is not carried.
    s = record(s, 2, conflicts=["Discharge"])
    g = ask(s, 3)
    assert (g.focus, g.reasons) == (
        [PC, CF],
        ["A block returns to the conflict session 2 recorded: \u201cDischarge\u201d."],
    )
    assert ask(record(series(), 1, conflicts=["Old"]), 3).returns_to is None


def test_the_latest_assessment_adds_its_lowest_factor_room_allowing() -> None:
    # Altruism and long-term tie lowest at 2.25: the first in the paper's order is taken.
    s = assessed(series(), 1, {SP: 3.5, PC: 3.0, CF: None, AL: 2.25, LT: 2.25})
    g = ask(s, 2)
    assert g.focus == [SP, PC, AL]
    assert g.reasons == [
        "Altruism is in focus because the assessment at session 1 gave altruism the lowest mean "
        "(2.25 of 5)."
    ]
    # Conflict came in first: a six-weekly meeting holds at most three factors.
    full = ask(record(s, 1, conflicts=["Who pays"]), 2)
    assert full.focus == [SP, PC, CF]
    assert full.reasons[1] == (
        "The assessment at session 1 gave altruism the lowest mean (2.25 of 5); this meeting has "
        "no room for another factor, so raise it in the opening."
    )
    # The latest assessment before the session counts: session 2's, where shared purpose is low.
    later = assessed(s, 2, {SP: 1.5, PC: 4.0, CF: 4.0, AL: 4.0, LT: 4.0})
    assert ask(later, 3).focus == [PC, CF, SP]
    # A low factor already in focus stays, and says why.
    stays = ask(assessed(series(), 1, {PC: 1.75, SP: 4.0}), 2)
    assert (stays.focus, stays.reasons) == (
        [SP, PC],
        [
            "Personal contact stays in focus: the assessment at session 1 gave personal contact "
            "the lowest mean (1.75 of 5)."
        ],
    )
    assert ask(assessed(series(), 1, {}), 2).reasons == []  # nothing answered: nothing to add
    assert ask(assessed(series(), 2, {AL: 1.0}), 2).focus == [SP, PC]  # not before session 2


SESSION_ONE_ACTIONS = [
    Action(owner="Ann", text="write", due=dt.date(2027, 3, 18)),
    Action(owner="Bo", text="call", due=dt.date(2027, 3, 19)),  # due on the day: not yet
    Action(
        owner="Cy",
        text="map",
        due=dt.date(2027, 3, 1),
        done=True,
        done_on=dt.date(2027, 3, 19),
    ),
    Action(
        owner="Di",
        text="send",
        due=dt.date(2027, 3, 1),
        done=True,
        done_on=dt.date(2027, 3, 20),
    ),
]
"""Actions agreed at session 1, as session 2 (2027-03-19) sees them: Ann's is overdue, Bo's is due
that day, Cy's was done that day, and Di's, done only the day after, is overdue there too."""


def test_overdue_actions_at_the_sessions_date_are_reviewed() -> None:
    s = record(series(), 1, actions=SESSION_ONE_ACTIONS)
    s = record(s, 2, actions=[Action(owner="Ed", text="later", due=dt.date(2027, 3, 1))])
    g = ask(s, 2)
    assert g.review == ["A1: Ann: write (due 2027-03-18)", "A4: Di: send (due 2027-03-01)"]
    assert g.reasons == [
        "A review of overdue actions opens the work because A1, A4 were due before 2027-03-19 "
        "and not done."
    ]
    one = record(series(), 1, actions=[Action(owner="Ann", text="write", due=dt.date(2027, 3, 1))])
    assert ask(one, 2).reasons == [
        "A review of overdue actions opens the work because A1 was due before 2027-03-19 and not "
        "done."
    ]
    # Session 3 (2027-04-30) also sees session 2's action, and Di's is done by then; session 1
    # sees none.
    assert [t.split(":")[0] for t in overdue_actions(s, s.session(3))] == ["A1", "A2", "A5"]
    assert overdue_actions(s, s.session(1)) == []


POWER = (
    "Naming the power in the room comes now: the paper's groups named power early, and no earlier "
    "session of this programme has done it."
)
REHEARSAL = (
    "The fixed-budget rehearsal comes now: power has been named, and the programme has not yet "
    "rehearsed a credible conflict."
)


def test_a_programme_of_six_names_power_by_session_three_then_rehearses() -> None:
    six = series(6)
    assert (ask(six, 3).require, POWER in ask(six, 3).reasons) == (["name-power"], True)
    assert ask(six, 2).require == []
    assert ask(six, 3, held("naming-power")).require == ["budget-rehearsal"]  # conflict in focus
    assert REHEARSAL in ask(six, 3, held("naming-power")).reasons
    # Session 2 (sp pc) waits for a later session with conflict in focus; session 6 (lt sp) is
    # the last chance, with no conflict after it.
    assert ask(six, 2, held("naming-power")).require == []
    assert ask(six, 6, held("naming-power")).require == ["budget-rehearsal"]
    # Session 5 (al lt) has only session 6 (lt sp) after it, without conflict: now or never.
    assert ask(six, 5, held("naming-power")).require == ["budget-rehearsal"]
    assert ask(six, 4, held("naming-power", "budget-game")).require == []
    assert ask(series(5), 3).require == []  # fewer than six sessions: no programme moves


@pytest.mark.parametrize(("count", "asked"), [(1, []), (2, [1, 2]), (5, [1, 3, 5]), (8, [1, 4, 8])])
def test_the_questionnaire_is_suggested_first_middle_and_last(count: int, asked: list[int]) -> None:
    s = series(count)
    suggested = {
        n: r
        for n in range(1, count + 1)
        for r in guidance(s, s.session(n), [], MOVES).reasons
        if "self-assessment" in r
    }
    assert sorted(suggested) == asked
    if count == 8:
        assert assessment_sessions(8) == [1, 4, 8]
        assert [suggested[n].split(" session of")[0] for n in asked] == [
            "This is the first",
            "This is the middle",
            "This is the last",
        ]
        assert suggested[4] == (
            "This is the middle session of 8: ask members to fill in the five-factor "
            "self-assessment (syslead assess questionnaire) at it, and store the summary with "
            "syslead series assess, so that the programme can see how the factors move."
        )


def test_the_rehearsal_waits_for_the_next_session_when_it_is_the_one_with_conflict() -> None:
    six = replace_session(replace_session(series(6), 4, focus=[AL]), 5, focus=[CF])
    assert ask(six, 4, held("naming-power")).require == []  # session 5 has conflict in focus
    assert ask(six, 5, held("naming-power")).require == ["budget-rehearsal"]


def test_an_activity_the_library_names_no_moves_for_holds_none() -> None:
    six = series(6)
    assert ask(six, 3, held("world-cafe", "naming-power")).require == ["budget-rehearsal"]
    assert ask(six, 3, held("world-cafe")).require == ["name-power"]
