"""Benchmark settings: the production settings, plus what ``make bench`` compares against.

* Wagtail's built-in API v2 at /api/v2/ (``bench.api_v2``), exposing the FAQ page's own fields;
* ``/bench/ceiling/``: precomputed bytes of the size of an FAQ detail response, through the same
  middleware stack: the fastest any endpoint of this deployment can answer.

Everything else — database, cache, secrets, security headers — is production's, read from the
same environment variables (``bench/run.py`` sets them to a bench database and Redis db).
"""

from .production import *  # noqa: F403
from .production import INSTALLED_APPS, env

INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.api.v2"]
ROOT_URLCONF = "bench.urls"

# Size in bytes of the ceiling view's body (the bench sets it to the FAQ detail's size).
BENCH_CEILING_BYTES = env.int("BENCH_CEILING_BYTES", default=16384)
