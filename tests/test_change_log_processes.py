"""The change log records a change made by another OS process (``manage.py shell``), which a third
process then reads with the selectors: the triggers live in the database, not in this process.

On PostgreSQL the other processes use this test's database; on SQLite (whose test database is in
memory) a file copy of it. The test commits (a transactional test): ``restore_migration_data``
puts back what the migrations created for the tests that follow.
"""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from cms import change_log

REPOSITORY = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.django_db(transaction=True)

WRITE = """
from wagtail.models import Locale, Site
locale = Locale.objects.create(language_code="es")
Site.objects.filter(is_default_site=True).update(site_name="Baken (elders)")
print(locale.pk)
"""

READ = """
import json
import os
from cms import change_log
print(json.dumps([
    [c.object_type, c.object_id, c.kind, c.family, c.locale_id, c.source_table]
    for c in change_log.changes_after({mark}, limit=100)
]))
"""


@pytest.fixture
def database_for_other_processes(tmp_path, restore_migration_data) -> dict:
    """A settings module naming the database the other processes share with this test."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        name = str(tmp_path / "shared.sqlite3")
        connection.ensure_connection()
        with sqlite3.connect(name) as copy:
            connection.connection.backup(copy)
    (tmp_path / "change_log_settings.py").write_text(
        "from baken.settings.test import *  # noqa: F403\n"
        f'DATABASES = {{"default": {{**DATABASES["default"], "NAME": {name!r}}}}}  # noqa: F405\n',
        encoding="utf-8",
    )
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "change_log_settings",
        "PYTHONPATH": f"{tmp_path}:{REPOSITORY}",
    }


def manage_shell(code: str, env: dict) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=REPOSITORY,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_a_change_made_by_another_process_is_in_the_log(database_for_other_processes):
    from wagtail.models import Site

    mark = change_log.latest_sequence()
    site_id = Site.objects.get(is_default_site=True).pk

    locale_id = int(manage_shell(WRITE, database_for_other_processes))

    expected = [
        ["locale", locale_id, "created", "all", locale_id, "wagtailcore_locale"],
        ["site", site_id, "changed", "pages", None, "wagtailcore_site"],
    ]
    read = json.loads(manage_shell(READ.format(mark=mark), database_for_other_processes))
    assert read == expected
    if connection.vendor == "postgresql":  # the same database: this process sees it too
        seen = change_log.changes_after(mark, limit=100)
        assert [[c.object_type, c.object_id, c.kind] for c in seen] == [row[:3] for row in expected]
        assert seen[0].sequence < seen[1].sequence
