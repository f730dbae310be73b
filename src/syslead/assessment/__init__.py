"""The five-factor self-assessment.

The questionnaire and the responses as data (:mod:`.questionnaire`), reading responses from CSV
(:mod:`.responses`), the statistics, flags and recommended focus (:mod:`.statistics`), and the
report as Markdown, HTML and a terminal table (:mod:`.report`).

May import: ``library`` and the top-level helpers; the report's HTML uses ``documents`` lazily.
"""
