"""The load_demo_content command: what it creates, and that running it again duplicates nothing."""

import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from wagtail.models import Page, Site

from cms.demo import data
from cms.importers.faq_text import parse_faq
from cms.pages.models import CampaignHelpLine, CampaignKeyDate, CampaignPage, FAQPage, HomePage
from cms.snippets.models import ContactPoint, HelpLine, SourceCitation
from tests.content import REFERENCE_SEED_FAQ, SEED_QUESTIONS, item_values, questions

pytestmark = pytest.mark.django_db


def load() -> str:
    out = StringIO()
    call_command("load_demo_content", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "homes": HomePage.objects.count(),
        "campaigns": CampaignPage.objects.count(),
        "faqs": FAQPage.objects.count(),
        "helplines": HelpLine.objects.count(),
        "contact points": ContactPoint.objects.count(),
        "citations": SourceCitation.objects.count(),
        "key dates": CampaignKeyDate.objects.count(),
        "campaign help-lines": CampaignHelpLine.objects.count(),
        "sites": Site.objects.count(),
    }


def faq_revision_counts() -> dict[str, int]:
    return {
        page.locale.language_code: page.revisions.count() for page in FAQPage.objects.select_related("locale")
    }


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo content loaded twice, once for the whole module, rolled back afterwards.

    Loading takes a couple of seconds, so the tests below share one load; each test still
    runs in its own savepoint inside the module's transaction.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        first_output = load()
        after_first = snapshot()
        revisions_after_first = faq_revision_counts()
        second_output = load()
        yield {
            "first": after_first,
            "second": snapshot(),
            "outputs": (first_output, second_output),
            "faq revisions": (revisions_after_first, faq_revision_counts()),
        }
        transaction.set_rollback(True)
    cache.clear()


def test_each_run_reports_what_is_ready(loaded):
    # In the default language, Dutch, as `make run` prints it.
    first, second = loaded["outputs"]
    assert first.splitlines()[:3] == [
        "FAQ nl: aangemaakt (/baken/schat-je-schatje/veelgestelde-vragen/)",
        "FAQ fr: aangemaakt (/baken-fr/schat-je-schatje/questions-frequentes/)",
        "FAQ en: aangemaakt (/baken-en/schat-je-schatje/frequently-asked-questions/)",
    ]
    assert second.splitlines()[:3] == [
        "FAQ nl: up-to-date (/baken/schat-je-schatje/veelgestelde-vragen/)",
        "FAQ fr: up-to-date (/baken-fr/schat-je-schatje/questions-frequentes/)",
        "FAQ en: up-to-date (/baken-en/schat-je-schatje/frequently-asked-questions/)",
    ]
    assert second.splitlines()[3] == (
        "Demo-inhoud klaar: campagne “Schat je schatje”, FAQ in nl, fr, en, 3 hulplijnen, 3 bronvermeldingen."
    )


def test_second_run_creates_nothing(loaded):
    assert loaded["second"] == loaded["first"]
    assert loaded["second"] == {
        "pages": 10,  # the Wagtail root + (home, campaign, FAQ) × nl/fr/en
        "homes": 3,
        "campaigns": 3,
        "faqs": 3,
        "helplines": 9,
        "contact points": 9,
        "citations": 9,
        "key dates": 3,
        "campaign help-lines": 9,
        "sites": 1,
    }


def test_one_campaign_per_locale_and_none_in_german(loaded):
    by_locale = sorted(CampaignPage.objects.values_list("locale__language_code", flat=True))
    assert by_locale == ["en", "fr", "nl"]
    assert not CampaignPage.objects.filter(locale__language_code="de").exists()
    assert CampaignPage.objects.values("translation_key").distinct().count() == 1
    assert all(page.live for page in CampaignPage.objects.all())
    assert set(CampaignPage.objects.values_list("title", flat=True)) == {"Schat je schatje"}


def test_three_faq_pages_are_translations_of_each_other(loaded):
    pages = {page.locale.language_code: page for page in FAQPage.objects.select_related("locale")}
    assert sorted(pages) == ["en", "fr", "nl"]
    assert len({page.translation_key for page in pages.values()}) == 1
    assert {code: page.title for code, page in pages.items()} == {
        "nl": "Veelgestelde vragen",
        "fr": "Questions fréquentes",
        "en": "Frequently asked questions",
    }
    assert all(page.live and not page.has_unpublished_changes for page in pages.values())
    for code, page in pages.items():
        assert page.get_parent().specific.locale.language_code == code
    # Anchors are shared by every translation of a question.
    anchors = {code: [q["anchor"] for q in questions(page)] for code, page in pages.items()}
    assert anchors["fr"] == anchors["en"] == anchors["nl"]


def test_dutch_faq_is_the_seed(loaded, seed_faq_text):
    page = FAQPage.objects.get(locale__language_code="nl")
    seed = parse_faq(seed_faq_text)
    assert [section["value"]["heading"] for section in page.body.raw_data] == ["FAQ", "FAQ"]
    assert [len(section["value"]["questions"]) for section in page.body.raw_data] == [4, 2]
    assert [q["question"] for q in questions(page)] == SEED_QUESTIONS
    assert set(SEED_QUESTIONS) <= set(seed_faq_text.splitlines())
    assert [q["answer"] for q in questions(page)] == [q.answer_html for q in seed.questions]


