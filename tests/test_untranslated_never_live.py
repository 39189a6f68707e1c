"""Untranslated never goes live: the rule of cms/translation_completeness.py on every publish path.

Walked through the real admin views (wagtail-localize's string editor and its publish button,
"Submit translation for review", workflow approval, "Sync translated pages") with Django's
test client; tests/test_translation_browser.py walks the same path in Chromium.
"""

import html

import pytest
from django.contrib.messages import get_messages
from django.test.client import encode_multipart
from django.urls import reverse
from django.utils import translation
from wagtail.models import WorkflowState
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
from wagtail_localize.operations import translate_object

from cms.pages.models import FAQPage
from cms.snippets.models import HelpLine
from cms.translation_completeness import IncompleteTranslation, translation_progress
from tests.content import publish

pytestmark = pytest.mark.usefixtures("english_admin")

BOUNDARY = "BoUnDaRyStRiNg"


QUESTIONS = [
    ("Waarom is de campagne belangrijk?", "<p>Omdat het ook hier gebeurt.</p>"),
    ("Wat als ik iets te melden heb?", "<p>Bel gratis <b>116000</b>.</p>"),
]


@pytest.fixture
def dutch_faq(content):
    tree = content.page_tree(translations=("fr",))
    faq = tree.faq
    faq.body = [
        (
            "section",
            {
                "heading": "Over de campagne",
                "questions": [
                    {"question": q, "anchor": "", "answer": a, "helplines": [], "citations": []}
                    for q, a in QUESTIONS
                ],
            },
        )
    ]
    faq.full_clean()
    faq.save()
    return publish(faq)


@pytest.fixture
def french_translation(dutch_faq, locales):
    translate_object(dutch_faq, [locales["fr"]])
    return Translation.objects.get(
        source__object_id=dutch_faq.translation_key, target_locale=locales["fr"], enabled=True
    )


def french_page(dutch_faq, locales) -> FAQPage:
    return FAQPage.objects.get(translation_key=dutch_faq.translation_key, locale=locales["fr"])


def segments(translation) -> list[StringSegment]:
    return list(
        StringSegment.objects.filter(source=translation.source).select_related("string").order_by("order")
    )


def put_string(client, translation, segment, value: str):
    url = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
    # As the editor's JavaScript sends it: multipart form data.
    return client.put(
        url,
        data=encode_multipart(BOUNDARY, {"value": value}),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )


def translate_all(client, translation, *, but: int = 0):
    """Translate every text through the editor's own endpoint, leaving the last ``but`` ones."""
    chosen = segments(translation)
    for segment in chosen[: len(chosen) - but]:
        text = segment.string.data
        value = f"fr-{text}" if segment.context.path == "slug" else f"FR {text}"
        response = put_string(client, translation, segment, value)
        assert response.status_code in (200, 201), response.content


def flashed(response) -> list[str]:
    # wagtail-localize's own messages arrive HTML-escaped, with trailing blank lines.
    return [html.unescape(str(message)).strip() for message in get_messages(response.wsgi_request)]


def api_fr(client, path="/api/v1/faqs/veelgestelde-vragen/"):
    return client.get(path, {"locale": "fr"})


# --- the editor's endpoints work (DRF settings are the public API's own) -----------------------


def test_the_string_editor_saves_a_translation(admin_client, french_translation, dutch_faq, locales):
    first = segments(french_translation)[0]
    response = put_string(
        admin_client, french_translation, first, "Pourquoi la campagne est-elle importante ?"
    )
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    saved = StringTranslation.objects.get(
        translation_of=first.string, locale=locales["fr"], context=first.context
    )
    assert saved.data == "Pourquoi la campagne est-elle importante ?"
    # A second save of the same string updates it.
    assert put_string(admin_client, french_translation, first, "Pourquoi ?").status_code == 200
    saved.refresh_from_db()
    assert saved.data == "Pourquoi ?"


def test_the_string_editor_needs_a_login_and_csrf(client, french_translation, superuser):
    first = segments(french_translation)[0]
    anonymous = put_string(client, french_translation, first, "x")
    assert (anonymous.status_code, anonymous["Location"].split("?")[0]) == (302, "/admin/login/")
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(superuser)
    assert put_string(strict, french_translation, first, "x").status_code == 403
    assert not StringTranslation.objects.filter(translation_of=first.string).exists()


# --- refused while incomplete -------------------------------------------------------------------


