"""The import_faq management command: create, re-import, update in place, refuse malformed input.

By default an import is a draft; the tests that need a live page import with ``--publish`` as an
administrator (the review options themselves: tests/test_import_faq_review.py).
"""

from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page, Revision

from cms.pages.models import FAQPage
from tests.content import SEED_QUESTIONS, chosen, item_values, questions

pytestmark = pytest.mark.django_db

DEMO_FR = Path(__file__).resolve().parents[1] / "cms" / "demo" / "content" / "schat-je-schatje-faq.fr.txt"


def page_options(
    campaign: str = "schat-je-schatje",
    locale: str = "nl",
    slug: str = "veelgestelde-vragen",
    translation_of: str | None = None,
) -> tuple[str, ...]:
    """The options naming the page an import writes: its campaign, locale and slug (and, for a
    new translation, the slug of the page it translates)."""
    options = ("--campaign", campaign, "--locale", locale, "--slug", slug)
    return options if translation_of is None else (*options, "--translation-of", translation_of)


NL_ARGS = page_options()
# Publishing straight away, as the administrator of the ``admin`` fixture.
PUBLISH = ("--publish", "--user", "ada")
FR_ARGS = page_options(locale="fr", slug="questions-frequentes", translation_of="veelgestelde-vragen")
DRAFT_OF_NEW_PAGE = (
    "Saved as a draft; the page is not live. Submit it for review in the admin, "
    "or import again with --submit --user USERNAME.\n"
)
DRAFT_OF_LIVE_PAGE = (
    "Saved as a draft; the live version is unchanged. Submit it for review in the admin, "
    "or import again with --submit --user USERNAME.\n"
)


def import_faq(path, *args, title: str | None = "Veelgestelde vragen") -> str:
    out = StringIO()
    options = [*NL_ARGS, *args] if not any(arg == "--locale" for arg in args) else list(args)
    if title is not None:
        options += ["--title", title]
    call_command("import_faq", str(path), *options, stdout=out)
    return out.getvalue()


def latest(page: FAQPage) -> FAQPage:
    """The page as its latest revision (its draft) has it."""
    return FAQPage.objects.get(pk=page.pk).get_latest_revision_as_object()


def counts() -> tuple[int, int, int]:
    return Page.objects.count(), FAQPage.objects.count(), Revision.objects.count()


@pytest.fixture
def campaign(content):
    return content.page_tree(with_faq=False).campaign


@pytest.fixture
def imported(campaign, seed_faq_path, admin) -> FAQPage:
    """The seed FAQ, imported and published."""
    import_faq(seed_faq_path, *PUBLISH)
    return FAQPage.objects.get()


