"""``translation_outdated``: a translation is behind once its Dutch source is published after it."""

import pytest

from tests.content import publish

pytestmark = pytest.mark.django_db


# The flags of outdated_flags when every translation is up to date.
NONE_OUTDATED = {
    "faq detail": False,
    "faq list": False,
    "campaign faqs": False,
    "helpline": False,
    "dutch source": False,
}


def outdated_flags(client) -> dict:
    detail = client.get("/api/v1/faqs/questions-frequentes/?locale=fr").json()
    listing = client.get("/api/v1/faqs/?locale=fr").json()["results"][0]
    campaign = client.get("/api/v1/campaigns/schat-je-schatje/?locale=fr").json()["faqs"][0]
    helpline = client.get("/api/v1/helplines/child-focus-116000/?locale=fr").json()
    dutch = client.get("/api/v1/faqs/veelgestelde-vragen/?locale=nl").json()
    return {
        "faq detail": detail["translation_outdated"],
        "faq list": listing["translation_outdated"],
        "campaign faqs": campaign["translation_outdated"],
        "helpline": helpline["translation_outdated"],
        "dutch source": dutch["translation_outdated"],
    }


def test_fresh_translations_are_not_outdated(client, translated):
    assert outdated_flags(client) == NONE_OUTDATED


def test_publishing_the_source_marks_its_translations_outdated_until_they_are_republished(client, translated):
    faq = translated["tree"].faq
    faq.title = "Veelgestelde vragen (bijgewerkt)"
    publish(faq)
    helpline = translated["helpline"]
    helpline.description = "Nieuwe beschrijving"
    publish(helpline)
    assert outdated_flags(client) == {
        "faq detail": True,
        "faq list": True,
        "campaign faqs": True,
        "helpline": True,
        "dutch source": False,
    }
    publish(translated["faq_fr"])
    translated["helpline_fr"].refresh_from_db()
    publish(translated["helpline_fr"])
    assert outdated_flags(client) == NONE_OUTDATED


def test_a_fallback_to_the_source_is_never_outdated(client, translated):
    publish(translated["tree"].faq)
    german = client.get("/api/v1/faqs/veelgestelde-vragen/?locale=de").json()
    assert (german["locale"], german["is_fallback"], german["translation_outdated"]) == ("nl", True, False)


@pytest.mark.parametrize("hide", ["unpublished", "expired", "not yet live"])
def test_a_source_not_visible_says_nothing_about_its_translations(client, translated, hide):
    import datetime as dt

    from django.utils import timezone
    from wagtail.models import Page

    faq = translated["tree"].faq
    publish(faq)
    assert outdated_flags(client)["faq list"] is True
    moment = timezone.now()
    if hide == "unpublished":
        faq.unpublish()
    elif hide == "expired":  # as if the scheduled unpublishing had not run yet
        Page.objects.filter(pk=faq.pk).update(expire_at=moment - dt.timedelta(minutes=1))
    else:
        Page.objects.filter(pk=faq.pk).update(go_live_at=moment + dt.timedelta(days=1))
    listing = client.get("/api/v1/faqs/?locale=fr").json()["results"][0]
    detail = client.get("/api/v1/faqs/questions-frequentes/?locale=fr").json()
    assert (listing["slug"], listing["translation_outdated"]) == ("questions-frequentes", False)
    assert detail["translation_outdated"] is False
