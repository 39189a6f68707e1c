"""Every endpoint of the public read API v1, on the standard small site: shapes and exact values."""

import datetime as dt

import pytest

from cms.pages.models import FAQPage
from cms.search_index import maintenance as search_index
from tests.api.conftest import CSL_JSON, CSL_SCHEMA_PATH, REFERENCE_CSL_SCHEMA_PATH, at
from tests.content import question, section

TRANSLATIONS_OF_CAMPAIGN = [
    {"locale": "en", "slug": "schat-je-schatje"},
    {"locale": "fr", "slug": "schat-je-schatje"},
    {"locale": "nl", "slug": "schat-je-schatje"},
]
JSON_LD_ALL_DAYS = [
    f"https://schema.org/{day}"
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
]


def iso(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def helpline_247(site, *, locale="nl") -> dict:
    """The full expected representation of "child-focus-116000"."""
    row = site.hl_247 if locale == "nl" else site.hl_247_fr
    name = "Hulplijn 116000" if locale == "nl" else "Ligne d'aide 116000"
    description = "Beschrijving van Hulplijn 116000." if locale == "nl" else "Jour et nuit."
    label = "Bel gratis 116000" if locale == "nl" else "Appelez le 116000"
    return {
        "id": row.pk,
        "translation_key": str(row.translation_key),
        "locale": locale,
        "is_fallback": False,
        "translation_outdated": False,
        "slug": "child-focus-116000",
        "name": name,
        "organisation": "Child Focus",
        "description": description,
        "contact_points": [{"type": "phone", "value": "116000", "label": label, "href": "tel:116000"}],
        "is_free": True,
        "anonymous_possible": True,
        "availability": {"always_open": True, "time_zone": "Europe/Brussels", "opening_hours": []},
        "open_now": True,
        "languages": ["nl", "fr"],
        "area_served": "BE",
        "last_verified": None,
        "last_published_at": row.last_published_at,
        "structured_data": {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": "Child Focus",
            "contactPoint": [
                {
                    "@type": "ContactPoint",
                    "name": label,
                    "contactType": name,
                    "description": description,
                    "areaServed": "BE",
                    "availableLanguage": ["nl", "fr"],
                    "telephone": "116000",
                    "contactOption": "https://schema.org/TollFree",
                    "hoursAvailable": [
                        {
                            "@type": "OpeningHoursSpecification",
                            "dayOfWeek": JSON_LD_ALL_DAYS,
                            "opens": "00:00",
                            "closes": "23:59",
                        }
                    ],
                }
            ],
        },
    }


def faq_summary(site) -> dict:
    """The full expected list item of "veelgestelde-vragen" (nl)."""
    return {
        "id": site.faq.pk,
        "translation_key": str(site.faq.translation_key),
        "locale": "nl",
        "is_fallback": False,
        "translation_outdated": False,
        "title": "Veelgestelde vragen",
        "slug": "veelgestelde-vragen",
        "campaign": "schat-je-schatje",
        "question_count": 3,
        "last_published_at": site.faq.last_published_at,
    }


def second_faq(site) -> FAQPage:
    """A second campaign, "tweede-campagne", with its FAQ "tweede-faq" (one question)."""
    other = site.content.campaign("tweede-campagne", "Tweede campagne")
    return site.content.faq(
        other, "tweede-faq", "Tweede FAQ", sections=[section("S", question("V?", "<p>A</p>", anchor="v"))]
    )


def normalise(body: dict) -> dict:
    """Datetimes as datetime objects, so they compare with model values whatever the offset."""
    body = dict(body)
    if body.get("last_published_at"):
        body["last_published_at"] = iso(body["last_published_at"])
    return body


# --- index and locales ---------------------------------------------------------------------------


def test_index_lists_every_endpoint(db, api):
    body = api.json("/")
    base = "http://testserver/api/v1"
    assert body == {
        "endpoints": {
            "locales": f"{base}/locales/",
            "campaigns": f"{base}/campaigns/",
            "faqs": f"{base}/faqs/",
            "helplines": f"{base}/helplines/",
            "citations": f"{base}/citations/",
            "search": f"{base}/search/",
            "changes": f"{base}/changes/",
            "schema": f"{base}/schema/",
            "docs": f"{base}/docs/",
            "schemas": f"{base}/schemas/",
        }
    }


def test_locales_lists_codes_default_and_fallback_chains(db, api):
    assert api.json("/locales/") == {
        "default": "nl",
        "locales": [
            {"code": "nl", "name": "Nederlands", "is_default": True, "fallbacks": []},
            {"code": "fr", "name": "français", "is_default": False, "fallbacks": ["nl"]},
            {"code": "en", "name": "English", "is_default": False, "fallbacks": ["nl"]},
            {"code": "de", "name": "Deutsch", "is_default": False, "fallbacks": ["nl"]},
        ],
    }


def test_schema_and_docs_are_served(db, client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert schema.json()["openapi"] == "3.1.0"
    assert client.get("/api/v1/docs/").status_code == 200


# --- campaigns -----------------------------------------------------------------------------------


def test_campaign_list_and_detail(site, api):
    with at("2026-01-05T10:00:00+01:00"):
        listed = api.json("/campaigns/")
        detail = api.json("/campaigns/schat-je-schatje/")
    assert listed["count"] == 1
    assert listed["next"] is None and listed["previous"] is None
    assert listed["results"] == [detail]
    assert {key: detail[key] for key in ("id", "translation_key", "locale", "is_fallback")} == {
        "id": site.campaign.pk,
        "translation_key": str(site.campaign.translation_key),
        "locale": "nl",
        "is_fallback": False,
    }
    assert detail["name"] == "Schat je schatje"
    assert detail["slug"] == "schat-je-schatje"
    assert detail["summary"] == "Een campagne van Child Focus."
    assert detail["key_dates"] == [
        {
            "date": "2015-11-18",
            "label": "Europese dag",
            "recurs_annually": True,
            "next_occurrence": "2026-11-18",
        }
    ]
    assert [normalise(faq) for faq in detail["faqs"]] == [faq_summary(site)]
    assert next(normalise(h) for h in detail["helplines"]) == helpline_247(site)
    assert [h["slug"] for h in detail["helplines"]] == ["child-focus-116000", "kantoor-lijn"]
    assert detail["translations"] == TRANSLATIONS_OF_CAMPAIGN
    assert iso(detail["last_published_at"]) == site.campaign.last_published_at


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-11-18T12:00:00+01:00", "2026-11-18"),  # the day itself
        ("2026-11-18T23:30:00+00:00", "2027-11-18"),  # already the 19th in Brussels
        ("2026-11-19T08:00:00+01:00", "2027-11-18"),
    ],
)
def test_campaign_key_date_next_occurrence_uses_brussels_date(site, api, moment, expected):
    with at(moment):
        body = api.json("/campaigns/schat-je-schatje/")
    assert body["key_dates"][0]["next_occurrence"] == expected


