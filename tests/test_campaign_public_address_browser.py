"""An administrator gives a campaign its public FAQ address in the real admin (Chromium), and the
FAQ page's schema.org JSON-LD carries it as ``url`` and ``@id`` over real HTTP.

A wrong address is refused on the form with the reason, and nothing is published; the right one,
published, is served at once. Screenshots go to test-artifacts/campaign-address/ (git-ignored).
"""

import json
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser import full_page_screenshot, headless_chromium, log_in, new_context
from tests.published_schemas import check_http_answer
from tests.users import PASSWORD, make_user, prefer_language

playwright_sync = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
expect = playwright_sync.expect

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "campaign-address"
TIMEOUT_MS = 15_000
TEMPLATE = "https://schatjeschatje.be/{locale}/faq/{slug}/"


def faq_json_ld(base_url: str, slug: str, locale: str) -> dict:
    url = f"{base_url}/api/v1/faqs/{slug}/?locale={locale}"
    with urllib.request.urlopen(url, timeout=10) as response:
        body = response.read()
        check_http_answer(url, status=response.status, headers=response.headers, body=body)
    return json.loads(body)["structured_data"]


@pytest.mark.django_db(transaction=True)
def test_an_administrator_sets_the_public_faq_address_and_the_json_ld_carries_it(
    restore_migration_data, live_server, chromium_executable, settings
):
    from cms.pages.models import CampaignPage, FAQPage

    # The test server shares one in-memory SQLite connection between its request threads: the
    # editor's periodic editing-session ping must not land in the middle of the publish (a clash
    # of savepoints, seen in CI). Pinged once on load, then not again during this test.
    settings.WAGTAIL_EDITING_SESSION_PING_INTERVAL = 10 * 60 * 1000

    call_command("load_demo_content", verbosity=0)
    prefer_language(make_user("ada", superuser=True), "en")
    campaign = CampaignPage.objects.get(locale__language_code="nl")
    faq = FAQPage.objects.get(locale__language_code="nl")
    assert "url" not in faq_json_ld(live_server.url, faq.slug, "nl")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    with headless_chromium(chromium_executable) as browser:
        context = new_context(browser, viewport={"width": 1280, "height": 900}, timeout_ms=TIMEOUT_MS)
        page = log_in(context, live_server.url, "ada", PASSWORD)
        page.goto(f"{live_server.url}/admin/pages/{campaign.pk}/edit/")
        address = page.get_by_role("textbox", name="Public FAQ address")
        address.fill("https://schatjeschatje.be/faq/")
        page.wait_for_load_state("networkidle")
        page.locator("footer").get_by_role("button", name="More actions").click()
        page.locator("footer").get_by_role("button", name="Publish", exact=True).click()
        expect(page.locator("main")).to_contain_text(
            "Put {slug} where the FAQ page's slug goes in the address."
        )
        full_page_screenshot(page, ARTIFACTS / "01-refused.png")
        page.wait_for_load_state("networkidle")  # the reloaded editor's ping, before our own request
        # Nothing was published: the public JSON-LD still has no address.
        assert "url" not in faq_json_ld(live_server.url, faq.slug, "nl")

        page.get_by_role("textbox", name="Public FAQ address").fill(TEMPLATE)
        page.wait_for_load_state("networkidle")
        page.locator("footer").get_by_role("button", name="More actions").click()
        page.locator("footer").get_by_role("button", name="Publish", exact=True).click()
        expect(page.get_by_role("status")).to_contain_text("published")
        full_page_screenshot(page, ARTIFACTS / "02-published.png")
        context.close()

    json_ld = faq_json_ld(live_server.url, faq.slug, "nl")
    expected = f"https://schatjeschatje.be/nl/faq/{faq.slug}/"
    assert (json_ld["@id"], json_ld["url"]) == (expected, expected)
    # Each translation of the campaign has its own address (its site may live elsewhere): the
    # French campaign was not given one, so its FAQ page's JSON-LD invents none.
    french = FAQPage.objects.get(locale__language_code="fr")
    assert "url" not in faq_json_ld(live_server.url, french.slug, "fr")
