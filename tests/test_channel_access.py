"""Channel keys and CORS on the public API, on a cache miss and on a cache hit alike.

A request without ``Authorization`` is anonymous; with it, a valid channel key or a 401 problem.
CORS answers allowed origins (a channel's, or the global list) and no other, decided per request:
a cached entry never carries another request's CORS headers.
"""

import datetime as dt

import pytest
from django.utils import timezone

from cms.channels import keys
from cms.channels.models import Channel, ChannelKey

URL = "/api/v1/helplines/"
CHANNEL_ORIGIN = "https://schatjeschatje.example"
OTHER_ORIGIN = "https://elsewhere.example"


@pytest.fixture
def channel(db):
    return Channel.objects.create(
        name="Campagnesite", contact_email="web@example.org", allowed_origins=CHANNEL_ORIGIN
    )


@pytest.fixture
def built(content):
    content.helpline("child-focus-116000", "Hulplijn 116000")


@pytest.fixture(params=["miss", "hit"])
def cache_state(request, settings, response_cache_on, client, built):
    """The same checks with the response cache cold, and warm from an anonymous plain request."""
    if request.param == "hit":
        assert client.get(URL).status_code == 200
    return request.param


def problem(response) -> dict:
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def test_a_valid_key_gets_exactly_what_an_anonymous_client_gets(client, channel, cache_state):
    _, text = keys.issue(channel)
    anonymous = client.get(URL)
    with_key = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {text}")
    assert (with_key.status_code, with_key.content, with_key["ETag"]) == (
        200,
        anonymous.content,
        anonymous["ETag"],
    )


@pytest.mark.parametrize(
    ("make_header", "detail", "error"),
    [
        (
            lambda text: "Bearer baken_00000000_" + "a" * 43,
            "This is not a valid channel key.",
            "invalid_token",
        ),
        (
            lambda text: "Bearer " + text[:-1] + ("a" if text[-1] != "a" else "b"),
            "This is not a valid channel key.",
            "invalid_token",
        ),
        (lambda text: "Bearer nonsense", "This is not a valid channel key.", "invalid_token"),
        (
            lambda text: f"Basic {text}",
            "The Authorization header must be `Bearer <channel key>`",
            "invalid_request",
        ),
        (
            lambda text: "Bearer ",
            "The Authorization header must be `Bearer <channel key>`",
            "invalid_request",
        ),
    ],
)
def test_a_wrong_key_is_a_401_never_anonymous(client, channel, cache_state, make_header, detail, error):
    _, text = keys.issue(channel)
    answer = client.get(URL, HTTP_AUTHORIZATION=make_header(text))
    assert answer.status_code == 401
    assert problem(answer)["detail"].startswith(detail)
    assert answer["WWW-Authenticate"] == f'Bearer realm="baken", error="{error}"'
    assert answer["Cache-Control"] == "private, no-store"


def test_revoked_expired_and_inactive_keys_are_401_saying_why(client, channel, cache_state):
    revoked, revoked_text = keys.issue(channel)
    keys.revoke(revoked)
    expired, expired_text = keys.issue(channel)
    ChannelKey.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    from cms.channels import selectors

    selectors.forget()
    details = {
        revoked_text: "This channel key was revoked. Ask the content team for a new one.",
        expired_text: "This channel key has expired. Use the channel's current key.",
    }
    for text, detail in details.items():
        answer = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {text}")
        assert (answer.status_code, problem(answer)["detail"]) == (401, detail)
    _, text = keys.issue(channel)
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {text}").status_code == 200
    channel.active = False
    channel.save()
    answer = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {text}")
    assert (answer.status_code, problem(answer)["detail"]) == (
        401,
        "This channel is not active, so its keys are refused.",
    )


def test_a_key_that_expires_while_remembered_is_refused_from_that_moment(client, channel, built):
    key, text = keys.issue(channel, expires_at=timezone.now() + dt.timedelta(seconds=30))
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {text}").status_code == 200
    from unittest import mock

    with mock.patch("cms.channels.selectors.time.time", return_value=key.expires_at.timestamp() + 1):
        assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {text}").status_code == 401


# --- CORS ---------------------------------------------------------------------------------------


