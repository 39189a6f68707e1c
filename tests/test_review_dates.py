"""Review-by dates: the computed date, the overdue report (with its export), the dashboard panel
and the one-click "Mark verified today" for help-lines."""

import csv
import datetime as dt
import io

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cms import reviews, roles
from cms.snippets.models import (
    CITATION_REVIEW_INTERVAL_DAYS,
    HELPLINE_REVIEW_INTERVAL_DAYS,
    ContactType,
    HelpLine,
    SourceCitation,
)
from tests.content import helpline_add_form
from tests.users import logged_in, make_user, prefer_language

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_admin")]


REPORT_URL = "/admin/reports/overdue-for-review/"
TODAY = timezone.localdate  # called in each test: the admin uses the local date too


def days_ago(days: int) -> dt.date:
    return TODAY() - dt.timedelta(days=days)


# --- the review-by date ----------------------------------------------------------------------------


def test_default_intervals(content):
    assert HELPLINE_REVIEW_INTERVAL_DAYS == 180
    assert CITATION_REVIEW_INTERVAL_DAYS == 365
    assert content.helpline(revision=False).review_interval_days == 180
    assert content.citation(revision=False).review_interval_days == 365


def test_review_by_is_the_last_check_plus_the_interval(content):
    helpline = content.unsaved_helpline(last_verified=dt.date(2026, 1, 10), review_interval_days=30)
    assert helpline.review_by == dt.date(2026, 2, 9)
    citation = content.unsaved_citation(last_reviewed=dt.date(2025, 3, 1))
    assert citation.review_by == dt.date(2026, 3, 1)
    assert content.unsaved_citation(last_reviewed=None).review_by is None


@pytest.mark.parametrize(
    ("last_verified", "overdue"),
    [
        (dt.date(2026, 1, 1), False),  # review by 2026-06-30: not yet
        (dt.date(2025, 12, 31), False),  # review by today: due, not overdue
        (dt.date(2025, 12, 30), True),  # review by yesterday
        (None, True),  # never verified
    ],
)
def test_overdue_once_the_review_by_date_has_passed(content, last_verified, overdue):
    helpline = content.unsaved_helpline(last_verified=last_verified)
    assert helpline.is_review_overdue(dt.date(2026, 6, 29)) is overdue


@pytest.mark.usefixtures("english")
def test_a_review_date_in_the_future_is_refused(content):
    citation = content.unsaved_citation(last_reviewed=TODAY() + dt.timedelta(days=1))
    with pytest.raises(ValidationError) as caught:
        citation.full_clean()
    assert caught.value.message_dict["last_reviewed"] == ["The review date cannot be in the future."]


def test_the_interval_is_copied_to_translations(content, locales):
    helpline = content.helpline(review_interval_days=90, last_verified=dt.date(2026, 1, 1), revision=False)
    french = helpline.copy_for_translation(locales["fr"])
    french.review_interval_days = 400
    french.save()
    french.refresh_from_db()
    assert (french.review_interval_days, french.last_verified) == (90, dt.date(2026, 1, 1))


def test_a_blank_interval_in_the_admin_form_means_the_default(admin_client, locales):
    data = helpline_add_form(
        "Hulplijn 116000",
        "child-focus-116000",
        (ContactType.PHONE, "116000", "Bel 116000"),
        review_interval_days="",
    )
    response = admin_client.post(reverse("wagtailsnippets_cms_helpline:add"), data)
    assert response.status_code == 302
    assert HelpLine.objects.get().review_interval_days == 180

    data["review_interval_days"] = "0"
    data["slug"] = "andere"
    response = admin_client.post(reverse("wagtailsnippets_cms_helpline:add"), data)
    assert response.status_code == 200
    assert "review_interval_days" in response.context["form"].errors


# --- what is overdue, in which order ------------------------------------------------------------


@pytest.fixture
def review_content(content):
    """Help-lines and citations at every stage; returns the titles expected in the report, in order."""
    due_yesterday = content.helpline(name="A due yesterday", last_verified=days_ago(181), revision=False)
    # A translation: listed once, through the Dutch version.
    content.translate_snippet(due_yesterday, "fr", name="A (fr)", revision=False)
    content.helpline(name="B due 220 days ago", last_verified=days_ago(400), revision=False)
    content.helpline(name="C due today", last_verified=days_ago(180), revision=False)
    content.helpline(name="D never verified", last_verified=None, revision=False)
    content.helpline(name="E draft never verified", last_verified=None, live=False, revision=False)
    content.helpline(
        name="F due 3 days ago", last_verified=days_ago(10), review_interval_days=7, revision=False
    )
    content.citation("X citation due yesterday", last_reviewed=days_ago(366), revision=False)
    content.citation("Y citation reviewed recently", last_reviewed=days_ago(100), revision=False)
    content.citation("Z citation never reviewed", last_reviewed=None, revision=False)
    return [
        "A due yesterday",
        "X citation due yesterday",
        "F due 3 days ago",
        "B due 220 days ago",
        "D never verified",
        "Z citation never reviewed",
    ]


