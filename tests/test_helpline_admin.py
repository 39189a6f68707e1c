"""The help-line and citation snippets through the real Wagtail admin views."""

import pytest
from django.urls import reverse
from wagtail.admin.admin_url_finder import AdminURLFinder

from cms.snippets.models import CitationType, ContactType, HelpLine, SourceCitation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_admin")]


ADD_URL_NAME = "wagtailsnippets_cms_helpline:add"


def management_form(prefix: str, total: int, *, minimum: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": str(minimum),
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def inline_form_fields(formset: str, index: int, **values: str) -> dict[str, str]:
    """One new row of an inline formset: no id, in position ``index``, not deleted, these values."""
    row = f"{formset}-{index}"
    return {
        f"{row}-id": "",
        f"{row}-ORDER": str(index + 1),
        f"{row}-DELETE": "",
        **{f"{row}-{name}": value for name, value in values.items()},
    }


def contact_point_fields(index: int, contact_type: str, value: str, label: str) -> dict[str, str]:
    return inline_form_fields("contact_points", index, contact_type=contact_type, value=value, label=label)


def opening_hours_fields(index: int, weekday: int, opens: str, closes: str) -> dict[str, str]:
    return inline_form_fields("opening_hours", index, weekday=str(weekday), opens=opens, closes=closes)


def helpline_post_data(*, opening_hours=(), contact_value="116 000", publish=True) -> dict:
    """The add form as the admin submits it: main fields plus both inline formsets."""
    data = {
        "name": "Hulplijn 116000",
        "slug": "child-focus-116000",
        "organisation": "Child Focus",
        "description": "Gratis hulplijn.",
        "is_free": "on",
        "anonymous_possible": "on",
        "time_zone": "Europe/Brussels",
        "languages": ["nl", "fr"],  # check boxes
        "area_served": "BE",
        "last_verified": "2024-05-01",
        **management_form("contact_points", 1, minimum=1),
        **contact_point_fields(0, ContactType.PHONE, contact_value, "Bel gratis 116000"),
        **management_form("opening_hours", len(opening_hours)),
    }
    for index, (weekday, opens, closes) in enumerate(opening_hours):
        data.update(opening_hours_fields(index, weekday, opens, closes))
    if publish:
        data["action-publish"] = "action-publish"
    return data


@pytest.fixture
def add_url():
    return reverse(ADD_URL_NAME)


def test_add_url_is_the_snippet_viewsets(add_url):
    assert add_url == "/admin/snippets/cms/helpline/add/"
    assert HelpLine.snippet_viewset.get_url_name("add") == ADD_URL_NAME


def test_add_form_renders_both_inline_formsets(admin_client, add_url):
    response = admin_client.get(add_url)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.formsets) == {"contact_points", "opening_hours"}
    content = response.content.decode()
    for name in ("contact_points-TOTAL_FORMS", "opening_hours-TOTAL_FORMS", "contact_points-0-value"):
        assert f'name="{name}"' in content


def test_overlapping_opening_hours_are_refused_and_nothing_is_saved(admin_client, add_url):
    data = helpline_post_data(opening_hours=[(0, "09:00", "17:00"), (0, "16:00", "20:00")])

    response = admin_client.post(add_url, data)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Monday: 09:00–17:00 and 16:00–20:00 overlap."]
    assert "Monday: 09:00–17:00 and 16:00–20:00 overlap." in response.content.decode()
    assert HelpLine.objects.count() == 0


def test_closing_before_opening_is_refused_on_the_row(admin_client, add_url):
    data = helpline_post_data(opening_hours=[(2, "17:00", "09:00")])

    response = admin_client.post(add_url, data)

    assert response.status_code == 200
    row_form = response.context["form"].formsets["opening_hours"].forms[0]
    assert row_form.non_field_errors() == ["Wednesday: closing time 09:00 must be after opening time 17:00."]
    assert "Wednesday: closing time 09:00 must be after opening time 17:00." in response.content.decode()
    assert HelpLine.objects.count() == 0


def test_bad_contact_value_is_reported_on_the_value_field(admin_client, add_url):
    response = admin_client.post(add_url, helpline_post_data(contact_value="123"))

    assert response.status_code == 200
    point_form = response.context["form"].formsets["contact_points"].forms[0]
    assert point_form.errors == {
        "value": [
            "“123” is not a valid phone number for region BE. Use the international form "
            "(+32 2 475 44 11) or a national short number (116000)."
        ]
    }
    assert HelpLine.objects.count() == 0


