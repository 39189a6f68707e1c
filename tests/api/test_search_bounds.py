"""Search reads only the best-ranked pages, whatever the number a common word matches."""

from tests.content import question, section


def test_search_scores_the_questions_of_the_best_ranked_pages_only(content, api, settings):
    campaign = content.campaign()
    for number in range(3):
        content.faq(
            campaign,
            f"vragen-{number}",
            f"Vragen {number}",
            sections=[
                section(
                    "Melden",
                    question(f"Hoe meld ik iets ({number})?", "<p>Melden kan anoniem.</p>", anchor="melden"),
                    question(f"Wat met mijn foto's ({number})?", "<p>Meld ze.</p>", anchor="fotos"),
                )
            ],
        )
    assert api.json("/search/", q="meld")["count"] == 6
    settings.BAKEN_SEARCH_MAX_PAGES = 2
    body = api.json("/search/", q="meld")
    assert body["count"] == 4
    assert len({result["faq"]["slug"] for result in body["results"]}) == 2