def test_campaign_one_off_key_date_in_the_past_has_no_next_occurrence(site, api):
    from cms.pages.models import CampaignKeyDate

    site.campaign.key_dates = [
        CampaignKeyDate(date=dt.date(2015, 11, 18), label="Europese dag", recurs_annually=True),
        CampaignKeyDate(date=dt.date(2020, 2, 29), label="Eenmalig", recurs_annually=False),
        CampaignKeyDate(date=dt.date(2016, 2, 29), label="Schrikkeldag", recurs_annually=True),
    ]
    site.campaign.save_revision().publish()
    with at("2026-01-05T10:00:00+01:00"):
        body = api.json("/campaigns/schat-je-schatje/")
    assert [(k["label"], k["next_occurrence"]) for k in body["key_dates"]] == [
        ("Europese dag", "2026-11-18"),
        ("Eenmalig", None),
        ("Schrikkeldag", "2026-03-01"),
    ]


def test_campaign_in_french(site, api):
    body = api.json("/campaigns/schat-je-schatje/", locale="fr")
    assert (body["id"], body["locale"], body["is_fallback"]) == (site.campaign_fr.pk, "fr", False)
    assert body["summary"] == "Une campagne de Child Focus."
    assert [(f["slug"], f["locale"], f["is_fallback"], f["campaign"]) for f in body["faqs"]] == [
        ("questions-frequentes", "fr", False, "schat-je-schatje")
    ]
    assert [(h["slug"], h["locale"], h["is_fallback"], h["name"]) for h in body["helplines"]] == [
        ("child-focus-116000", "fr", False, "Ligne d'aide 116000"),
        ("kantoor-lijn", "nl", True, "Kantoorlijn"),
    ]
    assert body["translations"] == TRANSLATIONS_OF_CAMPAIGN


