"""Editorial roles (Editors, Translators, Reviewers) and the "Review before publish" workflow.

Everything goes through the real admin views, as the people in these roles would use them:
editors and translators save and submit, never publish; a reviewer's approval publishes; the
history names who did what.
"""

import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from wagtail.actions.publish_revision import PublishPermissionError
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    ModelLogEntry,
    Page,
    PageLogEntry,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowState,
)
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield

from cms.pages.models import HomePage
from cms.snippets.models import HelpLine, SourceCitation
from tests.users import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(content):
    return content.page_tree(translations=("fr",))


@pytest.fixture
def live_helpline(content):
    helpline = content.helpline("child-focus-116000", "Hulplijn 116000")
    content.translate_snippet(helpline, "fr", name="Ligne d'aide 116000")
    return helpline


# --- form data as the admin's own edit pages submit it ------------------------------------------


def page_form(client, page, **changes):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    if hasattr(page.specific, "body"):
        # The StreamField editor builds its inputs in the browser; the test FAQ has no sections.
        assert not page.specific.body
        data.update(nested_form_data({"body": streamfield([])}))
    data.update(changes)
    return data


def snippet_form(client, obj, **changes):
    model_name = obj._meta.model_name
    response = client.get(reverse(f"wagtailsnippets_cms_{model_name}:edit", args=[obj.pk]))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="w-editor-form")
    data.update(changes)
    return data


def edit_page(client, page, **changes):
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), page_form(client, page, **changes))


def edit_helpline(client, helpline, **changes):
    url = reverse("wagtailsnippets_cms_helpline:edit", args=[helpline.pk])
    return client.post(url, snippet_form(client, helpline, **changes))


def press(user_client, obj, action: str, **changes):
    """Change ``obj`` in its admin edit form and press the ``action`` button ("publish",
    "submit"); the admin redirects. Returns the object as stored now (a page as a ``Page``)."""
    edit = edit_page if isinstance(obj, Page) else edit_helpline
    response = edit(user_client, obj, **changes, **{f"action-{action}": "1"})
    assert response.status_code == 302
    return (Page if isinstance(obj, Page) else type(obj)).objects.get(pk=obj.pk)


def log_actions(model_log, obj) -> list[tuple[str, str | None]]:
    """(action, username) of an object's history, oldest first."""
    if model_log is PageLogEntry:
        entries = PageLogEntry.objects.filter(page=obj)
    else:
        entries = ModelLogEntry.objects.for_instance(obj)
    return [
        (entry.action, entry.user.username if entry.user else None)
        for entry in entries.select_related("user").order_by("timestamp", "pk")
    ]


# --- the groups and their permissions -----------------------------------------------------------


def test_the_migration_creates_the_three_roles_with_admin_access(editor, translator, reviewer):
    assert set(Group.objects.values_list("name", flat=True)) >= {"Editors", "Translators", "Reviewers"}
    for user in (editor, translator, reviewer):
        assert user.has_perm("wagtailadmin.access_admin")


@pytest.mark.parametrize(
    ("role", "allowed", "refused"),
    [
        (
            "editor",
            {
                "cms.add_helpline",
                "cms.change_helpline",
                "cms.add_sourcecitation",
                "cms.change_sourcecitation",
            },
            {"cms.publish_helpline", "cms.publish_sourcecitation", "cms.delete_helpline"},
        ),
        (
            "translator",
            {"cms.change_helpline", "cms.change_sourcecitation", "wagtail_localize.submit_translation"},
            {"cms.publish_helpline", "cms.publish_sourcecitation", "cms.add_helpline", "cms.verify_helpline"},
        ),
        (
            "reviewer",
            {
                "cms.publish_helpline",
                "cms.publish_sourcecitation",
                "cms.change_helpline",
                "cms.verify_helpline",
            },
            {"cms.delete_helpline"},
        ),
    ],
)
def test_snippet_permissions_per_role(request, role, allowed, refused):
    user = request.getfixturevalue(role)
    assert {perm for perm in allowed if user.has_perm(perm)} == allowed
    assert {perm for perm in refused if user.has_perm(perm)} == set()


