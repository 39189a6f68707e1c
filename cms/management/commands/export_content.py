from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cms.backup import ArchiveError, dumps, export_archive
from cms.management.base import TranslatedCommand


class Command(TranslatedCommand):
    help = _(
        "Write every page, snippet and translation (live state and pending drafts) to a versioned "
        "JSON archive that import_content restores. See docs/backup.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            metavar="PATH",
            help=gettext("File to write; without it the archive goes to stdout"),
        )

    def handle(self, *args, **options):
        try:
            archive = export_archive()
        except ArchiveError as error:
            raise CommandError(gettext("%(error)s Nothing was written.") % {"error": error}) from error
        text = dumps(archive)
        summary = {
            "pages": len(archive["pages"]),
            "helplines": len(archive["helplines"]),
            "citations": len(archive["citations"]),
            "locales": len(archive["locales"]),
            "version": archive["version"],
            "sha256": archive["sha256"][:12],
        }
        if options["output"] is None:
            self.stdout.write(text, ending="")
            # On stderr, so that the archive on stdout stays pure JSON.
            self.stderr.write(
                gettext(
                    "Exported %(pages)s pages, %(helplines)s help-lines and %(citations)s citations "
                    "in %(locales)s locales (archive version %(version)s, sha256 %(sha256)s…)."
                )
                % summary,
                style_func=lambda message: message,
            )
            return
        path = Path(options["output"])
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(
                gettext("Cannot write %(path)s: %(error)s") % {"path": path, "error": error}
            ) from error
        self.stdout.write(
            gettext(
                "Exported %(pages)s pages, %(helplines)s help-lines and %(citations)s citations "
                "in %(locales)s locales (archive version %(version)s, sha256 %(sha256)s…) to %(path)s."
            )
            % {**summary, "path": path}
        )
