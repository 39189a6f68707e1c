"""The WSGI application (baken.wsgi): importing it warms the process up without connecting to anything.

gunicorn imports it in its master and forks the workers from it (preload_app), so whatever it
opens would be shared by every worker. The test imports it in a fresh interpreter with
production's settings, pointed at a database and a Redis that refuse connections: a database
connection would fail the import or show as open; a Redis connection attempt would fail the
import unless the code making it caught the error (the response cache's store does).
"""

import json

from tests.test_settings import PRODUCTION_ENV, run_settings

UNREACHABLE = {
    **PRODUCTION_ENV,
    # Nothing listens on port 1: any attempt to connect fails at once.
    "DATABASE_URL": "postgres://nobody@127.0.0.1:1/nowhere",
    "REDIS_URL": "redis://127.0.0.1:1/0",
}

IMPORT_APPLICATION = """
import json, sys
from baken.wsgi import application
from django.conf import settings
from django.db import connections
from django.utils.translation import trans_real
print(json.dumps({
    "application": type(application).__name__,
    "database_connected": connections["default"].connection is not None,
    "modules": sorted(name for name in ("api.views", "baken.urls", "redis") if name in sys.modules),
    "catalogues": sorted(code for code, _ in settings.LANGUAGES if code in trans_real._translations),
    "languages": [code for code, _ in settings.LANGUAGES],
}))
"""


def imported(env: dict[str, str]) -> dict:
    result = run_settings("baken.settings.production", env, IMPORT_APPLICATION)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_importing_the_application_loads_urls_views_catalogues_and_the_redis_client_without_connecting():
    state = imported(UNREACHABLE)
    assert state["application"] == "WSGIHandler"
    assert state["database_connected"] is False
    assert state["modules"] == ["api.views", "baken.urls", "redis"]
    assert state["languages"] == ["nl", "fr", "en", "de"]
    assert state["catalogues"] == ["de", "en", "fr", "nl"]
