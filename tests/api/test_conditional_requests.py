"""Conditional requests per RFC 9110 §13, the same whether the answer is built or cached.

Each rule is checked on a miss (built from the database) and on a hit (served by the response
cache, with no query), which must give the same status, body and headers.
"""

import time

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils.http import http_date, parse_http_date

from api import conditional
from api.response_cache import entries

URL = "/api/v1/helplines/child-focus-116000/"
PROBLEM_JSON = "application/problem+json"


@pytest.fixture
def representation(site, client, response_cache_on) -> dict:
    """The ETag and Last-Modified of the help-line's detail, as a client received them."""
    first = client.get(URL)
    assert first.status_code == 200
    return {"etag": first["ETag"], "last_modified": first["Last-Modified"], "response": first}


def answer(client, when: str, django_assert_num_queries, **headers):
    """The request on a hit (one query: the versions, from the change log) or on a miss (the cache
    lost its entries)."""
    if when == "hit":
        with django_assert_num_queries(1):
            return client.get(URL, **headers)
    cache.clear()  # the shared cache is flushed: this process's copy is stale, the view builds it
    return client.get(URL, **headers)


def weak(etag: str) -> str:
    return f"W/{etag}"


def earlier(date: str, seconds: int = 10) -> str:
    return http_date(parse_http_date(date) - seconds)


def later(date: str, seconds: int = 10) -> str:
    return http_date(parse_http_date(date) + seconds)


# (name, headers built from the representation's validators, expected status)
RULES = [
    ("If-None-Match, the same tag", lambda r: {"HTTP_IF_NONE_MATCH": r["etag"]}, 304),
    (
        "If-None-Match, the tag made weak (weak comparison)",
        lambda r: {"HTTP_IF_NONE_MATCH": weak(r["etag"])},
        304,
    ),
    ("If-None-Match, *", lambda r: {"HTTP_IF_NONE_MATCH": "*"}, 304),
    (
        "If-None-Match, a list holding it",
        lambda r: {"HTTP_IF_NONE_MATCH": f'"other", {weak(r["etag"])}'},
        304,
    ),
    ("If-None-Match, another tag", lambda r: {"HTTP_IF_NONE_MATCH": '"other"'}, 200),
    ("If-None-Match, blank", lambda r: {"HTTP_IF_NONE_MATCH": " "}, 200),
    ("If-Match, the same tag", lambda r: {"HTTP_IF_MATCH": r["etag"]}, 200),
    ("If-Match, *", lambda r: {"HTTP_IF_MATCH": "*"}, 200),
    ("If-Match, a list holding it", lambda r: {"HTTP_IF_MATCH": f'"other", {r["etag"]}'}, 200),
    ("If-Match, the tag made weak (strong comparison)", lambda r: {"HTTP_IF_MATCH": weak(r["etag"])}, 412),
    ("If-Match, another tag", lambda r: {"HTTP_IF_MATCH": '"other"'}, 412),
    ("If-Unmodified-Since, its date", lambda r: {"HTTP_IF_UNMODIFIED_SINCE": r["last_modified"]}, 200),
    ("If-Unmodified-Since, later", lambda r: {"HTTP_IF_UNMODIFIED_SINCE": later(r["last_modified"])}, 200),
    (
        "If-Unmodified-Since, earlier",
        lambda r: {"HTTP_IF_UNMODIFIED_SINCE": earlier(r["last_modified"])},
        412,
    ),
    ("If-Unmodified-Since, not a date", lambda r: {"HTTP_IF_UNMODIFIED_SINCE": "yesterday"}, 200),
    ("If-Modified-Since, its date", lambda r: {"HTTP_IF_MODIFIED_SINCE": r["last_modified"]}, 304),
    ("If-Modified-Since, earlier", lambda r: {"HTTP_IF_MODIFIED_SINCE": earlier(r["last_modified"])}, 200),
    # Precedence (RFC 9110 §13.2.2).
    (
        "If-Match holds, so If-Unmodified-Since is not evaluated",
        lambda r: {"HTTP_IF_MATCH": r["etag"], "HTTP_IF_UNMODIFIED_SINCE": earlier(r["last_modified"])},
        200,
    ),
    (
        "If-Match fails before If-None-Match is evaluated",
        lambda r: {"HTTP_IF_MATCH": '"other"', "HTTP_IF_NONE_MATCH": r["etag"]},
        412,
    ),
    (
        "If-Unmodified-Since fails before If-None-Match is evaluated",
        lambda r: {"HTTP_IF_UNMODIFIED_SINCE": earlier(r["last_modified"]), "HTTP_IF_NONE_MATCH": r["etag"]},
        412,
    ),
    (
        "If-None-Match decides, If-Modified-Since is ignored",
        lambda r: {"HTTP_IF_NONE_MATCH": '"other"', "HTTP_IF_MODIFIED_SINCE": r["last_modified"]},
        200,
    ),
    (
        "If-Match holds and If-None-Match matches",
        lambda r: {"HTTP_IF_MATCH": r["etag"], "HTTP_IF_NONE_MATCH": weak(r["etag"])},
        304,
    ),
]


