from django.contrib.admin.utils import quote
from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, UpdatedAtColumn
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet, SnippetViewSetGroup

from cms import admin_views, reviews, translation_gate
from cms.snippets.models import HelpLine, SourceCitation


def verify_button(helpline: HelpLine, user) -> Button | None:
    """The "Mark verified today" button: a POST (Wagtail's w-action controller), for those who may."""
    if not reviews.can_verify(user):
        return None
    return Button(
        "Mark verified today",
        icon_name="check",
        priority=40,
        attrs={
            "data-controller": "w-action",
            "data-action": "w-action#post",
            "data-w-action-url-value": reverse(
                "wagtailsnippets_cms_helpline:verify", args=[quote(helpline.pk)]
            ),
        },
    )


def review_by_column() -> Column:
    # A plain date: Wagtail's DateColumn says "just now" for dates in the future.
    return Column("review_by", label="Review by", accessor="review_by_text")


class HelpLineIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if button := verify_button(instance, self.request.user):
            buttons.append(button)
        return buttons


class HelpLineEditView(EditView):
    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if button := verify_button(self.object, self.request.user):
            buttons.append(button)
        return buttons


class HelpLineViewSet(SnippetViewSet):
    model = HelpLine
    icon = "help"
    menu_label = "Help-lines"
    index_view_class = HelpLineIndexView
    edit_view_class = HelpLineEditView
    list_display = [
        "name",
        "organisation",
        Column("locale", label="Language", accessor="locale"),
        Column("contact_summary", label="Contact points", accessor="contact_summary"),
        BooleanColumn("available_24_7", label="24/7"),
        DateColumn("last_verified", label="Last verified"),
        review_by_column(),
        UpdatedAtColumn(),
    ]
    list_filter = {
        "live": ["exact"],
        "contact_points__contact_type": ["exact"],
        "last_verified": ["lte", "gte"],
    }
    ordering = ["name"]
    copy_view_enabled = False

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("verify/<str:pk>/", admin_views.verify_helpline, name="verify"),
        ]


class SourceCitationViewSet(SnippetViewSet):
    model = SourceCitation
    icon = "doc-full"
    menu_label = "Source citations"
    list_display = [
        "title",
        Column("locale", label="Language", accessor="locale"),
        Column("citation_type", label="Type", accessor="get_citation_type_display"),
        "publisher",
        DateColumn("publication_date", label="Published"),
        review_by_column(),
        UpdatedAtColumn(),
    ]
    list_filter = {"live": ["exact"], "citation_type": ["exact"], "language": ["exact"]}
    ordering = ["title"]


class ContentSnippetsGroup(SnippetViewSetGroup):
    items = (HelpLineViewSet, SourceCitationViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = "Help & sources"
    menu_name = "sources-and-help-lines"


register_snippet(ContentSnippetsGroup)


# --- review-by dates ---------------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_review_report_urls():
    view = admin_views.ReviewDueReportView
    return [
        path("reports/overdue-for-review/", view.as_view(), name="baken_review_due"),
        path(
            "reports/overdue-for-review/results/",
            view.as_view(results_only=True),
            name="baken_review_due_results",
        ),
    ]


class ReviewReportMenuItem(MenuItem):
    def is_shown(self, request):
        return reviews.can_see_review_report(request.user)


@hooks.register("register_reports_menu_item")
def register_review_report_menu_item():
    return ReviewReportMenuItem(
        admin_views.REPORT_TITLE,
        reverse("baken_review_due"),
        name="overdue-for-review",
        icon_name="time",
        order=650,
    )


@hooks.register("construct_homepage_panels")
def add_review_due_panel(request, panels):
    if reviews.can_see_review_report(request.user):
        panels.append(admin_views.ReviewDuePanel(reviews.overdue_for_review()))


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    @actions.register_action(reviews.VERIFY_ACTION)
    class VerifiedFormatter(LogFormatter):
        label = "Verify"

        def format_message(self, log_entry):
            day = (log_entry.data or {}).get("last_verified", "")
            if (log_entry.data or {}).get("via"):
                return f"Marked verified on {day} (through the default-locale version)"
            return f"Marked verified on {day}"


# --- translations behind their source ------------------------------------------------------


@hooks.register("register_admin_urls")
def register_behind_translations_urls():
    view = admin_views.BehindTranslationsReportView
    return [
        path("reports/translations-behind/", view.as_view(), name="baken_behind_translations"),
        path(
            "reports/translations-behind/results/",
            view.as_view(results_only=True),
            name="baken_behind_translations_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_behind_translations_menu_item():
    return MenuItem(
        "Translations behind their source",
        reverse("baken_behind_translations"),
        name="translations-behind",
        icon_name="globe",
        order=660,
    )


# --- untranslated never goes live (cms/translation_completeness.py) ------------------------------


@hooks.register("register_admin_urls")
def register_submit_translation_url():
    return [
        path(
            "translations/<int:translation_id>/submit-for-review/",
            translation_gate.submit_translation_for_review,
            name="baken_submit_translation_for_review",
        )
    ]


# Before wagtail-localize's own before_edit hooks (order 0), which take over the edit views.
hooks.register("before_edit_page", translation_gate.refuse_editor_publish, order=-10)
hooks.register("before_edit_snippet", translation_gate.refuse_editor_publish, order=-10)
hooks.register("before_publish_page", translation_gate.refuse_publish)
hooks.register("before_publish", translation_gate.refuse_publish)
hooks.register("register_page_listing_more_buttons", translation_gate.page_buttons)
hooks.register("register_page_header_buttons", translation_gate.page_buttons)
hooks.register("register_snippet_listing_buttons", translation_gate.snippet_buttons)
