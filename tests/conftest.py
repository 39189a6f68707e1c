"""Shared fixtures: locales, a superuser, the seed FAQ and a small page tree built per test."""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from wagtail.models import Locale, Page

from cms.pages.models import CampaignPage, FAQPage, HomePage

# The campaign's original FAQ, carried by the repository (a reference copy may stand in ../shared/seed/).
SEED_FAQ = Path(__file__).resolve().parents[1] / "cms" / "demo" / "content" / "schat-je-schatje-faq.nl.txt"
REFERENCE_SEED_FAQ = Path(__file__).resolve().parents[2] / "shared" / "seed" / "schat-je-schatje-faq.nl.txt"

# The seed's questions, exactly as written, in order.
SEED_QUESTIONS = [
    "Waarom is de 'Schat je schatje'- campagne belangrijk?",
    "Kan ik de beelden weer verwijderen?",
    "Hoe zijn de waarden berekend?",
    "Wat doet Child Focus tegen seksuele uitbuiting van kinderen?",
    "Waarom nu?",
    "Wat als ik iets concreet te melden heb?",
]


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
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        username="editor", email="editor@example.org", password="not-a-real-password"
    )


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def publish(obj):
    """Save a revision of a page or snippet and publish it, as an editor's 'Publish' does."""
    revision = obj.save_revision()
    revision.publish()
    obj.refresh_from_db()
    return obj


@dataclass
class PageTree:
    """One locale's pages: home → campaign (→ FAQ), plus their translations by language code."""

    home: HomePage
    campaign: CampaignPage
    faq: FAQPage | None
    homes: dict[str, HomePage] = field(default_factory=dict)
    campaigns: dict[str, CampaignPage] = field(default_factory=dict)


@pytest.fixture
def make_page_tree(locales) -> Callable[..., PageTree]:
    """Build a HomePage under the Wagtail root in nl, a CampaignPage under it and (optionally) an FAQPage.

    ``translations`` lists other language codes whose home and campaign translations to create
    (live, via copy_for_translation), so an FAQ can be imported or translated into them.
    """

    def make(
        *,
        with_faq: bool = True,
        campaign_slug: str = "schat-je-schatje",
        translations: tuple[str, ...] = (),
    ) -> PageTree:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="Baken", slug="baken-test", locale=locales["nl"]))
        publish(home)
        campaign = home.add_child(
            instance=CampaignPage(
                title="Schat je schatje",
                slug=campaign_slug,
                summary="Een campagne van Child Focus.",
                locale=locales["nl"],
            )
        )
        publish(campaign)
        faq = None
        if with_faq:
            faq = campaign.add_child(
                instance=FAQPage(
                    title="Veelgestelde vragen", slug="veelgestelde-vragen", locale=locales["nl"]
                )
            )
            publish(faq)
        tree = PageTree(home=home, campaign=campaign, faq=faq, homes={"nl": home}, campaigns={"nl": campaign})
        for code in translations:
            translated_home = home.copy_for_translation(locales[code]).specific
            tree.homes[code] = publish(translated_home)
            translated_campaign = campaign.copy_for_translation(locales[code]).specific
            tree.campaigns[code] = publish(translated_campaign)
        return tree

    return make


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
    """Each test starts with an empty cache: content versions bump on commit, which tests never do."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def translated(make_page_tree, locales) -> dict:
    """An FAQ page and a help-line, each published in Dutch and in French."""
    from tests.factories import HelpLineFactory

    tree = make_page_tree(translations=("fr",))
    french_faq = tree.faq.copy_for_translation(locales["fr"]).specific
    french_faq.title, french_faq.slug = "Questions fréquentes", "questions-frequentes"
    french_faq.save()
    publish(french_faq)
    helpline = publish(HelpLineFactory(slug="child-focus-116000", name="Hulplijn 116000"))
    french_helpline = helpline.copy_for_translation(locales["fr"])
    french_helpline.name = "Ligne d'aide 116000"
    french_helpline.save()
    publish(french_helpline)
    return {
        "tree": tree,
        "faq": tree.faq,
        "faq_fr": french_faq,
        "helpline": helpline,
        "helpline_fr": french_helpline,
    }


# --- real-browser tests -------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """A Chromium for the real-browser tests (tests/browser.py finds or installs one, or skips)."""
    from tests.browser import chromium_or_skip

    return chromium_or_skip()


def _restore(snapshot: str) -> None:
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection

    call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(snapshot)
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
    from wagtail.users.models import UserProfile

    def prefer_english(user):
        UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": "en"})

    for user in django_user_model.objects.all():
        prefer_english(user)

    def on_save(sender, instance, created, **kwargs):
        if created:
            prefer_english(instance)

    post_save.connect(on_save, sender=django_user_model, dispatch_uid="english-admin")
    yield
    post_save.disconnect(sender=django_user_model, dispatch_uid="english-admin")
