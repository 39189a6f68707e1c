"""Review-by dates: which help-lines and citations are overdue for a check, and verifying a help-line.

A help-line is verified (``last_verified``) and a citation reviewed (``last_reviewed``) every
``review_interval_days`` days; the review-by date is that date plus the interval. It is overdue
once the review-by date has passed, or when it was never checked at all. Both dates are the
same in every translation, so each help-line or citation is listed once, by its default-locale
(Dutch) version when that is live.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.admin.utils import quote
from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.log_actions import log

from cms.snippets.models import HelpLine, SourceCitation

VERIFY_ACTION = "baken.verify"
REVIEWED_MODELS: tuple[type[Model], ...] = (HelpLine, SourceCitation)
KIND_LABELS = {HelpLine: _("Help-line"), SourceCitation: _("Source citation")}
VERIFY_PERMISSION = "cms.verify_helpline"
# Who sees the report and the dashboard panel: anyone who may change either kind of content.
REVIEW_REPORT_PERMISSIONS = ("cms.change_helpline", "cms.change_sourcecitation")
ORDER_EXPLANATION = _(
    "Most recently due first: the top row's review-by date is the latest; "
    "items never verified or reviewed come last."
)


def display_date(value: dt.date | None, empty: str = "") -> str:
    """A date as the admin shows it: in the editor's language ("2 december 2026", "2 décembre 2026").

    Never relative ("3 days ago"): a review-by date is a day, not a moment. Exports keep ISO dates.
    """
    if value is None:
        return str(empty)
    return date_format(value, "DATE_FORMAT")


def review_by_text(obj) -> str:
    """An object's review-by date for the admin, or that it was never checked."""
    return display_date(obj.review_by, _("now (never checked)"))


def last_checked_text(obj) -> str:
    return display_date(obj.last_checked, _("never"))


def can_see_review_report(user) -> bool:
    return user.is_active and any(user.has_perm(permission) for permission in REVIEW_REPORT_PERMISSIONS)


def can_verify(user) -> bool:
    return user.is_active and user.has_perm(VERIFY_PERMISSION)


def verify_refusal(helpline: HelpLine, user):
    """Why ``user`` may not mark this help-line verified now (its lock, e.g. in review), or None.

    ``helpline`` is the version that is verified: its sync source (see ``verify_helpline``).
    """
    lock = helpline.get_lock()
    if lock is not None and lock.for_user(user):
        return lock.get_message(user)  # may be HTML (SafeString)
    return None


@dataclass(frozen=True)
class ReviewItem:
    """One help-line or citation that is overdue for review, as the report and panel show it."""

    obj: HelpLine | SourceCitation
    today: dt.date

    @property
    def pk(self):
        return self.obj.pk

    @property
    def title(self) -> str:
        return str(self.obj)

    @property
    def kind(self) -> str:
        return str(KIND_LABELS[type(self.obj)])

    @property
    def language(self) -> str:
        return self.obj.locale.language_code

    @property
    def last_checked(self) -> dt.date | None:
        return self.obj.last_checked

    @property
    def review_interval_days(self) -> int:
        return self.obj.review_interval_days

    @property
    def review_by(self) -> dt.date | None:
        return self.obj.review_by

    @property
    def days_overdue(self) -> int | None:
        """Days since the review-by date; None when it was never checked."""
        return None if self.review_by is None else (self.today - self.review_by).days

    @property
    def status(self) -> str:
        return str(_("live + draft") if self.obj.has_unpublished_changes else _("live"))

    @property
    def edit_url(self) -> str:
        return reverse(f"wagtailsnippets_cms_{self.obj._meta.model_name}:edit", args=[quote(self.obj.pk)])

    @property
    def verify_url(self) -> str | None:
        if isinstance(self.obj, HelpLine):
            return reverse("wagtailsnippets_cms_helpline:verify", args=[quote(self.obj.pk)])
        return None

    # Texts for the admin table and the spreadsheet export.
    @property
    def last_checked_text(self) -> str:
        return last_checked_text(self.obj)

    @property
    def review_by_text(self) -> str:
        return review_by_text(self.obj)

    @property
    def overdue_text(self) -> str:
        if self.days_overdue is None:
            return str(_("never checked"))
        return ngettext("%(days)d day", "%(days)d days", self.days_overdue) % {"days": self.days_overdue}


def _one_per_translation_set(rows):
    """Each help-line or citation once: its default-locale version, else its oldest live translation."""
    chosen = {}
    for row in sorted(rows, key=lambda row: row.pk):
        current = chosen.get(row.translation_key)
        if current is None or (
            row.locale.language_code == settings.BAKEN_DEFAULT_LOCALE
            and current.locale.language_code != settings.BAKEN_DEFAULT_LOCALE
        ):
            chosen[row.translation_key] = row
    return chosen.values()


def _sort_key(item: ReviewItem):
    # Newest-first: the latest review-by date first; never checked (no date) last.
    return (
        item.review_by is None,
        -item.review_by.toordinal() if item.review_by else 0,
        REVIEWED_MODELS.index(type(item.obj)),  # help-lines first, in every admin language
        item.title.casefold(),
        item.pk,
    )


def overdue_for_review(today: dt.date | None = None) -> list[ReviewItem]:
    """Live help-lines and citations whose review-by date has passed (or that were never checked).

    Most recently due first; never checked ones last. Computed in Python: there are tens to
    hundreds of these, and the date arithmetic then reads the same on SQLite and PostgreSQL.
    """
    today = today or timezone.localdate()
    items = []
    for model in REVIEWED_MODELS:
        rows = model.objects.filter(live=True).select_related("locale")
        items += [
            ReviewItem(obj=row, today=today)
            for row in _one_per_translation_set(rows)
            if row.is_review_overdue(today)
        ]
    return sorted(items, key=_sort_key)


@transaction.atomic
def verify_helpline(helpline: HelpLine, *, user, today: dt.date | None = None) -> HelpLine:
    """Mark a help-line verified today, in every language, and record who did it.

    The date lives in the default-locale version; ``HelpLine.save`` copies it to every
    translation. The live row changes directly (verifying does not go through review: it changes
    no contact detail), and a revision keeps the latest revision in step with it:

    * no pending draft: a revision of the live content, which becomes the live revision;
    * a pending draft (possibly in review): the draft gets a new revision with the new date, so
      publishing it later cannot bring the old date back. The draft stays a draft.

    Translations get no revision of their own: their date is copied from the source on every
    save, so none of their revisions can bring an old date back either.
    """
    today = today or timezone.localdate()
    source = helpline.get_sync_source() or helpline
    source = HelpLine.objects.select_for_update().get(pk=source.pk)
    previous = source.last_verified
    draft_pending = source.has_unpublished_changes and source.latest_revision_id is not None

    source.last_verified = today
    source.save()  # the live row, then every translation

    if draft_pending:
        draft = source.latest_revision.as_object()
        draft.last_verified = today
        revision = draft.save_revision(user=user, clean=False)
    else:
        revision = source.save_revision(user=user, clean=False, changed=False)
        if source.live:
            HelpLine.objects.filter(pk=source.pk).update(live_revision=revision)

    data = {"last_verified": today.isoformat(), "previous": previous.isoformat() if previous else None}
    log(instance=source, action=VERIFY_ACTION, user=user, revision=revision, data=data, content_changed=True)
    for translation in HelpLine.objects.filter(translation_key=source.translation_key).exclude(pk=source.pk):
        log(
            instance=translation,
            action=VERIFY_ACTION,
            user=user,
            data={**data, "via": source.pk},
            content_changed=True,
        )
    source.refresh_from_db()
    return source
