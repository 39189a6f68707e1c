"""Search through the index (cms.search_index, api.search): exact counts, pages cut by the database,
each question once in the served language, an index that follows every change, and marked excerpts."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cms.change_log import compact
from cms.pages.models import FAQPage
from cms.search_index import fulltext, maintenance
from cms.search_index.documents import words
from cms.search_index.models import SearchEntry, SearchIndexState
from tests.content import publish, question, section


def faq_with(content, campaign, slug: str, *questions_, title: str | None = None) -> FAQPage:
    return content.faq(campaign, slug, title or slug.title(), sections=[section("Vragen", *questions_)])


def found(api, q: str, **params) -> list[tuple[str, str, str]]:
    body = api.json("/search/", {"q": q, "limit": 100, **params})
    assert body["count"] == len(body["results"])
    return [(r["faq"]["slug"], r["faq"]["locale"], r["question"]) for r in body["results"]]


def test_count_is_exact_and_the_database_cuts_the_page(content, api):
    campaign = content.campaign()
    for number in range(60):  # more than the 50 pages the old search scored
        faq_with(content, campaign, f"vragen-{number:02}", question(f"Hoe meld ik iets ({number})?"))
    body = api.json("/search/", {"q": "meld", "limit": 20, "offset": 50})
    assert body["count"] == 60
    assert [r["faq"]["slug"] for r in body["results"]] == [f"vragen-{n}" for n in range(50, 60)]
    assert body["next"] is None
    assert body["previous"].endswith("/api/v1/search/?limit=20&offset=30&q=meld")
    past = api.json("/search/", {"q": "meld", "limit": 20, "offset": 80})
    assert (past["count"], past["results"]) == (60, [])


def test_scores_then_tree_order_then_question_order(content, api):
    campaign = content.campaign()
    faq_with(
        content,
        campaign,
        "a",
        question("Eerste vraag", "<p>Meld het.</p>"),
        question("Hoe meld ik?", "<p>Bel ons.</p>"),
    )
    faq_with(content, campaign, "b", question("Meld je beelden", "<p>Meld ze bij ons.</p>"))
    body = api.json("/search/", {"q": "meld beelden"})
    assert [(r["faq"]["slug"], r["question"], r["score"]) for r in body["results"]] == [
        ("b", "Meld je beelden", 5.0),  # both words in the question (2 + 2), one in the answer (1)
        ("a", "Hoe meld ik?", 2.0),
        ("a", "Eerste vraag", 1.0),
    ]


def test_each_question_once_from_the_served_translation(content, api):
    campaign = content.campaign()
    content.translate_page(content.home("nl"), "fr")
    content.translate_page(campaign, "fr")
    translated = faq_with(content, campaign, "melden", question("Hoe meld ik?", "<p>Meld het.</p>"))
    content.translate_page(
        translated,
        "fr",
        body=[section("Questions", question("Comment signaler ?", "<p>Signalez-le.</p>"))],
    )
    faq_with(content, campaign, "alleen-nl", question("Waar meld ik?", "<p>Bij ons.</p>"))
    # French: the translated page in French, the other page in Dutch (the fallback), none twice.
    assert found(api, "meld signal", locale="fr") == [
        ("melden", "fr", "Comment signaler ?"),
        ("alleen-nl", "nl", "Waar meld ik?"),
    ]
    # The Dutch source of a translated page is not searched in French: its translation is served.
    assert found(api, "meld", locale="fr") == [("alleen-nl", "nl", "Waar meld ik?")]
    assert found(api, "signal", locale="nl") == []


def test_the_index_follows_publishing_unpublishing_and_deleting(content, api):
    campaign = content.campaign()
    page = faq_with(content, campaign, "vragen", question("Wat is een zoutvaatje?"))
    assert found(api, "zoutvaatje") == [("vragen", "nl", "Wat is een zoutvaatje?")]
    page.body = [section("Vragen", question("Wat is een peperbus?"))]
    publish(page)
    assert found(api, "zoutvaatje") == []
    assert found(api, "peperbus") == [("vragen", "nl", "Wat is een peperbus?")]
    page.unpublish()
    assert found(api, "peperbus") == []
    assert not SearchEntry.objects.filter(page_id=page.pk).exists()
    publish(FAQPage.objects.get(pk=page.pk))
    assert found(api, "peperbus") == [("vragen", "nl", "Wat is een peperbus?")]
    FAQPage.objects.get(pk=page.pk).delete()
    assert found(api, "peperbus") == []
    assert not SearchEntry.objects.filter(page_id=page.pk).exists()


def test_a_draft_is_never_indexed(content, api):
    page = faq_with(content, content.campaign(), "vragen", question("Wat is een zoutvaatje?"))
    page.body = [section("Vragen", question("Geheim ontwerp?"))]
    page.save_revision()
    assert found(api, "geheim") == []
    assert found(api, "zoutvaatje") == [("vragen", "nl", "Wat is een zoutvaatje?")]


def test_visibility_is_judged_at_the_request_not_by_the_index(content, api):
    campaign = content.campaign()
    page = faq_with(content, campaign, "vragen", question("Wat is een zoutvaatje?"))
    assert len(found(api, "zoutvaatje")) == 1
    campaign.unpublish()  # hides the FAQ page below it; the page itself is unchanged
    assert SearchEntry.objects.filter(page_id=page.pk).count() == 1
    assert found(api, "zoutvaatje") == []


def test_a_compacted_log_rebuilds_the_index(content, api):
    campaign = content.campaign()
    faq_with(content, campaign, "een", question("Wat is een zoutvaatje?"))
    assert len(found(api, "zoutvaatje")) == 1
    faq_with(content, campaign, "twee", question("Nog een zoutvaatje?"))
    SearchIndexState.objects.filter(pk=1).update(sequence=1)
    compact(keep_days=0)  # removes the entries after 1 that say "twee" was created
    assert maintenance.catch_up() == 2  # every live FAQ page read again
    assert [slug for slug, *_ in found(api, "zoutvaatje")] == ["een", "twee"]


def test_a_failed_catch_up_leaves_the_index_and_its_sequence_as_they_were(content, api, monkeypatch):
    campaign = content.campaign()
    faq_with(content, campaign, "een", question("Wat is een zoutvaatje?"))
    maintenance.ensure_current()
    before = (maintenance.indexed_sequence(), list(SearchEntry.objects.values_list("page_id", "question")))
    faq_with(content, campaign, "twee", question("Nog een zoutvaatje?"))

    def broken(page):
        raise RuntimeError("disk full")

    monkeypatch.setattr(maintenance, "entries_for", broken)
    with pytest.raises(RuntimeError):
        maintenance.ensure_current()
    assert (
        maintenance.indexed_sequence(),
        list(SearchEntry.objects.values_list("page_id", "question")),
    ) == before
    monkeypatch.undo()
    assert [slug for slug, *_ in found(api, "zoutvaatje")] == ["een", "twee"]


def test_excerpt_html_escapes_the_text_and_marks_the_matches(content, api):
    answer = "<p>Typ &lt;script&gt; niet. Meld &amp; bel: melden helpt, ook <b>Éénmalig</b>.</p>"
    faq_with(content, content.campaign(), "vragen", question("Wat nu?", answer))
    [result] = api.json("/search/", {"q": "meld eenmalig"})["results"]
    assert result["excerpt"] == "Typ <script> niet. Meld & bel: melden helpt, ook Éénmalig."
    assert result["excerpt_html"] == (
        "Typ &lt;script&gt; niet. <mark>Meld</mark> &amp; bel: <mark>melden</mark> helpt, "
        "ook <mark>Éénmalig</mark>."
    )


def test_only_the_first_ten_distinct_words_are_searched(content, api):
    faq_with(content, content.campaign(), "vragen", question("Wat is een zoutvaatje?"))
    padding = " ".join(f"woord{n}" for n in range(10))
    assert found(api, f"{padding} zoutvaatje") == []
    assert len(found(api, f"zoutvaatje zoutvaatje {padding}")) == 1


def test_the_command_catches_up_and_rebuilds(content):
    faq_with(content, content.campaign(), "vragen", question("Wat is een zoutvaatje?"))
    call_command("update_search_index", stdout=(out := io.StringIO()))
    assert out.getvalue().startswith("Search index: 1 FAQ pages read; up to date to change ")
    assert SearchEntry.objects.count() == 1
    call_command("update_search_index", stdout=(out := io.StringIO()))
    assert out.getvalue().startswith("Search index: 0 FAQ pages read")
    call_command("update_search_index", "--rebuild", stdout=(out := io.StringIO()))
    assert out.getvalue().startswith("Search index: 1 FAQ pages read")
    assert SearchEntry.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 table and its triggers")
def test_install_rebuilds_the_fts_table_when_its_triggers_were_lost(db):
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER cms_search_fts_insert")  # as a SQLite table rebuild does
    SearchEntry.objects.create(
        page_id=1,
        locale_id=1,
        position=0,
        question="q",
        answer="a",
        question_words="zoutvaatje",
        answer_words="",
    )
    assert not _matching(["zoutvaatje"])
    fulltext.install(connection)
    assert _matching(["zoutvaatje"]) == [1]


def _matching(terms, column=None) -> list[int]:
    condition = RawSQL(*fulltext.matches(connection.vendor, terms, column), output_field=BooleanField())
    return sorted(SearchEntry.objects.filter(condition).values_list("page_id", flat=True))


# --- the matching rule, on the database, against a model of it in Python ---------------------------

_ALPHABET = "abcéèëçßøæœ12 -'."


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    texts=st.lists(st.tuples(st.text(_ALPHABET, max_size=30), st.text(_ALPHABET, max_size=30)), max_size=6),
    query=st.text(_ALPHABET, min_size=1, max_size=12),
    column=st.sampled_from([None, "question", "answer"]),
)
def test_a_word_matches_exactly_the_indexed_words_it_starts(db, texts, query, column):
    """Whatever the database: a query word finds an entry when it starts one of its folded words."""
    terms = words(query)
    if not terms:
        return
    SearchEntry.objects.all().delete()
    SearchEntry.objects.bulk_create(
        SearchEntry(
            page_id=n,
            locale_id=1,
            position=0,
            question=q,
            answer=a,
            question_words=" ".join(words(q)),
            answer_words=" ".join(words(a)),
        )
        for n, (q, a) in enumerate(texts)
    )
    expected = [
        n
        for n, (q, a) in enumerate(texts)
        if any(
            word.startswith(term)
            for term in terms
            for text in ((q, a) if column is None else (q,) if column == "question" else (a,))
            for word in words(text)
        )
    ]
    assert _matching(terms, column) == expected
