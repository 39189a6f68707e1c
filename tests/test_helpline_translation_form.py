"""The help-line editor: a translation's synchronised fields are read-only; languages are check boxes.

Through the real admin views: the edit form as Wagtail renders it, posted back as a browser would
(``querydict_from_html``), with the changes a translator might try.
"""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.forms import CheckboxSelectMultiple
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from cms.snippets.models import ContactType, HelpLine
from tests.content import contact_points
from tests.users import logged_in

# The admin users read the admin in English (the site's default is Dutch).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_admin")]

NOTE = "Synchronised from the Dutch version:"


def edit_url(helpline) -> str:
    return reverse("wagtailsnippets_cms_helpline:edit", args=[helpline.pk])


@pytest.fixture
def helpline_nl(content):
    return content.mondays_helpline(is_free=True, languages=["nl", "fr"], last_verified=dt.date(2026, 5, 1))


@pytest.fixture
def helpline_fr(helpline_nl, content):
    return content.translate_snippet(
        helpline_nl, "fr", name="Ligne d'aide 116000", labels=["Appelez le 116000"]
    )


def form_data(client, helpline, **changes) -> dict:
    """The edit form's data as the browser would post it, with ``changes`` (a list: several values)."""
    response = client.get(edit_url(helpline))
    assert response.status_code == 200
    # A dict of lists: the test client posts only the last value of a QueryDict's key.
    data = dict(querydict_from_html(response.content.decode(), form_id="w-editor-form").lists())
    data.update(changes)
    return data


# --- a translation ------------------------------------------------------------------------------


def test_a_translations_synchronised_fields_render_disabled_with_a_link_to_the_source(
    admin_client, helpline_nl, helpline_fr
):
    response = admin_client.get(edit_url(helpline_fr))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.sync_source.pk == helpline_nl.pk
    assert {name for name, field in form.fields.items() if field.disabled} == set(
        HelpLine.SYNCHRONISED_FIELDS
    )
    for name in ("name", "organisation", "description"):
        assert form.fields[name].disabled is False
    point_form = form.formsets["contact_points"].forms[0]
    assert (point_form.fields["contact_type"].disabled, point_form.fields["value"].disabled) == (True, True)
    assert point_form.fields["label"].disabled is False
    hours_form = form.formsets["opening_hours"].forms[0]
    assert all(hours_form.fields[name].disabled for name in ("weekday", "opens", "closes"))

    soup = BeautifulSoup(response.content.decode(), "html.parser")
    assert soup.find("input", attrs={"name": "contact_points-0-value"}).has_attr("disabled")
    assert soup.find("select", attrs={"name": "contact_points-0-contact_type"}).has_attr("disabled")
    assert not soup.find("input", attrs={"name": "contact_points-0-label"}).has_attr("disabled")
    assert soup.find("input", attrs={"name": "slug"}).has_attr("disabled")
    assert all(box.has_attr("disabled") for box in soup.find_all("input", attrs={"name": "languages"}))
    # The note says where to change it, with a link to the Dutch version's editor.
    content = response.content.decode()
    assert f'{NOTE} <a href="{edit_url(helpline_nl)}">change it there</a>.' in content
    assert (
        "Contact types and values are synchronised from the Dutch version: "
        f'<a href="{edit_url(helpline_nl)}">change them there</a>.'
    ) in content
    assert "Opening hours are synchronised from the Dutch version" in content
    # No adding, removing or reordering of contact points or opening hours.
    for prefix in ("contact_points", "opening_hours"):
        assert soup.find(id=f"id_{prefix}-ADD") is None
        assert soup.find(id=f"id_{prefix}-0-DELETE-button") is None
    assert soup.find(attrs={"data-inline-panel-child-move-up": True}) is None


