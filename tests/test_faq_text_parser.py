"""cms.importers.faq_text.parse_faq: the seed FAQ and each way a text can be malformed."""

import pytest

from cms.importers.faq_text import FAQFormatError, parse_faq
from tests.content import SEED_QUESTIONS

pytestmark = pytest.mark.usefixtures("english")


# --- the seed FAQ ------------------------------------------------------------------------------


@pytest.fixture
def seed(seed_faq_text):
    return parse_faq(seed_faq_text)


def test_seed_has_two_sections_headed_faq(seed):
    assert [section.heading for section in seed.sections] == ["FAQ", "FAQ"]
    assert [len(section.questions) for section in seed.sections] == [4, 2]


def test_seed_questions_are_the_seed_lines_verbatim(seed, seed_faq_text):
    assert [question.question for question in seed.questions] == SEED_QUESTIONS
    lines = seed_faq_text.splitlines()
    assert [lines[question.line_number - 1] for question in seed.questions] == SEED_QUESTIONS
    assert [question.line_number for question in seed.questions] == [5, 9, 16, 20, 34, 40]


def test_seed_plain_answer_is_one_paragraph(seed):
    assert seed.questions[2].answer_html == (
        "<p>De waarden zijn geen volledig nauwkeurige bedragen en dienen enkel om een idee te geven van de "
        "verdiensten die criminelen halen uit de seksuele uitbuiting van minderjarigen. Voor de berekening "
        "baseert de calculator zich wel op échte cijfers die we haalden uit een veertigtal beschikbare "
        "openbare bronnen en de onderzoeksjournalistiek. Alle cijfers zijn dus een berekende schatting van "
        "bedragen die circuleren in de seksindustrie en geen absolute waarden.</p>"
    )


def test_seed_numbered_steps_become_an_ordered_list(seed):
    assert seed.questions[1].answer_html == (
        "<p>Indien je hebt deelgenomen met je eigen kind, en je na verloop van tijd wenst dat dat beeld uit "
        "de Facebook-tijdlijn van je vrienden of volgers verdwijnt, kan je als volgt tewerk gaan:</p>"
        "<ol><li>Verwijder het bericht.</li>"
        "<li>Verwijder eveneens het beeld uit de fotodatabase van je Facebook profiel.</li></ol>"
    )


def test_seed_emphasis_becomes_italic(seed):
    answer = seed.questions[4].answer_html
    assert answer.startswith(
        "<p>18 november is de <i>Europese dag voor de bescherming van kinderen tegen seksuele uitbuiting en "
        "seksueel misbruik</i>.</p><p>Seksuele uitbuiting"
    )
    assert answer.count("<i>") == 1
    assert "*" not in answer


def test_seed_web_addresses_are_linked_with_their_text_unchanged(seed):
    answer = seed.questions[3].answer_html
    assert answer.count('<a href="https://www.stopchildporno.be">www.stopchildporno.be</a>') == 1
    assert '<a href="https://www.clicksafe.be">www.clicksafe.be</a>.</p>' in answer
    assert answer.count("<p>") == 5
    assert "politie &amp; justitie" in answer


def test_seed_last_answer_links_web_and_mail_addresses(seed):
    assert seed.questions[5].answer_html == (
        "<p>Het is mogelijk dat deze campagne je aan het denken zet en je attent maakt op een geval van "
        "mogelijke seksuele uitbuiting in je omgeving. We nodigen je uit dit te melden, ofwel bij de "
        "politie, ofwel bij Child Focus. Dit kan via de gratis 24/7 hulplijn 116000, via "
        '<a href="https://www.stopchildporno.be">www.stopchildporno.be</a> of via '
        '<a href="mailto:116000@childfocus.org">116000@childfocus.org</a>. Alle meldingen worden '
        "vertrouwelijk en desgewenst anoniem behandeld.</p>"
    )


# --- the rest of the format -------------------------------------------------------------------


