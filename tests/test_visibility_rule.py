"""The one visibility rule (api.visibility): its database filter and its predicate are the same rule.

Generated page trees (live or draft, expired, scheduled, restricted, below a hidden ancestor) and
snippets are judged three ways: by the database filter, by the predicate on the rows read back,
and by an oracle written here from the rule's definition, walking up the generated tree's
parents (not paths, not the "pages with children" shortcut the module takes). The three must
agree on every page. Exact cases follow, and the one ``translation_outdated`` rule.
"""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Page, PageViewRestriction

from api import selectors
from api.selectors.translations import behind_source, translation_outdated
from api.values import Served
from api.visibility import current_visibility
from cms.snippets.models import SourceCitation

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2030, 6, 15, 12, 0, 0, 250_000, tzinfo=dt.UTC)
SECOND, DAY = dt.timedelta(seconds=1), dt.timedelta(days=1)
# Moments around now, now itself included (expire_at == now is expired, go_live_at == now is live).
OFFSETS = (None, -DAY, -SECOND, dt.timedelta(0), SECOND, DAY)
READ = ("pk", "path", "live", "go_live_at", "expire_at")


@dataclass(frozen=True)
class Node:
    """One generated page: its parent (an earlier node's index, or -1 for under Wagtail's root)."""

    parent: int
    live: bool = True
    go_live_at: dt.datetime | None = None
    expire_at: dt.datetime | None = None
    restricted: bool = False


def moment(offset):
    return None if offset is None else NOW + offset


def published_now(node) -> bool:
    """The definition, written out again: live, not expired, not scheduled for later."""
    if not node.live:
        return False
    if node.expire_at is not None and node.expire_at <= NOW:
        return False
    return node.go_live_at is None or node.go_live_at <= NOW


def oracle_shows(tree: list[Node], index: int) -> bool:
    """A page is visible when it and every ancestor are published now and unrestricted."""
    while index != -1:
        node = tree[index]
        if node.restricted or not published_now(node):
            return False
        index = node.parent
    return True  # Wagtail's root: live, unrestricted (checked in build)


def build(tree: list[Node]) -> list[Page]:
    root = Page.get_first_root_node()
    assert root.live and root.go_live_at is None and root.expire_at is None
    assert not PageViewRestriction.objects.filter(page=root).exists()
    pages: list[Page] = []
    for index, node in enumerate(tree):
        parent = root if node.parent == -1 else pages[node.parent]
        page = parent.add_child(instance=Page(title=f"Pagina {index}", slug=f"rule-{index}"))
        # Written directly: states the admin would refuse (expiring before going live) still count.
        Page.objects.filter(pk=page.pk).update(
            live=node.live, go_live_at=node.go_live_at, expire_at=node.expire_at
        )
        if node.restricted:
            PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
        pages.append(page)
    return pages


def judged(pks) -> tuple[set[int], set[int]]:
    """(shown by the database filter, shown by the predicate) among these pages."""
    visibility = current_visibility(now=NOW)
    by_filter = set(
        selectors.visible_pages(model=Page, visibility=visibility)
        .filter(pk__in=pks)
        .values_list("pk", flat=True)
    )
    rows = Page.objects.filter(pk__in=pks).only(*READ)
    by_predicate = {page.pk for page in rows if visibility.shows_page(page)}
    return by_filter, by_predicate


def assert_rule(tree: list[Node]) -> None:
    pages = build(tree)
    by_filter, by_predicate = judged([page.pk for page in pages])
    for index, page in enumerate(pages):
        expected = oracle_shows(tree, index)
        assert (page.pk in by_filter, page.pk in by_predicate) == (expected, expected), (index, tree)
    # And on every other page in the database (Wagtail's root, anything a migration made).
    by_filter, by_predicate = judged(list(Page.objects.values_list("pk", flat=True)))
    assert by_filter == by_predicate


