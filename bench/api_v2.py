"""Wagtail's built-in read API (v2), mounted at /api/v2/ for comparison only.

Baken's models declare no ``api_fields`` (and the bench may not change them), so this endpoint
is Wagtail's stock ``PagesAPIViewSet`` with the FAQ page's own fields added to what it may
serve: ``intro`` and ``body`` (the same sections, questions, answers and linked help-line and
citation ids that /api/v1/ serves) and ``translation_key``/``last_published_at`` (which the v1
list carries). Everything else — querying, filtering, serialisation, pagination — is Wagtail's.
"""

from wagtail.api import APIField
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from cms.pages.models import FAQPage

FAQ_FIELDS = ["translation_key", "last_published_at", "intro", "body"]


class FAQFieldsPagesAPIViewSet(PagesAPIViewSet):
    @classmethod
    def get_body_fields(cls, model):
        fields = super().get_body_fields(model)
        if issubclass(model, FAQPage):
            fields += [APIField(name) for name in FAQ_FIELDS]
        return fields


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", FAQFieldsPagesAPIViewSet)
