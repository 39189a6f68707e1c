"""What every public API view shares, set on the views themselves and not in global DRF settings.

Invariants:
- No authentication and no permissions: an admin session (or any credential) unlocks nothing.
- No parsers: the API reads no request body.
- JSON only; ``?format=`` never picks a renderer (it is an ordinary, validated query parameter),
  and ``Accept`` only decides between that JSON and a 406: its parameters (``indent=4``) change
  nothing, so a body never depends on ``Accept`` (the response cache relies on it).
- Absolute URLs in bodies (``next``, ``previous``, the index) start with :func:`public_origin`:
  ``BAKEN_PUBLIC_API_BASE_URL`` when set, else the request's scheme and validated host.
- Every error is problem+json, in English, whatever language the content is served in.

Wagtail's admin and wagtail-localize's editor are built on DRF too; they keep DRF's defaults.
"""

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation
from django.utils.encoding import escape_uri_path, iri_to_uri
from django.utils.http import urlencode
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.negotiation import BaseContentNegotiation, DefaultContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.permissions import BasePermission
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.schemas.inspectors import ViewInspector
from rest_framework.settings import DEFAULTS, IMPORT_STRINGS, APISettings
from rest_framework.views import APIView

from api.errors import api_exception_handler
from api.schema import PublicAPISchema

# Error messages are part of the contract: always in English.
ERROR_LANGUAGE = "en"


class PublicJSONRenderer(JSONRenderer):
    """DRF's JSON, always compact: ``Accept: application/json; indent=4`` is served the same bytes
    as ``Accept: application/json`` (and the same ETag)."""

    def get_indent(self, accepted_media_type, renderer_context):
        return None


class PublicContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation without the ``?format=`` override (``format`` means CSL on citations)."""

    # The stubs type this attribute as DRF's global settings object (this is another APISettings)
    # and URL_FORMAT_OVERRIDE as a str, though DRF documents None as "no override".
    settings = APISettings(  # type: ignore[assignment]
        {"URL_FORMAT_OVERRIDE": None},  # type: ignore[arg-type]
        DEFAULTS,
        IMPORT_STRINGS,
    )


class QualityContentNegotiation(PublicContentNegotiation):
    """For views with more than one representation (citations: JSON and CSL-JSON): the renderer
    with the highest quality (``q``) in Accept, the most specific matching range deciding each
    renderer's quality (RFC 9110, 12.5.1); on a tie the view's first renderer. DRF's own
    negotiation ignores ``q``, so ``csl+json, application/json;q=0.5`` would get JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        accept = request.headers.get("accept")
        if accept is None:
            return renderers[0], renderers[0].media_type
        ranges = [_media_range(part) for part in accept.split(",") if part.strip()]
        best, best_quality = None, 0.0
        for renderer in renderers:
            quality = _quality(renderer.media_type, ranges)
            if quality > best_quality:
                best, best_quality = renderer, quality
        if best is None:
            raise exceptions.NotAcceptable(available_renderers=renderers)
        return best, best.media_type


def _media_range(part: str) -> tuple[str, float]:
    media_range, *parameters = (piece.strip() for piece in part.split(";"))
    quality = 1.0
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                quality = min(max(float(value), 0.0), 1.0)
            except ValueError:
                quality = 0.0
    return media_range.lower(), quality


def _quality(media_type: str, ranges: list[tuple[str, float]]) -> float:
    """The quality Accept gives ``media_type``: that of the most specific range matching it."""
    main_type = media_type.split("/")[0]
    by_specificity: dict[int, float | None] = {2: None, 1: None, 0: None}
    for media_range, quality in ranges:
        if media_range == media_type:
            specificity = 2
        elif media_range == f"{main_type}/*":
            specificity = 1
        elif media_range == "*/*":
            specificity = 0
        else:
            continue
        current = by_specificity[specificity]
        by_specificity[specificity] = quality if current is None else max(current, quality)
    for specificity in (2, 1, 0):
        found = by_specificity[specificity]
        if found is not None:
            return found
    return 0.0


class _AcceptOnly:
    """What DRF's negotiation reads of a request: its Accept header (``?format=`` is no override)."""

    query_params: dict = {}

    def __init__(self, accept: str | None):
        self.headers = {} if accept is None else {"accept": accept}


