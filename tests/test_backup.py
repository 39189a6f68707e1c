"""export_content / import_content: the archive's shape, a full round trip through an empty
database with identical API responses, and every way an archive is refused without a change."""

import json
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client, override_settings
from wagtail.models import Locale, Page, PageViewRestriction, ReferenceIndex, Revision, Site

from cms.backup import TOP_LEVEL_KEYS, checksum
from cms.pages.models import CampaignHelpLine, CampaignKeyDate, CampaignPage, FAQPage, HomePage
from cms.snippets.models import ContactPoint, HelpLine, OpeningHours, SourceCitation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


API_URLS = [
    "/api/v1/",
    "/api/v1/locales/",
    "/api/v1/campaigns/",
    "/api/v1/campaigns/schat-je-schatje/",
    "/api/v1/faqs/",
    *(f"/api/v1/faqs/veelgestelde-vragen/?locale={code}" for code in ("nl", "fr", "en", "de")),
    "/api/v1/helplines/",
    "/api/v1/helplines/?locale=fr",
    "/api/v1/citations/",
    "/api/v1/citations/?locale=en",
    "/api/v1/citations/?format=csl",
    "/api/v1/search/?q=melden",
    # The HSDS view of the help-lines (api/hsds/): its ids are translation keys, kept by a restore.
    "/api/hsds/v3/services?full=true",
    "/api/hsds/v3/services?full=true&locale=fr",
    "/api/hsds/v3/organizations?full=true&full_service=true",
]
DRAFT_NAME = "Hulplijn 116000 (nieuwe naam, nog niet gepubliceerd)"


def api_responses() -> dict[str, tuple[int, str]]:
    """Status and body of every public endpoint, help-line and citation details included."""
    client = Client()
    urls = list(API_URLS)
    helplines = json.loads(client.get("/api/v1/helplines/").content)["results"]
    urls += [f"/api/v1/helplines/{helpline['slug']}/" for helpline in helplines]
    citations = json.loads(client.get("/api/v1/citations/").content)["results"]
    urls += [f"/api/v1/citations/{citation['id']}/?locale=fr" for citation in citations]
    responses = {}
    for url in urls:
        response = client.get(url)
        responses[url] = (response.status_code, response.content.decode())
    return responses


def export() -> str:
    out = StringIO()
    call_command("export_content", stdout=out, stderr=StringIO())
    return out.getvalue()


def write(path: Path, archive: dict | str) -> Path:
    path.write_text(archive if isinstance(archive, str) else json.dumps(archive), encoding="utf-8")
    return path


def reseal(archive: dict) -> dict:
    """Recompute the checksum, as someone deliberately editing an archive would."""
    archive["sha256"] = checksum(archive)
    return archive


def wipe_content() -> None:
    """Back to a freshly migrated database: Wagtail's root page and the locales, nothing else."""
    for page in Page.get_first_root_node().get_children():
        page.delete()
    HelpLine.objects.all().delete()
    SourceCitation.objects.all().delete()
    Revision.objects.all().delete()
    assert Page.objects.count() == 1


def row_counts() -> dict[str, int]:
    models = (
        Page,
        HomePage,
        CampaignPage,
        FAQPage,
        CampaignKeyDate,
        CampaignHelpLine,
        HelpLine,
        ContactPoint,
        OpeningHours,
        SourceCitation,
        Revision,
        PageViewRestriction,
        Site,
        Locale,
        Group,
    )
    return {model.__name__: model.objects.count() for model in models}


def restore(path: Path) -> str:
    out = StringIO()
    call_command("import_content", str(path), stdout=out)
    return out.getvalue()


