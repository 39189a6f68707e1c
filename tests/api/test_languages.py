"""Language negotiation: ?locale=, Accept-Language (RFC 4647 lookup), fallback chains, headers."""

import pytest

from tests.api.conftest import assert_problem

ENDPOINTS = ["/", "/locales/", "/campaigns/", "/faqs/", "/helplines/", "/citations/"]


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("fr-BE,fr;q=0.9", "fr"),
        ("fr-BE", "fr"),  # lookup truncates the range
        ("de-CH-1996", "de"),
        ("en-GB;q=0.8, fr;q=0.9", "fr"),  # quality wins over position
        ("ja, en;q=0.5", "en"),
        ("ja", "nl"),  # unsupported: the default, still 200
        ("zh-Hant-TW", "nl"),
        ("*", "nl"),
        ("fr;q=0, en;q=0.1", "en"),  # q=0 means "not this one"
        ("FR-be", "fr"),  # case-insensitive
        ("!!!, ;q=x,", "nl"),  # malformed entries are ignored
        ("", "nl"),
    ],
)
def test_accept_language_lookup(site, api, accept_language, expected):
    response = api.get("/faqs/", accept_language=accept_language)
    assert response.status_code == 200
    served = response.json()["results"][0]
    expected_served = "fr" if expected == "fr" else "nl"
    assert (served["locale"], served["is_fallback"]) == (expected_served, expected_served != expected)
    # The header names the language of the body, not the one asked for.
    assert response["Content-Language"] == expected_served


def test_no_accept_language_header_gives_the_default(site, client):
    response = client.get("/api/v1/faqs/")
    assert response["Content-Language"] == "nl"
    assert response.json()["results"][0]["locale"] == "nl"


def test_locale_parameter_wins_over_accept_language(site, api):
    response = api.get("/faqs/", locale="fr", accept_language="nl, en;q=0.9")
    assert response["Content-Language"] == "fr"
    assert [(f["slug"], f["locale"]) for f in response.json()["results"]] == [("questions-frequentes", "fr")]
    response = api.get("/faqs/", locale="nl", accept_language="fr")
    assert response["Content-Language"] == "nl"
    assert [(f["slug"], f["locale"]) for f in response.json()["results"]] == [("veelgestelde-vragen", "nl")]


@pytest.mark.parametrize("value", ["xx", "NL", "fr-BE", "", "ja"])
def test_unsupported_locale_parameter_is_a_400_listing_the_supported_ones(site, api, value):
    response = api.get("/faqs/", locale=value, accept_language="fr")
    body = assert_problem(response, 400, invalid={"locale"})
    reason = body["invalid_params"][0]["reason"]
    for code in ("nl", "fr", "en", "de"):
        assert code in reason
    assert "nl, fr, en, de" in reason
    assert "Content-Language" not in response


# The languages each endpoint's body is in, per requested locale (the site fixture has fr and
# en translations of some objects, none in German).
CONTENT_LANGUAGES = {
    "/faqs/": {"nl": "nl", "fr": "fr", "en": "nl", "de": "nl"},
    # A detail names its own language first: the Dutch fallback, then its English citation.
    "/faqs/veelgestelde-vragen/": {"nl": "nl", "fr": "fr, nl", "en": "nl, en", "de": "nl"},
    "/campaigns/schat-je-schatje/": {"nl": "nl", "fr": "fr, nl", "en": "en, nl", "de": "nl"},
    "/helplines/child-focus-116000/": {"nl": "nl", "fr": "fr", "en": "nl", "de": "nl"},
}


@pytest.mark.parametrize("path", sorted(CONTENT_LANGUAGES))
def test_content_language_is_the_language_of_the_body(site, api, path):
    for locale, expected in CONTENT_LANGUAGES[path].items():
        response = api.get(path, locale=locale)
        assert response.status_code == 200
        assert response["Content-Language"] == expected, (path, locale)
        assert "Accept-Language" in [v.strip() for v in response["Vary"].split(",")]
        # Every language named is one an object in the body is served in, and vice versa.
        assert set(expected.split(", ")) == set(served_locales(response.json()))


def served_locales(body) -> set[str]:
    if isinstance(body, dict):
        found = {body["locale"]} if "is_fallback" in body else set()
        return found.union(*(served_locales(value) for value in body.values()))
    if isinstance(body, list):
        return set().union(*(served_locales(item) for item in body))
    return set()


def test_a_list_names_the_requested_language_first(site, api):
    response = api.get("/faqs/", locale="fr", limit=100)
    assert response["Content-Language"].split(", ")[0] == "fr"
    german = api.get("/faqs/", locale="de")
    assert german["Content-Language"] == "nl"  # nothing in the body is German


