"""Documents: the printable pack.

Template environments (:mod:`.templating`), the handouts made from them (:mod:`.handouts`), HTML
pages, the timeline and PDFs (:mod:`.pages`), and the whole pack for one session (:mod:`.pack`).

May import: ``planning``, ``library``, ``scenario`` (the pack carries the budget rehearsal) and the
top-level helpers.
"""
