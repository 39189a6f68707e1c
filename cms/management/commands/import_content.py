from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from cms.backup import ArchiveError, parse_archive, restore_archive


class Command(BaseCommand):
    help = (
        "Restore an archive written by export_content into an empty database, all or nothing. "
        "A corrupted, tampered or incompatible archive is refused and nothing is changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Archive file written by export_content")

    def handle(self, *args, **options):
        path = Path(options["path"])
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}. Nothing was changed.") from error
        try:
            archive = parse_archive(text)
            summary = restore_archive(archive)
        except ArchiveError as error:
            raise CommandError(f"{path}: {error} Nothing was changed.") from error
        except DatabaseError as error:
            # The archive passed every check but the database refused a row: rolled back as a whole.
            raise CommandError(
                f"{path}: the database refused the archive ({error}). Nothing was changed."
            ) from error
        self.stdout.write(
            f"Restored {summary.pages} pages, {summary.helplines} help-lines and {summary.citations} "
            f"citations ({summary.drafts} pending drafts) from {path}, "
            f"written {archive['created_at']}; the default site's root is page {summary.site_root_page}. "
            "Search and reference indexes rebuilt."
        )
