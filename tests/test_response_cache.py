"""The shared API response cache: hits cost no query, and every published change is seen at once."""

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import PageViewRestriction

from api.response_cache.versions import VERSION_KEYS
from cms.snippets.models import ContactPoint, ContactType, HelpLine
from tests.content import publish, question, section
from tests.published_schemas import check_http_answer

REPO = Path(__file__).resolve().parents[1]


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture(params=["locmem", "redis"])
def response_cache(request, settings):
    if request.param == "redis":
        if not redis_reachable():
            pytest.skip("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:6379/15",
                "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            }
        }
    else:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": uuid.uuid4().hex,
            }
        }
    settings.BAKEN_API_RESPONSE_CACHE = True
    settings.BAKEN_API_MEMOS = True
    yield request.param
    cache.clear()


@pytest.fixture
def live_content(content, django_capture_on_commit_callbacks):
    """A campaign with the 116000 help-line and an FAQ whose question shows it and a citation, nl and fr."""
    with django_capture_on_commit_callbacks(execute=True):
        tree = content.page_tree(translations=("fr",))
        helpline = content.helpline("child-focus-116000", "Hulplijn 116000")
        content.translate_snippet(helpline, "fr", name="Ligne d'aide 116000")
        citation = content.citation("Lanzarote-verdrag")
        for campaign in tree.campaigns.values():
            campaign.campaign_helplines.create(helpline=helpline)
            publish(campaign)
        tree.faq.body = [
            section(
                "FAQ",
                question(
                    "Wie kan ik bellen?",
                    "<p>Bel 116000, dag en nacht.</p>",
                    anchor="wie-kan-ik-bellen",
                    helplines=[helpline],
                    citations=[citation],
                ),
            )
        ]
        publish(tree.faq)
    return {"tree": tree, "helpline": helpline, "citation": citation}


@pytest.fixture
def expire_soon(django_capture_on_commit_callbacks):
    """``expire_soon(page)``: the page expires 30 seconds from now (saved, no new revision; the
    commit's invalidations run); returns that moment, to the microsecond or ``whole_second``."""

    def expire(obj, *, whole_second: bool = False) -> dt.datetime:
        expiry = timezone.now() + dt.timedelta(seconds=30)
        if whole_second:
            expiry = expiry.replace(microsecond=0)
        with django_capture_on_commit_callbacks(execute=True):
            obj.expire_at = expiry
            obj.save()
        return expiry

    return expire


def just_after(monkeypatch, moment):
    """From now on the clock reads one second after ``moment``."""
    monkeypatch.setattr(timezone, "now", lambda: moment + dt.timedelta(seconds=1))


SHOWING_THE_NUMBER = [
    "/api/v1/faqs/veelgestelde-vragen/",
    "/api/v1/faqs/veelgestelde-vragen/?locale=fr",
    "/api/v1/campaigns/",
    "/api/v1/campaigns/schat-je-schatje/",
    "/api/v1/campaigns/schat-je-schatje/?locale=fr",
    "/api/v1/helplines/",
    "/api/v1/helplines/?locale=fr",
    "/api/v1/helplines/child-focus-116000/",
]


