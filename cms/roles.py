"""Editorial roles: who may write, translate, review and publish.

The groups, their permissions and the "Review before publish" workflow are created by the data
migration cms/migrations/0003_editorial_roles.py. Editors and Translators hold their page
permissions on each home page (so on everything below it, never on the tree's root); a home page
created later — a new locale, a translation, a restored backup — gets them here.
"""

from django.contrib.auth.models import Group, Permission

EDITORS = "Editors"
TRANSLATORS = "Translators"
REVIEWERS = "Reviewers"
WORKFLOW_NAME = "Review before publish"
TASK_NAME = "Reviewers approval"

HOME_PAGE_PERMISSIONS = {
    EDITORS: ("add_page", "change_page", "lock_page"),
    TRANSLATORS: ("change_page",),
}


def grant_home_page_permissions(home_page) -> None:
    """Give Editors and Translators their page permissions on this home page (when the groups exist)."""
    from wagtail.models import GroupPagePermission

    groups = {group.name: group for group in Group.objects.filter(name__in=HOME_PAGE_PERMISSIONS)}
    if not groups:
        return
    codenames = {codename for names in HOME_PAGE_PERMISSIONS.values() for codename in names}
    permissions = {
        permission.codename: permission
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", content_type__model="page", codename__in=codenames
        )
    }
    wanted = [
        GroupPagePermission(group=groups[name], page_id=home_page.pk, permission=permissions[codename])
        for name, names in HOME_PAGE_PERMISSIONS.items()
        if name in groups
        for codename in names
        if codename in permissions
    ]
    GroupPagePermission.objects.bulk_create(wanted, ignore_conflicts=True)


def on_home_page_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        grant_home_page_permissions(instance)
