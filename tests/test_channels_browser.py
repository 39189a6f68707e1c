"""A channel's page on another origin reads the API with its key, in real Chromium.

An administrator registers the page's origin and makes a key in the real admin (Settings →
Channels); a static page served from that origin (another port) fetches the API with
``Authorization: Bearer <key>`` — a cross-origin request with a preflight — and shows what it got.
The same page served from an origin no channel registered is blocked by the browser. After the
administrator revokes the key, the page reads the 401 problem. Screenshots go to
test-artifacts/channels/ (git-ignored).
"""

import functools
import http.server
import re
import threading
from pathlib import Path

import pytest

from cms.channels.models import Channel
from tests.browser import full_page_screenshot, headless_chromium, log_in, new_context
from tests.users import PASSWORD, make_user, prefer_language

playwright_sync = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
expect = playwright_sync.expect

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "channels"
TIMEOUT_MS = 15_000
PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Campagnesite</title></head>
<body><main><h1>Campagnesite</h1><p id="result">…</p></main>
<script type="module">
const params = new URLSearchParams(location.hash.slice(1));
const result = document.getElementById("result");
try {
  const response = await fetch(params.get("api") + "/api/v1/helplines/?locale=nl", {
    headers: {"Authorization": "Bearer " + params.get("key"), "Accept-Language": "nl"},
    cache: "no-cache",  // revalidate (If-None-Match) every time, so the server judges the key
  });
  const body = await response.json();
  result.textContent = response.status === 200
    ? ["200", body.results.map((line) => line.contact_points[0].value).join(","),
       response.headers.get("ETag")].join(" ")
    : response.status + " " + body.detail;
} catch (error) {
  result.textContent = "blocked";
}
</script></body></html>
"""


class StaticSite:
    """One page, served on its own port of 127.0.0.1 (an origin of its own)."""

    def __init__(self, folder: Path):
        (folder / "index.html").write_text(PAGE, encoding="utf-8")
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
        handler.log_message = lambda *args: None
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def sites(tmp_path):
    built = []
    for name in ("registered", "unregistered"):
        folder = tmp_path / name
        folder.mkdir()
        built.append(StaticSite(folder))
    yield built
    for site in built:
        site.close()


def test_a_registered_origin_reads_with_its_key_and_another_is_blocked(
    restore_migration_data, live_server, chromium_executable, sites
):
    from wagtail.models import Page

    from tests.content import ContentBuilder

    ContentBuilder().helpline("child-focus-116000", "Hulplijn 116000")
    assert Page.objects.filter(depth=1).exists()
    registered, unregistered = sites
    prefer_language(make_user("ada", superuser=True), "en")
    channel = Channel.objects.create(
        name="Campagnesite", contact_email="web@example.org", allowed_origins=registered.origin
    )
    api = live_server.url
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    with headless_chromium(chromium_executable) as browser:
        admin = new_context(browser, viewport={"width": 1280, "height": 900}, timeout_ms=TIMEOUT_MS)
        page = log_in(admin, api, "ada", PASSWORD)
        page.goto(f"{api}/admin/channels/edit/{channel.pk}/")
        page.get_by_role("link", name="New API key").click()
        page.locator("input[name='label']").fill("campagnesite")
        page.locator("main form button[type='submit']").click()
        key = page.locator("#new-api-key").input_value()
        assert re.fullmatch(r"baken_[0-9a-f]{8}_[A-Za-z0-9_-]{43}", key)
        full_page_screenshot(page, ARTIFACTS / "01-key-shown-once.png")

        visitor = new_context(browser, viewport={"width": 390, "height": 844}, timeout_ms=TIMEOUT_MS)
        reader = visitor.new_page()
        reader.goto(f"{registered.origin}/index.html#api={api}&key={key}")
        expect(reader.locator("#result")).to_have_text(re.compile(r'^200 116000 (W/)?"[0-9a-f]+"$'))
        full_page_screenshot(reader, ARTIFACTS / "02-registered-origin-reads.png")

        other = visitor.new_page()
        other.goto(f"{unregistered.origin}/index.html#api={api}&key={key}")
        expect(other.locator("#result")).to_have_text("blocked")
        full_page_screenshot(other, ARTIFACTS / "03-unregistered-origin-blocked.png")

        page.goto(f"{api}/admin/channels/edit/{channel.pk}/")
        page.locator("#channel-keys").get_by_role("link", name="Revoke").click()
        page.locator("main form button[type='submit']").click()
        expect(page.locator("#channel-keys")).to_contain_text("Revoked")
        full_page_screenshot(page, ARTIFACTS / "04-key-revoked.png")

        # The browser's own cache could answer for max-age; the page revalidates, so the server
        # judges the key again.
        reader.reload()
        expect(reader.locator("#result")).to_have_text(
            "401 This channel key was revoked. Ask the content team for a new one."
        )
        admin.close()
        visitor.close()
