"""Production hardening, admin login throttling, outages and what the API never reveals."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.content import publish
from tests.users import make_user

REPO = Path(__file__).resolve().parents[1]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "baken.settings.production",
    "DJANGO_SECRET_KEY": "x" * 20 + uuid.uuid4().hex + "y" * 20,
    "DJANGO_ALLOWED_HOSTS": "baken.example.org",
    "DATABASE_URL": "postgres://baken@127.0.0.1:5432/baken",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "WAGTAILADMIN_BASE_URL": "https://baken.example.org",
}


def run_production(code: str, **extra_env) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ["PATH"], **PRODUCTION_ENV, **extra_env}
    return subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_nothing_with_the_documented_environment():
    result = run_production(
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_hardening_settings():
    result = run_production(
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({"
        "'debug': s.DEBUG, 'hsts': s.SECURE_HSTS_SECONDS, 'ssl': s.SECURE_SSL_REDIRECT, "
        "'session_secure': s.SESSION_COOKIE_SECURE, 'session_httponly': s.SESSION_COOKIE_HTTPONLY, "
        "'csrf_secure': s.CSRF_COOKIE_SECURE, 'nosniff': s.SECURE_CONTENT_TYPE_NOSNIFF, "
        "'referrer': s.SECURE_REFERRER_POLICY}))",
        DJANGO_DEBUG="true",
        DEBUG="1",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "debug": False,
        "hsts": 31536000,
        "ssl": True,
        "session_secure": True,
        "session_httponly": True,
        "csrf_secure": True,
        "nosniff": True,
        "referrer": "strict-origin-when-cross-origin",
    }


@pytest.mark.django_db
def test_admin_and_docs_pages_carry_a_content_security_policy(client):
    for url in ("/admin/login/", "/api/v1/docs/"):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "object-src 'none'" in policy
        assert "frame-ancestors 'self'" in policy


@pytest.mark.django_db
def test_admin_login_is_locked_after_five_wrong_passwords(client):
    make_user("editor", superuser=True, password="the-right-password")
    for _ in range(4):
        response = client.post("/admin/login/", {"username": "editor", "password": "guess"})
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    fifth = client.post("/admin/login/", {"username": "editor", "password": "guess"})
    assert fifth.status_code == 429
    locked = client.post("/admin/login/", {"username": "editor", "password": "the-right-password"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_correct_login_before_the_limit_still_works(client):
    make_user("editor", superuser=True, password="the-right-password")
    for _ in range(4):
        client.post("/admin/login/", {"username": "editor", "password": "guess"})
    response = client.post("/admin/login/", {"username": "editor", "password": "the-right-password"})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_the_api_never_names_editors(client, content):
    editor = make_user(
        "marie.editor",
        email="marie@childfocus.example",
        password="pw",
        first_name="Marie",
        last_name="Redacteur",
    )
    tree = content.page_tree()
    tree.faq.owner = editor
    tree.faq.save_revision(user=editor)
    publish(tree.faq)
    for url in ("/api/v1/faqs/", "/api/v1/faqs/veelgestelde-vragen/", "/api/v1/campaigns/"):
        body = client.get(url).content.decode()
        for private in ("marie", "Marie", "Redacteur", "childfocus.example", "owner"):
            assert private not in body, (url, private)


@pytest.mark.django_db
def test_an_unreachable_database_gives_503_problem_with_retry_after_then_recovers(
    client, monkeypatch, refuse_queries
):
    refuse_queries("could not connect to server: Connection refused")
    response = client.get("/api/v1/faqs/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "30"
    assert response.json() == {
        "type": "about:blank",
        "title": "Service Unavailable",
        "status": 503,
        "detail": "The content store is unavailable; please retry shortly.",
    }
    assert "Traceback" not in response.content.decode()
    monkeypatch.undo()
    assert client.get("/api/v1/faqs/").status_code == 200


def test_a_server_whose_database_is_down_answers_503_not_a_stack_trace(tmp_path):
    """A real server process pointed at a closed PostgreSQL port, with production settings."""
    code = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "r = Client(HTTP_HOST='baken.example.org').get('/api/v1/faqs/', secure=True)\n"
        "print(r.status_code, r['Content-Type'], r.get('Retry-After'))\n"
        "print(r.content.decode())\n"
    )
    result = run_production(
        code, DATABASE_URL="postgres://baken@127.0.0.1:1/baken", REDIS_URL="redis://127.0.0.1:1/0"
    )
    assert result.returncode == 0, result.stderr
    first_line, body = result.stdout.split("\n", 1)
    assert first_line == "503 application/problem+json 30"
    assert json.loads(body)["status"] == 503
    assert "Traceback" not in body and "DATABASES" not in body