def test_page_permissions_per_role(tree, editor, translator, reviewer):
    root = Page.get_first_root_node()
    faq = tree.faq

    editor_perms = faq.permissions_for_user(editor)
    assert editor_perms.can_edit() and not editor_perms.can_publish()
    assert tree.campaign.permissions_for_user(editor).can_add_subpage()
    assert not root.permissions_for_user(editor).can_add_subpage()  # only below the home pages

    translator_perms = faq.permissions_for_user(translator)
    assert translator_perms.can_edit() and not translator_perms.can_publish()
    assert not tree.campaign.permissions_for_user(translator).can_add_subpage()
    # A home page made later (here the French one) is theirs too.
    assert tree.campaigns["fr"].permissions_for_user(translator).can_edit()

    reviewer_perms = faq.permissions_for_user(reviewer)
    assert reviewer_perms.can_edit() and reviewer_perms.can_publish()


def test_translators_may_start_translations_of_pages_and_snippets(client, tree, live_helpline, translator):
    translator_client = logged_in(type(client)(), translator)
    urls = [
        reverse("wagtail_localize:submit_page_translation", args=[tree.faq.pk]),
        reverse("wagtail_localize:submit_snippet_translation", args=["cms", "helpline", live_helpline.pk]),
    ]
    for url in urls:
        assert translator_client.get(url).status_code == 200, url


def test_home_pages_carry_the_editors_and_translators_page_permissions(tree):
    for home in tree.homes.values():
        granted = set(
            GroupPagePermission.objects.filter(page=home).values_list("group__name", "permission__codename")
        )
        assert granted == {
            ("Editors", "add_page"),
            ("Editors", "change_page"),
            ("Editors", "lock_page"),
            ("Translators", "change_page"),
        }
    root = Page.get_first_root_node()
    assert not GroupPagePermission.objects.filter(
        page=root, group__name__in=["Editors", "Translators"]
    ).exists()
    assert set(
        GroupPagePermission.objects.filter(page=root, group__name="Reviewers").values_list(
            "permission__codename", flat=True
        )
    ) == {"add_page", "change_page", "publish_page", "lock_page", "unlock_page"}


# --- the workflow ----------------------------------------------------------------------------------


def test_review_workflow_applies_to_pages_and_both_snippets(tree):
    workflow = Workflow.objects.get(name="Review before publish")
    assert workflow.active
    tasks = [task.specific for task in workflow.tasks]
    assert len(tasks) == 1
    assert isinstance(tasks[0], GroupApprovalTask)
    assert list(tasks[0].groups.values_list("name", flat=True)) == ["Reviewers"]

    assert WorkflowPage.objects.get(page=Page.get_first_root_node()).workflow == workflow
    for page in (tree.home, tree.campaign, tree.faq, tree.campaigns["fr"]):
        assert page.get_workflow() == workflow
    assert HelpLine.get_default_workflow() == workflow
    assert SourceCitation.get_default_workflow() == workflow
    assert WorkflowContentType.objects.filter(workflow=workflow).count() == 2


def test_running_the_roles_migration_again_changes_nothing(tree):
    migration = importlib.import_module("cms.migrations.0003_editorial_roles")
    state_apps = MigrationExecutor(connection).loader.project_state(("cms", "0003_editorial_roles")).apps

    def snapshot():
        return (
            sorted(Group.objects.values_list("name", flat=True)),
            sorted(
                (group.name, permission)
                for group in Group.objects.all()
                for permission in group.permissions.values_list("codename", flat=True)
            ),
            sorted(GroupPagePermission.objects.values_list("group__name", "page_id", "permission__codename")),
            sorted(WorkflowPage.objects.values_list("page_id", "workflow__name")),
            sorted(WorkflowContentType.objects.values_list("content_type__model", "workflow__name")),
            Workflow.objects.count(),
            GroupApprovalTask.objects.count(),
            Permission.objects.count(),
        )

    before = snapshot()
    migration.create_roles(state_apps, None)
    after = snapshot()
    # The only difference: home pages made since the migration ran now name the workflow themselves.
    assert after[3] == sorted(
        [(Page.get_first_root_node().pk, "Review before publish")]
        + [(home.pk, "Review before publish") for home in tree.homes.values()]
    )
    assert after[:3] + after[4:] == before[:3] + before[4:]

    migration.create_roles(state_apps, None)
    assert snapshot() == after


