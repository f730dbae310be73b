"""The five-factor self-assessment: the questionnaire, reading answers, statistics and the focus."""

from __future__ import annotations

import csv
import io
import json
import math
import random
import re
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from rich.console import Console

from syslead.assessment.questionnaire import (
    DISAGREEMENT_MIN_RESPONDENTS,
    DISAGREEMENT_RANGE,
    DISAGREEMENT_SD,
    MAX_FOCUS,
    Questionnaire,
    Response,
    builtin_path,
    load_questionnaire,
    questionnaire_json_data,
)
from syslead.assessment.report import (
    CHART_CAPTION,
    bar,
    questionnaire_html,
    questionnaire_md,
    report_html,
    report_md,
    report_svg,
    report_table,
)
from syslead.assessment.responses import (
    MAX_PROBLEMS,
    parse_responses,
    questionnaire_csv_template,
    read_responses,
)
from syslead.assessment.statistics import (
    FactorStats,
    Report,
    disagrees,
    factor_stats,
    focus_cap_note,
    organisation_stats,
    recommend,
    report,
    report_json_data,
    round2,
    scored,
    with_flags,
)
from syslead.errors import InputError, SysleadError
from syslead.library.loader import load_library
from syslead.library.models import FACTOR_IDS

from .conftest import WriteTree
from .reading import same_json

CODES = {"shared-purpose": "sp", "personal-contact": "pc", "conflict": "cf"}
CODES |= {"altruism": "al", "long-term": "lt"}


def small_questionnaire() -> Questionnaire:
    """A questionnaire whose reverse items are known by construction: the fourth of each factor."""
    return Questionnaire.model_validate(
        {
            "id": "test",
            "title": "Test",
            "instructions": "Answer.",
            "scale": [{"value": v, "label": f"point {v}"} for v in range(1, 6)],
            "sections": [
                {
                    "factor": factor,
                    "title": factor.replace("-", " ").capitalize(),
                    "statements": [
                        {"id": f"{code}-{i}", "text": f"Statement {i}.", "reverse": i == 4}
                        for i in range(1, 5)
                    ],
                    "free_text": {"id": f"{code}-comment", "text": "Anything else?"},
                }
                for factor, code in CODES.items()
            ],
            "source": "A test fixture.",
        }
    )


Q = small_questionnaire()
BUILTIN = load_questionnaire()


def csv_text(q: Questionnaire, rows: list[dict[str, str]], columns: list[str] | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns or q.columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def answers(prefix: str, *values: int | None) -> dict[str, str]:
    return {f"{prefix}-{i}": "" if v is None else str(v) for i, v in enumerate(values, 1)}


def problems_for(text: str, q: Questionnaire = Q) -> list[str]:
    with pytest.raises(InputError) as caught:
        parse_responses(text, "answers.csv", q)
    return [str(p) for p in caught.value.problems]


# --- The built-in questionnaire -----------------------------------------------------------------


def test_builtin_questionnaire_has_four_statements_per_factor() -> None:
    q = BUILTIN
    assert q.id == "five-factor"
    assert [s.factor for s in q.ordered_sections] == list(FACTOR_IDS)
    for section in q.ordered_sections:
        assert len(section.statements) == 4
        assert any(st.reverse for st in section.statements), section.factor
        assert not all(st.reverse for st in section.statements), section.factor
        code = CODES[section.factor]
        assert [st.id for st in section.statements] == [f"{code}-{i}" for i in range(1, 5)]
        assert section.free_text is not None
        assert section.free_text.id.startswith(f"{code}-")
    texts = [st.text for _, st in q.statements]
    assert len(set(texts)) == len(texts) == 20
    assert [p.label for p in q.scale][0::4] == ["Strongly disagree", "Strongly agree"]
    for name in ("Team Climate Inventory", "Partnership Assessment Tool", "Wilder"):
        assert name in q.source


def test_builtin_file_has_no_yaml_tags_and_is_not_read_as_a_playbook() -> None:
    text = builtin_path().read_text(encoding="utf-8")
    assert not re.search(r"(^|\s)!", text)
    load_library()  # the assessment folder is skipped by the playbook loader


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["sections"][1]["statements"].pop(), "sections[1].statements: list should"),
        (lambda d: d["sections"].pop(2), "no section for: conflict"),
        (lambda d: d["sections"][0].update(factor="trust"), "unknown factor 'trust'"),
        (
            lambda d: d["sections"][0]["statements"][1].update(id="sp-1"),
            "ids are repeated: sp-1",
        ),
        (lambda d: d["sections"][0]["statements"][1].update(id="respondent"), "reserved"),
        (lambda d: d["scale"].pop(), "the scale must list the values [1, 2, 3, 4, 5]"),
        (lambda d: d.update(colour="blue"), "colour: unknown field"),
        (lambda d: d["sections"][0]["statements"][0].pop("reverse"), "reverse: required"),
    ],
)
def test_a_bad_questionnaire_gives_a_located_error(
    write_tree: WriteTree, change: Any, expected: str
) -> None:
    data = yaml.safe_load(builtin_path().read_text(encoding="utf-8"))
    change(data)
    root = write_tree({"q.yaml": yaml.safe_dump(data, sort_keys=False)})
    with pytest.raises(InputError) as caught:
        load_questionnaire(root / "q.yaml")
    message = str(caught.value)
    assert message.startswith(f"{root / 'q.yaml'}:")
    assert expected in message


def test_a_questionnaire_with_a_yaml_tag_is_refused(write_tree: WriteTree) -> None:
    text = builtin_path().read_text(encoding="utf-8")
    text = text.replace("id: five-factor", "id: !!python/object:os.system five-factor", 1)
    root = write_tree({"q.yaml": text})
    with pytest.raises(InputError):
        load_questionnaire(root / "q.yaml")


# --- Printable form, template and JSON ----------------------------------------------------------


def test_template_is_the_header_row_and_round_trips() -> None:
    template = questionnaire_csv_template(BUILTIN)
    header = template.splitlines()
    assert len(header) == 1
    columns = header[0].split(",")
    assert columns[:2] == ["respondent", "organisation"]
    assert columns[2:22] == [st.id for _, st in BUILTIN.statements]
    assert columns[22:] == [ft.id for _, ft in BUILTIN.free_texts]
    filled = template + "Ann,Council," + ",".join(["4"] * 20) + ",A shared plan,,,,\n"
    filled += "Bob,,1,2,,,,,,,,,,,,,,,,,,5,,,,,\n"
    ann, bob = parse_responses(filled, "filled.csv", BUILTIN)
    assert (ann.line, ann.respondent, ann.organisation) == (2, "Ann", "Council")
    assert ann.answers == {st.id: 4 for _, st in BUILTIN.statements}
    assert ann.comments == {"sp-comment": "A shared plan"}
    assert (bob.line, bob.organisation) == (3, None)
    assert bob.answers == {"sp-1": 1, "sp-2": 2, "lt-4": 5}


def test_questionnaire_json_lists_every_statement() -> None:
    data = questionnaire_json_data(BUILTIN)
    json.dumps(data)
    assert data["id"] == "five-factor"
    assert len(data["statements"]) == 20
    for item in data["statements"]:
        assert {"id", "factor", "text", "reverse"} <= set(item)
        assert item["factor"] in FACTOR_IDS
        assert isinstance(item["reverse"], bool)
    assert [f["factor"] for f in data["free_text"]] == list(FACTOR_IDS)
    assert data["columns"] == BUILTIN.columns