_ALWAYS_JSON = frozenset({"*/*", "application/json"})
# Verdicts remembered per raw Accept value (clients send few distinct ones). Bounded whatever
# clients send: at most ACCEPT_MEMO_ENTRIES values of at most ACCEPT_MEMO_CHARS characters; a
# longer value is negotiated every time. A full table holds about 103 KiB (measured with
# tracemalloc after 20,000 distinct values, tests/test_cache_answers_as_full_stack.py), so
# under 128 KiB whatever is sent.
ACCEPT_MEMO_ENTRIES = 256
ACCEPT_MEMO_CHARS = 256


def _negotiates_json(accept: str) -> bool:
    try:
        # The stubs want a DRF Request; the negotiation reads only these two attributes of it.
        PublicContentNegotiation().select_renderer(
            _AcceptOnly(accept),  # type: ignore[arg-type]
            [PublicJSONRenderer()],
        )
    except Exception:  # NotAcceptable, or anything the negotiation would refuse
        return False
    return True


_remembered_negotiation = functools.lru_cache(maxsize=ACCEPT_MEMO_ENTRIES)(_negotiates_json)


def accepts_json(request) -> bool:
    """Whether the public views' content negotiation picks their JSON for this request; when it
    does not, they answer 406. The same negotiation, so the response cache can tell without
    entering a view. (An absent Accept means any type; an empty one accepts none, as in DRF.)"""
    accept = request.META.get("HTTP_ACCEPT")
    if accept is None or accept in _ALWAYS_JSON:
        return True
    if len(accept) <= ACCEPT_MEMO_CHARS:
        return _remembered_negotiation(accept)
    return _negotiates_json(accept)


def public_origin(request) -> str:
    """Where absolute URLs in response bodies start: ``BAKEN_PUBLIC_API_BASE_URL`` when set (e.g.
    ``https://content.example.org``), else the request's scheme and host.

    The host is always validated against ALLOWED_HOSTS first (``DisallowedHost`` otherwise), so no
    body ever names a host Django would refuse. Remembered on the request.
    """
    request = getattr(request, "_request", request)  # DRF's Request wraps Django's
    origin = getattr(request, "baken_origin", None)
    if origin is None:
        host = request.get_host()
        configured = settings.BAKEN_PUBLIC_API_BASE_URL
        origin = configured.rstrip("/") if configured else f"{request.scheme}://{host}"
        request.baken_origin = origin
    return origin


def absolute_url(request, path: str) -> str:
    """``path`` (absolute and already escaped, e.g. from ``reverse``) under the public origin."""
    return iri_to_uri(public_origin(request) + path)


class PublicLinks:
    """The request as ``api.pagination.Page`` sees it: its own URL under the public origin, with
    the query rebuilt from the parameters as Django decoded them (sorted), so the link depends on
    exactly what the response cache keys on, never on how the raw query was spelled."""

    def __init__(self, request):
        self.request = request

    def build_absolute_uri(self, location: str | None = None) -> str:
        if location is not None:
            return absolute_url(self.request, location)
        query = urlencode(sorted(self.request.GET.lists()), doseq=True)
        path = escape_uri_path(self.request.path)  # as Django's own build_absolute_uri()
        return absolute_url(self.request, path) + (f"?{query}" if query else "")


# For the type checker the mixin is the APIView it is always mixed into (so that super() and the
# view's attributes are known); at run time it stays a plain mixin on object, as before.
if TYPE_CHECKING:
    _MixinBase = APIView
else:
    _MixinBase = object


class PublicAPIBehaviour(_MixinBase):
    """Mixed into DRF views (our own and drf-spectacular's) that answer on the public API."""

    schema: ViewInspector | None = PublicAPISchema()
    http_method_names: Sequence[str] = ["get", "head"]
    authentication_classes: Sequence[type[BaseAuthentication]] = []
    permission_classes: Sequence[type[BasePermission]] = []
    parser_classes: Sequence[type[BaseParser]] = []
    renderer_classes: Sequence[type[BaseRenderer]] = [PublicJSONRenderer]
    content_negotiation_class: type[BaseContentNegotiation] = PublicContentNegotiation

    def dispatch(self, request, *args, **kwargs):
        with translation.override(ERROR_LANGUAGE):
            return super().dispatch(request, *args, **kwargs)

    def perform_authentication(self, request):
        # Nothing to authenticate; don't even build an anonymous user.
        pass

    def get_exception_handler(self):
        return api_exception_handler

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400:
            # Views with other renderers (the OpenAPI document's YAML) still answer errors in JSON.
            request.accepted_renderer = PublicJSONRenderer()
            request.accepted_media_type = response.get("Content-Type", PublicJSONRenderer.media_type)
        return super().finalize_response(request, response, *args, **kwargs)


class PublicAPIView(PublicAPIBehaviour, APIView):
    pass