def preflight(client, origin, headers="authorization, if-none-match"):
    return client.options(
        URL,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS=headers,
    )


def test_a_preflight_from_a_channels_origin_is_204_with_what_a_channel_needs(client, channel, cache_state):
    answer = preflight(client, CHANNEL_ORIGIN)
    assert answer.status_code == 204 and answer.content == b""
    assert answer["Access-Control-Allow-Origin"] == CHANNEL_ORIGIN
    assert "origin" in answer["Vary"].lower().replace(" ", "").split(",")
    allowed = {h.strip() for h in answer["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "if-none-match", "accept-language"} <= allowed
    assert answer["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert answer["Access-Control-Max-Age"] == "600"


def test_other_origins_get_no_cors_headers(client, channel, cache_state):
    for answer in (preflight(client, OTHER_ORIGIN), client.get(URL, HTTP_ORIGIN=OTHER_ORIGIN)):
        assert not any(name.lower().startswith("access-control-") for name in answer.headers), answer.headers


def test_an_inactive_channels_origin_is_not_allowed(client, channel, cache_state):
    channel.active = False
    channel.save()
    assert "Access-Control-Allow-Origin" not in preflight(client, CHANNEL_ORIGIN)


def test_the_global_list_allows_an_origin_for_everyone(client, settings, cache_state):
    settings.CORS_ALLOWED_ORIGINS = [OTHER_ORIGIN]
    assert preflight(client, OTHER_ORIGIN)["Access-Control-Allow-Origin"] == OTHER_ORIGIN


def test_cors_headers_are_decided_per_request_on_a_hit(client, channel, response_cache_on, built):
    allowed = client.get(URL, HTTP_ORIGIN=CHANNEL_ORIGIN)  # stored by this request
    assert allowed["Access-Control-Allow-Origin"] == CHANNEL_ORIGIN
    assert "ETag" in allowed["Access-Control-Expose-Headers"]
    other = client.get(URL, HTTP_ORIGIN=OTHER_ORIGIN)  # a hit
    plain = client.get(URL)  # a hit
    assert other.content == plain.content == allowed.content
    for answer in (other, plain):
        assert "Access-Control-Allow-Origin" not in answer
    assert client.get(URL, HTTP_ORIGIN=CHANNEL_ORIGIN)["Access-Control-Allow-Origin"] == CHANNEL_ORIGIN


def test_a_401_can_be_read_by_the_channels_page(client, channel, cache_state):
    answer = client.get(URL, HTTP_ORIGIN=CHANNEL_ORIGIN, HTTP_AUTHORIZATION="Bearer nonsense")
    assert answer.status_code == 401
    assert answer["Access-Control-Allow-Origin"] == CHANNEL_ORIGIN


def test_the_admin_answers_no_cors(client, channel):
    answer = client.get("/admin/login/", HTTP_ORIGIN=CHANNEL_ORIGIN)
    assert "Access-Control-Allow-Origin" not in answer


def test_a_key_that_cannot_be_checked_is_a_503_never_anonymous(client, channel, built, monkeypatch):
    from django.db import OperationalError

    from cms.channels import selectors

    _, text = keys.issue(channel)

    def unreachable(text):
        raise OperationalError("connection refused")

    monkeypatch.setattr(selectors, "_judge", unreachable)
    answer = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {text}")
    assert (answer.status_code, answer["Retry-After"]) == (503, "30")
    assert problem(answer)["detail"] == "The content store is unavailable; please retry shortly."
    assert client.get(URL).status_code == 200


def test_origins_that_cannot_be_read_allow_only_the_global_list(
    client, settings, channel, built, monkeypatch
):
    from django.db import OperationalError

    from cms.channels import selectors

    def unreachable():
        raise OperationalError("connection refused")

    monkeypatch.setattr(selectors, "allowed_origins", unreachable)
    settings.CORS_ALLOWED_ORIGINS = [OTHER_ORIGIN]
    assert "Access-Control-Allow-Origin" not in client.get(URL, HTTP_ORIGIN=CHANNEL_ORIGIN)
    assert client.get(URL, HTTP_ORIGIN=OTHER_ORIGIN)["Access-Control-Allow-Origin"] == OTHER_ORIGIN
