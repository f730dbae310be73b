"""The fixed-budget scenario: a credible conflict with real numbers.

Exact money (:mod:`.money`), the scenario and its organisations (:mod:`.model`), the payment rules
and how a gap is shared (:mod:`.rules`), the participant brief and facilitator key
(:mod:`.handouts`), plain data for JSON (:mod:`.jsondata`) and the terminal table (:mod:`.view`).

May import: the top-level helpers only; it knows nothing of plans or playbooks.
"""
