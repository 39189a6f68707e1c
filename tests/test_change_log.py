"""The change log (cms.change_log): the exact entries each change writes, in its own transaction,
on SQLite and on PostgreSQL, whatever makes the change; ordering; compaction; the triggers.

Run on both: ``pytest tests/test_change_log.py`` and again with ``DATABASE_URL=postgres://…``.
Another OS process writing is tests/test_change_log_processes.py.
"""

import datetime as dt
from io import StringIO

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models.signals import post_migrate
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Locale, Page, PageViewRestriction, Revision, Site

from api.scheduling import publish_due_revisions
from cms import change_log
from cms.change_log import ChangeLogEntry, ChangeLogHorizon, ChangesCompacted, triggers
from cms.change_log.models import ReadOnlyError
from cms.pages.models import FAQPage, HomePage
from cms.snippets.models import ContactPoint, ContactType, HelpLine, SourceCitation

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"
postgres_only = pytest.mark.skipif(not POSTGRES, reason="PostgreSQL only")


class Log:
    """The entries written since the last look: (object type, id, kind, family, locale id, table)."""

    def __init__(self):
        self.mark = change_log.latest_sequence()

    def changes(self) -> list[change_log.Change]:
        changes = change_log.changes_after(self.mark, limit=10_000)
        if changes:
            self.mark = changes[-1].sequence
        return changes

    def new(self) -> list[tuple]:
        return [
            (c.object_type, c.object_id, c.kind, c.family, c.locale_id, c.source_table)
            for c in self.changes()
        ]


@pytest.fixture
def log() -> Log:
    return Log()


@pytest.fixture
def nl(locales) -> int:
    return locales["nl"].pk


@pytest.fixture
def faq(content) -> FAQPage:
    """A published FAQ page below a published campaign (nl)."""
    tree = content.page_tree()
    return FAQPage.objects.get(pk=tree.faq.pk)


def page(obj, kind, locale, table="wagtailcore_page"):
    return ("page", obj.pk, kind, "pages", locale, table)


def helpline(obj, kind, locale, table="cms_helpline"):
    return ("helpline", obj.pk, kind, "helplines", locale, table)


# --- pages ---------------------------------------------------------------------------------------


def test_publishing_a_page_records_it_published(content, log, nl):
    tree = content.page_tree(with_faq=False)
    log.new()
    draft = content.faq(tree.campaign, live=False)
    assert log.new() == [page(draft, "created", nl)]

    draft.save_revision().publish()

    [change] = log.changes()
    assert (change.object_type, change.object_id, change.kind, change.family) == (
        "page",
        draft.pk,
        "published",
        "pages",
    )
    assert (change.translation_key, change.locale_id) == (draft.translation_key, nl)
    assert change.changed_at <= timezone.now()


def test_republishing_with_an_edit_records_the_page_and_its_content(faq, log, nl):
    faq.intro = "<p>Nieuwe inleiding.</p>"
    faq.save_revision().publish()
    assert log.new() == [page(faq, "published", nl), page(faq, "changed", nl, "cms_faqpage")]


def test_saving_a_draft_records_nothing(faq, content, log):
    faq.title = "Nog niet gepubliceerd"
    faq.intro = "<p>Concept.</p>"
    faq.save_revision()
    helpline_ = content.helpline("hulplijn", "Hulplijn")
    log.new()
    helpline_.name = "Concept"
    helpline_.save_revision()
    Page.objects.filter(pk=faq.pk).update(has_unpublished_changes=True, draft_title="Concept 2")
    assert log.new() == []


def test_unpublishing_a_page(faq, log, nl):
    faq.unpublish()
    assert log.new() == [page(faq, "unpublished", nl)]


def test_deleting_a_page_records_its_page_row_and_its_specific_row(faq, log, nl):
    faq.delete()
    assert log.new() == [page(faq, "deleted", nl, "cms_faqpage"), page(faq, "deleted", nl)]


