"""The CDN purger follows the change log: every committed change, from any process and however it
is made (signals or none), has its API URLs purged, and a failed purge is retried until it succeeds.

Backends come from ``WAGTAILFRONTENDCACHE`` as Wagtail reads it: here a recording backend (a dotted
``BACKEND`` path) and, across processes, Wagtail's HTTP backend against a real HTTP server.
"""

import http.server
import logging
import threading
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.models import Page, PageViewRestriction

from api.cdn import purger as cdn_purger
from api.cdn.backends import StrictHTTPBackend, configured
from api.cdn.urls import urls_for
from cms.change_log.models import CdnPurgeCursor, CdnPurgePath
from cms.snippets.models import HelpLine
from tests.content import publish, question, section
from tests.test_change_log_processes import database_for_other_processes, manage_shell

pytestmark = pytest.mark.django_db

__all__ = ["database_for_other_processes"]  # a fixture, used below

BASE = "https://content.example.org/api/v1/"
PAGE_LISTS = ("campaigns/", "faqs/", "search/")
HELPLINE_LISTS = ("helplines/", "campaigns/", "faqs/")
CITATION_LISTS = ("citations/", "faqs/")


class RecordingBackend(BaseBackend):
    """Records what it is asked to purge; ``fail`` = "raise" or "log" (as Wagtail's backends do)."""

    purged: list[str] = []
    fail: str | None = None
    during = None  # called inside purge_batch, e.g. to run a second purger meanwhile

    def purge(self, url) -> None:
        self.purge_batch([url])

    def purge_batch(self, urls) -> None:
        if RecordingBackend.during is not None:
            during, RecordingBackend.during = RecordingBackend.during, None
            during()
        if RecordingBackend.fail == "raise":
            raise ConnectionError("CDN unreachable")
        if RecordingBackend.fail == "log":
            logging.getLogger("wagtail.frontendcache").error("Couldn't purge '%s' from HTTP cache.", urls[0])
            return
        RecordingBackend.purged.extend(urls)


@pytest.fixture
def cdn(settings):
    settings.WAGTAILFRONTENDCACHE = {"test": {"BACKEND": "tests.test_cdn_purge.RecordingBackend"}}
    settings.BAKEN_PUBLIC_API_BASE_URL = "https://content.example.org"
    RecordingBackend.purged, RecordingBackend.fail, RecordingBackend.during = [], None, None
    yield RecordingBackend
    RecordingBackend.purged, RecordingBackend.fail, RecordingBackend.during = [], None, None


def purge(**kwargs) -> set[str]:
    """One drain; the URLs it purged."""
    before = len(RecordingBackend.purged)
    outcome = cdn_purger.Purger(**kwargs).drain()
    assert outcome.status in (cdn_purger.PURGED, cdn_purger.IDLE), outcome
    return set(RecordingBackend.purged[before:])


def expected(*paths: str) -> set[str]:
    return set(urls_for(paths))


@pytest.fixture
def site(cdn, content):
    """Home → campaign (listing a help-line) → FAQ (choosing that help-line and a citation), and a
    second campaign; all of it purged once already (the purger's first run purges everything)."""
    helpline = content.helpline("child-focus-116000", "Hulplijn 116000")
    citation = content.citation("Lanzarote-verdrag")
    tree = content.page_tree(with_faq=False)
    tree.campaign.campaign_helplines.create(helpline=helpline)
    publish(tree.campaign)
    body = [section("Algemeen", question("Waarom?", helplines=[helpline], citations=[citation]))]
    faq = content.faq(tree.campaign, sections=body)
    other = content.campaign("andere-campagne", "Andere campagne")
    first = purge()
    assert BASE in first and f"{BASE}locales/?locale=de" in first
    assert expected("faqs/veelgestelde-vragen/", "campaigns/schat-je-schatje/", "citations/") <= first
    cdn.purged.clear()
    return {"tree": tree, "faq": faq, "other": other, "helpline": helpline, "citation": citation}


def test_urls_are_each_path_bare_and_in_every_locale(settings):
    settings.BAKEN_PUBLIC_API_BASE_URL = "https://content.example.org/"
    assert urls_for(["faqs/"]) == sorted(
        [f"{BASE}faqs/"] + [f"{BASE}faqs/?locale={code}" for code in ("nl", "fr", "en", "de")]
    )


