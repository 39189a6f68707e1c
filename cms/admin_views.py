"""Admin views: review-by dates (the overdue report, its dashboard panel, "verified today"), the
help-line listing's columns and bulk actions, and the duplicate-contact warning after a save."""

from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.reports import ReportView
from wagtail.models import WorkflowState
from wagtail.search.backends import get_search_backend
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from cms import reviews
from cms.snippets.models import HelpLine

REPORT_TITLE = _("Overdue for review")
BEHIND_REPORT_TITLE = _("Translations behind their source")
PANEL_LIMIT = 5


# --- reports ------------------------------------------------------------------------------------


def _in_language(chunks, language):
    """Each chunk of a streamed response made in ``language``."""
    while True:
        with translation.override(language):
            chunk = next(chunks, None)
        if chunk is None:
            return
        yield chunk


class EditorLanguageExportMixin:
    """A report's CSV download in the editor's admin language.

    Its rows are written while the response streams, after the admin view — and the language it
    set for the editor — has returned: they are written in that language, as the page was.
    """

    def stream_csv(self, queryset):
        return _in_language(super().stream_csv(queryset), translation.get_language())


# --- columns -------------------------------------------------------------------------------------


class LocalDateColumn(Column):
    """A date in the editor's language ("2 december 2026"), never "3 days ago" like Wagtail's DateColumn.

    ``accessor`` may be a callable returning the text itself (e.g. ``reviews.review_by_text``).
    """

    def get_value(self, instance):
        value = super().get_value(instance)
        if value is None or isinstance(value, str):
            return value
        return reviews.display_date(value)


def review_by_column() -> Column:
    return LocalDateColumn("review_by", label=_("Review by"), accessor=reviews.review_by_text)


def helpline_status(helpline) -> str:
    """live, draft, in review, scheduled (and their combinations, and expired), as the listing shows it.

    Reads the ``_baken_in_review`` / ``_baken_scheduled`` annotations of the listing's queryset when
    they are there (one query for the page), else asks the object.
    """
    in_review = getattr(helpline, "_baken_in_review", None)
    if in_review is None:
        in_review = helpline.workflow_in_progress
    scheduled = getattr(helpline, "_baken_scheduled", None)
    if scheduled is None:
        scheduled = helpline.approved_schedule
    if not helpline.live:
        if helpline.expired:
            return str(_("expired"))
        if scheduled:
            return str(_("scheduled"))
        if in_review:
            return str(_("in review"))
        return str(_("draft"))
    if scheduled:
        return str(_("live + scheduled"))
    if in_review:
        return str(_("live + in review"))
    if helpline.has_unpublished_changes:
        return str(_("live + draft"))
    return str(_("live"))


class StatusColumn(StatusTagColumn):
    """Wagtail's live/draft status tag, saying "in review" and "scheduled" too."""

    def __init__(self, **kwargs):
        super().__init__(
            "status",
            label=kwargs.pop("label", _("Status")),
            accessor=helpline_status,
            sort_key=kwargs.pop("sort_key", "live"),
            primary=lambda instance: instance.live,
            **kwargs,
        )


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