def test_printable_form_shows_every_statement_but_not_which_are_reversed() -> None:
    text = questionnaire_md(BUILTIN)
    for _, statement in BUILTIN.statements:
        assert f"| {statement.id} |" in text
    for _, question in BUILTIN.free_texts:
        assert question.id in text
    assert "reverse" not in text.lower()
    assert text.count("## ") == 5
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert html.count("<table>") == 5


def test_printable_form_escapes_text() -> None:
    q = Q.model_copy(update={"title": "Us <script>alert(1)</script> | *all*"})
    assert "\\<script\\>" in questionnaire_md(q)


# --- Scoring and statistics, by hand ------------------------------------------------------------


def test_reverse_scoring() -> None:
    assert [scored(v, True) for v in range(1, 6)] == [5, 4, 3, 2, 1]
    assert [scored(v, False) for v in range(1, 6)] == [1, 2, 3, 4, 5]
    # Strong agreement with a reverse-worded statement is a low score.
    (response,) = parse_responses(csv_text(Q, [answers("sp", None, None, None, 5)]), "a.csv", Q)
    stats = factor_stats(Q, [response])[0]
    assert (stats.mean, stats.min, stats.max, stats.n) == (1.0, 1, 1, 1)


# Three respondents; the fourth statement of each factor is reverse-scored. Scored answers:
#   A (Council) sp 4 4 4 4 | pc 3 3 3 3 | cf 5 1 5 5 | al 4 4 4 - | lt 5 5 5 5
#   B (Council) sp 4 5 4 4 | pc 2 2 2 2 | cf 1 1 1 1 | al 4 4 4 4 | lt 4 4 4 4
#   C (Trust)   sp 3 4 4 3 | pc 3 3 3 3 | cf 3 3 3 3 | al - - - - | lt 5 4 5 5
FIXTURE = csv_text(
    Q,
    [
        {
            "respondent": "A",
            "organisation": "Council",
            **answers("sp", 4, 4, 4, 2),
            **answers("pc", 3, 3, 3, 3),
            **answers("cf", 5, 1, 5, 1),
            **answers("al", 4, 4, 4, None),
            **answers("lt", 5, 5, 5, 1),
            "sp-comment": "Better care at home.",
        },
        {
            "respondent": "B",
            "organisation": " council ",
            **answers("sp", 4, 5, 4, 2),
            **answers("pc", 2, 2, 2, 4),
            **answers("cf", 1, 1, 1, 5),
            **answers("al", 4, 4, 4, 2),
            **answers("lt", 4, 4, 4, 2),
            "cf-comment": "Who pays <when> | money moves?",
        },
        {
            "respondent": "C",
            "organisation": "Trust",
            **answers("sp", 3, 4, 4, 3),
            **answers("pc", 3, 3, 3, 3),
            **answers("cf", 3, 3, 3, 3),
            **answers("al", None, None, None, None),
            **answers("lt", 5, 4, 5, 1),
            "sp-comment": "One budget.",
        },
    ],
)


def stats_row(s: FactorStats) -> tuple[Any, ...]:
    return (s.factor, round2(s.mean), round2(s.sd), s.min, s.max, s.n, s.respondents, s.flags)


def test_statistics_against_values_computed_by_hand() -> None:
    r = report(Q, parse_responses(FIXTURE, "fixture.csv", Q), min_group=1)
    assert r.respondents == 3
    # sp: sum 47 / 12; SS = 187 - 47^2/12 = 35/12; var = SS/11 = 35/132; sd = 0.5149
    # pc: sum 32 / 12; SS = 88 - 32^2/12 = 8/3; var = 8/33; sd = 0.4924
    # cf: sum 32 / 12; SS = 116 - 32^2/12 = 92/3; var = 92/33; sd = 1.6697
    # al: seven 4s (the blanks are left out, not counted as 0); sd 0
    # lt: sum 55 / 12; SS = 255 - 55^2/12 = 35/12; sd = 0.5149
    assert [stats_row(s) for s in r.factors] == [
        ("shared-purpose", 3.92, 0.51, 3, 5, 12, 3, []),
        ("personal-contact", 2.67, 0.49, 2, 3, 12, 3, ["lowest", "below-midpoint"]),
        ("conflict", 2.67, 1.67, 1, 5, 12, 3, ["lowest", "below-midpoint", "disagreement"]),
        ("altruism", 4.0, 0.0, 4, 4, 7, 2, []),
        ("long-term", 4.58, 0.51, 4, 5, 12, 3, []),
    ]
    exact = {s.factor: s for s in r.factors}
    assert exact["shared-purpose"].mean == 47 / 12
    assert exact["conflict"].sd == pytest.approx(math.sqrt(Fraction(92, 33)))
    assert exact["personal-contact"].mean == exact["conflict"].mean  # a true tie, not rounding
    assert r.recommended_focus == ["personal-contact", "conflict"]
    assert r.focus_reasons == {
        "personal-contact": ["lowest", "below-midpoint"],
        "conflict": ["lowest", "below-midpoint", "disagreement"],
    }
    assert r.flags == {
        "lowest": ["personal-contact", "conflict"],
        "below-midpoint": ["personal-contact", "conflict"],
        "disagreement": ["conflict"],
        "no-answers": [],
    }
    assert r.comments == {
        "shared-purpose": ["Better care at home.", "One budget."],
        "conflict": ["Who pays <when> | money moves?"],
    }


def test_statistics_by_organisation() -> None:
    r = report(Q, parse_responses(FIXTURE, "fixture.csv", Q), min_group=1)
    council, trust = r.by_organisation
    # "Council" and " council " are one organisation, named as first spelled.
    assert (council.organisation, council.respondents) == ("Council", 2)
    # sp: 33 / 8 = 4.125, which rounds half up to 4.13; SS = 137 - 33^2/8 = 7/8; sd = sqrt(1/8)
    # pc: 20 / 8 = 2.5; SS = 2; sd = sqrt(2/7)
    # cf: 20 / 8 = 2.5; SS = 30; sd = sqrt(30/7) = 2.0702. A's own mean is 4 and B's is 1, three
    # points apart, but two people are not a divided group: no disagreement flag.
    assert [stats_row(s) for s in council.factors] == [
        ("shared-purpose", 4.13, 0.35, 4, 5, 8, 2, []),
        ("personal-contact", 2.5, 0.53, 2, 3, 8, 2, ["lowest", "below-midpoint"]),
        ("conflict", 2.5, 2.07, 1, 5, 8, 2, ["lowest", "below-midpoint"]),
        ("altruism", 4.0, 0.0, 4, 4, 7, 2, []),
        ("long-term", 4.5, 0.53, 4, 5, 8, 2, []),
    ]
    # A mean of exactly 3 is not below the midpoint; nobody at the Trust answered on altruism.
    assert (trust.organisation, trust.respondents) == ("Trust", 1)
    assert [stats_row(s) for s in trust.factors] == [
        ("shared-purpose", 3.5, 0.58, 3, 4, 4, 1, []),
        ("personal-contact", 3.0, 0.0, 3, 3, 4, 1, ["lowest"]),
        ("conflict", 3.0, 0.0, 3, 3, 4, 1, ["lowest"]),
        ("altruism", None, None, None, None, 0, 0, ["no-answers"]),
        ("long-term", 4.75, 0.5, 4, 5, 4, 1, []),
    ]
    conflict = council.factors[2]
    assert (conflict.respondent_min, conflict.respondent_max) == (1.0, 4.0)
    assert conflict.respondent_sd == pytest.approx(3 / math.sqrt(2))  # sqrt(9/2): two means 3 apart
    assert [people_row(s) for s in trust.factors][2:4] == [
        ("conflict", 0.0, 3.0, 3.0),  # one respondent: no spread between people
        ("altruism", None, None, None),
    ]