# --- editors and translators cannot publish ----------------------------------------------------------


@pytest.mark.parametrize(("role", "offered"), [("editor", False), ("translator", False), ("reviewer", True)])
def test_publish_is_offered_only_to_reviewers(client, request, tree, live_helpline, role, offered):
    role_client = logged_in(type(client)(), request.getfixturevalue(role))
    for url in (
        reverse("wagtailadmin_pages:edit", args=[tree.faq.pk]),
        reverse("wagtailsnippets_cms_helpline:edit", args=[live_helpline.pk]),
    ):
        content = role_client.get(url).content.decode()
        assert ('name="action-publish"' in content) is offered, url
        assert 'name="action-submit"' in content, url


def test_an_editors_publish_of_a_page_is_only_a_draft(client, tree, editor):
    editor_client = logged_in(type(client)(), editor)

    page = press(editor_client, tree.faq, "publish", title="Veelgestelde vragen (nieuw)")

    assert page.title == "Veelgestelde vragen"  # the live title
    assert page.has_unpublished_changes
    assert page.get_latest_revision_as_object().title == "Veelgestelde vragen (nieuw)"
    assert ("wagtail.publish", "eva") not in log_actions(PageLogEntry, page)
    assert ("wagtail.edit", "eva") in log_actions(PageLogEntry, page)


def test_an_editor_cannot_publish_a_page_revision_directly(tree, editor):
    revision = tree.faq.save_revision(user=editor)
    with pytest.raises(PublishPermissionError):
        revision.publish(user=editor)
    assert Page.objects.get(pk=tree.faq.pk).live_revision_id != revision.pk


def test_an_editors_publish_of_a_help_line_is_only_a_draft(client, live_helpline, editor):
    editor_client = logged_in(type(client)(), editor)

    stored = press(editor_client, live_helpline, "publish", name="Hulplijn Child Focus")

    assert stored.name == "Hulplijn 116000"
    assert stored.has_unpublished_changes
    assert stored.get_latest_revision_as_object().name == "Hulplijn Child Focus"
    actions = log_actions(ModelLogEntry, stored)
    assert ("wagtail.edit", "eva") in actions
    assert ("wagtail.publish", "eva") not in actions


def test_a_translator_cannot_publish_a_translation(client, live_helpline, translator, locales, tree):
    translator_client = logged_in(type(client)(), translator)
    french = live_helpline.get_translation(locales["fr"])

    stored = press(translator_client, french, "publish", name="Ligne d'aide Child Focus")
    assert stored.name == "Ligne d'aide 116000"
    assert stored.has_unpublished_changes
    assert ("wagtail.publish", "theo") not in log_actions(ModelLogEntry, stored)

    french_campaign = tree.campaigns["fr"]
    assert (
        press(translator_client, french_campaign, "publish", title="Chéri(e)").title == french_campaign.title
    )
    assert ("wagtail.publish", "theo") not in log_actions(PageLogEntry, french_campaign)


def test_a_reviewer_publishes_directly(client, live_helpline, reviewer):
    reviewer_client = logged_in(type(client)(), reviewer)

    stored = press(reviewer_client, live_helpline, "publish", name="Hulplijn Child Focus")

    assert stored.name == "Hulplijn Child Focus"
    assert not stored.has_unpublished_changes
    assert ("wagtail.publish", "rita") in log_actions(ModelLogEntry, stored)


