"""Work each process would otherwise do on its first request, done once when the application loads.

gunicorn imports the application in its master (``preload_app``) and forks its workers from it:
what is loaded here is loaded once, shared copy-on-write, and no worker's first request waits for
it. Measured before this existed: a new worker's first API request took 250-290 ms, its next ones
8-15 ms (importing the URLconf and its views, the Redis client library, the translation
catalogues).

Invariant: nothing here opens a connection (database, cache, Redis) or writes anything. A
connection opened before the fork would be shared by every worker.
"""

import importlib

from django.conf import settings
from django.urls import get_resolver
from django.utils import translation


def warm_up() -> None:
    # Importing every URLconf imports the views they name, and what those import.
    get_resolver().url_patterns  # noqa: B018 - the attribute's loading is the point
    for code, _name in settings.LANGUAGES:
        # Activating a language reads its catalogues into a cache kept for the process.
        with translation.override(code):
            pass
    if any("redis" in cache["BACKEND"].lower() for cache in settings.CACHES.values()):
        # Django's Redis cache imports the client library when first used: a large package.
        importlib.import_module("redis")