def test_organisations_are_ordered_by_name_as_a_person_reads_it() -> None:
    """By name, case and spacing aside ("North Trust" before "Northern Council", as in a
    dictionary), shown as first spelled; respondents who gave no organisation come last."""
    rows = [
        {"organisation": "Northern Council", **answers("sp", 4, 4, 4, 2)},
        {"organisation": "North Trust", **answers("sp", 3, 3, 3, 3)},
        {"organisation": "", **answers("sp", 2, 2, 2, 4)},
        {"organisation": "north  TRUST", **answers("sp", 5, 5, 5, 1)},
    ]
    groups, hidden = organisation_stats(Q, parse_responses(csv_text(Q, rows), "a.csv", Q), 1)
    assert [(g.organisation, g.respondents) for g in groups] == [
        ("North Trust", 2),
        ("Northern Council", 1),
        (None, 1),
    ]
    assert hidden == 0
    assert [g.factors[0].mean for g in groups] == [4.0, 4.0, 2.0]


def test_differences_name_the_first_group_listed_on_a_tie_and_a_group_without_a_name() -> None:
    """One person each: the Council, the Trust and someone who gave no organisation (listed last).
    sp: Council 4, Trust 2, not given 4 (a tie at the top: the Council, listed first, is named);
    pc: 3, 3, 5 (the person without an organisation highest); cf: 5, 1, 1 (a tie at the bottom:
    the Trust, listed before the person without an organisation)."""
    rows = [
        {"organisation": "Trust", **answers("sp", 2, 2, 2, 4), **answers("pc", 3, 3, 3, 3)},
        {"organisation": "", **answers("sp", 4, 4, 4, 2), **answers("pc", 5, 5, 5, 1)},
        {"organisation": "Council", **answers("sp", 4, 4, 4, 2), **answers("pc", 3, 3, 3, 3)},
    ]
    rows[0] |= answers("cf", 1, 1, 1, 5)
    rows[1] |= answers("cf", 1, 1, 1, 5)
    rows[2] |= answers("cf", 5, 5, 5, 1)
    r = report(Q, parse_responses(csv_text(Q, rows), "a.csv", Q), min_group=1)
    assert [(o.organisation, o.respondents) for o in r.by_organisation] == [
        ("Council", 1),
        ("Trust", 1),
        (None, 1),
    ]
    assert [(d.factor, d.highest, d.lowest, d.gap) for d in r.differences] == [
        ("conflict", "Council", "Trust", 4.0),
        ("shared-purpose", "Council", "Trust", 2.0),
        ("personal-contact", "Organisation not given", "Council", 2.0),
    ]
    assert [(d.highest_mean, d.lowest_mean) for d in r.differences] == [
        (5.0, 1.0),
        (4.0, 2.0),
        (5.0, 3.0),
    ]


def test_small_organisations_are_pooled_once_the_pool_reaches_the_smallest_group() -> None:
    """min_group 3: the Trust (3) is shown; the Council (1) and the Hospice (2) pool to exactly 3,
    so the pool is shown, counting two organisations. sp views: Trust 4 4 4; Council 2; Hospice
    1 and 3, so the pool's sp mean is (2 + 1 + 3) / 3 = 2."""
    rows = [{"organisation": "Trust", **answers("sp", 4, 4, 4, 2)}] * 3
    rows += [{"organisation": "Council", **answers("sp", 2, 2, 2, 4)}]
    rows += [{"organisation": "Hospice", **answers("sp", v, v, v, 6 - v)} for v in (1, 3)]
    responses = parse_responses(csv_text(Q, rows), "a.csv", Q)
    groups, hidden = organisation_stats(Q, responses, 3)
    assert [(g.organisation, g.respondents, g.pooled) for g in groups] == [
        ("Trust", 3, 0),
        ("Other organisations", 3, 2),
    ]
    assert hidden == 0
    pool = groups[1].factors[0]
    assert (pool.mean, pool.n, pool.respondents, pool.min, pool.max) == (2.0, 12, 3, 1, 3)
    # One more required: the pool of three is too small, and counts only in the totals.
    groups, hidden = organisation_stats(Q, responses, 4)
    assert (groups, hidden) == ([], 6)  # nobody is shown: one pool would repeat the totals
    trust_only = [r for r in responses if r.organisation != "Hospice"]
    groups, hidden = organisation_stats(Q, trust_only, 3)
    assert ([g.organisation for g in groups], hidden) == (["Trust"], 1)


def test_two_answers_have_a_spread_and_one_has_none() -> None:
    """Sample standard deviation over two answers 2 and 4: sqrt(((-1)^2 + 1^2) / 1) = sqrt 2."""
    (two,) = parse_responses(csv_text(Q, [answers("sp", 2, 4, None, None)]), "a.csv", Q)
    stats = factor_stats(Q, [two])[0]
    assert (stats.n, stats.mean, stats.sd) == (2, 3.0, pytest.approx(math.sqrt(2)))


def test_disagreement_thresholds_are_inclusive_and_need_answers() -> None:
    """At least three respondents, and a spread between them of at least 0.8 or a range of at
    least 2 points (both inclusive); a factor nobody answered never shows disagreement."""

    def stats(respondents: int, sd: float | None, low: float | None, high: float | None) -> Any:
        return FactorStats(
            factor="conflict", title="Conflict", mean=None if sd is None else 3.0, sd=sd,
            min=None, max=None, n=respondents * 4, respondents=respondents,
            respondent_sd=sd, respondent_min=low, respondent_max=high,
        )  # fmt: skip

    assert disagrees(stats(3, 0.8, 3.0, 4.0))
    assert not disagrees(stats(3, 0.79, 3.0, 4.75))
    assert disagrees(stats(3, 0.5, 2.0, 4.0))
    assert not disagrees(stats(2, 2.0, 1.0, 5.0))
    assert not disagrees(stats(0, None, None, None))


def test_with_no_answers_at_all_every_factor_says_so_and_nothing_is_recommended() -> None:
    r = report(Q, [Response(respondent="A")])
    assert [s.flags for s in r.factors] == [["no-answers"]] * 5
    assert (r.recommended_focus, r.flags["lowest"]) == ([], [])


def test_a_smallest_group_below_one_is_refused() -> None:
    responses = parse_responses(FIXTURE, "fixture.csv", Q)
    with pytest.raises(SysleadError) as caught:
        organisation_stats(Q, responses, 0)
    assert (str(caught.value), caught.value.field) == (
        "min_group 0: must be at least 1",
        "min_group",
    )