def test_moving_a_page(faq, content, log, nl):
    other = content.campaign("andere-campagne", "Andere campagne")
    log.new()
    faq.move(other, pos="last-child")
    # The tree move changes the path; Wagtail then saves the new url_path.
    assert log.new() == [page(faq, "moved", nl), page(faq, "changed", nl)]


def test_moving_a_page_records_every_page_below_it(faq, content, log, nl):
    campaign = faq.get_parent().specific
    other_home = content.root.add_child(instance=HomePage(title="Tweede", slug="tweede", locale_id=nl))
    log.new()
    campaign.move(other_home, pos="last-child")
    assert sorted(log.new()) == sorted(
        [
            page(campaign, "moved", nl),
            page(faq, "moved", nl),
            page(campaign, "changed", nl),
            page(faq, "changed", nl),
        ]
    )


def test_a_schedule_set_on_a_live_page_and_cleared(faq, log, nl):
    faq.go_live_at = timezone.now() + dt.timedelta(days=1)
    revision = faq.save_revision()
    revision.publish()  # a live page: only the revision carries the schedule
    assert log.new() == [page(faq, "scheduled", nl, "wagtailcore_revision")]

    revision.approved_go_live_at = None  # as Wagtail's "cancel scheduled publish" does
    revision.save(update_fields=["approved_go_live_at"])
    assert log.new() == [page(faq, "unscheduled", nl, "wagtailcore_revision")]


def test_a_new_page_scheduled_then_published_at_its_moment(content, log, nl, monkeypatch):
    tree = content.page_tree(with_faq=False)
    draft = content.faq(tree.campaign, live=False)
    log.new()
    moment = timezone.now() + dt.timedelta(hours=2)
    draft.go_live_at = moment
    draft.save_revision().publish()
    assert log.new() == [
        page(draft, "scheduled", nl, "wagtailcore_revision"),
        page(draft, "scheduled", nl),  # never live: the page row gets go_live_at too
    ]

    later = moment + dt.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert publish_due_revisions(now=later) == 1  # as the API does at its first request after it
    assert log.new() == [page(draft, "unscheduled", nl, "wagtailcore_revision"), page(draft, "published", nl)]


def test_a_view_restriction_added_and_removed(faq, log, nl):
    restriction = PageViewRestriction.objects.create(page=faq, restriction_type=PageViewRestriction.LOGIN)
    assert log.new() == [page(faq, "restricted", nl, "wagtailcore_pageviewrestriction")]
    restriction.delete()
    assert log.new() == [page(faq, "unrestricted", nl, "wagtailcore_pageviewrestriction")]


def test_a_published_translation(content, locales, log):
    fr = locales["fr"].pk
    tree = content.page_tree(translations=("fr",))
    faq = tree.faq
    log.new()
    translation = faq.copy_for_translation(locales["fr"])
    assert log.new() == [page(translation, "created", fr)]

    translation.save_revision().publish()
    [change] = log.changes()
    assert (change.object_type, change.object_id, change.kind, change.locale_id) == (
        "page",
        translation.pk,
        "published",
        fr,
    )
    assert change.translation_key == faq.translation_key


def test_bulk_updates_are_recorded_row_by_row(faq, content, log, nl):
    second = content.faq(faq.get_parent().specific, "tweede", "Tweede")
    log.new()

    FAQPage.objects.filter(pk__in=[faq.pk, second.pk]).update(intro="<p>Bulk.</p>")
    assert log.new() == [page(faq, "changed", nl, "cms_faqpage"), page(second, "changed", nl, "cms_faqpage")]

    FAQPage.objects.filter(pk=faq.pk).update(title="Bulk titel")  # a column of wagtailcore_page
    assert log.new() == [page(faq, "changed", nl)]

    FAQPage.objects.filter(pk=faq.pk).update(title="Bulk titel")  # the same value: nothing changed
    assert log.new() == []

    Page.objects.filter(pk=second.pk).update(live=False)
    assert log.new() == [page(second, "unpublished", nl)]


