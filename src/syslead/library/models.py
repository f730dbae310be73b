"""The playbook model: factors, activities, principles, case studies and session formats.

Every model forbids unknown fields, so a typo in a playbook is an error with a line number rather
than a silently ignored key. Cross-references between entries (an activity's factors, a factor's
activities) are checked by :mod:`syslead.library.loader`, which sees all entries at once.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

FACTOR_IDS: tuple[str, ...] = (
    "shared-purpose",
    "personal-contact",
    "conflict",
    "altruism",
    "long-term",
)
"""The five factors, in the paper's order; the numbers 1-5 on the command line map onto this."""

KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _kebab(value: str) -> str:
    if not KEBAB.match(value):
        raise ValueError(
            f"{value!r} is not a kebab-case id (expected lower-case words joined by hyphens, "
            "such as 'naming-power')"
        )
    return value


def _factor_id(value: str) -> str:
    if value not in FACTOR_IDS:
        raise ValueError(f"unknown factor {value!r} (expected one of: {', '.join(FACTOR_IDS)})")
    return value


def _clock(value: str) -> str:
    if not HHMM.match(value):
        raise ValueError(f"{value!r} is not a clock time (expected HH:MM, 24-hour)")
    return value


def _one_line(value: str) -> str:
    """Refuse control characters (a newline, a tab, an escape, a NUL) in a name or title.

    Text a user types is printed in terminals and documents: a control character there could move
    the cursor, recolour the screen or break a table, so it is refused with its position.
    """
    for index, char in enumerate(value):
        if unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            raise ValueError(
                f"a control character (code {ord(char):#04x}) at position {index + 1}; "
                "expected one line of plain text"
            )
    return value


Id = Annotated[str, AfterValidator(_kebab)]
FactorId = Annotated[str, AfterValidator(_factor_id)]
Clock = Annotated[str, AfterValidator(_clock)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Line = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_one_line)
]
"""One line of text a user typed (a title, a name, an issue): no control characters."""
Minutes = Annotated[int, Field(ge=1, le=600)]

KINDS: tuple[str, ...] = ("factor", "activity", "principles", "case-study", "format")


class Strict(BaseModel):
    """Base for every playbook model: unknown fields are errors, values are immutable."""

    # defer_build: entries served from the cache are rebuilt without validation, so a run that
    # finds every file cached never pays for building the validators.
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )


class Entry(Strict):
    """Fields every top-level playbook entry shares."""

    id: Id
    title: Text
    source: Text = Field(description="Where the idea comes from, so a facilitator can cite it.")


class Factor(Entry):
    """One of the five factors of system leadership."""

    kind: Literal["factor"] = "factor"
    id: FactorId
    number: Annotated[int, Field(ge=1, le=5)]
    short_title: Text
    summary: Text
    meaning: Text = Field(description="What the factor means in a local health and care system.")
    why_it_matters: Text
    signs_of_progress: list[Text] = Field(min_length=1)
    warning_signs: list[Text] = Field(min_length=1)
    prompts: list[Text] = Field(min_length=1, description="Questions a facilitator can ask.")
    pre_reading_questions: list[Text] = Field(
        default_factory=list,
        description="Questions participants think about before a session with this focus.",
    )
    activities: list[Id] = Field(default_factory=list)
    case_studies: list[Id] = Field(default_factory=list)

    @field_validator("number")
    @classmethod
    def _number_matches_id(cls, value: int, info: ValidationInfo) -> int:
        factor_id = info.data.get("id")
        if factor_id in FACTOR_IDS and value != FACTOR_IDS.index(factor_id) + 1:
            raise ValueError(
                f"factor {factor_id!r} is number {FACTOR_IDS.index(factor_id) + 1}, not {value}"
            )
        return value


class Range(Strict):
    """A minimum, default and maximum duration in minutes."""

    min: Minutes
    default: Minutes
    max: Minutes

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if not self.min <= self.default <= self.max:
            raise ValueError(
                f"expected min <= default <= max, got {self.min}, {self.default}, {self.max}"
            )
        return self


class GroupSize(Strict):
    """How many people an activity works for."""

    min: Annotated[int, Field(ge=1, le=500)]
    max: Annotated[int, Field(ge=1, le=500)]

    @model_validator(mode="after")
    def _ordered(self) -> GroupSize:
        if self.min > self.max:
            raise ValueError(f"expected min <= max, got {self.min} and {self.max}")
        return self


class Step(Strict):
    """One timed step of an activity."""

    minutes: Minutes
    text: Text


