from django.utils.translation import gettext_lazy as _

from cms.demo.loader import load_demo_content
from cms.management.base import TranslatedCommand


class Command(TranslatedCommand):
    help = _("Load the 'Schat je schatje' demo campaign, FAQ, help-lines and citations (idempotent).")

    def handle(self, *args, **options):
        load_demo_content(log=self.stdout.write)