def test_posted_changes_to_synchronised_fields_are_ignored_and_texts_are_saved(
    admin_client, helpline_nl, helpline_fr
):
    data = form_data(
        admin_client,
        helpline_fr,
        **{
            "name": "Ligne d'aide Child Focus",
            "slug": "autre-slug",
            "is_free": "",
            "available_24_7": "on",
            "time_zone": "Europe/Paris",
            "area_served": "FR",
            "last_verified": "2020-01-01",
            "review_interval_days": "30",
            "languages": ["de"],
            "contact_points-0-value": "+3224754499",
            "contact_points-0-contact_type": ContactType.EMAIL,
            "contact_points-0-label": "Appelez gratuitement le 116000",
            "contact_points-0-DELETE": "1",
            "opening_hours-0-closes": "23:00",
            "opening_hours-0-DELETE": "1",
            "action-publish": "action-publish",
        },
    )
    # An extra contact point the browser never offered.
    data.update(
        {
            "contact_points-TOTAL_FORMS": "2",
            "contact_points-1-id": "",
            "contact_points-1-ORDER": "2",
            "contact_points-1-contact_type": ContactType.EMAIL,
            "contact_points-1-value": "fraude@example.org",
            "contact_points-1-label": "Écrivez-nous",
        }
    )

    response = admin_client.post(edit_url(helpline_fr), data)

    assert response.status_code == 302
    stored = HelpLine.objects.get(pk=helpline_fr.pk)
    assert stored.name == "Ligne d'aide Child Focus"
    assert contact_points(stored) == [("phone", "116000", "Appelez gratuitement le 116000")]
    assert [(h.weekday, f"{h.opens:%H:%M}", f"{h.closes:%H:%M}") for h in stored.opening_hours.all()] == [
        (0, "09:00", "17:00")
    ]
    assert (
        stored.slug,
        stored.is_free,
        stored.available_24_7,
        stored.time_zone,
        stored.area_served,
        stored.last_verified,
        stored.review_interval_days,
        stored.languages,
    ) == ("child-focus-116000", True, False, "Europe/Brussels", "BE", dt.date(2026, 5, 1), 180, ["nl", "fr"])
    assert contact_points(HelpLine.objects.get(pk=helpline_nl.pk)) == [
        ("phone", "116000", "Bel gratis 116000")
    ]


def test_a_translators_draft_holds_the_sources_values_too(client, translator, helpline_nl, helpline_fr):
    logged_in(client, translator)
    data = form_data(
        client,
        helpline_fr,
        **{"name": "Ligne 116000 (brouillon)", "contact_points-0-value": "+3224754499", "languages": ["de"]},
    )

    response = client.post(edit_url(helpline_fr), data)

    assert response.status_code == 302
    stored = HelpLine.objects.get(pk=helpline_fr.pk)
    assert stored.name == "Ligne d'aide 116000"  # a draft: the live row is unchanged
    draft = stored.get_latest_revision_as_object()
    assert draft.name == "Ligne 116000 (brouillon)"
    assert [(p.contact_type, p.value, p.label) for p in draft.contact_points.all()] == [
        ("phone", "116000", "Appelez le 116000")
    ]
    assert draft.languages == ["nl", "fr"]
    assert [(h.weekday, f"{h.opens:%H:%M}") for h in draft.opening_hours.all()] == [(0, "09:00")]


def test_a_translation_shows_the_sources_current_values_even_from_an_older_draft(
    admin_client, helpline_nl, helpline_fr
):
    helpline_fr.name = "Ligne (brouillon)"
    helpline_fr.save_revision()  # a draft holding 116000
    point = helpline_nl.contact_points.get()
    point.value = "+3224754411"
    helpline_nl.contact_points = [point]
    helpline_nl.languages = ["nl", "fr", "en"]
    helpline_nl.save_revision().publish()

    response = admin_client.get(edit_url(helpline_fr))

    form = response.context["form"]
    assert form["name"].value() == "Ligne (brouillon)"
    assert form.formsets["contact_points"].forms[0]["value"].value() == "+3224754411"
    assert form["languages"].value() == ["nl", "fr", "en"]


