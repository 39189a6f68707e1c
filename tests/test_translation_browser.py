"""Translating in a real browser: the wagtail-localize editor saves, untranslated never goes live.

A translator translates a new FAQ page string by string in wagtail-localize's editor, reloads and
finds it saved; an administrator's "Publish in français" and the translator's "Submit translation
for review" are refused while texts are missing; once complete, the translator submits it, a
reviewer approves it from the dashboard, and the public API serves it in French with
``Content-Language: fr``. The same for a help-line's labels, whose numbers are not offered.

Headless Chromium (tests/browser.py) against pytest-django's live server; the database is set up
before the browser starts and checked over HTTP after (Playwright's sync API keeps an asyncio
loop on this thread, where Django refuses ORM calls). Screenshots of each step go to
test-artifacts/translation/ (git-ignored).
"""

import json
import re
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser import headless_chromium, new_context, screenshot_names, screenshots_in
from tests.browser import walk as browser_walk
from tests.published_schemas import check_http_answer

playwright_sync = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install -r requirements-test.txt)"
)
expect = playwright_sync.expect

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "translation"
PASSWORD = "a-browser-test-password"
TIMEOUT_MS = 15_000
VIEWPORT = {"width": 1280, "height": 900}
FAQ_SLUG = "hulp-zoeken"
HELPLINE_SLUG = "chat-child-focus"
QUESTIONS = {
    "Waar vind ik hulp?": ("Où trouver de l'aide ?", "<p>Bel gratis 116000.</p>", "Appelez le 116000."),
    "Is het anoniem?": (
        "Est-ce anonyme ?",
        "<p>Ja, je naam blijft geheim.</p>",
        "Oui, ton nom reste secret.",
    ),
}
# What the translator types for each Dutch text (the answers' text without their markup).
FRENCH = {
    "Hulp zoeken": "Trouver de l'aide",
    FAQ_SLUG: "trouver-de-l-aide",
    "Hulp": "Aide",
    **{question: french for question, (french, _, _) in QUESTIONS.items()},
    **{re.sub("<[^>]+>", "", answer): french_answer for _, (_, answer, french_answer) in QUESTIONS.items()},
    # The help-line's texts: labels only, its number and address are not offered.
    "Chat met Child Focus": "Chat avec Child Focus",
    "Child Focus": "Child Focus",
    "Anoniem chatten met een hulpverlener.": "Chatter anonymement avec un intervenant.",
    "Bel ons": "Appelez-nous",
    "Chat": "Chat",
}


def api(live_server, path: str) -> tuple[dict, dict]:
    url = f"{live_server.url}{path}"
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        body = response.read()
        check_http_answer(url, status=response.status, headers=response.headers, body=body)
        return json.loads(body), dict(response.headers)


@pytest.fixture
def to_translate(content, locales):
    """The demo, three users, and a new Dutch FAQ page and help-line, each with a French
    translation started in wagtail-localize (drafts holding the Dutch text)."""
    from wagtail_localize.models import Translation
    from wagtail_localize.operations import translate_object

    from cms import roles
    from cms.pages.models import CampaignPage, FAQPage
    from cms.snippets.models import ContactType
    from tests.content import question, section
    from tests.users import make_user, prefer_language

    call_command("load_demo_content", verbosity=0)
    for user in (
        make_user("ada", superuser=True, password=PASSWORD),
        make_user("tom", roles.TRANSLATORS, password=PASSWORD),
        make_user("rita", roles.REVIEWERS, password=PASSWORD),
    ):
        prefer_language(user, "en")  # the steps below read Wagtail's English texts

    campaign = CampaignPage.objects.get(locale=locales["nl"])
    faq = content.faq(
        campaign,
        FAQ_SLUG,
        "Hulp zoeken",
        sections=[section("Hulp", *(question(q, a) for q, (_, a, _) in QUESTIONS.items()))],
    )
    helpline = content.helpline(
        HELPLINE_SLUG,
        "Chat met Child Focus",
        organisation="Child Focus",
        description="Anoniem chatten met een hulpverlener.",
        points=[
            (ContactType.PHONE, "+3224754411", "Bel ons"),
            (ContactType.CHAT, "https://chat.childfocus.be", "Chat"),
        ],
    )
    translate_object(faq, [locales["fr"]])
    translate_object(helpline, [locales["fr"]])
    french_faq = FAQPage.objects.get(translation_key=faq.translation_key, locale=locales["fr"])
    return {
        "french_faq": french_faq.pk,
        "french_campaign": french_faq.get_parent().pk,
        "french_helpline": helpline.get_translation(locales["fr"]).pk,
        "faq_translation": Translation.objects.get(
            source__object_id=faq.translation_key, target_locale=locales["fr"]
        ).pk,
    }


