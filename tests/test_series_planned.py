"""Which activities a series keeps out of its next session, worked out from the playbooks by hand.

A series avoids repeating itself: an activity used twice is kept out, and so is one used once,
unless one of its factors has no unused activity left for this group (then it may come back).
The lists below are the built-in activities the planner may choose for a six-weekly meeting,
read from the playbooks: for two people, the personal-contact ones are exactly these five.
"""

from __future__ import annotations

import datetime as dt

from syslead.library.loader import load_library
from syslead.series.planned import _still_avoidable, plan_series, review_for
from syslead.series.programme import Action, Member, new_series, record

from .test_series_guidance import SESSION_ONE_ACTIONS

CONTACT_FOR_TWO = [
    "appreciative-interviews",
    "case-study-discussion",
    "heard-seen-respected",
    "helping-heuristics",
    "person-behind-the-role",
]
"""Every planner activity for personal contact that suits a six-weekly meeting of two people.

(check-in-check-out is for personal contact too, but the planner never chooses it; the six-weekly
opening is an opening, not an activity; conversation-cafe, impromptu-networking and
troika-consulting need more than two people.)"""


def test_an_activity_used_once_is_avoided_while_its_factors_have_others() -> None:
    library = load_library()
    assert _still_avoidable(["triz"], library, 12, "six-weekly") == ["triz"]


def test_a_factor_with_every_activity_used_lets_them_come_back() -> None:
    """All five personal-contact activities used once: none of them is avoided for two people."""
    library = load_library()
    assert _still_avoidable(CONTACT_FOR_TWO, library, 2, "six-weekly") == []


def test_a_larger_group_has_more_activities_so_the_same_five_are_avoided() -> None:
    """For twelve people three more personal-contact activities suit, so the factor is not used up."""
    library = load_library()
    assert _still_avoidable(CONTACT_FOR_TWO, library, 12, "six-weekly") == CONTACT_FOR_TWO


def test_an_activity_used_twice_is_avoided_even_when_its_factor_is_used_up() -> None:
    library = load_library()
    used = [*CONTACT_FOR_TWO, "helping-heuristics"]
    assert _still_avoidable(used, library, 2, "six-weekly") == ["helping-heuristics"]


def test_an_activity_with_a_used_up_factor_comes_back_whatever_its_other_factors() -> None:
    """helping-heuristics is for altruism as well: personal contact being used up is enough."""
    library = load_library()
    used = [*CONTACT_FOR_TWO, "triz"]
    assert _still_avoidable(used, library, 2, "six-weekly") == ["triz"]


def test_the_result_is_sorted_and_each_activity_named_once() -> None:
    library = load_library()
    used = ["triz", "pre-mortem", "triz", "appreciative-interviews"]
    assert _still_avoidable(used, library, 12, "six-weekly") == [
        "appreciative-interviews",
        "pre-mortem",
        "triz",
    ]


def test_a_sessions_review_sorts_actions_by_its_own_date() -> None:
    """Session 2 is on 2027-03-19: an action due that day is open, not overdue; one done after it
    is still open there; one done on the day is done."""
    s = new_series(title="T", start=dt.date(2027, 2, 5), count=3)
    s = record(s, 1, actions=[*SESSION_ONE_ACTIONS, Action(owner="Eve", text="think")])
    review = review_for(s, 2)
    assert s.session(2).date == dt.date(2027, 3, 19)
    assert [(n, a.owner) for n, a in review.open_actions] == [
        (1, "Ann"),
        (1, "Bo"),
        (1, "Di"),
        (1, "Eve"),
    ]
    assert [(n, a.owner) for n, a in review.done_actions] == [(1, "Cy")]
    assert review.overdue == ["A1", "A4"]
    assert review_for(s, 1).open_actions == []
    assert review_for(s, 1).empty
    # Without named members there are no pairs or tables to carry.
    assert (review.pairs, review.resting, review.tables) == ([], [], [])


def test_a_sessions_review_carries_its_own_round_of_partners_and_its_tables() -> None:
    """Two people from each of two organisations: each session pairs across the organisations,
    the first two sessions meet all four such pairs between them, and one table seats everyone."""
    people = [("Ann", "Acute"), ("Bo", "Acute"), ("Cy", "Council"), ("Di", "Council")]
    members = [Member(name=name, organisation=org) for name, org in people]
    s = new_series(title="T", start=dt.date(2027, 2, 5), count=3, members=members)
    org = dict(people)
    reviews = [review_for(s, number) for number in (1, 2, 3)]
    assert [r.pairs for r in reviews] == [
        [["Bo", "Di"], ["Ann", "Cy"]],
        [["Ann", "Di"], ["Bo", "Cy"]],
        [["Bo", "Cy"], ["Ann", "Di"]],
    ]
    for review in reviews:
        assert all(org[a] != org[b] for a, b in review.pairs)
        assert review.resting == []
        assert [sorted(t) for t in review.tables] == [["Ann", "Bo", "Cy", "Di"]]
    met = {frozenset(p) for r in reviews[:2] for p in r.pairs}
    assert met == {frozenset(p) for p in (("Ann", "Cy"), ("Ann", "Di"), ("Bo", "Cy"), ("Bo", "Di"))}


def test_a_series_does_not_repeat_an_activity_while_others_are_unused() -> None:
    """Five six-weekly meetings for twelve: every activity that makes no move of the paper's is
    new to the programme, while the group's own business comes back every time."""
    library = load_library()
    s = new_series(title="T", start=dt.date(2027, 2, 5), count=5, first_format="six-weekly")
    plans = plan_series(s, library)
    chosen = [[b.activity or "" for b in p.blocks if b.kind == "activity"] for p in plans]
    plain = [a for session in chosen for a in session if not library.activity(a).moves]
    assert len(plain) == len(set(plain)) >= 5
    business = {"live-issue", "our-shared-work"}
    assert all(business & set(session) for session in chosen)