def test_the_focus_cap_note_names_each_factor_left_out_with_its_reasons() -> None:
    """Three people; own views per factor (every statement scores the view):
    sp 1 1 1 (lowest, below the midpoint); pc, cf 1 2 5 and al 1 3 4 (each mean 8/3, below the
    midpoint, and views 3 or 4 points apart: two reasons); lt 2 4 5 (mean 11/3, views 3 apart).
    The focus keeps the lowest, then pc and cf (two reasons, the same mean, the paper's order)."""
    views = {"sp": (1, 1, 1), "pc": (1, 2, 5), "cf": (1, 2, 5), "al": (1, 3, 4), "lt": (2, 4, 5)}
    rows = [
        {
            k: v
            for code, people in views.items()
            for k, v in answers(code, *[people[i]] * 3, 6 - people[i]).items()
        }
        for i in range(3)
    ]
    r = report(Q, parse_responses(csv_text(Q, rows), "a.csv", Q))
    assert r.recommended_focus == ["shared-purpose", "personal-contact", "conflict"]
    assert r.focus_left_out == {
        "altruism": ["below-midpoint", "disagreement"],
        "long-term": ["disagreement"],
    }
    assert focus_cap_note(r) == (
        "5 factors are flagged for focus, but the recommended focus keeps at most 3 (the lowest "
        "first, then those with most reasons); also flagged: Altruism (below the midpoint and "
        "wide disagreement); Long term (wide disagreement)"
    )
    assert focus_cap_note(report(Q, parse_responses(FIXTURE, "fixture.csv", Q))) is None


def people_row(s: FactorStats) -> tuple[Any, ...]:
    return (s.factor, round2(s.respondent_sd), s.respondent_min, s.respondent_max)


def test_spread_between_people_against_values_computed_by_hand() -> None:
    r = report(Q, parse_responses(FIXTURE, "fixture.csv", Q), min_group=1)
    # Each respondent's own mean (scored answers in the FIXTURE comment above):
    #   sp: A 16/4 = 4,  B 17/4 = 4.25, C 14/4 = 3.5;  mean 47/12
    #       deviations 1/12, 4/12, -5/12; SS = 42/144 = 7/24; var = 7/48; sd = 0.3819
    #   pc: A 3, B 2, C 3; mean 8/3; deviations 1/3, -2/3, 1/3; SS = 2/3; var 1/3; sd = 0.5774
    #   cf: A 16/4 = 4, B 1, C 3; mean 8/3; deviations 4/3, -5/3, 1/3; SS = 42/9; var 7/3;
    #       sd = 1.5275, range 3: flagged
    #   al: A 12/3 = 4, B 4; C answered none, so is left out (not a mean of 0); sd 0
    #   lt: A 5, B 4, C 19/4; mean 55/12; deviations 5/12, -7/12, 2/12; SS = 78/144; var 13/48;
    #       sd = 0.5204
    assert [people_row(s) for s in r.factors] == [
        ("shared-purpose", 0.38, 3.5, 4.25),
        ("personal-contact", 0.58, 2.0, 3.0),
        ("conflict", 1.53, 1.0, 4.0),
        ("altruism", 0.0, 4.0, 4.0),
        ("long-term", 0.52, 4.0, 5.0),
    ]
    exact = {s.factor: s.respondent_sd for s in r.factors}
    assert exact["shared-purpose"] == pytest.approx(math.sqrt(Fraction(7, 48)))
    assert exact["personal-contact"] == pytest.approx(math.sqrt(Fraction(1, 3)))
    assert exact["conflict"] == pytest.approx(math.sqrt(Fraction(7, 3)))
    assert exact["long-term"] == pytest.approx(math.sqrt(Fraction(13, 48)))
    # The pooled figures are unchanged: conflict's answers still run from 1 to 5.
    assert (r.factors[2].min, r.factors[2].max) == (1, 5)
    # Only conflict's respondents disagree; sp's pooled answers run 3-5 but its people agree.
    assert r.flags["disagreement"] == ["conflict"]
    data = report_json_data(r)["factors"][2]
    assert (data["respondent_sd"], data["respondent_min"], data["respondent_max"]) == (
        1.53,
        1.0,
        4.0,
    )


def test_no_organisation_column_means_no_breakdown() -> None:
    columns = [c for c in Q.columns if c != "organisation"]
    rows = [{"respondent": "A", **answers("sp", 1, 2, 3, 4)}]
    r = report(Q, parse_responses(csv_text(Q, rows, columns), "a.csv", Q), min_group=1)
    assert r.by_organisation == []
    assert "By organisation" not in report_md(r)


def test_respondents_without_an_organisation_are_grouped_last() -> None:
    rows = [
        {"organisation": "", **answers("sp", 4, 4, 4, 2)},
        {"organisation": "Acute trust", **answers("sp", 2, 2, 2, 4)},
    ]
    r = report(Q, parse_responses(csv_text(Q, rows), "a.csv", Q), min_group=1)
    assert [(o.organisation, o.respondents) for o in r.by_organisation] == [
        ("Acute trust", 1),
        (None, 1),
    ]


def test_one_answer_has_no_spread() -> None:
    (response,) = parse_responses(csv_text(Q, [answers("lt", 2, None, None, None)]), "a.csv", Q)
    s = factor_stats(Q, [response])[4]
    assert (s.mean, s.sd, s.min, s.max, s.n) == (2.0, 0.0, 2, 2, 1)
    assert factor_stats(Q, [response])[0].flags == ["no-answers"]


def test_a_blank_answer_is_missing_not_zero() -> None:
    rows = [answers("sp", 4, None, None, None), answers("sp", None, 2, None, None)]
    responses = parse_responses(csv_text(Q, rows), "a.csv", Q)
    assert [r.answers for r in responses] == [{"sp-1": 4}, {"sp-2": 2}]
    s = factor_stats(Q, responses)[0]
    assert (s.mean, s.n, s.min) == (3.0, 2, 2)


def person(*scores: int) -> Response:
    """A respondent's scored answers to shared-purpose (sp-4 is reverse-scored, so is stored as
    6 minus its score)."""
    return Response(
        answers={
            f"sp-{i}": 6 - v if i == 4 else v for i, v in enumerate(scores, 1) if v is not None
        }
    )


@pytest.mark.parametrize(
    ("people", "flagged"),
    [
        # Own means 2, 3, 4: sd exactly 1.0 and range 2.
        ([(2,), (3,), (4,)], True),
        # Two camps of three a point and a half apart (2.5 against 4): sd 0.82.
        ([(2, 3), (2, 3), (2, 3), (4,), (4,), (4,)], True),
        # Two camps of three one point apart (3 against 4): sd 0.55, range 1.
        ([(3,), (3,), (3,), (4,), (4,), (4,)], False),
        # Means 2.5, 2.5, 3.75, 4: sd 0.8004, range 1.5; just over the threshold.
        ([(2, 3), (3, 2), (4, 4, 4, 3), (4,)], True),
        # Means 2.25, 2.5, 3.25, 4: sd 0.7906, range 1.75; just under both thresholds.
        ([(2, 2, 2, 3), (2, 3), (3, 3, 3, 4), (4,)], False),
        # Nine at 4 and one lone dissenter at 2: sd 0.63, but the means span 2 points.
        ([(4,)] * 9 + [(2,)], True),
        # ... and at 2.25 the span is 1.75 and the sd 0.55: not flagged.
        ([(4,)] * 9 + [(2, 2, 3, 2)], False),
        # Means 5/3 and 11/3 (2 points apart, 1.9999999999999998 in floats) among eight at 8/3.
        ([(1, 2, 2), (4, 4, 3)] + [(3, 3, 2)] * 8, True),
        # Two respondents at 1 and 5: far apart, but two people are not a divided group.
        ([(1,), (5,)], False),
        # Each person answers unevenly (pooled answers 1 to 5, sd 1.71) but all hold one view.
        ([(1, 5, 3, 5), (5, 1, 5, 3), (3, 5, 1, 5), (5, 3, 5, 1)], False),
    ],
)
def test_disagreement_thresholds(people: list[tuple[int, ...]], flagged: bool) -> None:
    assert (DISAGREEMENT_SD, DISAGREEMENT_RANGE, DISAGREEMENT_MIN_RESPONDENTS) == (0.8, 2.0, 3)
    s = factor_stats(Q, [person(*p) for p in people])[0]
    assert s.respondents == len(people)
    assert ("disagreement" in s.flags) is flagged


