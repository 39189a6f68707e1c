"""The help-line listing for real work: status, one locale at a time, readable filters, bulk
"Mark verified" and "Submit for review", and the warning about a contact value used twice.

Through the real admin views, as the people in each role use them.
"""

import datetime as dt
import html

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

from cms.admin_views import helpline_status
from cms.snippets.models import ContactType, HelpLine
from tests.content import helpline_add_form
from tests.users import logged_in, make_user, prefer_language

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_admin")]


LISTING_URL = "/admin/snippets/cms/helpline/"
RESULTS_URL = "/admin/snippets/cms/helpline/results/"
TODAY = timezone.localdate
LONG_AGO = dt.date(2024, 1, 10)


def listed_names(response) -> list[str]:
    return sorted(str(obj) for obj in response.context["object_list"])


def messages_of(response) -> str:
    return html.unescape(response.content.decode())


# --- status ------------------------------------------------------------------------------------------


@pytest.fixture
def at_every_stage(content, editor):
    workflow = HelpLine.get_default_workflow()
    content.helpline(name="A live")
    content.helpline(name="B draft", live=False, revision=False)
    live_draft = content.helpline(name="C live with a draft")
    live_draft.name = "C live with a draft (new)"
    live_draft.save_revision(user=editor)
    in_review = content.helpline(name="D in review", live=False, revision=False)
    in_review.save_revision(user=editor)
    workflow.start(in_review, editor)
    live_in_review = content.helpline(name="E live in review")
    live_in_review.save_revision(user=editor)
    workflow.start(live_in_review, editor)
    scheduled = content.helpline(name="F scheduled", live=False, revision=False)
    scheduled.go_live_at = timezone.now() + dt.timedelta(days=3)
    scheduled.save_revision().publish()


def statuses(content: str) -> dict[str, str]:
    table = BeautifulSoup(content, "html.parser").find("table", class_="listing")
    return {
        row.find("a").get_text(strip=True): row.find_all(class_="w-status")[-1].get_text(strip=True)
        for row in table.find("tbody").find_all("tr")
    }


def test_the_status_column_says_live_draft_in_review_or_scheduled(admin_client, superuser, at_every_stage):
    prefer_language(superuser, "en")  # the site's default admin language is Dutch ("concept", "gepland")

    response = admin_client.get(LISTING_URL)

    assert response.status_code == 200
    assert statuses(response.content.decode()) == {
        "A live": "live",
        "B draft": "draft",
        "C live with a draft": "live + draft",
        "D in review": "in review",
        "E live in review": "live + in review",
        "F scheduled": "scheduled",
    }
    assert "Status" in [
        th.get_text(strip=True) for th in BeautifulSoup(response.content, "html.parser").find_all("th")
    ]


def test_the_listings_own_columns_cost_no_query_per_row(
    admin_client, at_every_stage, django_assert_num_queries
):
    response = admin_client.get(LISTING_URL)
    rows = list(response.context["object_list"])
    assert len(rows) == 6
    with django_assert_num_queries(0):
        assert [helpline_status(row) for row in rows]
        assert [row.contact_summary for row in rows] == ["116000"] * 6
        assert [row.locale.language_code for row in rows] == ["nl"] * 6


# --- one locale at a time ----------------------------------------------------------------------------


@pytest.fixture
def in_three_locales(content):
    helpline = content.helpline("child-focus-116000", "Hulplijn 116000")
    content.translate_snippet(helpline, "fr", name="Ligne d'aide 116000")
    content.translate_snippet(helpline, "en", name="Helpline 116000")
    return helpline


def test_the_listing_shows_the_default_locale_unless_asked(admin_client, in_three_locales):
    response = admin_client.get(LISTING_URL)

    assert response.status_code == 200
    assert listed_names(response) == ["Hulplijn 116000"]
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    checked = soup.find("input", attrs={"name": "locale", "checked": True})
    assert checked["value"] == "nl"
    assert [box["value"] for box in soup.find_all("input", attrs={"name": "locale"})] == [
        "nl",
        "fr",
        "en",
        "de",
        "all",
    ]
    # The default is not shown as an active filter, and "Add" adds in Dutch.
    assert response.context["is_filtering"] is False
    assert f'href="{reverse("wagtailsnippets_cms_helpline:add")}?locale=nl"' in response.content.decode()


