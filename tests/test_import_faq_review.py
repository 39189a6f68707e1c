"""import_faq and the editorial workflow: a draft by default, --submit for review, --publish by those allowed.

The users are the roles of cms/roles.py: Eva (Editors) may write and submit, not publish; Rita
(Reviewers) may publish; Ada is an administrator.
"""

import pytest
from django.core.cache import cache
from django.core.management.base import CommandError
from wagtail.models import PageLogEntry, Revision, WorkflowPage, WorkflowState

from cms import roles
from cms.importers.faq_pages import FAQImportError, import_faq_page
from cms.importers.faq_text import parse_faq
from cms.management.commands.import_faq import Command as ImportFAQCommand
from cms.pages.models import FAQPage
from tests.content import SEED_QUESTIONS, questions
from tests.test_import_faq_command import DEMO_FR, FR_ARGS, counts, import_faq, write
from tests.users import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


NOTHING = "Nothing was changed."


@pytest.fixture
def campaign(content):
    return content.page_tree(with_faq=False).campaign


@pytest.fixture
def live(campaign, seed_faq_path, admin) -> FAQPage:
    """The seed FAQ, published."""
    import_faq(seed_faq_path, "--publish", "--user", "ada")
    return FAQPage.objects.get()


@pytest.fixture
def changed_file(seed_faq_path, tmp_path):
    return write(
        tmp_path, seed_faq_path.read_text(encoding="utf-8").replace("Waarom nu?", "Waarom op 18 november?")
    )


def refused(path, *args, title="Veelgestelde vragen") -> str:
    """The command's message; asserts that nothing (no page, no revision, no review) was written."""
    before = counts(), WorkflowState.objects.count(), PageLogEntry.objects.count()
    with pytest.raises(CommandError) as caught:
        import_faq(path, *args, title=title)
    assert (counts(), WorkflowState.objects.count(), PageLogEntry.objects.count()) == before
    return str(caught.value)


def in_progress(page) -> WorkflowState:
    return WorkflowState.objects.get(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS)


def served(client) -> dict:
    cache.clear()
    response = client.get("/api/v1/faqs/veelgestelde-vragen/")
    assert response.status_code == 200
    return response.json()


# --- --submit ----------------------------------------------------------------------------------


def test_submit_saves_a_draft_and_starts_the_review_as_the_user(client, live, changed_file, editor):
    served_before = served(client)

    output = import_faq(changed_file, "--submit", "--user", "eva")

    page = FAQPage.objects.get()
    assert output == (
        f"Updated FAQ page “Veelgestelde vragen” (nl, id {page.pk}) with 6 questions in 2 sections.\n"
        "Submitted for review (“Review before publish”) by eva; it goes live when a reviewer approves it.\n"
    )
    state = in_progress(page)
    assert state.requested_by == editor
    assert state.workflow.name == "Review before publish"
    assert state.current_task_state.task.name == "Reviewers approval"
    assert state.current_task_state.revision_id == page.latest_revision_id
    assert page.latest_revision.user == editor
    assert page.revisions.count() == 2
    # Still the live version, in the page and in the API.
    assert page.live_revision_id == live.live_revision_id
    assert [q["question"] for q in questions(page)] == SEED_QUESTIONS
    assert served(client) == served_before
    actions = list(
        PageLogEntry.objects.filter(page=page).order_by("pk").values_list("action", "user__username")
    )
    assert actions[-2:] == [("wagtail.edit", "eva"), ("wagtail.workflow.start", "eva")]


def test_a_submitted_import_goes_live_when_a_reviewer_approves(client, live, changed_file, editor, reviewer):
    import_faq(changed_file, "--submit", "--user", "eva")
    state = in_progress(live)

    state.current_task_state.approve(user=reviewer)

    page = FAQPage.objects.get()
    assert page.live and not page.has_unpublished_changes
    assert questions(page)[4]["question"] == "Waarom op 18 november?"
    assert served(client)["sections"][1]["questions"][0]["question"] == "Waarom op 18 november?"


def test_submit_of_a_new_page_creates_it_not_live_and_in_review(campaign, seed_faq_path, editor):
    output = import_faq(seed_faq_path, "--submit", "--user", "eva")

    page = FAQPage.objects.get()
    assert output.endswith(
        "Submitted for review (“Review before publish”) by eva; it goes live when a reviewer approves it.\n"
    )
    assert (page.live, page.live_revision_id, page.revisions.count()) == (False, None, 1)
    state = in_progress(page)
    assert state.requested_by == editor
    assert state.current_task_state.revision_id == page.latest_revision_id


