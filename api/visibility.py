"""The one visibility rule: what the public API may show, at the moment of the request.

Only live, published, public content ever leaves the API. An object is *published now* when it
is live, not expired (no ``expire_at``, or one after now) and not scheduled for later (no
``go_live_at``, or one not after now). Then:

* a snippet is visible when it is published now;
* a page is visible when it and every one of its ancestors are published now and none of them
  has a view restriction.

The rule is written here once as a database filter (``Q``, for querysets) and once as a
predicate (for rows already in memory, such as the hand-written SQL paths read), side by side;
tests/test_visibility_rule.py checks on generated page trees that the two agree with each other
and with a brute-force walk up the ancestors. Everything that decides what is public goes
through here: the selectors (lists, details, the raw-SQL detail, expansions), search, preview's
expansions and the admin report of translations behind their source.

The ancestors' part of the page rule costs one small query per content version: only a page
with children can hide other pages (a hidden page without children is caught by its own
published-now test), and restricted pages are few, so their rows are read once
(``current_visibility``) and judged against ``now`` on every request; what they hide is the
subtrees below ``Visibility.hidden_subtree_paths``.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, reduce
from operator import or_

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, DateTimeField, Model, Q, Value, When
from django.utils import timezone
from wagtail.models import Locale, Page, PageViewRestriction

from api import response_cache
from cms.pages.models import CampaignPage
from cms.validators import faq_url

# --- published now: the part of the rule every page, ancestor and snippet must pass -----------


def published_filter(now: dt.datetime) -> Q:
    """Published now, as a database filter (``is_published`` is the same rule in Python)."""
    return (
        Q(live=True)  # live,
        & (Q(expire_at__isnull=True) | Q(expire_at__gt=now))  # not expired,
        & (Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))  # not scheduled for later
    )


def is_published(
    *, live: bool, go_live_at: dt.datetime | None, expire_at: dt.datetime | None, now: dt.datetime
) -> bool:
    """Published now, as a predicate (``published_filter`` is the same rule for the database)."""
    return bool(
        live  # live,
        and (expire_at is None or expire_at > now)  # not expired,
        and (go_live_at is None or go_live_at <= now)  # not scheduled for later
    )


@dataclass(frozen=True)
class Visibility:
    """What is visible right now; computed once per request (``current_visibility``)."""

    now: dt.datetime
    # Tops of the subtrees hidden by a page that is not published now or is restricted.
    hidden_subtree_paths: tuple[str, ...]
    locale_ids: dict[str, int]
    # Slug of every campaign page by path (campaigns are the parents of FAQ pages).
    campaign_slugs: dict[str, str] = field(default_factory=dict)
    # Each campaign's public FAQ address template by path, where it has one (CampaignPage).
    campaign_faq_urls: dict[str, str] = field(default_factory=dict)

    # --- pages: published now, and below no hidden page (a page is below itself) -------------

    def page_filter(self) -> Q:
        visible = published_filter(self.now)
        if self.hidden_subtree_paths:
            visible &= ~reduce(or_, (Q(path__startswith=top) for top in self.hidden_subtree_paths))
        return visible

    def shows_page(self, page) -> bool:
        """The same rule as ``page_filter``, for rows already in memory."""
        return self._published(page) and not any(
            page.path.startswith(top) for top in self.hidden_subtree_paths
        )

    # --- snippets: published now ---------------------------------------------------------------

    def snippet_filter(self) -> Q:
        return published_filter(self.now)

    def shows_snippet(self, snippet) -> bool:
        """The same rule as ``snippet_filter``, for rows already in memory."""
        return self._published(snippet)

    def _published(self, obj) -> bool:
        return is_published(live=obj.live, go_live_at=obj.go_live_at, expire_at=obj.expire_at, now=self.now)

    # --- either, by model ------------------------------------------------------------------------

    def filter_for(self, model: type[Model]) -> Q:
        """``page_filter`` for page models, ``snippet_filter`` for the others."""
        return self.page_filter() if issubclass(model, Page) else self.snippet_filter()

    def shows(self, obj) -> bool:
        """``shows_page`` for pages, ``shows_snippet`` for the others."""
        return self.shows_page(obj) if isinstance(obj, Page) else self.shows_snippet(obj)

    # --- locales: the one map between locale ids and language codes ----------------------------

    @cached_property
    def locale_codes(self) -> dict[int, str]:
        """Language codes by locale id (the inverse of ``locale_ids``)."""
        return {pk: code for code, pk in self.locale_ids.items()}

    @property
    def default_locale_id(self) -> int | None:
        """The id of the default locale (``BAKEN_DEFAULT_LOCALE``), whose objects are the sources."""
        return self.locale_ids.get(settings.BAKEN_DEFAULT_LOCALE)

    def chain_locale_ids(self, chain: Sequence[str]) -> list[int]:
        """The ids of the chain's locales that exist, in the chain's order."""
        return [self.locale_ids[code] for code in chain if code in self.locale_ids]

    # --- campaigns -------------------------------------------------------------------------------

    def campaign_slug_of(self, page) -> str | None:
        """The slug of the campaign page directly above ``page`` (None if its parent is none)."""
        return self.campaign_slugs.get(page.path[: -Page.steplen])

    def public_faq_url(self, page, *, locale: str) -> str | None:
        """Where the campaign site above ``page`` shows it, when that campaign says (else None)."""
        template = self.campaign_faq_urls.get(page.path[: -Page.steplen])
        return faq_url(template, locale=locale, slug=page.slug) if template else None


def current_visibility(*, now: dt.datetime | None = None, versions: dict | None = None) -> Visibility:
    """What is visible at ``now``: the tops of the subtrees hidden by pages that are not published
    now or are restricted, judged on rows read once per content version (``versions``, see
    api.response_cache; read afresh without them)."""
    now = now or timezone.now()
    if versions is None:
        candidates = _subtree_candidates()
    else:
        # "-2": rows gained the campaign's FAQ address; never read a memo of the older shape.
        key = f"baken:api:v1:subtree-candidates-2:{response_cache.version_tag(versions, 'pages')}"
        candidates = response_cache.memoised(key, _subtree_candidates)
    hidden = {
        path
        for path, live, go_live_at, expire_at, _slug, _is_campaign, _faq_url in candidates
        if not is_published(live=live, go_live_at=go_live_at, expire_at=expire_at, now=now)
    }
    tops: list[str] = []
    for path in sorted(hidden):
        if not tops or not path.startswith(tops[-1]):
            tops.append(path)
    campaign_slugs = {path: slug for path, *_, slug, is_campaign, _faq_url in candidates if is_campaign}
    campaign_faq_urls = {path: url for path, *_, is_campaign, url in candidates if is_campaign and url}
    return Visibility(
        now=now,
        hidden_subtree_paths=tuple(tops),
        locale_ids=locale_ids(versions=versions),
        campaign_slugs=campaign_slugs,
        campaign_faq_urls=campaign_faq_urls,
    )


def _subtree_candidates() -> list[tuple]:
    """(path, live, go_live_at, expire_at, slug, is a campaign, its public FAQ address template)
    of every page with children, and of every restricted page (as never live), in one query."""
    campaign_type = ContentType.objects.get_for_model(CampaignPage).pk
    parents = Page.objects.filter(numchild__gt=0).values_list(
        "path",
        "live",
        "go_live_at",
        "expire_at",
        "slug",
        Case(When(content_type_id=campaign_type, then=Value(True)), default=Value(False)),
        "campaignpage__faq_url_template",
    )
    never = Value(None, output_field=DateTimeField())
    restricted = PageViewRestriction.objects.values_list(
        "page__path",
        Value(False),
        never,
        never,
        "page__slug",
        Value(False),
        Value("", output_field=CharField()),
    )
    return list(parents.order_by().union(restricted.order_by(), all=True))


def locale_ids(*, versions: dict | None = None) -> dict[str, int]:
    """Locale ids by language code, remembered per content version whether or not other lookups
    are (``BAKEN_API_MEMOS``): read for every answer, and a locale change, by any process, is in
    the change log and changes every family's version. Read afresh without versions."""
    if versions is None:
        return _read_locale_ids()
    key = f"baken:api:v1:locale-ids:{response_cache.version_tag(versions, *sorted(versions))}"
    found = response_cache.shared_get(key)
    if found is None:
        found = _read_locale_ids()
        response_cache.shared_set(key, found, timeout=settings.BAKEN_API_RESPONSE_CACHE_TIMEOUT)
    return found


def _read_locale_ids() -> dict[str, int]:
    return dict(Locale.objects.values_list("language_code", "pk"))