@pytest.mark.parametrize(
    ("locale", "names"),
    [
        ("fr", ["Ligne d'aide 116000"]),
        ("en", ["Helpline 116000"]),
        ("de", []),
        ("nl", ["Hulplijn 116000"]),
        ("all", ["Helpline 116000", "Hulplijn 116000", "Ligne d'aide 116000"]),
    ],
)
def test_the_locale_switch_reaches_every_locale(admin_client, in_three_locales, locale, names):
    for url in (LISTING_URL, RESULTS_URL):
        response = admin_client.get(url, {"locale": locale})
        assert response.status_code == 200, url
        assert listed_names(response) == names, url


def test_another_locale_is_an_active_filter_and_adds_in_that_locale(admin_client, in_three_locales):
    response = admin_client.get(LISTING_URL, {"locale": "fr"})
    assert response.context["is_filtering"] is True
    with translation.override("en"):
        assert [(str(f.field_label), f.value) for f in response.context["active_filters"]] == [
            ("Locale", "français")
        ]
    assert f'href="{reverse("wagtailsnippets_cms_helpline:add")}?locale=fr"' in response.content.decode()

    response = admin_client.get(LISTING_URL, {"locale": "all"})
    assert f'href="{reverse("wagtailsnippets_cms_helpline:add")}?locale=nl"' in response.content.decode()


def test_filters_combine_with_the_locale_and_a_search(admin_client, content):
    content.helpline(name="Hulplijn chat", last_verified=dt.date(2026, 1, 1), revision=False)
    mail = content.helpline(
        name="Hulplijn e-mail",
        last_verified=dt.date(2025, 1, 1),
        points=[(ContactType.EMAIL, "hulp@example.org", "Mail")],
        revision=False,
    )
    content.translate_snippet(mail, "fr", name="Ligne e-mail")

    def names(**query):
        response = admin_client.get(LISTING_URL, query)
        assert response.status_code == 200
        return listed_names(response)

    assert names(q="hulplijn", contact_points__contact_type="email") == ["Hulplijn e-mail"]
    assert names(q="hulplijn", last_verified__gte="2025-06-01") == ["Hulplijn chat"]
    assert names(last_verified__lte="2025-06-01") == ["Hulplijn e-mail"]
    assert names(last_verified__lte="2025-06-01", locale="all") == ["Hulplijn e-mail", "Ligne e-mail"]
    assert names(contact_points__contact_type="email", locale="fr") == ["Ligne e-mail"]


def test_filters_have_readable_labels(admin_client, locales):
    response = admin_client.get(LISTING_URL)

    with translation.override("en"):
        labels = {name: str(field.label) for name, field in response.context["filters"].form.fields.items()}
    assert labels == {
        "locale": "Locale",
        "live": "Live",
        "contact_points__contact_type": "Contact type",
        "last_verified__lte": "Last verified on or before",
        "last_verified__gte": "Last verified on or after",
    }
    content = response.content.decode()
    for label in ("Contact type", "Last verified on or before", "Last verified on or after"):
        assert label in content
    for raw in ("is less than or equal to", "is greater than or equal to", "Contact points type", "exact"):
        assert raw not in content


# --- bulk actions --------------------------------------------------------------------------------------


def bulk_url(action: str, *helplines, next_url=LISTING_URL) -> str:
    ids = "&".join(f"id={helpline.pk}" for helpline in helplines)
    return f"{reverse('wagtail_bulk_action', args=['cms', 'helpline', action])}?next={next_url}&{ids}"


@pytest.fixture
def long_ago(content):
    first = content.helpline("child-focus-116000", "Hulplijn 116000", last_verified=LONG_AGO)
    french = content.translate_snippet(first, "fr", name="Ligne d'aide 116000")
    second = content.helpline("stop-child-porno", "Stop Child Porno", last_verified=LONG_AGO)
    return first, french, second


def test_the_listing_offers_the_bulk_actions(client, editor, long_ago):
    content = logged_in(client, editor).get(LISTING_URL).content.decode()
    for action in ("mark_verified", "submit_for_review"):
        assert f'href="{reverse("wagtail_bulk_action", args=["cms", "helpline", action])}"' in content
    assert "Mark verified" in content
    assert "Submit for review" in content


