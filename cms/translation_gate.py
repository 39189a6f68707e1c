"""Where the admin meets the translation rule of ``cms.translation_completeness``.

- wagtail-localize writes a target (page row or snippet row) *before* it publishes it, so its one
  entry point, ``Translation.save_target``, is guarded: publishing an incomplete translation is
  refused before anything is written (installed from ``CmsConfig.ready``).
- Admin POSTs run in one transaction (``AdminTransactionMiddleware``): a refusal anywhere below
  (a workflow approval, a bulk publish) rolls back everything that request wrote, and the editor
  sees the refusal as a message on the page they came from, never as an error page.
- The page and snippet edit views publish without the model's ``publish()``; their
  ``before_publish`` hooks refuse first, keeping the draft that was just saved.
- The translation editor has no workflow buttons, so "Submit translation for review" is offered
  in the page explorer and the snippet listings: it saves the translation as a draft revision
  (without touching what is live) and starts the object's workflow, refusing when a text is
  still untranslated.
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.admin.widgets import Button, ListingButton
from wagtail.models import Page
from wagtail.snippets.models import get_snippet_models

from cms.translation_completeness import (
    IncompleteTranslation,
    Progress,
    ensure_complete,
    refusal_message,
    synced_translation,
    translation_progress,
)

ADMIN_PREFIX = "/admin/"


# --- wagtail-localize's entry point -----------------------------------------------------------


def install_save_target_guard() -> None:
    """Wrap ``Translation.save_target`` so that ``publish=True`` on an incomplete one is refused."""
    from wagtail_localize.models import Translation

    original = Translation.save_target
    if getattr(original, "baken_guarded", False):
        return

    @functools.wraps(original)
    def save_target(self, user=None, publish=True):
        if publish:
            total, translated = self.get_progress()
            progress = Progress(total=total, translated=translated)
            if not progress.complete:
                raise IncompleteTranslation(_target_or_source(self), progress)
        return original(self, user=user, publish=publish)

    save_target.baken_guarded = True  # type: ignore[attr-defined]
    Translation.save_target = save_target


def _target_or_source(translation):
    """The translated object, or (before its first save) the source object labelled as it."""
    try:
        return translation.get_target_instance()
    except ObjectDoesNotExist:
        instance = translation.source.as_instance()
        instance.locale = translation.target_locale
        return instance


def _target_or_none(translation):
    try:
        return translation.get_target_instance()
    except ObjectDoesNotExist:
        return None


# --- one transaction per admin POST; refusals become messages ---------------------------------


def _back(request, obj=None) -> HttpResponseRedirect:
    target = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = edit_url(obj) if obj is not None else reverse("wagtailadmin_home")
    return HttpResponseRedirect(target)


class AdminTransactionMiddleware:
    """Admin POSTs are atomic; an IncompleteTranslation rolls the request back and is shown."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST" or not request.path.startswith(ADMIN_PREFIX):
            return self.get_response(request)
        with transaction.atomic():
            response = self.get_response(request)
            if getattr(request, "baken_refused", False):
                transaction.set_rollback(True)
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, IncompleteTranslation) or not request.path.startswith(ADMIN_PREFIX):
            return None
        request.baken_refused = True
        # Outside the admin view, so outside its language: say it in the editor's, as the refusal is.
        with translation.override(admin_language(request.user)):
            messages.error(request, str(exception.args[0]) + " " + _("Nothing was changed."))
        return _back(request, exception.object)


def admin_language(user) -> str:
    """The language the admin speaks to ``user``: their Wagtail preference, else the default."""
    if not getattr(user, "is_authenticated", False):
        return translation.get_language()
    from wagtail.users.models import UserProfile

    return UserProfile.get_for_user(user).get_preferred_language()


# --- admin hooks --------------------------------------------------------------------------------


def edit_url(obj) -> str:
    if isinstance(obj, Page):
        return reverse("wagtailadmin_pages:edit", args=[obj.pk])
    return reverse(f"wagtailsnippets_{obj._meta.app_label}_{obj._meta.model_name}:edit", args=[quote(obj.pk)])


def refused(request, obj) -> bool:
    """Whether publishing ``obj`` is refused under the rule; if so the editor is told why."""
    try:
        ensure_complete(obj)
    except IncompleteTranslation as refusal:
        messages.error(request, str(refusal.args[0]))
        return True
    return False


