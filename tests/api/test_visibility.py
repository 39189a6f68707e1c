"""Only live, published, public content ever leaves the API.

Each case below adds one thing that must stay hidden (a draft, an unpublished or expired page, a
page behind a view restriction, a draft revision, a non-live snippet …), marked with the word
MARKER in its title, slug, question, answer or contact data. The whole API is then walked in
every locale: the marker must appear in no response (lists, details, expansions, translation
links, JSON-LD, CSL, search), counts must not change, and the hidden object's own URL is a 404.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.pages.models import CampaignPage, FAQPage
from cms.snippets.models import ContactPoint, HelpLine, SourceCitation
from tests.api.conftest import LOCALES, assert_problem, at, body_text
from tests.content import publish, question, section
from tests.users import logged_in, make_user

MARKER = "zwartgeheim"
SECRET_PHONE = "+3225559999"
PUBLIC_COUNTS = {"/campaigns/": 1, "/faqs/": 1, "/helplines/": 2, "/citations/": 2}


def past() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=1)


def future() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=7)


def secret_sections():
    return [
        section(
            f"Sectie {MARKER}",
            question(f"Wat is {MARKER}?", f"<p>Het antwoord is {MARKER}.</p>", anchor=f"{MARKER}-vraag"),
        )
    ]


def secret_faq(site, parent=None, **kwargs) -> FAQPage:
    return site.content.faq(
        parent or site.campaign, f"{MARKER}-faq", f"FAQ {MARKER}", sections=secret_sections(), **kwargs
    )


def secret_campaign(site, **kwargs) -> CampaignPage:
    return site.content.campaign(f"{MARKER}-campagne", f"Campagne {MARKER}", summary=MARKER, **kwargs)


def expire(obj) -> None:
    """Expired, but still flagged live (the scheduler has not run yet)."""
    type(obj).objects.filter(pk=obj.pk).update(expire_at=past())


def schedule(obj):
    """A never-published object whose publication is scheduled for next week."""
    obj.go_live_at = future()
    obj.save_revision().publish()
    obj.refresh_from_db()
    assert not obj.live and obj.go_live_at > timezone.now()
    return obj


def restrict(page, kind: str) -> None:
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password="geheim" if kind == "password" else ""
    )
    if kind == "groups":
        restriction.groups.add(Group.objects.get_or_create(name="Redactie")[0])


def secret_helpline(site, **kwargs) -> HelpLine:
    return site.content.helpline(
        f"{MARKER}-lijn",
        f"Lijn {MARKER}",
        points=(("phone", SECRET_PHONE, f"Bel {MARKER}"),),
        **kwargs,
    )


def secret_citation(site, **kwargs) -> SourceCitation:
    return site.content.citation(f"Bron {MARKER}", url=f"https://example.org/{MARKER}", **kwargs)


def attach_helpline(site, helpline) -> None:
    """Link the help-line from a question of the public FAQ and from the public campaign."""
    site.republish_faq(extra_helplines=[helpline])
    site.republish_campaign([site.hl_247, site.hl_office, helpline])


def attach_citation(site, citation) -> None:
    site.republish_faq(extra_citations=[citation])


# --- the cases: each returns the URLs that must be 404 ------------------------------------------


def draft_faq(site):
    secret_faq(site, live=False)
    return [f"/faqs/{MARKER}-faq/"]


def unpublished_faq(site):
    secret_faq(site).unpublish()
    return [f"/faqs/{MARKER}-faq/"]


def scheduled_faq(site):
    schedule(secret_faq(site, live=False))
    return [f"/faqs/{MARKER}-faq/"]


def expired_faq(site):
    expire(secret_faq(site))
    return [f"/faqs/{MARKER}-faq/"]


def restricted_faqs(site):
    """One FAQ page per kind of view restriction: shared password, any login, certain groups."""
    missing = []
    for kind in ("password", "login", "groups"):
        page = site.content.faq(
            site.campaign, f"{MARKER}-{kind}", f"FAQ {MARKER} {kind}", sections=secret_sections()
        )
        restrict(page, kind)
        missing.append(f"/faqs/{MARKER}-{kind}/")
    return missing


def faqs_below_restricted_campaigns(site):
    """View restrictions on an ancestor: the campaigns and every FAQ below them are hidden."""
    missing = []
    for kind in ("password", "login", "groups"):
        campaign = site.content.campaign(f"{MARKER}-{kind}-campagne", f"Campagne {MARKER}", summary=MARKER)
        site.content.faq(campaign, f"{MARKER}-{kind}-faq", f"FAQ {MARKER}", sections=secret_sections())
        restrict(campaign, kind)
        missing += [f"/faqs/{MARKER}-{kind}-faq/", f"/campaigns/{MARKER}-{kind}-campagne/"]
    return missing


def live_faq_below_unpublished_campaign(site):
    campaign = secret_campaign(site)
    faq = secret_faq(site, campaign)
    campaign.unpublish()
    assert FAQPage.objects.get(pk=faq.pk).live
    return [f"/faqs/{MARKER}-faq/", f"/campaigns/{MARKER}-campagne/"]


def live_faq_below_draft_campaign(site):
    campaign = secret_campaign(site, live=False)
    secret_faq(site, campaign)
    return [f"/faqs/{MARKER}-faq/", f"/campaigns/{MARKER}-campagne/"]


def live_faq_below_expired_campaign(site):
    campaign = secret_campaign(site)
    secret_faq(site, campaign)
    expire(campaign)
    return [f"/faqs/{MARKER}-faq/", f"/campaigns/{MARKER}-campagne/"]


def live_faq_below_scheduled_campaign(site):
    campaign = schedule(secret_campaign(site, live=False))
    secret_faq(site, campaign)
    return [f"/faqs/{MARKER}-faq/", f"/campaigns/{MARKER}-campagne/"]


def draft_revision_of_live_faq(site):
    faq = site.faq
    faq.title = f"Titel {MARKER}"
    faq.intro = f"<p>{MARKER}</p>"
    faq.body = secret_sections()
    faq.save_revision()
    return [f"/faqs/{MARKER}-faq/"]


def scheduled_revision_of_live_faq(site):
    faq = site.faq
    faq.title = f"Titel {MARKER}"
    faq.body = secret_sections()
    faq.go_live_at = future()
    faq.save_revision().publish()
    return []


def draft_revision_of_live_campaign(site):
    campaign = site.campaign
    campaign.title = f"Campagne {MARKER}"
    campaign.summary = MARKER
    campaign.campaign_helplines = []
    campaign.save_revision()
    return []


def draft_translation_of_faq(site):
    site.content.translate_page(site.faq, "en", slug=f"{MARKER}-vertaling", title=MARKER, publish_it=False)
    return [f"/faqs/{MARKER}-vertaling/"]


def expired_translation_of_faq(site):
    page = site.content.translate_page(site.faq, "en", slug=f"{MARKER}-vertaling", title=MARKER)
    expire(page)
    return [f"/faqs/{MARKER}-vertaling/"]


def restricted_translation_of_faq(site):
    page = site.content.translate_page(site.faq, "en", slug=f"{MARKER}-vertaling", title=MARKER)
    restrict(page, "password")
    return [f"/faqs/{MARKER}-vertaling/"]


def unpublished_translation_of_faq(site):
    page = site.faq_fr
    page.slug, page.title = f"{MARKER}-vertaling", f"Questions {MARKER}"
    publish(page).unpublish()
    return [f"/faqs/{MARKER}-vertaling/"]


def link_to_draft_page_in_public_answer(site):
    hidden = secret_faq(site, live=False)
    site.faq.intro = f'<p>Lees <a linktype="page" id="{hidden.pk}">dit</a>.</p>'
    publish(site.faq)
    return [f"/faqs/{MARKER}-faq/"]


def snippet_cases(kind: str, secret, attach, url):
    """A secret snippet of one kind linked from the public content, then kept hidden four ways: a
    draft, unpublished, expired, scheduled; each case returns its URL (``url(snippet)``)."""

    def draft(site):
        snippet = secret(site, live=False)
        attach(site, snippet)
        return [url(snippet)]

    def unpublished(site):
        snippet = secret(site)
        attach(site, snippet)
        snippet.unpublish()
        return [url(snippet)]

    def expired(site):
        snippet = secret(site)
        attach(site, snippet)
        expire(snippet)
        return [url(snippet)]

    def scheduled(site):
        snippet = schedule(secret(site, live=False))
        attach(site, snippet)
        return [url(snippet)]

    cases = (draft, unpublished, expired, scheduled)
    for case in cases:
        case.__name__ = f"{case.__name__}_{kind}"
    return cases


draft_helpline, unpublished_helpline, expired_helpline, scheduled_helpline = snippet_cases(
    "helpline", secret_helpline, attach_helpline, lambda helpline: f"/helplines/{MARKER}-lijn/"
)


def draft_revision_of_live_helpline(site):
    helpline = site.hl_office
    helpline.name = f"Lijn {MARKER}"
    helpline.contact_points = [ContactPoint(contact_type="phone", value=SECRET_PHONE, label=f"Bel {MARKER}")]
    helpline.save_revision()
    return []


def draft_translation_of_helpline(site):
    site.content.translate_snippet(site.hl_office, "fr", name=f"Ligne {MARKER}", publish_it=False)
    return []


def unpublished_translation_of_helpline(site):
    translation = site.hl_247_fr
    translation.name = f"Ligne {MARKER}"
    publish(translation).unpublish()
    return []


draft_citation, unpublished_citation, expired_citation, scheduled_citation = snippet_cases(
    "citation", secret_citation, attach_citation, lambda citation: f"/citations/{citation.pk}/"
)


def draft_revision_of_live_citation(site):
    citation = site.cit_report
    citation.title = f"Bron {MARKER}"
    citation.notes = f"<p>{MARKER}</p>"
    citation.save_revision()
    return []


def draft_translation_of_citation(site):
    site.content.translate_snippet(site.cit_report, "fr", title=f"Source {MARKER}", publish_it=False)
    return []


CASES = [
    draft_faq,
    unpublished_faq,
    scheduled_faq,
    expired_faq,
    restricted_faqs,
    faqs_below_restricted_campaigns,
    live_faq_below_unpublished_campaign,
    live_faq_below_draft_campaign,
    live_faq_below_expired_campaign,
    live_faq_below_scheduled_campaign,
    draft_revision_of_live_faq,
    scheduled_revision_of_live_faq,
    draft_revision_of_live_campaign,
    draft_translation_of_faq,
    expired_translation_of_faq,
    restricted_translation_of_faq,
    unpublished_translation_of_faq,
    link_to_draft_page_in_public_answer,
    draft_helpline,
    unpublished_helpline,
    expired_helpline,
    scheduled_helpline,
    draft_revision_of_live_helpline,
    draft_translation_of_helpline,
    unpublished_translation_of_helpline,
    draft_citation,
    unpublished_citation,
    expired_citation,
    scheduled_citation,
    draft_revision_of_live_citation,
    draft_translation_of_citation,
]


# --- walking the API -------------------------------------------------------------------------------


def walk(api, locale: str) -> list[tuple[str, dict, object]]:
    """Every public response a client can reach from the lists, in one locale."""
    seen = []

    def get(path, **params):
        params = {"locale": locale, **params}
        response = api.get(path, params)
        seen.append((path, params, response))
        assert response.status_code == 200, (path, params, response.status_code, response.content[:300])
        return response.json()

    campaigns = get("/campaigns/", limit=100)["results"]
    for campaign in campaigns:
        get(f"/campaigns/{campaign['slug']}/")
        get("/faqs/", campaign=campaign["slug"], limit=100)
    for faq in get("/faqs/", limit=100)["results"]:
        get(f"/faqs/{faq['slug']}/")
    # Snippet details are the list items again; one fetch each in nl and fr is enough.
    details = locale in ("nl", "fr")
    for helpline in get("/helplines/", limit=100)["results"]:
        if details:
            get(f"/helplines/{helpline['slug']}/")
    for citation in get("/citations/", limit=100)["results"]:
        if details:
            get(f"/citations/{citation['id']}/")
    get("/citations/", format="csl", limit=100)
    get("/search/", q=f"{MARKER} 116000 meld waarom pourquoi signalez")
    return seen


def assert_nothing_leaks(api, *, locales=LOCALES, markers=(MARKER, SECRET_PHONE)) -> dict:
    """Walk everything in the locales; return the bodies by (path, sorted params)."""
    bodies = {}
    for locale in locales:
        for path, params, response in walk(api, locale):
            text = body_text(response)
            for marker in markers:
                assert marker.casefold() not in text, f"{marker} leaked in {path} {params}: {text[:400]}"
            body = response.json()
            bodies[(path, tuple(sorted(params.items())))] = body
            if path in PUBLIC_COUNTS and set(params) == {"locale", "limit"}:
                assert body["count"] == PUBLIC_COUNTS[path], (path, locale, body["count"])
                assert len(body["results"]) == body["count"]
            if path == "/search/":  # only the public questions match
                assert {r["anchor"] for r in body["results"]} == {
                    "waarom-nu",
                    "beelden-verwijderen",
                    "melden",
                }
    return bodies


def assert_public_content_unchanged(api, site) -> None:
    """The published nl FAQ, campaign and help-lines are served exactly as published."""
    faq = api.json("/faqs/veelgestelde-vragen/")
    assert faq["title"] == "Veelgestelde vragen"
    questions = [q for s in faq["sections"] for q in s["questions"]]
    assert [q["anchor"] for q in questions] == ["waarom-nu", "beelden-verwijderen", "melden"]
    assert questions[0]["answer"]["text"] == "Op 18 november is het de Europese dag."
    assert [h["slug"] for h in questions[2]["helplines"]] == ["child-focus-116000", "kantoor-lijn"]
    assert [c["id"] for c in questions[0]["citations"]] == [site.cit_lanzarote.pk]
    campaign = api.json("/campaigns/schat-je-schatje/")
    assert campaign["name"] == "Schat je schatje"
    assert [h["slug"] for h in campaign["helplines"]] == ["child-focus-116000", "kantoor-lijn"]
    assert [f["slug"] for f in campaign["faqs"]] == ["veelgestelde-vragen"]
    office = api.json("/helplines/kantoor-lijn/")
    assert office["name"] == "Kantoorlijn"
    assert [p["value"] for p in office["contact_points"]] == ["+3224754411", "hulp@example.org"]
    assert [point.get("telephone") for point in office["structured_data"]["contactPoint"]] == [
        "+3224754411",
        None,
    ]
    assert api.json(f"/citations/{site.cit_report.pk}/")["title"] == "Jaarverslag 2024"


def test_the_standard_site_has_no_marker_and_the_expected_counts(site, api):
    assert_nothing_leaks(api)
    assert_public_content_unchanged(api, site)


@pytest.mark.parametrize("case", CASES, ids=[case.__name__ for case in CASES])
def test_hidden_content_appears_in_no_endpoint(site, api, case):
    missing = case(site)
    for path in missing:
        for locale in LOCALES:
            assert_problem(api.get(path, locale=locale), 404)
            if path.startswith("/citations/"):
                assert_problem(api.get(path, locale=locale, format="csl"), 404)
    for path in missing:
        if path.startswith("/campaigns/"):
            slug = path.split("/")[2]
            for locale in LOCALES:
                assert api.json("/faqs/", campaign=slug, locale=locale)["count"] == 0
    # nl (the source) and de (nothing translated: everything falls back); all four locales when
    # the case is about a translation. (The hidden objects of the other cases exist in nl only.)
    assert_nothing_leaks(api, locales=LOCALES if "translation" in case.__name__ else ("nl", "de"))
    assert_public_content_unchanged(api, site)


def test_translation_links_list_only_visible_translations(site, api):
    site.content.translate_page(site.faq, "en", slug=f"{MARKER}-vertaling", title=MARKER, publish_it=False)
    site.content.home("de")
    site.content.translate_page(site.campaign, "de", summary="Eine Kampagne.")
    de = site.content.translate_page(site.faq, "de", slug="haeufige-fragen", title="Häufige Fragen")
    restrict(de, "login")
    expected = [
        {"locale": "fr", "slug": "questions-frequentes"},
        {"locale": "nl", "slug": "veelgestelde-vragen"},
    ]
    for locale in LOCALES:
        assert api.json("/faqs/veelgestelde-vragen/", locale=locale)["translations"] == expected
    assert_problem(api.get("/faqs/haeufige-fragen/", locale="de"), 404)
    fallback = api.json("/faqs/veelgestelde-vragen/", locale="en")
    assert (fallback["locale"], fallback["is_fallback"]) == ("nl", True)


def test_a_draft_translation_of_a_campaign_is_not_linked_and_not_served(site, api):
    site.content.home("de")
    campaign_de = site.content.translate_page(site.campaign, "de", summary=MARKER, publish_it=False)
    assert not campaign_de.live
    body = api.json("/campaigns/schat-je-schatje/", locale="de")
    assert (body["id"], body["locale"], body["is_fallback"]) == (site.campaign.pk, "nl", True)
    assert [t["locale"] for t in body["translations"]] == ["en", "fr", "nl"]
    assert_nothing_leaks(api)


def test_an_expired_fr_translation_falls_back_to_dutch(site, api):
    expire(site.faq_fr)
    # Its own slug no longer finds it.
    assert_problem(api.get("/faqs/questions-frequentes/", locale="fr"), 404)
    served = api.json("/faqs/veelgestelde-vragen/", locale="fr")
    assert (served["id"], served["locale"], served["is_fallback"]) == (site.faq.pk, "nl", True)
    assert served["translations"] == [{"locale": "nl", "slug": "veelgestelde-vragen"}]
    assert [(f["locale"], f["is_fallback"]) for f in api.json("/faqs/", locale="fr")["results"]] == [
        ("nl", True)
    ]


def test_a_superuser_session_sees_exactly_what_anonymous_readers_see(site, api, client):
    # A mix of hidden things, all at once.
    draft_faq(site)
    restrict(secret_campaign(site), "login")
    unpublished_helpline(site)
    draft_translation_of_faq(site)
    # Draft revisions last: the helpers above publish new revisions of the FAQ and campaign.
    draft_revision_of_live_faq(site)
    draft_revision_of_live_citation(site)

    # One instant for both readers: Cache-Control counts the seconds to the next transition.
    with at(timezone.now().isoformat()):
        anonymous = assert_nothing_leaks(api)
        anonymous_detail = api.get("/faqs/veelgestelde-vragen/")
        logged_in(client, make_user("admin", superuser=True))
        assert assert_nothing_leaks(api) == anonymous
        # Same representation, and nothing that would keep a shared cache from serving it to anyone.
        admin_detail = api.get("/faqs/veelgestelde-vragen/")
    for header in ("ETag", "Cache-Control", "Vary", "Content-Language"):
        assert admin_detail.get(header) == anonymous_detail.get(header), header
    assert "Cookie" not in admin_detail["Vary"]
    assert_problem(api.get(f"/faqs/{MARKER}-faq/"), 404)
    assert_problem(api.get(f"/campaigns/{MARKER}-campagne/"), 404)
    assert_problem(api.get(f"/helplines/{MARKER}-lijn/"), 404)
    assert api.json("/faqs/veelgestelde-vragen/")["title"] == "Veelgestelde vragen"


def test_an_inconsistent_live_row_with_a_future_go_live_at_is_hidden(site, api):
    faq = secret_faq(site)
    FAQPage.objects.filter(pk=faq.pk).update(go_live_at=future())
    assert_problem(api.get(f"/faqs/{MARKER}-faq/"), 404)
    helpline = secret_helpline(site)
    HelpLine.objects.filter(pk=helpline.pk).update(go_live_at=future())
    assert_problem(api.get(f"/helplines/{MARKER}-lijn/"), 404)
    assert_nothing_leaks(api)


def test_hidden_content_becomes_visible_once_published(site, api):
    """The other side of the coin: the same objects show up when they are made public."""
    faq = secret_faq(site, live=False)
    assert_problem(api.get(f"/faqs/{MARKER}-faq/"), 404)
    publish(FAQPage.objects.get(pk=faq.pk))
    assert api.json(f"/faqs/{MARKER}-faq/")["title"] == f"FAQ {MARKER}"
    assert api.json("/faqs/")["count"] == 2
    assert api.json("/search/", q=MARKER)["count"] == 1
    helpline = secret_helpline(site, live=False)
    attach_helpline(site, helpline)
    publish(HelpLine.objects.get(pk=helpline.pk))
    assert api.json(f"/helplines/{MARKER}-lijn/")["contact_points"][0]["value"] == SECRET_PHONE
    assert [h["slug"] for h in api.json("/campaigns/schat-je-schatje/")["helplines"]][-1] == f"{MARKER}-lijn"
