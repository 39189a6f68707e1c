"""manage.py update_search_index: bring the search index up to date (the work is cms.search_index)."""

from django.core.management.base import BaseCommand

from cms.search_index import maintenance


class Command(BaseCommand):
    help = (
        "Index the FAQ pages changed since the search index was last brought up to date (from the "
        "change log), or with --rebuild every FAQ page again. Searches do this by themselves when "
        "the index is behind; run it after loading much content so that no search waits for it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="Index every live FAQ page again.")

    def handle(self, *args, rebuild: bool, **options):
        pages = maintenance.rebuild() if rebuild else maintenance.catch_up()
        self.stdout.write(
            f"Search index: {pages} FAQ pages read; up to date to change {maintenance.indexed_sequence()}."
        )