def test_raw_sql_is_recorded(faq, content, log, nl):
    helpline_ = content.helpline("hulplijn", "Hulplijn")
    log.new()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cms_helpline SET name = %s WHERE id = %s", ["Rauw", helpline_.pk])
        cursor.execute("UPDATE wagtailcore_page SET live = %s WHERE id = %s", [False, faq.pk])
    assert log.new() == [helpline(helpline_, "changed", nl), page(faq, "unpublished", nl)]


# --- snippets ------------------------------------------------------------------------------------


def test_a_help_line_published_edited_unpublished_and_deleted(content, log, nl):
    draft = content.helpline("kinderlijn", "Kinderlijn", live=False)
    log.new()

    draft.save_revision().publish()
    assert log.new() == [helpline(draft, "published", nl)]

    published = HelpLine.objects.get(pk=draft.pk)
    published.contact_points = [
        ContactPoint(contact_type=ContactType.PHONE, value="+3224754411", label="Bel ons")
    ]
    published.save_revision().publish()
    # The row (republished), the contact point that replaced the old one, and the published
    # details document the help-line rewrites from its contact points.
    assert log.new() == [
        helpline(draft, "published", nl),
        helpline(draft, "changed", nl, "cms_contactpoint"),
        helpline(draft, "changed", nl, "cms_contactpoint"),
        helpline(draft, "changed", nl),
    ]

    published = HelpLine.objects.get(pk=draft.pk)
    published.unpublish()
    assert log.new() == [helpline(draft, "unpublished", nl)]

    point = ContactPoint.objects.get(helpline=draft)
    ContactPoint.objects.filter(pk=point.pk).update(label="Bel ons gratis")
    assert log.new() == [helpline(draft, "changed", nl, "cms_contactpoint")]

    published.delete()
    assert log.new() == [helpline(draft, "changed", nl, "cms_contactpoint"), helpline(draft, "deleted", nl)]


def test_a_citation_published(content, log, nl):
    draft = content.citation("Jaarverslag 2025", live=False)
    assert log.new() == [("citation", draft.pk, "created", "citations", nl, "cms_sourcecitation")]
    draft.save_revision().publish()
    [change] = log.changes()
    assert (change.object_type, change.object_id, change.kind, change.family, change.locale_id) == (
        "citation",
        draft.pk,
        "published",
        "citations",
        nl,
    )
    assert change.translation_key == SourceCitation.objects.get(pk=draft.pk).translation_key


# --- locales and sites ---------------------------------------------------------------------------


def test_a_locale_created_and_deleted_concerns_every_family(log):
    locale = Locale.objects.create(language_code="es")
    assert log.new() == [("locale", locale.pk, "created", "all", locale.pk, "wagtailcore_locale")]
    assert change_log.latest_sequence(family="citations") == log.mark  # "all" counts for each family
    locale_id = locale.pk
    locale.delete()
    assert log.new() == [("locale", locale_id, "deleted", "all", locale_id, "wagtailcore_locale")]


def test_a_site_change(log):
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Baken"
    site.save()
    assert log.new() == [("site", site.pk, "changed", "pages", None, "wagtailcore_site")]


def test_a_document_concerns_every_family(log):
    document = get_document_model().objects.create(
        title="Folder", file=ContentFile(b"%PDF-1.4", "folder.pdf")
    )
    assert log.new() == [("document", document.pk, "created", "all", None, "wagtaildocs_document")]
    document.title = "Campagnefolder"
    document.save()
    assert log.new() == [("document", document.pk, "changed", "all", None, "wagtaildocs_document")]
    document_id = document.pk
    document.delete()
    assert log.new() == [("document", document_id, "deleted", "all", None, "wagtaildocs_document")]


# --- transactions and order ----------------------------------------------------------------------