def translate_visible_segments(page, *, leave: int = 0) -> int:
    """Type the French for each untranslated text on the open tab, leaving the last ``leave``."""
    done = 0
    # Pages' editors have tabs (Content, Promote); a snippet's has one list of texts.
    panel = page.locator("[role=tabpanel]:visible")
    if panel.count() == 0:
        panel = page.locator("main")
    translate = page.get_by_role("button", name="Translate", exact=True)
    # A segment: the source text in its own <p>, then the translation or a Translate button.
    untranslated = panel.locator("li:has(> p)").filter(has=translate)
    while untranslated.count() > leave:
        source = untranslated.first.locator(":scope > p").inner_text().strip()
        # Found again by its source text: once opened, it has no Translate button any more.
        exactly = re.compile(f"^{re.escape(source)}$")
        segment = panel.locator("li:has(> p)").filter(has=page.locator("p", has_text=exactly)).first
        segment.get_by_role("button", name="Translate", exact=True).click()
        segment.locator("textarea").fill(FRENCH[source])
        segment.get_by_role("button", name="Save", exact=True).click()
        expect(segment.get_by_text("Translated manually")).to_be_visible()
        done += 1
    return done


def submit_from_listing(page, title: str) -> None:
    """The row's "More options" menu in the page explorer or a snippet listing → "Submit
    translation for review"."""
    row = page.locator("tr").filter(has_text=title)
    row.get_by_role("button", name=re.compile("More options")).click()
    page.get_by_role("link", name="Submit translation for review").click()


def confirm_submission(page) -> None:
    """The confirmation page's "Submit for review": the workflow starts."""
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("status")).to_contain_text("was submitted for review")


def reviewer_approves(title: str, step: str):
    """The reviewer's steps: approve the French ``title`` from the dashboard's "Awaiting your
    review", with screenshots ``{step}-dashboard`` and ``{step}-approved``."""

    def steps(page, shot):
        row = page.get_by_role("region", name="Awaiting your review").locator("tr").filter(has_text=title)
        expect(row).to_contain_text("français")
        shot(page, f"{step}-dashboard")
        row.get_by_role("button", name="Actions").click()
        row.get_by_role("button", name="Approve", exact=True).click()
        # Wagtail reloads the dashboard without a message; the approved item has left the list.
        expect(page.get_by_role("region", name="Awaiting your review")).to_have_count(0)
        shot(page, f"{step}-approved")

    return steps


def start_walks(live_server, settings, folder: Path):
    """The response cache and memos on, as in production (the approval must invalidate them);
    returns the screenshot taker into ``folder`` and ``walk(context, username, steps)``."""
    settings.BAKEN_API_RESPONSE_CACHE = True
    settings.BAKEN_API_MEMOS = True
    shot = screenshots_in(folder)

    def walk(context, username, steps):
        return browser_walk(
            context, live_server.url, username, PASSWORD, steps, shot, failure_dir=shot.folder
        )

    expect.set_options(timeout=TIMEOUT_MS)
    return shot, walk


def faq_in_french(live_server) -> tuple[dict, dict]:
    return api(live_server, f"/api/v1/faqs/{FAQ_SLUG}/?locale=fr")


def helpline_in_french(live_server) -> tuple[dict, dict]:
    return api(live_server, f"/api/v1/helplines/{HELPLINE_SLUG}/?locale=fr")