@pytest.mark.usefixtures("english")
def test_overdue_list_content_and_order(review_content):
    items = reviews.overdue_for_review()
    assert [item.title for item in items] == review_content
    first = items[0]
    assert (first.kind, first.language, first.last_checked, first.review_by, first.days_overdue) == (
        "Help-line",
        "nl",
        days_ago(181),
        days_ago(1),
        1,
    )
    never = items[-2]
    assert (never.review_by, never.days_overdue, never.overdue_text) == (None, None, "never checked")


def test_report_lists_overdue_items_newest_first(admin_client, review_content):
    response = admin_client.get(REPORT_URL)

    assert response.status_code == 200
    assert [item.title for item in response.context["object_list"]] == review_content
    content = response.content.decode()
    assert "Most recently due first" in content
    positions = [content.index(title) for title in review_content]
    assert positions == sorted(positions)
    for absent in ("C due today", "E draft never verified", "Y citation reviewed recently", "A (fr)"):
        assert absent not in content
    # Help-lines have a "Mark verified today" button; citations don't.
    assert content.count("Mark verified today") == 4


def test_report_results_view_for_the_listing_refresh(admin_client, review_content):
    response = admin_client.get(REPORT_URL + "results/")
    assert response.status_code == 200
    assert [item.title for item in response.context["object_list"]] == review_content


