"""import_faq --translation-of: a translation must have its source's sections and questions per section."""

import pytest
from django.core.management.base import CommandError

from cms.pages.models import FAQPage
from tests.content import questions
from tests.test_import_faq_command import DEMO_FR, FR_ARGS, counts, import_faq, write

pytestmark = pytest.mark.django_db

FRENCH_TITLE = "Questions fréquentes"
HINT = (
    "Translate the source section by section and question by question, or pass "
    "--allow-structure-change to import it anyway. Nothing was changed."
)


@pytest.fixture
def source(content, seed_faq_path, admin) -> FAQPage:
    """The seed FAQ published in Dutch (4 + 2 questions), with a French campaign to translate it into."""
    content.page_tree(with_faq=False, translations=("fr",))
    import_faq(seed_faq_path, "--publish", "--user", "ada")
    return FAQPage.objects.get()


@pytest.fixture
def french_text() -> str:
    return DEMO_FR.read_text(encoding="utf-8")


def without_question(text: str, question: str, next_line: str) -> str:
    """The text with one question and its answer cut out (up to ``next_line``)."""
    start = text.index(question)
    return text[:start] + text[text.index(next_line, start) :]


def refused(path) -> str:
    before = counts()
    with pytest.raises(CommandError) as caught:
        import_faq(path, *FR_ARGS, title=FRENCH_TITLE)
    assert counts() == before
    return str(caught.value)


def test_a_translation_with_a_question_fewer_in_a_section_is_refused(source, french_text, tmp_path):
    path = write(
        tmp_path, without_question(french_text, "Pourquoi maintenant ?", "Que faire si j'ai quelque chose")
    )

    assert refused(path) == (
        f"{path}: The file's structure differs from its source page “Veelgestelde vragen” (nl):\n"
        "- section 2 “FAQ”: the source has 2 questions, the file has 1 question\n" + HINT
    )
    assert FAQPage.objects.count() == 1


def test_every_difference_is_listed(source, french_text, tmp_path):
    # Section 1 loses a question, section 2 is renamed and gains two, and a third section is added.
    text = without_question(
        french_text, "Comment les valeurs ont-elles été calculées ?", "Que fait Child Focus contre"
    )
    text = text.replace(
        "\nFAQ\n\nPourquoi maintenant ?",
        "\n# Maintenant\n\nEt encore ?\n\nOui.\n\nPourquoi ?\n\nParce que.\n\nPourquoi maintenant ?",
    )
    text += "\n# Contact\n\nComment nous joindre ?\n\nAppelez le 116000.\n"
    path = write(tmp_path, text)

    assert refused(path) == (
        f"{path}: The file's structure differs from its source page “Veelgestelde vragen” (nl):\n"
        "- section 1 “FAQ”: the source has 4 questions, the file has 3 questions\n"
        "- section 2 “Maintenant”: the source has 2 questions, the file has 4 questions\n"
        "- the file has an extra section 3 “Contact”\n" + HINT
    )


def test_a_translation_lacking_a_section_is_refused(source, french_text, tmp_path):
    path = write(tmp_path, french_text[: french_text.index("\nFAQ\n\nPourquoi maintenant ?")])

    assert refused(path) == (
        f"{path}: The file's structure differs from its source page “Veelgestelde vragen” (nl):\n"
        "- the file lacks section 2 “FAQ” of the source\n" + HINT
    )


def test_a_translation_in_the_same_sections_and_questions_is_accepted(source):
    output = import_faq(DEMO_FR, *FR_ARGS, title=FRENCH_TITLE)
    assert output.startswith("Created FAQ page “Questions fréquentes” (fr, ")


def test_allow_structure_change_accepts_a_different_structure(source, french_text, tmp_path, locales):
    path = write(
        tmp_path, without_question(french_text, "Pourquoi maintenant ?", "Que faire si j'ai quelque chose")
    )

    output = import_faq(path, *FR_ARGS, "--allow-structure-change", title=FRENCH_TITLE)

    french = FAQPage.objects.get(locale=locales["fr"])
    assert output.startswith(
        f"Created FAQ page “Questions fréquentes” (fr, id {french.pk}) with 5 questions in 2 sections.\n"
    )
    draft = french.get_latest_revision_as_object()
    assert [len(section["value"]["questions"]) for section in draft.body.raw_data] == [4, 1]
    assert french.translation_key == source.translation_key


def test_a_reimport_of_an_existing_translation_is_checked_too(source, french_text, tmp_path, locales):
    import_faq(DEMO_FR, *FR_ARGS, title=FRENCH_TITLE)
    french = FAQPage.objects.get(locale=locales["fr"])
    revision = french.latest_revision_id
    path = write(
        tmp_path, without_question(french_text, "Pourquoi maintenant ?", "Que faire si j'ai quelque chose")
    )

    assert refused(path).startswith(f"{path}: The file's structure differs from its source page")
    french = FAQPage.objects.get(pk=french.pk)
    assert french.latest_revision_id == revision
    assert len(questions(french.get_latest_revision_as_object())) == 6
