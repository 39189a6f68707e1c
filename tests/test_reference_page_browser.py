"""The reference campaign page (reference-site/) with Baken's web components (api/embed/baken.js),
in real Chromium, from an origin of its own with a strict Content-Security-Policy, reading a
live Baken server with the demo content:

* the seed FAQ renders in Dutch with ``lang="nl"``, French in French; German shows the Dutch
  fallback tagged ``lang="nl"`` and marked as not translated;
* a second visit revalidates with ``If-None-Match``;
* a ``#anchor`` deep link opens and focuses that question;
* the 116000 help-line has its ``tel:`` action;
* keyboard only: Tab reaches every question and every help-line action;
* Quick exit (Escape) replaces the page, and Back does not return to it;
* with the API unreachable, the help-lines still show (the last good data);
* FAQPage and ContactPoint JSON-LD beside the components; no cookies, no request to any third party;
* axe-core finds no serious or critical accessibility violation, in Dutch and in French;
* no Content-Security-Policy violation and no console error.

Screenshots (desktop and phone) go to test-artifacts/reference-page/ (git-ignored).
"""

import subprocess
import sys
import time
from pathlib import Path

import pytest

from cms.channels.models import Channel
from tests.browser import (
    full_page_screenshot,
    headless_chromium,
    new_context,
    serious_accessibility_violations,
)
from tests.servers import free_port, reachable

playwright_sync = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
expect = playwright_sync.expect

REPOSITORY = Path(__file__).resolve().parents[1]
ARTIFACTS = REPOSITORY / "test-artifacts" / "reference-page"
TIMEOUT_MS = 15_000
ANCHOR = "wat-als-ik-iets-concreet-te-melden-heb"

# The deepest focused element, through shadow roots: "tag#id" or "a[href]".
FOCUSED = """() => {
  let node = document.activeElement;
  while (node && node.shadowRoot && node.shadowRoot.activeElement) node = node.shadowRoot.activeElement;
  if (!node) return null;
  if (node.tagName === "SUMMARY") return "summary#" + node.parentElement.id;
  if (node.tagName === "A") return "a " + node.getAttribute("href");
  return node.tagName.toLowerCase();
}"""


