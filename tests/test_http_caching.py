"""ETag, If-None-Match and Cache-Control on public API responses."""

import pytest

pytestmark = pytest.mark.django_db

CACHEABLE = "public, max-age=60, stale-while-revalidate=300, stale-if-error=86400"


def test_success_has_strong_etag_and_public_cache_control(client):
    response = client.get("/api/v1/locales/")
    assert response.status_code == 200
    assert response["ETag"].startswith('"') and not response["ETag"].startswith("W/")
    assert response["Cache-Control"] == CACHEABLE
    assert "Accept-Language" in response["Vary"]


def test_matching_if_none_match_gets_304_without_body(client):
    etag = client.get("/api/v1/locales/")["ETag"]
    response = client.get("/api/v1/locales/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"] == CACHEABLE


def test_etag_differs_per_served_language(client, translated):
    dutch = client.get("/api/v1/helplines/?locale=nl")
    french = client.get("/api/v1/helplines/?locale=fr")
    assert (dutch["Content-Language"], french["Content-Language"]) == ("nl", "fr")
    assert dutch["ETag"] != french["ETag"]
    response = client.get("/api/v1/helplines/?locale=fr", HTTP_IF_NONE_MATCH=dutch["ETag"])
    assert response.status_code == 200


def test_stale_etag_gets_full_response(client):
    response = client.get("/api/v1/locales/", HTTP_IF_NONE_MATCH='"not-the-current-one"')
    assert response.status_code == 200
    assert response.json()["default"] == "nl"


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("get", "/api/v1/faqs/?limit=0", 400),
        ("get", "/api/v1/faqs/missing/", 404),
        ("post", "/api/v1/faqs/", 405),
        ("get", "/api/v1/no-such-endpoint/", 404),
    ],
)
def test_errors_are_never_cached(client, method, url, status):
    response = getattr(client, method)(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response["Cache-Control"] == "private, no-store"
    assert "ETag" not in response
