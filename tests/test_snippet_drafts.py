"""A snippet's draft revision never changes its live version until it is published."""

import pytest
from wagtail.models import Revision

from cms.snippets.models import ContactPoint, HelpLine, SourceCitation

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_helpline(content):
    helpline = content.helpline(
        "child-focus-116000", "Hulplijn 116000", points=[("phone", "116000", "Bel gratis 116000")]
    )
    assert helpline.live and not helpline.has_unpublished_changes
    return helpline


def edit_helpline(helpline: HelpLine) -> HelpLine:
    """Change the name and the number in memory, as the admin's edit form does before saving."""
    helpline.name = "Hulplijn Child Focus"
    point = helpline.contact_points.get()
    helpline.contact_points = [
        ContactPoint(
            translation_key=point.translation_key,
            contact_type=point.contact_type,
            value="+3224754411",
            label=point.label,
        )
    ]
    return helpline


def stored_contact_values(helpline: HelpLine) -> list[str]:
    return list(ContactPoint.objects.filter(helpline_id=helpline.pk).values_list("value", flat=True))


def test_help_line_draft_leaves_the_live_version_unchanged(live_helpline):
    revisions_before = Revision.objects.for_instance(live_helpline).count()

    draft = edit_helpline(live_helpline).save_revision()

    stored = HelpLine.objects.get(pk=live_helpline.pk)
    assert stored.name == "Hulplijn 116000"
    assert stored_contact_values(stored) == ["116000"]
    assert stored.live is True
    assert stored.has_unpublished_changes is True
    assert stored.latest_revision_id == draft.pk
    assert stored.live_revision_id != draft.pk
    assert Revision.objects.for_instance(stored).count() == revisions_before + 1
    # The draft holds the edit.
    as_draft = stored.get_latest_revision_as_object()
    assert as_draft.name == "Hulplijn Child Focus"
    assert [point.value for point in as_draft.contact_points.all()] == ["+3224754411"]


def test_publishing_the_help_line_draft_changes_the_live_version(live_helpline):
    draft = edit_helpline(live_helpline).save_revision()

    draft.publish()

    stored = HelpLine.objects.get(pk=live_helpline.pk)
    assert stored.name == "Hulplijn Child Focus"
    assert stored_contact_values(stored) == ["+3224754411"]
    assert stored.has_unpublished_changes is False
    assert stored.live_revision_id == draft.pk


def test_citation_draft_leaves_the_live_version_unchanged_until_published(content):
    citation = content.citation("Jaarverslag 2023", publisher="Child Focus")

    citation.title = "Jaarverslag 2024"
    citation.publisher = "Child Focus vzw"
    draft = citation.save_revision()

    stored = SourceCitation.objects.get(pk=citation.pk)
    assert (stored.title, stored.publisher) == ("Jaarverslag 2023", "Child Focus")
    assert stored.live is True
    assert stored.has_unpublished_changes is True
    assert stored.get_latest_revision_as_object().title == "Jaarverslag 2024"

    draft.publish()

    stored.refresh_from_db()
    assert (stored.title, stored.publisher) == ("Jaarverslag 2024", "Child Focus vzw")
    assert stored.has_unpublished_changes is False
    assert stored.live_revision_id == draft.pk


def test_draft_of_the_source_help_line_does_not_reach_its_translation(live_helpline, content):
    french = content.translate_snippet(live_helpline, "fr", name="Ligne d'aide 116000", revision=False)

    edit_helpline(live_helpline).save_revision()

    assert stored_contact_values(HelpLine.objects.get(pk=french.pk)) == ["116000"]
