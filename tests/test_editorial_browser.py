"""The main editorial path in a real browser: an editor changes a help-line, a reviewer approves it.

Headless Chromium (the system's, installed from Debian by tests/browser.py when missing) is driven
by Playwright against pytest-django's live server, so transactions commit as in production and the
public API is asked over HTTP, as a client app would. A full-page screenshot of every step goes to
test-artifacts/editorial/ (git-ignored).

The test asks the database nothing once the browser runs: Playwright's synchronous API keeps an
asyncio loop registered on the test's thread, where Django refuses ORM calls.
"""

import json
import re
import urllib.request
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command

from tests.browser import headless_chromium, new_context, screenshot_names, screenshots_in
from tests.browser import walk as browser_walk
from tests.published_schemas import check_http_answer

playwright_sync = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install -r requirements-test.txt)"
)
expect = playwright_sync.expect

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "editorial"
PASSWORD = "a-browser-test-password"
SLUG = "child-focus-116000"
TIMEOUT_MS = 15_000  # any one action or expectation; the whole walk takes about 12 s
VIEWPORT = {"width": 1280, "height": 900}
MENU_CLASH = (
    "Opening 'Help & sources' also opened Wagtail's 'Help' menu, which covers the Help-lines link: "
    "the sidebar opens every submenu whose name is a prefix of the opened one's, and the group's "
    "group's menu_name in cms/wagtail_hooks.py must not start with 'help'"
)
LOCALES = ("nl", "fr")
# The screenshots, in order: test-artifacts/editorial/NN-<step>.png.
STEPS = [
    "editor-dashboard",
    "editor-helplines",
    "editor-edit-helpline",
    "editor-new-hours",
    "editor-action-menu",
    "editor-submitted",
    "reviewer-dashboard",
    "reviewer-edit-helpline",
    "reviewer-action-menu",
    "reviewer-approved",
]


def api_get(live_server, path: str) -> dict:
    url = f"{live_server.url}{path}"
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        body = response.read()
        check_http_answer(url, status=response.status, headers=response.headers, body=body)
        return json.loads(body)


def helpline_path(locale: str) -> str:
    return f"/api/v1/helplines/{SLUG}/?locale={locale}"


def availability(live_server, locale: str) -> dict:
    return api_get(live_server, helpline_path(locale))["availability"]


def cache_key(live_server, locale: str) -> str:
    from api.response_cache.entries import entry_key

    return entry_key(
        path=f"/api/v1/helplines/{SLUG}/", query=[("locale", locale)], language=locale, origin=live_server.url
    )


def walk(context, live_server, username: str, steps, shot) -> None:
    browser_walk(context, live_server.url, username, PASSWORD, steps, shot, failure_dir=ARTIFACTS)


def open_more_actions(page):
    """The footer's action menu: the default action plus a dropdown with the others."""
    footer = page.locator("footer")
    footer.get_by_role("button", name="More actions").click()
    return footer


