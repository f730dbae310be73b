"""The programme: a series of sessions every six weeks, with a log of what each agreed.

The series model, its dates, focus rotation and log (:mod:`.programme`), the series file with its
lock (:mod:`.file`), the iCalendar export (:mod:`.calendar`), where a programme stands
(:mod:`.status`) and the status tables (:mod:`.view`).

May import: ``planning``, ``library``, ``assessment`` and the top-level helpers.
"""
