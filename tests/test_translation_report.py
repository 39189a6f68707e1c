"""The admin report of translations behind their source."""

import pytest

from tests.conftest import publish

pytestmark = pytest.mark.django_db

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