def test_markdown_headings_links_bold_and_bullets():
    parsed = parse_faq(
        "# Over de campagne\n"
        "\n"
        "Wie zit erachter?\n"
        "\n"
        "**Child Focus**, zie [de website](https://www.childfocus.be/nl) en _de folder_.\n"
        "\n"
        "- eerste punt\n"
        "- tweede punt\n"
        "\n"
        "## Melden\n"
        "Waar meld ik iets?\n"
        "Bij https://www.stopchildporno.be/meld?taal=nl&anoniem=1, dag en nacht.\n"
    )

    assert [section.heading for section in parsed.sections] == ["Over de campagne", "Melden"]
    assert [q.question for q in parsed.questions] == ["Wie zit erachter?", "Waar meld ik iets?"]
    assert parsed.questions[0].answer_html == (
        '<p><b>Child Focus</b>, zie <a href="https://www.childfocus.be/nl">de website</a> '
        "en <i>de folder</i>.</p>"
        "<ul><li>eerste punt</li><li>tweede punt</li></ul>"
    )
    assert parsed.questions[1].answer_html == (
        '<p>Bij <a href="https://www.stopchildporno.be/meld?taal=nl&amp;anoniem=1">'
        "https://www.stopchildporno.be/meld?taal=nl&amp;anoniem=1</a>, dag en nacht.</p>"
    )


def test_questions_before_any_heading_get_the_default_section():
    parsed = parse_faq("Waarom nu?\nOmdat het 18 november is.\n")
    assert [(s.heading, [q.question for q in s.questions]) for s in parsed.sections] == [
        ("FAQ", ["Waarom nu?"])
    ]
    assert parsed.questions[0].answer_html == "<p>Omdat het 18 november is.</p>"


def test_html_in_the_text_is_escaped():
    parsed = parse_faq('Mag dit?\n<script>alert("x")</script> <b>nee</b>\n')
    assert parsed.questions[0].answer_html == (
        '<p>&lt;script&gt;alert("x")&lt;/script&gt; &lt;b&gt;nee&lt;/b&gt;</p>'
    )


def test_windows_line_endings_are_accepted():
    parsed = parse_faq("FAQ\r\n\r\nWaarom nu?\r\nOmdat het kan.\r\n")
    assert [q.question for q in parsed.questions] == ["Waarom nu?"]
    assert parsed.questions[0].answer_html == "<p>Omdat het kan.</p>"


# --- malformed input ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n", "FAQ\n\n", "# Titel\n"])
def test_text_without_questions_is_refused(text):
    with pytest.raises(FAQFormatError) as caught:
        parse_faq(text)
    assert str(caught.value) == "The text has no questions (a question is a line ending in “?”)."


LONG_INTRO = "Deze pagina beantwoordt de vragen die ons het vaakst worden gesteld over de campagne."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "FAQ\n\nKan ik de beelden weer verwijderen?\n\nWaarom nu?\nOmdat het kan.\n",
            "Line 3: the question “Kan ik de beelden weer verwijderen?” has no answer.",
            id="question-with-an-empty-answer",
        ),
        pytest.param(
            "Waarom nu?\nOmdat het kan.\n\nWat als ik iets concreet te melden heb?\n\n\n",
            "Line 4: the question “Wat als ik iets concreet te melden heb?” has no answer.",
            id="last-question-with-an-empty-answer",
        ),
        pytest.param(
            "Waarom nu?\nFAQ\nWat nu?\nDit.\n",
            "Line 1: the question “Waarom nu?” has no answer.",
            id="question-followed-by-a-heading-has-no-answer",
        ),
        pytest.param(
            "FAQ\n\nVeelgestelde vragen over de campagne\n\nWaarom nu?\nOmdat het kan.\n",
            "Line 3: text before the first question: “Veelgestelde vragen over de campagne”.",
            id="text-before-the-first-question",
        ),
        pytest.param(
            f"{LONG_INTRO}\nWaarom nu?\nOmdat het kan.\n",
            f"Line 1: text before the first question: “{LONG_INTRO[:60]}”.",
            id="text-before-the-first-question-is-quoted-up-to-sixty-characters",
        ),
        pytest.param(
            "FAQ\n\nFAQ\n\nWaarom nu?\nOmdat het kan.\n",
            "Line 3: the section “FAQ” has no questions.",
            id="empty-section-between-sections",
        ),
        pytest.param(
            "Waarom nu?\nOmdat het kan.\n\n# Meer vragen\n\n",
            "The section “Meer vragen” has no questions.",
            id="empty-last-section",
        ),
    ],
)
def test_malformed_text_is_refused_saying_where(text, message):
    with pytest.raises(FAQFormatError) as caught:
        parse_faq(text)
    assert str(caught.value) == message


def test_format_error_is_a_value_error():
    assert issubclass(FAQFormatError, ValueError)