class ReviewDueReportView(EditorLanguageExportMixin, ReportView):
    """Help-lines and citations overdue for review, most recently due first, with CSV/XLSX export."""

    page_title = REPORT_TITLE
    header_icon = "time"
    index_url_name = "baken_review_due"
    index_results_url_name = "baken_review_due_results"
    results_template_name = "cms/reviews/report_results.html"
    verbose_name_plural = _("help-lines or citations overdue for review")
    columns = [
        TitleColumn("title", label=_("Title"), get_url=lambda item: item.edit_url),
        Column("kind", label=_("Type")),
        Column("language", label=_("Language")),
        Column("last_checked_text", label=_("Last verified / reviewed")),  # dates in the editor's language
        Column("review_interval_days", label=_("Interval (days)")),
        Column("review_by_text", label=_("Review by")),
        Column("overdue_text", label=_("Overdue by")),
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
        "title": _("Title"),
        "kind": _("Type"),
        "language": _("Language"),
        "last_checked": _("Last verified or reviewed"),
        "review_interval_days": _("Review interval (days)"),
        "review_by": _("Review by"),
        "days_overdue": _("Days overdue"),
        "status": _("Status"),
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

    if refusal := reviews.verify_refusal(source, request.user):
        messages.error(request, not_verified_message(source, refusal))
        return redirect(next_url)

    verified = reviews.verify_helpline(source, user=request.user)
    messages.success(
        request,
        _("Help-line '%(helpline)s' marked verified on %(date)s, in every language.")
        % {"helpline": verified, "date": reviews.display_date(verified.last_verified)},
    )
    return redirect(next_url)


def not_verified_message(helpline, refusal):
    return format_html(
        "{} {}", _("Help-line '%(helpline)s' was not marked verified:") % {"helpline": helpline}, refusal
    )


# --- help-line bulk actions ----------------------------------------------------------------------


class HelpLineBulkAction(SnippetBulkAction):
    """A bulk action of the help-line listing only; its outcome is told per help-line."""

    models = [HelpLine]

    def get_all_objects_in_listing_query(self, parent_id):
        """For "Select all in listing": the listing's help-lines, with its filters (one locale) and search."""
        queryset = HelpLine.objects.all()
        filters = HelpLine.snippet_viewset.filterset_class(
            self.request.GET, queryset=queryset, request=self.request
        )
        if filters.is_valid():
            queryset = filters.qs
        if query := self.request.GET.get("q", "").strip():
            matches = get_search_backend().autocomplete(query, HelpLine.objects.all())
            queryset = queryset.filter(pk__in=[match.pk for match in matches])
        return queryset.values_list("pk", flat=True)

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}

    def get_success_message(self, num_parent_objects, num_child_objects):
        return None  # told by form_valid, with the help-lines that were skipped and why

    def form_valid(self, form):
        self.outcome = {"done": [], "skipped": []}
        response = super().form_valid(form)
        self.report(self.outcome["done"], self.outcome["skipped"])
        return response

    def report(self, done, skipped):
        raise NotImplementedError


class MarkVerifiedBulkAction(HelpLineBulkAction):
    """Bulk "Mark verified": each selected help-line in every language, as the ⋯ menu's button does."""

    display_name = _("Mark verified")
    action_type = "mark_verified"
    aria_label = _("Mark the selected help-lines verified today")
    template_name = "cms/bulk_actions/confirm_bulk_verify.html"
    action_priority = 20

    def check_perm(self, obj):
        return reviews.can_verify(self.request.user)

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        outcome = kwargs["self"].outcome
        seen = set()
        for helpline in objects:
            source = helpline.get_sync_source() or helpline
            if source.translation_key in seen:
                continue  # another translation of one already verified
            seen.add(source.translation_key)
            if refusal := reviews.verify_refusal(source, user):
                outcome["skipped"].append(not_verified_message(source, refusal))
                continue
            outcome["done"].append(reviews.verify_helpline(source, user=user))
        return len(outcome["done"]), 0

    def report(self, done, skipped):
        if done:
            messages.success(
                self.request,
                ngettext(
                    "%(count)d help-line marked verified on %(date)s, in every language: %(names)s.",
                    "%(count)d help-lines marked verified on %(date)s, in every language: %(names)s.",
                    len(done),
                )
                % {
                    "count": len(done),
                    "date": reviews.display_date(timezone.localdate()),
                    "names": names_in_order(done),
                },
            )
        for message in skipped:
            messages.warning(self.request, message)
        if not done and not skipped:
            messages.warning(self.request, _("No help-line was marked verified."))


class SubmitForReviewBulkAction(HelpLineBulkAction):
    """Bulk "Submit for review": starts each selected help-line's workflow, as the editor's "Submit" does."""

    display_name = _("Submit for review")
    action_type = "submit_for_review"
    aria_label = _("Submit the selected help-lines for review")
    template_name = "cms/bulk_actions/confirm_bulk_submit.html"
    action_priority = 25

    def check_perm(self, obj):
        return self.permission_policy.user_has_permission_for_instance(self.request.user, "change", obj)

    def object_context(self, obj):
        return {**super().object_context(obj), "in_review": obj.workflow_in_progress}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        outcome = kwargs["self"].outcome
        for helpline in objects:
            if reason := submission_refusal(helpline, user):
                outcome["skipped"].append(reason)
                continue
            with transaction.atomic():
                submit_for_review(helpline, user)
            outcome["done"].append(helpline)
        return len(outcome["done"]), 0

    def report(self, done, skipped):
        if done:
            messages.success(
                self.request,
                ngettext(
                    "%(count)d help-line submitted for review: %(names)s.",
                    "%(count)d help-lines submitted for review: %(names)s.",
                    len(done),
                )
                % {"count": len(done), "names": names_in_order(done)},
            )
        for message in skipped:
            messages.warning(self.request, message)
        if not done and not skipped:
            messages.warning(self.request, _("No help-line was submitted for review."))


