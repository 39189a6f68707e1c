"""What every public API view shares, set on the views themselves and not in global DRF settings.

Invariants:
- No authentication and no permissions: an admin session (or any credential) unlocks nothing.
- No parsers: the API reads no request body.
- JSON only; ``?format=`` never picks a renderer (it is an ordinary, validated query parameter).
- Every error is problem+json, in English, whatever language the content is served in.

Wagtail's admin and wagtail-localize's editor are built on DRF too; they keep DRF's defaults.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils import translation
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


class PublicContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation without the ``?format=`` override (``format`` means CSL on citations)."""

    # The stubs type this attribute as DRF's global settings object (this is another APISettings)
    # and URL_FORMAT_OVERRIDE as a str, though DRF documents None as "no override".
    settings = APISettings(  # type: ignore[assignment]
        {"URL_FORMAT_OVERRIDE": None},  # type: ignore[arg-type]
        DEFAULTS,
        IMPORT_STRINGS,
    )


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
    renderer_classes: Sequence[type[BaseRenderer]] = [JSONRenderer]
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
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = response.get("Content-Type", JSONRenderer.media_type)
        return super().finalize_response(request, response, *args, **kwargs)


class PublicAPIView(PublicAPIBehaviour, APIView):
    pass
