"""The settings package: production refuses to start without its secrets; locales come from the env.

Each case imports the settings in a fresh interpreter with a clean environment, so nothing
from this test process (or the developer's shell) leaks in.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-for-tests-only",
    "DJANGO_ALLOWED_HOSTS": "baken.example.org,api.baken.example.org",
    "DATABASE_URL": "postgres://u@127.0.0.1/db",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "WAGTAILADMIN_BASE_URL": "https://admin.baken.example.org",
}

PRINT_SETTINGS = """
import json
import django
django.setup()
from django.conf import settings
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SECRET_KEY": settings.SECRET_KEY,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "DATABASE": {k: settings.DATABASES["default"][k] for k in ("ENGINE", "NAME", "USER", "HOST")},
    "CACHE": [settings.CACHES["default"]["BACKEND"], settings.CACHES["default"]["LOCATION"]],
    "WAGTAILADMIN_BASE_URL": settings.WAGTAILADMIN_BASE_URL,
    "WAGTAIL_CONTENT_LANGUAGES": settings.WAGTAIL_CONTENT_LANGUAGES,
    "LANGUAGE_CODE": settings.LANGUAGE_CODE,
    "BAKEN_DEFAULT_LOCALE": settings.BAKEN_DEFAULT_LOCALE,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
}))
"""

SETUP_ONLY = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def run_settings(module: str, env: dict[str, str], code: str = PRINT_SETTINGS) -> subprocess.CompletedProcess:
    clean_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": module,
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def printed_settings(module: str, env: dict[str, str]) -> dict:
    """The settings PRINT_SETTINGS prints, which it must manage to (exit status 0)."""
    result = run_settings(module, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("variable", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_without_a_required_variable_refuses_to_start(variable):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != variable}

    result = run_settings("baken.settings.production", env)

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines()[-1] == (
        f"django.core.exceptions.ImproperlyConfigured: Set the {variable} environment variable"
    )


@pytest.mark.parametrize("variable", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_with_an_empty_required_variable_refuses_to_start(variable):
    """An empty secret or host list is as unusable as a missing one; settings must say so at import."""
    result = run_settings("baken.settings.production", {**PRODUCTION_ENV, variable: ""}, code=SETUP_ONLY)

    assert result.returncode == 1, f"started with {variable}='': {result.stdout}"
    assert variable in result.stderr.strip().splitlines()[-1]


def test_production_with_its_environment_imports_with_debug_off():
    values = printed_settings("baken.settings.production", PRODUCTION_ENV)
    assert values["DEBUG"] is False
    assert values["SECRET_KEY"] == PRODUCTION_ENV["DJANGO_SECRET_KEY"]
    assert values["ALLOWED_HOSTS"] == ["baken.example.org", "api.baken.example.org"]
    assert values["DATABASE"] == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "db",
        "USER": "u",
        "HOST": "127.0.0.1",
    }
    assert values["CACHE"] == ["django.core.cache.backends.redis.RedisCache", "redis://127.0.0.1:6379/0"]
    assert values["WAGTAILADMIN_BASE_URL"] == "https://admin.baken.example.org"
    assert values["SESSION_COOKIE_SECURE"] is True


def test_default_locales_are_nl_fr_en_de():
    values = printed_settings("baken.settings.test", {})
    assert values["WAGTAIL_CONTENT_LANGUAGES"] == [
        ["nl", "Nederlands"],
        ["fr", "français"],
        ["en", "English"],
        ["de", "Deutsch"],
    ]
    assert values["LANGUAGE_CODE"] == values["BAKEN_DEFAULT_LOCALE"] == "nl"


def test_baken_locales_adds_a_locale():
    values = printed_settings("baken.settings.test", {"BAKEN_LOCALES": "nl,fr,en,de,es"})
    assert values["WAGTAIL_CONTENT_LANGUAGES"] == [
        ["nl", "Nederlands"],
        ["fr", "français"],
        ["en", "English"],
        ["de", "Deutsch"],
        ["es", "español"],
    ]
    assert values["BAKEN_DEFAULT_LOCALE"] == "nl"


def test_test_settings_are_in_effect_for_this_suite(settings):
    assert settings.SECRET_KEY == "test-only-secret-key"
    assert settings.DEBUG is False
    assert settings.BAKEN_LOCALES == ["nl", "fr", "en", "de"]


RATE_LIMITS = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.BAKEN_RATE_LIMITS))"
)


def test_rate_limits_default_to_buckets_of_ten_seconds():
    result = run_settings("baken.settings.dev", {}, RATE_LIMITS)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"anonymous": [100, 10], "standard": [500, 10], "high": [2000, 10]}
    result = run_settings("baken.settings.dev", {"BAKEN_RATE_LIMIT_HIGH": "6000/30"}, RATE_LIMITS)
    assert json.loads(result.stdout)["high"] == [6000, 30]


@pytest.mark.parametrize("value", ["600", "600/", "/60", "4/60", "600/0", "six/60", "600/60/10", "-5/60"])
def test_a_malformed_rate_limit_refuses_to_start(value):
    result = run_settings("baken.settings.dev", {"BAKEN_RATE_LIMIT_ANONYMOUS": value}, SETUP_ONLY)
    assert result.returncode != 0
    assert (
        f"django.core.exceptions.ImproperlyConfigured: BAKEN_RATE_LIMIT_ANONYMOUS={value!r}: expected "
        "QUOTA/WINDOW, whole numbers, a quota of at least 5 units (what a search costs) and a window "
        "of at least 1 second, e.g. 100/10"
    ) in result.stderr
