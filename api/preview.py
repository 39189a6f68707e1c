"""Headless preview: an editor's draft, in the public API's JSON shape, behind a signed token.

When an editor previews a draft in the admin, its representation is computed exactly as the
public API would compute it and kept in the shared cache; the preview pane opens the campaign
site (the "client") with a token. The client reads ``/api/v1/preview/?token=…`` to render the
draft. A token is signed, expires (``BAKEN_PREVIEW_TTL_SECONDS``, default one hour) and opens
only the one draft it was issued for, and only while the object it is a draft of still exists: once
the page or snippet is deleted (or, for a page not saved yet, the parent it was to be added below),
its tokens open nothing and get the same error as an unknown token.
"""

import uuid

from django.apps import apps
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from rest_framework.exceptions import PermissionDenied

from api import presenters, selectors
from api.languages import fallback_chain

SALT = "baken.preview.v1"


class PreviewUnavailable(PermissionDenied):
    default_detail = "This preview link is invalid or has expired; open the preview again from the admin."


def _cache_key(preview_id: str) -> str:
    # v2: the payload names its subject; payloads stored before that are not found (the token then
    # gets the same error as an unknown one, and the editor opens the preview again).
    return f"baken:preview:v2:{preview_id}"


def _subject(obj) -> dict | None:
    """What must still exist for a preview of ``obj`` to open: the object itself, or for a page
    not saved yet (previewed while it is being created) the parent it is to be added below; for
    a snippet not saved yet, nothing. Named by model, id and translation key, so a later object
    that happens to get the same id is not taken for it."""
    from wagtail.models import Page

    target = obj
    if obj.pk is None:
        target = obj.get_parent() if isinstance(obj, Page) and obj.path else None
        if target is None:
            return None
    translation_key = getattr(target, "translation_key", None)
    return {
        "model": target._meta.label_lower,
        "pk": target.pk,
        "translation_key": str(translation_key) if translation_key is not None else None,
    }


def _subject_exists(subject: dict | None) -> bool:
    if subject is None:
        return True
    try:
        model = apps.get_model(subject["model"])
    except LookupError:
        return False
    found = model._default_manager.filter(pk=subject["pk"])
    if subject["translation_key"] is not None:
        found = found.filter(translation_key=subject["translation_key"])
    return found.exists()


def representation(obj) -> dict:
    """The draft as the public API would serve it in its own language: the same presenters and
    the same compiled contract (api.contract) as the public endpoints."""
    from api.contract import represent
    from api.serializers import (
        CampaignSerializer,
        CitationSerializer,
        FAQDetailSerializer,
        HelpLineSerializer,
    )
    from cms.pages.models import CampaignPage, FAQPage
    from cms.snippets.models import HelpLine, SourceCitation

    code = obj.locale.language_code
    chain = fallback_chain(code)
    # What the draft refers to (help-lines, citations, linked pages) is shown as the public API
    # would show it now: the same visibility rule (api.visibility) and translation rules.
    visibility = selectors.current_visibility()
    # The draft itself is served in its own language, and is nothing's outdated translation.
    [chosen] = selectors.serve([obj], requested=code, locale_codes=visibility.locale_codes)
    if isinstance(obj, FAQPage):
        # Its own parent, even when that campaign is new and not yet public.
        parent = obj.get_parent() if obj.path else None
        detail = presenters.faq_detail(
            chosen,
            campaign=parent.slug if parent is not None else None,
            translations=[],
            visibility=visibility,
            chain=chain,
            requested=code,
        )
        return represent(FAQDetailSerializer, detail)
    if isinstance(obj, CampaignPage):
        [campaign] = presenters.campaigns(
            [chosen], translations=[], visibility=visibility, chain=chain, requested=code
        )
        return represent(CampaignSerializer, campaign)
    if isinstance(obj, HelpLine):
        obj.published_details = obj.details_document()  # the draft's own details, not the live ones
        return represent(HelpLineSerializer, presenters.helpline(chosen, now=visibility.now))
    if isinstance(obj, SourceCitation):
        [citation] = presenters.citations([chosen], visibility=visibility)
        return represent(CitationSerializer, citation)
    raise TypeError(f"No headless preview for {type(obj).__name__}")


def issue(obj) -> str:
    """Store the draft's representation and return a token that opens it."""
    preview_id = uuid.uuid4().hex
    stored = {
        "kind": type(obj).__name__.lower(),
        "data": representation(obj),
        "subject": _subject(obj),
    }
    cache.set(_cache_key(preview_id), stored, timeout=settings.BAKEN_PREVIEW_TTL_SECONDS)
    return signing.dumps({"preview": preview_id}, salt=SALT, compress=True)


def open_preview(token: str) -> dict:
    """``{"kind", "data"}`` of the draft the token opens; PreviewUnavailable when the token is
    forged, expired or unknown, or the object it previews has been deleted since."""
    try:
        claims = signing.loads(token, salt=SALT, max_age=settings.BAKEN_PREVIEW_TTL_SECONDS)
    except signing.BadSignature as error:  # includes SignatureExpired
        raise PreviewUnavailable() from error
    preview_id = claims.get("preview", "") if isinstance(claims, dict) else ""
    stored = cache.get(_cache_key(str(preview_id)))
    if stored is None:
        raise PreviewUnavailable()
    if not _subject_exists(stored.get("subject")):
        cache.delete(_cache_key(str(preview_id)))  # it can never open again
        raise PreviewUnavailable()
    return {"kind": stored["kind"], "data": stored["data"]}


def client_url(request) -> str:
    """The campaign site that renders previews for the site the editor works on."""
    urls = settings.BAKEN_PREVIEW_CLIENT_URLS
    host = request.get_host().split(":")[0] if request is not None else ""
    return urls.get(host) or urls.get("default", "")