# --- FAQs ----------------------------------------------------------------------------------------


def test_faq_list(site, api):
    body = api.json("/faqs/")
    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    assert [normalise(item) for item in body["results"]] == [faq_summary(site)]


def test_faq_detail(site, api):
    body = api.json("/faqs/veelgestelde-vragen/")
    assert normalise(
        {
            k: body[k]
            for k in (
                "id",
                "translation_key",
                "locale",
                "is_fallback",
                "translation_outdated",
                "title",
                "slug",
                "campaign",
                "question_count",
                "last_published_at",
                "intro",
                "translations",
            )
        }
    ) == {
        **faq_summary(site),
        "intro": {"html": "<p>Alles over de campagne.</p>", "text": "Alles over de campagne."},
        "translations": [
            {"locale": "fr", "slug": "questions-frequentes"},
            {"locale": "nl", "slug": "veelgestelde-vragen"},
        ],
    }
    assert [s["heading"] for s in body["sections"]] == ["Over de campagne", "Hulp"]
    questions = [q for s in body["sections"] for q in s["questions"]]
    assert [(q["anchor"], q["question"]) for q in questions] == [
        ("waarom-nu", "Waarom nu?"),
        ("beelden-verwijderen", "Kan ik de beelden verwijderen?"),
        ("melden", "Wat als ik iets wil melden?"),
    ]
    assert [q["answer"] for q in questions] == [
        {
            "html": "<p>Op <b>18 november</b> is het de Europese dag.</p>",
            "text": "Op 18 november is het de Europese dag.",
        },
        {
            "html": '<p>Ja, meld ze via <a href="https://www.stopchildporno.be" rel="noopener noreferrer">'
            "stopchildporno.be</a>.</p>",
            "text": "Ja, meld ze via stopchildporno.be.",
        },
        {"html": "<ul><li>Bel 116000</li><li>Mail ons</li></ul>", "text": "- Bel 116000\n- Mail ons"},
    ]
    # Help-lines and citations expanded inline, in full.
    assert [[h["slug"] for h in q["helplines"]] for q in questions] == [
        [],
        [],
        ["child-focus-116000", "kantoor-lijn"],
    ]
    assert normalise(questions[2]["helplines"][0]) == helpline_247(site)
    assert [[c["id"] for c in q["citations"]] for q in questions] == [[site.cit_lanzarote.pk], [], []]
    assert normalise(questions[0]["citations"][0]) == {
        "id": site.cit_lanzarote.pk,
        "translation_key": str(site.cit_lanzarote.translation_key),
        "locale": "nl",
        "is_fallback": False,
        "translation_outdated": False,
        "title": "Verdrag van Lanzarote",
        "authors": [],
        "organisation": "Council of Europe",
        "publisher": "Council of Europe",
        "url": "https://www.coe.int/lanzarote",
        "publication_date": "2007-10-25",
        "accessed_date": None,
        "type": "legislation",
        "language": "en",
        "notes": {"html": "", "text": ""},
        "last_published_at": site.cit_lanzarote.last_published_at,
    }
    assert body["structured_data"] == {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "name": "Veelgestelde vragen",
        "inLanguage": "nl",
        "mainEntity": [
            {
                "@type": "Question",
                "name": q["question"],
                "inLanguage": "nl",
                "acceptedAnswer": {"@type": "Answer", "text": q["answer"]["html"], "inLanguage": "nl"},
            }
            for q in questions
        ],
    }