FORMAT_IDS: tuple[str, ...] = ("away-day", "six-weekly", "day")
FormatId = Literal["away-day", "six-weekly", "day"]
"""The session formats: an afternoon and evening away, a six-weekly meeting, a daytime away-day."""
Role = Literal["opening", "activity", "close"]


def _all_formats() -> list[FormatId]:
    return ["away-day", "six-weekly", "day"]


Move = Literal[
    "name-power",
    "budget-rehearsal",
    "cascade",
    "live-issue",
    "case-study",
    "shared-business",
    "review",
]
"""The paper's signature moves an activity makes, which a plan may commit to.

- ``name-power``: names the power differentials in the room, before other conflict work;
- ``budget-rehearsal``: rehearses the fixed-budget conflict with the group's own figures;
- ``cascade``: agrees the key messages each leader takes back, to whom and by when (a close);
- ``live-issue``: works one of the group's own live issues from positions to a joint next step;
- ``case-study``: discusses one of the case studies and brings it home to this group;
- ``shared-business``: the group's own shared work, led by its chair (six-weekly meetings);
- ``review``: reviews what was committed last time.
"""

Tool = Literal["power-sheet", "observation-sheet", "budget-brief"]
"""Printed tools a block uses; the pack carries a tool only when a block of the plan uses it."""

Placement = Literal["daytime", "after-meal", "six-weekly"]
"""Where a block sits: before the evening meal of an away-day (or in a daytime session), after
the evening meal, or in a six-weekly meeting."""

Per = Literal["group", "person", "pair", "table"]


class Material(Strict):
    """One item to bring, with how many: per group (the default), person, pair or table of six."""

    item: Text
    per: Per = "group"
    count: Annotated[int, Field(ge=1, le=100)] = 1


class PlacementText(Strict):
    """Text that replaces an activity's own where the block sits (see :data:`Placement`).

    A field left out keeps the activity's own text; an empty list removes it for that placement.
    """

    facilitator_notes: Text | None = None
    prompts: list[Text] | None = None
    debrief: list[Text] | None = None
    watch_for: list[Text] | None = None
    variants: list[Text] | None = None


Arc = Literal["open", "explore", "decide", "close"]
Energy = Literal["low", "medium", "high"]


class Activity(Entry):
    """A facilitation exercise, with everything needed to run it in the room."""

    kind: Literal["activity"] = "activity"
    role: Role = Field(
        default="activity",
        description=(
            "'opening' activities start a session (check-in, purpose, principles); 'close' "
            "activities end one (key messages, next meeting, check-out); the rest are 'activity'."
        ),
    )
    factors: list[FactorId] = Field(default_factory=list, validate_default=True)
    formats: list[FormatId] = Field(
        default_factory=_all_formats,
        min_length=1,
        description="The session formats the activity suits (default: both).",
    )
    summary: Text = Field(description="Participant-facing: what the group will do and why.")
    purpose: Text
    arc: Arc
    energy: Energy
    evening: bool = Field(
        default=False,
        description="Suits the evening after a meal: reflective conversation, not confrontation.",
    )
    planner: bool = Field(
        default=True,
        description=(
            "Whether plan-session may choose it. False for rounds that the opening and close already "
            "contain (a check-in or check-out), which a facilitator can still add to a plan by hand."
        ),
    )
    duration: Range
    group_size: GroupSize
    family: Id | None = Field(
        default=None,
        description=(
            "Activities of one family do much the same work (for example 'power'); a plan never "
            "holds two of one family."
        ),
    )
    moves: list[Move] = Field(
        default_factory=list, description="The signature moves the activity makes."
    )
    uses: list[Tool] = Field(
        default_factory=list, description="Printed tools from the pack that the activity uses."
    )
    lead: Text = Field(
        default="Lead facilitator",
        description="Who leads the block in the room (for the run of show).",
    )
    configuration: Text = Field(description="How people are grouped: pairs, threes, tables...")
    room: Text
    materials: list[Text | Material] = Field(default_factory=list)
    steps: list[Step] = Field(min_length=1)
    prompts: list[Text] = Field(default_factory=list)
    debrief: list[Text] = Field(default_factory=list)
    watch_for: list[Text] = Field(default_factory=list)
    variants: list[Text] = Field(default_factory=list)
    case_studies: list[Id] = Field(default_factory=list)
    facilitator_notes: Text = Field(description="Facilitator-only; never in a participant handout.")
    by_placement: dict[Placement, PlacementText] = Field(
        default_factory=dict,
        description=(
            "Notes, prompts, debrief, watch-for and variants that differ where the block sits: "
            "'daytime', 'after-meal' or 'six-weekly'."
        ),
    )

    # Cross-field checks are field validators (reading fields declared earlier), so that an error
    # points at the line of the field that is wrong rather than at the top of the entry.

    @field_validator("factors")
    @classmethod
    def _factors(cls, value: list[str], info: ValidationInfo) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("factors are listed more than once")
        if info.data.get("role", "activity") == "activity" and not value:
            raise ValueError("an activity must name at least one factor")
        return value

    @field_validator("evening")
    @classmethod
    def _evening(cls, value: bool, info: ValidationInfo) -> bool:
        if value and info.data.get("energy") == "high":
            raise ValueError("an activity that suits the evening cannot be high-energy")
        return value

    @field_validator("steps")
    @classmethod
    def _steps_fit(cls, value: list[Step], info: ValidationInfo) -> list[Step]:
        duration = info.data.get("duration")
        total = sum(step.minutes for step in value)
        if duration is not None and not duration.min <= total <= duration.max:
            raise ValueError(
                f"the steps add up to {total} minutes, outside the duration range "
                f"{duration.min}-{duration.max}"
            )
        return value

    @property
    def step_minutes(self) -> int:
        """The minutes the written steps add up to."""
        return sum(step.minutes for step in self.steps)


