"""The demo content, as a channel sees it through the API."""

from django.core.management import call_command

from tests.content import SEED_QUESTIONS


def questions(body: dict) -> list[dict]:
    return [q for s in body["sections"] for q in s["questions"]]


def test_demo_content_through_the_api(db, api, openapi):
    call_command("load_demo_content", stdout=open("/dev/null", "w"))  # noqa: SIM115

    dutch = api.json("/faqs/veelgestelde-vragen/", locale="nl")
    assert (dutch["locale"], dutch["is_fallback"], dutch["question_count"]) == ("nl", False, 6)
    assert [q["question"] for q in questions(dutch)] == SEED_QUESTIONS
    assert all(q["answer"]["text"] and q["answer"]["html"] for q in questions(dutch))
    assert len({q["anchor"] for q in questions(dutch)}) == 6
    assert len(dutch["structured_data"]["mainEntity"]) == 6
    assert {t["locale"] for t in dutch["translations"]} == {"nl", "fr", "en"}

    german = api.get("/faqs/veelgestelde-vragen/", locale="de")
    assert german.status_code == 200
    assert german["Content-Language"] == "nl"  # the Dutch fallback is what is served
    german = german.json()
    assert (german["id"], german["locale"], german["is_fallback"]) == (dutch["id"], "nl", True)
    assert [q["question"] for q in questions(german)] == SEED_QUESTIONS
    assert german["structured_data"]["inLanguage"] == "nl"

    french = api.json("/faqs/veelgestelde-vragen/", locale="fr")
    assert (french["slug"], french["locale"], french["is_fallback"]) == ("questions-frequentes", "fr", False)
    assert [q["anchor"] for q in questions(french)] == [q["anchor"] for q in questions(dutch)]

    response = api.get("/helplines/", limit=100)
    openapi.component("HelpLine", response.json()["results"][0])
    helplines = {h["slug"]: h for h in response.json()["results"]}
    line = helplines["child-focus-116000"]
    assert [(p["type"], p["value"], p["href"]) for p in line["contact_points"]] == [
        ("phone", "116000", "tel:116000")
    ]
    assert line["open_now"] is True
    assert line["availability"]["always_open"] is True
    assert [point["telephone"] for point in line["structured_data"]["contactPoint"]] == ["116000"]

    # Question 4 links the 116000 line and the reporting point, inline.
    assert [h["slug"] for h in questions(dutch)[3]["helplines"]] == [
        "child-focus-116000",
        "stopchildporno-be",
    ]
    assert len(questions(dutch)[4]["citations"]) == 2