def test_faq_detail_in_french_expands_french_snippets_and_falls_back_per_snippet(site, api):
    body = api.json("/faqs/questions-frequentes/", locale="fr")
    assert (body["id"], body["locale"], body["is_fallback"], body["title"]) == (
        site.faq_fr.pk,
        "fr",
        False,
        "Questions fréquentes",
    )
    assert body["structured_data"]["inLanguage"] == "fr"
    assert {q["inLanguage"] for q in body["structured_data"]["mainEntity"]} == {"fr"}
    questions = [q for s in body["sections"] for q in s["questions"]]
    assert [q["anchor"] for q in questions] == ["waarom-nu", "beelden-verwijderen", "melden"]
    assert questions[0]["question"] == "Pourquoi maintenant ?"
    assert [(c["id"], c["locale"], c["title"]) for c in questions[0]["citations"]] == [
        (site.cit_lanzarote_fr.pk, "fr", "Convention de Lanzarote")
    ]
    assert [(h["slug"], h["locale"], h["is_fallback"]) for h in questions[2]["helplines"]] == [
        ("child-focus-116000", "fr", False),
        ("kantoor-lijn", "nl", True),
    ]
    assert questions[2]["helplines"][0]["contact_points"] == [
        {"type": "phone", "value": "116000", "label": "Appelez le 116000", "href": "tel:116000"}
    ]


def test_faq_answers_are_sanitised_and_internal_links_resolved(site, api):
    site.faq.body = [
        section(
            "Links",
            question(
                "Waar vind ik de campagne?",
                f'<p>Zie <a linktype="page" id="{site.campaign.pk}">de campagne</a>.</p>'
                '<script>alert("x")</script><p onclick="evil()">Klik <i>hier</i></p>'
                '<p><a href="javascript:alert(1)">niet</a></p>',
                anchor="waar",
            ),
        )
    ]
    site.faq.save_revision().publish()
    body = api.json("/faqs/veelgestelde-vragen/")
    answer = body["sections"][0]["questions"][0]["answer"]
    assert answer["html"] == (
        '<p>Zie <a href="/schat-je-schatje/" rel="noopener noreferrer">de campagne</a>.</p>'
        "<p>Klik <i>hier</i></p>"
        '<p><a rel="noopener noreferrer">niet</a></p>'
    )
    assert answer["text"] == "Zie de campagne (/schat-je-schatje/).\n\nKlik hier\n\nniet"


def test_faq_list_filtered_by_campaign(site, api):
    second_faq(site)
    assert [f["slug"] for f in api.json("/faqs/")["results"]] == ["veelgestelde-vragen", "tweede-faq"]
    assert [f["slug"] for f in api.json("/faqs/", campaign="schat-je-schatje")["results"]] == [
        "veelgestelde-vragen"
    ]
    body = api.json("/faqs/", campaign="tweede-campagne")
    assert (body["count"], [(f["slug"], f["campaign"]) for f in body["results"]]) == (
        1,
        [("tweede-faq", "tweede-campagne")],
    )
    assert api.json("/faqs/", campaign="bestaat-niet") == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }
    # Any translation's slug selects the campaign; FAQs come in the requested language.
    assert [
        (f["slug"], f["locale"])
        for f in api.json("/faqs/", campaign="schat-je-schatje", locale="fr")["results"]
    ] == [("questions-frequentes", "fr")]


def test_faq_list_updated_since(site, api):
    second = second_faq(site)
    FAQPage.objects.filter(pk=site.faq.pk).update(
        last_published_at=dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC)
    )
    # 23:30 UTC on 28 February is already 1 March in Brussels.
    FAQPage.objects.filter(pk=second.pk).update(
        last_published_at=dt.datetime(2026, 2, 28, 23, 30, tzinfo=dt.UTC)
    )

    def slugs(**params):
        return [f["slug"] for f in api.json("/faqs/", **params)["results"]]

    assert slugs(updated_since="2026-01-01") == ["veelgestelde-vragen", "tweede-faq"]
    assert slugs(updated_since="2026-01-11") == ["tweede-faq"]
    assert slugs(updated_since="2026-03-01") == ["tweede-faq"]  # midnight in Brussels
    assert slugs(updated_since="2026-03-02") == []
    assert slugs(updated_since="2026-02-28T23:30:00Z") == ["tweede-faq"]  # inclusive
    assert slugs(updated_since="2026-02-28T23:30:01Z") == []
    assert slugs(updated_since="2026-03-01T00:30:00+01:00") == ["tweede-faq"]
    assert slugs(updated_since="2026-02-28T23:30:00") == ["tweede-faq"]  # no offset: UTC
    assert slugs(updated_since="2026-01-11", campaign="schat-je-schatje") == []
    assert api.json("/faqs/", updated_since="2026-01-11")["count"] == 1