FAQ_STEPS = [
    "translator-editor",
    "translator-translated",
    "translator-saved-after-reload",
    "translator-submit-refused",
    "administrator-publish-refused",
    "translator-complete",
    "translator-submit-confirm",
    "translator-submitted",
    "reviewer-dashboard",
    "reviewer-approved",
]


@pytest.mark.django_db(transaction=True)
def test_translator_translates_publisher_is_refused_reviewer_approves_api_serves_french(
    restore_migration_data, live_server, to_translate, settings, chromium_executable
):
    shot, walk = start_walks(live_server, settings, ARTIFACTS)
    editor_url = f"{live_server.url}/admin/pages/{to_translate['french_faq']}/edit/"
    explorer_url = f"{live_server.url}/admin/pages/{to_translate['french_campaign']}/"

    def translator_translates_most(page, shot):
        page.goto(explorer_url)
        page.get_by_role("link", name="Hulp zoeken", exact=True).first.click()
        expect(page).to_have_url(editor_url)
        # Each text is labelled by what it is.
        for label in ("Section heading", "Question 1", "Answer to: Waar vind ik hulp?", "Question 2"):
            expect(page.get_by_text(label, exact=True)).to_be_visible()
        shot(page, "translator-editor")
        assert translate_visible_segments(page, leave=1) == 5
        shot(page, "translator-translated")
        page.reload()
        expect(page.get_by_text("Où trouver de l'aide ?", exact=True)).to_be_visible()
        expect(page.get_by_text("Trouver de l'aide", exact=True).first).to_be_visible()
        shot(page, "translator-saved-after-reload")

        page.goto(explorer_url)
        submit_from_listing(page, "Trouver de l'aide")
        expect(page.get_by_role("alert")).to_contain_text("cannot be published in français: 2 of 7 texts")
        expect(page.get_by_role("button", name="Submit for review")).to_have_count(0)
        shot(page, "translator-submit-refused")

    def administrator_cannot_publish(page, shot):
        page.goto(editor_url)
        page.get_by_role("button", name="Publish in français").click()
        expect(page.get_by_role("status")).to_contain_text("cannot be published in français: 2 of 7 texts")
        shot(page, "administrator-publish-refused")

    def translator_completes_and_submits(page, shot):
        page.goto(editor_url)
        assert translate_visible_segments(page) == 1
        page.get_by_role("tab", name="Promote").click()
        assert translate_visible_segments(page) == 1
        shot(page, "translator-complete")
        page.goto(explorer_url)
        submit_from_listing(page, "Trouver de l'aide")
        expect(page.locator("main")).to_contain_text("is translated into français (7 texts)")
        shot(page, "translator-submit-confirm")
        confirm_submission(page)
        shot(page, "translator-submitted")

    # Before anything is translated, French readers get the Dutch page, labelled Dutch.
    body, headers = faq_in_french(live_server)
    assert (body["locale"], body["is_fallback"], headers["Content-Language"]) == ("nl", True, "nl")

    with headless_chromium(chromium_executable) as browser:
        contexts = {
            name: new_context(browser, viewport=VIEWPORT, timeout_ms=TIMEOUT_MS)
            for name in ("tom", "ada", "rita")
        }
        console_errors = []
        for name, context in contexts.items():
            # Nothing in the admin may break: no avatar or update check blocked by the CSP, no
            # failed request, no script error.
            context.on(
                "console",
                lambda message, name=name: (
                    console_errors.append((name, message.text, message.location.get("url")))
                    if message.type == "error"
                    else None
                ),
            )
            context.on("weberror", lambda error, name=name: console_errors.append((name, str(error.error))))
        walk(contexts["tom"], "tom", translator_translates_most)
        walk(contexts["ada"], "ada", administrator_cannot_publish)
        body, headers = faq_in_french(live_server)
        assert (body["locale"], headers["Content-Language"]) == ("nl", "nl")
        walk(contexts["tom"], "tom", translator_completes_and_submits)
        body, _ = faq_in_french(live_server)
        assert body["locale"] == "nl"  # in review, not live
        walk(contexts["rita"], "rita", reviewer_approves("Trouver de l'aide", "reviewer"))

    assert console_errors == []
    body, headers = faq_in_french(live_server)
    assert headers["Content-Language"] == "fr"
    assert (body["locale"], body["is_fallback"], body["title"], body["slug"]) == (
        "fr",
        False,
        "Trouver de l'aide",
        "trouver-de-l-aide",
    )
    questions = [q for section in body["sections"] for q in section["questions"]]
    assert [(q["question"], q["answer"]["text"]) for q in questions] == [
        (french, french_answer) for french, _, french_answer in QUESTIONS.values()
    ]
    assert [s["heading"] for s in body["sections"]] == ["Aide"]
    assert [p.name for p in shot.taken] == screenshot_names(FAQ_STEPS)