def test_publishing_an_incomplete_translation_is_refused_at_the_model(french_translation, dutch_faq, locales):
    french = french_page(dutch_faq, locales)
    progress = translation_progress(french)
    assert (progress.total, progress.translated) == (len(segments(french_translation)), 0)
    with (
        translation.override("en"),
        pytest.raises(IncompleteTranslation, match="cannot be published in français"),
    ):
        french.save_revision().publish()
    assert french_page(dutch_faq, locales).live is False
    with pytest.raises(IncompleteTranslation):
        french_translation.save_target(publish=True)
    french = french_page(dutch_faq, locales)
    assert (french.live, french.title) == (False, "Veelgestelde vragen")


def test_the_editors_publish_button_is_refused_and_writes_nothing(
    admin_client, client, french_translation, dutch_faq, locales
):
    translate_all(admin_client, french_translation, but=1)
    french = french_page(dutch_faq, locales)
    revisions = french.revisions.count()
    url = reverse("wagtailadmin_pages:edit", args=[french.pk])
    response = admin_client.post(url, {"action": "publish"})
    assert (response.status_code, response["Location"]) == (302, url)
    total = len(segments(french_translation))
    assert flashed(response) == [
        f"“Veelgestelde vragen” cannot be published in français: 1 of {total} texts is not translated "
        "yet. Translate every text in the translation editor, then publish or submit it for review again."
    ]
    french = french_page(dutch_faq, locales)
    assert (french.live, french.revisions.count(), french.title) == (False, revisions, "Veelgestelde vragen")
    body = api_fr(client).json()
    assert (body["locale"], body["is_fallback"]) == ("nl", True)
    assert [f["locale"] for f in client.get("/api/v1/faqs/", {"locale": "fr"}).json()["results"]] == ["nl"]
    assert [
        r["faq"]["locale"]
        for r in client.get("/api/v1/search/", {"q": "campagne", "locale": "fr"}).json()["results"]
    ] == ["nl"]


def test_a_complete_translation_publishes_from_the_editor(
    admin_client, client, french_translation, dutch_faq, locales, django_capture_on_commit_callbacks
):
    translate_all(admin_client, french_translation)
    french = french_page(dutch_faq, locales)
    with django_capture_on_commit_callbacks(execute=True):  # wagtail-localize publishes on commit
        response = admin_client.post(
            reverse("wagtailadmin_pages:edit", args=[french.pk]), {"action": "publish"}
        )
    assert response.status_code == 302
    assert flashed(response) == ["Published 'FR Veelgestelde vragen' in français."]
    served = api_fr(client)
    body = served.json()
    assert (served.status_code, served["Content-Language"]) == (200, "fr")
    assert (body["locale"], body["is_fallback"], body["title"]) == ("fr", False, "FR Veelgestelde vragen")
    assert [q["question"] for s in body["sections"] for q in s["questions"]] == [
        f"FR {q}" for q, _ in QUESTIONS
    ]


# --- through review -----------------------------------------------------------------------------


def submit(client, translation):
    return client.post(reverse("baken_submit_translation_for_review", args=[translation.pk]))


def test_submitting_an_incomplete_translation_for_review_is_refused(
    client, translator, french_translation, dutch_faq, locales
):
    client.force_login(translator)
    translate_all(client, french_translation, but=2)
    # Asking first (the explorer's button opens this page) shows why it can't be submitted ...
    asked = client.get(reverse("baken_submit_translation_for_review", args=[french_translation.pk]))
    assert asked.status_code == 200
    total = len(segments(french_translation))
    refusal = f"cannot be published in français: 2 of {total} texts are not translated yet"
    assert refusal in html.unescape(asked.content.decode())
    assert 'type="submit"' not in asked.content.decode().split('id="main"')[1]
    # ... and submitting anyway is refused.
    response = submit(client, french_translation)
    assert response.status_code == 409
    assert refusal in html.unescape(response.content.decode())
    french = french_page(dutch_faq, locales)
    assert not WorkflowState.objects.filter(object_id=str(french.pk)).exists()
    assert (french.live, french.title) == (False, "Veelgestelde vragen")