@pytest.mark.parametrize("when", ["miss", "hit"])
@pytest.mark.parametrize(("rule", "headers", "status"), RULES, ids=[rule for rule, _, _ in RULES])
def test_each_precondition_rule_gives_the_same_status_on_a_hit_and_a_miss(
    client, representation, django_assert_num_queries, hit_queries, when, rule, headers, status
):
    response = answer(client, when, django_assert_num_queries, **headers(representation))
    assert response.status_code == status, rule
    if status == 200:
        assert response.content == representation["response"].content
    if status == 304:
        assert response.content == b""
        assert response["ETag"] == representation["etag"]
        assert response["Last-Modified"] == representation["last_modified"]
    if status == 412:
        assert response["Content-Type"] == PROBLEM_JSON
        assert response["Cache-Control"] == "private, no-store"
        body = response.json()
        assert (body["status"], body["title"]) == (412, "Precondition Failed")
        assert "ETag" not in response


# Per answer: freshness, and what is left of the rate limit (api/rate_limits/).
PER_ANSWER = {"Cache-Control", "Date", "RateLimit"}


@pytest.mark.parametrize(
    "headers",
    [
        lambda r: {"HTTP_IF_NONE_MATCH": r["etag"]},
        lambda r: {"HTTP_IF_MATCH": '"other"'},
        lambda r: {},
    ],
    ids=["304", "412", "200"],
)
def test_a_hit_answers_with_the_headers_and_body_of_a_miss(
    client, representation, django_assert_num_queries, hit_queries, headers
):
    miss = answer(client, "miss", django_assert_num_queries, **headers(representation))
    client.get(URL)  # only a 200 is stored: warm the cache again
    hit = answer(client, "hit", django_assert_num_queries, **headers(representation))
    assert (hit.status_code, hit.content) == (miss.status_code, miss.content)
    assert {k: v for k, v in hit.items() if k not in PER_ANSWER} == {
        k: v for k, v in miss.items() if k not in PER_ANSWER
    }


def test_the_same_rules_apply_without_the_response_cache_except_dates(site, client, settings):
    settings.BAKEN_API_RESPONSE_CACHE = False
    first = client.get(URL)
    etag = first["ETag"]
    assert client.get(URL, HTTP_IF_NONE_MATCH=weak(etag)).status_code == 304
    assert client.get(URL, HTTP_IF_NONE_MATCH="*").status_code == 304
    assert client.get(URL, HTTP_IF_MATCH='"other"').status_code == 412
    assert client.get(URL, HTTP_IF_MATCH=weak(etag)).status_code == 412
    assert client.get(URL, HTTP_IF_MATCH=etag).status_code == 200
    # Each answer is dated anew without the shared cache: dates are not trusted, so ignored.
    old = earlier(first["Last-Modified"], 3600)
    assert client.get(URL, HTTP_IF_UNMODIFIED_SINCE=old).status_code == 200
    assert client.get(URL, HTTP_IF_MODIFIED_SINCE=later(first["Last-Modified"], 3600)).status_code == 200