def test_the_default_locale_version_stays_editable(admin_client, helpline_nl, helpline_fr):
    response = admin_client.get(edit_url(helpline_nl))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.sync_source is None
    assert not any(field.disabled for field in form.fields.values())
    assert not any(field.disabled for field in form.formsets["contact_points"].forms[0].fields.values())
    content = response.content.decode()
    assert NOTE not in content
    assert 'id="id_contact_points-ADD"' in content
    assert 'id="id_opening_hours-ADD"' in content

    data = form_data(
        admin_client,
        helpline_nl,
        **{
            "contact_points-0-value": "+32 2 475 44 11",
            "slug": "child-focus",
            "action-publish": "action-publish",
        },
    )
    response = admin_client.post(edit_url(helpline_nl), data)

    assert response.status_code == 302
    assert contact_points(HelpLine.objects.get(pk=helpline_nl.pk)) == [
        ("phone", "+3224754411", "Bel gratis 116000")
    ]
    # … and the translation follows.
    french = HelpLine.objects.get(pk=helpline_fr.pk)
    assert contact_points(french) == [("phone", "+3224754411", "Appelez le 116000")]
    assert french.slug == "child-focus"


def test_a_new_help_line_in_another_locale_is_a_source_itself(admin_client, locales):
    response = admin_client.get(reverse("wagtailsnippets_cms_helpline:add") + "?locale=fr")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.sync_source is None
    assert not any(field.disabled for field in form.fields.values())


# --- languages served ------------------------------------------------------------------------------


def test_languages_served_are_check_boxes_of_the_configured_languages(admin_client, locales):
    response = admin_client.get(reverse("wagtailsnippets_cms_helpline:add"))

    assert response.status_code == 200
    field = response.context["form"].fields["languages"]
    assert isinstance(field.widget, CheckboxSelectMultiple)
    assert list(field.choices) == [
        ("nl", "Nederlands (nl)"),
        ("fr", "Français (fr)"),
        ("en", "English (en)"),
        ("de", "Deutsch (de)"),
    ]
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    boxes = soup.find_all("input", attrs={"name": "languages"})
    assert [(box["type"], box["value"]) for box in boxes] == [
        ("checkbox", "nl"),
        ("checkbox", "fr"),
        ("checkbox", "en"),
        ("checkbox", "de"),
    ]
    assert "Languages served" in response.content.decode()
    assert soup.find("textarea", attrs={"name": "languages"}) is None


def test_ticked_languages_are_saved_in_the_configured_order(admin_client, helpline_nl):
    data = form_data(
        admin_client, helpline_nl, languages=["en", "nl"], **{"action-publish": "action-publish"}
    )
    response = admin_client.post(edit_url(helpline_nl), data)
    assert response.status_code == 302
    assert HelpLine.objects.get(pk=helpline_nl.pk).languages == ["nl", "en"]

    data = form_data(admin_client, helpline_nl, languages=[], **{"action-publish": "action-publish"})
    response = admin_client.post(edit_url(helpline_nl), data)
    assert response.status_code == 302
    assert HelpLine.objects.get(pk=helpline_nl.pk).languages == []


def test_a_language_that_is_not_offered_is_refused(admin_client, helpline_nl):
    data = form_data(
        admin_client, helpline_nl, languages=["nl", "xx"], **{"action-publish": "action-publish"}
    )
    response = admin_client.post(edit_url(helpline_nl), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["languages"]
    # In the admin's language (English here).
    assert "Select a valid choice. xx is not one of the available choices." in response.content.decode()
    assert HelpLine.objects.get(pk=helpline_nl.pk).languages == ["nl", "fr"]


def test_stored_languages_beyond_the_configured_ones_are_offered_and_kept(admin_client, content):
    helpline = content.helpline("hulplijn", "Hulplijn", languages=["nl", "ar", "fr-BE"])

    response = admin_client.get(edit_url(helpline))

    field = response.context["form"].fields["languages"]
    assert list(field.choices)[4:] == [("ar", "العربيّة (ar)"), ("fr-BE", "Français (fr-BE)")]
    assert response.context["form"]["languages"].value() == ["nl", "ar", "fr-BE"]

    data = form_data(admin_client, helpline, **{"action-publish": "action-publish"})
    assert data["languages"] == ["nl", "ar", "fr-BE"]
    response = admin_client.post(edit_url(helpline), data)
    assert response.status_code == 302
    assert HelpLine.objects.get(pk=helpline.pk).languages == ["nl", "ar", "fr-BE"]
