"""Publish webhooks: signed POSTs to a channel's endpoints when public content changes.

* ``events``: which events a change makes (pure); ``dispatch``: the change log, read through the
  delta-sync feed, turned into one message per subscribed endpoint; ``delivery``: claims, signs
  (``signing``, Standard Webhooks), POSTs to checked addresses (``addresses``), retries with
  ``backoff`` and records every attempt; ``worker``: the loop ``manage.py webhook_worker`` runs;
  ``views``: Settings → Webhooks in the admin (secrets shown once, delivery log, redeliver).

Guarantees to receivers (README, "Webhooks"): at least once, with a stable ``webhook-id`` per
event; no order across events, but ``data.sequence`` only grows per object, so a receiver drops
an event older than one it applied; a body names the object (type, translation key, locale, slug,
API URL) and never holds content that is not public.
"""