def test_noise_within_each_person_no_longer_flags_every_factor() -> None:
    """Twelve people who all hold the same view of every factor (a mean of 3.5) but spread their
    four answers at random: every factor's pooled answers run from 1 to 5 with a standard
    deviation over 1, which the old pooled rule flagged, yet nobody disagrees with anybody."""
    rng = random.Random(7)
    patterns = [(1, 4, 4, 5), (2, 3, 4, 5), (2, 2, 5, 5), (1, 3, 5, 5), (3, 3, 3, 5), (2, 4, 4, 4)]
    responses = []
    for _ in range(12):
        row: dict[str, int] = {}
        for code in CODES.values():
            scores = list(rng.choice(patterns))
            rng.shuffle(scores)
            row |= {f"{code}-{i}": 6 - v if i == 4 else v for i, v in enumerate(scores, 1)}
        responses.append(Response(answers=row))
    factors = factor_stats(Q, responses)
    for s in factors:
        assert s.sd is not None
        assert s.sd >= 1.0
        assert (s.min, s.max) == (1, 5)
        assert (s.respondent_sd, s.respondent_min, s.respondent_max) == (0.0, 3.5, 3.5)
        assert "disagreement" not in s.flags


# --- The recommended focus ----------------------------------------------------------------------


def stats(
    factor: str, mean: float, sd: float = 0.3, low: float = 3.0, high: float = 4.0
) -> FactorStats:
    """Statistics with the given spread between people (the pooled spread plays no part)."""
    return FactorStats(
        factor=factor,
        title=factor,
        mean=mean,
        sd=1.5,
        min=1,
        max=5,
        n=24,
        respondents=6,
        respondent_sd=sd,
        respondent_min=low,
        respondent_max=high,
    )


def flagged(*items: FactorStats) -> list[FactorStats]:
    return with_flags(items)


def test_the_lowest_factor_is_recommended_even_when_all_is_well() -> None:
    factors = flagged(*(stats(f, 4.0 + i / 10) for i, f in enumerate(FACTOR_IDS)))
    assert recommend(factors) == (["shared-purpose"], {"shared-purpose": ["lowest"]})


def test_focus_is_capped_and_prefers_more_reasons_then_lower_means() -> None:
    factors = flagged(
        stats("shared-purpose", 4.2, sd=1.2, low=1, high=5),  # disagreement only
        stats("personal-contact", 2.9),  # below midpoint only
        stats("conflict", 3.5),  # nothing
        stats("altruism", 2.95, sd=1.1, low=1, high=5),  # both
        stats("long-term", 2.0),  # lowest
    )
    focus, reasons = recommend(factors)
    assert focus == ["personal-contact", "altruism", "long-term"]
    assert reasons["altruism"] == ["below-midpoint", "disagreement"]
    assert len(focus) == MAX_FOCUS


def test_every_factor_tied_for_lowest_is_recommended() -> None:
    # The answers single none of them out, so none is dropped to keep the focus short.
    factors = flagged(*(stats(f, 2.5) for f in FACTOR_IDS))
    assert recommend(factors)[0] == list(FACTOR_IDS)
    four = flagged(*(stats(f, 2.5) for f in FACTOR_IDS[:4]), stats(FACTOR_IDS[4], 4.0))
    assert recommend(four)[0] == list(FACTOR_IDS[:4])
    # Three tie for lowest: they fill the focus, and a fourth flagged factor is left out.
    sp, pc, cf, al, lt = FACTOR_IDS
    three = flagged(stats(sp, 2.0), stats(pc, 2.0), stats(cf, 2.0), stats(al, 2.75), stats(lt, 4.0))
    assert recommend(three) == (
        [sp, pc, cf],
        {
            sp: ["lowest", "below-midpoint"],
            pc: ["lowest", "below-midpoint"],
            cf: ["lowest", "below-midpoint"],
        },
    )


# --- Bad CSV ------------------------------------------------------------------------------------


def test_every_problem_in_a_file_is_listed_in_one_error() -> None:
    header = [c for c in Q.columns if c != "pc-2"] + ["colour"]
    rows = [
        {**answers("sp", 4, 4, 4, 4), "colour": ""},
        {**answers("sp", 7, 0, 4, 4), "colour": ""},
        {**answers("sp", 4, 4, 4, 4), "colour": "blue"},
        {**answers("sp", 4, 4, 4, 4), "cf-1": "agree", "al-3": "3.5", "colour": ""},
    ]
    text = csv_text(Q, rows, header)
    problems = problems_for(text)
    assert problems == [
        "answers.csv:1: missing column for statement pc-2 "
        "(every statement needs a column, even if its cells are left blank)",
        "answers.csv:1: colour (column AA): unknown column (it is not in the template)",
        "answers.csv:3: sp-1 (column C): 7 is outside the scale "
        "(expected a whole number from 1 to 5, or a blank cell for no answer)",
        "answers.csv:3: sp-2 (column D): 0 is outside the scale "
        "(expected a whole number from 1 to 5, or a blank cell for no answer)",
        "answers.csv:5: al-3 (column P): expected a whole number from 1 to 5, "
        "or a blank cell for no answer, got '3.5'",
        "answers.csv:5: cf-1 (column J): expected a whole number from 1 to 5, "
        "or a blank cell for no answer, got 'agree'",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "answers.csv: the file is empty"),
        ("\ufeff \n\n", "answers.csv: the file is empty"),
        ("name,score\nAnn,4\n", "answers.csv:1: the first row is not the header"),
        (",".join(Q.columns) + "\n", "answers.csv:1: no responses"),
        (",".join(Q.columns) + "\nAnn,Council" + "," * 25 + "\n", "answers.csv: no answers"),
        (
            ",".join(Q.columns) + ",sp-1\n",
            "answers.csv:1: sp-1 (column AB): the column appears more than once (first in column C)",
        ),
        ("respondent,sp-1,sp-2\nA,1,2\n", "missing columns for statements sp-3, sp-4, pc-1"),
        ("respondent,sp-1,SP-2,sp_3\n", "sp_3 (column D): unknown column (did you mean sp-3?)"),
        (
            ",".join(Q.columns) + "\nA,,1" + "," * 30 + "5\n",
            "answers.csv:2: column AG: the row has 33 cells but the header has 27 columns: "
            "this cell is past the header's last column",
        ),
        (
            ",".join(Q.columns) + "\nA,,1,2\n",
            "answers.csv:2: sp-3 (column E): the row has 4 cells but the header has 27 columns: "
            "the cells from this column on are missing",
        ),
        (
            ",".join(Q.columns) + "\nA,,1" + "," * 23 + "\n",
            "answers.csv:2: lt-comment (column AA): the row has 26 cells but the header has "
            "27 columns: the cells from this column on are missing",
        ),
        (",".join(Q.columns) + ",\nA,,1" + "," * 25 + "x\n", "answers.csv:2: column AB: a value"),
        (
            ",".join(Q.columns) + '\nA,"' + "x" * 200_000 + '"\n',
            "answers.csv:2: this is not readable as CSV: field larger than field limit",
        ),
    ],
)
def test_each_kind_of_bad_csv(text: str, expected: str) -> None:
    problems = problems_for(text)
    assert any(expected in p for p in problems), problems