def test_a_rolled_back_transaction_leaves_no_entry(faq, log):
    mark = log.mark

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        faq.intro = "<p>Nooit.</p>"
        faq.save_revision().publish()
        Locale.objects.create(language_code="es")
        assert len(change_log.changes_after(mark, limit=100)) == 3  # visible inside, until…
        raise Boom

    assert change_log.changes_after(mark, limit=100) == []
    assert change_log.latest_sequence() == mark
    assert not Locale.objects.filter(language_code="es").exists()


def test_sequences_strictly_increase_in_the_order_of_the_changes(content, log):
    sequences = []
    helpline_ = content.helpline("hulplijn", "Hulplijn")
    sequences += [c.sequence for c in log.changes()]
    for name in ("Een", "Twee", "Drie"):
        HelpLine.objects.filter(pk=helpline_.pk).update(name=name)
        [change] = log.changes()
        assert change.sequence > sequences[-1]
        sequences.append(change.sequence)
    assert sequences == sorted(set(sequences))
    assert change_log.latest_sequence() == sequences[-1] == change_log.stable_sequence()
    assert change_log.latest_sequence(family="helplines") == sequences[-1]
    assert change_log.latest_sequence(family="citations") < sequences[0]
    assert change_log.latest_sequence(until=sequences[1]) == sequences[1]


def test_changes_after_pages_oldest_first_and_filters_by_family(content, log):
    citation = content.citation("Rapport")
    helpline_ = content.helpline("hulplijn", "Hulplijn")
    everything = log.changes()
    first, second = change_log.changes_after(everything[0].sequence - 1, limit=2)
    assert [first.sequence, second.sequence] == [everything[0].sequence, everything[1].sequence]
    citations = change_log.changes_after(everything[0].sequence - 1, limit=100, family="citations")
    assert {c.object_id for c in citations} == {citation.pk} and {c.family for c in citations} == {
        "citations"
    }
    helplines = change_log.changes_after(
        everything[0].sequence - 1, limit=100, family="helplines", until=everything[-2].sequence
    )
    assert {c.object_id for c in helplines} == {helpline_.pk}
    assert helplines[-1].sequence <= everything[-2].sequence
    with pytest.raises(ValueError, match="Unknown family"):
        change_log.changes_after(0, limit=1, family="faqs")
    with pytest.raises(ValueError, match="limit"):
        change_log.changes_after(0, limit=0)


def test_the_log_is_read_only_from_python(log):
    Locale.objects.create(language_code="es")
    entry = ChangeLogEntry.objects.get(sequence=change_log.latest_sequence())
    with pytest.raises(ReadOnlyError):
        entry.save()
    with pytest.raises(ReadOnlyError):
        entry.delete()


# --- a restore -----------------------------------------------------------------------------------


def test_a_restore_by_import_content_records_every_object(content, tmp_path, log):
    tree = content.page_tree()
    helpline_ = content.helpline("hulplijn", "Hulplijn")
    citation = content.citation("Rapport")
    archive = tmp_path / "baken.json"
    call_command("export_content", "--output", str(archive), stdout=StringIO(), stderr=StringIO())
    for child in Page.get_first_root_node().get_children():
        child.delete()
    HelpLine.objects.all().delete()
    SourceCitation.objects.all().delete()
    Revision.objects.all().delete()
    log.new()

    call_command("import_content", str(archive), stdout=StringIO())

    created = {
        (object_type, object_id) for object_type, object_id, kind, *_ in log.new() if kind == "created"
    }
    assert created >= {
        ("page", tree.home.pk),
        ("page", tree.campaign.pk),
        ("page", tree.faq.pk),
        ("helpline", helpline_.pk),
        ("citation", citation.pk),
    }


# --- compaction ----------------------------------------------------------------------------------