def test_bulk_mark_verified_verifies_each_help_line_in_every_language(client, editor, long_ago):
    first, french, second = long_ago
    url = bulk_url("mark_verified", first, french, second)

    confirm = logged_in(client, editor).get(url)
    assert confirm.status_code == 200
    content = confirm.content.decode()
    assert "Mark these 3 help-lines verified today?" in content
    assert "Yes, mark verified" in content

    response = client.post(url)

    assert response.status_code == 302
    assert response["Location"] == LISTING_URL
    assert {row.last_verified for row in HelpLine.objects.all()} == {TODAY()}
    # Once per help-line (the French one through its Dutch version), who did it recorded.
    entries = ModelLogEntry.objects.filter(action="baken.verify")
    assert sorted((entry.label, entry.user.username) for entry in entries) == [
        ("Hulplijn 116000", "eva"),
        ("Ligne d'aide 116000", "eva"),
        ("Stop Child Porno", "eva"),
    ]
    assert entries.filter(data__via__isnull=True).count() == 2
    page = messages_of(client.get(LISTING_URL))
    assert "2 help-lines marked verified on" in page
    assert "'Hulplijn 116000', 'Stop Child Porno'" in page


def test_bulk_mark_verified_skips_a_help_line_an_editor_may_not_verify_and_says_so(client, editor, long_ago):
    first, _french, second = long_ago
    first.save_revision(user=editor)
    HelpLine.get_default_workflow().start(first, editor)

    response = logged_in(client, editor).post(bulk_url("mark_verified", first, second), follow=True)

    assert response.status_code == 200
    assert HelpLine.objects.get(pk=first.pk).last_verified == LONG_AGO
    assert HelpLine.objects.get(pk=second.pk).last_verified == TODAY()
    page = messages_of(response)
    assert "1 help-line marked verified on" in page
    assert "Help-line 'Hulplijn 116000' was not marked verified:" in page


def test_bulk_mark_verified_is_refused_without_the_verify_permission(client, translator, long_ago):
    first, _french, second = long_ago
    url = bulk_url("mark_verified", first, second)

    confirm = logged_in(client, translator).get(url)
    assert confirm.status_code == 200
    content = confirm.content.decode()
    assert "You don't have permission to mark these help-lines verified:" in content
    assert "Yes, mark verified" not in content

    response = client.post(url, follow=True)

    assert response.status_code == 200
    assert {row.last_verified for row in HelpLine.objects.all()} == {LONG_AGO}
    assert not ModelLogEntry.objects.filter(action="baken.verify").exists()
    assert "No help-line was marked verified." in messages_of(response)


@pytest.mark.parametrize(
    ("query", "selected"),
    [
        ("", ["Hulplijn 116000", "Stop Child Porno"]),  # the listing's default: Dutch
        ("&locale=fr", ["Ligne d'aide 116000"]),
        ("&locale=all", ["Hulplijn 116000", "Ligne d'aide 116000", "Stop Child Porno"]),
        ("&q=stop", ["Stop Child Porno"]),
    ],
)
def test_select_all_in_listing_takes_the_listings_locale_and_search(
    client, editor, long_ago, query, selected
):
    url = f"{reverse('wagtail_bulk_action', args=['cms', 'helpline', 'submit_for_review'])}?id=all{query}"

    response = logged_in(client, editor).get(url)

    assert response.status_code == 200
    assert sorted(str(item["item"]) for item in response.context["items"]) == selected


@pytest.fixture
def to_submit(content, editor):
    changed = content.helpline("child-focus-116000", "Hulplijn 116000")
    changed.name = "Hulplijn Child Focus"
    changed.save_revision(user=editor)
    in_review = content.helpline("al-in-review", "Al in review")
    in_review.save_revision(user=editor)
    HelpLine.get_default_workflow().start(in_review, editor)
    never_edited = content.helpline("nieuwe-chatlijn", "Nieuwe chatlijn", live=False, revision=False)
    return changed, in_review, never_edited


def in_progress(helpline):
    return WorkflowState.objects.filter(
        object_id=str(helpline.pk),
        base_content_type__model="helpline",
        status=WorkflowState.STATUS_IN_PROGRESS,
    )