@dataclass
class Demo:
    archive_text: str
    responses: dict[str, tuple[int, str]]
    counts: dict[str, int]
    live_name: str

    @property
    def archive(self) -> dict:
        return json.loads(self.archive_text)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo content with a pending draft on the 116000 help-line, exported once per module.

    Each test runs in its own savepoint inside this module's transaction, so a test may wipe
    the content and restore it; the next test finds the demo content again. The shared API
    response cache is off, so every comparison reads the database (one test turns it on).
    """
    no_response_cache = override_settings(BAKEN_API_RESPONSE_CACHE=False)
    with no_response_cache, django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo_content", stdout=StringIO())
        helpline = HelpLine.objects.get(slug="child-focus-116000", locale__language_code="nl")
        live_name = helpline.name
        helpline.name = DRAFT_NAME
        helpline.save_revision()
        yield Demo(
            archive_text=export(),
            responses=api_responses(),
            counts=row_counts(),
            live_name=live_name,
        )
        transaction.set_rollback(True)
    cache.clear()


@pytest.fixture
def archive_file(demo, tmp_path) -> Path:
    return write(tmp_path / "baken.json", demo.archive_text)


# --- the archive ---------------------------------------------------------------------------------


def test_export_has_the_documented_keys_and_every_object(demo):
    archive = demo.archive
    assert list(archive) == list(TOP_LEVEL_KEYS)
    assert archive["format"] == "baken-content-archive"
    assert archive["version"] == 1
    assert archive["sha256"] == checksum(archive)
    assert archive["locales"] == ["nl", "fr", "en", "de"]
    assert archive["site"]["root_page"] == HomePage.objects.get(locale__language_code="nl").pk

    types = [record["type"] for record in archive["pages"]]
    assert len(archive["pages"]) == Page.objects.count() - 1  # all but Wagtail's root
    assert types.count("cms.homepage") == 3
    assert types.count("cms.campaignpage") == 3
    assert types.count("cms.faqpage") == 3
    assert len(archive["helplines"]) == HelpLine.objects.count() == 9
    assert len(archive["citations"]) == SourceCitation.objects.count() == 9


def test_export_records_hold_tree_translations_children_and_only_pending_drafts(demo):
    archive = demo.archive
    faq = next(record for record in archive["pages"] if record["slug"] == "questions-frequentes")
    page = FAQPage.objects.get(pk=faq["id"])
    assert (faq["path"], faq["locale"], faq["translation_key"]) == (
        page.path,
        "fr",
        str(page.translation_key),
    )
    assert faq["live"] is True and faq["draft"] is None
    assert faq["fields"]["body"] == list(page.body.raw_data)

    campaign = next(record for record in archive["pages"] if record["type"] == "cms.campaignpage")
    assert set(campaign["children"]) == {"key_dates", "campaign_helplines"}
    assert len(campaign["children"]["campaign_helplines"]) == 3

    helpline = next(record for record in archive["helplines"] if record["fields"]["name"] == demo.live_name)
    assert helpline["has_unpublished_changes"] is True
    assert helpline["draft"]["content"]["name"] == DRAFT_NAME
    assert {"translation_key", "contact_type", "value", "label"} <= set(
        helpline["children"]["contact_points"][0]
    )
    assert [record["id"] for record in archive["helplines"] if record["draft"]] == [helpline["id"]]


def test_export_to_a_file_reports_what_it_wrote(demo, tmp_path):
    out = StringIO()
    call_command("export_content", "--output", str(tmp_path / "out.json"), stdout=out)
    assert "Exported 9 pages, 9 help-lines and 9 citations in 4 locales" in out.getvalue()
    assert (
        json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["format"] == "baken-content-archive"
    )


# --- the round trip ------------------------------------------------------------------------------


def test_restore_into_an_empty_database_serves_identical_api_responses(demo, archive_file):
    assert all(status == 200 for status, _ in demo.responses.values())
    wipe_content()
    assert HelpLine.objects.count() == FAQPage.objects.count() == 0

    output = restore(archive_file)

    assert "Restored 9 pages, 9 help-lines and 9 citations (1 pending drafts)" in output
    assert api_responses() == demo.responses
    assert row_counts() == {
        **demo.counts,
        # Only the restored state comes back: one revision per object, plus its pending draft.
        "Revision": 9 + 9 + 9 + 1,
    }


def test_a_restored_archive_exports_to_the_same_archive(demo, archive_file):
    wipe_content()
    restore(archive_file)

    def content(archive: dict) -> dict:
        return {key: value for key, value in archive.items() if key not in ("created_at", "sha256")}

    assert content(json.loads(export())) == content(demo.archive)


def test_a_pending_help_line_draft_stays_pending_and_off_the_api(demo, archive_file):
    wipe_content()
    restore(archive_file)

    helpline = HelpLine.objects.get(slug="child-focus-116000", locale__language_code="nl")
    assert helpline.live and helpline.has_unpublished_changes
    assert helpline.name == demo.live_name
    assert helpline.latest_revision != helpline.live_revision
    assert helpline.latest_revision.as_object().name == DRAFT_NAME
    assert helpline.live_revision.as_object().name == demo.live_name
    served = json.loads(Client().get("/api/v1/helplines/child-focus-116000/?locale=nl").content)
    assert served["name"] == demo.live_name

    # Publishing it afterwards works as for any draft.
    helpline.latest_revision.publish()
    helpline.refresh_from_db()
    assert (helpline.name, helpline.has_unpublished_changes) == (DRAFT_NAME, False)


def test_a_restored_site_takes_new_pages_and_snippets(demo, archive_file):
    wipe_content()
    restore(archive_file)

    assert Page.find_problems() == ([], [], [], [], [])
    assert Site.objects.get(is_default_site=True).root_page.specific.locale.language_code == "nl"
    campaign = CampaignPage.objects.get(slug="schat-je-schatje", locale__language_code="nl")
    new_faq = campaign.add_child(instance=FAQPage(title="Nieuw", slug="nieuw", locale=campaign.locale))
    assert new_faq.pk > max(record["id"] for record in demo.archive["pages"])
    assert HelpLine.objects.filter(pk__in=[record["id"] for record in demo.archive["helplines"]]).count() == 9
    assert ReferenceIndex.objects.exists()


def test_a_restore_invalidates_the_shared_api_response_cache(
    demo, archive_file, settings, django_capture_on_commit_callbacks
):
    settings.BAKEN_API_RESPONSE_CACHE = True
    cache.clear()
    url = "/api/v1/helplines/"
    with django_capture_on_commit_callbacks(execute=True):
        wipe_content()
    empty = Client().get(url).content
    assert json.loads(empty)["count"] == 0  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        restore(archive_file)

    assert (200, Client().get(url).content.decode()) == demo.responses[url]


def test_a_view_restriction_keeps_the_page_off_the_api(demo, tmp_path):
    faq = FAQPage.objects.get(locale__language_code="en")
    restriction = PageViewRestriction.objects.create(page=faq, restriction_type="password", password="x")
    restriction.groups.set([])
    url = "/api/v1/faqs/veelgestelde-vragen/?locale=en"
    before = Client().get(url).content
    assert json.loads(before)["locale"] == "nl"  # the English FAQ is hidden, Dutch is served
    path = write(tmp_path / "restricted.json", export())
    wipe_content()

    restore(path)

    assert Client().get(url).content == before
    assert PageViewRestriction.objects.get().page_id == faq.pk


# --- refusals ------------------------------------------------------------------------------------


def truncated(text: str) -> str:
    return text[: len(text) // 2]


def tampered(text: str) -> str:
    archive = json.loads(text)
    archive["helplines"][0]["children"]["contact_points"][0]["value"] = "+32 2 000 00 00"
    return json.dumps(archive)


def with_changes(**changes):
    def change(text: str) -> str:
        return json.dumps({**json.loads(text), **changes})

    return change


def without(key: str):
    def change(text: str) -> str:
        archive = json.loads(text)
        del archive[key]
        return json.dumps(reseal(archive))

    return change


def with_unknown_field(text: str) -> str:
    archive = json.loads(text)
    archive["citations"][0]["fields"]["impact_factor"] = 3
    return json.dumps(reseal(archive))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (truncated, "is not valid JSON"),
        (tampered, "Checksum mismatch"),
        (with_changes(version=99), "Archive version 99 is not supported"),
        (with_changes(format="wagtail-dump"), "This is not a Baken content archive"),
        (without("pages"), "lacks the key(s) 'pages'"),
        (with_unknown_field, "'impact_factor' is not a field of cms.sourcecitation"),
    ],
    ids=["corrupted", "tampered", "version-99", "wrong-format", "missing-key", "unknown-field"],
)
def test_a_damaged_or_incompatible_archive_is_refused_and_changes_nothing(demo, tmp_path, damage, message):
    path = write(tmp_path / "damaged.json", damage(demo.archive_text))
    wipe_content()
    before = row_counts()

    with pytest.raises(CommandError) as refused:
        restore(path)

    assert message in str(refused.value)
    assert str(refused.value).endswith("Nothing was changed.")
    assert row_counts() == before


def test_a_missing_file_is_refused(demo, tmp_path):
    before = row_counts()
    with pytest.raises(CommandError, match=r"Cannot read .*nowhere\.json"):
        restore(tmp_path / "nowhere.json")
    assert row_counts() == before


def test_a_database_with_content_is_refused_and_left_alone(demo, archive_file):
    before = row_counts()
    with pytest.raises(CommandError) as refused:
        restore(archive_file)
    assert "The database is not empty: it holds 9 help-lines, 9 source citations, 9 pages" in str(
        refused.value
    )
    assert row_counts() == before


def test_a_failure_halfway_through_writes_nothing(demo, tmp_path):
    # Sealed and well-formed, so it passes every check; the last page's date only fails when
    # the page is written, after the snippets and the other pages.
    archive = demo.archive
    archive["pages"][-1]["first_published_at"] = "the eighteenth of November"
    path = write(tmp_path / "bad-date.json", reseal(archive))
    wipe_content()
    before = row_counts()

    with pytest.raises(CommandError, match="'first_published_at' cannot hold 'the eighteenth of November'"):
        restore(path)

    assert row_counts() == before