def test_submit_of_an_unchanged_file_over_its_draft_submits_that_draft(live, changed_file, editor):
    import_faq(changed_file)
    revisions = Revision.objects.count()

    output = import_faq(changed_file, "--submit", "--user", "eva")

    page = FAQPage.objects.get()
    assert output.startswith("Unchanged: FAQ page")
    assert Revision.objects.count() == revisions
    assert in_progress(page).current_task_state.revision_id == page.latest_revision_id


def test_submit_of_what_is_already_live_submits_nothing(live, seed_faq_path, editor):
    before = counts()

    output = import_faq(seed_faq_path, "--submit", "--user", "eva")

    assert output == (
        f"Unchanged: FAQ page “Veelgestelde vragen” (nl, id {live.pk}) with 6 questions in 2 sections.\n"
        "Nothing to submit: the live version already has this content.\n"
    )
    assert counts() == before
    assert not WorkflowState.objects.exists()


def test_submit_is_refused_when_the_page_is_already_in_moderation(
    live, changed_file, seed_faq_path, editor, reviewer
):
    import_faq(changed_file, "--submit", "--user", "eva")
    expected = (
        f"{seed_faq_path}: The page “Veelgestelde vragen” is already in moderation (“Review before publish”, "
        "awaiting “Reviewers approval”); wait for the reviewers' decision before submitting it again. "
        "Nothing was changed."
    )
    assert refused(seed_faq_path, "--submit", "--user", "eva") == expected
    # A reviewer, who may change the page during the review, cannot submit it twice either.
    assert refused(seed_faq_path, "--submit", "--user", "rita") == expected


def test_submit_after_changes_were_requested_resumes_the_same_review(
    live, changed_file, seed_faq_path, editor, reviewer
):
    import_faq(changed_file, "--submit", "--user", "eva")
    state = in_progress(live)
    state.current_task_state.reject(user=reviewer)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES

    import_faq(seed_faq_path, "--submit", "--user", "eva", title="Veelgestelde vragen (herzien)")

    page = FAQPage.objects.get()
    assert in_progress(page).pk == state.pk
    assert in_progress(page).current_task_state.revision_id == page.latest_revision_id
    assert WorkflowState.objects.count() == 1


@pytest.mark.parametrize(
    ("page", "file"),
    [
        pytest.param("live", "changed_file", id="the-live-page"),
        pytest.param("campaign", "seed_faq_path", id="a-new-page-whose-parent-has-none"),
    ],
)
def test_submit_is_refused_when_the_page_has_no_workflow(request, page, file):
    """``page`` and ``file`` name the fixtures: the page there is (or its parent), the file to import."""
    request.getfixturevalue(page)
    path = request.getfixturevalue(file)
    request.getfixturevalue("editor")
    WorkflowPage.objects.all().delete()
    assert refused(path, "--submit", "--user", "eva") == (
        f"{path}: The page “Veelgestelde vragen” has no review workflow, so it cannot be submitted "
        "for review; import it as a draft, or have someone allowed to publish it use --publish. "
        "Nothing was changed."
    )


# --- --user ------------------------------------------------------------------------------------


def test_submit_without_user_is_refused(live, changed_file):
    assert refused(changed_file, "--submit") == (
        "--submit needs --user USERNAME: the person who submits the draft for review. Nothing was changed."
    )


def test_publish_without_user_is_refused(live, changed_file):
    assert refused(changed_file, "--publish") == (
        "--publish needs --user USERNAME: someone allowed to publish the page, such as a reviewer. "
        "Nothing was changed."
    )


def test_unknown_user_is_refused(live, changed_file):
    assert (
        refused(changed_file, "--submit", "--user", "nobody")
        == "There is no user “nobody”. Nothing was changed."
    )


def test_inactive_user_is_refused(live, changed_file):
    make_user("rob", roles.REVIEWERS, is_active=False)
    assert (
        refused(changed_file, "--publish", "--user", "rob")
        == "The user “rob” is inactive. Nothing was changed."
    )


def test_a_draft_as_a_user_is_recorded_as_theirs(live, changed_file, editor):
    output = import_faq(changed_file, "--user", "eva")

    page = FAQPage.objects.get()
    assert output.startswith("Updated FAQ page")
    assert page.latest_revision.user == editor
    assert page.live_revision_id == live.live_revision_id
    assert not WorkflowState.objects.exists()