# --- help-lines ----------------------------------------------------------------------------------


def test_helpline_list_and_detail(site, api):
    with at("2026-01-05T10:00:00+01:00"):  # a Monday morning
        listed = api.json("/helplines/")
        detail = api.json("/helplines/child-focus-116000/")
        office = api.json("/helplines/kantoor-lijn/")
    assert listed["count"] == 2
    assert [h["slug"] for h in listed["results"]] == ["child-focus-116000", "kantoor-lijn"]
    assert listed["results"] == [detail, office]
    assert normalise(detail) == helpline_247(site)
    assert normalise(office) == {
        "id": site.hl_office.pk,
        "translation_key": str(site.hl_office.translation_key),
        "locale": "nl",
        "is_fallback": False,
        "translation_outdated": False,
        "slug": "kantoor-lijn",
        "name": "Kantoorlijn",
        "organisation": "Child Focus",
        "description": "Beschrijving van Kantoorlijn.",
        "contact_points": [
            {
                "type": "phone",
                "value": "+3224754411",
                "label": "Bel ons tijdens de kantooruren",
                "href": "tel:+3224754411",
            },
            {
                "type": "email",
                "value": "hulp@example.org",
                "label": "Mail ons",
                "href": "mailto:hulp@example.org",
            },
        ],
        "is_free": True,
        "anonymous_possible": False,
        "availability": {
            "always_open": False,
            "time_zone": "Europe/Brussels",
            "opening_hours": [
                {"day": day, "opens": "09:00", "closes": "17:00"}
                for day in ("monday", "tuesday", "wednesday", "thursday", "friday")
            ],
        },
        "open_now": True,
        "languages": ["nl", "fr"],
        "area_served": "BE",
        "last_verified": None,
        "last_published_at": site.hl_office.last_published_at,
        "structured_data": {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": "Child Focus",
            "contactPoint": [
                {
                    "@type": "ContactPoint",
                    "name": "Bel ons tijdens de kantooruren",
                    "contactType": "Kantoorlijn",
                    "description": "Beschrijving van Kantoorlijn.",
                    "areaServed": "BE",
                    "availableLanguage": ["nl", "fr"],
                    "telephone": "+3224754411",
                    "contactOption": "https://schema.org/TollFree",
                    # The same hours as `availability`, in the same HH:MM strings.
                    "hoursAvailable": [
                        {
                            "@type": "OpeningHoursSpecification",
                            "dayOfWeek": f"https://schema.org/{day}",
                            "opens": "09:00",
                            "closes": "17:00",
                        }
                        for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
                    ],
                },
                {
                    # An e-mail address: no TollFree, no hours (it takes messages at any time).
                    "@type": "ContactPoint",
                    "name": "Mail ons",
                    "contactType": "Kantoorlijn",
                    "description": "Beschrijving van Kantoorlijn.",
                    "areaServed": "BE",
                    "availableLanguage": ["nl", "fr"],
                    "email": "hulp@example.org",
                },
            ],
        },
    }