@pytest.mark.django_db(transaction=True)
def test_editor_submits_new_hours_reviewer_approves_api_shows_them(
    restore_migration_data, live_server, settings, chromium_executable
):
    from cms import roles
    from tests.users import make_user, prefer_language

    # The response cache is on, as in production: the approval must invalidate the cached answers.
    settings.BAKEN_API_RESPONSE_CACHE = True
    settings.BAKEN_API_MEMOS = True

    call_command("load_demo_content", verbosity=0)
    for username, group in (("eva", roles.EDITORS), ("rita", roles.REVIEWERS)):
        # The admin speaks the default locale (Dutch) unless a user chooses otherwise; these two
        # chose English, so the steps below read as Wagtail's own English texts.
        prefer_language(make_user(username, group, password=PASSWORD), "en")

    for locale in LOCALES:
        assert availability(live_server, locale)["always_open"] is True, locale
        # The old answer is now in the response cache: only an invalidation lets the new one through.
        assert (
            caches[settings.BAKEN_API_RESPONSE_CACHE_ALIAS].get(cache_key(live_server, locale)) is not None
        ), locale

    screenshots = screenshots_in(ARTIFACTS)
    expect.set_options(timeout=TIMEOUT_MS)
    with headless_chromium(chromium_executable) as browser:
        editor = new_context(browser, viewport=VIEWPORT, timeout_ms=TIMEOUT_MS)
        walk(editor, live_server, "eva", editor_submits_new_opening_hours, screenshots)
        editor.close()

        # Submitted, not published: the public API still answers with the old availability.
        for locale in LOCALES:
            assert availability(live_server, locale)["always_open"] is True, locale

        reviewer = new_context(browser, viewport=VIEWPORT, timeout_ms=TIMEOUT_MS)
        walk(reviewer, live_server, "rita", reviewer_approves, screenshots)
        reviewer.close()

    # Published: the new hours in the source language and, synchronised, in the French translation.
    for locale in LOCALES:
        after = availability(live_server, locale)
        assert after["always_open"] is False, (locale, after)
        assert after["opening_hours"] == [{"day": "monday", "opens": "09:00", "closes": "17:00"}], (
            locale,
            after,
        )

    assert [path.name for path in screenshots.taken] == screenshot_names(STEPS)
    assert all(path.stat().st_size > 0 for path in screenshots.taken)


def editor_submits_new_opening_hours(page, shot):
    shot(page, "editor-dashboard")

    main_menu = page.get_by_role("navigation", name="Main menu")
    main_menu.get_by_role("button", name="Help & sources").click()
    # Wagtail's sidebar opens every submenu whose name starts the open one's: a group named
    # "help-…" would open Wagtail's own "help" too, whose flyout then hides the Help-lines link.
    wagtail_help = main_menu.get_by_role("button", name=re.compile(r"^Help(?! &)"))
    expect(wagtail_help, MENU_CLASH).not_to_have_attribute("aria-expanded", "true")
    page.get_by_role("link", name="Help-lines").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Help-lines")
    shot(page, "editor-helplines")

    page.get_by_role("link", name="Hulplijn 116000", exact=True).click()
    expect(page.get_by_label("Name")).to_have_value("Hulplijn 116000")
    shot(page, "editor-edit-helpline")

    always_open = page.get_by_label("Available 24/7")
    expect(always_open).to_be_checked()
    always_open.uncheck()
    page.get_by_role("button", name="Add opening hours").click()
    row = page.locator("[id^='inline_child_opening_hours-']").filter(has=page.get_by_label("Weekday")).last
    row.get_by_label("Weekday").select_option(label="Monday")
    row.get_by_label("Opens").fill("09:00")
    row.get_by_label("Closes").fill("17:00")
    row.get_by_label("Closes").press("Tab")
    shot(page, "editor-new-hours")

    footer = open_more_actions(page)
    submit = footer.get_by_role("button", name=re.compile(r"^Submit to Review before publish"))
    expect(submit).to_be_visible()
    shot(page, "editor-action-menu")
    submit.click()
    expect(page.get_by_role("status")).to_contain_text(
        "Help-line 'Hulplijn 116000' has been submitted for moderation"
    )
    shot(page, "editor-submitted")


def reviewer_approves(page, shot):
    awaiting = page.get_by_role("region", name="Awaiting your review")
    expect(awaiting).to_contain_text("Hulplijn 116000")
    shot(page, "reviewer-dashboard")

    awaiting.get_by_role("link", name="Hulplijn 116000").click()
    expect(page.get_by_label("Name")).to_have_value("Hulplijn 116000")
    expect(page.get_by_label("Available 24/7")).not_to_be_checked()
    shot(page, "reviewer-edit-helpline")

    footer = open_more_actions(page)
    approve = footer.get_by_role("button", name="Approve and Publish", exact=True)
    expect(approve).to_be_visible()
    shot(page, "reviewer-action-menu")
    approve.click()
    # Wagtail says "updated" for an approval too; the public API below shows it was published.
    expect(page.get_by_role("status")).to_contain_text("Help-line 'Hulplijn 116000' updated")
    shot(page, "reviewer-approved")
