"""Translations behind their source: the Dutch (default-locale) version was published after them.

The same rule as the API's ``translation_outdated`` flag, for the admin report.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from wagtail.admin.admin_url_finder import AdminURLFinder

from cms.pages.models import CampaignPage, FAQPage
from cms.snippets.models import HelpLine, SourceCitation

TRACKED = [
    (CampaignPage, "Campaign page"),
    (FAQPage, "FAQ page"),
    (HelpLine, "Help-line"),
    (SourceCitation, "Citation"),
]


@dataclass
class BehindTranslation:
    title: str
    kind: str
    language: str
    source_published_at: datetime
    translation_published_at: datetime | None
    edit_url: str

    @property
    def status(self) -> str:
        return (
            "never published"
            if self.translation_published_at is None
            else "published before its source changed"
        )


def behind_translations(user=None) -> list[BehindTranslation]:
    """Every translation whose live source was published after it, most recently changed source first."""
    finder = AdminURLFinder(user)
    found = []
    for model, kind in TRACKED:
        source = model.objects.filter(
            translation_key=OuterRef("translation_key"),
            locale__language_code=settings.BAKEN_DEFAULT_LOCALE,
            live=True,
        ).values("last_published_at")[:1]
        rows = (
            model.objects.exclude(locale__language_code=settings.BAKEN_DEFAULT_LOCALE)
            .annotate(source_published_at=Subquery(source))
            .filter(source_published_at__isnull=False)
            .filter(Q(last_published_at__isnull=True) | Q(source_published_at__gt=F("last_published_at")))
            .select_related("locale")
        )
        for obj in rows:
            found.append(
                BehindTranslation(
                    title=str(obj),
                    kind=kind,
                    language=obj.locale.language_code,
                    source_published_at=obj.source_published_at,
                    translation_published_at=obj.last_published_at,
                    edit_url=finder.get_edit_url(obj) or reverse("wagtailadmin_home"),
                )
            )
    found.sort(key=lambda item: item.source_published_at, reverse=True)
    return found
