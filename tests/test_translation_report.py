"""The admin report of translations behind their source."""

import datetime as dt

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.snippets.models import HelpLine
from tests.content import publish

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_admin")]


URL = "/admin/reports/translations-behind/"


def test_nothing_is_behind_after_translating(admin_client, translated):
    response = admin_client.get(URL)
    assert response.status_code == 200
    assert "Questions fréquentes" not in response.content.decode()


def test_a_changed_source_puts_its_translations_in_the_report_until_they_are_republished(
    admin_client, translated
):
    publish(translated["faq"])
    publish(translated["helpline"])
    page = admin_client.get(URL).content.decode()
    assert "Questions fréquentes" in page
    assert "Ligne d&#x27;aide 116000" in page or "Ligne d'aide 116000" in page
    csv = b"".join(admin_client.get(URL + "?export=csv").streaming_content).decode("utf-8-sig")
    assert csv.splitlines()[0] == "Title,Type,Language,Source published,Translation published,Status"
    assert sorted(line.split(",")[0] for line in csv.splitlines()[1:]) == [
        "Ligne d'aide 116000",
        "Questions fréquentes",
    ]
    publish(translated["faq_fr"])
    translated["helpline_fr"].refresh_from_db()
    publish(translated["helpline_fr"])
    page = admin_client.get(URL).content.decode()
    assert "Questions fréquentes" not in page
    assert "116000" not in page


def test_the_report_is_in_the_reports_menu(admin_client, translated):
    assert "Translations behind their source" in admin_client.get("/admin/").content.decode()


def report_rows(admin_client) -> dict[str, str]:
    """Title → "behind" or "never published" for every translation the report lists."""
    from cms.translation_status import behind_translations

    rows = {
        item.title: "never published" if item.translation_published_at is None else "behind"
        for item in behind_translations()
    }
    page = admin_client.get(URL).content.decode().replace("&#x27;", "'")
    assert all(title in page for title in rows)
    return rows


def api_outdated(client) -> dict[str, bool]:
    return {
        "faq": client.get("/api/v1/faqs/questions-frequentes/?locale=fr").json()["translation_outdated"],
        "helpline": client.get("/api/v1/helplines/child-focus-116000/?locale=fr").json()[
            "translation_outdated"
        ],
    }


def test_a_source_the_api_does_not_serve_puts_no_translation_in_the_report(admin_client, client, translated):
    """The report judges the source by the API's visibility rule (not just ``live``), so it lists
    exactly the translations the API flags ``translation_outdated``: a source that is expired
    (still flagged live), or below a restricted page, is served by neither."""
    publish(translated["faq"])
    publish(translated["helpline"])
    behind = {"Questions fréquentes": "behind", "Ligne d'aide 116000": "behind"}
    assert report_rows(admin_client) == behind
    assert api_outdated(client) == {"faq": True, "helpline": True}

    restriction = PageViewRestriction.objects.create(
        page=translated["tree"].campaign, restriction_type=PageViewRestriction.LOGIN
    )
    HelpLine.objects.filter(pk=translated["helpline"].pk).update(
        expire_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert report_rows(admin_client) == {}
    assert api_outdated(client) == {"faq": False, "helpline": False}

    restriction.delete()
    HelpLine.objects.filter(pk=translated["helpline"].pk).update(expire_at=None)
    assert report_rows(admin_client) == behind
    assert api_outdated(client) == {"faq": True, "helpline": True}


def test_a_never_published_translation_of_a_visible_source_is_listed(
    admin_client, client, content, translated
):
    source = content.citation("Jaarverslag 2024")
    french = content.translate_snippet(
        source, "fr", title="Rapport annuel 2024", live=False, last_published_at=None, revision=False
    )
    assert report_rows(admin_client) == {"Rapport annuel 2024": "never published"}
    served = client.get(f"/api/v1/citations/{french.pk}/?locale=fr").json()
    assert (served["locale"], served["is_fallback"], served["translation_outdated"]) == ("nl", True, False)
    # A source that is not visible has nothing to be behind.
    type(source).objects.filter(pk=source.pk).update(live=False)
    assert report_rows(admin_client) == {}
