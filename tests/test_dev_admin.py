"""manage.py ensure_dev_admin, as `make run` calls it: the real admin address, with its port."""

import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

REPOSITORY = Path(__file__).resolve().parents[1]


def test_it_prints_the_admin_address_it_is_given(settings, django_user_model):
    settings.DEBUG = True
    out = StringIO()
    call_command("ensure_dev_admin", "--base-url", "http://127.0.0.1:8123/", stdout=out)
    # In the default language, Dutch, as `make run` prints it.
    assert (
        out.getvalue().strip()
        == "Admin: http://127.0.0.1:8123/admin/  gebruiker “admin”, wachtwoord “baken-dev-admin”"
    )
    assert django_user_model.objects.get(username="admin").is_superuser


def test_make_run_passes_its_port():
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], cwd=REPOSITORY, capture_output=True, text=True, check=True
    ).stdout
    [line] = [line for line in dry_run.splitlines() if "ensure_dev_admin" in line]
    assert line.endswith("ensure_dev_admin --base-url http://127.0.0.1:8123")
    assert "<port>" not in dry_run


def test_it_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="werkt alleen met de ontwikkelinstellingen"):
        call_command("ensure_dev_admin")