def names_in_order(helplines) -> str:
    """The help-lines' names for a message, alphabetically (the selection comes in no set order)."""
    return ", ".join(f"'{name}'" for name in sorted(str(helpline) for helpline in helplines))


def submission_refusal(helpline: HelpLine, user) -> str | None:
    """Why this help-line is not submitted for review now, or None."""
    names = {"helpline": helpline, "language": helpline.locale.get_display_name()}
    if helpline.workflow_in_progress:
        return _("Help-line '%(helpline)s' (%(language)s) is already in review: not submitted again.") % names
    if helpline.get_workflow() is None:
        return _("Help-line '%(helpline)s' (%(language)s) has no review workflow: not submitted.") % names
    lock = helpline.get_lock()
    if lock is not None and lock.for_user(user):
        return format_html(
            "{} {}",
            _("Help-line '%(helpline)s' (%(language)s) was not submitted:") % names,
            lock.get_message(user),
        )
    from cms.translation_completeness import IncompleteTranslation, ensure_complete

    try:
        ensure_complete(helpline)
    except IncompleteTranslation as refusal:
        return str(refusal.args[0])
    return None


def submit_for_review(helpline: HelpLine, user) -> None:
    """Start (or, after "request changes", resume) the help-line's workflow on its latest content.

    A translation edited in wagtail-localize's editor is submitted with its translated texts, as
    its "Submit translation for review" button does (cms.translation_gate).
    """
    from cms.translation_completeness import synced_translation
    from cms.translation_gate import save_translation_draft

    if (translation := synced_translation(helpline)) is not None:
        helpline, _revision = save_translation_draft(translation, user)
    elif helpline.latest_revision_id is None:
        # Never saved through the editor: the review is of what is stored now.
        helpline.save_revision(user=user, changed=False, clean=False)
    state = helpline.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user)
    else:
        helpline.get_workflow().start(helpline, user)


# --- duplicate contact values --------------------------------------------------------------------


def warn_about_duplicate_contacts(request, form) -> None:
    """After a help-line was saved: say which of its contact values another help-line already has."""
    duplicates = getattr(form, "duplicate_contacts", None)
    if duplicates is None:
        return
    for duplicate in duplicates():
        other = duplicate.other
        messages.warning(
            request,
            _(
                "%(type)s %(value)s is also a contact point of help-line '%(other)s'. "
                "Check that both are right; this help-line was saved."
            )
            % {"type": duplicate.contact_type_label, "value": duplicate.value, "other": other},
            buttons=[
                messages.button(
                    reverse(HelpLine.snippet_viewset.get_url_name("edit"), args=[quote(other.pk)]),
                    _("Edit '%(other)s'") % {"other": other},
                )
            ],
        )


class BehindTranslationsReportView(EditorLanguageExportMixin, ReportView):
    """Translations whose Dutch source was published after them (the API's translation_outdated)."""

    page_title = BEHIND_REPORT_TITLE
    header_icon = "globe"
    index_url_name = "baken_behind_translations"
    index_results_url_name = "baken_behind_translations_results"
    verbose_name_plural = _("translations behind their source")
    columns = [
        TitleColumn("title", label=_("Title"), get_url=lambda item: item.edit_url),
        Column("kind", label=_("Type")),
        Column("language", label=_("Language")),
        Column("source_published_at", label=_("Source published")),
        Column("translation_published_at", label=_("Translation published")),
        Column("status", label=_("Status")),
    ]
    list_export = ["title", "kind", "language", "source_published_at", "translation_published_at", "status"]
    export_headings = {
        "title": _("Title"),
        "kind": _("Type"),
        "language": _("Language"),
        "source_published_at": _("Source published"),
        "translation_published_at": _("Translation published"),
        "status": _("Status"),
    }

    def get_queryset(self):
        from cms.translation_status import behind_translations

        return behind_translations(self.request.user)

    def get_filename(self):
        return f"translations-behind-source-{timezone.localdate():%Y-%m-%d}"
