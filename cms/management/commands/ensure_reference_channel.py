from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cms.channels.models import Channel
from cms.channels.origins import normalise_origin
from cms.management.base import TranslatedCommand

NAME = "Reference campaign page (development)"


class Command(TranslatedCommand):
    help = _("Register the reference campaign page's origin as a channel (development settings only).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--origin", required=True, help=gettext("The page's origin, e.g. http://127.0.0.1:8001.")
        )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                gettext("ensure_reference_channel only runs with development settings (DEBUG on).")
            )
        try:
            origin = normalise_origin(options["origin"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        Channel.objects.update_or_create(
            name=NAME,
            defaults={"contact_email": "web@example.org", "allowed_origins": origin, "active": True},
        )
        self.stdout.write(gettext("Reference campaign page: %(origin)s/") % {"origin": origin})