def test_a_complete_translation_goes_live_through_review(
    client, translator, reviewer, french_translation, dutch_faq, locales
):
    client.force_login(translator)
    translate_all(client, french_translation)
    # The explorer offers the translator the submit button for the French page.
    french = french_page(dutch_faq, locales)
    listing = client.get(reverse("wagtailadmin_explore", args=[french.get_parent().pk]))
    assert (
        reverse("baken_submit_translation_for_review", args=[french_translation.pk])
        in listing.content.decode()
    )

    response = submit(client, french_translation)
    assert flashed(response) == ["“FR Veelgestelde vragen” (français) was submitted for review."]
    french = french_page(dutch_faq, locales)
    state = WorkflowState.objects.get(object_id=str(french.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    assert (french.live, french.title) == (False, "Veelgestelde vragen")  # nothing live yet
    assert french.get_latest_revision_as_object().title == "FR Veelgestelde vragen"
    assert api_fr(client).json()["locale"] == "nl"

    client.force_login(reviewer)
    task_state = state.current_task_state
    approve = reverse("wagtailadmin_pages:workflow_action", args=[french.pk, "approve", task_state.pk])
    response = client.post(approve, {"comment": ""})
    assert response.status_code in (200, 302)
    french = french_page(dutch_faq, locales)
    assert (french.live, french.title) == (True, "FR Veelgestelde vragen")
    served = api_fr(client)
    assert (served["Content-Language"], served.json()["locale"]) == ("fr", "fr")


def test_approving_a_translation_that_became_incomplete_is_refused_and_rolled_back(
    client, translator, reviewer, french_translation, dutch_faq, locales
):
    client.force_login(translator)
    translate_all(client, french_translation)
    submit(client, french_translation)
    # The translator takes one string back while it is in review.
    StringTranslation.objects.filter(locale=locales["fr"]).order_by("pk").first().delete()
    french = french_page(dutch_faq, locales)
    state = WorkflowState.objects.get(object_id=str(french.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    client.force_login(reviewer)
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=[french.pk, "approve", state.current_task_state.pk]
    )
    response = client.post(approve, {"comment": ""}, HTTP_REFERER="http://testserver/admin/")
    assert response.status_code == 302
    assert flashed(response)[-1].endswith("Nothing was changed.")
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.status == "in_progress"
    assert french_page(dutch_faq, locales).live is False


# --- a source that gains texts -----------------------------------------------------------------


def test_a_live_translation_stays_live_and_outdated_when_its_source_gains_a_text(
    admin_client, client, french_translation, dutch_faq, locales, django_capture_on_commit_callbacks
):
    translate_all(admin_client, french_translation)
    with django_capture_on_commit_callbacks(execute=True):
        french_translation.save_target(publish=True)
    dutch = FAQPage.objects.get(pk=dutch_faq.pk)
    raw = dutch.body.raw_data
    first = raw[0]["value"]["questions"][0]
    raw[0]["value"]["questions"].append(
        {**first, "id": None, "value": {**first["value"], "question": "Een nieuwe vraag?", "anchor": "nieuw"}}
    )
    dutch.body = raw
    dutch.save()
    publish(dutch)

    source = TranslationSource.objects.get(object_id=dutch.translation_key, locale=locales["nl"])
    sync = reverse("wagtail_localize:update_translations", args=[source.pk])
    response = admin_client.post(
        sync, {"publish_translations": "on"}, HTTP_REFERER="http://testserver/admin/"
    )
    assert response.status_code == 302
    assert flashed(response)[-1].endswith("Nothing was changed.")
    served = api_fr(client).json()
    assert (served["locale"], served["title"]) == ("fr", "FR Veelgestelde vragen")
    assert [q["question"] for s in served["sections"] for q in s["questions"]] == [
        f"FR {q}" for q, _ in QUESTIONS
    ]

    # Synced without publishing: the new text waits for the translator, the old French stays live.
    response = admin_client.post(sync, {})
    assert response.status_code == 302
    served = api_fr(client).json()
    assert (served["locale"], served["translation_outdated"]) == ("fr", True)
    assert len([q for s in served["sections"] for q in s["questions"]]) == 2
    french = french_page(dutch_faq, locales)
    progress = translation_progress(french)
    assert progress.missing >= 1


# --- snippets -------------------------------------------------------------------------------------


def test_an_incomplete_help_line_translation_cannot_be_published_from_the_editor(
    admin_client, client, locales, content
):
    helpline = content.helpline("child-focus-116000", "Hulplijn 116000", description="Gratis.")
    translate_object(helpline, [locales["fr"]])
    french = HelpLine.objects.get(translation_key=helpline.translation_key, locale=locales["fr"])
    url = reverse("wagtailsnippets_cms_helpline:edit", args=[french.pk])
    response = admin_client.post(url, {"action": "publish"})
    assert (response.status_code, response["Location"]) == (302, url)
    assert "cannot be published in français" in flashed(response)[0]
    french.refresh_from_db()
    assert (french.live, french.name) == (False, "Hulplijn 116000")
    served = client.get("/api/v1/helplines/child-focus-116000/", {"locale": "fr"}).json()
    assert (served["locale"], served["is_fallback"]) == ("nl", True)