class Principle(Strict):
    """One working principle a group agrees."""

    id: Id
    title: Text
    meaning: Text
    in_practice: list[Text] = Field(default_factory=list)


class PrincipleSet(Entry):
    """A set of working principles, such as the Devon-style set built in."""

    kind: Literal["principles"] = "principles"
    summary: Text
    principles: list[Principle] = Field(min_length=1)

    @field_validator("principles")
    @classmethod
    def _unique(cls, value: list[Principle]) -> list[Principle]:
        ids = [p.id for p in value]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"principle ids are repeated: {', '.join(dupes)}")
        return value


class CaseStudy(Entry):
    """A short account used as discussion material."""

    kind: Literal["case-study"] = "case-study"
    place: Text
    factors: list[FactorId] = Field(min_length=1)
    summary: Text
    story: Text
    lessons: list[Text] = Field(min_length=1)
    discussion_questions: list[Text] = Field(min_length=1)


class Meal(Strict):
    """A locked meal in a session format: the evening meal of an away-day, or a daytime lunch."""

    title: Text = "Evening meal"
    start: Clock
    minutes: Minutes
    evening: bool = Field(
        default=True,
        description=(
            "An evening meal: only reflective conversation follows it, and at most "
            "max_after_meal_minutes of structured work. False for a lunch."
        ),
    )


class SessionFormat(Entry):
    """Defaults for one kind of session."""

    kind: Literal["format"] = "format"
    id: FormatId
    summary: Text
    start: Clock
    end: Clock
    meal: Meal | None = None
    break_minutes: Annotated[int, Field(ge=5, le=60)] = 15
    max_work_minutes: Annotated[int, Field(ge=30, le=180)] = 90
    arrival_minutes: Annotated[int, Field(ge=0, le=60)] = Field(
        default=0, description="Arrival refreshments before the opening (0: none)."
    )
    max_after_meal_minutes: Annotated[int, Field(ge=0, le=600)] = Field(
        default=60,
        description="Structured work after an evening meal, at most; the rest is informal time.",
    )
    max_methods: Annotated[int, Field(ge=1, le=20)] | None = Field(
        default=None, description="Activities besides the opening and close, at most."
    )
    business_share: Annotated[float, Field(ge=0, le=1)] = Field(
        default=0,
        description="The share of the session kept for the group's own shared business.",
    )
    breaks_per_half: Annotated[int, Field(ge=0, le=4)] = Field(
        default=0,
        description="Breaks required in each half of a day split by a lunch.",
    )


def material_name(material: Text | Material) -> str:
    """The item a material names, whether written as text or as a mapping."""
    return material if isinstance(material, str) else material.item


AnyEntry = Factor | Activity | PrincipleSet | CaseStudy | SessionFormat

MODELS: dict[str, type[Entry]] = {
    "factor": Factor,
    "activity": Activity,
    "principles": PrincipleSet,
    "case-study": CaseStudy,
    "format": SessionFormat,
}
"""The model for each kind, in the order ``playbooks list`` shows them."""
