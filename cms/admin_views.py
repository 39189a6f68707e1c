"""Admin views for review-by dates: the overdue report, its dashboard panel, and "verified today"."""

from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.reports import ReportView

from cms import reviews
from cms.snippets.models import HelpLine

REPORT_TITLE = "Overdue for review"
PANEL_LIMIT = 5


class VerifyColumn(Column):
    """A "Mark verified today" button (a POST form) for help-lines, for users who may verify."""

    cell_template_name = "cms/reviews/verify_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        context["can_verify"] = bool(request and instance.verify_url and reviews.can_verify(request.user))
        if context["can_verify"]:
            context["csrf_token"] = get_token(request)
            # Back to the report (not to the results fragment the listing refreshes with).
            context["next_url"] = parent_context["table"].base_url or request.path
        return context


class ReviewDueReportView(ReportView):
    """Help-lines and citations overdue for review, most recently due first, with CSV/XLSX export."""

    page_title = REPORT_TITLE
    header_icon = "time"
    index_url_name = "baken_review_due"
    index_results_url_name = "baken_review_due_results"
    results_template_name = "cms/reviews/report_results.html"
    verbose_name_plural = "help-lines or citations overdue for review"
    columns = [
        TitleColumn("title", label="Title", get_url=lambda item: item.edit_url),
        Column("kind", label="Type"),
        Column("language", label="Language"),
        Column("last_checked_text", label="Last verified / reviewed"),
        Column("review_interval_days", label="Interval (days)"),
        Column("review_by_text", label="Review by"),
        Column("overdue_text", label="Overdue by"),
        VerifyColumn("verify", label=""),
    ]
    list_export = [
        "title",
        "kind",
        "language",
        "last_checked",
        "review_interval_days",
        "review_by",
        "days_overdue",
        "status",
    ]
    export_headings = {
        "title": "Title",
        "kind": "Type",
        "language": "Language",
        "last_checked": "Last verified or reviewed",
        "review_interval_days": "Review interval (days)",
        "review_by": "Review by",
        "days_overdue": "Days overdue",
        "status": "Status",
    }

    def dispatch(self, request, *args, **kwargs):
        if not reviews.can_see_review_report(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        # A list, already in report order (see cms.reviews.overdue_for_review).
        return reviews.overdue_for_review()

    def get_filename(self):
        return f"overdue-for-review-{timezone.localdate():%Y-%m-%d}"

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["order_explanation"] = reviews.ORDER_EXPLANATION
        return context


class ReviewDuePanel(Component):
    """Dashboard panel: the first few overdue items and a link to the full report."""

    name = "baken_review_due"
    template_name = "cms/reviews/panel.html"
    order = 150

    def __init__(self, items):
        self.items = items

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        context = super().get_context_data(parent_context)
        context.update(
            {
                "items": self.items[:PANEL_LIMIT],
                "total": len(self.items),
                "order_explanation": reviews.ORDER_EXPLANATION,
                "can_verify": reviews.can_verify(request.user),
                "next_url": request.get_full_path(),
                "request": request,
                "csrf_token": parent_context.get("csrf_token"),
            }
        )
        return context


@require_POST
def verify_helpline(request, pk):
    """Mark a help-line verified today (all its translations). POST only; needs cms.verify_helpline."""
    if not reviews.can_verify(request.user):
        raise PermissionDenied
    helpline = get_object_or_404(HelpLine, pk=unquote(pk))
    source = helpline.get_sync_source() or helpline
    next_url = get_valid_next_url_from_request(request) or reverse(
        HelpLine.snippet_viewset.get_url_name("edit"), args=[quote(helpline.pk)]
    )

    lock = source.get_lock()
    if lock is not None and lock.for_user(request.user):
        messages.error(
            request,
            format_html("Help-line '{}' was not marked verified: {}", source, lock.get_message(request.user)),
        )
        return redirect(next_url)

    verified = reviews.verify_helpline(source, user=request.user)
    messages.success(
        request,
        f"Help-line '{verified}' marked verified on {verified.last_verified:%Y-%m-%d}, in every language.",
    )
    return redirect(next_url)


class BehindTranslationsReportView(ReportView):
    """Translations whose Dutch source was published after them (the API's translation_outdated)."""

    page_title = "Translations behind their source"
    header_icon = "globe"
    index_url_name = "baken_behind_translations"
    index_results_url_name = "baken_behind_translations_results"
    verbose_name_plural = "translations behind their source"
    columns = [
        TitleColumn("title", label="Title", get_url=lambda item: item.edit_url),
        Column("kind", label="Type"),
        Column("language", label="Language"),
        Column("source_published_at", label="Source published"),
        Column("translation_published_at", label="Translation published"),
        Column("status", label="Status"),
    ]
    list_export = ["title", "kind", "language", "source_published_at", "translation_published_at", "status"]
    export_headings = {
        "title": "Title",
        "kind": "Type",
        "language": "Language",
        "source_published_at": "Source published",
        "translation_published_at": "Translation published",
        "status": "Status",
    }

    def get_queryset(self):
        from cms.translation_status import behind_translations

        return behind_translations(self.request.user)

    def get_filename(self):
        return f"translations-behind-source-{timezone.localdate():%Y-%m-%d}"