def test_bulk_submit_for_review_starts_the_workflows_and_skips_those_in_review(
    client, editor, reviewer, to_submit
):
    changed, in_review, never_edited = to_submit
    url = bulk_url("submit_for_review", changed, in_review, never_edited)

    confirm = logged_in(client, editor).get(url)
    assert confirm.status_code == 200
    assert "already in review: it will be skipped" in confirm.content.decode()

    response = client.post(url, follow=True)

    assert response.status_code == 200
    page = messages_of(response)
    assert "2 help-lines submitted for review: 'Hulplijn 116000', 'Nieuwe chatlijn'." in page
    assert "Help-line 'Al in review' (Nederlands) is already in review: not submitted again." in page
    for helpline in (changed, never_edited):
        state = in_progress(helpline).get()
        assert state.requested_by == editor
        assert state.current_task_state.revision_id == HelpLine.objects.get(pk=helpline.pk).latest_revision_id
    assert in_progress(in_review).count() == 1
    assert HelpLine.objects.get(pk=changed.pk).name == "Hulplijn 116000"  # not live before approval

    # The reviewers see them and their approval publishes.
    assert "Hulplijn Child Focus" in logged_in(client, reviewer).get("/admin/").content.decode()
    for helpline in (changed, never_edited):
        stored = HelpLine.objects.get(pk=helpline.pk)
        stored.current_workflow_task_state.approve(user=reviewer)
    assert HelpLine.objects.get(pk=changed.pk).name == "Hulplijn Child Focus"
    assert HelpLine.objects.get(pk=never_edited.pk).live is True


def test_bulk_submit_for_review_resumes_a_workflow_sent_back_for_changes(client, editor, reviewer, to_submit):
    changed, _in_review, _never_edited = to_submit
    HelpLine.get_default_workflow().start(changed, editor)
    HelpLine.objects.get(pk=changed.pk).current_workflow_task_state.reject(user=reviewer)
    state = WorkflowState.objects.get(object_id=str(changed.pk), base_content_type__model="helpline")
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES

    logged_in(client, editor).post(bulk_url("submit_for_review", changed))

    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert (
        WorkflowState.objects.filter(object_id=str(changed.pk), base_content_type__model="helpline").count()
        == 1
    )


def test_bulk_submit_for_review_is_refused_without_the_change_permission(client, to_submit):
    changed, _in_review, never_edited = to_submit
    outsider = make_user("otto")
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    url = bulk_url("submit_for_review", changed, never_edited)

    confirm = logged_in(client, outsider).get(url)
    assert confirm.status_code == 200
    assert "You don't have permission to submit these help-lines for review:" in confirm.content.decode()
    assert "Yes, submit for review" not in confirm.content.decode()

    response = client.post(url)

    assert response.status_code == 302
    assert not in_progress(changed).exists()
    assert not in_progress(never_edited).exists()


def test_translators_may_submit_a_translation_in_bulk(client, translator, content, to_submit):
    changed, _in_review, _never_edited = to_submit
    french = content.translate_snippet(changed, "fr", name="Ligne d'aide 116000")

    response = logged_in(client, translator).post(bulk_url("submit_for_review", french), follow=True)

    assert "1 help-line submitted for review: 'Ligne d'aide 116000'." in messages_of(response)
    assert in_progress(french).get().requested_by == translator


