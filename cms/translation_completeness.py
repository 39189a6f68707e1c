"""Untranslated never goes live: the rule for publishing a wagtail-localize translation.

The rule: a page or snippet that is the target of an *enabled* wagtail-localize translation may
be published (or scheduled, or approved in review) only while every one of its translatable
texts has a translation without an error. wagtail-localize itself would publish the missing
ones in the source language, which the API would then serve labelled as the other language.

- It is checked where every publish path converges (``TranslationCompleteMixin.publish``, used by
  revisions, workflows, bulk actions, scheduled publishing and wagtail-localize), and before the
  admin views that publish without going through it (see ``cms.translation_gate``).
- A translation that is already live stays live when its source gains new texts (the source is
  synced, the translation is not republished): the API keeps serving the old, complete
  translation and marks it ``translation_outdated`` until it is completed and published again.
- A translation edited by hand (wagtail-localize's sync turned off) is the translator's own text:
  the rule does not apply to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Progress:
    total: int
    translated: int

    @property
    def missing(self) -> int:
        return self.total - self.translated

    @property
    def complete(self) -> bool:
        return self.missing == 0


class IncompleteTranslation(Exception):
    """Publishing refused: some texts of this translation are not translated yet.

    Not a PermissionDenied: Wagtail's admin would turn that into its generic "no access" page.
    """

    def __init__(self, obj, progress: Progress):
        self.object = obj
        self.progress = progress
        super().__init__(refusal_message(obj, progress))


def synced_translation(obj):
    """The enabled wagtail-localize Translation whose target is ``obj``, or None."""
    from wagtail_localize.models import Translation

    if getattr(obj, "translation_key", None) is None or getattr(obj, "locale_id", None) is None:
        return None
    return (
        Translation.objects.filter(
            source__object_id=obj.translation_key, target_locale_id=obj.locale_id, enabled=True
        )
        .exclude(source__locale_id=obj.locale_id)
        .select_related("source", "target_locale")
        .first()
    )


def translation_progress(obj) -> Progress | None:
    """How many of ``obj``'s texts are translated, when it is a synced translation; else None."""
    translation = synced_translation(obj)
    if translation is None:
        return None
    total, translated = translation.get_progress()
    return Progress(total=total, translated=translated)


def refusal_message(obj, progress: Progress) -> str:
    language = obj.locale.get_display_name()
    missing = ngettext(
        "%(missing)d of %(total)d texts is not translated yet",
        "%(missing)d of %(total)d texts are not translated yet",
        progress.missing,
    ) % {"missing": progress.missing, "total": progress.total}
    return _(
        "“%(object)s” cannot be published in %(language)s: %(missing)s. "
        "Translate every text in the translation editor, then publish or submit it for review again."
    ) % {"object": obj, "language": language, "missing": missing}


def ensure_complete(obj) -> None:
    """Raise IncompleteTranslation unless ``obj`` may go live under the rule above."""
    progress = translation_progress(obj)
    if progress is not None and not progress.complete:
        raise IncompleteTranslation(obj, progress)


class TranslationCompleteMixin:
    """For page and snippet models: publishing an incomplete synced translation is refused."""

    def publish(self, revision, *args, **kwargs):
        ensure_complete(self)
        return super().publish(revision, *args, **kwargs)