HELPLINE_STEPS = [
    "translator-helpline-editor",
    "translator-helpline-translated",
    "translator-helpline-submitted",
    "reviewer-helpline-dashboard",
    "reviewer-helpline-approved",
    "translator-manual-translation-read-only",
]


@pytest.mark.django_db(transaction=True)
def test_translator_translates_help_line_labels_numbers_stay_the_dutch_ones(
    restore_migration_data, live_server, to_translate, settings, chromium_executable
):
    shot, walk = start_walks(live_server, settings, ARTIFACTS.with_name("translation-helpline"))
    french_listing = f"{live_server.url}/admin/snippets/cms/helpline/?locale=fr"

    def translator_translates_and_submits(page, shot):
        page.goto(french_listing)
        page.get_by_role("link", name="Chat met Child Focus", exact=True).click()
        # The translation editor offers the texts only: no number, address, hours or slug.
        expect(page.get_by_text("Bel ons", exact=True)).to_be_visible()
        expect(page.get_by_text("+3224754411")).to_have_count(0)
        expect(page.get_by_text("https://chat.childfocus.be")).to_have_count(0)
        shot(page, "translator-helpline-editor")
        assert translate_visible_segments(page) == 5
        shot(page, "translator-helpline-translated")
        page.goto(french_listing)
        # The row still shows the draft's name: the translated texts go into it when submitted.
        submit_from_listing(page, "Chat met Child Focus")
        confirm_submission(page)
        shot(page, "translator-helpline-submitted")

    def translator_sees_numbers_read_only(page, shot):
        # A translation made by hand (the demo's) opens Wagtail's form: its numbers are read-only.
        page.goto(french_listing)
        page.get_by_role("link", name="Ligne d'aide 116000", exact=True).click()
        expect(page.get_by_label("Name")).to_be_editable()
        expect(page.get_by_label("Slug")).to_be_disabled()
        value = page.locator("input[name$='-value']").first
        expect(value).to_have_value("116000")
        expect(value).to_be_disabled()
        expect(page.locator("input[name$='-label']").first).to_be_editable()
        expect(page.get_by_text("Synchronised from the Dutch version").first).to_be_visible()
        shot(page, "translator-manual-translation-read-only")

    before, _ = helpline_in_french(live_server)
    assert (before["locale"], before["name"]) == ("nl", "Chat met Child Focus")

    with headless_chromium(chromium_executable) as browser:
        tom, rita = (new_context(browser, viewport=VIEWPORT, timeout_ms=TIMEOUT_MS) for _ in range(2))
        walk(tom, "tom", translator_translates_and_submits)
        walk(rita, "rita", reviewer_approves("Chat avec Child Focus", "reviewer-helpline"))
        walk(tom, "tom", translator_sees_numbers_read_only)

    body, headers = helpline_in_french(live_server)
    assert headers["Content-Language"] == "fr"
    assert (body["locale"], body["is_fallback"], body["name"], body["description"]) == (
        "fr",
        False,
        "Chat avec Child Focus",
        "Chatter anonymement avec un intervenant.",
    )
    assert [(p["type"], p["value"], p["label"]) for p in body["contact_points"]] == [
        ("phone", "+3224754411", "Appelez-nous"),
        ("chat", "https://chat.childfocus.be", "Chat"),
    ]
    assert [p.name for p in shot.taken] == screenshot_names(HELPLINE_STEPS)