def test_the_first_run_purges_everything_and_then_nothing_is_pending(site):
    assert purge() == set()
    cursor = CdnPurgeCursor.objects.get()
    assert cursor.sequence is not None and cursor.failures == 0 and cursor.holder == ""


def test_publishing_a_new_help_line_purges_its_detail_and_the_lists(site, content):
    content.helpline("stop-child-porno", "Stopchildporno.be")
    assert purge() == expected(*HELPLINE_LISTS, "helplines/stop-child-porno/")


def test_a_help_line_change_purges_the_faq_and_campaign_details_that_embed_it(site):
    helpline = site["helpline"]
    helpline.name = "Hulplijn 116000 (gratis)"
    publish(helpline)
    assert purge() == expected(
        *HELPLINE_LISTS,
        "helplines/child-focus-116000/",
        "faqs/veelgestelde-vragen/",
        "campaigns/schat-je-schatje/",
    )


def test_a_citation_change_purges_its_detail_and_the_faq_that_cites_it(site):
    citation = site["citation"]
    citation.title = "Verdrag van Lanzarote"
    publish(citation)
    assert purge() == expected(*CITATION_LISTS, f"citations/{citation.pk}/", "faqs/veelgestelde-vragen/")


def test_publishing_an_faq_page_purges_its_detail_its_campaign_and_the_lists(site):
    faq = site["faq"]
    faq.intro = "<p>Nieuw.</p>"
    publish(faq)
    assert purge() == expected(*PAGE_LISTS, "faqs/veelgestelde-vragen/", "campaigns/schat-je-schatje/")


def test_unpublishing_a_campaign_purges_the_details_below_it(site):
    site["tree"].campaign.unpublish()
    assert purge() == expected(*PAGE_LISTS, "campaigns/schat-je-schatje/", "faqs/veelgestelde-vragen/")


