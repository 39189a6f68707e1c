from django.core.management.base import CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cms import catalogues
from cms.management.base import TranslatedCommand


class Command(TranslatedCommand):
    help = _(
        "Compile Baken's translations (cms/locale/*/LC_MESSAGES/django.po) into the .mo files Django "
        "reads, in Python (no gettext tools needed). Refuses a catalogue with fuzzy or untranslated "
        "entries or with placeholders that differ from the original, and then writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help=gettext(
                "Write nothing; fail when a .mo file is missing or not what its .po file compiles to"
            ),
        )

    def handle(self, *args, **options):
        loaded = {language: catalogues.load(language) for language in catalogues.LANGUAGES}
        refusals = [
            f"{catalogues.po_path(language).relative_to(catalogues.LOCALE_DIR.parent.parent)}: {problem}"
            for language, catalogue in loaded.items()
            for problem in catalogues.problems(catalogue)
        ]
        if refusals:
            raise CommandError(
                gettext("The translations were not compiled; fix these entries first:\n%(problems)s")
                % {"problems": "\n".join(f"- {refusal}" for refusal in refusals)}
            )
        stale = []
        for language, catalogue in loaded.items():
            path = catalogues.mo_path(language)
            binary = catalogues.compiled(catalogue)
            current = path.read_bytes() if path.exists() else None
            if options["check"]:
                if current != binary:
                    stale.append(str(path.relative_to(catalogues.LOCALE_DIR.parent.parent)))
                continue
            if current != binary:
                path.write_bytes(binary)
            else:
                path.touch()  # up to date: newer than its .po file, for make
            if options["verbosity"] >= 1:
                self.stdout.write(
                    gettext("%(path)s: %(count)s messages")
                    % {
                        "path": path.relative_to(catalogues.LOCALE_DIR.parent.parent),
                        "count": len(catalogue.translated_entries()),
                    }
                )
        if stale:
            raise CommandError(
                gettext("Out of date: %(files)s. Run manage.py compile_translations.")
                % {"files": ", ".join(stale)}
            )
