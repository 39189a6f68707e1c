"""Headless preview: an editor's draft, in the public API's JSON shape, behind a signed token.

When an editor previews a draft in the admin, its representation is computed exactly as the
public API would compute it and kept in the shared cache; the preview pane opens the campaign
site (the "client") with a token. The client reads ``/api/v1/preview/?token=…`` to render the
draft. A token is signed, expires (``BAKEN_PREVIEW_TTL_SECONDS``, default one hour) and opens
only the one draft it was issued for.
"""

import uuid

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
    return f"baken:preview:{preview_id}"


def representation(obj) -> dict:
    """The draft as the public API would serve it in its own language."""
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
    selectors.mark_served([obj], requested=code, locale_codes=visibility.locale_codes)
    if isinstance(obj, FAQPage):
        parent = obj.get_parent() if obj.path else None
        obj.campaign_slug = parent.slug if parent is not None else None
        presenters.present_faq_detail(
            obj, translations=[], visibility=visibility, chain=chain, requested=code
        )
        return FAQDetailSerializer(obj).data
    if isinstance(obj, CampaignPage):
        presenters.present_campaigns(
            [obj], translations=[], visibility=visibility, chain=chain, requested=code
        )
        return CampaignSerializer(obj).data
    if isinstance(obj, HelpLine):
        obj.published_details = obj.details_document()
        presenters.present_helplines([obj], now=visibility.now)
        return HelpLineSerializer(obj).data
    if isinstance(obj, SourceCitation):
        presenters.present_citations([obj], visibility=visibility)
        return CitationSerializer(obj).data
    raise TypeError(f"No headless preview for {type(obj).__name__}")


def issue(obj) -> str:
    """Store the draft's representation and return a token that opens it."""
    preview_id = uuid.uuid4().hex
    payload = {"kind": type(obj).__name__.lower(), "data": representation(obj)}
    cache.set(_cache_key(preview_id), payload, timeout=settings.BAKEN_PREVIEW_TTL_SECONDS)
    return signing.dumps({"preview": preview_id}, salt=SALT, compress=True)


def open_preview(token: str) -> dict:
    try:
        claims = signing.loads(token, salt=SALT, max_age=settings.BAKEN_PREVIEW_TTL_SECONDS)
    except signing.BadSignature as error:  # includes SignatureExpired
        raise PreviewUnavailable() from error
    payload = cache.get(_cache_key(claims.get("preview", "")))
    if payload is None:
        raise PreviewUnavailable()
    return payload


def client_url(request) -> str:
    """The campaign site that renders previews for the site the editor works on."""
    urls = settings.BAKEN_PREVIEW_CLIENT_URLS
    host = request.get_host().split(":")[0] if request is not None else ""
    return urls.get(host) or urls.get("default", "")
