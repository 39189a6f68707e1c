"""``manage.py export_schemas [--check] [--directory DIR]``: write the published JSON Schemas.

A thin wrapper over api.json_schemas.files: the documents come from the OpenAPI document of the
running code (api.json_schemas.documents), so after changing a serializer this one command brings
``schemas/v1/`` up to date (``make schemas`` runs it).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from api.json_schemas import files


class Command(BaseCommand):
    help = (
        "Write the published JSON Schemas (draft 2020-12) of the public API to schemas/v1/, from the "
        "serializers' OpenAPI document: rewrites stale and missing files and removes extra ones. "
        "With --check, writes nothing and fails listing every stale, missing or extra file."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit non-zero when a file is stale, missing or extra.",
        )
        parser.add_argument(
            "--directory",
            type=Path,
            default=None,
            help="Where the files are (default: schemas/v1/ in the repository).",
        )

    def handle(self, *args, **options):
        directory = options["directory"] or files.default_directory()
        if options["check"]:
            found = files.differences(directory)
            if found:
                listing = "\n".join(f"  {line}" for line in found.lines())
                raise CommandError(
                    f"The JSON Schemas in {directory} are not current:\n{listing}\n"
                    f"Run: {files.EXPORT_COMMAND} (or {files.MAKE_TARGET}) and commit the result."
                )
            if options["verbosity"] >= 1:
                self.stdout.write(f"{directory}: {len(files.expected_files())} JSON Schemas, all current.")
            return
        changed = files.write(directory)
        if options["verbosity"] >= 1:
            for line in changed.lines(done=True):
                self.stdout.write(line)
            self.stdout.write(f"{directory}: {len(files.expected_files())} JSON Schemas.")
