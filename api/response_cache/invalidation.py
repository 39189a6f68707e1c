"""Telling other processes at once: after a commit that changed content, raise the shared
versions (api.response_cache.versions.publish).

This is only the fast path. The record of the change is the change log, written by database
triggers in the change's own transaction; every process reads it by itself (at every lookup with a
private store, at least once a second with a shared one). So a write that sends no signal (bulk
``update()``, raw SQL, a restore, another tool), or whose writer cannot reach Redis, is still
applied everywhere within that bound.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save


def _in_change_log(model) -> bool:
    """The models whose rows the change log's triggers record (cms.change_log)."""
    from wagtail.documents import get_document_model
    from wagtail.models import Locale, Page, PageViewRestriction, Revision, Site

    from cms.pages.models import CampaignHelpLine, CampaignKeyDate
    from cms.snippets.models import ContactPoint, HelpLine, OpeningHours, SourceCitation

    logged = (
        PageViewRestriction,
        Site,
        CampaignKeyDate,
        CampaignHelpLine,
        HelpLine,
        ContactPoint,
        OpeningHours,
        SourceCitation,
        Locale,
        Revision,
        get_document_model(),
    )
    return issubclass(model, Page) or model in logged


def _publish() -> None:
    from api.response_cache import versions

    versions.publish()


def _on_change(sender, using: str = "default", **kwargs) -> None:
    if not _in_change_log(sender):
        return
    # After commit, never before: another process must not cache pre-commit data under the new
    # version. A rollback drops the callback with the changes.
    transaction.on_commit(_publish, using=using)


def connect_signals() -> None:
    post_save.connect(_on_change, dispatch_uid="baken-api-cache-save")
    post_delete.connect(_on_change, dispatch_uid="baken-api-cache-delete")
