"""Editorial roles and the review workflow.

Creates (or completes) the groups Editors, Translators and Reviewers with their permissions, and
the "Review before publish" workflow (one Reviewers approval step) for pages and for the
help-line and citation snippets. Safe to run again: everything is looked up before it is created,
and a workflow someone assigned by hand is left alone.

Self-contained on purpose (a migration must not change meaning when the app code does);
cms/roles.py holds the same home-page grants for home pages created later.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS, TRANSLATORS, REVIEWERS = "Editors", "Translators", "Reviewers"
WORKFLOW_NAME = "Review before publish"
TASK_NAME = "Reviewers approval"
# Wagtail's own migrations assign this workflow to the root page; Baken's replaces it there.
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"

SNIPPET_MODELS = {"helpline": "help-line", "sourcecitation": "source citation"}

# (app label, codename) of the model permissions each group must have.
MODEL_PERMISSIONS = {
    EDITORS: [
        *(("cms", f"{action}_{model}") for model in SNIPPET_MODELS for action in ("add", "change", "view", "lock")),
        ("cms", "verify_helpline"),
    ],
    TRANSLATORS: [
        *(("cms", f"{action}_{model}") for model in SNIPPET_MODELS for action in ("change", "view")),
        ("wagtail_localize", "submit_translation"),
    ],
    REVIEWERS: [
        *(
            ("cms", f"{action}_{model}")
            for model in SNIPPET_MODELS
            for action in ("add", "change", "view", "publish", "lock", "unlock")
        ),
        ("cms", "verify_helpline"),
    ],
}
# Permissions Editors and Translators must not have, whatever was there before.
NOT_FOR_WRITERS = [("cms", f"{action}_{model}") for model in SNIPPET_MODELS for action in ("publish", "unlock")]

# Page permissions: Editors and Translators on every home page (so below them), Reviewers on the root.
HOME_PAGE_PERMISSIONS = {
    EDITORS: ("add_page", "change_page", "lock_page"),
    TRANSLATORS: ("change_page",),
}
ROOT_PAGE_PERMISSIONS = {
    REVIEWERS: ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
}


def create_cms_permissions(apps):
    """Model permissions are normally created after all migrations; this migration needs them now."""
    app_config = apps.get_app_config("cms")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    # What wagtail.snippets creates for DraftStateMixin and LockableMixin snippets, same names.
    for model, verbose_name in SNIPPET_MODELS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="cms", model=model)
        for action in ("publish", "lock", "unlock"):
            Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {verbose_name}"},
            )


def model_permission(apps, app_label, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def page_permission(apps, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ")}
    )
    return permission


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    HomePage = apps.get_model("cms", "HomePage")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")

    create_cms_permissions(apps)
    access_admin = model_permission(apps, "wagtailadmin", "access_admin")
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in (EDITORS, TRANSLATORS, REVIEWERS)}

    for name, group in groups.items():
        if access_admin is not None:
            group.permissions.add(access_admin)
        for app_label, codename in MODEL_PERMISSIONS[name]:
            permission = model_permission(apps, app_label, codename)
            if permission is not None:  # e.g. wagtail_localize's, should it ever be missing
                group.permissions.add(permission)

    publish_page = page_permission(apps, "publish_page")
    for name in (EDITORS, TRANSLATORS):
        group = groups[name]
        for app_label, codename in NOT_FOR_WRITERS:
            permission = model_permission(apps, app_label, codename)
            if permission is not None:
                group.permissions.remove(permission)
        GroupPagePermission.objects.filter(group=group, permission=publish_page).delete()

    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is not None:
        # Wagtail's default Editors may add and change any page from the root; Baken's only below
        # the home pages.
        GroupPagePermission.objects.filter(group=groups[EDITORS], page=root).delete()
        for name, codenames in ROOT_PAGE_PERMISSIONS.items():
            for codename in codenames:
                GroupPagePermission.objects.get_or_create(
                    group=groups[name], page=root, permission=page_permission(apps, codename)
                )
    for home in HomePage.objects.all():
        for name, codenames in HOME_PAGE_PERMISSIONS.items():
            for codename in codenames:
                GroupPagePermission.objects.get_or_create(
                    group=groups[name], page_id=home.pk, permission=page_permission(apps, codename)
                )

    create_review_workflow(apps, reviewers=groups[REVIEWERS], root=root)


def create_review_workflow(apps, *, reviewers, root):
    ContentType = apps.get_model("contenttypes", "ContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    HomePage = apps.get_model("cms", "HomePage")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")

    task = GroupApprovalTask.objects.filter(name=TASK_NAME).order_by("pk").first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=TASK_NAME,
            active=True,
            content_type=ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")[0],
        )
    task.groups.add(reviewers)

    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).order_by("pk").first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    # The root page covers every page, including home pages created later; the home pages get
    # it explicitly too. A page that already has another workflow (other than Wagtail's
    # default) keeps it.
    pages = ([root] if root is not None else []) + list(HomePage.objects.order_by("path"))
    for page in pages:
        current = WorkflowPage.objects.filter(page_id=page.pk).select_related("workflow").first()
        if current is None:
            WorkflowPage.objects.create(page_id=page.pk, workflow=workflow)
        elif current.workflow.name == WAGTAIL_DEFAULT_WORKFLOW:
            current.workflow = workflow
            current.save()

    for model in SNIPPET_MODELS:
        content_type, _ = ContentType.objects.get_or_create(app_label="cms", model=model)
        WorkflowContentType.objects.get_or_create(content_type=content_type, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_review_dates_and_workflows"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtail_localize", "0006_create_submit_translation_permission"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # Reversing leaves the groups, permissions and workflow in place: users may belong to them.
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
