"""No response lets a shared cache keep serving it past the next change by the clock (issue #12,
item 5): a scheduled go-live or expiry, or a help-line opening or closing.

``max-age`` and both stale windows (``stale-while-revalidate``, ``stale-if-error``) end at that
moment at the latest; a window that would be empty is left out. Built or served from the response
cache, and with the response cache off.
"""

import datetime as dt
import re
import uuid

import pytest
from django.core.cache import cache

from api import conditional
from tests.api.conftest import at

FULL = "public, max-age=60, stale-while-revalidate=300, stale-if-error=86400"
# A Saturday: the office line (Mon–Fri 09:00–17:00, Europe/Brussels) is closed until Monday.
SATURDAY_NOON = "2027-01-09T12:00:00+01:00"
# Five seconds before the office line closes on a Monday.
MONDAY_BEFORE_CLOSING = "2027-01-11T16:59:55+01:00"


@pytest.fixture(params=["cached", "uncached"])
def server(request, settings):
    """The API with the response cache on (a fresh local-memory cache), or off."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }
    settings.BAKEN_API_RESPONSE_CACHE = request.param == "cached"
    settings.BAKEN_API_MEMOS = request.param == "cached"
    yield request.param
    cache.clear()


def moment(iso: str, seconds: float = 0) -> dt.datetime:
    return dt.datetime.fromisoformat(iso) + dt.timedelta(seconds=seconds)


def directives(response) -> dict[str, int]:
    header = response["Cache-Control"]
    assert header.startswith("public, "), header
    return {name: int(value) for name, value in re.findall(r"([a-z-]+)=(\d+)", header)}


def assert_ends_by(response, remaining: float) -> None:
    """No cache may serve this response, fresh or stale, for longer than ``remaining`` seconds."""
    found = directives(response)
    served_for = found["max-age"] + max(
        found.get("stale-while-revalidate", 0), found.get("stale-if-error", 0)
    )
    assert served_for <= remaining, (response["Cache-Control"], remaining)


def expected(seconds: int) -> str:
    max_age = min(60, seconds)
    left = seconds - max_age
    parts = ["public", f"max-age={max_age}"]
    if min(300, left) > 0:
        parts.append(f"stale-while-revalidate={min(300, left)}")
    if min(86400, left) > 0:
        parts.append(f"stale-if-error={min(86400, left)}")
    return ", ".join(parts)


@pytest.mark.parametrize("seconds", [5, 30, 61, 100, 400, 90_000])
def test_cache_control_ends_at_a_scheduled_expiry(
    site, client, server, seconds, django_assert_num_queries, hit_queries
):
    with at(SATURDAY_NOON):
        site.faq.expire_at = moment(SATURDAY_NOON, seconds)
        site.faq.save_revision().publish()
        urls = [
            "/api/v1/faqs/veelgestelde-vragen/",
            "/api/v1/faqs/",
            "/api/v1/locales/",
            "/api/v1/helplines/",
        ]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response["Cache-Control"] == (expected(seconds) if seconds < 90_000 else FULL), url
            assert_ends_by(response, seconds)
    if seconds > 2:
        with at(moment(SATURDAY_NOON, 2).isoformat()):
            if server == "cached":
                with django_assert_num_queries(hit_queries()):
                    again = client.get(urls[0])
            else:
                again = client.get(urls[0])
            assert again["Cache-Control"] == (expected(seconds - 2) if seconds < 90_000 else FULL)
            assert_ends_by(again, seconds - 2)


def test_five_seconds_before_an_expiry_no_stale_window_is_offered(site, client, server):
    """The case the issue found: it said max-age=0, stale-while-revalidate=300, stale-if-error=86400."""
    with at(SATURDAY_NOON):
        site.faq.expire_at = moment(SATURDAY_NOON, 5)
        site.faq.save_revision().publish()
    for elapsed in (0, 1, 4.5):
        with at(moment(SATURDAY_NOON, elapsed).isoformat()):
            response = client.get("/api/v1/faqs/veelgestelde-vragen/")
            assert response.status_code == 200
            assert response["Cache-Control"] == f"public, max-age={int(5 - elapsed)}"
            assert "stale" not in response["Cache-Control"]
    with at(moment(SATURDAY_NOON, 5).isoformat()):
        assert client.get("/api/v1/faqs/veelgestelde-vragen/").status_code == 404


def test_cache_control_ends_at_a_scheduled_go_live(site, client, server):
    with at(SATURDAY_NOON):
        new = site.content.faq(site.campaign, "nieuw", "Nieuw", live=False)
        new.go_live_at = moment(SATURDAY_NOON, 5)
        new.save_revision().publish()  # scheduled, not live yet
        listing = client.get("/api/v1/faqs/")
        assert listing.json()["count"] == 1
        assert listing["Cache-Control"] == "public, max-age=5"
    with at(moment(SATURDAY_NOON, 6).isoformat()):
        assert client.get("/api/v1/faqs/").json()["count"] == 2


def test_cache_control_ends_when_a_help_line_closes(site, client, server):
    with at(MONDAY_BEFORE_CLOSING):
        office = client.get("/api/v1/helplines/kantoor-lijn/")
        assert office.json()["open_now"] is True
        assert office["Cache-Control"] == "public, max-age=5"
        assert client.get("/api/v1/helplines/")["Cache-Control"] == "public, max-age=5"
    with at(moment(MONDAY_BEFORE_CLOSING, 5).isoformat()):
        closed = client.get("/api/v1/helplines/kantoor-lijn/")
        assert closed.json()["open_now"] is False
        # Closed until 09:00 the next day, 16 hours on: a day of stale-if-error would reach past it.
        assert closed["Cache-Control"] == expected(16 * 3600)
        assert (
            closed["Cache-Control"] == "public, max-age=60, stale-while-revalidate=300, stale-if-error=57540"
        )


def test_far_from_any_transition_the_configured_windows_are_sent(site, client, server):
    with at(SATURDAY_NOON):
        assert client.get("/api/v1/faqs/veelgestelde-vragen/")["Cache-Control"] == FULL


@pytest.mark.parametrize(
    ("remaining", "header"),
    [
        (None, FULL),
        (0, "public, max-age=0"),
        (0.5, "public, max-age=0"),
        (59, "public, max-age=59"),
        (60, "public, max-age=60"),
        (61, "public, max-age=60, stale-while-revalidate=1, stale-if-error=1"),
        (360, "public, max-age=60, stale-while-revalidate=300, stale-if-error=300"),
        (86460, FULL),
        (-10, "public, max-age=0"),
    ],
)
def test_the_header_for_a_transition_this_far_away(remaining, header):
    with at(SATURDAY_NOON):
        transition = None if remaining is None else moment(SATURDAY_NOON, remaining)
        assert conditional.cache_control_header(transition) == header
