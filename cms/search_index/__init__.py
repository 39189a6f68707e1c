"""The search index: one row per question of every live FAQ page, for the API's search.

Invariants:

- **Built from the change log.** ``SearchIndexState.sequence`` is a change-log sequence S such
  that every FAQ page changed by an entry at or below S has, in ``cms_search_entry``, exactly the
  questions of its row as read after that entry committed (none when it is not live, deleted or
  not an FAQ page). ``catch_up`` reads the entries after S, re-reads those pages and moves S, in
  one transaction, holding the state row's lock: two processes never index at once, and a
  failed catch-up leaves the index and S as they were.
- **Never ahead of a search.** A search first makes sure S is at least the pages' content
  version it answers for (``ensure_current``), so an answer cached under version V was built
  from an index that holds every change V counts — whichever process or tool made the change.
- **Visibility is not the index's.** Entries keep only content; a search joins each entry's
  page and applies the one visibility and language rule (api.visibility, api.selectors) at
  the moment of the request, so a page hidden by its schedule, an ancestor or a restriction is
  never found, whatever the index holds.
- **The same words on every database.** The words indexed and searched are the text's runs of
  letters and digits, accent-folded and lower-cased (``words``), so PostgreSQL (``simple``
  configuration, prefix queries) and SQLite (FTS5) find exactly the same questions.
"""