@pytest.mark.parametrize("path", ["/", "/locales/"])
def test_bodies_without_content_objects_name_no_language(site, api, path):
    response = api.get(path, locale="fr")
    assert response.status_code == 200
    assert "Content-Language" not in response
    assert "Accept-Language" in response["Vary"]


def test_an_empty_list_names_no_language(site, api):
    response = api.get("/search/", q="zzzzzz-nothing-matches")
    assert (response.status_code, response.json()["count"]) == (200, 0)
    assert "Content-Language" not in response


def test_csl_names_the_served_languages(site, api):
    response = api.get(f"/citations/{site.cit_lanzarote.pk}/", format="csl", locale="de")
    assert response.status_code == 200
    assert response["Content-Language"] == "nl"


def test_vary_accept_language_on_details_errors_and_csl(site, api):
    for path, params in [
        ("/faqs/veelgestelde-vragen/", {}),
        ("/campaigns/schat-je-schatje/", {}),
        ("/helplines/child-focus-116000/", {}),
        (f"/citations/{site.cit_report.pk}/", {}),
        ("/citations/", {"format": "csl"}),
        ("/search/", {"q": "116000"}),
        ("/faqs/bestaat-niet/", {}),
        ("/faqs/", {"limit": "abc"}),
    ]:
        response = api.get(path, params)
        assert "Accept-Language" in response["Vary"], path


def test_missing_translation_falls_back_to_dutch_in_details(site, api):
    faq = api.json("/faqs/veelgestelde-vragen/", locale="de")
    assert (faq["id"], faq["locale"], faq["is_fallback"]) == (site.faq.pk, "nl", True)
    assert faq["structured_data"]["inLanguage"] == "nl"  # the language actually served
    questions = [q for s in faq["sections"] for q in s["questions"]]
    assert [(c["locale"], c["is_fallback"]) for c in questions[0]["citations"]] == [("nl", True)]
    assert [(h["locale"], h["is_fallback"]) for h in questions[2]["helplines"]] == [
        ("nl", True),
        ("nl", True),
    ]

    campaign = api.json("/campaigns/schat-je-schatje/", locale="de")
    assert (campaign["id"], campaign["locale"], campaign["is_fallback"]) == (site.campaign.pk, "nl", True)
    assert [(f["locale"], f["is_fallback"]) for f in campaign["faqs"]] == [("nl", True)]
    helpline = api.json("/helplines/child-focus-116000/", locale="de")
    assert (helpline["id"], helpline["locale"], helpline["is_fallback"]) == (site.hl_247.pk, "nl", True)
    citation = api.json(f"/citations/{site.cit_lanzarote.pk}/", locale="de")
    assert (citation["id"], citation["locale"], citation["is_fallback"]) == (
        site.cit_lanzarote.pk,
        "nl",
        True,
    )

    # An existing translation is no fallback, even when the page itself is not translated.
    english = api.json("/campaigns/schat-je-schatje/", locale="en")
    assert (english["id"], english["locale"], english["is_fallback"]) == (site.campaign_en.pk, "en", False)
    assert [(f["locale"], f["is_fallback"]) for f in english["faqs"]] == [("nl", True)]


def test_missing_translation_falls_back_to_dutch_in_lists(site, api):
    def served(path):
        return [
            (item["id"], item["locale"], item["is_fallback"])
            for item in api.json(path, locale="de")["results"]
        ]

    assert served("/faqs/") == [(site.faq.pk, "nl", True)]
    assert served("/campaigns/") == [(site.campaign.pk, "nl", True)]
    assert served("/helplines/") == [(site.hl_247.pk, "nl", True), (site.hl_office.pk, "nl", True)]
    assert served("/citations/") == [(site.cit_report.pk, "nl", True), (site.cit_lanzarote.pk, "nl", True)]
    assert [
        (r["faq"]["locale"], r["faq"]["is_fallback"])
        for r in api.json("/search/", q="116000", locale="de")["results"]
    ] == [("nl", True)]
    # In English: the translated citation is no fallback, the untranslated one is.
    english = api.json("/citations/", locale="en")["results"]
    assert [(c["title"], c["locale"], c["is_fallback"]) for c in english] == [
        ("Jaarverslag 2024", "nl", True),
        ("Lanzarote Convention", "en", False),
    ]