def test_a_draft_by_an_editor_is_refused_while_the_page_is_in_review(
    live, changed_file, seed_faq_path, editor
):
    import_faq(changed_file, "--submit", "--user", "eva")
    assert refused(seed_faq_path, "--user", "eva") == (
        f"{seed_faq_path}: The page “Veelgestelde vragen” is in review; until the reviewers have decided, "
        "only they may change it. Nothing was changed."
    )


def test_a_page_locked_by_someone_else_is_refused(live, changed_file, editor, reviewer):
    FAQPage.objects.filter(pk=live.pk).update(locked=True, locked_by=reviewer)
    assert refused(changed_file, "--user", "eva") == (
        f"{changed_file}: The page “Veelgestelde vragen” is locked by “rita”; ask them to unlock it first. "
        "Nothing was changed."
    )


def test_a_translator_may_not_add_a_page(campaign, seed_faq_path, translator):
    assert refused(seed_faq_path, "--submit", "--user", "theo") == (
        f"{seed_faq_path}: The user “theo” may not add pages below “Schat je schatje”. Nothing was changed."
    )


# --- mutually exclusive options ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (("--submit", "--publish"), "--submit and --publish"),
        (("--draft", "--publish"), "--draft and --publish"),
        (("--draft", "--submit"), "--draft and --submit"),
    ],
)
def test_draft_submit_and_publish_exclude_each_other(live, changed_file, reviewer, options, named):
    assert refused(changed_file, *options, "--user", "rita") == (
        f"{named} cannot be combined: save a draft (the default), submit it for review (--submit) "
        "or publish it (--publish). Nothing was changed."
    )


def test_the_writer_refuses_submit_and_publish_together(live, reviewer):
    with pytest.raises(FAQImportError) as caught:
        import_faq_page(
            parsed=parse_faq("FAQ\n\nWaarom?\n\nDaarom.\n"),
            campaign=live.get_parent().specific,
            locale=live.locale,
            slug="veelgestelde-vragen",
            publish=True,
            submit=True,
            user=reviewer,
        )
    assert str(caught.value) == "Submit the draft for review or publish it, not both."


# --- --publish ---------------------------------------------------------------------------------


def test_publish_by_an_editor_is_refused_and_writes_nothing(client, live, changed_file, editor):
    served_before = served(client)
    revisions = live.revisions.count()

    message = refused(changed_file, "--publish", "--user", "eva")

    assert message == (
        f"{changed_file}: The user “eva” may not publish the page “Veelgestelde vragen”; "
        "submit the draft for review instead (--submit). Nothing was changed."
    )
    page = FAQPage.objects.get()
    assert page.revisions.count() == revisions
    assert page.latest_revision_id == live.latest_revision_id
    assert served(client) == served_before


def test_publish_of_a_new_page_by_an_editor_is_refused(campaign, seed_faq_path, editor):
    assert refused(seed_faq_path, "--publish", "--user", "eva") == (
        f"{seed_faq_path}: The user “eva” may not publish pages below “Schat je schatje”; "
        "submit the draft for review instead (--submit). Nothing was changed."
    )
    assert not FAQPage.objects.exists()


@pytest.mark.parametrize("username", ["rita", "ada"])
def test_publish_by_a_reviewer_or_an_administrator_makes_it_live(
    client, live, changed_file, reviewer, admin, username
):
    output = import_faq(changed_file, "--publish", "--user", username)

    page = FAQPage.objects.get()
    assert output == (
        f"Updated FAQ page “Veelgestelde vragen” (nl, id {page.pk}) with 6 questions in 2 sections.\n"
        f"Published by {username}.\n"
    )
    assert page.live and not page.has_unpublished_changes
    assert page.live_revision_id == page.latest_revision_id != live.live_revision_id
    assert page.revisions.count() == 2
    assert questions(page)[4]["question"] == "Waarom op 18 november?"
    assert served(client)["sections"][1]["questions"][0]["question"] == "Waarom op 18 november?"
    assert (
        PageLogEntry.objects.filter(page=page, action="wagtail.publish").latest("pk").user.username
        == username
    )


def test_publish_of_a_new_page_by_a_reviewer(campaign, seed_faq_path, reviewer):
    output = import_faq(seed_faq_path, "--publish", "--user", "rita")

    page = FAQPage.objects.get()
    assert output.endswith("Published by rita.\n")
    assert page.live and page.live_revision_id == page.latest_revision_id
    assert page.revisions.count() == 1


