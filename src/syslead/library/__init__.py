"""The library: playbook entries and how they are read.

The playbook models (:mod:`.models`), safe YAML with line numbers (:mod:`.yamlnodes` parses,
:mod:`.yamlio` reads files, caches clean ones and locates errors), the loader that merges the
built-ins with a user's folders (:mod:`.loader`), and the views of single entries and listings
(:mod:`.catalog`, :mod:`.entries_md`).

May import: only the top-level helpers (``errors``, ``markup``, ``output``); it is the lowest domain.
"""