def test_compaction_keeps_the_newest_entries_and_sets_the_horizon(content, log):
    content.citation("Rapport")
    content.helpline("hulplijn", "Hulplijn")
    Locale.objects.create(language_code="es")
    before = change_log.changes_after(0, limit=10_000)
    newest = {
        family: max(c.sequence for c in before if c.family == family) for family in {c.family for c in before}
    }
    latest = {
        family: change_log.latest_sequence(family=family) for family in ("pages", "helplines", "citations")
    }

    result = change_log.compact(keep_days=30, now=timezone.now() + dt.timedelta(days=31))

    kept = list(ChangeLogEntry.objects.values_list("sequence", flat=True))
    assert kept == sorted(newest.values())
    assert result.newest == before[-1].sequence == change_log.latest_sequence()
    assert result.deleted == len(before) - len(kept)
    assert result.horizon == max(c.sequence for c in before if c.sequence not in kept)
    assert change_log.compaction_horizon() == result.horizon
    assert ChangeLogHorizon.objects.get().sequence == result.horizon
    assert change_log.oldest_retained_sequence() == min(kept)
    assert {family: change_log.latest_sequence(family=family) for family in latest} == latest
    with pytest.raises(ChangesCompacted):
        change_log.changes_after(result.horizon - 1, limit=10)

    # A new entry still gets a higher sequence; compacting again keeps the horizon.
    Locale.objects.filter(language_code="es").update(language_code="es-ES")
    [change] = change_log.changes_after(result.horizon, limit=10_000)[-1:]
    assert change.sequence > result.newest
    assert change_log.compact(keep_days=30).horizon == result.horizon


def test_compaction_keeps_recent_entries(content, log):
    content.citation("Rapport")
    assert change_log.compact(keep_days=30).deleted == 0
    assert change_log.compaction_horizon() == 0


def test_the_compact_change_log_command(content, log):
    content.citation("Rapport")
    out = StringIO()
    call_command("compact_change_log", "--keep-days", "0", stdout=out)
    horizon = change_log.compaction_horizon()
    assert horizon > 0
    assert out.getvalue().strip().endswith(f"changes after sequence {horizon} are all kept.")
    assert out.getvalue().startswith("Deleted ")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--keep-days", "-1"], "--keep-days must be 0 or more"),
        (["--keep-days", "soon"], "invalid int value"),
    ],
)
def test_the_command_refuses_bad_arguments_and_changes_nothing(arguments, message, content, log):
    content.citation("Rapport")
    before = change_log.changes_after(0, limit=10_000)
    with pytest.raises(CommandError, match=message):
        call_command("compact_change_log", *arguments, stdout=StringIO())
    assert change_log.changes_after(0, limit=10_000) == before
    assert change_log.compaction_horizon() == 0


def test_a_compaction_that_fails_halfway_deletes_nothing(content, log, monkeypatch):
    content.citation("Rapport")
    before = change_log.changes_after(0, limit=10_000)

    def fail(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ChangeLogHorizon, "save", fail)
    with pytest.raises(RuntimeError):
        change_log.compact(keep_days=0, now=timezone.now() + dt.timedelta(days=1))
    assert change_log.changes_after(0, limit=10_000) == before


def test_compact_refuses_a_negative_number_of_days():
    with pytest.raises(ValueError, match="0 or more"):
        change_log.compact(keep_days=-1)


# --- the triggers --------------------------------------------------------------------------------


def test_every_trigger_is_installed_and_comes_back_after_migrate():
    assert triggers.missing(connection) == []
    name = "baken_change_log__cms_helpline__update"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {name}" + (" ON cms_helpline" if POSTGRES else ""))
    assert triggers.missing(connection) == [name]
    # What every migrate runs (only this receiver: the others would fill caches with rows that
    # this test's rollback removes).
    connected = [key for key, *_ in post_migrate.receivers if key[0] == "baken-change-log-triggers"]
    assert connected
    triggers.install_after_migrate(apps.get_app_config("cms"), using=connection.alias)
    assert triggers.missing(connection) == []
    assert len(triggers.install(connection)) == len(triggers.wanted(connection))  # idempotent


