from django.core.management.base import BaseCommand

from cms.demo.loader import load_demo_content


class Command(BaseCommand):
    help = "Load the 'Schat je schatje' demo campaign, FAQ, help-lines and citations (idempotent)."

    def handle(self, *args, **options):
        load_demo_content(log=self.stdout.write)
