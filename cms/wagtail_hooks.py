import contextlib
import datetime as dt

import django_filters
from django import forms
from django.conf import settings
from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Prefetch
from django.db.models.functions import Cast
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, LocaleColumn, UpdatedAtColumn
from wagtail.admin.widgets import AdminDateInput, BooleanRadioSelect, Button
from wagtail.coreutils import get_content_languages
from wagtail.log_actions import LogFormatter
from wagtail.models import Locale, Revision, WorkflowState
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from cms import admin_views, reviews, translation_gate
from cms.admin_views import LocalDateColumn, StatusColumn, review_by_column
from cms.snippets.models import ContactPoint, ContactType, HelpLine, SourceCitation


def verify_button(helpline: HelpLine, user) -> Button | None:
    """The "Mark verified today" button: a POST (Wagtail's w-action controller), for those who may."""
    if not reviews.can_verify(user):
        return None
    return Button(
        _("Mark verified today"),
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


# --- the help-line listing ------------------------------------------------------------------------

ALL_LOCALES = "all"


def locale_choices():
    existing = set(Locale.objects.values_list("language_code", flat=True))
    return [(code, name) for code, name in get_content_languages().items() if code in existing] + [
        (ALL_LOCALES, _("All locales"))
    ]


class DefaultLocaleFilter(django_filters.ChoiceFilter):
    """One locale at a time: the default locale (Dutch) unless another, or "all", is chosen."""

    def filter(self, qs, value):
        if not value or value == ALL_LOCALES:
            return qs
        return qs.filter(locale__language_code=value)


class HelpLineFilterSet(WagtailFilterSet):
    locale = DefaultLocaleFilter(
        label=_("Locale"),
        choices=locale_choices,
        empty_label=None,
        widget=forms.RadioSelect,
        initial=settings.BAKEN_DEFAULT_LOCALE,
    )
    live = django_filters.BooleanFilter(label=_("Live"), widget=BooleanRadioSelect)
    contact_points__contact_type = django_filters.ChoiceFilter(
        field_name="contact_points__contact_type",
        label=_("Contact type"),
        choices=ContactType.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
        distinct=True,
    )
    last_verified__lte = django_filters.DateFilter(
        field_name="last_verified",
        lookup_expr="lte",
        label=_("Last verified on or before"),
        widget=AdminDateInput,
    )
    last_verified__gte = django_filters.DateFilter(
        field_name="last_verified",
        lookup_expr="gte",
        label=_("Last verified on or after"),
        widget=AdminDateInput,
    )

    class Meta:
        model = HelpLine
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("locale"):
            data = data.copy()
            data["locale"] = settings.BAKEN_DEFAULT_LOCALE
        super().__init__(data, *args, **kwargs)


class HelpLineIndexView(IndexView):
    def get_locale(self):
        # "All locales" is a filter value, not a Locale: new help-lines are still added in the default.
        if self.request.GET.get("locale") == ALL_LOCALES:
            return Locale.get_default()
        return super().get_locale()

    def get_base_queryset(self):
        content_type = ContentType.objects.get_for_model(HelpLine)
        object_id = Cast(OuterRef("pk"), output_field=CharField())
        return (
            super()
            .get_base_queryset()
            .select_related("locale")
            .prefetch_related(
                Prefetch("contact_points", queryset=ContactPoint.objects.order_by("sort_order"))
            )
            .annotate(
                # For the status column: one query for the page, not two per row.
                _baken_in_review=Exists(
                    WorkflowState.objects.filter(
                        base_content_type=content_type,
                        object_id=object_id,
                        status=WorkflowState.STATUS_IN_PROGRESS,
                    )
                ),
                _baken_scheduled=Exists(
                    Revision.objects.filter(
                        base_content_type=content_type,
                        object_id=object_id,
                        approved_go_live_at__isnull=False,
                    )
                ),
            )
        )

    def search_queryset(self, queryset):
        # The search index filters on few fields (not contact types or dates): search all help-lines,
        # then keep the matches among the filtered ones, so any filter combines with a search.
        if not self.is_searching:
            return queryset
        matches = super().search_queryset(self.model._default_manager.all())
        return queryset.filter(pk__in=[match.pk for match in matches])

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if button := verify_button(instance, self.request.user):
            buttons.append(button)
        return buttons


class DuplicateContactWarningMixin:
    """After a successful save from the editor: warn about contact values another help-line has."""

    def form_valid(self, form):
        response = super().form_valid(form)
        if isinstance(response, HttpResponseRedirect) and not self.expects_json_response:
            admin_views.warn_about_duplicate_contacts(self.request, form)
        return response


class HelpLineCreateView(DuplicateContactWarningMixin, CreateView):
    pass


class HelpLineEditView(DuplicateContactWarningMixin, EditView):
    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if button := verify_button(self.object, self.request.user):
            buttons.append(button)
        return buttons


class HelpLineViewSet(SnippetViewSet):
    model = HelpLine
    icon = "help"
    menu_label = _("Help-lines")
    index_view_class = HelpLineIndexView
    add_view_class = HelpLineCreateView
    edit_view_class = HelpLineEditView
    list_display = [
        "name",
        "organisation",
        LocaleColumn(label=_("Language")),
        Column("contact_summary", label=_("Contact points"), accessor="contact_summary"),
        BooleanColumn("available_24_7", label=_("24/7")),
        LocalDateColumn("last_verified", label=_("Last verified"), sort_key="last_verified"),
        review_by_column(),
        StatusColumn(),
        # Wagtail translates its default label when the column is made, at import: lazily here.
        UpdatedAtColumn(label=_("Updated")),
    ]
    filterset_class = HelpLineFilterSet
    ordering = ["name"]
    copy_view_enabled = False

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("verify/<str:pk>/", admin_views.verify_helpline, name="verify"),
        ]


