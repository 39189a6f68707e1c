"""Purge a CDN in front of the API as the change log (cms.change_log) records changes.

Off unless ``WAGTAILFRONTENDCACHE`` names a backend and ``BAKEN_PUBLIC_API_BASE_URL`` is set
(see baken/settings/base.py: BAKEN_CDN_*). The purger (``manage.py purge_cdn``, api.cdn.purger)
reads the change log after a durable cursor, bounded by ``stable_sequence()``, maps each entry to
the API URLs it affects (api.cdn.urls: the lists and the details that show the object, bare and
with ``?locale=`` for every locale), sends them to every configured backend (api.cdn.backends,
which knows when a purge failed) and advances the cursor only when every backend succeeded; a
failed batch is retried, with backoff, until it succeeds. So every committed change is purged,
whichever process made it and however (admin, bulk update, raw SQL, restore). Query variants a
CDN may also hold (pagination, filters, Accept-Language) age out with the short ``max-age``.
"""

from django.conf import settings


def enabled() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None)) and bool(settings.BAKEN_PUBLIC_API_BASE_URL)
