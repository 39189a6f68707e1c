from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cms.management.base import TranslatedCommand

USERNAME = "admin"
PASSWORD = "baken-dev-admin"  # noqa: S105 - development settings only, refused elsewhere


class Command(TranslatedCommand):
    help = _("Make sure a development admin account exists (development settings only).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=settings.WAGTAILADMIN_BASE_URL,
            help=gettext(
                "Where the development server answers, for the admin address printed "
                "(default: WAGTAILADMIN_BASE_URL, %(default)s)."
            ),
        )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(gettext("ensure_dev_admin only runs with development settings (DEBUG on)."))
        user, created = get_user_model().objects.get_or_create(
            username=USERNAME, defaults={"email": "admin@example.org"}
        )
        if created or not user.check_password(PASSWORD) or not user.is_superuser:
            user.is_staff = user.is_superuser = user.is_active = True
            user.set_password(PASSWORD)
            user.save()
        admin_url = options["base_url"].rstrip("/") + "/admin/"
        self.stdout.write(
            gettext("Admin: %(url)s  user “%(user)s”, password “%(password)s”")
            % {"url": admin_url, "user": USERNAME, "password": PASSWORD}
        )
