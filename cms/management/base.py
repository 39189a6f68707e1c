"""What Baken's management commands share: their help in the active language; the import
commands' English, refusals, file reading and user lookup."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext


class TranslatedCommand(BaseCommand):
    """A command whose ``help`` is a lazy translation, shown by ``--help`` in the active language.

    argparse formats a description with regular expressions, which need a ``str``: Django passes
    ``help`` on as it is, so it is turned into text here, when the parser is made.
    """

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.description = str(self.help) if self.help else None
        return parser


class ImportCommand(BaseCommand):
    """An import command (import_faq, import_hsds): it speaks English whatever ``LANGUAGE_CODE``
    is, its help included, and every refusal ends with ``nothing``, what the refusal left
    untouched. Subclasses implement ``_handle(options)``."""

    nothing: str  # gettext_noop'd: translated (to English) when said

    def create_parser(self, prog_name, subcommand, **kwargs):
        with translation.override("en"):
            parser = super().create_parser(prog_name, subcommand, **kwargs)
            parser.description = gettext(self.help)
        return parser

    def handle(self, *args, **options):
        # Validation messages included.
        with translation.override("en"):
            self._handle(options)

    def _handle(self, options) -> None:
        raise NotImplementedError

    def read_bytes(self, path: Path) -> bytes:
        try:
            return path.read_bytes()
        except OSError as error:
            raise CommandError(
                gettext("Cannot read %(path)s: %(reason)s. %(nothing)s")
                % {"path": path, "reason": error.strerror or error, "nothing": gettext(self.nothing)}
            ) from error

    def find_user(self, username: str):
        """The active user ``username``; refused when there is none or it is inactive."""
        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(
                gettext("There is no user “%(user)s”. %(nothing)s")
                % {"user": username, "nothing": gettext(self.nothing)}
            )
        if not user.is_active:
            raise CommandError(
                gettext("The user “%(user)s” is inactive. %(nothing)s")
                % {"user": username, "nothing": gettext(self.nothing)}
            )
        return user