def test_any_translations_slug_finds_the_page_in_the_requested_language(site, api):
    french = api.json("/faqs/veelgestelde-vragen/", locale="fr")
    assert (french["id"], french["slug"], french["locale"], french["is_fallback"]) == (
        site.faq_fr.pk,
        "questions-frequentes",
        "fr",
        False,
    )
    assert french["title"] == "Questions fréquentes"
    dutch = api.json("/faqs/questions-frequentes/", accept_language="nl")
    assert (dutch["id"], dutch["slug"], dutch["locale"]) == (site.faq.pk, "veelgestelde-vragen", "nl")
    by_header = api.json("/faqs/veelgestelde-vragen/", accept_language="fr-BE,fr;q=0.9")
    assert by_header["id"] == site.faq_fr.pk
    assert by_header["translations"] == french["translations"] == dutch["translations"]


def test_configured_fallback_chain(site, api, settings):
    site.content.translate_page(
        site.faq,
        "en",
        slug="frequently-asked-questions",
        title="Frequently asked questions",
    )
    assert api.json("/faqs/", locale="de")["results"][0]["locale"] == "nl"

    settings.BAKEN_LOCALE_FALLBACKS = {"de": ["en", "nl"]}
    faqs = api.json("/faqs/", locale="de")["results"]
    assert [(f["slug"], f["locale"], f["is_fallback"]) for f in faqs] == [
        ("frequently-asked-questions", "en", True)
    ]
    detail = api.json("/faqs/veelgestelde-vragen/", locale="de")
    assert (detail["slug"], detail["locale"], detail["is_fallback"]) == (
        "frequently-asked-questions",
        "en",
        True,
    )
    # Objects without an English translation continue down the chain to Dutch.
    assert [(c["title"], c["locale"]) for c in api.json("/citations/", locale="de")["results"]] == [
        ("Jaarverslag 2024", "nl"),
        ("Lanzarote Convention", "en"),
    ]
    assert [(h["slug"], h["locale"]) for h in api.json("/helplines/", locale="de")["results"]] == [
        ("child-focus-116000", "nl"),
        ("kantoor-lijn", "nl"),
    ]
    locales = {item["code"]: item["fallbacks"] for item in api.json("/locales/")["locales"]}
    assert locales == {"nl": [], "fr": ["nl"], "en": ["nl"], "de": ["en", "nl"]}
    # Other locales keep the default chain.
    assert api.json("/faqs/", locale="en")["results"][0]["locale"] == "en"
    assert api.json("/faqs/veelgestelde-vragen/", locale="fr")["locale"] == "fr"


def test_configured_fallbacks_ignore_unknown_locales(site, api, settings):
    settings.BAKEN_LOCALE_FALLBACKS = {"de": ["xx", "fr", "nl"]}
    locales = {item["code"]: item["fallbacks"] for item in api.json("/locales/")["locales"]}
    assert locales["de"] == ["fr", "nl"]
    assert [(f["slug"], f["locale"]) for f in api.json("/faqs/", locale="de")["results"]] == [
        ("questions-frequentes", "fr")
    ]


def test_error_messages_are_in_english_whatever_the_language(site, api):
    for accept in ("nl", "fr", "de"):
        body = assert_problem(api.get("/faqs/", limit="abc", accept_language=accept), 400, invalid={"limit"})
        assert body["invalid_params"][0]["reason"] == "A valid integer is required."
        assert body["title"] == "Bad Request"
        not_found = assert_problem(api.get("/faqs/bestaat-niet/", accept_language=accept), 404)
        assert not_found["detail"] == "Not found."


@pytest.mark.parametrize("locale", ["nl", "fr"])
def test_a_campaign_lists_an_faq_page_where_that_pages_served_translation_lives(site, api, locale):
    """The Dutch FAQ page moves to another campaign; its French translation stays. In French, the
    FAQ page served is the French one, under the first campaign: the campaign list, each campaign's
    detail, the FAQ's own detail and the campaign filter all say so (found by the feed's replay)."""
    from wagtail.models import Page

    other = site.content.campaign("tweede-campagne", "Tweede campagne")
    Page.objects.get(pk=site.faq.pk).move(other, pos="last-child")
    faq_detail = api.json("/faqs/veelgestelde-vragen/", locale=locale)
    where = {"nl": "tweede-campagne", "fr": "schat-je-schatje"}[locale]
    assert faq_detail["campaign"] == where
    listed = {
        c["slug"]: [f["id"] for f in c["faqs"]] for c in api.json("/campaigns/", locale=locale)["results"]
    }
    detailed = {
        slug: [f["id"] for f in api.json(f"/campaigns/{slug}/", locale=locale)["faqs"]] for slug in listed
    }
    assert listed == detailed
    assert {slug: ids for slug, ids in listed.items() if ids} == {where: [faq_detail["id"]]}
    for slug in listed:
        filtered = [f["id"] for f in api.json("/faqs/", campaign=slug, locale=locale)["results"]]
        assert filtered == listed[slug]