def test_a_translation_from_the_translation_editor_is_submitted_with_its_translated_texts(
    client, translator, locales, content
):
    from wagtail_localize.models import TranslationSource
    from wagtail_localize.operations import translate_object

    helpline = content.helpline("child-focus-116000", "Hulplijn 116000", points=[("phone", "116000", "Bel")])
    translate_object(helpline, [locales["fr"]])
    french = HelpLine.objects.get(translation_key=helpline.translation_key, locale=locales["fr"])
    url = bulk_url("submit_for_review", french)

    # Untranslated texts: refused (cms.translation_completeness), nothing started.
    response = logged_in(client, translator).post(url, follow=True)
    assert "cannot be published in" in messages_of(response)
    assert not in_progress(french).exists()

    source, _created = TranslationSource.get_or_create_from_instance(helpline)
    translation = source.translations.get(target_locale=locales["fr"])
    po = translation.export_po()
    texts = {"Hulplijn 116000": "Ligne d'aide 116000", "Child Focus": "Child Focus", "Bel": "Appelez"}
    texts["Dag en nacht bereikbaar."] = "Joignable jour et nuit."
    for entry in po:
        entry.msgstr = texts[entry.msgid]
    assert translation.import_po(po) == []

    response = client.post(url, follow=True)

    assert "1 help-line submitted for review" in messages_of(response)
    stored = HelpLine.objects.get(pk=french.pk)
    assert in_progress(stored).get().current_task_state.revision_id == stored.latest_revision_id
    draft = stored.get_latest_revision_as_object()
    assert draft.name == "Ligne d'aide 116000"
    assert [point.label for point in draft.contact_points.all()] == ["Appelez"]


# --- a contact value another help-line has -------------------------------------------------------------


def add_form(contact_type=ContactType.PHONE, value="116 000", **changes) -> dict:
    return helpline_add_form(
        "Nieuwe hulplijn",
        "nieuwe-hulplijn",
        (contact_type, value, "Bel ons"),
        **{"action-publish": "action-publish", **changes},
    )


WARNING = "is also a contact point of help-line"


def test_a_new_help_line_with_a_number_another_has_is_saved_with_a_warning(admin_client, content):
    existing = content.helpline(
        "child-focus-116000", "Hulplijn 116000", points=[("phone", "116000", "Bel gratis 116000")]
    )

    response = admin_client.post(reverse("wagtailsnippets_cms_helpline:add"), add_form(), follow=True)

    assert response.status_code == 200
    assert HelpLine.objects.filter(name="Nieuwe hulplijn", live=True).exists()
    page = messages_of(response)
    assert (
        "Phone 116000 is also a contact point of help-line 'Hulplijn 116000'. "
        "Check that both are right; this help-line was saved."
    ) in page
    assert (
        f'href="{reverse("wagtailsnippets_cms_helpline:edit", args=[existing.pk])}"'
        in response.content.decode()
    )


def test_the_warning_compares_normalised_values_and_names_the_dutch_version(admin_client, content):
    existing = content.helpline(
        "child-focus-e-mail",
        "E-mail Child Focus",
        points=[(ContactType.EMAIL, "116000@childfocus.org", "Mail ons")],
    )
    content.translate_snippet(existing, "fr", name="E-mail Child Focus (fr)")

    response = admin_client.post(
        reverse("wagtailsnippets_cms_helpline:add"),
        add_form(contact_type=ContactType.EMAIL, value="116000@ChildFocus.org"),
        follow=True,
    )

    page = messages_of(response)
    assert page.count(WARNING) == 1
    assert "E-mail 116000@ChildFocus.org is also a contact point of help-line 'E-mail Child Focus'." in page


def test_no_warning_for_a_value_only_its_own_translations_have(admin_client, content):
    helpline = content.helpline(
        "child-focus-116000", "Hulplijn 116000", points=[("phone", "116000", "Bel gratis 116000")]
    )
    french = content.translate_snippet(helpline, "fr", name="Ligne d'aide 116000")
    other_type = content.helpline(
        "sms-lijn", "SMS-lijn", points=[(ContactType.SMS, "116000", "Sms")], revision=False
    )
    assert other_type.pk

    for obj in (helpline, french):
        url = reverse("wagtailsnippets_cms_helpline:edit", args=[obj.pk])
        data = dict(
            querydict_from_html(admin_client.get(url).content.decode(), form_id="w-editor-form").lists()
        )
        data["action-publish"] = "action-publish"
        response = admin_client.post(url, data, follow=True)
        assert response.status_code == 200
        assert WARNING not in messages_of(response)


def test_a_different_number_gives_no_warning(admin_client, content):
    content.helpline(
        "child-focus-116000", "Hulplijn 116000", points=[("phone", "116000", "Bel gratis 116000")]
    )
    response = admin_client.post(
        reverse("wagtailsnippets_cms_helpline:add"), add_form(value="+32 2 475 44 11"), follow=True
    )
    assert response.status_code == 200
    assert WARNING not in messages_of(response)
    assert HelpLine.objects.count() == 2
