import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Test transactions never commit, so cache invalidation (on commit) would not run: tests that
# exercise the response cache or the memos switch them on explicitly.
BAKEN_API_RESPONSE_CACHE = False
BAKEN_API_MEMOS = False

# Never the development database: SQLite tests run in memory unless DATABASE_URL names a server.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["NAME"] = ":memory:"  # noqa: F405
    # One process: base.py's options for several processes on one file (WAL, IMMEDIATE
    # transactions) do not apply to a database in memory; with them, the backup some tests take of
    # it for other processes never finishes.
    DATABASES["default"]["OPTIONS"] = {}  # noqa: F405

# Rate limits are counted in every test (in a file of this run's own), with quotas no test
# reaches unless it sets its own (tests/test_rate_limits.py).
BAKEN_RATE_LIMIT_FILE = str(Path(tempfile.mkdtemp(prefix="baken-test-rate-limits-")) / "counters.sqlite3")
BAKEN_RATE_LIMITS = dict.fromkeys(BAKEN_RATE_LIMITS, (1_000_000, 60))  # noqa: F405
BAKEN_WEBHOOKS_ALLOW_LOOPBACK_HTTP = True