@pytest.mark.parametrize("when", ["miss", "hit"])
def test_last_modified_is_never_later_than_the_answer(
    client, representation, django_assert_num_queries, hit_queries, when
):
    response = answer(client, when, django_assert_num_queries)
    assert parse_http_date(response["Last-Modified"]) <= time.time()
    assert parse_http_date(representation["last_modified"]) <= time.time()


def test_a_change_is_never_hidden_by_a_date_even_within_the_same_second(
    site, client, response_cache_on, django_capture_on_commit_callbacks
):
    first = client.get(URL)
    dated = first["Last-Modified"]
    for number in range(3):  # several changes, most of them within the same second
        with django_capture_on_commit_callbacks(execute=True):
            site.hl_247.name = f"Hulplijn 116000 ({number})"
            site.hl_247.save_revision().publish()
        changed = client.get(URL, HTTP_IF_MODIFIED_SINCE=dated)
        assert changed.status_code == 200
        assert changed.json()["name"] == f"Hulplijn 116000 ({number})"
        assert parse_http_date(changed["Last-Modified"]) <= time.time()
        assert parse_http_date(changed["Last-Modified"]) >= parse_http_date(dated)
        assert client.get(URL, HTTP_IF_UNMODIFIED_SINCE=dated).status_code == 412
        assert client.get(URL, HTTP_IF_NONE_MATCH=changed["ETag"]).status_code == 304
        dated = changed["Last-Modified"]


def test_dates_within_one_second_stay_truthful():
    """modification_dates: never in the future; a change always needs a later date to be 'unchanged'."""
    now = 1_800_000_000
    stamp, safe = conditional.modification_dates('"a"', None, now=now)
    assert (stamp, safe) == (now - 1, now - 1)
    previous = {"etag": '"a"', "stamp": stamp, "safe_since": safe}
    assert conditional.modification_dates('"a"', previous, now=now) == (stamp, safe)  # unchanged
    stamp_b, safe_b = conditional.modification_dates('"b"', previous, now=now)
    assert (stamp_b, safe_b) == (now, now)  # changed: dated now, later than before
    previous = {"etag": '"b"', "stamp": stamp_b, "safe_since": safe_b}
    stamp_c, safe_c = conditional.modification_dates('"c"', previous, now=now)  # the same second again
    assert stamp_c == now  # never in the future ...
    assert safe_c == now + 1  # ... but "not modified since <now>" no longer holds for it
    request = RequestFactory().get("/", HTTP_IF_MODIFIED_SINCE=http_date(stamp_b))
    validators = {"etag": '"c"', "stamp": stamp_c, "safe_since": safe_c}
    with _trusting_dates():
        assert conditional.evaluate(request, validators) is None
        request = RequestFactory().get("/", HTTP_IF_UNMODIFIED_SINCE=http_date(stamp_b))
        assert conditional.evaluate(request, validators) == conditional.PRECONDITION_FAILED
        # A server whose clock lags behind the one that dated the previous representation.
        stamp_d, safe_d = conditional.modification_dates('"d"', validators, now=now - 5)
        assert stamp_d == now - 5 and safe_d == now + 1


def _trusting_dates():
    from django.test import override_settings

    return override_settings(BAKEN_API_RESPONSE_CACHE=True)


def test_a_hit_from_a_server_whose_clock_runs_ahead_is_not_dated_in_the_future(
    client, representation, django_assert_num_queries, hit_queries
):
    key = entries.request_entry_key(RequestFactory().get(URL))
    entry = entries._local().get(key)
    assert entry is not None
    ahead = int(time.time()) + 3600
    entry["validators"] = {**entry["validators"], "stamp": ahead, "safe_since": ahead}
    with django_assert_num_queries(hit_queries()):
        response = client.get(URL)
    assert parse_http_date(response["Last-Modified"]) <= time.time()