def write(tmp_path, text: str, name: str = "faq.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- creating and re-importing ----------------------------------------------------------------


def test_import_by_default_creates_a_draft_page_that_is_not_live(campaign, seed_faq_path):
    pages_before = Page.objects.count()

    output = import_faq(seed_faq_path)

    page = FAQPage.objects.get()
    assert output == (
        f"Created FAQ page “Veelgestelde vragen” (nl, id {page.pk}) with 6 questions in 2 sections.\n"
        + DRAFT_OF_NEW_PAGE
    )
    assert Page.objects.count() == pages_before + 1
    assert page.live is False
    assert page.has_unpublished_changes is True
    assert page.live_revision_id is None
    assert page.revisions.count() == 1
    assert page.latest_revision.user is None
    assert [q["question"] for q in questions(latest(page))] == SEED_QUESTIONS


def test_draft_option_is_still_accepted_and_means_the_default(campaign, seed_faq_path):
    output = import_faq(seed_faq_path, "--draft")

    page = FAQPage.objects.get()
    assert output.endswith(DRAFT_OF_NEW_PAGE)
    assert (page.live, page.live_revision_id, page.revisions.count()) == (False, None, 1)


def test_import_with_publish_creates_one_live_faq_page_with_the_seed_questions(
    campaign, seed_faq_path, admin
):
    pages_before = Page.objects.count()

    output = import_faq(seed_faq_path, *PUBLISH)

    page = FAQPage.objects.get()
    assert output == (
        f"Created FAQ page “Veelgestelde vragen” (nl, id {page.pk}) with 6 questions in 2 sections.\n"
        "Published by ada.\n"
    )
    assert Page.objects.count() == pages_before + 1
    assert page.live is True
    assert page.has_unpublished_changes is False
    assert page.title == "Veelgestelde vragen"
    assert page.slug == "veelgestelde-vragen"
    assert page.locale.language_code == "nl"
    assert page.get_parent().pk == campaign.pk
    assert page.revisions.count() == 1
    assert page.live_revision_id == page.latest_revision_id
    assert [section["value"]["heading"] for section in page.body.raw_data] == ["FAQ", "FAQ"]
    assert [q["question"] for q in questions(page)] == SEED_QUESTIONS
    assert [q["anchor"] for q in questions(page)] == [
        "waarom-is-de-schat-je-schatje-campagne-belangrijk",
        "kan-ik-de-beelden-weer-verwijderen",
        "hoe-zijn-de-waarden-berekend",
        "wat-doet-child-focus-tegen-seksuele-uitbuiting-van-kinderen",
        "waarom-nu",
        "wat-als-ik-iets-concreet-te-melden-heb",
    ]
    assert all(q["helplines"] == [] and q["citations"] == [] for q in questions(page))


def test_imported_body_is_valid_for_the_page_schema(imported):
    block = imported.body.stream_block
    cleaned = block.clean(imported.body)
    assert [child.block_type for child in cleaned] == ["section", "section"]
    assert (
        imported.body[1].value["questions"][0]["answer"].source.startswith("<p>18 november is de <i>Europese")
    )


def test_reimport_of_the_same_file_changes_nothing(imported, seed_faq_path):
    before = counts()

    output = import_faq(seed_faq_path)

    assert output == (
        f"Unchanged: FAQ page “Veelgestelde vragen” (nl, id {imported.pk}) with 6 questions in 2 sections.\n"
    )
    assert counts() == before
    page = FAQPage.objects.get()
    assert page.pk == imported.pk
    assert page.latest_revision_id == imported.latest_revision_id
    assert page.revisions.count() == 1


def test_reimport_without_title_keeps_the_title(imported, seed_faq_path):
    output = import_faq(seed_faq_path, title=None)
    assert output.startswith("Unchanged: FAQ page “Veelgestelde vragen”")
    assert FAQPage.objects.get().title == "Veelgestelde vragen"


def test_reimport_of_a_changed_file_updates_in_place_keeping_anchors_and_links(
    imported, seed_faq_path, tmp_path, content
):
    helpline = content.helpline("child-focus-116000", revision=False)
    citation = content.citation(revision=False)
    body = imported.body.raw_data
    body[0]["value"]["questions"][3]["value"]["helplines"] = chosen(helpline)
    body[1]["value"]["questions"][1]["value"]["helplines"] = chosen(helpline)
    body[1]["value"]["questions"][0]["value"]["citations"] = chosen(citation)
    imported.body = body
    imported.save_revision().publish()
    imported.refresh_from_db()
    anchors_before = [q["anchor"] for q in questions(imported)]
    revisions_before = imported.revisions.count()
    changed = (
        seed_faq_path.read_text(encoding="utf-8")
        .replace("Deze campagne is de meest recente in de rij.", "Deze campagne is de meest recente.")
        .replace("Waarom nu?", "Waarom op 18 november?")
    )

    output = import_faq(write(tmp_path, changed), *PUBLISH, title="Vragen en antwoorden")

    page = FAQPage.objects.get()
    assert output == (
        f"Updated FAQ page “Vragen en antwoorden” (nl, id {imported.pk}) with 6 questions in 2 sections.\n"
        "Published by ada.\n"
    )
    assert page.pk == imported.pk
    assert page.live and not page.has_unpublished_changes
    assert page.title == "Vragen en antwoorden"
    assert page.revisions.count() == revisions_before + 1
    assert [q["question"] for q in questions(page)] == [
        *SEED_QUESTIONS[:4],
        "Waarom op 18 november?",
        SEED_QUESTIONS[5],
    ]
    assert questions(page)[3]["answer"].endswith("Deze campagne is de meest recente.</p>")
    assert [q["anchor"] for q in questions(page)] == anchors_before
    assert [item_values(q["helplines"]) for q in questions(page)] == [
        [],
        [],
        [],
        [helpline.pk],
        [],
        [helpline.pk],
    ]
    assert [item_values(q["citations"]) for q in questions(page)] == [[], [], [], [], [citation.pk], []]


def test_reimport_with_a_question_inserted_keeps_every_existing_anchor_and_link(
    imported, seed_faq_path, tmp_path, content
):
    """Existing questions are matched by text first, so a new question must not take their anchors."""
    helpline = content.helpline("child-focus-116000", revision=False)
    body = imported.body.raw_data
    body[0]["value"]["questions"][0]["value"]["helplines"] = chosen(helpline)
    imported.body = body
    imported.save_revision().publish()
    anchors_before = [q["anchor"] for q in questions(FAQPage.objects.get())]
    with_new_question = seed_faq_path.read_text(encoding="utf-8").replace(
        "FAQ\n",
        "FAQ\n\nWie is Child Focus?\n\nDe stichting voor vermiste en seksueel uitgebuite kinderen.\n",
        1,
    )

    import_faq(write(tmp_path, with_new_question))

    page = latest(imported)
    assert [q["question"] for q in questions(page)] == ["Wie is Child Focus?", *SEED_QUESTIONS]
    assert [q["anchor"] for q in questions(page)] == ["wie-is-child-focus", *anchors_before]
    assert [item_values(q["helplines"]) for q in questions(page)] == [[], [helpline.pk], [], [], [], [], []]


def test_reimport_by_default_leaves_the_live_page_and_the_api_unchanged(
    client, imported, seed_faq_path, tmp_path
):
    served_before = client.get("/api/v1/faqs/veelgestelde-vragen/").json()
    live_revision = imported.live_revision_id
    changed = seed_faq_path.read_text(encoding="utf-8").replace("Waarom nu?", "Waarom op 18 november?")

    output = import_faq(write(tmp_path, changed), title="Vragen en antwoorden")

    page = FAQPage.objects.get()
    assert output == (
        f"Updated FAQ page “Vragen en antwoorden” (nl, id {page.pk}) with 6 questions in 2 sections.\n"
        + DRAFT_OF_LIVE_PAGE
    )
    assert page.live is True
    assert page.live_revision_id == live_revision
    assert page.title == "Veelgestelde vragen"
    assert [q["question"] for q in questions(page)] == SEED_QUESTIONS
    assert page.has_unpublished_changes is True
    assert page.revisions.count() == 2
    assert page.latest_revision_id != live_revision
    draft = latest(page)
    assert draft.title == "Vragen en antwoorden"
    assert questions(draft)[4]["question"] == "Waarom op 18 november?"
    # The draft keeps every anchor.
    assert [q["anchor"] for q in questions(draft)] == [q["anchor"] for q in questions(imported)]
    cache.clear()
    served = client.get("/api/v1/faqs/veelgestelde-vragen/")
    assert served.status_code == 200
    assert served.json() == served_before
    assert served.json()["title"] == "Veelgestelde vragen"
    assert served.json()["sections"][1]["questions"][0]["question"] == "Waarom nu?"


def test_reimport_of_the_same_file_over_its_own_draft_writes_nothing(imported, seed_faq_path, tmp_path):
    changed = write(
        tmp_path, seed_faq_path.read_text(encoding="utf-8").replace("Waarom nu?", "Waarom op 18 november?")
    )
    import_faq(changed)
    before = counts()
    latest_revision = FAQPage.objects.get().latest_revision_id

    output = import_faq(changed)

    assert output == (
        f"Unchanged: FAQ page “Veelgestelde vragen” (nl, id {imported.pk}) with 6 questions in 2 sections.\n"
    )
    assert counts() == before
    assert FAQPage.objects.get().latest_revision_id == latest_revision


def test_reimport_of_a_new_draft_page_updates_its_draft(campaign, seed_faq_path, tmp_path):
    import_faq(seed_faq_path)
    changed = seed_faq_path.read_text(encoding="utf-8").replace("Waarom nu?", "Waarom op 18 november?")

    output = import_faq(write(tmp_path, changed))

    page = FAQPage.objects.get()
    assert output.endswith(DRAFT_OF_NEW_PAGE)
    assert (page.live, page.live_revision_id, page.revisions.count()) == (False, None, 2)
    assert questions(latest(page))[4]["question"] == "Waarom op 18 november?"


def test_campaign_can_be_given_by_id(campaign, seed_faq_path):
    import_faq(seed_faq_path, *page_options(campaign=str(campaign.pk)))
    assert FAQPage.objects.get().get_parent().pk == campaign.pk


def test_messages_are_english_whatever_the_site_language(campaign, seed_faq_path, settings):
    """Django's own validation messages too: the command does not speak Dutch because LANGUAGE_CODE does."""
    settings.LANGUAGE_CODE = "nl"
    with pytest.raises(CommandError) as caught:
        import_faq(seed_faq_path, *page_options(slug="veelgestelde vragen!"))
    assert str(caught.value) == (
        f"{seed_faq_path}: Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or "
        "hyphens. Nothing was changed."
    )


# --- malformed input: CommandError, nothing changed -------------------------------------------


def assert_refused(path, message: str, *args, title="Veelgestelde vragen"):
    before = counts()
    with pytest.raises(CommandError) as caught:
        import_faq(path, *args, title=title)
    assert str(caught.value) == message
    assert counts() == before


@pytest.fixture(params=["new page", "existing page"])
def target(request, campaign, seed_faq_path):
    """Malformed input must change nothing, whether or not the FAQ page exists already."""
    if request.param == "existing page":
        import_faq(seed_faq_path)
        return FAQPage.objects.get()
    return None


def assert_existing_page_untouched(target):
    if target is not None:
        page = FAQPage.objects.get()
        assert page.latest_revision_id == target.latest_revision_id
        assert [q["question"] for q in questions(page)] == SEED_QUESTIONS


def test_file_without_questions_is_refused(target, tmp_path):
    path = write(tmp_path, "FAQ\n\nDeze pagina volgt nog.\n")
    assert_refused(
        path,
        f"{path}: Line 3: text before the first question: “Deze pagina volgt nog.”. Nothing was changed.",
    )
    empty = write(tmp_path, "FAQ\n\n", name="empty.txt")
    assert_refused(
        empty,
        f"{empty}: The text has no questions (a question is a line ending in “?”). Nothing was changed.",
    )
    assert_existing_page_untouched(target)


def test_question_with_empty_answer_is_refused(target, tmp_path):
    path = write(tmp_path, "FAQ\n\nWaarom nu?\n\nWat als ik iets concreet te melden heb?\nBel 116000.\n")
    assert_refused(path, f"{path}: Line 3: the question “Waarom nu?” has no answer. Nothing was changed.")
    assert_existing_page_untouched(target)


def test_unknown_locale_is_refused(target, seed_faq_path):
    assert_refused(
        seed_faq_path,
        f"{seed_faq_path}: Unknown locale “xx”; known locales: de, en, fr, nl. Nothing was changed.",
        *page_options(locale="xx"),
    )
    assert_existing_page_untouched(target)


def test_nonexistent_file_is_refused(target, tmp_path):
    path = tmp_path / "bestaat-niet.txt"
    assert_refused(path, f"Cannot read {path}: No such file or directory. Nothing was changed.")
    assert_existing_page_untouched(target)


def test_unreadable_path_is_refused(target, tmp_path):
    assert_refused(tmp_path, f"Cannot read {tmp_path}: Is a directory. Nothing was changed.")
    assert_existing_page_untouched(target)


def test_non_utf8_file_is_refused_with_how_to_fix_it(target, tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("FAQ\n\nWaarom nu?\n\nOmdat het é-dag is.\n".encode("latin-1"))
    assert_refused(
        path,
        f"{path} is not UTF-8 (invalid byte 0xe9 at line 5, byte offset 27). Save it as UTF-8 — in most "
        "editors “Save as…” and choose the encoding UTF-8 — or convert it: "
        f"iconv -f WINDOWS-1252 -t UTF-8 {path} > {tmp_path / 'latin1.utf8.txt'} Nothing was changed.",
    )
    assert_existing_page_untouched(target)


def test_non_utf8_file_message_counts_lines_after_a_byte_order_mark_and_quotes_paths(campaign, tmp_path):
    path = tmp_path / "mijn faq.txt"
    path.write_bytes(b"\xef\xbb\xbfFAQ\n\nWaarom nu?\n\nOmdat het kan.\n\nEn waarom \x93nu\x94?\n")
    assert_refused(
        path,
        f"{path} is not UTF-8 (invalid byte 0x93 at line 7, byte offset 46). Save it as UTF-8 — in most "
        "editors “Save as…” and choose the encoding UTF-8 — or convert it: "
        f"iconv -f WINDOWS-1252 -t UTF-8 '{path}' > '{tmp_path / 'mijn faq.utf8.txt'}' Nothing was changed.",
    )


def test_utf16_file_is_refused_with_a_utf16_conversion(campaign, seed_faq_text, tmp_path):
    path = tmp_path / "faq.txt"
    path.write_bytes(seed_faq_text.encode("utf-16"))
    with pytest.raises(CommandError) as caught:
        import_faq(path)
    assert str(caught.value).startswith(f"{path} is not UTF-8 (invalid byte 0xff at line 1, byte offset 0).")
    assert f"iconv -f UTF-16 -t UTF-8 {path} > {tmp_path / 'faq.utf8.txt'} Nothing was changed." in str(
        caught.value
    )


def test_unknown_campaign_is_refused(target, seed_faq_path):
    assert_refused(
        seed_faq_path,
        f"{seed_faq_path}: No campaign page with id or slug “bestaat-niet”. Nothing was changed.",
        *page_options(campaign="bestaat-niet"),
    )
    assert_refused(
        seed_faq_path,
        f"{seed_faq_path}: No campaign page with id or slug “999999”. Nothing was changed.",
        *page_options(campaign="999999"),
    )
    assert_existing_page_untouched(target)


def test_new_page_without_title_is_refused(campaign, seed_faq_path):
    assert_refused(
        seed_faq_path,
        f"{seed_faq_path}: A new FAQ page needs a title (--title). Nothing was changed.",
        title=None,
    )


def test_locale_without_campaign_translation_is_refused(campaign, seed_faq_path):
    assert_refused(
        seed_faq_path,
        f"{seed_faq_path}: The campaign “Schat je schatje” has no fr translation; create it first. "
        "Nothing was changed.",
        *page_options(locale="fr", slug="questions-frequentes"),
    )


def test_invalid_slug_is_refused_with_a_command_error(campaign, seed_faq_path):
    before = counts()
    with pytest.raises(CommandError) as caught:
        import_faq(seed_faq_path, *page_options(slug="veelgestelde vragen!"))
    assert str(caught.value).startswith(f"{seed_faq_path}: ")
    assert str(caught.value).endswith(" Nothing was changed.")
    assert "slug" in str(caught.value)
    assert counts() == before


def test_question_longer_than_the_schema_allows_is_refused(campaign, tmp_path):
    long_question = "Waarom " + "heel " * 60 + "lang?"
    assert len(long_question) > 255
    path = write(tmp_path, f"FAQ\n\nKort?\n\nJa.\n\n{long_question}\n\nOmdat het kan.\n")
    before = counts()
    with pytest.raises(CommandError) as caught:
        import_faq(path)
    assert str(caught.value) == (
        f"{path}: The FAQ does not fit the page's content rules: section 1, question 2 (question text): "
        f"Ensure this value has at most 255 characters (it has {len(long_question)}). Nothing was changed."
    )
    assert counts() == before


def test_utf8_file_with_byte_order_mark_is_imported(campaign, seed_faq_text, tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(("\ufeff" + seed_faq_text.lstrip("\n")).encode("utf-8"))

    output = import_faq(path)

    page = FAQPage.objects.get()
    assert output == (
        f"Created FAQ page “Veelgestelde vragen” (nl, id {page.pk}) with 6 questions in 2 sections.\n"
        + DRAFT_OF_NEW_PAGE
    )
    assert [q["question"] for q in questions(latest(page))] == SEED_QUESTIONS


# --- translations ----------------------------------------------------------------------------


def test_translation_of_creates_a_french_page_sharing_the_translation_key(
    content, seed_faq_path, locales, admin
):
    tree = content.page_tree(with_faq=False, translations=("fr",))
    import_faq(seed_faq_path, *PUBLISH)
    dutch = FAQPage.objects.get(locale=locales["nl"])

    output = import_faq(DEMO_FR, *FR_ARGS, *PUBLISH, title="Questions fréquentes")

    french = FAQPage.objects.get(locale=locales["fr"])
    assert output == (
        f"Created FAQ page “Questions fréquentes” (fr, id {french.pk}) with 6 questions in 2 sections.\n"
        "Published by ada.\n"
    )
    assert FAQPage.objects.count() == 2
    assert french.translation_key == dutch.translation_key
    assert french.get_parent().pk == tree.campaigns["fr"].pk
    assert french.slug == "questions-frequentes"
    assert french.title == "Questions fréquentes"
    assert french.live is True
    assert french.has_unpublished_changes is False
    assert questions(french)[0]["question"] == "Pourquoi la campagne 'Schat je schatje' est-elle importante ?"
    # Anchors are the same in every translation.
    assert [q["anchor"] for q in questions(french)] == [q["anchor"] for q in questions(dutch)]
    assert dutch.get_translation(locales["fr"]).pk == french.pk

    again = import_faq(DEMO_FR, *FR_ARGS, title="Questions fréquentes")
    assert again == (
        f"Unchanged: FAQ page “Questions fréquentes” (fr, id {french.pk}) with 6 questions in 2 sections.\n"
    )
    assert FAQPage.objects.count() == 2


def test_a_new_translation_by_default_is_a_draft_with_its_own_slug(content, seed_faq_path, locales, admin):
    content.page_tree(with_faq=False, translations=("fr",))
    import_faq(seed_faq_path, *PUBLISH)

    output = import_faq(DEMO_FR, *FR_ARGS, title="Questions fréquentes")

    french = FAQPage.objects.get(locale=locales["fr"])
    assert output.endswith(DRAFT_OF_NEW_PAGE)
    # Wagtail's copy for translation saves the first revision (the Dutch text), the import the second.
    assert (french.live, french.live_revision_id, french.revisions.count()) == (False, None, 2)
    assert (french.slug, french.title) == ("questions-frequentes", "Questions fréquentes")
    assert questions(latest(french))[0]["question"] == (
        "Pourquoi la campagne 'Schat je schatje' est-elle importante ?"
    )


def test_translation_of_an_unknown_page_is_refused(content, locales):
    content.page_tree(with_faq=False, translations=("fr",))
    assert_refused(
        DEMO_FR,
        f"{DEMO_FR}: No FAQ page with slug “bestaat-niet” to translate. Nothing was changed.",
        *page_options(locale="fr", slug="questions-frequentes", translation_of="bestaat-niet"),
    )