def test_the_covered_tables():
    covered = {trigger.table for trigger in triggers.wanted(connection)}
    assert covered == {
        "wagtailcore_page",
        "cms_homepage",
        "cms_campaignpage",
        "cms_faqpage",
        "cms_campaignkeydate",
        "cms_campaignhelpline",
        "cms_helpline",
        "cms_contactpoint",
        "cms_openinghours",
        "cms_sourcecitation",
        "wagtailcore_pageviewrestriction",
        "wagtailcore_revision",
        "wagtailcore_locale",
        "wagtailcore_site",
        "wagtaildocs_document",
    }
    assert apps.get_model("cms", "ChangeLogEntry")._meta.managed is False


# --- PostgreSQL: commit order is not sequence order ------------------------------------------------


def other_connection():
    import psycopg

    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
    )


def insert_locale(conn, code: str) -> int:
    conn.execute("INSERT INTO wagtailcore_locale (language_code) VALUES (%s)", [code])
    return conn.execute("SELECT max(seq) FROM cms_change_log").fetchone()[0]  # its own entry


@postgres_only
def test_stable_sequence_stays_below_a_transaction_still_writing(log):
    start = change_log.stable_sequence()
    try:
        with other_connection() as first, other_connection() as second:
            early = insert_locale(first, "x-early")  # numbered first, still in flight
            late = insert_locale(second, "x-late")
            second.commit()  # numbered later, committed first
            assert early < late

            assert change_log.latest_sequence() == late  # a reader sees 11 before 10…
            stable = change_log.stable_sequence()
            assert start <= stable < early  # …the stable bound does not pass 10
            assert change_log.changes_after(start, limit=10, until=stable) == []
            # The content versions, read in one statement, are held back the same way.
            families = ("pages", "helplines", "citations")
            versions = change_log.stable_latest_sequences(families=families)
            assert max(versions.values()) < early
            assert versions == change_log.latest_sequences(families=families, until=stable)

            first.commit()
            assert change_log.stable_sequence() >= late
            assert change_log.stable_latest_sequences(families=families) == dict.fromkeys(families, late)
            entries = [(c.sequence, c.kind) for c in change_log.changes_after(start, limit=10)]
            assert entries == [(early, "created"), (late, "created")]
    finally:
        with other_connection() as cleanup:
            cleanup.execute("DELETE FROM wagtailcore_locale WHERE language_code IN ('x-early', 'x-late')")


@postgres_only
def test_a_transaction_announces_its_floor_even_after_a_rolled_back_savepoint(log):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        Locale.objects.create(language_code="es")  # the first entry, in a savepoint…
        1 / 0
    Locale.objects.create(language_code="es")
    [change] = log.changes()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ((classid::bigint << 32) | objid::bigint) - %s FROM pg_locks "
            "WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND (classid::bigint >> 16) = %s",
            [triggers.ADVISORY_NAMESPACE, triggers.ADVISORY_NAMESPACE >> 48],
        )
        floors = [floor for (floor,) in cursor.fetchall()]
    assert floors and max(floors) < change.sequence


def test_the_log_has_the_indexes_its_readers_need(db):
    """Migration 0008 declared them on an unmanaged model, which Django does not create; 0013 does."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "cms_change_log")
    indexed = {name: tuple(info["columns"]) for name, info in constraints.items() if info["index"]}
    assert indexed["cms_change_log_family_seq"] == ("family", "seq")
    assert indexed["cms_change_log_changed_at"] == ("changed_at",)
    # The latest sequence of a family is read through the index, not by scanning the log.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("EXPLAIN SELECT max(seq) FROM cms_change_log WHERE family = 'pages'")
            plan = " ".join(row[0] for row in cursor.fetchall())
            cursor.execute("RESET enable_seqscan")
        else:
            cursor.execute("EXPLAIN QUERY PLAN SELECT max(seq) FROM cms_change_log WHERE family = 'pages'")
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "cms_change_log_family_seq" in plan, plan