def test_restricting_a_campaign_purges_the_details_below_it(site):
    PageViewRestriction.objects.create(
        page=site["tree"].campaign, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    assert purge() == expected(*PAGE_LISTS, "campaigns/schat-je-schatje/", "faqs/veelgestelde-vragen/")


def test_moving_an_faq_purges_the_campaign_it_left_and_the_one_it_joined(site):
    Page.objects.get(pk=site["faq"].pk).move(site["other"], pos="last-child")
    assert purge() == expected(
        *PAGE_LISTS,
        "faqs/veelgestelde-vragen/",
        "campaigns/schat-je-schatje/",
        "campaigns/andere-campagne/",
    )


def test_deleting_an_faq_purges_its_detail_although_its_slug_is_gone(site):
    Page.objects.get(pk=site["faq"].pk).delete()
    assert purge() == expected(*PAGE_LISTS, "faqs/veelgestelde-vragen/", "campaigns/schat-je-schatje/")
    assert not CdnPurgePath.objects.filter(translation_key=site["faq"].translation_key).exists()


def test_deleting_a_help_line_purges_its_detail_and_what_embedded_it(site):
    site["helpline"].delete()  # and, by cascade, the campaign's link to it (a page entry)
    assert purge() == expected(
        *HELPLINE_LISTS,
        *PAGE_LISTS,
        "helplines/child-focus-116000/",
        "faqs/veelgestelde-vragen/",
        "campaigns/schat-je-schatje/",
    )


def test_a_bulk_update_without_signals_is_purged(site):
    assert HelpLine.objects.filter(pk=site["helpline"].pk).update(name="Anders") == 1
    assert purge() == expected(
        *HELPLINE_LISTS,
        "helplines/child-focus-116000/",
        "faqs/veelgestelde-vragen/",
        "campaigns/schat-je-schatje/",
    )


def test_a_bulk_rename_purges_the_old_slug_and_the_new_one(site):
    Page.objects.filter(pk=site["faq"].pk).update(slug="vragen", url_path="/baken/schat-je-schatje/vragen/")
    assert purge() == expected(
        *PAGE_LISTS, "faqs/veelgestelde-vragen/", "faqs/vragen/", "campaigns/schat-je-schatje/"
    )
    # The old slug is forgotten once purged; the new one is remembered.
    faq = site["faq"]
    assert set(
        CdnPurgePath.objects.filter(translation_key=faq.translation_key).values_list("path", flat=True)
    ) == {
        "faqs/vragen/",
        "campaigns/schat-je-schatje/",
    }


def test_a_locale_change_purges_everything(site, locales):
    locales["de"].save()  # unchanged: nothing recorded
    assert purge() == set()
    from wagtail.models import Locale

    Locale.objects.create(language_code="es")
    purged = purge()
    assert expected("", "locales/", "helplines/", "citations/", "search/") <= purged
    assert expected("faqs/veelgestelde-vragen/", "helplines/child-focus-116000/") <= purged
    assert expected(f"citations/{site['citation'].pk}/", "campaigns/andere-campagne/") <= purged


@pytest.mark.parametrize("failure", ["raise", "log"])
def test_a_failed_purge_keeps_the_cursor_and_the_next_run_purges(site, content, failure, caplog):
    cursor = CdnPurgeCursor.objects.get().sequence
    RecordingBackend.fail = failure
    content.helpline("stop-child-porno", "Stopchildporno.be")
    outcome = cdn_purger.Purger().drain()
    assert outcome.status == cdn_purger.FAILED and outcome.cursor == cursor
    row = CdnPurgeCursor.objects.get()
    assert (row.sequence, row.failures, row.holder) == (cursor, 1, "")
    assert "[test]" in row.last_error
    assert any("CDN purge of" in record.getMessage() for record in caplog.records)
    assert cdn_purger.Purger().drain().status == cdn_purger.FAILED
    assert CdnPurgeCursor.objects.get().failures == 2

    RecordingBackend.fail = None
    assert purge() == expected(*HELPLINE_LISTS, "helplines/stop-child-porno/")
    row = CdnPurgeCursor.objects.get()
    assert row.sequence > cursor and row.failures == 0 and row.last_error == ""


def test_a_deleted_objects_detail_is_known_even_while_purges_fail(site, content):
    """The detail paths of entries after a failing batch are remembered, so an object created and
    deleted while the CDN was failing still has its detail purged."""
    RecordingBackend.fail = "raise"
    content.helpline("stop-child-porno", "Stopchildporno.be")
    assert cdn_purger.Purger(batch_size=1).drain().status == cdn_purger.FAILED
    HelpLine.objects.get(slug="stop-child-porno").delete()
    RecordingBackend.fail = None
    assert purge() == expected(*HELPLINE_LISTS, "helplines/stop-child-porno/")


def test_two_purgers_never_purge_the_same_entries(site, content):
    content.helpline("stop-child-porno", "Stopchildporno.be")
    first, second = cdn_purger.Purger(holder="first"), cdn_purger.Purger(holder="second")
    seen = {}

    def meanwhile():
        seen["second"] = second.run_once()

    RecordingBackend.during = meanwhile
    outcome = first.run_once()
    assert seen["second"].status == cdn_purger.BUSY
    assert outcome.status == cdn_purger.PURGED
    assert second.run_once().status == cdn_purger.IDLE
    assert sorted(RecordingBackend.purged) == sorted(
        urls_for([*HELPLINE_LISTS, "helplines/stop-child-porno/"])
    )


def test_an_expired_claim_is_taken_over(site, content):
    content.helpline("stop-child-porno", "Stopchildporno.be")
    CdnPurgeCursor.objects.update(holder="crashed", claimed_until="2000-01-01T00:00:00Z")
    assert purge() == expected(*HELPLINE_LISTS, "helplines/stop-child-porno/")


def test_the_loop_retries_with_exponential_backoff_until_the_purge_succeeds(site, content):
    content.helpline("stop-child-porno", "Stopchildporno.be")
    RecordingBackend.fail = "raise"
    waits: list[float] = []

    class Stop(threading.Event):
        def wait(self, timeout=None):
            waits.append(timeout)
            if len(waits) == 3:
                RecordingBackend.fail = None
            if len(waits) == 5:
                self.set()
            return self.is_set()

    cdn_purger.Purger().run_forever(interval=7, stop=Stop())
    assert waits == [1, 2, 4, 7, 7]
    assert set(RecordingBackend.purged) == expected(*HELPLINE_LISTS, "helplines/stop-child-porno/")


def test_backoff_doubles_up_to_a_minute():
    backoff = cdn_purger.Backoff()
    assert [backoff.failed() for _ in range(8)] == [1, 2, 4, 8, 16, 32, 60, 60]
    backoff.reset()
    assert backoff.failed() == 1


def test_the_http_backend_is_replaced_by_one_that_sees_failures(settings):
    settings.WAGTAILFRONTENDCACHE = {
        "http": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": "http://x"}
    }
    assert isinstance(configured()["http"], StrictHTTPBackend)


def test_the_command_does_nothing_without_a_cdn(settings, capsys):
    settings.WAGTAILFRONTENDCACHE = {}
    call_command("purge_cdn", "--once")
    assert "CDN purging is off" in capsys.readouterr().out
    assert not CdnPurgeCursor.objects.exists()


@pytest.mark.parametrize("args", [["--interval", "0"], ["--interval", "soon"], ["--batch-size", "0"]])
def test_the_command_refuses_bad_arguments(cdn, args):
    with pytest.raises(CommandError):
        call_command("purge_cdn", "--once", *args)


def test_the_command_once_purges_and_says_so(site, content, capsys):
    content.helpline("stop-child-porno", "Stopchildporno.be")
    call_command("purge_cdn", "--once")
    assert "Purged 20 URLs for " in capsys.readouterr().out
    call_command("purge_cdn", "--once")
    assert "Nothing to purge" in capsys.readouterr().out
    RecordingBackend.fail = "raise"
    content.helpline("nog-een", "Nog een")
    with pytest.raises(CommandError, match="CDN purge failed"):
        call_command("purge_cdn", "--once")


# --- across processes, against a real HTTP server ------------------------------------------------


class PurgeServer(http.server.ThreadingHTTPServer):
    """Records every PURGE (path with query, Host) and answers ``status``."""

    def __init__(self):
        self.status = 200
        self.requests: list[tuple[str, str]] = []
        super().__init__(("127.0.0.1", 0), PurgeHandler)


class PurgeHandler(http.server.BaseHTTPRequestHandler):
    server: PurgeServer

    def do_PURGE(self):
        self.server.requests.append((self.path, self.headers["Host"]))
        self.send_response(self.server.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def purge_server():
    server = PurgeServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def manage(args: list[str], env: dict):
    import subprocess
    import sys

    from tests.test_change_log_processes import REPOSITORY

    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPOSITORY,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


WRITE = """
from tests.factories import HelpLineFactory
HelpLineFactory(slug="{slug}", name="Gemaakt elders")
print("ok")
"""


@pytest.mark.django_db(transaction=True)
def test_a_change_by_another_process_is_purged_by_the_command_until_the_cdn_accepts(
    database_for_other_processes, purge_server
):
    env = {
        **database_for_other_processes,
        "BAKEN_PUBLIC_API_BASE_URL": "https://content.example.org",
        "BAKEN_CDN_PURGE_LOCATION": f"http://127.0.0.1:{purge_server.server_port}",
    }
    first = manage(["purge_cdn", "--once"], env)  # the first run ever: everything
    assert first.returncode == 0, first.stderr
    assert ("/api/v1/", "content.example.org") in purge_server.requests
    purge_server.requests.clear()

    slug = f"elders-{uuid.uuid4().hex[:8]}"
    manage_shell(WRITE.format(slug=slug), env)
    paths = {
        url.removeprefix("https://content.example.org")
        for url in urls_for([*HELPLINE_LISTS, f"helplines/{slug}/"])
    }

    purge_server.status = 500
    failed = manage(["purge_cdn", "--once"], env)
    assert failed.returncode == 1
    assert "CDN purge failed" in failed.stderr and "HTTP 500" in failed.stderr
    assert {path for path, _ in purge_server.requests} == paths
    purge_server.requests.clear()

    purge_server.status = 200
    done = manage(["purge_cdn", "--once"], env)
    assert done.returncode == 0, done.stderr
    assert "Purged 20 URLs for " in done.stdout
    assert sorted(purge_server.requests) == sorted((path, "content.example.org") for path in paths)
    purge_server.requests.clear()

    again = manage(["purge_cdn", "--once"], env)
    assert again.returncode == 0 and "Nothing to purge" in again.stdout
    assert purge_server.requests == []