@st.composite
def page_trees(draw, max_pages: int = 7) -> list[Node]:
    count = draw(st.integers(min_value=1, max_value=max_pages))
    tree = []
    for index in range(count):
        tree.append(
            Node(
                parent=draw(st.integers(min_value=-1, max_value=index - 1)),
                live=draw(st.sampled_from([True, True, False])),
                go_live_at=moment(draw(st.sampled_from(OFFSETS))),
                expire_at=moment(draw(st.sampled_from(OFFSETS))),
                restricted=draw(st.sampled_from([False, False, False, True])),
            )
        )
    return tree


def rolled_back(check):
    """Run ``check`` in a transaction that is always rolled back: hypothesis reuses one database."""
    with transaction.atomic():
        check()
        transaction.set_rollback(True)


@given(tree=page_trees())
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_page_filter_and_the_page_predicate_are_the_rule(db, tree):
    rolled_back(lambda: assert_rule(tree))


snippet_states = st.lists(
    st.tuples(st.booleans(), st.sampled_from(OFFSETS), st.sampled_from(OFFSETS)), min_size=1, max_size=8
)


@given(states=snippet_states)
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_snippet_filter_and_the_snippet_predicate_are_the_rule(content, states):
    def check():
        created = []
        for live, go_live, expire in states:
            citation = content.citation(revision=False)
            SourceCitation.objects.filter(pk=citation.pk).update(
                live=live, go_live_at=moment(go_live), expire_at=moment(expire)
            )
            created.append(
                (
                    citation.pk,
                    Node(parent=-1, live=live, go_live_at=moment(go_live), expire_at=moment(expire)),
                )
            )
        visibility = current_visibility(now=NOW)
        pks = [pk for pk, _ in created]
        by_filter = set(
            selectors.visible_snippets(model=SourceCitation, visibility=visibility)
            .filter(pk__in=pks)
            .values_list("pk", flat=True)
        )
        rows = {obj.pk: obj for obj in SourceCitation.objects.filter(pk__in=pks)}
        for pk, node in created:
            expected = published_now(node)
            assert (pk in by_filter, visibility.shows_snippet(rows[pk]), visibility.shows(rows[pk])) == (
                expected,
                expected,
                expected,
            ), node

    rolled_back(check)


# --- exact cases ------------------------------------------------------------------------------


def shown(tree: list[Node]) -> list[bool]:
    """Per node: shown (filter and predicate must agree, and are checked to)."""
    pages = build(tree)
    by_filter, by_predicate = judged([page.pk for page in pages])
    assert by_filter == by_predicate
    return [page.pk in by_filter for page in pages]


def test_a_live_page_below_live_pages_is_shown():
    assert shown([Node(-1), Node(0), Node(1)]) == [True, True, True]


def test_a_draft_hides_itself_and_its_whole_subtree_but_not_its_siblings():
    assert shown([Node(-1), Node(0, live=False), Node(1), Node(2), Node(0)]) == [
        True,
        False,
        False,
        False,
        True,
    ]


def test_an_expired_page_still_flagged_live_hides_its_subtree():
    assert shown([Node(-1, expire_at=NOW - SECOND), Node(0)]) == [False, False]


def test_expiring_exactly_now_is_expired_and_going_live_exactly_now_is_live():
    assert shown([Node(-1, expire_at=NOW), Node(-1, go_live_at=NOW)]) == [False, True]


def test_a_page_scheduled_for_later_hides_its_subtree():
    assert shown([Node(-1, go_live_at=NOW + DAY), Node(0), Node(-1, go_live_at=NOW - DAY)]) == [
        False,
        False,
        True,
    ]


def test_a_restriction_hides_the_page_itself_even_without_children():
    assert shown([Node(-1), Node(0, restricted=True), Node(0)]) == [True, False, True]


def test_a_restriction_on_a_grandparent_hides_the_grandchildren():
    assert shown([Node(-1, restricted=True), Node(0), Node(1), Node(-1)]) == [False, False, False, True]


