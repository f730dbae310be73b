"""Planning: one session as a timed agenda.

The plan model (:mod:`.plan`), the plan id (:mod:`.planid`), the planner that chooses and fits
activities (:mod:`.planner`), the rules of a good plan as checks (:mod:`.rules`), saved plan files
(:mod:`.file`), the terminal agenda and shared wording (:mod:`.agenda`) and seating (:mod:`.seating`).

May import: ``library`` and the top-level helpers.
"""
