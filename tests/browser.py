"""Headless Chromium for the real-browser tests: found, or installed from Debian, or a clear skip.

Playwright's own browser download (``playwright install``) cannot be used on these machines; the
Python package drives the system's Chromium instead (``executable_path``). When no Chromium is
on the machine and the tests run as root on Debian, ``apt-get`` installs it (bounded in time).
When no browser can be had that way, the browser tests are skipped, saying why.

BAKEN_CHROMIUM=/path/to/chrome picks the browser; BAKEN_NO_BROWSER_INSTALL=1 forbids the install.
"""

import contextlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
APT_PACKAGES = ("chromium", "chromium-driver")
APT_UPDATE_TIMEOUT = 180  # seconds
APT_INSTALL_TIMEOUT = 480  # seconds

# Without the background-networking flags Chromium keeps calling home, and this machine's closed
# network refuses those connections; none of it matters to a test.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def find_chromium() -> str | None:
    override = os.environ.get("BAKEN_CHROMIUM")
    if override:
        return override if Path(override).is_file() else None
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _run(command: list[str], timeout: int) -> str | None:
    """Run an apt command; None when it worked, else why not (last lines of its output)."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, env=env, check=False
        )
    except subprocess.TimeoutExpired:
        return f"`{' '.join(command)}` did not finish within {timeout} s"
    except OSError as error:
        return f"`{' '.join(command)}` could not run: {error}"
    if result.returncode != 0:
        tail = " | ".join((result.stderr or result.stdout).strip().splitlines()[-3:])
        return f"`{' '.join(command)}` exited {result.returncode}: {tail}"
    return None


def install_chromium() -> str | None:
    """Install Chromium from Debian's packages; None when done, else why it could not be."""
    if os.environ.get("BAKEN_NO_BROWSER_INSTALL"):
        return "BAKEN_NO_BROWSER_INSTALL is set"
    if shutil.which("apt-get") is None:
        return "no apt-get on this machine (not Debian-based)"
    if os.geteuid() != 0:
        return "apt-get needs root, and the tests do not run as root"
    # Waits for another apt or dpkg run to finish rather than failing on its lock at once.
    install = [
        "apt-get",
        "-o",
        "DPkg::Lock::Timeout=120",
        "install",
        "-y",
        "--no-install-recommends",
        *APT_PACKAGES,
    ]
    # Straight away when the package lists are there and current; else after updating them.
    if _run(install, APT_INSTALL_TIMEOUT) is None:
        return None
    problem = _run(["apt-get", "-o", "DPkg::Lock::Timeout=120", "update"], APT_UPDATE_TIMEOUT)
    if problem:
        return problem
    return _run(install, APT_INSTALL_TIMEOUT)


def chromium_or_skip() -> str:
    """The path of a Chromium, installing one if need be; skips the test when none can be had."""
    executable = find_chromium()
    if executable is None:
        problem = install_chromium()
        executable = find_chromium()
        if executable is None:
            pytest.skip(f"No Chromium could be installed: {problem or 'installed, yet not found on PATH'}")
    return executable


@contextlib.contextmanager
def headless_chromium(executable: str):
    """A Playwright Browser on the given Chromium, with Playwright stopped again on the way out.

    Playwright starts each browser on a fresh temporary profile (its own --user-data-dir).
    While it runs, its synchronous API keeps an asyncio loop registered on this thread, where
    Django refuses ORM calls: do database work before or after, or over HTTP.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS, timeout=30_000
        )
        try:
            yield browser
        finally:
            browser.close()


# --- what the browser tests share -------------------------------------------------------------

MAX_SHOT_HEIGHT = 8000


def full_page_screenshot(page, path: Path) -> None:
    """The whole page, although Wagtail's admin scrolls inside <main> rather than the window.

    Playwright's full_page covers the document only, so the viewport is made as tall as the
    content for the shot, then put back.
    """
    viewport = page.viewport_size
    height = page.evaluate(
        "() => Math.max(document.documentElement.scrollHeight,"
        " ...Array.from(document.querySelectorAll('main'), main => main.scrollHeight))"
    )
    if height > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": min(height, MAX_SHOT_HEIGHT)})
    try:
        # Finished, not mid-way: e.g. the confirmation message sliding in.
        page.screenshot(path=str(path), full_page=True, animations="disabled")
    finally:
        page.set_viewport_size(viewport)


def screenshots_in(folder: Path):
    """shot(page, name) saves a full-page screenshot as folder/NN-name.png, numbered in order.

    The folder is emptied first; ``shot.taken`` lists the files in order.
    """
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    taken: list[Path] = []

    def shot(page, name: str) -> Path:
        path = folder / f"{len(taken) + 1:02d}-{name}.png"
        full_page_screenshot(page, path)
        taken.append(path)
        return path

    shot.taken = taken  # type: ignore[attr-defined]
    shot.folder = folder  # type: ignore[attr-defined]
    return shot


def new_context(browser, *, viewport: dict, timeout_ms: int):
    """A fresh browser context (one person's session) of this size, waiting at most ``timeout_ms``
    for any one action."""
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(timeout_ms)
    return context


def screenshot_names(steps) -> list[str]:
    """The file names :func:`screenshots_in` gives the shots of these steps, taken in this order."""
    return [f"{n:02d}-{name}.png" for n, name in enumerate(steps, 1)]


def log_in(context, base_url: str, username: str, password: str):
    """Sign in on the admin's login page.

    The login page is in the site's default language (Dutch) whatever the user prefers, so its
    fields are found by their form names. A context that is signed in already is sent on to
    the dashboard by the login page, and simply gets a new page.
    """
    import re

    from playwright.sync_api import expect

    page = context.new_page()
    page.goto(f"{base_url}/admin/login/")
    if "/admin/login/" not in page.url:  # this context is signed in already
        return page
    form = page.locator("form").filter(has=page.locator("input[name='password']"))
    form.locator("input[name='username']").fill(username)
    form.locator("input[name='password']").fill(password)
    form.locator("button[type='submit']").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return page


def walk(context, base_url: str, username: str, password: str, steps, shot, *, failure_dir: Path):
    """Log a user in and take their steps; on failure, a screenshot of where it stopped."""
    page = log_in(context, base_url, username, password)
    try:
        steps(page, shot)
    except Exception:
        full_page_screenshot(page, failure_dir / f"failed-{username}.png")
        raise
    return page


# --- axe-core, the accessibility checker, from the npm registry (cached per version) -------------

AXE_VERSION = "4.14.1"


def axe_source() -> str:
    """axe-core's browser script (installed with npm into a cache the first time; a clear skip
    where npm or the registry cannot be had)."""
    from tests.npm import package_file

    return package_file("axe-core", AXE_VERSION, "axe.min.js").read_text(encoding="utf-8")


def serious_accessibility_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now (shadow DOM included).
    axe is evaluated through the DevTools protocol, so the page's own CSP does not stop it."""
    page.evaluate(axe_source())
    results = page.evaluate("() => axe.run(document, { resultTypes: ['violations'] })")
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "nodes": [node["target"] for node in violation["nodes"]],
        }
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