@pytest.mark.parametrize(
    ("moment", "open_now"),
    [
        ("2026-01-05T10:00:00+01:00", True),  # Monday 10:00 in Brussels
        ("2026-01-05T09:00:00+01:00", True),  # opening time is inclusive
        ("2026-01-05T08:59:59+01:00", False),
        ("2026-01-05T16:59:59+01:00", True),
        ("2026-01-05T17:00:00+01:00", False),  # closing time is exclusive
        ("2026-01-10T12:00:00+01:00", False),  # Saturday
        ("2026-01-05T08:30:00+00:00", True),  # 09:30 in Brussels (UTC+1)
        ("2026-07-06T07:30:00+00:00", True),  # 09:30 in Brussels (summer time, UTC+2)
        ("2026-07-06T06:30:00+00:00", False),  # 08:30 in Brussels
        ("2026-07-06T15:30:00+00:00", False),  # 17:30 in Brussels
    ],
)
def test_helpline_open_now_follows_opening_hours_in_brussels(site, api, moment, open_now):
    with at(moment):
        office = api.json("/helplines/kantoor-lijn/")
        always = api.json("/helplines/child-focus-116000/")
        listed = {h["slug"]: h["open_now"] for h in api.json("/helplines/")["results"]}
        in_faq = api.json("/faqs/veelgestelde-vragen/")["sections"][1]["questions"][0]["helplines"]
    assert office["open_now"] is open_now
    assert always["open_now"] is True
    assert listed == {"child-focus-116000": True, "kantoor-lijn": open_now}
    assert {h["slug"]: h["open_now"] for h in in_faq} == listed


def test_helpline_open_now_uses_its_own_time_zone(site, api):
    site.content.helpline(
        "new-york-line",
        "New York line",
        available_24_7=False,
        time_zone="America/New_York",
        hours=[(0, "09:00", "17:00")],
    )
    with at("2026-01-05T15:00:00+00:00"):  # Monday 10:00 in New York, 16:00 in Brussels
        assert api.json("/helplines/new-york-line/")["open_now"] is True
    with at("2026-01-05T10:00:00+00:00"):  # Monday 05:00 in New York
        assert api.json("/helplines/new-york-line/")["open_now"] is False


def test_helpline_detail_in_french_and_the_same_slug_in_every_language(site, api):
    body = api.json("/helplines/child-focus-116000/", locale="fr")
    assert normalise(body) == helpline_247(site, locale="fr")
    fallback = api.json("/helplines/kantoor-lijn/", locale="fr")
    assert (fallback["id"], fallback["locale"], fallback["is_fallback"]) == (site.hl_office.pk, "nl", True)


# --- citations -----------------------------------------------------------------------------------


def test_citation_list_and_detail(site, api):
    listed = api.json("/citations/")
    assert listed["count"] == 2
    assert [c["title"] for c in listed["results"]] == ["Jaarverslag 2024", "Verdrag van Lanzarote"]
    report = api.json(f"/citations/{site.cit_report.pk}/")
    assert listed["results"][0] == report
    assert normalise(report) == {
        "id": site.cit_report.pk,
        "translation_key": str(site.cit_report.translation_key),
        "locale": "nl",
        "is_fallback": False,
        "translation_outdated": False,
        "title": "Jaarverslag 2024",
        "authors": ["Janssens, Piet", "Peeters, An"],
        "organisation": "",
        "publisher": "Child Focus",
        "url": "https://www.childfocus.be/jaarverslag-2024",
        "publication_date": "2025-03-01",
        "accessed_date": "2025-06-02",
        "type": "report",
        "language": "nl",
        "notes": {"html": "<p>Zie <b>p. 12</b>.</p>", "text": "Zie p. 12."},
        "last_published_at": site.cit_report.last_published_at,
    }


def test_citation_detail_by_any_translations_id_is_served_in_the_requested_language(site, api):
    for pk in (site.cit_lanzarote.pk, site.cit_lanzarote_fr.pk, site.cit_lanzarote_en.pk):
        body = api.json(f"/citations/{pk}/", locale="fr")
        assert (body["id"], body["locale"], body["title"]) == (
            site.cit_lanzarote_fr.pk,
            "fr",
            "Convention de Lanzarote",
        )
        assert api.json(f"/citations/{pk}/", locale="nl")["id"] == site.cit_lanzarote.pk
    fr_list = api.json("/citations/", locale="fr")["results"]
    assert [(c["title"], c["locale"], c["is_fallback"]) for c in fr_list] == [
        ("Convention de Lanzarote", "fr", False),
        ("Jaarverslag 2024", "nl", True),
    ]


