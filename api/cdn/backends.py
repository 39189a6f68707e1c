"""Wagtail's frontend-cache backends, configured as Wagtail configures them (``WAGTAILFRONTENDCACHE``),
with failures that can be seen.

Wagtail's backends log a failed purge and return as if it had worked, so a purge cannot be
retried. Here:

* Wagtail's HTTP backend (``BAKEN_CDN_PURGE_LOCATION``: Varnish, nginx, …) and Cloudflare backend
  are replaced by subclasses taking the same settings that check every response and raise
  :class:`PurgeFailed`: an HTTP PURGE must answer 2xx, or 404 (nothing cached under that URL,
  as nginx's cache purge answers); Cloudflare must answer 2xx with ``"success": true``. Both use a
  timeout (``BAKEN_CDN_PURGE_TIMEOUT`` seconds, default 10), which Wagtail's HTTP backend lacks.
* Any other backend (a dotted ``BACKEND`` path: CloudFront, Azure, one of your own) is called as
  Wagtail calls it (``purge_batch``) and has failed when it raises, or when it logs an error (level
  ERROR or above, from the calling thread) while it runs: that is how Wagtail's backends report one.

As in Wagtail, a backend purges only the URLs whose host it invalidates (``HOSTNAMES``, default all).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

import requests
from django.conf import settings
from django.utils.module_loading import import_string
from wagtail import __version__ as wagtail_version
from wagtail.contrib.frontend_cache.backends import BaseBackend, CloudflareBackend, HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest
from wagtail.contrib.frontend_cache.utils import InvalidFrontendCacheBackendError

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10.0
# HTTP PURGE answers that mean the URL is no longer cached.
PURGED_STATUSES = frozenset({404})


class PurgeFailed(Exception):
    """A backend could not purge (some of) the URLs."""


def timeout() -> float:
    return float(getattr(settings, "BAKEN_CDN_PURGE_TIMEOUT", DEFAULT_TIMEOUT))


class StrictHTTPBackend(HTTPBackend):  # type: ignore[misc]
    """Wagtail's HTTPBackend (same ``LOCATION``, ``HOSTNAMES``), raising :class:`PurgeFailed`."""

    def purge(self, url) -> None:
        parsed = urlsplit(url)
        host = parsed.hostname or ""
        if parsed.port:
            host += f":{parsed.port}"
        request = PurgeRequest(
            url=urlunsplit(
                [self.cache_scheme, self.cache_netloc, parsed.path, parsed.query, parsed.fragment]
            ),
            headers={"Host": host, "User-Agent": f"Wagtail-frontendcache/{wagtail_version}"},
        )
        try:
            # The scheme and host are the configured LOCATION's.
            with urlopen(request, timeout=timeout()) as response:  # noqa: S310
                status = response.status
        except HTTPError as error:
            if error.code in PURGED_STATUSES:
                return
            raise PurgeFailed(f"PURGE {url}: HTTP {error.code} {error.reason}") from error
        except (URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise PurgeFailed(f"PURGE {url}: {reason}") from error
        if not 200 <= status < 300:
            raise PurgeFailed(f"PURGE {url}: HTTP {status}")

    def purge_batch(self, urls) -> None:
        failures = []
        for url in urls:
            try:
                self.purge(url)
            except PurgeFailed as error:
                failures.append(str(error))
        if failures:
            more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
            raise PurgeFailed(failures[0] + more)


class StrictCloudflareBackend(CloudflareBackend):  # type: ignore[misc]
    """Wagtail's CloudflareBackend (same settings), raising :class:`PurgeFailed`."""

    def _purge_urls(self, urls) -> None:
        headers = {"Content-Type": "application/json"}
        if self.cloudflare_token:
            headers["Authorization"] = f"Bearer {self.cloudflare_token}"
        else:
            headers["X-Auth-Email"] = self.cloudflare_email
            headers["X-Auth-Key"] = self.cloudflare_api_key
        try:
            response = requests.post(
                self.cloudflare_purge_endpoint_url, json={"files": urls}, headers=headers, timeout=timeout()
            )
        except requests.RequestException as error:
            raise PurgeFailed(f"Cloudflare: {error}") from error
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if not response.ok or not isinstance(answer, dict) or answer.get("success") is not True:
            errors = answer.get("errors") if isinstance(answer, dict) else None
            messages = ", ".join(str(e.get("message", e)) for e in errors or [] if isinstance(e, dict))
            raise PurgeFailed(f"Cloudflare: HTTP {response.status_code} {messages}".rstrip())


STRICT = {HTTPBackend: StrictHTTPBackend, CloudflareBackend: StrictCloudflareBackend}


def configured(backend_settings: dict | None = None) -> dict[str, BaseBackend]:
    """The backends of ``WAGTAILFRONTENDCACHE`` (Wagtail's format), by name."""
    if backend_settings is None:
        backend_settings = getattr(settings, "WAGTAILFRONTENDCACHE", None) or {}
    backends = {}
    for name, given in backend_settings.items():
        config = dict(given)
        path = config.pop("BACKEND")
        try:
            cls = import_string(path)
        except ImportError as error:
            raise InvalidFrontendCacheBackendError(f"Could not find backend '{path}': {error}") from error
        backends[name] = STRICT.get(cls, cls)(config)
    return backends


class _ErrorsLogged(logging.Handler):
    def __init__(self, thread: int):
        super().__init__(level=logging.ERROR)
        self.thread = thread
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            try:
                message = record.getMessage()
            except Exception:  # a malformed record is still a failure
                message = str(record.msg)
            if message not in self.messages:
                self.messages.append(message)


@contextmanager
def _watching_errors() -> Iterator[_ErrorsLogged]:
    handler = _ErrorsLogged(threading.get_ident())
    # Wagtail's backends log on "wagtail.frontendcache" (Cloudflare's also on the root logger).
    watched = [logging.getLogger("wagtail.frontendcache"), logging.getLogger()]
    for watched_logger in watched:
        watched_logger.addHandler(handler)
    try:
        yield handler
    finally:
        for watched_logger in watched:
            watched_logger.removeHandler(handler)


def _for_backend(backend: BaseBackend, urls: list[str]) -> list[str]:
    return [url for url in urls if backend.invalidates_hostname(urlsplit(url).netloc)]


def purge(backends: dict[str, BaseBackend], urls: list[str]) -> dict[str, str]:
    """Send ``urls`` to every backend; the failures, as ``{backend name: message}`` (empty: all
    purged). Every backend is tried, whichever fails."""
    failures = {}
    for name, backend in backends.items():
        mine = _for_backend(backend, urls)
        if not mine:
            continue
        with _watching_errors() as errors:
            try:
                backend.purge_batch(mine)
            except Exception as error:
                failures[name] = str(error) or type(error).__name__
                continue
        if errors.messages and name not in failures:
            more = f" (and {len(errors.messages) - 1} more)" if len(errors.messages) > 1 else ""
            failures[name] = errors.messages[0] + more
    return failures
