"""Snippets for the public API: help-lines and citations, listed or referenced by id.

Visible snippets only (``Visibility.snippet_filter``, or ``shows_snippet`` for the hand-written
SQL's rows; api.visibility), one per translation in the best locale of the request's chain.
"""

from collections.abc import Iterable, Sequence

from django.db.models import QuerySet

from api.selectors.sql import _snippets_and_translations_sql
from api.selectors.translations import Chosen, best_translations, fetched_locale_ids, serve, source_times
from api.visibility import Visibility
from cms.snippets.models import HelpLine, SourceCitation

# The largest id the database can hold; a larger one (from a corrupt or hand-made body or URL)
# exists nowhere.
MAX_ID = 2**63 - 1

# The snippets the public API serves.
SnippetModel = type[HelpLine] | type[SourceCitation]


def visible_snippets(*, model: SnippetModel, visibility: Visibility) -> QuerySet:
    return model.objects.filter(visibility.snippet_filter())


def resolved_snippets(
    *,
    model: SnippetModel,
    visibility: Visibility,
    chain: Sequence[str],
    requested: str,
    translation_keys: Iterable | None = None,
    source_pks: Iterable[int] | None = None,
    order_by: Sequence[str] = ("pk",),
) -> list[Chosen]:
    """Visible snippets in the best locale, one per translation_key, in ``order_by`` order.

    ``source_pks`` restricts to the translations of these rows (whatever their locale or state);
    ``translation_keys`` restricts to these keys.
    """
    queryset = visible_snippets(model=model, visibility=visibility).filter(
        locale_id__in=fetched_locale_ids(visibility, chain)
    )
    if translation_keys is not None:
        queryset = queryset.filter(translation_key__in=list(translation_keys))
    if source_pks is not None:
        queryset = queryset.filter(
            translation_key__in=model.objects.filter(pk__in=list(source_pks)).values("translation_key")
        )
    objects = list(queryset)
    chosen = best_translations(objects, chain=chain, visibility=visibility)
    chosen.sort(key=lambda obj: tuple(_sort_value(getattr(obj, field)) for field in order_by))
    return serve(
        chosen,
        requested=requested,
        locale_codes=visibility.locale_codes,
        source_published_at=source_times(objects, visibility=visibility),
    )


def _sort_value(value):
    return (value is None, value.casefold() if isinstance(value, str) else value)


def titles_in_source_language(*, citations: Sequence[SourceCitation], visibility: Visibility) -> dict:
    """translation_key → the live title of each citation's translation in its source's own language
    (``language``), where Baken has that locale and that translation is live. One query."""
    wanted = {
        citation.translation_key: citation.language.split("-")[0].lower()
        for citation in citations
        if citation.language
    }
    if not wanted:
        return {}
    rows = (
        visible_snippets(model=SourceCitation, visibility=visibility)
        .filter(translation_key__in=list(wanted), locale__language_code__in=set(wanted.values()))
        .values_list("translation_key", "locale__language_code", "title")
    )
    return {key: title for key, language, title in rows if wanted.get(key) == language}


def helplines_by_source_pk(
    *, source_pks: Iterable[int], visibility: Visibility, chain: Sequence[str], requested: str
) -> dict[int, Chosen[HelpLine]]:
    """Map any help-line row id (e.g. one chosen in a page, in any locale) to what is served for it."""
    return _by_source_pk(HelpLine, source_pks, visibility, chain, requested)


def citations_by_source_pk(
    *, source_pks: Iterable[int], visibility: Visibility, chain: Sequence[str], requested: str
) -> dict[int, Chosen[SourceCitation]]:
    return _by_source_pk(SourceCitation, source_pks, visibility, chain, requested)


def _valid_ids(values) -> list[int]:
    ids = set()
    for value in values:
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if 0 < number <= MAX_ID:
            ids.add(number)
    return sorted(ids)


def _by_source_pk(model, source_pks, visibility, chain, requested) -> dict:
    """One query: the rows referenced by id plus the visible translations that may be served for them."""
    source_pks = _valid_ids(source_pks)
    if not source_pks:
        return {}
    chain_ids = set(visibility.chain_locale_ids(chain))
    fetched_ids = set(fetched_locale_ids(visibility, chain))
    # A simple query, visibility applied in memory: the referenced rows and their translations in
    # the locales that may be served or tell whether a translation is outdated.
    rows = list(
        model.objects.raw(
            _snippets_and_translations_sql(model, len(source_pks), len(fetched_ids)),
            [*source_pks, *source_pks, *fetched_ids],
        )
    )
    shown = [obj for obj in rows if visibility.shows_snippet(obj)]
    key_of = {obj.pk: obj.translation_key for obj in rows if obj.pk in source_pks}
    candidates = [obj for obj in shown if obj.locale_id in chain_ids]
    served = serve(
        best_translations(candidates, chain=chain, visibility=visibility),
        requested=requested,
        locale_codes=visibility.locale_codes,
        source_published_at=source_times(
            [obj for obj in shown if obj.locale_id in fetched_ids], visibility=visibility
        ),
    )
    by_key = {chosen.obj.translation_key: chosen for chosen in served}
    return {pk: by_key[key] for pk, key in key_of.items() if key in by_key}
