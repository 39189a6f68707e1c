"""An administrator sets up a webhook and redelivers an event, in real Chromium through the real
admin (Settings → Webhooks): the form refuses a private address with a clear error, the secret is
shown once, an event for a help-line number change reaches the receiver (another process) signed
with that secret, and the delivery log's Redeliver button sends the same event again. Delivery
runs in the test process (the worker's own functions; tests/test_webhooks_processes.py runs the
worker as a process). Screenshots go to test-artifacts/webhooks/ (git-ignored).
"""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from standardwebhooks import Webhook

from cms.channels.models import Channel
from cms.webhooks import delivery
from cms.webhooks.dispatch import dispatch
from tests.browser import full_page_screenshot, headless_chromium, log_in, new_context
from tests.users import PASSWORD, make_user, prefer_language

playwright_sync = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
expect = playwright_sync.expect

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "webhooks"
TIMEOUT_MS = 15_000


def outside_the_browser_loop(work):
    """Run database work in a thread of its own: Playwright's sync API runs an event loop in this
    one, where Django refuses synchronous queries."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def test_an_administrator_adds_a_webhook_and_redelivers_an_event(
    restore_migration_data, live_server, chromium_executable, receiver
):
    from cms.snippets.models import ContactPoint
    from tests.content import ContentBuilder, publish

    helpline = ContentBuilder().helpline(
        "child-focus-116000", "Hulplijn 116000", points=[("phone", "116000", "Bel gratis")]
    )
    prefer_language(make_user("ada", superuser=True), "en")
    Channel.objects.create(name="Campagnesite", contact_email="web@example.org")
    base = live_server.url
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    dispatch()  # the worker's first round: learns what is public

    with headless_chromium(chromium_executable) as browser:
        admin = new_context(browser, viewport={"width": 1280, "height": 900}, timeout_ms=TIMEOUT_MS)
        page = log_in(admin, base, "ada", PASSWORD)
        page.goto(f"{base}/admin/webhooks/new/")
        page.locator("#id_channel").select_option(label="Campagnesite")
        page.locator("#id_url").fill("https://10.0.0.8/hook")
        expect(page.get_by_label("FAQ page: published")).to_be_visible()  # in the reader's language
        page.get_by_label("Help-line contact numbers or addresses changed (priority)").check()
        page.locator("main form button[type='submit']").first.click()
        expect(page.locator("main")).to_contain_text(
            "10.0.0.8 resolves to 10.0.0.8: webhooks are only sent to addresses on the public internet"
        )
        full_page_screenshot(page, ARTIFACTS / "01-private-address-refused.png")
        page.locator("#id_url").fill(f"{receiver.base}/ok")
        page.locator("main form button[type='submit']").first.click()
        secret = page.locator("#webhook-secret").input_value()
        assert secret.startswith("whsec_")
        full_page_screenshot(page, ARTIFACTS / "02-secret-shown-once.png")

        def renumber_and_deliver() -> tuple[int, int]:
            helpline.contact_points = [ContactPoint(contact_type="phone", value="116111", label="Bel gratis")]
            helpline.save()
            publish(helpline)
            return dispatch(), delivery.deliver_due()

        assert outside_the_browser_loop(renumber_and_deliver) == (1, 1)
        [first] = receiver.records()
        assert Webhook(secret).verify(first["body"], first["headers"])["type"] == "helpline.contact_changed"

        page.get_by_role("link", name="Done: back to the webhook").click()
        page.get_by_role("link", name="Delivery log").click()
        row = page.locator(f"tr[data-webhook-id='{first['headers']['webhook-id']}']")
        expect(row).to_contain_text("HTTP 204")
        row.get_by_role("button", name="Redeliver").click()
        expect(page.locator("body")).to_contain_text("will be delivered again within a few seconds")
        assert outside_the_browser_loop(delivery.deliver_due) == 1
        page.reload()
        expect(row.locator("li")).to_have_count(2)
        expect(row).to_contain_text("redelivered")
        full_page_screenshot(page, ARTIFACTS / "03-delivery-log-after-redeliver.png")
        second = receiver.records()[1]
        assert second["headers"]["webhook-id"] == first["headers"]["webhook-id"]
        assert Webhook(secret).verify(second["body"], second["headers"])["type"] == "helpline.contact_changed"
        admin.close()