def test_a_repeated_request_is_answered_from_the_cache_without_queries(
    client, response_cache, live_content, django_assert_num_queries, hit_queries
):
    first = client.get("/api/v1/faqs/veelgestelde-vragen/")
    assert first.status_code == 200
    with django_assert_num_queries(hit_queries()):
        second = client.get("/api/v1/faqs/veelgestelde-vragen/")
    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    with django_assert_num_queries(hit_queries()):
        revalidated = client.get("/api/v1/faqs/veelgestelde-vragen/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert revalidated.status_code == 304


@pytest.mark.parametrize("response_cache", ["redis"], indirect=True)
def test_with_redis_a_hit_is_one_round_trip_counting_and_reading_the_versions_together(
    client, response_cache, live_content, monkeypatch, django_capture_on_commit_callbacks
):
    """The rate limit's count and the content versions a hit checks travel in one script call
    (api.rate_limits.counters); the store is not asked again, and a change is still seen."""
    from api.response_cache.store import RedisStore, shared_store

    store = shared_store()
    assert isinstance(store, RedisStore)
    url = "/api/v1/helplines/child-focus-116000/"
    assert client.get(url).status_code == 200
    store_calls = []
    monkeypatch.setattr(store, "get_many", lambda keys: store_calls.append(keys) or [None] * len(keys))
    hit = client.get(url)
    assert (hit.status_code, store_calls) == (200, [])
    helpline = live_content["helpline"]
    with django_capture_on_commit_callbacks(execute=True):
        helpline.name = "Hulplijn (nieuw)"
        helpline.save()
        helpline.save_revision().publish()
    monkeypatch.undo()
    assert client.get(url).json()["name"] == "Hulplijn (nieuw)"


@pytest.mark.parametrize("response_cache", ["redis"], indirect=True)
def test_with_redis_a_miss_reads_the_versions_once_with_the_rate_limit_and_not_again_in_the_view(
    client, response_cache, live_content, monkeypatch
):
    from api.response_cache.store import shared_store

    store = shared_store()
    reads = []
    original = store.get_many
    monkeypatch.setattr(store, "get_many", lambda keys: reads.append(list(keys)) or original(keys))
    miss = client.get("/api/v1/helplines/child-focus-116000/?locale=fr")
    assert miss.status_code == 200
    reading_versions = [keys for keys in reads if set(VERSION_KEYS) & set(keys)]
    assert len(reading_versions) == 1  # the lookup (with the entry); the view reads none again


def test_a_published_number_change_is_in_the_next_response_of_every_endpoint(
    client, response_cache, live_content, django_capture_on_commit_callbacks
):
    for url in SHOWING_THE_NUMBER:
        assert "116000" in client.get(url).content.decode(), url
    helpline = live_content["helpline"]
    with django_capture_on_commit_callbacks(execute=True):
        helpline.contact_points = [
            ContactPoint(contact_type=ContactType.PHONE, value="+3224754411", label="Bel ons kantoor")
        ]
        helpline.save()
        publish(helpline)
    for url in SHOWING_THE_NUMBER:
        body = client.get(url).content.decode()
        assert "+3224754411" in body, url
        assert '"116000"' not in body, url


def test_a_draft_change_is_not_served_and_does_not_break_the_cache(
    client, response_cache, live_content, django_capture_on_commit_callbacks
):
    before = client.get("/api/v1/helplines/child-focus-116000/").json()
    helpline = live_content["helpline"]
    with django_capture_on_commit_callbacks(execute=True):
        helpline.name = "Nog niet gepubliceerd"
        helpline.save_revision()
    assert client.get("/api/v1/helplines/child-focus-116000/").json() == before


def test_a_citation_change_reaches_the_faq_that_cites_it(
    client, response_cache, live_content, django_capture_on_commit_callbacks
):
    assert "Lanzarote-verdrag" in client.get("/api/v1/faqs/veelgestelde-vragen/").content.decode()
    assert "Lanzarote-verdrag" in client.get("/api/v1/citations/").content.decode()
    citation = live_content["citation"]
    with django_capture_on_commit_callbacks(execute=True):
        citation.title = "Verdrag van Lanzarote"
        publish(citation)
    assert "Verdrag van Lanzarote" in client.get("/api/v1/faqs/veelgestelde-vragen/").content.decode()
    assert "Verdrag van Lanzarote" in client.get("/api/v1/citations/").content.decode()


def test_unpublishing_removes_the_page_from_cached_lists_details_and_search(
    client, response_cache, live_content, django_capture_on_commit_callbacks
):
    urls = ["/api/v1/faqs/", "/api/v1/campaigns/", "/api/v1/search/?q=bellen"]
    assert client.get("/api/v1/faqs/").json()["count"] == 1
    assert client.get("/api/v1/search/?q=bellen").json()["count"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        live_content["tree"].faq.unpublish()
    assert client.get("/api/v1/faqs/").json()["count"] == 0
    assert client.get("/api/v1/faqs/veelgestelde-vragen/").status_code == 404
    assert client.get("/api/v1/search/?q=bellen").json()["count"] == 0
    assert client.get(urls[1]).json()["results"][0]["faqs"] == []


def test_a_new_view_restriction_on_the_campaign_hides_its_faq_at_once(
    client, response_cache, live_content, django_capture_on_commit_callbacks
):
    assert client.get("/api/v1/faqs/veelgestelde-vragen/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=live_content["tree"].campaign,
            restriction_type=PageViewRestriction.PASSWORD,
            password="geheim",
        )
    assert client.get("/api/v1/faqs/veelgestelde-vragen/").status_code == 404
    assert client.get("/api/v1/faqs/").json()["count"] == 0


def test_a_scheduled_expiry_ends_the_cached_entry_at_that_moment(
    client, response_cache, live_content, expire_soon, monkeypatch
):
    expiry = expire_soon(live_content["tree"].faq)
    response = client.get("/api/v1/faqs/veelgestelde-vragen/")
    assert response.status_code == 200
    assert 0 < int(response["Cache-Control"].split("max-age=")[1].split(",")[0]) <= 30
    assert client.get("/api/v1/faqs/").json()["count"] == 1
    just_after(monkeypatch, expiry)
    assert client.get("/api/v1/faqs/veelgestelde-vragen/").status_code == 404
    assert client.get("/api/v1/faqs/").json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_memos_without_the_response_cache_follow_publishing_and_the_clock(
    client, response_cache, settings, live_content, django_capture_on_commit_callbacks, monkeypatch
):
    settings.BAKEN_API_RESPONSE_CACHE = False
    faq = live_content["tree"].faq
    assert [item["slug"] for item in client.get("/api/v1/faqs/").json()["results"]] == [faq.slug]
    with django_capture_on_commit_callbacks(execute=True):
        faq.unpublish()
    assert client.get("/api/v1/faqs/").json()["count"] == 0
    expiry = timezone.now() + dt.timedelta(seconds=30)
    with django_capture_on_commit_callbacks(execute=True):
        faq.expire_at = expiry
        publish(faq)
    assert client.get("/api/v1/faqs/?locale=fr").json()["count"] == 1
    just_after(monkeypatch, expiry)
    assert client.get("/api/v1/faqs/?locale=fr").json()["count"] == 0


def test_a_campaign_expiring_hides_its_faqs_at_that_moment_though_the_parents_are_memoised(
    client, response_cache, live_content, expire_soon, monkeypatch
):
    expiry = expire_soon(live_content["tree"].campaign)
    assert client.get("/api/v1/faqs/veelgestelde-vragen/").status_code == 200
    assert client.get("/api/v1/faqs/").json()["count"] == 1
    # The memo holds the parents' rows, not a verdict: the clock alone hides the campaign's subtree.
    just_after(monkeypatch, expiry)
    assert client.get("/api/v1/faqs/veelgestelde-vragen/").status_code == 404
    assert client.get("/api/v1/faqs/").json()["count"] == 0


def test_the_pages_that_can_hide_a_subtree_are_read_once_per_content_version(
    client, response_cache, live_content, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def parents_read(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return sum('"numchild" > 0' in query["sql"] for query in queries.captured_queries)

    assert parents_read("/api/v1/faqs/veelgestelde-vragen/") == 1
    assert parents_read("/api/v1/faqs/?locale=fr") == 0
    with django_capture_on_commit_callbacks(execute=True):
        publish(live_content["tree"].campaign)
    assert parents_read("/api/v1/faqs/?locale=fr") == 1


def test_entries_are_keyed_by_served_language_and_query(client, response_cache, live_content):
    dutch = client.get("/api/v1/helplines/")
    french = client.get("/api/v1/helplines/", HTTP_ACCEPT_LANGUAGE="fr-BE,fr;q=0.9")
    assert dutch.json()["results"][0]["name"] == "Hulplijn 116000"
    assert french.json()["results"][0]["name"] == "Ligne d'aide 116000"
    assert french["Content-Language"] == "fr"
    assert client.get("/api/v1/helplines/?locale=fr").json()["results"][0]["name"] == "Ligne d'aide 116000"
    assert client.get("/api/v1/helplines/?limit=1").json()["next"] is None
    assert client.get("/api/v1/helplines/?limit=1&offset=1").json()["results"] == []
    assert client.get("/api/v1/helplines/?limit=abc").status_code == 400


def test_a_cached_json_citation_list_is_never_the_answer_to_an_accept_naming_csl(
    client, response_cache, live_content
):
    csl_type = "application/vnd.citationstyles.csl+json"
    first = client.get("/api/v1/citations/")
    assert client.get("/api/v1/citations/")["Content-Type"] == "application/json"  # a hit
    for accept in (csl_type, f"{csl_type}, application/json;q=0.5", f"{csl_type};q=1, */*;q=0.1"):
        answer = client.get("/api/v1/citations/", HTTP_ACCEPT=accept)
        assert (answer.status_code, answer["Content-Type"]) == (200, csl_type), accept
        assert answer.json()[0]["title"] == "Lanzarote-verdrag"
    # And the JSON entry is still what JSON clients get, with the Vary a CDN needs.
    again = client.get("/api/v1/citations/", HTTP_ACCEPT="application/json")
    assert again.content == first.content
    assert "Accept" in [value.strip() for value in again["Vary"].split(",")]


def test_an_unreachable_cache_falls_back_to_the_database(client, settings, live_content):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    settings.BAKEN_API_RESPONSE_CACHE = True
    response = client.get("/api/v1/helplines/child-focus-116000/")
    assert response.status_code == 200
    assert response.json()["contact_points"][0]["value"] == "116000"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _numbers_served(url: str) -> set[str]:
    """The phone numbers the FAQ at ``url`` shows for "child-focus-116000"."""
    body = _get_json(url)
    return {
        h["contact_points"][0]["value"]
        for s in body["sections"]
        for q in s["questions"]
        for h in q["helplines"]
        if h["slug"] == "child-focus-116000"
    }


def _get_json(url: str, attempts: int = 60):
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body = response.read()
                check_http_answer(url, status=response.status, headers=response.headers, body=body)
                return json.loads(body)
        except OSError:
            time.sleep(0.25)
    raise AssertionError(f"{url} did not answer")


@pytest.mark.skipif(
    not redis_reachable(), reason="Redis is not running on 127.0.0.1:6379 (.ci/run starts it)"
)
def test_two_server_processes_sharing_redis_both_serve_a_published_change_at_once(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "baken.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6379/14",
        "BAKEN_CACHE_PREFIX": f"two-processes-{uuid.uuid4().hex}",
    }
    manage = [sys.executable, str(REPO / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=REPO)
    subprocess.run([*manage, "load_demo_content"], env=env, check=True, cwd=REPO, capture_output=True)
    ports = [_free_port(), _free_port()]
    servers = [
        subprocess.Popen(
            [*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        url = "http://127.0.0.1:{}/api/v1/faqs/veelgestelde-vragen/?locale=fr"
        for port in ports:
            assert _numbers_served(url.format(port)) == {"116000"}
            _get_json(url.format(port))  # now cached in Redis
        change = (
            "from cms.models import HelpLine, ContactPoint\n"
            "h = HelpLine.objects.get(slug='child-focus-116000', locale__language_code='nl')\n"
            "h.contact_points = [ContactPoint(contact_type='phone', value='+3224754411', label='Bel')]\n"
            "h.save(); h.save_revision().publish()\n"
        )
        subprocess.run([*manage, "shell", "-v0", "-c", change], env=env, check=True, cwd=REPO)
        for port in ports:
            assert _numbers_served(url.format(port)) == {"+3224754411"}, port
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


def test_if_modified_since_gets_304_until_the_content_changes(
    client,
    response_cache,
    live_content,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
    hit_queries,
):
    first = client.get("/api/v1/helplines/child-focus-116000/")
    last_modified = first["Last-Modified"]
    with django_assert_num_queries(hit_queries()):
        revalidated = client.get(
            "/api/v1/helplines/child-focus-116000/", HTTP_IF_MODIFIED_SINCE=last_modified
        )
    assert revalidated.status_code == 304
    assert revalidated["Last-Modified"] == last_modified
    helpline = live_content["helpline"]
    with django_capture_on_commit_callbacks(execute=True):
        helpline.name = "Hulplijn 116000 (nieuw)"
        publish(helpline)
    changed = client.get("/api/v1/helplines/child-focus-116000/", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert changed.status_code == 200
    assert changed.json()["name"] == "Hulplijn 116000 (nieuw)"
    from django.utils.http import parse_http_date

    assert parse_http_date(changed["Last-Modified"]) > parse_http_date(last_modified)


def test_an_unrelated_change_keeps_last_modified(
    client, response_cache, live_content, django_capture_on_commit_callbacks
):
    first = client.get("/api/v1/citations/")
    with django_capture_on_commit_callbacks(execute=True):
        # Citations depend on pages (their notes may link to one): the cache entry is rebuilt,
        # but the representation is the same, so its date stays.
        publish(live_content["tree"].faq)
    again = client.get("/api/v1/citations/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


def test_a_hit_repeats_every_header_of_the_first_answer_except_its_freshness(
    client, response_cache, live_content, django_assert_num_queries, hit_queries
):
    url = "/api/v1/faqs/veelgestelde-vragen/?locale=fr"
    first = client.get(url)
    with django_assert_num_queries(hit_queries()):
        second = client.get(url)
    per_answer = {"Cache-Control", "Date", "RateLimit"}  # freshness; what is left of the rate limit
    assert {name: value for name, value in second.items() if name not in per_answer} == {
        name: value for name, value in first.items() if name not in per_answer
    }
    # Headers added by middleware the hit never reaches are replayed from the entry.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["X-Frame-Options"] == first["X-Frame-Options"]
    body = second.json()
    assert (body["locale"], second["Content-Language"].split(", ")[0]) == ("nl", "nl")  # a fallback
    assert second["Cache-Control"].startswith("public, max-age=")


def test_an_entry_remembered_in_memory_is_not_served_after_the_shared_cache_is_flushed(
    client, response_cache, live_content, monkeypatch
):
    from api.response_cache import versions

    url = "/api/v1/helplines/child-focus-116000/"
    assert client.get(url).json()["name"] == "Hulplijn 116000"
    cache.clear()  # versions and entries gone from the shared cache; this process still holds the entry
    # A change no signal reported: the change log has it, and the versions come from there.
    HelpLine.objects.filter(pk=live_content["helpline"].pk).update(name="Hulplijn 116000 (gewijzigd)")
    if response_cache == "redis":
        # Nothing told Redis: each process reads the change log itself at least once a second.
        later = time.monotonic() + versions.POLL_SECONDS
        monkeypatch.setattr(versions.time, "monotonic", lambda: later)
    assert client.get(url).json()["name"] == "Hulplijn 116000 (gewijzigd)"


def test_entries_kept_in_memory_are_bounded_by_size():
    from api.response_cache.entries import _LocalEntries

    local = _LocalEntries(max_bytes=3 * (100 + 512))
    for index in range(4):
        local.put(f"entry-{index}", {"content": b"x" * 100})
    assert local.get("entry-0") is None
    assert [local.get(f"entry-{index}") is not None for index in (1, 2, 3)] == [True, True, True]
    assert local.size == 3 * (100 + 512)
    local.put("too-big", {"content": b"x" * 4096})
    assert local.get("too-big") is None
    assert local.get("entry-1") is not None


def test_memos_kept_in_the_process_expire_and_are_bounded(monkeypatch):
    from api.response_cache import store

    memos = store._LocalMemos(max_entries=2)
    clock = [1000.0]
    monkeypatch.setattr(store.time, "monotonic", lambda: clock[0])
    memos.put("a", [1], seconds=60)
    memos.put("b", [2], seconds=60)
    assert memos.get("a") == ([1],)
    memos.put("c", [3], seconds=60)  # "b" was used least recently
    assert memos.get("b") is None
    assert memos.get("c") == ([3],)
    clock[0] += 60
    assert memos.get("a") is None
    assert memos.get("c") is None


def test_versions_written_by_an_older_release_do_not_break_the_api(client, response_cache, live_content):
    import pickle

    from api.response_cache.store import shared_store
    from api.response_cache.versions import VERSION_KEYS

    # An older release wrote the versions through Django's cache, pickled.
    for key in VERSION_KEYS:
        shared_store().set(key, pickle.dumps(uuid.uuid4().hex), None)
    assert client.get("/api/v1/faqs/").status_code == 200
    assert client.get("/api/v1/faqs/veelgestelde-vragen/").status_code == 200


def test_a_next_transition_remembered_from_a_later_moment_is_not_used_earlier(
    response_cache, live_content, expire_soon
):
    from api import response_cache as cache_module

    expiry = expire_soon(live_content["tree"].faq, whole_second=True)
    versions = cache_module.current_versions()
    # A request that started after the expiry remembers what comes after it ...
    later = cache_module.next_transition(versions=versions, now=expiry + dt.timedelta(seconds=1))
    assert later > expiry
    # ... which a request that started before the expiry must not take for its own next change.
    assert cache_module.next_transition(versions=versions, now=expiry - dt.timedelta(seconds=5)) == expiry


def test_the_cache_key_reads_the_query_as_django_does():
    from api.response_cache.entries import _entry_key_for

    raw_utf8 = "q=café".encode().decode("iso-8859-1")  # as WSGI hands raw UTF-8 bytes over
    double_encoded = "q=caf%C3%83%C2%A9"  # percent-encoded "cafÃ©"
    assert _entry_key_for("/api/v1/search/", raw_utf8, "") != _entry_key_for(
        "/api/v1/search/", double_encoded, ""
    )
    assert _entry_key_for("/api/v1/search/", raw_utf8, "") == _entry_key_for(
        "/api/v1/search/", "q=caf%C3%A9", ""
    )


def test_an_invalidation_that_failed_while_the_cache_was_down_happens_when_it_is_back(
    client, response_cache, live_content, django_capture_on_commit_callbacks, monkeypatch
):
    from api.response_cache.store import shared_store

    url = "/api/v1/helplines/child-focus-116000/"
    assert client.get(url).json()["name"] == "Hulplijn 116000"
    store = shared_store()

    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    with monkeypatch.context() as patch:
        patch.setattr(store, "raise_to", unreachable)
        with django_capture_on_commit_callbacks(execute=True):
            helpline = live_content["helpline"]
            helpline.name = "Hulplijn 116000 (nieuw)"
            publish(helpline)
    # The versions come from the change log: the change is served although the writer could not
    # tell the cache.
    assert client.get(url).json()["name"] == "Hulplijn 116000 (nieuw)"
