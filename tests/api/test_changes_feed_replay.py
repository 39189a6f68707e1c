"""Replaying the feed reproduces exactly the public objects.

A client that applies the feed's upserts and tombstones to a dict, from an initial sync on, holds
after every step of a random sequence of publishes, edits, unpublishes, deletes, restrictions,
moves, scheduled go-lives and expiries (and the clock passing them) exactly what the list and
detail endpoints serve — computed independently, from those endpoints. (Over real HTTP:
tests/api/test_changes_feed_http.py.)
"""

import datetime as dt
from unittest import mock

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Page, PageViewRestriction

from cms.pages.models import CampaignPage, FAQPage
from cms.snippets.models import HelpLine, SourceCitation
from tests.api.conftest import LOCALES, Site
from tests.content import publish

LISTS = {"campaign": "/campaigns/", "faq": "/faqs/", "helpline": "/helplines/", "citation": "/citations/"}
TARGETS = (
    "campaign",
    "other_campaign",
    "faq",
    "faq_fr",
    "hl_247",
    "hl_office",
    "cit_lanzarote",
    "cit_report",
)
PAGE_TARGETS = ("campaign", "other_campaign", "faq", "faq_fr")
OPERATIONS = (
    "edit",
    "unpublish",
    "republish",
    "delete",
    "restrict",
    "unrestrict",
    "move",
    "expire",
    "go_live",
)
SCOPES = ("fr", "all")


def _stable(value):
    """The data without what the clock alone changes and the feed does not re-emit (documented):
    a help-line's ``open_now`` and a key date's ``next_occurrence``."""
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if k not in ("open_now", "next_occurrence")}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


class Client:
    """A channel: its copy, and where it is in the feed."""

    def __init__(self, get, locale: str):
        self.get, self.locale, self.copy, self.token = get, locale, {}, None

    def sync(self, limit: int = 3) -> None:
        while True:
            query = {"locale": self.locale, "limit": limit, **({"since": self.token} if self.token else {})}
            body = self.get("/changes/", query)
            for item in body["results"]:
                key = (item["type"], item["key"], item["locale"])
                if item["op"] == "upsert":
                    self.copy[key] = _stable(item["data"])
                else:
                    self.copy.pop(key, None)
            self.token = body["next_token"]
            if not body["more"]:
                return


def detail_path(type_: str, result: dict) -> str:
    return f"{LISTS[type_]}{result['id'] if type_ == 'citation' else result['slug']}/"


def public_objects(get, scope: str) -> dict:
    """What the endpoints serve, item by item (independently of the feed)."""
    expected = {}
    for locale in LOCALES if scope == "all" else (scope,):
        for type_, path in LISTS.items():
            for result in get(path, {"locale": locale, "limit": 100})["results"]:
                if scope == "all" and result["is_fallback"]:
                    continue
                detail = get(detail_path(type_, result), {"locale": locale})
                expected[(type_, str(result["translation_key"]), locale)] = _stable(detail)
    return expected


def differences(copy: dict, expected: dict) -> list:
    """What differs, item by item and field by field (for the failure message)."""
    found = [("missing", key) for key in expected.keys() - copy.keys()]
    found += [("extra", key) for key in copy.keys() - expected.keys()]
    for key in copy.keys() & expected.keys():
        fields = {
            name
            for name in copy[key].keys() | expected[key].keys()
            if copy[key].get(name) != expected[key].get(name)
        }
        if fields:
            found.append(
                ("differs", key, {name: (copy[key].get(name), expected[key].get(name)) for name in fields})
            )
    return found


class World:
    """The site, changed by editors' operations, with a clock that moves on."""

    def __init__(self, site: Site, clock: list):
        self.site, self.clock = site, clock
        self.pks = {name: getattr(site, name).pk for name in TARGETS if name != "other_campaign"}
        self.pks["other_campaign"] = site.content.campaign("tweede-campagne", "Tweede campagne").pk
        self.models = {
            **dict.fromkeys(("campaign", "other_campaign"), CampaignPage),
            "faq": FAQPage,
            "faq_fr": FAQPage,
            **dict.fromkeys(("hl_247", "hl_office"), HelpLine),
            **dict.fromkeys(("cit_lanzarote", "cit_report"), SourceCitation),
        }
        self.edits = 0

    def obj(self, name):
        return self.models[name].objects.filter(pk=self.pks[name]).first()

    def apply(self, operation: str, name: str) -> None:
        obj = self.obj(name)
        if obj is None:
            return  # deleted (or deleted with its parent)
        is_page = name in PAGE_TARGETS
        later = self.clock[0] + dt.timedelta(hours=1)
        if operation == "edit":
            self.edits += 1
            setattr(obj, "title" if is_page or name.startswith("cit") else "name", f"Versie {self.edits}")
            publish(obj)
        elif operation == "unpublish" and obj.live:
            obj.unpublish()
        elif operation == "republish":
            obj.go_live_at = obj.expire_at = None
            publish(obj)
        elif operation == "delete" and name != "faq":  # keep something to move
            obj.delete()
        elif operation == "restrict" and is_page:
            PageViewRestriction.objects.get_or_create(page=obj, restriction_type="password", password="x")
        elif operation == "unrestrict" and is_page:
            PageViewRestriction.objects.filter(page=obj).delete()
        elif operation == "move" and name in ("faq", "faq_fr"):
            targets = [self.obj(n) for n in ("campaign", "other_campaign")]
            parent = obj.get_parent()
            target = next((t for t in targets if t is not None and t.pk != parent.pk), None)
            if target is not None:
                Page.objects.get(pk=obj.pk).move(target, pos="last-child")
        elif operation == "expire":
            obj.expire_at = later
            publish(obj)
        elif operation == "go_live":
            # A scheduled go-live on the row (live, but not public until then), as a bulk update sets it.
            type(obj).objects.filter(pk=obj.pk).update(go_live_at=later)

    def advance(self, minutes: int) -> None:
        self.clock[0] += dt.timedelta(minutes=minutes)


step = st.one_of(
    st.tuples(st.sampled_from(OPERATIONS), st.sampled_from(TARGETS)),
    st.tuples(st.just("advance"), st.sampled_from([30, 90, 150])),
)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=7))
def test_replaying_the_feed_reproduces_the_public_objects(site, api, steps):
    clock = [timezone.now()]

    def get(path, query):
        return api.json(path, query)

    # Each example is rolled back, and with it the change log's sequence: the content versions of
    # the next example repeat the numbers, so the memos keyed on them must go (in production a
    # sequence is never used twice).
    cache.clear()
    with mock.patch("django.utils.timezone.now", side_effect=lambda: clock[0]), transaction.atomic():
        world = World(site, clock)
        clients = [Client(get, scope) for scope in SCOPES]
        for client in clients:
            client.sync()
            assert client.copy == public_objects(get, client.locale)
        for operation, argument in steps:
            if operation == "advance":
                world.advance(argument)
            else:
                world.apply(operation, argument)
            for client in clients:
                client.sync()
                expected = public_objects(get, client.locale)
                assert client.copy == expected, (
                    operation,
                    argument,
                    client.locale,
                    differences(client.copy, expected),
                )
        transaction.set_rollback(True)
