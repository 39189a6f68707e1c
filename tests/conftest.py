"""Shared fixtures: locales, the content builder, the people in each role and the seed FAQ.

Content is built as editors make it, through the one builder of tests/content.py (fixture
``content``: revisions, publishing, ``copy_for_translation``); users through tests/users.py.
"""

from pathlib import Path

import pytest
from wagtail.models import Locale

from cms import roles
from tests.content import SEED_FAQ, ContentBuilder

# Every API answer of every test is checked against the published JSON Schemas (autouse).
from tests.published_schemas import api_answers_match_published_schemas  # noqa: F401
from tests.users import logged_in, make_user, prefer_language


def pytest_configure(config):
    # WhiteNoise warns once per request when collectstatic has not been run; irrelevant here.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@pytest.fixture
def seed_faq_path() -> Path:
    assert SEED_FAQ.is_file(), f"seed FAQ missing: {SEED_FAQ}"
    return SEED_FAQ


@pytest.fixture
def seed_faq_text(seed_faq_path) -> str:
    return seed_faq_path.read_text(encoding="utf-8")


@pytest.fixture
def locales(db) -> dict[str, Locale]:
    """The content locales the post_migrate handler created, by language code."""
    return {locale.language_code: locale for locale in Locale.objects.all()}


@pytest.fixture
def content(db) -> ContentBuilder:
    """The content builder (tests/content.py): pages, snippets and translations as editors make them."""
    return ContentBuilder()


# --- people --------------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    """An administrator named "editor": the ``admin_client``'s user."""
    return make_user("editor", superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    return logged_in(client, superuser)


@pytest.fixture
def admin(db):
    """Ada, an administrator."""
    return make_user("ada", superuser=True)


@pytest.fixture
def editor(db):
    """Eva, an editor: writes and submits for review, never publishes."""
    return make_user("eva", roles.EDITORS)


@pytest.fixture
def translator(db):
    """Theo, a translator."""
    return make_user("theo", roles.TRANSLATORS)


@pytest.fixture
def reviewer(db):
    """Rita, a reviewer: her approval publishes."""
    return make_user("rita", roles.REVIEWERS)


def pytest_collection_modifyitems(items):
    """Every test may touch the database, and always the test database.

    pytest-django creates the test database only for sessions with a ``django_db`` test, so a
    module-scoped content fixture run on its own would otherwise reach the real database.
    A test's own ``django_db`` mark (e.g. transaction=True) still wins: it comes first.
    """
    for item in items:
        item.add_marker(pytest.mark.django_db)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache and empty in-process copies. They are keyed by content
    versions, which are change-log sequences; a test's rollback lets the next test number its
    changes again, which production never does."""
    from django.core.cache import cache

    from api.response_cache import entries, store
    from cms.channels import selectors as channel_memos

    def forget() -> None:
        cache.clear()
        store._local_memos.cache_clear()
        entries._local.cache_clear()
        channel_memos.forget()

    forget()
    yield
    forget()


@pytest.fixture
def hit_queries():
    """The number of database queries a response-cache hit costs with the configured store: one
    (the change log's newest sequences) when the store is private to the process, none when it is
    shared (Redis, whose copy of the versions this process checks against the database at most
    once a second; see api/response_cache/versions.py)."""
    from api.response_cache.store import shared_store

    return lambda: 0 if shared_store().shared else 1


@pytest.fixture
def response_cache_on(settings):
    """A fresh local-memory shared cache, with the API's response cache and memos on."""
    import uuid

    from django.core.cache import cache

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }
    settings.BAKEN_API_RESPONSE_CACHE = True
    settings.BAKEN_API_MEMOS = True
    yield
    cache.clear()


@pytest.fixture
def refuse_queries(monkeypatch):
    """``refuse_queries(message)``: from then on every query raises ``OperationalError(message)``,
    as when the database cannot be reached; ``monkeypatch.undo()`` lets queries through again."""
    from django.db import OperationalError
    from django.db.backends.utils import CursorWrapper

    def refuse_with(message: str) -> None:
        def refuse(self, *args, **kwargs):
            raise OperationalError(message)

        monkeypatch.setattr(CursorWrapper, "execute", refuse)

    return refuse_with


@pytest.fixture
def translated(content) -> dict:
    """An FAQ page and a help-line, each published in Dutch and in French."""
    tree = content.page_tree(translations=("fr",))
    faq_fr = content.translate_page(tree.faq, "fr", title="Questions fréquentes", slug="questions-frequentes")
    helpline = content.helpline("child-focus-116000", "Hulplijn 116000")
    helpline_fr = content.translate_snippet(helpline, "fr", name="Ligne d'aide 116000")
    return {"tree": tree, "faq": tree.faq, "faq_fr": faq_fr, "helpline": helpline, "helpline_fr": helpline_fr}


# --- webhooks ---------------------------------------------------------------------------------


@pytest.fixture
def receiver(tmp_path):
    """A webhook receiver in its own process (tests/webhook_receiver.py, tests/servers.py)."""
    from tests.servers import webhook_receiver

    with webhook_receiver(tmp_path) as running:
        yield running


# --- real-browser tests -------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """A Chromium for the real-browser tests (tests/browser.py finds or installs one, or skips)."""
    from tests.browser import chromium_or_skip

    return chromium_or_skip()


def _restore(snapshot: str) -> None:
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection

    call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(snapshot)
    # The content types are back with their original ids: forget the ones looked up since.
    ContentType.objects.clear_cache()
    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


@pytest.fixture(scope="module")
def _migration_snapshot(django_db_setup, django_db_blocker):
    """What the migrations created, copied before a module's first live-server test and put back
    after its last one (a module fixture is torn down after the test's own flush)."""
    from django.db import connection

    with django_db_blocker.unblock():
        snapshot = connection.creation.serialize_db_to_string()
    yield snapshot
    with django_db_blocker.unblock():
        _restore(snapshot)


@pytest.fixture
def restore_migration_data(_migration_snapshot, django_db_blocker):
    """The groups, the workflow, the locales and Wagtail's root page, for a live-server test.

    A live-server test commits, so pytest-django empties every table after it (and its
    post_migrate handlers recreate only some rows). The module snapshot puts them back after the
    module; a second live-server test in the same module finds them emptied by the first one's
    flush, so they are put back before it starts too.
    """
    from wagtail.models import Page

    with django_db_blocker.unblock():
        if not Page.objects.filter(depth=1).exists():
            _restore(_migration_snapshot)
    yield


@pytest.fixture
def english():
    """Baken's texts in English. Outside an admin request they are in the active language, by
    default LANGUAGE_CODE (Dutch); a test that compares them exactly asks for this."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def english_admin(django_user_model):
    """Every admin user, those there now and those the test creates, reads the admin in English
    (the site's default admin language is Dutch), so Baken's English texts compare exactly."""
    from django.db.models.signals import post_save

    for user in django_user_model.objects.all():
        prefer_language(user, "en")

    def on_save(sender, instance, created, **kwargs):
        if created:
            prefer_language(instance, "en")

    post_save.connect(on_save, sender=django_user_model, dispatch_uid="english-admin")
    yield
    post_save.disconnect(sender=django_user_model, dispatch_uid="english-admin")
