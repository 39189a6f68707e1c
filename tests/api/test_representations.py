"""The JSON the views build directly is exactly what the documented serializers give."""

import pytest

from api import representations
from api.serializers import (
    CampaignSerializer,
    CitationSerializer,
    FAQDetailSerializer,
    FAQSummarySerializer,
    HelpLineSerializer,
)

SERIALIZERS = {
    "helpline": HelpLineSerializer,
    "citation": CitationSerializer,
    "faq_summary": FAQSummarySerializer,
    "faq_detail": FAQDetailSerializer,
    "campaign": CampaignSerializer,
}

URLS = [
    "/faqs/",
    "/faqs/?locale=fr",
    "/faqs/?locale=de",
    "/faqs/veelgestelde-vragen/",
    "/faqs/veelgestelde-vragen/?locale=fr",
    "/faqs/veelgestelde-vragen/?locale=en",
    "/campaigns/",
    "/campaigns/schat-je-schatje/?locale=fr",
    "/helplines/",
    "/helplines/?locale=fr",
    "/helplines/kantoor-lijn/",
    "/citations/",
    "/citations/?locale=en",
]


def through_serializers(monkeypatch):
    for name, serializer in SERIALIZERS.items():
        monkeypatch.setattr(representations, name, lambda obj, serializer=serializer: serializer(obj).data)


@pytest.mark.parametrize("url", URLS)
def test_the_built_json_is_what_the_serializers_give(api, site, monkeypatch, url):
    built = api.get(url)
    assert built.status_code == 200
    through_serializers(monkeypatch)
    serialized = api.get(url)
    assert serialized.status_code == 200
    assert built.content == serialized.content


def test_the_comparison_sees_a_difference(api, site, monkeypatch):
    built = api.get("/helplines/")
    monkeypatch.setattr(
        representations, "helpline", lambda obj: {**HelpLineSerializer(obj).data, "open_now": None}
    )
    assert api.get("/helplines/").content != built.content