def test_publish_of_an_unchanged_file_over_its_draft_publishes_that_draft(live, changed_file, reviewer):
    import_faq(changed_file)
    draft = FAQPage.objects.get().latest_revision_id

    output = import_faq(changed_file, "--publish", "--user", "rita")

    page = FAQPage.objects.get()
    assert output.startswith("Unchanged: FAQ page")
    assert output.endswith("Published by rita.\n")
    assert page.live_revision_id == draft == page.latest_revision_id
    assert page.revisions.count() == 2


def test_publish_of_what_is_already_live_publishes_nothing(live, seed_faq_path, reviewer):
    before = counts(), PageLogEntry.objects.count()

    output = import_faq(seed_faq_path, "--publish", "--user", "rita")

    assert output.endswith("Nothing to publish: the live version already has this content.\n")
    assert (counts(), PageLogEntry.objects.count()) == before


def test_publish_by_a_reviewer_during_a_review_cancels_it(
    live, changed_file, seed_faq_path, editor, reviewer
):
    import_faq(changed_file, "--submit", "--user", "eva")
    state = in_progress(live)

    output = import_faq(seed_faq_path, "--publish", "--user", "rita", title="Vragen en antwoorden")

    assert output.endswith("Published by rita; the review in progress was cancelled.\n")
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_CANCELLED
    page = FAQPage.objects.get()
    assert page.title == "Vragen en antwoorden"
    assert page.live_revision_id == page.latest_revision_id


# --- the writer, called from code ----------------------------------------------------------------


def test_the_writer_saves_a_draft_unless_told_to_publish(campaign, seed_faq_text):
    common = {"parsed": parse_faq(seed_faq_text), "campaign": campaign, "locale": campaign.locale}

    draft = import_faq_page(**common, slug="veelgestelde-vragen", title="Veelgestelde vragen")
    assert (draft.published, draft.page.live) == (False, False)

    published = import_faq_page(**common, slug="veelgestelde-vragen", publish=True)
    page = FAQPage.objects.get()
    assert (published.published, published.changed, page.live) == (True, False, True)
    assert page.live_revision.user is None  # the system, as the demo loader publishes


def test_the_writer_needs_a_user_to_submit(campaign, seed_faq_text):
    with pytest.raises(FAQImportError) as caught:
        import_faq_page(
            parsed=parse_faq(seed_faq_text),
            campaign=campaign,
            locale=campaign.locale,
            slug="veelgestelde-vragen",
            title="Veelgestelde vragen",
            submit=True,
        )
    assert str(caught.value) == "Submitting for review needs a user: the person who submits."
    assert not FAQPage.objects.exists()


def test_help_describes_the_options_and_the_default():
    parser = ImportFAQCommand().create_parser("manage.py", "import_faq")
    text = " ".join(parser.format_help().split())
    assert "By default the import is a draft: a new revision, nothing published" in text
    assert "--draft Save a draft without publishing or submitting it. This is the default" in text
    assert "--submit Save the draft and submit it to the page's review workflow (needs --user)" in text
    assert "--publish Publish straight away (needs --user, who must be allowed to publish the page" in text
    assert "--user USERNAME" in text
    assert "--allow-structure-change" in text


# --- translators ---------------------------------------------------------------------------------


@pytest.fixture
def french_campaign(content, seed_faq_path, admin):
    """The seed FAQ published in Dutch, and a French campaign to translate it into."""
    tree = content.page_tree(with_faq=False, translations=("fr",))
    import_faq(seed_faq_path, "--publish", "--user", "ada")
    return tree.campaigns["fr"]


def test_a_translator_submits_a_new_translation_for_review(french_campaign, translator, locales):
    output = import_faq(DEMO_FR, *FR_ARGS, "--submit", "--user", "theo", title="Questions fréquentes")

    french = FAQPage.objects.get(locale=locales["fr"])
    assert output.endswith("by theo; it goes live when a reviewer approves it.\n")
    assert (french.live, french.get_parent().pk) == (False, french_campaign.pk)
    assert in_progress(french).requested_by == translator


def test_a_translator_may_not_publish_a_translation(french_campaign, translator):
    assert refused(DEMO_FR, *FR_ARGS, "--publish", "--user", "theo", title="Questions fréquentes") == (
        f"{DEMO_FR}: The user “theo” may not publish pages below “Schat je schatje”; "
        "submit the draft for review instead (--submit). Nothing was changed."
    )