def test_a_live_page_below_a_hidden_ancestor_is_hidden_on_every_path():
    """Also the raw-SQL detail path: rows read back are judged by the same predicate."""
    pages = build([Node(-1, live=False), Node(0)])
    visibility = current_visibility(now=NOW)
    assert visibility.hidden_subtree_paths == (pages[0].path,)
    child = Page.objects.get(pk=pages[1].pk)
    assert not visibility.shows_page(child)
    assert not visibility.shows(child)
    assert not Page.objects.filter(visibility.filter_for(Page), pk=child.pk).exists()


@pytest.mark.parametrize(
    ("live", "go_live_at", "expire_at", "expected"),
    [
        (True, None, None, True),
        (False, None, None, False),
        (True, None, NOW - SECOND, False),
        (True, None, NOW, False),
        (True, None, NOW + SECOND, True),
        (True, NOW + SECOND, None, False),
        (True, NOW, None, True),
        (True, NOW - DAY, NOW + DAY, True),
        (False, NOW - DAY, NOW + DAY, False),
    ],
)
def test_snippets_exact_cases(content, live, go_live_at, expire_at, expected):
    citation = content.citation(revision=False)
    SourceCitation.objects.filter(pk=citation.pk).update(
        live=live, go_live_at=go_live_at, expire_at=expire_at
    )
    visibility = current_visibility(now=NOW)
    citation.refresh_from_db()
    assert visibility.shows_snippet(citation) is expected
    assert (
        SourceCitation.objects.filter(visibility.filter_for(SourceCitation), pk=citation.pk).exists()
        is expected
    )


def test_one_map_between_locale_ids_and_codes(locales):
    visibility = current_visibility(now=NOW)
    assert visibility.locale_ids == {code: locale.pk for code, locale in locales.items()}
    assert visibility.locale_codes == {locale.pk: code for code, locale in locales.items()}
    assert visibility.chain_locale_ids(["fr", "xx", "nl"]) == [locales["fr"].pk, locales["nl"].pk]
    assert visibility.default_locale_id == locales["nl"].pk


# --- the one translation_outdated rule --------------------------------------------------------

EARLIER, LATER = NOW - DAY, NOW


@pytest.mark.parametrize(
    ("locale", "published_at", "source_published_at", "outdated", "behind"),
    [
        ("fr", EARLIER, LATER, True, True),  # the source changed after the translation
        ("fr", LATER, EARLIER, False, False),
        ("fr", LATER, LATER, False, False),  # published together
        ("fr", LATER, None, False, False),  # no visible source: nothing to be behind
        ("fr", None, LATER, False, True),  # never published: the report lists it, the API never serves it
        ("fr", None, None, False, False),
        ("nl", EARLIER, LATER, False, False),  # the default locale is the source
        ("nl", None, LATER, False, False),
    ],
)
def test_translation_outdated(locale, published_at, source_published_at, outdated, behind):
    kwargs = {"locale": locale, "published_at": published_at, "source_published_at": source_published_at}
    assert translation_outdated(**kwargs) is outdated
    assert behind_source(**kwargs) is behind


def test_serve_marks_each_object_by_the_rule(content):
    visibility = current_visibility(now=NOW)
    source, translation = content.citation(revision=False), content.citation(code="fr", revision=False)
    source.last_published_at, translation.last_published_at = LATER, EARLIER
    translation.translation_key = source.translation_key
    chosen = selectors.serve(
        [source, translation],
        requested="fr",
        locale_codes=visibility.locale_codes,
        source_published_at=selectors.source_times([source, translation], visibility=visibility),
    )
    assert [item.obj for item in chosen] == [source, translation]
    assert [item.served for item in chosen] == [
        Served(locale="nl", is_fallback=True, translation_outdated=False),
        Served(locale="fr", is_fallback=False, translation_outdated=True),
    ]