def test_nine_help_lines_and_nine_citations_in_three_locales(loaded):
    for model in (HelpLine, SourceCitation):
        assert sorted(model.objects.values_list("locale__language_code", flat=True)) == [
            "en",
            "en",
            "en",
            "fr",
            "fr",
            "fr",
            "nl",
            "nl",
            "nl",
        ]
        assert model.objects.values("translation_key").distinct().count() == 3
        assert model.objects.filter(live=True).count() == 9
    assert sorted(HelpLine.objects.filter(locale__language_code="nl").values_list("slug", flat=True)) == [
        "child-focus-116000",
        "child-focus-e-mail",
        "stopchildporno-be",
    ]


def test_help_line_contact_points_are_shared_by_the_translations(loaded):
    for slug, expected in [
        ("child-focus-116000", [("phone", "116000")]),
        ("stopchildporno-be", [("web_form", "https://www.stopchildporno.be")]),
        ("child-focus-e-mail", [("email", "116000@childfocus.org")]),
    ]:
        for helpline in HelpLine.objects.filter(slug=slug):
            assert [(p.contact_type, p.value) for p in helpline.contact_points.all()] == expected
    labels = {
        helpline.locale.language_code: helpline.contact_points.get().label
        for helpline in HelpLine.objects.filter(slug="child-focus-116000")
    }
    assert labels == {
        "nl": "Bel gratis 116000, dag en nacht",
        "fr": "Appelez gratuitement le 116000, jour et nuit",
        "en": "Call 116000 free of charge, day and night",
    }


def test_116000_help_line_is_attached_to_the_campaign_and_the_questions_mentioning_it(loaded):
    for code in ("nl", "fr", "en"):
        helpline = HelpLine.objects.get(slug="child-focus-116000", locale__language_code=code)
        campaign = CampaignPage.objects.get(locale__language_code=code)
        faq = FAQPage.objects.get(locale__language_code=code)
        assert helpline.pk in [link.helpline_id for link in campaign.campaign_helplines.all()]
        assert [link.helpline.locale.language_code for link in campaign.campaign_helplines.all()] == [
            code
        ] * 3
        mentions = [("116000" in q["answer"]) for q in questions(faq)]
        attached = [(helpline.pk in item_values(q["helplines"])) for q in questions(faq)]
        assert attached == mentions
    nl_faq = FAQPage.objects.get(locale__language_code="nl")
    assert [("116000" in q["answer"]) for q in questions(nl_faq)] == [False, False, False, True, False, True]


def test_questions_link_the_sources_in_their_own_language(loaded):
    for code in ("nl", "fr", "en"):
        faq = FAQPage.objects.get(locale__language_code=code)
        citation_locales = {
            SourceCitation.objects.get(pk=pk).locale.language_code
            for q in questions(faq)
            for pk in item_values(q["citations"])
        }
        assert citation_locales == {code}
        assert [len(item_values(q["citations"])) for q in questions(faq)] == [0, 0, 0, 0, 2, 0]


def test_second_run_adds_no_faq_revisions(loaded):
    after_first, after_second = loaded["faq revisions"]
    assert after_second == after_first
    assert sorted(after_second) == ["en", "fr", "nl"]


def test_default_site_serves_the_dutch_home_page(loaded):
    site = Site.objects.get()
    assert site.is_default_site
    assert site.root_page.specific == HomePage.objects.get(locale__language_code="nl")
    assert (site.hostname, site.port, site.site_name) == ("localhost", 80, "Baken")


def test_demo_loads_the_seed_file(seed_faq_path):
    assert seed_faq_path == data.SEED_FAQ_NL


def test_the_repository_carries_the_seed_faq():
    assert data.SEED_FAQ_NL.is_relative_to(Path(data.__file__).resolve().parents[2])
    assert [
        q.question for q in parse_faq(data.SEED_FAQ_NL.read_text(encoding="utf-8")).questions
    ] == SEED_QUESTIONS


@pytest.mark.skipif(
    not REFERENCE_SEED_FAQ.is_file(), reason="no reference copy of the seed beside the repository"
)
def test_the_seed_copy_equals_the_reference_copy():
    assert data.SEED_FAQ_NL.read_bytes() == REFERENCE_SEED_FAQ.read_bytes()


def test_a_copy_of_the_repository_with_nothing_beside_it_loads_the_demo(tmp_path):
    """The product's files alone, in a folder with no ``shared/`` beside them, migrate and load."""
    repository = Path(__file__).resolve().parents[1]
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=repository,
        capture_output=True,
        check=True,
    ).stdout.decode()
    clone = tmp_path / "alone" / "baken"
    for name in filter(None, listed.split("\0")):
        source = repository / name
        if source.is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / name)
    assert not (clone.parent / "shared").exists()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "PYTEST", "BAKEN_"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "baken.settings.dev",
        "DATABASE_URL": f"sqlite:///{clone / 'db.sqlite3'}",
    }

    def manage(*command: str, timeout: int) -> subprocess.CompletedProcess:
        run = [sys.executable, "manage.py", *command]
        return subprocess.run(run, cwd=clone, env=env, capture_output=True, text=True, timeout=timeout)

    for command in (["migrate", "--noinput"], ["load_demo_content"]):
        result = manage(*command, timeout=300)
        assert result.returncode == 0, result.stderr[-2000:]
    count_live = "from cms.pages.models import FAQPage; print(FAQPage.objects.filter(live=True).count())"
    counted = manage("shell", "-c", count_live, timeout=120)
    counted.check_returncode()
    assert counted.stdout.strip().splitlines()[-1] == "3"
