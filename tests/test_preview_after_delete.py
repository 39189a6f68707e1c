"""A preview token opens nothing once its object is deleted (issue #12, item 6), and says so with
the same clear error as an unknown token."""

import pytest
from django.core import signing
from wagtail.models import Page

from api import preview
from cms.pages.models import FAQPage


def unknown_token() -> str:
    return signing.dumps({"preview": "0" * 32}, salt=preview.SALT, compress=True)


def opened(client, token: str):
    return client.get("/api/v1/preview/", {"token": token})


@pytest.fixture
def refused(client):
    """The answer to a token that opens nothing at all."""
    response = opened(client, unknown_token())
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    return response


def assert_refused_like_an_unknown_token(response, refused) -> None:
    assert response.status_code == refused.status_code == 403
    assert response["Content-Type"] == refused["Content-Type"]
    assert response["Cache-Control"] == "private, no-store"
    assert response.json() == refused.json()
    assert response.json()["detail"].startswith("This preview link is invalid or has expired")


def test_a_page_preview_stops_opening_once_the_page_is_deleted(client, content, refused):
    tree = content.page_tree()
    tree.faq.title = "Veelgestelde vragen (ontwerp)"
    tree.faq.save_revision()
    token = preview.issue(tree.faq.get_latest_revision_as_object())
    assert opened(client, token).json()["data"]["title"] == "Veelgestelde vragen (ontwerp)"
    Page.objects.get(pk=tree.faq.pk).delete()
    assert_refused_like_an_unknown_token(opened(client, token), refused)
    assert_refused_like_an_unknown_token(opened(client, token), refused)  # and stays refused


def test_a_help_line_preview_stops_opening_once_the_help_line_is_deleted(client, content, refused):
    helpline = content.helpline("tijdelijke-lijn", "Tijdelijke lijn")
    helpline.name = "Tijdelijke lijn (ontwerp)"
    token = preview.issue(helpline)
    other = preview.issue(content.helpline("andere-lijn", "Andere lijn"))
    assert opened(client, token).json()["data"]["name"] == "Tijdelijke lijn (ontwerp)"
    helpline.delete()
    assert_refused_like_an_unknown_token(opened(client, token), refused)
    assert opened(client, other).status_code == 200  # only its own object's tokens


def test_a_citation_preview_stops_opening_once_the_citation_is_deleted(client, content, refused):
    citation = content.citation("Lanzarote-verdrag")
    token = preview.issue(citation)
    assert opened(client, token).status_code == 200
    citation.delete()
    assert_refused_like_an_unknown_token(opened(client, token), refused)


def test_deleting_a_campaign_ends_the_previews_of_the_pages_below_it(client, content, refused):
    tree = content.page_tree()
    faq_token = preview.issue(tree.faq)
    campaign_token = preview.issue(tree.campaign)
    assert opened(client, faq_token).status_code == 200
    Page.objects.get(pk=tree.campaign.pk).delete()  # its FAQ page goes with it
    assert_refused_like_an_unknown_token(opened(client, faq_token), refused)
    assert_refused_like_an_unknown_token(opened(client, campaign_token), refused)


def test_a_new_page_previewed_before_its_first_save_dies_with_its_parent(client, content, refused):
    tree = content.page_tree(with_faq=False)
    # As Wagtail's preview of a page being created builds it: not saved, placed below its parent.
    page = FAQPage(title="Nieuw", slug="nieuw", locale=tree.campaign.locale)
    page.depth = tree.campaign.depth + 1
    page.path = page._get_path(tree.campaign.path, page.depth, 1)
    token = preview.issue(page)
    assert opened(client, token).json()["data"]["campaign"] == "schat-je-schatje"
    Page.objects.get(pk=tree.campaign.pk).delete()
    assert_refused_like_an_unknown_token(opened(client, token), refused)


def test_an_object_created_after_the_deletion_is_not_taken_for_the_deleted_one(client, content, refused):
    citation = content.citation("Lanzarote-verdrag")
    token = preview.issue(citation)
    pk = citation.pk
    citation.delete()
    replacement = content.citation("Jaarverslag 2024")
    type(replacement).objects.filter(pk=replacement.pk).update(id=pk)  # even with the same id
    assert_refused_like_an_unknown_token(opened(client, token), refused)
