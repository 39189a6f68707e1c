"""The change log: an ordered, durable record of every change that can alter what the API serves.

Database triggers (cms/change_log/triggers.py, installed by migration 0008 and again after every
``migrate``) write one row of ``cms_change_log`` for each row change below, **in the same
transaction as the change**, whichever process, ORM call, bulk ``QuerySet.update()``, raw SQL or
restore (``manage.py import_content``) makes it: a change that commits has its entries, a change
that rolls back has none. Python only reads the log (the model refuses ``save``/``delete``) and
compacts it (``manage.py compact_change_log``).

Each entry has a ``sequence`` (the primary key), the database's time (UTC), the object it concerns
(``object_type`` and ``object_id``), that object's ``translation_key`` and ``locale_id`` (at the
moment of the change; null where they do not apply), the ``family`` of the API response cache it
concerns and a ``kind``:

=========================================  ===========  ===========  ===============================
row change                                 object_type  family       kind
=========================================  ===========  ===========  ===============================
wagtailcore_page insert / delete            page         pages        created / deleted
wagtailcore_page update (public columns)    page         pages        published, unpublished, moved,
                                                                      scheduled, unscheduled, changed
cms_homepage/campaignpage/faqpage update    page         pages        changed (delete: deleted)
cms_campaignkeydate, cms_campaignhelpline   page         pages        changed (their page)
wagtailcore_pageviewrestriction             page         pages        restricted / unrestricted
cms_helpline, cms_sourcecitation            helpline,    helplines,   as for pages, without moved
                                            citation     citations
cms_contactpoint, cms_openinghours          helpline     helplines    changed (their help-line)
wagtailcore_revision.approved_go_live_at    page, help-  its family   scheduled / unscheduled
  (set, changed or cleared)                 line, cit.
wagtailcore_locale                          locale       all          created / changed / deleted
wagtailcore_site                            site         pages        created / changed / deleted
wagtaildocs_document                        document     all          created / changed / deleted
=========================================  ===========  ===========  ===============================

An update's kind is the first that applies: live false→true ``published``, true→false
``unpublished``, path changed ``moved`` (pages), last_published_at changed ``published`` (a
republish), go_live_at/expire_at set or changed ``scheduled``, cleared ``unscheduled``, else
``changed``. Families are api.response_cache's, decided as it decides them: a site decides the
page tree served and concerns ``pages``; a locale decides every endpoint's languages and
fallbacks, and a document is served (as a link's URL) in the rich text of any family, so both
concern ``all`` — ``latest_sequence(family=…)`` and ``changes_after(family=…)`` include the
``all`` entries in every family.

**Recorded**: every row change above; an update only when a column that can change what is public
changes, compared old to new (a bulk update that sets a column to its own value writes nothing).
A schedule is recorded where the API reads it: the page's or snippet's own go_live_at/expire_at
(api/visibility.py) and the revision's approved_go_live_at (api/scheduling.py publishes it at
that moment; Wagtail sets only that for a live object, and the unschedule view only clears it).
A move records every page of the moved subtree (their paths change); a publish whose content
changed records the page row (``published``) and its specific row (``changed``).

**Deliberately not recorded**: page and snippet columns that are never public
(has_unpublished_changes, latest_revision*, draft_title, locked*, owner, numchild: written by
every draft save, lock or child insert; live_revision_id, which a publish or unpublish changes
together with live or last_published_at and which alone is only nulled when revisions are
deleted); revisions other than their schedule (a draft is not public); the groups of a view
restriction (any restriction hides the page, whoever it admits; a change of its type or password
is recorded as ``restricted``); images (the API serves none); what a change implies for other
rows — an unpublished or restricted page hides its descendants, a help-line's change shows in the
FAQ pages that link it — the consumer knows those dependencies (the families give them coarsely);
the passing of a go-live or expiry moment by the clock alone (nothing is written then; the
schedule was recorded when it was set); ``TRUNCATE``; on SQLite, changes made during a
``migrate`` between a migration rebuilding a covered table and the reinstall that follows it. One
operation may write several entries for one object (one per row it touches), and a row rewritten
with equal values by an ORM save writes none, so a consumer treats an entry as "this object may
have changed" and reads the object again.

**Order.** Sequences only grow, and a committed entry's sequence is never used again (not even
after compaction deletes it); entries of one transaction are in the order of its statements. On
SQLite writers are serialised, so sequence order is commit order. On PostgreSQL a sequence value
is taken at insert time, not commit time: a reader may see seq 11 committed while seq 10 is still
in flight (or rolled back, leaving a gap). A consumer must therefore never advance past an entry
that may still appear: :func:`stable_sequence` gives the highest sequence up to which the log is
final (each writing transaction announces, with a shared advisory lock, the sequence value before
its first entry; see its docstring), and a delta feed hands out tokens no higher than it
(``changes_after(token, limit=…, until=stable_sequence())``). Read in READ COMMITTED (Django's
default) so a later query sees what the bound promises.

**Compaction** deletes entries older than N days in one transaction, always keeping the newest
entry (and the newest of each family) and, on PostgreSQL, everything above the stable sequence;
the highest deleted sequence becomes the horizon (:func:`compaction_horizon`). A token older than
the horizon can no longer be answered completely: :func:`changes_after` raises
:class:`ChangesCompacted` (a feed answers 410 Gone and the client starts again from a full read).
"""

from cms.change_log.compaction import DEFAULT_KEEP_DAYS, Compaction, compact
from cms.change_log.models import ChangeLogEntry, ChangeLogHorizon, Family, Kind, ObjectType
from cms.change_log.selectors import (
    Change,
    ChangesCompacted,
    changes_after,
    compaction_horizon,
    latest_sequence,
    latest_sequences,
    oldest_retained_sequence,
    stable_latest_sequences,
    stable_sequence,
)

__all__ = [
    "DEFAULT_KEEP_DAYS",
    "Change",
    "ChangeLogEntry",
    "ChangeLogHorizon",
    "ChangesCompacted",
    "Compaction",
    "Family",
    "Kind",
    "ObjectType",
    "changes_after",
    "compact",
    "compaction_horizon",
    "latest_sequence",
    "latest_sequences",
    "oldest_retained_sequence",
    "stable_latest_sequences",
    "stable_sequence",
]
