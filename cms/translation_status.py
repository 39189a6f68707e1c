"""Translations behind their source: the Dutch (default-locale) version was published after them.

The same rule as the API's ``translation_outdated`` flag (``api.selectors.translations``), with
the source judged by the API's visibility rule (``api.visibility``): a translation is listed only
while its source is something the API serves, so the report and the flag always agree. Never
published translations of a visible source are listed too.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import AdminURLFinder

from api.selectors.translations import behind_source
from api.visibility import current_visibility
from cms.pages.models import CampaignPage, FAQPage
from cms.snippets.models import HelpLine, SourceCitation

TRACKED = [
    (CampaignPage, _("Campaign page")),
    (FAQPage, _("FAQ page")),
    (HelpLine, _("Help-line")),
    (SourceCitation, _("Citation")),
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
        return str(
            _("never published")
            if self.translation_published_at is None
            else _("published before its source changed")
        )


def behind_translations(user=None) -> list[BehindTranslation]:
    """Every translation behind its visible source (``behind_source``), most recently changed source first.

    The database narrows to translations with a visible source; the rule itself is applied here,
    in Python, by the very function the API uses.
    """
    finder = AdminURLFinder(user)
    visibility = current_visibility()
    default_id = visibility.default_locale_id
    found = []
    for model, kind in TRACKED:
        source = model.objects.filter(
            visibility.filter_for(model), translation_key=OuterRef("translation_key"), locale_id=default_id
        ).values("last_published_at")[:1]
        candidates = (
            model.objects.exclude(locale_id=default_id)
            .annotate(source_published_at=Subquery(source))
            .filter(source_published_at__isnull=False)
            .values_list("pk", "locale_id", "last_published_at", "source_published_at")
        )
        source_published_at = {
            pk: source_time
            for pk, locale_id, published_at, source_time in candidates
            if behind_source(
                locale=visibility.locale_codes[locale_id],
                published_at=published_at,
                source_published_at=source_time,
            )
        }
        if not source_published_at:
            continue
        for obj in model.objects.filter(pk__in=list(source_published_at)).select_related("locale"):
            found.append(
                BehindTranslation(
                    title=str(obj),
                    kind=str(kind),
                    language=obj.locale.language_code,
                    source_published_at=source_published_at[obj.pk],
                    translation_published_at=obj.last_published_at,
                    edit_url=finder.get_edit_url(obj) or reverse("wagtailadmin_home"),
                )
            )
    found.sort(key=lambda item: item.source_published_at, reverse=True)
    return found