def test_citations_as_csl_json(site, api, csl_validator):
    response = api.get("/citations/", format="csl")
    assert response.status_code == 200
    assert response["Content-Type"] == CSL_JSON
    body = response.json()
    csl_validator.validate(body)
    assert body == [
        {
            "id": f"baken-citation-{site.cit_report.translation_key}",
            "type": "report",
            "title": "Jaarverslag 2024",
            "language": "nl",
            "author": [{"family": "Janssens", "given": "Piet"}, {"family": "Peeters", "given": "An"}],
            "publisher": "Child Focus",
            "URL": "https://www.childfocus.be/jaarverslag-2024",
            "issued": {"date-parts": [[2025, 3, 1]]},
            "accessed": {"date-parts": [[2025, 6, 2]]},
            "note": "Zie p. 12.",
        },
        {
            "id": f"baken-citation-{site.cit_lanzarote.translation_key}",
            "type": "legislation",
            "title": "Verdrag van Lanzarote",
            # The title served is Dutch; the source (language "en") keeps its own title.
            "language": "nl",
            "original-title": "Lanzarote Convention",
            "author": [{"literal": "Council of Europe"}],
            "publisher": "Council of Europe",
            "URL": "https://www.coe.int/lanzarote",
            "issued": {"date-parts": [[2007, 10, 25]]},
        },
    ]
    detail = api.get(f"/citations/{site.cit_lanzarote.pk}/", format="csl", locale="fr")
    assert detail.status_code == 200
    assert detail["Content-Type"] == CSL_JSON
    csl_validator.validate(detail.json())
    assert [item["title"] for item in detail.json()] == ["Convention de Lanzarote"]
    assert api.get("/citations/", format="json").json()["count"] == 2


def test_csl_ids_are_one_per_source_in_every_locale_and_language_is_the_titles(site, api, csl_validator):
    by_locale = {}
    for locale in ("nl", "fr", "en", "de"):
        body = api.json(f"/citations/{site.cit_lanzarote.pk}/", format="csl", locale=locale)
        csl_validator.validate(body)
        [item] = body
        by_locale[locale] = (item["id"], item["title"], item["language"], item.get("original-title"))
    key = f"baken-citation-{site.cit_lanzarote.translation_key}"
    assert by_locale == {
        "nl": (key, "Verdrag van Lanzarote", "nl", "Lanzarote Convention"),
        "fr": (key, "Convention de Lanzarote", "fr", "Lanzarote Convention"),
        # The English translation is the source's own language: no original title to add.
        "en": (key, "Lanzarote Convention", "en", None),
        "de": (key, "Verdrag van Lanzarote", "nl", "Lanzarote Convention"),  # German falls back to Dutch
    }


def test_a_translation_that_kept_the_original_title_is_in_the_sources_language(site, api, content):
    report = content.citation("Global Threat Assessment 2023", organisation="WeProtect", language="en")
    content.translate_snippet(report, "en", title="Global Threat Assessment 2023")
    [item] = api.json(f"/citations/{report.pk}/", format="csl", locale="nl")
    assert (item["title"], item["language"], "original-title" in item) == (
        "Global Threat Assessment 2023",
        "en",
        False,
    )


def test_csl_by_accept_header(site, api, csl_validator):
    csl_type = "application/vnd.citationstyles.csl+json"
    listed = api.get("/citations/", accept=csl_type)
    assert (listed.status_code, listed["Content-Type"]) == (200, csl_type)
    csl_validator.validate(listed.json())
    assert listed.json() == api.get("/citations/", format="csl").json()
    detail = api.get(f"/citations/{site.cit_report.pk}/", accept=f"{csl_type}, application/json;q=0.5")
    assert (detail.status_code, detail["Content-Type"]) == (200, csl_type)
    assert detail.json()[0]["id"] == f"baken-citation-{site.cit_report.translation_key}"
    # Both allowed equally, or any type: Baken's JSON, and every answer varies by Accept.
    for accept in ("*/*", "application/json", f"application/json, {csl_type}"):
        response = api.get("/citations/", accept=accept)
        assert (response.status_code, response["Content-Type"]) == (200, "application/json"), accept
        assert "count" in response.json()
        assert "Accept" in [value.strip() for value in response["Vary"].split(",")]
    assert "Accept" in [value.strip() for value in listed["Vary"].split(",")]
    refused = api.get("/citations/", accept="text/html")
    assert (refused.status_code, refused["Content-Type"]) == (406, "application/problem+json")
    # Other endpoints have no CSL representation.
    assert api.get("/helplines/", accept=csl_type).status_code == 406