def test_report_csv_export(admin_client, review_content):
    response = admin_client.get(REPORT_URL, {"export": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"] == (
        f'attachment; filename="overdue-for-review-{TODAY():%Y-%m-%d}.csv"'
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    assert rows[0] == [
        "Title",
        "Type",
        "Language",
        "Last verified or reviewed",
        "Review interval (days)",
        "Review by",
        "Days overdue",
        "Status",
    ]
    assert [row[0] for row in rows[1:]] == review_content
    assert rows[1] == [
        "A due yesterday",
        "Help-line",
        "nl",
        days_ago(181).isoformat(),
        "180",
        days_ago(1).isoformat(),
        "1",
        "live",
    ]
    assert rows[2] == [
        "X citation due yesterday",
        "Source citation",
        "nl",
        days_ago(366).isoformat(),
        "365",
        days_ago(1).isoformat(),
        "1",
        "live",
    ]
    assert rows[5] == ["D never verified", "Help-line", "nl", "", "180", "", "", "live"]


def test_report_xlsx_export(admin_client, review_content):
    response = admin_client.get(REPORT_URL, {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_report_without_overdue_items(admin_client, content):
    content.helpline(name="Recently verified", last_verified=days_ago(1), revision=False)
    response = admin_client.get(REPORT_URL)
    assert response.status_code == 200
    assert "Nothing is overdue for review." in response.content.decode()
    assert admin_client.get(REPORT_URL, {"export": "csv"}).status_code == 200


def test_report_for_roles_and_in_the_reports_menu(client, editor, review_content):
    assert logged_in(client, editor).get(REPORT_URL).status_code == 200
    assert REPORT_URL in client.get("/admin/").content.decode()  # the Reports menu item

    # Admin access but no content permission: refused, and no menu item.
    outsider = make_user("otto")
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    logged_in(client, outsider)
    response = client.get(REPORT_URL)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert REPORT_URL not in client.get("/admin/").content.decode()


# --- the dashboard panel ----------------------------------------------------------------------------


def test_dashboard_panel_shows_the_first_five_newest_first(client, editor, review_content):
    content = logged_in(client, editor).get("/admin/").content.decode()

    assert 'id="baken-review-due"' in content or "baken-review-due" in content
    panel = content[content.index("baken-review-due") :]
    shown = review_content[:5]
    positions = [panel.index(title) for title in shown]
    assert positions == sorted(positions)
    assert review_content[5] not in panel
    assert "6 items past their review-by date or never checked" in panel
    assert "Most recently due first" in panel
    assert REPORT_URL in panel
    assert panel.count("Mark verified today") == 4  # A, F, B, D: the help-lines among the first five


def test_dashboard_panel_hidden_when_nothing_is_overdue(client, editor, content):
    content.helpline(name="Recently verified", last_verified=days_ago(1), revision=False)
    content = logged_in(client, editor).get("/admin/").content.decode()
    assert "baken-review-due" not in content


def test_dashboard_panel_without_verify_buttons_for_translators(client, translator, review_content):
    content = logged_in(client, translator).get("/admin/").content.decode()
    assert "baken-review-due" in content
    assert "Mark verified today" not in content


# --- "Mark verified today" ---------------------------------------------------------------------------


@pytest.fixture
def translated_helpline(content):
    """A published help-line verified long ago, with published French and English translations."""
    helpline = content.helpline("child-focus-116000", "Hulplijn 116000", last_verified=days_ago(400))
    for code in ("fr", "en"):
        content.translate_snippet(helpline, code, name=f"116000 ({code})")
    return HelpLine.objects.get(pk=helpline.pk)


def verify_url(helpline) -> str:
    return reverse("wagtailsnippets_cms_helpline:verify", args=[helpline.pk])


def translations_of(helpline):
    return HelpLine.objects.filter(translation_key=helpline.translation_key).order_by("pk")


def test_one_post_marks_every_translation_verified_today(client, editor, translated_helpline, locales):
    french = translated_helpline.get_translation(locales["fr"])

    response = logged_in(client, editor).post(verify_url(french), {"next": REPORT_URL})

    assert response.status_code == 302
    assert response["Location"] == REPORT_URL
    assert [row.last_verified for row in translations_of(translated_helpline)] == [TODAY()] * 3
    source = HelpLine.objects.get(pk=translated_helpline.pk)
    # The live row and the latest revision agree.
    assert source.latest_revision_id == source.live_revision_id
    assert source.latest_revision.content["last_verified"] == TODAY().isoformat()
    assert not source.has_unpublished_changes
    assert source.live
    # History: who verified, on the source and on every translation.
    for row in translations_of(translated_helpline):
        entry = ModelLogEntry.objects.for_instance(row).filter(action="baken.verify").get()
        assert entry.user == editor
        assert entry.data["last_verified"] == TODAY().isoformat()
    source_entry = ModelLogEntry.objects.for_instance(source).get(action="baken.verify")
    assert source_entry.revision_id == source.latest_revision_id
    assert source_entry.data["previous"] == days_ago(400).isoformat()
    # The public API serves the new date at once, in every language.
    served = client.get("/api/v1/helplines/child-focus-116000/?locale=fr").json()
    assert served["last_verified"] == TODAY().isoformat()
    # And it is no longer overdue.
    assert translated_helpline.name not in [item.title for item in reviews.overdue_for_review()]


@pytest.mark.parametrize("page", ["/admin/", REPORT_URL])
def test_the_buttons_in_the_panel_and_the_report_post_with_a_valid_csrf_token(
    page, editor, translated_helpline
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    soup = BeautifulSoup(client.get(page).content.decode(), "html.parser")
    forms = soup.find_all("form", action=verify_url(translated_helpline))
    assert len(forms) == 1
    data = {field["name"]: field["value"] for field in forms[0].find_all("input")}
    assert data["next"] == page
    assert data["csrfmiddlewaretoken"]

    response = client.post(verify_url(translated_helpline), data)

    assert response.status_code == 302
    assert response["Location"] == page
    assert HelpLine.objects.get(pk=translated_helpline.pk).last_verified == TODAY()


def test_without_next_it_returns_to_the_help_line(client, editor, translated_helpline):
    response = logged_in(client, editor).post(verify_url(translated_helpline))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailsnippets_cms_helpline:edit", args=[translated_helpline.pk])


def test_verifying_keeps_a_pending_draft_and_gives_it_the_new_date(client, editor, translated_helpline):
    translated_helpline.name = "Hulplijn Child Focus (concept)"
    draft = translated_helpline.save_revision()

    logged_in(client, editor).post(verify_url(translated_helpline))

    stored = HelpLine.objects.get(pk=translated_helpline.pk)
    assert stored.name == "Hulplijn 116000"  # the live content is otherwise unchanged
    assert stored.last_verified == TODAY()
    assert stored.has_unpublished_changes
    assert stored.live_revision_id != stored.latest_revision_id != draft.pk
    latest = stored.get_latest_revision_as_object()
    assert (latest.name, latest.last_verified) == ("Hulplijn Child Focus (concept)", TODAY())

    # Publishing the draft later cannot bring the old date back.
    stored.latest_revision.publish()
    stored = HelpLine.objects.get(pk=translated_helpline.pk)
    assert (stored.name, stored.last_verified) == ("Hulplijn Child Focus (concept)", TODAY())
    assert {row.last_verified for row in translations_of(stored)} == {TODAY()}


def test_refused_without_the_verify_permission(client, translator, translated_helpline):
    response = logged_in(client, translator).post(verify_url(translated_helpline))

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert {row.last_verified for row in translations_of(translated_helpline)} == {days_ago(400)}
    assert not ModelLogEntry.objects.filter(action="baken.verify").exists()


def test_refused_when_logged_out(client, translated_helpline):
    response = client.post(verify_url(translated_helpline))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert HelpLine.objects.get(pk=translated_helpline.pk).last_verified == days_ago(400)


def test_get_is_not_allowed(client, editor, translated_helpline):
    response = logged_in(client, editor).get(verify_url(translated_helpline))
    assert response.status_code == 405
    assert HelpLine.objects.get(pk=translated_helpline.pk).last_verified == days_ago(400)


def test_unknown_help_line_is_a_404(client, editor):
    assert (
        logged_in(client, editor)
        .post(reverse("wagtailsnippets_cms_helpline:verify", args=[999999]))
        .status_code
        == 404
    )


def test_refused_while_someone_else_holds_the_lock(client, editor, translated_helpline):
    other = make_user("olga", roles.EDITORS)
    translated_helpline.locked = True
    translated_helpline.locked_by = other
    translated_helpline.locked_at = timezone.now()
    translated_helpline.save(update_fields=["locked", "locked_by", "locked_at"])

    response = logged_in(client, editor).post(verify_url(translated_helpline), follow=True)

    assert HelpLine.objects.get(pk=translated_helpline.pk).last_verified == days_ago(400)
    assert "was not marked verified" in response.content.decode()


def test_in_review_only_reviewers_may_verify_and_the_approved_version_keeps_the_date(
    client, editor, reviewer, translated_helpline
):
    translated_helpline.name = "Hulplijn Child Focus (ter review)"
    translated_helpline.save_revision(user=editor)
    workflow = HelpLine.get_default_workflow()
    workflow.start(translated_helpline, editor)

    response = logged_in(client, editor).post(verify_url(translated_helpline), follow=True)
    assert "was not marked verified" in response.content.decode()
    assert HelpLine.objects.get(pk=translated_helpline.pk).last_verified == days_ago(400)

    logged_in(client, reviewer).post(verify_url(translated_helpline))
    stored = HelpLine.objects.get(pk=translated_helpline.pk)
    assert (stored.name, stored.last_verified) == ("Hulplijn 116000", TODAY())
    assert stored.workflow_in_progress

    stored.current_workflow_task_state.approve(user=reviewer)
    stored = HelpLine.objects.get(pk=translated_helpline.pk)
    assert (stored.name, stored.last_verified) == ("Hulplijn Child Focus (ter review)", TODAY())


def test_verify_button_on_the_edit_page_and_in_the_listing(client, editor, translator, translated_helpline):
    edit_url = reverse("wagtailsnippets_cms_helpline:edit", args=[translated_helpline.pk])
    listing_url = reverse("wagtailsnippets_cms_helpline:list")
    url = verify_url(translated_helpline)

    logged_in(client, editor)
    assert f'data-w-action-url-value="{url}"' in client.get(edit_url).content.decode()
    assert f'data-w-action-url-value="{url}"' in client.get(listing_url).content.decode()

    logged_in(client, translator)
    assert url not in client.get(edit_url).content.decode()
    assert url not in client.get(listing_url).content.decode()


def test_listings_show_the_review_by_date(admin_client, superuser, content):
    prefer_language(superuser, "")
    content.helpline(
        name="Recently verified", last_verified=dt.date(2026, 1, 10), review_interval_days=30, revision=False
    )
    content.helpline(name="Never verified", last_verified=None, revision=False)
    content.citation("Reviewed", last_reviewed=dt.date(2025, 3, 1), revision=False)

    # In the admin's language (Dutch here: the superuser has no preference), never "… ago".
    content = admin_client.get(reverse("wagtailsnippets_cms_helpline:list")).content.decode()
    assert "Controle uiterlijk" in content
    assert "9 februari 2026" in content
    assert "2026-02-09" not in content
    assert "nu (nooit gecontroleerd)" in content
    content = admin_client.get(reverse("wagtailsnippets_cms_sourcecitation:list")).content.decode()
    assert "1 maart 2026" in content


def test_citations_keep_their_own_review_date(content):
    citation = content.citation(last_reviewed=days_ago(10), revision=False)
    assert citation.review_by == days_ago(10) + dt.timedelta(days=365)
    assert not citation.is_review_overdue()
    assert SourceCitation.objects.get(pk=citation.pk).last_reviewed == days_ago(10)
