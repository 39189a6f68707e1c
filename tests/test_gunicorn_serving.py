"""The production server's configuration (``baken/gunicorn_conf.py``) over real sockets: clients
that connect and wait, or pause between requests, do not keep anyone else from being answered.

The server is ``tests/servers.py``'s gunicorn: ``make serve``'s configuration with two workers of
four threads each.
"""

import http.client
import socket
import time

import pytest

from tests.servers import deployed


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    with deployed("sqlite-without-redis", tmp_path_factory.mktemp("gunicorn")) as deployment:
        yield deployment.bases[1]  # [0] is runserver


def _address(base: str) -> tuple[str, int]:
    host, port = base.removeprefix("http://").split(":")
    return host, int(port)


def _connection(base: str, timeout: float) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(*_address(base), timeout=timeout)


def test_connections_that_send_nothing_hold_no_worker(gunicorn):
    # More silent connections than the server has threads (2 workers × 4). gthread gives a new
    # connection 5 s to send something, then parks it in the poller, freeing the thread; a sync
    # worker would stay blocked reading it until the 30-s worker timeout killed it.
    silent = [socket.create_connection(_address(gunicorn), timeout=5) for _ in range(12)]
    try:
        time.sleep(0.5)  # let the workers accept them
        started = time.monotonic()
        connection = _connection(gunicorn, timeout=20)
        connection.request("GET", "/api/v1/helplines/", headers={"Accept-Language": "nl"})
        response = connection.getresponse()
        body = response.read()
        assert response.status == 200, body
        assert b'"results"' in body
        assert time.monotonic() - started < 12  # at most gthread's 5-s wait, far from sync's 30 s
    finally:
        for sock in silent:
            sock.close()


def test_a_client_pausing_three_seconds_between_requests_keeps_its_connection(gunicorn):
    connection = _connection(gunicorn, timeout=10)
    connection.request("GET", "/api/v1/locales/")
    first = connection.getresponse()
    first.read()
    assert first.status == 200
    assert first.getheader("Connection", "").lower() != "close"
    local = connection.sock.getsockname()
    time.sleep(3)  # beyond gunicorn's default keep-alive (2 s), within the configured 5 s
    connection.request("GET", "/api/v1/locales/")
    second = connection.getresponse()
    second.read()
    assert second.status == 200
    assert connection.sock.getsockname() == local  # the same connection, not a reconnect