def test_every_citation_type_is_valid_csl(site, api, csl_validator):
    for kind in ("article", "dataset", "investigative_journalism", "web_page"):
        site.content.citation(f"Bron {kind}", citation_type=kind, authors="Dupont, Marie\nUNICEF")
    body = api.json("/citations/", format="csl", limit=100)
    csl_validator.validate(body)
    assert sorted(item["type"] for item in body) == [
        "article",
        "article-newspaper",
        "dataset",
        "legislation",
        "report",
        "webpage",
    ]
    article = next(item for item in body if item["title"] == "Bron article")
    assert article["author"] == [{"family": "Dupont", "given": "Marie"}, {"literal": "UNICEF"}]


# --- search --------------------------------------------------------------------------------------


def test_search_in_questions_and_answers(site, api):
    body = api.json("/search/", q="meld")
    faq = {
        "id": site.faq.pk,
        "slug": "veelgestelde-vragen",
        "title": "Veelgestelde vragen",
        "locale": "nl",
        "is_fallback": False,
        "translation_outdated": False,
    }
    assert body == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [
            {
                "faq": faq,
                "anchor": "melden",
                "question": "Wat als ik iets wil melden?",
                "excerpt": "- Bel 116000\n- Mail ons",
                "excerpt_html": "- Bel 116000\n- Mail ons",
                "score": 2.0,
            },
            {
                "faq": faq,
                "anchor": "beelden-verwijderen",
                "question": "Kan ik de beelden verwijderen?",
                "excerpt": "Ja, meld ze via stopchildporno.be.",
                "excerpt_html": "Ja, <mark>meld</mark> ze via stopchildporno.be.",
                "score": 1.0,
            },
        ],
    }


def test_search_ignores_accents_and_case_and_uses_the_requested_language(site, api):
    body = api.json("/search/", q="EUROPEENNE", locale="fr")
    assert [(r["faq"]["slug"], r["faq"]["locale"], r["anchor"]) for r in body["results"]] == [
        ("questions-frequentes", "fr", "waarom-nu")
    ]
    assert body["results"][0]["excerpt"] == "Le 18 novembre est la journée européenne."
    fallback = api.json("/search/", q="116000", locale="de")
    assert [(r["faq"]["slug"], r["faq"]["locale"], r["faq"]["is_fallback"]) for r in fallback["results"]] == [
        ("veelgestelde-vragen", "nl", True)
    ]
    assert api.json("/search/", q="onvindbaarwoord")["count"] == 0


def test_query_budget(site, api, django_assert_max_num_queries):
    """A ceiling per request (tests/api/test_query_counts.py checks it does not grow with content)."""
    # Indexing is paid once per change, by the first search after it, not per request.
    search_index.ensure_current()
    for path, params in [
        ("/faqs/veelgestelde-vragen/", {}),
        ("/faqs/", {"locale": "de"}),
        ("/campaigns/", {"locale": "fr"}),
        ("/helplines/", {}),
        ("/citations/", {"format": "csl"}),
        ("/search/", {"q": "meld"}),
    ]:
        with django_assert_max_num_queries(20):
            assert api.get(path, params).status_code == 200


@pytest.mark.skipif(not REFERENCE_CSL_SCHEMA_PATH.is_file(), reason="no reference copy beside the repository")
def test_the_vendored_csl_schema_equals_the_reference_copy():
    assert CSL_SCHEMA_PATH.read_bytes() == REFERENCE_CSL_SCHEMA_PATH.read_bytes()
