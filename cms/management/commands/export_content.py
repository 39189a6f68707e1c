from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.backup import ArchiveError, dumps, export_archive


class Command(BaseCommand):
    help = (
        "Write every page, snippet and translation (live state and pending drafts) to a versioned "
        "JSON archive that import_content restores. See docs/backup.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", metavar="PATH", help="File to write; without it the archive goes to stdout"
        )

    def handle(self, *args, **options):
        try:
            archive = export_archive()
        except ArchiveError as error:
            raise CommandError(f"{error} Nothing was written.") from error
        text = dumps(archive)
        summary = (
            f"{len(archive['pages'])} pages, {len(archive['helplines'])} help-lines and "
            f"{len(archive['citations'])} citations in {len(archive['locales'])} locales "
            f"(archive version {archive['version']}, sha256 {archive['sha256'][:12]}…)"
        )
        if options["output"] is None:
            self.stdout.write(text, ending="")
            # On stderr, so that the archive on stdout stays pure JSON.
            self.stderr.write(f"Exported {summary}.", style_func=lambda message: message)
            return
        path = Path(options["output"])
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error}") from error
        self.stdout.write(f"Exported {summary} to {path}.")
