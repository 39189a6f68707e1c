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
