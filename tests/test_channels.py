"""The channel registry: origins, keys (made, shown once, hashed, rotated, revoked, expired) and
the admin's Settings → Channels, administrators only, with every key event in the history."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from wagtail.models import ModelLogEntry

from cms.channels import keys, selectors
from cms.channels.models import Channel, ChannelKey
from cms.channels.origins import normalise_origin, parse_origins
from tests.users import logged_in

KEY_FORM = re.compile(r"^baken_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$")


@pytest.fixture
def channel(db):
    return Channel.objects.create(
        name="Schat je schatje", contact_email="web@example.org", allowed_origins="https://schatjeschatje.be"
    )


# --- origins --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "origin"),
    [
        ("https://www.Example.org", "https://www.example.org"),
        ("  https://example.org/  ", "https://example.org"),
        ("https://example.org:443", "https://example.org"),
        ("http://127.0.0.1:8001", "http://127.0.0.1:8001"),
        ("HTTP://localhost:80", "http://localhost"),
        ("https://[::1]:8443", "https://[::1]:8443"),
    ],
)
def test_an_origin_is_kept_as_a_browser_sends_it(text, origin):
    assert normalise_origin(text) == origin


@pytest.mark.parametrize(
    "text",
    [
        "example.org",
        "ftp://example.org",
        "https://example.org/faq",
        "https://example.org?x=1",
        "https://user@example.org",
        "https://*.example.org",
        "https://example.org:99999",
        "https://",
    ],
)
def test_what_is_not_an_origin_is_refused_naming_the_line(text, english):
    with pytest.raises(ValueError, match="is not an origin"):
        normalise_origin(text)


@given(
    scheme=st.sampled_from(["http", "https", "HTTPS"]),
    host=st.from_regex(r"[a-z][a-z0-9-]{0,20}(\.[a-z]{2,6}){0,2}", fullmatch=True),
    port=st.one_of(st.none(), st.integers(1, 65535)),
)
def test_normalising_an_origin_twice_changes_nothing(scheme, host, port):
    text = f"{scheme}://{host}" + (f":{port}" if port is not None else "")
    once = normalise_origin(text)
    assert normalise_origin(once) == once
    assert once == once.lower()


def test_origins_are_one_per_line_without_repeats():
    assert parse_origins("https://a.example\n\nhttps://A.example/\nhttp://b.example:8000\n") == [
        "https://a.example",
        "http://b.example:8000",
    ]


# --- keys -----------------------------------------------------------------------------------------


def test_a_key_is_shown_once_and_stored_as_its_prefix_and_digest(channel, admin):
    key, text = keys.issue(channel, label="productie", user=admin)
    assert KEY_FORM.match(text)
    assert text.startswith(key.prefix + "_")
    stored = ChannelKey.objects.get(pk=key.pk)
    assert stored.digest == keys.digest(text) and text not in stored.digest
    assert not ChannelKey.objects.filter(digest=text).exists()
    verdict = selectors.key_verdict(text)
    assert (verdict.state, verdict.channel_id, verdict.valid) == ("valid", channel.pk, True)


@pytest.mark.parametrize(
    "text",
    ["", "nonsense", "baken_00000000_" + "a" * 43, "baken_zzzzzzzz_" + "a" * 43, "baken_1234567_" + "a" * 43],
)
def test_texts_that_are_no_key_are_unknown(channel, text):
    keys.issue(channel)
    assert selectors.key_verdict(text).state == "unknown"


def test_a_key_with_a_known_prefix_but_another_secret_is_unknown(channel):
    key, _ = keys.issue(channel)
    assert selectors.key_verdict(f"{key.prefix}_{'x' * 43}").state == "unknown"


def test_revoked_expired_and_inactive(channel):
    revoked, revoked_text = keys.issue(channel)
    keys.revoke(revoked)
    expired, expired_text = keys.issue(channel, expires_at=timezone.now() + dt.timedelta(seconds=1))
    ChannelKey.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    selectors.forget()
    assert selectors.key_verdict(revoked_text).state == "revoked"
    assert selectors.key_verdict(expired_text).state == "expired"
    _, other_text = keys.issue(channel)
    channel.active = False
    channel.save()
    assert selectors.key_verdict(other_text).state == "inactive"


def test_rotation_keeps_the_old_key_for_the_overlap_then_refuses_it(channel, admin):
    old, old_text = keys.issue(channel, user=admin)
    before = timezone.now()
    new, new_text = keys.rotate(old, overlap=dt.timedelta(days=3), user=admin)
    old.refresh_from_db()
    assert old.replaced_by_id == new.pk
    assert before + dt.timedelta(days=3) <= old.expires_at <= timezone.now() + dt.timedelta(days=3)
    assert selectors.key_verdict(old_text).valid and selectors.key_verdict(new_text).valid
    ChannelKey.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    selectors.forget()
    assert selectors.key_verdict(old_text).state == "expired"
    assert selectors.key_verdict(new_text).valid


def test_rotation_never_lengthens_a_key_that_expires_sooner(channel):
    soon = timezone.now() + dt.timedelta(hours=1)
    old, _ = keys.issue(channel, expires_at=soon)
    keys.rotate(old, overlap=dt.timedelta(days=7))
    old.refresh_from_db()
    assert old.expires_at == soon


def test_key_events_are_in_the_channels_history(channel, admin, english):
    key, _ = keys.issue(channel, user=admin)
    new, _ = keys.rotate(key, user=admin)
    keys.revoke(new, user=admin)
    keys.revoke(new, user=admin)  # a second revocation changes nothing
    entries = ModelLogEntry.objects.filter(object_id=str(channel.pk)).order_by("timestamp", "pk")
    assert [(e.action, e.user_id, e.data.get("prefix")) for e in entries] == [
        (keys.CREATED, admin.pk, key.prefix),
        (keys.CREATED, admin.pk, new.prefix),
        (keys.ROTATED, admin.pk, key.prefix),
        (keys.REVOKED, admin.pk, new.prefix),
    ]
    assert [e.message for e in entries][-1] == f"API key {new.prefix}… revoked"


# --- the admin --------------------------------------------------------------------------------------


def test_an_administrator_registers_a_channel_and_a_bad_origin_writes_nothing(client, admin, english_admin):
    browser = logged_in(client, admin)
    form = {
        "name": "Clicksafe",
        "contact_name": "Web team",
        "contact_email": "web@clicksafe.example",
        "allowed_origins": "https://www.clicksafe.example\nclicksafe.example",
        "rate_limit_policy": "high",
        "active": "on",
    }
    refused = browser.post("/admin/channels/new/", form)
    assert refused.status_code == 200
    assert "“clicksafe.example” is not an origin" in refused.content.decode()
    assert not Channel.objects.exists()
    form["allowed_origins"] = "https://www.Clicksafe.example/\nhttp://127.0.0.1:8001"
    created = browser.post("/admin/channels/new/", form)
    assert created.status_code == 302
    channel = Channel.objects.get()
    assert channel.allowed_origins == "https://www.clicksafe.example\nhttp://127.0.0.1:8001"
    assert channel.rate_limit_policy == "high"
    assert ModelLogEntry.objects.filter(object_id=str(channel.pk), action="wagtail.create").count() == 1


def test_a_new_key_is_shown_once_in_the_answer_and_never_again(client, admin, channel, english_admin):
    browser = logged_in(client, admin)
    answer = browser.post(f"/admin/channels/{channel.pk}/keys/new/", {"label": "productie", "expires_at": ""})
    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"]
    text = re.search(r'value="(baken_[^"]+)"', answer.content.decode())[1]
    assert KEY_FORM.match(text) and selectors.key_verdict(text).valid
    edit = browser.get(f"/admin/channels/edit/{channel.pk}/").content.decode()
    key = ChannelKey.objects.get()
    assert f"{key.prefix}…" in edit and text not in edit
    history = browser.get(f"/admin/channels/history/{channel.pk}/").content.decode()
    assert f"API key {key.prefix}… created" in history


def test_a_key_in_the_past_is_refused_by_the_form(client, admin, channel, english_admin):
    browser = logged_in(client, admin)
    answer = browser.post(
        f"/admin/channels/{channel.pk}/keys/new/", {"label": "", "expires_at": "2020-01-01T10:00"}
    )
    assert answer.status_code == 200 and "Choose a moment in the future." in answer.content.decode()
    assert not ChannelKey.objects.exists()


def test_rotate_and_revoke_from_the_admin(client, admin, channel, english_admin):
    browser = logged_in(client, admin)
    key, text = keys.issue(channel)
    rotated = browser.post(f"/admin/channels/keys/{key.pk}/rotate/", {"overlap_days": "2"})
    assert rotated.status_code == 200
    new_text = re.search(r'value="(baken_[^"]+)"', rotated.content.decode())[1]
    key.refresh_from_db()
    assert new_text.startswith(key.replaced_by.prefix + "_")
    refused = browser.post(f"/admin/channels/keys/{key.pk}/rotate/", {"overlap_days": "365"})
    assert refused.status_code == 200 and ChannelKey.objects.count() == 2
    revoked = browser.post(f"/admin/channels/keys/{key.pk}/revoke/")
    assert revoked.status_code == 302
    assert selectors.key_verdict(text).state == "revoked"
    assert selectors.key_verdict(new_text).valid


@pytest.mark.parametrize("path", ["/admin/channels/", "/admin/channels/new/", "KEYS_NEW", "REVOKE"])
def test_only_administrators_reach_channels(client, editor, reviewer, channel, path):
    key, text = keys.issue(channel)
    path = {
        "KEYS_NEW": f"/admin/channels/{channel.pk}/keys/new/",
        "REVOKE": f"/admin/channels/keys/{key.pk}/revoke/",
    }.get(path, path)
    for user in (editor, reviewer):
        browser = logged_in(client, user)
        answer = browser.post(path, {}) if "revoke" in path else browser.get(path)
        assert answer.status_code in (302, 403), (user, path)
        if answer.status_code == 302:
            assert "/admin/" in answer["Location"] and "/channels/" not in answer["Location"]
    assert selectors.key_verdict(text).valid