def test_too_many_problems_are_cut_short_with_a_count() -> None:
    rows = [answers("sp", 9, 9, 9, 9) for _ in range(20)]
    with pytest.raises(InputError) as caught:
        parse_responses(csv_text(Q, rows), "answers.csv", Q)
    lines = str(caught.value).splitlines()
    assert lines[0] == f"answers.csv: 80 problems; the first {MAX_PROBLEMS} follow"
    assert len(lines) == MAX_PROBLEMS + 1
    assert lines[1].startswith("answers.csv:2: sp-1")


def test_undecodable_and_missing_files(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_bytes(b"respondent,sp-1\n\xff\xfe,4\n")
    with pytest.raises(InputError, match=r"answers.csv:2: the file is not UTF-8 text"):
        read_responses(path, Q)
    with pytest.raises(InputError, match="no such responses file"):
        read_responses(tmp_path / "missing.csv", Q)


def test_bom_spaces_case_blank_rows_and_semicolons_are_tolerated(tmp_path: Path) -> None:
    header = " ; ".join(c.upper() if c.startswith("sp") else c for c in Q.columns)
    header = header.replace("organisation", "Organization")
    body = " Ann ; Council ; 4 ; 5.0 ;  ; 1 " + ";" * 23 + "\n;;;\n\n"
    path = tmp_path / "answers.csv"
    path.write_bytes(("\ufeff" + header + "\r\n" + body).encode("utf-8"))
    (response,) = read_responses(path, Q)
    assert response.respondent == "Ann"
    assert response.organisation == "Council"
    assert response.answers == {"sp-1": 4, "sp-2": 5, "sp-4": 1}


# --- Report output ------------------------------------------------------------------------------


def factor_json(
    factor: str,
    pooled: tuple[float | None, float | None, int | None, int | None, int, int],
    people: tuple[float | None, float | None, float | None],
    flags: list[str],
) -> dict[str, Any]:
    """One factor's JSON: pooled (mean, sd, min, max, n, respondents), people's (sd, min, max)."""
    mean, sd, low, high, n, respondents = pooled
    return {
        "factor": factor,
        "title": factor.replace("-", " ").capitalize(),
        "mean": mean,
        "sd": sd,
        "min": low,
        "max": high,
        "n": n,
        "respondents": respondents,
        "respondent_sd": people[0],
        "respondent_min": people[1],
        "respondent_max": people[2],
        "flags": flags,
    }


def test_report_json_has_the_documented_shape_with_values_worked_by_hand() -> None:
    """docs/formats.md: every key of `assess report --to json`, its type and its value.

    Scored answers are in the FIXTURE comment; min_group 1 shows the Council (A, B) and the Trust
    (C) on their own. Means and standard deviations are rounded half up to two decimals.
    """
    data = report_json_data(report(Q, parse_responses(FIXTURE, "fixture.csv", Q), min_group=1))
    low, below, split = "lowest", "below-midpoint", "disagreement"
    # Overall (worked in test_statistics_against_values_computed_by_hand and
    # test_spread_between_people_against_values_computed_by_hand).
    overall = [
        factor_json("shared-purpose", (3.92, 0.51, 3, 5, 12, 3), (0.38, 3.5, 4.25), []),
        factor_json("personal-contact", (2.67, 0.49, 2, 3, 12, 3), (0.58, 2.0, 3.0), [low, below]),
        factor_json("conflict", (2.67, 1.67, 1, 5, 12, 3), (1.53, 1.0, 4.0), [low, below, split]),
        factor_json("altruism", (4.0, 0.0, 4, 4, 7, 2), (0.0, 4.0, 4.0), []),
        factor_json("long-term", (4.58, 0.51, 4, 5, 12, 3), (0.52, 4.0, 5.0), []),
    ]
    # The Council: A and B. Own means sp 4 and 4.25 (sd 0.25/sqrt 2 = 0.1768), pc 3 and 2
    # (sd 1/sqrt 2 = 0.7071), cf 4 and 1 (3/sqrt 2 = 2.1213), al 4 and 4, lt 5 and 4 (0.7071).
    council = [
        factor_json("shared-purpose", (4.13, 0.35, 4, 5, 8, 2), (0.18, 4.0, 4.25), []),
        factor_json("personal-contact", (2.5, 0.53, 2, 3, 8, 2), (0.71, 2.0, 3.0), [low, below]),
        factor_json("conflict", (2.5, 2.07, 1, 5, 8, 2), (2.12, 1.0, 4.0), [low, below]),
        factor_json("altruism", (4.0, 0.0, 4, 4, 7, 2), (0.0, 4.0, 4.0), []),
        factor_json("long-term", (4.5, 0.53, 4, 5, 8, 2), (0.71, 4.0, 5.0), []),
    ]
    # The Trust: C alone. sp 3 4 4 3 (mean 3.5, SS 1, sd sqrt(1/3) = 0.5774); lt 5 4 5 5 (mean
    # 4.75, SS 0.75, sd 0.5); one person, so no spread between people; nobody on altruism.
    trust = [
        factor_json("shared-purpose", (3.5, 0.58, 3, 4, 4, 1), (0.0, 3.5, 3.5), []),
        factor_json("personal-contact", (3.0, 0.0, 3, 3, 4, 1), (0.0, 3.0, 3.0), [low]),
        factor_json("conflict", (3.0, 0.0, 3, 3, 4, 1), (0.0, 3.0, 3.0), [low]),
        factor_json("altruism", (None, None, None, None, 0, 0), (None, None, None), ["no-answers"]),
        factor_json("long-term", (4.75, 0.5, 4, 5, 4, 1), (0.0, 4.75, 4.75), []),
    ]
    expected = {
        "questionnaire": "test",
        "respondents": 3,
        "scale": {"min": 1, "max": 5},
        "factors": overall,
        "by_organisation": [
            {"organisation": "Council", "respondents": 2, "pooled": 0, "factors": council},
            {"organisation": "Trust", "respondents": 1, "pooled": 0, "factors": trust},
        ],
        "min_group": 1,
        "hidden_respondents": 0,
        # Council against Trust: sp 4.125 - 3.5 = 0.625 (half up: 0.63); pc and cf 3 - 2.5;
        # lt 4.75 - 4.5; altruism has only the Council's mean. Widest first, ties in factor order.
        "differences": [
            {
                "factor": "shared-purpose",
                "highest": "Council",
                "highest_mean": 4.13,
                "lowest": "Trust",
                "lowest_mean": 3.5,
                "gap": 0.63,
            },
            {
                "factor": "personal-contact",
                "highest": "Trust",
                "highest_mean": 3.0,
                "lowest": "Council",
                "lowest_mean": 2.5,
                "gap": 0.5,
            },
            {
                "factor": "conflict",
                "highest": "Trust",
                "highest_mean": 3.0,
                "lowest": "Council",
                "lowest_mean": 2.5,
                "gap": 0.5,
            },
            {
                "factor": "long-term",
                "highest": "Trust",
                "highest_mean": 4.75,
                "lowest": "Council",
                "lowest_mean": 4.5,
                "gap": 0.25,
            },
        ],
        "flags": {
            "lowest": ["personal-contact", "conflict"],
            "below-midpoint": ["personal-contact", "conflict"],
            "disagreement": ["conflict"],
            "no-answers": [],
        },
        "recommended_focus": ["personal-contact", "conflict"],
        "focus_reasons": {"personal-contact": [low, below], "conflict": [low, below, split]},
        "focus_left_out": {},
        # The thresholds as the questionnaire module documents them: a standard deviation of 0.8
        # or a range of 2 points between people's own means, among three or more respondents; a
        # mean below the midpoint 3; at most three factors in the focus.
        "thresholds": {
            "disagreement_sd": 0.8,
            "disagreement_range": 2.0,
            "disagreement_min_respondents": 3,
            "low_mean": 3.0,
            "max_focus": 3,
        },
        "comments": {
            "shared-purpose": ["Better care at home.", "One budget."],
            "conflict": ["Who pays <when> | money moves?"],
        },
    }
    same_json(json.loads(json.dumps(data)), expected)


def test_report_markdown_tables_focus_and_escaping() -> None:
    rows = [
        {"organisation": "<b>Council</b> | *x*", **answers("sp", 4, 4, 4, 2)},
        {"organisation": "Trust", **answers("sp", 2, 2, 2, 4), "sp-comment": "[a](javascript:x)"},
    ]
    text = report_md(report(Q, parse_responses(csv_text(Q, rows), "a.csv", Q), min_group=1))
    assert "## Recommended focus" in text
    assert "the lowest mean of the five (3.00)" in text
    assert "\\<b\\>Council\\</b\\> \\| \\*x\\*" in text
    assert "\\[a\\](javascript:x)" in text
    assert "one person's answers" in text
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<b>" not in html
    assert "href" not in html
    assert html.count("<table>") == 3  # overall and two organisations


def test_bars_and_rounding() -> None:
    assert bar(1.0) == ""
    assert bar(5.0) == "█" * 20
    assert bar(3.0) == "█" * 10
    assert bar(None) == ""
    assert round2(2.125) == 2.13
    assert round2(2.675) == 2.68
    assert round2(None) is None


# --- Terminal table, chart and HTML pages -----------------------------------------------------


def fixture_report() -> Report:
    return report(Q, parse_responses(FIXTURE, "fixture.csv", Q), min_group=1)


def test_report_table_reads_in_a_plain_terminal() -> None:
    console = Console(record=True, width=100, file=io.StringIO(), color_system=None)
    console.print(report_table(fixture_report()))
    text = console.export_text()
    lines = text.splitlines()
    assert all(len(line) <= 100 for line in lines)
    assert "…" not in text  # nothing is cut short
    row = next(line for line in lines if line.lstrip().startswith("Shared purpose"))
    # mean, a bar of 11.67 of 16 characters (4 per point), sd, min-max, n, sd between people
    assert row.split()[2:] == ["3.92", "███████████▋", "0.51", "3-5", "12", "0.38"]
    header = next(line for line in lines if "factor" in line and "mean" in line)
    assert "1   2   3   4   5" in header
    conflict = next(line for line in lines if line.lstrip().startswith("Conflict"))
    assert "1.53" in conflict
    assert "lowest, below midpoint," in text
    assert "wide disagreement" in text
    assert "By organisation" in text
    council = next(line for line in lines if line.lstrip().startswith("Council"))
    assert council.split()[1:] == ["2", "4.13", "2.50", "L", "B", "2.50", "L", "B", "4.00", "4.50"]
    trust = next(line for line in lines if line.lstrip().startswith("Trust"))
    assert trust.split()[1:] == ["1", "3.50", "3.00", "L", "3.00", "L", "—", "4.75"]
    assert "Recommended focus" in text
    assert "1. Personal contact (personal-contact): the lowest mean of the five (2.67)" in text
    assert "wide disagreement between people (the 3 respondents' own means run from 1.00 to" in text


def test_report_table_shows_names_as_typed_and_fits_80_columns() -> None:
    rows = [
        {"organisation": "[b]Trust[/b]", **answers("sp", 4, 4, 4, 2)},
        {"organisation": "", **answers("sp", 2, 2, 2, 4)},
    ]
    console = Console(record=True, width=80, file=io.StringIO(), color_system=None)
    console.print(
        report_table(report(Q, parse_responses(csv_text(Q, rows), "a.csv", Q), min_group=1))
    )
    text = console.export_text()
    assert "[b]Trust[/b]" in text
    assert "(not given)" in text
    assert "…" not in text
    assert all(len(line) <= 80 for line in text.splitlines())
    # Without organisations there is no breakdown.
    responses = [Response(answers={"sp-1": 4}), Response(answers={"sp-1": 2})]
    console = Console(record=True, width=100, file=io.StringIO(), color_system=None)
    console.print(report_table(report(Q, responses)))
    assert "By organisation" not in console.export_text()


SVG = "{http://www.w3.org/2000/svg}"


def test_report_svg_is_well_formed_with_one_bar_per_factor() -> None:
    r = fixture_report()
    svg = report_svg(r)
    assert svg == report_svg(r)  # deterministic
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    label = root.get("aria-label") or ""
    assert label.startswith("Mean score by factor, from 1 to 5.")
    assert "Conflict: 2.67 (lowest, below midpoint, wide disagreement)" in label
    bars = [e for e in root.iter(f"{SVG}rect") if e.get("class") == "bar"]
    assert len(bars) == 5
    # The axis runs from 1 to 5 at 80 units a point, so a bar's width is (mean - 1) * 80.
    assert [float(b.get("width") or 0) for b in bars] == [
        pytest.approx((m - 1) * 80, abs=0.05) for m in (47 / 12, 32 / 12, 32 / 12, 4, 55 / 12)
    ]
    grid = [e for e in root.iter(f"{SVG}line") if e.get("class") == "grid"]
    assert len({e.get("x1") for e in grid}) == 5
    ranges = [e for e in root.iter(f"{SVG}g") if e.get("class") == "range"]
    conflict_range = ranges[2].findall(f"{SVG}line")[0]
    assert (conflict_range.get("x1"), conflict_range.get("x2")) == ("210.0", "450.0")  # 1 to 4
    flags = ["".join(e.itertext()) for e in root.iter(f"{SVG}text") if e.get("class") == "flags"]
    assert flags == ["lowestbelow midpoint", "lowestbelow midpointwide disagreement"]


def test_report_svg_escapes_names_and_marks_factors_without_answers() -> None:
    title = 'Us & <them> "quoted"'
    sections = [
        s.model_copy(update={"title": title}) if i == 0 else s for i, s in enumerate(Q.sections)
    ]
    q = Q.model_copy(update={"sections": sections})
    r = report(q, [Response(answers={"sp-1": 4, "pc-1": 2, "cf-1": 3, "lt-1": 5})])
    svg = report_svg(r)
    assert "<them>" not in svg
    assert "Us &amp; &lt;them&gt; &quot;quoted&quot;" in svg
    root = ElementTree.fromstring(svg)
    assert title in (root.get("aria-label") or "")
    factor = next(e for e in root.iter(f"{SVG}g") if e.get("data-factor") == "shared-purpose")
    assert factor.findtext(f"{SVG}title") == title
    bars = [e for e in root.iter(f"{SVG}rect") if e.get("class") == "bar"]
    assert len(bars) == 4  # nobody answered on altruism
    texts = ["".join(e.itertext()) for e in root.iter(f"{SVG}text")]
    assert "no answers" in texts


class Page(HTMLParser):
    """The tags, table rows and text of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[dict[str, str | None]] = []
        self.rows: list[list[str]] = []
        self.text: list[str] = []
        self._cell: list[str] | None = None
        self._captions: list[str] = []
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.append(dict(attrs))
        if tag == "tr":
            self.rows.append([])
        elif tag in {"td", "th"}:
            self._cell = []
        elif tag == "figcaption":
            self._in_caption = True

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"} and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "figcaption":
            self._in_caption = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._in_caption:
            self._captions.append(data)

    @property
    def caption(self) -> str:
        return "".join(self._captions)


def parse_html(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


def test_report_html_has_the_chart_after_the_title_and_no_script() -> None:
    rows = [
        {"organisation": "<script>alert(1)</script>", **answers("sp", 4, 4, 4, 2)},
        {"organisation": "Trust", **answers("sp", 2, 2, 2, 4), "sp-comment": "<svg onload=x>"},
    ]
    page_text = report_html(report(Q, parse_responses(csv_text(Q, rows), "a.csv", Q), min_group=1))
    page = parse_html(page_text)
    assert "script" not in page.tags
    assert page.tags.count("svg") == 1
    assert page.tags.index("h1") < page.tags.index("svg") < page.tags.index("h2")
    assert page.caption == CHART_CAPTION
    assert "agenda" not in page.caption
    body = next(a for t, a in zip(page.tags, page.attrs, strict=True) if t == "body")
    assert body["class"] == "assessment"
    assert "<script>alert(1)</script>" in "".join(page.text)  # shown as text, not run
    assert all(not k.startswith("on") for a in page.attrs for k in a)


def test_questionnaire_html_has_five_tick_boxes_per_statement() -> None:
    evil = Q.model_copy(update={"title": "<script>alert(1)</script>"})
    for q in (BUILTIN, evil):
        page = parse_html(questionnaire_html(q))
        assert "script" not in page.tags
        assert "svg" not in page.tags
        assert page.tags.count("table") == 5
        by_id = {row[0]: row for row in page.rows}
        for _, statement in q.statements:
            row = by_id[statement.id]
            assert row[2:] == ["☐"] * 5
            assert " ".join(row[1].split()) == " ".join(statement.text.split())
        headers = [row for row in page.rows if row[0] == "Id"]
        assert headers == [["Id", "Statement", "1", "2", "3", "4", "5"]] * 5
    assert "<script>alert(1)</script>" in "".join(parse_html(questionnaire_html(evil)).text)


# --- Properties ---------------------------------------------------------------------------------

STATEMENT_IDS = [s.id for _, s in BUILTIN.statements]


@st.composite
def response_sets(draw: st.DrawFn) -> list[Response]:
    count = draw(st.integers(min_value=1, max_value=12))
    out = []
    for _ in range(count):
        values = draw(
            st.lists(
                st.none() | st.integers(min_value=1, max_value=5),
                min_size=len(STATEMENT_IDS),
                max_size=len(STATEMENT_IDS),
            )
        )
        out.append(
            Response(
                organisation=draw(st.sampled_from([None, "Council", "Acute trust", "GP"])),
                answers={i: v for i, v in zip(STATEMENT_IDS, values, strict=True) if v},
            )
        )
    if not any(r.answers for r in out):
        out[0] = out[0].model_copy(update={"answers": {draw(st.sampled_from(STATEMENT_IDS)): 3}})
    return out


@settings(deadline=None)
@given(response_sets())
def test_report_properties(responses: list[Response]) -> None:
    r = report(BUILTIN, responses, min_group=1)
    answered = [s for s in r.factors if s.mean is not None]
    lowest = min(s.mean for s in answered if s.mean is not None)
    tied = [s.factor for s in answered if s.mean == lowest]
    focus = r.recommended_focus
    # The lowest factor is always recommended, and every factor tied with it.
    assert set(tied) <= set(focus)
    # The focus is a subset of the factor ids, in canonical order, and at most three long
    # unless more than three factors tie for lowest.
    assert 1 <= len(focus) <= max(MAX_FOCUS, len(tied))
    assert focus == [f for f in FACTOR_IDS if f in focus]
    for factor in focus:
        assert r.focus_reasons[factor]
    for s in [*r.factors, *(s for o in r.by_organisation for s in o.factors)]:
        if s.n == 0:
            assert s.flags == ["no-answers"]
            continue
        assert s.mean is not None
        assert s.sd is not None
        assert s.min is not None
        assert s.max is not None
        assert 1 <= s.min <= s.mean <= s.max <= 5
        assert s.sd >= 0
        assert s.respondents <= s.n <= 4 * s.respondents
        # The pooled mean weighs each person's mean by their answers, so lies among them.
        assert s.respondent_min is not None
        assert s.respondent_max is not None
        assert s.respondent_sd is not None
        assert s.min <= s.respondent_min <= s.mean + 1e-9
        assert s.mean <= s.respondent_max + 1e-9
        assert s.respondent_max <= s.max
        assert s.respondent_sd >= 0
        if "disagreement" in s.flags:
            assert s.respondents >= DISAGREEMENT_MIN_RESPONDENTS
    # n counts answers; the organisations' answers add up to the whole group's.
    for i, s in enumerate(r.factors):
        assert s.n == sum(o.factors[i].n for o in r.by_organisation) or not r.by_organisation
    total = sum(len(x.answers) for x in responses)
    assert sum(s.n for s in r.factors) == total


@settings(deadline=None)
@given(response_sets())
def test_responses_round_trip_through_csv(responses: list[Response]) -> None:
    rows = [
        {
            "respondent": f"R{i}",
            "organisation": x.organisation or "",
            **{k: str(v) for k, v in x.answers.items()},
        }
        for i, x in enumerate(responses)
    ]
    text = questionnaire_csv_template(BUILTIN) + csv_text(BUILTIN, rows).split("\n", 1)[1]
    parsed = parse_responses(text, "r.csv", BUILTIN)
    # Every row has a respondent id, so no row is skipped as blank.
    assert [p.answers for p in parsed] == [x.answers for x in responses]
    assert [p.organisation for p in parsed] == [x.organisation for x in responses]
    assert [p.line for p in parsed] == list(range(2, 2 + len(responses)))
