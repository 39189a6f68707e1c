"""A body that references help-lines or citations by impossible ids still answers (they are skipped)."""

from tests.content import question, section


def test_impossible_ids_in_a_body_are_skipped(content, api):
    helpline = content.helpline("child-focus-116000", "Hulplijn 116000")
    campaign = content.campaign()
    content.faq(
        campaign,
        "veelgestelde-vragen",
        "Veelgestelde vragen",
        sections=[
            section(
                "FAQ",
                question(
                    "Wie kan ik bellen?",
                    "<p>Bel 116000.</p>",
                    anchor="bellen",
                    helplines=[2**70, "niet-een-id", -1, helpline.pk],
                    citations=[2**63],
                ),
            )
        ],
    )
    body = api.json("/faqs/veelgestelde-vragen/")
    (item,) = body["sections"][0]["questions"]
    assert [line["slug"] for line in item["helplines"]] == ["child-focus-116000"]
    assert item["citations"] == []