def test_valid_post_creates_a_live_help_line(admin_client, add_url, locales):
    data = helpline_post_data(
        opening_hours=[(0, "09:00", "17:00"), (0, "17:00", "20:00"), (5, "10:00", "12:00")]
    )

    response = admin_client.post(add_url, data)

    assert response.status_code == 302
    assert response["Location"] == "/admin/snippets/cms/helpline/?locale=nl"
    helpline = HelpLine.objects.get()
    assert helpline.name == "Hulplijn 116000"
    assert helpline.slug == "child-focus-116000"
    assert helpline.locale == locales["nl"]
    assert helpline.live is True
    assert helpline.has_unpublished_changes is False
    assert helpline.latest_revision is not None
    assert helpline.languages == ["nl", "fr"]
    assert [(p.contact_type, p.value, p.label) for p in helpline.contact_points.all()] == [
        ("phone", "116000", "Bel gratis 116000")
    ]
    assert [(h.weekday, f"{h.opens:%H:%M}", f"{h.closes:%H:%M}") for h in helpline.opening_hours.all()] == [
        (0, "09:00", "17:00"),
        (0, "17:00", "20:00"),
        (5, "10:00", "12:00"),
    ]


def test_saving_a_draft_through_the_admin_creates_an_unpublished_help_line(admin_client, add_url):
    response = admin_client.post(add_url, helpline_post_data(publish=False))

    assert response.status_code == 302
    helpline = HelpLine.objects.get()
    assert helpline.live is False
    assert helpline.has_unpublished_changes is True


def test_admin_url_finder_points_at_the_edit_view(superuser, content):
    helpline = content.helpline(revision=False)
    assert (
        AdminURLFinder(superuser).get_edit_url(helpline)
        == f"/admin/snippets/cms/helpline/edit/{helpline.pk}/"
    )


# --- listings with filters -----------------------------------------------------------------


@pytest.fixture
def listed_helplines(content):
    live = content.helpline("child-focus-116000", "Hulplijn 116000", revision=False)
    draft = content.helpline("nieuwe-chatlijn", "Nieuwe chatlijn", live=False, revision=False)
    mail = content.helpline(
        "child-focus-e-mail",
        "E-mail Child Focus",
        points=[(ContactType.EMAIL, "116000@childfocus.org", "Mail ons")],
        revision=False,
    )
    return live, draft, mail


def listed_names(response) -> list[str]:
    return sorted(str(obj) for obj in response.context["object_list"])


def get_listing(client, url_name: str, query=None):
    """A snippet listing view's answer (200) to this query."""
    response = client.get(reverse(url_name), query or {})
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("view", "query", "listed", "shown", "not_shown"),
    [
        pytest.param(
            "list",
            {},
            ["E-mail Child Focus", "Hulplijn 116000", "Nieuwe chatlijn"],
            (),
            (),
            id="without-filters",
        ),
        pytest.param(
            "list",
            {"live": "true"},
            ["E-mail Child Focus", "Hulplijn 116000"],
            (),
            ("Nieuwe chatlijn",),
            id="live",
        ),
        pytest.param("list", {"live": "false"}, ["Nieuwe chatlijn"], (), (), id="not-live"),
        pytest.param(
            "list",
            {"contact_points__contact_type": "email", "live": "true"},
            ["E-mail Child Focus"],
            ("116000@childfocus.org",),  # the contact summary
            (),
            id="contact-type-shows-contact-summary",
        ),
        pytest.param(
            "list_results",
            {"live": "true", "contact_points__contact_type": "phone"},
            ["Hulplijn 116000"],
            (),
            (),
            id="results-view-with-filters",
        ),
        # Typing in the listing's search box must work on the SQLite database search backend too.
        pytest.param("list", {"q": "chatlijn"}, ["Nieuwe chatlijn"], (), (), id="search-box"),
    ],
)
def test_help_line_listing(admin_client, listed_helplines, view, query, listed, shown, not_shown):
    response = get_listing(admin_client, f"wagtailsnippets_cms_helpline:{view}", query)
    assert listed_names(response) == listed
    page = response.content.decode()
    for text in shown:
        assert text in page
    for text in not_shown:
        assert text not in page


def test_citation_listing_search_box(admin_client, content):
    content.citation("Verdrag van Lanzarote", organisation="Raad van Europa", revision=False)
    content.citation("Jaarverslag 2023", organisation="Child Focus", revision=False)
    response = get_listing(admin_client, "wagtailsnippets_cms_sourcecitation:list", {"q": "Lanzarote"})
    assert listed_names(response) == ["Verdrag van Lanzarote"]


def test_citation_listing_filtered_on_live_and_type(admin_client, content):
    content.citation(
        "Verdrag van Lanzarote", citation_type=CitationType.LEGISLATION, language="en", revision=False
    )
    content.citation("Jaarverslag 2023", citation_type=CitationType.REPORT, revision=False)
    content.citation("Ontwerp richtlijn", citation_type=CitationType.LEGISLATION, live=False, revision=False)

    def listed(query=None):
        return listed_names(get_listing(admin_client, "wagtailsnippets_cms_sourcecitation:list", query))

    assert listed() == ["Jaarverslag 2023", "Ontwerp richtlijn", "Verdrag van Lanzarote"]
    assert listed({"live": "true"}) == ["Jaarverslag 2023", "Verdrag van Lanzarote"]
    assert listed({"live": "true", "citation_type": "legislation"}) == ["Verdrag van Lanzarote"]
    assert listed({"language": "en"}) == ["Verdrag van Lanzarote"]
    assert SourceCitation.objects.count() == 3
