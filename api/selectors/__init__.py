"""Query logic for the public API. Only live, published, public content ever comes out of here.

What is visible is decided in api.visibility (the one rule, as a database filter and as a
predicate); which translation is served, and whether it is outdated, in
``api.selectors.translations``. The selectors are split by what they select:

* ``pages``: FAQ lists and details, campaigns and the FAQ pages below them;
* ``snippets``: help-lines and citations;
* ``sql``: the hand-written SQL of the hottest lookups (visibility applied in memory).

Everything the rest of the code uses is re-exported here, so ``selectors.X`` keeps working.
"""

from api.selectors.pages import (
    below_campaign,
    campaigns,
    faq_list_pks,
    faq_summaries,
    faqs_below,
    page_with_translations,
    resolved_pages,
    visible_pages,
    with_source_published_at,
)
from api.selectors.snippets import (
    MAX_ID,
    citations_by_source_pk,
    helplines_by_source_pk,
    resolved_snippets,
    titles_in_source_language,
    visible_snippets,
)
from api.selectors.translations import (
    Chosen,
    behind_source,
    best_translations,
    fetched_locale_ids,
    resolve_translations,
    serve,
    source_times,
    translation_outdated,
)
from api.visibility import Visibility, current_visibility, locale_ids

__all__ = [
    "MAX_ID",
    "Chosen",
    "Visibility",
    "behind_source",
    "below_campaign",
    "best_translations",
    "campaigns",
    "citations_by_source_pk",
    "current_visibility",
    "faq_list_pks",
    "faq_summaries",
    "faqs_below",
    "fetched_locale_ids",
    "helplines_by_source_pk",
    "locale_ids",
    "page_with_translations",
    "resolve_translations",
    "resolved_pages",
    "resolved_snippets",
    "serve",
    "source_times",
    "titles_in_source_language",
    "translation_outdated",
    "visible_pages",
    "visible_snippets",
    "with_source_published_at",
]
