"""CDN purge on publish: off by default; when configured, the affected API URLs in every locale."""

import pytest
from wagtail.contrib.frontend_cache.backends.base import BaseBackend

from tests.content import publish

pytestmark = pytest.mark.django_db


class RecordingBackend(BaseBackend):
    purged: list[str] = []

    def purge(self, url) -> None:
        RecordingBackend.purged.append(url)


@pytest.fixture
def cdn(settings):
    settings.WAGTAILFRONTENDCACHE = {"test": {"BACKEND": "tests.test_cdn_purge.RecordingBackend"}}
    settings.BAKEN_PUBLIC_API_BASE_URL = "https://content.example.org"
    RecordingBackend.purged = []
    return RecordingBackend


def test_publishing_a_help_line_purges_its_detail_and_the_lists_that_show_it(
    cdn, content, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        content.helpline("child-focus-116000")
    purged = set(cdn.purged)
    for path in ("helplines/child-focus-116000/", "helplines/", "campaigns/", "faqs/"):
        assert f"https://content.example.org/api/v1/{path}" in purged
        for code in ("nl", "fr", "en", "de"):
            assert f"https://content.example.org/api/v1/{path}?locale={code}" in purged
    assert not any("citations" in url for url in purged)


def test_publishing_an_faq_page_purges_its_detail_lists_and_search(
    cdn, content, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tree = content.page_tree()
        cdn.purged.clear()
        publish(tree.faq)
    purged = set(cdn.purged)
    assert "https://content.example.org/api/v1/faqs/veelgestelde-vragen/?locale=fr" in purged
    assert "https://content.example.org/api/v1/faqs/" in purged
    assert "https://content.example.org/api/v1/search/?locale=de" in purged


def test_nothing_is_purged_when_no_cdn_is_configured(settings, content, django_capture_on_commit_callbacks):
    settings.WAGTAILFRONTENDCACHE = {}
    RecordingBackend.purged = []
    with django_capture_on_commit_callbacks(execute=True):
        content.helpline("child-focus-116000")
    assert RecordingBackend.purged == []