def refuse_publish(request, obj):
    """``before_publish_page`` / ``before_publish``: back to the editor, the draft kept."""
    if refused(request, obj):
        return redirect(edit_url(obj))
    return None


def refuse_editor_publish(request, instance):
    """``before_edit_page`` / ``before_edit_snippet``: the translation editor's "Publish in …"
    button, checked before wagtail-localize writes anything."""
    if request.method == "POST" and request.POST.get("action") == "publish" and refused(request, instance):
        return redirect(request.path)
    return None


# --- submit a translation for review ------------------------------------------------------------


def _can_edit(user, obj) -> bool:
    if isinstance(obj, Page):
        return obj.permissions_for_user(user).can_edit()
    meta = obj._meta
    return user.has_perm(f"{meta.app_label}.change_{meta.model_name}")


def save_translation_draft(translation, user):
    """The translation's current texts as a new draft revision of its target; live rows untouched."""
    from wagtail_localize.fields import copy_synchronised_fields
    from wagtail_localize.segments.ingest import ingest_segments

    source = translation.source
    original = source.as_instance()
    target = source.get_translated_instance(translation.target_locale)
    copy_synchronised_fields(original, target)
    segments = source._get_segments_for_translation(translation.target_locale, fallback=False)
    ingest_segments(original, target, source.locale, translation.target_locale, segments)
    return target, target.save_revision(user=user)


def _next_url(request, obj) -> str:
    target = request.POST.get("next") or request.GET.get("next") or request.META.get("HTTP_REFERER", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return edit_url(obj)


@require_http_methods(["GET", "POST"])
def submit_translation_for_review(request, translation_id: int):
    """GET: what will happen (or why it can't); POST: save the draft and start the review."""
    from wagtail_localize.models import Translation

    translation = get_object_or_404(Translation, pk=translation_id, enabled=True)
    target = _target_or_none(translation)
    if target is None or not _can_edit(request.user, target):
        raise PermissionDenied
    target = target.specific if isinstance(target, Page) else target
    next_url = _next_url(request, target)
    workflow = target.get_workflow()
    if workflow is None:
        messages.error(request, _("“%(object)s” has no review workflow to submit to.") % {"object": target})
        return redirect(next_url)
    if target.workflow_in_progress:
        messages.warning(request, _("“%(object)s” is already in review.") % {"object": target})
        return redirect(next_url)
    progress = translation_progress(target)
    if request.method == "GET" or not progress.complete:
        return TemplateResponse(
            request,
            "cms/translations/confirm_submit.html",
            {
                "header_title": _("Submit translation for review"),
                "page_title": _("Submit translation for review"),
                "page_subtitle": str(target),
                "header_icon": "resubmit",
                "object": target,
                "language": target.locale.get_display_name(),
                "progress": progress,
                "refusal": None if progress.complete else refusal_message(target, progress),
                "editor_url": edit_url(target),
                "next_url": next_url,
            },
            status=200 if progress.complete or request.method == "GET" else 409,
        )
    with transaction.atomic():
        target, _revision = save_translation_draft(translation, request.user)
        workflow.start(target, request.user)
    messages.success(
        request,
        _("“%(object)s” (%(language)s) was submitted for review.")
        % {"object": target, "language": target.locale.get_display_name()},
    )
    return redirect(next_url)


def submit_url(obj) -> str | None:
    """The "Submit translation for review" URL for ``obj``, when it is a synced translation."""
    translation = synced_translation(obj)
    if translation is None:
        return None
    return reverse("baken_submit_translation_for_review", args=[translation.pk])


SUBMIT_LABEL = gettext_lazy("Submit translation for review")


def page_buttons(page, user, view_name=None, next_url=None):
    if _can_edit(user, page) and (url := submit_url(page)):
        yield ListingButton(
            SUBMIT_LABEL,
            url,
            priority=65,
            icon_name="resubmit",
        )


def snippet_buttons(snippet, user, next_url=None):
    if type(snippet) in get_snippet_models() and _can_edit(user, snippet) and (url := submit_url(snippet)):
        yield Button(
            SUBMIT_LABEL,
            url,
            priority=107,
            icon_name="resubmit",
        )