@pytest.fixture
def site(tmp_path, live_server):
    port = free_port()
    log = (tmp_path / "site.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            str(REPOSITORY / "reference-site" / "serve.py"),
            "--port",
            str(port),
            "--api",
            live_server.url,
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    for _ in range(100):
        if reachable(port):
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


def shadow(page, selector: str, inner: str):
    return page.locator(selector).locator(inner)


def test_the_reference_page_shows_baken_as_a_campaign_site_does(
    restore_migration_data, live_server, chromium_executable, site
):
    from django.core.management import call_command

    call_command("load_demo_content", verbosity=0)
    Channel.objects.create(name="Reference page", contact_email="web@example.org", allowed_origins=site)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    requested: list[str] = []

    with headless_chromium(chromium_executable) as browser:
        for name, viewport in (
            ("desktop", {"width": 1280, "height": 900}),
            ("phone", {"width": 390, "height": 844}),
        ):
            context = new_context(browser, viewport=viewport, timeout_ms=TIMEOUT_MS)
            page = context.new_page()
            page.on(
                "console",
                lambda message: message.type in ("error", "warning") and problems.append(message.text),
            )
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on("request", lambda request: requested.append(request.url))

            page.goto(f"{site}/?lang=nl")
            faq = shadow(page, "baken-faq", "article.faq")
            expect(faq).to_have_attribute("lang", "nl")
            expect(faq.locator("summary").first).to_have_text(
                "Waarom is de 'Schat je schatje'- campagne belangrijk?"
            )
            expect(faq).not_to_have_attribute("data-fallback", "true")
            line = shadow(page, "baken-helplines", "article[data-slug='child-focus-116000']")
            expect(line).to_have_attribute("lang", "nl")
            expect(line.locator("a[href='tel:116000']")).to_have_text("Bel 116000")
            expect(line.locator(".badge")).to_have_text(["Gratis", "Anoniem"])
            full_page_screenshot(page, ARTIFACTS / f"{name}-nl.png")
            assert serious_accessibility_violations(page) == []
            # Structured data for search engines, beside each component in the page.
            expect(page.locator("baken-faq > script[type='application/ld+json']")).to_have_count(1)
            assert '"@type":"FAQPage"' in page.locator("baken-faq > script").text_content()
            assert "ContactPoint" in page.locator("baken-helplines > script").text_content()
            # Private: no cookies, no third-party requests.
            assert context.cookies() == []
            assert {url.split("/")[2] for url in requested} <= {
                site.split("/")[2],
                live_server.url.split("/")[2],
            }

            page.goto(f"{site}/?lang=fr")
            expect(faq).to_have_attribute("lang", "fr")
            expect(faq.locator("h2")).to_have_text("Questions fréquentes")
            expect(line.locator("a[href='tel:116000']")).to_have_text("Appeler le 116000")
            full_page_screenshot(page, ARTIFACTS / f"{name}-fr.png")
            assert serious_accessibility_violations(page) == []

            page.goto(f"{site}/?lang=de")
            expect(faq).to_have_attribute("lang", "nl")
            expect(faq).to_have_attribute("data-fallback", "true")
            notice = faq.locator(":scope > p.notice")
            expect(notice).to_have_attribute("lang", "de")
            expect(notice).to_have_text("Noch nicht übersetzt: dies ist die Fassung auf Nederlands.")
            context.close()

        context = new_context(browser, viewport={"width": 1280, "height": 900}, timeout_ms=TIMEOUT_MS)
        page = context.new_page()
        page.on(
            "console", lambda message: message.type in ("error", "warning") and problems.append(message.text)
        )
        page.goto(f"{site}/?lang=nl#{ANCHOR}")
        opened = shadow(page, "baken-faq", f"details#{ANCHOR}")
        expect(opened).to_have_attribute("open", "")
        assert page.evaluate(FOCUSED) == f"summary#{ANCHOR}"
        assert shadow(page, "baken-faq", "details[open]").count() == 1

        # Keyboard only, from the top: every question and every help-line action is reached.
        page.goto(f"{site}/?lang=nl")
        expect(shadow(page, "baken-faq", "summary").first).to_be_visible()
        questions = shadow(page, "baken-faq", "details").evaluate_all(
            "(all) => all.map((d) => 'summary#' + d.id)"
        )
        actions = shadow(page, "baken-helplines", "a.action").evaluate_all(
            "(all) => all.map((a) => 'a ' + a.getAttribute('href'))"
        )
        reached = set()
        for _ in range(120):
            page.keyboard.press("Tab")
            reached.add(page.evaluate(FOCUSED))
        assert set(questions) <= reached, set(questions) - reached
        assert set(actions) <= reached, set(actions) - reached
        page.keyboard.press("Shift+Tab")

        assert problems == []  # no CSP violation, console error or failed load up to here

        # Revalidation: a second visit asks with the ETag it has (If-None-Match).
        with page.expect_request(lambda request: "/api/v1/campaigns/" in request.url) as revisit:
            page.reload()
        assert revisit.value.headers.get("if-none-match", "").startswith(('"', 'W/"'))

        # The API unreachable: the help-lines this browser saw last still show (the aborted
        # requests are logged as failed loads, as they should be).
        page.route(f"{live_server.url}/api/**", lambda route: route.abort())
        page.reload()
        expect(shadow(page, "baken-helplines", "a[href='tel:116000']")).to_be_visible()
        page.unroute(f"{live_server.url}/api/**")

        # Quick exit: Escape replaces the page; Back does not return to it.
        neutral = f"{live_server.url}/healthz"
        page.goto("about:blank")
        page.goto(f"{site}/?lang=nl")
        expect(shadow(page, "baken-faq", "summary").first).to_be_visible()
        page.evaluate(
            "(url) => document.querySelector('baken-quick-exit').setAttribute('href', url)", neutral
        )
        page.keyboard.press("Escape")
        expect(page).to_have_url(neutral)
        page.go_back()
        assert page.url == "about:blank"
        context.close()


def test_quick_exit_goes_where_its_href_says(restore_migration_data, live_server, chromium_executable, site):
    from django.core.management import call_command

    call_command("load_demo_content", verbosity=0)
    Channel.objects.create(name="Reference page", contact_email="web@example.org", allowed_origins=site)
    with headless_chromium(chromium_executable) as browser:
        context = new_context(browser, viewport={"width": 390, "height": 844}, timeout_ms=TIMEOUT_MS)
        page = context.new_page()
        page.goto(f"{site}/?lang=fr")
        button = shadow(page, "baken-quick-exit", "button")
        expect(button).to_contain_text("Quitter vite")
        page.evaluate(
            "(url) => document.querySelector('baken-quick-exit').setAttribute('href', url)",
            f"{live_server.url}/healthz",
        )
        button.click()
        expect(page).to_have_url(f"{live_server.url}/healthz")
        context.close()


def test_the_campaign_site_preview_shows_the_editors_draft_on_the_reference_page(
    restore_migration_data, live_server, chromium_executable, site
):
    from urllib.parse import quote

    from django.core.management import call_command

    from api import preview
    from cms.pages.models import FAQPage

    call_command("load_demo_content", verbosity=0)
    Channel.objects.create(name="Reference page", contact_email="web@example.org", allowed_origins=site)
    faq = FAQPage.objects.get(slug="veelgestelde-vragen", locale__language_code="nl")
    faq.title = "Veelgestelde vragen (ontwerp)"  # an unsaved draft, as the admin's preview has it
    token = preview.issue(faq)
    with headless_chromium(chromium_executable) as browser:
        context = new_context(browser, viewport={"width": 1280, "height": 900}, timeout_ms=TIMEOUT_MS)
        page = context.new_page()
        page.goto(f"{site}/?token={quote(token)}")
        expect(shadow(page, "baken-faq", "article.faq h2")).to_have_text("Veelgestelde vragen (ontwerp)")
        page.goto(f"{site}/")
        expect(shadow(page, "baken-faq", "article.faq h2")).to_have_text("Veelgestelde vragen")
        context.close()


def test_in_development_the_admin_previews_on_the_reference_page():
    """`make run` serves the reference page on the next port and names it to the admin, whose
    Content-Security-Policy lets it frame that origin."""
    import os
    import subprocess as run

    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.BAKEN_PREVIEW_CLIENT_URLS['default'], s.CONTENT_SECURITY_POLICY['DIRECTIVES']['frame-src'])"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "baken.settings.dev"}
    env.pop("BAKEN_PREVIEW_CLIENT_URLS", None)
    shown = run.run(
        [sys.executable, "-c", code], cwd=REPOSITORY, env=env, capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == "http://127.0.0.1:8001/ [\"'self'\", 'http://127.0.0.1:8001']"
    dry_run = run.run(
        ["make", "-n", "run", "PORT=8123"], cwd=REPOSITORY, capture_output=True, text=True, check=True
    )
    assert "BAKEN_PREVIEW_CLIENT_URLS=default=http://127.0.0.1:8124/" in dry_run.stdout
    assert "reference-site/serve.py --port 8124 --api http://127.0.0.1:8123" in dry_run.stdout


def test_search_finds_an_answer_and_its_link_opens_the_question(
    restore_migration_data, live_server, chromium_executable, site
):
    from django.core.management import call_command

    call_command("load_demo_content", verbosity=0)
    Channel.objects.create(name="Reference page", contact_email="web@example.org", allowed_origins=site)
    with headless_chromium(chromium_executable) as browser:
        context = new_context(browser, viewport={"width": 1280, "height": 900}, timeout_ms=TIMEOUT_MS)
        page = context.new_page()
        page.goto(f"{site}/?lang=nl")
        search = page.locator("baken-search")
        search.get_by_label("Zoek in de vragen").fill("melden")
        search.get_by_role("button", name="Zoeken").click()
        expect(search.get_by_role("status")).to_have_text("1 antwoord(en) gevonden")
        result = search.get_by_role("link", name="Wat als ik iets concreet te melden heb?")
        expect(result).to_have_attribute("href", f"#{ANCHOR}")
        expect(search.locator("li")).to_have_attribute("lang", "nl")
        # The matched words are marked in the excerpt, which is otherwise the plain text.
        expect(search.locator("li p mark").first).to_have_text("melden")
        expect(search.locator("li p")).to_contain_text(
            "We nodigen je uit dit te melden, ofwel bij de politie"
        )
        result.click()
        expect(shadow(page, "baken-faq", f"details#{ANCHOR}")).to_have_attribute("open", "")
        assert page.evaluate(FOCUSED) == f"summary#{ANCHOR}"
        full_page_screenshot(page, ARTIFACTS / "desktop-search.png")
        search.get_by_label("Zoek in de vragen").fill("zzzzqqq")
        search.get_by_label("Zoek in de vragen").press("Enter")
        expect(search.get_by_role("status")).to_have_text("Geen antwoorden gevonden.")
        context.close()


def test_a_closed_help_line_says_when_it_opens_in_the_visitors_own_time(
    restore_migration_data, live_server, chromium_executable, site
):
    """The line's hours are in its own time zone (Europe/Brussels); a visitor in Tokyo reads the
    next opening in Tokyo time, in the page's language."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from tests.content import ContentBuilder

    brussels = ZoneInfo("Europe/Brussels")
    today = dt.datetime.now(brussels)
    weekday = (today.weekday() + 3) % 7  # three days on: closed now, whatever the hour
    builder = ContentBuilder()
    line = builder.helpline(
        "weekline",
        "Weeklijn",
        points=[("phone", "116000", "Bel ons")],
        hours=[(weekday, "03:00", "03:30")],
        available_24_7=False,
    )
    builder.campaign("schat-je-schatje", helplines=[line])
    Channel.objects.create(name="Reference page", contact_email="web@example.org", allowed_origins=site)
    opens = dt.datetime.combine((today + dt.timedelta(days=3)).date(), dt.time(3, 0), tzinfo=brussels)
    expected_instant = opens.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")

    with headless_chromium(chromium_executable) as browser:
        context = browser.new_context(viewport={"width": 390, "height": 844}, timezone_id="Asia/Tokyo")
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.goto(f"{site}/?lang=nl")
        status = shadow(page, "baken-helplines", "article[data-slug='weekline'] p.status")
        expect(status).to_have_attribute("data-opens-at", expected_instant)
        in_tokyo = page.evaluate(
            "(iso) => new Intl.DateTimeFormat('nl', {weekday: 'long', hour: '2-digit', minute: '2-digit'})"
            ".format(new Date(iso))",
            expected_instant,
        )
        assert in_tokyo.endswith(
            opens.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%H:%M")
        )  # 11:00 in winter
        expect(status).to_have_text(f"Nu gesloten · Opent {in_tokyo}")
        context.close()


def test_the_admins_campaign_site_preview_shows_the_draft_on_the_reference_page(
    restore_migration_data, live_server, chromium_executable, site, settings
):
    """In the real admin: an editor changes an FAQ page's title, opens the preview panel in
    "Campaign site" mode, and sees the draft rendered by the components on the reference page
    (the panel frames Baken's preview page, which frames the campaign site with a token)."""
    import copy

    from django.core.management import call_command

    from cms.pages.models import FAQPage
    from tests.browser import log_in
    from tests.users import PASSWORD, make_user, prefer_language

    settings.BAKEN_PREVIEW_CLIENT_URLS = {"default": f"{site}/"}
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["frame-src"] = ["'self'", site]
    settings.CONTENT_SECURITY_POLICY = policy
    call_command("load_demo_content", verbosity=0)
    Channel.objects.create(name="Reference page", contact_email="web@example.org", allowed_origins=site)
    prefer_language(make_user("ada", superuser=True), "en")
    faq = FAQPage.objects.get(slug="veelgestelde-vragen", locale__language_code="nl")

    with headless_chromium(chromium_executable) as browser:
        context = new_context(browser, viewport={"width": 1400, "height": 900}, timeout_ms=TIMEOUT_MS)
        page = log_in(context, live_server.url, "ada", PASSWORD)
        page.goto(f"{live_server.url}/admin/pages/{faq.pk}/edit/")
        page.locator("#id_title").fill("Veelgestelde vragen (ontwerp)")
        page.locator("[data-side-panel-toggle='preview']").click()
        expect(page.locator("#id_preview_mode")).to_have_value("")  # "Campaign site", the default
        campaign_site = page.frame_locator("#w-preview-iframe").frame_locator("iframe")
        expect(campaign_site.locator("baken-faq").locator("article.faq h2")).to_have_text(
            "Veelgestelde vragen (ontwerp)"
        )
        full_page_screenshot(page, ARTIFACTS / "admin-preview.png")
        context.close()


def test_a_campaigns_faq_pages_without_a_slug(restore_migration_data, live_server, chromium_executable, site):
    from django.core.management import call_command

    call_command("load_demo_content", verbosity=0)
    Channel.objects.create(name="Reference page", contact_email="web@example.org", allowed_origins=site)
    with headless_chromium(chromium_executable) as browser:
        context = new_context(browser, viewport={"width": 1280, "height": 900}, timeout_ms=TIMEOUT_MS)
        page = context.new_page()
        page.goto(f"{site}/?lang=fr")
        expect(shadow(page, "baken-faq", "article.faq h2")).to_have_text("Questions fréquentes")
        page.evaluate(
            """() => { const faq = document.querySelector('baken-faq');
                       faq.removeAttribute('slug'); faq.setAttribute('campaign', 'schat-je-schatje'); }"""
        )
        # The campaign's pages replace the one page (no translation switch then: the site has one).
        expect(shadow(page, "baken-faq", "nav.switch")).to_have_count(0)
        articles = shadow(page, "baken-faq", "article.faq")
        expect(articles).to_have_count(1)
        expect(articles).to_have_attribute("data-slug", "questions-frequentes")
        expect(articles).to_have_attribute("lang", "fr")
        expect(articles.locator("h2")).to_have_text("Questions fréquentes")
        context.close()
