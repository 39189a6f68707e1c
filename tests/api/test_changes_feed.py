"""The delta-sync feed GET /api/v1/changes/: initial sync, deltas with their reasons, locales,
tokens, parameters, compaction (410) and clock-driven changes."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import PageViewRestriction

from api.feed import tokens
from cms.change_log import compact
from tests.api.conftest import PROBLEM_JSON, assert_problem, at
from tests.content import publish

DETAIL = {"faq": "/faqs/{slug}/", "campaign": "/campaigns/{slug}/", "helpline": "/helplines/{slug}/"}


def feed(api, **params):
    response = api.get("/changes/", params)
    assert response.status_code == 200, response.content[:500]
    assert response["Cache-Control"] == "private, no-store"
    return response.json()


def drain(api, copy: dict, token: str | None = None, **params) -> tuple[str, list[dict]]:
    """The client loop: follow ``next`` while ``more``; apply every item to ``copy``."""
    seen = []
    while True:
        body = feed(api, **params, **({"since": token} if token else {}))
        for item in body["results"]:
            apply(copy, item)
        seen += body["results"]
        token = body["next_token"]
        assert body["next"].endswith(token.replace(":", "%3A")) or "since=" in body["next"]
        if not body["more"]:
            return token, seen


def apply(copy: dict, item: dict) -> None:
    key = (item["type"], item["key"], item["locale"])
    if item["op"] == "upsert":
        copy[key] = item["data"]
    else:
        assert item["data"] is None and item["reason"]
        copy.pop(key, None)


def by_key(items) -> dict:
    return {(item["type"], item["key"], item["locale"]): item for item in items}


def detail_of(api, item: dict) -> dict:
    path = item["url"].split("/api/v1", 1)[1]
    return api.json(path)


# --- the initial sync ----------------------------------------------------------------------------


def test_initial_sync_pages_through_every_public_object(site, api, openapi):
    copy: dict = {}
    pages = []
    token = None
    while True:
        response = api.get("/changes/", {"limit": 2, **({"since": token} if token else {})})
        openapi.validate(response)
        body = response.json()
        pages.append(body)
        assert body["mode"] == "snapshot" and len(body["results"]) <= 2
        for item in body["results"]:
            assert item["op"] == "upsert" and item["reason"] is None
            assert (item["type"], item["key"], item["locale"]) not in copy
            apply(copy, item)
        token = body["next_token"]
        if not body["more"]:
            break
    assert len(pages) == 3  # 2 help-lines, 2 citations, 1 campaign, 1 FAQ: 6 items, 2 a page
    assert sorted(t for t, _, _ in copy) == [
        "campaign",
        "citation",
        "citation",
        "faq",
        "helpline",
        "helpline",
    ]
    assert {locale for _, _, locale in copy} == {"nl"}
    # Every upsert is what its detail endpoint serves.
    for item in (item for page in pages for item in page["results"]):
        assert detail_of(api, item) == item["data"]
    faq = next(item for page in pages for item in page["results"] if item["type"] == "faq")
    assert faq["key"] == str(site.faq.translation_key) and faq["slug"] == "veelgestelde-vragen"
    assert faq["url"] == "http://testserver/api/v1/faqs/veelgestelde-vragen/?locale=nl"
    # The last snapshot token is a delta position: nothing changed since.
    body = feed(api, since=token, limit=2)
    assert body == {**body, "mode": "delta", "more": False, "results": []}


def test_single_locale_follows_the_fallback_rules(site, api):
    copy: dict = {}
    drain(api, copy, locale="de")
    faq = copy[("faq", str(site.faq.translation_key), "de")]
    assert faq["locale"] == "nl" and faq["is_fallback"] is True
    assert faq == api.json("/faqs/veelgestelde-vragen/", locale="de")
    french: dict = {}
    drain(api, french, locale="fr")
    assert french[("faq", str(site.faq.translation_key), "fr")]["slug"] == "questions-frequentes"


def test_locale_all_has_each_translation_as_its_own_item(site, api):
    copy: dict = {}
    drain(api, copy, locale="all")
    assert {locale for t, key, locale in copy if t == "faq"} == {"nl", "fr"}
    assert {locale for t, key, locale in copy if t == "campaign"} == {"nl", "fr", "en"}
    assert {locale for t, key, locale in copy if key == str(site.cit_lanzarote.translation_key)} == {
        "nl",
        "fr",
        "en",
    }
    assert all(data["locale"] == locale and not data["is_fallback"] for (_, _, locale), data in copy.items())
    assert copy[("faq", str(site.faq.translation_key), "fr")] == api.json(
        "/faqs/questions-frequentes/", locale="fr"
    )


def test_changes_during_an_initial_sync_are_served_after_it(site, api):
    first = feed(api, limit=2)
    site.hl_office.name = "Kantoorlijn (nieuw)"
    publish(site.hl_office)
    copy: dict = {}
    for item in first["results"]:
        apply(copy, item)
    token, _ = drain(api, copy, first["next_token"], limit=2)
    _, delta = drain(api, copy, token, limit=2)
    assert ("helpline", str(site.hl_office.translation_key), "nl") in by_key(delta)
    assert copy[("helpline", str(site.hl_office.translation_key), "nl")]["name"] == "Kantoorlijn (nieuw)"


# --- deltas and their reasons -------------------------------------------------------------------


def synced(api, **params) -> str:
    token, _ = drain(api, {}, **params)
    return token


def test_nothing_changed_gives_an_empty_delta_and_a_token_that_moves_the_clock(site, api):
    token = synced(api)
    body = feed(api, since=token)
    assert body["results"] == [] and body["more"] is False and body["mode"] == "delta"
    before, after = tokens.read(token), tokens.read(body["next_token"])
    assert after.sequence == before.sequence and after.as_of >= before.as_of


def test_unpublished_helpline_is_a_tombstone_and_its_embedders_are_upserted(site, api):
    token = synced(api)
    site.hl_office.unpublish()
    _, delta = drain(api, {}, token)
    items = by_key(delta)
    tombstone = items[("helpline", str(site.hl_office.translation_key), "nl")]
    assert tombstone == {**tombstone, "op": "tombstone", "reason": "unpublished", "data": None, "url": None}
    faq = items[("faq", str(site.faq.translation_key), "nl")]
    assert faq["op"] == "upsert" and faq["data"] == api.json("/faqs/veelgestelde-vragen/")
    shown = [h["slug"] for s in faq["data"]["sections"] for q in s["questions"] for h in q["helplines"]]
    assert "kantoor-lijn" not in shown
    campaign = items[("campaign", str(site.campaign.translation_key), "nl")]
    assert [h["slug"] for h in campaign["data"]["helplines"]] == ["child-focus-116000"]


def test_edited_citation_reaches_the_faq_that_cites_it(site, api):
    token = synced(api)
    site.cit_lanzarote.title = "Verdrag van Lanzarote (CETS 201)"
    publish(site.cit_lanzarote)
    _, delta = drain(api, {}, token)
    items = by_key(delta)
    assert items[("citation", str(site.cit_lanzarote.translation_key), "nl")]["data"]["title"].endswith(
        "(CETS 201)"
    )
    faq = items[("faq", str(site.faq.translation_key), "nl")]["data"]
    assert faq["sections"][0]["questions"][0]["citations"][0]["title"].endswith("(CETS 201)")


def test_deleted_citation_is_a_deleted_tombstone(site, api):
    token = synced(api)
    key = str(site.cit_report.translation_key)
    site.cit_report.delete()
    _, delta = drain(api, {}, token)
    assert by_key(delta)[("citation", key, "nl")]["reason"] == "deleted"


@pytest.mark.parametrize(
    ("change", "campaign_reason", "faq_reason"),
    [
        ("unpublish", "unpublished", "hidden_by_ancestor"),
        ("restrict", "restricted", "restricted"),
    ],
)
def test_a_hidden_campaign_hides_its_faq(site, api, change, campaign_reason, faq_reason):
    token = synced(api)
    if change == "unpublish":
        site.campaign.unpublish()
    else:
        PageViewRestriction.objects.create(page=site.campaign, restriction_type="password", password="x")
    _, delta = drain(api, {}, token)
    items = by_key(delta)
    assert items[("campaign", str(site.campaign.translation_key), "nl")]["reason"] == campaign_reason
    assert items[("faq", str(site.faq.translation_key), "nl")]["reason"] == faq_reason


def test_an_faq_moved_below_a_hidden_page_is_a_tombstone(site, api):
    hidden = site.content.campaign("verborgen", "Verborgen", live=False)
    token = synced(api)
    site.faq.move(hidden, pos="last-child")
    _, delta = drain(api, {}, token)
    items = by_key(delta)
    assert items[("faq", str(site.faq.translation_key), "nl")]["reason"] == "hidden_by_ancestor"
    campaign = items[("campaign", str(site.campaign.translation_key), "nl")]
    assert campaign["op"] == "upsert" and campaign["data"]["faqs"] == []


def test_a_translation_unpublished_falls_back_in_its_locale_and_is_a_tombstone_with_all(site, api):
    french, every = synced(api, locale="fr"), synced(api, locale="all")
    site.faq_fr.unpublish()
    _, delta = drain(api, {}, french, locale="fr")
    faq = by_key(delta)[("faq", str(site.faq.translation_key), "fr")]
    assert faq["op"] == "upsert" and faq["data"]["locale"] == "nl" and faq["data"]["is_fallback"] is True
    assert faq["data"] == api.json("/faqs/veelgestelde-vragen/", locale="fr")
    _, delta = drain(api, {}, every, locale="all")
    items = by_key(delta)
    assert items[("faq", str(site.faq.translation_key), "fr")]["reason"] == "unpublished"
    assert items[("faq", str(site.faq.translation_key), "nl")]["op"] == "upsert"


def test_a_deleted_translation_is_a_tombstone_with_all(site, api):
    every = synced(api, locale="all")
    key = str(site.hl_247.translation_key)
    site.hl_247_fr.delete()
    _, delta = drain(api, {}, every, locale="all")
    assert by_key(delta)[("helpline", key, "fr")]["reason"] == "not_translated"
    assert by_key(delta)[("helpline", key, "nl")]["op"] == "upsert"


def test_a_document_change_rejudges_everything_page_by_page(site, api):
    token = synced(api)
    document = get_document_model()(title="Folder")
    document.file.save("folder.pdf", ContentFile(b"%PDF-1.4"), save=False)
    document.save()
    bodies = []
    while True:
        body = feed(api, since=token, limit=2)
        bodies.append(body)
        token = body["next_token"]
        if not body["more"]:
            break
    results = [item for body in bodies for item in body["results"]]
    assert len(bodies) == 3 and all(len(body["results"]) == 2 for body in bodies)
    assert len(by_key(results)) == 6 and {item["op"] for item in results} == {"upsert"}
    assert feed(api, since=token)["results"] == []


# --- the clock ----------------------------------------------------------------------------------


def test_scheduled_expiry_and_go_live_appear_at_their_moment(site, api):
    now = timezone.now()
    soon, later = now + dt.timedelta(hours=1), now + dt.timedelta(hours=2)
    token = synced(api)
    site.faq.expire_at = soon
    site.faq = publish(site.faq)
    # A help-line whose go-live moment is still to come (set on the row, as a bulk update would).
    type(site.hl_office).objects.filter(pk=site.hl_office.pk).update(go_live_at=later)
    helpline_item = ("helpline", str(site.hl_office.translation_key), "nl")
    faq_item = ("faq", str(site.faq.translation_key), "nl")
    token, delta = drain(api, {}, token)
    assert by_key(delta)[helpline_item]["reason"] == "not_yet_live"
    assert by_key(delta)[faq_item]["op"] == "upsert"
    with at((soon + dt.timedelta(seconds=1)).isoformat()):
        token, delta = drain(api, {}, token)
    assert by_key(delta)[faq_item]["reason"] == "expired"
    assert helpline_item not in by_key(delta)
    with at((later + dt.timedelta(seconds=1)).isoformat()):
        token, delta = drain(api, {}, token)
        assert by_key(delta)[helpline_item]["data"] == api.json("/helplines/kantoor-lijn/")
    # The FAQ embeds the help-line, so it is judged again: still expired.
    assert by_key(delta)[faq_item]["reason"] == "expired"


def test_a_scheduled_revision_is_published_and_served_at_its_moment(site, api):
    token = synced(api)
    moment = timezone.now() + dt.timedelta(hours=1)
    site.hl_office.name = "Kantoorlijn (gepland)"
    site.hl_office.go_live_at = moment
    site.hl_office.save_revision().publish()  # a live help-line: the revision waits for its moment
    assert api.json("/helplines/kantoor-lijn/")["name"] == "Kantoorlijn"
    token, delta = drain(api, {}, token)
    assert all(item["data"]["name"] == "Kantoorlijn" for item in delta if item["type"] == "helpline")
    with at((moment + dt.timedelta(seconds=1)).isoformat()):
        _, delta = drain(api, {}, token)
    assert by_key(delta)[("helpline", str(site.hl_office.translation_key), "nl")]["data"]["name"] == (
        "Kantoorlijn (gepland)"
    )


# --- tokens, parameters, compaction --------------------------------------------------------------


def test_unknown_and_bad_parameters_are_400(site, api):
    assert_problem(api.get("/changes/", {"offset": "1"}), 400, invalid={"offset"})
    assert_problem(api.get("/changes/", {"limit": "0"}), 400, invalid={"limit"})
    assert_problem(api.get("/changes/", {"limit": "101"}), 400, invalid={"limit"})
    assert_problem(api.get("/changes/", {"locale": "xx"}), 400, invalid={"locale"})


@pytest.mark.parametrize("tamper", ["garbage", "flip", "unsigned", "other-salt", "old-version"])
def test_a_malformed_or_forged_token_is_400(site, api, tamper):
    from django.core import signing

    token = feed(api)["next_token"]
    forged = {
        "garbage": "not-a-token",
        "flip": token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"),
        "unsigned": token.split(":")[0],
        "other-salt": signing.dumps({"v": 1, "k": "delta", "s": 0}, salt="something.else"),
        "old-version": signing.dumps({"v": 0, "k": "delta", "s": 0}, salt=tokens.SALT),
    }[tamper]
    body = assert_problem(api.get("/changes/", {"since": forged}), 400, invalid={"since"})
    assert "start again without since" in body["invalid_params"][0]["reason"]


def test_a_token_is_valid_only_for_its_locale(site, api):
    token = synced(api, locale="fr")
    assert_problem(api.get("/changes/", {"since": token}), 400, invalid={"since"})
    assert_problem(api.get("/changes/", {"since": token, "locale": "all"}), 400, invalid={"since"})
    assert feed(api, since=token, locale="fr")["mode"] == "delta"
    # Accept-Language chooses the locale as on every endpoint.
    assert api.get("/changes/", {"since": token}, accept_language="fr-BE").status_code == 200


def test_a_token_older_than_the_compacted_log_is_410_and_a_fresh_sync_works(site, api, openapi):
    token = synced(api)
    for name in ("Kantoorlijn 2", "Kantoorlijn 3"):
        site.hl_office.name = name
        site.hl_office = publish(site.hl_office)
    result = compact(keep_days=0, now=timezone.now() + dt.timedelta(days=1))
    assert result.horizon > tokens.read(token).sequence
    response = api.get("/changes/", {"since": token, "limit": 5})
    openapi.validate(response)
    body = assert_problem(response, 410)
    assert response["Content-Type"] == PROBLEM_JSON
    assert body["type"] == "urn:baken:problem:changes-compacted"
    assert body["restart"] == "http://testserver/api/v1/changes/?limit=5"
    assert "start a fresh sync without `since`" in body["detail"] and body["restart"] in body["detail"]
    copy: dict = {}
    fresh, _ = drain(api, copy)
    assert copy[("helpline", str(site.hl_office.translation_key), "nl")]["name"] == "Kantoorlijn 3"
    assert feed(api, since=fresh)["results"] == []


def test_a_snapshot_older_than_the_compacted_log_is_410(site, api):
    first = feed(api, limit=1)
    for name in ("Kantoorlijn 2", "Kantoorlijn 3"):  # the newest entry of a family is always kept
        site.hl_office.name = name
        site.hl_office = publish(site.hl_office)
    compact(keep_days=0, now=timezone.now() + dt.timedelta(days=1))
    assert_problem(api.get("/changes/", {"since": first["next_token"], "limit": 1}), 410)


def test_a_changed_locale_configuration_makes_tokens_stale(site, api, settings):
    token = synced(api)
    settings.BAKEN_LOCALE_FALLBACKS = {"de": ["fr", "nl"]}
    assert_problem(api.get("/changes/", {"since": token}), 410)
