"""Search excerpts show the words that matched, wherever folding changes a text's length."""

from tests.content import question, section


def test_the_excerpt_is_around_the_match_even_after_letters_that_fold_longer(content, api):
    # "ß" folds to "ss": 120 of them before the match put a folded position 120 characters
    # further than the same place in the answer, past the excerpt's 80-character radius.
    answer = "<p>" + "Groß " * 120 + "Meld het bij de politie of bel 116000.</p>"
    content.faq(
        content.campaign(),
        "vragen",
        "Vragen",
        sections=[section("Melden", question("Wat nu?", answer, anchor="wat-nu"))],
    )
    [result] = api.json("/search/", q="politie")["results"]
    assert "Meld het bij de politie of bel 116000." in result["excerpt"], result["excerpt"]
    assert result["excerpt"].startswith("…Groß Groß")
    # A word that folds longer is found and shown too.
    [result] = api.json("/search/", q="gross")["results"]
    assert result["excerpt"].startswith("Groß Groß")