class SourceCitationViewSet(SnippetViewSet):
    model = SourceCitation
    icon = "doc-full"
    menu_label = _("Source citations")
    list_display = [
        "title",
        Column("locale", label=_("Language"), accessor="locale"),
        Column("citation_type", label=_("Type"), accessor="get_citation_type_display"),
        "publisher",
        # In context: Wagtail's own "Published" (a status) is translated differently, e.g. "Publié(e)".
        LocalDateColumn(
            "publication_date",
            label=pgettext_lazy("publication date", "Published"),
            sort_key="publication_date",
        ),
        review_by_column(),
        UpdatedAtColumn(label=_("Updated")),
    ]
    list_filter = {"live": ["exact"], "citation_type": ["exact"], "language": ["exact"]}
    ordering = ["title"]


class ContentSnippetsGroup(SnippetViewSetGroup):
    items = (HelpLineViewSet, SourceCitationViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Help & sources")
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
        label = _("Verify")

        def format_message(self, log_entry):
            day = (log_entry.data or {}).get("last_verified", "")
            with contextlib.suppress(TypeError, ValueError):
                day = reviews.display_date(dt.date.fromisoformat(day))
            if (log_entry.data or {}).get("via"):
                return _("Marked verified on %(date)s (through the default-locale version)") % {"date": day}
            return _("Marked verified on %(date)s") % {"date": day}


# --- help-line bulk actions (the listing's check boxes) -------------------------------------------

hooks.register("register_bulk_action", admin_views.MarkVerifiedBulkAction)
hooks.register("register_bulk_action", admin_views.SubmitForReviewBulkAction)


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
        admin_views.BEHIND_REPORT_TITLE,
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


# --- channels (Settings → Channels; cms/channels/views.py) ---------------------------------------


@hooks.register("register_admin_viewset")
def register_channel_viewset():
    from cms.channels.views import ChannelViewSet

    return ChannelViewSet("channels")


@hooks.register("register_log_actions")
def register_channel_key_log_actions(actions):
    from cms.channels import keys

    @actions.register_action(keys.CREATED)
    class KeyCreatedFormatter(LogFormatter):
        label = _("API key created")

        def format_message(self, log_entry):
            return _("API key %(prefix)s… created") % {"prefix": (log_entry.data or {}).get("prefix", "?")}

    @actions.register_action(keys.ROTATED)
    class KeyRotatedFormatter(LogFormatter):
        label = _("API key rotated")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return _("API key %(prefix)s… rotated: replaced by %(new_prefix)s…") % {
                "prefix": data.get("prefix", "?"),
                "new_prefix": data.get("new_prefix", "?"),
            }

    @actions.register_action(keys.REVOKED)
    class KeyRevokedFormatter(LogFormatter):
        label = _("API key revoked")

        def format_message(self, log_entry):
            return _("API key %(prefix)s… revoked") % {"prefix": (log_entry.data or {}).get("prefix", "?")}


# --- publish webhooks (Settings → Webhooks; cms/webhooks/views.py) --------------------------------


@hooks.register("register_admin_viewset")
def register_webhook_viewset():
    from cms.webhooks.views import WebhookViewSet

    return WebhookViewSet("webhooks")


@hooks.register("construct_homepage_panels")
def add_failing_webhooks_panel(request, panels):
    from cms.webhooks.views import failing_webhooks_panel

    panel = failing_webhooks_panel(request.user)
    if panel is not None:
        panels.append(panel)


@hooks.register("register_log_actions")
def register_webhook_log_actions(actions):
    from cms.webhooks.views import REDELIVERED, SECRET_ROTATED

    @actions.register_action(SECRET_ROTATED)
    class SecretRotatedFormatter(LogFormatter):
        label = _("Webhook secret rotated")

        def format_message(self, log_entry):
            return _("Signing secret rotated; the old one signs until %(until)s") % {
                "until": (log_entry.data or {}).get("old_secret_signs_until", "?")
            }

    @actions.register_action(REDELIVERED)
    class RedeliveredFormatter(LogFormatter):
        label = _("Webhook event redelivered")

        def format_message(self, log_entry):
            return _("Event %(id)s queued for redelivery") % {
                "id": (log_entry.data or {}).get("webhook_id", "?")
            }
