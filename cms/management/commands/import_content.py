from pathlib import Path

from django.core.management.base import CommandError
from django.db import DatabaseError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cms.backup import ArchiveError, parse_archive, restore_archive
from cms.management.base import TranslatedCommand


class Command(TranslatedCommand):
    help = _(
        "Restore an archive written by export_content into an empty database, all or nothing. "
        "A corrupted, tampered or incompatible archive is refused and nothing is changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=gettext("Archive file written by export_content"))

    def handle(self, *args, **options):
        path = Path(options["path"])
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(
                gettext("Cannot read %(path)s: %(error)s. Nothing was changed.")
                % {"path": path, "error": error}
            ) from error
        try:
            archive = parse_archive(text)
            summary = restore_archive(archive)
        except ArchiveError as error:
            raise CommandError(
                gettext("%(path)s: %(error)s Nothing was changed.") % {"path": path, "error": error}
            ) from error
        except DatabaseError as error:
            # The archive passed every check but the database refused a row: rolled back as a whole.
            raise CommandError(
                gettext("%(path)s: the database refused the archive (%(error)s). Nothing was changed.")
                % {"path": path, "error": error}
            ) from error
        self.stdout.write(
            gettext(
                "Restored %(pages)s pages, %(helplines)s help-lines and %(citations)s citations "
                "(%(drafts)s pending drafts) from %(path)s, written %(created_at)s; the default site's "
                "root is page %(root)s. Search and reference indexes rebuilt."
            )
            % {
                "pages": summary.pages,
                "helplines": summary.helplines,
                "citations": summary.citations,
                "drafts": summary.drafts,
                "path": path,
                "created_at": archive["created_at"],
                "root": summary.site_root_page,
            }
        )
