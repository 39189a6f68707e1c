"""Headless preview: a draft in the public API's shape, behind a signed token that expires."""

import time

import pytest
from django.core import signing
from django.utils import translation

from api import preview

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_faq(content):
    tree = content.page_tree()
    faq = tree.faq
    faq.title = "Veelgestelde vragen (ontwerp)"
    faq.save_revision()  # a draft: the live page keeps its published title
    return faq.get_latest_revision_as_object()


def test_the_preview_data_has_the_public_api_shape_of_the_draft(client, draft_faq):
    public = client.get("/api/v1/faqs/veelgestelde-vragen/").json()
    assert public["title"] == "Veelgestelde vragen"
    token = preview.issue(draft_faq)
    response = client.get("/api/v1/preview/", {"token": token})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    body = response.json()
    assert body["kind"] == "faqpage"
    assert body["data"]["title"] == "Veelgestelde vragen (ontwerp)"
    assert sorted(body["data"]) == sorted(public)
    # The public API still serves the published version.
    assert client.get("/api/v1/faqs/veelgestelde-vragen/").json()["title"] == "Veelgestelde vragen"


def test_a_help_line_draft_preview_shows_the_new_number(client, content):
    helpline = content.helpline("child-focus-116000")
    from cms.snippets.models import ContactPoint, ContactType

    helpline.contact_points = [ContactPoint(contact_type=ContactType.PHONE, value="+3224754411", label="Bel")]
    body = client.get("/api/v1/preview/", {"token": preview.issue(helpline)}).json()
    assert body["kind"] == "helpline"
    assert body["data"]["contact_points"][0]["value"] == "+3224754411"
    public = client.get("/api/v1/helplines/child-focus-116000/").json()
    assert public["contact_points"][0]["value"] == "116000"
    assert sorted(body["data"]) == sorted(public)


@pytest.mark.parametrize("token", ["", "not-a-token", "eyJ4IjoxfQ:1abc:def"])
def test_a_wrong_token_is_a_403_problem(client, token):
    response = client.get("/api/v1/preview/", {"token": token} if token else {})
    expected = 400 if not token else 403
    assert response.status_code == expected
    assert response["Content-Type"] == "application/problem+json"
    assert response["Cache-Control"] == "private, no-store"


def test_a_token_signed_with_another_key_or_salt_is_refused(client, draft_faq):
    forged = signing.dumps({"preview": "0" * 32}, salt="something-else", compress=True)
    assert client.get("/api/v1/preview/", {"token": forged}).status_code == 403


def test_an_expired_token_is_a_403_problem(client, draft_faq, settings, monkeypatch):
    settings.BAKEN_PREVIEW_TTL_SECONDS = 3600
    token = preview.issue(draft_faq)
    later = time.time() + 3601
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.get("/api/v1/preview/", {"token": token})
    assert response.status_code == 403
    assert response.json()["detail"].startswith("This preview link is invalid or has expired")


def test_a_token_opens_only_its_own_draft(client, content, draft_faq):
    helpline = content.helpline("andere-lijn")
    faq_token = preview.issue(draft_faq)
    helpline_token = preview.issue(helpline)
    assert client.get("/api/v1/preview/", {"token": faq_token}).json()["kind"] == "faqpage"
    assert client.get("/api/v1/preview/", {"token": helpline_token}).json()["kind"] == "helpline"
    claims = signing.loads(faq_token, salt=preview.SALT)
    assert set(claims) == {"preview"}


def test_the_admin_preview_opens_the_campaign_site_with_a_token(rf, draft_faq, settings, client):
    settings.BAKEN_PREVIEW_CLIENT_URLS = {"default": "https://campagne.example/preview"}
    request = rf.get("/admin/pages/preview/")
    response = draft_faq.serve_preview(request, "")
    response.render()
    html = response.content.decode()
    assert 'src="https://campagne.example/preview?token=' in html
    token = html.split("?token=")[1].split('"')[0]
    from urllib.parse import unquote

    body = client.get("/api/v1/preview/", {"token": unquote(token)}).json()
    assert body["data"]["title"] == "Veelgestelde vragen (ontwerp)"


def test_the_api_data_preview_mode_returns_the_drafts_json(rf, draft_faq):
    response = draft_faq.serve_preview(rf.get("/admin/pages/preview/"), "data")
    assert response.status_code == 200
    import json

    assert json.loads(response.content)["title"] == "Veelgestelde vragen (ontwerp)"


def test_every_previewable_model_offers_both_modes():
    from cms.pages.models import CampaignPage, FAQPage
    from cms.snippets.models import HelpLine, SourceCitation

    for model in (CampaignPage, FAQPage, HelpLine, SourceCitation):
        with translation.override("en"):
            assert model().preview_modes == [("", "Campaign site"), ("data", "API data")], model