# --- submit → approve → live -------------------------------------------------------------------------


def test_page_workflow_editor_submits_reviewer_approves(client, tree, editor, reviewer):
    editor_client = logged_in(type(client)(), editor)
    reviewer_client = logged_in(type(client)(), reviewer)

    page = press(editor_client, tree.faq, "submit", title="Veelgestelde vragen (herzien)")
    assert page.title == "Veelgestelde vragen"
    state = WorkflowState.objects.get(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    assert state.requested_by == editor
    assert state.workflow.name == "Review before publish"
    task_state = state.current_task_state

    # The editor cannot approve their own submission.
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    editor_client.post(url, {"comment": ""})
    assert Page.objects.get(pk=page.pk).title == "Veelgestelde vragen"

    response = reviewer_client.post(url, {"comment": "Klopt."})
    assert response.status_code == 302

    page = Page.objects.get(pk=page.pk)
    assert page.title == "Veelgestelde vragen (herzien)"
    assert page.live and not page.has_unpublished_changes
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    actions = log_actions(PageLogEntry, page)
    start = actions.index(("wagtail.workflow.start", "eva"))
    approve = actions.index(("wagtail.workflow.approve", "rita"))
    publish_ = actions.index(("wagtail.publish", "rita"))
    assert actions.index(("wagtail.edit", "eva")) <= start < approve < publish_
    approval = PageLogEntry.objects.get(page=page, action="wagtail.workflow.approve")
    assert approval.data["comment"] == "Klopt."


def test_help_line_workflow_editor_submits_reviewer_approves(
    client, live_helpline, editor, reviewer, locales
):
    editor_client = logged_in(type(client)(), editor)
    reviewer_client = logged_in(type(client)(), reviewer)

    stored = press(editor_client, live_helpline, "submit", name="Hulplijn Child Focus")
    assert stored.name == "Hulplijn 116000"
    assert stored.workflow_in_progress
    task_state = stored.current_workflow_task_state

    url = reverse("wagtailsnippets_cms_helpline:workflow_action", args=[stored.pk, "approve", task_state.pk])
    response = reviewer_client.post(url, {"comment": ""})
    assert response.status_code == 302

    stored = HelpLine.objects.get(pk=live_helpline.pk)
    assert stored.name == "Hulplijn Child Focus"
    assert stored.live and not stored.has_unpublished_changes
    assert not stored.workflow_in_progress
    actions = log_actions(ModelLogEntry, stored)
    assert actions.index(("wagtail.edit", "eva")) <= actions.index(("wagtail.workflow.start", "eva"))
    assert (
        actions.index(("wagtail.workflow.start", "eva"))
        < actions.index(("wagtail.workflow.approve", "rita"))
        < actions.index(("wagtail.publish", "rita"))
    )
    # The French translation still says its own name and was not published by anyone else.
    assert HelpLine.objects.get(translation_key=stored.translation_key, locale=locales["fr"]).name == (
        "Ligne d'aide 116000"
    )

    # The admin's history page shows who did what.
    history = reviewer_client.get(reverse("wagtailsnippets_cms_helpline:history", args=[stored.pk]))
    assert history.status_code == 200
    content = history.content.decode()
    for name in ("Eva", "Rita"):
        assert name in content


def test_a_help_line_submitted_for_review_stays_off_the_api_until_approved(
    client, live_helpline, editor, reviewer
):
    editor_client = logged_in(type(client)(), editor)
    edit_helpline(editor_client, live_helpline, name="Hulplijn Child Focus", **{"action-submit": "1"})

    served = client.get("/api/v1/helplines/child-focus-116000/").json()
    assert served["name"] == "Hulplijn 116000"


def test_a_new_home_page_gets_the_roles_and_the_workflow(locales, editor):
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Baken (es)", slug="baken-es", locale=locales["de"]))
    assert home.permissions_for_user(editor).can_add_subpage()
    assert home.get_workflow().name == "Review before publish"
